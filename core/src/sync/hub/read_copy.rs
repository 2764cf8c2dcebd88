//! The records as a store the views read (the base-point console's pages): a SQLite hub's own
//! store file, or, for a hub whose data is in PostgreSQL, a copy in memory that catches up with
//! the database before each use (only the documents whose heads moved are copied again).

use super::Hub;
use crate::access::ALL_SCOPES;
use crate::device::{DeviceProfile, Role};
use crate::doc::Bucket;
use crate::error::{Error, Result};
use crate::store::{DeviceInfo, Store};
use std::sync::{Mutex, MutexGuard};

/// A copy of the hub's documents in memory, as the hub itself would read them.
pub(super) fn empty_copy(hub_id: &str, actor: &str, public_key: [u8; 32]) -> Result<Mutex<Store>> {
    let profile = DeviceProfile { person: "hub".into(), role: Role::Supervisor, scopes: vec![ALL_SCOPES.into()] };
    let device = DeviceInfo { device_id: hub_id.into(), actor: actor.into(), public_key: hex::encode(public_key), profile };
    Ok(Mutex::new(Store::read_copy(device)?))
}

impl Hub {
    /// Every record the hub holds, as a store the views read: the hub's store file on SQLite;
    /// on PostgreSQL a copy in memory, first caught up with the database.
    pub fn view_store(&self) -> Result<MutexGuard<'_, Store>> {
        let Some(copy) = &self.read_copy else { return self.store() };
        let mut copy = copy.lock().map_err(|_| Error::Io(std::io::Error::other("the hub's read copy's lock is poisoned")))?;
        let held = copy.doc_heads()?;
        for (doc_id, heads) in self.storage.all_doc_heads()? {
            if held.get(&doc_id) == Some(&heads) {
                continue;
            }
            if let Some(bucket) = self.doc(&doc_id, &heads)? {
                copy.copy_doc(Bucket { id: bucket.id.clone(), doc: bucket.doc.clone() })?;
            }
        }
        Ok(copy)
    }
}
