//! A record's past through the store: its field history, the record as of a date, and an
//! earlier value restored as a new change (history is never rewritten).

use super::{index, Store};
use crate::doc::RecordHistory;
use crate::error::{Error, Result};
use crate::ids::RecordId;
use crate::model::{Application, Conversation, JointEvent, ParentCase, Person, Programme, Record, RecordKind, Referral, TrainingSession};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

impl Store {
    /// Every value each field of the record had, who set it and when, which were concurrent,
    /// and who wrote each passage of its text fields.
    pub fn history(&mut self, id: &RecordId) -> Result<RecordHistory> {
        let (doc_id, kind) = index::locate(&self.conn, id.as_str())?.ok_or_else(|| Error::NotFound(id.to_string()))?;
        self.history_joined(&doc_id, id, kind)
    }

    /// How many changes the document holding the record has (what [`history`](Self::history)
    /// looks through).
    pub fn history_changes(&mut self, id: &RecordId) -> Result<usize> {
        let (doc_id, _) = index::locate(&self.conn, id.as_str())?.ok_or_else(|| Error::NotFound(id.to_string()))?;
        Ok(self.bucket(&doc_id)?.doc.get_changes_meta(&[]).len())
    }

    /// The record (JSON, winning values) as it stood at `at`, by the clocks of the devices that
    /// made its changes; `None` when it did not exist yet.
    pub fn get_as_of(&mut self, id: &RecordId, at: DateTime<Utc>) -> Result<Option<Value>> {
        let (doc_id, kind) = index::locate(&self.conn, id.as_str())?.ok_or_else(|| Error::NotFound(id.to_string()))?;
        self.as_of_joined(&doc_id, id, kind, at)
    }

    /// Gives the field at `path` (slash-separated) an earlier value again (`None`: removes it,
    /// as an entry that was not there), as a new change made on the record as it is now: the
    /// record's rules are checked as for any edit. Returns false when it already had that value.
    pub fn restore_field(&mut self, id: &RecordId, path: &str, value: Option<&Value>) -> Result<bool> {
        self.set_field(id, path, value).map_err(|e| match e {
            Error::BadInput(why) => Error::BadInput(format!("restore: {why}")),
            other => other,
        })
    }

    /// Sets the field at `path` (slash-separated; `None` removes it) as an edit of the record
    /// as it is now, its rules checked as for any edit. Returns false when nothing changed.
    pub(crate) fn set_field(&mut self, id: &RecordId, path: &str, value: Option<&Value>) -> Result<bool> {
        let kind = index::locate(&self.conn, id.as_str())?.ok_or_else(|| Error::NotFound(id.to_string()))?.1;
        let version = self.version_of(id)?;
        let mut record = self.get_raw(id)?.value;
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let Some((last, parents)) = parts.split_last() else {
            return Err(Error::BadInput("the field path is empty".into()));
        };
        let mut slot = &mut record;
        for part in parents {
            let Value::Object(map) = slot else {
                return Err(Error::BadInput(format!("{path} is not a field of record {id}")));
            };
            slot = map.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
        }
        let Value::Object(map) = slot else {
            return Err(Error::BadInput(format!("{path} is not a field of record {id}")));
        };
        match value {
            Some(value) => map.insert(last.to_string(), value.clone()),
            None => map.remove(*last),
        };
        match kind {
            RecordKind::Person => self.put_restored::<Person>(record, &version),
            RecordKind::Conversation => self.put_restored::<Conversation>(record, &version),
            RecordKind::ParentCase => self.put_restored::<ParentCase>(record, &version),
            RecordKind::Referral => self.put_restored::<Referral>(record, &version),
            RecordKind::Application => self.put_restored::<Application>(record, &version),
            RecordKind::JointEvent => self.put_restored::<JointEvent>(record, &version),
            RecordKind::Programme => self.put_restored::<Programme>(record, &version),
            RecordKind::Training => self.put_restored::<TrainingSession>(record, &version),
        }
    }

    fn put_restored<R: Record>(&mut self, record: Value, version: &crate::doc::Version) -> Result<bool> {
        let record: R = serde_json::from_value(record).map_err(|e| Error::BadInput(format!("the value does not fit the record ({e})")))?;
        self.put_at(&record, version)
    }
}
