//! Measures the naive alternative to buckets — one Automerge document per record — with the
//! same records and the same bridge, so benchmarks can report the bucketed layout's costs as a
//! ratio measured in the same run (design §3, §8); and four layouts of the records' notes side by
//! side (issue 13: where the text CRDT costs, and what keeping it elsewhere would save).

use crate::doc::{Author, Bucket, BucketId};
use crate::error::Result;
use crate::model::{Audience, Record};
use automerge::sync::{self, SyncDoc};
use automerge::ActorId;
use chrono::Utc;

/// What one-document-per-record costs for a set of records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NaiveLayoutCosts {
    /// Documents (= records).
    pub docs: usize,
    /// Sum of the documents' compressed snapshots: storage and first provisioning.
    pub snapshot_bytes: u64,
    /// Bytes of a sync where nothing changed, using Automerge's sync protocol per document
    /// with persisted sync states (first message each way of a new session).
    pub noop_sync_bytes: u64,
    /// Bytes to sync after one field of `changed` records changed.
    pub changed_sync_bytes: u64,
    /// Round trips a per-document protocol needs (documents are synced in parallel batches).
    pub changed_sync_round_trips: u32,
}

fn sync_until_quiet(a: &mut automerge::Automerge, sa: &mut sync::State, b: &mut automerge::Automerge, sb: &mut sync::State) -> (u64, u32) {
    let (mut bytes, mut round_trips) = (0u64, 0u32);
    for _ in 0..10 {
        let to_b = a.generate_sync_message(sa);
        let had_to_b = to_b.is_some();
        if let Some(m) = to_b {
            let m = m.encode();
            bytes += m.len() as u64;
            if let Ok(m) = sync::Message::decode(&m) {
                let _ = b.receive_sync_message(sb, m);
            }
        }
        let to_a = b.generate_sync_message(sb);
        let had_to_a = to_a.is_some();
        if let Some(m) = to_a {
            let m = m.encode();
            bytes += m.len() as u64;
            if let Ok(m) = sync::Message::decode(&m) {
                let _ = a.receive_sync_message(sa, m);
            }
        }
        if !had_to_b && !had_to_a {
            break;
        }
        round_trips += 1;
    }
    (bytes, round_trips)
}

/// Builds one document per record (as a device would), syncs each with a hub copy, then
/// measures a no-op sync and a sync after `edit` changed the first `changed` records.
pub fn measure_one_doc_per_record<R: Record>(records: &[R], changed: usize, edit: impl Fn(&mut R)) -> Result<NaiveLayoutCosts> {
    let author = Author { device_id: "bench".into(), person: "bench".into(), role: crate::Role::Inspector };
    let device_actor = ActorId::random();
    let mut costs = NaiveLayoutCosts { docs: records.len(), ..Default::default() };
    let mut rounds = 0;
    for (i, record) in records.iter().enumerate() {
        let id = BucketId { audience: Audience::Register, scope: format!("r{i}"), period: 2026, notes: None };
        let mut device = Bucket::new(id.clone(), device_actor.clone());
        device.write(&[record], &author, Utc::now())?;
        let saved = device.doc.save();
        costs.snapshot_bytes += saved.len() as u64;
        let mut hub = automerge::Automerge::load(&saved).map_err(|e| crate::Error::document(&id.to_string(), e))?;
        let (mut sd, mut sh) = (sync::State::new(), sync::State::new());
        sync_until_quiet(&mut device.doc, &mut sd, &mut hub, &mut sh);
        // A new session starts from the persisted states.
        let (enc_d, enc_h) = (sd.encode(), sh.encode());
        let mut sd = sync::State::decode(&enc_d).unwrap_or_default();
        let mut sh = sync::State::decode(&enc_h).unwrap_or_default();
        if i < changed {
            let mut edited = record.clone();
            edit(&mut edited);
            device.write(&[&edited], &author, Utc::now())?;
            let (bytes, trips) = sync_until_quiet(&mut device.doc, &mut sd, &mut hub, &mut sh);
            costs.changed_sync_bytes += bytes;
            rounds = rounds.max(trips);
        } else {
            costs.noop_sync_bytes += sync_until_quiet(&mut device.doc, &mut sd, &mut hub, &mut sh).0;
        }
    }
    // The unchanged documents also have to be checked in the changed case.
    let unchanged = records.len().saturating_sub(changed) as u64;
    let per_doc_noop = costs.noop_sync_bytes / unchanged.max(1);
    costs.changed_sync_bytes += per_doc_noop * unchanged;
    costs.noop_sync_bytes = per_doc_noop * records.len() as u64;
    costs.changed_sync_round_trips = rounds;
    Ok(costs)
}

