import BackgroundTasks
import Foundation
import SuhbatFFI

/// One sync run of the core's sans-IO protocol, as the core's `SyncSession` will expose it:
/// the session produces request frames and consumes responses; the app only carries bytes.
public protocol SyncSessionPort {
    /// The next frame to send to the hub, or nil when the session is done.
    func nextRequest() throws -> Data?
    /// Passes the hub's answer to the last request.
    func handleResponse(_ response: Data) throws
    /// Documents and bytes exchanged so far.
    func progress() -> SyncProgress
    /// What the session did.
    func report() -> String
}

/// Starts sync sessions (wired to the core's `SyncSession` when its bindings land).
public protocol SyncSessionFactory {
    /// A new session for the store of `suhbat`.
    func start(_ suhbat: Suhbat) throws -> SyncSessionPort
}

/// How a sync run ended.
public enum SyncOutcome {
    /// The session finished; the report says what it did.
    case done(String)
    /// The run failed; `retry` when the network was at fault.
    case failed(String, retry: Bool)
}

/// Carries sync frames to the hub over HTTPS: `POST <hub>/sync`, bytes in, bytes out.
public struct URLSessionTransport {
    private let endpoint: URL
    private let session: URLSession

    /// A transport to the hub at `hub`.
    public init(hub: URL, session: URLSession = .shared) {
        self.endpoint = hub.appendingPathComponent("sync")
        self.session = session
    }

    /// Sends one frame; returns the hub's answer or throws on a network or HTTP error.
    public func exchange(_ request: Data) async throws -> Data {
        var http = URLRequest(url: endpoint, timeoutInterval: 60)
        http.httpMethod = "POST"
        http.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        let (body, response) = try await session.upload(for: http, from: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            throw URLError(.badServerResponse)
        }
        return body
    }
}

/// Runs one sync: request, transport, response until the session is done, telling the core
/// the phase and progress so the sync screen shows them.
public struct SyncRunner {
    private let repository: SuhbatRepository
    private let sessions: SyncSessionFactory
    private let transport: URLSessionTransport
    private let maxRounds: Int

    /// A runner over `sessions` and `transport`.
    public init(repository: SuhbatRepository, sessions: SyncSessionFactory, transport: URLSessionTransport, maxRounds: Int = 16) {
        self.repository = repository
        self.sessions = sessions
        self.transport = transport
        self.maxRounds = maxRounds
    }

    /// Syncs once.
    public func run() async -> SyncOutcome {
        let suhbat = repository.suhbat
        try? suhbat.setSyncState(phase: .running, progress: nil, error: nil)
        let outcome: SyncOutcome
        do {
            let session = try sessions.start(suhbat)
            outcome = try await exchange(session, suhbat)
        } catch let error as URLError {
            outcome = .failed(error.localizedDescription, retry: true)
        } catch {
            outcome = .failed(CoreFailure(error).message, retry: false)
        }
        switch outcome {
        case .done:
            try? suhbat.setSyncState(phase: .idle, progress: nil, error: nil)
        case .failed(let message, _):
            try? suhbat.setSyncState(phase: .failed, progress: nil, error: message)
        }
        return outcome
    }

    private func exchange(_ session: SyncSessionPort, _ suhbat: Suhbat) async throws -> SyncOutcome {
        for _ in 0..<maxRounds {
            guard let request = try session.nextRequest() else {
                return .done(session.report())
            }
            try session.handleResponse(try await transport.exchange(request))
            try suhbat.setSyncState(phase: .running, progress: session.progress(), error: nil)
        }
        return .failed("no end after \(maxRounds) rounds", retry: false)
    }
}

/// Background sync with BGTaskScheduler: registered at launch, scheduled every few hours.
public enum BackgroundSync {
    /// The task identifier (also listed in Info.plist).
    public static let identifier = "uz.suhbat.sync"

    /// Registers the task; call before the app finishes launching. `runner` gives the sync
    /// runner when the store is open and sync is configured.
    public static func register(runner: @escaping @MainActor () -> SyncRunner?) {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: nil) { task in
            schedule()
            let work = Task { @MainActor in
                guard let sync = runner() else {
                    task.setTaskCompleted(success: true)
                    return
                }
                let outcome = await sync.run()
                if case .done = outcome {
                    task.setTaskCompleted(success: true)
                } else {
                    task.setTaskCompleted(success: false)
                }
            }
            task.expirationHandler = { work.cancel() }
        }
    }

    /// Asks iOS to run a sync in a few hours, when the network is available.
    public static func schedule() {
        let request = BGProcessingTaskRequest(identifier: identifier)
        request.requiresNetworkConnectivity = true
        request.earliestBeginDate = Date(timeIntervalSinceNow: 6 * 60 * 60)
        try? BGTaskScheduler.shared.submit(request)
    }
}
