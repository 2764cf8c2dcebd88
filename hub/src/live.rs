//! Live sync for Rust clients (the `suhbat device live` command, tests): the thin loops around
//! the core's [`LiveLoop`] that a phone's shell runs too. One thread syncs when the scheduler
//! says so; another holds the long poll and tells the scheduler what the hub said. Every
//! decision (debounce, backoff, when to listen) is the core's.

use crate::{HubClient, HubError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use suhbat_core::sync::{LiveConfig, LiveLoop, NewsQuery, SyncReport};
use suhbat_core::wire::paths;
use suhbat_core::Store;

/// What a sync run by the live loop did, for the caller to show.
pub type LiveSyncResult = Result<SyncReport, HubError>;

struct Shared {
    live: LiveLoop,
    store: Arc<Mutex<Store>>,
    client: HubClient,
}

impl Shared {
    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One sync, then the attached files (a file failure waits for the next sync; the
    /// records are in).
    fn sync_once(&self) -> LiveSyncResult {
        let mut store = self.store();
        let report = self.client.sync(&mut store, &mut |_, _| {})?;
        let _ = self.client.transfer_files(&mut store, &mut |_| {});
        Ok(report)
    }

    /// One long poll; the store is locked only to make the request and to check the answer.
    fn listen_once(&self) -> Result<bool, HubError> {
        let (query, request) = NewsQuery::new(&self.store())?;
        let answer = self.client.post(paths::NEWS, &request, &mut |_, _| {})?;
        Ok(query.handle_answer(&self.store(), &answer)?)
    }
}

/// A running live sync of one store (see the module documentation). Stops when dropped.
pub struct LiveRunner {
    shared: Arc<Shared>,
    syncer: Option<JoinHandle<()>>,
}

impl LiveRunner {
    /// Starts live sync of `store` with the hub of `client`, the network taken as up. After
    /// each sync, `on_sync` is told what it did (from the sync thread).
    pub fn start(store: Arc<Mutex<Store>>, client: HubClient, config: LiveConfig, on_sync: impl Fn(&LiveSyncResult) + Send + 'static) -> LiveRunner {
        let shared = Arc::new(Shared { live: LiveLoop::new(config, true), store, client });
        let syncing = shared.clone();
        let syncer = std::thread::spawn(move || {
            while syncing.live.await_sync() {
                let result = syncing.sync_once();
                syncing.live.sync_ended(result.is_ok());
                on_sync(&result);
            }
        });
        let listening = shared.clone();
        // Not joined: its long poll may be out for the hub's whole wait; it ends after it.
        std::thread::spawn(move || {
            while listening.live.await_listen() {
                listening.live.listen_ended(listening.listen_once().ok());
            }
        });
        LiveRunner { shared, syncer: Some(syncer) }
    }

    /// The user saved a change in the store.
    pub fn edited(&self) {
        self.shared.live.edited();
    }

    /// The network went up or down (without a network nothing is tried; edits wait).
    pub fn network_changed(&self, online: bool) {
        self.shared.live.network_changed(online);
    }

    /// Whether edits wait for a sync (e.g. while offline).
    pub fn has_unsynced_edits(&self) -> bool {
        self.shared.live.has_unsynced_edits()
    }

    /// Stops syncing: a sync under way finishes first. A long poll out ends on its own.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.shared.live.stop();
        if let Some(syncer) = self.syncer.take() {
            let _ = syncer.join();
        }
    }
}

impl Drop for LiveRunner {
    fn drop(&mut self) {
        self.halt();
    }
}
