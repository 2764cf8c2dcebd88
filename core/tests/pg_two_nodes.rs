//! Two hub nodes on one PostgreSQL database, as a region runs them behind a load balancer:
//! devices split across the nodes register applications in the same book and year at the same
//! time (in a district's mahallas, about 100 devices each, so many documents share one counter)
//! and get gapless, unique final numbers; every device converges and nothing is lost. A request sent to both nodes at once
//! is answered by one of them. A dump of the database shows no person's name.

use crate::common;

use chrono::{Datelike, Utc};
use common::backends::{open_hub, Backend, TestHub};
use std::collections::BTreeSet;
use suhbat_core::sync::{Hub, SyncSession};
use suhbat_core::*;

/// Devices in the test (`SUHBAT_TWO_NODE_DEVICES` to change).
fn device_count() -> usize {
    std::env::var("SUHBAT_TWO_NODE_DEVICES").ok().and_then(|v| v.parse().ok()).unwrap_or(100)
}

/// The district's mahallas for `devices` devices: about 100 devices (and so about 100
/// applications) in each, at least two. Every mahalla's applications share one book and year,
/// so every document draws from the same counter.
fn mahallas(devices: usize) -> Vec<String> {
    (0..(devices / 100).max(2)).map(|m| format!("Mahalla {m:02}")).collect()
}

/// The first node (owning the database) and a second node on the same database.
fn two_nodes(keys: &'static MemoryKeyProvider, dir: &std::path::Path) -> Option<(TestHub, Hub)> {
    let first = open_hub(Backend::Postgres, dir, keys)?;
    let url = first.url.clone().expect("a PostgreSQL hub has a URL");
    let second = Hub::open_postgres(&url, keys).unwrap();
    assert_eq!(first.hub_id(), second.hub_id(), "both nodes are one hub");
    Some((first, second))
}

fn sync(hub: &Hub, store: &mut Store) -> sync::SyncReport {
    let mut session = SyncSession::new(store).unwrap();
    while let Some(request) = session.next_request(store).unwrap() {
        session.handle_response(store, &hub.handle_sync(&request)).unwrap();
    }
    session.report().clone()
}

fn application(applicant: &str, mahalla: &str) -> Application {
    let mut app = Application::new(Book::Form2, Utc::now().date_naive());
    app.applicant = applicant.into();
    app.applicant_address = format!("{mahalla} 4");
    app.mahalla = mahalla.into();
    app.summary = "Noise from a neighbour's workshop at night".into();
    app
}

