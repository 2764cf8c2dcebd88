//! The hub's storage in one SQLite (SQLCipher) file, `hub.db`: a base point's hub. The file is
//! a device store ([`Store`]) with the hub's tables (schema migrations by `user_version`, as
//! every store), so hubs made by earlier versions open unchanged.
//!
//! Reads run in parallel on a small pool of connections (WAL); writes take turns, since SQLite
//! has one writer: each write transaction holds the writer lock and `BEGIN IMMEDIATE`.

use super::grants::{split_scopes, Grant};
use super::pool::{Pool, Pooled};
use super::storage::{DocWrite, EnrolmentCode, HubIdentity, HubStorage, HubTx, NewDevice};
use super::{DeviceRow, EnrolledDevice, HubAlert};
use crate::access;
use crate::device::{DeviceProfile, Role};
use crate::error::{Error, Result};
use crate::security::{DeviceKey, KeyProvider};
use crate::store::{audit, db, key_id_for, signatures, AuditReport, Store};
use crate::wire::{AuditLink, ChangeSignature};
use automerge::ChangeHash;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// Most connections one hub keeps open to its file.
const POOL_SIZE: usize = 4;

/// The hub's state in `hub.db`.
pub(crate) struct SqliteStorage {
    store: Mutex<Store>,
    pool: Pool<Connection>,
    writer: Mutex<()>,
}

impl SqliteStorage {
    /// Opens the hub's file at `path`, creating it on first start.
    pub(super) fn open(path: &Path, keys: &dyn KeyProvider) -> Result<SqliteStorage> {
        let store = if path.exists() {
            Store::open(path, keys)?
        } else {
            let profile = DeviceProfile { person: "hub".into(), role: Role::Supervisor, scopes: vec![access::ALL_SCOPES.into()] };
            Store::create(path, keys, profile)?
        };
        let key = keys.get_or_create_key(&key_id_for(path)).map_err(|e| Error::KeyStore(e.to_string()))?;
        let file = path.to_path_buf();
        let pool = Pool::new(POOL_SIZE, move || db::open_another(&file, &key));
        Ok(SqliteStorage { store: Mutex::new(store), pool, writer: Mutex::new(()) })
    }

    /// A connection of the pool (for copying the hub elsewhere).
    #[cfg(feature = "postgres")]
    pub(super) fn connection(&self) -> Result<Pooled<'_, Connection>> {
        self.pool.get()
    }

    fn lock_store(&self) -> Result<MutexGuard<'_, Store>> {
        self.store.lock().map_err(|_| Error::Io(std::io::Error::other("the hub store's lock is poisoned")))
    }

    fn begin(&self, write: bool) -> Result<Box<dyn HubTx + '_>> {
        Ok(Box::new(self.begin_tx(write)?))
    }

    /// A transaction on a pooled connection (rolled back if dropped uncommitted).
    fn begin_tx(&self, write: bool) -> Result<SqliteTx<'_>> {
        let writer = if write { Some(self.writer.lock().map_err(|_| Error::Io(std::io::Error::other("the hub's writer lock is poisoned")))?) } else { None };
        let conn = self.pool.get()?;
        conn.execute_batch(if write { "BEGIN IMMEDIATE" } else { "BEGIN" })?;
        Ok(SqliteTx { conn, _writer: writer, open: true })
    }
}

impl HubStorage for SqliteStorage {
    fn identity(&self) -> Result<HubIdentity> {
        let store = self.lock_store()?;
        let key = DeviceKey::from_secret(store.signing_key().secret().as_ref()).ok_or_else(|| Error::Corrupt("the hub's signing key".into()))?;
        Ok(HubIdentity { device_id: store.device().device_id.clone(), actor: store.device().actor.clone(), key })
    }

