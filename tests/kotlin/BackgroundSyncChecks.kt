package uz.suhbat.tests

import java.io.File
import javax.crypto.KeyGenerator
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import uz.suhbat.ffi.DeviceProfile
import uz.suhbat.ffi.KeyProvider
import uz.suhbat.ffi.Locale
import uz.suhbat.ffi.Role
import uz.suhbat.shared.AesGcmKeyWrapper
import uz.suhbat.shared.BackgroundSync
import uz.suhbat.shared.BackgroundSyncResult
import uz.suhbat.shared.CoreSyncSessions
import uz.suhbat.shared.DeviceStore
import uz.suhbat.shared.HubConnector
import uz.suhbat.shared.SyncOutcome
import uz.suhbat.shared.WrappedKeyProvider

/** The device store at [dir]/[name].db as a fresh process sees it: nothing open yet. */
fun deviceStore(dir: File, name: String, keys: KeyProvider) = DeviceStore(File(dir, "$name.db"), keys, null, Locale.EN, Dispatchers.IO)

/** A connector that must not be used: nothing to sync means no network either. */
val noNetwork = HubConnector { url, _ -> error("background sync connected to $url with nothing to do") }

fun backgroundSyncChecks(): List<Check> = listOf(
    Check("a cold start without screens: background sync opens the enrolled store itself and syncs with the real hub") { dir ->
        TestHub(File(dir, "hub")).use { hub ->
            val wrappingKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
            val keysOf = { WrappedKeyProvider(File(dir, "keys"), AesGcmKeyWrapper { wrappingKey }) }
            // Yesterday the user enrolled and registered a person, then the process ended.
            openStore(dir, "Aziz", keysOf()).use { ui ->
                enrol(ui, hub, "Aziz")
                addPerson(ui, "Qodirov")
            }
            // Today WorkManager starts the process for the worker alone: new key provider, no store open.
            val store = deviceStore(dir, "Aziz", keysOf())
            assertNull(store.current)
            val result = runBlocking { BackgroundSync(store, CoreSyncSessions, jdkConnector).run() }
            assertTrue(result is BackgroundSyncResult.Synced && result.report.docsSent >= 1uL && result.report.rejected.isEmpty(), "$result")
            // The screens, opened later in the same process, share the instance the worker opened.
            val opened = store.current ?: error("background sync closed the store it opened")
            assertSame(opened, runBlocking { store.open(null) })
            // Another phone gets the person through the hub.
            openStore(dir, "Bobur", keysOf()).use { bobur ->
                enrol(bobur, hub, "Bobur")
                assertTrue(syncOnce(bobur) is SyncOutcome.Done)
                assertEquals(listOf("Qodirov Jasur"), bobur.suhbat.personList("").rows.map { it.name })
            }
            // A revoked device: the worker wipes the store it opened, and says so.
            hub.revoke(opened.suhbat.device().deviceId)
            val wiped = runBlocking { BackgroundSync(store, CoreSyncSessions, jdkConnector).run() }
            assertTrue(wiped is BackgroundSyncResult.Wiped, "$wiped")
            assertFalse(store.exists())
            assertNull(store.current)
            assertEquals(BackgroundSyncResult.NothingToDo, runBlocking { BackgroundSync(store, CoreSyncSessions, jdkConnector).run() })
        }
    },
    Check("background sync shares the store the screens opened and leaves it open") { dir ->
        TestHub(File(dir, "hub")).use { hub ->
            val store = deviceStore(dir, "aziz", softwareKeys(dir))
            val ui = runBlocking { store.open(DeviceProfile("aziz", Role.INSPECTOR, listOf("Navbahor"))) }
            enrol(ui, hub, "aziz")
            addPerson(ui, "Qodirov")
            val result = runBlocking { BackgroundSync(store, CoreSyncSessions, jdkConnector).run() }
            assertTrue(result is BackgroundSyncResult.Synced && result.report.docsSent >= 1uL, "$result")
            assertSame(ui, store.current)
            // The sync screen's report lives in the open instance: the screens see this sync.
            val status = ui.suhbat.syncStatus()
            assertTrue(status.lastReportLines.firstOrNull().orEmpty().startsWith("Last sync: "), "$status")
            ui.close()
        }
    },
    Check("no store or a store not enrolled: background sync has nothing to do and creates nothing") { dir ->
        val keys = CountingKeys(softwareKeys(dir))
        val missing = deviceStore(dir, "nobody", keys)
        assertEquals(BackgroundSyncResult.NothingToDo, runBlocking { BackgroundSync(missing, CoreSyncSessions, noNetwork).run() })
        assertFalse(File(dir, "nobody.db").exists(), "no store file was created")
        assertEquals(0, keys.asked.get(), "no key was asked for (or created)")
        assertFalse(File(dir, "keys").exists())
        assertNull(missing.current)

        openStore(dir, "aziz", keys).close()
        val local = deviceStore(dir, "aziz", keys)
        assertEquals(BackgroundSyncResult.NothingToDo, runBlocking { BackgroundSync(local, CoreSyncSessions, noNetwork).run() })
        local.current?.close()
    },
)
