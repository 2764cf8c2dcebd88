package uz.suhbat.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.KeyboardArrowLeft
import androidx.compose.material.icons.automirrored.filled.KeyboardArrowRight
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import java.util.Calendar
import kotlinx.coroutines.launch
import uz.suhbat.ffi.NewApplication
import uz.suhbat.ffi.RegistryRow
import uz.suhbat.shared.SuhbatRepository
import uz.suhbat.shared.valueOrNull

/** Catalog keys the registry screens label their own fields and buttons with. */
private val registryKeys = arrayOf(
    "field.book", "field.applicant", "field.address", "field.mahalla", "field.summary", "field.assignee",
    "field.registered_on", "field.deadline", "field.kind", "field.text", "field.decided_on", "hint.date",
    "registry.alphabetical", "registry.overdue_title", "registry.empty", "action.register_application",
    "action.decide", "action.save", "action.cancel",
)

/** The year shown first: the current one. */
private fun thisYear(): Int = Calendar.getInstance().get(Calendar.YEAR)

/**
 * The applications registry: pick a book (the core's choices) and a year, and see that book in
 * the core's number order; from here the alphabetical book, the overdue list and registering.
 */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun RegistryScreen(repo: SuhbatRepository, navigate: (Route) -> Unit) {
    val t = rememberTexts(repo, *registryKeys)
    val books = rememberScreen(Unit) { repo.registryBooks() }
    var chosen by remember { mutableStateOf("") }
    var year by remember { mutableIntStateOf(thisYear()) }
    ScreenContent(books) { choices ->
        val book = chosen.ifEmpty { choices.firstOrNull()?.value.orEmpty() }
        Column(Modifier.padding(horizontal = 12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            ChoiceChips(t("field.book"), choices, book) { chosen = it }
            Row(verticalAlignment = Alignment.CenterVertically) {
                IconButton(onClick = { year -= 1 }) { Icon(Icons.AutoMirrored.Filled.KeyboardArrowLeft, contentDescription = null) }
                Text(year.toString(), style = MaterialTheme.typography.titleMedium)
                IconButton(onClick = { year += 1 }) { Icon(Icons.AutoMirrored.Filled.KeyboardArrowRight, contentDescription = null) }
            }
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = { navigate(Route.ApplicationForm(book)) }) { Text(t("action.register_application")) }
                OutlinedButton(onClick = { navigate(Route.AlphabeticalBook(year)) }) { Text(t("registry.alphabetical")) }
                OutlinedButton(onClick = { navigate(Route.OverdueApplications) }) { Text(t("registry.overdue_title")) }
            }
        }
        if (book.isNotEmpty()) BookContent(repo, book, year, t)
    }
}

/** One book of one year. */
@Composable
private fun BookContent(repo: SuhbatRepository, book: String, year: Int, t: (String) -> String) {
    val screen = rememberScreen(book to year) { repo.registryBook(book, year) }
    ScreenContent(screen) { shown ->
        Text(shown.title, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(12.dp))
        if (shown.rows.isEmpty()) Text(shown.emptyText, modifier = Modifier.padding(16.dp))
        ApplicationList(repo, listOf("" to shown.rows), t) { screen.refresh() }
    }
}

/** Applications past their deadline without a decision, oldest deadline first. */
@Composable
fun OverdueApplicationsScreen(repo: SuhbatRepository) {
    val t = rememberTexts(repo, *registryKeys)
    val screen = rememberScreen(Unit) { repo.overdueApplications() }
    ScreenContent(screen) { shown ->
        Text(shown.title, style = MaterialTheme.typography.headlineSmall, modifier = Modifier.padding(12.dp))
        if (shown.rows.isEmpty()) Text(shown.emptyText, modifier = Modifier.padding(16.dp))
        ApplicationList(repo, listOf("" to shown.rows), t) { screen.refresh() }
    }
}

/** Both books of a year by applicant surname, under their letters. */
@Composable
fun AlphabeticalBookScreen(repo: SuhbatRepository, year: Int) {
    val t = rememberTexts(repo, *registryKeys)
    val screen = rememberScreen(year) { repo.alphabeticalBook(year) }
    ScreenContent(screen) { shown ->
        Text(shown.title, style = MaterialTheme.typography.headlineSmall, modifier = Modifier.padding(12.dp))
        if (shown.groups.isEmpty()) Text(t("registry.empty"), modifier = Modifier.padding(16.dp))
        ApplicationList(repo, shown.groups.map { it.letter to it.rows }, t) { screen.refresh() }
    }
}

/** Applications under optional headers; an undecided one opens the decision dialog. */
@Composable
private fun ApplicationList(repo: SuhbatRepository, groups: List<Pair<String, List<RegistryRow>>>, t: (String) -> String, refresh: () -> Unit) {
    var deciding by remember { mutableStateOf<RegistryRow?>(null) }
    LazyColumn(contentPadding = PaddingValues(horizontal = 12.dp)) {
        for ((header, rows) in groups) {
            if (header.isNotEmpty()) {
                item(key = "letter/$header") {
                    Text(header, style = MaterialTheme.typography.titleLarge, modifier = Modifier.padding(top = 8.dp))
                }
            }
            items(rows, key = { it.id }) { row -> ApplicationCard(row, t) { deciding = row } }
        }
    }
    deciding?.let { row ->
        DecisionDialog(repo, row, t, onDismiss = { deciding = null }) {
            deciding = null
            refresh()
        }
    }
}

