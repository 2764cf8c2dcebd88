import Foundation
import SuhbatFFI

/// Near-real-time sync while the app runs with a network. The core's `LiveSync` decides when:
/// shortly after each saved change (the store tells it), at once when the hub says something
/// new waits for this phone, retries with growing pauses, nothing while offline. This only
/// carries it out on two background threads: one runs `SyncRunner` when a sync is due, the
/// other holds the hub's long poll (`HubAPI.news`). Offline remains the normal case: edits stay
/// in the store and sync later whether this runs or not.
public final class LiveSyncRunner: @unchecked Sendable {
    private let live: LiveSync
    private let repository: SuhbatRepository
    private let runner: SyncRunner
    private let onOutcome: @Sendable (SyncOutcome) -> Void

    /// Starts live sync of the store of `repository`; `online` says whether the phone has a
    /// network now. `onOutcome` hears of every sync (a revocation stops the loops).
    public init(
        repository: SuhbatRepository,
        sessions: SyncSessionFactory,
        online: Bool,
        onOutcome: @escaping @Sendable (SyncOutcome) -> Void = { _ in }
    ) async throws {
        let live = LiveSync(online: online)
        try await repository.perform { try $0.attachLiveSync(live: live) }
        self.live = live
        self.repository = repository
        self.runner = SyncRunner(repository: repository, sessions: sessions)
        self.onOutcome = onOutcome
        Thread { [self] in syncLoop() }.start()
        Thread { [self] in listenLoop() }.start()
    }

    /// The phone's network went up or down (from `NWPathMonitor`).
    public func networkChanged(online: Bool) {
        try? live.networkChanged(online: online)
    }

    /// Whether saved changes wait for a sync (e.g. while offline).
    public func hasUnsyncedEdits() -> Bool {
        (try? live.hasUnsyncedEdits()) ?? true
    }

    /// Stops both loops: a sync under way finishes first; a long poll out ends on its own.
    public func stop() async {
        _ = await repository.call { try $0.detachLiveSync() }
        try? live.stop()
    }

    private func syncLoop() {
        while (try? live.awaitSync()) ?? false {
            let outcome = waitFor { await self.runner.run() } ?? .failed(phoneText("sync.interrupted"), retry: true)
            if case .done = outcome {
                try? live.syncEnded(ok: true)
            } else {
                try? live.syncEnded(ok: false)
            }
            onOutcome(outcome)
            if case .revoked = outcome {
                try? live.stop()
            }
        }
    }

    private func listenLoop() {
        while (try? live.awaitListen()) ?? false {
            try? live.listenEnded(news: waitFor { await self.askForNews() } ?? nil)
        }
    }

    /// One long poll: true when something new waits, false when the hub's wait ran out, nil
    /// when it failed (asked again after a pause).
    private func askForNews() async -> Bool? {
        do {
            let (query, transport) = try await repository.perform { suhbat in
                (try suhbat.startNewsQuery(), try URLSessionTransport.forStore(suhbat))
            }
            let answer = try await transport.post(HubAPI.news, try query.request())
            return try await repository.perform { _ in try query.handleAnswer(answer: answer) }
        } catch {
            return nil
        }
    }

    /// Runs `body` with Swift concurrency and blocks this thread (one of the loops' own, never
    /// a cooperative one) until it ends.
    private func waitFor<T>(_ body: @escaping @Sendable () async -> T) -> T? {
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox<T>()
        Task {
            result.value = await body()
            done.signal()
        }
        done.wait()
        return result.value
    }
}

/// Carries a value from a task to the thread waiting for it (the semaphore orders the access).
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
