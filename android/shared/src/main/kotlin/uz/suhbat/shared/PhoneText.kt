package uz.suhbat.shared

import uz.suhbat.ffi.catalogText
import uz.suhbat.ffi.localeForTag

/**
 * A catalog text in the phone's language, for messages made where no screen's language is at
 * hand (why a sync failed on the network, shown by the sync screen).
 */
fun phoneText(key: String): String = catalogText(localeForTag(java.util.Locale.getDefault().toLanguageTag()), key)
