package uz.suhbat.shared

import java.io.File
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import uz.suhbat.ffi.DeviceProfile
import uz.suhbat.ffi.KeyProvider
import uz.suhbat.ffi.Locale
import uz.suhbat.ffi.Notifier
import uz.suhbat.ffi.wipeStore

/**
 * The phone's one device store, as the whole process sees it: the screens and background
 * sync both open it here, with the same file and key provider, and share one open instance.
 */
class DeviceStore(
    private val file: File,
    private val keys: KeyProvider,
    private val notifier: Notifier?,
    private val locale: Locale,
    private val io: CoroutineDispatcher,
) {
    private val lock = Mutex()

    /** The store while it is open in this process. */
    @Volatile
    var current: SuhbatRepository? = null
        private set

    /** A store exists on this phone (else setup asks who uses it). */
    fun exists(): Boolean = file.exists()

    /**
     * The open store, opened now if needed; with a [profile], created at first start. Throws
     * [uz.suhbat.ffi.SuhbatException] when it cannot be opened (wrong key, damaged file).
     */
    suspend fun open(profile: DeviceProfile?): SuhbatRepository = lock.withLock { current ?: openLocked(profile) }

    /** Like [open] without a profile, but null when this phone has no store: nothing is created. */
    suspend fun openExisting(): SuhbatRepository? = lock.withLock { current ?: if (file.exists()) openLocked(null) else null }

    private suspend fun openLocked(profile: DeviceProfile?): SuhbatRepository {
        val repository = SuhbatRepository.open(file.path, keys, profile, notifier, io)
        repository.setLocale(locale).onFailure { repository.close() }.getOrThrow()
        repository.call { it.refreshReminders() }
        current = repository
        return repository
    }

    /** Closes the store and wipes it (key destroyed, files deleted), as a revoking hub orders. */
    suspend fun wipe() = lock.withLock {
        current?.close()
        current = null
        withContext(io) { wipeStore(file.path, keys) }
    }
}
