//! The hub's documents: a per-node cache that is checked against the stored heads before use
//! (another node may have written), and the write of accepted changes under the document's
//! write lock, with final registry numbers given in the same transaction.

use super::storage::{DocWrite, HubTx};
use super::{DeviceRow, Hub};
use crate::doc::{lay_notes, Author, Bucket, BucketId, RawRecord};
use crate::error::{Error, Result};
use crate::ids::RecordId;
use crate::model::{check_record, Application, Audience, Record};
use crate::store::encode_heads;
use crate::sync::validate::{check_offer, Verdict};
use crate::wire::frames::DocOffer;
use crate::wire::ChangeSignature;
use crate::wire::DocPayload;
use automerge::{ActorId, ChangeHash, ReadDoc, ROOT};
use chrono::Datelike;
use std::collections::{BTreeMap, HashMap};
use std::ops::Deref;
use std::sync::{Arc, Mutex, OnceLock};

/// A version of a stored document held in memory, with its snapshot once one was asked for:
/// every device provisioned with this version gets the same bytes, saved once.
pub(super) struct HubDoc {
    bucket: Bucket,
    snapshot: OnceLock<Vec<u8>>,
}

impl HubDoc {
    /// The whole document as one compacted snapshot (saved on the first call).
    pub(super) fn snapshot(&self) -> Vec<u8> {
        self.snapshot.get_or_init(|| self.bucket.doc.save()).clone()
    }
}

impl Deref for HubDoc {
    type Target = Bucket;

    fn deref(&self) -> &Bucket {
        &self.bucket
    }
}

/// A cached document and the stored heads (encoded) it is the version of.
type Cached = (Vec<u8>, Arc<HubDoc>);

/// Documents held in memory by this hub node, each with the stored heads it was read at.
#[derive(Default)]
pub(super) struct DocCache {
    docs: Mutex<HashMap<String, Cached>>,
}

impl DocCache {
    /// The cached document if it is the stored version `heads`.
    fn get(&self, doc_id: &str, heads: &[u8]) -> Option<Arc<HubDoc>> {
        let docs = self.docs.lock().ok()?;
        docs.get(doc_id).filter(|(h, _)| h.as_slice() == heads).map(|(_, b)| Arc::clone(b))
    }

    /// Caches `bucket` as the stored version of `doc_id` (replacing an older one).
    pub(super) fn put(&self, doc_id: &str, bucket: Bucket) -> Arc<HubDoc> {
        let doc = Arc::new(HubDoc { bucket, snapshot: OnceLock::new() });
        if let Ok(mut docs) = self.docs.lock() {
            docs.insert(doc_id.to_string(), (encode_heads(&doc.heads()), Arc::clone(&doc)));
        }
        doc
    }
}

/// A bucket id the hub may store, or a document error.
fn bucket_id(doc_id: &str) -> Result<BucketId> {
    BucketId::parse(doc_id).ok_or_else(|| Error::document(doc_id, "not a bucket id"))
}

impl Hub {
    fn actor(&self) -> Result<ActorId> {
        hex::decode(&self.identity.actor).map(ActorId::from).map_err(|_| Error::Corrupt("the hub's actor id is not hex".into()))
    }

    fn load(&self, doc_id: &str, bytes: &[u8]) -> Result<Bucket> {
        let id = bucket_id(doc_id)?;
        if bytes.is_empty() {
            Ok(Bucket::new(id, self.actor()?))
        } else {
            Bucket::load(id, bytes, self.actor()?)
        }
    }

    /// The stored document whose heads were `heads` when asked (or a later version of it), from
    /// this node's cache when it holds that version; `None` when it is not stored.
    pub(super) fn doc(&self, doc_id: &str, heads: &[u8]) -> Result<Option<Arc<HubDoc>>> {
        if let Some(bucket) = self.cache.get(doc_id, heads) {
            return Ok(Some(bucket));
        }
        let bytes = self.storage.read()?.doc_bytes(doc_id)?;
        bytes.map(|bytes| Ok(self.cache.put(doc_id, self.load(doc_id, &bytes)?))).transpose()
    }

    /// The document as stored now, inside a transaction that holds its write lock (a copy the
    /// caller may change); `None` when it is not stored.
    pub(super) fn doc_for_write(&self, tx: &mut dyn HubTx, doc_id: &str) -> Result<Option<Bucket>> {
        let Some(heads) = tx.doc_heads(doc_id)? else { return Ok(None) };
        if let Some(cached) = self.cache.get(doc_id, &heads) {
            return Ok(Some(Bucket { id: cached.id.clone(), doc: cached.doc.clone() }));
        }
        let bytes = tx.doc_bytes(doc_id)?.unwrap_or_default();
        self.load(doc_id, &bytes).map(Some)
    }

    /// Checks one offered document against the hub's copy under its write lock and stores the
    /// changes that pass, with their signatures and final numbers for new applications, in
    /// one transaction. Two nodes (or threads) writing one document take turns; each checks
    /// against what the other stored.
    pub(super) fn apply_offer(
        &self,
        device: &DeviceRow,
        offer: &DocOffer,
        signatures: &HashMap<ChangeHash, ChangeSignature>,
        author_of: &dyn Fn(&str) -> Option<DeviceRow>,
    ) -> Result<Verdict> {
        let mut tx = self.storage.write_doc(&offer.doc_id)?;
        let current = self.doc_for_write(&mut *tx, &offer.doc_id)?;
        let verdict = check_offer(self.max_records_per_bucket(), device, current.as_ref(), offer, signatures, author_of);
        let Verdict::Checked { accept, .. } = &verdict else { return Ok(verdict) };
        if accept.is_empty() {
            return Ok(verdict);
        }
        let mut bucket = match current {
            Some(bucket) => bucket,
            None => Bucket::new(bucket_id(&offer.doc_id)?, self.actor()?),
        };
        let before = bucket.heads();
        let mut keep: Vec<ChangeSignature> = accept.iter().filter_map(|c| signatures.get(&c.hash()).cloned()).collect();
        DocPayload::Changes(accept.clone()).apply(&offer.doc_id, &mut bucket.doc)?;
        if bucket.id.audience == Audience::Register {
            // Applications that arrived without a final registry number get one now; the
            // answer carries the numbers back to the device.
            self.number_applications(&mut *tx, &mut bucket, &before, &mut keep)?;
        }
        let records = bucket.changed_since(&before);
        let action = format!("sync:{}", device.device_id);
        tx.put_doc(&DocWrite { bucket: &bucket, before: &before, records: &records, device_id: self.hub_id(), action: &action })?;
        tx.store_signatures(&keep)?;
        tx.commit()?;
        self.cache.put(&offer.doc_id, bucket);
        Ok(verdict)
    }

