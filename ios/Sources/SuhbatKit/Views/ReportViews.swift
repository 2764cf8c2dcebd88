import SuhbatFFI
import SwiftUI

/// Months of incidents the trends screen looks back over.
private let trendMonths: UInt32 = 12

/// A report with the periods it may be shown for.
struct PeriodReport {
    let periods: [ReportPeriod]
    let report: Report
}

/// The three reports of the core (district report, effectiveness, rising incidents), each a
/// `Report` of titled tables; the dated ones over a period the core offers (this month, the
/// last three months, this year).
struct ReportView: View {
    let repository: SuhbatRepository
    let screen: Screen
    @State private var chosen = 0

    var body: some View {
        ListScreen(repository, load: { [screen, chosen] in try periodReport($0, screen, chosen) }, layout: ListLayout(
            rows: { $0.report.sections }, rowID: { $0.title }, empty: { _ in "" },
            header: { shown in
                ListTitle(title: shown.report.title, subtitle: shown.report.subtitle)
                if !shown.periods.isEmpty {
                    Picker(selection: $chosen) {
                        ForEach(Array(shown.periods.enumerated()), id: \.offset) { index, period in
                            Text(period.label).tag(index)
                        }
                    } label: {
                        EmptyView()
                    }
                    .pickerStyle(.segmented)
                }
            }
        )) { _, _, section in
            ReportTable(section: section)
        }
        // Another period loads the report again.
        .id(chosen)
    }
}

/// The report `screen` names over the `chosen` period of those the core offers.
private func periodReport(_ suhbat: Suhbat, _ screen: Screen, _ chosen: Int) throws -> PeriodReport {
    let periods = try suhbat.reportPeriods()
    let period = periods[min(max(chosen, 0), periods.count - 1)]
    switch screen {
    case .effectiveness:
        return PeriodReport(periods: periods, report: try suhbat.effectivenessReport(from: period.firstDay, to: period.lastDay, mahalla: nil))
    case .trends:
        return PeriodReport(periods: [], report: try suhbat.trendsReport(months: trendMonths))
    default:
        return PeriodReport(periods: periods, report: try suhbat.districtReport(from: period.firstDay, to: period.lastDay, mahalla: nil))
    }
}

/// One titled table of a report, scrolling sideways when wide.
struct ReportTable: View {
    let section: ReportSection

    var body: some View {
        Text(section.title).font(.subheadline.bold())
        ScrollView(.horizontal) {
            VStack(alignment: .leading, spacing: 4) {
                TableLine(cells: section.columns).font(.caption2.bold())
                ForEach(Array(section.rows.enumerated()), id: \.offset) { _, cells in
                    TableLine(cells: cells.map(cellText)).font(.caption)
                }
            }
        }
    }
}

private struct TableLine: View {
    let cells: [String]

    var body: some View {
        HStack(spacing: 8) {
            ForEach(Array(cells.enumerated()), id: \.offset) { _, cell in
                Text(cell).frame(width: 96, alignment: .leading)
            }
        }
    }
}

/// A cell as the core shows it in tables: numbers without a trailing `.0`.
private func cellText(_ cell: Cell) -> String {
    switch cell {
    case .text(let text):
        return text
    case .number(let value):
        return value.rounded() == value ? String(Int64(value)) : String(value)
    case .empty:
        return ""
    }
}
