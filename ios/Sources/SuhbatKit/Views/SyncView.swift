import SuhbatFFI
import SwiftUI

/// Sync status from the core: last sync, changes not yet sent, progress of a running sync.
struct SyncView: View {
    @ObservedObject var app: AppModel
    let repository: SuhbatRepository
    @StateObject private var model: ScreenModel<SyncStatus>
    @State private var sampleLabel = ""

    init(app: AppModel, repository: SuhbatRepository) {
        self.app = app
        self.repository = repository
        _model = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.syncStatus() } })
    }

    var body: some View {
        ScreenContent(model: model) { status in
            List {
                Section {
                    Text(status.phaseLabel).font(.title3)
                    Text(status.lastSyncLabel)
                    Text(status.pendingLabel)
                    if let fraction = status.progressFraction {
                        ProgressView(value: Double(fraction))
                    }
                    if let progress = status.progressLabel {
                        Text(progress).font(.caption)
                    }
                    if let error = status.error {
                        ErrorText(message: error)
                    }
                }
                Section {
                    Button(status.syncNowLabel) {
                        guard let runner = app.syncRunner() else { return }
                        Task {
                            _ = await runner.run()
                            await model.refresh()
                        }
                    }
                    .disabled(app.syncRunner() == nil || status.phase == .running)
                    if !sampleLabel.isEmpty {
                        Button(sampleLabel) {
                            let seed = UInt64(Date().timeIntervalSince1970)
                            Task { await model.act { await repository.call { try $0.addSampleData(seed: seed, persons: 10) } } }
                        }
                    }
                }
            }
            .refreshable { await model.refresh() }
        }
        .task {
            if case .success(let label) = await repository.call({ try $0.text(key: "action.load_samples") }) {
                sampleLabel = label
            }
        }
    }
}
