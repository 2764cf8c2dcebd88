package uz.suhbat.shared

import uz.suhbat.ffi.EnrolInvite
import uz.suhbat.ffi.Locale
import uz.suhbat.ffi.SuhbatException
import uz.suhbat.ffi.inviteCertificate
import uz.suhbat.ffi.readEnrolInvite

/**
 * The hub's enrolment invitation (the console's QR code, scanned by the phone's camera or
 * pasted) on the enrolment screen: the core reads it and checks the chosen certificate
 * against its fingerprint, so the user need not compare fingerprints by eye.
 */
class EnrolInvites(private val locale: Locale) {

    /** The invitation in [text], or the core's message (in the app language) saying why not. */
    fun read(text: String): Result<EnrolInvite> = core { readEnrolInvite(text.trim(), locale) }

    /** The certificate's fingerprint when [pem] is the certificate [invite] names, else the core's refusal. */
    fun certificate(invite: EnrolInvite, pem: String): Result<String> = core { inviteCertificate(invite, pem, locale) }

    private fun <T> core(block: () -> T): Result<T> = try {
        Result.success(block())
    } catch (e: SuhbatException) {
        Result.failure(e)
    }

    companion object {
        /** The scheme of an invitation's text (`suhbat-enrol:?hub=…`), for deep links from the camera. */
        const val SCHEME = "suhbat-enrol"
    }
}
