//! Sync through the hub on the in-memory harness: convergence, need-to-know, authorization,
//! signatures, revocation, and the cost of a sync.

use crate::common;

use common::backends::{open_hub, Backend};
use common::harness::{enrol, Attempt, Network};
use common::{state, tamper_meta};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::{Hub, SyncSession};
use suhbat_core::*;

fn finished(attempt: Attempt) -> sync::SyncReport {
    match attempt {
        Attempt::Finished(report) => report,
        Attempt::Interrupted(why) => panic!("interrupted: {why}"),
    }
}

fn three_devices_converge_through_the_hub(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut net) = Network::on(backend, dir.path(), &[Role::Inspector, Role::Inspector, Role::Seven], 1) else { return };
    let mut data = SampleData::new(3);
    let person = data.person("Navbahor", 2026);
    let case = data.parent_case("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    net.devices[0].put(&case).unwrap();
    net.settle();
    assert!(net.devices[2].get::<ParentCase>(&case.id).is_ok(), "the seven member receives the case");
    assert!(matches!(net.devices[2].get::<Person>(&person.id), Err(Error::NotFound(_))), "but not the register");

    net.devices[0].update::<ParentCase>(&case.id, |c| c.move_to_stage(SaraStage::Analysis, "", "device0", chrono::Utc::now()).unwrap()).unwrap();
    net.devices[2]
        .update::<ParentCase>(&case.id, |c| {
            c.tasks.insert(new_item_id(), SevenTask { task: "Visit".into(), ..Default::default() });
            c.notes = "Seven's note.".into();
        })
        .unwrap();
    net.devices[1].update::<ParentCase>(&case.id, |c| c.notes = "Inspector's note.".into()).unwrap();
    net.settle();
    let views: Vec<ParentCase> = net.devices.iter_mut().map(|d| d.get::<ParentCase>(&case.id).unwrap().record).collect();
    assert!(views.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(views[0].stage, SaraStage::Analysis);
    assert_eq!(views[0].tasks.len(), 1);
    assert!(views[0].notes.contains("Seven's note.") && views[0].notes.contains("Inspector's note."));
    let (a, b) = net.devices.split_at_mut(1);
    assert_eq!(state(&mut a[0]), state(&mut b[0]), "the two inspectors hold identical replicas");
}

fn a_sync_where_nothing_changed_is_one_small_round_trip(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut net) = Network::on(backend, dir.path(), &[Role::Inspector, Role::Inspector], 2) else { return };
    let mut data = SampleData::new(4);
    let batch: Vec<Person> = (0..300).map(|_| data.person("Navbahor", 2026)).collect();
    net.devices[0].put_many(&batch).unwrap();
    net.settle();
    let report = finished(net.sync(1).unwrap());
    assert_eq!(report.rounds, 1);
    assert_eq!(report.docs_received, 0);
    assert!(report.bytes_sent + report.bytes_received < 520, "no-op sync cost {} + {} bytes", report.bytes_sent, report.bytes_received);
}

/// The hub saves a document's snapshot once per version and hands it to every new device: a
/// device provisioned after a write gets the written version, never a snapshot saved before.
fn each_new_device_is_provisioned_with_the_current_version(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut net) = Network::on(backend, dir.path(), &[Role::Inspector, Role::Inspector, Role::Inspector], 13) else { return };
    let person = SampleData::new(13).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    finished(net.sync(0).unwrap());
    let first = finished(net.sync(1).unwrap());
    assert!(first.docs_received >= 1, "the second device is provisioned: {first:?}");
    net.devices[0].update::<Person>(&person.id, |p| p.environment.school_or_work = "College No. 2".into()).unwrap();
    finished(net.sync(0).unwrap());
    finished(net.sync(2).unwrap());
    assert_eq!(net.devices[2].get::<Person>(&person.id).unwrap().record.environment.school_or_work, "College No. 2");
    finished(net.sync(1).unwrap());
    let (a, b) = net.devices.split_at_mut(2);
    assert_eq!(state(&mut a[1]), state(&mut b[0]), "the device provisioned earlier catches up to the same replica");
}

