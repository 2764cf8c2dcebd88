//! Keeping the store file: a fingerprint of what it shows, sizes, integrity and audit checks,
//! compaction and vacuum, dropping a document that left the device's scope, and wiping.

use super::{audit, db, key_id_for, AuditReport, Store, StoreStats};
use crate::error::{Error, Result};
use crate::security::KeyProvider;
use chrono::Utc;
use rusqlite::OptionalExtension;
use std::path::PathBuf;

/// `meta` key: the bytes of pages in use right after the last compaction.
const COMPACTED_BYTES: &str = "compacted_bytes";
/// [`Store::tidy`] compacts a store grown by this factor since its last compaction.
const TIDY_GROWTH: f64 = 1.25;
/// [`Store::tidy`] compacts a store never compacted once it holds this many bytes.
const TIDY_FIRST_BYTES: u64 = 1 << 20;

impl Store {
    /// A fingerprint of everything this replica shows: every record's winning values and open
    /// conflicts. Two replicas that have merged the same changes have the same fingerprint.
    pub fn fingerprint(&mut self) -> Result<String> {
        use sha2::{Digest, Sha256};
        let mut ids: Vec<(String, String)> = {
            let mut stmt = self.conn.prepare("SELECT record_id, doc_id FROM record_index")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        ids.sort();
        let mut hash = Sha256::new();
        for (record_id, doc_id) in ids {
            let Some(id) = crate::ids::RecordId::parse(&record_id) else { continue };
            let Some(raw) = self.read_joined(&doc_id, &id)? else { continue };
            hash.update(record_id.as_bytes());
            hash.update(raw.value.to_string().as_bytes());
            for conflict in &raw.conflicts {
                hash.update(conflict.path.as_bytes());
                for value in &conflict.values {
                    hash.update(value.value.to_string().as_bytes());
                }
            }
        }
        Ok(hex::encode(&hash.finalize()[..8]))
    }

    /// Sizes of what is stored.
    pub fn stats(&self) -> Result<StoreStats> {
        let (docs, doc_bytes): (i64, i64) = self.conn.query_row("SELECT count(*), COALESCE(SUM(bytes), 0) FROM doc", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let records: i64 = self.conn.query_row("SELECT count(*) FROM record_index", [], |r| r.get(0))?;
        let file_bytes = ["", "-wal"].iter().filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", self.path.display())).ok()).map(|m| m.len()).sum();
        Ok(StoreStats { docs: docs as u64, records: records as u64, doc_bytes: doc_bytes as u64, file_bytes })
    }

    /// Checks the database with SQLite's integrity check.
    pub fn check_integrity(&self) -> Result<()> {
        let problems = db::integrity_problems(&self.conn)?;
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Corrupt(problems.join("; ")))
        }
    }

