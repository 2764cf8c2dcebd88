package uz.suhbat.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Add
import androidx.compose.material.icons.filled.Remove
import androidx.compose.material3.Button
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import uz.suhbat.ffi.DuplicatePerson
import uz.suhbat.shared.SuhbatRepository

/** Possible duplicate persons with why they look alike; merging opens the kept person's card (undo is there). */
@Composable
fun DuplicatesScreen(repo: SuhbatRepository, navigate: (Route) -> Unit) {
    val screen = rememberScreen(Unit) { repo.duplicateList() }
    ListScreen(screen, rows = { it.rows }, rowKey = { it.keep.id + "/" + it.duplicate.id }, empty = { it.emptyText }, header = { ListTitle(it.title, it.hint); Text(it.countLabel) }) { _, pair ->
        DuplicateSide(pair.keep, navigate)
        DuplicateSide(pair.duplicate, navigate)
        for (reason in pair.reasons) Text(reason, style = MaterialTheme.typography.bodySmall)
        Button(onClick = { screen.act { repo.mergePersons(pair.keep.id, pair.duplicate.id).onSuccess { navigate(Route.Person(it.id)) } } }) { Text(pair.mergeLabel) }
    }
}

@Composable
private fun DuplicateSide(person: DuplicatePerson, navigate: (Route) -> Unit) {
    OutlinedButton(onClick = { navigate(Route.Person(person.id)) }) {
        Text("${person.name} · ${person.birthDate} · ${person.address} · ${person.historyLabel}")
    }
}

/** Work the hub refused, with why; enter it again through the record's form, or discard it. */
@Composable
fun KeptAsideScreen(repo: SuhbatRepository, navigate: (Route) -> Unit) {
    val screen = rememberScreen(Unit) { repo.keptAside() }
    ListScreen(screen, rows = { it.rows }, rowKey = { it.seq }, empty = { it.emptyText }, header = { ListTitle(it.title, it.explanation) }) { list, row ->
        TagLine(row.recordKind, label = row.at)
        Text(row.recordTitle, style = MaterialTheme.typography.titleMedium)
        for (value in row.values) Text(value, style = MaterialTheme.typography.bodySmall)
        Text(row.reason, color = MaterialTheme.colorScheme.error)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            row.form?.let { kind -> Button(onClick = { navigate(Route.Form(kind, row.recordId)) }) { Text(list.enterAgainLabel) } }
            OutlinedButton(onClick = { screen.act { repo.discardKeptAside(row.seq) } }) { Text(list.discardLabel) }
        }
    }
}

/** Every risk factor's weight (supervisors only, as the core's navigation says); − and + change it. */
@Composable
fun RiskWeightsScreen(repo: SuhbatRepository) {
    val screen = rememberScreen(Unit) { repo.riskWeights() }
    ListScreen(screen, rows = { it.rows }, rowKey = { it.factor }, empty = { "" }, header = { ListTitle(it.title, it.hint) }) { _, row ->
        Row(verticalAlignment = Alignment.CenterVertically) {
            Text(row.label, style = MaterialTheme.typography.titleSmall, modifier = Modifier.weight(1f))
            IconButton(onClick = { screen.act { repo.setRiskWeight(row.factor, row.weight - 1u) } }, enabled = row.weight > 0u) {
                Icon(Icons.Filled.Remove, contentDescription = null)
            }
            Text(row.weight.toString(), style = MaterialTheme.typography.titleMedium)
            IconButton(onClick = { screen.act { repo.setRiskWeight(row.factor, row.weight + 1u) } }) { Icon(Icons.Filled.Add, contentDescription = null) }
        }
        if (row.changed) Text(row.defaultLabel, style = MaterialTheme.typography.bodySmall)
    }
}
