package uz.suhbat.app.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import uz.suhbat.shared.SuhbatRepository

/** Fields two people changed differently: every value with its author; keep one. */
@Composable
fun ConflictsScreen(repo: SuhbatRepository) {
    val screen = rememberScreen(Unit) { repo.conflicts() }
    ListScreen(screen, rows = { it.rows }, rowKey = { it.recordId + "/" + it.path }, empty = { it.emptyText }, header = { ListTitle("", it.explanation) }) { list, row ->
        Text("${row.recordKind} · ${row.recordTitle}", style = MaterialTheme.typography.labelMedium)
        Text(row.fieldLabel, style = MaterialTheme.typography.titleMedium)
        for (option in row.options) {
            HorizontalDivider()
            Row(verticalAlignment = Alignment.CenterVertically) {
                Column(Modifier.weight(1f)) {
                    Text(option.display, style = MaterialTheme.typography.bodyLarge)
                    Text(listOf(option.author, option.at).filter { it.isNotEmpty() }.joinToString(" · "), style = MaterialTheme.typography.bodySmall)
                }
                OutlinedButton(onClick = { screen.act { repo.resolveConflict(row.recordId, row.path, option.valueJson) } }) { Text(list.keepLabel) }
            }
        }
    }
}
