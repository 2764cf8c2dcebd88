package uz.suhbat.shared

import uz.suhbat.ffi.Suhbat
import uz.suhbat.ffi.SyncPhase
import uz.suhbat.ffi.SyncProgress

/**
 * One sync run of the core's sans-IO protocol, as the core's `SyncSession` will expose it:
 * the session produces request frames and consumes response frames; the shell only carries
 * the bytes. Implemented over the generated bindings once the core's sync module lands.
 */
interface SyncSessionPort : AutoCloseable {
    /** The next frame to send to the hub, or null when the session is done. */
    fun nextRequest(): ByteArray?

    /** Passes the hub's answer to the last request. */
    fun handleResponse(response: ByteArray)

    /** Documents and bytes exchanged so far. */
    fun progress(): SyncProgress

    /** What the session did, for the log and the sync screen. */
    fun report(): String
}

/** Starts sync sessions (wired to the core's `SyncSession` when its bindings land). */
fun interface SyncSessionFactory {
    /** A new session for the store of [suhbat]. */
    fun start(suhbat: Suhbat): SyncSessionPort
}

/** Carries one frame to the hub and returns its answer (OkHttp on Android, URLSession on iOS). */
fun interface SyncTransport {
    /** Sends [request]; returns the response body or throws on a network or HTTP error. */
    fun exchange(request: ByteArray): ByteArray
}

/** How a sync run ended. */
sealed interface SyncOutcome {
    /** The session finished; [report] says what it did. */
    data class Done(val report: String) : SyncOutcome

    /** The run failed; the next run resumes (sessions are idempotent). */
    data class Failed(val message: String, val retry: Boolean) : SyncOutcome
}

/**
 * Runs one sync: request → transport → response until the session is done, telling the core
 * the phase and progress so the sync screen shows them. Blocking: run it in a background job.
 */
class SyncRunner(
    private val suhbat: Suhbat,
    private val sessions: SyncSessionFactory,
    private val transport: SyncTransport,
    private val maxRounds: Int = 16,
) {
    /** Syncs once. Network failures ask for a retry; a session error does not. */
    fun run(): SyncOutcome {
        suhbat.setSyncState(SyncPhase.RUNNING, null, null)
        val outcome = try {
            sessions.start(suhbat).use { session -> exchange(session) }
        } catch (e: java.io.IOException) {
            SyncOutcome.Failed(e.message ?: e.toString(), retry = true)
        } catch (e: Exception) {
            SyncOutcome.Failed(e.message ?: e.toString(), retry = false)
        }
        when (outcome) {
            is SyncOutcome.Done -> suhbat.setSyncState(SyncPhase.IDLE, null, null)
            is SyncOutcome.Failed -> suhbat.setSyncState(SyncPhase.FAILED, null, outcome.message)
        }
        return outcome
    }

    private fun exchange(session: SyncSessionPort): SyncOutcome {
        repeat(maxRounds) {
            val request = session.nextRequest() ?: return SyncOutcome.Done(session.report())
            session.handleResponse(transport.exchange(request))
            suhbat.setSyncState(SyncPhase.RUNNING, session.progress(), null)
        }
        return SyncOutcome.Failed("no end after $maxRounds rounds", retry = false)
    }
}
