import SuhbatFFI
import SwiftUI

/// The editor of one form field, chosen by the field's kind.
struct FieldEditor: View {
    let field: FormField
    let form: SuhbatFFI.Form
    @ObservedObject var model: FormModel
    let repository: SuhbatRepository

    private var label: String {
        field.required ? "\(field.label) *" : field.label
    }

    private var value: Binding<String> {
        Binding(get: { field.value }, set: { model.setValue(field.key, $0) })
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            switch field.kind {
            case .text, .date, .dateTime, .location:
                TextField(label, text: value)
                if !field.hint.isEmpty {
                    Text(field.hint).font(.caption).foregroundColor(.secondary)
                }
            case .longText:
                TextField(label, text: value, axis: .vertical).lineLimit(3...10)
            case .choice:
                Picker(label, selection: value) {
                    ForEach(field.choices, id: \.value) { choice in
                        Text(choice.label).tag(choice.value)
                    }
                }
            case .multiChoice:
                Text(label).font(.subheadline)
                ForEach(field.choices, id: \.value) { choice in
                    Toggle(choice.label, isOn: Binding(
                        get: { field.selected.contains(choice.value) },
                        set: { _ in model.toggle(field.key, choice.value) }
                    ))
                }
            case .tags, .persons:
                ChipsEditor(field: field, label: label, addLabel: form.addItemLabel, model: model, repository: repository)
            case .items:
                ItemsEditor(field: field, label: label, form: form, model: model)
            }
            if let error = field.error {
                Text(error).font(.caption).foregroundColor(.red)
            }
        }
    }
}

/// Free words, or persons found through the core's search.
struct ChipsEditor: View {
    let field: FormField
    let label: String
    let addLabel: String
    @ObservedObject var model: FormModel
    let repository: SuhbatRepository
    @State private var typed = ""
    @State private var found: [PersonRow] = []

    var body: some View {
        Text(label).font(.subheadline)
        ForEach(field.selected, id: \.self) { value in
            HStack {
                Text(field.choices.first(where: { $0.value == value })?.label ?? value)
                Spacer()
                Button(role: .destructive) {
                    model.toggle(field.key, value)
                } label: {
                    Image(systemName: "xmark.circle")
                }
            }
        }
        HStack {
            TextField(addLabel, text: $typed)
                .onChange(of: typed) { text in
                    guard field.kind == .persons else { return }
                    Task {
                        let result = await repository.call { try $0.personList(query: text) }
                        if case .success(let list) = result {
                            found = Array(list.rows.prefix(5))
                        }
                    }
                }
            if field.kind == .tags {
                Button(addLabel) {
                    model.add(field.key, typed)
                    typed = ""
                }
            }
        }
        ForEach(found, id: \.id) { row in
            Button(row.name) {
                model.add(field.key, row.id, label: row.name)
                typed = ""
                found = []
            }
        }
    }
}

/// Agreed actions (text, due date, done) or participants (name and role).
struct ItemsEditor: View {
    let field: FormField
    let label: String
    let form: SuhbatFFI.Form
    @ObservedObject var model: FormModel

    var body: some View {
        Text(label).font(.subheadline)
        ForEach(Array(field.items.enumerated()), id: \.offset) { index, item in
            VStack(alignment: .leading) {
                TextField(field.itemTextLabel, text: Binding(
                    get: { item.text },
                    set: { text in edit(index, item) { $0.text = text } }
                ))
                if !field.choices.isEmpty {
                    Picker(field.label, selection: Binding(
                        get: { item.choice },
                        set: { choice in edit(index, item) { $0.choice = choice } }
                    )) {
                        ForEach(field.choices, id: \.value) { choice in
                            Text(choice.label).tag(choice.value)
                        }
                    }
                }
                if !field.itemDateLabel.isEmpty {
                    TextField(field.itemDateLabel, text: Binding(
                        get: { item.date },
                        set: { date in edit(index, item) { $0.date = date } }
                    ))
                }
                if !field.itemDoneLabel.isEmpty {
                    Toggle(field.itemDoneLabel, isOn: Binding(
                        get: { item.done },
                        set: { done in edit(index, item) { $0.done = done } }
                    ))
                }
                Button(form.removeItemLabel, role: .destructive) {
                    model.removeItem(field.key, index)
                }
            }
        }
        Button(form.addItemLabel) {
            model.addItem(field.key)
        }
    }

    /// Replaces item `index` with a copy of `item` changed by `change`.
    private func edit(_ index: Int, _ item: FormItem, _ change: (inout FormItem) -> Void) {
        var copy = item
        change(&copy)
        model.setItem(field.key, index, copy)
    }
}
