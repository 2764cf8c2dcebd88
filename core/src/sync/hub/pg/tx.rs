//! One hub transaction on a pooled PostgreSQL connection (`BEGIN` … `COMMIT`, rolled back when
//! dropped uncommitted).

use super::seal::Sealer;
use super::{pg, AUDIT_LOCK};
use crate::device::Role;
use crate::error::{Error, Result};
use crate::store::{audit, encode_heads};
use crate::sync::hub::grants::{split_scopes, Grant};
use crate::sync::hub::pool::Pooled;
use crate::sync::hub::storage::{DocWrite, EnrolmentCode, HubTx, NewDevice};
use crate::sync::hub::{DeviceRow, EnrolledDevice, HubAlert};
use crate::wire::{AuditLink, ChangeSignature};
use automerge::ChangeHash;
use postgres::types::ToSql;
use postgres::{Client, Row};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Snapshot a document into one chunk once it has this many chunks (as the SQLite store does).
const COMPACT_AFTER_CHUNKS: i32 = 64;

pub(super) struct PgTx<'a> {
    conn: Option<Pooled<'a, Client>>,
    sealer: Arc<Sealer>,
}

pub(super) fn person_aad(table: &str, key: &[u8]) -> Vec<u8> {
    let mut aad = format!("{table}.person:").into_bytes();
    aad.extend_from_slice(key);
    aad
}

pub(super) fn chunk_aad(doc_id: &str, seq: i32) -> Vec<u8> {
    format!("hub_doc_chunk:{doc_id}:{seq}").into_bytes()
}

/// What a sealed chunk of a file is bound to: its file and position (a chunk moved elsewhere
/// does not open).
pub(super) fn file_aad(hash: &[u8; 32], index: u32) -> Vec<u8> {
    [b"hub_file_chunk".as_slice(), hash.as_slice(), &index.to_le_bytes()].concat()
}

pub(super) fn sig_aad(hash: &ChangeHash) -> Vec<u8> {
    let mut aad = b"hub_change_sig:".to_vec();
    aad.extend_from_slice(&hash.0);
    aad
}

fn device_row(r: &Row) -> DeviceRow {
    let role: String = r.get(1);
    let scopes: String = r.get(2);
    DeviceRow {
        device_id: r.get(0),
        role: Role::parse(&role),
        scopes: split_scopes(&scopes),
        public_key: r.get(3),
        revoked: r.get(4),
        is_hub: false,
        grants: vec![],
    }
}

impl<'a> PgTx<'a> {
    pub(super) fn new(conn: Pooled<'a, Client>, sealer: Arc<Sealer>) -> Self {
        PgTx { conn: Some(conn), sealer }
    }

    fn client(&mut self) -> Result<&mut Client> {
        self.conn.as_deref_mut().ok_or_else(|| Error::Io(std::io::Error::other("the transaction is over")))
    }

    fn exec(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        self.client()?.execute(sql, params).map_err(pg)
    }

    fn rows(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        self.client()?.query(sql, params).map_err(pg)
    }

    fn row(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<Row>> {
        self.client()?.query_opt(sql, params).map_err(pg)
    }

    fn with_grants(&mut self, mut row: DeviceRow) -> Result<DeviceRow> {
        let rows = self.rows("SELECT role, scopes, valid_until FROM hub_device_grant WHERE device_id = $1", &[&row.device_id])?;
        row.grants = rows
            .iter()
            .map(|r| {
                let role: String = r.get(0);
                let scopes: String = r.get(1);
                Grant { role: Role::parse(&role), scopes: split_scopes(&scopes), valid_until: r.get(2) }
            })
            .collect();
        Ok(row)
    }
}

impl Drop for PgTx<'_> {
    fn drop(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            if conn.batch_execute("ROLLBACK").is_err() || conn.is_closed() {
                conn.discard();
            }
        }
    }
}

