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
            }
            .refreshable { await model.refresh() }
            .navigationTitle(list.title)
            .toolbar {
                NavigationLink(value: Route.eventForm) {
                    Text(texts["action.new_event"] ?? "")
                }
            }
        }
        .task { texts = await repository.texts(["action.new_event"]) }
    }
}

/// One organiser as typed: name and organisation.
private struct OrganiserDraft: Identifiable {
    let id = UUID()
    var name = ""
    var organisation = ""
}

/// Adds a joint event; the core checks it and says what is wrong.
struct EventFormView: View {
    let repository: SuhbatRepository
    @StateObject private var kinds: ScreenModel<[Choice]>
    @State private var kind = ""
    @State private var title = ""
    @State private var heldOn = ""
    @State private var place = ""
    @State private var mahalla = ""
    @State private var organisers: [OrganiserDraft] = []
    @State private var failure: String?
    @State private var busy = false
    @State private var texts: [String: String] = [:]
    @Environment(\.dismiss) private var dismiss

    private static let keys = [
        "action.new_event", "field.kind", "field.title", "field.held_on", "hint.date", "field.place", "field.mahalla",
        "field.organisers", "field.name", "field.organisation", "action.add_item", "action.remove_item", "action.save",
        "action.cancel",
    ]

    init(repository: SuhbatRepository) {
        self.repository = repository
        _kinds = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.eventKinds() } })
    }

    var body: some View {
        ScreenContent(model: kinds) { choices in
            List {
                Section {
                    ChoicePicker(label: t("field.kind"), choices: choices, selection: $kind)
                    TextField(t("field.title"), text: $title)
                    DateTextField(label: t("field.held_on"), hint: t("hint.date"), text: $heldOn)
                    TextField(t("field.place"), text: $place)
                    TextField(t("field.mahalla"), text: $mahalla)
                }
                Section(header: Text(t("field.organisers"))) {
                    ForEach($organisers) { $organiser in
                        VStack(alignment: .leading) {
                            TextField(t("field.name"), text: $organiser.name)
                            TextField(t("field.organisation"), text: $organiser.organisation)
                            Button(t("action.remove_item"), role: .destructive) {
                                let id = organiser.id
                                organisers.removeAll { $0.id == id }
                            }
                            .buttonStyle(.borderless)
                        }
                    }
                    Button(t("action.add_item")) { organisers.append(OrganiserDraft()) }
                }
                if let failure = failure {
                    ErrorText(message: failure)
                }
                Section {
                    Button(t("action.save")) { save() }.disabled(busy)
                    Button(t("action.cancel"), role: .cancel) { dismiss() }
                }
            }
            .navigationTitle(t("action.new_event"))
        }
        .task { texts = await repository.texts(Self.keys) }
    }

    private func t(_ key: String) -> String {
        texts[key] ?? ""
    }

    private func save() {
        let (chosen, name, day, at, area) = (kind, title, heldOn, place, mahalla)
        let names = organisers.map { $0.name }
        let organisations = organisers.map { $0.organisation }
        busy = true
        Task { @MainActor in
            let result = await repository.call {
                try $0.addEvent(event: NewEvent(
                    kind: chosen,
                    title: name,
                    heldOn: day,
                    place: at,
                    mahalla: area,
                    organisers: zip(names, organisations).map { NewOrganiser(name: $0.0, organisation: $0.1) }
                ))
            }
            switch result {
            case .success:
                failure = nil
                dismiss()
            case .failure(let refused):
                failure = refused.message
            }
            busy = false
        }
    }
}
