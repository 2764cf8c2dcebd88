package uz.suhbat.app.ui

import androidx.compose.foundation.clickable
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
import androidx.compose.material3.Badge
import androidx.compose.material3.Card
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import uz.suhbat.ffi.Choice
import uz.suhbat.ffi.ParentCaseList
import uz.suhbat.ffi.ParentCaseRow
import uz.suhbat.ffi.SaraStage
import uz.suhbat.shared.SuhbatRepository

/**
 * The parent cases this device holds, filtered by stage and mahalla, each with its nearest task
 * date, its open tasks and the user's own tasks (on a seven member's phone: hers).
 */
@Composable
fun ParentCasesScreen(repo: SuhbatRepository, navigate: (Route) -> Unit) {
    var stage by rememberSaveable { mutableStateOf<SaraStage?>(null) }
    var mahalla by rememberSaveable { mutableStateOf("") }
    val screen = rememberScreen(stage to mahalla) { repo.parentCaseList(stage, mahalla.ifEmpty { null }) }
    ScreenContent(screen) { list ->
        Row(Modifier.padding(12.dp), verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(list.title, style = MaterialTheme.typography.titleMedium)
            if (list.overdueCount > 0u) Badge { Text(list.overdueCount.toString()) }
        }
        CaseFilters(list, stage, mahalla, onStage = { stage = it }, onMahalla = { mahalla = it })
        if (list.rows.isEmpty()) Text(list.emptyText, modifier = Modifier.padding(16.dp))
        LazyColumn(contentPadding = PaddingValues(horizontal = 12.dp)) {
            items(list.rows, key = { it.id }) { row -> CaseCard(row, list.myTasksTitle) { navigate(Route.Case(row.id)) } }
        }
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun CaseFilters(list: ParentCaseList, stage: SaraStage?, mahalla: String, onStage: (SaraStage?) -> Unit, onMahalla: (String) -> Unit) {
    Column(Modifier.padding(horizontal = 12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        Text(list.stageLabel, style = MaterialTheme.typography.labelLarge)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
            FilterChip(selected = stage == null, onClick = { onStage(null) }, label = { Text(list.anyLabel) })
            for (choice in list.stageChoices) {
                FilterChip(selected = stage == choice.stage, onClick = { onStage(choice.stage) }, label = { Text(choice.label) })
            }
        }
        if (list.mahallaChoices.size > 1) {
            ChoiceChips(list.mahallaLabel, listOf(Choice("", list.anyLabel)) + list.mahallaChoices, mahalla, onMahalla)
        }
    }
}

@Composable
private fun CaseCard(row: ParentCaseRow, myTasksTitle: String, onOpen: () -> Unit) {
    Card(Modifier.fillMaxWidth().padding(vertical = 4.dp).clickable(onClick = onOpen)) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Tag(row.stageLabel)
                if (!row.isOpen) Tag(row.statusLabel)
                if (row.conflicts > 0u) Badge { Text(row.conflicts.toString()) }
            }
            Text(row.title, style = MaterialTheme.typography.titleMedium)
            Text("${row.mahalla} · ${row.openTasksLabel}", style = MaterialTheme.typography.bodySmall)
            if (row.dueLabel.isNotEmpty()) {
                Text(row.dueLabel, color = if (row.overdue) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurfaceVariant)
            }
            if (row.myTasks.isNotEmpty()) {
                Text(myTasksTitle, style = MaterialTheme.typography.labelLarge)
                for (task in row.myTasks) {
                    Text(
                        "${task.task} · ${task.dueLabel}",
                        color = if (task.overdue) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface,
                    )
                }
            }
        }
    }
}
