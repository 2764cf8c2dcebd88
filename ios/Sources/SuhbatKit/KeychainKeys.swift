import Foundation
import Security
import SuhbatFFI

/// Store keys for the core, kept in the iOS Keychain: 32 random bytes per store, readable
/// after the first unlock (so background sync works), never backed up or moved to another
/// device.
public final class KeychainKeyProvider: KeyProvider, @unchecked Sendable {
    private let service: String

    /// Keys under the Keychain service `service`.
    public init(service: String = "uz.suhbat.store-keys") {
        self.service = service
    }

    private func query(_ keyId: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: keyId,
        ]
    }

    public func getOrCreateKey(keyId: String) throws -> Data {
        var lookup = query(keyId)
        lookup[kSecReturnData as String] = true
        lookup[kSecMatchLimit as String] = kSecMatchLimitOne
        var found: CFTypeRef?
        let status = SecItemCopyMatching(lookup as CFDictionary, &found)
        if status == errSecSuccess, let data = found as? Data {
            return data
        }
        guard status == errSecItemNotFound else {
            throw PlatformError.Failed(reason: "Keychain read failed (\(status))")
        }
        var key = Data(count: 32)
        let random = key.withUnsafeMutableBytes { bytes -> OSStatus in
            guard let base = bytes.baseAddress else { return errSecAllocate }
            return SecRandomCopyBytes(kSecRandomDefault, 32, base)
        }
        guard random == errSecSuccess else {
            throw PlatformError.Failed(reason: "no random bytes (\(random))")
        }
        var item = query(keyId)
        item[kSecValueData as String] = key
        item[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        let added = SecItemAdd(item as CFDictionary, nil)
        guard added == errSecSuccess else {
            throw PlatformError.Failed(reason: "Keychain write failed (\(added))")
        }
        return key
    }

    public func destroyKey(keyId: String) throws -> Bool {
        let status = SecItemDelete(query(keyId) as CFDictionary)
        switch status {
        case errSecSuccess:
            return true
        case errSecItemNotFound:
            return false
        default:
            throw PlatformError.Failed(reason: "Keychain delete failed (\(status))")
        }
    }
}
