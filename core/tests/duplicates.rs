//! Duplicate persons: detection across scripts and apostrophe spellings, a merge that keeps
//! both histories and hides the duplicate, an undo that restores everything exactly, the
//! refusals, and concurrent merges on two devices that both survive a bundle exchange.

use crate::common;

use chrono::{TimeZone, Utc};
use common::{device, send};
use std::collections::BTreeSet;
use suhbat_core::views::{self, ViewContext};
use suhbat_core::*;

fn day(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

/// A person in Navbahor; `latn` or `cyrl` is "Last First" (the other script left blank).
fn person(latn: &str, cyrl: &str, birth: &str, registered: &str, street: &str, house: &str) -> Person {
    let name = |full: &str| {
        let mut parts = full.splitn(2, ' ');
        PersonName { last: parts.next().unwrap_or_default().into(), first: parts.next().unwrap_or_default().into(), patronymic: String::new() }
    };
    Person {
        name_latn: if latn.is_empty() { PersonName::default() } else { name(latn) },
        name_cyrl: if cyrl.is_empty() { PersonName::default() } else { name(cyrl) },
        birth_date: day(birth),
        registered_on: day(registered),
        address: Address { district: "Chilonzor".into(), mahalla: "Navbahor".into(), street: street.into(), house: house.into(), ..Default::default() },
        ..Default::default()
    }
}

fn talk(store: &mut Store, who: &Person, place: &str, started: &str) -> Conversation {
    let c = Conversation {
        person_ids: BTreeSet::from([who.id.clone()]),
        mahalla: "Navbahor".into(),
        place: place.into(),
        started_at: Utc.from_utc_datetime(&day(started).and_hms_opt(6, 0, 0).unwrap()),
        ..Default::default()
    };
    store.put(&c).unwrap();
    c
}

fn pairs(store: &mut Store) -> Vec<(RecordId, RecordId, Vec<DuplicateReason>)> {
    store.find_duplicates(None).unwrap().into_iter().map(|p| (p.first, p.second, p.reasons)).collect()
}

fn persons_listed(store: &Store, text: Option<&str>) -> Vec<String> {
    store
        .list(&ListQuery { kind: Some(RecordKind::Person), text: text.map(String::from), ..Default::default() })
        .unwrap()
        .into_iter()
        .map(|r| r.record_id)
        .collect()
}

#[test]
fn duplicates_are_found_across_scripts_and_apostrophes() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = device(dir.path(), "aziz", &keys);
    let latin = person("Qodirova O‘g‘iloy", "", "2008-04-02", "2024-01-10", "Navbahor ko‘chasi", "12");
    let cyrillic = person("", "Қодирова Ўғилой", "2008-04-02", "2025-02-01", "Bog‘ ko‘chasi", "3");
    let same_house = person("QODIROVA Oʻgʻiloy", "", "2009-01-01", "2025-03-01", "Навбаҳор кўчаси", "12");
    let namesake = person("Qodirova O'g'iloy", "", "2010-05-05", "2025-04-01", "Yangi ko'cha", "7");
    let other = person("Karimov Aziz", "", "2008-04-02", "2025-01-01", "Navbahor ko‘chasi", "12");
    store.put_many(&[latin.clone(), cyrillic.clone(), same_house.clone(), namesake.clone(), other.clone()]).unwrap();

    let found = pairs(&mut store);
    assert_eq!(
        found,
        vec![
            (latin.id.clone(), cyrillic.id.clone(), vec![DuplicateReason::SameNameAndBirthDate]),
            (latin.id.clone(), same_house.id.clone(), vec![DuplicateReason::SameNameAndAddress]),
        ],
        "Latin vs Cyrillic and o‘/o'/oʻ spellings match; a namesake with another birth date and address does not"
    );

    // Different patronymics: two people, even with the same name and birth date.
    let mut father_a = person("Toshev Ali", "", "2001-01-01", "2025-01-01", "", "");
    father_a.name_latn.patronymic = "Valiyevich".into();
    let mut father_b = person("Toshev Ali", "", "2001-01-01", "2025-01-01", "", "");
    father_b.name_latn.patronymic = "Karimovich".into();
    let mut no_patronymic = person("", "Тошев Али", "2001-01-01", "2025-01-01", "", "");
    no_patronymic.name_cyrl.patronymic = String::new();
    store.put_many(&[father_a.clone(), father_b.clone()]).unwrap();
    assert_eq!(pairs(&mut store).len(), 2, "different patronymics are different people");
    store.put(&no_patronymic).unwrap();
    let with_blank: Vec<_> = pairs(&mut store).into_iter().filter(|(a, b, _)| *a == no_patronymic.id || *b == no_patronymic.id).collect();
    assert_eq!(with_blank.len(), 2, "a blank patronymic matches either: {with_blank:?}");

    // The screen: localized reasons, names in the locale's script.
    let ctx = ViewContext::new(Locale::Ru);
    let list = views::duplicate_list(&mut store, &ctx, Some("Navbahor")).unwrap();
    assert_eq!(list.rows.len(), 4);
    let first = &list.rows.iter().find(|r| r.keep.id == latin.id.to_string() && r.duplicate.id == cyrillic.id.to_string()).unwrap();
    assert_eq!(first.reasons, vec!["Совпадают имя и дата рождения".to_string()]);
    assert_eq!(first.duplicate.name, "Қодирова Ўғилой");
    assert_eq!(first.keep.birth_date, "02.04.2008");
    let en = views::duplicate_list(&mut store, &ViewContext::new(Locale::En), None).unwrap();
    assert!(en.rows.iter().any(|r| r.reasons == vec!["Same name and address".to_string()]));
    assert_eq!(en.count_label, "Pairs: 4");
    assert!(views::duplicate_list(&mut store, &ctx, Some("Qatortol")).unwrap().rows.is_empty());
}

