package uz.suhbat.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.ListItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import uz.suhbat.ffi.FormKind
import uz.suhbat.shared.PersonSearch
import uz.suhbat.shared.SuhbatRepository

/** Person search: the core finds names in either script. */
@Composable
fun PersonsScreen(repo: SuhbatRepository, navigate: (Route) -> Unit) {
    val scope = rememberCoroutineScope()
    val search = remember { PersonSearch(scope, repo) }
    LaunchedEffect(search) { search.search("") }
    val query by search.query.collectAsState()
    ListScreen(
        search.list,
        rows = { it.rows },
        rowKey = { it.id },
        empty = { it.emptyText },
        header = { list ->
            OutlinedTextField(query, { search.search(it) }, label = { Text(list.searchHint) }, singleLine = true, modifier = Modifier.fillMaxWidth())
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Text(list.countLabel, modifier = Modifier.weight(1f))
                Button(onClick = { navigate(Route.Form(FormKind.PERSON)) }) { Text(list.addLabel) }
            }
        },
        onOpen = { navigate(Route.Person(it.id)) },
    ) { _, row ->
        Text(row.name, style = MaterialTheme.typography.titleMedium)
        Text(row.subtitle, style = MaterialTheme.typography.bodySmall)
        row.badge?.let { Tag(it) }
    }
}

/** A person's card: details, risk reasons, conversations and cases. */
@Composable
fun PersonDetailScreen(repo: SuhbatRepository, personId: String, navigate: (Route) -> Unit) {
    val screen = rememberScreen(personId) { repo.personDetail(personId) }
    val t = rememberTexts(repo, "action.new_referral")
    ScreenContent(screen) { person ->
        Column(Modifier.verticalScroll(rememberScrollState()).padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(person.name, style = MaterialTheme.typography.headlineSmall)
            Text(person.subtitle)
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = { navigate(Route.Form(FormKind.CONVERSATION, about = person.id)) }) { Text(person.newConversationLabel) }
                OutlinedButton(onClick = { navigate(Route.Form(FormKind.PERSON, person.id)) }) { Text(person.editLabel) }
                OutlinedButton(onClick = { navigate(Route.Form(FormKind.REFERRAL, about = person.id)) }) { Text(t("action.new_referral")) }
            }
            Text(person.riskLabel, style = MaterialTheme.typography.titleSmall)
            for (reason in person.riskReasons) Text(reason, style = MaterialTheme.typography.bodySmall)
            Text(person.historyTitle, style = MaterialTheme.typography.titleMedium)
            if (person.history.isEmpty()) Text(person.historyEmpty)
            for (talk in person.history) {
                Card(Modifier.fillMaxWidth().clickable { navigate(Route.Form(FormKind.CONVERSATION, talk.conversationId)) }) {
                    Column(Modifier.padding(12.dp)) {
                        Text("${talk.`when`} · ${talk.kindLabel}", style = MaterialTheme.typography.labelMedium)
                        Text(talk.place)
                        if (talk.topics.isNotEmpty()) Text(talk.topics, style = MaterialTheme.typography.bodySmall)
                        talk.followUp?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
                    }
                }
            }
            if (person.cases.isNotEmpty()) Text(person.casesTitle, style = MaterialTheme.typography.titleMedium)
            for (case in person.cases) {
                ListItem(
                    headlineContent = { Text(case.title) },
                    supportingContent = { Text(case.statusLabel) },
                    modifier = Modifier.clickable { navigate(Route.Case(case.caseId)) },
                )
            }
            // A merged duplicate's history is part of this card until the merge is undone.
            person.mergeNote?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
            for (merged in person.mergedPersons) {
                Row(verticalAlignment = Alignment.CenterVertically) {
                    Text(merged.name, modifier = Modifier.weight(1f))
                    OutlinedButton(onClick = { screen.act { repo.unmergePerson(merged.id) } }) { Text(merged.unmergeLabel) }
                }
            }
            Sections(person.sections)
        }
    }
}
