package uz.suhbat.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.produceState
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.delay
import uz.suhbat.app.SuhbatApp
import uz.suhbat.app.sync.SyncWorker
import uz.suhbat.ffi.SyncPhase
import uz.suhbat.shared.SuhbatRepository

/** Sync status from the core: last sync, changes not yet sent, progress of a running sync. */
@Composable
fun SyncScreen(app: SuhbatApp, repo: SuhbatRepository) {
    val context = LocalContext.current
    val screen = rememberScreen(Unit) { repo.syncStatus() }
    val sampleLabel by produceState("", repo) { value = repo.text("action.load_samples").getOrDefault("") }
    ScreenContent(screen) { status ->
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
            status.progressFraction?.let { LinearProgressIndicator(progress = { it }, modifier = Modifier.fillMaxWidth()) }
            status.progressLabel?.let { Text(it) }
            status.error?.let { ErrorText(it) }
            Button(
                onClick = { SyncWorker.now(context) },
                enabled = app.syncSessions != null && app.hubUrl.isNotEmpty() && status.phase != SyncPhase.RUNNING,
            ) { Text(status.syncNowLabel) }
            if (sampleLabel.isNotEmpty()) {
                OutlinedButton(onClick = { screen.act { repo.call { it.addSampleData(System.currentTimeMillis().toULong(), 10u) } } }) {
                    Text(sampleLabel)
                }
            }
        }
    }
}
