import BackgroundTasks
import Foundation
import Security
import SuhbatFFI

/// The hub's HTTP API: frames in, frames out, as `application/octet-stream` POST bodies.
public enum HubAPI {
    /// Enrolment with a one-time code.
    public static let enrol = "v1/enrol"
    /// One round trip of a sync session.
    public static let sync = "v1/sync"
    /// One chunk of an attached file (after the records).
    public static let file = "v1/file"
    /// The long poll: held by the hub until something new waits for this phone (or 25 s).
    public static let news = "v1/news"
}

/// One sync run of the core's sans-IO protocol: the session produces request frames and
/// consumes responses; the app only carries bytes. The generated `SyncSession` is one.
public protocol SyncSessionPort {
    /// The next frame to send to the hub, or nil when the session is done.
    func nextRequest() throws -> Data?
    /// Passes the hub's answer to the last request.
    func handleResponse(response: Data) throws
    /// Round trips, documents and bytes so far.
    func progress() throws -> SyncProgress
    /// What the session did: counts, refused changes, removed documents.
    func report() throws -> SyncReport
}

extension SyncSession: SyncSessionPort {}

/// Starts sync sessions.
public protocol SyncSessionFactory {
    /// A new session for the store of `suhbat`.
    func start(_ suhbat: Suhbat) throws -> SyncSessionPort
}

/// The core's own sessions (`Suhbat.startSync()`); they keep the sync screen up to date.
public struct CoreSyncSessions: SyncSessionFactory {
    /// The factory.
    public init() {}

    /// A new core session.
    public func start(_ suhbat: Suhbat) throws -> SyncSessionPort {
        try suhbat.startSync()
    }
}

/// How a sync run ended.
public enum SyncOutcome {
    /// The session finished; the report says what it did.
    case done(SyncReport)
    /// The run failed; `retry` when the network was at fault.
    case failed(String, retry: Bool)
    /// The hub revoked this device: close the store and wipe it (`wipeStore`).
    case revoked(String)
}

/// Trusts only the hub's authority certificate (its `ca.pem`, kept with the store at
/// enrolment) for the hub's TLS, never the phone's public CAs; host names are still checked.
final class PinnedAuthority: NSObject, URLSessionDelegate {
    private let anchor: SecCertificate

    /// Nil when `pem` holds no certificate.
    init?(pem: String) {
        guard let der = try? caCertificateDer(pem: pem),
              let certificate = SecCertificateCreateWithData(nil, der as CFData) else { return nil }
        anchor = certificate
    }

    func urlSession(
        _ session: URLSession,
        didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        guard challenge.protectionSpace.authenticationMethod == NSURLAuthenticationMethodServerTrust,
              let trust = challenge.protectionSpace.serverTrust else {
            completionHandler(.performDefaultHandling, nil)
            return
        }
        SecTrustSetAnchorCertificates(trust, [anchor] as CFArray)
        SecTrustSetAnchorCertificatesOnly(trust, true)
        var error: CFError?
        if SecTrustEvaluateWithError(trust, &error) {
            completionHandler(.useCredential, URLCredential(trust: trust))
        } else {
            completionHandler(.cancelAuthenticationChallenge, nil)
        }
    }
}

/// Carries frames to the hub over HTTPS: `POST <hub>/<path>`, bytes in, bytes out, trusting
/// only the hub's authority certificate.
public final class URLSessionTransport {
    private let hub: URL
    private let session: URLSession

    /// A transport to the hub at `hub`; `caPEM` is its authority certificate (nil only for
    /// the `http://` hubs of local tests). Nil when the certificate cannot be read.
    public init?(hub: URL, caPEM: String?) {
        self.hub = hub
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        if let pem = caPEM {
            guard let delegate = PinnedAuthority(pem: pem) else { return nil }
            session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        } else {
            session = URLSession(configuration: configuration)
        }
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// POSTs one frame to `path`; returns the hub's answer or throws on a network or HTTP error.
    public func post(_ path: String, _ body: Data) async throws -> Data {
        var http = URLRequest(url: hub.appendingPathComponent(path), timeoutInterval: 60)
        http.httpMethod = "POST"
        http.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        let (answer, response) = try await session.upload(for: http, from: body)
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            throw URLError(.badServerResponse)
        }
        return answer
    }

    /// A transport to the hub the store of `suhbat` is enrolled with.
    static func forStore(_ suhbat: Suhbat) throws -> URLSessionTransport {
        guard let address = try suhbat.hubUrl(), let hub = URL(string: address),
              let transport = URLSessionTransport(hub: hub, caPEM: try suhbat.hubCaPem()) else {
            throw URLError(.badURL)
        }
        return transport
    }
}

