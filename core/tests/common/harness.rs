//! In-memory network of N devices and a hub, with a fault-injecting transport: requests and
//! responses can be dropped or duplicated, sessions of several devices interleave in random
//! order, and connections reset mid-session. Deterministic for a given seed.
#![allow(dead_code)]

use super::backends::{open_hub, Backend, TestHub};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::Path;
use suhbat_core::sync::{Hub, SyncReport, SyncSession};
use suhbat_core::*;

/// Probabilities of faults per message.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Faults {
    pub drop_request: f64,
    pub drop_response: f64,
    pub duplicate_request: f64,
    pub reset: f64,
}

impl Faults {
    pub(crate) fn none() -> Self {
        Faults::default()
    }
    pub(crate) fn rough() -> Self {
        Faults { drop_request: 0.1, drop_response: 0.15, duplicate_request: 0.15, reset: 0.1 }
    }
}

pub(crate) struct Network {
    pub keys: &'static MemoryKeyProvider,
    pub hub: TestHub,
    pub devices: Vec<Store>,
    pub rng: StdRng,
    pub faults: Faults,
    /// Requests captured earlier, replayed later to the hub (stale duplicates).
    stale: Vec<Vec<u8>>,
}

/// Outcome of one device's attempt to sync.
#[derive(Debug)]
pub(crate) enum Attempt {
    Finished(SyncReport),
    Interrupted(&'static str),
}

pub(crate) fn enrol(hub: &Hub, store: &mut Store, role: Role, scopes: &[&str]) {
    let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    let code = hub.create_enrolment_code(&store.device().profile.person.clone(), role, &scopes, chrono::Duration::hours(1)).unwrap();
    let answer = hub.handle_enrol(&store.enrol_request(&code));
    store.complete_enrolment(&answer).unwrap();
}

impl Network {
    /// A hub on SQLite and `roles.len()` enrolled devices, all working in Navbahor.
    pub(crate) fn new(dir: &Path, roles: &[Role], seed: u64) -> Network {
        Self::on(Backend::Sqlite, dir, roles, seed).unwrap_or_else(|| unreachable!("SQLite is always there"))
    }

    /// [`new`](Self::new) with the hub's data on `backend`; `None` when that backend is
    /// unavailable here (said loudly; a failure in CI).
    pub(crate) fn on(backend: Backend, dir: &Path, roles: &[Role], seed: u64) -> Option<Network> {
        let keys: &'static MemoryKeyProvider = Box::leak(Box::new(MemoryKeyProvider::new()));
        let hub = open_hub(backend, dir, keys)?;
        let mut devices = Vec::new();
        for (i, role) in roles.iter().enumerate() {
            let profile = DeviceProfile { person: format!("device{i}"), role: *role, scopes: vec!["Navbahor".into()] };
            let mut store = Store::create(dir.join(format!("d{i}.db")), keys, profile).unwrap();
            enrol(&hub, &mut store, *role, &["Navbahor"]);
            devices.push(store);
        }
        Some(Network { keys, hub, devices, rng: StdRng::seed_from_u64(seed), faults: Faults::none(), stale: Vec::new() })
    }

    fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.rng.gen_bool(p.min(1.0))
    }

    /// Runs one device's sync over the faulty transport.
    pub(crate) fn sync(&mut self, i: usize) -> Result<Attempt> {
        let mut session = SyncSession::new(&self.devices[i])?;
        loop {
            let Some(request) = session.next_request(&mut self.devices[i])? else {
                return Ok(Attempt::Finished(session.report().clone()));
            };
            if self.chance(self.faults.drop_request) {
                return Ok(Attempt::Interrupted("request lost"));
            }
            if self.chance(self.faults.duplicate_request) {
                self.stale.push(request.clone());
            }
            let response = self.hub.handle_sync(&request);
            if self.chance(self.faults.drop_response) {
                return Ok(Attempt::Interrupted("response lost"));
            }
            session.handle_response(&mut self.devices[i], &response)?;
            if !session.is_done() && self.chance(self.faults.reset) {
                return Ok(Attempt::Interrupted("connection reset"));
            }
        }
    }

