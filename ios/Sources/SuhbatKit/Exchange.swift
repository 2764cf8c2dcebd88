import Foundation
import SuhbatFFI

/// Device-to-device exchange without a hub: saves everything this phone has as a bundle file
/// (named by the core) for the share sheet, and merges a bundle received from another phone,
/// returning the core's report of what it did.
public struct BundleExchange {
    let repository: SuhbatRepository

    /// Writes a bundle into `directory` under the core's file name (atomically) and returns the
    /// file: every change, or with `code` (the text of another phone's summary code) only what
    /// that phone lacks.
    public func save(in directory: URL, forCode code: String? = nil) async -> Result<URL, CoreFailure> {
        await repository.call { suhbat in
            let screen = try suhbat.exchange()
            let bundle = try code.map { try suhbat.exportBundleForCode(code: $0) } ?? suhbat.exportBundle(since: nil)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent(screen.fileName)
            try bundle.write(to: file, options: .atomic)
            return file
        }
    }

    /// Merges a received bundle; the report lists what came and what conflicts.
    public func receive(_ bytes: Data) async -> Result<ExchangeReport, CoreFailure> {
        await repository.call { try $0.receiveBundle(bundle: bytes) }
    }
}

/// A catalog text in the phone's language, for messages made where no screen's language is at
/// hand (a failed sync's reason).
func phoneText(_ key: String) -> String {
    catalogText(locale: localeForTag(tag: Foundation.Locale.preferredLanguages.first ?? "uz"), key: key)
}
