//! Bucket documents: one Automerge document holds many records of one scope × audience ×
//! period (design §3). Records are maps keyed by record id at the document root; the authors of
//! changes describe themselves under `@actor/<actor id>` keys so that every replica can say who
//! wrote a conflicting value.

mod bounds;
pub(crate) mod bridge;
mod bucket_id;
pub(crate) mod fields;
mod history;
mod notes;
pub(crate) mod replay;
mod text_diff;
mod version;

pub use bounds::{ChangeBudget, MAX_CHANGE_INFLATED_BYTES, MAX_MESSAGE_INFLATED_BYTES, MAX_OPS_PER_CHANGE, MAX_OPS_PER_MESSAGE};
pub(crate) use bucket_id::bucket_of;
pub use bucket_id::{scope_key, BucketId};
pub(crate) use fields::FIELDS_KEY;
pub use history::{FieldValue, Passage, RecordHistory};
pub(crate) use notes::{lay_notes, NoteText};
pub use version::Version;

use crate::device::Role;
use crate::error::{Error, Result};
use crate::ids::RecordId;
use crate::model::{Record, RecordKind};
use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, Automerge, ChangeHash, ObjType, PatchLog, ReadDoc, Value as AmValue, ROOT};
use bridge::RawConflict;
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;

/// Prefix of root keys that describe authors rather than hold records.
const AUTHOR_PREFIX: &str = "@actor/";
/// Key inside every record map naming its kind. The `@` keeps it apart from every record field
/// (a Rust field name cannot start with `@`), so a model may have a field called `kind`.
const KIND_KEY: &str = "@kind";

/// Marks an actor id Automerge derives for an edit made on an earlier version (an isolated
/// transaction, see [`Bucket::write_at`]): these four bytes, the level (LEB128), then the
/// install's own actor id.
const DERIVED_ACTOR_MAGIC: [u8; 4] = [0x13, 0xb2, 0x23, 0x09];

/// The install's actor behind `actor`: itself, or the actor an edit on an earlier version was
/// derived from. Authorship (the hub's registry, the `@actor/` descriptions) is by base actor.
pub(crate) fn base_actor(actor: &ActorId) -> ActorId {
    let bytes = actor.to_bytes();
    let Some(rest) = bytes.strip_prefix(&DERIVED_ACTOR_MAGIC[..]) else { return actor.clone() };
    // Skip the LEB128 level: bytes with the high bit set, then one without.
    let level_len = rest.iter().position(|b| b & 0x80 == 0).map_or(rest.len(), |i| i + 1);
    match &rest[level_len..] {
        [] => actor.clone(),
        base => ActorId::from(base),
    }
}

/// [`base_actor`] as hex.
pub(crate) fn base_actor_hex(actor: &ActorId) -> String {
    base_actor(actor).to_hex_string()
}

/// Who made a change: enough to show "set by Dilnoza (seven, phone 3f2a…)". Read from a
/// document, an entry whose role this version does not know reads as no author (the view
/// then names the device).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// Enrolled device id.
    pub device_id: String,
    /// The person using the device.
    pub person: String,
    /// Their role (inspector, seven, supervisor, …).
    pub role: Role,
}

/// One of several concurrent values of a field.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConflictValue {
    /// The value as JSON.
    pub value: Value,
    /// The value for display.
    pub display: String,
    /// Who wrote it, when the author is known to this replica.
    pub author: Option<Author>,
    /// The Automerge actor that wrote it (hex).
    pub actor: String,
    /// When it was written (device clock).
    pub at: Option<DateTime<Utc>>,
}

/// A field of a record that holds concurrent values from different people.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Conflict {
    /// Record id.
    pub record_id: RecordId,
    /// Field path, slash-separated (`stage`, `tasks/<id>/due`).
    pub path: String,
    /// All values, the one shown by default (the deterministic winner) first.
    pub values: Vec<ConflictValue>,
}

