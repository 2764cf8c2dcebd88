package uz.suhbat.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Warning
import androidx.compose.material3.Badge
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.launch
import uz.suhbat.ffi.Choice
import uz.suhbat.ffi.NewReferral
import uz.suhbat.ffi.ReferralRow
import uz.suhbat.shared.SuhbatRepository

/** Cooperation requests sent from or addressed to this device, as the core orders them. */
@Composable
fun ReferralsScreen(repo: SuhbatRepository, navigate: (Route) -> Unit) {
    val t = rememberTexts(repo, "action.new_referral")
    val screen = rememberScreen(Unit) { repo.referralList() }
    ScreenContent(screen) { list ->
        Row(Modifier.padding(12.dp), verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(list.title, style = MaterialTheme.typography.titleMedium)
            if (list.overdueCount > 0u) Badge { Text(list.overdueCount.toString()) }
            Spacer(Modifier.weight(1f))
            Button(onClick = { navigate(Route.ReferralForm) }) { Text(t("action.new_referral")) }
        }
        if (list.rows.isEmpty()) Text(list.emptyText, modifier = Modifier.padding(16.dp))
        LazyColumn(contentPadding = PaddingValues(horizontal = 12.dp)) {
            items(list.rows, key = { it.id }) { row -> ReferralCard(row) { navigate(Route.Referral(row.id)) } }
        }
    }
}

@Composable
private fun ReferralCard(row: ReferralRow, onOpen: () -> Unit) {
    Card(Modifier.fillMaxWidth().padding(vertical = 4.dp).clickable(onClick = onOpen)) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Tag(row.stateLabel)
                Tag(row.priorityLabel)
                if (row.conflicts > 0u) ConflictMark(row.conflicts)
            }
            Text(row.subject, style = MaterialTheme.typography.titleMedium)
            Text(row.addresseeLabel)
            Text(
                row.dueLabel,
                style = MaterialTheme.typography.bodySmall,
                color = if (row.overdue) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurfaceVariant,
            )
        }
    }
}

/** Open fields with concurrent values (resolved on the conflicts tab). */
@Composable
private fun ConflictMark(count: UInt) {
    Row(verticalAlignment = Alignment.CenterVertically) {
        Icon(Icons.Filled.Warning, contentDescription = null, tint = MaterialTheme.colorScheme.error)
        Text(count.toString(), color = MaterialTheme.colorScheme.error)
    }
}

/** One request: what is asked, the stamped steps, and one button per step the user may take. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun ReferralDetailScreen(repo: SuhbatRepository, referralId: String) {
    val t = rememberTexts(repo, "field.subject", "field.reason", "field.to", "field.note")
    val screen = rememberScreen(referralId) { repo.referralDetail(referralId) }
    ScreenContent(screen) { referral ->
        var note by remember(referral.id, referral.stateLabel) { mutableStateOf("") }
        Column(Modifier.verticalScroll(rememberScrollState()).padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(referral.title, style = MaterialTheme.typography.headlineSmall)
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Tag(referral.stateLabel)
                Tag(referral.priorityLabel)
                if (referral.conflicts > 0u) ConflictMark(referral.conflicts)
            }
            Labelled(t("field.subject"), referral.subject)
            Labelled(t("field.reason"), referral.reason)
            Labelled(t("field.to"), referral.addresseeLabel)
            Text(referral.dueLabel, color = if (referral.overdue) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface)
            for (step in referral.steps) {
                Card(Modifier.fillMaxWidth()) {
                    Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(2.dp)) {
                        Text(step.stateLabel, style = MaterialTheme.typography.titleSmall)
                        Text("${step.by} · ${step.`when`}", style = MaterialTheme.typography.bodySmall)
                        if (step.note.isNotEmpty()) Text(step.note)
                    }
                }
            }
            if (referral.actions.any { it.needsNote }) {
                OutlinedTextField(note, { note = it }, label = { Text(t("field.note")) }, minLines = 2, modifier = Modifier.fillMaxWidth())
            }
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                for (action in referral.actions) {
                    Button(onClick = { screen.act { repo.advanceReferral(referral.id, action.state, note) } }) { Text(action.label) }
                }
            }
        }
    }
}

/** Addressees and priorities of a new request, from the core. */
private suspend fun referralChoices(repo: SuhbatRepository): Result<Pair<List<Choice>, List<Choice>>> {
    val addressees = repo.referralAddressees().getOrElse { return Result.failure(it) }
    return repo.referralPriorities().map { addressees to it }
}

/** Sends a cooperation request; the core checks it and says what is wrong. */
@Composable
fun ReferralFormScreen(repo: SuhbatRepository, onDone: () -> Unit) {
    val t = rememberTexts(
        repo, "action.new_referral", "field.to", "field.mahalla", "field.subject", "field.reason", "field.priority",
        "action.send", "action.cancel",
    )
    val screen = rememberScreen(Unit) { referralChoices(repo) }
    var to by remember { mutableStateOf("") }
    var mahalla by remember { mutableStateOf("") }
    var subject by remember { mutableStateOf("") }
    var reason by remember { mutableStateOf("") }
    var priority by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    var busy by remember { mutableStateOf(false) }
    val scope = rememberCoroutineScope()
    ScreenContent(screen) { (addressees, priorities) ->
        Column(Modifier.verticalScroll(rememberScrollState()).padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(t("action.new_referral"), style = MaterialTheme.typography.headlineSmall)
            ChoiceChips(t("field.to"), addressees, to) { to = it }
            OutlinedTextField(mahalla, { mahalla = it }, label = { Text(t("field.mahalla")) }, singleLine = true, modifier = Modifier.fillMaxWidth())
            OutlinedTextField(subject, { subject = it }, label = { Text(t("field.subject")) }, modifier = Modifier.fillMaxWidth())
            OutlinedTextField(reason, { reason = it }, label = { Text(t("field.reason")) }, minLines = 3, modifier = Modifier.fillMaxWidth())
            ChoiceChips(t("field.priority"), priorities, priority) { priority = it }
            error?.let { ErrorText(it) }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(
                    onClick = {
                        busy = true
                        scope.launch {
                            val referral = NewReferral(
                                to = to,
                                mahalla = mahalla,
                                subject = subject,
                                reason = reason,
                                priority = priority,
                                category = "",
                                personIds = emptyList(),
                                caseId = null,
                            )
                            repo.sendReferral(referral).fold(
                                onSuccess = { error = null; onDone() },
                                onFailure = { error = it.message ?: it.toString() },
                            )
                            busy = false
                        }
                    },
                    enabled = !busy,
                ) { Text(t("action.send")) }
                OutlinedButton(onClick = onDone) { Text(t("action.cancel")) }
            }
        }
    }
}
