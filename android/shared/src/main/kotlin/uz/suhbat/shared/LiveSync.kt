package uz.suhbat.shared

import uz.suhbat.ffi.LiveSync
import uz.suhbat.ffi.Suhbat
import uz.suhbat.ffi.SuhbatException

/**
 * Near-real-time sync while the app runs with a network. The core's [LiveSync] decides when:
 * a sync shortly after each saved change (the store tells it), at once when the hub says
 * something new waits for this phone, retries with growing pauses, nothing while offline.
 * This only carries it out on two background threads: one runs [SyncRunner] when a sync is
 * due, the other holds the hub's long poll ([HubApi.NEWS]). Offline remains the normal case:
 * edits stay in the store and sync later whether this runs or not.
 */
class LiveSyncRunner(
    private val suhbat: Suhbat,
    private val sessions: SyncSessionFactory,
    private val connector: HubConnector,
    online: Boolean,
    private val onOutcome: (SyncOutcome) -> Unit = {},
) : AutoCloseable {
    private val live = LiveSync(online)
    private val syncer: Thread

    init {
        suhbat.attachLiveSync(live)
        syncer = daemon("suhbat-live-sync") {
            while (live.awaitSync()) {
                val outcome = SyncRunner(suhbat, sessions, connector).run()
                live.syncEnded(outcome is SyncOutcome.Done)
                onOutcome(outcome)
                if (outcome is SyncOutcome.Revoked) live.stop()
            }
        }
        // Not joined when closing: its long poll may be out for the hub's whole wait.
        daemon("suhbat-live-news") {
            while (live.awaitListen()) live.listenEnded(askForNews())
        }
    }

    /** The phone's network went up or down (the platform's connectivity callback). */
    fun networkChanged(online: Boolean) = live.networkChanged(online)

    /** Whether saved changes wait for a sync (e.g. while offline). */
    fun hasUnsyncedEdits(): Boolean = live.hasUnsyncedEdits()

    /** One long poll: true when something new waits, false when the hub's wait ran out, null when it failed. */
    private fun askForNews(): Boolean? = try {
        suhbat.startNewsQuery().use { query ->
            val transport = connector.connect(suhbat.hubUrl().orEmpty(), suhbat.hubCaPem())
            query.handleAnswer(transport.post(HubApi.NEWS, query.request()))
        }
    } catch (e: java.io.IOException) {
        null
    } catch (e: SuhbatException) {
        null
    }

    /** Stops without waiting (callable from the main thread): a sync under way finishes on its own. */
    fun stop() {
        suhbat.detachLiveSync()
        live.stop()
    }

    /** Stops and waits for a sync under way to finish; a long poll out ends on its own. */
    override fun close() {
        stop()
        syncer.join()
    }

    private fun daemon(name: String, body: () -> Unit): Thread =
        Thread(body, name).apply {
            isDaemon = true
            start()
        }
}