/// One way to keep the records' notes, measured with the same records ([`measure_note_layouts`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteLayoutCosts {
    /// What the layout is.
    pub layout: String,
    /// Concurrent edits of one note merge character by character (a text CRDT); otherwise they
    /// become a conflict with both values kept.
    pub merges_characters: bool,
    /// Documents holding the bucket's records and notes.
    pub docs: usize,
    /// Operations in those documents (what loading a document pays for).
    pub ops: usize,
    /// Sum of their compacted snapshots.
    pub snapshot_bytes: u64,
    /// Median time to open one record from cold: load the documents it lives in, read it.
    pub open_one: std::time::Duration,
    /// Median time to load every document of the bucket (what provisioning and a full check
    /// pay).
    pub load_all: std::time::Duration,
}

/// Where a record's top-level text fields go.
#[derive(Clone, Copy)]
enum NotesIn {
    /// In the record, as collaborative text (today's layout).
    RecordText,
    /// In the record, as a plain string.
    RecordString,
    /// In `n` notes documents beside the bucket (record `i` in document `i % n`), as text.
    NotesDocs(usize),
}

/// Builds the bucket of `records` (`per_change` records in each change, then compacted) in
/// six layouts and measures each: the first one (every field a register, notes as
/// collaborative text inside the bucket), notes as plain strings, one notes document beside the bucket,
/// `shards` notes documents beside it (a record opens its bucket and one shard), and the
/// last two again with each record's other fields written as one value (what a "written
/// whole at creation, edited field by field later" layout stores for a record not edited yet).
/// The last is the store's layout since the eleventh session (ARCHITECTURE §3).
pub fn measure_note_layouts<R: Record>(records: &[R], shards: usize, per_change: usize) -> Result<Vec<NoteLayoutCosts>> {
    let shards = shards.max(1);
    let layouts = [
        ("every field a register, notes in the bucket".to_string(), NotesIn::RecordText, false),
        ("notes as plain strings in the bucket".to_string(), NotesIn::RecordString, false),
        ("bucket + one notes document".to_string(), NotesIn::NotesDocs(1), false),
        (format!("bucket + {shards} notes documents (by record)"), NotesIn::NotesDocs(shards), false),
        ("fields as one value, notes as text in bucket".to_string(), NotesIn::RecordText, true),
        (format!("fields as one value + {shards} notes docs (the store)"), NotesIn::NotesDocs(shards), true),
    ];
    layouts.into_iter().map(|(name, notes, whole)| measure_layout(records, &name, notes, whole, per_change.max(1))).collect()
}

/// The key a record's fields are kept under when they are written as one value.
const WHOLE_KEY: &str = "@fields";

/// A record's id, the fields kept in the bucket, and those moved to a notes document.
type SplitRecord = (String, serde_json::Map<String, serde_json::Value>, serde_json::Map<String, serde_json::Value>);