#[test]
fn merge_shows_both_histories_and_undo_restores_everything() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = device(dir.path(), "aziz", &keys);
    // Registered in different years: the two persons live in different buckets.
    let keep = person("Qodirov Jasur", "", "2008-04-02", "2025-01-10", "", "");
    let dup = person("", "Кодиров Жасур", "2008-04-02", "2024-06-01", "", "");
    store.put_many(&[keep.clone(), dup.clone()]).unwrap();
    let kept_talk = talk(&mut store, &keep, "School 141", "2025-03-01");
    let dup_talk = talk(&mut store, &dup, "Home", "2024-07-01");
    let before = (store.get_raw(&keep.id).unwrap().value, store.get_raw(&dup.id).unwrap().value);
    let fingerprint = store.fingerprint().unwrap();
    let records = store.stats().unwrap().records;
    assert_eq!(pairs(&mut store).len(), 1);

    let ctx = ViewContext::new(Locale::En);
    let detail = views::merge_persons(&mut store, &ctx, keep.id.as_str(), dup.id.as_str()).unwrap();
    let history: BTreeSet<String> = detail.history.iter().map(|h| h.conversation_id.clone()).collect();
    assert_eq!(history, BTreeSet::from([kept_talk.id.to_string(), dup_talk.id.to_string()]), "the survivor shows both histories");
    assert_eq!(detail.merged_persons.len(), 1);
    assert_eq!(detail.merged_persons[0].id, dup.id.to_string());
    assert!(detail.merge_note.as_deref().unwrap_or_default().starts_with("History includes merged records"), "{:?}", detail.merge_note);

    // The duplicate is hidden from lists, search and detection, but still there by id.
    assert_eq!(persons_listed(&store, None), vec![keep.id.to_string()]);
    assert_eq!(persons_listed(&store, Some("Кодиров")), vec![keep.id.to_string()]);
    assert!(pairs(&mut store).is_empty());
    let screen = views::person_list(&store, &ctx, "Jasur").unwrap();
    assert_eq!(screen.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), vec![keep.id.to_string()], "the list screen hides the duplicate");
    let all = store.list(&ListQuery { kind: Some(RecordKind::Person), include_merged: true, ..Default::default() }).unwrap();
    assert_eq!(all.iter().find(|r| r.record_id == dup.id.to_string()).map(|r| r.status.as_str()), Some(MERGED_STATUS));
    let dup_card = views::person_detail(&mut store, &ctx, dup.id.as_str()).unwrap();
    assert_eq!(dup_card.merged_into, Some(keep.id.to_string()));
    assert_eq!(dup_card.merge_note.as_deref(), Some("Merged into Qodirov Jasur"));
    // Nothing moved: the conversation is still linked to the duplicate.
    let linked = store.list(&ListQuery { linked_to: Some(dup.id.to_string()), ..Default::default() }).unwrap();
    assert_eq!(linked.iter().map(|r| r.record_id.clone()).collect::<Vec<_>>(), vec![dup_talk.id.to_string()]);
    assert_eq!(store.get::<Conversation>(&dup_talk.id).unwrap().record.person_ids, BTreeSet::from([dup.id.clone()]));
    assert_eq!(store.stats().unwrap().records, records);
    assert_eq!(store.merged_group(&keep.id).unwrap(), vec![keep.id.clone(), dup.id.clone()]);

    // Undo: both records exactly as before.
    let card = views::unmerge_person(&mut store, &ctx, dup.id.as_str()).unwrap();
    assert_eq!(card.merged_into, None);
    assert_eq!(card.history.len(), 1);
    assert_eq!((store.get_raw(&keep.id).unwrap().value, store.get_raw(&dup.id).unwrap().value), before);
    assert_eq!(store.fingerprint().unwrap(), fingerprint);
    assert_eq!(store.stats().unwrap().records, records);
    assert_eq!(persons_listed(&store, None).len(), 2);
    assert_eq!(pairs(&mut store).len(), 1, "detected again after the undo");
    let survivor = views::person_detail(&mut store, &ctx, keep.id.as_str()).unwrap();
    assert_eq!(survivor.history.len(), 1);
    assert!(survivor.merge_note.is_none() && survivor.merged_persons.is_empty());
    assert!(store.verify_audit().is_ok());
    assert!(store.conflicts().unwrap().is_empty());
}

