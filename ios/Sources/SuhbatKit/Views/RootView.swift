import SuhbatFFI
import SwiftUI

/// Where a tab's navigation stack can go.
enum Route: Hashable {
    case person(String)
    case personForm(String?)
    case conversationForm(String?, String?)
    case parentCase(String)
    case referrals
    case referral(String)
    case referralForm
    case registry
    case alphabeticalBook(Int32)
    case overdueApplications
    case applicationForm(String)
    case events
    case eventForm
}

/// A screen reached from the menu of every tab, with the catalog key of its label.
private struct MoreScreen: Hashable {
    let key: String
    let route: Route
}

/// The screens of the menu, in order.
private let moreScreens = [
    MoreScreen(key: "screen.referrals", route: .referrals),
    MoreScreen(key: "screen.registry", route: .registry),
    MoreScreen(key: "screen.events", route: .events),
]

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
            List {
                Section(footer: Text(app.text("setup.explain"))) {
                    TextField(app.text("setup.person"), text: $person)
                    TextField(app.text("field.mahalla"), text: $mahalla)
                }
                if let error = app.openError {
                    ErrorText(message: error)
                }
                Button(app.text("action.start")) {
                    let profile = DeviceProfile(
                        person: person.trimmingCharacters(in: .whitespaces),
                        role: .inspector,
                        scopes: [mahalla.trimmingCharacters(in: .whitespaces)]
                    )
                    Task { await app.open(profile: profile) }
                }
                .disabled(person.isEmpty || mahalla.isEmpty)
            }
            .navigationTitle(app.text("screen.setup"))
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
    @State private var texts: [String: String] = [:]

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
                                    more(item.screen)
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
        .task { texts = await repository.texts(moreScreens.map { $0.key }) }
    }

    /// The navigation stack of a tab.
    private func path(_ screen: Screen) -> Binding<NavigationPath> {
        Binding(get: { paths[screen] ?? NavigationPath() }, set: { paths[screen] = $0 })
    }

    /// The menu to the screens that have no tab: requests, registry, events.
    private func more(_ screen: Screen) -> some View {
        Menu {
            ForEach(moreScreens, id: \.self) { entry in
                Button(texts[entry.key] ?? "") {
                    paths[screen, default: NavigationPath()].append(entry.route)
                }
            }
        } label: {
            Image(systemName: "ellipsis.circle")
        }
    }

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
        }
    }

    @ViewBuilder
    private func destination(_ route: Route) -> some View {
        switch route {
        case .person(let id):
            PersonDetailView(repository: repository, personId: id)
        case .personForm(let id):
            FormScreen(repository: repository) { await repository.call { try $0.personForm(personId: id) } }
        case .conversationForm(let id, let personId):
            FormScreen(repository: repository) {
                await repository.call { try $0.conversationForm(conversationId: id, personId: personId) }
            }
        case .parentCase(let id):
            CaseView(repository: repository, caseId: id)
        case .referrals:
            ReferralsView(repository: repository)
        case .referral(let id):
            ReferralDetailView(repository: repository, referralId: id)
        case .referralForm:
            ReferralFormView(repository: repository)
        case .registry:
            RegistryView(repository: repository)
        case .alphabeticalBook(let year):
            AlphabeticalBookView(repository: repository, year: year)
        case .overdueApplications:
            OverdueApplicationsView(repository: repository)
        case .applicationForm(let book):
            ApplicationFormView(repository: repository, book: book)
        case .events:
            EventsView(repository: repository)
        case .eventForm:
            EventFormView(repository: repository)
        }
    }

    private func icon(_ screen: Screen) -> String {
        switch screen {
        case .worklist: return "checklist"
        case .persons: return "person.2"
        case .conflicts: return "exclamationmark.triangle"
        case .sync: return "arrow.triangle.2.circlepath"
        }
    }
}
