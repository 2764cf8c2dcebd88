//! Where the hub keeps its state: the seam between the sans-IO hub logic and a database.
//!
//! The hub never writes SQL. It opens a transaction ([`HubStorage::read`], [`HubStorage::write`],
//! or [`HubStorage::write_doc`] for one document), asks and tells it what it needs through
//! [`HubTx`], and commits. SQLite (one base point, `hub.db`) and PostgreSQL (a region: several
//! hub nodes on one database) implement it; both run the same hub tests.
//!
//! What the implementations promise:
//! - a transaction sees one consistent state and commits all of its writes or none;
//! - [`HubStorage::write_doc`] holds that document's write lock until commit or rollback: two
//!   writers of one document (threads or hub nodes) take turns; writers of different documents
//!   need not;
//! - [`HubTx::registry_last`] locks its book and year's counter until commit, so final numbers
//!   are gapless and unique across nodes;
//! - [`HubTx::claim_nonce`] is atomic: of two transactions claiming the same nonce, one wins.

use super::{DeviceRow, EnrolledDevice, HubAlert};
use crate::doc::Bucket;
use crate::error::Result;
use crate::security::DeviceKey;
use crate::store::{AuditReport, Store};
use crate::wire::{AuditLink, ChangeSignature};
use automerge::ChangeHash;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::MutexGuard;

/// The hub's own identity: what devices enrol with and what signs the hub's own changes.
pub(crate) struct HubIdentity {
    /// The hub's id (a device id).
    pub device_id: String,
    /// The Automerge actor (hex) of the hub's own changes (final registry numbers).
    pub actor: String,
    /// Its signing key.
    pub key: DeviceKey,
}

/// A one-time enrolment code as stored (hashed).
pub(crate) struct EnrolmentCode {
    pub person: String,
    pub role: String,
    pub scopes: String,
    pub expires_at: i64,
    pub used_by: Option<String>,
}

/// A device to add to the registry.
pub(crate) struct NewDevice<'a> {
    pub device_id: &'a str,
    pub person: &'a str,
    pub role: &'a str,
    pub scopes: &'a str,
    pub public_key: &'a [u8],
    pub enrolled_at: i64,
}

/// A document's new state to store: the bucket after the write, its heads before, and the
/// records the write touched (for the index and the audit).
pub(crate) struct DocWrite<'a> {
    pub bucket: &'a Bucket,
    pub before: &'a [ChangeHash],
    pub records: &'a BTreeSet<String>,
    /// Who caused the write (audit).
    pub device_id: &'a str,
    /// What it was (audit), e.g. `sync:<device>`.
    pub action: &'a str,
}

