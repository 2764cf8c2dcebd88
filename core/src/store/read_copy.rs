//! A store in memory that holds copies of documents kept elsewhere (a PostgreSQL hub's), stored
//! and indexed by the same code as every write, so every list and report view reads it
//! unchanged. Nothing of it reaches the disk; what a view writes to it (the record accesses a
//! record's page notes) stays in memory, the hub's audit chain holds who saw what.

use super::{db, DeviceInfo, Store, MAX_RECORDS_PER_BUCKET};
use crate::doc::Bucket;
use crate::error::Result;
use crate::security::DeviceKey;
use automerge::ActorId;
use chrono::Utc;
use std::collections::HashMap;
use std::path::PathBuf;

impl Store {
    /// An empty store in memory whose views read as `device` (e.g. the hub) would.
    pub(crate) fn read_copy(device: DeviceInfo) -> Result<Store> {
        let conn = db::open_in_memory()?;
        let data_version = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok(Store {
            conn,
            path: PathBuf::new(),
            device,
            actor: ActorId::random(),
            // Never the hub's key: nothing made here may pass for its work.
            signing_key: DeviceKey::generate(),
            buckets: HashMap::new(),
            data_version,
            outside_writes: 0,
            free_pages_after_write: false,
            max_records_per_bucket: MAX_RECORDS_PER_BUCKET,
            as_of: None,
        })
    }

    /// Replaces this store's copy of a document with `bucket` (the whole document, its
    /// records re-indexed).
    pub(crate) fn copy_doc(&mut self, bucket: Bucket) -> Result<()> {
        let doc_id = bucket.id.to_string();
        let records = bucket.changed_since(&[]);
        let tx = db::WriteTx::begin(&self.conn)?;
        tx.execute("DELETE FROM doc_chunk WHERE doc_id = ?1", [&doc_id])?;
        tx.execute("DELETE FROM doc WHERE doc_id = ?1", [&doc_id])?;
        Self::store_and_index(&tx, &bucket, &bucket.doc.save(), bucket.summaries(&records), Utc::now().timestamp_millis())?;
        tx.commit()?;
        self.buckets.insert(doc_id, bucket);
        Ok(())
    }
}
