//! Lists and reports as they stood at a past time (issue 16): a read-only store of the records
//! then, read by the same views as the device's own store. Each view of the past must equal the
//! view taken at that time; the store refuses every write and leaves no file behind.

use crate::common;
use chrono::{NaiveDate, Utc};
use suhbat_core::sample::SampleData;
use suhbat_core::views::{self, ViewContext};
use suhbat_core::*;

/// Lets the clock move on, so changes before and after a time carry different milliseconds.
fn pause() {
    std::thread::sleep(std::time::Duration::from_millis(20));
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[test]
fn a_list_and_the_district_report_as_of_a_time_are_those_of_that_time() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = common::device(dir.path(), "aziz", &keys);
    let mut data = SampleData::new(401);
    let early = data.person("Navbahor", 2026);
    store.put(&early).unwrap();
    let early_talk = data.conversation(&early, 2026);
    store.put(&early_talk).unwrap();
    pause();
    let t = Utc::now();
    let ctx = ViewContext::new(Locale::En).at(t);
    let (from, to) = (day("2026-01-01"), day("2026-12-31"));
    let list_then = views::person_list(&store, &ctx, "").unwrap();
    let report_then = views::district_report(&mut store, &ctx, from, to, None).unwrap();
    let work_then = views::worklist(&mut store, &ctx).unwrap();
    pause();
    // After t: a second person with a conversation, and the first one's street changed.
    let late = data.person("Qatortol", 2026);
    store.put(&late).unwrap();
    store.put(&data.conversation(&late, 2026)).unwrap();
    store.update::<Person>(&early.id, |p| p.address.street = "Navoiy ko‘chasi".into()).unwrap();

    let mut then = store.as_of(t).unwrap();
    assert_eq!(views::person_list(&then, &ctx, "").unwrap(), list_then, "the list as it was");
    assert_eq!(views::district_report(&mut then, &ctx, from, to, None).unwrap(), report_then, "the report as it was");
    assert_eq!(views::worklist(&mut then, &ctx).unwrap(), work_then, "the worklist as it was");
    // … and they differ from today's by exactly those edits.
    let now_ctx = ViewContext::new(Locale::En);
    assert_eq!(views::person_list(&store, &now_ctx, "").unwrap().rows.len(), 2);
    assert_eq!(list_then.rows.len(), 1);
    assert_ne!(views::district_report(&mut store, &ctx, from, to, None).unwrap(), report_then);
    assert!(matches!(then.get_raw(&late.id), Err(Error::NotFound(_))), "added after t: absent");
    assert_eq!(then.get::<Person>(&early.id).unwrap().record.address.street, early.address.street, "changed after t: the old value");
    assert_eq!(store.get::<Person>(&early.id).unwrap().record.address.street, "Navoiy ko‘chasi");
    let report = then.as_of_report().unwrap();
    // By t: the bucket and the notes documents of the person and of the conversation (one when
    // both ids fall in the same one of the 16); after t: two records, each a change of a bucket
    // and of a notes document, and the street.
    let bucket = BucketId::for_record(&early);
    let notes_docs: std::collections::BTreeSet<_> = [early.id.as_str(), early_talk.id.as_str()].into_iter().map(|id| bucket.notes_for(id)).collect();
    let docs = 1 + notes_docs.len();
    assert_eq!((report.at, report.docs, report.records, report.later, report.held_back, report.clock_behind), (t, docs, 2, 5, 0, 0), "{report:?}");
    assert!(store.as_of_report().is_none(), "the device's own store is no view of the past");

    // Through the view: a date typed by the user, with the header to show.
    let mut past = views::as_of(&mut store, &now_ctx, "2000-01-01").unwrap();
    assert!(views::person_list(&past.store, &past.ctx, "").unwrap().rows.is_empty(), "nothing existed in 2000");
    assert_eq!(past.header.title, "As of 2000-01-01 23:59");
    assert_eq!((past.header.clock_behind, past.header.clock_note.as_str(), past.header.held_back_note.as_str()), (0, "", ""));
    assert!(!past.header.read_only_note.is_empty() && !past.header.clocks_note.is_empty());
    assert_eq!(views::district_report(&mut past.store, &past.ctx, from, to, None).unwrap().sections.len(), report_then.sections.len());
    let tomorrow = (now_ctx.today() + chrono::Days::new(1)).to_string();
    let mut today = views::as_of(&mut store, &now_ctx, &tomorrow).unwrap();
    assert_eq!(views::person_list(&today.store, &today.ctx, "").unwrap(), views::person_list(&store, &today.ctx, "").unwrap(), "as of tomorrow is now");
    assert_eq!(today.ctx.now, now_ctx.now, "a time still to come reads as now");
    assert_eq!(
        views::district_report(&mut today.store, &today.ctx, from, to, None).unwrap(),
        views::district_report(&mut store, &today.ctx, from, to, None).unwrap()
    );
    let ru = ViewContext::new(Locale::Ru);
    match views::as_of(&mut store, &ru, "3 марта") {
        Err(Error::BadInput(message)) => assert!(message.contains("дата"), "{message}"),
        other => panic!("a date it cannot read must be a translated BadInput, got {:?}", other.map(|s| s.header)),
    }
}