impl HubTx for PgTx<'_> {
    fn device(&mut self, device_id: &str) -> Result<Option<DeviceRow>> {
        let row = self.row("SELECT device_id, role, scopes, public_key, revoked_at IS NOT NULL FROM hub_device WHERE device_id = $1", &[&device_id])?;
        row.map(|r| self.with_grants(device_row(&r))).transpose()
    }

    fn device_by_actor(&mut self, actor: &str) -> Result<Option<DeviceRow>> {
        let row = self.row(
            "SELECT d.device_id, d.role, d.scopes, d.public_key, d.revoked_at IS NOT NULL
             FROM hub_actor a JOIN hub_device d ON d.device_id = a.device_id WHERE a.actor = $1",
            &[&actor],
        )?;
        row.map(|r| self.with_grants(device_row(&r))).transpose()
    }

    fn actor_owner(&mut self, actor: &str) -> Result<Option<String>> {
        Ok(self.row("SELECT device_id FROM hub_actor WHERE actor = $1", &[&actor])?.map(|r| r.get(0)))
    }

    fn add_actor(&mut self, actor: &str, device_id: &str) -> Result<()> {
        self.exec("INSERT INTO hub_actor (actor, device_id) VALUES ($1, $2)", &[&actor, &device_id]).map(|_| ())
    }

    fn devices(&mut self) -> Result<Vec<EnrolledDevice>> {
        let rows =
            self.rows("SELECT device_id, person, role, scopes, revoked_at IS NOT NULL, last_sync FROM hub_device ORDER BY enrolled_at, device_id", &[])?;
        rows.iter()
            .map(|r| {
                let device_id: String = r.get(0);
                let sealed: Vec<u8> = r.get(1);
                let scopes: String = r.get(3);
                Ok(EnrolledDevice {
                    person: self.sealer.open_text(&person_aad("hub_device", device_id.as_bytes()), &sealed)?,
                    device_id,
                    role: r.get(2),
                    scopes: split_scopes(&scopes),
                    revoked: r.get(4),
                    last_sync: r.get(5),
                })
            })
            .collect()
    }

    fn add_device(&mut self, d: &NewDevice<'_>) -> Result<()> {
        let person = self.sealer.seal(&person_aad("hub_device", d.device_id.as_bytes()), d.person.as_bytes())?;
        self.exec(
            "INSERT INTO hub_device (device_id, person, role, scopes, public_key, enrolled_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&d.device_id, &person, &d.role, &d.scopes, &d.public_key, &d.enrolled_at],
        )
        .map(|_| ())
    }

    fn revoke(&mut self, device_id: &str, at: i64) -> Result<bool> {
        Ok(self.exec("UPDATE hub_device SET revoked_at = $2 WHERE device_id = $1 AND revoked_at IS NULL", &[&device_id, &at])? > 0)
    }

    fn assignment(&mut self, device_id: &str) -> Result<Option<(String, String)>> {
        Ok(self.row("SELECT role, scopes FROM hub_device WHERE device_id = $1 AND revoked_at IS NULL FOR UPDATE", &[&device_id])?.map(|r| (r.get(0), r.get(1))))
    }

    fn reassign(&mut self, device_id: &str, old: (&str, &str), until: i64, new: (&str, &str)) -> Result<()> {
        self.exec("INSERT INTO hub_device_grant (device_id, role, scopes, valid_until) VALUES ($1, $2, $3, $4)", &[&device_id, &old.0, &old.1, &until])?;
        self.exec("UPDATE hub_device SET role = $2, scopes = $3 WHERE device_id = $1", &[&device_id, &new.0, &new.1]).map(|_| ())
    }

    fn add_enrolment_code(&mut self, code_hash: &[u8], c: &EnrolmentCode) -> Result<()> {
        let person = self.sealer.seal(&person_aad("hub_enrolment", code_hash), c.person.as_bytes())?;
        self.exec(
            "INSERT INTO hub_enrolment (code_hash, person, role, scopes, expires_at) VALUES ($1, $2, $3, $4, $5)",
            &[&code_hash, &person, &c.role, &c.scopes, &c.expires_at],
        )
        .map(|_| ())
    }

    fn enrolment_code(&mut self, code_hash: &[u8]) -> Result<Option<EnrolmentCode>> {
        let Some(r) = self.row("SELECT person, role, scopes, expires_at, used_by FROM hub_enrolment WHERE code_hash = $1 FOR UPDATE", &[&code_hash])? else {
            return Ok(None);
        };
        let sealed: Vec<u8> = r.get(0);
        let person = self.sealer.open_text(&person_aad("hub_enrolment", code_hash), &sealed)?;
        Ok(Some(EnrolmentCode { person, role: r.get(1), scopes: r.get(2), expires_at: r.get(3), used_by: r.get(4) }))
    }

    fn use_enrolment_code(&mut self, code_hash: &[u8], device_id: &str) -> Result<()> {
        self.exec("UPDATE hub_enrolment SET used_by = $2 WHERE code_hash = $1", &[&code_hash, &device_id]).map(|_| ())
    }

    fn add_enrol_attempt(&mut self, at: i64, device_id: &str, outcome: &str, forget_before: i64) -> Result<()> {
        self.exec("DELETE FROM hub_enrol_attempt WHERE at < $1", &[&forget_before])?;
        self.exec("INSERT INTO hub_enrol_attempt (at, device_id, outcome) VALUES ($1, $2, $3)", &[&at, &device_id, &outcome]).map(|_| ())
    }

    fn enrol_attempts_since(&mut self, since: i64) -> Result<Vec<i64>> {
        Ok(self.rows("SELECT at FROM hub_enrol_attempt WHERE at > $1 ORDER BY at", &[&since])?.iter().map(|r| r.get(0)).collect())
    }

    fn add_alert(&mut self, a: &HubAlert) -> Result<()> {
        self.exec("INSERT INTO hub_alert (at, device_id, kind, detail) VALUES ($1, $2, $3, $4)", &[&a.at, &a.device_id, &a.kind, &a.detail]).map(|_| ())
    }

    fn alerts(&mut self) -> Result<Vec<HubAlert>> {
        let rows = self.rows("SELECT at, device_id, kind, detail FROM hub_alert ORDER BY seq DESC", &[])?;
        Ok(rows.iter().map(|r| HubAlert { at: r.get(0), device_id: r.get(1), kind: r.get(2), detail: r.get(3) }).collect())
    }

    fn audit(&mut self, at: i64, device_id: &str, action: &str, record_id: Option<&str>) -> Result<()> {
        // One chain for every node: appends take turns until their transactions end.
        self.exec("SELECT pg_advisory_xact_lock($1)", &[&AUDIT_LOCK])?;
        let last = self.row("SELECT seq, hash FROM hub_audit ORDER BY seq DESC LIMIT 1", &[])?;
        let (seq, prev): (i64, Vec<u8>) = match last {
            Some(r) => (r.get::<_, i64>(0) + 1, r.get(1)),
            None => (1, vec![0u8; 32]),
        };
        let hash = audit::entry_hash(&prev, seq, at, device_id, action, record_id);
        self.exec(
            "INSERT INTO hub_audit (seq, at, device_id, action, record_id, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[&seq, &at, &device_id, &action, &record_id, &prev, &hash],
        )
        .map(|_| ())
    }

    fn device_audit_hashes(&mut self, device_id: &str, seq: i64) -> Result<Vec<Vec<u8>>> {
        Ok(self.rows("SELECT hash FROM hub_device_audit WHERE device_id = $1 AND seq = $2", &[&device_id, &seq])?.iter().map(|r| r.get(0)).collect())
    }

    fn keep_device_audit(&mut self, device_id: &str, l: &AuditLink, linked: bool) -> Result<()> {
        self.exec(
            "INSERT INTO hub_device_audit (device_id, seq, hash, at, by_device, action, record_id, linked)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            &[&device_id, &l.seq, &l.hash, &l.at, &l.device_id, &l.action, &l.record_id, &linked],
        )
        .map(|_| ())
    }

    fn record_accesses(&mut self, record_id: &str) -> Result<Vec<(String, AuditLink, bool)>> {
        let rows = self.rows(
            "SELECT device_id, seq, hash, at, by_device, action, record_id, linked FROM hub_device_audit WHERE record_id = $1 ORDER BY at, device_id, seq",
            &[&record_id],
        )?;
        Ok(rows
            .iter()
            .map(|r| {
                (r.get(0), AuditLink { seq: r.get(1), hash: r.get(2), at: r.get(3), device_id: r.get(4), action: r.get(5), record_id: r.get(6) }, r.get(7))
            })
            .collect())
    }

    fn file(&mut self, hash: &[u8; 32]) -> Result<Option<(u64, bool)>> {
        Ok(self.row("SELECT received, complete FROM hub_file WHERE hash = $1", &[&hash.as_slice()])?.map(|r| (r.get::<_, i64>(0) as u64, r.get(1))))
    }

    fn add_file_chunk(&mut self, hash: &[u8; 32], media_type: &str, size: u64, index: u32, bytes: &[u8]) -> Result<()> {
        self.exec(
            "INSERT INTO hub_file (hash, media_type, size, received, complete) VALUES ($1, $2, $3, 0, FALSE) ON CONFLICT DO NOTHING",
            &[&hash.as_slice(), &media_type, &(size as i64)],
        )?;
        // Photos of documents and audio are as sensitive as names: sealed like them.
        let sealed = self.sealer.seal(&file_aad(hash, index), bytes)?;
        self.exec("INSERT INTO hub_file_chunk (hash, idx, sealed) VALUES ($1, $2, $3)", &[&hash.as_slice(), &i64::from(index), &sealed])?;
        self.exec("UPDATE hub_file SET received = received + $2 WHERE hash = $1", &[&hash.as_slice(), &(bytes.len() as i64)]).map(|_| ())
    }

    fn file_chunk(&mut self, hash: &[u8; 32], index: u32) -> Result<Option<Vec<u8>>> {
        let Some(row) = self.row("SELECT sealed FROM hub_file_chunk WHERE hash = $1 AND idx = $2", &[&hash.as_slice(), &i64::from(index)])? else {
            return Ok(None);
        };
        self.sealer.open(&file_aad(hash, index), &row.get::<_, Vec<u8>>(0)).map(Some)
    }

    fn finish_file(&mut self, hash: &[u8; 32], keep: bool) -> Result<()> {
        if keep {
            self.exec("DELETE FROM hub_file_wanted WHERE hash = $1", &[&hash.as_slice()])?;
            self.exec("UPDATE hub_file SET complete = TRUE WHERE hash = $1", &[&hash.as_slice()]).map(|_| ())
        } else {
            self.exec("DELETE FROM hub_file_chunk WHERE hash = $1", &[&hash.as_slice()])?;
            self.exec("DELETE FROM hub_file WHERE hash = $1", &[&hash.as_slice()]).map(|_| ())
        }
    }

    fn want_file(&mut self, hash: &[u8; 32]) -> Result<()> {
        self.exec("INSERT INTO hub_file_wanted (hash) VALUES ($1) ON CONFLICT DO NOTHING", &[&hash.as_slice()]).map(|_| ())
    }

    fn wanted_files(&mut self, limit: usize) -> Result<Vec<[u8; 32]>> {
        let rows = self.rows("SELECT hash FROM hub_file_wanted LIMIT $1", &[&(limit as i64)])?;
        Ok(rows.iter().filter_map(|r| r.get::<_, Vec<u8>>(0).try_into().ok()).collect())
    }

    fn record_changes(&mut self, record_id: &str) -> Result<Vec<(i64, String)>> {
        Ok(self.rows("SELECT at, action FROM hub_audit WHERE record_id = $1 ORDER BY seq", &[&record_id])?.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn audit_by(&mut self, device_id: &str) -> Result<Vec<(i64, String, Option<String>)>> {
        let rows = self.rows("SELECT at, action, record_id FROM hub_audit WHERE device_id = $1 ORDER BY seq", &[&device_id])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }

    fn nonce_seen(&mut self, device_id: &str, nonce: &[u8; 16]) -> Result<bool> {
        Ok(self.row("SELECT 1 FROM hub_nonce WHERE device_id = $1 AND nonce = $2", &[&device_id, &nonce.as_slice()])?.is_some())
    }

    fn claim_nonce(&mut self, device_id: &str, nonce: &[u8; 16], now: i64, forget_before: i64) -> Result<bool> {
        self.exec("DELETE FROM hub_nonce WHERE device_id = $1 AND seen_at < $2", &[&device_id, &forget_before])?;
        let added =
            self.exec("INSERT INTO hub_nonce (device_id, nonce, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", &[&device_id, &nonce.as_slice(), &now])?;
        Ok(added == 1)
    }

    fn recorded(&mut self, device_id: &str) -> Result<BTreeMap<String, Vec<u8>>> {
        Ok(self.rows("SELECT doc_id, heads FROM hub_peer_doc WHERE device_id = $1", &[&device_id])?.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn record_heads(&mut self, device_id: &str, doc_id: &str, heads: &[u8]) -> Result<()> {
        self.exec(
            "INSERT INTO hub_peer_doc (device_id, doc_id, heads) VALUES ($1, $2, $3)
             ON CONFLICT (device_id, doc_id) DO UPDATE SET heads = excluded.heads",
            &[&device_id, &doc_id, &heads],
        )
        .map(|_| ())
    }

    fn forget_heads(&mut self, device_id: &str, doc_id: &str) -> Result<()> {
        self.exec("DELETE FROM hub_peer_doc WHERE device_id = $1 AND doc_id = $2", &[&device_id, &doc_id]).map(|_| ())
    }

    fn set_last_sync(&mut self, device_id: &str, at: i64) -> Result<()> {
        self.exec("UPDATE hub_device SET last_sync = $2 WHERE device_id = $1", &[&device_id, &at]).map(|_| ())
    }

    fn store_signatures(&mut self, signatures: &[ChangeSignature]) -> Result<()> {
        for s in signatures {
            let sealed = self.sealer.seal(&sig_aad(&s.hash), &s.signature)?;
            self.exec(
                "INSERT INTO hub_change_sig (hash, device_id, signature) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[&s.hash.0.as_slice(), &s.device_id, &sealed],
            )?;
        }
        Ok(())
    }

    fn signatures(&mut self, hashes: &[ChangeHash]) -> Result<Vec<ChangeSignature>> {
        let keys: Vec<Vec<u8>> = hashes.iter().map(|h| h.0.to_vec()).collect();
        let rows = self.rows("SELECT hash, device_id, signature FROM hub_change_sig WHERE hash = ANY($1)", &[&keys])?;
        let mut found: BTreeMap<Vec<u8>, (String, Vec<u8>)> = rows.iter().map(|r| (r.get(0), (r.get(1), r.get(2)))).collect();
        let mut out = Vec::new();
        for hash in hashes {
            let Some((device_id, sealed)) = found.remove(hash.0.as_slice()) else { continue };
            let plain = self.sealer.open(&sig_aad(hash), &sealed)?;
            if let Ok(signature) = <[u8; 64]>::try_from(plain.as_slice()) {
                out.push(ChangeSignature { hash: *hash, device_id, signature });
            }
        }
        Ok(out)
    }

    fn registry_last(&mut self, book: &str, year: i32) -> Result<u32> {
        self.exec("INSERT INTO hub_registry (book, year, last_number) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING", &[&book, &year])?;
        let last: i64 =
            self.row("SELECT last_number FROM hub_registry WHERE book = $1 AND year = $2 FOR UPDATE", &[&book, &year])?.map(|r| r.get(0)).unwrap_or_default();
        u32::try_from(last).map_err(|_| Error::Corrupt(format!("registry counter {book}/{year} is out of range")))
    }

    fn set_registry_last(&mut self, book: &str, year: i32, number: u32) -> Result<()> {
        self.exec(
            "INSERT INTO hub_registry (book, year, last_number) VALUES ($1, $2, $3)
             ON CONFLICT (book, year) DO UPDATE SET last_number = excluded.last_number",
            &[&book, &year, &i64::from(number)],
        )
        .map(|_| ())
    }

    fn doc_heads(&mut self, doc_id: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.row("SELECT heads FROM hub_doc WHERE doc_id = $1", &[&doc_id])?.map(|r| r.get(0)))
    }

    fn doc_bytes(&mut self, doc_id: &str) -> Result<Option<Vec<u8>>> {
        if self.doc_heads(doc_id)?.is_none() {
            return Ok(None);
        }
        let mut bytes = Vec::new();
        for r in self.rows("SELECT seq, bytes FROM hub_doc_chunk WHERE doc_id = $1 ORDER BY seq", &[&doc_id])? {
            let sealed: Vec<u8> = r.get(1);
            bytes.extend(self.sealer.open(&chunk_aad(doc_id, r.get(0)), &sealed)?);
        }
        Ok(Some(bytes))
    }

    fn put_doc(&mut self, w: &DocWrite<'_>) -> Result<()> {
        let doc_id = w.bucket.id.to_string();
        let heads = encode_heads(&w.bucket.heads());
        let chunks: i32 = self.row("SELECT chunk_count FROM hub_doc WHERE doc_id = $1", &[&doc_id])?.map(|r| r.get(0)).unwrap_or(0);
        self.exec("INSERT INTO hub_doc (doc_id, heads) VALUES ($1, $2) ON CONFLICT (doc_id) DO UPDATE SET heads = excluded.heads", &[&doc_id, &heads])?;
        if chunks + 1 >= COMPACT_AFTER_CHUNKS {
            let snapshot = self.sealer.seal(&chunk_aad(&doc_id, 0), &w.bucket.doc.save())?;
            self.exec("DELETE FROM hub_doc_chunk WHERE doc_id = $1", &[&doc_id])?;
            self.exec("INSERT INTO hub_doc_chunk (doc_id, seq, bytes) VALUES ($1, 0, $2)", &[&doc_id, &snapshot])?;
            self.exec("UPDATE hub_doc SET chunk_count = 1, bytes = $2 WHERE doc_id = $1", &[&doc_id, &(snapshot.len() as i64)])?;
        } else {
            let delta = self.sealer.seal(&chunk_aad(&doc_id, chunks), &w.bucket.doc.save_after(w.before))?;
            self.exec("INSERT INTO hub_doc_chunk (doc_id, seq, bytes) VALUES ($1, $2, $3)", &[&doc_id, &chunks, &delta])?;
            self.exec("UPDATE hub_doc SET chunk_count = chunk_count + 1, bytes = bytes + $2 WHERE doc_id = $1", &[&doc_id, &(delta.len() as i64)])?;
        }
        let now = chrono::Utc::now().timestamp_millis();
        for record_id in w.records {
            self.audit(now, w.device_id, w.action, Some(record_id))?;
        }
        Ok(())
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        let mut conn = self.conn.take().ok_or_else(|| Error::Io(std::io::Error::other("the transaction is over")))?;
        match conn.batch_execute("COMMIT") {
            Ok(()) => Ok(()),
            Err(e) => {
                if conn.is_closed() {
                    conn.discard();
                }
                Err(pg(e))
            }
        }
    }
}
