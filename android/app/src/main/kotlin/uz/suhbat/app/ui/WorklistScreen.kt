package uz.suhbat.app.ui

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import uz.suhbat.ffi.FormKind
import uz.suhbat.ffi.Urgency
import uz.suhbat.ffi.WorkItem
import uz.suhbat.ffi.WorkKind
import uz.suhbat.shared.SuhbatRepository

/** Today's worklist as the core orders it; a row opens its person or case. */
@Composable
fun WorklistScreen(repo: SuhbatRepository, navigate: (Route) -> Unit) {
    val screen = rememberScreen(Unit) { repo.worklist() }
    ListScreen(
        screen,
        rows = { it.items },
        rowKey = { "${it.recordId}/${it.itemId}/${it.personId}" },
        empty = { it.emptyText },
        header = { ListTitle(it.summary) },
        onOpen = { item -> routeOf(item)?.let(navigate) },
    ) { list, item ->
        TagLine(item.urgencyLabel, label = item.dueLabel)
        Text(item.title, style = MaterialTheme.typography.titleMedium)
        Text(item.reason, color = if (item.urgency == Urgency.OVERDUE) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface)
        Text(item.detail, style = MaterialTheme.typography.bodySmall)
        if (item.riskReasons.isNotEmpty()) Text(item.riskReasons.joinToString(" · "), style = MaterialTheme.typography.bodySmall)
        val itemId = item.itemId
        if (item.canComplete && itemId != null) {
            TextButton(onClick = { screen.act { repo.completeWorkItem(item.recordId, itemId) } }) { Text(list.completeLabel) }
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
