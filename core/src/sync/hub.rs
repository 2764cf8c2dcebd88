//! The hub side of sync, sans-IO: enrolment and sync requests in, responses out. The HTTP
//! server in `suhbat-hub` only moves bytes to and from these methods. The hub keeps its state
//! behind `storage::HubStorage` (SQLite `hub.db` for a base point, PostgreSQL for a region)
//! and is shared by every request thread: `&self` everywhere, no global lock.

mod console;
mod decide;
mod device_audit;
mod docs;
mod enrol;
mod files;
mod grants;
mod news;
#[cfg(feature = "postgres")]
pub mod pg;
mod pool;
mod read_copy;
mod seal;
mod sqlite_storage;
mod storage;
mod sync;

pub(crate) use grants::Grant;

pub use console::ConsoleAuditEntry;
pub use device_audit::RecordAccess;
pub use enrol::{LOCKOUT_WINDOW_MS, MAX_FAILED_ATTEMPTS};
pub use news::NewsWait;

use crate::access;
use crate::device::Role;
use crate::doc::BucketId;
use crate::error::{Error, Result};
use crate::security::KeyProvider;
use crate::store::{AuditReport, Store};
use chrono::{DateTime, Utc};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::MutexGuard;
use storage::{HubIdentity, HubStorage};

/// How far a device clock may be off the hub's.
const MAX_CLOCK_SKEW_MS: i64 = 24 * 3600 * 1000;

/// An enrolled device, as the hub's registry knows it.
#[derive(Clone, Debug)]
pub(crate) struct DeviceRow {
    pub device_id: String,
    /// `None` for a role this build does not know: such a device may read and write nothing.
    pub role: Option<Role>,
    pub scopes: Vec<String>,
    pub public_key: Vec<u8>,
    pub revoked: bool,
    /// The hub itself (author of the registry's final numbers).
    pub is_hub: bool,
    /// The roles and scopes it held before, for its changes made then.
    pub grants: Vec<grants::Grant>,
}

impl DeviceRow {
    /// Whether this device may receive `bucket`.
    pub(crate) fn may_read(&self, bucket: &BucketId) -> bool {
        self.role.is_some_and(|role| access::may_read(role, &self.scopes, bucket))
    }

    /// The id prefixes of every document this device may read (`register/navbahor/`, or
    /// `register/` for every mahalla): a superset of [`may_read`](Self::may_read), so the hub
    /// reads only these documents' heads for its sync.
    pub(crate) fn readable_prefixes(&self) -> Vec<String> {
        let Some(role) = self.role else { return Vec::new() };
        let every_scope = self.scopes.iter().any(|s| s == access::ALL_SCOPES);
        let scopes = access::scope_keys(&self.scopes);
        let mut prefixes = Vec::new();
        for audience in crate::model::Audience::all().filter(|a| access::role_sees(role, *a)) {
            if every_scope {
                prefixes.push(format!("{}/", audience.as_str()));
            } else {
                prefixes.extend(scopes.iter().map(|scope| format!("{}/{scope}/", audience.as_str())));
            }
        }
        prefixes
    }

    /// Whether this device may change `bucket`.
    pub(crate) fn may_write(&self, bucket: &BucketId) -> bool {
        self.role.is_some_and(|role| access::may_write(role, &self.scopes, bucket))
    }

    /// The role's text form, or `unknown`.
    pub(crate) fn role_name(&self) -> &'static str {
        self.role.map_or("unknown", Role::as_str)
    }
}

/// A device in the hub's registry (for supervisors and the CLI).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EnrolledDevice {
    /// Device id.
    pub device_id: String,
    /// The person using it.
    pub person: String,
    /// Their role.
    pub role: String,
    /// Their scopes.
    pub scopes: Vec<String>,
    /// Refused from now on.
    pub revoked: bool,
    /// Last successful sync (ms since epoch).
    pub last_sync: Option<i64>,
}

/// Something a supervisor should look at (e.g. a cloned install).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HubAlert {
    /// When (ms since epoch).
    pub at: i64,
    /// Device involved.
    pub device_id: String,
    /// Kind, e.g. `duplicate-actor`.
    pub kind: String,
    /// Details.
    pub detail: String,
}

