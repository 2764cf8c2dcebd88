import SuhbatFFI
import SwiftUI

/// Person search: the core finds names in either script.
struct PersonsView: View {
    let repository: SuhbatRepository
    @State private var query = ""
    @StateObject private var search: PersonSearch

    init(repository: SuhbatRepository) {
        self.repository = repository
        _search = StateObject(wrappedValue: PersonSearch(repository: repository))
    }

    var body: some View {
        ListScreen(model: search.list, layout: ListLayout(
            rows: { $0.rows }, rowID: { $0.id }, empty: { $0.emptyText },
            header: { list in
                TextField(list.searchHint, text: $query).textCase(nil)
                ListTitle(title: list.countLabel)
                NavigationLink(value: Route.form(.person, nil, nil, nil)) { Text(list.addLabel) }
            },
            destination: { .person($0.id) }
        )) { _, _, row in
            HStack {
                VStack(alignment: .leading) {
                    Text(row.name).font(.headline)
                    Text(row.subtitle).font(.subheadline).foregroundColor(.secondary)
                }
                Spacer()
                if let badge = row.badge {
                    Tag(text: badge)
                }
            }
        }
        .onChange(of: query) { text in
            Task { await search.search(text) }
        }
    }
}

/// A person's card: details, risk reasons, conversations and cases.
struct PersonDetailView: View {
    let repository: SuhbatRepository
    let personId: String
    @StateObject private var model: ScreenModel<PersonDetail>
    @State private var texts: [String: String] = [:]

    init(repository: SuhbatRepository, personId: String) {
        self.repository = repository
        self.personId = personId
        _model = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.personDetail(personId: personId) } })
    }

    var body: some View {
        ScreenContent(model: model) { person in
            List {
                Section {
                    Text(person.name).font(.title2)
                    Text(person.subtitle)
                    NavigationLink(value: Route.form(.conversation, nil, nil, person.id)) {
                        Text(person.newConversationLabel)
                    }
                    NavigationLink(value: Route.form(.person, person.id, nil, nil)) {
                        Text(person.editLabel)
                    }
                    NavigationLink(value: Route.form(.referral, nil, nil, person.id)) {
                        Text(texts["action.new_referral"] ?? "")
                    }
                }
                Section(header: Text(person.riskLabel)) {
                    ForEach(person.riskReasons, id: \.self) { reason in
                        Text(reason)
                    }
                }
                Section(header: Text(person.historyTitle)) {
                    if person.history.isEmpty {
                        Text(person.historyEmpty)
                    }
                    ForEach(person.history, id: \.conversationId) { talk in
                        NavigationLink(value: Route.form(.conversation, talk.conversationId, nil, nil)) {
                            VStack(alignment: .leading) {
                                Text("\(talk.when) · \(talk.kindLabel)").font(.caption)
                                Text(talk.place)
                                if !talk.topics.isEmpty {
                                    Text(talk.topics).font(.caption).foregroundColor(.secondary)
                                }
                                if let followUp = talk.followUp {
                                    Text(followUp).font(.caption)
                                }
                            }
                        }
                    }
                }
                if !person.cases.isEmpty {
                    Section(header: Text(person.casesTitle)) {
                        ForEach(person.cases, id: \.caseId) { link in
                            NavigationLink(value: Route.parentCase(link.caseId)) {
                                VStack(alignment: .leading) {
                                    Text(link.title)
                                    Text(link.statusLabel).font(.caption)
                                }
                            }
                        }
                    }
                }
                // A merged duplicate's history is part of this card until the merge is undone.
                if let note = person.mergeNote {
                    Section(header: Text(note)) {
                        ForEach(person.mergedPersons, id: \.id) { merged in
                            HStack {
                                Text(merged.name)
                                Spacer()
                                Button(merged.unmergeLabel) {
                                    Task { await model.act { await repository.call { try $0.unmergePerson(duplicateId: merged.id) } } }
                                }
                                .buttonStyle(.borderless)
                            }
                        }
                    }
                }
                SectionsView(sections: person.sections)
            }
        }
        .task { texts = await repository.texts(["action.new_referral"]) }
    }
}
