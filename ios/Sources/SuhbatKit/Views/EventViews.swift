import SuhbatFFI
import SwiftUI

/// Joint events, latest first, as the core lists them.
struct EventsView: View {
    let repository: SuhbatRepository
    @StateObject private var model: ScreenModel<EventList>
    @State private var texts: [String: String] = [:]

    init(repository: SuhbatRepository) {
        self.repository = repository
        _model = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.eventList(linkedTo: "") } })
    }

    var body: some View {
        ScreenContent(model: model) { list in
            List {
                if list.rows.isEmpty {
                    Text(list.emptyText)
                }
                ForEach(list.rows, id: \.id) { row in
                    // The row opens who attended; the edit link the event itself.
                    NavigationLink(value: Route.form(.attendance, row.id, nil, nil)) {
                    VStack(alignment: .leading, spacing: 4) {
                        HStack {
                            Tag(text: row.kindLabel)
                            Text(row.dateLabel).font(.caption)
                        }
                        Text(row.title).font(.headline)
                        Text(row.place).font(.subheadline)
                        if !row.organisers.isEmpty {
                            Text(row.organisers).font(.caption).foregroundColor(.secondary)
                        }
                        Text(row.attendanceLabel).font(.caption)
                    }
                    }
                    NavigationLink(value: Route.form(.jointEvent, row.id, nil, nil)) {
                        Text(texts["action.edit"] ?? "").font(.caption)
                    }
                }
            }
            .refreshable { await model.refresh() }
            .navigationTitle(list.title)
            .toolbar {
                NavigationLink(value: Route.form(.jointEvent, nil, nil, nil)) {
                    Text(texts["action.new_event"] ?? "")
                }
            }
        }
        .task { texts = await repository.texts(["action.new_event", "action.edit"]) }
    }
}