    fn read(&self) -> Result<Box<dyn HubTx + '_>> {
        self.begin(false)
    }

    fn write(&self) -> Result<Box<dyn HubTx + '_>> {
        self.begin(true)
    }

    fn write_doc(&self, _doc_id: &str) -> Result<Box<dyn HubTx + '_>> {
        // One writer at a time covers every document.
        self.begin(true)
    }

    fn all_doc_heads(&self) -> Result<BTreeMap<String, Vec<u8>>> {
        let conn = self.pool.get()?;
        let mut stmt = conn.prepare_cached("SELECT doc_id, heads FROM doc")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
        Ok(rows)
    }

    fn doc_heads(&self, prefixes: &[String], ids: &[&str]) -> Result<BTreeMap<String, Vec<u8>>> {
        // One read transaction (ended when dropped): every row from the same commit.
        let tx = self.begin_tx(false)?;
        let mut out = BTreeMap::new();
        let mut range = tx.conn.prepare_cached("SELECT doc_id, heads FROM doc WHERE doc_id >= ?1 AND doc_id < ?2")?;
        for prefix in prefixes {
            for row in range.query_map(params![prefix, prefix_end(prefix)], |r| Ok((r.get(0)?, r.get(1)?)))? {
                let (doc_id, heads) = row?;
                out.insert(doc_id, heads);
            }
        }
        let mut one = tx.conn.prepare_cached("SELECT heads FROM doc WHERE doc_id = ?1")?;
        for id in ids {
            if out.contains_key(*id) {
                continue;
            }
            if let Some(heads) = one.query_row([id], |r| r.get(0)).optional()? {
                out.insert(id.to_string(), heads);
            }
        }
        Ok(out)
    }

    fn verify_audit(&self) -> Result<AuditReport> {
        let conn = self.pool.get()?;
        audit::verify(&conn)
    }

    fn store(&self) -> Option<MutexGuard<'_, Store>> {
        // The hub writes through the pool's connections; the store drops what it cached when
        // it sees their commits (`PRAGMA data_version`), so it is never behind.
        self.store.lock().ok()
    }
}

/// The first text after every text that starts with `prefix` (prefixes end in `/`, which is
/// followed by `0` in byte order).
fn prefix_end(prefix: &str) -> String {
    match prefix.strip_suffix('/') {
        Some(stem) => format!("{stem}0"),
        None => format!("{prefix}\u{10FFFF}"),
    }
}

/// One transaction on a pooled connection.
struct SqliteTx<'a> {
    conn: Pooled<'a, Connection>,
    _writer: Option<MutexGuard<'a, ()>>,
    open: bool,
}

impl Drop for SqliteTx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// Reads (device_id, role, scopes, public_key, revoked) columns.
fn device_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceRow> {
    let role: String = r.get(1)?;
    let scopes: String = r.get(2)?;
    Ok(DeviceRow {
        device_id: r.get(0)?,
        role: Role::parse(&role),
        scopes: split_scopes(&scopes),
        public_key: r.get(3)?,
        revoked: r.get(4)?,
        is_hub: false,
        grants: vec![],
    })
}