fn a_lost_response_heals_with_a_summary_round(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut net) = Network::on(backend, dir.path(), &[Role::Inspector, Role::Inspector], 3) else { return };
    let person = SampleData::new(5).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    finished(net.sync(0).unwrap());
    net.faults.drop_response = 1.0;
    assert!(matches!(net.sync(1).unwrap(), Attempt::Interrupted(_)));
    net.faults.drop_response = 0.0;
    let report = finished(net.sync(1).unwrap());
    assert!(report.rounds >= 2, "the hub's record was ahead: a summary round is needed");
    assert!(net.devices[1].get::<Person>(&person.id).is_ok());
    assert_eq!(finished(net.sync(1).unwrap()).rounds, 1);
}

fn replayed_requests_are_refused(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut net) = Network::on(backend, dir.path(), &[Role::Inspector], 4) else { return };
    net.devices[0].put(&SampleData::new(6).person("Navbahor", 2026)).unwrap();
    let mut session = SyncSession::new(&net.devices[0]).unwrap();
    let request = session.next_request(&mut net.devices[0]).unwrap().unwrap();
    let first = net.hub.handle_sync(&request);
    session.handle_response(&mut net.devices[0], &first).unwrap();
    let mut again = SyncSession::new(&net.devices[0]).unwrap();
    again.next_request(&mut net.devices[0]).unwrap();
    let replay = net.hub.handle_sync(&request);
    match again.handle_response(&mut net.devices[0], &replay) {
        Err(Error::Refused { code, .. }) => assert_eq!(code, "replay"),
        other => panic!("expected a replay refusal, got {other:?}"),
    }
}

fn revoked_devices_are_refused_and_told_to_wipe(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut net) = Network::on(backend, dir.path(), &[Role::Inspector], 5) else { return };
    let id = net.devices[0].device().device_id.clone();
    assert!(net.hub.revoke(&id).unwrap());
    match net.sync(0) {
        Err(Error::Refused { code, wipe, .. }) => {
            assert_eq!(code, "revoked");
            assert!(wipe);
        }
        other => panic!("expected refusal, got {other:?}"),
    }
}

fn garbage_requests_get_a_typed_refusal(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let Some(hub) = open_hub(backend, dir.path(), &keys) else { return };
    for bytes in [&b""[..], b"SUHB", b"SUHB\x01\x03\x00\x00\x00\x00", &[0xff; 64]] {
        let answer = hub.handle_sync(bytes);
        assert!(!answer.is_empty());
        let answer = hub.handle_enrol(bytes);
        assert!(!answer.is_empty());
    }
}

fn enrolment_codes_are_single_use_and_expire(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let Some(hub) = open_hub(backend, dir.path(), &keys) else { return };
    let profile = DeviceProfile { person: "a".into(), role: Role::Inspector, scopes: vec![] };
    let mut a = Store::create(dir.path().join("a.db"), &keys, profile.clone()).unwrap();
    let mut b = Store::create(dir.path().join("b.db"), &keys, profile).unwrap();
    let code = hub.create_enrolment_code("Aziz", Role::Inspector, &["Navbahor".into()], chrono::Duration::hours(1)).unwrap();
    let enrolment = a.complete_enrolment(&hub.handle_enrol(&a.enrol_request(&code))).unwrap();
    assert_eq!(enrolment.scopes, ["navbahor"]);
    assert_eq!(a.device().profile.person, "Aziz");
    // A retry by the same device (lost answer) is fine; another device is refused.
    a.complete_enrolment(&hub.handle_enrol(&a.enrol_request(&code))).unwrap();
    assert!(matches!(b.complete_enrolment(&hub.handle_enrol(&b.enrol_request(&code))), Err(Error::Refused { .. })));
    let expired = hub.create_enrolment_code("B", Role::Seven, &["Navbahor".into()], chrono::Duration::seconds(-1)).unwrap();
    assert!(matches!(b.complete_enrolment(&hub.handle_enrol(&b.enrol_request(&expired))), Err(Error::Refused { .. })));
    assert!(matches!(b.complete_enrolment(&hub.handle_enrol(&b.enrol_request("NOPE-NOPE-NO"))), Err(Error::Refused { .. })));
    assert_eq!(hub.devices().unwrap().len(), 1);
}

