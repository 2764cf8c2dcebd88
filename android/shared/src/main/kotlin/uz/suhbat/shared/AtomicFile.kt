package uz.suhbat.shared

import java.io.File
import java.io.FileOutputStream
import java.io.IOException
import java.io.OutputStream
import java.nio.channels.FileChannel
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.nio.file.StandardOpenOption

/**
 * Replaces [target] so that after a crash or a power cut it holds either its old content (or
 * is absent, as before) or everything [write] wrote: writes `<name>.tmp` beside it, forces
 * that to disk, renames it over [target], then forces the directory where the platform can.
 * A `.tmp` left by an earlier crash is overwritten.
 */
fun writeFileAtomically(target: File, write: (OutputStream) -> Unit) {
    val dir = target.absoluteFile.parentFile
    dir.mkdirs()
    val temp = File(dir, target.name + ".tmp")
    try {
        FileOutputStream(temp).use { out ->
            write(out)
            out.flush()
            out.fd.sync()
        }
        Files.move(temp.toPath(), target.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
    } catch (e: Exception) {
        temp.delete()
        throw e
    }
    syncDirectory(dir)
}

/** [writeFileAtomically] with the whole content at once. */
fun writeFileAtomically(target: File, bytes: ByteArray) = writeFileAtomically(target) { it.write(bytes) }

/** Forces a directory's entries (a rename) to disk; a no-op where directories cannot be opened. */
private fun syncDirectory(dir: File) {
    try {
        FileChannel.open(dir.toPath(), StandardOpenOption.READ).use { it.force(true) }
    } catch (e: IOException) {
        // The file itself is on disk; only the rename may be lost, leaving the old content.
    } catch (e: UnsupportedOperationException) {
        // As above.
    }
}
