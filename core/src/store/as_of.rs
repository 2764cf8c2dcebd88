//! Lists and reports as they stood at a past time (issue 16). [`Store::as_of`] builds a second
//! store in memory whose documents are this store's documents cut at that time, indexed by the
//! same code as every write, so every list and report view reads it unchanged. It is
//! read-only: every write, sync, export and backup is refused with [`Error::ReadOnly`], and its
//! database connection is `query_only` behind that.
//!
//! A document is cut by its changes' own times ([`Bucket::cut_as_of`]): a change dated at or
//! before the time is in, unless it builds on a change dated after it (Automerge needs every
//! change's dependencies): then it is left out with everything built on it, and counted as
//! held back. Changes dated earlier than a change they build on (a device's clock was behind)
//! are counted too, so the views can say so instead of hiding it.

use super::{db, write_meta, Store};
use crate::doc::Bucket;
use crate::error::{Error, Result};
use crate::security::DeviceKey;
use automerge::ActorId;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::PathBuf;

/// What a store of records as of a time holds and what its cut says about the devices' clocks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsOfReport {
    /// The time the store shows (UTC).
    pub at: DateTime<Utc>,
    /// Documents that had changes by then.
    pub docs: usize,
    /// Records they held then.
    pub records: usize,
    /// Changes in the store: dated at or before the time, building only on such changes.
    pub changes: usize,
    /// Changes dated after the time, left out.
    pub later: usize,
    /// Changes dated at or before the time, left out because they build on a change dated
    /// after it (a device's clock was behind, or another device's ahead).
    pub held_back: usize,
    /// Changes dated at or before the time but earlier than a change they build on: the clock
    /// of the device that made them was behind. They are placed by the time they carry.
    pub clock_behind: usize,
}