#[test]
fn two_nodes_give_gapless_unique_numbers_and_every_device_converges() {
    let dir = common::fast_tempdir();
    let keys: &'static MemoryKeyProvider = Box::leak(Box::new(MemoryKeyProvider::new()));
    let Some((first, second)) = two_nodes(keys, dir.path()) else { return };
    let nodes: [&Hub; 2] = [&first, &second];
    let n = device_count();
    let mahallas = mahallas(n);
    let m = mahallas.len();
    let mut devices: Vec<Store> = (0..n)
        .map(|i| {
            let mahalla = mahallas[i % m].as_str();
            let mut store = Store::create(dir.path().join(format!("d{i}.db")), keys, common::profile(&format!("inspector {i}"), Role::Inspector)).unwrap();
            // Each mahalla has devices enrolled on both nodes.
            common::harness::enrol(nodes[(i / m) % 2], &mut store, Role::Inspector, &[mahalla]);
            let mut app = application(&format!("Applicant {i}"), mahalla);
            store.register_application(&mut app).unwrap();
            store
        })
        .collect();

    // Every device syncs at once, through the node the "load balancer" gives it.
    let started = std::time::Instant::now();
    std::thread::scope(|scope| {
        for (t, chunk) in devices.chunks_mut(n.div_ceil(8)).enumerate() {
            let nodes = &nodes;
            scope.spawn(move || {
                for (k, store) in chunk.iter_mut().enumerate() {
                    sync(nodes[(t + k) % 2], store);
                }
            });
        }
    });
    let first_wave = started.elapsed();
    // Then until quiet, alternating nodes, so each device hears of every number.
    for pass in 0..4 {
        let received: usize = devices.iter_mut().enumerate().map(|(i, store)| sync(nodes[(i + pass) % 2], store).docs_received).sum();
        if received == 0 {
            break;
        }
    }
    let converged = started.elapsed();

    let year = Utc::now().date_naive().year();
    let mut numbers = Vec::new();
    for (i, store) in devices.iter_mut().enumerate() {
        let rows = store.list(&ListQuery { kind: Some(RecordKind::Application), limit: Some(10_000), ..Default::default() }).unwrap();
        assert_eq!(rows.len(), n / m + usize::from(i % m < n % m), "device {i} holds its mahalla's applications");
        for row in rows {
            let app = store.get::<Application>(&RecordId::parse(&row.record_id).unwrap()).unwrap().record;
            assert!(app.final_number.is_some(), "device {i}: {} has a final number", app.applicant);
            assert_eq!(app.registered_on.year(), year);
        }
    }
    for node in nodes {
        let held = node.records().unwrap();
        assert_eq!(held.len(), n, "each node sees all {n} applications");
    }
    let on_hub: Vec<Application> = {
        let mut apps = Vec::new();
        for (id, _) in first.records().unwrap() {
            apps.push(first.record::<Application>(&RecordId::parse(&id).unwrap()).unwrap().unwrap());
        }
        apps
    };
    numbers.extend(on_hub.iter().map(|a| a.final_number.unwrap()));
    numbers.sort_unstable();
    let unique: BTreeSet<u32> = numbers.iter().copied().collect();
    assert_eq!(unique.len(), n, "final numbers are unique");
    assert_eq!(numbers, (1..=n as u32).collect::<Vec<_>>(), "final numbers are gapless");
    // Devices of one mahalla hold identical replicas.
    for (k, mahalla) in mahallas.iter().enumerate() {
        let prints: BTreeSet<String> = devices.iter_mut().skip(k).step_by(m).map(|s| s.fingerprint().unwrap()).collect();
        assert_eq!(prints.len(), 1, "mahalla {mahalla} converged");
    }
    assert!(first.verify_audit().unwrap().first_broken.is_none());
    common::report(&format!(
        "two nodes, {n} devices in {m} mahallas: first wave {:.1?}, converged after {:.1?}; final numbers 1..={n}, unique and gapless; every device converged; 0 lost; audit chain {} entries intact",
        first_wave,
        converged,
        first.verify_audit().unwrap().entries
    ));
}

#[test]
fn a_request_sent_to_both_nodes_at_once_is_answered_once() {
    let dir = common::fast_tempdir();
    let keys: &'static MemoryKeyProvider = Box::leak(Box::new(MemoryKeyProvider::new()));
    let Some((first, second)) = two_nodes(keys, dir.path()) else { return };
    let mut store = Store::create(dir.path().join("d.db"), keys, common::profile("aziz", Role::Inspector)).unwrap();
    common::harness::enrol(&first, &mut store, Role::Inspector, &["Navbahor"]);
    let mut replays = 0;
    for round in 0..20 {
        store.put(&sample::SampleData::new(round).person("Navbahor", 2026)).unwrap();
        let mut session = SyncSession::new(&store).unwrap();
        let request = session.next_request(&mut store).unwrap().unwrap();
        let answers: Vec<Vec<u8>> = std::thread::scope(|scope| {
            let a = scope.spawn(|| first.handle_sync(&request));
            let b = scope.spawn(|| second.handle_sync(&request));
            vec![a.join().unwrap(), b.join().unwrap()]
        });
        let mut accepted = 0;
        for answer in &answers {
            match common::read_answer(&mut store, answer) {
                Ok(_) => accepted += 1,
                Err(Error::Refused { code, .. }) if code == "replay" => replays += 1,
                // Since answers echo the request's nonce, a fresh session reads an answer to
                // this earlier request as not its own.
                Err(_) => {}
            }
        }
        assert!(accepted <= 1, "round {round}: at most one node answers a request");
        sync(&first, &mut store);
    }
    common::report(&format!("20 requests each sent to both nodes at once: 20 answered, {replays} refused as replays"));
}

