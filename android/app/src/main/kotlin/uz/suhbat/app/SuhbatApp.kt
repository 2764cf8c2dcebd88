package uz.suhbat.app

import android.app.Application
import android.net.ConnectivityManager
import android.net.Network
import java.io.File
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import uz.suhbat.app.platform.AndroidKeys
import uz.suhbat.app.platform.AndroidLocation
import uz.suhbat.app.platform.WorkManagerNotifier
import uz.suhbat.app.sync.OkHttpConnector
import uz.suhbat.app.sync.SyncWorker
import uz.suhbat.ffi.DeviceProfile
import uz.suhbat.ffi.Locale
import uz.suhbat.ffi.catalogText
import uz.suhbat.ffi.localeForTag
import uz.suhbat.shared.BackgroundSync
import uz.suhbat.shared.CoreSyncSessions
import uz.suhbat.shared.DeviceStore
import uz.suhbat.shared.HubConnector
import uz.suhbat.shared.LiveSyncRunner
import uz.suhbat.shared.SuhbatRepository
import uz.suhbat.shared.SyncOutcome
import uz.suhbat.shared.SyncSessionFactory

/** The app process: the one open device store and the platform pieces the core uses. */
class SuhbatApp : Application() {
    private val wipes = MutableStateFlow(0)

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

    /** Sample data (fake persons, synced to everyone) may be added: debug builds only. */
    val sampleDataAllowed: Boolean = BuildConfig.DEBUG

    /** The device store, shared by the screens and background sync. */
    val store: DeviceStore by lazy {
        val notifier = WorkManagerNotifier(this) { text("screen.worklist") }
        DeviceStore(File(filesDir, "device.db"), AndroidKeys.provider(this), notifier, locale, Dispatchers.IO)
    }

    /** One background sync: opens the store itself when no screen has. */
    val backgroundSync: BackgroundSync by lazy { BackgroundSync(store, syncSessions, hubConnector) }

    /** The phone's position, given to the core when the store opens (see [AndroidLocation]). */
    val location: AndroidLocation by lazy { AndroidLocation(this) }

    /** An enrolment invitation received from the camera (a `suhbat-enrol:` link), for the enrolment screen. */
    val pendingInvite = MutableStateFlow<String?>(null)

    /** A store exists on this phone (else the setup screen asks who uses it). */
    fun hasStore(): Boolean = store.exists()

    /** A catalog text in the app language, for screens shown before the store is open. */
    fun text(key: String): String = catalogText(locale, key)

    /** Opens the store, creating it for [profile] at first start. */
    suspend fun open(profile: DeviceProfile?): Result<SuhbatRepository> = runCatching {
        store.open(profile).also {
            location.start()
            it.setLocationProvider(location.latest)
            if (it.enrolled()) {
                SyncWorker.schedule(this)
                startLiveSync(it)
            }
        }
    }

    private var liveSync: LiveSyncRunner? = null
    private var networkWatch: ConnectivityManager.NetworkCallback? = null

    /**
     * Near-real-time sync while the app runs (see [LiveSyncRunner]): a saved change goes to
     * the hub within seconds and colleagues' changes come as soon as the hub has them, when
     * the phone has a network. Started once the store is open and enrolled.
     */
    @Synchronized
    fun startLiveSync(repo: SuhbatRepository) {
        if (liveSync != null) return
        val connectivity = getSystemService(ConnectivityManager::class.java)
        val runner = LiveSyncRunner(repo.suhbat, syncSessions, hubConnector, online = connectivity.activeNetwork != null) { outcome ->
            // The background sync meets the revocation too and wipes the store as ordered.
            if (outcome is SyncOutcome.Revoked) SyncWorker.now(this)
        }
        val watch = object : ConnectivityManager.NetworkCallback() {
            override fun onAvailable(network: Network) = runner.networkChanged(true)
            override fun onLost(network: Network) = runner.networkChanged(false)
        }
        connectivity.registerDefaultNetworkCallback(watch)
        liveSync = runner
        networkWatch = watch
    }

    @Synchronized
    private fun stopLiveSync() {
        networkWatch?.let { getSystemService(ConnectivityManager::class.java).unregisterNetworkCallback(it) }
        liveSync?.stop()
        liveSync = null
        networkWatch = null
    }

    /**
     * Background sync wiped the store as the hub ordered: stops syncing; the screens start
     * over at setup.
     */
    fun storeWiped() {
        stopLiveSync()
        wipes.value += 1
        SyncWorker.cancel(this)
    }
}
