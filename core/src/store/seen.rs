//! Who saw what, on the device: opening a record's detail, exporting or printing it appends an
//! entry to the device's audit chain (record id, which device, when, what kind of access; no
//! names or notes), and each sync carries the entries its hub does not hold yet
//! (`sync/hub/device_audit.rs` keeps them, one chain per device). Meta `audit_held` is the
//! last entry the hub said it holds.

use super::{audit, read_meta, write_meta, Store};
use crate::error::Result;
use crate::ids::RecordId;
use crate::wire::{AuditLink, MAX_AUDIT_PER_REQUEST};
use chrono::Utc;

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
        self.record_accesses(&[record_id.as_str()], kind)
    }

    /// [`record_access`](Self::record_access) for many records at once (one entry each).
    pub fn record_accesses(&mut self, record_ids: &[&str], kind: AccessKind) -> Result<()> {
        self.writable()?;
        if record_ids.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        audit::append_many(&tx, Utc::now().timestamp_millis(), &self.device.device_id, kind.action(), record_ids.iter().map(|id| Some(*id)))?;
        tx.commit()?;
        Ok(())
    }

    /// The next entries of this device's audit chain its hub does not hold yet (at most one
    /// request's worth), each as its chain hashed it.
    pub(crate) fn audit_to_send(&self) -> Result<Vec<AuditLink>> {
        let held: i64 = read_meta(&self.conn, HELD)?.and_then(|v| v.parse().ok()).unwrap_or(0);
        let mut stmt =
            self.conn.prepare_cached("SELECT seq, at, COALESCE(device_id, ?1), action, record_id, hash FROM audit WHERE seq > ?2 ORDER BY seq LIMIT ?3")?;
        let rows = stmt
            .query_map(rusqlite::params![self.device.device_id, held, MAX_AUDIT_PER_REQUEST as i64], |r| {
                Ok(AuditLink { seq: r.get(0)?, at: r.get(1)?, device_id: r.get(2)?, action: r.get(3)?, record_id: r.get(4)?, hash: r.get(5)? })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Notes that the hub holds this device's chain up to `held` (never moves back).
    pub(crate) fn set_audit_held(&mut self, held: i64) -> Result<()> {
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
