package uz.suhbat.tests

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.runBlocking
import uz.suhbat.ffi.FormKind
import uz.suhbat.ffi.Locale
import uz.suhbat.shared.BundleExchange
import uz.suhbat.shared.EnrolInvites
import uz.suhbat.shared.LatestLocation
import uz.suhbat.shared.SuhbatRepository

/** The apps' platform-free pieces behind the exchange, location and enrolment screens. */
fun shellChecks(): List<Check> = listOf(
    Check("a bundle saved under the core's name on one phone is merged on another with the core's report") { dir ->
        exchangeBetweenTwoPhones(dir) { aziz, bekzod ->
            val file = BundleExchange(aziz).save(File(dir, "exchange")).getOrThrow()
            assertTrue(file.name.matches(Regex("""suhbat-\d{4}-\d{2}-\d{2}-\d{4}\.suhbat""")), file.name)
            assertTrue(File(dir, "exchange").listFiles().orEmpty().none { it.name.endsWith(".tmp") })
            val report = BundleExchange(bekzod).receive(file.readBytes()).getOrThrow()
            assertEquals("Bundle merged", report.title)
            assertTrue("Records created or changed: 1" in report.lines, "${report.lines}")
            assertEquals(1, bekzod.personList("Qodirov").getOrThrow().rows.size)
            val refused = BundleExchange(bekzod).receive(ByteArray(3))
            assertTrue(refused.isFailure, "a damaged file is refused")
        }
    },
    Check("a bundle saved for the other phone's summary code carries only what that phone lacks") { dir ->
        exchangeBetweenTwoPhones(dir) { aziz, bekzod ->
            val everything = BundleExchange(aziz).save(File(dir, "all")).getOrThrow()
            BundleExchange(bekzod).receive(everything.readBytes()).getOrThrow()
            addPerson(aziz, "Karimov")
            val code = bekzod.summaryCode().getOrThrow()
            assertEquals(code.size.toInt() * code.size.toInt(), code.dark.size)
            val lacking = BundleExchange(aziz).save(File(dir, "for-code"), code.text).getOrThrow()
            assertTrue(lacking.length() < BundleExchange(aziz).save(File(dir, "all-again")).getOrThrow().length(), "only what Bekzod lacks")
            val report = BundleExchange(bekzod).receive(lacking.readBytes()).getOrThrow()
            assertTrue("Records created or changed: 1" in report.lines, "${report.lines}")
            assertTrue(BundleExchange(aziz).save(File(dir, "bad"), "not a code").isFailure, "a text that is no code is refused")
        }
    },
    Check("a new visit starts where the phone is: the platform's fix goes to the core through LatestLocation") { dir ->
        openStore(dir, "Aziz", softwareKeys(dir)).use { aziz ->
            val personId = addPerson(aziz, "Qodirov")
            val location = LatestLocation()
            val gps = { runBlocking { aziz.form(FormKind.CONVERSATION, null, null, personId).getOrThrow() }.fields.first { it.key == "gps" }.value }
            runBlocking { aziz.setLocationProvider(location).getOrThrow() }
            assertEquals("", gps(), "no fix yet")
            location.update(41.3111, 69.2797, 15.0, System.currentTimeMillis() - 20_000)
            assertEquals("41.3111, 69.2797", gps())
            location.update(41.3111, 69.2797, 900.0, System.currentTimeMillis())
            assertEquals("", gps(), "the core does not record a vague fix")
            location.clear()
            assertEquals("", gps())
        }
    },
    Check("the console's invitation fills the enrolment screen; a bad one is refused in the app's language") { _ ->
        val invite = EnrolInvites(Locale.EN).read("  suhbat-enrol:?hub=https://10.0.0.5:8443&code=ABCD-EFGH&ca=AB:CD  ").getOrThrow()
        assertEquals("https://10.0.0.5:8443" to "ABCD-EFGH", invite.hubUrl to invite.code)
        val refused = EnrolInvites(Locale.RU).read("https://10.0.0.5:8443").exceptionOrNull()
        assertTrue(refused?.message.orEmpty().startsWith("Это не приглашение Suhbat"), "$refused")
        val noCertificate = EnrolInvites(Locale.EN).certificate(invite, "not a certificate")
        assertTrue(noCertificate.isFailure)
        assertEquals("suhbat-enrol", EnrolInvites.SCHEME)
    },
)

/** Aziz's and Bekzod's phones, with a person on Aziz's: [exchange] runs on the two. */
private fun exchangeBetweenTwoPhones(dir: File, exchange: suspend (SuhbatRepository, SuhbatRepository) -> Unit) {
    val keys = softwareKeys(dir)
    openStore(dir, "Aziz", keys).use { aziz ->
        openStore(dir, "Bekzod", keys).use { bekzod ->
            addPerson(aziz, "Qodirov")
            runBlocking { exchange(aziz, bekzod) }
        }
    }
}
