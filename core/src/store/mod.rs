//! The device store: one SQLite (SQLCipher) file holding bucket documents as chunks, the flat
//! record index and the audit chain. One local edit is one SQLite transaction: change bytes,
//! index rows and the audit entry are stored together or not at all.

mod as_of;
pub(crate) mod audit;
mod backup;
mod bundle;
mod bundle_envelope;
mod checkpoint;
pub(crate) mod db;
mod files;
mod history;
mod index;
mod kept_aside;
mod merge;
mod name_search;
mod notes;
mod peers;
mod read_copy;
mod registry;
mod seen;
pub(crate) mod signatures;
mod space;
mod upkeep;

pub use as_of::AsOfReport;
pub use audit::AuditReport;
pub(crate) use bundle::LoadedDoc;
pub use bundle::{ImportReport, Summary};
pub use checkpoint::{AuditCheckpoint, CheckpointCheck};
pub(crate) use files::{chunk_len, chunks_match, file_hash, FileJob};
pub use files::{FileState, FileUsage, DEFAULT_FILE_BUDGET};
pub(crate) use index::fields_of;
pub use index::{IndexRow, ListQuery};
pub use kept_aside::KeptAside;
pub use merge::{DuplicatePair, DuplicateReason};
pub(crate) use peers::{decode_heads, record_synced, remember, SyncedWrites};
pub use seen::AccessKind;
pub use space::TableSpace;

use crate::access;
use crate::device::{DeviceProfile, Role};
use crate::doc::{scope_key, Author, Bucket, BucketId, Conflict, RawRecord, RecordSummary, Stored, Version};
use crate::error::{Error, Result};
use crate::ids::RecordId;
use crate::model::Record;
use crate::security::{DeviceKey, KeyProvider};
use crate::wire::ChangeSignature;
use automerge::{ActorId, ChangeHash};
use chrono::Utc;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Snapshot a bucket into one chunk once it has this many incremental chunks.
const COMPACT_AFTER_CHUNKS: i64 = 64;

/// Most records one bucket document (one mahalla × audience × year) may hold: checked on every
/// local write, on bundle and sync imports, and by the hub before it accepts changes, so no
/// device can grow a document until every replica chokes on it. A mahalla's register is a few
/// hundred records a year; this leaves two orders of magnitude of room.
pub const MAX_RECORDS_PER_BUCKET: usize = 20_000;

/// This device: its ids and its user.
#[derive(Clone, Debug)]
pub struct DeviceInfo {
    /// Device id (UUID), stable for the life of the install.
    pub device_id: String,
    /// Automerge actor id (hex) of this install.
    pub actor: String,
    /// Ed25519 public key (hex) that signs this device's changes and requests.
    pub public_key: String,
    /// The user.
    pub profile: DeviceProfile,
}

impl DeviceInfo {
    fn author(&self) -> Author {
        Author { device_id: self.device_id.clone(), person: self.profile.person.clone(), role: self.profile.role }
    }
}

/// Sizes of what is stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoreStats {
    /// Bucket documents.
    pub docs: u64,
    /// Records in the index.
    pub records: u64,
    /// Bytes of document chunks.
    pub doc_bytes: u64,
    /// Bytes of the database file and its WAL.
    pub file_bytes: u64,
}

/// A device store. Not shared between threads. Other processes may open the same file (a
/// `suhbat device live` and the commands beside it): the documents held in memory are dropped
/// whenever another connection has committed, and every write reads them again under SQLite's
/// write lock, so nobody's edit is written over.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    pub(crate) device: DeviceInfo,
    actor: ActorId,
    signing_key: DeviceKey,
    pub(crate) buckets: HashMap<String, Bucket>,
    /// SQLite's `data_version` when this connection last looked: it moves only when another
    /// connection commits.
    data_version: i64,
    /// How many times this store found that another connection had written.
    outside_writes: u64,
    /// Pages were freed inside a write: give them back once it has ended.
    free_pages_after_write: bool,
    max_records_per_bucket: usize,
    /// Set on a read-only store of records as of a past time ([`Store::as_of`]).
    as_of: Option<AsOfReport>,
}

