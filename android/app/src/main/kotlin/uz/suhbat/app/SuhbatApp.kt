package uz.suhbat.app

import android.app.Application
import java.io.File
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.withContext
import uz.suhbat.app.platform.AndroidKeys
import uz.suhbat.app.platform.WorkManagerNotifier
import uz.suhbat.app.sync.OkHttpConnector
import uz.suhbat.app.sync.SyncWorker
import uz.suhbat.ffi.DeviceProfile
import uz.suhbat.ffi.Locale
import uz.suhbat.ffi.catalogText
import uz.suhbat.ffi.localeForTag
import uz.suhbat.ffi.wipeStore
import uz.suhbat.shared.CoreSyncSessions
import uz.suhbat.shared.HubConnector
import uz.suhbat.shared.SuhbatRepository
import uz.suhbat.shared.SyncSessionFactory

/** The app process: the one open device store and the platform pieces the core uses. */
class SuhbatApp : Application() {
    @Volatile
    private var opened = CompletableDeferred<SuhbatRepository>()
    private val wipes = MutableStateFlow(0)

    /** The device store, once opened (or created at first start). */
    val repository: Deferred<SuhbatRepository> get() = opened

    /** Counts wipes ordered by the hub; screens start over (setup) when it changes. */
    val storeGeneration: StateFlow<Int> get() = wipes

    /** The app language, from the phone's language (Uzbek Latin when not supported). */
    val locale: Locale by lazy { localeForTag(java.util.Locale.getDefault().toLanguageTag()) }

    /** The hub address suggested on the enrolment screen (the store keeps the one enrolled with). */
    val defaultHubUrl: String = BuildConfig.HUB_URL

    /** Starts the core's sync sessions (`Suhbat.startSync()`). */
    val syncSessions: SyncSessionFactory = CoreSyncSessions

    /** OkHttp to the hub, trusting only the hub's authority certificate kept with the store. */
    val hubConnector: HubConnector = OkHttpConnector()

    private val storeFile: File get() = File(filesDir, "device.db")

    /** A store exists on this phone (else the setup screen asks who uses it). */
    fun hasStore(): Boolean = storeFile.exists()

    /** A catalog text in the app language, for screens shown before the store is open. */
    fun text(key: String): String = catalogText(locale, key)

    /** Opens the store, creating it for [profile] at first start. */
    suspend fun open(profile: DeviceProfile?): Result<SuhbatRepository> {
        val pending = opened
        if (pending.isCompleted) return Result.success(pending.await())
        return runCatching {
            val notifier = WorkManagerNotifier(this) { text("screen.worklist") }
            SuhbatRepository.open(storeFile.path, AndroidKeys.provider(this), profile, notifier, Dispatchers.IO).also {
                it.setLocale(locale).getOrThrow()
                it.call { suhbat -> suhbat.refreshReminders() }
                pending.complete(it)
                if (it.call { suhbat -> suhbat.hubId() }.getOrNull() != null) SyncWorker.schedule(this)
            }
        }
    }

    /**
     * The hub revoked this device: stops syncing, closes the store and wipes it (key destroyed,
     * files deleted), as the hub ordered. The screens start over at setup.
     */
    suspend fun wipeAfterRevocation() {
        val pending = opened
        opened = CompletableDeferred()
        if (pending.isCompleted) pending.await().close()
        withContext(Dispatchers.IO) { wipeStore(storeFile.path, AndroidKeys.provider(this@SuhbatApp)) }
        wipes.value += 1
        // Last: cancelling the periodic sync also stops the worker that may be calling this.
        SyncWorker.cancel(this)
    }
}
