//! Reassigning a device on the hub (another mahalla, another role) loses nothing: work the
//! device did under its old grant still reaches the hub and its colleagues, and only then does
//! it leave the device; the device takes on its new role and scopes at its next sync.

use crate::common;

use common::harness::{enrol, Attempt, Network};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::SyncReport;
use suhbat_core::*;

const NAVBAHOR: &str = "register/navbahor/2026";

fn finished(attempt: Attempt) -> SyncReport {
    match attempt {
        Attempt::Finished(report) => report,
        Attempt::Interrupted(why) => panic!("interrupted: {why}"),
    }
}

/// Two inspectors in Navbahor (0, 1) and one in Qatortol (2), each with a person, settled.
fn two_mahallas(dir: &std::path::Path, seed: u64) -> (Network, Vec<Person>) {
    let mut net = Network::new(dir, &[Role::Inspector, Role::Inspector], seed);
    let profile = DeviceProfile { person: "device2".into(), role: Role::Inspector, scopes: vec!["Qatortol".into()] };
    let mut other = Store::create(dir.join("d2.db"), net.keys, profile).unwrap();
    enrol(&net.hub, &mut other, Role::Inspector, &["Qatortol"]);
    net.devices.push(other);
    let mut data = SampleData::new(seed);
    let people = vec![data.person("Navbahor", 2026), data.person("Qatortol", 2026)];
    net.devices[0].put(&people[0]).unwrap();
    net.devices[2].put(&people[1]).unwrap();
    net.settle();
    (net, people)
}

/// The buckets a device holds (a bucket's notes documents come and go with it).
fn held_docs(store: &Store) -> Vec<String> {
    let docs: std::collections::BTreeSet<String> =
        store.summary().unwrap().docs.into_keys().map(|d| BucketId::parse(&d).unwrap().records().to_string()).collect();
    docs.into_iter().collect()
}

/// Lets the clock move on, so changes made next are stamped after what came before.
fn tick() {
    std::thread::sleep(std::time::Duration::from_millis(5));
}

#[test]
fn an_inspector_moved_to_another_mahalla_delivers_their_offline_work_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut net, people) = two_mahallas(dir.path(), 21);
    let [navbahor_person, qatortol_person] = [people[0].clone(), people[1].clone()];

    // Offline in Navbahor: a new person and an edit.
    let fresh = SampleData::new(22).person("Navbahor", 2026);
    net.devices[0].put(&fresh).unwrap();
    net.devices[0].update::<Person>(&navbahor_person.id, |p| p.notes = "seen at home, offline".into()).unwrap();
    tick();

    // The district moves the inspector to Qatortol before the phone syncs.
    let id = net.devices[0].device().device_id.clone();
    assert!(net.hub.set_scopes(&id, &["Qatortol".into()]).unwrap());
    let listed = net.hub.devices().unwrap().into_iter().find(|d| d.device_id == id).unwrap();
    assert_eq!(listed.scopes, ["qatortol"]);
    let alert = &net.hub.alerts().unwrap()[0];
    assert_eq!((alert.kind.as_str(), alert.device_id.as_str()), ("scope-changed", id.as_str()));
    assert!(alert.detail.contains("navbahor -> qatortol"), "{}", alert.detail);

    let report = finished(net.sync(0).unwrap());
    assert!(report.rejected.is_empty(), "work done under the old scope is accepted: {:?}", report.rejected);
    assert_eq!(report.revoked, [NAVBAHOR], "then Navbahor leaves the device");
    assert!(report.kept.is_empty(), "{:?}", report.kept);
    assert_eq!(net.devices[0].device().profile.scopes, ["qatortol"], "the device took on its new scope");
    assert_eq!(held_docs(&net.devices[0]), ["register/qatortol/2026"]);
    assert!(net.devices[0].get::<Person>(&qatortol_person.id).is_ok(), "it holds Qatortol's register now");
    assert!(matches!(net.devices[0].get::<Person>(&fresh.id), Err(Error::NotFound(_))));
    assert!(matches!(net.devices[0].put(&SampleData::new(23).person("Navbahor", 2026)), Err(Error::NotPermitted { .. })), "may_hold follows");
    net.devices[0].put(&SampleData::new(24).person("Qatortol", 2026)).unwrap();

    // The colleague in Navbahor receives the work.
    finished(net.sync(1).unwrap());
    assert!(net.devices[1].get::<Person>(&fresh.id).is_ok());
    assert_eq!(net.devices[1].get::<Person>(&navbahor_person.id).unwrap().record.notes, "seen at home, offline");
    net.settle();
    assert_eq!(net.devices[2].list(&ListQuery::default()).unwrap().len(), 2, "the Qatortol colleague gets the moved inspector's new work");

    // The new profile is on disk, not only in memory.
    let path = net.devices[0].path().to_path_buf();
    drop(std::mem::replace(&mut net.devices[0], Store::create(dir.path().join("tmp.db"), net.keys, common::profile("x", Role::Inspector)).unwrap()));
    let reopened = Store::open(&path, net.keys).unwrap();
    assert_eq!(reopened.device().profile.scopes, ["qatortol"]);
}

