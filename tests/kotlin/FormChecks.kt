package uz.suhbat.tests

import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import uz.suhbat.ffi.FieldKind
import uz.suhbat.ffi.FormItem
import uz.suhbat.ffi.FormKind
import uz.suhbat.ffi.Locale
import uz.suhbat.ffi.Role
import uz.suhbat.ffi.SaraStage
import uz.suhbat.ffi.Screen
import uz.suhbat.ffi.SuhbatException
import uz.suhbat.shared.FormState
import uz.suhbat.shared.SuhbatRepository

/** The core's form of [kind] in the shared layer's [FormState], as the generic form screen opens it. */
fun openForm(repo: SuhbatRepository, kind: FormKind, recordId: String? = null, itemId: String? = null, about: String? = null): FormState =
    runBlocking { FormState(repo.form(kind, recordId, itemId, about).getOrThrow(), repo) }

/** The consent a conversation with a minor notes (the sample person is 17). */
val MINOR_CONSENT = arrayOf("consent_by" to "guardian", "consent_note" to "The grandmother agreed")

/** Types [values] into [state] and saves it; true when stored. */
fun FormState.save(vararg values: Pair<String, String>): Boolean = runBlocking {
    for ((key, value) in values) setValue(key, value)
    submit()
}

/** The error the core put on field [key], if any. */
fun FormState.errorOf(key: String): String? = form.value.fields.first { it.key == key }.error

/** Appends an item with [text] and [detail] to items field [key]. */
fun FormState.addItem(key: String, text: String, detail: String = "") {
    addItem(key)
    val items = form.value.fields.first { it.key == key }.items
    setItem(key, items.size - 1, FormItem("", text, detail, "", "", false))
}

/** Saves a form that must save, and returns the record id. */
fun FormState.saved(vararg values: Pair<String, String>): String {
    assertTrue(save(*values), "not saved: ${form.value.errors} ${form.value.fields.mapNotNull { f -> f.error?.let { f.key to it } }}")
    return recordId
}