#[test]
fn the_registry_and_effectiveness_as_of_a_time_are_those_of_that_time() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = common::device(dir.path(), "aziz", &keys);
    let ctx = ViewContext::new(Locale::UzCyrl);
    let mut data = SampleData::new(411);
    let person = data.person("Navbahor", 2025);
    let talk = data.conversation(&person, 2025);
    store.put(&person).unwrap();
    store.put(&talk).unwrap();
    let application = |applicant: &str| views::NewApplication {
        book: "form1".into(),
        registered_on: "2026-02-10".into(),
        applicant: applicant.into(),
        applicant_address: "Navbahor, 3".into(),
        mahalla: "Navbahor".into(),
        summary: "Noise at night".into(),
        ..Default::default()
    };
    let (first, _) = views::register_application(&mut store, &ctx, &application("Qodirov Jasur")).unwrap();
    pause();
    let t = Utc::now();
    let ctx = ctx.at(t);
    let (from, to) = (day("2025-01-01"), day("2026-12-31"));
    let book_then = views::registry_book(&mut store, &ctx, "form1", 2026).unwrap();
    let effect_then = views::effectiveness(&mut store, &ctx, from, to, None).unwrap();
    pause();
    views::register_application(&mut store, &ctx, &application("Karimova Dilnoza")).unwrap();
    views::decide_application(&mut store, &ctx, &first, "explained", "Explained the rules", "2026-02-20").unwrap();
    let done_on = talk.started_at.date_naive() + chrono::Days::new(40);
    let talk_id = talk.id.to_string();
    views::record_follow_up(&mut store, &talk_id, Milestone::OneMonth, done_on, Some(BehaviourChange::Improved), false, 0, &[], Some(LegalKnowledge::Good), "")
        .unwrap();

    let mut then = store.as_of(t).unwrap();
    assert_eq!(views::registry_book(&mut then, &ctx, "form1", 2026).unwrap(), book_then, "the book as it was");
    assert_eq!(views::effectiveness(&mut then, &ctx, from, to, None).unwrap(), effect_then, "effectiveness as it was");
    assert_eq!(book_then.rows.len(), 1);
    assert_eq!(views::registry_book(&mut store, &ctx, "form1", 2026).unwrap().rows.len(), 2, "today's book has the later application");
    assert_ne!(views::effectiveness(&mut store, &ctx, from, to, None).unwrap().total.done, effect_then.total.done, "and the follow-up done since");
}

#[test]
fn a_view_of_the_past_refuses_every_write_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = common::device(dir.path(), "aziz", &keys);
    let mut data = SampleData::new(421);
    let person = data.person("Navbahor", 2026);
    store.put(&person).unwrap();
    let files = |dir: &std::path::Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    let before = files(dir.path());
    let mut then = store.as_of(Utc::now()).unwrap();
    assert_eq!(files(dir.path()), before, "the view of the past is in memory only");
    assert_eq!(then.path(), std::path::Path::new(""));
    assert_eq!(then.stats().unwrap().file_bytes, 0);
    let ctx = ViewContext::new(Locale::En);

    let read_only = |result: Result<()>| match result {
        Err(Error::ReadOnly { at }) => assert!(!at.is_empty()),
        other => panic!("a write to the past must be refused as read-only, got {other:?}"),
    };
    read_only(then.put(&data.person("Navbahor", 2026)).map(|_| ()));
    read_only(then.update::<Person>(&person.id, |p| p.notes.push_str(" again")).map(|_| ()));
    read_only(then.restore_field(&person.id, "address/house", Some(&serde_json::json!("9"))).map(|_| ()));
    read_only(then.record_access(&person.id, AccessKind::View));
    read_only(views::person_detail(&mut then, &ctx, person.id.as_str()).map(|_| ()));
    read_only(then.set_setting("hub_url", "https://example.invalid"));
    read_only(then.export_bundle(None).map(|_| ()));
    let bundle = store.export_bundle(None).unwrap();
    read_only(then.import_bundle(&bundle).map(|_| ()));
    read_only(sync::SyncSession::new(&then).map(|_| ()));
    read_only(then.compact());
    let copy = dir.path().join("copy.db");
    read_only(then.backup_to(&copy).map(|_| ()));
    assert!(!copy.exists(), "no backup of the past was written");
    let mut app = Application::new(Book::Form1, NaiveDate::from_ymd_opt(2026, 2, 10).unwrap());
    app.applicant = "Qodirov Jasur".into();
    read_only(then.register_application(&mut app).map(|_| ()));
    // The record is untouched, in the view and in the store.
    assert_eq!(then.get::<Person>(&person.id).unwrap().record, person);
    assert_eq!(store.get::<Person>(&person.id).unwrap().record, person);
    assert_eq!(files(dir.path()), before);
    drop(then);
    assert_eq!(files(dir.path()), before, "nothing left behind");
}