#[test]
fn a_lost_answer_after_a_move_heals_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let (mut net, people) = two_mahallas(dir.path(), 61);
    net.devices[0].update::<Person>(&people[0].id, |p| p.notes = "offline edit".into()).unwrap();
    tick();
    let id = net.devices[0].device().device_id.clone();
    assert!(net.hub.set_scopes(&id, &["Qatortol".into()]).unwrap());
    net.faults.drop_response = 1.0;
    assert!(matches!(net.sync(0).unwrap(), Attempt::Interrupted(_)));
    net.faults = common::harness::Faults::none();
    assert_eq!(net.devices[0].device().profile.scopes, ["navbahor"], "the answer was lost");
    let report = finished(net.sync(0).unwrap());
    assert!(report.rejected.is_empty() && report.kept.is_empty(), "{report:?}");
    assert_eq!(report.revoked, [NAVBAHOR]);
    assert_eq!(held_docs(&net.devices[0]), ["register/qatortol/2026"]);
    finished(net.sync(1).unwrap());
    assert_eq!(net.devices[1].get::<Person>(&people[0].id).unwrap().record.notes, "offline edit");
}

#[test]
fn a_role_change_keeps_the_pending_work() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 31);
    let mut data = SampleData::new(32);
    let person = data.person("Navbahor", 2026);
    let case = data.parent_case("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    net.devices[0].put(&case).unwrap();
    net.settle();

    net.devices[0].update::<Person>(&person.id, |p| p.notes = "pending register edit".into()).unwrap();
    net.devices[0].update::<ParentCase>(&case.id, |c| c.notes = "pending case edit".into()).unwrap();
    tick();
    let id = net.devices[0].device().device_id.clone();
    assert!(net.hub.set_role(&id, Role::Seven).unwrap());
    assert_eq!(net.hub.alerts().unwrap()[0].kind, "role-changed");

    let report = finished(net.sync(0).unwrap());
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(report.revoked, [NAVBAHOR], "a seven member holds no register");
    assert_eq!(net.devices[0].device().profile.role, Role::Seven);
    assert_eq!(net.devices[0].get::<ParentCase>(&case.id).unwrap().record.notes, "pending case edit");
    assert!(matches!(net.devices[0].get::<Person>(&person.id), Err(Error::NotFound(_))));

    finished(net.sync(1).unwrap());
    assert_eq!(net.devices[1].get::<Person>(&person.id).unwrap().record.notes, "pending register edit");
    assert_eq!(net.devices[1].get::<ParentCase>(&case.id).unwrap().record.notes, "pending case edit");

    // Promoted to supervisor, still working on the case: nothing is lost either.
    net.devices[0].update::<ParentCase>(&case.id, |c| c.notes = "seven's last note".into()).unwrap();
    tick();
    assert!(net.hub.set_role(&id, Role::Supervisor).unwrap());
    let report = finished(net.sync(0).unwrap());
    assert!(report.rejected.is_empty() && report.revoked.is_empty(), "{report:?}");
    assert_eq!(net.devices[0].device().profile.role, Role::Supervisor);
    assert!(net.devices[0].get::<Person>(&person.id).is_ok(), "a supervisor receives the register again");
    finished(net.sync(1).unwrap());
    assert_eq!(net.devices[1].get::<ParentCase>(&case.id).unwrap().record.notes, "seven's last note");
}

#[test]
fn work_refused_after_a_move_is_kept_on_the_device_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (mut net, people) = two_mahallas(dir.path(), 41);
    let id = net.devices[0].device().device_id.clone();
    assert!(net.hub.set_scopes(&id, &["Qatortol".into()]).unwrap());
    tick();
    // The phone has not heard of the move yet; this edit is stamped after it.
    net.devices[0].update::<Person>(&people[0].id, |p| p.notes = "after the move".into()).unwrap();

    let report = finished(net.sync(0).unwrap());
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    assert!(report.rejected[0].reason.contains("may not write register/navbahor/2026"), "{}", report.rejected[0].reason);
    // The refused edit is kept aside with the reason before the mahalla leaves the phone.
    assert_eq!(report.revoked, [NAVBAHOR]);
    assert_eq!(report.kept_aside.len(), 1, "{:?}", report.kept_aside);
    let kept = &net.devices[0].kept_aside().unwrap()[0];
    assert_eq!(kept.record_id, people[0].id.to_string());
    assert_eq!(kept.value["notes"], "after the move", "the work is still on the phone");
    assert!(kept.reason.contains("may not write"), "{}", kept.reason);
    assert_eq!(net.devices[0].device().profile.scopes, ["qatortol"]);
    assert!(net.devices[0].get::<Person>(&people[1].id).is_ok());
    finished(net.sync(1).unwrap());
    assert_ne!(net.devices[1].get::<Person>(&people[0].id).unwrap().record.notes, "after the move", "the hub did not take it");
}

#[test]
fn reassigning_an_unknown_or_revoked_device_or_to_no_mahalla_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let net = Network::new(dir.path(), &[Role::Inspector], 51);
    let id = net.devices[0].device().device_id.clone();
    assert!(!net.hub.set_scopes("no-such-device", &["Qatortol".into()]).unwrap());
    assert!(matches!(net.hub.set_scopes(&id, &[]), Err(Error::BadArgument(_))));
    assert!(net.hub.set_scopes(&id, &["Navbahor".into()]).unwrap(), "the same scope is no change");
    assert!(net.hub.alerts().unwrap().is_empty());
    assert!(net.hub.revoke(&id).unwrap());
    assert!(!net.hub.set_role(&id, Role::Supervisor).unwrap());
}
