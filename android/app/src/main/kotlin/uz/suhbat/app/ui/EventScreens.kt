package uz.suhbat.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import uz.suhbat.ffi.FormKind
import uz.suhbat.shared.SuhbatRepository

/** Joint events, latest first, as the core lists them. */
@Composable
fun EventsScreen(repo: SuhbatRepository, navigate: (Route) -> Unit) {
    val t = rememberTexts(repo, "action.new_event", "action.edit")
    val screen = rememberScreen(Unit) { repo.eventList("") }
    ScreenContent(screen) { list ->
        Row(Modifier.padding(12.dp), verticalAlignment = Alignment.CenterVertically) {
            Text(list.title, style = MaterialTheme.typography.titleMedium)
            Spacer(Modifier.weight(1f))
            Button(onClick = { navigate(Route.Form(FormKind.JOINT_EVENT)) }) { Text(t("action.new_event")) }
        }
        if (list.rows.isEmpty()) Text(list.emptyText, modifier = Modifier.padding(16.dp))
        LazyColumn(contentPadding = PaddingValues(horizontal = 12.dp)) {
            items(list.rows, key = { it.id }) { row ->
                // The card opens who attended; the edit button the event itself.
                Card(Modifier.fillMaxWidth().padding(vertical = 4.dp).clickable { navigate(Route.Form(FormKind.ATTENDANCE, row.id)) }) {
                    Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                        Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                            Tag(row.kindLabel)
                            Text(row.dateLabel, style = MaterialTheme.typography.labelMedium)
                        }
                        Text(row.title, style = MaterialTheme.typography.titleMedium)
                        Text(row.place)
                        if (row.organisers.isNotEmpty()) Text(row.organisers, style = MaterialTheme.typography.bodySmall)
                        Text(row.attendanceLabel, style = MaterialTheme.typography.bodySmall)
                        TextButton(onClick = { navigate(Route.Form(FormKind.JOINT_EVENT, row.id)) }) { Text(t("action.edit")) }
                    }
                }
            }
        }
    }
}
