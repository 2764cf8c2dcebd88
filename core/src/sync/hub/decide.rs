//! A conflict decided at the hub (the supervisors' console): the chosen value is written as a
//! change of the hub's own actor, signed with the hub's key and authored by the supervisor who
//! chose it, so it reaches every phone at its next sync like any other change.

use super::storage::DocWrite;
use super::Hub;
use crate::doc::{Author, BucketId};
use crate::error::{Error, Result};
use crate::ids::RecordId;
use crate::wire::ChangeSignature;
use std::collections::BTreeSet;

impl Hub {
    /// The document (bucket id) that holds `record_id`, if the hub holds it: one lookup in the
    /// record index of the store the views read.
    pub fn record_bucket(&self, record_id: &str) -> Result<Option<BucketId>> {
        self.view_store()?.record_bucket(record_id)
    }

    /// Decides an open conflict of `record_id` at `path` for the value `value_json` (one of
    /// the conflicting values, as JSON), as `decided_by` (a console account). Fails with
    /// `NoSuchConflict` when the field has no open conflict (e.g. someone decided it first).
    pub fn resolve_conflict(&self, record_id: &str, path: &str, value_json: &str, decided_by: &str) -> Result<()> {
        let id = RecordId::parse(record_id).ok_or_else(|| Error::NotFound(record_id.to_string()))?;
        let chosen: serde_json::Value = serde_json::from_str(value_json).map_err(|e| Error::BadArgument(format!("the chosen value is not JSON: {e}")))?;
        let bucket_id = self.record_bucket(record_id)?.ok_or_else(|| Error::NotFound(record_id.to_string()))?;
        let doc_id = bucket_id.to_string();
        let mut tx = self.storage.write_doc(&doc_id)?;
        let mut bucket = self.doc_for_write(&mut *tx, &doc_id)?.ok_or_else(|| Error::NotFound(record_id.to_string()))?;
        let kind = bucket.read_raw(record_id).ok_or_else(|| Error::NotFound(record_id.to_string()))?.kind;
        let before = bucket.heads();
        let author = Author { device_id: self.hub_id().to_string(), person: decided_by.to_string(), role: crate::Role::Supervisor };
        let hash = bucket.resolve(&id, path, &chosen, kind.text_fields(), &author, (self.now)())?;
        let records = BTreeSet::from([record_id.to_string()]);
        let action = format!("resolve:console:{decided_by}");
        tx.put_doc(&DocWrite { bucket: &bucket, before: &before, records: &records, device_id: self.hub_id(), action: &action })?;
        tx.store_signatures(&[ChangeSignature { hash, device_id: self.hub_id().to_string(), signature: self.identity.key.sign_change(&hash.0) }])?;
        tx.commit()?;
        self.cache.put(&doc_id, bucket);
        Ok(())
    }
}