impl Store {
    /// A read-only store of every record as it stood at `at`, by the clocks of the devices that
    /// made the changes: each document of this store cut at `at` and indexed as usual, so every
    /// list and report view works on it. It lives in memory only (nothing of it reaches the
    /// disk) and is never written: writes, syncs, exports and backups fail with
    /// [`Error::ReadOnly`]; the views that record an access to one record (a record's detail)
    /// fail the same way, read such a record with [`get_as_of`](Self::get_as_of) here instead.
    /// Settings (risk weights) are this store's current ones. [`as_of_report`](Self::as_of_report)
    /// says what was cut.
    pub fn as_of(&mut self, at: DateTime<Utc>) -> Result<Store> {
        self.writable()?;
        let conn = db::open_in_memory()?;
        let settings: Vec<(String, String)> = {
            let mut stmt = self.conn.prepare("SELECT key, value FROM meta WHERE key LIKE 'setting:%'")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        let doc_ids: Vec<String> = {
            let mut stmt = self.conn.prepare("SELECT doc_id FROM doc ORDER BY doc_id")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            ids
        };
        let actor = ActorId::random();
        let now = Utc::now().timestamp_millis();
        let mut report = AsOfReport { at, docs: 0, records: 0, changes: 0, later: 0, held_back: 0, clock_behind: 0 };
        let mut buckets = HashMap::new();
        let tx = super::db::WriteTx::begin(&conn)?;
        for (key, value) in &settings {
            write_meta(&tx, key, value)?;
        }
        for doc_id in doc_ids {
            let bucket = self.bucket(&doc_id)?;
            let cut = bucket.cut_as_of(at);
            (report.changes, report.later) = (report.changes + cut.kept, report.later + cut.later);
            (report.held_back, report.clock_behind) = (report.held_back + cut.held_back, report.clock_behind + cut.clock_behind);
            if cut.heads.is_empty() {
                continue;
            }
            let doc =
                if cut.later + cut.held_back == 0 { bucket.doc.clone() } else { bucket.doc.fork_at(&cut.heads).map_err(|e| Error::document(&doc_id, e))? };
            let then = Bucket { id: bucket.id.clone(), doc: doc.with_actor(actor.clone()) };
            let records = then.changed_since(&[]);
            report.docs += 1;
            if !then.id.is_notes() {
                report.records += records.len();
            }
            // Stored and indexed as every write is; no audit entry: nothing happened here.
            Self::store_and_index(&tx, &then, &then.doc.save(), then.summaries(&records), now)?;
            buckets.insert(doc_id, then);
        }
        tx.commit()?;
        // Behind the checks of every writing method: the connection itself refuses writes.
        conn.execute_batch("PRAGMA query_only = ON;")?;
        let data_version = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok(Store {
            conn,
            path: PathBuf::new(),
            device: self.device.clone(),
            actor,
            // Never this device's key: nothing made here may pass for its work.
            signing_key: DeviceKey::generate(),
            buckets,
            data_version,
            outside_writes: 0,
            free_pages_after_write: false,
            max_records_per_bucket: self.max_records_per_bucket,
            as_of: Some(report),
        })
    }

    /// On a store made by [`as_of`](Self::as_of): the time it shows and what its cut says about
    /// the devices' clocks. `None` on a device's own store.
    pub fn as_of_report(&self) -> Option<&AsOfReport> {
        self.as_of.as_ref()
    }

    /// Fails with [`Error::ReadOnly`] on a store of records as of a past time.
    pub(crate) fn writable(&self) -> Result<()> {
        match &self.as_of {
            Some(report) => Err(Error::ReadOnly { at: report.at.to_rfc3339() }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::device::{DeviceProfile, Role};
    use crate::model::Person;
    use crate::sample::SampleData;
    use crate::security::MemoryKeyProvider;
    use crate::store::Store;
    use crate::views::{self, ViewContext};
    use crate::{Locale, Record};
    use chrono::{Duration, Utc};
    use std::collections::BTreeSet;

    /// An edit made on a phone whose clock is an hour behind: it builds on the record's creation
    /// but carries an earlier time. The view of the past places it by that time and says so.
    #[test]
    fn a_change_dated_before_the_change_it_builds_on_is_placed_by_its_time_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let profile = DeviceProfile { person: "aziz".into(), role: Role::Inspector, scopes: vec!["Navbahor".into()] };
        let mut store = Store::create(dir.path().join("aziz.db"), &MemoryKeyProvider::new(), profile).unwrap();
        let person = SampleData::new(431).person("Navbahor", 2026);
        store.put(&person).unwrap();
        let created = Utc::now();
        let behind = created - Duration::hours(1);
        let mut edited = person.clone();
        edited.address.street = "Navoiy ko‘chasi".into();
        let doc_id = store.bucket_for(&edited).unwrap();
        let ids = BTreeSet::from([edited.id().to_string()]);
        store.edit_bucket(&doc_id, "put", |bucket, author| Ok((bucket.write(&[&edited], author, behind)?, ids)), |_| Ok(())).unwrap();

        // Now: both changes are in; the edit's clock was behind the creation it builds on.
        let mut now = store.as_of(Utc::now()).unwrap();
        let report = now.as_of_report().unwrap().clone();
        // Three changes: the creation (the bucket's and its notes document's) and the edit.
        assert_eq!((report.changes, report.later, report.held_back, report.clock_behind, report.records), (3, 0, 0, 1, 1), "{report:?}");
        assert_eq!(now.get::<Person>(&person.id).unwrap().record.address.street, "Navoiy ko‘chasi");
        let ctx = ViewContext::new(Locale::En);
        let header = views::as_of_header(&now, &ctx).unwrap();
        assert_eq!(header.clock_behind, 1);
        assert!(
            header.clock_note.starts_with("Changes dated earlier than a change they build on") && header.clock_note.contains(": 1."),
            "{}",
            header.clock_note
        );
        assert_eq!(header.held_back_note, "");

        // Half an hour before the creation: the edit is dated then, but it builds on the later
        // creation, so it is held back with it (Automerge keeps every change's dependencies).
        let mut early = store.as_of(created - Duration::minutes(30)).unwrap();
        let report = early.as_of_report().unwrap().clone();
        // Later: the creation in the bucket and in its notes document.
        assert_eq!((report.changes, report.later, report.held_back, report.clock_behind, report.records), (0, 2, 1, 1, 0), "{report:?}");
        assert!(early.get_raw(&person.id).is_err(), "the person did not exist yet");
        let header = views::as_of_header(&early, &ViewContext::new(Locale::Ru)).unwrap();
        assert!(header.held_back_note.ends_with(": 1.") && !header.clock_note.is_empty(), "{header:?}");
        assert!(views::person_list(&early, &ctx, "").unwrap().rows.is_empty());
        assert_eq!(views::person_list(&now, &ctx, "").unwrap().rows.len(), 1);
        assert!(views::as_of_header(&store, &ctx).is_none());
        now.evict_cache();
        assert_eq!(now.get::<Person>(&person.id).unwrap().record.address.street, "Navoiy ko‘chasi", "read again from the view's own chunks");
    }
}
