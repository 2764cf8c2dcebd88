package uz.suhbat.app.ui

import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import uz.suhbat.ffi.FormKind
import uz.suhbat.shared.SuhbatRepository

/** Joint events, latest first, as the core lists them; a row opens who attended. */
@Composable
fun EventsScreen(repo: SuhbatRepository, navigate: (Route) -> Unit) {
    val t = rememberTexts(repo, "action.new_event", "action.edit")
    val screen = rememberScreen(Unit) { repo.eventList("") }
    ListScreen(
        screen,
        rows = { it.rows },
        rowKey = { it.id },
        empty = { it.emptyText },
        header = { list ->
            ListTitle(list.title)
            Button(onClick = { navigate(Route.Form(FormKind.JOINT_EVENT)) }) { Text(t("action.new_event")) }
        },
        onOpen = { navigate(Route.Form(FormKind.ATTENDANCE, it.id)) },
    ) { _, row ->
        TagLine(row.kindLabel, label = row.dateLabel)
        Text(row.title, style = MaterialTheme.typography.titleMedium)
        Text(row.place)
        if (row.organisers.isNotEmpty()) Text(row.organisers, style = MaterialTheme.typography.bodySmall)
        Text(row.attendanceLabel, style = MaterialTheme.typography.bodySmall)
        TextButton(onClick = { navigate(Route.Form(FormKind.JOINT_EVENT, row.id)) }) { Text(t("action.edit")) }
    }
}
