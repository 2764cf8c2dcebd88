//! # suhbat-core
//!
//! The shared core of Suhbat, the offline-first field app of prevention inspectors: every model
//! and rule, the bucketed Automerge documents, the encrypted SQLite store, merge bundles, sync
//! with the base-point hub (both sides) and the view-model of every screen. It has no async
//! runtime and opens no sockets; platform shells call it through the UniFFI bindings
//! (`suhbat-ffi`); the `suhbat` CLI and the `suhbat-hub` server call it directly. The design
//! notes the code follows are in `ARCHITECTURE.md` at the repository root.
//!
//! ## How the parts fit
//!
//! A **record** ([`Person`], [`Conversation`], [`ParentCase`], [`Referral`], [`Application`],
//! [`JointEvent`]) is checked by its rules ([`Record::validate`]) and written into its **bucket**,
//! one Automerge document per mahalla × audience × year ([`BucketId`]). The bucket lives in the
//! device's **store** ([`Store`]): one SQLCipher file whose key comes from the platform
//! ([`KeyProvider`]); one edit is one SQLite transaction (change, index rows, audit entry).
//! A [`sync::SyncSession`] exchanges the changes with the **hub** ([`sync::Hub`]), which checks
//! every change against the same rules and [`access`] rights before it keeps or relays it;
//! bytes between them are the bounded [`wire`] format, moved by the shell. **Views**
//! ([`views`]) read the store and give each screen a plain struct in the user's [`Locale`];
//! shells only render them and forward user actions back to [`views`].
//!
//! ## Modules
//!
//! | module | what it is for |
//! |---|---|
//! | [`access`] | who may read and write which bucket: one rule set for the device and the hub |
//! | `device` | who a store belongs to: [`DeviceProfile`] and the user's [`Role`] |
//! | `doc` | bucket documents: [`BucketId`], typed read and write of records, [`Conflict`]s, the [`Version`] a form was read at, size caps on received changes ([`ChangeBudget`]), replay after a refusal |
//! | `error` | the one [`Error`] enum of the public API and its [`Result`] |
//! | [`i18n`] | the catalog of user-facing strings in uz-Latn, uz-Cyrl, ru and en ([`Locale`]) |
//! | `ids` | UUIDv7 identifiers: [`RecordId`], [`new_item_id`] |
//! | `layout` | (feature `bench`) one-document-per-record costs (`suhbat bench sync`) and six layouts of a bucket's fields and notes side by side (`suhbat bench store`) |
//! | `media` | preparing a file before it is attached: photos fitted to the device's limit, images decoded under hard limits |
//! | `model` | the typed records and their validation rules, re-exported at the crate root (below) |
//! | `sample` | (feature `sample`) seeded, realistic sample records for the demo, benchmarks, tests and the apps' debug action |
//! | `security` | key custody ([`KeyProvider`], [`DbKey`]), the device's Ed25519 identity ([`DeviceKey`]), signature checks, owner-only files ([`private`]) |
//! | `store` | the device store: [`Store`], its index and search ([`ListQuery`]), bundles ([`Summary`], [`ImportReport`]), audit chain ([`AuditReport`]), duplicates, kept-aside work ([`KeptAside`]), read-only stores of records as of a past time ([`Store::as_of`], [`AsOfReport`]), attached files ([`FileState`], [`FileUsage`]), who saw what ([`AccessKind`]) |
//! | [`sync`] | sans-IO sync: the device's [`sync::SyncSession`] and [`sync::FileTransfer`], the hub's [`sync::Hub`], enrolment, per-change validation |
//! | [`text`] | Uzbek Latin ↔ Cyrillic transliteration and script-insensitive search keys |
//! | [`views`] | view-models and user actions for every screen of the apps and the CLI |
//! | [`wire`] | the wire format of everything that crosses a device boundary: the bounded codec, sync and enrolment frames, the signed bundle envelope, change signatures, the hub's HTTP paths ([`wire::paths`]) |
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
//!
//! ## Features
//! - `sample`: the `sample` module (the CLI, the bindings, the fuzz targets and every test
//!   crate turn it on; this crate's own tests through a dev-dependency on itself).
//! - `bench`: the `layout` module (the CLI's benchmarks).
//! - `postgres`: the hub's PostgreSQL storage (`sync::pg`), for regional hubs.

