package uz.suhbat.shared

import uz.suhbat.ffi.Enrolment
import uz.suhbat.ffi.Suhbat
import uz.suhbat.ffi.SuhbatException
import uz.suhbat.ffi.SyncPhase
import uz.suhbat.ffi.SyncProgress
import uz.suhbat.ffi.SyncReport
import uz.suhbat.ffi.SyncSession

/** The hub's HTTP API: frames in, frames out, as `application/octet-stream` POST bodies. */
object HubApi {
    /** Enrolment with a one-time code. */
    const val ENROL = "/v1/enrol"

    /** One round trip of a sync session. */
    const val SYNC = "/v1/sync"

    /** One chunk of an attached file (after the records). */
    const val FILE = "/v1/file"

    /** The long poll: held by the hub until something new waits for this phone (or 25 s). */
    const val NEWS = "/v1/news"

    /** Content type of every frame. */
    const val FRAME_TYPE = "application/octet-stream"
}

/** Carries one frame to the hub and returns its answer (OkHttp on Android). */
fun interface HubTransport {
    /** POSTs [body] to [path] of the hub; returns the answer or throws an IOException. */
    fun post(path: String, body: ByteArray): ByteArray
}

/**
 * Makes transports to a hub at an address, trusting only its authority certificate [caPem]
 * (see [PinnedCa]); null only for the `http://` hubs of local tests.
 */
fun interface HubConnector {
    /** A transport to the hub at [hubUrl]. */
    fun connect(hubUrl: String, caPem: String?): HubTransport
}

/**
 * One sync run of the core's sans-IO protocol: the session produces request frames and
 * consumes response frames; the shell only carries the bytes. Blocking: call off the main
 * thread.
 */
interface SyncSessionPort : AutoCloseable {
    /** The next frame to send to the hub, or null when the session is done. */
    fun nextRequest(): ByteArray?

    /** Passes the hub's answer to the last request. */
    fun handleResponse(response: ByteArray)

    /** Round trips, documents and bytes so far. */
    fun progress(): SyncProgress

    /** What the session did: counts, refused changes, removed documents. */
    fun report(): SyncReport
}

/** Starts sync sessions. */
fun interface SyncSessionFactory {
    /** A new session for the store of [suhbat]. */
    fun start(suhbat: Suhbat): SyncSessionPort
}

/** The core's own sessions (`Suhbat.startSync()`); they keep the sync screen up to date. */
object CoreSyncSessions : SyncSessionFactory {
    override fun start(suhbat: Suhbat): SyncSessionPort = CoreSession(suhbat.startSync())

    private class CoreSession(private val session: SyncSession) : SyncSessionPort {
        override fun nextRequest(): ByteArray? = session.nextRequest()
        override fun handleResponse(response: ByteArray) = session.handleResponse(response)
        override fun progress(): SyncProgress = session.progress()
        override fun report(): SyncReport = session.report()
        override fun close() = session.close()
    }
}

/** How a sync run ended. */
sealed interface SyncOutcome {
    /** The session finished; [report] says what it did. */
    data class Done(val report: SyncReport) : SyncOutcome

    /** The run failed; the next run resumes (sessions are idempotent). */
    data class Failed(val message: String, val retry: Boolean) : SyncOutcome

    /** The hub revoked this device: close the store and wipe it (`wipeStore`). */
    data class Revoked(val message: String) : SyncOutcome
}

/**
 * Runs one sync with the hub the store is enrolled with: request → transport → response until
 * the session is done. The core's session shows running, progress and the report on the sync
 * screen; this only reports network failures. Blocking: run it in a background job.
 */
