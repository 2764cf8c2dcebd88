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
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import uz.suhbat.ffi.DetailRow
import uz.suhbat.ffi.FormKind
import uz.suhbat.ffi.ParentCaseView
import uz.suhbat.shared.ScreenState
import uz.suhbat.shared.SuhbatRepository

/** A parent case: SARA stages, the seven's tasks, notes; every change goes to the core. */
@Composable
fun ParentCaseScreen(repo: SuhbatRepository, caseId: String, navigate: (Route) -> Unit) {
    val screen = rememberScreen(caseId) { repo.parentCase(caseId) }
    val t = rememberTexts(repo, "action.edit", "action.new_referral")
    ScreenContent(screen) { case ->
        Column(Modifier.verticalScroll(rememberScrollState()).padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(case.heading, style = MaterialTheme.typography.headlineSmall)
            Text(case.subtitle)
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Tag(case.statusLabel)
                Tag("${case.stageTitle}: ${case.stageLabel}")
            }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = { navigate(Route.Form(FormKind.PARENT_CASE, case.id)) }) { Text(t("action.edit")) }
                OutlinedButton(onClick = { navigate(Route.Form(FormKind.REFERRAL, about = case.id)) }) { Text(t("action.new_referral")) }
            }
            Stages(case, screen, repo)
            Titled(case.sectionTitles.getOrNull(0)) { Text(case.concern) }
            if (case.assistance.isNotEmpty()) Text(case.assistance.joinToString(" · "))
            Titled(case.sectionTitles.getOrNull(1)) { Rows(case.guardians) }
            Titled(case.sectionTitles.getOrNull(2)) { Rows(case.children) }
            Titled(case.sectionTitles.getOrNull(3)) { Tasks(case, screen, repo, navigate) }
            Titled(case.sectionTitles.getOrNull(4)) {
                TextSaver(case.notes, case.version, case.id + "/notes", case.saveLabel) { text, version -> screen.act { repo.setCaseText(case.id, "notes", text, version) } }
            }
            if (case.outcome.isNotEmpty()) Titled(case.sectionTitles.getOrNull(5)) { Text(case.outcome) }
        }
    }
}

@Composable
private fun Titled(title: String?, content: @Composable () -> Unit) {
    title?.let { Text(it, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(top = 8.dp)) }
    content()
}

@Composable
private fun Rows(rows: List<DetailRow>) {
    for (row in rows) Text("${row.label}: ${row.value}")
}

@Composable
private fun Stages(case: ParentCaseView, screen: ScreenState<ParentCaseView>, repo: SuhbatRepository) {
    for (stage in case.stages) {
        val colors = if (stage.isCurrent) CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.primaryContainer) else CardDefaults.cardColors()
        Card(Modifier.fillMaxWidth(), colors = colors) {
            Column(Modifier.padding(12.dp)) {
                Text(stage.label, style = MaterialTheme.typography.titleSmall)
                if (stage.isCurrent) {
                    TextSaver(stage.content, case.version, case.id + "/" + stage.key, case.saveLabel) { text, version -> screen.act { repo.setCaseText(case.id, stage.key, text, version) } }
                } else if (stage.content.isNotEmpty()) {
                    Text(stage.content)
                }
            }
        }
    }
    if (!case.isOpen) return
    case.nextStage?.let { next ->
        Button(onClick = { screen.act { repo.setCaseStage(case.id, next.stage, "") } }) { Text(case.advanceLabel) }
    }
    case.previousStage?.let { previous ->
        // Moving back needs a reason; the core refuses a blank one with a translated message.
        var reason by remember(case.id, case.stageLabel) { mutableStateOf("") }
        OutlinedTextField(reason, { reason = it }, label = { Text(case.backReasonLabel) }, modifier = Modifier.fillMaxWidth())
        OutlinedButton(onClick = { screen.act { repo.setCaseStage(case.id, previous.stage, reason) } }) { Text(case.backLabel) }
    }
}

/** The seven's tasks: ticked here, each opened (or a new one started) in the core's task form. */
@Composable
private fun Tasks(case: ParentCaseView, screen: ScreenState<ParentCaseView>, repo: SuhbatRepository, navigate: (Route) -> Unit) {
    if (case.tasks.isEmpty()) Text(case.noTasksText)
    for (task in case.tasks) {
        Row(verticalAlignment = Alignment.CenterVertically, modifier = Modifier.clickable { navigate(Route.Form(FormKind.SEVEN_TASK, case.id, task.id)) }) {
            Checkbox(checked = task.done, onCheckedChange = { done -> screen.act { repo.setCaseTaskDone(case.id, task.id, done) } })
            Column {
                Text(task.task)
                Text(
                    listOf(task.roleLabel, task.dueLabel).filter { it.isNotEmpty() }.joinToString(" · "),
                    style = MaterialTheme.typography.bodySmall,
                    color = if (task.overdue) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurfaceVariant,
                )
            }
        }
    }
    OutlinedButton(onClick = { navigate(Route.Form(FormKind.SEVEN_TASK, case.id)) }) { Text(case.addTaskLabel) }
}

/** A text edited in place and saved when the user leaves it changed. */
@Composable
private fun TextSaver(initial: String, version: String, key: String, saveLabel: String, save: (text: String, version: String) -> Unit) {
    // A draft keeps the case version it was started on: a sync that reloads the case neither
    // discards the draft nor lets its save overwrite what the sync brought (the core splices).
    var draft by remember(key) { mutableStateOf<Pair<String, String>?>(null) }
    val text = draft?.first ?: initial
    OutlinedTextField(text, { draft = it to (draft?.second ?: version) }, minLines = 2, modifier = Modifier.fillMaxWidth())
    val started = draft
    if (started != null && started.first != initial) {
        OutlinedButton(onClick = { save(started.first, started.second); draft = null }) { Text(saveLabel) }
    }
}