#![forbid(unsafe_code)]

pub mod access;
mod device;
mod doc;
mod error;
pub mod i18n;
mod ids;
#[cfg(feature = "bench")]
pub mod layout;
mod media;
mod model;
#[cfg(any(test, feature = "sample"))]
pub mod sample;
mod security;
mod store;
pub mod sync;
pub mod text;
pub mod views;
pub mod wire;

// Who the store belongs to.
pub use device::{DeviceProfile, Role};
// Bucket documents.
pub use doc::{scope_key, Author, BucketId, Conflict, ConflictValue, FieldValue, Passage, RawRecord, RecordHistory, Stored, Version};
/// Caps on a received change, checked before Automerge decodes it.
pub use doc::{ChangeBudget, MAX_CHANGE_INFLATED_BYTES, MAX_MESSAGE_INFLATED_BYTES, MAX_OPS_PER_CHANGE, MAX_OPS_PER_MESSAGE};
pub use error::{Error, Result};
pub use i18n::Locale;
pub use ids::{new_item_id, RecordId};

// Records: the trait every kind implements, the kinds and audiences, and validation.
pub use model::{check_record, Audience, FieldError, IndexFields, Record, RecordKind, ValidationErrors, MAX_TEXT_BYTES};
// Shared parts of records.
pub use model::{Address, GeoPoint, PersonName, RiskFactor};
// Attached files.
pub use model::{is_attachable, Attachment, AttachmentKind, Attachments, MAX_ATTACHMENTS_PER_RECORD, MAX_ATTACHMENT_BYTES, MAX_RECORD_ATTACHMENT_BYTES};
// Persons on the prevention register.
pub use model::{FamilyMember, Person, RegisterCategory, SocialEnvironment, MERGED_STATUS, REGISTERED_STATUS};
// Preventive conversations and their follow-ups (effectiveness).
pub use model::{AgreedAction, ContactChannel, Conversation, ConversationKind, Participant, ParticipantRole, Partner, Technique};
pub use model::{BehaviourChange, FollowUp, LegalKnowledge, Milestone, SocialActivity};
pub use model::{ConsentGiver, LegalBasis, LegalGround, AGE_OF_MAJORITY, MAX_LEGAL_TEXT};
// Parent cases worked with the mahalla seven through the SARA stages.
pub use model::{stage_move_rule, SaraStage, StageChange};
pub use model::{AssistanceKind, CaseStatus, Child, Guardian, ParentCase, ResponsePlan, SaraContent, SevenRole, SevenTask};
pub use model::{HelpGiven, HelpOutcome, Indicator, IndicatorKind, OutcomeMeasures};
// Cooperation requests.
pub use model::{may_escalate, may_take_step, supervisor_key, Escalation, Priority, Referral, ReferralCategory, ReferralState, Stamp};
// The applications registry (Form 1 book, Form 2 journal).
pub use model::{provisional_number, ApplicantKind, Application, Book, Decision, DecisionKind};
// Joint events.
pub use model::{EventKind, JointEvent, Organiser};
// Joint programmes and training.
pub use model::{OrganiserKind, Programme, ProgrammeOrganiser, ProgrammeSession, TargetFamily, Trainee, TrainingSession, TrainingTopic};

// Keys and signatures.
pub use security::{verify, verify_change, DbKey, DeviceKey, FileKeyProvider, KeyError, KeyProvider, MemoryKeyProvider};
/// Owner-only files and folders (keys, stores, TLS keys).
pub mod private {
    pub use crate::security::{check_private_file, create_private_dir, create_private_file, touch_private_file};
}
// The device store.
pub use store::{
    key_id_for, AccessKind, AsOfReport, AuditCheckpoint, AuditReport, CheckpointCheck, DeviceInfo, FileState, FileUsage, ImportReport, IndexRow, ListQuery,
    Store, StoreStats, Summary, TableSpace, DEFAULT_FILE_BUDGET, MAX_RECORDS_PER_BUCKET,
};
pub use store::{DuplicatePair, DuplicateReason, KeptAside};
