import SuhbatFFI
import SwiftUI
import UniformTypeIdentifiers

/// Sync status from the core: last sync, changes not yet sent, progress of a running sync and
/// what the last one did. Before enrolment it shows the enrolment form instead.
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
            Group {
                if status.enrolled {
                    statusList(status)
                } else {
                    EnrolView(app: app, repository: repository) {
                        BackgroundSync.schedule()
                        Task {
                            await model.refresh()
                            await app.syncNow()
                            await model.refresh()
                            await app.startLiveSync()
                        }
                    }
                }
            }
        }
        .task {
            // Sample data writes fake persons that sync to everyone: offered in debug builds only.
            guard app.sampleDataAllowed else { return }
            if case .success(let label) = await repository.call({ try $0.text(key: "action.load_samples") }) {
                sampleLabel = label
            }
        }
    }

    private func statusList(_ status: SyncStatus) -> some View {
        List {
            Section {
                Text(status.phaseLabel).font(.title3)
                Text(status.lastSyncLabel)
                Text(status.pendingLabel)
                // The protocol knows no totals in advance: the indicator is indeterminate.
                if status.phase == .running {
                    ProgressView()
                }
                if let progress = status.progressLabel {
                    Text(progress).font(.caption)
                }
                if let error = status.error {
                    ErrorText(message: error)
                }
                ForEach(status.lastReportLines, id: \.self) { line in
                    Text(line).font(.caption)
                }
            }
            Section {
                Button(status.syncNowLabel) {
                    Task {
                        let refresh = Task { @MainActor in
                            while !Task.isCancelled {
                                try? await Task.sleep(nanoseconds: 500_000_000)
                                await model.refresh()
                            }
                        }
                        await app.syncNow()
                        refresh.cancel()
                        await model.refresh()
                    }
                }
                .disabled(status.phase == .running)
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
}

/// Enrolment with the base point: its address, its certificate file (`ca.pem`) whose
/// fingerprint the user compares with the one shown at the base point, and a one-time code.
/// The core checks the address and certificate and keeps them with the store.
struct EnrolView: View {
    @ObservedObject var app: AppModel
    let repository: SuhbatRepository
    let onEnrolled: () -> Void
    @State private var url = ""
    @State private var code = ""
    @State private var caPEM: String?
    @State private var fingerprint: String?
    @State private var confirmed = false
    @State private var error: String?
    @State private var busy = false
    @State private var picking = false
    @State private var invite: EnrolInvite?

    var body: some View {
        Form {
            Section(footer: Text(app.text("enrol.explain"))) {
                InviteField(app: app) { read in
                    invite = read
                    url = read.hubUrl
                    code = read.code
                    caPEM = nil
                    fingerprint = nil
                    confirmed = false
                }
                TextField(app.text("enrol.hub_url"), text: $url)
                    .keyboardType(.URL)
                    .textInputAutocapitalization(.never)
                    .autocorrectionDisabled()
                Button(app.text("enrol.choose_certificate")) { picking = true }
                if let fingerprint = fingerprint {
                    VStack(alignment: .leading) {
                        Text(app.text("enrol.fingerprint")).font(.caption)
                        Text(fingerprint).font(.caption.monospaced())
                    }
                    Toggle(app.text("enrol.confirm_fingerprint"), isOn: $confirmed)
                }
                TextField(app.text("enrol.code"), text: $code)
                    .textInputAutocapitalization(.characters)
                    .autocorrectionDisabled()
            }
            if let error = error {
                ErrorText(message: error)
            }
            Button(app.text("action.enrol")) { enrol() }
                .disabled(busy || url.isEmpty || code.isEmpty || (caPEM != nil && !confirmed))
        }
        .navigationTitle(app.text("screen.enrol"))
        .onAppear { if url.isEmpty { url = app.defaultHubURL } }
        .fileImporter(isPresented: $picking, allowedContentTypes: [.item]) { result in
            load(result)
        }
    }

    private func load(_ result: Result<URL, Error>) {
        confirmed = false
        do {
            let file = try result.get()
            let scoped = file.startAccessingSecurityScopedResource()
            defer { if scoped { file.stopAccessingSecurityScopedResource() } }
            let pem = try String(contentsOf: file, encoding: .ascii)
            // A certificate the invitation names is confirmed by the core, not by eye.
            fingerprint = try certificateFingerprint(app, invite: invite, pem: pem)
            caPEM = pem
            confirmed = invite != nil
            error = nil
        } catch {
            caPEM = nil
            fingerprint = nil
            self.error = CoreFailure(error).message
        }
    }

    private func enrol() {
        busy = true
        Task { @MainActor in
            switch await enrolWithHub(repository, hubURL: url, caPEM: caPEM, code: code) {
            case .success:
                error = nil
                onEnrolled()
            case .failure(let failure):
                error = failure.message
            }
            busy = false
        }
    }
}
