import SuhbatFFI
import SwiftUI

/// Fields two people changed differently: every value with its author; keep one.
struct ConflictsView: View {
    let repository: SuhbatRepository
    @StateObject private var model: ScreenModel<ConflictList>

    init(repository: SuhbatRepository) {
        self.repository = repository
        _model = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.conflicts() } })
    }

    var body: some View {
        ScreenContent(model: model) { list in
            List {
                Section(footer: Text(list.explanation)) {
                    if list.rows.isEmpty {
                        Text(list.emptyText)
                    }
                }
                ForEach(list.rows, id: \.self) { row in
                    Section(header: Text("\(row.recordKind) · \(row.recordTitle)")) {
                        Text(row.fieldLabel).font(.headline)
                        ForEach(row.options, id: \.valueJson) { option in
                            HStack {
                                VStack(alignment: .leading) {
                                    Text(option.display)
                                    Text([option.author, option.at].filter { !$0.isEmpty }.joined(separator: " · "))
                                        .font(.caption)
                                        .foregroundColor(.secondary)
                                }
                                Spacer()
                                Button(list.keepLabel) {
                                    Task {
                                        await model.act {
                                            await repository.call { try $0.resolveConflict(recordId: row.recordId, path: row.path, valueJson: option.valueJson) }
                                        }
                                    }
                                }
                                .buttonStyle(.bordered)
                            }
                        }
                    }
                }
            }
            .refreshable { await model.refresh() }
        }
    }
}
