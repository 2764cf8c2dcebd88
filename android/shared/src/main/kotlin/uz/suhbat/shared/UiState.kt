package uz.suhbat.shared

/** What a screen shows: loading, the core's view-model, or the core's error message. */
sealed interface UiState<out T> {
    /** The first view-model is being computed. */
    data object Loading : UiState<Nothing>

    /** The view-model to render. */
    data class Ready<T>(val value: T) : UiState<T>

    /** A call failed; [message] is the core's readable (and, for rules, translated) message. */
    data class Failed(val message: String) : UiState<Nothing>
}

/** The value when ready, else null. */
fun <T> UiState<T>.valueOrNull(): T? = (this as? UiState.Ready<T>)?.value
