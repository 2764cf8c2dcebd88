//! Work the hub refused, kept aside for the user, and the rebuild that keeps everything else.
//!
//! When the hub refuses changes of a document, [`Store::rebuild_doc`] starts that document again
//! from the hub's copy and replays this device's own allowed work on it (see `doc::replay`);
//! what was refused for its own sake is stored in the `kept_aside` table with the reason, shown
//! by [`Store::kept_aside`] until the user re-enters or discards it. Nothing refused is deleted
//! without the user having seen it (design §10).

use super::signatures;
use super::{audit, Store};
use crate::doc::replay::{self, KeptRecord};
use crate::doc::{base_actor, Bucket, BucketId, Version};
use crate::error::{Error, Result};
use crate::wire::ChangeSignature;
use crate::wire::DocPayload;
use automerge::{ActorId, Automerge, ChangeHash, ReadDoc};
use chrono::Utc;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// One record of this device's user's work that the hub refused, kept aside with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeptAside {
    /// Its number in the list (for [`Store::discard_kept_aside`]).
    pub seq: i64,
    /// When it was kept aside (ms since epoch).
    pub at: i64,
    /// The bucket document.
    pub doc_id: String,
    /// The record.
    pub record_id: String,
    /// Its kind (`person`, `conversation`, …), empty when unknown.
    pub kind: String,
    /// The fields the refused change wrote (slash paths; empty: the whole record).
    pub fields: Vec<String>,
    /// The record as it looked right after the user's change.
    pub value: serde_json::Value,
    /// Why the hub refused it.
    pub reason: String,
}

/// What rebuilding a document did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Rebuild {
    /// Changes of this device made again on the hub's copy.
    pub replayed: usize,
    /// What was kept aside.
    pub kept_aside: Vec<KeptAside>,
}

