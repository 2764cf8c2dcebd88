import Foundation
import Network
import SuhbatFFI

/// The app: the one open device store and the platform pieces the core uses.
public final class AppModel: ObservableObject {
    /// The open store, once opened (or created at first start).
    @Published public private(set) var repository: SuhbatRepository?
    /// Why the store could not be opened.
    @Published public private(set) var openError: String?
    /// The app language, from the phone's preferred language (Uzbek Latin when unsupported).
    public let locale: SuhbatFFI.Locale
    /// The reminder scheduler given to the core.
    public let reminders = NotificationReminders()
    /// The phone's position, given to the core when the store opens.
    public let location = CoreLocationProvider()
    /// An enrolment invitation opened from the camera (a `suhbat-enrol:` link), for the enrolment screen.
    @Published public var pendingInvite: String?
    /// The hub address suggested on the enrolment screen (`SuhbatHubURL` in Info.plist); the
    /// store keeps the one it enrolled with.
    public let defaultHubURL: String
    /// Starts the core's sync sessions (`Suhbat.startSync()`).
    public var syncSessions: SyncSessionFactory = CoreSyncSessions()
    /// Sample data (fake persons, synced to everyone) may be added: debug builds only.
    public let sampleDataAllowed = AppModel.debugBuild

    private let storeURL: URL
    /// Near-real-time sync while the app runs with a network (started once enrolled).
    private var liveSync: LiveSyncRunner?
    /// Tells the live sync when the phone's network comes and goes.
    private var pathMonitor: NWPathMonitor?
    /// The opening under way, so that the screens and background sync share one store.
    private var opening: Task<Void, Never>?

    /// The app's store in Application Support.
    public init() {
        let support = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        try? FileManager.default.createDirectory(at: support, withIntermediateDirectories: true)
        storeURL = support.appendingPathComponent("device.db")
        locale = localeForTag(tag: Foundation.Locale.preferredLanguages.first ?? "uz")
        defaultHubURL = Bundle.main.object(forInfoDictionaryKey: "SuhbatHubURL") as? String ?? ""
    }

    /// A store exists on this phone (else the setup screen asks who uses it).
    public var hasStore: Bool {
        FileManager.default.fileExists(atPath: storeURL.path)
    }

    /// A catalog text in the app language, for screens shown before the store is open.
    public func text(_ key: String) -> String {
        catalogText(locale: locale, key: key)
    }

    /// A sync runner when the store is open.
    public func syncRunner() -> SyncRunner? {
        guard let repository = repository else { return nil }
        return SyncRunner(repository: repository, sessions: syncSessions)
    }

    /// Syncs once with the hub the store is enrolled with; when the hub revoked this device,
    /// wipes the store as ordered (the app then starts over at setup). Nil without a store.
    @MainActor
    @discardableResult
    public func syncNow() async -> SyncOutcome? {
        let outcome: SyncOutcome
        do {
            // The runner (and its hold on the store) ends here, before a wipe.
            guard let runner = syncRunner() else { return nil }
            outcome = await runner.run()
        }
        if case .revoked = outcome {
            await wipeAfterRevocation()
        }
        return outcome
    }

    /// Closes the store and wipes it: key destroyed, files deleted.
    @MainActor
    public func wipeAfterRevocation() async {
        await stopLiveSync()
        repository = nil
        let path = storeURL.path
        let failure: String? = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                do {
                    try wipeStore(path: path, keys: KeychainKeyProvider())
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: CoreFailure(error).message)
                }
            }
        }
        openError = failure
    }

    /// Starts near-real-time sync (see `LiveSyncRunner`) once the store is open and enrolled:
    /// a saved change goes to the hub within seconds, colleagues' changes come as soon as the
    /// hub has them, whenever the phone has a network. Call it again after enrolment.
    @MainActor
    public func startLiveSync() async {
        guard liveSync == nil, let repository = repository else { return }
        guard let runner = try? await LiveSyncRunner(repository: repository, sessions: syncSessions, online: true) else { return }
        let monitor = NWPathMonitor()
        monitor.pathUpdateHandler = { path in runner.networkChanged(online: path.status == .satisfied) }
        monitor.start(queue: DispatchQueue.global(qos: .utility))
        liveSync = runner
        pathMonitor = monitor
    }

    @MainActor
    private func stopLiveSync() async {
        pathMonitor?.cancel()
        pathMonitor = nil
        await liveSync?.stop()
        liveSync = nil
    }

    /// Opens the store, creating it for `profile` at first start; asks to show reminders.
    @MainActor
    public func open(profile: DeviceProfile?) async {
        reminders.requestPermission()
        await openStore(profile: profile)
    }

    /// One background sync, also when iOS launched the app without screens: opens the
    /// existing store itself (or shares the open one), syncs once if it is enrolled, then lets
    /// the core compact the store when it has grown; wipes it when the hub revoked the device.
    /// Never creates a store.
    @MainActor
    public func backgroundSync() async -> BackgroundSyncResult {
        guard repository != nil || hasStore else { return .nothingToDo }
        await openStore(profile: nil)
        guard let opened = repository else { return .failed(openError ?? "", retry: false) }
        guard await opened.enrolled() else { return .nothingToDo }
        switch await syncNow() {
        case .done(let report)?:
            // Upkeep while the phone is idle: the core compacts the store when it has grown
            // (a failure leaves the store as it was and is tried after the next sync).
            _ = await opened.call { try $0.tidy() }
            return .synced(report)
        case .failed(let message, let retry)?:
            return .failed(message, retry: retry)
        case .revoked(let message)?:
            return .wiped(message)
        case nil:
            return .nothingToDo
        }
    }

    /// Opens the store once for the whole process; a second caller waits for the first.
    @MainActor
    private func openStore(profile: DeviceProfile?) async {
        if let pending = opening {
            await pending.value
            return
        }
        guard repository == nil else { return }
        let task = Task { @MainActor in await self.load(profile: profile) }
        opening = task
        await task.value
        opening = nil
    }

    @MainActor
    private func load(profile: DeviceProfile?) async {
        let result = await SuhbatRepository.open(path: storeURL.path, keys: KeychainKeyProvider(), profile: profile, notifier: reminders)
        switch result {
        case .success(let opened):
            let language = locale
            _ = await opened.call { try $0.setLocale(locale: language) }
            _ = await opened.call { try $0.refreshReminders() }
            let provider = location
            _ = await opened.call { try $0.setLocationProvider(provider: provider) }
            location.start()
            repository = opened
            openError = nil
            if await opened.enrolled() {
                BackgroundSync.schedule()
                await startLiveSync()
            }
        case .failure(let failure):
            openError = failure.message
        }
    }

    #if DEBUG
    private static let debugBuild = true
    #else
    private static let debugBuild = false
    #endif
}

/// What one background sync did, for the platform's task scheduler.
public enum BackgroundSyncResult {
    /// No store on this phone, or it is not enrolled with a hub: nothing was synced.
    case nothingToDo
    /// The session finished; the report says what it did.
    case synced(SyncReport)
    /// The store could not be opened or the sync failed; `retry` when the network was at fault.
    case failed(String, retry: Bool)
    /// The hub revoked this device and the store was wiped as ordered.
    case wiped(String)
}
