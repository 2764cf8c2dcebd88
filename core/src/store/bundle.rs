//! Merge bundles: the changes another replica lacks, as one file, so two stores can merge
//! without a hub (e.g. over a cable or a QR sequence). A replica describes what it has with a
//! [`Summary`] (its bytes: `wire/summary.rs`); the other exports a bundle against it.

use super::Store;
use crate::doc::{RawRecord, RecordSummary};
use crate::error::{Error, Result};
use crate::wire::{decode_hash, DocPayload};
use automerge::{Automerge, Change, ChangeHash, LoadOptions, OnPartialLoad, VerificationMode};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What a replica has: the heads of each of its bucket documents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Heads per document id.
    pub docs: BTreeMap<String, Vec<ChangeHash>>,
}

/// What importing a bundle did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Documents in the bundle.
    pub docs_received: usize,
    /// Documents that gained changes.
    pub docs_changed: usize,
    /// Records created or changed.
    pub records_changed: usize,
    /// Records that now hold conflicts.
    pub records_in_conflict: usize,
    /// Documents left out because this device may not hold them (need-to-know).
    pub docs_skipped: usize,
}

/// What a payload (its bytes: [`DocPayload`]) does with a document.
impl DocPayload {
    /// What `doc` has that a replica with `their_heads` lacks.
    pub(crate) fn missing_from(doc: &Automerge, their_heads: &[ChangeHash]) -> DocPayload {
        if their_heads.is_empty() {
            DocPayload::Snapshot(doc.save())
        } else {
            DocPayload::Changes(doc.get_changes(their_heads))
        }
    }

    /// Hashes of the changes the payload carries (for a snapshot: every change of `doc`).
    pub(crate) fn change_hashes(&self, doc: &Automerge) -> Vec<ChangeHash> {
        match self {
            DocPayload::Snapshot(_) => doc.get_changes_meta(&[]).into_iter().map(|m| m.hash).collect(),
            DocPayload::Changes(changes) => changes.iter().map(Change::hash).collect(),
        }
    }

    /// True when there is nothing to send.
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            DocPayload::Snapshot(bytes) => bytes.is_empty(),
            DocPayload::Changes(changes) => changes.is_empty(),
        }
    }

    /// Applies the payload to `doc`. Changes whose dependencies are missing wait inside the
    /// document until those arrive. Any panic inside Automerge becomes an error.
    pub(crate) fn apply(self, doc_id: &str, doc: &mut Automerge) -> Result<()> {
        let applied = catch_unwind(AssertUnwindSafe(|| match self {
            DocPayload::Snapshot(bytes) => {
                let options = LoadOptions::new().on_partial_load(OnPartialLoad::Error).verification_mode(VerificationMode::Check);
                let mut other = Automerge::load_with_options(&bytes, options)?;
                if doc.get_heads().is_empty() {
                    // A first delivery: take the document as it is instead of replaying it.
                    let actor = doc.get_actor().clone();
                    *doc = other.with_actor(actor);
                    Ok(())
                } else {
                    doc.merge(&mut other).map(|_| ())
                }
            }
            DocPayload::Changes(changes) => doc.apply_changes(changes),
        }));
        match applied {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) if e.to_string().contains("duplicate seq") => Err(Error::ClonedInstall { doc_id: doc_id.to_string(), reason: e.to_string() }),
            Ok(Err(e)) => Err(Error::document(doc_id, e)),
            Err(_) => Err(Error::document(doc_id, "the change bytes are malformed")),
        }
    }
}

/// A document loaded from a received snapshot by the checks, with the records they read.
pub(crate) struct LoadedDoc {
    /// The document.
    pub doc: Automerge,
    /// Its records as the checks read them, by id.
    pub read: HashMap<String, RawRecord>,
}

/// A document a merge changed: its id, its heads before, the records changed, and, when it was
/// taken whole from a received snapshot, that snapshot (stored as it came) and the records the
/// checks read.
type Touched = (String, Vec<ChangeHash>, BTreeSet<String>, Option<(Vec<u8>, HashMap<String, RawRecord>)>);