#[test]
fn a_dump_of_the_database_shows_no_name() {
    let dir = common::fast_tempdir();
    let keys: &'static MemoryKeyProvider = Box::leak(Box::new(MemoryKeyProvider::new()));
    let Some((first, _second)) = two_nodes(keys, dir.path()) else { return };
    let mut store = Store::create(dir.path().join("d.db"), keys, common::profile("x", Role::Inspector)).unwrap();
    let code = first.create_enrolment_code("Dilnoza Yusupova", Role::Inspector, &["Navbahor".into()], chrono::Duration::hours(1)).unwrap();
    store.complete_enrolment(&first.handle_enrol(&store.enrol_request(&code))).unwrap();
    let pending = first.create_enrolment_code("Sardor Rahimov", Role::Seven, &["Navbahor".into()], chrono::Duration::hours(1)).unwrap();
    assert!(!pending.is_empty());
    let mut person = sample::SampleData::new(3).person("Navbahor", 2026);
    person.name_latn = PersonName { last: "Zokirjonova".into(), first: "Mohinur".into(), patronymic: "Baxtiyorovna".into() };
    person.notes = "Lives with her grandmother Xurshidaxon.".into();
    store.put(&person).unwrap();
    sync(&first, &mut store);
    assert_eq!(first.record::<Person>(&person.id).unwrap().unwrap().name_latn.last, "Zokirjonova", "the hub reads it back");
    assert_eq!(first.devices().unwrap()[0].person, "Dilnoza Yusupova");

    let pg_dump = suhbat_core::sync::pg::cluster::bin_dir().unwrap().join("pg_dump");
    let url = first.url.clone().unwrap();
    let out = std::process::Command::new(&pg_dump).args(["--data-only", "--inserts", &url]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dump = String::from_utf8_lossy(&out.stdout).to_lowercase();
    assert!(dump.contains("insert into public.hub_doc_chunk") && dump.contains("insert into public.hub_device"), "the dump holds the hub's rows");
    for name in ["Dilnoza", "Yusupova", "Sardor", "Rahimov", "Zokirjonova", "Mohinur", "Baxtiyorovna", "Xurshidaxon", "grandmother"] {
        assert!(!dump.contains(&name.to_lowercase()), "the dump shows {name:?}");
    }
    common::report(&format!("pg_dump of the hub database: {} bytes, no name or note in it", dump.len()));
}

#[test]
fn a_base_point_moves_to_postgres_and_its_devices_sync_on() {
    let dir = common::fast_tempdir();
    let mut net = common::harness::Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 7);
    let keys = common::harness_keys(&net);
    let person = sample::SampleData::new(9).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    let mut first = application("Applicant A", "Navbahor");
    net.devices[0].register_application(&mut first).unwrap();
    net.settle();
    let alerts = net.hub.alerts().unwrap().len();
    let devices = net.hub.devices().unwrap();
    let before = net.hub.records().unwrap();

    let (url, _cluster) = match suhbat_core::sync::pg::cluster::test_database() {
        Ok(found) => found,
        Err(why) => return common::backends::unavailable(&why),
    };
    let report = Hub::migrate_to_postgres(&dir.path().join("hub.db"), keys, &url, keys).unwrap();
    assert!(report.tables.iter().any(|(t, n)| t == "hub_device" && *n == 2), "{report:?}");
    assert!(Hub::migrate_to_postgres(&dir.path().join("hub.db"), keys, &url, keys).is_err(), "a database with a hub in it is not written over");
    let old_id = net.hub.hub_id().to_string();
    net.hub.hub = Hub::open_postgres(&url, keys).unwrap();
    assert_eq!(net.hub.hub_id(), old_id, "the hub keeps its id");
    assert_eq!(net.hub.devices().unwrap(), devices);
    assert_eq!(net.hub.alerts().unwrap().len(), alerts);
    assert_eq!(net.hub.records().unwrap().keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
    assert!(net.hub.verify_audit().unwrap().first_broken.is_none(), "the audit chain came along intact");

    // The devices sync on as if nothing happened; the registry goes on from where it was.
    let quiet = match net.sync(1).unwrap() {
        common::harness::Attempt::Finished(report) => report,
        other => panic!("{other:?}"),
    };
    assert_eq!((quiet.rounds, quiet.docs_received), (1, 0), "nothing to send after the move");
    let mut second = application("Applicant B", "Navbahor");
    net.devices[1].register_application(&mut second).unwrap();
    net.settle();
    let numbers: BTreeSet<Option<u32>> = [&first, &second].iter().map(|a| net.devices[0].get::<Application>(&a.id).unwrap().record.final_number).collect();
    assert_eq!(numbers, BTreeSet::from([Some(1), Some(2)]));
    common::report(&format!("base point moved to PostgreSQL: {:?}; devices synced on, next final number 2", report.tables));
}
