package uz.suhbat.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.AssistChip
import androidx.compose.material3.Card
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.produceState
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.unit.dp
import uz.suhbat.ffi.Choice
import uz.suhbat.ffi.DetailSection
import uz.suhbat.shared.ScreenState
import uz.suhbat.shared.SuhbatRepository
import uz.suhbat.shared.UiState

/** Colours of the app. */
@Composable
fun SuhbatTheme(content: @Composable () -> Unit) {
    val colors = lightColorScheme(primary = Color(0xFF0B5D8C), secondary = Color(0xFF2E7D32), error = Color(0xFFB3261E))
    MaterialTheme(colorScheme = colors, content = content)
}

/** A [ScreenState] tied to the composition, loaded once when shown. */
@Composable
fun <T> rememberScreen(key: Any?, load: suspend () -> Result<T>): ScreenState<T> {
    val scope = rememberCoroutineScope()
    val screen = remember(key) { ScreenState(scope, load) }
    LaunchedEffect(screen) { screen.refresh() }
    return screen
}

/** Renders a screen's state: a spinner, the core's error message, or [content]. */
@Composable
fun <T> ScreenContent(screen: ScreenState<T>, content: @Composable (T) -> Unit) {
    val state by screen.state.collectAsState()
    val actionError by screen.actionError.collectAsState()
    Column(Modifier.fillMaxSize()) {
        actionError?.let { ErrorText(it) }
        when (val s = state) {
            is UiState.Loading -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
            is UiState.Failed -> ErrorText(s.message)
            is UiState.Ready -> content(s.value)
        }
    }
}

/** A message from the core shown in the error colour. */
@Composable
fun ErrorText(message: String) {
    Text(message, color = MaterialTheme.colorScheme.error, modifier = Modifier.padding(16.dp))
}

/** A small label (urgency, stage, badge). */
@Composable
fun Tag(text: String) {
    AssistChip(onClick = {}, label = { Text(text) })
}

/** Titled groups of label–value rows. */
@Composable
fun Sections(sections: List<DetailSection>) {
    for (section in sections) {
        Card(Modifier.fillMaxWidth().padding(vertical = 4.dp)) {
            Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Text(section.title, style = MaterialTheme.typography.titleSmall)
                for (row in section.rows) {
                    Text(row.label, style = MaterialTheme.typography.labelSmall)
                    Text(row.value, style = MaterialTheme.typography.bodyMedium)
                }
            }
        }
    }
}

/**
 * Catalog texts from the core for labels no view-model carries (field names, buttons of the
 * shell's own forms); empty until loaded. The core returns the key itself for a missing entry.
 */
@Composable
fun rememberTexts(repo: SuhbatRepository, vararg keys: String): (String) -> String {
    val texts by produceState(emptyMap<String, String>(), repo) {
        value = repo.texts(keys.toList()).getOrDefault(emptyMap())
    }
    return { key -> texts[key].orEmpty() }
}

/** One of the core's choices, picked with chips under a label. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun ChoiceChips(label: String, choices: List<Choice>, selected: String, onSelect: (String) -> Unit) =
    OptionChips(label, choices.map { it.value to it.label }, selected, onSelect)

/** [ChoiceChips] over any values the core labels (a registry book, a stage). */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun <T> OptionChips(label: String, options: List<Pair<T, String>>, selected: T?, onSelect: (T) -> Unit) {
    Column {
        Text(label, style = MaterialTheme.typography.labelLarge)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
            for ((value, shown) in options) {
                FilterChip(selected = selected == value, onClick = { onSelect(value) }, label = { Text(shown) })
            }
        }
    }
}

/** A label above its value (a field of a record shown read-only). */
@Composable
fun Labelled(label: String, value: String) {
    if (value.isEmpty()) return
    Column {
        Text(label, style = MaterialTheme.typography.labelSmall)
        Text(value, style = MaterialTheme.typography.bodyMedium)
    }
}
