//! A hub restored from a backup loses nothing: the phones give back what was made since the
//! backup — their own changes, each other's and the hub's final registry numbers — with the
//! signatures the hub relayed to them, and the hub accepts every change.

use crate::common;

use chrono::Utc;
use common::harness::{Attempt, Network};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::{Hub, SyncReport};
use suhbat_core::*;

fn finished(attempt: Attempt) -> SyncReport {
    match attempt {
        Attempt::Finished(report) => report,
        Attempt::Interrupted(why) => panic!("interrupted: {why}"),
    }
}

fn application(applicant: &str) -> Application {
    let mut app = Application::new(Book::Form1, Utc::now().date_naive());
    app.applicant = applicant.into();
    app.applicant_address = "Navbahor 4".into();
    app.mahalla = "Navbahor".into();
    app.summary = "Noise from a neighbour's workshop at night".into();
    app
}

/// Replaces the network's hub by one opened on its store file restored from `backup`.
fn restore_hub(net: &mut Network, hub_path: &std::path::Path, backup: &std::path::Path) {
    let keys = common::harness_keys(net);
    let elsewhere = hub_path.with_file_name("stand-in-hub.db");
    drop(std::mem::replace(&mut net.hub.hub, Hub::open(&elsewhere, keys).unwrap()));
    Store::restore_backup(hub_path, backup, keys).unwrap();
    net.hub.hub = Hub::open(hub_path, keys).unwrap();
}

#[test]
fn after_a_restore_every_edit_made_since_the_backup_comes_back_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 21);
    let mut data = SampleData::new(22);
    let (a, b) = (0, 1);
    let first = data.person("Navbahor", 2026);
    let neighbour = data.person("Navbahor", 2026);
    net.devices[a].put(&first).unwrap();
    net.devices[b].put(&neighbour).unwrap();
    let mut early = application("Karimov Anvar");
    net.devices[a].register_application(&mut early).unwrap();
    net.settle();

    let hub_path = dir.path().join("hub.db");
    let backup = dir.path().join("hub-backup.db");
    net.hub.store().unwrap().backup_to(&backup).unwrap();

    // After the backup: a new person on A, a conversation on B, a house edit by A on B's
    // person, and an application from B that the hub numbers; everyone syncs.
    let late = data.person("Navbahor", 2026);
    net.devices[a].put(&late).unwrap();
    let talk = data.conversation(&first, 2026);
    net.devices[b].put(&talk).unwrap();
    net.devices[a].update::<Person>(&neighbour.id, |p| p.address.house = "17, flat 4".into()).unwrap();
    let mut numbered = application("Aliyeva Dilnoza");
    net.devices[b].register_application(&mut numbered).unwrap();
    net.settle();
    assert_eq!(net.devices[a].get::<Application>(&numbered.id).unwrap().record.final_number, Some(2));
    let expected = net.devices[a].fingerprint().unwrap();

    restore_hub(&mut net, &hub_path, &backup);
    assert!(matches!(net.hub.store().unwrap().get::<Person>(&late.id), Err(Error::NotFound(_))), "the backup predates the late edits");
    for _ in 0..2 {
        for device in [a, b] {
            let report = finished(net.sync(device).unwrap());
            assert!(report.rejected.is_empty(), "device {device}: {:?}", report.rejected);
        }
    }

    let mut hub = net.hub.store().unwrap();
    let mut replicas: Vec<&mut Store> = net.devices.iter_mut().collect();
    replicas.push(&mut hub);
    for (i, replica) in replicas.into_iter().enumerate() {
        assert!(replica.get::<Person>(&late.id).is_ok(), "replica {i}: the new person");
        assert!(replica.get::<Conversation>(&talk.id).is_ok(), "replica {i}: the conversation");
        assert_eq!(replica.get::<Person>(&neighbour.id).unwrap().record.address.house, "17, flat 4", "replica {i}: the house edit");
        assert_eq!(replica.get::<Application>(&numbered.id).unwrap().record.final_number, Some(2), "replica {i}: the hub's number");
        assert_eq!(replica.get::<Application>(&early.id).unwrap().record.final_number, Some(1), "replica {i}");
        assert_eq!(replica.fingerprint().unwrap(), expected, "replica {i}");
    }
    drop(hub);

    // The restored hub's counter moved past the number it gave before the restore.
    let mut next = application("Qodirov Bobur");
    net.devices[a].register_application(&mut next).unwrap();
    assert!(finished(net.sync(a).unwrap()).rejected.is_empty());
    assert_eq!(net.devices[a].get::<Application>(&next.id).unwrap().record.final_number, Some(3));
}

