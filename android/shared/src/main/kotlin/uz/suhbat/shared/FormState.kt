package uz.suhbat.shared

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import uz.suhbat.ffi.FieldInput
import uz.suhbat.ffi.Form
import uz.suhbat.ffi.FormField
import uz.suhbat.ffi.FormItem

/** The value of a ticked [uz.suhbat.ffi.FieldKind.FLAG] field (the core's wire value). */
const val FLAG_TRUE = "true"

/** The value of an unticked [uz.suhbat.ffi.FieldKind.FLAG] field. */
const val FLAG_FALSE = "false"

/**
 * A form being edited: the core's [Form] with the values the user typed so far. Submitting
 * sends every field back; the core parses, checks the rules and returns the form again, with
 * each broken rule as a message on its field. Nothing is validated here.
 */
class FormState(
    initial: Form,
    private val repository: SuhbatRepository,
) {
    private val _form = MutableStateFlow(initial)
    private val _message = MutableStateFlow<String?>(null)

    /** The form to render, with the user's edits. */
    val form: StateFlow<Form> = _form.asStateFlow()

    /** "Saved", "Please correct the errors", or why saving failed. */
    val message: StateFlow<String?> = _message.asStateFlow()

    private fun update(key: String, change: (FormField) -> FormField) {
        _form.value = _form.value.copy(fields = _form.value.fields.map { if (it.key == key) change(it) else it })
    }

    /** Sets the text, date, date-time, choice or location value of a field. */
    fun setValue(key: String, value: String) = update(key) { it.copy(value = value) }

    /** Ticks or unticks a yes/no field. */
    fun setFlag(key: String, on: Boolean) = setValue(key, if (on) FLAG_TRUE else FLAG_FALSE)

    /** Sets a one-record link field (a person, a parent case) to [choice], keeping its label to show. */
    fun pick(key: String, choice: uz.suhbat.ffi.Choice) = update(key) {
        it.copy(value = choice.value, choices = it.choices.filter { c -> c.value != choice.value } + choice)
    }

    /** Which record the form edits (empty for a new one). */
    val recordId: String get() = _form.value.recordId

    /** Which part of the record the form edits (a task, a follow-up), or empty. */
    val itemId: String get() = _form.value.itemId

    /** Adds or removes one value of a multi-value field. */
    fun toggle(key: String, value: String) = update(key) {
        it.copy(selected = if (value in it.selected) it.selected - value else it.selected + value)
    }

    /** Adds a value to a multi-value field (a tag, a person). */
    fun add(key: String, value: String, label: String = value) = update(key) {
        if (value.isBlank() || value in it.selected) it
        else it.copy(selected = it.selected + value, choices = it.choices + uz.suhbat.ffi.Choice(value, label))
    }

    /** Appends an empty item to an items field. */
    fun addItem(key: String) = update(key) { it.copy(items = it.items + FormItem("", "", "", "", "", false)) }

    /** Replaces the item at [index] of an items field. */
    fun setItem(key: String, index: Int, item: FormItem) = update(key) {
        it.copy(items = it.items.mapIndexed { i, old -> if (i == index) item else old })
    }

    /** Removes the item at [index] of an items field. */
    fun removeItem(key: String, index: Int) = update(key) {
        it.copy(items = it.items.filterIndexed { i, _ -> i != index })
    }

    /** Every field's current value, as the core expects it back. */
    fun inputs(): List<FieldInput> = _form.value.fields.map { FieldInput(it.key, it.value, it.selected, it.items) }

    /** Saves through the core; returns true when stored. */
    suspend fun submit(): Boolean {
        val current = _form.value
        val result = repository.submitForm(current.kind, current.recordId, current.itemId, current.version, inputs())
        return result.fold(
            onSuccess = {
                _form.value = it.form
                _message.value = it.message
                it.saved
            },
            onFailure = {
                _message.value = it.message ?: it.toString()
                false
            },
        )
    }
}
