package uz.suhbat.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Add
import androidx.compose.material3.Card
import androidx.compose.material3.Checkbox
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.InputChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.launch
import uz.suhbat.ffi.FieldKind
import uz.suhbat.ffi.Form
import uz.suhbat.ffi.FormField
import uz.suhbat.shared.FLAG_TRUE
import uz.suhbat.shared.FormState
import uz.suhbat.shared.SuhbatRepository

/**
 * Any form of the core (every [uz.suhbat.ffi.FormKind]): one editor per field kind, the core's
 * labels, hints and error messages. Saving sends every value back; the core checks the rules.
 */
@Composable
fun FormScreen(repo: SuhbatRepository, key: Any, onDone: () -> Unit, load: suspend () -> Result<Form>) {
    val screen = rememberScreen(key, load)
    ScreenContent(screen) { initial ->
        val state = remember(initial.recordId, initial.itemId) { FormState(initial, repo) }
        val form by state.form.collectAsState()
        val message by state.message.collectAsState()
        val scope = rememberCoroutineScope()
        FormScaffold(
            title = form.title,
            submitLabel = form.saveLabel,
            errors = form.errors,
            onSubmit = { scope.launch { if (state.submit()) onDone() } },
            actions = { OutlinedButton(onClick = onDone) { Text(form.cancelLabel) } },
        ) {
            message?.let { Text(it, style = MaterialTheme.typography.titleSmall) }
            var section = ""
            for (field in form.fields) {
                if (field.section != section) {
                    section = field.section
                    Text(section, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(top = 8.dp))
                }
                FieldEditor(field, form, state, repo)
            }
        }
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun FieldEditor(field: FormField, form: Form, state: FormState, repo: SuhbatRepository) {
    val label = if (field.required) "${field.label} *" else field.label
    val note = field.error ?: field.hint
    val supporting: (@Composable () -> Unit)? = if (note.isNotEmpty()) { { Text(note) } } else null
    when (field.kind) {
        FieldKind.TEXT, FieldKind.LONG_TEXT, FieldKind.DATE, FieldKind.DATE_TIME, FieldKind.LOCATION, FieldKind.NUMBER -> OutlinedTextField(
            value = field.value,
            onValueChange = { state.setValue(field.key, it) },
            label = { Text(label) },
            supportingText = supporting,
            isError = field.error != null,
            singleLine = field.kind != FieldKind.LONG_TEXT,
            minLines = if (field.kind == FieldKind.LONG_TEXT) 3 else 1,
            keyboardOptions = if (field.kind == FieldKind.NUMBER) KeyboardOptions(keyboardType = KeyboardType.Number) else KeyboardOptions.Default,
            modifier = Modifier.fillMaxWidth(),
        )
        FieldKind.FLAG -> Column {
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Switch(checked = field.value == FLAG_TRUE, onCheckedChange = { state.setFlag(field.key, it) })
                Text(label)
            }
            if (note.isNotEmpty()) Text(note, color = if (field.error != null) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurfaceVariant)
        }
        FieldKind.CHOICE -> Column {
            Text(label, style = MaterialTheme.typography.labelLarge)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                for (choice in field.choices) {
                    FilterChip(selected = field.value == choice.value, onClick = { state.setValue(field.key, choice.value) }, label = { Text(choice.label) })
                }
            }
            field.error?.let { ErrorText(it) }
        }
        FieldKind.MULTI_CHOICE -> Column {
            Text(label, style = MaterialTheme.typography.labelLarge)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                for (choice in field.choices) {
                    FilterChip(selected = choice.value in field.selected, onClick = { state.toggle(field.key, choice.value) }, label = { Text(choice.label) })
                }
            }
            field.error?.let { ErrorText(it) }
        }
        FieldKind.TAGS, FieldKind.PERSONS, FieldKind.CASES, FieldKind.PERSON, FieldKind.CASE -> ChipsEditor(field, label, form.addItemLabel, state, repo)
        FieldKind.ITEMS -> ItemsEditor(field, label, form, state)
    }
}

/**
 * Free words ([FieldKind.TAGS]), or records the core offers for the typed words through
 * `linkChoices`: several persons or parent cases ([FieldKind.PERSONS], [FieldKind.CASES]) or
 * one ([FieldKind.PERSON], [FieldKind.CASE], kept in the field's value).
 */
