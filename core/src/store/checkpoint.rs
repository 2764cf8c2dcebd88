//! Signed checkpoints of the audit chain. A chain that checks out proves only that nobody
//! edited it in place: a store copied back from an older backup, or a chain rebuilt whole by
//! someone with the folder, checks out too. A checkpoint — the number of entries and the hash
//! of the last one, signed with the store's key — kept by a supervisor away from the hub tells
//! both apart: later, the chain must still hold that entry with that hash.

use super::Store;
use crate::error::{Error, Result};
use crate::security::verify;
use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

const LINE_PREFIX: &str = "suhbat-audit-checkpoint v1";

/// The audit chain's length and head at one moment, signed by the store that holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditCheckpoint {
    /// The store (hub or device) whose chain it is.
    pub store_id: String,
    /// Entries in the chain then.
    pub entries: u64,
    /// Hash of the last entry then (all zeros for an empty chain).
    pub head: [u8; 32],
    /// When it was taken (ms since epoch).
    pub at: i64,
    /// The store's public key.
    pub public_key: [u8; 32],
    /// Signature over the fields above.
    pub signature: [u8; 64],
}

/// What comparing the chain with a checkpoint found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckpointCheck {
    /// The chain still holds the checkpoint's entry, with the same hash.
    Holds {
        /// Entries added since.
        added_since: u64,
    },
    /// The chain is shorter than at the checkpoint: the store was rolled back (e.g. an older
    /// backup put back) or entries were cut off.
    RolledBack {
        /// Entries at the checkpoint.
        checkpoint_entries: u64,
        /// Entries now.
        now_entries: u64,
    },
    /// The chain has the entry, but not the one the checkpoint saw: it was rewritten.
    Rewritten {
        /// The entry that differs.
        entry: u64,
    },
    /// The checkpoint is of another store, or its signature does not verify.
    NotThisStore(String),
}

impl AuditCheckpoint {
    fn message(store_id: &str, entries: u64, head: &[u8; 32], at: i64) -> Vec<u8> {
        format!("{LINE_PREFIX}\n{store_id}\n{entries}\n{}\n{at}", hex::encode(head)).into_bytes()
    }

    /// One line of text, to keep in a file or print.
    pub fn to_line(&self) -> String {
        format!(
            "{LINE_PREFIX} {} {} {} {} {} {}",
            self.store_id,
            self.entries,
            hex::encode(self.head),
            self.at,
            hex::encode(self.public_key),
            hex::encode(self.signature)
        )
    }

    /// Reads a line written by [`AuditCheckpoint::to_line`].
    pub fn parse(line: &str) -> Result<AuditCheckpoint> {
        let bad = |what: &str| Error::BadInput(format!("not an audit checkpoint: {what}"));
        let rest = line.trim().strip_prefix(LINE_PREFIX).ok_or_else(|| bad("it does not start with the checkpoint header"))?;
        let parts: Vec<&str> = rest.split_whitespace().collect();
        let [store_id, entries, head, at, key, signature] = parts[..] else { return Err(bad("it does not have six fields")) };
        let fixed = |text: &str, what: &str| hex::decode(text).map_err(|_| bad(what));
        Ok(AuditCheckpoint {
            store_id: store_id.to_string(),
            entries: entries.parse().map_err(|_| bad("entry count"))?,
            head: fixed(head, "head")?.try_into().map_err(|_| bad("head length"))?,
            at: at.parse().map_err(|_| bad("time"))?,
            public_key: fixed(key, "public key")?.try_into().map_err(|_| bad("key length"))?,
            signature: fixed(signature, "signature")?.try_into().map_err(|_| bad("signature length"))?,
        })
    }

    /// When it was taken.
    pub fn taken_at(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.at)
    }
}

impl Store {
    /// Takes a signed checkpoint of the audit chain as it is now.
    pub fn audit_checkpoint(&self) -> Result<AuditCheckpoint> {
        let last: Option<(i64, Vec<u8>)> =
            self.conn.query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        let (entries, head) = match last {
            Some((seq, hash)) => (u64::try_from(seq).unwrap_or(0), hash.try_into().map_err(|_| Error::Corrupt("an audit hash is not 32 bytes".into()))?),
            None => (0, [0u8; 32]),
        };
        let store_id = self.device().device_id.clone();
        let at = Utc::now().timestamp_millis();
        let signature = self.sign(&AuditCheckpoint::message(&store_id, entries, &head, at));
        Ok(AuditCheckpoint { store_id, entries, head, at, public_key: self.public_key(), signature })
    }

    /// Compares the audit chain with a checkpoint taken earlier (also verify the chain itself
    /// with [`Store::verify_audit`]).
    pub fn check_audit_checkpoint(&self, checkpoint: &AuditCheckpoint) -> Result<CheckpointCheck> {
        let message = AuditCheckpoint::message(&checkpoint.store_id, checkpoint.entries, &checkpoint.head, checkpoint.at);
        if checkpoint.store_id != self.device().device_id || checkpoint.public_key != self.public_key() {
            return Ok(CheckpointCheck::NotThisStore(format!("the checkpoint is of store {}, this is {}", checkpoint.store_id, self.device().device_id)));
        }
        if !verify(&checkpoint.public_key, &message, &checkpoint.signature) {
            return Ok(CheckpointCheck::NotThisStore("the checkpoint's signature does not verify".into()));
        }
        let now_entries: i64 = self.conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM audit", [], |r| r.get(0))?;
        let now_entries = u64::try_from(now_entries).unwrap_or(0);
        if now_entries < checkpoint.entries {
            return Ok(CheckpointCheck::RolledBack { checkpoint_entries: checkpoint.entries, now_entries });
        }
        if checkpoint.entries > 0 {
            let seq = i64::try_from(checkpoint.entries).map_err(|_| Error::BadInput("entry count out of range".into()))?;
            let hash: Option<Vec<u8>> = self.conn.query_row("SELECT hash FROM audit WHERE seq = ?1", [seq], |r| r.get(0)).optional()?;
            if hash.as_deref() != Some(&checkpoint.head[..]) {
                return Ok(CheckpointCheck::Rewritten { entry: checkpoint.entries });
            }
        }
        Ok(CheckpointCheck::Holds { added_since: now_entries - checkpoint.entries })
    }
}
