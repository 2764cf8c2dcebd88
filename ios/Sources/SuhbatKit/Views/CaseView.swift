import SuhbatFFI
import SwiftUI

/// A parent case: SARA stages, the seven's tasks and notes; every change goes to the core.
struct CaseView: View {
    let repository: SuhbatRepository
    let caseId: String
    @StateObject private var model: ScreenModel<ParentCaseView>
    @State private var backReason = ""
    @State private var texts: [String: String] = [:]
    /// Texts being edited, each with the case version it was started on: a sync that reloads
    /// the case neither discards a draft nor lets its save overwrite what the sync brought.
    @State private var drafts: [String: (text: String, version: String)] = [:]

    init(repository: SuhbatRepository, caseId: String) {
        self.repository = repository
        self.caseId = caseId
        _model = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.parentCase(caseId: caseId) } })
    }

    var body: some View {
        ScreenContent(model: model) { view in
            List {
                Section {
                    Text(view.heading).font(.title3)
                    Text(view.subtitle).font(.caption)
                    HStack {
                        Tag(text: view.statusLabel)
                        Tag(text: view.stageLabel)
                    }
                    NavigationLink(value: Route.form(.parentCase, caseId, nil, nil)) {
                        Text(texts["action.edit"] ?? "")
                    }
                    NavigationLink(value: Route.form(.referral, nil, nil, caseId)) {
                        Text(texts["action.new_referral"] ?? "")
                    }
                }
                Section(header: Text(view.stageTitle)) {
                    ForEach(view.stages, id: \.key) { stage in
                        VStack(alignment: .leading) {
                            Text(stage.label).font(stage.isCurrent ? .headline : .subheadline)
                            if stage.isCurrent {
                                editable(key: stage.key, current: stage.content, version: view.version, saveLabel: view.saveLabel)
                            } else if !stage.content.isEmpty {
                                Text(stage.content).foregroundColor(.secondary)
                            }
                        }
                    }
                    if let next = view.nextStage, view.isOpen {
                        Button(view.advanceLabel) {
                            act { try $0.setCaseStage(caseId: caseId, stage: next.stage, reason: "") }
                        }
                    }
                    if let previous = view.previousStage, view.isOpen {
                        // Moving back needs a reason; the core refuses a blank one with a translated message.
                        TextField(view.backReasonLabel, text: $backReason)
                        Button(view.backLabel) {
                            let reason = backReason
                            act { try $0.setCaseStage(caseId: caseId, stage: previous.stage, reason: reason) }
                        }
                    }
                }
                Section(header: Text(title(view, 0))) {
                    Text(view.concern)
                    if !view.assistance.isEmpty {
                        Text(view.assistance.joined(separator: " · ")).font(.caption)
                    }
                }
                Section(header: Text(title(view, 1))) {
                    ForEach(Array(view.guardians.enumerated()), id: \.offset) { _, row in
                        Text("\(row.value) (\(row.label))")
                    }
                }
                Section(header: Text(title(view, 2))) {
                    ForEach(Array(view.children.enumerated()), id: \.offset) { _, row in
                        VStack(alignment: .leading) {
                            Text(row.label)
                            Text(row.value).font(.caption)
                        }
                    }
                }
                Section(header: Text(title(view, 3))) {
                    if view.tasks.isEmpty {
                        Text(view.noTasksText)
                    }
                    ForEach(view.tasks, id: \.id) { item in
                        HStack {
                            Toggle(isOn: Binding(
                                get: { item.done },
                                set: { done in act { try $0.setCaseTaskDone(caseId: caseId, taskId: item.id, done: done) } }
                            )) {
                                EmptyView()
                            }
                            .labelsHidden()
                            // The task itself opens in the core's task form.
                            NavigationLink(value: Route.form(.sevenTask, caseId, item.id, nil)) {
                                VStack(alignment: .leading) {
                                    Text(item.task)
                                    Text([item.roleLabel, item.dueLabel].filter { !$0.isEmpty }.joined(separator: " · "))
                                        .font(.caption)
                                        .foregroundColor(item.overdue ? .red : .secondary)
                                }
                            }
                        }
                    }
                    NavigationLink(value: Route.form(.sevenTask, caseId, nil, nil)) {
                        Text(view.addTaskLabel)
                    }
                }
                Section(header: Text(title(view, 4))) {
                    editable(key: "notes", current: view.notes, version: view.version, saveLabel: view.saveLabel)
                }
                if !view.outcome.isEmpty {
                    Section(header: Text(title(view, 5))) {
                        Text(view.outcome)
                    }
                }
            }
        }
        .task { texts = await repository.texts(["action.edit", "action.new_referral"]) }
    }

    private func title(_ view: ParentCaseView, _ index: Int) -> String {
        view.sectionTitles.indices.contains(index) ? view.sectionTitles[index] : ""
    }

    private func act(_ body: @escaping (Suhbat) throws -> Void) {
        Task { await model.act { await repository.call(body) } }
    }

    /// A case text edited in place and saved when changed.
    @ViewBuilder
    private func editable(key: String, current: String, version: String, saveLabel: String) -> some View {
        let text = Binding(
            get: { drafts[key]?.text ?? current },
            set: { drafts[key] = (text: $0, version: drafts[key]?.version ?? version) }
        )
        TextField("", text: text, axis: .vertical).lineLimit(2...8)
        if let draft = drafts[key], draft.text != current {
            Button(saveLabel) {
                drafts[key] = nil
                act { try $0.setCaseText(caseId: caseId, field: key, value: draft.text, version: draft.version) }
            }
        }
    }
}
