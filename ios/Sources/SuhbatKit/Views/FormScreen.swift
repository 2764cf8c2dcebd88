import SuhbatFFI
import SwiftUI

/// Any form of the core (person, conversation): loads it, then edits and saves it.
struct FormScreen: View {
    let repository: SuhbatRepository
    @StateObject private var model: ScreenModel<SuhbatFFI.Form>

    init(repository: SuhbatRepository, load: @escaping () async -> Result<SuhbatFFI.Form, CoreFailure>) {
        self.repository = repository
        _model = StateObject(wrappedValue: ScreenModel(load: load))
    }

    var body: some View {
        ScreenContent(model: model) { form in
            FormEditor(model: FormModel(form: form, repository: repository), repository: repository)
        }
    }
}

/// One editor per field kind, with the core's labels, hints and error messages. Saving
/// sends every value back; the core checks the rules.
struct FormEditor: View {
    @StateObject var model: FormModel
    let repository: SuhbatRepository
    @Environment(\.dismiss) private var dismiss

    init(model: FormModel, repository: SuhbatRepository) {
        _model = StateObject(wrappedValue: model)
        self.repository = repository
    }

    var body: some View {
        let form = model.form
        FormScaffold(
            title: form.title,
            submitLabel: form.saveLabel,
            errors: form.errors,
            onSubmit: {
                Task {
                    if await model.submit() {
                        dismiss()
                    }
                }
            },
            actions: { Button(form.cancelLabel, role: .cancel) { dismiss() } }
        ) {
            if let message = model.message {
                Text(message).font(.headline)
            }
            ForEach(sections(form), id: \.self) { section in
                Section(header: Text(section)) {
                    ForEach(form.fields.filter { $0.section == section }, id: \.key) { field in
                        FieldEditor(field: field, form: form, model: model, repository: repository)
                    }
                }
            }
        }
    }

    private func sections(_ form: SuhbatFFI.Form) -> [String] {
        var seen: [String] = []
        for field in form.fields where !seen.contains(field.section) {
            seen.append(field.section)
        }
        return seen
    }
}