@Composable
private fun ApplicationCard(row: RegistryRow, t: (String) -> String, onDecide: () -> Unit) {
    Card(Modifier.fillMaxWidth().padding(vertical = 4.dp)) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Text(row.numberLabel, style = MaterialTheme.typography.titleSmall)
                if (row.provisionalHint.isNotEmpty()) Tag(row.provisionalHint)
            }
            Text(row.applicant, style = MaterialTheme.typography.titleMedium)
            if (row.summary.isNotEmpty()) Text(row.summary)
            Text(
                listOf(row.bookLabel, "${t("field.registered_on")}: ${row.registeredLabel}", "${t("field.deadline")}: ${row.deadlineLabel}")
                    .joinToString(" · "),
                style = MaterialTheme.typography.bodySmall,
            )
            Text(row.statusLabel, color = if (row.overdue) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface)
            if (!row.decided) TextButton(onClick = onDecide) { Text(t("action.decide")) }
        }
    }
}

/** Records the decision on an application: its kind (the core's choices), text and date. */
@Composable
private fun DecisionDialog(repo: SuhbatRepository, row: RegistryRow, t: (String) -> String, onDismiss: () -> Unit, onDecided: () -> Unit) {
    val decisions = rememberScreen(Unit) { repo.registryDecisions() }
    val choices by decisions.state.collectAsState()
    var kind by remember { mutableStateOf("") }
    var text by remember { mutableStateOf("") }
    var decidedOn by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    var busy by remember { mutableStateOf(false) }
    val scope = rememberCoroutineScope()
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(row.numberLabel) },
        text = {
            Column(Modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Text(row.applicant, style = MaterialTheme.typography.titleSmall)
                ChoiceChips(t("field.kind"), choices.valueOrNull().orEmpty(), kind) { kind = it }
                OutlinedTextField(text, { text = it }, label = { Text(t("field.text")) }, minLines = 2, modifier = Modifier.fillMaxWidth())
                OutlinedTextField(
                    decidedOn,
                    { decidedOn = it },
                    label = { Text(t("field.decided_on")) },
                    supportingText = { Text(t("hint.date")) },
                    singleLine = true,
                    modifier = Modifier.fillMaxWidth(),
                )
                error?.let { ErrorText(it) }
            }
        },
        confirmButton = {
            Button(
                onClick = {
                    busy = true
                    scope.launch {
                        repo.decideApplication(row.id, kind, text, decidedOn).fold(
                            onSuccess = { error = null; onDecided() },
                            onFailure = { error = it.message ?: it.toString() },
                        )
                        busy = false
                    }
                },
                enabled = !busy,
            ) { Text(t("action.save")) }
        },
        dismissButton = { OutlinedButton(onClick = onDismiss) { Text(t("action.cancel")) } },
    )
}

/** Registers an application in [book]; the core gives it a provisional number and checks it. */
@Composable
fun ApplicationFormScreen(repo: SuhbatRepository, book: String, onDone: () -> Unit) {
    val t = rememberTexts(repo, *registryKeys)
    val books = rememberScreen(Unit) { repo.registryBooks() }
    var chosen by remember { mutableStateOf(book) }
    var registeredOn by remember { mutableStateOf("") }
    var applicant by remember { mutableStateOf("") }
    var address by remember { mutableStateOf("") }
    var mahalla by remember { mutableStateOf("") }
    var summary by remember { mutableStateOf("") }
    var assignee by remember { mutableStateOf("") }
    var deadline by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    var busy by remember { mutableStateOf(false) }
    val scope = rememberCoroutineScope()
    ScreenContent(books) { choices ->
        Column(Modifier.verticalScroll(rememberScrollState()).padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(t("action.register_application"), style = MaterialTheme.typography.headlineSmall)
            ChoiceChips(t("field.book"), choices, chosen) { chosen = it }
            DateField(t("field.registered_on"), t("hint.date"), registeredOn) { registeredOn = it }
            OutlinedTextField(applicant, { applicant = it }, label = { Text(t("field.applicant")) }, singleLine = true, modifier = Modifier.fillMaxWidth())
            OutlinedTextField(address, { address = it }, label = { Text(t("field.address")) }, modifier = Modifier.fillMaxWidth())
            OutlinedTextField(mahalla, { mahalla = it }, label = { Text(t("field.mahalla")) }, singleLine = true, modifier = Modifier.fillMaxWidth())
            OutlinedTextField(summary, { summary = it }, label = { Text(t("field.summary")) }, minLines = 3, modifier = Modifier.fillMaxWidth())
            OutlinedTextField(assignee, { assignee = it }, label = { Text(t("field.assignee")) }, singleLine = true, modifier = Modifier.fillMaxWidth())
            DateField(t("field.deadline"), t("hint.date"), deadline) { deadline = it }
            error?.let { ErrorText(it) }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(
                    onClick = {
                        busy = true
                        scope.launch {
                            val application = NewApplication(
                                book = chosen,
                                registeredOn = registeredOn,
                                applicantKind = "",
                                applicant = applicant,
                                applicantAddress = address,
                                mahalla = mahalla,
                                summary = summary,
                                assignee = assignee,
                                deadline = deadline,
                            )
                            repo.registerApplication(application).fold(
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

/** A date typed as the core's hint says (the core parses it). */
@Composable
fun DateField(label: String, hint: String, value: String, onChange: (String) -> Unit) {
    OutlinedTextField(
        value,
        onChange,
        label = { Text(label) },
        supportingText = { Text(hint) },
        singleLine = true,
        modifier = Modifier.fillMaxWidth(),
    )
}
