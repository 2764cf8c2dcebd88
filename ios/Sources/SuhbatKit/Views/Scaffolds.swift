import SuhbatFFI
import SwiftUI

/// A screen of one core view-model: loads it (from `load`, or the model given), owns it while
/// shown and renders it with `content`, which also gets the model to forward actions to.
struct Loaded<T, Content: View>: View {
    @StateObject private var model: ScreenModel<T>
    let content: (ScreenModel<T>, T) -> Content

    /// The view-model `load` computes from the open store.
    init(_ repository: SuhbatRepository, load: @escaping (Suhbat) throws -> T, @ViewBuilder content: @escaping (ScreenModel<T>, T) -> Content) {
        _model = StateObject(wrappedValue: ScreenModel { await repository.call(load) })
        self.content = content
    }

    /// A view-model held elsewhere (a search that reloads it).
    init(model: ScreenModel<T>, @ViewBuilder content: @escaping (ScreenModel<T>, T) -> Content) {
        _model = StateObject(wrappedValue: model)
        self.content = content
    }

    var body: some View {
        ScreenContent(model: model) { value in content(model, value) }
    }
}

/// How a list screen lays out its view-model: the rows, their ids, the empty text, the header
/// above them (title, explanation, buttons) and where tapping a row leads.
struct ListLayout<T, Item, Header: View> {
    let rows: (T) -> [Item]
    let rowID: (Item) -> AnyHashable
    let empty: (T) -> String
    @ViewBuilder let header: (T) -> Header
    var destination: ((Item) -> Route?)?
}

/// The one list screen: the core's view-model laid out by `layout`, each row drawn by `row`
/// (given the model, to forward actions, and the view-model), pull-to-refresh. A new list
/// screen is its view-model call and how one row looks.
struct ListScreen<T, Item, Header: View, Row: View>: View {
    private let loaded: Loaded<T, ListBody<T, Item, Header, Row>>

    /// A list of the view-model `load` computes from the open store.
    init(_ repository: SuhbatRepository, load: @escaping (Suhbat) throws -> T, layout: ListLayout<T, Item, Header>, @ViewBuilder row: @escaping (ScreenModel<T>, T, Item) -> Row) {
        loaded = Loaded(repository, load: load) { model, value in ListBody(model: model, value: value, layout: layout, row: row) }
    }

    /// A list of a view-model held elsewhere (a search that reloads it).
    init(model: ScreenModel<T>, layout: ListLayout<T, Item, Header>, @ViewBuilder row: @escaping (ScreenModel<T>, T, Item) -> Row) {
        loaded = Loaded(model: model) { model, value in ListBody(model: model, value: value, layout: layout, row: row) }
    }

    var body: some View {
        loaded
    }
}

/// The rows of a loaded list.
struct ListBody<T, Item, Header: View, Row: View>: View {
    @ObservedObject var model: ScreenModel<T>
    let value: T
    let layout: ListLayout<T, Item, Header>
    let row: (ScreenModel<T>, T, Item) -> Row

    var body: some View {
        List {
            Section(header: layout.header(value)) {
                if layout.rows(value).isEmpty {
                    Text(layout.empty(value))
                }
                ForEach(layout.rows(value).map { Keyed(id: layout.rowID($0), item: $0) }) { keyed in
                    if let route = layout.destination?(keyed.item) {
                        NavigationLink(value: route) { VStack(alignment: .leading, spacing: 4) { row(model, value, keyed.item) } }
                    } else {
                        VStack(alignment: .leading, spacing: 4) { row(model, value, keyed.item) }
                    }
                }
            }
        }
        .refreshable { await model.refresh() }
    }
}

/// A row with the id the list knows it by.
private struct Keyed<Item>: Identifiable {
    let id: AnyHashable
    let item: Item
}

/// A list's title and, when there is one, the sentence under it.
struct ListTitle: View {
    let title: String
    var subtitle: String = ""

    var body: some View {
        VStack(alignment: .leading, spacing: 2) {
            if !title.isEmpty {
                Text(title).font(.headline)
            }
            if !subtitle.isEmpty {
                Text(subtitle).font(.caption)
            }
        }
        .textCase(nil)
    }
}

/// A row's tags (urgency, kind) beside a small label (a date).
struct TagLine: View {
    let tags: [String]
    var label: String = ""

    var body: some View {
        HStack {
            ForEach(tags.filter { !$0.isEmpty }, id: \.self) { tag in
                Tag(text: tag)
            }
            if !label.isEmpty {
                Text(label).font(.caption)
            }
        }
    }
}

/// The one form screen: a title, the fields, the core's errors and a submit button (enabled
/// while `canSubmit`), with further buttons beside it. The core's generic form, setup and the
/// exchange stand on it.
struct FormScaffold<Fields: View, Actions: View>: View {
    let title: String
    let submitLabel: String
    var errors: [String] = []
    var canSubmit = true
    let onSubmit: () -> Void
    @ViewBuilder let actions: () -> Actions
    @ViewBuilder let fields: () -> Fields

    var body: some View {
        Form {
            fields()
            ForEach(errors, id: \.self) { error in
                ErrorText(message: error)
            }
            Section {
                Button(submitLabel, action: onSubmit).disabled(!canSubmit)
                actions()
            }
        }
        .navigationTitle(title)
    }
}
