import SuhbatFFI
import SwiftUI

/// Where a tab's navigation stack can go.
enum Route: Hashable {
    /// A person's card.
    case person(String)
    /// A parent case.
    case parentCase(String)
    /// A screen of the core's navigation, opened from the menu.
    case open(Screen)
    /// One cooperation request.
    case referral(String)
    /// The alphabetical book of a year.
    case alphabeticalBook(Int32)
    /// Applications past their deadline.
    case overdueApplications
    /// The core's form of a kind: record (nil for a new one), item (a task, a follow-up `m1`,
    /// nil for the record or a new item), and the record a new one starts from (a person, a case).
    case form(FormKind, String?, String?, String?)
}

/// Opens the store (or sets it up at first start), then shows the app.
public struct RootView: View {
    @ObservedObject var app: AppModel

    /// The root of the app's window.
    public init(app: AppModel) {
        self.app = app
    }

    public var body: some View {
        if let repository = app.repository {
            MainView(app: app, repository: repository)
        } else if app.hasStore {
            if let error = app.openError {
                ErrorText(message: error)
            } else {
                ProgressView().task { await app.open(profile: nil) }
            }
        } else {
            SetupView(app: app)
        }
    }
}

/// First start: who uses this phone and in which mahalla.
struct SetupView: View {
    @ObservedObject var app: AppModel
    @State private var person = ""
    @State private var mahalla = ""

    var body: some View {
        NavigationStack {
            FormScaffold(
                title: app.text("screen.setup"),
                submitLabel: app.text("action.start"),
                errors: app.openError.map { [$0] } ?? [],
                canSubmit: !person.isEmpty && !mahalla.isEmpty,
                onSubmit: {
                    let profile = DeviceProfile(
                        person: person.trimmingCharacters(in: .whitespaces),
                        role: .inspector,
                        scopes: [mahalla.trimmingCharacters(in: .whitespaces)]
                    )
                    Task { await app.open(profile: profile) }
                },
                actions: { EmptyView() }
            ) {
                Section(footer: Text(app.text("setup.explain"))) {
                    TextField(app.text("setup.person"), text: $person)
                    TextField(app.text("field.mahalla"), text: $mahalla)
                }
            }
        }
    }
}

/// Tabs from the core's navigation view-model, each with its own navigation stack.
struct MainView: View {
    @ObservedObject var app: AppModel
    let repository: SuhbatRepository
    @StateObject private var navigation: ScreenModel<Navigation>
    @State private var tab: Screen = .worklist
    @State private var paths: [Screen: NavigationPath] = [:]

    init(app: AppModel, repository: SuhbatRepository) {
        self.app = app
        self.repository = repository
        _navigation = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.navigation() } })
    }

    var body: some View {
        ScreenContent(model: navigation) { nav in
            TabView(selection: $tab) {
                ForEach(nav.tabs, id: \.screen) { item in
                    NavigationStack(path: path(item.screen)) {
                        screen(item.screen)
                            .navigationTitle(item.label)
                            .toolbar {
                                ToolbarItem(placement: .navigationBarLeading) {
                                    more(item.screen, nav)
                                }
                            }
                            .navigationDestination(for: Route.self) { route in
                                destination(route)
                            }
                    }
                    .tabItem { Label(item.label, systemImage: icon(item.screen)) }
                    .badge(Int(item.badge ?? 0))
                    .tag(item.screen)
                }
            }
        }
        .onChange(of: tab) { _ in
            Task { await navigation.refresh() }
        }
    }

    /// The navigation stack of a tab.
    private func path(_ screen: Screen) -> Binding<NavigationPath> {
        Binding(get: { paths[screen] ?? NavigationPath() }, set: { paths[screen] = $0 })
    }

    /// The menu the core gives this role: its other screens, then the records it may start.
    private func more(_ screen: Screen, _ nav: Navigation) -> some View {
        Menu {
            ForEach(nav.menu, id: \.screen) { entry in
                Button(entry.label) {
                    paths[screen, default: NavigationPath()].append(Route.open(entry.screen))
                }
            }
            ForEach(nav.newRecords, id: \.kind) { action in
                Button(action.label) {
                    paths[screen, default: NavigationPath()].append(Route.form(action.kind, nil, nil, nil))
                }
            }
        } label: {
            Image(systemName: "ellipsis.circle")
        }
    }

    /// The view of each of the core's screens, by name.
    @ViewBuilder
    private func screen(_ screen: Screen) -> some View {
        switch screen {
        case .worklist:
            WorklistView(repository: repository)
        case .persons:
            PersonsView(repository: repository)
        case .conflicts:
            ConflictsView(repository: repository)
        case .sync:
            SyncView(app: app, repository: repository)
        case .referrals:
            ReferralsView(repository: repository)
        case .registry:
            RegistryView(repository: repository)
        case .events:
            EventsView(repository: repository)
        case .parentCases:
            ParentCasesView(repository: repository)
        case .effectiveness, .districtReport, .trends:
            ReportView(repository: repository, screen: screen)
        case .riskWeights:
            RiskWeightsView(repository: repository)
        case .duplicates:
            DuplicatesView(repository: repository)
        case .keptAside:
            KeptAsideView(repository: repository)
        case .exchange:
            ExchangeView(repository: repository)
        }
    }

    @ViewBuilder
    private func destination(_ route: Route) -> some View {
        switch route {
        case .person(let id):
            PersonDetailView(repository: repository, personId: id)
        case .parentCase(let id):
            CaseView(repository: repository, caseId: id)
        case .open(let shown):
            screen(shown)
        case .referral(let id):
            ReferralDetailView(repository: repository, referralId: id)
        case .alphabeticalBook(let year):
            AlphabeticalBookView(repository: repository, year: year)
        case .overdueApplications:
            OverdueApplicationsView(repository: repository)
        case .form(let kind, let recordId, let itemId, let about):
            FormScreen(repository: repository) {
                await repository.call { try $0.form(kind: kind, recordId: recordId, itemId: itemId, about: about) }
            }
        }
    }

    private func icon(_ screen: Screen) -> String {
        switch screen {
        case .worklist: return "checklist"
        case .persons: return "person.2"
        case .duplicates: return "person.2.square.stack"
        case .conflicts, .keptAside: return "exclamationmark.triangle"
        case .sync, .exchange: return "arrow.triangle.2.circlepath"
        case .parentCases: return "figure.2.and.child.holdinghands"
        case .referrals: return "paperplane"
        case .registry: return "books.vertical"
        case .events: return "calendar"
        case .effectiveness, .districtReport, .trends: return "chart.bar"
        case .riskWeights: return "slider.horizontal.3"
        }
    }
}
