import SuhbatFFI
import SwiftUI

/// Catalog keys the registry views label their own fields and buttons with.
private let registryKeys = [
    "screen.registry", "field.book", "field.registered_on", "field.deadline", "registry.alphabetical",
    "registry.overdue_title", "registry.empty", "action.register_application", "action.decide", "action.edit",
]

/// The year shown first: the current one.
private func thisYear() -> Int32 {
    Int32(Calendar.current.component(.year, from: Date()))
}

/// The applications registry: pick a book (the core's choices) and a year, and see that book in
/// the core's number order; from here the alphabetical book, the overdue list and registering.
struct RegistryView: View {
    let repository: SuhbatRepository
    @StateObject private var books: ScreenModel<[BookChoice]>
    @State private var chosen: Book?
    @State private var year = thisYear()
    @State private var texts: [String: String] = [:]

    init(repository: SuhbatRepository) {
        self.repository = repository
        _books = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.registryBooks() } })
    }

    var body: some View {
        ScreenContent(model: books) { choices in
            content(choices)
        }
        .navigationTitle(t("screen.registry"))
        .task { texts = await repository.texts(registryKeys) }
    }

    /// The book picker, the year and the links, above the chosen book.
    @ViewBuilder
    private func content(_ choices: [BookChoice]) -> some View {
        let book = chosen ?? choices.first?.book
        VStack(alignment: .leading, spacing: 8) {
            Picker(t("field.book"), selection: Binding(get: { book }, set: { chosen = $0 })) {
                ForEach(choices, id: \.book) { choice in
                    Text(choice.label).tag(Optional(choice.book))
                }
            }
            .pickerStyle(.segmented)
            HStack {
                Button { year -= 1 } label: { Image(systemName: "chevron.left") }
                Text(String(year)).font(.headline)
                Button { year += 1 } label: { Image(systemName: "chevron.right") }
                Spacer()
                NavigationLink(value: Route.form(.application, nil, nil, nil)) {
                    Text(t("action.register_application"))
                }
            }
            HStack {
                NavigationLink(value: Route.alphabeticalBook(year)) {
                    Text(t("registry.alphabetical"))
                }
                Spacer()
                NavigationLink(value: Route.overdueApplications) {
                    Text(t("registry.overdue_title"))
                }
            }
        }
        .padding(.horizontal)
        if let book {
            RegistryBookView(repository: repository, book: book, year: year, texts: texts)
                .id("\(book)/\(year)")
        }
    }

    private func t(_ key: String) -> String {
        texts[key] ?? ""
    }
}

/// One book of one year.
struct RegistryBookView: View {
    let repository: SuhbatRepository
    let texts: [String: String]
    @StateObject private var model: ScreenModel<RegistryBook>

    init(repository: SuhbatRepository, book: Book, year: Int32, texts: [String: String]) {
        self.repository = repository
        self.texts = texts
        _model = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.registryBook(book: book, year: year) } })
    }

    var body: some View {
        ScreenContent(model: model) { shown in
            ApplicationList(
                repository: repository,
                title: shown.title,
                groups: [AlphabetGroup(letter: "", rows: shown.rows)],
                emptyText: shown.emptyText,
                texts: texts
            ) { await model.refresh() }
        }
    }
}

/// Applications past their deadline without a decision, oldest deadline first.
struct OverdueApplicationsView: View {
    let repository: SuhbatRepository
    @StateObject private var model: ScreenModel<RegistryBook>
    @State private var texts: [String: String] = [:]

    init(repository: SuhbatRepository) {
        self.repository = repository
        _model = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.overdueApplications() } })
    }

    var body: some View {
        ScreenContent(model: model) { shown in
            ApplicationList(
                repository: repository,
                title: "",
                groups: [AlphabetGroup(letter: "", rows: shown.rows)],
                emptyText: shown.emptyText,
                texts: texts
            ) { await model.refresh() }
            .navigationTitle(shown.title)
        }
        .task { texts = await repository.texts(registryKeys) }
    }
}

/// Both books of a year by applicant surname, under their letters.
struct AlphabeticalBookView: View {
    let repository: SuhbatRepository
    @StateObject private var model: ScreenModel<AlphabeticalBook>
    @State private var texts: [String: String] = [:]

    init(repository: SuhbatRepository, year: Int32) {
        self.repository = repository
        _model = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.alphabeticalBook(year: year) } })
    }

    var body: some View {
        ScreenContent(model: model) { shown in
            ApplicationList(
                repository: repository,
                title: "",
                groups: shown.groups,
                emptyText: texts["registry.empty"] ?? "",
                texts: texts
            ) { await model.refresh() }
            .navigationTitle(shown.title)
        }
        .task { texts = await repository.texts(registryKeys) }
    }
}

/// Applications under their letters (none for a book); each opens its form, an undecided one its decision form.
struct ApplicationList: View {
    let repository: SuhbatRepository
    let title: String
    let groups: [AlphabetGroup]
    let emptyText: String
    let texts: [String: String]
    let refresh: () async -> Void

    init(
        repository: SuhbatRepository,
        title: String,
        groups: [AlphabetGroup],
        emptyText: String,
        texts: [String: String],
        refresh: @escaping () async -> Void
    ) {
        self.repository = repository
        self.title = title
        self.groups = groups
        self.emptyText = emptyText
        self.texts = texts
        self.refresh = refresh
    }

    var body: some View {
        List {
            if !title.isEmpty || groups.allSatisfy({ $0.rows.isEmpty }) {
                Section(header: Text(title)) {
                    if groups.allSatisfy({ $0.rows.isEmpty }) {
                        Text(emptyText)
                    }
                }
            }
            ForEach(groups, id: \.letter) { group in
                Section(header: Text(group.letter)) {
                    ForEach(group.rows, id: \.id) { row in
                        ApplicationRowView(row: row, texts: texts)
                    }
                }
            }
        }
        .refreshable { await refresh() }
    }
}

/// One application: its number (with the provisional hint), applicant, dates and status.
struct ApplicationRowView: View {
    let row: RegistryRow
    let texts: [String: String]

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                Text(row.numberLabel).font(.subheadline.bold())
                if !row.provisionalHint.isEmpty {
                    Tag(text: row.provisionalHint)
                }
            }
            Text(row.applicant).font(.headline)
            if !row.summary.isEmpty {
                Text(row.summary)
            }
            Text([row.bookLabel, "\(t("field.registered_on")): \(row.registeredLabel)", "\(t("field.deadline")): \(row.deadlineLabel)"].joined(separator: " · "))
                .font(.caption)
                .foregroundColor(.secondary)
            Text(row.statusLabel).foregroundColor(row.overdue ? .red : .primary)
            NavigationLink(value: Route.form(.application, row.id, nil, nil)) {
                Text(t("action.edit"))
            }
            if !row.decided {
                NavigationLink(value: Route.form(.decision, row.id, nil, nil)) {
                    Text(t("action.decide"))
                }
            }
        }
    }

    private func t(_ key: String) -> String {
        texts[key] ?? ""
    }
}