    /// Gives every application changed since `before` that has no final number the next
    /// number of its book and year (in order of registration, then provisional number), each
    /// as a change of the hub signed with its key. A number the hub gave before it was
    /// restored from a backup, offered back by a device, moves the counter past it. The
    /// counters are locked (in one order) until the caller commits.
    fn number_applications(&self, tx: &mut dyn HubTx, bucket: &mut Bucket, before: &[ChangeHash], signatures: &mut Vec<ChangeSignature>) -> Result<()> {
        let mut waiting: Vec<Application> = Vec::new();
        let mut counters: BTreeMap<(String, i32), (u32, bool)> = BTreeMap::new();
        let mut given: Vec<(String, i32, u32)> = Vec::new();
        for id in bucket.changed_since(before) {
            let Some(record_id) = RecordId::parse(&id) else { continue };
            let Ok(Some(stored)) = bucket.read::<Application>(&record_id) else { continue };
            let key = (stored.record.book.as_str().to_string(), stored.record.registered_on.year());
            counters.insert(key.clone(), (0, false));
            match stored.record.final_number {
                None => waiting.push(stored.record),
                Some(number) => given.push((key.0, key.1, number)),
            }
        }
        for ((book, year), (last, _)) in counters.iter_mut() {
            *last = tx.registry_last(book, *year)?;
        }
        for (book, year, number) in given {
            if let Some((last, changed)) = counters.get_mut(&(book, year)) {
                if number > *last {
                    *last = number;
                    *changed = true;
                }
            }
        }
        waiting.sort_by(|a, b| (a.registered_on, &a.provisional_number).cmp(&(b.registered_on, &b.provisional_number)));
        let now = (self.now)();
        let author = Author { device_id: self.hub_id().to_string(), person: "hub".into(), role: crate::Role::Supervisor };
        for mut application in waiting {
            let Some((last, changed)) = counters.get_mut(&(application.book.as_str().to_string(), application.registered_on.year())) else { continue };
            let Some(number) = last.checked_add(1) else { continue };
            application.final_number = Some(number);
            // An application that breaks a rule stays provisional rather than failing the sync.
            if check_record(&application, now).is_err() {
                continue;
            }
            if let Some(hash) = bucket.write(&[&application], &author, now)? {
                signatures.push(ChangeSignature { hash, device_id: self.hub_id().to_string(), signature: self.identity.key.sign_change(&hash.0) });
                *last = number;
                *changed = true;
            }
        }
        for ((book, year), (last, changed)) in counters {
            if changed {
                tx.set_registry_last(&book, year, last)?;
            }
        }
        Ok(())
    }

    /// Every record the hub holds, by id, with its notes (reads every document: for tests,
    /// benches, dashboards).
    pub fn records(&self) -> Result<BTreeMap<String, RawRecord>> {
        let mut out = BTreeMap::new();
        let mut notes = BTreeMap::new();
        for (doc_id, heads) in self.storage.all_doc_heads()? {
            let Some(bucket) = self.doc(&doc_id, &heads)? else { continue };
            for key in bucket.doc.keys(ROOT) {
                let Some(id) = RecordId::parse(&key) else { continue };
                if bucket.id.is_notes() {
                    if let Some((fields, _)) = bucket.read_notes(&id) {
                        notes.insert(key, fields);
                    }
                } else if let Some(raw) = bucket.read_raw(&key) {
                    out.insert(key, raw);
                }
            }
        }
        for (key, raw) in out.iter_mut() {
            if let serde_json::Value::Object(fields) = &mut raw.value {
                lay_notes(fields, raw.kind.notes_fields(), notes.get(key));
            }
        }
        Ok(out)
    }

    /// A typed record as the hub holds it, with its notes, if it does (reads every document
    /// until found).
    pub fn record<R: Record>(&self, id: &RecordId) -> Result<Option<R>> {
        let all = self.storage.all_doc_heads()?;
        for (doc_id, heads) in all.iter().filter(|(doc_id, _)| !BucketId::parse(doc_id).is_some_and(|b| b.is_notes())) {
            let Some(bucket) = self.doc(doc_id, heads)? else { continue };
            let Some(mut raw) = bucket.read_raw(id.as_str()) else { continue };
            let notes_id = bucket.id.notes_for(id.as_str()).to_string();
            let notes = match all.get(&notes_id) {
                Some(heads) => self.doc(&notes_id, heads)?.and_then(|n| n.read_notes(id)).map(|(fields, _)| fields),
                None => None,
            };
            if let serde_json::Value::Object(fields) = &mut raw.value {
                lay_notes(fields, R::KIND.notes_fields(), notes.as_ref());
            }
            return raw.typed::<R>(id, doc_id).map(|stored| Some(stored.record));
        }
        Ok(None)
    }
}
