//! Who wrote the changes a device receives: the author directory a device keeps (tables
//! `peer_device` / `peer_actor`, read and written by the store's `peers` part). Entries come from the hub's signed sync answers (the authors
//! of the changes each answer delivers) or from bundles (the sender, and the authors it
//! relays); an entry from a bundle is trusted on first use and pinned: a later bundle naming
//! the same device with another key is refused.

use super::hub::{DeviceRow, Grant};
use crate::device::Role;
use crate::error::Result;
use crate::wire::{Reader, WireError, Writer, MAX_ID_LEN};
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
    pub(crate) fn as_str(self) -> &'static str {
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

pub(crate) fn split(scopes: &str) -> Vec<String> {
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
