package uz.suhbat.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Card
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import uz.suhbat.shared.SuhbatRepository

/** Fields two people changed differently: every value with its author; keep one. */
@Composable
fun ConflictsScreen(repo: SuhbatRepository) {
    val screen = rememberScreen(Unit) { repo.conflicts() }
    ScreenContent(screen) { list ->
        Text(list.explanation, modifier = Modifier.padding(16.dp))
        if (list.rows.isEmpty()) Text(list.emptyText, modifier = Modifier.padding(16.dp))
        LazyColumn(contentPadding = androidx.compose.foundation.layout.PaddingValues(12.dp)) {
            items(list.rows, key = { it.recordId + "/" + it.path }) { row ->
                Card(Modifier.fillMaxWidth().padding(vertical = 4.dp)) {
                    Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
                        Text("${row.recordKind} · ${row.recordTitle}", style = MaterialTheme.typography.labelMedium)
                        Text(row.fieldLabel, style = MaterialTheme.typography.titleMedium)
                        for (option in row.options) {
                            HorizontalDivider()
                            Row(verticalAlignment = Alignment.CenterVertically) {
                                Column(Modifier.weight(1f)) {
                                    Text(option.display, style = MaterialTheme.typography.bodyLarge)
                                    Text(listOf(option.author, option.at).filter { it.isNotEmpty() }.joinToString(" · "), style = MaterialTheme.typography.bodySmall)
                                }
                                OutlinedButton(onClick = { screen.act { repo.resolveConflict(row.recordId, row.path, option.valueJson) } }) {
                                    Text(list.keepLabel)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
