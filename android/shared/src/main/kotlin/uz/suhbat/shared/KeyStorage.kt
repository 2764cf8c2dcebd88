package uz.suhbat.shared

import java.io.File
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import uz.suhbat.ffi.KeyProvider
import uz.suhbat.ffi.PlatformException

/** Encrypts and decrypts small secrets with a key the platform keeps out of reach. */
interface KeyWrapper {
    /** Encrypts [plain]; the result carries everything [unwrap] needs. */
    fun wrap(plain: ByteArray): ByteArray

    /** Decrypts what [wrap] produced; throws when it was changed or another key wrapped it. */
    fun unwrap(wrapped: ByteArray): ByteArray
}

/**
 * AES-256-GCM with a key from [wrappingKey] (on Android: a non-exportable key in the Android
 * Keystore). Output: 12-byte IV followed by ciphertext and tag.
 */
class AesGcmKeyWrapper(private val wrappingKey: () -> SecretKey) : KeyWrapper {
    override fun wrap(plain: ByteArray): ByteArray {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, wrappingKey())
        val iv = cipher.iv
        require(iv.size == IV_BYTES) { "unexpected IV size ${iv.size}" }
        return iv + cipher.doFinal(plain)
    }

    override fun unwrap(wrapped: ByteArray): ByteArray {
        require(wrapped.size > IV_BYTES + TAG_BITS / 8) { "wrapped key is too short" }
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, wrappingKey(), GCMParameterSpec(TAG_BITS, wrapped, 0, IV_BYTES))
        return cipher.doFinal(wrapped, IV_BYTES, wrapped.size - IV_BYTES)
    }

    private companion object {
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
        const val TAG_BITS = 128
    }
}

/**
 * The core's [KeyProvider] over wrapped key files: each store key is 32 random bytes, kept in
 * [dir] only as wrapped by [wrapper] and written atomically (a power cut leaves no half key
 * file). Destroying a key overwrites and deletes its file.
 */
class WrappedKeyProvider(
    private val dir: File,
    private val wrapper: KeyWrapper,
    private val random: SecureRandom = SecureRandom(),
) : KeyProvider {

    private fun fileOf(keyId: String): File {
        val safe = keyId.map { if (it.isLetterOrDigit() || it == '-' || it == '_') it else '_' }.joinToString("")
        return File(dir, "$safe.wrapped-key")
    }

    @Synchronized
    override fun getOrCreateKey(keyId: String): ByteArray {
        val file = fileOf(keyId)
        try {
            if (file.exists()) return wrapper.unwrap(file.readBytes())
            val key = ByteArray(KEY_BYTES).also(random::nextBytes)
            writeFileAtomically(file, wrapper.wrap(key))
            return key
        } catch (e: Exception) {
            throw PlatformException.Failed("key $keyId: ${e.message ?: e}")
        }
    }

    @Synchronized
    override fun destroyKey(keyId: String): Boolean {
        val file = fileOf(keyId)
        if (!file.exists()) return false
        file.writeBytes(ByteArray(file.length().toInt()))
        if (!file.delete()) throw PlatformException.Failed("cannot delete key file ${file.name}")
        return true
    }

    private companion object {
        const val KEY_BYTES = 32
    }
}
