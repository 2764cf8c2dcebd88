package uz.suhbat.app.platform

import android.Manifest
import android.content.Context
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationListener
import android.location.LocationManager
import android.os.Looper
import uz.suhbat.shared.LatestLocation

/**
 * The phone's position for the core's [uz.suhbat.ffi.LocationProvider], from Android's
 * LocationManager (GPS and network, no Play services needed): keeps the latest fix in
 * [latest] while the app runs. The core decides whether a fix is recent and accurate enough
 * for a visit; nothing is recorded without the user's permission.
 */
class AndroidLocation(private val context: Context) {
    /** The provider handed to the core (`Suhbat.setLocationProvider`). */
    val latest = LatestLocation()
    private val manager = context.getSystemService(LocationManager::class.java)
    private val listener = LocationListener { fix -> offer(fix) }
    private var listening = false

    /** Whether the user allowed location (asked for by [uz.suhbat.app.MainActivity]). */
    fun permitted(): Boolean = PERMISSIONS.any { context.checkSelfPermission(it) == PackageManager.PERMISSION_GRANTED }

    /** Starts listening (again) once permitted; the last known fix is offered at once. */
    @Synchronized
    fun start() {
        if (listening || manager == null || !permitted()) return
        try {
            for (provider in PROVIDERS.filter { manager.isProviderEnabled(it) }) {
                manager.getLastKnownLocation(provider)?.let(::offer)
                manager.requestLocationUpdates(provider, INTERVAL_MS, DISTANCE_METRES, listener, Looper.getMainLooper())
                listening = true
            }
        } catch (e: SecurityException) {
            // Permission withdrawn in between: no fix, visits are recorded without a place.
            latest.clear()
        }
    }

    /** Stops listening (the app stops, or the permission was withdrawn). */
    @Synchronized
    fun stop() {
        manager?.removeUpdates(listener)
        listening = false
    }

    private fun offer(fix: Location) = latest.update(fix.latitude, fix.longitude, fix.accuracy.toDouble(), fix.time)

    companion object {
        /** The runtime permissions the app asks for. */
        val PERMISSIONS = arrayOf(Manifest.permission.ACCESS_FINE_LOCATION, Manifest.permission.ACCESS_COARSE_LOCATION)
        private val PROVIDERS = listOf(LocationManager.GPS_PROVIDER, LocationManager.NETWORK_PROVIDER)
        private const val INTERVAL_MS = 60_000L
        private const val DISTANCE_METRES = 10f
    }
}