#[test]
fn merges_that_make_no_sense_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = device(dir.path(), "aziz", &keys);
    let a = person("Qodirov Jasur", "", "2008-04-02", "2025-01-10", "", "");
    let b = person("Qodirov Jasur", "", "2008-04-02", "2025-01-11", "", "");
    let c = person("Qodirov Jasur", "", "2008-04-02", "2025-01-12", "", "");
    store.put_many(&[a.clone(), b.clone(), c.clone()]).unwrap();
    let refused = |r: Result<()>| match r {
        Err(Error::MergeRefused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert!(refused(store.merge_persons(&a.id, &a.id)).contains("into itself"));
    store.merge_persons(&a.id, &b.id).unwrap();
    store.merge_persons(&a.id, &b.id).unwrap(); // again: nothing to do
    assert!(refused(store.merge_persons(&b.id, &c.id)).contains("is itself merged into"), "into a merged person");
    assert!(refused(store.merge_persons(&c.id, &b.id)).contains("already merged into"), "a merged duplicate elsewhere");
    assert!(refused(store.merge_persons(&c.id, &a.id)).contains("has persons merged into it"), "no chains");
    match store.unmerge_person(&a.id) {
        Err(Error::MergeRefused(why)) => assert!(why.contains("is not merged")),
        other => panic!("{other:?}"),
    }
    let t = talk(&mut store, &a, "Home", "2025-02-01");
    assert!(matches!(store.merge_persons(&a.id, &t.id), Err(Error::WrongKind { .. })));
    assert!(matches!(store.merge_persons(&a.id, &RecordId::new()), Err(Error::NotFound(_))));
    // A second duplicate into the same survivor is fine.
    store.merge_persons(&a.id, &c.id).unwrap();
    assert_eq!(store.get::<Person>(&a.id).unwrap().record.merged_from, BTreeSet::from([b.id.clone(), c.id.clone()]));
}

#[test]
fn concurrent_merges_on_two_devices_both_survive() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut a = device(dir.path(), "aziz", &keys);
    let mut b = device(dir.path(), "dilnoza", &keys);
    let keep = person("Qodirov Jasur", "", "2008-04-02", "2025-01-10", "", "");
    let d1 = person("", "Қодиров Жасур", "2008-04-02", "2025-02-10", "", "");
    let d2 = person("Kodirov Jasur", "", "2008-04-02", "2025-03-10", "", "");
    a.put_many(&[keep.clone(), d1.clone(), d2.clone()]).unwrap();
    send(&mut a, &mut b);

    a.merge_persons(&keep.id, &d1.id).unwrap();
    b.merge_persons(&keep.id, &d2.id).unwrap();
    send(&mut a, &mut b);
    send(&mut b, &mut a);
    for store in [&mut a, &mut b] {
        let survivor = store.get::<Person>(&keep.id).unwrap();
        assert_eq!(survivor.record.merged_from, BTreeSet::from([d1.id.clone(), d2.id.clone()]));
        assert!(survivor.conflicts.is_empty(), "{:?}", survivor.conflicts);
        assert_eq!(persons_listed(store, None), vec![keep.id.to_string()]);
    }
    assert_eq!(a.fingerprint().unwrap(), b.fingerprint().unwrap());

    // An undo on one device reaches the other.
    b.unmerge_person(&d1.id).unwrap();
    send(&mut b, &mut a);
    assert_eq!(a.get::<Person>(&keep.id).unwrap().record.merged_from, BTreeSet::from([d2.id.clone()]));
    assert_eq!(a.get::<Person>(&d1.id).unwrap().record.merged_into, None);
    assert_eq!(a.fingerprint().unwrap(), b.fingerprint().unwrap());
}