    /// Replays captured duplicates to the hub, in random order (their answers go nowhere).
    pub(crate) fn replay_stale(&mut self) {
        while !self.stale.is_empty() {
            let i = self.rng.gen_range(0..self.stale.len());
            let request = self.stale.swap_remove(i);
            let _ = self.hub.handle_sync(&request);
        }
    }

    /// Runs the sessions of `order` interleaved: each step advances one session by one message,
    /// chosen at random, so requests and responses of different devices reorder.
    pub(crate) fn sync_interleaved(&mut self, order: &[usize]) -> Result<Vec<Attempt>> {
        let mut sessions: Vec<(usize, Option<SyncSession>, Option<Vec<u8>>)> = Vec::new();
        for &i in order {
            sessions.push((i, Some(SyncSession::new(&self.devices[i])?), None));
        }
        let mut outcomes: Vec<Option<Attempt>> = (0..sessions.len()).map(|_| None).collect();
        while outcomes.iter().any(Option::is_none) {
            let live: Vec<usize> = (0..sessions.len()).filter(|k| outcomes[*k].is_none()).collect();
            let k = live[self.rng.gen_range(0..live.len())];
            let (i, session, pending) = &mut sessions[k];
            let Some(s) = session.as_mut() else { continue };
            match pending.take() {
                None => match s.next_request(&mut self.devices[*i])? {
                    None => outcomes[k] = Some(Attempt::Finished(s.report().clone())),
                    Some(request) => {
                        if self.rng.gen_bool(self.faults.drop_request.clamp(0.0, 1.0)) {
                            outcomes[k] = Some(Attempt::Interrupted("request lost"));
                        } else {
                            if self.rng.gen_bool(self.faults.duplicate_request.clamp(0.0, 1.0)) {
                                self.stale.push(request.clone());
                            }
                            *pending = Some(self.hub.handle_sync(&request));
                        }
                    }
                },
                Some(response) => {
                    if self.rng.gen_bool(self.faults.drop_response.clamp(0.0, 1.0)) {
                        outcomes[k] = Some(Attempt::Interrupted("response lost"));
                    } else {
                        s.handle_response(&mut self.devices[*i], &response)?;
                        if !s.is_done() && self.rng.gen_bool(self.faults.reset.clamp(0.0, 1.0)) {
                            outcomes[k] = Some(Attempt::Interrupted("connection reset"));
                        }
                    }
                }
            }
        }
        Ok(outcomes.into_iter().flatten().collect())
    }

    /// Fault-free syncs of every device until a full pass changes nothing; returns the passes.
    pub(crate) fn settle(&mut self) -> usize {
        let saved = std::mem::replace(&mut self.faults, Faults::none());
        for pass in 1..=6 {
            let mut received = 0;
            for i in 0..self.devices.len() {
                match self.sync(i).unwrap() {
                    Attempt::Finished(report) => {
                        assert!(report.rounds <= suhbat_core::sync::MAX_ROUNDS);
                        received += report.docs_received;
                    }
                    Attempt::Interrupted(why) => panic!("fault-free sync interrupted: {why}"),
                }
            }
            if received == 0 && pass > 1 {
                self.faults = saved;
                return pass;
            }
        }
        panic!("devices did not settle within 6 passes");
    }

    /// Copies device `i`'s store file (compacted first) to another folder and opens the copy
    /// as one more device: a cloned install, or a phone restored from a copy. Returns its index.
    pub(crate) fn clone_device(&mut self, i: usize, dir: &Path) -> usize {
        self.devices[i].compact().unwrap();
        let original = self.devices[i].path().to_path_buf();
        let clone_dir = dir.join(format!("clone-{}", self.devices.len()));
        std::fs::create_dir(&clone_dir).unwrap();
        let copy = clone_dir.join(original.file_name().unwrap());
        std::fs::copy(&original, &copy).unwrap();
        self.devices.push(Store::open(copy, self.keys).unwrap());
        self.devices.len() - 1
    }
}
