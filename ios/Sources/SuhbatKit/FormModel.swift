import Foundation
import SuhbatFFI

/// A form being edited: the core's form with the values typed so far. Saving sends every
/// field back; the core parses, checks the rules and returns the form with each broken rule
/// on its field. Nothing is validated here.
public final class FormModel: ObservableObject {
    /// The value of a ticked yes/no field (the core's wire value).
    public static let flagTrue = "true"
    /// The value of an unticked yes/no field.
    public static let flagFalse = "false"
    /// The form to render, with the user's edits.
    @Published public private(set) var form: SuhbatFFI.Form
    /// "Saved", "Please correct the errors", or why saving failed.
    @Published public private(set) var message: String?
    private let repository: SuhbatRepository

    /// Edits `form` through `repository`.
    public init(form: SuhbatFFI.Form, repository: SuhbatRepository) {
        self.form = form
        self.repository = repository
    }

    private func update(_ key: String, _ change: (inout FormField) -> Void) {
        guard let index = form.fields.firstIndex(where: { $0.key == key }) else { return }
        change(&form.fields[index])
    }

    /// Sets the text, date, date-time, choice or location value of a field.
    public func setValue(_ key: String, _ value: String) {
        update(key) { $0.value = value }
    }

    /// Which record the form edits (empty for a new one).
    public var recordId: String { form.recordId }

    /// Which part of the record the form edits (a task, a follow-up), or empty.
    public var itemId: String { form.itemId }

    /// Ticks or unticks a yes/no field.
    public func setFlag(_ key: String, _ on: Bool) {
        setValue(key, on ? Self.flagTrue : Self.flagFalse)
    }

    /// Sets a one-record link field (a person, a parent case) to `choice`, keeping its label.
    public func pick(_ key: String, _ choice: Choice) {
        update(key) { field in
            field.value = choice.value
            field.choices.removeAll { $0.value == choice.value }
            field.choices.append(choice)
        }
    }

    /// Adds or removes one value of a multi-value field.
    public func toggle(_ key: String, _ value: String) {
        update(key) { field in
            if let at = field.selected.firstIndex(of: value) {
                field.selected.remove(at: at)
            } else {
                field.selected.append(value)
            }
        }
    }

    /// Adds a value to a multi-value field (a tag, a person), with its label.
    public func add(_ key: String, _ value: String, label: String? = nil) {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        update(key) { field in
            guard !trimmed.isEmpty, !field.selected.contains(trimmed) else { return }
            field.selected.append(trimmed)
            field.choices.append(Choice(value: trimmed, label: label ?? trimmed))
        }
    }

    /// Appends an empty item to an items field.
    public func addItem(_ key: String) {
        update(key) { $0.items.append(FormItem(id: "", text: "", detail: "", date: "", choice: "", done: false)) }
    }

    /// Replaces the item at `index` of an items field.
    public func setItem(_ key: String, _ index: Int, _ item: FormItem) {
        update(key) { field in
            if field.items.indices.contains(index) { field.items[index] = item }
        }
    }

    /// Removes the item at `index` of an items field.
    public func removeItem(_ key: String, _ index: Int) {
        update(key) { field in
            if field.items.indices.contains(index) { field.items.remove(at: index) }
        }
    }

    /// Every field's current value, as the core expects it back.
    public func inputs() -> [FieldInput] {
        form.fields.map { FieldInput(key: $0.key, value: $0.value, selected: $0.selected, items: $0.items) }
    }

    /// Saves through the core; returns true when stored.
    @MainActor
    public func submit() async -> Bool {
        let current = form
        let values = inputs()
        switch await repository.call({ try $0.submitForm(kind: current.kind, recordId: current.recordId, itemId: current.itemId, version: current.version, values: values) }) {
        case .success(let result):
            form = result.form
            message = result.message
            return result.saved
        case .failure(let failure):
            message = failure.message
            return false
        }
    }
}
