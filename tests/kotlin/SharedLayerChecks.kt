package uz.suhbat.tests

import java.io.File
import java.io.IOException
import javax.crypto.KeyGenerator
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import uz.suhbat.ffi.FormItem
import uz.suhbat.ffi.RecordKind
import uz.suhbat.ffi.Role
import uz.suhbat.ffi.SaraStage
import uz.suhbat.ffi.SevenRole
import uz.suhbat.ffi.SyncPhase
import uz.suhbat.shared.AesGcmKeyWrapper
import uz.suhbat.shared.FormState
import uz.suhbat.shared.ScreenState
import uz.suhbat.shared.SuhbatRepository
import uz.suhbat.shared.UiState
import uz.suhbat.shared.WrappedKeyProvider
import uz.suhbat.shared.valueOrNull
import uz.suhbat.shared.writeFileAtomically

/** Sends what [from] has that [to] lacks, as two phones do with bundles. */
fun send(from: SuhbatRepository, to: SuhbatRepository) {
    to.suhbat.importBundle(from.suhbat.exportBundle(to.suhbat.summary()))
}

/** Changes the street of a person through the person form. */
fun setStreet(repo: SuhbatRepository, personId: String, street: String) = runBlocking {
    val form = FormState(repo.personForm(personId).getOrThrow(), repo)
    form.setValue("address/street", street)
    assertTrue(form.submit(), "${form.form.value.errors}")
}

