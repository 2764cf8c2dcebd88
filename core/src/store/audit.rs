//! The append-only, hash-chained audit log: which device did what to which record id, when.
//! No names or notes ever enter it. Each entry's hash covers the previous entry's hash, so the
//! link is not stored; an entry written by the store's own device stores no device id (the
//! `device_id` of `meta` stands in for it).

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// What the chain check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditReport {
    /// Entries checked.
    pub entries: u64,
    /// The first entry whose hash or link does not match, if any.
    pub first_broken: Option<i64>,
}

/// The hash of one entry, chained to the previous one's.
pub(crate) fn entry_hash(prev: &[u8], seq: i64, at: i64, device_id: &str, action: &str, record_id: Option<&str>) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(seq.to_le_bytes());
    h.update(at.to_le_bytes());
    for part in [device_id, action, record_id.unwrap_or("")] {
        h.update((part.len() as u32).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().to_vec()
}

/// The store's own device id, which an entry without one stands for.
const OWN_DEVICE: &str = "SELECT value FROM meta WHERE key = 'device_id'";

/// Appends an entry; must run inside the transaction of the change it records.
pub(crate) fn append(conn: &Connection, at: i64, device_id: &str, action: &str, record_id: Option<&str>) -> Result<()> {
    append_many(conn, at, device_id, action, [record_id])
}

/// Appends one entry per record id (in order), all by `device_id` doing `action` at `at`: the
/// chain's end and the own device id are read once for the lot.
pub(crate) fn append_many<'a>(conn: &Connection, at: i64, device_id: &str, action: &str, record_ids: impl IntoIterator<Item = Option<&'a str>>) -> Result<()> {
    let last: Option<(i64, Vec<u8>)> =
        conn.query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    let (mut seq, mut prev) = last.unwrap_or((0, vec![0u8; 32]));
    let own: Option<String> = conn.prepare_cached(OWN_DEVICE)?.query_row([], |r| r.get(0)).optional()?;
    let stored_device = (own.as_deref() != Some(device_id)).then_some(device_id);
    let mut insert = conn.prepare_cached("INSERT INTO audit (seq, at, device_id, action, record_id, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
    for record_id in record_ids {
        seq += 1;
        let hash = entry_hash(&prev, seq, at, device_id, action, record_id);
        insert.execute(params![seq, at, stored_device, action, record_id, hash])?;
        prev = hash;
    }
    Ok(())
}

/// One stored audit entry.
pub(crate) struct AuditEntry {
    pub seq: i64,
    pub at: i64,
    pub device_id: String,
    pub action: String,
    pub record_id: Option<String>,
    /// The previous entry's hash, where the storage keeps it (the PostgreSQL hub's table).
    pub prev: Option<Vec<u8>>,
    pub hash: Vec<u8>,
}

/// Walks entries in order and reports the first one that was removed or edited.
pub(crate) fn verify_entries(entries: impl IntoIterator<Item = Result<AuditEntry>>) -> Result<AuditReport> {
    let mut expected_prev = vec![0u8; 32];
    let mut expected_seq = 1i64;
    let mut count = 0u64;
    for entry in entries {
        let e = entry?;
        let recomputed = entry_hash(&expected_prev, e.seq, e.at, &e.device_id, &e.action, e.record_id.as_deref());
        let link_broken = e.prev.as_ref().is_some_and(|prev| *prev != expected_prev);
        if e.seq != expected_seq || link_broken || e.hash != recomputed {
            return Ok(AuditReport { entries: count, first_broken: Some(e.seq) });
        }
        count += 1;
        expected_seq = e.seq + 1;
        expected_prev = e.hash;
    }
    Ok(AuditReport { entries: count, first_broken: None })
}

/// Walks the whole chain and reports the first entry that was removed or edited.
pub(crate) fn verify(conn: &Connection) -> Result<AuditReport> {
    let sql = format!("SELECT seq, at, COALESCE(device_id, ({OWN_DEVICE}), ''), action, record_id, hash FROM audit ORDER BY seq");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok(AuditEntry { seq: r.get(0)?, at: r.get(1)?, device_id: r.get(2)?, action: r.get(3)?, record_id: r.get(4)?, prev: None, hash: r.get(5)? })
    })?;
    verify_entries(rows.map(|r| r.map_err(Into::into)))
}
