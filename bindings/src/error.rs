//! The one error type of the bindings, and the error platform code reports to the core.

use suhbat_core::i18n;
use suhbat_core::views::scope_name;
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
    /// This device is not enrolled with a hub yet: enrol it first (`enrol_request`).
    #[error("{0}")]
    NotEnrolled(String),
    /// The hub refused the request (wrong or used enrolment code, unknown device, bad
    /// signature, clock far off); the message says why. Nothing needs wiping.
    #[error("{0}")]
    Refused(String),
    /// The hub refused this device with `wipe = true`: it was revoked and its data must be
    /// wiped. Close every `Suhbat` object of the store, then call `wipe_store`.
    #[error("{0}")]
    Revoked(String),
    /// This device's role or scope does not allow the change (the message names the role and
    /// mahalla, in the user's language).
    #[error("{0}")]
    NotPermitted(String),
    /// Received changes (a bundle, a sync answer) claim an author who did not sign them or may
    /// not make them; the message names that device. Nothing was applied.
    #[error("{0}")]
    Untrusted(String),
    /// Another copy of this install (a cloned phone, a restored backup) wrote changes with the
    /// same numbers. Nothing was applied; a sync with the hub sorts it out.
    #[error("{0}")]
    ClonedInstall(String),
    /// The hub's answer broke the sync protocol, or the sync did not finish in the allowed
    /// round trips. Nothing is lost: the next sync resumes.
    #[error("{0}")]
    Sync(String),
    /// The call would change, sync or export the records as of a past time
    /// (`Suhbat.as_of`): they are a read-only view of the past.
    #[error("{0}")]
    ReadOnly(String),
}

impl SuhbatError {
    /// Maps a core error, rendering validation messages in `locale`.
    pub(crate) fn from_core(error: Error, locale: Locale) -> Self {
        let message = error.to_string();
        match error {
            Error::Invalid(errors) => SuhbatError::Invalid(errors.messages(locale).join("\n")),
            Error::NotFound(_) | Error::WrongKind { .. } => SuhbatError::NotFound(message),
            Error::NoSuchConflict { .. } => SuhbatError::NoSuchConflict(message),
            Error::Malformed(_) => SuhbatError::BadInput(format!("{}\n({message})", i18n::text(locale, "error.damaged_input"))),
            Error::MergeRefused(_) | Error::BadInput(_) => SuhbatError::BadInput(message),
            Error::NotPermitted { role, mahalla } => {
                let params = [("role", i18n::text(locale, &format!("role.{role}"))), ("mahalla", scope_name(&mahalla))];
                SuhbatError::NotPermitted(i18n::render(locale, "error.not_permitted", &params))
            }
            Error::Untrusted { author, reason } => {
                SuhbatError::Untrusted(format!("{}\n({reason})", i18n::render(locale, "error.untrusted", &[("author", author)])))
            }
            Error::ClonedInstall { reason, .. } => SuhbatError::ClonedInstall(format!("{}\n({reason})", i18n::text(locale, "error.cloned_install"))),
            Error::Refused { ref code, .. } if code == "duplicate-actor" => SuhbatError::ClonedInstall(i18n::text(locale, "error.cloned_install")),
            Error::WrongKey => SuhbatError::WrongKey(message),
            Error::KeyStore(_) => SuhbatError::KeyStore(message),
            Error::Refused { wipe: true, .. } => SuhbatError::Revoked(message),
            Error::Refused { .. } => SuhbatError::Refused(message),
            Error::Protocol(_) => SuhbatError::Sync(message),
            Error::ReadOnly { at } => {
                let date = chrono::DateTime::parse_from_rfc3339(&at).map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or(at);
                SuhbatError::ReadOnly(i18n::render(locale, "error.read_only", &[("date", date)]))
            }
            Error::SchemaTooNew { .. } => SuhbatError::Storage(format!("{}\n({message})", i18n::text(locale, "error.schema_too_new"))),
            Error::LimitExceeded { .. } => SuhbatError::Invalid(format!("{}\n({message})", i18n::text(locale, "error.limit_exceeded"))),
            Error::BadArgument(_) => SuhbatError::BadInput(message),
            Error::NotInitialised => SuhbatError::NotEnrolled(message),
            Error::Document { .. } | Error::Corrupt(_) => SuhbatError::Storage(format!("{}\n({message})", i18n::text(locale, "error.damaged_store"))),
            Error::Sqlite(_) | Error::Io(_) => SuhbatError::Storage(message),
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

#[cfg(test)]
mod tests {
    use super::*;
    use suhbat_core::wire::WireError;

    #[test]
    fn refusals_of_received_data_and_permissions_have_their_own_kinds_in_the_users_language() {
        let not_permitted = Error::NotPermitted { role: "inspector".into(), mahalla: "navbahor".into() };
        match SuhbatError::from_core(not_permitted, Locale::Ru) {
            SuhbatError::NotPermitted(text) => {
                assert!(text.contains("Инспектор") && text.contains("махалле") && !text.contains("register/"), "{text}");
            }
            other => panic!("{other:?}"),
        }
        let untrusted = Error::Untrusted { author: "dev-1".into(), reason: "signature does not verify".into() };
        assert!(matches!(SuhbatError::from_core(untrusted, Locale::UzLatn), SuhbatError::Untrusted(t) if t.contains("dev-1") && t.contains("rad etildi")));
        let cloned = Error::ClonedInstall { doc_id: "register/navbahor/2026".into(), reason: "duplicate seq".into() };
        assert!(matches!(SuhbatError::from_core(cloned, Locale::En), SuhbatError::ClonedInstall(_)));
        let at_enrolment = Error::Refused { code: "duplicate-actor".into(), message: "m".into(), wipe: false };
        assert!(matches!(SuhbatError::from_core(at_enrolment, Locale::En), SuhbatError::ClonedInstall(_)));
        let damaged = Error::Malformed(WireError::Truncated { what: "change" });
        assert!(matches!(SuhbatError::from_core(damaged, Locale::UzCyrl), SuhbatError::BadInput(t) if t.contains("шикастланган")));
    }

    #[test]
    fn every_core_error_has_its_kind_and_a_message_in_the_users_language() {
        let newer = Error::SchemaTooNew { found: 99, supported: 12 };
        assert!(matches!(SuhbatError::from_core(newer, Locale::Ru), SuhbatError::Storage(t) if t.contains("обновите приложение")));
        let full = Error::LimitExceeded { what: "records in bucket register/navbahor/2026".into(), found: 5001, limit: 5000 };
        assert!(matches!(SuhbatError::from_core(full, Locale::En), SuhbatError::Invalid(t) if t.starts_with("A limit is reached")));
        let damaged = Error::Corrupt("cipher check failed".into());
        assert!(matches!(SuhbatError::from_core(damaged, Locale::UzLatn), SuhbatError::Storage(t) if t.contains("shikastlangan")));
        assert!(matches!(SuhbatError::from_core(Error::NotInitialised, Locale::En), SuhbatError::NotEnrolled(_)));
        assert!(matches!(SuhbatError::from_core(Error::BadArgument("no mahalla".into()), Locale::En), SuhbatError::BadInput(_)));
    }
}