fun formChecks(): List<Check> = listOf(
    Check("every form kind opens, and a person with family is created, edited and refused in two languages") { dir ->
        openStore(dir, "aziz", softwareKeys(dir)).use { repo ->
            val person = openForm(repo, FormKind.PERSON)
            assertFalse(person.save("name_latn/first" to "Jasur"))
            assertEquals("Last name is required", person.errorOf("name_latn/last"))
            repo.suhbat.setLocale(Locale.RU)
            assertFalse(person.save("name_latn/first" to "Jasur"))
            assertTrue(person.errorOf("name_latn/last").orEmpty().contains("Фамилия"), person.errorOf("name_latn/last"))
            repo.suhbat.setLocale(Locale.EN)
            person.addItem("family", "Qodirov Anvar", "father")
            val personId = person.saved("name_latn/last" to "Qodirov", "birth_date" to "2008-04-02", "address/district" to "Chilonzor")
            val edit = openForm(repo, FormKind.PERSON, personId)
            assertEquals(listOf("Qodirov Anvar" to "father"), edit.form.value.fields.first { it.key == "family" }.items.map { it.text to it.detail })
            edit.saved("address/street" to "Bunyodkor 5")

            val caseId = openForm(repo, FormKind.PARENT_CASE, about = personId).saved("concern" to "Truancy")
            val talkId = openForm(repo, FormKind.CONVERSATION, about = personId).saved("started_at" to "2025-09-01 10:00", "place" to "School 141", *MINOR_CONSENT)
            val appId = openForm(repo, FormKind.APPLICATION).saved("applicant" to "Karimova N.", "summary" to "Noise")
            val newEvent = openForm(repo, FormKind.JOINT_EVENT)
            newEvent.addItem("organisers", "Dilnoza", "Women's committee")
            val eventId = newEvent.saved("kind" to "seminar", "title" to "Parents' school", "place" to "School 12")
            val parts = mapOf(
                FormKind.FOLLOW_UP to (talkId to "m1"),
                FormKind.SEVEN_TASK to (caseId to null),
                FormKind.DECISION to (appId to null),
                FormKind.ATTENDANCE to (eventId to null),
            )
            for (kind in FormKind.values()) {
                val (record, item) = parts[kind] ?: (null to null)
                val form = repo.suhbat.form(kind, record, item, null)
                assertEquals(kind, form.kind)
                assertTrue(form.fields.isNotEmpty() && form.fields.none { it.label.contains('_') }, "$kind labels: ${form.fields.map { it.label }}")
            }
        }
    },
    Check("a follow-up result, a parent case and its seven tasks go through the generic form") { dir ->
        openStore(dir, "aziz", softwareKeys(dir)).use { repo ->
            val personId = addPerson(repo, "Qodirov")
            val talkId = openForm(repo, FormKind.CONVERSATION, about = personId).saved("started_at" to "2025-09-01 10:00", "place" to "School 141", *MINOR_CONSENT)
            val followUp = openForm(repo, FormKind.FOLLOW_UP, talkId, "m1")
            assertEquals("m1", followUp.itemId)
            assertEquals(FieldKind.FLAG, followUp.form.value.fields.first { it.key == "reoffended" }.kind)
            assertEquals(FieldKind.NUMBER, followUp.form.value.fields.first { it.key == "reoffences" }.kind)
            followUp.setFlag("reoffended", true)
            val typed = arrayOf("done_on" to "2025-10-01", "behaviour" to "improved", "legal_knowledge" to "good", "reoffences" to "x")
            assertFalse(followUp.save(*typed))
            val english = followUp.errorOf("reoffences")
            assertTrue(english.orEmpty().contains("whole number"), english)
            repo.suhbat.setLocale(Locale.UZ_LATN)
            assertFalse(followUp.save(*typed))
            assertNotEquals(english, followUp.errorOf("reoffences"))
            repo.suhbat.setLocale(Locale.EN)
            followUp.saved("reoffences" to "1")

            val case = openForm(repo, FormKind.PARENT_CASE, about = personId)
            assertFalse(case.save())
            assertNotNull(case.errorOf("concern"))
            val caseId = case.saved("concern" to "The children miss school")
            openForm(repo, FormKind.PARENT_CASE, caseId).saved("stage" to "analysis")
            val task = openForm(repo, FormKind.SEVEN_TASK, caseId)
            assertFalse(task.save("role" to "womens_activist", "task" to " "))
            assertNotNull(task.errorOf("task"))
            task.saved("task" to "Visit the family")
            val again = openForm(repo, FormKind.SEVEN_TASK, caseId, task.itemId)
            again.setFlag("done", true)
            again.saved()
            assertEquals(listOf("Visit the family" to true), repo.suhbat.parentCase(caseId).tasks.map { it.task to it.done })
        }
    },
    Check("a request (with a picked case), an application with its decision, an event with its attendance") { dir ->
        openStore(dir, "aziz", softwareKeys(dir)).use { repo ->
            val personId = addPerson(repo, "Qodirov")
            val caseId = openForm(repo, FormKind.PARENT_CASE, about = personId).saved("concern" to "Truancy")
            val request = openForm(repo, FormKind.REFERRAL, about = personId)
            assertFalse(request.save("subject" to "Qodirov J."))
            val english = request.errorOf("reason")
            assertNotNull(english)
            repo.suhbat.setLocale(Locale.UZ_CYRL)
            assertFalse(request.save())
            assertNotEquals(english, request.errorOf("reason"))
            repo.suhbat.setLocale(Locale.EN)
            val offered = runBlocking { repo.linkChoices(FieldKind.CASE, "") }.getOrThrow()
            request.pick("case_id", offered.first { it.value == caseId })
            val requestId = request.saved("to" to "criminal_investigation", "reason" to "Seen with a wanted man")
            assertEquals(caseId, openForm(repo, FormKind.REFERRAL, requestId).form.value.fields.first { it.key == "case_id" }.value)
            openForm(repo, FormKind.REFERRAL, requestId).saved("subject" to "Qodirov Jasur")

            val application = openForm(repo, FormKind.APPLICATION)
            assertFalse(application.save())
            assertNotNull(application.errorOf("applicant"))
            val appId = application.saved("book" to "form2", "applicant" to "Karimova N.", "summary" to "Noise at night")
            openForm(repo, FormKind.APPLICATION, appId).saved("summary" to "Noise at night, again")
            openForm(repo, FormKind.DECISION, appId).saved("kind" to "explained", "text" to "Explained the rules")

            val event = openForm(repo, FormKind.JOINT_EVENT)
            assertFalse(event.save("kind" to "seminar"))
            assertNotNull(event.errorOf("title"))
            event.addItem("organisers", "Dilnoza", "Women's committee")
            val eventId = event.saved("title" to "Parents' school", "place" to "School 12")
            val attendance = openForm(repo, FormKind.ATTENDANCE, eventId)
            attendance.toggle("person_ids", personId)
            attendance.addItem("guests", "Karimov B.")
            attendance.saved()
            assertTrue(personId in openForm(repo, FormKind.ATTENDANCE, eventId).form.value.fields.first { it.key == "person_ids" }.selected)
        }
    },
    Check("a seven member sees a case with its tasks, gets the case screens and is refused the person form") { dir ->
        val keys = softwareKeys(dir)
        openStore(dir, "aziz", keys).use { aziz ->
            openStore(dir, "malika", keys, Role.SEVEN).use { malika ->
                val case = openForm(aziz, FormKind.PARENT_CASE)
                case.addItem("guardians", "Qodirov Anvar", "father")
                val caseId = case.saved("concern" to "Truancy")
                openForm(aziz, FormKind.SEVEN_TASK, caseId).saved("role" to "womens_activist", "assignee" to "Малика", "task" to "Visit the family")
                openForm(aziz, FormKind.SEVEN_TASK, caseId).saved("role" to "chairman", "assignee" to "Dilnoza", "task" to "Call the school")
                send(aziz, malika)
                assertEquals(listOf("Visit the family", "Call the school"), malika.suhbat.parentCase(caseId).tasks.map { it.task })
                val listed = runBlocking { malika.parentCaseList(null, null).getOrThrow() }
                assertEquals(listOf(caseId), listed.rows.map { it.id })
                assertEquals(SaraStage.SCANNING, listed.rows[0].stage)
                assertEquals(2u, listed.rows[0].openTasks)
                assertEquals(listOf("Visit the family"), listed.rows[0].myTasks.map { it.task }, "her own task, named in the other script")
                assertTrue(malika.suhbat.parentCaseList(SaraStage.RESPONSE, null).rows.isEmpty())
                val nav = malika.suhbat.navigation()
                val screens = (nav.tabs + nav.menu).map { it.screen }
                assertTrue(Screen.PARENT_CASES in screens && Screen.PERSONS !in screens, "$screens")
                val refused = assertFailsWith<SuhbatException.NotPermitted> { malika.suhbat.form(FormKind.PERSON, null, null, null) }
                malika.suhbat.setLocale(Locale.RU)
                val russian = assertFailsWith<SuhbatException.NotPermitted> { malika.suhbat.form(FormKind.PERSON, null, null, null) }
                assertNotEquals(refused.message, russian.message, "the refusal is translated")
            }
        }
    },
)
