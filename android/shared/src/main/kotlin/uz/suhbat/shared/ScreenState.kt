package uz.suhbat.shared

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch

/**
 * Holds one screen's view-model: loads it from the core, reloads it after every user
 * action, and keeps the message of an action the core refused. Screens observe [state] and
 * [actionError]; they never compute anything themselves.
 */
class ScreenState<T>(
    private val scope: CoroutineScope,
    private val load: suspend () -> Result<T>,
) {
    private val _state = MutableStateFlow<UiState<T>>(UiState.Loading)
    private val _actionError = MutableStateFlow<String?>(null)
    private var loading: Job? = null

    /** The view-model to render. */
    val state: StateFlow<UiState<T>> = _state.asStateFlow()

    /** Why the last action was refused (a rule, a missing record), until the next action. */
    val actionError: StateFlow<String?> = _actionError.asStateFlow()

    /** Loads the view-model again; a newer load replaces one still running. */
    fun refresh(): Job {
        loading?.cancel()
        return scope.launch {
            _state.value = load().fold({ UiState.Ready(it) }, { UiState.Failed(it.message ?: it.toString()) })
        }.also { loading = it }
    }

    /** Forwards a user action to the core, then reloads the screen. */
    fun act(action: suspend () -> Result<*>): Job = scope.launch {
        _actionError.value = action().exceptionOrNull()?.let { it.message ?: it.toString() }
        refresh().join()
    }
}

/** The person search screen: the query typed so far and the core's list for it. */
class PersonSearch(scope: CoroutineScope, private val repository: SuhbatRepository) {
    private val _query = MutableStateFlow("")

    /** The text in the search box. */
    val query: StateFlow<String> = _query.asStateFlow()

    /** The list for the current query. */
    val list = ScreenState(scope) { repository.personList(_query.value) }

    /** Changes the query and searches again (script-insensitive, in the core). */
    fun search(text: String): Job {
        _query.value = text
        return list.refresh()
    }
}