/// A record read from a bucket: its winning values plus the conflicts still open.
#[derive(Clone, Debug)]
pub struct Stored<R> {
    /// The record with the winning value in every field.
    pub record: R,
    /// Fields with concurrent values.
    pub conflicts: Vec<Conflict>,
}

/// A record read without knowing its type.
#[derive(Clone, Debug)]
pub struct RawRecord {
    /// Its kind.
    pub kind: RecordKind,
    /// Its winning values as JSON.
    pub value: Value,
    /// Fields with concurrent values.
    pub conflicts: Vec<Conflict>,
}

/// What the index needs of a record: its kind, winning values and number of conflicts.
pub(crate) struct RecordSummary {
    pub kind: RecordKind,
    pub value: Value,
    pub conflicts: usize,
}

impl From<RawRecord> for RecordSummary {
    fn from(raw: RawRecord) -> Self {
        RecordSummary { kind: raw.kind, value: raw.value, conflicts: raw.conflicts.len() }
    }
}

impl RawRecord {
    /// The record as its type `R`, with its conflicts (`doc_id` names the document in errors).
    pub(crate) fn typed<R: Record>(self, id: &RecordId, doc_id: &str) -> Result<Stored<R>> {
        if self.kind != R::KIND {
            return Err(Error::WrongKind { id: id.to_string(), expected: R::KIND.as_str(), actual: self.kind.to_string() });
        }
        let record = serde_json::from_value(self.value).map_err(|e| Error::document(doc_id, e))?;
        Ok(Stored { record, conflicts: self.conflicts })
    }
}

/// Above this many records, records are read from one pass over the whole document.
const BULK_READ_FROM: usize = 16;

/// One bucket document in memory.
pub(crate) struct Bucket {
    pub id: BucketId,
    pub doc: Automerge,
}

fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

impl Bucket {
    /// An empty bucket, edited as `actor`.
    pub(crate) fn new(id: BucketId, actor: ActorId) -> Self {
        Bucket { id, doc: Automerge::new().with_actor(actor) }
    }

    /// Loads a bucket from its stored chunks (a snapshot followed by incremental changes).
    pub(crate) fn load(id: BucketId, bytes: &[u8], actor: ActorId) -> Result<Self> {
        let options = automerge::LoadOptions::new().verification_mode(automerge::VerificationMode::DontCheck);
        let doc = Automerge::load_with_options(bytes, options).map_err(|e| Error::document(&id.to_string(), e))?;
        Ok(Bucket { id, doc: doc.with_actor(actor) })
    }

