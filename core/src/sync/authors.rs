//! Who wrote the changes a device receives: the author directory a device keeps (table
//! `peer_device` / `peer_actor`). Entries come from the hub's signed sync answers (the authors
//! of the changes each answer delivers) or from bundles (the sender, and the authors it
//! relays); an entry from a bundle is trusted on first use and pinned: a later bundle naming
//! the same device with another key is refused.

use super::hub::{DeviceRow, Grant};
use crate::device::Role;
use crate::error::{Error, Result};
use crate::wire::{Reader, WireError, Writer, MAX_ID_LEN};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// Longest scope list in an entry.
const MAX_SCOPES_TEXT: usize = 4_096;
/// Most earlier grants one entry may list.
const MAX_GRANTS: usize = 64;
/// Most author entries one message may carry.
pub(crate) const MAX_AUTHORS: usize = 10_000;

/// Where a directory entry came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// The hub's signed answer: authoritative, replaces what a bundle said.
    Hub,
    /// A bundle: pinned on first use, never replaces a hub entry.
    Bundle,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Hub => "hub",
            Source::Bundle => "bundle",
        }
    }
}

/// One actor and the device it belongs to, as a message carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AuthorEntry {
    /// The Automerge actor (hex, base actor).
    pub actor: String,
    /// The device it belongs to.
    pub device_id: String,
    /// The device's Ed25519 public key.
    pub public_key: [u8; 32],
    /// Its role now.
    pub role: String,
    /// Its scopes now.
    pub scopes: Vec<String>,
    /// It is the hub (author of the final registry numbers).
    pub is_hub: bool,
    /// The hub revoked it.
    pub revoked: bool,
    /// Earlier grants: role, scopes, valid until (ms).
    pub grants: Vec<(String, Vec<String>, i64)>,
}

fn split(scopes: &str) -> Vec<String> {
    scopes.split(',').filter(|s| !s.is_empty()).map(String::from).collect()
}

impl AuthorEntry {
    /// The entry of `row` writing with `actor`.
    pub(crate) fn of_row(actor: &str, row: &DeviceRow) -> Option<AuthorEntry> {
        Some(AuthorEntry {
            actor: actor.to_string(),
            device_id: row.device_id.clone(),
            public_key: row.public_key.as_slice().try_into().ok()?,
            role: row.role_name().to_string(),
            scopes: row.scopes.clone(),
            is_hub: row.is_hub,
            revoked: row.revoked,
            grants: row.grants.iter().map(|g| (g.role.map_or("unknown", Role::as_str).to_string(), g.scopes.clone(), g.valid_until)).collect(),
        })
    }

    /// The device row the hub's checks use.
    pub(crate) fn to_row(&self) -> DeviceRow {
        DeviceRow {
            device_id: self.device_id.clone(),
            role: Role::parse(&self.role),
            scopes: self.scopes.clone(),
            public_key: self.public_key.to_vec(),
            revoked: self.revoked,
            is_hub: self.is_hub,
            grants: self.grants.iter().map(|(role, scopes, until)| Grant { role: Role::parse(role), scopes: scopes.clone(), valid_until: *until }).collect(),
        }
    }

    /// Writes a list of entries.
    pub(crate) fn write_all(w: &mut Writer, entries: &[AuthorEntry]) {
        w.u32(entries.len() as u32);
        for e in entries {
            w.str(&e.actor).str(&e.device_id).bytes(&e.public_key).str(&e.role).str(&e.scopes.join(",")).u8(e.is_hub as u8).u8(e.revoked as u8);
            w.u32(e.grants.len() as u32);
            for (role, scopes, until) in &e.grants {
                w.str(role).str(&scopes.join(",")).u64(*until as u64);
            }
        }
    }

