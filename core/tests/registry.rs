//! The applications registry: provisional numbers on devices, final numbers from the hub that
//! stay unique and gapless per book and year when several devices register offline at once.

use crate::common;

use chrono::{Datelike, Utc};
use common::backends::Backend;
use common::harness::{Attempt, Network};
use std::collections::BTreeSet;
use suhbat_core::*;

fn application(book: Book, applicant: &str) -> Application {
    let mut app = Application::new(book, Utc::now().date_naive());
    app.applicant = applicant.into();
    app.applicant_address = "Navbahor 4".into();
    app.mahalla = "Navbahor".into();
    app.summary = "Noise from a neighbour's workshop at night".into();
    app
}

fn finish(net: &mut Network, i: usize) -> suhbat_core::sync::SyncReport {
    match net.sync(i).unwrap() {
        Attempt::Finished(report) => report,
        Attempt::Interrupted(why) => panic!("interrupted: {why}"),
    }
}

fn applications(store: &mut Store) -> Vec<Application> {
    let rows = store.list(&ListQuery { kind: Some(RecordKind::Application), limit: Some(1000), ..Default::default() }).unwrap();
    rows.iter().map(|r| store.get::<Application>(&RecordId::parse(&r.record_id).unwrap()).unwrap().record).collect()
}

fn concurrent_offline_registrations_get_unique_gapless_final_numbers(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut net) = Network::on(backend, dir.path(), &[Role::Inspector, Role::Inspector, Role::Supervisor], 11) else { return };
    let mut provisional = BTreeSet::new();
    // Both inspectors register offline at the same time: three Form 1 entries, one Form 2 and
    // two in the alphabetical book; each book numbers on its own.
    for device in 0..2 {
        for (i, book) in [Book::Form1, Book::Alphabetical, Book::Form1, Book::Form2, Book::Alphabetical, Book::Form1].into_iter().enumerate() {
            let mut app = application(book, &format!("Applicant {device}-{i}"));
            let number = net.devices[device].register_application(&mut app).unwrap();
            assert!(provisional.insert(number.clone()), "provisional number {number} given twice");
            assert_eq!(app.final_number, None);
        }
    }
    let first = finish(&mut net, 0);
    assert!(first.rejected.is_empty(), "{:?}", first.rejected);
    // The first device's own answer already carries its final numbers.
    let mine: Vec<Option<u32>> = applications(&mut net.devices[0]).iter().map(|a| a.final_number).collect();
    assert!(mine.iter().all(Option::is_some), "final numbers come back in the same sync: {mine:?}");
    net.settle();
    let year = Utc::now().year();
    let fingerprint = net.devices[0].fingerprint().unwrap();
    for device in 0..3 {
        let apps = applications(&mut net.devices[device]);
        assert_eq!(apps.len(), 12, "device {device} holds every entry");
        for book in Book::ALL {
            let mut numbers: Vec<u32> = apps.iter().filter(|a| a.book == book).map(|a| a.final_number.expect("numbered")).collect();
            numbers.sort();
            let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
            assert_eq!(numbers, expected, "{book:?} {year}: unique and without gaps on device {device}");
        }
        for app in &apps {
            let label = app.number_label();
            assert!(label.contains(&app.provisional_number) && label.starts_with(&format!("{}-", app.book.number())), "{label}");
        }
        assert_eq!(net.devices[device].fingerprint().unwrap(), fingerprint);
    }
    // Device 0 registered first and got Form 1 numbers 1–3 in its own order.
    let mut first_device: Vec<(String, u32)> = applications(&mut net.devices[0])
        .into_iter()
        .filter(|a| a.book == Book::Form1 && a.applicant.starts_with("Applicant 0"))
        .map(|a| (a.provisional_number.clone(), a.final_number.unwrap()))
        .collect();
    first_device.sort_by_key(|(_, n)| *n);
    assert_eq!(first_device.iter().map(|(_, n)| *n).collect::<Vec<_>>(), vec![1, 2, 3]);
    let alphabetical: BTreeSet<u32> =
        applications(&mut net.devices[2]).iter().filter(|a| a.book == Book::Alphabetical).filter_map(|a| a.final_number).collect();
    assert_eq!(alphabetical, BTreeSet::from([1, 2, 3, 4]), "the alphabetical book numbers 1–4 of its own");
}

