package uz.suhbat.tests

import java.io.File
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import javax.crypto.KeyGenerator
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import uz.suhbat.ffi.DeviceProfile
import uz.suhbat.ffi.KeyProvider
import uz.suhbat.ffi.Locale
import uz.suhbat.ffi.Notifier
import uz.suhbat.ffi.RecordKind
import uz.suhbat.ffi.Reminder
import uz.suhbat.ffi.Role
import uz.suhbat.ffi.SevenRole
import uz.suhbat.ffi.Suhbat
import uz.suhbat.ffi.SuhbatException
import uz.suhbat.ffi.Urgency
import uz.suhbat.ffi.WorkKind
import uz.suhbat.ffi.wipeStore
import uz.suhbat.shared.AesGcmKeyWrapper
import uz.suhbat.shared.FormState
import uz.suhbat.shared.SuhbatRepository
import uz.suhbat.shared.WrappedKeyProvider

/** A key provider that counts how often the core asks it for keys. */
class CountingKeys(private val inner: KeyProvider) : KeyProvider {
    val asked = AtomicInteger()
    val destroyed = AtomicInteger()
    override fun getOrCreateKey(keyId: String): ByteArray = inner.getOrCreateKey(keyId).also { asked.incrementAndGet() }
    override fun destroyKey(keyId: String): Boolean = inner.destroyKey(keyId).also { destroyed.incrementAndGet() }
}

/** Keeps every batch of reminders the core hands over. */
class RecordingNotifier : Notifier {
    val batches = CopyOnWriteArrayList<List<Reminder>>()
    override fun replaceAll(reminders: List<Reminder>): UInt {
        batches.add(reminders)
        return reminders.size.toUInt()
    }
}

/** A wrapped-key provider whose wrapping key is a software AES key (Android: the Keystore). */
fun softwareKeys(dir: File): WrappedKeyProvider {
    val wrappingKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
    return WrappedKeyProvider(File(dir, "keys"), AesGcmKeyWrapper { wrappingKey })
}

fun openStore(dir: File, name: String, keys: KeyProvider, role: Role = Role.INSPECTOR, notifier: Notifier? = null): SuhbatRepository =
    runBlocking {
        SuhbatRepository.open(File(dir, "$name.db").path, keys, DeviceProfile(name, role, listOf("Navbahor")), notifier, Dispatchers.IO)
    }.also { it.suhbat.setLocale(Locale.EN) }

/** Registers a person through the person form; returns the person id. */
fun addPerson(repo: SuhbatRepository, last: String): String = runBlocking {
    val form = FormState(repo.personForm(null).getOrThrow(), repo)
    form.setValue("name_latn/last", last)
    form.setValue("name_latn/first", "Jasur")
    form.setValue("birth_date", "02.04.2008")
    form.setValue("address/district", "Chilonzor")
    assertTrue(form.submit(), "person not saved: ${form.form.value.errors}")
    form.form.value.recordId
}

/** A conversation form for [personId] held on 2025-09-01 with a follow-up on the 15th. */
fun conversationForm(repo: SuhbatRepository, personId: String): FormState = runBlocking {
    FormState(repo.conversationForm(null, personId).getOrThrow(), repo).apply {
        setValue("started_at", "2025-09-01 10:00")
        setValue("place", "School 141")
        setValue("next_follow_up", "2025-09-15")
        // The person is a minor: the conversation notes a representative's consent.
        setValue("consent_by", "guardian")
        setValue("consent_note", "The grandmother agreed")
    }
}

const val CASE_JSON = """{"id": "%s", "mahalla": "Navbahor", "concern": "Children miss school.", "opened_on": "2025-09-01",
    "guardians": {"g1": {"name": "Rahimov Bekzod", "relation": "father"}}}"""

const val PERSON_JSON = """{"id": "%s", "name_latn": {"last": "Rahimova", "first": "Malika"}, "birth_date": "2009-05-01",
    "registered_on": "2025-09-01", "address": {"district": "Chilonzor", "mahalla": "Navbahor"}, "notes": "Lives with her aunt."}"""

fun newId(): String = java.util.UUID.randomUUID().toString()