/// Runs one sync with the hub the store is enrolled with: request, transport, response until
/// the session is done. The core's session shows running, progress and the report on the
/// sync screen; this only reports network failures. Core calls run off the main thread.
public struct SyncRunner {
    private let repository: SuhbatRepository
    private let sessions: SyncSessionFactory
    private let maxRounds: Int

    /// A runner over the store of `repository`.
    public init(repository: SuhbatRepository, sessions: SyncSessionFactory, maxRounds: Int = 16) {
        self.repository = repository
        self.sessions = sessions
        self.maxRounds = maxRounds
    }

    /// Syncs once.
    public func run() async -> SyncOutcome {
        let outcome: SyncOutcome
        do {
            let (session, transport) = try await repository.perform { suhbat in
                (try sessions.start(suhbat), try URLSessionTransport.forStore(suhbat))
            }
            outcome = try await exchange(session, transport)
        } catch SuhbatError.Revoked(let message) {
            outcome = .revoked(message)
        } catch let error as URLError {
            outcome = .failed(error.localizedDescription, retry: true)
        } catch {
            outcome = .failed(CoreFailure(error).message, retry: false)
        }
        if case .failed(let message, _) = outcome {
            _ = await repository.call { try $0.setSyncState(phase: .failed, progress: nil, error: message) }
        }
        return outcome
    }

    private func exchange(_ session: SyncSessionPort, _ transport: URLSessionTransport) async throws -> SyncOutcome {
        for _ in 0..<maxRounds {
            guard let request = try await repository.perform({ _ in try session.nextRequest() }) else {
                let report = try await repository.perform { _ in try session.report() }
                await moveFiles(transport)
                return .done(report)
            }
            let answer = try await transport.post(HubAPI.sync, request)
            try await repository.perform { _ in try session.handleResponse(response: answer) }
        }
        return .failed(phoneText("error.sync_unfinished"), retry: false)
    }

    /// Moves attached files once the records are in (uploads, then files opened or pinned
    /// here); the sync screen shows its progress. A failure leaves the records synced: the next
    /// run resumes at the first chunk the other side lacks, and the sync screen says how many
    /// files wait.
    private func moveFiles(_ transport: URLSessionTransport) async {
        do {
            let files = try await repository.perform { try $0.startFileTransfer() }
            while let request = try await repository.perform({ _ in try files.nextRequest() }) {
                let answer = try await transport.post(HubAPI.file, request)
                try await repository.perform { _ in try files.handleResponse(response: answer) }
            }
        } catch {
            // Resumed at the next run.
        }
    }
}

/// Enrols the store with a hub, as the enrolment screen does once the user has compared the
/// certificate's fingerprint (`caFingerprint`) with the one the hub printed: keeps the address
/// and certificate with the store (the core checks them), sends the signed request with the
/// one-time `code`, hands the answer to the core.
public func enrolWithHub(_ repository: SuhbatRepository, hubURL: String, caPEM: String?, code: String) async -> Result<Enrolment, CoreFailure> {
    do {
        let (request, transport) = try await repository.perform { suhbat in
            _ = try suhbat.setHub(url: hubURL, caPem: caPEM)
            return (try suhbat.enrolRequest(code: code), try URLSessionTransport.forStore(suhbat))
        }
        let answer = try await transport.post(HubAPI.enrol, request)
        return .success(try await repository.perform { try $0.completeEnrolment(response: answer) })
    } catch {
        return .failure(CoreFailure(error))
    }
}

/// Background sync with BGTaskScheduler: registered at launch, scheduled every few hours.
public enum BackgroundSync {
    /// The task identifier (also listed in Info.plist).
    public static let identifier = "uz.suhbat.sync"

    /// Registers the task; call before the app finishes launching. `app` opens the existing
    /// store itself when iOS launched the app without screens (see `AppModel.backgroundSync`).
    /// Only a finished sync is reported as success; with nothing to sync (no store, not
    /// enrolled, wiped) the task reports no success and stops being scheduled until setup or
    /// enrolment schedules it again.
    public static func register(app: AppModel) {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: nil) { task in
            schedule()
            let work = Task { @MainActor in
                switch await app.backgroundSync() {
                case .synced:
                    task.setTaskCompleted(success: true)
                case .failed:
                    task.setTaskCompleted(success: false)
                case .nothingToDo, .wiped:
                    BGTaskScheduler.shared.cancel(taskRequestWithIdentifier: identifier)
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
