//! Where a visit took place: the phone supplies its latest position fix (the shells' platform
//! location service behind the bindings' `LocationProvider`); the core decides whether it is
//! good enough to record on a new conversation. A stale or vague fix is not recorded: a wrong
//! place is worse than none, and the inspector can still type it.

use crate::model::GeoPoint;
use chrono::{DateTime, Utc};

/// A fix older than this is not taken as where the visit is.
pub const MAX_FIX_AGE_SECONDS: i64 = 10 * 60;
/// A fix vaguer than this (radius, metres) is not recorded.
pub const MAX_FIX_ACCURACY_METRES: f64 = 100.0;

/// A position fix from the phone's location service.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LocationFix {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Radius of 68 % confidence, metres.
    pub accuracy_metres: f64,
    /// When the fix was taken, ms since the Unix epoch.
    pub at_ms: i64,
}

/// The position to record for a visit starting `now`, if the fix is recent, accurate and a
/// real position.
pub fn visit_location(fix: Option<&LocationFix>, now: DateTime<Utc>) -> Option<GeoPoint> {
    let fix = fix?;
    let age = (now.timestamp_millis() - fix.at_ms) / 1000;
    let fresh = (-60..=MAX_FIX_AGE_SECONDS).contains(&age);
    let precise = fix.accuracy_metres.is_finite() && (0.0..=MAX_FIX_ACCURACY_METRES).contains(&fix.accuracy_metres);
    let real = (-90.0..=90.0).contains(&fix.lat) && (-180.0..=180.0).contains(&fix.lon);
    (fresh && precise && real).then_some(GeoPoint { lat: fix.lat, lon: fix.lon })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_recent_accurate_real_fix_is_recorded() {
        let now = Utc::now();
        let fix = |age_s: i64, accuracy_metres: f64, lat: f64| LocationFix { lat, lon: 69.24, accuracy_metres, at_ms: now.timestamp_millis() - age_s * 1000 };
        assert_eq!(visit_location(Some(&fix(30, 12.0, 41.31)), now), Some(GeoPoint { lat: 41.31, lon: 69.24 }));
        assert_eq!(visit_location(Some(&fix(11 * 60, 12.0, 41.31)), now), None, "stale");
        assert_eq!(visit_location(Some(&fix(30, 450.0, 41.31)), now), None, "vague");
        assert_eq!(visit_location(Some(&fix(30, f64::NAN, 41.31)), now), None, "no accuracy");
        assert_eq!(visit_location(Some(&fix(30, 12.0, 141.0)), now), None, "not a position");
        assert_eq!(visit_location(None, now), None);
    }
}