fun bindingChecks(): List<Check> = listOf(
    Check("a KeyProvider written in Kotlin is called, and wraps the store key") { dir ->
        val keys = CountingKeys(softwareKeys(dir))
        val path = File(dir, "aziz.db").path
        val first = openStore(dir, "aziz", keys)
        val deviceId = first.suhbat.device().deviceId
        first.close()
        val afterCreate = keys.asked.get()
        assertTrue(afterCreate >= 1, "the core never asked for the key")
        val wrapped = File(dir, "keys").listFiles().orEmpty()
        assertEquals(1, wrapped.size)
        assertEquals(12 + 32 + 16, wrapped[0].length().toInt(), "IV + key + GCM tag")
        Suhbat.open(path, keys, null).use { assertEquals(deviceId, it.device().deviceId) }
        assertEquals(afterCreate + 1, keys.asked.get(), "opening asks for the key once")
        val otherWrapping = softwareKeys(dir)
        assertFailsWith<SuhbatException.KeyStore> { Suhbat.open(path, otherWrapping, null) }
        val randomKeys = object : KeyProvider {
            override fun getOrCreateKey(keyId: String) = ByteArray(32).also { java.security.SecureRandom().nextBytes(it) }
            override fun destroyKey(keyId: String) = false
        }
        assertFailsWith<SuhbatException.WrongKey> { Suhbat.open(path, randomKeys, null) }
        val shortKeys = object : KeyProvider {
            override fun getOrCreateKey(keyId: String) = ByteArray(16)
            override fun destroyKey(keyId: String) = false
        }
        val short = assertFailsWith<SuhbatException.KeyStore> { Suhbat.open(path, shortKeys, null) }
        assertTrue("16 bytes" in short.message.orEmpty(), short.message)
        wipeStore(path, keys)
        assertEquals(1, keys.destroyed.get())
        assertFalse(File(path).exists())
        assertTrue(File(dir, "keys").listFiles().orEmpty().isEmpty())
    },
    Check("a person and a conversation entered through forms make an overdue follow-up") { dir ->
        val notifier = RecordingNotifier()
        openStore(dir, "aziz", softwareKeys(dir), notifier = notifier).use { repo ->
            val personId = addPerson(repo, "Qodirov")
            val talk = conversationForm(repo, personId)
            assertTrue(runBlocking { talk.submit() }, "conversation not saved: ${talk.form.value.errors}")
            val worklist = repo.suhbat.worklist()
            // The conversation's +1/+3/+6-month effectiveness checks (held in 2025) are overdue too.
            assertEquals(listOf(WorkKind.FOLLOW_UP) + List(3) { WorkKind.EFFECTIVENESS_CHECK }, worklist.items.map { it.kind })
            val item = worklist.items[0]
            assertEquals(WorkKind.FOLLOW_UP, item.kind)
            assertEquals(Urgency.OVERDUE, item.urgency)
            assertEquals("Qodirov Jasur", item.title)
            assertTrue(item.reason.startsWith("Follow-up: overdue by "), item.reason)
            assertEquals(personId, item.personId)
            assertEquals(4u, worklist.overdueCount)
            repo.suhbat.setLocale(Locale.RU)
            val russian = repo.suhbat.worklist().items[0]
            assertTrue(russian.reason.startsWith("Повторная беседа: просрочено на "), russian.reason)
            assertEquals("Қодиров Жасур", russian.title)
            val reminders = notifier.batches.last()
            assertEquals(List(4) { "Reminder: Qodirov Jasur" }, reminders.map { it.title })
            repo.suhbat.setLocale(Locale.EN)
            assertEquals(1, repo.suhbat.personList("Қодиров").rows.size)
            assertEquals(listOf("School 141"), repo.suhbat.personDetail(personId).history.map { it.place })
        }
    },
    Check("broken rules come back as translated messages") { dir ->
        openStore(dir, "aziz", softwareKeys(dir)).use { repo ->
            val personId = addPerson(repo, "Qodirov")
            val talk = conversationForm(repo, personId)
            talk.setValue("place", "")
            assertFalse(runBlocking { talk.submit() })
            assertEquals("Please correct the errors", talk.message.value)
            assertEquals("Place is required", talk.form.value.fields.first { it.key == "place" }.error)
            repo.suhbat.setLocale(Locale.UZ_LATN)
            assertFalse(runBlocking { talk.submit() })
            assertEquals("Joy to‘ldirilishi shart", talk.form.value.fields.first { it.key == "place" }.error)
            repo.suhbat.setLocale(Locale.EN)

            val invalid = assertFailsWith<SuhbatException.Invalid> { repo.suhbat.putRecord(RecordKind.PERSON, "{}", "") }
            assertTrue("Last name is required" in invalid.message.orEmpty(), invalid.message)
            assertFailsWith<SuhbatException.BadInput> { repo.suhbat.putRecord(RecordKind.PERSON, "not json", "") }
            val caseId = newId()
            assertTrue(repo.suhbat.putRecord(RecordKind.PARENT_CASE, CASE_JSON.format(caseId), ""))
            val refused = runBlocking { repo.addCaseTask(caseId, SevenRole.CHAIRMAN, " ", "") }.exceptionOrNull()
            assertTrue(refused is SuhbatException.Invalid, "$refused")
            assertEquals("Task is required", refused.message)
        }
    },
    Check("the kept-aside list is empty with its title, and putRecord with an empty version stores a new record") { dir ->
        openStore(dir, "aziz", softwareKeys(dir)).use { repo ->
            val aside = repo.suhbat.keptAside()
            assertEquals("Kept aside", aside.title)
            assertEquals("Nothing kept aside", aside.emptyText)
            assertTrue(aside.rows.isEmpty() && aside.explanation.isNotEmpty(), "$aside")
            assertFalse(repo.suhbat.discardKeptAside(1L))

            val personId = newId()
            assertEquals("", repo.suhbat.recordVersion(personId), "not stored yet")
            assertTrue(repo.suhbat.putRecord(RecordKind.PERSON, PERSON_JSON.format(personId), ""))
            assertEquals(listOf("Rahimova Malika"), repo.suhbat.personList("Rahimova").rows.map { it.name })
            val version = repo.suhbat.recordVersion(personId)
            assertTrue(version.isNotEmpty())
            // What was read, written back at the version it was read: nothing changed.
            assertFalse(repo.suhbat.putRecord(RecordKind.PERSON, repo.suhbat.getRecord(personId), version))
            assertTrue(repo.suhbat.keptAside().rows.isEmpty())
        }
    },
)
