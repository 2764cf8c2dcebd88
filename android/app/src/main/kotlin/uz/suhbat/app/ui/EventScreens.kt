package uz.suhbat.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.launch
import uz.suhbat.shared.SuhbatRepository

/** Joint events, latest first, as the core lists them. */
@Composable
fun EventsScreen(repo: SuhbatRepository, navigate: (Route) -> Unit) {
    val t = rememberTexts(repo, "action.new_event")
    val screen = rememberScreen(Unit) { repo.eventList("") }
    ScreenContent(screen) { list ->
        Row(Modifier.padding(12.dp), verticalAlignment = Alignment.CenterVertically) {
            Text(list.title, style = MaterialTheme.typography.titleMedium)
            Spacer(Modifier.weight(1f))
            Button(onClick = { navigate(Route.EventForm) }) { Text(t("action.new_event")) }
        }
        if (list.rows.isEmpty()) Text(list.emptyText, modifier = Modifier.padding(16.dp))
        LazyColumn(contentPadding = PaddingValues(horizontal = 12.dp)) {
            items(list.rows, key = { it.id }) { row ->
                Card(Modifier.fillMaxWidth().padding(vertical = 4.dp)) {
                    Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                        Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                            Tag(row.kindLabel)
                            Text(row.dateLabel, style = MaterialTheme.typography.labelMedium)
                        }
                        Text(row.title, style = MaterialTheme.typography.titleMedium)
                        Text(row.place)
                        if (row.organisers.isNotEmpty()) Text(row.organisers, style = MaterialTheme.typography.bodySmall)
                        Text(row.attendanceLabel, style = MaterialTheme.typography.bodySmall)
                    }
                }
            }
        }
    }
}

/** One organiser as typed: name and organisation. */
private data class OrganiserDraft(val name: String = "", val organisation: String = "")

/** Adds a joint event; the core checks it and says what is wrong. */
@Composable
fun EventFormScreen(repo: SuhbatRepository, onDone: () -> Unit) {
    val t = rememberTexts(
        repo, "action.new_event", "field.kind", "field.title", "field.held_on", "hint.date", "field.place", "field.mahalla",
        "field.organisers", "field.name", "field.organisation", "action.add_item", "action.remove_item", "action.save", "action.cancel",
    )
    val kinds = rememberScreen(Unit) { repo.eventKinds() }
    var kind by remember { mutableStateOf("") }
    var title by remember { mutableStateOf("") }
    var heldOn by remember { mutableStateOf("") }
    var place by remember { mutableStateOf("") }
    var mahalla by remember { mutableStateOf("") }
    val organisers = remember { mutableStateListOf<OrganiserDraft>() }
    var error by remember { mutableStateOf<String?>(null) }
    var busy by remember { mutableStateOf(false) }
    val scope = rememberCoroutineScope()
    ScreenContent(kinds) { choices ->
        Column(Modifier.verticalScroll(rememberScrollState()).padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(t("action.new_event"), style = MaterialTheme.typography.headlineSmall)
            ChoiceChips(t("field.kind"), choices, kind) { kind = it }
            OutlinedTextField(title, { title = it }, label = { Text(t("field.title")) }, modifier = Modifier.fillMaxWidth())
            DateField(t("field.held_on"), t("hint.date"), heldOn) { heldOn = it }
            OutlinedTextField(place, { place = it }, label = { Text(t("field.place")) }, singleLine = true, modifier = Modifier.fillMaxWidth())
            OutlinedTextField(mahalla, { mahalla = it }, label = { Text(t("field.mahalla")) }, singleLine = true, modifier = Modifier.fillMaxWidth())
            Text(t("field.organisers"), style = MaterialTheme.typography.labelLarge)
            organisers.forEachIndexed { index, organiser ->
                Card(Modifier.fillMaxWidth()) {
                    Column(Modifier.padding(8.dp)) {
                        OutlinedTextField(
                            organiser.name,
                            { organisers[index] = organiser.copy(name = it) },
                            label = { Text(t("field.name")) },
                            singleLine = true,
                            modifier = Modifier.fillMaxWidth(),
                        )
                        OutlinedTextField(
                            organiser.organisation,
                            { organisers[index] = organiser.copy(organisation = it) },
                            label = { Text(t("field.organisation")) },
                            singleLine = true,
                            modifier = Modifier.fillMaxWidth(),
                        )
                        TextButton(onClick = { organisers.removeAt(index) }) { Text(t("action.remove_item")) }
                    }
                }
            }
            OutlinedButton(onClick = { organisers.add(OrganiserDraft()) }) { Text(t("action.add_item")) }
            error?.let { ErrorText(it) }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(
                    onClick = {
                        busy = true
                        val names = organisers.map { it.name }
                        val organisations = organisers.map { it.organisation }
                        scope.launch {
                            repo.addEvent(kind, title, heldOn, place, mahalla, names, organisations).fold(
                                onSuccess = { error = null; onDone() },
                                onFailure = { error = it.message ?: it.toString() },
                            )
                            busy = false
                        }
                    },
                    enabled = !busy,
                ) { Text(t("action.save")) }
                OutlinedButton(onClick = onDone) { Text(t("action.cancel")) }
            }
        }
    }
}
