//! A bucket's notes documents (ARCHITECTURE §3). The notes of a record
//! ([`RecordKind::notes_fields`](crate::model::RecordKind::notes_fields)) live in one of its
//! bucket's 16 notes documents
//! ([`BucketId::notes_for`](super::BucketId::notes_for)), not in the bucket: a record opens its
//! bucket and one notes document, so loading a bucket reads none of the notes' characters.
//!
//! A notes document holds, at its root, one map per record (keyed by record id, made by the
//! record's creator in the same transaction as the record) with one collaborative text per
//! notes field, plus the authors' `@actor/` descriptions. Texts are spliced character by
//! character, so concurrent notes still merge; concurrent values of one key stay conflicts with
//! their authors, as in a bucket. A record written before notes documents keeps its notes in its
//! bucket ([`Bucket::holds_field`]) and is read and edited there.

use super::bridge::{self, RawConflict};
use super::{introduce, millis, text_diff, Bucket, Conflict, Version};
use crate::error::{Error, Result};
use crate::ids::RecordId;
use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ChangeHash, ObjType, PatchLog, ReadDoc, Value as AmValue, ROOT};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// One notes field of one record, as a form saves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NoteText {
    /// The record.
    pub record_id: String,
    /// The notes field (`notes`).
    pub field: &'static str,
    /// Its whole text as the user left it.
    pub text: String,
}

impl Bucket {
    /// Whether the record's map in this bucket holds `field` (a record written before notes
    /// documents keeps its notes in its bucket).
    pub(crate) fn holds_field(&self, record_id: &str, field: &str) -> bool {
        match self.doc.get(ROOT, record_id) {
            Ok(Some((AmValue::Object(ObjType::Map), obj))) => matches!(self.doc.get(&obj, field), Ok(Some(_))),
            _ => false,
        }
    }

    /// Writes notes texts into this notes document in one change, as an edit of the document at
    /// `base` (the version a form was read at; see [`Bucket::write_at`]): each text is spliced
    /// from its text at that version to the new one, so a colleague's sentences written since
    /// stay. A record's map and a text are made when missing (by the record's creator, in the
    /// transaction that creates the record). Returns `None` when every text was already so.
    pub(crate) fn write_notes(&mut self, notes: &[NoteText], author: &super::Author, at: DateTime<Utc>, base: Option<&Version>) -> Result<Option<ChangeHash>> {
        let doc_id = self.id.to_string();
        let base = base.and_then(|v| self.known_heads(v));
        let actor_hex = self.doc.get_actor().to_hex_string();
        let mut tx = match &base {
            Some(heads) => self.doc.transaction_at(PatchLog::inactive(), heads).map_err(|e| Error::document(&doc_id, e))?,
            None => self.doc.transaction(),
        };
        let result = (|| {
            for note in notes {
                let record = match tx.get(ROOT, note.record_id.as_str())? {
                    Some((AmValue::Object(ObjType::Map), obj)) => obj,
                    _ => tx.put_object(ROOT, note.record_id.as_str(), ObjType::Map)?,
                };
                let text = match tx.get(&record, note.field)? {
                    Some((AmValue::Object(ObjType::Text), obj)) => obj,
                    _ => tx.put_object(&record, note.field, ObjType::Text)?,
                };
                let current = tx.text(&text)?;
                text_diff::splice_to(&mut tx, &text, &current, &note.text)?;
            }
            if tx.pending_ops() > 0 {
                introduce(&mut tx, &actor_hex, author)?;
            }
            Ok::<_, automerge::AutomergeError>(())
        })();
        if let Err(e) = result {
            tx.rollback();
            return Err(Error::document(&doc_id, e));
        }
        if tx.pending_ops() == 0 {
            tx.rollback();
            return Ok(None);
        }
        let message = match notes {
            [note] => format!("notes {}", note.record_id),
            many => format!("notes of {} records", many.len()),
        };
        let (hash, _) = tx.commit_with(CommitOptions::default().with_time(millis(at)).with_message(message));
        Ok(hash)
    }

