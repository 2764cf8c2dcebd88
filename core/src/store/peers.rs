//! What a device keeps about its peers (tables `peer_device`, `peer_actor`, `peer_doc`, meta
//! `hub_id` / `hub_key`): the author directory, the heads agreed with the hub per document, the
//! hub it is enrolled with and that hub's key. Sync (`sync/`) decides what these mean; this is
//! the one place they are read and written.
//!
//! Directory entries come from the hub's signed sync answers or from bundles; an entry from a
//! bundle is trusted on first use and pinned (see `sync/authors.rs`).

use super::{audit, encode_heads, read_meta, signatures, write_meta, ImportReport, Store};
use crate::device::Role;
use crate::error::{Error, Result};
use crate::sync::authors::{fingerprint, split, AuthorEntry, KnownPeer, Source};
use crate::sync::{DeviceRow, Grant};
use crate::wire::{decode_hash, ChangeSignature, DocPayload};
use automerge::ChangeHash;
use chrono::Utc;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeMap, HashMap};

/// Heads as stored (32-byte hashes, concatenated).
pub(crate) fn decode_heads(bytes: &[u8]) -> Result<Vec<ChangeHash>> {
    bytes.chunks(32).map(decode_hash).collect::<Result<Vec<_>, _>>().map_err(Error::Malformed)
}

/// A directory row as the hub's checks use it.
fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceRow> {
    let (role, scopes, grants): (String, String, String) = (r.get(2)?, r.get(3)?, r.get(4)?);
    let grants: Vec<(String, Vec<String>, i64)> = serde_json::from_str(&grants).unwrap_or_default();
    Ok(DeviceRow {
        device_id: r.get(0)?,
        role: Role::parse(&role),
        scopes: split(&scopes),
        public_key: r.get(1)?,
        revoked: r.get(6)?,
        is_hub: r.get(5)?,
        grants: grants.into_iter().map(|(role, scopes, valid_until)| Grant { role: Role::parse(&role), scopes, valid_until }).collect(),
    })
}