impl Store {
    /// Everything kept aside on this device, oldest first.
    pub fn kept_aside(&self) -> Result<Vec<KeptAside>> {
        let mut stmt = self.conn.prepare("SELECT seq, at, doc_id, record_id, kind, fields, value, reason FROM kept_aside ORDER BY seq")?;
        let rows = stmt
            .query_map([], |r| {
                let fields: String = r.get(5)?;
                let value: String = r.get(6)?;
                Ok(KeptAside {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    doc_id: r.get(2)?,
                    record_id: r.get(3)?,
                    kind: r.get(4)?,
                    fields: fields.split(',').filter(|f| !f.is_empty()).map(String::from).collect(),
                    value: serde_json::from_str(&value).unwrap_or(serde_json::Value::Null),
                    reason: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Discards one entry of the kept-aside list (the user has seen it; audited). Returns
    /// whether it existed.
    pub fn discard_kept_aside(&mut self, seq: i64) -> Result<bool> {
        self.writable()?;
        let tx = super::db::WriteTx::begin(&self.conn)?;
        let record: Option<String> =
            rusqlite::OptionalExtension::optional(tx.query_row("SELECT record_id FROM kept_aside WHERE seq = ?1", [seq], |r| r.get(0)))?;
        let Some(record) = record else { return Ok(false) };
        tx.execute("DELETE FROM kept_aside WHERE seq = ?1", [seq])?;
        audit::append(&tx, Utc::now().timestamp_millis(), &self.device.device_id, "discard-kept-aside", Some(&record))?;
        tx.commit()?;
        Ok(true)
    }

    /// Every actor id this install has written with (the current one included).
    pub(crate) fn own_actors(&self) -> Result<HashSet<ActorId>> {
        let mut actors: HashSet<ActorId> = HashSet::from([self.actor.clone()]);
        if let Some(past) = super::read_meta(&self.conn, "past_actors")? {
            actors.extend(past.split(',').filter_map(|hex| hex::decode(hex).ok()).map(ActorId::from));
        }
        Ok(actors)
    }

    /// `version` with every head that a rebuild replayed replaced by the change that made it
    /// again, so a form read before the rebuild saves as an edit of what its user saw.
    pub(crate) fn after_replays(&self, version: &Version) -> Result<Version> {
        let mut stmt = self.conn.prepare_cached("SELECT new FROM replayed_change WHERE old = ?1")?;
        let mut heads = Vec::with_capacity(version.heads().len());
        for head in version.heads() {
            let mut current = *head;
            // A replayed change may itself be replayed later: follow the chain (bounded).
            for _ in 0..16 {
                let next: Option<Vec<u8>> = rusqlite::OptionalExtension::optional(stmt.query_row([current.0.as_slice()], |r| r.get(0)))?;
                match next.and_then(|bytes| ChangeHash::try_from(bytes.as_slice()).ok()) {
                    Some(next) => current = next,
                    None => break,
                }
            }
            heads.push(current);
        }
        Ok(Version::new(heads))
    }

    /// Whether `payload` (from the hub) holds a change of this install's actors that clashes
    /// with a different local change of the same actor and number: this install was cloned or
    /// restored from a backup, and the other copy synced first. Such a payload is not merged;
    /// the hub then asks for this device's changes, finds the clash and has them replayed.
    pub(crate) fn clashes_with_own(&mut self, doc_id: &str, payload: &DocPayload) -> Result<bool> {
        if self.local_heads(doc_id)?.is_none() {
            return Ok(false);
        }
        let own = self.own_actors()?;
        let local = &self.bucket(doc_id)?.doc;
        let loaded;
        let incoming: Vec<(ActorId, u64, ChangeHash)> = match payload {
            DocPayload::Changes(changes) => changes.iter().map(|c| (c.actor_id().clone(), c.seq(), c.hash())).collect(),
            DocPayload::Snapshot(bytes) => {
                loaded = Automerge::load(bytes).map_err(|e| Error::document(doc_id, e))?;
                loaded.get_changes_meta(&[]).into_iter().map(|m| (m.actor.into_owned(), m.seq, m.hash)).collect()
            }
        };
        let foreign: Vec<&(ActorId, u64, ChangeHash)> =
            incoming.iter().filter(|(actor, _, hash)| own.contains(&base_actor(actor)) && local.get_change_meta_by_hash(hash).is_none()).collect();
        if foreign.is_empty() {
            return Ok(false);
        }
        let numbered: HashMap<(ActorId, u64), ChangeHash> =
            local.get_changes_meta(&[]).into_iter().filter(|m| own.contains(&base_actor(&m.actor))).map(|m| ((m.actor.into_owned(), m.seq), m.hash)).collect();
        Ok(foreign.iter().any(|(actor, seq, hash)| numbered.get(&(actor.clone(), *seq)).is_some_and(|h| h != hash)))
    }

    /// Takes a fresh Automerge actor id for every edit from now on (after the hub found a
    /// clone, or before replaying refused work); the old one is remembered as this install's.
    pub(crate) fn take_fresh_actor(&mut self) -> Result<()> {
        let fresh = ActorId::random();
        let mut past: Vec<String> = super::read_meta(&self.conn, "past_actors")?.map(|p| p.split(',').map(String::from).collect()).unwrap_or_default();
        past.push(self.device.actor.clone());
        let tx = super::db::WriteTx::begin(&self.conn)?;
        tx.execute("UPDATE meta SET value = ?1 WHERE key = 'actor'", [fresh.to_hex_string()])?;
        tx.execute("INSERT INTO meta (key, value) VALUES ('past_actors', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [past.join(",")])?;
        audit::append(&tx, Utc::now().timestamp_millis(), &self.device.device_id, "fresh-actor", None)?;
        tx.commit()?;
        self.device.actor = fresh.to_hex_string();
        self.actor = fresh;
        self.buckets.clear();
        Ok(())
    }

    /// Keeps aside this install's changes of `doc_id` among `refused` (hash → reason), before
    /// the document leaves this device (the hub refused writes outside the device's scope).
    pub(crate) fn keep_aside_refused(&mut self, doc_id: &str, refused: &HashMap<ChangeHash, String>) -> Result<Vec<KeptAside>> {
        if refused.is_empty() || self.local_heads(doc_id)?.is_none() {
            return Ok(vec![]);
        }
        let own = self.own_actors()?;
        let records = replay::keep_aside_refused(&self.bucket(doc_id)?.doc, &own, refused);
        let bucket = BucketId::parse(doc_id).filter(BucketId::is_notes).map(|b| b.records().to_string());
        let now = Utc::now().timestamp_millis();
        let tx = super::db::WriteTx::begin(&self.conn)?;
        let mut kept = Vec::new();
        for mut record in records {
            // Notes refused with their record are shown with it: one entry for one piece of work.
            if let Some(bucket) = &bucket {
                if let Some(entry) = add_notes_to_kept(&tx, bucket, &record)? {
                    kept.push(entry);
                    continue;
                }
                if let Some((_, kind)) = super::index::locate(&tx, &record.record_id)? {
                    record.kind = kind.as_str().to_string();
                }
            }
            kept.push(insert_kept(&tx, now, doc_id, &record)?);
        }
        tx.commit()?;
        Ok(kept)
    }

    /// Keeps aside received changes that failed the device's checks: one row per change
    /// (document, record, reason, change hex), skipping changes kept aside already. Returns the
    /// rows added.
    pub(crate) fn keep_aside_received(&mut self, rows: &[(String, String, String, String)]) -> Result<Vec<KeptAside>> {
        let now = Utc::now().timestamp_millis();
        let tx = super::db::WriteTx::begin(&self.conn)?;
        let mut kept = Vec::new();
        for (doc_id, record_id, reason, change) in rows {
            let known: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM kept_aside WHERE change = ?1 AND doc_id = ?2)", params![change, doc_id], |r| r.get(0))?;
            if known {
                continue;
            }
            tx.execute(
                "INSERT INTO kept_aside (at, doc_id, record_id, kind, fields, value, reason, change) VALUES (?1, ?2, ?3, '', '', 'null', ?4, ?5)",
                params![now, doc_id, record_id, reason, change],
            )?;
            let seq = tx.last_insert_rowid();
            let value = serde_json::Value::Null;
            kept.push(KeptAside {
                seq,
                at: now,
                doc_id: doc_id.clone(),
                record_id: record_id.clone(),
                kind: String::new(),
                fields: vec![],
                value,
                reason: reason.clone(),
            });
        }
        tx.commit()?;
        Ok(kept)
    }

    /// Starts `doc_id` again from the hub's copy (`hub_copy`, heads `hub_heads`) and replays
    /// this device's own work the hub lacks on it as new, signed changes; the changes named in
    /// `keep_aside` (refused for their own sake, with the reason) are kept aside instead. One
    /// transaction; the hub's heads are recorded as agreed with `hub_id`, so the next sync
    /// offers the replayed work.
    pub(crate) fn rebuild_doc(
        &mut self,
        doc_id: &str,
        hub_copy: DocPayload,
        hub_heads: &[ChangeHash],
        keep_aside: &HashMap<ChangeHash, String>,
        hub_id: &str,
    ) -> Result<Rebuild> {
        self.writing(|store| {
            let id = BucketId::parse(doc_id).ok_or_else(|| Error::document(doc_id, "not a bucket id"))?;
            store.bucket(doc_id)?;
            let local = store.buckets.remove(doc_id).ok_or_else(|| Error::document(doc_id, "bucket vanished from the cache"))?.doc;
            let mut hub = Automerge::new();
            hub_copy.apply(doc_id, &mut hub)?;
            let own = store.own_actors()?;
            let author = store.device.author();
            let rebuilt = replay::rebuild(&local, hub, &own, store.actor.clone(), keep_aside, &author);
            let bucket = Bucket { id, doc: rebuilt.doc };
            let mut records: BTreeSet<String> =
                local.keys(automerge::ROOT).chain(bucket.doc.keys(automerge::ROOT)).filter(|k| !k.starts_with("@actor/")).collect();
            records.extend(rebuilt.kept.iter().map(|k| k.record_id.clone()));
            let base: Vec<ChangeHash> = hub_heads.to_vec();
            let mine: Vec<ChangeSignature> = bucket
                .doc
                .get_changes(&base)
                .iter()
                .filter(|c| base_actor(c.actor_id()) == store.actor)
                .map(|c| ChangeSignature { hash: c.hash(), device_id: store.device.device_id.clone(), signature: store.signing_key.sign_change(&c.hash().0) })
                .collect();
            let now = Utc::now().timestamp_millis();
            let tx = super::db::WriteTx::begin(&store.conn)?;
            tx.execute("DELETE FROM doc_chunk WHERE doc_id = ?1", [doc_id])?;
            tx.execute("UPDATE doc SET chunk_count = 0, bytes = 0 WHERE doc_id = ?1", [doc_id])?;
            Self::persist(&tx, &bucket, &bucket.doc.save(), &records, &store.device.device_id, "rebuild")?;
            signatures::store(&tx, &mine)?;
            let mut kept = Vec::new();
            for record in &rebuilt.kept {
                kept.push(insert_kept(&tx, now, doc_id, record)?);
            }
            for (old, new) in &rebuilt.replayed_as {
                tx.execute("INSERT OR REPLACE INTO replayed_change (old, new) VALUES (?1, ?2)", params![old.0.as_slice(), new.0.as_slice()])?;
            }
            super::record_synced(&tx, hub_id, doc_id, hub_heads)?;
            tx.commit()?;
            store.buckets.insert(doc_id.to_string(), bucket);
            Ok(Rebuild { replayed: rebuilt.replayed, kept_aside: kept })
        })
    }
}

/// Adds refused notes of a record to the latest entry kept aside from its bucket `bucket_id`
/// (its fields refused with them); returns that entry, or `None` when there is none.
fn add_notes_to_kept(conn: &rusqlite::Connection, bucket_id: &str, notes: &KeptRecord) -> Result<Option<KeptAside>> {
    let row = conn
        .query_row(
            "SELECT seq, at, kind, fields, value, reason FROM kept_aside WHERE doc_id = ?1 AND record_id = ?2 ORDER BY seq DESC LIMIT 1",
            params![bucket_id, notes.record_id],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?)),
        )
        .optional()?;
    let Some((seq, at, kind, fields, value, reason)) = row else { return Ok(None) };
    let mut value: serde_json::Value = serde_json::from_str(&value).unwrap_or(serde_json::Value::Null);
    let mut fields: Vec<String> = fields.split(',').filter(|f| !f.is_empty()).map(String::from).collect();
    if let (serde_json::Value::Object(map), serde_json::Value::Object(texts)) = (&mut value, &notes.value) {
        for (field, text) in texts {
            map.insert(field.clone(), text.clone());
        }
    }
    for field in &notes.fields {
        if !fields.contains(field) {
            fields.push(field.clone());
        }
    }
    conn.execute("UPDATE kept_aside SET fields = ?2, value = ?3 WHERE seq = ?1", params![seq, fields.join(","), value.to_string()])?;
    Ok(Some(KeptAside { seq, at, doc_id: bucket_id.to_string(), record_id: notes.record_id.clone(), kind, fields, value, reason }))
}

/// Stores one kept-aside record; returns it as listed.
fn insert_kept(conn: &rusqlite::Connection, now: i64, doc_id: &str, record: &KeptRecord) -> Result<KeptAside> {
    conn.execute(
        "INSERT INTO kept_aside (at, doc_id, record_id, kind, fields, value, reason, change) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![now, doc_id, record.record_id, record.kind, record.fields.join(","), record.value.to_string(), record.reason, hex::encode(record.change.0)],
    )?;
    Ok(KeptAside {
        seq: conn.last_insert_rowid(),
        at: now,
        doc_id: doc_id.to_string(),
        record_id: record.record_id.clone(),
        kind: record.kind.clone(),
        fields: record.fields.clone(),
        value: record.value.clone(),
        reason: record.reason.clone(),
    })
}
