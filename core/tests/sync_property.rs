//! Property: 3–8 replicas making random edits and syncing on random schedules over a faulty
//! transport (drops, duplicates, reordering, resets) all converge to the same state once the
//! network is fault-free, with no edit lost and no sync taking more than the allowed rounds.

use crate::common;

use common::backends::Backend;
use common::harness::{Faults, Network};
use proptest::prelude::*;
use rand::Rng;
use std::collections::BTreeSet;
use suhbat_core::sample::SampleData;
use suhbat_core::*;

fn simulate(backend: Backend, seed: u64, devices: usize, steps: usize) {
    let dir = tempfile::tempdir().unwrap();
    let roles = vec![Role::Inspector; devices];
    let Some(mut net) = Network::on(backend, dir.path(), &roles, seed) else { return };
    net.faults = Faults::rough();
    let mut data = SampleData::new(seed);
    let case = data.parent_case("Navbahor", 2026);
    let child = case.children.keys().next().unwrap().clone();
    net.devices[0].put(&case).unwrap();
    let mut persons: BTreeSet<RecordId> = BTreeSet::new();
    let mut note_marks = Vec::new();
    let mut task_marks = Vec::new();
    let mut interrupted = 0;

    for step in 0..steps {
        let roll: f64 = net.rng.gen();
        if roll < 0.55 {
            let i = net.rng.gen_range(0..devices);
            let mark = format!("[{i}.{step}]");
            let has_case = net.devices[i].get::<ParentCase>(&case.id).is_ok();
            match net.rng.gen_range(0..5) {
                0 | 1 if has_case => {
                    net.devices[i].update::<ParentCase>(&case.id, |c| c.notes.push_str(&mark)).unwrap();
                    note_marks.push(mark);
                }
                2 if has_case => {
                    net.devices[i]
                        .update::<ParentCase>(&case.id, |c| {
                            c.tasks.insert(new_item_id(), SevenTask { task: mark.clone(), ..Default::default() });
                        })
                        .unwrap();
                    task_marks.push(mark);
                }
                3 if has_case => {
                    net.devices[i].update::<ParentCase>(&case.id, |c| c.children.get_mut(&child).unwrap().school = mark.clone()).unwrap();
                }
                _ => {
                    let person = data.person("Navbahor", 2026);
                    net.devices[i].put(&person).unwrap();
                    persons.insert(person.id);
                }
            }
        } else if roll < 0.95 {
            let count = net.rng.gen_range(1..=devices.min(3));
            let order: Vec<usize> = (0..count).map(|_| net.rng.gen_range(0..devices)).collect::<BTreeSet<_>>().into_iter().collect();
            for attempt in net.sync_interleaved(&order).unwrap() {
                if matches!(attempt, common::harness::Attempt::Interrupted(_)) {
                    interrupted += 1;
                }
            }
        } else {
            net.replay_stale();
        }
    }
    net.replay_stale();
    let passes = net.settle();

    let prints: Vec<String> = net.devices.iter_mut().map(|d| d.fingerprint().unwrap()).collect();
    assert!(prints.windows(2).all(|w| w[0] == w[1]), "replicas differ: {prints:?}");
    for device in net.devices.iter_mut() {
        for id in &persons {
            device.get::<Person>(id).unwrap();
        }
        let merged = device.get::<ParentCase>(&case.id).unwrap().record;
        for mark in &note_marks {
            assert!(merged.notes.contains(mark.as_str()), "note {mark} lost: {}", merged.notes);
        }
        let tasks: BTreeSet<&str> = merged.tasks.values().map(|t| t.task.as_str()).collect();
        for mark in &task_marks {
            assert!(tasks.contains(mark.as_str()), "task {mark} lost");
        }
    }
    println!(
        "seed {seed}: {devices} devices, {steps} steps, {} persons, {} note edits, {} tasks, {interrupted} interrupted sessions, settled in {passes} passes",
        persons.len(),
        note_marks.len(),
        task_marks.len()
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_under_faults(seed in any::<u64>(), devices in 3usize..=8, steps in 10usize..45) {
        simulate(Backend::Sqlite, seed, devices, steps);
    }

    #[test]
    fn replicas_converge_under_faults_on_postgres(seed in any::<u64>(), devices in 3usize..=8, steps in 10usize..45) {
        simulate(Backend::Postgres, seed, devices, steps);
    }
}

fn a_fixed_rough_schedule_converges(backend: Backend) {
    simulate(backend, 20261123, 5, 60);
}

on_both_backends!(a_fixed_rough_schedule_converges);
