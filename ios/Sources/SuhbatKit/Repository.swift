import Foundation
import SuhbatFFI

/// Why a core call failed: the core's own readable message (rules in the user's language).
public struct CoreFailure: Error {
    /// The message to show.
    public let message: String

    /// Takes the message out of a core error, or describes any other error.
    public init(_ error: Error) {
        switch error as? SuhbatError {
        case .Invalid(let text)?, .NotFound(let text)?, .NoSuchConflict(let text)?, .BadInput(let text)?,
             .WrongKey(let text)?, .KeyStore(let text)?, .Storage(let text)?, .Internal(let text)?,
             .NotEnrolled(let text)?, .Refused(let text)?, .Revoked(let text)?, .Sync(let text)?,
             .NotPermitted(let text)?, .Untrusted(let text)?, .ClonedInstall(let text)?, .ReadOnly(let text)?:
            message = text
        case nil:
            message = (error as? CoreFailure)?.message ?? error.localizedDescription
        }
    }
}

/// The app's one entry to the core. Every call runs on a background queue (the core blocks
/// on disk and the Keychain) and returns a `Result` carrying the core's message on failure.
/// Nothing is checked here: rules, ordering, labels and conflicts all come from the core.
public final class SuhbatRepository: @unchecked Sendable {
    /// The open store.
    public let suhbat: Suhbat
    private let queue = DispatchQueue(label: "uz.suhbat.core", qos: .userInitiated)

    /// Wraps an open store.
    public init(suhbat: Suhbat) {
        self.suhbat = suhbat
    }

    /// Runs a core call off the main thread.
    public func call<T>(_ body: @escaping (Suhbat) throws -> T) async -> Result<T, CoreFailure> {
        await withCheckedContinuation { continuation in
            queue.async {
                do {
                    continuation.resume(returning: .success(try body(self.suhbat)))
                } catch {
                    continuation.resume(returning: .failure(CoreFailure(error)))
                }
            }
        }
    }

    /// Runs blocking core work (a sync session step, several calls in a row) off the main
    /// thread, in order with every other call; throws what `body` throws.
    public func perform<T>(_ body: @escaping (Suhbat) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.suhbat) })
            }
        }
    }

    /// Opens the store at `path`; with a `profile`, creates it at first start.
    public static func open(path: String, keys: KeyProvider, profile: DeviceProfile?, notifier: Notifier?) async -> Result<SuhbatRepository, CoreFailure> {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                do {
                    let suhbat: Suhbat
                    if let profile = profile {
                        suhbat = try Suhbat.openOrCreate(path: path, keys: keys, profile: profile, notifier: notifier)
                    } else {
                        suhbat = try Suhbat.`open`(path: path, keys: keys, notifier: notifier)
                    }
                    continuation.resume(returning: .success(SuhbatRepository(suhbat: suhbat)))
                } catch {
                    continuation.resume(returning: .failure(CoreFailure(error)))
                }
            }
        }
    }
}

extension SuhbatRepository {
    /// Catalog texts for `keys` in one call, for labels no view-model carries (field names and
    /// buttons of the shell's own forms). The core returns the key itself for a missing entry;
    /// empty when the store cannot answer.
    public func texts(_ keys: [String]) async -> [String: String] {
        let result = await call { suhbat in
            try keys.reduce(into: [String: String]()) { texts, key in
                texts[key] = try suhbat.text(key: key)
            }
        }
        return (try? result.get()) ?? [:]
    }

    /// The store is enrolled with a hub (it has something to sync with).
    public func enrolled() async -> Bool {
        if case .success(let hub?) = await call({ try $0.hubId() }) {
            return !hub.isEmpty
        }
        return false
    }
}
