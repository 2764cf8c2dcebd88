//! A record's past (issue 16): its field history with authors and concurrent values, the record
//! "as of" a time, text passages with their authors, and an earlier value restored as a new
//! change that syncs like any other. Real stores, a real hub (in memory) between two phones.

use crate::common::harness::Network;
use chrono::{Duration, Utc};
use suhbat_core::sample::SampleData;
use suhbat_core::*;

#[test]
fn field_history_lists_both_concurrent_values_with_their_authors() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 301);
    let mut person = SampleData::new(302).person("Navbahor", 2026);
    person.address.street = "Bog‘ ko‘chasi".into();
    person.notes = "Lives with the grandmother.".into();
    net.devices[0].put(&person).unwrap();
    net.settle();

    // Both inspectors set the street while offline; one also adds to the notes.
    net.devices[0].update::<Person>(&person.id, |p| p.address.street = "Navoiy ko‘chasi".into()).unwrap();
    net.devices[1]
        .update::<Person>(&person.id, |p| {
            p.address.street = "Amir Temur ko‘chasi".into();
            p.notes.push_str(" Works at the bazaar.");
        })
        .unwrap();
    net.settle();

    for device in &mut net.devices {
        let history = device.history(&person.id).unwrap();
        let streets: Vec<&FieldValue> = history.values.iter().filter(|v| v.path == "address/street").collect();
        assert_eq!(streets.len(), 3, "created, then set by each inspector: {streets:#?}");
        assert_eq!(streets[0].value, "Bog‘ ko‘chasi");
        assert!(!streets[0].concurrent, "the first value was seen by both");
        let later: Vec<(&str, &str)> =
            streets[1..].iter().map(|v| (v.value.as_str().unwrap(), v.author.as_ref().map(|a| a.person.as_str()).unwrap_or("?"))).collect();
        assert!(later.contains(&("Navoiy ko‘chasi", "device0")) && later.contains(&("Amir Temur ko‘chasi", "device1")), "{later:?}");
        assert!(streets[1..].iter().all(|v| v.concurrent && v.at.is_some() && !v.change.is_empty()), "{streets:#?}");
        // Its open conflict shows the same two values.
        assert_eq!(device.get::<Person>(&person.id).unwrap().conflicts.len(), 1);
        // The notes passage by passage: each author's sentence.
        let passages: Vec<(&str, &str)> = history
            .passages
            .iter()
            .filter(|p| p.path == "notes")
            .map(|p| (p.text.as_str(), p.author.as_ref().map(|a| a.person.as_str()).unwrap_or("?")))
            .collect();
        assert_eq!(passages, [("Lives with the grandmother.", "device0"), (" Works at the bazaar.", "device1")]);
    }
}

#[test]
fn the_record_as_of_before_and_after_an_edit_differs_exactly_by_that_edit() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 311);
    let person = SampleData::new(312).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let between = Utc::now();
    std::thread::sleep(std::time::Duration::from_millis(20));
    net.devices[0].update::<Person>(&person.id, |p| p.environment.school_or_work = "Bazaar, stall 12".into()).unwrap();
    net.settle();

    let device = &mut net.devices[1];
    let before = device.get_as_of(&person.id, between).unwrap().expect("the person existed then");
    let after = device.get_as_of(&person.id, Utc::now()).unwrap().expect("and exists now");
    assert!(device.get_as_of(&person.id, between - Duration::days(1)).unwrap().is_none(), "not yet created a day before");
    assert_eq!(after, device.get_raw(&person.id).unwrap().value, "as of now is the record now");
    let mut expected = before.clone();
    expected["environment"]["school_or_work"] = "Bazaar, stall 12".into();
    assert_eq!(after, expected, "the two readings differ by the one edit");
    assert_ne!(before["environment"]["school_or_work"], "Bazaar, stall 12");
}

