package uz.suhbat.app

import android.Manifest
import android.content.Intent
import android.os.Build
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.result.contract.ActivityResultContracts
import uz.suhbat.app.platform.AndroidLocation
import uz.suhbat.app.ui.AppRoot
import uz.suhbat.app.ui.SuhbatTheme
import uz.suhbat.shared.EnrolInvites

/** The one activity: hosts the Compose screens and receives enrolment invitations. */
class MainActivity : ComponentActivity() {
    private val askPermissions = registerForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) {
        (application as SuhbatApp).location.start()
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // Notifications for reminders, location for where a visit takes place.
        val wanted = AndroidLocation.PERMISSIONS.toList() +
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) listOf(Manifest.permission.POST_NOTIFICATIONS) else emptyList()
        askPermissions.launch(wanted.toTypedArray())
        val app = application as SuhbatApp
        receiveInvite(intent)
        setContent {
            SuhbatTheme {
                AppRoot(app)
            }
        }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        receiveInvite(intent)
    }

    /** A `suhbat-enrol:` link (the console's QR code read by the camera) fills the enrolment screen. */
    private fun receiveInvite(intent: Intent?) {
        val link = intent?.data ?: return
        if (link.scheme == EnrolInvites.SCHEME) (application as SuhbatApp).pendingInvite.value = link.toString()
    }
}
