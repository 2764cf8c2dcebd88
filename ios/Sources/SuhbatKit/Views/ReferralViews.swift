import SuhbatFFI
import SwiftUI

/// Cooperation requests sent from or addressed to this device, as the core orders them.
struct ReferralsView: View {
    let repository: SuhbatRepository
    @StateObject private var model: ScreenModel<ReferralList>
    @State private var texts: [String: String] = [:]

    init(repository: SuhbatRepository) {
        self.repository = repository
        _model = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.referralList() } })
    }

    var body: some View {
        ScreenContent(model: model) { list in
            List {
                Section(header: overdue(list)) {
                    if list.rows.isEmpty {
                        Text(list.emptyText)
                    }
                    ForEach(list.rows, id: \.id) { row in
                        NavigationLink(value: Route.referral(row.id)) {
                            ReferralRowView(row: row)
                        }
                    }
                }
            }
            .refreshable { await model.refresh() }
            .navigationTitle(list.title)
            .toolbar {
                NavigationLink(value: Route.form(.referral, nil, nil, nil)) {
                    Text(texts["action.new_referral"] ?? "")
                }
            }
        }
        .task { texts = await repository.texts(["action.new_referral"]) }
    }

    @ViewBuilder
    private func overdue(_ list: ReferralList) -> some View {
        if list.overdueCount > 0 {
            Label(String(list.overdueCount), systemImage: "clock.badge.exclamationmark").foregroundColor(.red)
        }
    }
}

/// One request in the list: state, priority, subject, addressee, when the answer is due.
struct ReferralRowView: View {
    let row: ReferralRow

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                Tag(text: row.stateLabel)
                Tag(text: row.priorityLabel)
                ConflictMark(count: row.conflicts)
            }
            Text(row.subject).font(.headline)
            Text(row.addresseeLabel).font(.subheadline)
            Text(row.dueLabel).font(.caption).foregroundColor(row.overdue ? .red : .secondary)
        }
    }
}

/// One request: what is asked, the stamped steps, and one button per step the user may take.
struct ReferralDetailView: View {
    let repository: SuhbatRepository
    let referralId: String
    @StateObject private var model: ScreenModel<ReferralDetail>
    @State private var note = ""
    @State private var texts: [String: String] = [:]

    private static let keys = ["field.subject", "field.reason", "field.to", "field.note", "action.edit"]

    init(repository: SuhbatRepository, referralId: String) {
        self.repository = repository
        self.referralId = referralId
        _model = StateObject(wrappedValue: ScreenModel { await repository.call { try $0.referralDetail(referralId: referralId) } })
    }

    var body: some View {
        ScreenContent(model: model) { referral in
            List {
                Section {
                    HStack {
                        Tag(text: referral.stateLabel)
                        Tag(text: referral.priorityLabel)
                        ConflictMark(count: referral.conflicts)
                    }
                    LabelledText(label: t("field.subject"), value: referral.subject)
                    LabelledText(label: t("field.reason"), value: referral.reason)
                    LabelledText(label: t("field.to"), value: referral.addresseeLabel)
                    Text(referral.dueLabel).foregroundColor(referral.overdue ? .red : .primary)
                    NavigationLink(value: Route.form(.referral, referral.id, nil, nil)) {
                        Text(t("action.edit"))
                    }
                }
                Section {
                    ForEach(Array(referral.steps.enumerated()), id: \.offset) { _, step in
                        VStack(alignment: .leading, spacing: 2) {
                            Text(step.stateLabel).font(.headline)
                            Text("\(step.by) · \(step.when)").font(.caption).foregroundColor(.secondary)
                            if !step.note.isEmpty {
                                Text(step.note)
                            }
                        }
                    }
                }
                if !referral.actions.isEmpty {
                    Section {
                        if referral.actions.contains(where: { $0.needsNote }) {
                            TextField(t("field.note"), text: $note, axis: .vertical).lineLimit(2...6)
                        }
                        ForEach(referral.actions, id: \.state) { action in
                            Button(action.label) {
                                advance(referral.id, to: action.state)
                            }
                        }
                    }
                }
            }
            .navigationTitle(referral.title)
        }
        .task { texts = await repository.texts(Self.keys) }
    }

    private func t(_ key: String) -> String {
        texts[key] ?? ""
    }

    private func advance(_ id: String, to state: ReferralState) {
        let text = note
        Task {
            await model.act { await repository.call { try $0.advanceReferral(referralId: id, state: state, note: text) } }
            if model.actionError == nil {
                note = ""
            }
        }
    }
}