/// The base-point hub: every bucket, the device registry, behind a storage (`HubStorage`: SQLite or PostgreSQL).
pub struct Hub {
    storage: Box<dyn HubStorage>,
    identity: HubIdentity,
    now: fn() -> DateTime<Utc>,
    max_records: AtomicUsize,
    cache: docs::DocCache,
    /// The records copied into a store in memory for the views, when the storage has no store
    /// file of its own (PostgreSQL).
    read_copy: Option<std::sync::Mutex<Store>>,
}

impl Hub {
    /// Opens the hub's SQLite file at `path`, creating it on first start.
    pub fn open(path: impl AsRef<Path>, keys: &dyn KeyProvider) -> Result<Hub> {
        Self::with_storage(Box::new(sqlite_storage::SqliteStorage::open(path.as_ref(), keys)?))
    }

    /// Opens the hub whose data is in the PostgreSQL database at `url` (a region's hub: several
    /// hub nodes may serve one database at once), making its tables and identity on first start.
    /// Personal data is sealed with the key [`pg::SEALING_KEY_ID`] from `keys`: every node of
    /// one hub needs the same key.
    #[cfg(feature = "postgres")]
    pub fn open_postgres(url: &str, keys: &dyn KeyProvider) -> Result<Hub> {
        Self::with_storage(Box::new(pg::PgStorage::open(url, keys)?))
    }

    fn with_storage(storage: Box<dyn HubStorage>) -> Result<Hub> {
        let identity = storage.identity()?;
        let has_store = storage.store().is_some();
        let read_copy = if has_store { None } else { Some(read_copy::empty_copy(&identity.device_id, &identity.actor, identity.key.public())?) };
        Ok(Hub {
            storage,
            identity,
            now: Utc::now,
            max_records: AtomicUsize::new(crate::store::MAX_RECORDS_PER_BUCKET),
            cache: docs::DocCache::default(),
            read_copy,
        })
    }

    /// The hub's public key (devices learn it at enrolment and check every answer with it).
    pub fn public_key(&self) -> [u8; 32] {
        self.identity.key.public()
    }

    /// Signs `message` with the hub's key (as its answers are signed; tests forge answers so).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.identity.key.sign(message)
    }

    /// The hub's id (devices check that answers come from the hub they enrolled with).
    pub fn hub_id(&self) -> &str {
        &self.identity.device_id
    }

    /// The hub's SQLite store (backups, dashboards and tests); an error for a hub whose data
    /// lives in PostgreSQL.
    pub fn store(&self) -> Result<MutexGuard<'_, Store>> {
        self.storage.store().ok_or_else(|| Error::BadArgument("this hub keeps its data in PostgreSQL, not in a store file".into()))
    }

    /// Replaces the clock (tests of expiry and skew).
    pub fn set_clock(&mut self, now: fn() -> DateTime<Utc>) {
        self.now = now;
    }

    /// The most records one bucket may hold on this hub.
    pub fn max_records_per_bucket(&self) -> usize {
        self.max_records.load(Ordering::Relaxed)
    }

    /// Changes the records-per-bucket limit of this hub (not saved; for operators and tests).
    pub fn set_max_records_per_bucket(&self, limit: usize) {
        self.max_records.store(limit, Ordering::Relaxed);
    }

    /// Walks the hub's audit chain.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        self.storage.verify_audit()
    }

    fn now_ms(&self) -> i64 {
        (self.now)().timestamp_millis()
    }

    /// The hub as the author of its own changes (final registry numbers): a device that
    /// received them offers them again to a hub restored from a backup.
    fn own_row(&self) -> DeviceRow {
        DeviceRow {
            device_id: self.hub_id().to_string(),
            role: Some(Role::Supervisor),
            scopes: vec![access::ALL_SCOPES.into()],
            public_key: self.identity.key.public().to_vec(),
            revoked: false,
            is_hub: true,
            grants: vec![],
        }
    }
}

/// Hubs are shared by request threads.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<Hub>();
};
