package uz.suhbat.tests

import java.io.File
import java.io.IOException
import java.net.HttpURLConnection
import java.net.URI
import java.util.concurrent.TimeUnit
import javax.net.ssl.HttpsURLConnection
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import uz.suhbat.ffi.FileKind
import uz.suhbat.ffi.Form
import uz.suhbat.ffi.SuhbatException
import uz.suhbat.ffi.SyncPhase
import uz.suhbat.ffi.caFingerprint
import uz.suhbat.shared.CoreSyncSessions
import uz.suhbat.shared.FormState
import uz.suhbat.shared.HubApi
import uz.suhbat.shared.HubConnector
import uz.suhbat.shared.HubTransport
import uz.suhbat.shared.LiveSyncRunner
import uz.suhbat.shared.PinnedCa
import uz.suhbat.shared.SuhbatRepository
import uz.suhbat.shared.SyncOutcome
import uz.suhbat.shared.SyncRunner
import uz.suhbat.shared.enrolWithHub

/**
 * A real hub: `suhbat hub serve` on 127.0.0.1 with a random port (HTTPS with its own
 * authority), codes and revocation through the same CLI. The CLI comes from the system
 * property `suhbat.cli` (tests/tests/kotlin.rs sets it).
 */
class TestHub(private val data: File) : AutoCloseable {
    private val cli = System.getProperty("suhbat.cli") ?: error("the system property suhbat.cli is not set")
    private val process = ProcessBuilder(cli, "hub", "serve", "--data", data.path, "--listen", "127.0.0.1:0")
        .redirectErrorStream(true)
        .start()

    /** The hub's address, its authority certificate and that certificate's fingerprint. */
    val url: String
    val caPem: String
    val fingerprint: String

    init {
        val said = mutableListOf<String>()
        val reader = process.inputStream.bufferedReader()
        while (true) {
            val line = reader.readLine() ?: break
            said += line
            if (line.startsWith("stop with Ctrl-C")) break
        }
        // Keep reading what the hub says, so that it never blocks on a full pipe.
        Thread { reader.useLines { lines -> lines.forEach { } } }.apply { isDaemon = true }.start()
        fun after(prefix: String) = said.firstOrNull { it.startsWith(prefix) }?.removePrefix(prefix)?.trim()
            ?: run { close(); error("the hub did not start over HTTPS:\n${said.joinToString("\n")}") }
        url = after("hub listening on ")
        caPem = File(after("authority certificate:")).readText()
        fingerprint = after("SHA-256 fingerprint:")
    }

    private fun cli(vararg args: String): String {
        val run = ProcessBuilder(cli, "hub", *args, "--data", data.path).redirectErrorStream(false).start()
        val out = run.inputStream.bufferedReader().readText()
        val err = run.errorStream.bufferedReader().readText()
        check(run.waitFor() == 0) { "suhbat hub ${args[0]} failed: $out$err" }
        return out.trim()
    }

    /** A one-time enrolment code for [person], an inspector of Navbahor. */
    fun code(person: String): String = cli("enrol", "--person", person, "--role", "inspector", "--scope", "Navbahor")

    /** Revokes a device: refused from now on and told to wipe. */
    fun revoke(deviceId: String) {
        cli("revoke", deviceId)
    }

    override fun close() {
        process.destroy()
        if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor()
    }
}

/** Frames over the JDK's HttpsURLConnection, trusting only the hub's authority (as OkHttp does on Android). */
class UrlConnectionTransport(private val hubUrl: String, caPem: String?) : HubTransport {
    private val tls = caPem?.let { PinnedCa.sslContext(PinnedCa.trustManager(it)).socketFactory }

    override fun post(path: String, body: ByteArray): ByteArray {
        val connection = URI(hubUrl + path).toURL().openConnection() as HttpURLConnection
        if (connection is HttpsURLConnection) connection.sslSocketFactory = tls ?: throw IOException("no certificate for $hubUrl")
        try {
            connection.requestMethod = "POST"
            connection.doOutput = true
            connection.setRequestProperty("Content-Type", HubApi.FRAME_TYPE)
            connection.outputStream.use { it.write(body) }
            if (connection.responseCode !in 200..299) throw IOException("hub answered HTTP ${connection.responseCode}")
            return connection.inputStream.use { it.readBytes() }
        } finally {
            connection.disconnect()
        }
    }
}

val jdkConnector = HubConnector { url, caPem -> UrlConnectionTransport(url, caPem) }

/** Enrols [repo] with [hub] under a fresh code, checking the fingerprint as the user does. */
fun enrol(repo: SuhbatRepository, hub: TestHub, person: String) {
    assertEquals(hub.fingerprint, caFingerprint(hub.caPem), "the user compares the fingerprints")
    val enrolment = enrolWithHub(repo.suhbat, jdkConnector, hub.url, hub.caPem, hub.code(person))
    assertEquals(person to listOf("navbahor"), enrolment.person to enrolment.scopes)
}