    /// Verifies the audit chain.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        audit::verify(&self.conn)
    }

    /// Compacts every bucket into one snapshot (a change that created many records is several
    /// times its snapshot's size), then rewrites the file (`VACUUM`): the tables' b-trees,
    /// filled in random key order to about two thirds, come out packed, and the WAL is
    /// truncated. Buckets not loaded before are not kept loaded.
    pub fn compact(&mut self) -> Result<()> {
        self.writable()?;
        let doc_ids: Vec<String> = {
            let mut stmt = self.conn.prepare("SELECT doc_id FROM doc")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            ids
        };
        // 32 documents to a write: one commit each would cost a file sync per document. Each
        // snapshot is saved under the write lock, after catching up with other connections, so
        // it never misses a change someone else just stored.
        for batch in doc_ids.chunks(32) {
            self.writing(|store| {
                for doc_id in batch {
                    // Gone since the list was read (another connection dropped it).
                    if store.conn.prepare_cached("SELECT 1 FROM doc WHERE doc_id = ?1")?.query_row([doc_id], |_| Ok(())).optional()?.is_none() {
                        continue;
                    }
                    let loaded = store.buckets.contains_key(doc_id);
                    let snapshot = store.bucket(doc_id)?.doc.save();
                    if !loaded {
                        store.buckets.remove(doc_id);
                    }
                    Store::store_snapshot(&store.conn, doc_id, &snapshot)?;
                }
                Ok(())
            })?;
        }
        self.vacuum()?;
        super::write_meta(&self.conn, COMPACTED_BYTES, &self.bytes_in_use()?.to_string())?;
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// The bytes of the database's pages in use (free pages and the WAL left out).
    fn bytes_in_use(&self) -> Result<u64> {
        // SQLCipher answers `page_size` as text.
        let pragma = |name: &str| -> Result<i64> {
            let value: rusqlite::types::Value = self.conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?;
            match value {
                rusqlite::types::Value::Integer(n) => Ok(n),
                rusqlite::types::Value::Text(text) => text.parse().map_err(|_| Error::Corrupt(format!("PRAGMA {name} gave {text:?}"))),
                other => Err(Error::Corrupt(format!("PRAGMA {name} gave {other:?}"))),
            }
        };
        let pages = pragma("page_count")? - pragma("freelist_count")?;
        Ok((pages.max(0) * pragma("page_size")?) as u64)
    }

    /// The background upkeep a platform job runs after a sync: [`compact`](Self::compact)s
    /// the store when its pages in use have grown by a quarter since its last compaction, or
    /// it was never compacted and uses over 1 MiB (a first provisioning). Returns whether it
    /// compacted.
    /// Blocking: the file is rewritten (about 30 ms per MiB here).
    pub fn tidy(&mut self) -> Result<bool> {
        if !self.tidy_due()? {
            return Ok(false);
        }
        self.compact()?;
        Ok(true)
    }

    /// Whether [`tidy`](Self::tidy) would compact now.
    pub fn tidy_due(&self) -> Result<bool> {
        let now = self.bytes_in_use()?;
        let last: Option<u64> = super::read_meta(&self.conn, COMPACTED_BYTES)?.and_then(|v| v.parse().ok());
        Ok(match last {
            Some(last) => now as f64 >= last as f64 * TIDY_GROWTH,
            None => now >= TIDY_FIRST_BYTES,
        })
    }

    /// Rewrites the database file without free pages (SQLite `VACUUM`, encrypted like the
    /// rest; temporary data stays in memory) and truncates the WAL.
    pub fn vacuum(&mut self) -> Result<()> {
        self.writable()?;
        self.conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Deletes a bucket document and everything indexed from it (a document that left this
    /// device's scope). Returns whether it was present.
    pub(crate) fn drop_doc(&mut self, doc_id: &str) -> Result<bool> {
        self.writable()?;
        self.buckets.remove(doc_id);
        let tx = super::db::WriteTx::begin(&self.conn)?;
        tx.execute("DELETE FROM record_link WHERE from_id IN (SELECT record_id FROM record_index WHERE doc_id = ?1)", [doc_id])?;
        tx.execute("DELETE FROM person_key WHERE record_id IN (SELECT record_id FROM record_index WHERE doc_id = ?1)", [doc_id])?;
        tx.execute("DELETE FROM record_index WHERE doc_id = ?1", [doc_id])?;
        tx.execute("DELETE FROM attachment_ref WHERE doc_id = ?1", [doc_id])?;
        // Its files go too, once no record here names them — but never one the hub lacks.
        for table in ["attachment_chunk", "attachment"] {
            tx.execute(
                &format!(
                    "DELETE FROM {table} WHERE hash IN (SELECT hash FROM attachment WHERE uploaded = 1
                       AND hash NOT IN (SELECT hash FROM attachment_ref))"
                ),
                [],
            )?;
        }
        tx.execute("DELETE FROM peer_doc WHERE doc_id = ?1", [doc_id])?;
        let removed = tx.execute("DELETE FROM doc WHERE doc_id = ?1", [doc_id])? > 0;
        audit::append(&tx, Utc::now().timestamp_millis(), &self.device.device_id, "drop-doc", None)?;
        tx.commit()?;
        self.free_pages()?;
        Ok(removed)
    }

    /// Wipes this device's data: destroys the store key through `keys` (so no copy of the file
    /// can ever be read again) and deletes the database files.
    pub fn wipe(self, keys: &dyn KeyProvider) -> Result<()> {
        self.writable()?;
        let path = self.path.clone();
        drop(self);
        keys.destroy_key(&key_id_for(&path)).map_err(|e| Error::KeyStore(e.to_string()))?;
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let file = PathBuf::from(format!("{}{suffix}", path.display()));
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}
