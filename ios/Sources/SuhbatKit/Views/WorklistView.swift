import SuhbatFFI
import SwiftUI

/// Today's worklist as the core orders it; a row opens its person or case.
struct WorklistView: View {
    let repository: SuhbatRepository

    var body: some View {
        ListScreen(repository, load: { try $0.worklist() }, layout: ListLayout(
            rows: { $0.items }, rowID: { "\($0.recordId)/\($0.itemId ?? "")/\($0.personId ?? "")" }, empty: { $0.emptyText },
            header: { ListTitle(title: $0.summary) },
            destination: route
        )) { model, list, item in
            WorkRow(item: item)
            if item.canComplete, let itemId = item.itemId {
                Button(list.completeLabel) {
                    Task { await model.act { await repository.call { try $0.completeWorkItem(recordId: item.recordId, itemId: itemId) } } }
                }
                .buttonStyle(.borderless)
            }
        }
    }

    /// Where a row leads.
    private func route(_ item: WorkItem) -> Route? {
        switch item.kind {
        case .sevenTask:
            return .parentCase(item.recordId)
        case .effectivenessCheck:
            return .form(.followUp, item.recordId, item.itemId, nil)
        case .followUp, .agreedAction:
            if let person = item.personId {
                return .person(person)
            }
            return .form(.conversation, item.recordId, nil, nil)
        case .requestToAnswer, .requestOverdue, .requestEscalated, .requestToClose:
            return .referral(item.recordId)
        case .applicationDeadline:
            return .form(.decision, item.recordId, nil, nil)
        }
    }
}

/// One worklist row: urgency, who, why, what.
struct WorkRow: View {
    let item: WorkItem

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            TagLine(tags: [item.urgencyLabel], label: item.dueLabel)
            Text(item.title).font(.headline)
            Text(item.reason).foregroundColor(item.urgency == .overdue ? .red : .primary)
            Text(item.detail).font(.subheadline).foregroundColor(.secondary)
            if !item.riskReasons.isEmpty {
                Text(item.riskReasons.joined(separator: " · ")).font(.caption).foregroundColor(.secondary)
            }
        }
    }
}