fn a_cloned_install_is_detected(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let Some(hub) = open_hub(backend, dir.path(), &keys) else { return };
    let profile = DeviceProfile { person: "a".into(), role: Role::Inspector, scopes: vec![] };
    let mut a = Store::create(dir.path().join("a.db"), &keys, profile.clone()).unwrap();
    enrol(&hub, &mut a, Role::Inspector, &["Navbahor"]);
    // Another device presenting the same actor id (a copied app data folder with a new id).
    let mut b = Store::create(dir.path().join("b.db"), &keys, profile).unwrap();
    drop(b);
    tamper_meta(&dir.path().join("b.db"), &keys, "actor", &a.device().actor);
    b = Store::open(dir.path().join("b.db"), &keys).unwrap();
    let code = hub.create_enrolment_code("B", Role::Inspector, &["Navbahor".into()], chrono::Duration::hours(1)).unwrap();
    match b.complete_enrolment(&hub.handle_enrol(&b.enrol_request(&code))) {
        Err(Error::Refused { code, .. }) => assert_eq!(code, "duplicate-actor"),
        other => panic!("expected refusal, got {other:?}"),
    }
    let alerts = hub.alerts().unwrap();
    assert_eq!(alerts[0].kind, "duplicate-actor");
    println!("alert: {}", alerts[0].detail);
}

