import SuhbatFFI
import SwiftUI

/// Fields two people changed differently: every value with its author; keep one.
struct ConflictsView: View {
    let repository: SuhbatRepository

    var body: some View {
        ListScreen(repository, load: { try $0.conflicts() }, layout: ListLayout(
            rows: { $0.rows }, rowID: { $0.recordId + "/" + $0.path }, empty: { $0.emptyText },
            header: { ListTitle(title: "", subtitle: $0.explanation) }
        )) { model, list, row in
            Text("\(row.recordKind) · \(row.recordTitle)").font(.caption)
            Text(row.fieldLabel).font(.headline)
            ForEach(row.options, id: \.valueJson) { option in
                HStack {
                    VStack(alignment: .leading) {
                        Text(option.display)
                        Text([option.author, option.at].filter { !$0.isEmpty }.joined(separator: " · ")).font(.caption).foregroundColor(.secondary)
                    }
                    Spacer()
                    Button(list.keepLabel) {
                        Task { await model.act { await repository.call { try $0.resolveConflict(recordId: row.recordId, path: row.path, valueJson: option.valueJson) } } }
                    }
                    .buttonStyle(.bordered)
                }
            }
        }
    }
}