#[test]
fn a_backup_is_encrypted_with_the_stores_key_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let path = dir.path().join("hub.db");
    let hub = Hub::open(&path, &keys).unwrap();
    let mut person = SampleData::new(23).person("Navbahor", 2026);
    person.notes = "Plaintextmarker in the notes".into();
    hub.store().unwrap().put(&person).unwrap();
    let backup = dir.path().join("copy.db");
    hub.store().unwrap().backup_to(&backup).unwrap();
    assert!(hub.store().unwrap().backup_to(&backup).is_err(), "an existing file is never overwritten");
    let bytes = std::fs::read(&backup).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"), "the backup is plaintext SQLite");
    assert!(!bytes.windows(15).any(|w| w == b"Plaintextmarker"), "the marker is readable in the backup");
    // It opens with the hub's key (looked up by the hub file's name) and holds the record.
    let raw = keys.get_or_create_key(&key_id_for(&path)).unwrap();
    let copy = rusqlite::Connection::open(&backup).unwrap();
    copy.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(raw.as_ref()))).unwrap();
    let found: i64 = copy.query_row("SELECT count(*) FROM record_index WHERE record_id = ?1", [person.id.as_str()], |r| r.get(0)).unwrap();
    assert_eq!(found, 1);
    drop(copy);

    // Restoring: a damaged backup is refused and changes nothing; a good one is put in place.
    let other = SampleData::new(24).person("Navbahor", 2026);
    hub.store().unwrap().put(&other).unwrap();
    drop(hub);
    let damaged = dir.path().join("damaged.db");
    let mut broken = bytes.clone();
    let middle = broken.len() / 2;
    broken[middle] ^= 0xff;
    std::fs::write(&damaged, broken).unwrap();
    assert!(Store::restore_backup(&path, &damaged, &keys).is_err());
    assert!(Hub::open(&path, &keys).unwrap().store().unwrap().get::<Person>(&other.id).is_ok(), "the store is untouched");
    Store::restore_backup(&path, &backup, &keys).unwrap();
    let restored = Hub::open(&path, &keys).unwrap();
    assert!(restored.store().unwrap().get::<Person>(&person.id).is_ok());
    assert!(matches!(restored.store().unwrap().get::<Person>(&other.id), Err(Error::NotFound(_))), "back to the backup's state");
}

#[test]
fn after_a_restore_a_file_uploaded_since_the_backup_is_sent_again_when_someone_asks_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 61);
    net.settle();
    let person = SampleData::new(62).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    net.settle();
    let hub_path = dir.path().join("hub.db");
    let backup = dir.path().join("hub-backup.db");
    net.hub.store().unwrap().backup_to(&backup).unwrap();

    // After the backup: a file attached and uploaded; then the hub is put back to the backup.
    let bytes = [b"%PDF-1.4\n".as_slice(), &[42u8; 70_000]].concat();
    let attached = net.devices[0].attach(&person.id, bytes.clone(), "application/pdf", AttachmentKind::Document, "").unwrap();
    net.settle();
    assert_eq!(common::move_files(&mut net, 0).uploaded, 1);
    restore_hub(&mut net, &hub_path, &backup);

    // A colleague opens the file: the hub no longer has it, and says so in every sync answer;
    // the phone that attached it sends it again, and the colleague gets it.
    net.settle();
    assert_eq!(net.devices[1].file(&attached.hash).unwrap(), None);
    let refused = common::move_files(&mut net, 1);
    assert!(refused.downloaded == 0 && refused.refused[0].1.contains("does not hold"), "{refused:?}");
    net.settle();
    assert_eq!(common::move_files(&mut net, 0).uploaded, 1, "sent again");
    assert_eq!(common::move_files(&mut net, 1).downloaded, 1);
    assert_eq!(net.devices[1].file(&attached.hash).unwrap(), Some(bytes));
}
