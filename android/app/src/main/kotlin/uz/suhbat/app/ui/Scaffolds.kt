package uz.suhbat.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.pulltorefresh.PullToRefreshBox
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import uz.suhbat.shared.ScreenState
import uz.suhbat.shared.UiState

/**
 * The one list screen: the core's view-model loaded by [screen], a [header] above (title,
 * explanation, buttons), the view-model's [rows] as cards (each drawn by [row] with the view-model, tapping one calls
 * [onOpen]), its [empty] text when there is none, and pull-to-refresh. A new list screen is its
 * view-model call and how one row looks.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun <T, R> ListScreen(
    screen: ScreenState<T>,
    rows: (T) -> List<R>,
    rowKey: (R) -> Any,
    empty: (T) -> String,
    header: @Composable ColumnScope.(T) -> Unit = {},
    onOpen: ((R) -> Unit)? = null,
    row: @Composable ColumnScope.(model: T, item: R) -> Unit,
) {
    val state by screen.state.collectAsState()
    PullToRefreshBox(isRefreshing = state is UiState.Loading, onRefresh = { screen.refresh() }, modifier = Modifier.fillMaxSize()) {
        ScreenContent(screen) { model ->
            val shown = rows(model)
            LazyColumn(contentPadding = PaddingValues(horizontal = 12.dp, vertical = 8.dp)) {
                item { Column(verticalArrangement = Arrangement.spacedBy(6.dp)) { header(model) } }
                if (shown.isEmpty()) item { Text(empty(model), modifier = Modifier.padding(vertical = 16.dp)) }
                items(shown, key = rowKey) { item ->
                    val open = onOpen?.let { Modifier.clickable { it(item) } } ?: Modifier
                    Card(Modifier.fillMaxWidth().padding(vertical = 4.dp).then(open)) {
                        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) { row(model, item) }
                    }
                }
            }
        }
    }
}

/** A list's title and, when there is one, the sentence under it. */
@Composable
fun ListTitle(title: String, subtitle: String = "") {
    if (title.isNotEmpty()) Text(title, style = MaterialTheme.typography.titleMedium)
    if (subtitle.isNotEmpty()) Text(subtitle, style = MaterialTheme.typography.bodySmall)
}

/** A row's tags (urgency, kind) beside a small label (a date). */
@Composable
fun TagLine(vararg tags: String, label: String = "") {
    Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        for (tag in tags) if (tag.isNotEmpty()) Tag(tag)
        if (label.isNotEmpty()) Text(label, style = MaterialTheme.typography.labelMedium)
    }
}

/**
 * The one form screen: a [title], the fields ([content]), the core's [errors] and a [submit]
 * button labelled [submitLabel] (enabled while [canSubmit]), scrolling as one column. The
 * core's generic form, setup and the exchange's actions all stand on it.
 */
@Composable
fun FormScaffold(
    title: String,
    submitLabel: String,
    onSubmit: () -> Unit,
    errors: List<String> = emptyList(),
    canSubmit: Boolean = true,
    actions: @Composable () -> Unit = {},
    content: @Composable ColumnScope.() -> Unit,
) {
    Column(Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(10.dp)) {
        Text(title, style = MaterialTheme.typography.headlineSmall)
        content()
        for (error in errors) ErrorText(error)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = onSubmit, enabled = canSubmit) { Text(submitLabel) }
            actions()
        }
    }
}