@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun ChipsEditor(field: FormField, label: String, addLabel: String, state: FormState, repo: SuhbatRepository) {
    val single = field.kind == FieldKind.PERSON || field.kind == FieldKind.CASE
    val picked = if (single) listOf(field.value).filter { it.isNotEmpty() } else field.selected
    var typed by remember { mutableStateOf("") }
    var found by remember { mutableStateOf(emptyList<uz.suhbat.ffi.Choice>()) }
    val scope = rememberCoroutineScope()
    Column {
        Text(label, style = MaterialTheme.typography.labelLarge)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
            for (value in picked) {
                val shown = field.choices.firstOrNull { it.value == value }?.label ?: value
                InputChip(selected = true, onClick = { if (single) state.setValue(field.key, "") else state.toggle(field.key, value) }, label = { Text(shown) })
            }
        }
        OutlinedTextField(
            value = typed,
            onValueChange = { text ->
                typed = text
                if (field.kind != FieldKind.TAGS) scope.launch {
                    found = repo.linkChoices(field.kind, text).getOrNull().orEmpty().take(5)
                }
            },
            placeholder = { Text(addLabel) },
            isError = field.error != null,
            supportingText = if (field.error != null) { { Text(field.error.orEmpty()) } } else null,
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
            trailingIcon = if (field.kind == FieldKind.TAGS) {
                {
                    IconButton(onClick = { state.add(field.key, typed.trim()); typed = "" }) {
                        Icon(Icons.Filled.Add, contentDescription = addLabel)
                    }
                }
            } else null,
        )
        for (choice in found) {
            TextButton(onClick = {
                if (single) state.pick(field.key, choice) else state.add(field.key, choice.value, choice.label)
                typed = ""
                found = emptyList()
            }) { Text(choice.label) }
        }
    }
}

/** Items of a list field: agreed actions (text, due date, done), participants (name and role), family members (name, relation). */
@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun ItemsEditor(field: FormField, label: String, form: Form, state: FormState) {
    Column(verticalArrangement = Arrangement.spacedBy(6.dp)) {
        Text(label, style = MaterialTheme.typography.labelLarge)
        field.error?.let { ErrorText(it) }
        field.items.forEachIndexed { index, item ->
            Card(Modifier.fillMaxWidth()) {
                Column(Modifier.padding(8.dp)) {
                    OutlinedTextField(
                        item.text,
                        { state.setItem(field.key, index, item.copy(text = it)) },
                        label = { Text(field.itemTextLabel) },
                        modifier = Modifier.fillMaxWidth(),
                    )
                    ItemLine(field.itemDetailLabel, item.detail) { state.setItem(field.key, index, item.copy(detail = it)) }
                    if (field.choices.isNotEmpty()) {
                        FlowRow(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                            for (choice in field.choices) {
                                FilterChip(
                                    selected = item.choice == choice.value,
                                    onClick = { state.setItem(field.key, index, item.copy(choice = choice.value)) },
                                    label = { Text(choice.label) },
                                )
                            }
                        }
                    }
                    ItemLine(field.itemDateLabel, item.date) { state.setItem(field.key, index, item.copy(date = it)) }
                    if (field.itemDoneLabel.isNotEmpty()) {
                        Row(verticalAlignment = Alignment.CenterVertically) {
                            Checkbox(checked = item.done, onCheckedChange = { state.setItem(field.key, index, item.copy(done = it)) })
                            Text(field.itemDoneLabel)
                        }
                    }
                    TextButton(onClick = { state.removeItem(field.key, index) }) { Text(form.removeItemLabel) }
                }
            }
        }
        OutlinedButton(onClick = { state.addItem(field.key) }) { Text(form.addItemLabel) }
    }
}

/** One line of an item (its second line, its date), shown only when the field labels it. */
@Composable
private fun ItemLine(label: String, value: String, onChange: (String) -> Unit) {
    if (label.isEmpty()) return
    OutlinedTextField(value, onChange, label = { Text(label) }, singleLine = true, modifier = Modifier.fillMaxWidth())
}