    /// Reads a list of entries; malformed input is an error, never a panic.
    pub(crate) fn read_all(r: &mut Reader<'_>) -> Result<Vec<AuthorEntry>, WireError> {
        let count = r.count("author count", MAX_AUTHORS)?;
        let mut out = Vec::with_capacity(count.min(256));
        for _ in 0..count {
            let actor = r.str("author actor", MAX_ID_LEN)?.to_string();
            let device_id = r.str("author device", MAX_ID_LEN)?.to_string();
            let public_key: [u8; 32] =
                r.bytes("author key", 32)?.try_into().map_err(|_| WireError::Invalid { what: "author key", reason: "not 32 bytes".into() })?;
            let role = r.str("author role", MAX_ID_LEN)?.to_string();
            let scopes = split(r.str("author scopes", MAX_SCOPES_TEXT)?);
            let is_hub = r.u8("hub flag")? != 0;
            let revoked = r.u8("revoked flag")? != 0;
            let mut grants = Vec::new();
            for _ in 0..r.count("grant count", MAX_GRANTS)? {
                let role = r.str("grant role", MAX_ID_LEN)?.to_string();
                let scopes = split(r.str("grant scopes", MAX_SCOPES_TEXT)?);
                grants.push((role, scopes, r.u64("grant end")? as i64));
            }
            out.push(AuthorEntry { actor, device_id, public_key, role, scopes, is_hub, revoked, grants });
        }
        Ok(out)
    }
}

/// A short fingerprint of a public key for people to compare: the first 8 bytes of its SHA-256
/// as four groups of hex digits (`1a2b-3c4d-5e6f-7a8b`).
pub fn fingerprint(public_key: &[u8]) -> String {
    let digest = Sha256::digest(public_key);
    digest[..8].chunks(2).map(hex::encode).collect::<Vec<_>>().join("-")
}

/// The public key the directory knows for `device_id`.
pub(crate) fn known_key(conn: &Connection, device_id: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn.prepare_cached("SELECT public_key FROM peer_device WHERE device_id = ?1")?.query_row([device_id], |r| r.get(0)).optional()?)
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

/// The device `actor` belongs to, with its role and grants, as the directory knows it.
pub(crate) fn author_of(conn: &Connection, actor: &str) -> Result<Option<DeviceRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT d.device_id, d.public_key, d.role, d.scopes, d.grants, d.is_hub, d.revoked
             FROM peer_actor a JOIN peer_device d ON d.device_id = a.device_id WHERE a.actor = ?1",
        )?
        .query_row([actor], read_row)
        .optional()?)
}

/// The device `device_id`, as the directory knows it.
pub(crate) fn device_row(conn: &Connection, device_id: &str) -> Result<Option<DeviceRow>> {
    Ok(conn
        .prepare_cached("SELECT device_id, public_key, role, scopes, grants, is_hub, revoked FROM peer_device WHERE device_id = ?1")?
        .query_row([device_id], read_row)
        .optional()?)
}

/// The device the directory says `actor` belongs to.
pub(crate) fn owner_of(conn: &Connection, actor: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT device_id FROM peer_actor WHERE actor = ?1")?.query_row([actor], |r| r.get(0)).optional()?)
}

/// Stores entries from `source`. A hub entry replaces what was known; a bundle entry only adds
/// devices and actors not known yet (the caller has refused contradicting ones).
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

/// A device this one has met: its id, key fingerprint, role and where it was learned.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct KnownPeer {
    /// The device id.
    pub device_id: String,
    /// Short fingerprint of its public key ([`fingerprint`]).
    pub fingerprint: String,
    /// Its role, as last learned.
    pub role: String,
    /// `hub` (from the hub's signed answers) or `bundle` (pinned on first exchange).
    pub source: String,
}

/// Every device in the directory, by id.
pub(crate) fn known_peers(conn: &Connection) -> Result<Vec<KnownPeer>> {
    let mut stmt = conn.prepare("SELECT device_id, public_key, role, source FROM peer_device ORDER BY device_id")?;
    let rows = stmt.query_map([], |r| {
        let key: Vec<u8> = r.get(1)?;
        Ok(KnownPeer { device_id: r.get(0)?, fingerprint: fingerprint(&key), role: r.get(2)?, source: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
