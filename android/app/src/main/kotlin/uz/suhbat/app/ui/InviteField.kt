package uz.suhbat.app.ui

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import uz.suhbat.app.SuhbatApp
import uz.suhbat.ffi.EnrolInvite
import uz.suhbat.ffi.caFingerprint
import uz.suhbat.shared.EnrolInvites

/**
 * The hub's enrolment invitation on the enrolment screen: pasted, or received from the camera
 * app that scanned the console's QR code (a `suhbat-enrol:` link). The core reads it; a good
 * one is handed to [onInvite] (address and code), a bad one shows the core's message.
 */
@Composable
fun InviteField(app: SuhbatApp, onInvite: (EnrolInvite) -> Unit) {
    val invites = remember(app) { EnrolInvites(app.locale) }
    val received by app.pendingInvite.collectAsState()
    var text by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    val read: (String) -> Unit = { typed ->
        text = typed
        if (typed.isBlank()) {
            error = null
        } else {
            invites.read(typed).fold({ error = null; onInvite(it) }, { error = it.message })
        }
    }
    LaunchedEffect(received) { received?.let { read(it); app.pendingInvite.value = null } }
    OutlinedTextField(text, { read(it) }, label = { Text(app.text("enrol.invite")) }, singleLine = true, modifier = Modifier.fillMaxWidth())
    error?.let { ErrorText(it) }
}

/**
 * The fingerprint of the certificate [pem]: checked by the core against the [invite]'s when
 * there is one (then no comparison by eye is needed), else only read for the user to compare.
 */
fun certificateFingerprint(app: SuhbatApp, invite: EnrolInvite?, pem: String): Result<String> =
    if (invite != null) EnrolInvites(app.locale).certificate(invite, pem) else runCatching { caFingerprint(pem) }
