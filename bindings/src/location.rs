//! Where a visit takes place: the platform's location service behind a foreign trait. The
//! shell supplies its latest fix (Android LocationManager, iOS CoreLocation, after asking for
//! permission); the core decides whether it is good enough to record on a new conversation.

use crate::error::PlatformError;
use crate::{Suhbat, SuhbatError};
use std::sync::Arc;
use suhbat_core::views;

/// A position fix from the platform.
#[derive(Clone, Copy, Debug, uniffi::Record)]
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

/// The platform's location service. Implemented in Kotlin and Swift.
#[uniffi::export(with_foreign)]
pub trait LocationProvider: Send + Sync {
    /// The latest fix the platform has (no waiting for a new one), or none: no permission,
    /// location off, or no fix yet.
    fn latest_fix(&self) -> Result<Option<LocationFix>, PlatformError>;
}

impl From<LocationFix> for views::LocationFix {
    fn from(fix: LocationFix) -> Self {
        views::LocationFix { lat: fix.lat, lon: fix.lon, accuracy_metres: fix.accuracy_metres, at_ms: fix.at_ms }
    }
}

#[uniffi::export]
impl Suhbat {
    /// Gives the core the platform's location service (none: forget it). A new conversation
    /// then starts at the phone's position when its fix is recent and accurate.
    pub fn set_location_provider(&self, provider: Option<Arc<dyn LocationProvider>>) -> Result<(), SuhbatError> {
        *self.location.lock().map_err(|_| SuhbatError::poisoned())? = provider;
        Ok(())
    }
}

impl Suhbat {
    /// The platform's latest fix; a failing location service is no fix (a visit is recorded
    /// without its place rather than not at all).
    pub(crate) fn latest_fix(&self) -> Result<Option<views::LocationFix>, SuhbatError> {
        let provider = self.location.lock().map_err(|_| SuhbatError::poisoned())?.clone();
        Ok(provider.and_then(|p| p.latest_fix().ok().flatten()).map(views::LocationFix::from))
    }
}