    /// Current heads.
    pub(crate) fn heads(&self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// Writes records in one change, changing only what differs. Returns the new change, or
    /// `None` when every record was already stored exactly so.
    pub(crate) fn write<R: Record>(&mut self, records: &[&R], author: &Author, at: DateTime<Utc>) -> Result<Option<ChangeHash>> {
        self.write_at(records, author, at, None)
    }

    /// [`write`](Self::write) as an edit made on the document as it stood at `base` (the
    /// version a form was read at): only what differs from the records *at that version* is
    /// written, so whatever arrived since is concurrent with the edit and merges with it, or
    /// shows as a conflict. Unknown heads of `base` (a rebuilt document) are left out; when none
    /// is known the edit is made on the current version.
    pub(crate) fn write_at<R: Record>(&mut self, records: &[&R], author: &Author, at: DateTime<Utc>, base: Option<&Version>) -> Result<Option<ChangeHash>> {
        Ok(self.write_records_at(records, author, at, base, false)?.0)
    }

    /// [`write_at`](Self::write_at); with `split_notes`, the notes fields
    /// ([`RecordKind::notes_fields`]) of every record that does not hold them in this bucket
    /// already (one written before notes documents does) are left out of the bucket and
    /// returned, for the record's notes document ([`Bucket::write_notes`]).
    pub(crate) fn write_records_at<R: Record>(
        &mut self,
        records: &[&R],
        author: &Author,
        at: DateTime<Utc>,
        base: Option<&Version>,
        split_notes: bool,
    ) -> Result<(Option<ChangeHash>, Vec<NoteText>)> {
        let doc_id = self.id.to_string();
        let base = base.and_then(|v| self.known_heads(v));
        let mut maps = Vec::with_capacity(records.len());
        let mut notes = Vec::new();
        for record in records {
            let Value::Object(mut fields) = serde_json::to_value(record).map_err(|e| Error::document(&doc_id, e))? else {
                return Err(Error::document(&doc_id, "record did not serialise to a map"));
            };
            let record_id = record.id().as_str();
            for field in R::KIND.notes_fields().iter().filter(|f| split_notes && !self.holds_field(record_id, f)) {
                if let Some(Value::String(text)) = fields.remove(*field) {
                    notes.push(NoteText { record_id: record_id.to_string(), field, text });
                }
            }
            fields.insert(KIND_KEY.into(), Value::String(R::KIND.as_str().into()));
            maps.push((record_id, fields));
        }
        let actor_hex = self.doc.get_actor().to_hex_string();
        let mut tx = match &base {
            Some(heads) => self.doc.transaction_at(PatchLog::inactive(), heads).map_err(|e| Error::document(&doc_id, e))?,
            None => self.doc.transaction(),
        };
        let result = (|| {
            for (record_id, values) in maps {
                match tx.get(ROOT, record_id)? {
                    Some((AmValue::Object(ObjType::Map), obj)) if fields::is_whole(&tx, &obj) => fields::update_record(&mut tx, &obj, values, R::TEXT_FIELDS)?,
                    Some((AmValue::Object(ObjType::Map), obj)) => bridge::reconcile_map(&mut tx, &obj, &values, "", R::TEXT_FIELDS)?,
                    _ => fields::create_record(&mut tx, record_id, (KIND_KEY, R::KIND.as_str()), values, R::TEXT_FIELDS)?,
                }
            }
            Ok::<_, automerge::AutomergeError>(())
        })();
        if let Err(e) = result {
            tx.rollback();
            return Err(Error::document(&doc_id, e));
        }
        if tx.pending_ops() == 0 {
            tx.rollback();
            return Ok((None, notes));
        }
        if let Err(e) = introduce(&mut tx, &actor_hex, author) {
            tx.rollback();
            return Err(Error::document(&doc_id, e));
        }
        let message = match records {
            [record] => format!("put {} {}", R::KIND, record.id()),
            many => format!("put {} {} records", many.len(), R::KIND),
        };
        let (hash, _) = tx.commit_with(CommitOptions::default().with_time(millis(at)).with_message(message));
        Ok((hash, notes))
    }

    /// The heads of `version` this document has, or `None` when it has none of them (or the
    /// version is the current one, or empty).
    fn known_heads(&self, version: &Version) -> Option<Vec<ChangeHash>> {
        let known: Vec<ChangeHash> = version.heads().iter().filter(|h| self.doc.get_change_meta_by_hash(h).is_some()).copied().collect();
        let current = self.heads();
        (!known.is_empty() && known.iter().collect::<BTreeSet<_>>() != current.iter().collect::<BTreeSet<_>>()).then_some(known)
    }

    /// A record's fields (of kind `R`) as they stood at `version` (the current ones when the
    /// version is unknown here); `None` when it did not exist then. Notes kept in a notes
    /// document are not among them.
    pub(crate) fn read_fields_at<R: Record>(&mut self, id: &RecordId, version: &Version) -> Result<Option<serde_json::Map<String, Value>>> {
        let Some(heads) = self.known_heads(version) else {
            return match self.read_raw(id.as_str()) {
                Some(raw) if raw.kind != R::KIND => Err(Error::WrongKind { id: id.to_string(), expected: R::KIND.as_str(), actual: raw.kind.to_string() }),
                Some(RawRecord { value: Value::Object(fields), .. }) => Ok(Some(fields)),
                _ => Ok(None),
            };
        };
        let doc_id = self.id.to_string();
        let value = self.raw_at(id.as_str(), &heads).map_err(|e| Error::document(&doc_id, e))?;
        let Some(Value::Object(mut fields)) = value else { return Ok(None) };
        match fields.remove(KIND_KEY).as_ref().and_then(Value::as_str).and_then(RecordKind::parse) {
            Some(kind) if kind == R::KIND => Ok(Some(fields)),
            Some(kind) => Err(Error::WrongKind { id: id.to_string(), expected: R::KIND.as_str(), actual: kind.to_string() }),
            None => Ok(None),
        }
    }

    /// A record's winning values (with its kind tag) as they stood at `heads`; `None` when it
    /// did not exist then.
    pub(crate) fn raw_at(&mut self, record_id: &str, heads: &[ChangeHash]) -> Result<Option<Value>, automerge::PatchLogMismatch> {
        let tx = self.doc.transaction_at(PatchLog::inactive(), heads)?;
        let value = match tx.get(ROOT, record_id) {
            Ok(Some((AmValue::Object(ObjType::Map), obj))) => Some(fields::read_record(&tx, &obj, &mut Vec::new())),
            _ => None,
        };
        tx.rollback();
        Ok(value)
    }

    /// Reads a typed record from this bucket alone: notes kept in a notes document read as
    /// empty (the store's reads join them).
    pub(crate) fn read<R: Record>(&self, id: &RecordId) -> Result<Option<Stored<R>>> {
        self.read_raw(id.as_str()).map(|raw| raw.typed(id, &self.id.to_string())).transpose()
    }

    /// Reads any record as JSON with its kind and conflicts.
    pub(crate) fn read_raw(&self, record_id: &str) -> Option<RawRecord> {
        let (AmValue::Object(ObjType::Map), obj) = self.doc.get(ROOT, record_id).ok()?? else { return None };
        let mut raw_conflicts = Vec::new();
        let mut value = fields::read_record(&self.doc, &obj, &mut raw_conflicts);
        for conflict in raw_conflicts.iter_mut().filter(|c| !c.below_removal.is_empty()) {
            self.entry_before_removal(&obj, conflict);
        }
        let kind = value.as_object_mut()?.remove(KIND_KEY)?.as_str().and_then(RecordKind::parse)?;
        let record_id = RecordId::parse(record_id)?;
        let conflicts = self.describe_conflicts(&record_id, raw_conflicts.into_iter().filter(|c| c.path != KIND_KEY).collect());
        Some(RawRecord { kind, value, conflicts })
    }

    /// Summaries of the given records (`None` for a record that is gone or has no kind). Many
    /// records are read in one pass over the document, which is far cheaper than one lookup
    /// per field of each record.
    pub(crate) fn summaries(&self, ids: &BTreeSet<String>) -> Vec<(String, Option<RecordSummary>)> {
        self.read_raw_many(ids).into_iter().map(|(id, raw)| (id, raw.map(RecordSummary::from))).collect()
    }

    /// [`read_raw`](Self::read_raw) of many records, in id order. From [`BULK_READ_FROM`]
    /// records on, the document is read in one pass; a record with concurrent values is then
    /// read again on its own (only the full read tells concurrent equal values, which are not
    /// conflicts, and names the authors of the others).
    pub(crate) fn read_raw_many(&self, ids: &BTreeSet<String>) -> Vec<(String, Option<RawRecord>)> {
        if ids.len() < BULK_READ_FROM {
            return ids.iter().map(|id| (id.clone(), self.read_raw(id))).collect();
        }
        let automerge::hydrate::Value::Map(root) = self.doc.hydrate(None) else {
            return ids.iter().map(|id| (id.clone(), None)).collect();
        };
        ids.iter()
            .map(|id| {
                let raw = root.get(id).and_then(|record| {
                    if !matches!(record, automerge::hydrate::Value::Map(_)) {
                        return None;
                    }
                    let mut conflicts = 0;
                    let mut value = fields::record_from_hydrated(record, &mut conflicts);
                    if conflicts > 0 {
                        return self.read_raw(id);
                    }
                    let kind = value.as_object_mut()?.remove(KIND_KEY)?.as_str().and_then(RecordKind::parse)?;
                    RecordId::parse(id)?;
                    Some(RawRecord { kind, value, conflicts: Vec::new() })
                });
                (id.clone(), raw)
            })
            .collect()
    }

    /// Sets the last value of a conflict on a removed entry (see [`fields::read_record`]) to the
    /// entry as its remover last saw it, with the values written below it concurrently: the
    /// record read at the removal's dependencies and those values' changes. The current
    /// document no longer has the entry's fields its remover saw (the removal deleted them).
    fn entry_before_removal(&self, record_obj: &automerge::ObjId, conflict: &mut RawConflict) {
        let change_of = |op: &automerge::ObjId| self.doc.hash_for_opid(op);
        let removals = conflict.values.iter().filter(|(v, _)| v.is_null()).filter_map(|(_, op)| change_of(op));
        let mut heads: Vec<ChangeHash> = removals.filter_map(|hash| self.doc.get_change_by_hash(&hash)).flat_map(|change| change.deps().to_vec()).collect();
        heads.extend(conflict.below_removal.iter().filter_map(change_of));
        heads.sort();
        heads.dedup();
        let Ok(past) = self.doc.fork_at(&heads) else { return };
        let entry = fields::read_record(&past, record_obj, &mut Vec::new());
        if let (Some(entry), Some(last)) = (entry.pointer(&fields::key_pointer(&conflict.path)), conflict.values.last_mut()) {
            last.0 = entry.clone();
        }
    }

    fn describe(&self, value: Value, op: &automerge::ObjId) -> ConflictValue {
        let actor = match op {
            automerge::ObjId::Id(_, actor, _) => actor.to_hex_string(),
            automerge::ObjId::Root => String::new(),
        };
        let at = self
            .doc
            .hash_for_opid(op)
            .and_then(|hash| self.doc.get_change_meta_by_hash(&hash))
            .and_then(|meta| Utc.timestamp_millis_opt(meta.timestamp).single());
        let author = hex::decode(&actor).ok().map(|a| base_actor_hex(&ActorId::from(a))).and_then(|base| self.author_of(&base));
        let display = match &value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        ConflictValue { value, display, author, actor, at }
    }

    /// The author registered for an actor (hex) in this bucket.
    pub(crate) fn author_of(&self, actor_hex: &str) -> Option<Author> {
        let key = format!("{AUTHOR_PREFIX}{actor_hex}");
        let (_, obj) = self.doc.get(ROOT, key.as_str()).ok()??;
        let value = bridge::read_object(&self.doc, &obj, "", &mut Vec::new());
        serde_json::from_value(value).ok()
    }

    /// Writes the chosen value of a conflicting field; all concurrent values are replaced.
    pub(crate) fn resolve(
        &mut self,
        record_id: &RecordId,
        path: &str,
        chosen: &Value,
        text_fields: &[&str],
        author: &Author,
        at: DateTime<Utc>,
    ) -> Result<ChangeHash> {
        let no_conflict = || Error::NoSuchConflict { record_id: record_id.to_string(), path: path.to_string() };
        let doc_id = self.id.to_string();
        let (AmValue::Object(ObjType::Map), record_obj) =
            self.doc.get(ROOT, record_id.as_str()).map_err(|e| Error::document(&doc_id, e))?.ok_or_else(no_conflict)?
        else {
            return Err(no_conflict());
        };
        let whole = fields::is_whole(&self.doc, &record_obj);
        let (parent, key) = if whole { (record_obj, path) } else { bridge::parent_of(&self.doc, &record_obj, path).ok_or_else(no_conflict)? };
        let open = if whole {
            let mut found = Vec::new();
            fields::read_record(&self.doc, &parent, &mut found);
            found.iter().any(|c| c.path == path)
        } else {
            self.doc.get_all(&parent, key).map_err(|e| Error::document(&doc_id, e))?.len() > 1
        };
        if !open || key == fields::FIELDS_KEY {
            return Err(no_conflict());
        }
        let actor_hex = self.doc.get_actor().to_hex_string();
        let is_text = text_fields.contains(&path);
        let mut tx = self.doc.transaction();
        let written = if whole {
            // Keeping the removal (shown as null) removes the field, and with it the values
            // written below a removed entry.
            fields::put_register(&mut tx, &parent, key, Some(chosen).filter(|v| !v.is_null()), is_text, text_fields)
        } else {
            bridge::put_fresh(&mut tx, &parent, key, chosen, is_text)
        };
        let written = written.and_then(|_| introduce(&mut tx, &actor_hex, author));
        if let Err(e) = written {
            tx.rollback();
            return Err(Error::document(&doc_id, e));
        }
        let message = format!("resolve {record_id} {path}");
        let (hash, _) = tx.commit_with(CommitOptions::default().with_time(millis(at)).with_message(message));
        hash.ok_or_else(|| Error::document(&doc_id, "resolving wrote nothing"))
    }

    /// The operation that wrote the record's fields whole at its creation (`None` for a record
    /// of the earlier layout, or none). A record's creator writes it once; nobody rewrites it.
    pub(crate) fn whole_fields_op(&self, record_id: &str) -> Option<automerge::ObjId> {
        let (AmValue::Object(ObjType::Map), obj) = self.doc.get(ROOT, record_id).ok()?? else { return None };
        self.doc.get(&obj, fields::FIELDS_KEY).ok()?.map(|(_, op)| op)
    }

    /// How many records the document holds (author descriptions left out).
    pub(crate) fn record_count(&self) -> usize {
        self.doc.keys(ROOT).filter(|k| !k.starts_with(AUTHOR_PREFIX)).count()
    }

    /// Fails when the document grew from `before` records to more than `limit`. A bucket that
    /// is already over (the limit was lowered) can still be edited, just not grown.
    pub(crate) fn check_record_limit(&self, before: usize, limit: usize) -> Result<()> {
        let found = self.record_count();
        if found > limit && found > before {
            return Err(Error::LimitExceeded { what: format!("records in bucket {}", self.id), found, limit });
        }
        Ok(())
    }

    /// Ids of records changed between `before` and the current heads.
    pub(crate) fn changed_since(&self, before: &[ChangeHash]) -> BTreeSet<String> {
        if before.is_empty() {
            return self.doc.keys(ROOT).filter(|k| !k.starts_with(AUTHOR_PREFIX)).collect();
        }
        let after = self.doc.get_heads();
        let mut ids = BTreeSet::new();
        for patch in self.doc.diff(before, &after) {
            let key = match (patch.path.first(), &patch.action) {
                (Some((_, automerge::Prop::Map(key))), _) => Some(key.clone()),
                (None, automerge::PatchAction::PutMap { key, .. }) => Some(key.clone()),
                (None, automerge::PatchAction::DeleteMap { key }) => Some(key.clone()),
                _ => None,
            };
            if let Some(key) = key.filter(|k| !k.starts_with(AUTHOR_PREFIX)) {
                ids.insert(key);
            }
        }
        ids
    }
}

/// Writes the author's description once per actor and bucket.
fn introduce<T: Transactable + ReadDoc>(tx: &mut T, actor_hex: &str, author: &Author) -> Result<(), automerge::AutomergeError> {
    let key = format!("{AUTHOR_PREFIX}{actor_hex}");
    if tx.get(ROOT, key.as_str())?.is_none() {
        let obj = tx.put_object(ROOT, key.as_str(), ObjType::Map)?;
        tx.put(&obj, "device_id", author.device_id.as_str())?;
        tx.put(&obj, "person", author.person.as_str())?;
        tx.put(&obj, "role", author.role.as_str())?;
    }
    Ok(())
}
