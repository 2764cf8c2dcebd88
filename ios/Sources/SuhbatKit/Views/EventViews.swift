import SuhbatFFI
import SwiftUI

/// Joint events, latest first, as the core lists them; a row opens who attended.
struct EventsView: View {
    let repository: SuhbatRepository
    @State private var texts: [String: String] = [:]

    var body: some View {
        ListScreen(repository, load: { try $0.eventList(linkedTo: "") }, layout: ListLayout(
            rows: { $0.rows }, rowID: { $0.id }, empty: { $0.emptyText },
            header: { list in
                ListTitle(title: list.title)
                NavigationLink(value: Route.form(.jointEvent, nil, nil, nil)) { Text(texts["action.new_event"] ?? "") }
            },
            destination: { .form(.attendance, $0.id, nil, nil) }
        )) { _, _, row in
            TagLine(tags: [row.kindLabel], label: row.dateLabel)
            Text(row.title).font(.headline)
            Text(row.place).font(.subheadline)
            if !row.organisers.isEmpty {
                Text(row.organisers).font(.caption).foregroundColor(.secondary)
            }
            Text(row.attendanceLabel).font(.caption)
            NavigationLink(value: Route.form(.jointEvent, row.id, nil, nil)) { Text(texts["action.edit"] ?? "").font(.caption) }
        }
        .task { texts = await repository.texts(["action.new_event", "action.edit"]) }
    }
}
