package uz.suhbat.app.ui

import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import uz.suhbat.ffi.Cell
import uz.suhbat.ffi.Report
import uz.suhbat.ffi.ReportPeriod
import uz.suhbat.ffi.ReportSection
import uz.suhbat.ffi.Screen
import uz.suhbat.shared.SuhbatRepository

/** Months of incidents the trends screen looks back over. */
private const val TREND_MONTHS = 12u

/**
 * The three reports of the core (district report, effectiveness, rising incidents), each a
 * [Report] of titled tables; the dated ones over a period the core offers (this month, the
 * last three months, this year).
 */
@Composable
fun ReportScreen(repo: SuhbatRepository, report: Screen) {
    var chosen by remember { mutableIntStateOf(0) }
    val screen = rememberScreen(report to chosen) {
        repo.reportPeriods().mapCatching { periods ->
            val period = periods[chosen.coerceIn(periods.indices)]
            val loaded = when (report) {
                Screen.EFFECTIVENESS -> repo.effectivenessReport(period.firstDay, period.lastDay)
                Screen.TRENDS -> repo.trendsReport(TREND_MONTHS)
                else -> repo.districtReport(period.firstDay, period.lastDay)
            }
            PeriodReport(if (report == Screen.TRENDS) emptyList() else periods, loaded.getOrThrow())
        }
    }
    ListScreen(
        screen,
        rows = { it.report.sections },
        rowKey = { it.title },
        empty = { "" },
        header = { shown ->
            ListTitle(shown.report.title, shown.report.subtitle)
            Row(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                shown.periods.forEachIndexed { i, period ->
                    FilterChip(selected = i == chosen, onClick = { chosen = i }, label = { Text(period.label) })
                }
            }
        },
    ) { _, section -> ReportTable(section) }
}

/** A report with the periods it may be shown for. */
private data class PeriodReport(val periods: List<ReportPeriod>, val report: Report)

/** One titled table of a report, scrolling sideways when wide. */
@Composable
fun ReportTable(section: ReportSection) {
    Text(section.title, style = MaterialTheme.typography.titleSmall)
    Column(Modifier.horizontalScroll(rememberScrollState())) {
        TableRow(section.columns, header = true)
        for (cells in section.rows) TableRow(cells.map(::cellText))
    }
}

@Composable
private fun TableRow(cells: List<String>, header: Boolean = false) {
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        for (cell in cells) {
            Text(cell, style = if (header) MaterialTheme.typography.labelSmall else MaterialTheme.typography.bodySmall, modifier = Modifier.width(96.dp))
        }
    }
}

/** A cell as the core shows it in tables: numbers without a trailing `.0`. */
private fun cellText(cell: Cell): String = when (cell) {
    is Cell.Text -> cell.text
    is Cell.Number -> if (cell.value % 1.0 == 0.0) cell.value.toLong().toString() else cell.value.toString()
    Cell.Empty -> ""
}
