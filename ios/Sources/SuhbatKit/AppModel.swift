import Foundation
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
    /// The hub's base URL (`SuhbatHubURL` in Info.plist); nil when no hub is configured.
    public let hubURL: URL?
    /// Starts the core's sync sessions; nil until the core's `SyncSession` bindings land.
    public var syncSessions: SyncSessionFactory?

    private let storeURL: URL

    /// The app's store in Application Support.
    public init() {
        let support = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        try? FileManager.default.createDirectory(at: support, withIntermediateDirectories: true)
        storeURL = support.appendingPathComponent("device.db")
        locale = localeForTag(tag: Foundation.Locale.preferredLanguages.first ?? "uz")
        let configured = Bundle.main.object(forInfoDictionaryKey: "SuhbatHubURL") as? String ?? ""
        hubURL = configured.isEmpty ? nil : URL(string: configured)
    }

    /// A store exists on this phone (else the setup screen asks who uses it).
    public var hasStore: Bool {
        FileManager.default.fileExists(atPath: storeURL.path)
    }

    /// A catalog text in the app language, for screens shown before the store is open.
    public func text(_ key: String) -> String {
        catalogText(locale: locale, key: key)
    }

    /// A sync runner when the store is open and sync is configured.
    public func syncRunner() -> SyncRunner? {
        guard let repository = repository, let sessions = syncSessions, let hub = hubURL else { return nil }
        return SyncRunner(repository: repository, sessions: sessions, transport: URLSessionTransport(hub: hub))
    }

    /// Opens the store, creating it for `profile` at first start.
    @MainActor
    public func open(profile: DeviceProfile?) async {
        reminders.requestPermission()
        let result = await SuhbatRepository.open(path: storeURL.path, keys: KeychainKeyProvider(), profile: profile, notifier: reminders)
        switch result {
        case .success(let opened):
            let language = locale
            _ = await opened.call { try $0.setLocale(locale: language) }
            _ = await opened.call { try $0.refreshReminders() }
            repository = opened
            openError = nil
            if syncRunner() != nil {
                BackgroundSync.schedule()
            }
        case .failure(let failure):
            openError = failure.message
        }
    }
}
