import SuhbatFFI
import SwiftUI

/// The parent cases this device holds, filtered by stage and mahalla, each with its nearest task
/// date, its open tasks and the user's own tasks (on a seven member's phone: hers).
struct ParentCasesView: View {
    let repository: SuhbatRepository
    @State private var stage: SaraStage?
    @State private var mahalla = ""

    var body: some View {
        ParentCaseListBody(repository: repository, stage: $stage, mahalla: $mahalla)
            .id("\(String(describing: stage))/\(mahalla)")
    }
}

/// The list for one pair of filters (a new one is made when a filter changes).
private struct ParentCaseListBody: View {
    let repository: SuhbatRepository
    @Binding var stage: SaraStage?
    @Binding var mahalla: String
    @StateObject private var model: ScreenModel<ParentCaseList>

    init(repository: SuhbatRepository, stage: Binding<SaraStage?>, mahalla: Binding<String>) {
        self.repository = repository
        _stage = stage
        _mahalla = mahalla
        let (chosenStage, chosenMahalla) = (stage.wrappedValue, mahalla.wrappedValue)
        _model = StateObject(wrappedValue: ScreenModel {
            await repository.call { try $0.parentCaseList(stage: chosenStage, mahalla: chosenMahalla.isEmpty ? nil : chosenMahalla) }
        })
    }

    var body: some View {
        ScreenContent(model: model) { list in
            List {
                Section {
                    Picker(list.stageLabel, selection: $stage) {
                        Text(list.anyLabel).tag(SaraStage?.none)
                        ForEach(list.stageChoices, id: \.stage) { choice in
                            Text(choice.label).tag(Optional(choice.stage))
                        }
                    }
                    if list.mahallaChoices.count > 1 {
                        Picker(list.mahallaLabel, selection: $mahalla) {
                            Text(list.anyLabel).tag("")
                            ForEach(list.mahallaChoices, id: \.value) { choice in
                                Text(choice.label).tag(choice.value)
                            }
                        }
                    }
                }
                Section {
                    if list.rows.isEmpty {
                        Text(list.emptyText)
                    }
                    ForEach(list.rows, id: \.id) { row in
                        NavigationLink(value: Route.parentCase(row.id)) {
                            ParentCaseRowView(row: row, myTasksTitle: list.myTasksTitle)
                        }
                    }
                }
            }
            .refreshable { await model.refresh() }
            .navigationTitle(list.title)
        }
    }
}

/// One case in the list: stage, guardians, mahalla, open tasks, nearest date, the user's tasks.
struct ParentCaseRowView: View {
    let row: ParentCaseRow
    let myTasksTitle: String

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                Tag(text: row.stageLabel)
                if !row.isOpen {
                    Tag(text: row.statusLabel)
                }
                ConflictMark(count: row.conflicts)
            }
            Text(row.title).font(.headline)
            Text("\(row.mahalla) · \(row.openTasksLabel)").font(.subheadline)
            if !row.dueLabel.isEmpty {
                Text(row.dueLabel).font(.caption).foregroundColor(row.overdue ? .red : .secondary)
            }
            if !row.myTasks.isEmpty {
                Text(myTasksTitle).font(.caption.bold())
                ForEach(row.myTasks, id: \.id) { task in
                    Text("\(task.task) · \(task.dueLabel)").font(.caption).foregroundColor(task.overdue ? .red : .primary)
                }
            }
        }
    }
}
