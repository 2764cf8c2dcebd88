//! Live sync for Rust clients (the `suhbat device live` command, tests): the thin loop around
//! the core's sans-IO [`LiveSync`] that a phone's shell runs too. One thread syncs when the
//! scheduler says so; another holds the long poll and tells the scheduler when the hub says
//! something new waits. Every decision (debounce, backoff, when to listen) is the core's.

use crate::{HubClient, HubError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use suhbat_core::sync::{ListenStep, LiveConfig, LiveStep, LiveSync, NewsQuery, SyncReport};
use suhbat_core::wire::paths;
use suhbat_core::Store;

/// What a sync run by the live loop did, for the caller to show.
pub type LiveSyncResult = Result<SyncReport, HubError>;

/// The scheduler and whether the loop is to stop, under one lock.
struct State {
    live: LiveSync,
    stopping: bool,
}

struct Shared {
    state: Mutex<State>,
    /// Rung whenever the scheduler learns something (an edit, news, the network, stop).
    changed: Condvar,
    started: Instant,
    store: Arc<Mutex<Store>>,
    client: HubClient,
}

impl Shared {
    fn now(&self) -> i64 {
        i64::try_from(self.started.elapsed().as_millis()).unwrap_or(i64::MAX)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Tells the scheduler something and wakes both threads to ask it again.
    fn tell(&self, event: impl FnOnce(&mut State, i64)) {
        let now = self.now();
        event(&mut self.state(), now);
        self.changed.notify_all();
    }

    /// Waits until `at` (ms on this loop's clock), or for ever with `None`, or until told something.
    fn wait<'a>(&self, guard: MutexGuard<'a, State>, at: Option<i64>) -> MutexGuard<'a, State> {
        match at {
            Some(at) => {
                let pause = Duration::from_millis(u64::try_from(at.saturating_sub(self.now())).unwrap_or(0).max(1));
                self.changed.wait_timeout(guard, pause).unwrap_or_else(PoisonError::into_inner).0
            }
            None => self.changed.wait(guard).unwrap_or_else(PoisonError::into_inner),
        }
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
        let mut live = LiveSync::new(config);
        live.network_changed(true, 0);
        let shared = Arc::new(Shared { state: Mutex::new(State { live, stopping: false }), changed: Condvar::new(), started: Instant::now(), store, client });
        let syncing = shared.clone();
        let syncer = std::thread::spawn(move || sync_loop(&syncing, &on_sync));
        let listening = shared.clone();
        // Not joined: its long poll may be out for the hub's whole wait; it ends after it.
        std::thread::spawn(move || listen_loop(&listening));
        LiveRunner { shared, syncer: Some(syncer) }
    }

    /// The user saved a change in the store.
    pub fn edited(&self) {
        self.shared.tell(|state, now| state.live.edited(now));
    }

    /// The network went up or down (without a network nothing is tried; edits wait).
    pub fn network_changed(&self, online: bool) {
        self.shared.tell(|state, now| state.live.network_changed(online, now));
    }

    /// Whether edits wait for a sync (e.g. while offline).
    pub fn has_unsynced_edits(&self) -> bool {
        self.shared.state().live.has_unsynced_edits()
    }

    /// Stops syncing: a sync under way finishes first. A long poll out ends on its own.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.shared.tell(|state, _| state.stopping = true);
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

fn sync_loop(shared: &Shared, on_sync: &dyn Fn(&LiveSyncResult)) {
    let mut state = shared.state();
    while !state.stopping {
        let now = shared.now();
        match state.live.next_sync(now) {
            LiveStep::SyncNow => {
                state.live.sync_started(now);
                drop(state);
                let result = shared.sync_once();
                on_sync(&result);
                state = shared.state();
                let now = shared.now();
                match result {
                    Ok(_) => state.live.sync_finished(now),
                    Err(_) => state.live.sync_failed(now),
                }
            }
            LiveStep::WaitUntil(at) => state = shared.wait(state, Some(at)),
            LiveStep::Idle => state = shared.wait(state, None),
        }
    }
}

fn listen_loop(shared: &Shared) {
    let mut state = shared.state();
    while !state.stopping {
        match state.live.next_listen(shared.now()) {
            ListenStep::ListenNow => {
                drop(state);
                let answer = shared.listen_once();
                shared.tell(|state, now| match answer {
                    Ok(news) => state.live.listen_answered(news, now),
                    Err(_) => state.live.listen_failed(now),
                });
                state = shared.state();
            }
            ListenStep::WaitUntil(at) => state = shared.wait(state, Some(at)),
            ListenStep::Off => state = shared.wait(state, None),
        }
    }
}