fun sharedLayerChecks(): List<Check> = listOf(
    Check("a conflict made by two stores through bundles is listed with its authors and resolved") { dir ->
        val keys = softwareKeys(dir)
        openStore(dir, "Aziz", keys).use { aziz ->
            openStore(dir, "Dilnoza", keys, Role.SUPERVISOR).use { dilnoza ->
                val personId = addPerson(aziz, "Qodirov")
                send(aziz, dilnoza)
                setStreet(aziz, personId, "Bunyodkor 5")
                setStreet(dilnoza, personId, "Qatortol 12")
                send(dilnoza, aziz)
                runBlocking {
                    val screen = ScreenState(CoroutineScope(Dispatchers.Default)) { aziz.conflicts() }
                    screen.refresh().join()
                    val list = screen.state.value.valueOrNull() ?: error("conflicts: ${screen.state.value}")
                    assertEquals(1, list.rows.size)
                    val row = list.rows[0]
                    assertEquals("Street", row.fieldLabel)
                    assertEquals("Qodirov Jasur", row.recordTitle)
                    assertEquals(
                        setOf("Bunyodkor 5" to "Aziz (Inspector)", "Qatortol 12" to "Dilnoza (Supervisor)"),
                        row.options.map { it.display to it.author }.toSet(),
                    )
                    val keep = row.options.first { it.display == "Qatortol 12" }
                    screen.act { aziz.resolveConflict(row.recordId, row.path, keep.valueJson) }.join()
                    assertEquals(null, screen.actionError.value)
                    assertEquals(emptyList(), screen.state.value.valueOrNull()?.rows)
                }
                send(aziz, dilnoza)
                assertEquals(emptyList(), dilnoza.suhbat.conflicts().rows)
                val street = dilnoza.suhbat.personDetail(personId).sections.flatMap { it.rows }.first { it.label == "Street" }
                assertEquals("Qatortol 12", street.value)
                val status = dilnoza.suhbat.syncStatus()
                assertTrue(status.lastSyncLabel.startsWith("Last sync: "), status.lastSyncLabel)
                assertEquals(SyncPhase.IDLE, status.phase)
            }
        }
    },
    Check("the parent case screen reloads after actions and shows refused ones") { dir ->
        openStore(dir, "aziz", softwareKeys(dir)).use { repo ->
            val caseId = newId()
            repo.suhbat.putRecord(RecordKind.PARENT_CASE, CASE_JSON.format(caseId), "")
            runBlocking {
                val screen = ScreenState(CoroutineScope(Dispatchers.Default)) { repo.parentCase(caseId) }
                screen.refresh().join()
                val before = screen.state.value.valueOrNull() ?: error("${screen.state.value}")
                assertEquals("Scanning", before.stageLabel)
                assertEquals(SaraStage.ANALYSIS, before.nextStage?.stage)
                screen.act { repo.setCaseStage(caseId, before.nextStage!!.stage, "") }.join()
                assertEquals("Analysis", screen.state.value.valueOrNull()?.stageLabel)
                screen.act { repo.addCaseTask(caseId, SevenRole.YOUTH_LEADER, "Enrol the son in football", "") }.join()
                assertEquals(listOf("Youth leader"), screen.state.value.valueOrNull()?.tasks?.map { it.roleLabel })
                screen.act { repo.addCaseTask(caseId, SevenRole.YOUTH_LEADER, "", "") }.join()
                assertEquals("Task is required", screen.actionError.value)
                val missing = ScreenState(CoroutineScope(Dispatchers.Default)) { repo.parentCase(newId()) }
                missing.refresh().join()
                assertTrue(missing.state.value is UiState.Failed, "${missing.state.value}")
            }
        }
    },
    Check("a form keeps items and choices the user edits, and the core stores them") { dir ->
        openStore(dir, "aziz", softwareKeys(dir)).use { repo ->
            val personId = addPerson(repo, "Qodirov")
            val talk = conversationForm(repo, personId)
            talk.toggle("techniques", "active_listening")
            talk.add("topics", "school attendance")
            talk.addItem("agreed_actions")
            talk.addItem("agreed_actions")
            talk.setItem("agreed_actions", 0, FormItem("", "Attend school daily", "", "2025-09-10", "", false))
            talk.removeItem("agreed_actions", 1)
            assertTrue(runBlocking { talk.submit() }, "${talk.form.value.errors}")
            val saved = talk.form.value
            val edit = runBlocking { repo.conversationForm(saved.recordId, null).getOrThrow() }
            val field = { key: String -> edit.fields.first { it.key == key } }
            assertEquals(listOf("active_listening"), field("techniques").selected)
            assertEquals(listOf("school attendance"), field("topics").selected)
            assertEquals(listOf("Attend school daily" to "2025-09-10"), field("agreed_actions").items.map { it.text to it.date })
            val reasons = repo.suhbat.worklist().items.map { it.reason.substringBefore(":") }
            assertEquals(listOf("Agreed action", "Follow-up") + List(3) { "Effectiveness check" }, reasons)
        }
    },
    Check("the key file is written atomically: the old or the new complete file, never a part") { dir ->
        val target = File(dir, "store.wrapped-key")
        val old = ByteArray(60) { 1 }
        writeFileAtomically(target, old)
        assertContentEquals(old, target.readBytes())
        // Power cut half-way through writing the new content: the old file is untouched.
        assertFailsWith<IOException> {
            writeFileAtomically(target) { out ->
                out.write(ByteArray(30) { 2 })
                throw IOException("power cut")
            }
        }
        assertContentEquals(old, target.readBytes())
        assertEquals(listOf(target.name), dir.list()!!.toList(), "no temporary file is left")
        val new = ByteArray(60) { 3 }
        writeFileAtomically(target, new)
        assertContentEquals(new, target.readBytes())

        // A half-written temporary file from a crash at first start does not spoil the key.
        val keyDir = File(dir, "keys").apply { mkdirs() }
        File(keyDir, "k.wrapped-key.tmp").writeBytes(ByteArray(7))
        val wrappingKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
        val keys = { WrappedKeyProvider(keyDir, AesGcmKeyWrapper { wrappingKey }) }
        val key = keys().getOrCreateKey("k")
        assertEquals(32, key.size)
        assertContentEquals(key, keys().getOrCreateKey("k"), "a new process reads the same key")
        assertEquals(listOf("k.wrapped-key"), keyDir.list()!!.toList())
    },
)