/// The key id a store file uses in the [`KeyProvider`].
pub fn key_id_for(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "store".into());
    format!("suhbat-store-{name}")
}

pub(crate) fn read_meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

/// Sets a meta value (inside the caller's transaction when there is one).
pub(crate) fn write_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute("INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value", params![key, value])?;
    Ok(())
}

pub(crate) fn encode_heads(heads: &[ChangeHash]) -> Vec<u8> {
    heads.iter().flat_map(|h| h.0).collect()
}

impl Store {
    /// Creates a new store for a device at `path`. Fails if one is already set up there.
    pub fn create(path: impl AsRef<Path>, keys: &dyn KeyProvider, profile: DeviceProfile) -> Result<Store> {
        let path = path.as_ref();
        let key = keys.get_or_create_key(&key_id_for(path)).map_err(|e| Error::KeyStore(e.to_string()))?;
        let conn = db::open(path, &key)?;
        if read_meta(&conn, "device_id")?.is_some() {
            return Err(Error::Corrupt(format!("{} already holds a device store", path.display())));
        }
        let actor = ActorId::random();
        let device_id = uuid::Uuid::now_v7().to_string();
        let signing_key = DeviceKey::generate();
        let scopes: Vec<String> = profile.scopes.iter().map(|s| scope_key(s)).collect();
        let tx = db::WriteTx::begin(&conn)?;
        for (key, value) in [
            ("device_id", device_id.clone()),
            ("actor", actor.to_hex_string()),
            ("person", profile.person.clone()),
            ("role", profile.role.to_string()),
            ("scopes", scopes.join(",")),
            ("signing_key", hex::encode(signing_key.secret().as_ref())),
        ] {
            tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", params![key, value])?;
        }
        audit::append(&tx, Utc::now().timestamp_millis(), &device_id, "create-store", None)?;
        tx.commit()?;
        drop(conn);
        Self::open(path, keys)
    }