/// Stores directory entries from `source`. A hub entry replaces what was known; a bundle entry
/// only adds devices and actors not known yet (the caller has refused contradicting ones).
pub(crate) fn remember(conn: &Connection, entries: &[AuthorEntry], source: Source, now: i64) -> Result<()> {
    let verb = if source == Source::Hub { "INSERT OR REPLACE" } else { "INSERT OR IGNORE" };
    let mut device = conn.prepare_cached(&format!(
        "{verb} INTO peer_device (device_id, public_key, role, scopes, grants, is_hub, revoked, source, first_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    ))?;
    let mut actor = conn.prepare_cached(&format!("{verb} INTO peer_actor (actor, device_id) VALUES (?1, ?2)"))?;
    for e in entries {
        let grants = serde_json::to_string(&e.grants).map_err(|err| Error::BadInput(err.to_string()))?;
        device.execute(params![e.device_id, e.public_key.as_slice(), e.role, e.scopes.join(","), grants, e.is_hub, e.revoked, source.as_str(), now])?;
        actor.execute(params![e.actor, e.device_id])?;
    }
    Ok(())
}

/// The synced heads recorded for `peer`, by document.
fn synced(conn: &Connection, peer: &str) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut stmt = conn.prepare_cached("SELECT doc_id, synced_heads FROM peer_doc WHERE peer_id = ?1")?;
    let rows = stmt.query_map([peer], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
    Ok(rows)
}

/// Records that `peer` and this device agree on `heads` for `doc_id`.
pub(crate) fn record_synced(conn: &Connection, peer: &str, doc_id: &str, heads: &[ChangeHash]) -> Result<()> {
    conn.execute(
        "INSERT INTO peer_doc (peer_id, doc_id, synced_heads) VALUES (?1, ?2, ?3)
         ON CONFLICT(peer_id, doc_id) DO UPDATE SET synced_heads = excluded.synced_heads",
        params![peer, doc_id, encode_heads(heads)],
    )?;
    Ok(())
}

/// What a sync answer writes beside the changes it merges, in the same transaction.
pub(crate) struct SyncedWrites<'a> {
    /// The hub the agreements are with.
    pub hub_id: &'a str,
    /// Documents and the heads this device and the hub now agree on.
    pub agreed: &'a [(String, Vec<ChangeHash>)],
    /// The role and scopes the hub assigned, when they changed.
    pub reassigned: Option<&'a (Role, Vec<String>)>,
    /// The authors the answer names.
    pub authors: &'a [AuthorEntry],
    /// The signatures of the changes it delivers.
    pub signatures: &'a [ChangeSignature],
    /// When the answer arrived (ms).
    pub now: i64,
}

impl Store {
    /// The public key the directory knows for `device_id`.
    pub(crate) fn directory_key(&self, device_id: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.conn.prepare_cached("SELECT public_key FROM peer_device WHERE device_id = ?1")?.query_row([device_id], |r| r.get(0)).optional()?)
    }

    /// The device `actor` belongs to, with its role and grants, as the directory knows it.
    pub(crate) fn directory_author(&self, actor: &str) -> Result<Option<DeviceRow>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT d.device_id, d.public_key, d.role, d.scopes, d.grants, d.is_hub, d.revoked
             FROM peer_actor a JOIN peer_device d ON d.device_id = a.device_id WHERE a.actor = ?1",
            )?
            .query_row([actor], read_row)
            .optional()?)
    }

    /// The device `device_id`, as the directory knows it.
    pub(crate) fn directory_device(&self, device_id: &str) -> Result<Option<DeviceRow>> {
        Ok(self
            .conn
            .prepare_cached("SELECT device_id, public_key, role, scopes, grants, is_hub, revoked FROM peer_device WHERE device_id = ?1")?
            .query_row([device_id], read_row)
            .optional()?)
    }

    /// The device the directory says `actor` belongs to.
    pub(crate) fn directory_owner(&self, actor: &str) -> Result<Option<String>> {
        Ok(self.conn.prepare_cached("SELECT device_id FROM peer_actor WHERE actor = ?1")?.query_row([actor], |r| r.get(0)).optional()?)
    }

    /// Every device in the directory, by id.
    pub(crate) fn directory_peers(&self) -> Result<Vec<KnownPeer>> {
        let mut stmt = self.conn.prepare("SELECT device_id, public_key, role, source FROM peer_device ORDER BY device_id")?;
        let rows = stmt.query_map([], |r| {
            let key: Vec<u8> = r.get(1)?;
            Ok(KnownPeer { device_id: r.get(0)?, fingerprint: fingerprint(&key), role: r.get(2)?, source: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Whether this device holds documents but knows no author at all: a store that predates the
    /// directory (its first sync asks the hub to name every author of what it holds).
    pub(crate) fn missing_directory(&self) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM doc) AND NOT EXISTS (SELECT 1 FROM peer_actor)", [], |r| r.get(0))?)
    }

    /// The synced heads recorded for `peer`, by document (stored form).
    pub(crate) fn synced_with(&self, peer: &str) -> Result<BTreeMap<String, Vec<u8>>> {
        synced(&self.conn, peer)
    }

    /// The heads of one local document, if this device holds it.
    pub(crate) fn local_heads(&self, doc_id: &str) -> Result<Option<Vec<ChangeHash>>> {
        let heads: Option<Vec<u8>> = self.conn.query_row("SELECT heads FROM doc WHERE doc_id = ?1", [doc_id], |r| r.get(0)).optional()?;
        heads.map(|h| decode_heads(&h)).transpose()
    }

    /// The heads this device last agreed on with `peer` for one document, if any.
    pub(crate) fn synced_heads(&self, peer: &str, doc_id: &str) -> Result<Option<Vec<ChangeHash>>> {
        let heads: Option<Vec<u8>> =
            self.conn.query_row("SELECT synced_heads FROM peer_doc WHERE peer_id = ?1 AND doc_id = ?2", [peer, doc_id], |r| r.get(0)).optional()?;
        heads.map(|h| decode_heads(&h)).transpose()
    }

    /// The current heads of every local document.
    pub(crate) fn doc_heads(&self) -> Result<BTreeMap<String, Vec<u8>>> {
        let mut stmt = self.conn.prepare_cached("SELECT doc_id, heads FROM doc")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
        Ok(rows)
    }

    /// The known signatures of these changes.
    pub(crate) fn signatures_of(&self, hashes: impl IntoIterator<Item = ChangeHash>) -> Result<Vec<ChangeSignature>> {
        signatures::lookup(&self.conn, hashes)
    }

    /// The hub this device is enrolled with, if any.
    pub fn hub_id(&self) -> Result<Option<String>> {
        read_meta(&self.conn, "hub_id")
    }

    /// The public key of the hub this device is enrolled with: learned at enrolment, or (a
    /// store enrolled before hubs signed their answers) pinned from the first signed answer.
    pub(crate) fn hub_key(&self) -> Result<Option<[u8; 32]>> {
        let hex_key = read_meta(&self.conn, "hub_key")?;
        Ok(hex_key.and_then(|k| hex::decode(k).ok()).and_then(|k| <[u8; 32]>::try_from(k.as_slice()).ok()))
    }

    /// Pins the hub's key (see [`hub_key`](Self::hub_key)).
    pub(crate) fn pin_hub_key(&self, key: &[u8; 32]) -> Result<()> {
        write_meta(&self.conn, "hub_key", &hex::encode(key))
    }

    /// Stores an accepted enrolment in one transaction: the hub, the person, role and scopes it
    /// assigned, and its key.
    pub(crate) fn save_enrolment(&self, hub_id: &str, person: &str, role: Role, scopes: &[String], hub_key: &[u8; 32]) -> Result<()> {
        let tx = super::db::WriteTx::begin(&self.conn)?;
        for (key, value) in [
            ("hub_id", hub_id.to_string()),
            ("person", person.to_string()),
            ("role", role.to_string()),
            ("scopes", scopes.join(",")),
            ("hub_key", hex::encode(hub_key)),
        ] {
            write_meta(&tx, key, &value)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Merges the changes of a sync answer and, in the same transaction, what it says besides
    /// (the agreed heads, a new role or scopes, the authors, the change signatures).
    /// `loaded`: documents already loaded from the answer's snapshots ([`merge_documents`](Self::merge_documents)).
    pub(crate) fn merge_synced(
        &mut self,
        incoming: Vec<(String, DocPayload)>,
        loaded: &mut HashMap<String, super::LoadedDoc>,
        writes: &SyncedWrites<'_>,
    ) -> Result<ImportReport> {
        let device_id = self.device.device_id.clone();
        self.merge_documents(incoming, loaded, "sync", |tx| {
            for (doc_id, heads) in writes.agreed {
                record_synced(tx, writes.hub_id, doc_id, heads)?;
            }
            if let Some((role, scopes)) = writes.reassigned {
                write_meta(tx, "role", role.as_str())?;
                write_meta(tx, "scopes", &scopes.join(","))?;
                audit::append(tx, Utc::now().timestamp_millis(), &device_id, "reassigned", None)?;
            }
            remember(tx, writes.authors, Source::Hub, writes.now)?;
            // Kept so these changes can be offered again, verifiably, to a restored hub.
            signatures::store(tx, writes.signatures)
        })
    }
}
