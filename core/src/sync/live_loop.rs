//! [`LiveSync`] for threads: the scheduler behind a lock, a clock, and blocking waits, so that
//! a shell's live sync is two plain loops — `while await_sync() { sync; sync_ended(ok) }` and
//! `while await_listen() { long poll; listen_ended(news) }` — with every decision in the core.
//! Used by the bindings (Android, iOS) and by the hub crate's runner (CLI, tests).

use super::live::{ListenStep, LiveConfig, LiveStep, LiveSync};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

struct State {
    live: LiveSync,
    stopping: bool,
}

/// The live-sync scheduler shared by a device's sync thread, its long-poll thread and the code
/// that saves edits (see the module documentation).
pub struct LiveLoop {
    state: Mutex<State>,
    /// Rung whenever the scheduler learns something (an edit, news, the network, stop).
    changed: Condvar,
    started: Instant,
}

impl LiveLoop {
    /// A loop with the network taken as `online` (a catch-up sync is due once it is).
    pub fn new(config: LiveConfig, online: bool) -> LiveLoop {
        let mut live = LiveSync::new(config);
        live.network_changed(online, 0);
        LiveLoop { state: Mutex::new(State { live, stopping: false }), changed: Condvar::new(), started: Instant::now() }
    }

    fn now(&self) -> i64 {
        i64::try_from(self.started.elapsed().as_millis()).unwrap_or(i64::MAX)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Tells the scheduler something and wakes the loops to ask it again.
    fn tell(&self, event: impl FnOnce(&mut State, i64)) {
        let now = self.now();
        event(&mut self.state(), now);
        self.changed.notify_all();
    }

    /// Waits until `at` (ms on this loop's clock), or with `None` until told something.
    fn wait<'a>(&self, guard: MutexGuard<'a, State>, at: Option<i64>) -> MutexGuard<'a, State> {
        match at {
            Some(at) => {
                let pause = Duration::from_millis(u64::try_from(at.saturating_sub(self.now())).unwrap_or(0).max(1));
                self.changed.wait_timeout(guard, pause).unwrap_or_else(PoisonError::into_inner).0
            }
            None => self.changed.wait(guard).unwrap_or_else(PoisonError::into_inner),
        }
    }

    /// The user saved a change.
    pub fn edited(&self) {
        self.tell(|state, now| state.live.edited(now));
    }

    /// The network went up or down.
    pub fn network_changed(&self, online: bool) {
        self.tell(|state, now| state.live.network_changed(online, now));
    }

    /// Ends both loops: [`LiveLoop::await_sync`] and [`LiveLoop::await_listen`] return `false`.
    pub fn stop(&self) {
        self.tell(|state, _| state.stopping = true);
    }

    /// Whether edits wait for a sync.
    pub fn has_unsynced_edits(&self) -> bool {
        self.state().live.has_unsynced_edits()
    }

    /// Blocks until a sync is due (`true`: run it, then [`LiveLoop::sync_ended`]) or the loop
    /// is stopped (`false`).
    pub fn await_sync(&self) -> bool {
        let mut state = self.state();
        while !state.stopping {
            let now = self.now();
            state = match state.live.next_sync(now) {
                LiveStep::SyncNow => {
                    state.live.sync_started(now);
                    return true;
                }
                LiveStep::WaitUntil(at) => self.wait(state, Some(at)),
                LiveStep::Idle => self.wait(state, None),
            };
        }
        false
    }

    /// The sync went through (`ok`) or failed.
    pub fn sync_ended(&self, ok: bool) {
        self.tell(|state, now| if ok { state.live.sync_finished(now) } else { state.live.sync_failed(now) });
    }

    /// Blocks until a long poll is due (`true`: send it, then [`LiveLoop::listen_ended`]) or
    /// the loop is stopped (`false`).
    pub fn await_listen(&self) -> bool {
        let mut state = self.state();
        while !state.stopping {
            state = match state.live.next_listen(self.now()) {
                ListenStep::ListenNow => return true,
                ListenStep::WaitUntil(at) => self.wait(state, Some(at)),
                ListenStep::Off => self.wait(state, None),
            };
        }
        false
    }

    /// The long poll was answered (`Some(news)`) or failed (`None`).
    pub fn listen_ended(&self, news: Option<bool>) {
        self.tell(|state, now| match news {
            Some(news) => state.live.listen_answered(news, now),
            None => state.live.listen_failed(now),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn the_loops_wake_for_an_edit_and_end_when_stopped() {
        let config = LiveConfig { debounce_ms: 10, max_delay_ms: 20, ..LiveConfig::default() };
        let live = Arc::new(LiveLoop::new(config, true));
        assert!(live.await_sync(), "a catch-up sync first");
        live.sync_ended(true);
        let syncer = {
            let live = live.clone();
            std::thread::spawn(move || live.await_sync())
        };
        live.edited();
        assert!(syncer.join().unwrap(), "the edit's sync became due");
        live.sync_ended(true);
        assert!(!live.has_unsynced_edits());
        let waiting = {
            let live = live.clone();
            std::thread::spawn(move || (live.await_sync(), live.await_listen()))
        };
        live.stop();
        assert_eq!(waiting.join().unwrap(), (false, false), "stop ends both loops");
    }
}
