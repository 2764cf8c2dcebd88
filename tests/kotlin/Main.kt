package uz.suhbat.tests

import java.io.File
import kotlin.system.exitProcess

/** One named check. */
class Check(val name: String, val body: (File) -> Unit)

/**
 * Runs every check against the built library (loaded through JNA) and exits non-zero when
 * one fails. Argument: a scratch directory for store files.
 */
fun main(args: Array<String>) {
    val scratch = File(args.firstOrNull() ?: error("usage: Main <scratch dir>"))
    val checks = bindingChecks() + sharedLayerChecks() + formChecks() + hubChecks() + backgroundSyncChecks() + shellChecks()
    var failed = 0
    for ((i, check) in checks.withIndex()) {
        val dir = File(scratch, "check-$i").apply { mkdirs() }
        try {
            check.body(dir)
            println("ok   ${check.name}")
        } catch (e: Throwable) {
            failed++
            println("FAIL ${check.name}: $e")
            e.printStackTrace(System.out)
        }
    }
    println("kotlin: ${checks.size - failed} passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}
