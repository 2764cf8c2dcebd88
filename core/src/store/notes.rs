//! Records joined with their notes documents (ARCHITECTURE §3, `doc/notes.rs`): every read of a
//! record through the store lays its notes over the fields its bucket holds, and every write
//! puts the notes in the record's notes document, with the bucket's change, in one
//! transaction.

use super::Store;
use crate::doc::{lay_notes, BucketId, NoteText, RawRecord, RecordHistory, Stored, Version};
use crate::error::{Error, Result};
use crate::ids::RecordId;
use crate::model::{Record, RecordKind};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The most records one change holds. A document load rebuilds every change whole to hash it,
/// so a bulk write of 2,000 records as one change needed twice its size again at that moment
/// (ARCHITECTURE §8: the load peak).
const RECORDS_PER_CHANGE: usize = 100;

/// The id of the notes document of `record_id` in the bucket `doc_id`.
fn notes_doc(doc_id: &str, record_id: &str) -> Result<String> {
    let bucket = BucketId::parse(doc_id).ok_or_else(|| Error::document(doc_id, "not a bucket id"))?;
    Ok(bucket.notes_for(record_id).to_string())
}

impl Store {
    /// A record from bucket `doc_id` with its notes and the conflicts of both documents.
    pub(crate) fn read_joined(&mut self, doc_id: &str, id: &RecordId) -> Result<Option<RawRecord>> {
        let Some(mut raw) = self.bucket(doc_id)?.read_raw(id.as_str()) else { return Ok(None) };
        let fields = raw.kind.notes_fields();
        let Value::Object(map) = &mut raw.value else { return Ok(Some(raw)) };
        if fields.iter().all(|f| map.contains_key(*f)) {
            return Ok(Some(raw));
        }
        let notes = self.bucket(&notes_doc(doc_id, id.as_str())?)?.read_notes(id);
        let (notes, conflicts) = notes.map_or((None, Vec::new()), |(n, c)| (Some(n), c));
        lay_notes(map, fields, notes.as_ref());
        raw.conflicts.extend(conflicts.into_iter().filter(|c| fields.contains(&c.path.as_str())));
        Ok(Some(raw))
    }

    /// [`read_joined`](Self::read_joined) as the record's type.
    pub(crate) fn read_typed<R: Record>(&mut self, doc_id: &str, id: &RecordId) -> Result<Option<Stored<R>>> {
        self.read_joined(doc_id, id)?.map(|raw| raw.typed(id, doc_id)).transpose()
    }

    /// A typed record with its notes as it stood at `version` (heads of its bucket and of its
    /// notes document; the current record when neither knows them).
    pub(crate) fn read_typed_at<R: Record>(&mut self, doc_id: &str, id: &RecordId, version: &Version) -> Result<Option<R>> {
        let Some(mut fields) = self.bucket(doc_id)?.read_fields_at::<R>(id, version)? else { return Ok(None) };
        let notes_fields = R::KIND.notes_fields();
        if !notes_fields.iter().all(|f| fields.contains_key(*f)) {
            let notes = self.bucket(&notes_doc(doc_id, id.as_str())?)?.read_notes_at(id, version);
            lay_notes(&mut fields, notes_fields, notes.as_ref());
        }
        serde_json::from_value(Value::Object(fields)).map(Some).map_err(|e| Error::document(doc_id, e))
    }

    /// The version a form keeps: the heads of the record's bucket and of its notes document.
    pub(crate) fn version_in(&mut self, doc_id: &str, record_id: &str, kind: RecordKind) -> Result<Version> {
        let mut heads = self.bucket(doc_id)?.heads();
        if !kind.notes_fields().is_empty() {
            heads.extend(self.bucket(&notes_doc(doc_id, record_id)?)?.heads());
        }
        Ok(Version::new(heads))
    }

    /// Writes `records` into bucket `doc_id` and their notes into their notes documents, as an
    /// edit of `base` when given, in one transaction (`also` runs in it when the bucket
    /// changed): a change of the bucket per [`RECORDS_PER_CHANGE`] records, one change of each
    /// notes document. Returns whether anything changed.
    pub(crate) fn write_records<R: Record>(
        &mut self,
        doc_id: &str,
        records: &[&R],
        base: Option<&Version>,
        also: impl FnOnce(&Connection) -> Result<()>,
    ) -> Result<bool> {
        let now = Utc::now();
        self.writable()?;
        self.writing(|store| {
            let mut pending_also = Some(also);
            let mut notes = Vec::new();
            let mut bucket_changed = false;
            for chunk in records.chunks(RECORDS_PER_CHANGE) {
                let ids: BTreeSet<String> = chunk.iter().map(|r| r.id().to_string()).collect();
                let also = |tx: &Connection| pending_also.take().map_or(Ok(()), |also| also(tx));
                bucket_changed |= store.edit_bucket(
                    doc_id,
                    "put",
                    |bucket, author| {
                        let (hash, moved) = bucket.write_records_at(chunk, author, now, base, true)?;
                        notes.extend(moved);
                        Ok((hash.is_some(), ids))
                    },
                    also,
                )?;
            }
            // The notes of all the records go into each notes document as one change: a notes
            // document holds a sixteenth of the bucket's records, so its changes stay small.
            let mut by_doc: BTreeMap<String, Vec<NoteText>> = BTreeMap::new();
            for note in notes {
                by_doc.entry(notes_doc(doc_id, &note.record_id)?).or_default().push(note);
            }
            let mut notes_changed = false;
            // The bucket's change, when there is one, is the audited entry of this edit.
            let action = if bucket_changed { "" } else { "put" };
            for (notes_id, texts) in by_doc {
                let touched: BTreeSet<String> = texts.iter().map(|n| n.record_id.clone()).collect();
                notes_changed |=
                    store.edit_bucket(&notes_id, action, |doc, author| Ok((doc.write_notes(&texts, author, now, base)?.is_some(), touched)), |_| Ok(()))?;
            }
            Ok(bucket_changed || notes_changed)
        })
    }