    /// A record's notes in this notes document (field → text) with the fields holding
    /// concurrent values; `None` when it holds none of the record.
    pub(crate) fn read_notes(&self, record_id: &RecordId) -> Option<(Map<String, Value>, Vec<Conflict>)> {
        let (AmValue::Object(ObjType::Map), obj) = self.doc.get(ROOT, record_id.as_str()).ok()?? else { return None };
        let mut raw = Vec::new();
        let Value::Object(fields) = bridge::read_object(&self.doc, &obj, "", &mut raw) else { return None };
        Some((fields, self.describe_conflicts(record_id, raw)))
    }

    /// A record's notes as they stood at `version` (the current ones when this document knows
    /// none of its heads); `None` when it held none of the record then.
    pub(crate) fn read_notes_at(&mut self, record_id: &RecordId, version: &Version) -> Option<Map<String, Value>> {
        let Some(heads) = self.known_heads(version) else {
            return self.read_notes(record_id).map(|(fields, _)| fields);
        };
        let tx = self.doc.transaction_at(PatchLog::inactive(), &heads).ok()?;
        let fields = match tx.get(ROOT, record_id.as_str()) {
            Ok(Some((AmValue::Object(ObjType::Map), obj))) => bridge::read_object(&tx, &obj, "", &mut Vec::new()).as_object().cloned(),
            _ => None,
        };
        tx.rollback();
        fields
    }

    /// Conflicts read from this document, with their authors.
    pub(super) fn describe_conflicts(&self, record_id: &RecordId, raw: Vec<RawConflict>) -> Vec<Conflict> {
        raw.into_iter()
            .map(|c| Conflict {
                record_id: record_id.clone(),
                path: c.path,
                values: c.values.into_iter().map(|(value, op)| self.describe(value, &op)).collect(),
            })
            .collect()
    }
}

/// Lays a record's notes over its fields read from its bucket: each notes field the bucket
/// does not hold takes its text from `notes`, or the empty text when there is none yet.
pub(crate) fn lay_notes(fields: &mut Map<String, Value>, notes_fields: &[&str], notes: Option<&Map<String, Value>>) {
    for field in notes_fields {
        if !fields.contains_key(*field) {
            let text = notes.and_then(|n| n.get(*field)).cloned().unwrap_or_else(|| Value::String(String::new()));
            fields.insert((*field).to_string(), text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::Role;
    use crate::doc::{Author, BucketId};
    use automerge::ActorId;

    fn author(name: &str) -> Author {
        Author { device_id: name.into(), person: name.into(), role: Role::Inspector }
    }

    fn note(record_id: &str, text: &str) -> NoteText {
        NoteText { record_id: record_id.into(), field: "notes", text: text.into() }
    }

    #[test]
    fn concurrent_notes_in_a_notes_document_merge_character_by_character() {
        let id = BucketId::parse("register/navbahor/2026/notes-3").unwrap();
        let record = RecordId::parse("0192f0c4-7d1e-7c3a-9f00-1234567890ab").unwrap();
        let mut a = Bucket::new(id.clone(), ActorId::random());
        a.write_notes(&[note(record.as_str(), "Met the family.")], &author("a"), Utc::now(), None).unwrap();
        let version = Version::new(a.heads());
        let mut b = Bucket { id, doc: a.doc.fork().with_actor(ActorId::random()) };
        a.write_notes(&[note(record.as_str(), "Met the family. Father at work.")], &author("a"), Utc::now(), Some(&version)).unwrap();
        b.write_notes(&[note(record.as_str(), "Met the family twice.")], &author("b"), Utc::now(), Some(&version)).unwrap();
        a.doc.merge(&mut b.doc).unwrap();
        let (fields, conflicts) = a.read_notes(&record).unwrap();
        assert_eq!(fields["notes"], "Met the family twice. Father at work.");
        assert!(conflicts.is_empty());
        assert_eq!(a.read_notes_at(&record, &version).unwrap()["notes"], "Met the family.");
        assert_eq!(a.write_notes(&[note(record.as_str(), "Met the family twice. Father at work.")], &author("a"), Utc::now(), None).unwrap(), None);
    }
}
