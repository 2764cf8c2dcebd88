//! Merge bundles: the changes another replica lacks, as one file, so two stores can merge
//! without a hub (e.g. over a cable or a QR sequence). A replica describes what it has with a
//! [`Summary`]; the other exports a bundle against it.

use super::Store;
use crate::doc::ChangeBudget;
use crate::error::{Error, Result};
use crate::wire::{decode_hash, MessageKind, Reader, WireError, Writer, MAX_DOCS_PER_MESSAGE, MAX_DOC_PAYLOAD_BYTES, MAX_ID_LEN};
use automerge::{Automerge, Change, ChangeHash, LoadOptions, OnPartialLoad, VerificationMode};
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Most heads one document may list in a summary.
const MAX_HEADS: usize = 1_000;

/// What a replica has: the heads of each of its bucket documents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Heads per document id.
    pub docs: BTreeMap<String, Vec<ChangeHash>>,
}

impl Summary {
    /// Encodes the summary for a file or the wire.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u32(self.docs.len() as u32);
        for (doc_id, heads) in &self.docs {
            w.str(doc_id).u32(heads.len() as u32);
            for head in heads {
                w.bytes(&head.0);
            }
        }
        w.finish(MessageKind::Summary)
    }

    /// Decodes a summary; malformed input is an error, never a panic.
    pub fn decode(bytes: &[u8]) -> Result<Summary, WireError> {
        let mut r = Reader::open(bytes, MessageKind::Summary)?;
        let mut docs = BTreeMap::new();
        for _ in 0..r.count("document count", MAX_DOCS_PER_MESSAGE)? {
            let doc_id = r.str("document id", MAX_ID_LEN)?.to_string();
            let mut heads = Vec::new();
            for _ in 0..r.count("head count", MAX_HEADS)? {
                heads.push(decode_hash(r.bytes("head", 32)?)?);
            }
            docs.insert(doc_id, heads);
        }
        r.finish()?;
        Ok(Summary { docs })
    }
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

/// Most changes one document may carry in one message.
pub(crate) const MAX_CHANGES_PER_DOC: usize = 200_000;

/// The changes of one document in a message: either a whole compressed snapshot (first
/// delivery) or the individual changes the receiver lacks.
#[derive(Clone)]
pub(crate) enum DocPayload {
    /// A whole document, as `Automerge::save` writes it.
    Snapshot(Vec<u8>),
    /// Individual changes.
    Changes(Vec<Change>),
}

