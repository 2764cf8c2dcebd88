//! Who saw what, on the device: opening a record's detail, exporting or printing it appends an
//! entry to the device's access log (table `access_log`: record id, when, what kind of access;
//! no names or notes), hash-chained and append-only like the audit chain of changes but apart
//! from it, so that a sync carries only accesses (the hub knows the changes already). Each sync
//! carries the entries its hub does not hold yet (`sync/hub/device_audit.rs` keeps them, one
//! chain per device). Meta `audit_held` is the last entry the hub said it holds.

use super::{audit, read_meta, write_meta, AuditReport, Store};
use crate::error::Result;
use crate::ids::RecordId;
use crate::wire::{AuditLink, MAX_AUDIT_PER_REQUEST};
use chrono::Utc;
use rusqlite::{params, OptionalExtension};

/// What kind of access to a record an audit entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessKind {
    /// Its detail (or form, or history) was opened.
    View,
    /// It left the device: a bundle, a file, a share.
    Export,
    /// It was printed.
    Print,
}

impl AccessKind {
    /// The audit action (`access:view`, `access:export`, `access:print`).
    pub fn action(self) -> &'static str {
        match self {
            AccessKind::View => "access:view",
            AccessKind::Export => "access:export",
            AccessKind::Print => "access:print",
        }
    }
}

const HELD: &str = "audit_held";

impl Store {
    /// Records that this device's user accessed a record (opened, exported or printed it).
    pub fn record_access(&mut self, record_id: &RecordId, kind: AccessKind) -> Result<()> {
        self.record_access_each(&[record_id.as_str()], kind)
    }

    /// [`record_access`](Self::record_access) for many records at once (one entry each).
    pub fn record_access_each(&mut self, record_ids: &[&str], kind: AccessKind) -> Result<()> {
        self.writable()?;
        if record_ids.is_empty() {
            return Ok(());
        }
        let at = Utc::now().timestamp_millis();
        let tx = super::db::WriteTx::begin(&self.conn)?;
        let last: Option<(i64, Vec<u8>)> =
            tx.query_row("SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        let (mut seq, mut prev) = last.unwrap_or((0, vec![0u8; 32]));
        {
            let mut insert = tx.prepare_cached("INSERT INTO access_log (seq, at, action, record_id, hash) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for record_id in record_ids {
                seq += 1;
                let hash = audit::entry_hash(&prev, seq, at, &self.device.device_id, kind.action(), Some(record_id));
                insert.execute(params![seq, at, kind.action(), record_id, hash])?;
                prev = hash;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Walks this device's access log and reports the first entry that was removed or edited.
    pub fn verify_access_log(&self) -> Result<AuditReport> {
        let mut stmt = self.conn.prepare("SELECT seq, at, action, record_id, hash FROM access_log ORDER BY seq")?;
        let own = self.device.device_id.clone();
        let rows = stmt.query_map([], |r| {
            Ok(audit::AuditEntry {
                seq: r.get(0)?,
                at: r.get(1)?,
                device_id: own.clone(),
                action: r.get(2)?,
                record_id: r.get(3)?,
                prev: None,
                hash: r.get(4)?,
            })
        })?;
        audit::verify_entries(rows.map(|r| r.map_err(Into::into)))
    }

    /// The next entries of this device's access log its hub does not hold yet (at most one
    /// request's worth), each as the log hashed it.
    pub(crate) fn access_log_to_send(&self) -> Result<Vec<AuditLink>> {
        let held: i64 = read_meta(&self.conn, HELD)?.and_then(|v| v.parse().ok()).unwrap_or(0);
        let mut stmt = self.conn.prepare_cached("SELECT seq, at, ?1, action, record_id, hash FROM access_log WHERE seq > ?2 ORDER BY seq LIMIT ?3")?;
        let rows = stmt
            .query_map(rusqlite::params![self.device.device_id, held, MAX_AUDIT_PER_REQUEST as i64], |r| {
                Ok(AuditLink { seq: r.get(0)?, at: r.get(1)?, device_id: r.get(2)?, action: r.get(3)?, record_id: r.get(4)?, hash: r.get(5)? })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Notes that the hub holds this device's chain up to `held` (never moves back).
    pub(crate) fn set_access_log_held(&mut self, held: i64) -> Result<()> {
        let before: i64 = read_meta(&self.conn, HELD)?.and_then(|v| v.parse().ok()).unwrap_or(0);
        if held > before {
            write_meta(&self.conn, HELD, &held.to_string())?;
        }
        Ok(())
    }

    /// Ids of the records in the documents `doc_ids` (what an export of them discloses).
    pub(crate) fn records_in(&self, doc_ids: &[&str]) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT record_id FROM record_index WHERE doc_id = ?1")?;
        let mut out = Vec::new();
        for doc_id in doc_ids {
            out.extend(stmt.query_map([doc_id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?);
        }
        Ok(out)
    }
}