fun syncOnce(repo: SuhbatRepository): SyncOutcome = SyncRunner(repo.suhbat, CoreSyncSessions, jdkConnector).run()

/** Polls [check] every 50 ms until it holds or [boundMs] pass; whether it held. */
fun within(boundMs: Long, check: () -> Boolean): Boolean {
    val deadline = System.currentTimeMillis() + boundMs
    while (true) {
        if (check()) return true
        if (System.currentTimeMillis() >= deadline) return false
        Thread.sleep(50)
    }
}

/** The value a form shows in the field [key]. */
fun fieldValue(form: Form, key: String): String = form.fields.first { it.key == key }.value

/** Syncs [repo] and fails unless the sync completed without refusals. */
fun syncDone(repo: SuhbatRepository): SyncOutcome.Done {
    val outcome = syncOnce(repo)
    assertTrue(outcome is SyncOutcome.Done && outcome.report.rejected.isEmpty(), "$outcome")
    return outcome
}

fun hubChecks(): List<Check> = listOf(
    Check("two phones enrol with the real hub and sync a person through the SyncRunner") { dir ->
        TestHub(File(dir, "hub")).use { hub ->
            val keys = softwareKeys(dir)
            openStore(dir, "Aziz", keys).use { aziz ->
                openStore(dir, "Bobur", keys).use { bobur ->
                    assertFailsWith<SuhbatException.NotEnrolled> { aziz.suhbat.startSync() }
                    enrol(aziz, hub, "Aziz")
                    enrol(bobur, hub, "Bobur")
                    addPerson(aziz, "Qodirov")
                    val sent = syncOnce(aziz)
                    assertTrue(sent is SyncOutcome.Done && sent.report.docsSent >= 1uL && sent.report.rejected.isEmpty(), "$sent")
                    val got = syncOnce(bobur)
                    assertTrue(got is SyncOutcome.Done && got.report.recordsChanged == 1uL, "$got")
                    assertEquals(listOf("Qodirov Jasur"), bobur.suhbat.personList("").rows.map { it.name })
                    val status = bobur.suhbat.syncStatus()
                    assertEquals(SyncPhase.IDLE, status.phase)
                    assertTrue(status.enrolled && status.lastReportLines.first().startsWith("Last sync: "), "$status")

                    hub.revoke(bobur.suhbat.device().deviceId)
                    val revoked = syncOnce(bobur)
                    assertTrue(revoked is SyncOutcome.Revoked && "wiped" in revoked.message, "$revoked")
                }
            }
        }
    },
    Check("a form saved after a sync arrived while it was open keeps what the sync brought") { dir ->
        TestHub(File(dir, "hub")).use { hub ->
            val keys = softwareKeys(dir)
            openStore(dir, "Aziz", keys).use { a ->
                openStore(dir, "Bobur", keys).use { b ->
                    enrol(a, hub, "Aziz")
                    enrol(b, hub, "Bobur")
                    val personId = runBlocking {
                        val form = FormState(a.personForm(null).getOrThrow(), a)
                        form.setValue("name_latn/last", "Yusupov")
                        form.setValue("name_latn/first", "Sardor")
                        form.setValue("birth_date", "14.03.2009")
                        form.setValue("address/district", "Chilonzor")
                        form.setValue("address/street", "Bunyodkor 5")
                        form.setValue("address/house", "3")
                        form.setValue("notes", "Lives with his grandmother.")
                        assertTrue(form.submit(), "person not saved: ${form.form.value.errors}")
                        form.form.value.recordId
                    }
                    syncDone(a)
                    syncDone(b)

                    // Phone A opens the person form; the screen keeps it (with its version) while the user types.
                    val opened = FormState(runBlocking { a.personForm(personId).getOrThrow() }, a)
                    val openedVersion = opened.form.value.version
                    assertTrue(openedVersion.isNotEmpty())

                    // Phone B moves the person to another street, adds to the notes and syncs.
                    runBlocking {
                        val form = FormState(b.personForm(personId).getOrThrow(), b)
                        form.setValue("address/street", "Qatortol 12")
                        form.setValue("notes", fieldValue(form.form.value, "notes") + " Moved to his aunt in March.")
                        assertTrue(form.submit(), "${form.form.value.errors}")
                    }
                    syncDone(b)

                    // The sync arrives on A while A's form is open.
                    assertTrue(syncDone(a).report.recordsChanged >= 1uL)
                    assertEquals("Qatortol 12", fieldValue(a.suhbat.personForm(personId), "address/street"))
                    assertEquals("Bunyodkor 5", fieldValue(opened.form.value, "address/street"), "the open form still shows the old street")

                    // A saves the form it opened before the sync: every field as the form showed it.
                    opened.setValue("address/house", "17")
                    opened.setValue("notes", fieldValue(opened.form.value, "notes") + " Goes to school 141 again.")
                    assertTrue(runBlocking { opened.submit() }, "not saved: ${opened.form.value.errors}")
                    assertEquals("Qatortol 12", fieldValue(opened.form.value, "address/street"), "the save kept B's street")
                    assertNotEquals(openedVersion, opened.form.value.version)
                    syncDone(a)
                    syncDone(b)

                    for (repo in listOf(a, b)) {
                        val who = repo.suhbat.device().person
                        val form = repo.suhbat.personForm(personId)
                        assertEquals("Qatortol 12", fieldValue(form, "address/street"), who)
                        assertEquals("17", fieldValue(form, "address/house"), who)
                        val notes = fieldValue(form, "notes")
                        for (sentence in listOf("Lives with his grandmother.", "Moved to his aunt in March.", "Goes to school 141 again.")) {
                            assertTrue(sentence in notes, "$who: \"$sentence\" missing from \"$notes\"")
                        }
                        assertEquals(1, notes.split("Lives with his grandmother.").size - 1, notes)
                        assertTrue(repo.suhbat.conflicts().rows.none { it.recordId == personId }, "$who: ${repo.suhbat.conflicts()}")
                        assertTrue(repo.suhbat.keptAside().rows.isEmpty(), who)
                    }
                    assertEquals(a.suhbat.getRecord(personId), b.suhbat.getRecord(personId))
                }
            }
        }
    },
    Check("the SyncRunner moves an attached file after the records; the other phone gets it when it is opened") { dir ->
        TestHub(File(dir, "hub")).use { hub ->
            val keys = softwareKeys(dir)
            openStore(dir, "Aziz", keys).use { aziz ->
                openStore(dir, "Bobur", keys).use { bobur ->
                    enrol(aziz, hub, "Aziz")
                    enrol(bobur, hub, "Bobur")
                    val personId = addPerson(aziz, "Qodirov")
                    val pdf = "%PDF-1.4\n".toByteArray() + ByteArray(400_000) { (it * 31 % 251).toByte() }
                    val files = aziz.suhbat.attachFile(personId, pdf, "application/pdf", FileKind.DOCUMENT, "Consent")
                    assertEquals(listOf("Not sent yet"), files.rows.map { it.stateLabel })
                    syncDone(aziz)
                    assertEquals(listOf("On this device"), aziz.suhbat.recordFiles(personId).rows.map { it.stateLabel }, "sent with the sync")
                    assertEquals(null, aziz.suhbat.syncStatus().filesLabel)
                    syncDone(bobur)
                    val hash = bobur.suhbat.recordFiles(personId).rows.single().hash
                    assertEquals(null, bobur.suhbat.openFile(hash), "not fetched before it is opened")
                    syncDone(bobur)
                    assertTrue(pdf.contentEquals(bobur.suhbat.openFile(hash)), "byte for byte")
                }
            }
        }
    },
    Check("with LiveSyncRunner a person saved on one phone reaches the other within 5 s, nobody pressing sync; offline it waits") { dir ->
        TestHub(File(dir, "hub")).use { hub ->
            val keys = softwareKeys(dir)
            openStore(dir, "Aziz", keys).use { aziz ->
                openStore(dir, "Bobur", keys).use { bobur ->
                    enrol(aziz, hub, "Aziz")
                    enrol(bobur, hub, "Bobur")
                    LiveSyncRunner(aziz.suhbat, CoreSyncSessions, jdkConnector, online = true).use { liveAziz ->
                        LiveSyncRunner(bobur.suhbat, CoreSyncSessions, jdkConnector, online = true).use { _ ->
                            addPerson(aziz, "Qodirov")
                            val arrived = within(5_000) { bobur.suhbat.personList("").rows.map { it.name } == listOf("Qodirov Jasur") }
                            assertTrue(arrived, "the person did not reach Bobur within 5 s: ${bobur.suhbat.personList("").rows.map { it.name }}")

                            // Offline: the edit waits on the phone; back online, it goes.
                            liveAziz.networkChanged(false)
                            addPerson(aziz, "Toshmatov")
                            Thread.sleep(1_000)
                            assertTrue(liveAziz.hasUnsyncedEdits(), "offline, the change waits on the phone")
                            assertEquals(1, bobur.suhbat.personList("").rows.size)
                            liveAziz.networkChanged(true)
                            val caughtUp = within(20_000) { bobur.suhbat.personList("").rows.size == 2 }
                            assertTrue(caughtUp, "the change made offline did not arrive once online")
                        }
                    }
                }
            }
        }
    },
    Check("a hub whose certificate the store does not trust is a network failure, retried later") { dir ->
        TestHub(File(dir, "hub")).use { hub ->
            TestHub(File(dir, "other")).use { other ->
                openStore(dir, "aziz", softwareKeys(dir)).use { aziz ->
                    enrol(aziz, hub, "aziz")
                    // The address now points at another hub, whose authority the store does not trust.
                    aziz.suhbat.setHub(other.url, hub.caPem)
                    val outcome = syncOnce(aziz)
                    assertTrue(outcome is SyncOutcome.Failed && outcome.retry, "$outcome")
                    assertEquals(SyncPhase.FAILED, aziz.suhbat.syncStatus().phase)
                }
            }
        }
    },
)