const SNAPSHOT: u8 = 0;
const CHANGES: u8 = 1;

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

    pub(crate) fn write(&self, w: &mut Writer) {
        match self {
            DocPayload::Snapshot(bytes) => {
                w.u8(SNAPSHOT).bytes(bytes);
            }
            DocPayload::Changes(changes) => {
                w.u8(CHANGES);
                Self::write_changes(w, changes);
            }
        }
    }

    /// Writes a list of changes.
    pub(crate) fn write_changes(w: &mut Writer, changes: &[Change]) {
        w.u32(changes.len() as u32);
        for change in changes {
            w.bytes(change.raw_bytes());
        }
    }

    /// Reads and strictly verifies a list of changes (sizes bounded per payload).
    pub(crate) fn read_changes(r: &mut Reader<'_>, doc_id: &str) -> Result<Vec<Change>> {
        Self::read_changes_within(r, doc_id, &mut ChangeBudget::for_message())
    }

    /// Reads a list of changes without decoding them, checking each change's inflated size and
    /// operation count against `budget` (a first pass over a whole message, so that no change
    /// is decoded when the message as a whole is over its caps).
    pub(crate) fn check_changes(r: &mut Reader<'_>, doc_id: &str, budget: &mut ChangeBudget) -> Result<()> {
        let count = r.count("change count", MAX_CHANGES_PER_DOC)?;
        for _ in 0..count {
            let bytes = r.bytes("change", MAX_DOC_PAYLOAD_BYTES)?;
            budget.check(bytes).map_err(|reason| Error::Malformed(WireError::Invalid { what: "document changes", reason: format!("{doc_id}: {reason}") }))?;
        }
        Ok(())
    }

    /// Reads and strictly verifies a list of changes; each change's inflated size and operation
    /// count are checked, and drawn from `budget`, before Automerge decodes it.
    pub(crate) fn read_changes_within(r: &mut Reader<'_>, doc_id: &str, budget: &mut ChangeBudget) -> Result<Vec<Change>> {
        let invalid = |reason: String| Error::Malformed(WireError::Invalid { what: "document changes", reason: format!("{doc_id}: {reason}") });
        let count = r.count("change count", MAX_CHANGES_PER_DOC)?;
        let mut changes = Vec::with_capacity(count.min(1024));
        for _ in 0..count {
            let bytes = r.bytes("change", MAX_DOC_PAYLOAD_BYTES)?;
            budget.check(bytes).map_err(invalid)?;
            let change = catch_unwind(AssertUnwindSafe(|| Change::try_from(bytes)))
                .map_err(|_| invalid("a change could not be decoded".into()))?
                .map_err(|e| invalid(e.to_string()))?;
            changes.push(change);
        }
        Ok(changes)
    }

    /// Reads and strictly verifies a payload (checksums, structure); nothing is applied yet.
    pub(crate) fn read(r: &mut Reader<'_>, doc_id: &str) -> Result<DocPayload> {
        let invalid = |reason: String| Error::Malformed(WireError::Invalid { what: "document changes", reason: format!("{doc_id}: {reason}") });
        match r.u8("payload kind")? {
            SNAPSHOT => Ok(DocPayload::Snapshot(r.bytes("document snapshot", MAX_DOC_PAYLOAD_BYTES)?.to_vec())),
            CHANGES => Ok(DocPayload::Changes(Self::read_changes(r, doc_id)?)),
            other => Err(invalid(format!("unknown payload kind {other}"))),
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
    pub(crate) fn merge_documents(
        &mut self,
        incoming: Vec<(String, DocPayload)>,
        action: &str,
        also: impl FnOnce(&rusqlite::Connection) -> Result<()>,
    ) -> Result<ImportReport> {
        let mut report = ImportReport { docs_received: incoming.len(), ..Default::default() };
        let doc_ids: Vec<String> = incoming.iter().map(|(id, _)| id.clone()).collect();
        let mut touched: Vec<(String, Vec<ChangeHash>, BTreeSet<String>)> = Vec::new();
        let merged = (|| {
            for (doc_id, payload) in incoming {
                let limit = self.max_records_per_bucket;
                let bucket = self.bucket(&doc_id)?;
                let before = bucket.heads();
                let count_before = bucket.record_count();
                payload.apply(&doc_id, &mut bucket.doc)?;
                bucket.check_record_limit(count_before, limit)?;
                if bucket.heads() != before {
                    let records = bucket.changed_since(&before);
                    touched.push((doc_id, before, records));
                }
            }
            let tx = self.conn.unchecked_transaction()?;
            for (doc_id, before, records) in &touched {
                let bucket = self.buckets.get(doc_id).ok_or_else(|| Error::document(doc_id, "bucket vanished from the cache"))?;
                Self::persist(&tx, bucket, &bucket.doc.save_after(before), records, &self.device.device_id, action)?;
                report.docs_changed += 1;
                report.records_changed += records.len();
            }
            also(&tx)?;
            report.records_in_conflict = tx.query_row("SELECT count(*) FROM record_index WHERE conflicts > 0", [], |r| r.get::<_, i64>(0))? as usize;
            tx.commit()?;
            Ok(())
        })();
        if let Err(e) = merged {
            for doc_id in &doc_ids {
                self.buckets.remove(doc_id);
            }
            return Err(e);
        }
        Ok(report)
    }
}
