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
