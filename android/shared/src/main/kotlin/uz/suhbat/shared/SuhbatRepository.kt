package uz.suhbat.shared

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.withContext
import uz.suhbat.ffi.Book
import uz.suhbat.ffi.DeviceProfile
import uz.suhbat.ffi.Enrolment
import uz.suhbat.ffi.FieldInput
import uz.suhbat.ffi.FieldKind
import uz.suhbat.ffi.FormKind
import uz.suhbat.ffi.KeyProvider
import uz.suhbat.ffi.Locale
import uz.suhbat.ffi.LocationProvider
import uz.suhbat.ffi.Notifier
import uz.suhbat.ffi.ReferralState
import uz.suhbat.ffi.SaraStage
import uz.suhbat.ffi.SevenRole
import uz.suhbat.ffi.Suhbat
import uz.suhbat.ffi.SuhbatException

/**
 * The app's one entry to the core. Every call runs on [io] (the core blocks on disk and the
 * key store) and returns a [Result] whose failure message is the core's own. No rule is
 * checked here: validation, ordering, labels and conflicts all come from the core.
 */
class SuhbatRepository(val suhbat: Suhbat, private val io: CoroutineDispatcher) : AutoCloseable {

    /** Runs a core call off the caller's thread. */
    suspend fun <T> call(block: (Suhbat) -> T): Result<T> = withContext(io) {
        try {
            Result.success(block(suhbat))
        } catch (e: SuhbatException) {
            Result.failure(e)
        }
    }

    suspend fun setLocale(locale: Locale) = call { it.setLocale(locale) }
    suspend fun navigation() = call { it.navigation() }
    suspend fun worklist() = call { it.worklist() }
    suspend fun completeWorkItem(recordId: String, itemId: String) = call { it.completeWorkItem(recordId, itemId) }
    suspend fun personList(query: String) = call { it.personList(query) }
    suspend fun personDetail(personId: String) = call { it.personDetail(personId) }
    suspend fun personForm(personId: String?) = call { it.personForm(personId) }
    suspend fun conversationForm(conversationId: String?, personId: String?) =
        call { it.conversationForm(conversationId, personId) }
    /** The form of any record kind (see `Suhbat.form`): a new record when [recordId] is null, a part [itemId] of it. */
    suspend fun form(kind: FormKind, recordId: String?, itemId: String?, about: String?) =
        call { it.form(kind, recordId, itemId, about) }

    /** What a person or parent-case link field offers for [query]. */
    suspend fun linkChoices(field: FieldKind, query: String) = call { it.linkChoices(field, query) }
    suspend fun submitForm(kind: FormKind, recordId: String, itemId: String, version: String, values: List<FieldInput>) =
        call { it.submitForm(kind, recordId, itemId, version, values) }
    suspend fun parentCaseList(stage: SaraStage?, mahalla: String?) = call { it.parentCaseList(stage, mahalla) }
    suspend fun parentCase(caseId: String) = call { it.parentCase(caseId) }
    suspend fun setCaseStage(caseId: String, stage: SaraStage, reason: String) = call { it.setCaseStage(caseId, stage, reason) }
    suspend fun addCaseTask(caseId: String, role: SevenRole, task: String, due: String) =
        call { it.addCaseTask(caseId, role, task, due) }
    suspend fun setCaseTaskDone(caseId: String, taskId: String, done: Boolean) =
        call { it.setCaseTaskDone(caseId, taskId, done) }
    suspend fun setCaseText(caseId: String, field: String, value: String, version: String) =
        call { it.setCaseText(caseId, field, value, version) }
    suspend fun conflicts() = call { it.conflicts() }
    suspend fun resolveConflict(recordId: String, path: String, valueJson: String) =
        call { it.resolveConflict(recordId, path, valueJson) }
    suspend fun syncStatus() = call { it.syncStatus() }
    suspend fun summary() = call { it.summary() }
    suspend fun exportBundle(since: ByteArray?) = call { it.exportBundle(since) }
    suspend fun importBundle(bundle: ByteArray) = call { it.importBundle(bundle) }
    suspend fun text(key: String) = call { it.text(key) }