impl SqliteTx<'_> {
    fn with_grants(&self, mut row: DeviceRow) -> Result<DeviceRow> {
        let mut stmt = self.conn.prepare_cached("SELECT role, scopes, valid_until FROM hub_device_grant WHERE device_id = ?1")?;
        row.grants = stmt
            .query_map([&row.device_id], |r| {
                let role: String = r.get(0)?;
                let scopes: String = r.get(1)?;
                Ok(Grant { role: Role::parse(&role), scopes: split_scopes(&scopes), valid_until: r.get(2)? })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(row)
    }
}

impl HubTx for SqliteTx<'_> {
    fn device(&mut self, device_id: &str) -> Result<Option<DeviceRow>> {
        let row = self
            .conn
            .query_row("SELECT device_id, role, scopes, public_key, revoked_at IS NOT NULL FROM hub_device WHERE device_id = ?1", [device_id], device_row)
            .optional()?;
        row.map(|row| self.with_grants(row)).transpose()
    }

    fn device_by_actor(&mut self, actor: &str) -> Result<Option<DeviceRow>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT d.device_id, d.role, d.scopes, d.public_key, d.revoked_at IS NOT NULL
                 FROM hub_actor a JOIN hub_device d ON d.device_id = a.device_id WHERE a.actor = ?1",
            )?
            .query_row([actor], device_row)
            .optional()?;
        row.map(|row| self.with_grants(row)).transpose()
    }

    fn actor_owner(&mut self, actor: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT device_id FROM hub_actor WHERE actor = ?1", [actor], |r| r.get(0)).optional()?)
    }

    fn add_actor(&mut self, actor: &str, device_id: &str) -> Result<()> {
        self.conn.execute("INSERT INTO hub_actor (actor, device_id) VALUES (?1, ?2)", params![actor, device_id])?;
        Ok(())
    }

    fn devices(&mut self) -> Result<Vec<EnrolledDevice>> {
        let mut stmt = self.conn.prepare("SELECT device_id, person, role, scopes, revoked_at IS NOT NULL, last_sync FROM hub_device ORDER BY enrolled_at")?;
        let rows = stmt
            .query_map([], |r| {
                let scopes: String = r.get(3)?;
                Ok(EnrolledDevice {
                    device_id: r.get(0)?,
                    person: r.get(1)?,
                    role: r.get(2)?,
                    scopes: split_scopes(&scopes),
                    revoked: r.get(4)?,
                    last_sync: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn add_device(&mut self, d: &NewDevice<'_>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO hub_device (device_id, person, role, scopes, public_key, enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![d.device_id, d.person, d.role, d.scopes, d.public_key, d.enrolled_at],
        )?;
        Ok(())
    }

    fn revoke(&mut self, device_id: &str, at: i64) -> Result<bool> {
        Ok(self.conn.execute("UPDATE hub_device SET revoked_at = ?2 WHERE device_id = ?1 AND revoked_at IS NULL", params![device_id, at])? > 0)
    }

    fn assignment(&mut self, device_id: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .query_row("SELECT role, scopes FROM hub_device WHERE device_id = ?1 AND revoked_at IS NULL", [device_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn reassign(&mut self, device_id: &str, old: (&str, &str), until: i64, new: (&str, &str)) -> Result<()> {
        self.conn
            .execute("INSERT INTO hub_device_grant (device_id, role, scopes, valid_until) VALUES (?1, ?2, ?3, ?4)", params![device_id, old.0, old.1, until])?;
        self.conn.execute("UPDATE hub_device SET role = ?2, scopes = ?3 WHERE device_id = ?1", params![device_id, new.0, new.1])?;
        Ok(())
    }

    fn add_enrolment_code(&mut self, code_hash: &[u8], c: &EnrolmentCode) -> Result<()> {
        self.conn.execute(
            "INSERT INTO hub_enrolment (code_hash, person, role, scopes, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![code_hash, c.person, c.role, c.scopes, c.expires_at],
        )?;
        Ok(())
    }

    fn enrolment_code(&mut self, code_hash: &[u8]) -> Result<Option<EnrolmentCode>> {
        Ok(self
            .conn
            .query_row("SELECT person, role, scopes, expires_at, used_by FROM hub_enrolment WHERE code_hash = ?1", [code_hash], |r| {
                Ok(EnrolmentCode { person: r.get(0)?, role: r.get(1)?, scopes: r.get(2)?, expires_at: r.get(3)?, used_by: r.get(4)? })
            })
            .optional()?)
    }

    fn use_enrolment_code(&mut self, code_hash: &[u8], device_id: &str) -> Result<()> {
        self.conn.execute("UPDATE hub_enrolment SET used_by = ?2 WHERE code_hash = ?1", params![code_hash, device_id])?;
        Ok(())
    }

    fn add_enrol_attempt(&mut self, at: i64, device_id: &str, outcome: &str, forget_before: i64) -> Result<()> {
        self.conn.execute("DELETE FROM hub_enrol_attempt WHERE at < ?1", [forget_before])?;
        self.conn.execute("INSERT INTO hub_enrol_attempt (at, device_id, outcome) VALUES (?1, ?2, ?3)", params![at, device_id, outcome])?;
        Ok(())
    }

    fn enrol_attempts_since(&mut self, since: i64) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached("SELECT at FROM hub_enrol_attempt WHERE at > ?1 ORDER BY at")?;
        let rows = stmt.query_map([since], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(rows)
    }

    fn add_alert(&mut self, a: &HubAlert) -> Result<()> {
        self.conn.execute("INSERT INTO hub_alert (at, device_id, kind, detail) VALUES (?1, ?2, ?3, ?4)", params![a.at, a.device_id, a.kind, a.detail])?;
        Ok(())
    }

    fn alerts(&mut self) -> Result<Vec<HubAlert>> {
        let mut stmt = self.conn.prepare("SELECT at, device_id, kind, detail FROM hub_alert ORDER BY seq DESC")?;
        let rows = stmt
            .query_map([], |r| Ok(HubAlert { at: r.get(0)?, device_id: r.get(1)?, kind: r.get(2)?, detail: r.get(3)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn audit(&mut self, at: i64, device_id: &str, action: &str, record_id: Option<&str>) -> Result<()> {
        audit::append(&self.conn, at, device_id, action, record_id)
    }

    fn device_audit_hashes(&mut self, device_id: &str, seq: i64) -> Result<Vec<Vec<u8>>> {
        let mut stmt = self.conn.prepare_cached("SELECT hash FROM device_audit WHERE device_id = ?1 AND seq = ?2")?;
        let rows = stmt.query_map(params![device_id, seq], |r| r.get(0))?.collect::<rusqlite::Result<Vec<Vec<u8>>>>()?;
        Ok(rows)
    }

    fn keep_device_audit(&mut self, device_id: &str, l: &AuditLink, linked: bool) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO device_audit (device_id, seq, hash, at, by_device, action, record_id, linked)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![device_id, l.seq, l.hash, l.at, l.device_id, l.action, l.record_id, linked])?;
        Ok(())
    }

    fn record_accesses(&mut self, record_id: &str) -> Result<Vec<(String, AuditLink, bool)>> {
        let mut stmt = self.conn.prepare(
            "SELECT device_id, seq, hash, at, by_device, action, record_id, linked FROM device_audit WHERE record_id = ?1 ORDER BY at, device_id, seq",
        )?;
        let rows = stmt
            .query_map([record_id], |r| {
                let link = AuditLink { seq: r.get(1)?, hash: r.get(2)?, at: r.get(3)?, device_id: r.get(4)?, action: r.get(5)?, record_id: r.get(6)? };
                Ok((r.get(0)?, link, r.get(7)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn file(&mut self, hash: &[u8; 32]) -> Result<Option<(u64, bool)>> {
        let row = self
            .conn
            .prepare_cached("SELECT received, complete FROM attachment WHERE hash = ?1")?
            .query_row([hash.as_slice()], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
            .optional()?;
        Ok(row)
    }

    fn add_file_chunk(&mut self, hash: &[u8; 32], media_type: &str, size: u64, index: u32, bytes: &[u8]) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR IGNORE INTO attachment (hash, media_type, size, origin, uploaded) VALUES (?1, ?2, ?3, 'device', 1)")?
            .execute(params![hash.as_slice(), media_type, size as i64])?;
        self.conn.prepare_cached("INSERT INTO attachment_chunk (hash, idx, bytes) VALUES (?1, ?2, ?3)")?.execute(params![hash.as_slice(), index, bytes])?;
        self.conn.prepare_cached("UPDATE attachment SET received = received + ?2 WHERE hash = ?1")?.execute(params![hash.as_slice(), bytes.len() as i64])?;
        Ok(())
    }

    fn file_chunk(&mut self, hash: &[u8; 32], index: u32) -> Result<Option<Vec<u8>>> {
        let bytes = self
            .conn
            .prepare_cached("SELECT bytes FROM attachment_chunk WHERE hash = ?1 AND idx = ?2")?
            .query_row(params![hash.as_slice(), index], |r| r.get(0))
            .optional()?;
        Ok(bytes)
    }

    fn finish_file(&mut self, hash: &[u8; 32], keep: bool) -> Result<()> {
        if keep {
            self.conn.execute("UPDATE attachment SET complete = 1 WHERE hash = ?1", [hash.as_slice()])?;
            self.conn.execute("DELETE FROM hub_file_wanted WHERE hash = ?1", [hash.as_slice()])?;
        } else {
            self.conn.execute("DELETE FROM attachment_chunk WHERE hash = ?1", [hash.as_slice()])?;
            self.conn.execute("DELETE FROM attachment WHERE hash = ?1", [hash.as_slice()])?;
        }
        Ok(())
    }

    fn want_file(&mut self, hash: &[u8; 32]) -> Result<()> {
        self.conn.execute("INSERT OR IGNORE INTO hub_file_wanted (hash) VALUES (?1)", [hash.as_slice()])?;
        Ok(())
    }

    fn wanted_files(&mut self, limit: usize) -> Result<Vec<[u8; 32]>> {
        let mut stmt = self.conn.prepare_cached("SELECT hash FROM hub_file_wanted LIMIT ?1")?;
        let rows = stmt.query_map([limit as i64], |r| r.get::<_, Vec<u8>>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows.into_iter().filter_map(|h| h.try_into().ok()).collect())
    }

    fn record_changes(&mut self, record_id: &str) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare("SELECT at, action FROM audit WHERE record_id = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([record_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn audit_by(&mut self, device_id: &str) -> Result<Vec<(i64, String, Option<String>)>> {
        let mut stmt = self.conn.prepare("SELECT at, action, record_id FROM audit WHERE device_id = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([device_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn nonce_seen(&mut self, device_id: &str, nonce: &[u8; 16]) -> Result<bool> {
        let seen = self
            .conn
            .prepare_cached("SELECT 1 FROM hub_nonce WHERE device_id = ?1 AND nonce = ?2")?
            .query_row(params![device_id, nonce.as_slice()], |_| Ok(()))
            .optional()?;
        Ok(seen.is_some())
    }

    fn claim_nonce(&mut self, device_id: &str, nonce: &[u8; 16], now: i64, forget_before: i64) -> Result<bool> {
        self.conn.execute("DELETE FROM hub_nonce WHERE device_id = ?1 AND seen_at < ?2", params![device_id, forget_before])?;
        let added =
            self.conn.execute("INSERT OR IGNORE INTO hub_nonce (device_id, nonce, seen_at) VALUES (?1, ?2, ?3)", params![device_id, nonce.as_slice(), now])?;
        Ok(added == 1)
    }

    fn recorded(&mut self, device_id: &str) -> Result<BTreeMap<String, Vec<u8>>> {
        let mut stmt = self.conn.prepare_cached("SELECT doc_id, heads FROM hub_peer_doc WHERE device_id = ?1")?;
        let rows = stmt.query_map([device_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
        Ok(rows)
    }

    fn record_heads(&mut self, device_id: &str, doc_id: &str, heads: &[u8]) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO hub_peer_doc (device_id, doc_id, heads) VALUES (?1, ?2, ?3)
             ON CONFLICT(device_id, doc_id) DO UPDATE SET heads = excluded.heads",
            )?
            .execute(params![device_id, doc_id, heads])?;
        Ok(())
    }

    fn forget_heads(&mut self, device_id: &str, doc_id: &str) -> Result<()> {
        self.conn.execute("DELETE FROM hub_peer_doc WHERE device_id = ?1 AND doc_id = ?2", params![device_id, doc_id])?;
        Ok(())
    }

    fn set_last_sync(&mut self, device_id: &str, at: i64) -> Result<()> {
        self.conn.execute("UPDATE hub_device SET last_sync = ?2 WHERE device_id = ?1", params![device_id, at])?;
        Ok(())
    }

    fn store_signatures(&mut self, sigs: &[ChangeSignature]) -> Result<()> {
        signatures::store(&self.conn, sigs)
    }

    fn signatures(&mut self, hashes: &[ChangeHash]) -> Result<Vec<ChangeSignature>> {
        signatures::lookup(&self.conn, hashes.iter().copied())
    }

    fn registry_last(&mut self, book: &str, year: i32) -> Result<u32> {
        let last: Option<u32> =
            self.conn.query_row("SELECT last_number FROM hub_registry WHERE book = ?1 AND year = ?2", params![book, year], |r| r.get(0)).optional()?;
        Ok(last.unwrap_or(0))
    }

    fn set_registry_last(&mut self, book: &str, year: i32, number: u32) -> Result<()> {
        self.conn.execute(
            "INSERT INTO hub_registry (book, year, last_number) VALUES (?1, ?2, ?3)
             ON CONFLICT(book, year) DO UPDATE SET last_number = excluded.last_number",
            params![book, year, number],
        )?;
        Ok(())
    }

    fn doc_heads(&mut self, doc_id: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.conn.prepare_cached("SELECT heads FROM doc WHERE doc_id = ?1")?.query_row([doc_id], |r| r.get(0)).optional()?)
    }

    fn doc_bytes(&mut self, doc_id: &str) -> Result<Option<Vec<u8>>> {
        if self.doc_heads(doc_id)?.is_none() {
            return Ok(None);
        }
        let mut stmt = self.conn.prepare_cached("SELECT bytes FROM doc_chunk WHERE doc_id = ?1 ORDER BY seq")?;
        let mut bytes = Vec::new();
        let mut rows = stmt.query([doc_id])?;
        while let Some(row) = rows.next()? {
            bytes.extend_from_slice(row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?);
        }
        Ok(Some(bytes))
    }

    fn put_doc(&mut self, w: &DocWrite<'_>) -> Result<()> {
        Store::persist(&self.conn, w.bucket, &w.bucket.doc.save_after(w.before), w.records, w.device_id, w.action)
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        self.conn.execute_batch("COMMIT")?;
        self.open = false;
        Ok(())
    }
}
