package uz.suhbat.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import uz.suhbat.ffi.FormKind
import uz.suhbat.ffi.Urgency
import uz.suhbat.ffi.WorkItem
import uz.suhbat.ffi.WorkKind
import uz.suhbat.shared.SuhbatRepository

/** Today's worklist as the core orders it; a row opens its person or case. */
@Composable
fun WorklistScreen(repo: SuhbatRepository, navigate: (Route) -> Unit) {
    val screen = rememberScreen(Unit) { repo.worklist() }
    ScreenContent(screen) { list ->
        Text(list.summary, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(16.dp))
        if (list.items.isEmpty()) Text(list.emptyText, modifier = Modifier.padding(16.dp))
        LazyColumn(contentPadding = androidx.compose.foundation.layout.PaddingValues(horizontal = 12.dp)) {
            items(list.items, key = { "${it.recordId}/${it.itemId}/${it.personId}" }) { item ->
                WorkRow(item, list.completeLabel, onOpen = { routeOf(item)?.let(navigate) }) {
                    val itemId = item.itemId ?: return@WorkRow
                    screen.act { repo.completeWorkItem(item.recordId, itemId) }
                }
            }
        }
    }
}

/** Where a row leads. */
private fun routeOf(item: WorkItem): Route? = when (item.kind) {
    WorkKind.SEVEN_TASK -> Route.Case(item.recordId)
    WorkKind.EFFECTIVENESS_CHECK -> Route.Form(FormKind.FOLLOW_UP, item.recordId, item.itemId)
    WorkKind.FOLLOW_UP, WorkKind.AGREED_ACTION ->
        item.personId?.let { Route.Person(it) } ?: Route.Form(FormKind.CONVERSATION, item.recordId)
    WorkKind.REQUEST_TO_ANSWER, WorkKind.REQUEST_OVERDUE, WorkKind.REQUEST_ESCALATED, WorkKind.REQUEST_TO_CLOSE -> Route.Referral(item.recordId)
    WorkKind.APPLICATION_DEADLINE -> Route.Form(FormKind.DECISION, item.recordId)
}

@Composable
private fun WorkRow(item: WorkItem, completeLabel: String, onOpen: () -> Unit, onComplete: () -> Unit) {
    Card(Modifier.fillMaxWidth().padding(vertical = 4.dp).clickable(onClick = onOpen)) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Tag(item.urgencyLabel)
                Text(item.dueLabel, style = MaterialTheme.typography.labelMedium)
            }
            Text(item.title, style = MaterialTheme.typography.titleMedium)
            Text(
                item.reason,
                color = if (item.urgency == Urgency.OVERDUE) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface,
            )
            Text(item.detail, style = MaterialTheme.typography.bodySmall)
            if (item.riskReasons.isNotEmpty()) {
                Text(item.riskReasons.joinToString(" · "), style = MaterialTheme.typography.bodySmall)
            }
            if (item.canComplete) TextButton(onClick = onComplete) { Text(completeLabel) }
        }
    }
}
