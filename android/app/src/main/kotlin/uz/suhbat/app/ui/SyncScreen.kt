package uz.suhbat.app.ui

import android.net.Uri
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import uz.suhbat.app.SuhbatApp
import uz.suhbat.app.sync.SyncWorker
import uz.suhbat.ffi.EnrolInvite
import uz.suhbat.ffi.SyncPhase
import uz.suhbat.ffi.SyncStatus
import uz.suhbat.shared.ScreenState
import uz.suhbat.shared.SuhbatRepository

/**
 * Sync status from the core: last sync, changes not yet sent, progress of a running sync and
 * what the last one did. Before enrolment it shows the enrolment form instead.
 */
@Composable
fun SyncScreen(app: SuhbatApp, repo: SuhbatRepository) {
    val context = LocalContext.current
    val screen = rememberScreen(Unit) { repo.syncStatus() }
    // Sample data writes fake persons that sync to everyone: offered in debug builds only.
    val sampleLabel by produceState("", repo) {
        if (app.sampleDataAllowed) value = repo.text("action.load_samples").getOrDefault("")
    }
    ScreenContent(screen) { status ->
        if (status.enrolled) {
            SyncStatusPanel(repo, screen, status, sampleLabel) { SyncWorker.now(context) }
        } else {
            EnrolForm(app, repo) {
                SyncWorker.schedule(context)
                SyncWorker.now(context)
                app.startLiveSync(repo)
                screen.refresh()
            }
        }
    }
}

/** The status of an enrolled device, with "Sync now". */
@Composable
private fun SyncStatusPanel(repo: SuhbatRepository, screen: ScreenState<SyncStatus>, status: SyncStatus, sampleLabel: String, syncNow: () -> Unit) {
    // While a sync runs, show its progress as the core reports it.
    LaunchedEffect(status.phase) {
        while (status.phase == SyncPhase.RUNNING) {
            delay(500)
            screen.refresh().join()
        }
    }
    Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(status.phaseLabel, style = MaterialTheme.typography.titleLarge)
        Text(status.lastSyncLabel)
        Text(status.pendingLabel)
        // The protocol knows no totals in advance: the bar is indeterminate.
        if (status.phase == SyncPhase.RUNNING) LinearProgressIndicator(modifier = Modifier.fillMaxWidth())
        status.progressLabel?.let { Text(it) }
        status.error?.let { ErrorText(it) }
        for (line in status.lastReportLines) Text(line, style = MaterialTheme.typography.bodySmall)
        Button(
            onClick = {
                syncNow()
                screen.refresh()
            },
            enabled = status.phase != SyncPhase.RUNNING,
        ) { Text(status.syncNowLabel) }
        if (sampleLabel.isNotEmpty()) {
            OutlinedButton(onClick = { screen.act { repo.call { it.addSampleData(System.currentTimeMillis().toULong(), 10u) } } }) {
                Text(sampleLabel)
            }
        }
    }
}

/**
 * Enrolment with the base point: its address, its certificate file (`ca.pem`) whose
 * fingerprint the user compares with the one shown at the base point, and a one-time code.
 * The core checks the address and certificate and keeps them with the store.
 */
@Composable
fun EnrolForm(app: SuhbatApp, repo: SuhbatRepository, onEnrolled: () -> Unit) {
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    val text = { key: String -> app.text(key) }
    var url by remember { mutableStateOf(app.defaultHubUrl) }
    var code by remember { mutableStateOf("") }
    var caPem by remember { mutableStateOf<String?>(null) }
    var fingerprint by remember { mutableStateOf<String?>(null) }
    var confirmed by remember { mutableStateOf(false) }
    var error by remember { mutableStateOf<String?>(null) }
    var busy by remember { mutableStateOf(false) }
    var invite by remember { mutableStateOf<EnrolInvite?>(null) }
    val pickCertificate = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri: Uri? ->
        if (uri == null) return@rememberLauncherForActivityResult
        scope.launch {
            val pem = withContext(Dispatchers.IO) {
                runCatching { context.contentResolver.openInputStream(uri)?.use { it.readBytes().decodeToString() } }.getOrNull()
            }
            // A certificate the invitation names is confirmed by the core, not by eye.
            certificateFingerprint(app, invite, pem.orEmpty()).fold(
                { fingerprint = it; caPem = pem; confirmed = invite != null; error = null },
                { caPem = null; fingerprint = null; confirmed = false; error = it.message },
            )
        }
    }
    Column(
        Modifier.padding(16.dp).verticalScroll(rememberScrollState()),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Text(text("screen.enrol"), style = MaterialTheme.typography.titleLarge)
        Text(text("enrol.explain"))
        InviteField(app) { invite = it; url = it.hubUrl; code = it.code; caPem = null; fingerprint = null; confirmed = false }
        OutlinedTextField(url, { url = it }, label = { Text(text("enrol.hub_url")) }, singleLine = true, modifier = Modifier.fillMaxWidth())
        Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(text("enrol.certificate"))
            OutlinedButton(onClick = { pickCertificate.launch(arrayOf("*/*")) }) { Text(text("enrol.choose_certificate")) }
        }
        fingerprint?.let { fp ->
            Text(text("enrol.fingerprint"), style = MaterialTheme.typography.labelSmall)
            Text(fp, style = MaterialTheme.typography.bodySmall)
            Row(verticalAlignment = Alignment.CenterVertically) {
                Checkbox(confirmed, { confirmed = it })
                Text(text("enrol.confirm_fingerprint"))
            }
        }
        OutlinedTextField(code, { code = it }, label = { Text(text("enrol.code")) }, singleLine = true, modifier = Modifier.fillMaxWidth())
        error?.let { ErrorText(it) }
        Button(
            onClick = {
                busy = true
                scope.launch {
                    repo.enrol(app.hubConnector, url, caPem, code).fold(
                        onSuccess = { error = null; onEnrolled() },
                        onFailure = { error = it.message ?: it.toString() },
                    )
                    busy = false
                }
            },
            // An https address needs a confirmed certificate; the core says so if it lacks one.
            enabled = !busy && url.isNotBlank() && code.isNotBlank() && (caPem == null || confirmed),
        ) { Text(text("action.enrol")) }
    }
}
