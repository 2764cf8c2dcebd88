//! UniFFI bindings of the Suhbat core for Kotlin, Swift and Python.
//!
//! This is the only crate with UniFFI attributes. It exposes:
//! - [`Suhbat`], one open device store (a `Mutex<Store>` inside an `Arc`): every screen's
//!   view-model and every user action, the hub's settings and enrolment;
//! - [`SuhbatAsOf`], the records as they stood at a past time (`Suhbat.as_of(date)`):
//!   read-only, in memory, with the list and report screens;
//! - [`SyncSession`], one sans-IO sync with the hub (`Suhbat.start_sync()`): the shell
//!   carries its request and response frames over HTTPS;
//! - [`FileTransfer`], moving attached files after a sync (`Suhbat.start_file_transfer()`),
//!   sans-IO the same way;
//! - [`LiveSync`], the core's near-real-time sync scheduler, and [`NewsQuery`], one long poll
//!   to the hub (`Suhbat.start_news_query()`);
//! - mirrors of the core's view-models and enums (module `mirror`);
//! - [`SuhbatError`], one flat error with readable (and, for validation, translated)
//!   messages;
//! - platform capabilities implemented in Kotlin or Swift: [`KeyProvider`] (Android
//!   Keystore, iOS Keychain) and [`Notifier`] (follow-up reminders). Their failures travel as
//!   [`PlatformError`], the one error type foreign code can throw into Rust (UniFFI cannot
//!   lift a flat error from foreign code).
//!
//! Calls that touch the disk or the key store (`create`, `open`, `import_bundle`,
//! `export_bundle`, `submit_form`, the sync session's methods, …) block: call them off the
//! main thread.

#![deny(missing_docs)]

mod as_of;
mod catalog;
mod error;
mod exchange;
mod files;
mod hub;
mod live;
mod location;
mod mirror;
mod platform;
#[cfg(test)]
mod reassign_tests;
mod reports;
mod screens;
mod suhbat;
mod sync;
mod work;

pub use as_of::SuhbatAsOf;
pub use catalog::{catalog_text, locale_for_tag};
pub use error::{PlatformError, SuhbatError};
pub use exchange::{invite_certificate, read_enrol_invite, EnrolInvite};
pub use files::{FileKind, FileTransfer, FileTransferProgress};
pub use hub::{ca_certificate_der, ca_fingerprint, Enrolment};
pub use live::{LiveSync, NewsQuery};
pub use location::{LocationFix, LocationProvider};
pub use platform::{KeyProvider, Notifier};
pub use suhbat::{wipe_store, DeviceSummary, ImportResult, Suhbat};
pub use sync::{SyncReport, SyncSession};

uniffi::setup_scaffolding!();