#[test]
fn an_earlier_value_restored_is_a_new_change_and_syncs() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 321);
    let mut person = SampleData::new(322).person("Navbahor", 2026);
    person.address.house = "7".into();
    net.devices[0].put(&person).unwrap();
    net.devices[0].update::<Person>(&person.id, |p| p.address.house = "70".into()).unwrap();
    net.settle();

    let history = net.devices[1].history(&person.id).unwrap();
    let first = history.values.iter().find(|v| v.path == "address/house").expect("the house's first value").clone();
    assert_eq!(first.value, "7");
    let heads_before = net.devices[1].summary().unwrap();
    assert!(net.devices[1].restore_field(&person.id, &first.path, Some(&first.value)).unwrap());
    assert!(!net.devices[1].restore_field(&person.id, &first.path, Some(&first.value)).unwrap(), "restoring it again changes nothing");
    assert_ne!(net.devices[1].summary().unwrap(), heads_before, "a new change, not a rewrite");
    net.settle();

    for device in &mut net.devices {
        assert_eq!(device.get::<Person>(&person.id).unwrap().record.address.house, "7");
        let history = device.history(&person.id).unwrap();
        let houses: Vec<&str> = history.values.iter().filter(|v| v.path == "address/house").map(|v| v.value.as_str().unwrap()).collect();
        assert_eq!(houses, ["7", "70", "7"], "every value it had, the restored one last");
    }
    // A value the record's rules refuse is not restored.
    let refused = net.devices[0].restore_field(&person.id, "birth_date", Some(&serde_json::json!("not a date")));
    assert!(refused.is_err());
}

#[test]
fn the_history_screen_speaks_the_users_language_and_restores_from_an_entry() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 331);
    let mut person = SampleData::new(332).person("Navbahor", 2026);
    person.address.street = "Bog‘ ko‘chasi".into();
    net.devices[0].put(&person).unwrap();
    net.settle();
    net.devices[1].update::<Person>(&person.id, |p| p.address.street = "Navoiy ko‘chasi".into()).unwrap();
    net.settle();

    let id = person.id.to_string();
    for (locale, label) in [(Locale::Ru, "Улица"), (Locale::En, "Street")] {
        let view = views::record_history(&mut net.devices[0], &views::ViewContext::new(locale), &id).unwrap();
        let streets: Vec<&views::HistoryEntry> = view.entries.iter().filter(|e| e.path == "address/street").collect();
        assert_eq!(streets.len(), 2, "{:#?}", view.entries);
        assert!(streets[0].field_label.contains(label), "{}", streets[0].field_label);
        assert_eq!(streets[0].display, "Navoiy ko‘chasi", "newest first");
        assert!(streets[0].author.contains("device1") && streets[1].author.contains("device0"), "{streets:#?}");
        assert!(!streets[0].at.is_empty() && streets[0].concurrent_note.is_empty());
        assert!(!view.title.is_empty() && !view.restore_label.is_empty());
    }
    let view = views::record_history(&mut net.devices[0], &views::ViewContext::new(Locale::En), &id).unwrap();
    let oldest = view.entries.iter().rfind(|e| e.path == "address/street").unwrap();
    assert!(views::restore_field(&mut net.devices[0], &id, &oldest.path, &oldest.value_json).unwrap());
    net.settle();
    assert_eq!(net.devices[1].get::<Person>(&person.id).unwrap().record.address.street, "Bog‘ ko‘chasi");

    let ctx = views::ViewContext::new(Locale::Ru);
    let before = views::record_as_of(&mut net.devices[1], &ctx, &id, "2000-01-01").unwrap();
    assert!(!before.existed && before.record_json.is_empty() && !before.note.is_empty());
    let now = views::record_as_of(&mut net.devices[1], &ctx, &id, &(ctx.today() + chrono::Days::new(1)).to_string()).unwrap();
    assert!(now.existed && now.record_json.contains("Bog‘ ko‘chasi"), "{}", now.record_json);
    match views::record_as_of(&mut net.devices[1], &ctx, &id, "3 March") {
        Err(Error::BadInput(message)) => assert!(message.contains("YYYY-MM-DD") && message.contains("дата"), "{message}"),
        other => panic!("a date that is no date: {other:?}"),
    }
}