fn forged_actor_and_out_of_scope_writes_are_rejected_with_reasons(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut net) = Network::on(backend, dir.path(), &[Role::Inspector, Role::Inspector], 6) else { return };
    let person = SampleData::new(7).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    net.settle();

    // Device 1 is tampered to write as device 0's actor.
    let forged_actor = net.devices[0].device().actor.clone();
    let path = net.devices[1].path().to_path_buf();
    let provider = common::harness_keys(&net);
    drop(std::mem::replace(&mut net.devices[1], Store::create(dir.path().join("tmp.db"), provider, common::profile("x", Role::Inspector)).unwrap()));
    tamper_meta(&path, provider, "actor", &forged_actor);
    net.devices[1] = Store::open(&path, provider).unwrap();
    net.devices[1].update::<Person>(&person.id, |p| p.notes = "forged".into()).unwrap();
    // The request names the actor it writes with: another device's, so it is refused whole.
    match net.sync(1) {
        Err(Error::Refused { code, message, .. }) => {
            assert_eq!(code, "duplicate-actor");
            println!("forged actor refused: {message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let alert = &net.hub.alerts().unwrap()[0];
    assert_eq!(alert.kind, "duplicate-actor");
    assert!(alert.detail.contains(&net.devices[0].device().device_id), "{}", alert.detail);
    finished(net.sync(0).unwrap());
    assert_ne!(net.devices[0].get::<Person>(&person.id).unwrap().record.notes, "forged", "never stored or passed on");
}

fn writes_outside_role_or_scope_are_rejected_by_the_hub(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut net) = Network::on(backend, dir.path(), &[Role::Inspector, Role::Seven], 8) else { return };
    let provider = common::harness_keys(&net);
    // Locally the core refuses; a tampered app could still try.
    let stray = SampleData::new(9).person("Qatortol", 2026);
    assert!(matches!(net.devices[0].put(&stray), Err(Error::NotPermitted { .. })));
    let path = net.devices[0].path().to_path_buf();
    net.devices[0] = Store::create(dir.path().join("tmp.db"), provider, common::profile("x", Role::Inspector)).unwrap();
    tamper_meta(&path, provider, "scopes", "navbahor,qatortol");
    net.devices[0] = Store::open(&path, provider).unwrap();
    net.devices[0].put(&stray).unwrap();
    let report = finished(net.sync(0).unwrap());
    // The stray record and its notes: a change of the bucket and one of its notes document.
    assert_eq!(report.rejected.len(), 2, "{:?}", report.rejected);
    assert!(report.rejected.iter().all(|r| r.reason.contains("may not write register/qatortol")), "{:?}", report.rejected);
    assert_eq!(report.revoked, ["register/qatortol/2026"], "the stray document leaves the device");
    let kept = net.devices[0].kept_aside().unwrap();
    assert_eq!(kept.len(), 1, "but the refused work is kept aside first, with the reason: {kept:?}");
    assert_eq!(kept[0].record_id, stray.id.to_string());
    assert_eq!(net.devices[0].device().profile.scopes, ["navbahor"], "the hub's answer restores the device's true scopes");
    assert!(net.hub.records().unwrap().is_empty());
    println!("out-of-scope write rejected: {}", report.rejected[0].reason);

    // A seven member whose app pretends to be an inspector cannot write the register either.
    let seven_path = net.devices[1].path().to_path_buf();
    net.devices[1] = Store::create(dir.path().join("tmp2.db"), provider, common::profile("x", Role::Inspector)).unwrap();
    tamper_meta(&seven_path, provider, "role", "inspector");
    net.devices[1] = Store::open(&seven_path, provider).unwrap();
    net.devices[1].put(&SampleData::new(10).person("Navbahor", 2026)).unwrap();
    let report = finished(net.sync(1).unwrap());
    assert!(report.rejected[0].reason.contains("role seven"), "{}", report.rejected[0].reason);
}

#[test]
fn a_hub_restored_from_an_old_backup_gets_everything_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector], 11);
    let hub_path = dir.path().join("hub.db");
    // Back up the hub before the device ever uploads.
    let backup = dir.path().join("backup.db");
    finished(net.sync(0).unwrap());
    let person = SampleData::new(12).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    net.hub.store().unwrap().compact().unwrap(); // folds the WAL in, as a backup tool would
    std::fs::copy(&hub_path, &backup).unwrap();
    finished(net.sync(0).unwrap());
    // The hub's disk is replaced by the old backup.
    let keys = common::harness_keys(&net);
    drop(std::mem::replace(&mut net.hub.hub, Hub::open(dir.path().join("other-hub.db"), keys).unwrap()));
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", hub_path.display()));
    }
    std::fs::copy(&backup, &hub_path).unwrap();
    net.hub.hub = Hub::open(&hub_path, keys).unwrap();
    assert!(net.hub.store().unwrap().list(&ListQuery::default()).unwrap().is_empty());
    let report = finished(net.sync(0).unwrap());
    assert!(report.rounds >= 2 && report.rounds <= sync::MAX_ROUNDS, "{report:?}");
    assert!(net.devices[0].get::<Person>(&person.id).is_ok(), "the device kept its record");
    assert_eq!(net.hub.store().unwrap().list(&ListQuery::default()).unwrap().len(), 1, "the hub got it back");
    println!("hub restored from backup: healed in {} rounds", report.rounds);
}

on_both_backends!(
    three_devices_converge_through_the_hub,
    a_sync_where_nothing_changed_is_one_small_round_trip,
    each_new_device_is_provisioned_with_the_current_version,
    a_lost_response_heals_with_a_summary_round,
    replayed_requests_are_refused,
    revoked_devices_are_refused_and_told_to_wipe,
    garbage_requests_get_a_typed_refusal,
    enrolment_codes_are_single_use_and_expire,
    a_cloned_install_is_detected,
    forged_actor_and_out_of_scope_writes_are_rejected_with_reasons,
    writes_outside_role_or_scope_are_rejected_by_the_hub,
);
