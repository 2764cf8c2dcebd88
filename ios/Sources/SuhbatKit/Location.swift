import CoreLocation
import Foundation
import SuhbatFFI

/// The phone's position for the core's `LocationProvider`, from CoreLocation: asks for
/// permission while the app is in use, then keeps the latest fix. The core decides whether a
/// fix is recent and accurate enough for a visit; without permission there is none.
public final class CoreLocationProvider: NSObject, LocationProvider, CLLocationManagerDelegate, @unchecked Sendable {
    private let manager = CLLocationManager()
    private let lock = NSLock()
    private var latest: LocationFix?

    /// A provider; call `start()` on the main thread to ask for permission and updates.
    public override init() {
        super.init()
        manager.delegate = self
        manager.desiredAccuracy = kCLLocationAccuracyNearestTenMeters
        manager.distanceFilter = 10
    }

    /// Asks for permission (once) and starts updates when allowed.
    public func start() {
        switch manager.authorizationStatus {
        case .notDetermined:
            manager.requestWhenInUseAuthorization()
        case .authorizedWhenInUse, .authorizedAlways:
            manager.startUpdatingLocation()
        default:
            break
        }
    }

    public func latestFix() throws -> LocationFix? {
        lock.lock()
        defer { lock.unlock() }
        return latest
    }

    public func locationManagerDidChangeAuthorization(_ manager: CLLocationManager) {
        switch manager.authorizationStatus {
        case .authorizedWhenInUse, .authorizedAlways:
            manager.startUpdatingLocation()
        default:
            manager.stopUpdatingLocation()
            store(nil)
        }
    }

    public func locationManager(_ manager: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        guard let fix = locations.last, fix.horizontalAccuracy >= 0 else { return }
        store(LocationFix(
            lat: fix.coordinate.latitude,
            lon: fix.coordinate.longitude,
            accuracyMetres: fix.horizontalAccuracy,
            atMs: Int64(fix.timestamp.timeIntervalSince1970 * 1000)
        ))
    }

    public func locationManager(_ manager: CLLocationManager, didFailWithError error: Error) {
        // No fix this time: a visit is recorded without its place rather than not at all.
    }

    private func store(_ fix: LocationFix?) {
        lock.lock()
        latest = fix
        lock.unlock()
    }
}
