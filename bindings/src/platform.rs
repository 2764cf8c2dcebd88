//! Capabilities the platform provides to the core, implemented in Kotlin or Swift.

use crate::error::PlatformError;
use std::sync::Arc;
use suhbat_core::views::Reminder;
use suhbat_core::{DbKey, KeyError};
use zeroize::Zeroizing;

/// Where database keys live: the Android Keystore or the iOS Keychain. The core asks for the
/// key of a store when it opens it and never writes the key anywhere itself.
#[uniffi::export(with_foreign)]
pub trait KeyProvider: Send + Sync {
    /// Returns the 32-byte key for `key_id`. On first use, creates a random key, keeps it
    /// (wrapped by the hardware key store) and returns it; afterwards returns the same key.
    fn get_or_create_key(&self, key_id: String) -> Result<Vec<u8>, PlatformError>;
    /// Destroys the key for `key_id`; data encrypted with it can never be read again.
    /// Returns true when a key was destroyed, false when there was none.
    fn destroy_key(&self, key_id: String) -> Result<bool, PlatformError>;
}

/// Shows follow-up reminders as platform notifications.
#[uniffi::export(with_foreign)]
pub trait Notifier: Send + Sync {
    /// Replaces every reminder scheduled before with `reminders`, each shown at its
    /// `fire_at_ms`. Returns how many the platform scheduled (0 when notifications are off).
    fn replace_all(&self, reminders: Vec<Reminder>) -> Result<u32, PlatformError>;
}

/// A platform [`KeyProvider`] seen as the core's key provider.
pub(crate) struct PlatformKeys(pub Arc<dyn KeyProvider>);

impl suhbat_core::KeyProvider for PlatformKeys {
    fn get_or_create_key(&self, key_id: &str) -> Result<DbKey, KeyError> {
        let bytes = Zeroizing::new(self.0.get_or_create_key(key_id.to_string()).map_err(|e| KeyError::Unavailable(e.to_string()))?);
        let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| KeyError::Damaged(format!("{key_id}: {} bytes instead of 32", bytes.len())))?;
        Ok(Zeroizing::new(key))
    }

    fn destroy_key(&self, key_id: &str) -> Result<(), KeyError> {
        self.0.destroy_key(key_id.to_string()).map(|_| ()).map_err(|e| KeyError::Unavailable(e.to_string()))
    }
}