fn measure_layout<R: Record>(records: &[R], name: &str, notes: NotesIn, whole: bool, per_change: usize) -> Result<NoteLayoutCosts> {
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ObjType, ReadDoc, ROOT};
    use serde_json::{Map, Value};
    use std::time::Instant;
    let text_fields: Vec<&str> = R::TEXT_FIELDS.iter().copied().filter(|f| !f.contains('/')).collect();
    let shard_count = match notes {
        NotesIn::NotesDocs(n) => n,
        _ => 0,
    };
    let bad = |e: automerge::AutomergeError| crate::Error::document("layout", e);
    // Each record's id, its fields, and the text fields that move to a notes document.
    let mut rows: Vec<SplitRecord> = Vec::with_capacity(records.len());
    for record in records {
        let Value::Object(mut fields) = serde_json::to_value(record).map_err(|e| crate::Error::document("layout", e))? else { continue };
        let moved: Map<String, Value> =
            if shard_count > 0 { text_fields.iter().filter_map(|f| fields.remove(*f).map(|v| (f.to_string(), v))).collect() } else { Map::new() };
        rows.push((record.id().as_str().to_string(), fields, moved));
    }
    let in_record: &[&str] = if matches!(notes, NotesIn::RecordText) { &text_fields } else { &[] };
    let mut bucket = Automerge::new();
    let mut shards: Vec<Automerge> = (0..shard_count).map(|_| Automerge::new()).collect();
    for (c, chunk) in rows.chunks(per_change).enumerate() {
        let mut tx = bucket.transaction();
        for (id, fields, _) in chunk {
            let obj = tx.put_object(ROOT, id.as_str(), ObjType::Map).map_err(bad)?;
            if whole {
                let (texts, others): (Map<String, Value>, Map<String, Value>) = fields.clone().into_iter().partition(|(k, _)| in_record.contains(&k.as_str()));
                // reconcile_map deletes keys it is not given: the whole value goes in after it.
                crate::doc::bridge::reconcile_map(&mut tx, &obj, &texts, "", in_record).map_err(bad)?;
                tx.put(&obj, WHOLE_KEY, Value::Object(others).to_string()).map_err(bad)?;
            } else {
                crate::doc::bridge::reconcile_map(&mut tx, &obj, fields, "", in_record).map_err(bad)?;
            }
        }
        tx.commit();
        for (s, shard) in shards.iter_mut().enumerate() {
            let mine: Vec<_> = chunk.iter().enumerate().filter(|(i, _)| (c * per_change + i) % shard_count == s).collect();
            if mine.is_empty() {
                continue;
            }
            let mut tx = shard.transaction();
            for (_, (id, _, moved)) in mine {
                let obj = tx.put_object(ROOT, id.as_str(), ObjType::Map).map_err(bad)?;
                crate::doc::bridge::reconcile_map(&mut tx, &obj, moved, "", &text_fields).map_err(bad)?;
            }
            tx.commit();
        }
    }
    let ops = bucket.stats().num_ops as usize + shards.iter().map(|d| d.stats().num_ops as usize).sum::<usize>();
    let saved_bucket = bucket.save();
    let saved_shards: Vec<Vec<u8>> = shards.iter_mut().map(|d| d.save()).collect();
    let snapshot_bytes = (saved_bucket.len() + saved_shards.iter().map(Vec::len).sum::<usize>()) as u64;
    // As the store loads its own documents (no re-verification of the change hashes).
    let load = |bytes: &[u8]| {
        Automerge::load_with_options(bytes, automerge::LoadOptions::new().verification_mode(automerge::VerificationMode::DontCheck)).map_err(bad)
    };
    let read = |doc: &Automerge, id: &str| -> Value {
        let mut value = match doc.get(ROOT, id) {
            Ok(Some((_, obj))) => crate::doc::bridge::read_object(doc, &obj, "", &mut Vec::new()),
            _ => Value::Null,
        };
        if let Value::Object(fields) = &mut value {
            if let Some(Value::Object(others)) = fields.remove(WHOLE_KEY).and_then(|v| v.as_str().and_then(|s| serde_json::from_str(s).ok())) {
                fields.extend(others);
            }
        }
        value
    };
    let mut samples = Vec::new();
    for round in 0..7 {
        let i = (round * 7919) % rows.len().max(1);
        let id = rows[i].0.as_str();
        let started = Instant::now();
        let doc = load(&saved_bucket)?;
        let mut value = read(&doc, id);
        if shard_count > 0 {
            let shard = load(&saved_shards[i % shard_count])?;
            if let (Value::Object(fields), Value::Object(notes)) = (&mut value, read(&shard, id)) {
                fields.extend(notes);
            }
        }
        samples.push(started.elapsed());
        if value.get("id").is_none() {
            return Err(crate::Error::document("layout", format!("record {id} did not read back in layout {name:?}: {value}")));
        }
    }
    samples.sort();
    let mut all = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        load(&saved_bucket)?;
        for shard in &saved_shards {
            load(shard)?;
        }
        all.push(started.elapsed());
    }
    all.sort();
    let load_all = all[all.len() / 2];
    Ok(NoteLayoutCosts {
        layout: name.to_string(),
        merges_characters: !matches!(notes, NotesIn::RecordString),
        docs: 1 + shard_count,
        ops,
        snapshot_bytes,
        open_one: samples[samples.len() / 2],
        load_all,
    })
}
