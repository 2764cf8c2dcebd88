//! The one error type of the bindings, and the error platform code reports to the core.

use suhbat_core::{Error, Locale};

/// Everything a call into Suhbat can fail with. Each variant carries a message a person can
/// read; validation messages are in the language set with `Suhbat.set_locale`.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum SuhbatError {
    /// The record breaks one or more rules (one message per line, in the user's language).
    #[error("{0}")]
    Invalid(String),
    /// No such record, item or id on this device.
    #[error("{0}")]
    NotFound(String),
    /// The conflict to resolve does not exist (already resolved, or a wrong path).
    #[error("{0}")]
    NoSuchConflict(String),
    /// Bytes or text from outside (a bundle, a summary, JSON) are malformed.
    #[error("{0}")]
    BadInput(String),
    /// The store key is wrong, or the file is not a Suhbat store.
    #[error("{0}")]
    WrongKey(String),
    /// The platform key store failed.
    #[error("{0}")]
    KeyStore(String),
    /// The store file could not be read or written (damaged, too new, disk error).
    #[error("{0}")]
    Storage(String),
    /// A bug or an earlier crash left the object unusable; reopen the store.
    #[error("{0}")]
    Internal(String),
}

impl SuhbatError {
    /// Maps a core error, rendering validation messages in `locale`.
    pub(crate) fn from_core(error: Error, locale: Locale) -> Self {
        let message = error.to_string();
        match error {
            Error::Invalid(errors) => SuhbatError::Invalid(errors.messages(locale).join("\n")),
            Error::NotFound(_) | Error::WrongKind { .. } => SuhbatError::NotFound(message),
            Error::NoSuchConflict { .. } => SuhbatError::NoSuchConflict(message),
            Error::Malformed(_) => SuhbatError::BadInput(message),
            Error::WrongKey => SuhbatError::WrongKey(message),
            Error::KeyStore(_) => SuhbatError::KeyStore(message),
            _ => SuhbatError::Storage(message),
        }
    }

    /// The error of a lock left poisoned by a panic in an earlier call.
    pub(crate) fn poisoned() -> Self {
        SuhbatError::Internal("an earlier call failed inside the store; close and reopen it".into())
    }
}

/// What platform code (a key store, a notifier) throws when it fails. Any other exception
/// thrown by platform code arrives as `Failed` too.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum PlatformError {
    /// The platform refused or failed; `reason` says why.
    #[error("{reason}")]
    Failed {
        /// Why, in words.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for PlatformError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        PlatformError::Failed { reason: e.reason }
    }
}
