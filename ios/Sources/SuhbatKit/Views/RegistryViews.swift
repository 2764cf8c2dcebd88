import SuhbatFFI
import SwiftUI

/// Catalog keys the registry views label their own fields and buttons with.
private let registryKeys = [
    "screen.registry", "field.book", "field.applicant", "field.address", "field.mahalla", "field.summary",
    "field.assignee", "field.registered_on", "field.deadline", "field.kind", "field.text", "field.decided_on",
    "hint.date", "registry.alphabetical", "registry.overdue_title", "registry.empty", "action.register_application",
    "action.decide", "action.save", "action.cancel",
]

/// The year shown first: the current one.
private func thisYear() -> Int32 {
    Int32(Calendar.current.component(.year, from: Date()))
}

/// The applications registry: pick a book (the core's choices) and a year, and see that book in
/// the core's number order; from here the alphabetical book, the overdue list and registering.
struct RegistryView: View {
    let repository: SuhbatRepository
    @StateObject private var books: ScreenModel<[Choice]>
    @State private var chosen = ""
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
    private func content(_ choices: [Choice]) -> some View {
        let book = chosen.isEmpty ? (choices.first?.value ?? "") : chosen
        VStack(alignment: .leading, spacing: 8) {
            Picker(t("field.book"), selection: Binding(get: { book }, set: { chosen = $0 })) {
                ForEach(choices, id: \.value) { choice in
                    Text(choice.label).tag(choice.value)
                }
            }
            .pickerStyle(.segmented)
            HStack {
                Button { year -= 1 } label: { Image(systemName: "chevron.left") }
                Text(String(year)).font(.headline)
                Button { year += 1 } label: { Image(systemName: "chevron.right") }
                Spacer()
                NavigationLink(value: Route.applicationForm(book)) {
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
        if !book.isEmpty {
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

    init(repository: SuhbatRepository, book: String, year: Int32, texts: [String: String]) {
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

/// Applications under their letters (none for a book); an undecided one opens the decision sheet.
struct ApplicationList: View {
    let repository: SuhbatRepository
    let title: String
    let groups: [AlphabetGroup]
    let emptyText: String
    let texts: [String: String]
    let refresh: () async -> Void
    @State private var deciding: RegistryRow?

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
                        ApplicationRowView(row: row, texts: texts) { deciding = row }
                    }
                }
            }
        }
        .refreshable { await refresh() }
        .sheet(isPresented: Binding(get: { deciding != nil }, set: { if !$0 { deciding = nil } })) {
            if let row = deciding {
                NavigationStack {
                    DecisionView(repository: repository, row: row, texts: texts) {
                        deciding = nil
                        Task { await refresh() }
                    }
                }
            }
        }
    }
}

/// One application: its number (with the provisional hint), applicant, dates and status.
struct ApplicationRowView: View {
    let row: RegistryRow
    let texts: [String: String]
    let decide: () -> Void

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
            if !row.decided {
                Button(t("action.decide"), action: decide).buttonStyle(.borderless)
            }
        }
    }

    private func t(_ key: String) -> String {
        texts[key] ?? ""
    }
}

/// Records the decision on an application: its kind (the core's choices), text and date.
struct DecisionView: View {
    let repository: SuhbatRepository
    let row: RegistryRow
    let texts: [String: String]
    let decided: () -> Void
    @StateObject private var model: ScreenModel<[Choice]>
    @State private var kind = ""
    @State private var text = ""
    @State private var decidedOn = ""
    @State private var failure: String?
    @State private var busy = false
    @Environment(\.dismiss) private var dismiss

    init(repository: SuhbatRepository, row: RegistryRow, texts: [String: String], decided: @escaping () -> Void) {
        self.repository = repository
        self.row = row
        self.texts = texts
        self.decided = decided
        _model = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.registryDecisions() } })
    }

    var body: some View {
        ScreenContent(model: model) { choices in
            List {
                Section(header: Text(row.applicant)) {
                    ChoicePicker(label: t("field.kind"), choices: choices, selection: $kind)
                    TextField(t("field.text"), text: $text, axis: .vertical).lineLimit(2...8)
                    DateTextField(label: t("field.decided_on"), hint: t("hint.date"), text: $decidedOn)
                }
                if let failure = failure {
                    ErrorText(message: failure)
                }
                Section {
                    Button(t("action.save")) { save() }.disabled(busy)
                    Button(t("action.cancel"), role: .cancel) { dismiss() }
                }
            }
        }
        .navigationTitle(row.numberLabel)
    }

    private func t(_ key: String) -> String {
        texts[key] ?? ""
    }

    private func save() {
        let (id, chosen, words, day) = (row.id, kind, text, decidedOn)
        busy = true
        Task { @MainActor in
            switch await repository.call({ try $0.decideApplication(applicationId: id, kind: chosen, text: words, decidedOn: day) }) {
            case .success:
                failure = nil
                decided()
            case .failure(let refused):
                failure = refused.message
            }
            busy = false
        }
    }
}

/// Registers an application; the core gives it a provisional number and checks it.
struct ApplicationFormView: View {
    let repository: SuhbatRepository
    @StateObject private var books: ScreenModel<[Choice]>
    @State private var book: String
    @State private var registeredOn = ""
    @State private var applicant = ""
    @State private var address = ""
    @State private var mahalla = ""
    @State private var summary = ""
    @State private var assignee = ""
    @State private var deadline = ""
    @State private var failure: String?
    @State private var busy = false
    @State private var texts: [String: String] = [:]
    @Environment(\.dismiss) private var dismiss

    init(repository: SuhbatRepository, book: String) {
        self.repository = repository
        _book = State(initialValue: book)
        _books = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.registryBooks() } })
    }

    var body: some View {
        ScreenContent(model: books) { choices in
            List {
                Section {
                    ChoicePicker(label: t("field.book"), choices: choices, selection: $book)
                    DateTextField(label: t("field.registered_on"), hint: t("hint.date"), text: $registeredOn)
                    TextField(t("field.applicant"), text: $applicant)
                    TextField(t("field.address"), text: $address)
                    TextField(t("field.mahalla"), text: $mahalla)
                    TextField(t("field.summary"), text: $summary, axis: .vertical).lineLimit(3...10)
                    TextField(t("field.assignee"), text: $assignee)
                    DateTextField(label: t("field.deadline"), hint: t("hint.date"), text: $deadline)
                }
                if let failure = failure {
                    ErrorText(message: failure)
                }
                Section {
                    Button(t("action.save")) { save() }.disabled(busy)
                    Button(t("action.cancel"), role: .cancel) { dismiss() }
                }
            }
            .navigationTitle(t("action.register_application"))
        }
        .task { texts = await repository.texts(registryKeys) }
    }

    private func t(_ key: String) -> String {
        texts[key] ?? ""
    }

    private func save() {
        let application = NewApplication(
            book: book,
            registeredOn: registeredOn,
            applicantKind: "",
            applicant: applicant,
            applicantAddress: address,
            mahalla: mahalla,
            summary: summary,
            assignee: assignee,
            deadline: deadline
        )
        busy = true
        Task { @MainActor in
            switch await repository.call({ try $0.registerApplication(application: application) }) {
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
