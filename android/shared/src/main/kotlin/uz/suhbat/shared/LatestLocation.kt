package uz.suhbat.shared

import java.util.concurrent.atomic.AtomicReference
import uz.suhbat.ffi.LocationFix
import uz.suhbat.ffi.LocationProvider

/**
 * The core's [LocationProvider] over the platform's location updates: the platform listener
 * calls [update] with each fix, the core asks for [latestFix] when a visit starts and decides
 * itself whether the fix is recent and accurate enough to record. Until the first fix (no
 * permission, location off) there is none.
 */
class LatestLocation : LocationProvider {
    private val latest = AtomicReference<LocationFix?>(null)

    /** A new fix from the platform: [accuracyMetres] is the 68 % radius, [atMs] its time. */
    fun update(lat: Double, lon: Double, accuracyMetres: Double, atMs: Long) {
        latest.set(LocationFix(lat, lon, accuracyMetres, atMs))
    }

    /** The platform stopped giving fixes (permission withdrawn): forget the last one. */
    fun clear() = latest.set(null)

    override fun latestFix(): LocationFix? = latest.get()
}
