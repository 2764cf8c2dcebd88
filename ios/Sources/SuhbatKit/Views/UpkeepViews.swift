import SuhbatFFI
import SwiftUI

/// Possible duplicate persons with why they look alike; merging keeps both histories on the
/// kept person's card (undo is there).
struct DuplicatesView: View {
    let repository: SuhbatRepository

    var body: some View {
        ListScreen(repository, load: { try $0.duplicateList(mahalla: nil) }, layout: ListLayout(
            rows: { $0.rows }, rowID: { $0.keep.id + "/" + $0.duplicate.id }, empty: { $0.emptyText },
            header: { list in
                ListTitle(title: list.title, subtitle: list.hint)
                Text(list.countLabel)
            }
        )) { model, _, pair in
            DuplicateSide(person: pair.keep)
            DuplicateSide(person: pair.duplicate)
            ForEach(pair.reasons, id: \.self) { reason in
                Text(reason).font(.caption)
            }
            Button(pair.mergeLabel) {
                Task { await model.act { await repository.call { try $0.mergePersons(keepId: pair.keep.id, duplicateId: pair.duplicate.id) } } }
            }
            .buttonStyle(.borderless)
        }
    }
}

private struct DuplicateSide: View {
    let person: DuplicatePerson

    var body: some View {
        NavigationLink(value: Route.person(person.id)) {
            Text("\(person.name) · \(person.birthDate) · \(person.address) · \(person.historyLabel)").font(.subheadline)
        }
    }
}

/// Work the hub refused, with why; enter it again through the record's form, or discard it.
struct KeptAsideView: View {
    let repository: SuhbatRepository

    var body: some View {
        ListScreen(repository, load: { try $0.keptAside() }, layout: ListLayout(
            rows: { $0.rows }, rowID: { $0.seq }, empty: { $0.emptyText },
            header: { ListTitle(title: $0.title, subtitle: $0.explanation) }
        )) { model, list, row in
            TagLine(tags: [row.recordKind], label: row.at)
            Text(row.recordTitle).font(.headline)
            ForEach(row.values, id: \.self) { value in
                Text(value).font(.caption)
            }
            Text(row.reason).foregroundColor(.red)
            if let kind = row.form {
                NavigationLink(value: Route.form(kind, row.recordId, nil, nil)) { Text(list.enterAgainLabel) }
            }
            Button(list.discardLabel, role: .destructive) {
                Task { await model.act { await repository.call { try $0.discardKeptAside(seq: row.seq) } } }
            }
            .buttonStyle(.borderless)
        }
    }
}

/// Every risk factor's weight (supervisors only, as the core's navigation says); the core
/// checks the range and says when a weight is too high.
struct RiskWeightsView: View {
    let repository: SuhbatRepository

    var body: some View {
        ListScreen(repository, load: { try $0.riskWeights() }, layout: ListLayout(
            rows: { $0.rows }, rowID: { $0.factor }, empty: { _ in "" },
            header: { ListTitle(title: $0.title, subtitle: $0.hint) }
        )) { model, _, row in
            Stepper(value: Binding(get: { Int(row.weight) }, set: { weight in
                Task { await model.act { await repository.call { try $0.setRiskWeight(factor: row.factor, weight: UInt32(max(weight, 0))) } } }
            }), in: 0...Int.max) {
                Text("\(row.label): \(row.weight)")
            }
            if row.changed {
                Text(row.defaultLabel).font(.caption)
            }
        }
    }
}