class SyncRunner(
    private val suhbat: Suhbat,
    private val sessions: SyncSessionFactory,
    private val connector: HubConnector,
    private val maxRounds: Int = 16,
) {
    /** Syncs once. Network failures ask for a retry; a refusal or a broken answer does not. */
    fun run(): SyncOutcome {
        val outcome = try {
            sessions.start(suhbat).use { session -> exchange(session, connector.connect(suhbat.hubUrl().orEmpty(), suhbat.hubCaPem())) }
        } catch (e: SuhbatException.Revoked) {
            SyncOutcome.Revoked(e.message.orEmpty())
        } catch (e: java.io.IOException) {
            SyncOutcome.Failed(e.message ?: e.toString(), retry = true)
        } catch (e: Exception) {
            SyncOutcome.Failed(e.message ?: e.toString(), retry = false)
        }
        if (outcome is SyncOutcome.Failed) suhbat.setSyncState(SyncPhase.FAILED, null, outcome.message)
        return outcome
    }

    private fun exchange(session: SyncSessionPort, transport: HubTransport): SyncOutcome {
        repeat(maxRounds) {
            val request = session.nextRequest() ?: return SyncOutcome.Done(session.report()).also { moveFiles(transport) }
            session.handleResponse(transport.post(HubApi.SYNC, request))
        }
        return SyncOutcome.Failed(phoneText("error.sync_unfinished"), retry = false)
    }

    /**
     * Moves attached files once the records are in (uploads, then files opened or pinned here);
     * the sync screen shows its progress. A failure leaves the records synced: the next run
     * resumes the files at the first chunk the other side lacks, and the sync screen says how
     * many wait ("Files not sent yet").
     */
    private fun moveFiles(transport: HubTransport) {
        try {
            suhbat.startFileTransfer().use { files ->
                while (true) {
                    val request = files.nextRequest() ?: break
                    files.handleResponse(transport.post(HubApi.FILE, request))
                }
            }
        } catch (e: java.io.IOException) {
            // Resumed at the next run.
        } catch (e: SuhbatException) {
            // Resumed at the next run.
        }
    }
}

/**
 * Enrols the store of [suhbat] with a hub, as the enrolment screen does once the user has
 * compared the certificate's fingerprint (`caFingerprint`) with the one the hub printed:
 * keeps the address and certificate with the store (the core checks them), sends the signed
 * request with the one-time [code], hands the answer to the core. Blocking; throws
 * [SuhbatException] (bad address or certificate, refused code) or an IOException.
 */
fun enrolWithHub(suhbat: Suhbat, connector: HubConnector, hubUrl: String, caPem: String?, code: String): Enrolment {
    suhbat.setHub(hubUrl, caPem)
    val transport = connector.connect(suhbat.hubUrl().orEmpty(), suhbat.hubCaPem())
    return suhbat.completeEnrolment(transport.post(HubApi.ENROL, suhbat.enrolRequest(code)))
}

/** What one background sync did, for the platform's job scheduler. */
sealed interface BackgroundSyncResult {
    /** No store on this phone, or it is not enrolled with a hub: nothing was synced. */
    data object NothingToDo : BackgroundSyncResult

    /** The session finished; [report] says what it did. */
    data class Synced(val report: SyncReport) : BackgroundSyncResult

    /** The store could not be opened or the sync failed; [retry] when the network was at fault. */
    data class Failed(val message: String, val retry: Boolean) : BackgroundSyncResult

    /** The hub revoked this device and the store was wiped as ordered. */
    data class Wiped(val message: String) : BackgroundSyncResult
}

/**
 * Background sync without the screens: opens the existing store itself (or shares the one the
 * screens opened), syncs once if it is enrolled, then lets the core compact the store when it
 * has grown; wipes it when the hub revoked the device.
 * Never creates a store. Android's `SyncWorker` only maps the result to WorkManager's.
 */
class BackgroundSync(
    private val store: DeviceStore,
    private val sessions: SyncSessionFactory,
    private val connector: HubConnector,
) {
    /** Syncs once, or says why there was nothing to do. */
    suspend fun run(): BackgroundSyncResult {
        val repository = try {
            store.openExisting() ?: return BackgroundSyncResult.NothingToDo
        } catch (e: SuhbatException) {
            return BackgroundSyncResult.Failed(e.message.orEmpty(), retry = false)
        }
        if (!repository.enrolled()) return BackgroundSyncResult.NothingToDo
        val outcome = repository.call { SyncRunner(it, sessions, connector).run() }
            .getOrElse { SyncOutcome.Failed(it.message.orEmpty(), retry = false) }
        return when (outcome) {
            is SyncOutcome.Done -> {
                // Upkeep while the phone is idle: the core compacts the store when it has grown
                // (a failure leaves the store as it was and is tried after the next sync).
                repository.call { it.tidy() }
                BackgroundSyncResult.Synced(outcome.report)
            }
            is SyncOutcome.Failed -> BackgroundSyncResult.Failed(outcome.message, outcome.retry)
            is SyncOutcome.Revoked -> {
                store.wipe()
                BackgroundSyncResult.Wiped(outcome.message)
            }
        }
    }
}
