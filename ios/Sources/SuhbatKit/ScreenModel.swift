import Foundation
import SuhbatFFI

/// What a screen shows: loading, the core's view-model, or the core's error message.
public enum UiState<T> {
    /// The first view-model is being computed.
    case loading
    /// The view-model to render.
    case ready(T)
    /// A call failed with this message.
    case failed(String)
}

/// Holds one screen's view-model: loads it from the core, reloads it after every user action
/// and keeps the message of an action the core refused (state changes on the main actor).
/// Views render `state`; they compute nothing themselves.
public final class ScreenModel<T>: ObservableObject {
    /// The view-model to render.
    @Published public private(set) var state: UiState<T> = .loading
    /// Why the last action was refused, until the next action.
    @Published public private(set) var actionError: String?
    private let load: () async -> Result<T, CoreFailure>

    /// A screen whose view-model comes from `load`.
    public init(load: @escaping () async -> Result<T, CoreFailure>) {
        self.load = load
    }

    /// Loads the view-model again.
    @MainActor
    public func refresh() async {
        switch await load() {
        case .success(let value):
            state = .ready(value)
        case .failure(let failure):
            state = .failed(failure.message)
        }
    }

    /// Forwards a user action to the core, then reloads the screen.
    @MainActor
    public func act<U>(_ action: @escaping () async -> Result<U, CoreFailure>) async {
        switch await action() {
        case .success:
            actionError = nil
        case .failure(let failure):
            actionError = failure.message
        }
        await refresh()
    }
}

/// The person search screen: the query typed so far and the core's list for it.
public final class PersonSearch: ObservableObject {
    /// The list for the current query.
    public let list: ScreenModel<PersonList>
    private let query: QueryBox

    /// A search over `repository`.
    public init(repository: SuhbatRepository) {
        let box = QueryBox()
        query = box
        list = ScreenModel {
            let text = box.text
            return await repository.call { try $0.personList(query: text) }
        }
    }

    /// Searches again for `text` (script-insensitive, in the core).
    @MainActor
    public func search(_ text: String) async {
        query.text = text
        await list.refresh()
    }
}

/// The text searched for, read when the list loads.
private final class QueryBox {
    var text = ""
}