#[test]
fn an_interrupted_merge_or_unmerge_is_completed_by_running_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = device(dir.path(), "aziz", &keys);
    let keep = person("Qodirov Jasur", "", "2008-04-02", "2025-01-10", "", "");
    let dup = person("Qodirov Jasur", "", "2008-04-02", "2024-01-10", "", "");
    store.put_many(&[keep.clone(), dup.clone()]).unwrap();
    let before = (store.get_raw(&keep.id).unwrap().value, store.get_raw(&dup.id).unwrap().value);

    // A merge stopped after its first transaction: the duplicate is marked, the survivor not.
    store.update::<Person>(&dup.id, |p| p.merged_into = Some(keep.id.clone())).unwrap();
    store.merge_persons(&keep.id, &dup.id).unwrap();
    assert_eq!(store.get::<Person>(&keep.id).unwrap().record.merged_from, BTreeSet::from([dup.id.clone()]));

    // An unmerge stopped after its first transaction: the survivor is unmarked, the duplicate not.
    store.update::<Person>(&keep.id, |p| p.merged_from.clear()).unwrap();
    assert_eq!(store.unmerge_person(&dup.id).unwrap(), keep.id);
    assert_eq!((store.get_raw(&keep.id).unwrap().value, store.get_raw(&dup.id).unwrap().value), before);
}

#[test]
fn one_duplicate_merged_into_two_persons_at_once_is_a_conflict_until_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut a = device(dir.path(), "aziz", &keys);
    let mut b = device(dir.path(), "dilnoza", &keys);
    let first = person("Qodirov Jasur", "", "2008-04-02", "2025-01-10", "", "");
    let second = person("Qodirov Jasur", "", "2008-04-02", "2025-01-11", "", "");
    let dup = person("", "Қодиров Жасур", "2008-04-02", "2025-02-10", "", "");
    a.put_many(&[first.clone(), second.clone(), dup.clone()]).unwrap();
    talk(&mut a, &dup, "Home", "2025-03-01");
    send(&mut a, &mut b);

    a.merge_persons(&first.id, &dup.id).unwrap();
    b.merge_persons(&second.id, &dup.id).unwrap();
    send(&mut a, &mut b);
    send(&mut b, &mut a);
    let conflicts = a.get::<Person>(&dup.id).unwrap().conflicts;
    assert_eq!(conflicts.iter().map(|c| (c.path.as_str(), c.values.len())).collect::<Vec<_>>(), vec![("merged_into", 2)]);

    a.resolve_conflict(&dup.id, "merged_into", &serde_json::json!(first.id)).unwrap();
    send(&mut a, &mut b);
    let ctx = ViewContext::new(Locale::En);
    for store in [&mut a, &mut b] {
        assert_eq!(store.get::<Person>(&dup.id).unwrap().record.merged_into, Some(first.id.clone()));
        assert_eq!(views::person_detail(store, &ctx, first.id.as_str()).unwrap().history.len(), 1);
        let other = views::person_detail(store, &ctx, second.id.as_str()).unwrap();
        assert!(other.history.is_empty() && other.merged_persons.is_empty(), "only the chosen survivor shows the duplicate");
    }
    // Undo clears the duplicate; the stale mark on the other person stays harmless.
    a.unmerge_person(&dup.id).unwrap();
    assert_eq!(a.get::<Person>(&dup.id).unwrap().record.merged_into, None);
    assert_eq!(persons_listed(&a, None).len(), 3);
}
