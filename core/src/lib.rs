//! # suhbat-core
//!
//! The shared core of Suhbat, the offline-first field app of prevention inspectors: models and
//! their rules, bucketed Automerge documents, the encrypted SQLite store, merge bundles,
//! and (in later modules) sync and view-models. It has no async runtime and opens no sockets;
//! platform shells call it through the UniFFI bindings.
//!
//! ## A device store in five lines
//!
//! ```
//! use suhbat_core::{DeviceProfile, MemoryKeyProvider, Person, PersonName, Role, Store};
//! # let dir = tempfile::tempdir().unwrap();
//! let keys = MemoryKeyProvider::new();
//! let profile = DeviceProfile { person: "Aziz Karimov".into(), role: Role::Inspector, scopes: vec!["Navbahor".into()] };
//! let mut store = Store::create(dir.path().join("device.db"), &keys, profile).unwrap();
//! let mut person = Person::default();
//! person.name_latn = PersonName { last: "Qodirov".into(), first: "Jasur".into(), patronymic: String::new() };
//! person.birth_date = "2008-04-02".parse().unwrap();
//! person.registered_on = "2025-09-01".parse().unwrap();
//! person.address.district = "Chilonzor".into();
//! person.address.mahalla = "Navbahor".into();
//! store.put(&person).unwrap();
//! let found = store.list(&suhbat_core::ListQuery { text: Some("Кодиров".into()), ..Default::default() }).unwrap();
//! assert_eq!(found.len(), 1);
//! ```
//!
//! ## Concepts
//! - **Records** ([`Person`], [`Conversation`], [`ParentCase`]) are serde structs with
//!   validation rules that return field-level, translatable errors ([`ValidationErrors`]).
//! - **Buckets**: records live in Automerge documents, one per mahalla × audience × year
//!   ([`BucketId`]). Concurrent edits merge; a field set to different values by two people keeps
//!   both ([`Conflict`]) until someone resolves it ([`Store::resolve_conflict`]).
//! - **Store**: one encrypted SQLite file per device ([`Store`]); the key comes from the
//!   platform through [`KeyProvider`].
//! - **Bundles**: [`Store::export_bundle`] / [`Store::import_bundle`] merge two stores without
//!   a hub; [`Summary`] says what a replica already has.

#![forbid(unsafe_code)]

pub mod access;
mod device;
mod doc;
mod error;
pub mod i18n;
mod ids;
#[cfg(feature = "bench")]
pub mod layout;
mod model;
#[cfg(any(test, feature = "sample"))]
pub mod sample;
mod security;
mod store;
pub mod sync;
pub mod text;
pub mod views;
pub mod wire;

pub use device::{DeviceProfile, Role};
pub use doc::{scope_key, Author, BucketId, Conflict, ConflictValue, RawRecord, Stored, Version};
/// Caps on a received change, checked before Automerge decodes it.
pub use doc::{ChangeBudget, MAX_CHANGE_INFLATED_BYTES, MAX_MESSAGE_INFLATED_BYTES, MAX_OPS_PER_CHANGE, MAX_OPS_PER_MESSAGE};
pub use error::{Error, Result};
pub use i18n::Locale;
pub use ids::{new_item_id, RecordId};
pub use model::*;
pub use security::{verify, verify_change, DbKey, DeviceKey, FileKeyProvider, KeyError, KeyProvider, MemoryKeyProvider};
/// Owner-only files and folders (keys, stores, TLS keys).
pub mod private {
    pub use crate::security::{check_private_file, create_private_dir, create_private_file, touch_private_file};
}
pub use store::{
    key_id_for, AuditCheckpoint, AuditReport, CheckpointCheck, DeviceInfo, ImportReport, IndexRow, ListQuery, Store, StoreStats, Summary,
    MAX_RECORDS_PER_BUCKET,
};
pub use store::{DuplicatePair, DuplicateReason, KeptAside, MERGED_STATUS};