impl Store {
    /// The heads of every bucket document on this device.
    pub fn summary(&self) -> Result<Summary> {
        let mut stmt = self.conn.prepare("SELECT doc_id, heads FROM doc ORDER BY doc_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
        let mut docs = BTreeMap::new();
        for row in rows {
            let (doc_id, heads) = row?;
            let heads = heads.chunks(32).map(decode_hash).collect::<Result<Vec<_>, _>>().map_err(Error::Malformed)?;
            docs.insert(doc_id, heads);
        }
        Ok(Summary { docs })
    }

    /// Applies change bytes to their buckets and stores the result in one transaction. If
    /// anything fails, nothing is stored and the touched buckets are reloaded from disk.
    /// `also` runs inside the same transaction (signatures, sync bookkeeping).
    /// `loaded` holds documents already loaded from (and checked as) the snapshots of
    /// `incoming`: a document this device lacks is taken from there as it is, and its snapshot
    /// stored as it came, instead of loading and saving it again.
    pub(crate) fn merge_documents(
        &mut self,
        incoming: Vec<(String, DocPayload)>,
        loaded: &mut HashMap<String, LoadedDoc>,
        action: &str,
        also: impl FnOnce(&rusqlite::Connection) -> Result<()>,
    ) -> Result<ImportReport> {
        self.writable()?;
        self.writing(|store| {
            // Counted as users know them: buckets (a bucket's notes documents go with it).
            let buckets = |ids: &mut dyn Iterator<Item = &String>| ids.map(|id| crate::doc::bucket_of(id)).collect::<std::collections::BTreeSet<_>>().len();
            let mut report = ImportReport { docs_received: buckets(&mut incoming.iter().map(|(id, _)| id)), ..Default::default() };
            let doc_ids: Vec<String> = incoming.iter().map(|(id, _)| id.clone()).collect();
            let mut touched: Vec<Touched> = Vec::new();
            let mut changed_records = std::collections::BTreeSet::new();
            let merged = (|| {
                for (doc_id, payload) in incoming {
                    let limit = store.max_records_per_bucket;
                    let bucket = store.bucket(&doc_id)?;
                    let before = bucket.heads();
                    let count_before = bucket.record_count();
                    let taken = match (loaded.remove(&doc_id), payload) {
                        (Some(LoadedDoc { doc, read }), DocPayload::Snapshot(bytes)) if before.is_empty() => {
                            let actor = bucket.doc.get_actor().clone();
                            bucket.doc = doc.with_actor(actor);
                            Some((bytes, read))
                        }
                        (_, payload) => {
                            payload.apply(&doc_id, &mut bucket.doc)?;
                            None
                        }
                    };
                    bucket.check_record_limit(count_before, limit)?;
                    if bucket.heads() != before {
                        let records = bucket.changed_since(&before);
                        touched.push((doc_id, before, records, taken));
                    }
                }
                let tx = super::db::WriteTx::begin(&store.conn)?;
                for (doc_id, before, records, taken) in &mut touched {
                    let bucket = store.buckets.get(doc_id).ok_or_else(|| Error::document(doc_id, "bucket vanished from the cache"))?;
                    match taken {
                        // Every changed record read by the checks: index them from that reading.
                        Some((snapshot, read)) if records.iter().all(|id| read.contains_key(id)) => {
                            let summaries = records.iter().map(|id| (id.clone(), read.remove(id).map(RecordSummary::from))).collect();
                            Self::persist_read(&tx, bucket, snapshot, summaries, &store.device.device_id, action)?;
                        }
                        // A notes document new here: its records arrive with their buckets, which
                        // index them; there is nothing to mark as changed.
                        Some((snapshot, _)) if bucket.id.is_notes() => Self::persist(&tx, bucket, snapshot, &BTreeSet::new(), &store.device.device_id, action)?,
                        Some((snapshot, _)) => Self::persist(&tx, bucket, snapshot, records, &store.device.device_id, action)?,
                        None => Self::persist(&tx, bucket, &bucket.doc.save_after(before), records, &store.device.device_id, action)?,
                    }
                    changed_records.extend(records.iter().cloned());
                }
                report.docs_changed = buckets(&mut touched.iter().map(|(id, ..)| id));
                // A record whose bucket and notes document both changed counts once.
                report.records_changed = changed_records.len();
                also(&tx)?;
                report.records_in_conflict = tx.query_row("SELECT count(*) FROM record_index WHERE conflicts > 0", [], |r| r.get::<_, i64>(0))? as usize;
                tx.commit()?;
                Ok(())
            })();
            if let Err(e) = merged {
                for doc_id in &doc_ids {
                    store.buckets.remove(doc_id);
                }
                return Err(e);
            }
            Ok(report)
        })
    }
}
