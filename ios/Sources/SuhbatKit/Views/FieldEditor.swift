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
            case .text, .date, .dateTime, .location, .number:
                TextField(label, text: value)
                    .keyboardType(field.kind == .number ? .numberPad : .default)
                if !field.hint.isEmpty {
                    Text(field.hint).font(.caption).foregroundColor(.secondary)
                }
            case .flag:
                Toggle(label, isOn: Binding(
                    get: { field.value == FormModel.flagTrue },
                    set: { model.setFlag(field.key, $0) }
                ))
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
            case .tags, .persons, .cases, .person, .`case`:
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

/// Free words (tags), or records the core offers for the typed words through `linkChoices`:
/// several persons or parent cases, or one (a person or case field, kept in its value).
struct ChipsEditor: View {
    let field: FormField
    let label: String
    let addLabel: String
    @ObservedObject var model: FormModel
    let repository: SuhbatRepository
    @State private var typed = ""
    @State private var found: [Choice] = []

    private var single: Bool {
        field.kind == .person || field.kind == .`case`
    }

    private var picked: [String] {
        single ? [field.value].filter { !$0.isEmpty } : field.selected
    }

    var body: some View {
        Text(label).font(.subheadline)
        ForEach(picked, id: \.self) { value in
            HStack {
                Text(field.choices.first(where: { $0.value == value })?.label ?? value)
                Spacer()
                Button(role: .destructive) {
                    if single {
                        model.setValue(field.key, "")
                    } else {
                        model.toggle(field.key, value)
                    }
                } label: {
                    Image(systemName: "xmark.circle")
                }
            }
        }
        HStack {
            TextField(addLabel, text: $typed)
                .onChange(of: typed) { text in
                    guard field.kind != .tags else { return }
                    let kind = field.kind
                    Task {
                        let result = await repository.call { try $0.linkChoices(field: kind, query: text) }
                        if case .success(let choices) = result {
                            found = Array(choices.prefix(5))
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
        ForEach(found, id: \.value) { choice in
            Button(choice.label) {
                if single {
                    model.pick(field.key, choice)
                } else {
                    model.add(field.key, choice.value, label: choice.label)
                }
                typed = ""
                found = []
            }
        }
    }
}

/// Items of a list field: agreed actions (text, due date, done), participants (name and role),
/// family members (name, relation).
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
                line(field.itemDetailLabel, index, item, \.detail)
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
                line(field.itemDateLabel, index, item, \.date)
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

    /// One line of an item (its second line, its date), shown only when the field labels it.
    @ViewBuilder
    private func line(_ label: String, _ index: Int, _ item: FormItem, _ part: WritableKeyPath<FormItem, String>) -> some View {
        if !label.isEmpty {
            TextField(label, text: Binding(
                get: { item[keyPath: part] },
                set: { value in edit(index, item) { $0[keyPath: part] = value } }
            ))
        }
    }

    /// Replaces item `index` with a copy of `item` changed by `change`.
    private func edit(_ index: Int, _ item: FormItem, _ change: (inout FormItem) -> Void) {
        var copy = item
        change(&copy)
        model.setItem(field.key, index, copy)
    }
}
