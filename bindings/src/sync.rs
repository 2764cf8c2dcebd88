//! The `SyncSession` object: one sync with the hub, sans-IO. The shell asks it for a request,
//! POSTs the bytes to `<hub>/v1/sync` with its own HTTP stack (OkHttp, URLSession, urllib),
//! hands the answer back, and repeats until `next_request` returns null. The session keeps
//! the sync screen's state up to date on its own (running, progress, last report, failure).

use crate::error::SuhbatError;
use crate::suhbat::Suhbat;
use std::sync::{Arc, Mutex};
use suhbat_core::sync::{self as core_sync, Rejection};
use suhbat_core::views::SyncProgress;
use suhbat_core::{i18n, Store};

/// What a finished sync did.
#[derive(uniffi::Record)]
pub struct SyncReport {
    /// Round trips taken.
    pub rounds: u32,
    /// Documents offered to the hub.
    pub docs_sent: u64,
    /// Documents that arrived with changes.
    pub docs_received: u64,
    /// Records created or changed on this device.
    pub records_changed: u64,
    /// Records on this device that now hold conflicts.
    pub records_in_conflict: u64,
    /// Changes the hub refused, each with its reason.
    pub rejected: Vec<Rejection>,
    /// Records of this user's work the hub refused, now on the kept-aside screen.
    pub kept_aside: u64,
    /// Changes of this device made again on the hub's copy after a refusal (nothing lost).
    pub replayed: u64,
    /// Documents removed from this device (no longer in its scope).
    pub revoked: Vec<String>,
    /// Documents no longer in this device's scope that it keeps because they hold changes the
    /// hub has not accepted (see `rejected`); offered again at the next sync.
    pub kept: Vec<String>,
    /// Bytes sent.
    pub bytes_sent: u64,
    /// Bytes received.
    pub bytes_received: u64,
}

impl From<&core_sync::SyncReport> for SyncReport {
    fn from(r: &core_sync::SyncReport) -> Self {
        SyncReport {
            rounds: r.rounds.into(),
            docs_sent: r.docs_sent as u64,
            docs_received: r.docs_received as u64,
            records_changed: r.records_changed as u64,
            records_in_conflict: r.records_in_conflict as u64,
            rejected: r.rejected.clone(),
            kept_aside: r.kept_aside.len() as u64,
            replayed: r.replayed as u64,
            revoked: r.revoked.clone(),
            kept: r.kept.clone(),
            bytes_sent: r.bytes_sent,
            bytes_received: r.bytes_received,
        }
    }
}

/// One sync with the hub this device is enrolled with, from `Suhbat.start_sync()`. Loop:
/// `next_request()` → POST the bytes to `<hub>/v1/sync` → `handle_response(answer)`, until
/// `next_request()` returns null (at most three round trips). A dropped connection loses
/// nothing: start a new session later and it resumes. Methods block on the store: call them
/// off the main thread.
#[derive(uniffi::Object)]
pub struct SyncSession {
    app: Arc<Suhbat>,
    /// Which of the store's sessions this is; only the latest one updates the sync screen.
    serial: u64,
    core: Mutex<core_sync::SyncSession>,
}

impl SyncSession {
    /// Runs one step of the core session on the store, then tells the sync screen how it went.
    fn step<T>(&self, f: impl FnOnce(&mut core_sync::SyncSession, &mut Store) -> suhbat_core::Result<T>) -> Result<T, SuhbatError> {
        let mut core = self.core.lock().map_err(|_| SuhbatError::poisoned())?;
        let result = self.app.run(|store, _| f(&mut core, store));
        match &result {
            Err(e) => self.app.sync_failed(self.serial, e.to_string())?,
            Ok(_) if core.is_done() => self.app.sync_finished(self.serial, core.report())?,
            Ok(_) => self.app.sync_progress(self.serial, SyncProgress::from(core.progress()))?,
        }
        result
    }
}

#[uniffi::export]
impl SyncSession {
    /// The next request frame to POST to `<hub>/v1/sync` (as `application/octet-stream`), or
    /// null when the sync is complete. Throws `Sync` when the hub keeps asking for more than
    /// the allowed round trips (the next sync resumes). Blocking: call off the main thread.
    pub fn next_request(&self) -> Result<Option<Vec<u8>>, SuhbatError> {
        self.step(|core, store| core.next_request(store))
    }

    /// Applies the hub's answer to the last request: merges what arrived, removes documents
    /// no longer in scope. Throws `Revoked` when the hub revoked this device and ordered a
    /// wipe (close the store, then `wipe_store`), `Refused` for other refusals, `BadInput` or
    /// `Sync` for a broken answer. Blocking (disk): call off the main thread.
    pub fn handle_response(&self, response: Vec<u8>) -> Result<(), SuhbatError> {
        self.step(|core, store| core.handle_response(store, &response))
    }

    /// How far the session has come: round trips, documents and bytes each way.
    pub fn progress(&self) -> Result<SyncProgress, SuhbatError> {
        Ok(SyncProgress::from(self.core.lock().map_err(|_| SuhbatError::poisoned())?.progress()))
    }

    /// What the session did: counts, changes the hub refused, documents removed (complete
    /// once the session is done).
    pub fn report(&self) -> Result<SyncReport, SuhbatError> {
        Ok(SyncReport::from(self.core.lock().map_err(|_| SuhbatError::poisoned())?.report()))
    }

    /// True when the sync is complete (`next_request` returns null).
    pub fn is_done(&self) -> Result<bool, SuhbatError> {
        Ok(self.core.lock().map_err(|_| SuhbatError::poisoned())?.is_done())
    }
}

impl Drop for SyncSession {
    /// A session given up before it finished leaves the sync screen saying so, not "Syncing…".
    fn drop(&mut self) {
        let done = self.core.get_mut().map(|c| c.is_done()).unwrap_or(true);
        if !done {
            if let Ok(ctx) = self.app.ctx() {
                let _ = self.app.sync_interrupted(self.serial, i18n::text(ctx.locale, "sync.interrupted"));
            }
        }
    }
}

#[uniffi::export]
impl Suhbat {
    /// Starts a sync with the hub this device is enrolled with; the sync screen shows it as
    /// running from now on. Throws `NotEnrolled` before enrolment.
    pub fn start_sync(self: Arc<Self>) -> Result<Arc<SyncSession>, SuhbatError> {
        let locale = self.ctx()?.locale;
        let core = self
            .run(|store, _| match store.hub_id()? {
                Some(_) => core_sync::SyncSession::new(store).map(Some),
                None => Ok(None),
            })?
            .ok_or_else(|| SuhbatError::NotEnrolled(i18n::text(locale, "sync.not_enrolled")))?;
        let serial = self.sync_started(SyncProgress::from(core.progress()))?;
        Ok(Arc::new(SyncSession { app: self, serial, core: Mutex::new(core) }))
    }
}
