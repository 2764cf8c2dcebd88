import SuhbatFFI
import SwiftUI

/// Today's worklist as the core orders it; a row opens its person or case.
struct WorklistView: View {
    let repository: SuhbatRepository
    @StateObject private var model: ScreenModel<Worklist>

    init(repository: SuhbatRepository) {
        self.repository = repository
        _model = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.worklist() } })
    }

    var body: some View {
        ScreenContent(model: model) { list in
            List {
                Section(header: Text(list.summary)) {
                    if list.items.isEmpty {
                        Text(list.emptyText)
                    }
                    ForEach(list.items, id: \.self) { item in
                        NavigationLink(value: route(item)) {
                            WorkRow(item: item)
                        }
                        .swipeActions {
                            if item.canComplete, let itemId = item.itemId {
                                Button(list.completeLabel) {
                                    Task { await model.act { await repository.call { try $0.completeWorkItem(recordId: item.recordId, itemId: itemId) } } }
                                }
                                .tint(.green)
                            }
                        }
                    }
                }
            }
            .refreshable { await model.refresh() }
        }
    }

    /// Where a row leads; nil when the app has no screen for it yet (requests, applications
    /// without a person): `NavigationLink(value:)` then shows the row without a destination.
    private func route(_ item: WorkItem) -> Route? {
        switch item.kind {
        case .sevenTask:
            return .parentCase(item.recordId)
        case .followUp, .agreedAction, .effectivenessCheck:
            if let person = item.personId {
                return .person(person)
            }
            return .conversationForm(item.recordId, nil)
        case .requestToAnswer, .requestOverdue, .requestEscalated, .requestToClose, .applicationDeadline:
            return item.personId.map { Route.person($0) }
        }
    }
}

/// One worklist row: urgency, who, why, what.
struct WorkRow: View {
    let item: WorkItem

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                Tag(text: item.urgencyLabel)
                Text(item.dueLabel).font(.caption)
            }
            Text(item.title).font(.headline)
            Text(item.reason).foregroundColor(item.urgency == .overdue ? .red : .primary)
            Text(item.detail).font(.subheadline).foregroundColor(.secondary)
            if !item.riskReasons.isEmpty {
                Text(item.riskReasons.joined(separator: " · ")).font(.caption).foregroundColor(.secondary)
            }
        }
    }
}