    /// The document a conflict at `path` of a record lives in: its notes document for a notes
    /// field its bucket does not hold, else its bucket.
    pub(crate) fn conflict_doc(&mut self, doc_id: &str, id: &RecordId, kind: RecordKind, path: &str) -> Result<String> {
        if kind.notes_fields().contains(&path) && !self.bucket(doc_id)?.holds_field(id.as_str(), path) {
            return notes_doc(doc_id, id.as_str());
        }
        Ok(doc_id.to_string())
    }

    /// The record's history in its bucket and in its notes document, in time order.
    pub(crate) fn history_joined(&mut self, doc_id: &str, id: &RecordId, kind: RecordKind) -> Result<RecordHistory> {
        let mut history = self.bucket(doc_id)?.history(id.as_str());
        if !kind.notes_fields().is_empty() {
            let notes = self.bucket(&notes_doc(doc_id, id.as_str())?)?.history(id.as_str());
            if !notes.values.is_empty() {
                history.values.extend(notes.values);
                history.values.sort_by_key(|v| v.at);
            }
            history.passages.extend(notes.passages);
        }
        Ok(history)
    }

    /// The record with its notes as it stood at `at` (`None`: it did not exist yet).
    pub(crate) fn as_of_joined(&mut self, doc_id: &str, id: &RecordId, kind: RecordKind, at: DateTime<Utc>) -> Result<Option<Value>> {
        let Some(mut value) = self.bucket(doc_id)?.record_as_of(id.as_str(), at) else { return Ok(None) };
        let fields = kind.notes_fields();
        if let Value::Object(map) = &mut value {
            if !fields.iter().all(|f| map.contains_key(*f)) {
                let notes = self.bucket(&notes_doc(doc_id, id.as_str())?)?.record_as_of(id.as_str(), at);
                lay_notes(map, fields, notes.as_ref().and_then(Value::as_object));
            }
        }
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Person;
    use crate::sample::SampleData;
    use crate::{DeviceProfile, MemoryKeyProvider, Role, Store};

    fn store(dir: &std::path::Path) -> Store {
        let profile = DeviceProfile { person: "aziz".into(), role: Role::Inspector, scopes: vec!["Navbahor".into()] };
        Store::create(dir.join("aziz.db"), &MemoryKeyProvider::new(), profile).unwrap()
    }

    #[test]
    fn notes_live_in_a_notes_document_and_a_form_splices_only_what_its_user_changed() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(dir.path());
        let mut person = SampleData::new(7).person("Navbahor", 2026);
        person.notes = "Met the family.".into();
        store.put(&person).unwrap();
        let doc_id = crate::store::index::locate(&store.conn, person.id.as_str()).unwrap().unwrap().0;
        assert!(!store.bucket(&doc_id).unwrap().holds_field(person.id.as_str(), "notes"), "the bucket holds no notes");
        let notes_id = super::notes_doc(&doc_id, person.id.as_str()).unwrap();
        assert!(store.bucket(&notes_id).unwrap().read_notes(&person.id).is_some(), "its notes document does");

        // A form read now, a colleague's sentence arriving meanwhile, then the form saved.
        let version = store.version_of(&person.id).unwrap();
        assert_eq!(version.heads().len(), 2, "the heads of the bucket and of the notes document");
        store.update::<Person>(&person.id, |p| p.notes = "Met the family. Father at work.".into()).unwrap();
        let mut form = store.get_at::<Person>(&person.id, &version).unwrap().unwrap();
        assert_eq!(form.notes, "Met the family.");
        form.notes = "Met the family twice.".into();
        form.address.house = "9".into();
        store.put_at(&form, &version).unwrap();
        let stored = store.get::<Person>(&person.id).unwrap();
        assert_eq!(stored.record.notes, "Met the family twice. Father at work.");
        assert_eq!(stored.record.address.house, "9");
        assert!(stored.conflicts.is_empty());
        let history = store.history(&person.id).unwrap();
        assert!(history.values.iter().any(|v| v.path == "notes"), "the notes' history is the record's");
        assert!(history.values.iter().any(|v| v.path == "address/house"));

        // A notes-only edit moves the record up as changed and is audited once.
        let audited = store.verify_audit().unwrap().entries;
        store.update::<Person>(&person.id, |p| p.notes.push_str(" Again.")).unwrap();
        assert_eq!(store.verify_audit().unwrap().entries, audited + 1);
    }

    #[test]
    fn a_record_written_before_notes_documents_keeps_its_notes_in_its_bucket() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(dir.path());
        let mut person = SampleData::new(8).person("Navbahor", 2026);
        person.notes = "Old note.".into();
        // Written as before notes documents: notes in the bucket.
        let doc_id = crate::doc::BucketId::for_record(&person).to_string();
        let ids = std::collections::BTreeSet::from([person.id.to_string()]);
        store.edit_bucket(&doc_id, "put", |bucket, author| Ok((bucket.write(&[&person], author, chrono::Utc::now())?.is_some(), ids)), |_| Ok(())).unwrap();
        store.update::<Person>(&person.id, |p| p.notes = "Old note. New sentence.".into()).unwrap();
        assert_eq!(store.get::<Person>(&person.id).unwrap().record.notes, "Old note. New sentence.");
        assert!(store.bucket(&doc_id).unwrap().holds_field(person.id.as_str(), "notes"));
        let notes_id = super::notes_doc(&doc_id, person.id.as_str()).unwrap();
        assert!(store.bucket(&notes_id).unwrap().heads().is_empty(), "no notes document was written");
    }
}