/// One transaction on the hub's storage. Dropped without [`commit`](HubTx::commit), it rolls back.
pub(crate) trait HubTx {
    /// An enrolled device (revoked ones too), with its earlier grants.
    fn device(&mut self, device_id: &str) -> Result<Option<DeviceRow>>;
    /// The device an actor (hex) is registered to, with its earlier grants.
    fn device_by_actor(&mut self, actor: &str) -> Result<Option<DeviceRow>>;
    /// The device id an actor is registered to.
    fn actor_owner(&mut self, actor: &str) -> Result<Option<String>>;
    /// Registers an actor to a device.
    fn add_actor(&mut self, actor: &str, device_id: &str) -> Result<()>;
    /// Every enrolled device, in order of enrolment.
    fn devices(&mut self) -> Result<Vec<EnrolledDevice>>;
    /// Adds a device to the registry.
    fn add_device(&mut self, device: &NewDevice<'_>) -> Result<()>;
    /// Marks a device revoked at `at`; whether an active device was revoked.
    fn revoke(&mut self, device_id: &str, at: i64) -> Result<bool>;
    /// The role and scopes (stored form) of an active device.
    fn assignment(&mut self, device_id: &str) -> Result<Option<(String, String)>>;
    /// Gives a device a new role and scopes, keeping the old ones as a grant valid until `until`.
    fn reassign(&mut self, device_id: &str, old: (&str, &str), until: i64, new: (&str, &str)) -> Result<()>;

    /// Stores a new enrolment code (hashed).
    fn add_enrolment_code(&mut self, code_hash: &[u8], code: &EnrolmentCode) -> Result<()>;
    /// An enrolment code by its hash.
    fn enrolment_code(&mut self, code_hash: &[u8]) -> Result<Option<EnrolmentCode>>;
    /// Marks an enrolment code used by a device.
    fn use_enrolment_code(&mut self, code_hash: &[u8], device_id: &str) -> Result<()>;
    /// Logs a refused enrolment attempt (and forgets those before `forget_before`).
    fn add_enrol_attempt(&mut self, at: i64, device_id: &str, outcome: &str, forget_before: i64) -> Result<()>;
    /// The times of refused enrolment attempts after `since`, oldest first.
    fn enrol_attempts_since(&mut self, since: i64) -> Result<Vec<i64>>;

    /// Raises an alert for supervisors.
    fn add_alert(&mut self, alert: &HubAlert) -> Result<()>;
    /// Every alert, newest first.
    fn alerts(&mut self) -> Result<Vec<HubAlert>>;
    /// Appends an entry to the hub's audit chain.
    fn audit(&mut self, at: i64, device_id: &str, action: &str, record_id: Option<&str>) -> Result<()>;
    /// The hashes a device's audit chain holds at `seq` (two or more where copies of one
    /// install forked it).
    fn device_audit_hashes(&mut self, device_id: &str, seq: i64) -> Result<Vec<Vec<u8>>>;
    /// Keeps one entry of a device's audit chain; one held already changes nothing.
    fn keep_device_audit(&mut self, device_id: &str, link: &AuditLink, linked: bool) -> Result<()>;
    /// The entries of every device's access log about `record_id`, oldest first, with the
    /// device whose log holds each and whether it linked to its log.
    fn record_accesses(&mut self, record_id: &str) -> Result<Vec<(String, AuditLink, bool)>>;
    /// The hub's own audit entries about `record_id` (time, action), oldest first: the changes
    /// devices' syncs made to it (`sync:<device>`).
    fn record_changes(&mut self, record_id: &str) -> Result<Vec<(i64, String)>>;
    /// The hub's audit entries written for `device_id` (time, action, record), oldest first.
    fn audit_by(&mut self, device_id: &str) -> Result<Vec<(i64, String, Option<String>)>>;

    /// How much of an uploaded file the hub holds: bytes received (whole chunks from the
    /// start) and whether it is complete (hash checked); `None` when nothing of it is here.
    fn file(&mut self, hash: &[u8; 32]) -> Result<Option<(u64, bool)>>;
    /// Stores chunk `index` of a file being uploaded (the next one it lacks).
    fn add_file_chunk(&mut self, hash: &[u8; 32], media_type: &str, size: u64, index: u32, bytes: &[u8]) -> Result<()>;
    /// Chunk `index` of a file.
    fn file_chunk(&mut self, hash: &[u8; 32], index: u32) -> Result<Option<Vec<u8>>>;
    /// Marks a file whose hash matched complete (`keep`; it is no longer wanted), or drops
    /// every chunk of one that did not.
    fn finish_file(&mut self, hash: &[u8; 32], keep: bool) -> Result<()>;
    /// Notes that a device asked for a file the hub does not hold whole.
    fn want_file(&mut self, hash: &[u8; 32]) -> Result<()>;
    /// Files devices asked for that the hub does not hold whole (at most `limit`).
    fn wanted_files(&mut self, limit: usize) -> Result<Vec<[u8; 32]>>;

    /// Whether a request nonce of this device was already claimed.
    fn nonce_seen(&mut self, device_id: &str, nonce: &[u8; 16]) -> Result<bool>;
    /// Claims a request nonce (and forgets the device's nonces older than `forget_before`).
    /// False when it was claimed before: the request is a replay.
    fn claim_nonce(&mut self, device_id: &str, nonce: &[u8; 16], now: i64, forget_before: i64) -> Result<bool>;
    /// The heads the hub believes a device has, by document.
    fn recorded(&mut self, device_id: &str) -> Result<BTreeMap<String, Vec<u8>>>;
    /// Records the heads a device has of a document.
    fn record_heads(&mut self, device_id: &str, doc_id: &str, heads: &[u8]) -> Result<()>;
    /// Forgets what a device has of a document (it dropped it).
    fn forget_heads(&mut self, device_id: &str, doc_id: &str) -> Result<()>;
    /// The time of a device's last sync.
    fn set_last_sync(&mut self, device_id: &str, at: i64) -> Result<()>;

    /// Stores change signatures (ignoring known ones).
    fn store_signatures(&mut self, signatures: &[ChangeSignature]) -> Result<()>;
    /// The known signatures of these changes.
    fn signatures(&mut self, hashes: &[ChangeHash]) -> Result<Vec<ChangeSignature>>;

    /// The last final number given in a book and year (0 when none), locked until commit.
    fn registry_last(&mut self, book: &str, year: i32) -> Result<u32>;
    /// Sets the last final number of a book and year.
    fn set_registry_last(&mut self, book: &str, year: i32, number: u32) -> Result<()>;

    /// The stored heads of a document, if it exists.
    fn doc_heads(&mut self, doc_id: &str) -> Result<Option<Vec<u8>>>;
    /// The stored bytes of a document (chunks concatenated), if it exists.
    fn doc_bytes(&mut self, doc_id: &str) -> Result<Option<Vec<u8>>>;
    /// Stores a document's new state (only in a [`HubStorage::write_doc`] transaction).
    fn put_doc(&mut self, write: &DocWrite<'_>) -> Result<()>;

    /// Commits.
    fn commit(self: Box<Self>) -> Result<()>;
}

/// A hub's storage. Shared by every request thread of a hub node.
pub(crate) trait HubStorage: Send + Sync {
    /// The hub's identity, made on first open.
    fn identity(&self) -> Result<HubIdentity>;
    /// A transaction that only reads.
    fn read(&self) -> Result<Box<dyn HubTx + '_>>;
    /// A transaction that writes (not documents).
    fn write(&self) -> Result<Box<dyn HubTx + '_>>;
    /// A transaction that holds `doc_id`'s write lock.
    fn write_doc(&self, doc_id: &str) -> Result<Box<dyn HubTx + '_>>;
    /// The stored heads of every document.
    fn all_doc_heads(&self) -> Result<BTreeMap<String, Vec<u8>>>;
    /// The stored heads of the documents whose ids start with one of `prefixes` and of those
    /// named in `ids` (that exist), read together: what one device's sync looks at, without
    /// walking every document the hub holds.
    fn doc_heads(&self, prefixes: &[String], ids: &[&str]) -> Result<BTreeMap<String, Vec<u8>>>;
    /// Walks the audit chain.
    fn verify_audit(&self) -> Result<AuditReport>;
    /// The SQLite store behind the hub, when it has one (backups, dashboards).
    fn store(&self) -> Option<MutexGuard<'_, Store>> {
        None
    }
}
