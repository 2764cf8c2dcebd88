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
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.KeyboardArrowLeft
import androidx.compose.material.icons.automirrored.filled.KeyboardArrowRight
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import java.util.Calendar
import uz.suhbat.ffi.Book
import uz.suhbat.ffi.FormKind
import uz.suhbat.ffi.RegistryRow
import uz.suhbat.shared.SuhbatRepository

/** Catalog keys the registry screens label their own fields and buttons with. */
private val registryKeys = arrayOf(
    "field.book", "field.registered_on", "field.deadline", "registry.alphabetical", "registry.overdue_title",
    "registry.empty", "action.register_application", "action.decide", "action.edit",
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
    var chosen by remember { mutableStateOf<Book?>(null) }
    var year by remember { mutableIntStateOf(thisYear()) }
    ScreenContent(books) { choices ->
        val book = chosen ?: choices.firstOrNull()?.book
        Column(Modifier.padding(horizontal = 12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            OptionChips(t("field.book"), choices.map { it.book to it.label }, book) { chosen = it }
            Row(verticalAlignment = Alignment.CenterVertically) {
                IconButton(onClick = { year -= 1 }) { Icon(Icons.AutoMirrored.Filled.KeyboardArrowLeft, contentDescription = null) }
                Text(year.toString(), style = MaterialTheme.typography.titleMedium)
                IconButton(onClick = { year += 1 }) { Icon(Icons.AutoMirrored.Filled.KeyboardArrowRight, contentDescription = null) }
            }
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = { navigate(Route.Form(FormKind.APPLICATION)) }) { Text(t("action.register_application")) }
                OutlinedButton(onClick = { navigate(Route.AlphabeticalBook(year)) }) { Text(t("registry.alphabetical")) }
                OutlinedButton(onClick = { navigate(Route.OverdueApplications) }) { Text(t("registry.overdue_title")) }
            }
        }
        if (book != null) BookContent(repo, book, year, t, navigate)
    }
}

/** One book of one year. */
@Composable
private fun BookContent(repo: SuhbatRepository, book: Book, year: Int, t: (String) -> String, navigate: (Route) -> Unit) {
    val screen = rememberScreen(book to year) { repo.registryBook(book, year) }
    ScreenContent(screen) { shown ->
        Text(shown.title, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(12.dp))
        if (shown.rows.isEmpty()) Text(shown.emptyText, modifier = Modifier.padding(16.dp))
        ApplicationList(listOf("" to shown.rows), t, navigate)
    }
}

/** Applications past their deadline without a decision, oldest deadline first. */
@Composable
fun OverdueApplicationsScreen(repo: SuhbatRepository, navigate: (Route) -> Unit) {
    val t = rememberTexts(repo, *registryKeys)
    val screen = rememberScreen(Unit) { repo.overdueApplications() }
    ScreenContent(screen) { shown ->
        Text(shown.title, style = MaterialTheme.typography.headlineSmall, modifier = Modifier.padding(12.dp))
        if (shown.rows.isEmpty()) Text(shown.emptyText, modifier = Modifier.padding(16.dp))
        ApplicationList(listOf("" to shown.rows), t, navigate)
    }
}

/** Both books of a year by applicant surname, under their letters. */
@Composable
fun AlphabeticalBookScreen(repo: SuhbatRepository, year: Int, navigate: (Route) -> Unit) {
    val t = rememberTexts(repo, *registryKeys)
    val screen = rememberScreen(year) { repo.alphabeticalBook(year) }
    ScreenContent(screen) { shown ->
        Text(shown.title, style = MaterialTheme.typography.headlineSmall, modifier = Modifier.padding(12.dp))
        if (shown.groups.isEmpty()) Text(t("registry.empty"), modifier = Modifier.padding(16.dp))
        ApplicationList(shown.groups.map { it.letter to it.rows }, t, navigate)
    }
}

/** Applications under optional headers; each opens its form, an undecided one its decision form. */
@Composable
private fun ApplicationList(groups: List<Pair<String, List<RegistryRow>>>, t: (String) -> String, navigate: (Route) -> Unit) {
    LazyColumn(contentPadding = PaddingValues(horizontal = 12.dp)) {
        for ((header, rows) in groups) {
            if (header.isNotEmpty()) {
                item(key = "letter/$header") {
                    Text(header, style = MaterialTheme.typography.titleLarge, modifier = Modifier.padding(top = 8.dp))
                }
            }
            items(rows, key = { it.id }) { row -> ApplicationCard(row, t, navigate) }
        }
    }
}

@Composable
private fun ApplicationCard(row: RegistryRow, t: (String) -> String, navigate: (Route) -> Unit) {
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
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                TextButton(onClick = { navigate(Route.Form(FormKind.APPLICATION, row.id)) }) { Text(t("action.edit")) }
                if (!row.decided) TextButton(onClick = { navigate(Route.Form(FormKind.DECISION, row.id)) }) { Text(t("action.decide")) }
            }
        }
    }
}