    /// Opens an existing device store.
    pub fn open(path: impl AsRef<Path>, keys: &dyn KeyProvider) -> Result<Store> {
        let path = path.as_ref();
        if !path.exists() {
            return Err(Error::Io(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{} does not exist", path.display()))));
        }
        let key = keys.get_or_create_key(&key_id_for(path)).map_err(|e| Error::KeyStore(e.to_string()))?;
        let conn = db::open(path, &key)?;
        let get = |k: &str| read_meta(&conn, k)?.ok_or(Error::NotInitialised);
        let actor_hex = get("actor")?;
        let actor = ActorId::from(hex::decode(&actor_hex).map_err(|_| Error::Corrupt("actor id is not hex".into()))?);
        let role = Role::parse(&get("role")?).ok_or_else(|| Error::Corrupt("unknown role in store".into()))?;
        let scopes = get("scopes")?.split(',').filter(|s| !s.is_empty()).map(String::from).collect();
        let secret = zeroize::Zeroizing::new(hex::decode(get("signing_key")?).map_err(|_| Error::Corrupt("signing key is not hex".into()))?);
        let signing_key = DeviceKey::from_secret(&secret).ok_or_else(|| Error::Corrupt("signing key has the wrong length".into()))?;
        let device = DeviceInfo {
            device_id: get("device_id")?,
            actor: actor_hex,
            public_key: hex::encode(signing_key.public()),
            profile: DeviceProfile { person: get("person")?, role, scopes },
        };
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            device,
            actor,
            signing_key,
            buckets: HashMap::new(),
            data_version: 0,
            outside_writes: 0,
            free_pages_after_write: false,
            max_records_per_bucket: MAX_RECORDS_PER_BUCKET,
            as_of: None,
        };
        store.data_version = store.read_data_version()?;
        store.key_unkeyed_persons()?;
        Ok(store)
    }

    /// This device's ids and user.
    pub fn device(&self) -> &DeviceInfo {
        &self.device
    }

    /// The bucket that holds a record, if this store holds it (from the index).
    pub(crate) fn record_bucket(&self, record_id: &str) -> Result<Option<BucketId>> {
        Ok(index::locate(&self.conn, record_id)?.and_then(|(doc_id, _)| BucketId::parse(&doc_id)))
    }

    /// The scope (mahalla) of the bucket that holds a record, if this store holds it.
    pub(crate) fn record_scope(&self, record_id: &str) -> Result<Option<String>> {
        Ok(self.record_bucket(record_id)?.map(|bucket| bucket.scope))
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The most records one bucket may hold on this store ([`MAX_RECORDS_PER_BUCKET`] unless
    /// changed with [`set_max_records_per_bucket`](Self::set_max_records_per_bucket)).
    pub fn max_records_per_bucket(&self) -> usize {
        self.max_records_per_bucket
    }

    /// Changes the records-per-bucket limit for this open store (not saved; for operators who
    /// tune a hub, and for tests).
    pub fn set_max_records_per_bucket(&mut self, limit: usize) {
        self.max_records_per_bucket = limit;
    }

    pub(crate) fn bucket(&mut self, doc_id: &str) -> Result<&mut Bucket> {
        if self.conn.is_autocommit() {
            // Inside a write the lock holds others off and `writing` has caught up already.
            self.catch_up()?;
        }
        if !self.buckets.contains_key(doc_id) {
            let id = BucketId::parse(doc_id).ok_or_else(|| Error::document(doc_id, "not a bucket id"))?;
            let mut stmt = self.conn.prepare_cached("SELECT bytes FROM doc_chunk WHERE doc_id = ?1 ORDER BY seq")?;
            let mut bytes = Vec::new();
            let mut rows = stmt.query([doc_id])?;
            while let Some(row) = rows.next()? {
                bytes.extend_from_slice(row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?);
            }
            let bucket = if bytes.is_empty() { Bucket::new(id, self.actor.clone()) } else { Bucket::load(id, &bytes, self.actor.clone())? };
            self.buckets.insert(doc_id.to_string(), bucket);
        }
        self.buckets.get_mut(doc_id).ok_or_else(|| Error::document(doc_id, "bucket vanished from the cache"))
    }

    fn read_data_version(&self) -> Result<i64> {
        Ok(self.conn.prepare_cached("PRAGMA data_version")?.query_row([], |r| r.get(0))?)
    }

    /// Drops the documents held in memory if another connection committed since this one
    /// last looked (they may be behind the file).
    fn catch_up(&mut self) -> Result<()> {
        let version = self.read_data_version()?;
        if version != self.data_version {
            self.data_version = version;
            self.buckets.clear();
            self.outside_writes += 1;
        }
        Ok(())
    }

    /// How many times this store has found the file written by another connection (another
    /// process): looks now, so a caller polling it learns of such writes within its interval.
    pub fn outside_writes(&mut self) -> Result<u64> {
        if self.conn.is_autocommit() {
            self.catch_up()?;
        }
        Ok(self.outside_writes)
    }

    /// Runs `write` inside one `BEGIN IMMEDIATE` transaction (or inside the one already open),
    /// after catching up with what other connections committed: documents are read and changed
    /// under the write lock, so a change is never made on, nor a snapshot saved from, a copy
    /// that misses someone else's edit. On failure everything is rolled back and the documents
    /// in memory are dropped, so memory never runs ahead of disk.
    pub(crate) fn writing<T>(&mut self, write: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return write(self);
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = self.catch_up().and_then(|()| write(self));
        let ended = match &result {
            Ok(_) => self.conn.execute_batch("COMMIT"),
            Err(_) => self.conn.execute_batch("ROLLBACK"),
        };
        if result.is_err() || ended.is_err() {
            if !self.conn.is_autocommit() {
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            self.buckets.clear();
        }
        let value = result?;
        ended?;
        if std::mem::take(&mut self.free_pages_after_write) {
            db::vacuum_free_pages(&self.conn)?;
        }
        Ok(value)
    }

    /// Gives freed pages back to the file system now, or when the write under way has ended
    /// (SQLite cannot checkpoint inside a transaction).
    pub(crate) fn free_pages(&mut self) -> Result<()> {
        if self.conn.is_autocommit() {
            db::vacuum_free_pages(&self.conn)
        } else {
            self.free_pages_after_write = true;
            Ok(())
        }
    }

    /// Stores `delta` (the change bytes a bucket gained), re-indexes `records` and audits
    /// `action`, inside the caller's transaction.
    pub(crate) fn persist(conn: &Connection, bucket: &Bucket, delta: &[u8], records: &BTreeSet<String>, device_id: &str, action: &str) -> Result<()> {
        let read = if bucket.id.is_notes() { records.iter().map(|id| (id.clone(), None)).collect() } else { bucket.summaries(records) };
        Self::persist_read(conn, bucket, delta, read, device_id, action)
    }

    /// [`persist`](Self::persist) with the changed records already read (`None`: gone). A
    /// notes document's write with an empty `action` is not audited: the bucket's change of
    /// the same transaction is.
    pub(crate) fn persist_read(
        conn: &Connection,
        bucket: &Bucket,
        delta: &[u8],
        records: Vec<(String, Option<RecordSummary>)>,
        device_id: &str,
        action: &str,
    ) -> Result<()> {
        let now = Utc::now().timestamp_millis();
        if bucket.id.is_notes() {
            // A notes document holds no record of its own: its records are indexed from their
            // buckets (only marked as changed now), and a write is audited once, naming the
            // record when it touched only one (the bucket's entries name the others).
            Self::store_and_index(conn, bucket, delta, Vec::new(), now)?;
            for (record_id, _) in &records {
                index::touch(conn, record_id, now)?;
            }
            if action.is_empty() {
                return Ok(());
            }
            let record = match records.as_slice() {
                [(id, _)] => Some(id.as_str()),
                _ => None,
            };
            return audit::append(conn, now, device_id, action, record);
        }
        audit::append_many(conn, now, device_id, action, records.iter().map(|(id, _)| Some(id.as_str())))?;
        Self::store_and_index(conn, bucket, delta, records, now)
    }

    /// Stores `delta` and the bucket's heads and re-indexes `records`, without an audit entry
    /// (the caller's, or none in a store of the past).
    fn store_and_index(conn: &Connection, bucket: &Bucket, delta: &[u8], records: Vec<(String, Option<RecordSummary>)>, now: i64) -> Result<()> {
        let doc_id = bucket.id.to_string();
        let heads = bucket.heads();
        conn.prepare_cached(
            "INSERT INTO doc (doc_id, audience, scope, period, heads) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(doc_id) DO UPDATE SET heads = excluded.heads",
        )?
        .execute(params![doc_id, bucket.id.audience.as_str(), bucket.id.scope, bucket.id.period, encode_heads(&heads)])?;
        let chunks: i64 = conn.prepare_cached("SELECT chunk_count FROM doc WHERE doc_id = ?1")?.query_row([&doc_id], |r| r.get(0))?;
        if chunks + 1 >= COMPACT_AFTER_CHUNKS {
            Self::store_snapshot(conn, &doc_id, &bucket.doc.save())?;
        } else {
            conn.prepare_cached(
                "INSERT INTO doc_chunk (doc_id, seq, bytes) VALUES (?1, COALESCE((SELECT MAX(seq) + 1 FROM doc_chunk WHERE doc_id = ?1), 0), ?2)",
            )?
            .execute(params![doc_id, delta])?;
            conn.prepare_cached("UPDATE doc SET chunk_count = chunk_count + 1, bytes = bytes + ?2 WHERE doc_id = ?1")?
                .execute(params![doc_id, delta.len() as i64])?;
        }
        // A notes document's records are indexed from their buckets.
        for (record_id, summary) in records.into_iter().filter(|_| !bucket.id.is_notes()) {
            index::reindex(conn, &bucket.id, &record_id, summary, now)?;
        }
        Ok(())
    }

    /// Replaces the stored chunks of `doc_id` with one snapshot of the whole document (inside
    /// the caller's write, under its lock).
    pub(crate) fn store_snapshot(conn: &Connection, doc_id: &str, snapshot: &[u8]) -> Result<()> {
        conn.prepare_cached("DELETE FROM doc_chunk WHERE doc_id = ?1")?.execute([doc_id])?;
        conn.prepare_cached("INSERT INTO doc_chunk (doc_id, seq, bytes) VALUES (?1, 0, ?2)")?.execute(params![doc_id, snapshot])?;
        conn.prepare_cached("UPDATE doc SET chunk_count = 1, bytes = ?2 WHERE doc_id = ?1")?.execute(params![doc_id, snapshot.len() as i64])?;
        Ok(())
    }

    /// Runs `edit` on a bucket and persists what it changed in one transaction. On any failure
    /// the in-memory bucket is dropped, so memory never runs ahead of disk.
    fn edit_bucket<T>(
        &mut self,
        doc_id: &str,
        action: &str,
        edit: impl FnOnce(&mut Bucket, &Author) -> Result<(T, BTreeSet<String>)>,
        also: impl FnOnce(&Connection) -> Result<()>,
    ) -> Result<T> {
        self.writable()?;
        self.writing(|store| {
            let author = store.device.author();
            let result = (|| {
                let bucket = store.bucket(doc_id)?;
                let before = bucket.heads();
                let count_before = bucket.record_count();
                let (out, records) = edit(bucket, &author)?;
                let bucket = store.buckets.get(doc_id).ok_or_else(|| Error::document(doc_id, "bucket vanished from the cache"))?;
                if bucket.heads() != before {
                    bucket.check_record_limit(count_before, store.max_records_per_bucket)?;
                    // A local edit adds exactly one change: ours (made as a derived actor when it
                    // was an edit of an earlier version).
                    let delta = match bucket.doc.get_changes(&before).as_slice() {
                        [change] => change.clone(),
                        _ => return Err(Error::document(doc_id, "the edit left no single change")),
                    };
                    let signature = store.signing_key.sign_change(&delta.hash().0);
                    let tx = db::WriteTx::begin(&store.conn)?;
                    Self::persist(&tx, bucket, delta.raw_bytes(), &records, &store.device.device_id, action)?;
                    signatures::store(&tx, &[ChangeSignature { hash: delta.hash(), device_id: store.device.device_id.clone(), signature }])?;
                    also(&tx)?;
                    tx.commit()?;
                }
                Ok(out)
            })();
            if result.is_err() {
                store.buckets.remove(doc_id);
            }
            result
        })
    }

    /// Whether this device may hold a bucket. An unenrolled device (no scopes yet) is limited
    /// by its role only.
    pub(crate) fn may_hold(&self, doc_id: &str) -> bool {
        Self::may_hold_as(self.device.profile.role, &self.device.profile.scopes, doc_id)
    }

    /// [`may_hold`](Self::may_hold) for a device with `role` and `scopes`.
    pub(crate) fn may_hold_as(role: Role, scopes: &[String], doc_id: &str) -> bool {
        match BucketId::parse(doc_id) {
            Some(bucket) if scopes.is_empty() => access::role_sees(role, bucket.audience),
            Some(bucket) => access::may_write(role, scopes, &bucket),
            None => false,
        }
    }

    /// The bucket a record is (or will be) stored in, after checking this device may write it.
    fn bucket_for<R: Record>(&self, record: &R) -> Result<String> {
        let record_id = record.id().to_string();
        let doc_id = match index::locate(&self.conn, &record_id)? {
            Some((doc_id, kind)) if kind == R::KIND => doc_id,
            Some((_, kind)) => return Err(Error::WrongKind { id: record_id, expected: R::KIND.as_str(), actual: kind.to_string() }),
            None => BucketId::for_record(record).to_string(),
        };
        if !self.may_hold(&doc_id) {
            let mahalla = BucketId::parse(&doc_id).map(|b| b.scope).unwrap_or_default();
            return Err(Error::NotPermitted { role: self.device.profile.role.to_string(), mahalla });
        }
        Ok(doc_id)
    }

    /// Checks a change of a stored record against its kind's transition rules
    /// ([`Record::check_transition`]); a new record has none.
    fn check_against_stored<R: Record>(&mut self, doc_id: &str, record: &R, base: Option<&Version>) -> Result<()> {
        // An edit of an earlier version changes that version: the rules compare with it.
        let old = match base {
            Some(version) => self.read_typed_at::<R>(doc_id, record.id(), version)?,
            None => self.read_typed::<R>(doc_id, record.id())?.map(|stored| stored.record),
        };
        if let Some(old) = old {
            R::check_transition(&old, record)?;
        }
        Ok(())
    }

    /// Creates or updates a record after checking its rules (for an update, also the rules on
    /// changing the stored version). Only fields that differ from the
    /// stored winning values are written. Returns false when nothing changed.
    pub fn put<R: Record>(&mut self, record: &R) -> Result<bool> {
        self.put_with(record, |_| Ok(()))
    }

    /// [`put`](Self::put), running `also` in the same transaction when the record changed (a
    /// counter that must move with the record, never apart from it).
    pub(crate) fn put_with<R: Record>(&mut self, record: &R, also: impl FnOnce(&Connection) -> Result<()>) -> Result<bool> {
        self.put_at_with(record, None, also)
    }

    /// [`put`](Self::put) as an edit of the record as it stood at `base` — the version the user
    /// saw ([`version_of`](Self::version_of) when the form was read). Only what the user changed
    /// relative to that version is written, as a change concurrent with anything that arrived
    /// since: a field someone else changed meanwhile merges or shows as a conflict, and their
    /// sentences in a note survive. Never an overwrite.
    pub fn put_at<R: Record>(&mut self, record: &R, base: &Version) -> Result<bool> {
        let base = self.after_replays(base)?;
        self.put_at_with(record, (!base.is_empty()).then_some(&base), |_| Ok(()))
    }

    fn put_at_with<R: Record>(&mut self, record: &R, base: Option<&Version>, also: impl FnOnce(&Connection) -> Result<()>) -> Result<bool> {
        crate::model::check_record(record, Utc::now())?;
        let doc_id = self.bucket_for(record)?;
        self.check_against_stored(&doc_id, record, base)?;
        self.write_records(&doc_id, &[record], base, also)
    }

    /// Stores many new or changed records at once: one transaction per bucket, one change per
    /// 100 records of it, which keeps documents small and later syncs cheap (for imports and
    /// first set-up).
    /// Every record is checked first; if any breaks a rule, nothing is stored.
    pub fn put_many<R: Record>(&mut self, records: &[R]) -> Result<usize> {
        let now = Utc::now();
        let mut by_bucket: BTreeMap<String, Vec<&R>> = BTreeMap::new();
        for record in records {
            crate::model::check_record(record, now)?;
            let doc_id = self.bucket_for(record)?;
            self.check_against_stored(&doc_id, record, None)?;
            by_bucket.entry(doc_id).or_default().push(record);
        }
        let mut changed = 0;
        for (doc_id, batch) in by_bucket {
            if self.write_records(&doc_id, &batch, None, |_| Ok(()))? {
                changed += batch.len();
            }
        }
        Ok(changed)
    }

    /// Loads a record, lets `change` edit it, checks the rules and stores what differs.
    pub fn update<R: Record>(&mut self, id: &RecordId, change: impl FnOnce(&mut R)) -> Result<Stored<R>> {
        let mut record = self.get::<R>(id)?.record;
        change(&mut record);
        if record.id() != id {
            return Err(Error::document(id.as_str(), "an update may not change the record id"));
        }
        self.put(&record)?;
        self.get(id)
    }

    /// [`update`](Self::update) of the record as it stood at `base`, the version the user saw:
    /// `change` edits that version and only what it changed is written ([`put_at`](Self::put_at)).
    pub fn update_at<R: Record>(&mut self, id: &RecordId, base: &Version, change: impl FnOnce(&mut R)) -> Result<Stored<R>> {
        let mut record = self.get_at::<R>(id, base)?.ok_or_else(|| Error::NotFound(id.to_string()))?;
        change(&mut record);
        if record.id() != id {
            return Err(Error::document(id.as_str(), "an update may not change the record id"));
        }
        self.put_at(&record, base)?;
        self.get(id)
    }

    /// The version of the document that holds `id` now (empty when it is not stored): what a
    /// form keeps to save its edit with [`put_at`](Self::put_at).
    pub fn version_of(&mut self, id: &RecordId) -> Result<Version> {
        match index::locate(&self.conn, id.as_str())? {
            Some((doc_id, kind)) => self.version_in(&doc_id, id.as_str(), kind),
            None => Ok(Version::default()),
        }
    }

    /// A typed record as it stood at `version` (`None` when it was not stored then). A
    /// version this device no longer knows reads the current record.
    pub fn get_at<R: Record>(&mut self, id: &RecordId, version: &Version) -> Result<Option<R>> {
        let Some((doc_id, _)) = index::locate(&self.conn, id.as_str())? else { return Ok(None) };
        if version.is_empty() {
            return Ok(self.read_typed::<R>(&doc_id, id)?.map(|stored| stored.record));
        }
        let version = self.after_replays(version)?;
        self.read_typed_at::<R>(&doc_id, id, &version)
    }

    /// A typed record with its open conflicts.
    pub fn get<R: Record>(&mut self, id: &RecordId) -> Result<Stored<R>> {
        let (doc_id, _) = index::locate(&self.conn, id.as_str())?.ok_or_else(|| Error::NotFound(id.to_string()))?;
        self.read_typed::<R>(&doc_id, id)?.ok_or_else(|| Error::NotFound(id.to_string()))
    }

    /// Any record as JSON with its kind and conflicts.
    pub fn get_raw(&mut self, id: &RecordId) -> Result<RawRecord> {
        let (doc_id, _) = index::locate(&self.conn, id.as_str())?.ok_or_else(|| Error::NotFound(id.to_string()))?;
        self.read_joined(&doc_id, id)?.ok_or_else(|| Error::NotFound(id.to_string()))
    }

    /// Index rows matching `query` (no document is loaded).
    pub fn list(&self, query: &ListQuery) -> Result<Vec<IndexRow>> {
        index::list(&self.conn, query)
    }

    /// Every open conflict on this device, most recently touched records first.
    pub fn conflicts(&mut self) -> Result<Vec<Conflict>> {
        let mut out = Vec::new();
        for (record_id, doc_id) in index::conflicted(&self.conn)? {
            let Some(id) = RecordId::parse(&record_id) else { continue };
            if let Some(raw) = self.read_joined(&doc_id, &id)? {
                out.extend(raw.conflicts);
            }
        }
        Ok(out)
    }

    /// Resolves a conflict by writing `chosen` (one of the listed values, or a new one) at
    /// `path`; after the next merge the conflict is gone on every replica.
    pub fn resolve_conflict(&mut self, id: &RecordId, path: &str, chosen: &serde_json::Value) -> Result<()> {
        let (doc_id, kind) = index::locate(&self.conn, id.as_str())?.ok_or_else(|| Error::NotFound(id.to_string()))?;
        let text_fields = kind.text_fields();
        let now = Utc::now();
        let doc_id = self.conflict_doc(&doc_id, id, kind, path)?;
        self.edit_bucket(
            &doc_id,
            "resolve",
            |bucket, author| {
                bucket.resolve(id, path, chosen, text_fields, author, now)?;
                Ok(((), BTreeSet::from([id.to_string()])))
            },
            |_| Ok(()),
        )
    }

    /// A setting the shell keeps with the store (e.g. the hub's address), if set.
    pub fn setting(&self, name: &str) -> Result<Option<String>> {
        read_meta(&self.conn, &format!("setting:{name}"))
    }

    /// Keeps a setting with the store (encrypted like everything else).
    pub fn set_setting(&mut self, name: &str, value: &str) -> Result<()> {
        self.writable()?;
        write_meta(&self.conn, &format!("setting:{name}"), value)
    }

    /// This device's Ed25519 public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.signing_key.public()
    }

    /// This device's signing key (the hub signs its own changes with it).
    pub(crate) fn signing_key(&self) -> &DeviceKey {
        &self.signing_key
    }

    /// Signs `message` with this device's key.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing_key.sign(message)
    }

    /// Drops every bucket held in memory (they are reloaded from disk when next needed).
    pub fn evict_cache(&mut self) {
        self.buckets.clear();
    }
}
