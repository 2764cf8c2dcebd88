//! Who saw what: opening a record's detail or form, or exporting it in a bundle, writes an
//! entry (record id, device, time, kind of access; no names) to the device's access log; each
//! sync hands the hub what it lacks of that log; the hub keeps one chain per device, checks
//! every link, and answers "who accessed record X" with the person and role of each device,
//! beside the changes its syncs made.

use crate::common;

use common::backends::Backend;
use common::harness::{Attempt, Network};
use suhbat_core::sample::SampleData;
use suhbat_core::views::{self, ViewContext};
use suhbat_core::*;

fn synced(net: &mut Network, i: usize) {
    match net.sync(i).unwrap() {
        Attempt::Finished(_) => {}
        Attempt::Interrupted(why) => panic!("interrupted: {why}"),
    }
}

fn who_saw_a_record_is_answered_from_every_devices_chain(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut net) = Network::on(backend, dir.path(), &[Role::Inspector, Role::Seven], 131) else { return };
    net.settle();
    let ctx = ViewContext::new(Locale::En);
    let mut data = SampleData::new(132);
    let person = data.person("Navbahor", 2026);
    let case = data.parent_case("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    net.devices[0].put(&case).unwrap();
    net.settle();

    // The inspector opens the person's card and form, and hands a colleague a bundle; the
    // seven member opens the parent case.
    views::person_detail(&mut net.devices[0], &ctx, person.id.as_str()).unwrap();
    views::person_form(&mut net.devices[0], &ctx, Some(person.id.as_str())).unwrap();
    net.devices[0].export_bundle(None).unwrap();
    views::parent_case(&mut net.devices[1], &ctx, case.id.as_str()).unwrap();
    synced(&mut net, 0);
    synced(&mut net, 1);

    let on_person = net.hub.record_accesses(person.id.as_str()).unwrap();
    let accesses: Vec<(&str, &str, &str)> =
        on_person.iter().filter(|a| a.is_access()).map(|a| (a.person.as_str(), a.role.as_str(), a.action.as_str())).collect();
    assert_eq!(accesses, [("device0", "inspector", "access:view"), ("device0", "inspector", "access:view"), ("device0", "inspector", "access:export")]);
    assert!(on_person.iter().any(|a| !a.is_access() && a.person == "device0"), "the change that created it is listed too: {on_person:?}");
    assert!(on_person.iter().all(|a| a.linked), "{on_person:?}");
    let on_case = net.hub.record_accesses(case.id.as_str()).unwrap();
    assert!(on_case.iter().any(|a| a.person == "device1" && a.role == "seven" && a.action == "access:view"), "{on_case:?}");

    // Nothing is sent twice: the next sync carries only what was added since.
    synced(&mut net, 0);
    assert_eq!(net.hub.record_accesses(person.id.as_str()).unwrap(), on_person);
    assert!(net.hub.alerts().unwrap().iter().all(|a| a.kind != "audit-chain"));
}
on_both_backends!(who_saw_a_record_is_answered_from_every_devices_chain);

#[test]
fn entries_that_do_not_link_to_the_chain_the_hub_holds_are_kept_and_raise_an_alert() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector], 133);
    net.settle();
    let keys = common::harness_keys(&net);
    let person = SampleData::new(134).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    synced(&mut net, 0);
    let held = net.hub.record_accesses(person.id.as_str()).unwrap().len();
    // The device is made to believe the hub holds more of its chain than it does: the next
    // entries it sends skip some, and do not link.
    let path = net.devices[0].path().to_path_buf();
    common::raw_conn(&path, keys)
        .execute("INSERT INTO meta (key, value) VALUES ('audit_held', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value + 1 AS TEXT)", [])
        .unwrap();
    for _ in 0..2 {
        views::person_detail(&mut net.devices[0], &ViewContext::new(Locale::En), person.id.as_str()).unwrap();
    }
    synced(&mut net, 0);
    let entries = net.hub.record_accesses(person.id.as_str()).unwrap();
    let opened: Vec<_> = entries.iter().filter(|e| e.action == "access:view").collect();
    assert!(opened.len() == 1 && !opened[0].linked && entries.len() == held + 1, "the second opening is kept even so: {entries:?}");
    let alert = net.hub.alerts().unwrap().into_iter().find(|a| a.kind == "audit-chain").expect("an alert for supervisors");
    assert_eq!(alert.device_id, net.devices[0].device().device_id);
}

#[test]
fn two_copies_of_an_install_both_report_what_they_opened() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector], 135);
    net.settle();
    let person = SampleData::new(136).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    synced(&mut net, 0);
    assert_eq!(net.clone_device(0, dir.path()), 1);
    let ctx = ViewContext::new(Locale::En);
    views::person_detail(&mut net.devices[0], &ctx, person.id.as_str()).unwrap();
    views::person_detail(&mut net.devices[1], &ctx, person.id.as_str()).unwrap();
    views::person_detail(&mut net.devices[1], &ctx, person.id.as_str()).unwrap();
    synced(&mut net, 0);
    let _ = net.sync(1);
    let views: Vec<_> = net.hub.record_accesses(person.id.as_str()).unwrap().into_iter().filter(|e| e.action == "access:view").collect();
    assert_eq!(views.len(), 3, "the chain forks; both branches are kept: {views:?}");
    assert!(views.iter().all(|v| v.linked), "{views:?}");
}
