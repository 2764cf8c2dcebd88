package uz.suhbat.app.platform

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import java.io.File
import java.security.KeyStore
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import uz.suhbat.ffi.KeyProvider
import uz.suhbat.shared.AesGcmKeyWrapper
import uz.suhbat.shared.WrappedKeyProvider

/**
 * Store keys for the core: 32 random bytes per store, kept only wrapped (AES-256-GCM) by a
 * non-exportable key that lives in the Android Keystore (hardware-backed where available).
 */
object AndroidKeys {
    private const val KEYSTORE = "AndroidKeyStore"
    private const val WRAPPING_ALIAS = "suhbat-store-key-wrapping"

    /** The wrapping key, created in the Keystore on first use. */
    @Synchronized
    fun wrappingKey(): SecretKey {
        val keyStore = KeyStore.getInstance(KEYSTORE).apply { load(null) }
        (keyStore.getKey(WRAPPING_ALIAS, null) as? SecretKey)?.let { return it }
        val spec = KeyGenParameterSpec.Builder(
            WRAPPING_ALIAS,
            KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT,
        )
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
            .build()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE).run {
            init(spec)
            generateKey()
        }
    }

    /** The core's key provider: wrapped key files in the app's no-backup directory. */
    fun provider(context: Context): KeyProvider =
        WrappedKeyProvider(File(context.noBackupFilesDir, "keys"), AesGcmKeyWrapper(::wrappingKey))
}