#[test]
fn provisional_numbers_continue_after_reopening_and_per_book() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let path = dir.path().join("phone.db");
    let mut store = Store::create(&path, &keys, common::profile("Aziz", Role::Inspector)).unwrap();
    let tag = store.device_tag();
    let year = Utc::now().year();
    let a = store.register_application(&mut application(Book::Form1, "Karimov Anvar")).unwrap();
    let b = store.register_application(&mut application(Book::Form2, "Karimova Dilnoza")).unwrap();
    let alpha = store.register_application(&mut application(Book::Alphabetical, "Тошматов Бахтиёр")).unwrap();
    drop(store);
    let mut store = Store::open(&path, &keys).unwrap();
    let c = store.register_application(&mut application(Book::Form1, "Aliyev Bobur")).unwrap();
    assert_eq!(a, format!("1/{year}/{tag}-1"));
    assert_eq!(b, format!("2/{year}/{tag}-1"));
    assert_eq!(alpha, format!("3/{year}/{tag}-1"));
    assert_eq!(c, format!("1/{year}/{tag}-2"));
    let mut invalid = application(Book::Form1, "");
    assert!(matches!(store.register_application(&mut invalid), Err(Error::Invalid(_))));
    let d = store.register_application(&mut application(Book::Form1, "Aliyev Bobur")).unwrap();
    assert_eq!(d, format!("1/{year}/{tag}-3"), "a refused entry uses up no number");
}

#[test]
fn the_hub_refuses_a_final_number_set_on_a_device() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 2);
    let mut app = application(Book::Form1, "Karimov Anvar");
    net.devices[0].register_application(&mut app).unwrap();
    app.final_number = Some(99);
    net.devices[0].put(&app).unwrap();
    let report = finish(&mut net, 0);
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    assert!(report.rejected[0].reason.contains("given by the hub"), "{}", report.rejected[0].reason);
    // Only the forged number was refused: the application itself reached the hub, which
    // numbered it; the forged number is kept aside on the device, not silently dropped.
    finish(&mut net, 0);
    finish(&mut net, 1);
    let received = applications(&mut net.devices[1]);
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].final_number, Some(1), "the hub's number, not the forged 99");
    let kept = net.devices[0].kept_aside().unwrap();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0].fields, ["final_number"]);
    assert_eq!(kept[0].value["final_number"], 99);
}

#[test]
fn decisions_deadlines_and_overdue() {
    let today = Utc::now().date_naive();
    let mut app = application(Book::Form1, "Karimov Anvar");
    app.provisional_number = "1/2026/abc-1".into();
    assert_eq!(app.deadline, today + chrono::Duration::days(3));
    assert!(!app.is_overdue(today));
    assert!(app.is_overdue(today + chrono::Duration::days(4)));
    app.decision = Some(Decision { kind: DecisionKind::Explained, text: String::new(), decided_on: None, by: "Aziz".into() });
    let errors = app.validate(Utc::now()).unwrap_err();
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["decision/text", "decision/decided_on"]);
    app.decision = Some(Decision { kind: DecisionKind::Explained, text: "Rights explained".into(), decided_on: Some(today), by: "Aziz".into() });
    app.validate(Utc::now()).unwrap();
    assert!(!app.is_overdue(today + chrono::Duration::days(30)));
    assert_eq!(app.surname(), "Karimov");
}

on_both_backends!(concurrent_offline_registrations_get_unique_gapless_final_numbers);
