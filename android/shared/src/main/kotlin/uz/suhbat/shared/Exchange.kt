package uz.suhbat.shared

import java.io.File
import uz.suhbat.ffi.ExchangeReport

/**
 * Device-to-device exchange without a hub: saves everything this phone has as a bundle file
 * (named by the core) for the platform's share sheet, and merges a bundle received from another
 * phone, returning the core's report of what it did.
 */
class BundleExchange(private val repository: SuhbatRepository) {

    /**
     * Writes a bundle into [dir] under the core's file name (atomically: a crash leaves no
     * half-written bundle to share) and returns the file: every change, or with [forCode] (the
     * text of another phone's summary code) only what that phone lacks.
     */
    suspend fun save(dir: File, forCode: String? = null): Result<File> = repository.exchange().mapCatching { screen ->
        val bundle = (if (forCode == null) repository.exportBundle(null) else repository.exportBundleForCode(forCode)).getOrThrow()
        File(dir, screen.fileName).also { writeFileAtomically(it, bundle) }
    }

    /** Merges a received bundle's bytes; the report lists what came and what conflicts. */
    suspend fun receive(bytes: ByteArray): Result<ExchangeReport> = repository.receiveBundle(bytes)
}
