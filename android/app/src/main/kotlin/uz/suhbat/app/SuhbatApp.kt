package uz.suhbat.app

import android.app.Application
import java.io.File
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import uz.suhbat.app.platform.AndroidKeys
import uz.suhbat.app.platform.WorkManagerNotifier
import uz.suhbat.app.sync.SyncWorker
import uz.suhbat.ffi.DeviceProfile
import uz.suhbat.ffi.Locale
import uz.suhbat.ffi.catalogText
import uz.suhbat.ffi.localeForTag
import uz.suhbat.shared.SuhbatRepository
import uz.suhbat.shared.SyncSessionFactory

/** The app process: the one open device store and the platform pieces the core uses. */
class SuhbatApp : Application() {
    private val opened = CompletableDeferred<SuhbatRepository>()

    /** The device store, once opened (or created at first start). */
    val repository: Deferred<SuhbatRepository> get() = opened

    /** The app language, from the phone's language (Uzbek Latin when not supported). */
    val locale: Locale by lazy { localeForTag(java.util.Locale.getDefault().toLanguageTag()) }

    /** The hub's base URL (empty: no hub configured). */
    val hubUrl: String = BuildConfig.HUB_URL

    /**
     * Starts the core's sync sessions. Null until the core's `SyncSession` bindings land and
     * a hub is configured; the sync screen then offers "Sync now" and syncs run periodically.
     */
    val syncSessions: SyncSessionFactory? = null

    private val storeFile: File get() = File(filesDir, "device.db")

    /** A store exists on this phone (else the setup screen asks who uses it). */
    fun hasStore(): Boolean = storeFile.exists()

    /** A catalog text in the app language, for screens shown before the store is open. */
    fun text(key: String): String = catalogText(locale, key)

    /** Opens the store, creating it for [profile] at first start. */
    suspend fun open(profile: DeviceProfile?): Result<SuhbatRepository> {
        if (opened.isCompleted) return Result.success(opened.await())
        return runCatching {
            val notifier = WorkManagerNotifier(this) { text("screen.worklist") }
            SuhbatRepository.open(storeFile.path, AndroidKeys.provider(this), profile, notifier, Dispatchers.IO).also {
                it.setLocale(locale).getOrThrow()
                it.call { suhbat -> suhbat.refreshReminders() }
                opened.complete(it)
                if (syncSessions != null && hubUrl.isNotEmpty()) SyncWorker.schedule(this)
            }
        }
    }
}
