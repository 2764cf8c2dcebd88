package uz.suhbat.app.ui

import android.content.Context
import android.content.Intent
import android.net.Uri
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.Canvas
import androidx.compose.foundation.background
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.size
import androidx.compose.material3.OutlinedTextField
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.unit.dp
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.platform.LocalContext
import androidx.core.content.FileProvider
import java.io.File
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import uz.suhbat.ffi.ExchangeReport
import uz.suhbat.ffi.Screen
import uz.suhbat.ffi.SummaryCode
import uz.suhbat.shared.BundleExchange
import uz.suhbat.shared.SuhbatRepository

/**
 * Device-to-device exchange: saves a bundle of this phone's changes and hands it to the share
 * sheet (Bluetooth, a messenger, a cable), or opens a bundle received from another phone and
 * shows the core's report of the merge. To send less, the receiving phone shows its summary as
 * a QR code; its text (read with the camera, or pasted) makes a bundle of only what it lacks.
 */
@Composable
fun ExchangeScreen(repo: SuhbatRepository, navigate: (Route) -> Unit) {
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    val exchange = remember(repo) { BundleExchange(repo) }
    val screen = rememberScreen(Unit) { repo.exchange() }
    val t = rememberTexts(repo, "screen.conflicts")
    var report by remember { mutableStateOf<ExchangeReport?>(null) }
    var error by remember { mutableStateOf<String?>(null) }
    var myCode by remember { mutableStateOf<SummaryCode?>(null) }
    var theirCode by remember { mutableStateOf("") }
    val receive = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri: Uri? ->
        if (uri == null) return@rememberLauncherForActivityResult
        scope.launch {
            val bytes = withContext(Dispatchers.IO) { runCatching { context.contentResolver.openInputStream(uri)?.use { it.readBytes() } }.getOrNull() }
            exchange.receive(bytes ?: ByteArray(0)).fold({ report = it; error = null }, { report = null; error = it.message })
        }
    }
    ScreenContent(screen) { model ->
        FormScaffold(
            title = model.title,
            submitLabel = model.exportLabel,
            errors = listOfNotNull(error),
            onSubmit = {
                scope.launch {
                    exchange.save(File(context.cacheDir, "exchange")).fold({ share(context, it, model.mediaType) }, { error = it.message })
                }
            },
            actions = {
                OutlinedButton(onClick = { receive.launch(arrayOf("*/*")) }) { Text(model.receiveLabel) }
                OutlinedButton(onClick = { scope.launch { repo.summaryCode().fold({ myCode = it; error = null }, { error = it.message }) } }) { Text(model.showCodeLabel) }
            },
        ) {
            Text(model.explanation)
            myCode?.let { code ->
                Text(code.explanation)
                QrCodeImage(code, Modifier.size(240.dp))
            }
            OutlinedTextField(value = theirCode, onValueChange = { theirCode = it }, singleLine = true, modifier = Modifier.fillMaxWidth())
            OutlinedButton(
                enabled = theirCode.isNotBlank(),
                onClick = {
                    scope.launch {
                        exchange.save(File(context.cacheDir, "exchange"), theirCode).fold({ share(context, it, model.mediaType) }, { error = it.message })
                    }
                },
            ) { Text(model.sendForCodeLabel) }
            report?.let { merged ->
                Text(merged.title, style = MaterialTheme.typography.titleMedium)
                for (line in merged.lines) Text(line)
                if (merged.conflicts > 0u) OutlinedButton(onClick = { navigate(Route.Open(Screen.CONFLICTS)) }) { Text(t("screen.conflicts")) }
            }
        }
    }
}

/** A QR code the core made, drawn module by module (white margin of four modules). */
@Composable
private fun QrCodeImage(code: SummaryCode, modifier: Modifier) {
    val side = code.size.toInt()
    Canvas(modifier.background(Color.White)) {
        val module = size.minDimension / (side + 8)
        for (row in 0 until side) for (col in 0 until side) {
            if (code.dark[row * side + col]) drawRect(Color.Black, Offset((col + 4) * module, (row + 4) * module), Size(module, module))
        }
    }
}

/** Hands a saved bundle to the platform's share sheet. */
private fun share(context: Context, file: File, mediaType: String) {
    val uri = FileProvider.getUriForFile(context, context.packageName + ".files", file)
    val send = Intent(Intent.ACTION_SEND).setType(mediaType).putExtra(Intent.EXTRA_STREAM, uri).addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
    context.startActivity(Intent.createChooser(send, file.name))
}