    /** Catalog texts for [keys] in one call, for screens whose labels are not in a view-model. */
    suspend fun texts(keys: List<String>) = call { suhbat -> keys.associateWith { suhbat.text(it) } }

    // Cooperation requests.
    suspend fun referralList() = call { it.referralList() }
    suspend fun referralDetail(referralId: String) = call { it.referralDetail(referralId) }
    suspend fun advanceReferral(referralId: String, state: ReferralState, note: String) =
        call { it.advanceReferral(referralId, state, note) }

    // The applications registry.
    suspend fun registryBooks() = call { it.registryBooks() }
    suspend fun registryBook(book: Book, year: Int) = call { it.registryBook(book, year) }
    suspend fun alphabeticalBook(year: Int) = call { it.alphabeticalBook(year) }
    suspend fun overdueApplications() = call { it.overdueApplications() }

    // Joint events.
    suspend fun eventList(linkedTo: String) = call { it.eventList(linkedTo) }

    // Reports, risk weights, duplicates, kept-aside work and device-to-device exchange.
    suspend fun reportPeriods() = call { it.reportPeriods() }
    suspend fun districtReport(from: String, to: String) = call { it.districtReport(from, to, null) }
    suspend fun effectivenessReport(from: String, to: String) = call { it.effectivenessReport(from, to, null) }
    suspend fun trendsReport(months: UInt) = call { it.trendsReport(months) }
    suspend fun riskWeights() = call { it.riskWeights() }
    suspend fun setRiskWeight(factor: String, weight: UInt) = call { it.setRiskWeight(factor, weight) }
    suspend fun duplicateList() = call { it.duplicateList(null) }
    suspend fun mergePersons(keepId: String, duplicateId: String) = call { it.mergePersons(keepId, duplicateId) }
    suspend fun unmergePerson(duplicateId: String) = call { it.unmergePerson(duplicateId) }
    suspend fun keptAside() = call { it.keptAside() }
    suspend fun discardKeptAside(seq: Long) = call { it.discardKeptAside(seq) }
    suspend fun exchange() = call { it.exchange() }
    suspend fun receiveBundle(bundle: ByteArray) = call { it.receiveBundle(bundle) }
    suspend fun summaryCode() = call { it.summaryCode() }
    suspend fun exportBundleForCode(code: String) = call { it.exportBundleForCode(code) }

    /** Gives the core the platform's location service; it decides when a visit records a fix. */
    suspend fun setLocationProvider(provider: LocationProvider?) = call { it.setLocationProvider(provider) }

    /**
     * Enrols this device with a hub (see [enrolWithHub]); a refused code, a bad address or
     * certificate, a certificate the platform cannot read and a network failure all come back as failures with a readable message.
     */
    suspend fun enrol(connector: HubConnector, hubUrl: String, caPem: String?, code: String): Result<Enrolment> =
        withContext(io) {
            try {
                Result.success(enrolWithHub(suhbat, connector, hubUrl, caPem, code))
            } catch (e: SuhbatException) {
                Result.failure(e)
            } catch (e: java.io.IOException) {
                Result.failure(e)
            } catch (e: java.security.GeneralSecurityException) {
                Result.failure(e)
            }
        }

    /** The store is enrolled with a hub (it has something to sync with). */
    suspend fun enrolled(): Boolean = call { !it.hubId().isNullOrEmpty() }.getOrDefault(false)

    /** Releases the native store. */
    override fun close() = suhbat.close()

    companion object {
        /**
         * Opens the device store at [path]; with a [profile], creates it on first start.
         * Throws [SuhbatException] when the store cannot be opened (wrong key, damaged file).
         */
        suspend fun open(
            path: String,
            keys: KeyProvider,
            profile: DeviceProfile?,
            notifier: Notifier?,
            io: CoroutineDispatcher,
        ): SuhbatRepository = withContext(io) {
            val suhbat = if (profile == null) Suhbat.open(path, keys, notifier) else Suhbat.openOrCreate(path, keys, profile, notifier)
            SuhbatRepository(suhbat, io)
        }
    }
}
