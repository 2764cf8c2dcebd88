//! Crash safety: a writer process (`suhbat bench writer`) is SIGKILLed at random moments, over
//! and over. After each kill the store must open, pass SQLite's integrity check, keep an intact
//! audit chain, and hold every edit the writer reported as committed (or a later one).
//!
//! CI kills 200 times; `SUHBAT_CRASH_KILLS=2000 cargo nextest run -p suhbat -E 'test(/^crash::/)'
//! --no-capture` kills more.

use crate::common;

use common::{arg, device_keys, ok, suhbat};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};
use suhbat_core::{ListQuery, Person, RecordId, Store};

/// Checks the store after a kill: integrity, audit chain, and the reported edits in `check`.
fn verify(path: &std::path::Path, expected: &BTreeMap<String, String>, check: &[String]) -> usize {
    let mut store = Store::open(path, &device_keys(path)).expect("the store opens after a kill");
    store.check_integrity().expect("integrity after a kill");
    assert_eq!(store.verify_audit().unwrap().first_broken, None, "audit chain after a kill");
    for id in check {
        let want = &expected[id];
        let stored = store.get::<Person>(&RecordId::parse(id).unwrap()).unwrap_or_else(|e| panic!("reported record {id} is missing: {e}"));
        assert!(stored.record.inspector >= *want, "record {id}: stored {:?}, reported {want:?}", stored.record.inspector);
    }
    store.list(&ListQuery { limit: Some(u32::MAX), ..Default::default() }).unwrap().len()
}

#[test]
fn killed_writers_never_lose_a_reported_edit_or_damage_the_store() {
    let kills: usize = std::env::var("SUHBAT_CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("victim.db");
    ok(&["device", "init", "--store", &arg(&store), "--person", "Writer", "--scope", "Navbahor"]);
    let mut rng = StdRng::seed_from_u64(0xc4a5);
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    let (mut reported, mut idle_kills, mut records) = (0, 0, 0);
    let started = Instant::now();
    for cycle in 0..kills {
        let mut child = suhbat()
            .args(["bench", "writer", "--store", &arg(&store), "--tag", &format!("c{cycle:06}"), "--seed", &cycle.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (first_line, first_seen) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.is_empty() {
                    let _ = first_line.send(());
                }
                lines.push(line);
            }
            lines
        });
        // A quarter of the kills land anywhere from start-up (open, WAL recovery) on; the
        // rest land while the writer is committing.
        if rng.gen_bool(0.75) {
            let _ = first_seen.recv_timeout(Duration::from_secs(5));
            std::thread::sleep(Duration::from_millis(rng.gen_range(0..=60)));
        } else {
            std::thread::sleep(Duration::from_millis(rng.gen_range(5..=120)));
        }
        let exited_early = child.try_wait().unwrap();
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert!(exited_early.is_none(), "cycle {cycle}: the writer exited by itself ({status}): {stderr}");
        let lines = reader.join().unwrap();
        let mut check = Vec::new();
        for line in &lines {
            // A line cut by the kill is not a report.
            let Some((id, value)) = line.split_once(' ').filter(|(id, v)| id.len() == 36 && v.len() == 14) else { continue };
            expected.insert(id.to_string(), value.to_string());
            check.push(id.to_string());
        }
        reported += check.len();
        idle_kills += usize::from(check.is_empty());
        let all: Vec<String> = expected.keys().cloned().collect();
        let last = cycle + 1 == kills;
        records = verify(&store, &expected, if last || cycle % 50 == 49 { &all } else { &check });
    }
    common::report(&format!(
        "crash safety: {kills} SIGKILLs in {:.1?}: {reported} reported commits verified ({} distinct records, all present at the end), {idle_kills} kills before the first commit; {records} records in the store, integrity and audit chain intact after every kill",
        started.elapsed(),
        expected.len()
    ));
    assert!(reported > kills, "the writer got work done between kills");
}
