//! Nothing is lost on the paths real users take: a form saved after a sync, a change refused by
//! the hub, a cloned install, a long paste. Each test reproduces what was observed to lose work
//! before, and checks every edit is either in the converged state or kept aside with a reason.

use crate::common;

use common::harness::{Attempt, Network};
use common::tamper_meta;
use suhbat_core::sample::SampleData;
use suhbat_core::sync::{Hub, RejectionKind, SyncReport};
use suhbat_core::views::{self, FieldInput, Form, FormKind, ViewContext};
use suhbat_core::*;

fn finished(attempt: Attempt) -> SyncReport {
    match attempt {
        Attempt::Finished(report) => report,
        Attempt::Interrupted(why) => panic!("interrupted: {why}"),
    }
}

fn ctx() -> ViewContext {
    ViewContext::new(Locale::En)
}

/// What a shell sends back: every field of the form as shown, with `changes` applied.
fn inputs(form: &Form, changes: &[(&str, &str)]) -> Vec<FieldInput> {
    form.fields
        .iter()
        .map(|f| {
            let value = changes.iter().find(|(k, _)| *k == f.key).map_or(f.value.clone(), |(_, v)| v.to_string());
            FieldInput { key: f.key.clone(), value, selected: f.selected.clone(), items: f.items.clone() }
        })
        .collect()
}

fn field<'a>(form: &'a Form, key: &str) -> &'a str {
    &form.fields.iter().find(|f| f.key == key).unwrap_or_else(|| panic!("no field {key}")).value
}

#[test]
fn a_form_saved_after_a_sync_keeps_what_the_sync_brought() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 101);
    let mut person = SampleData::new(102).person("Navbahor", 2026);
    person.address.street = "Bog‘ ko‘chasi".into();
    person.notes = "Lives with the grandmother.".into();
    net.devices[0].put(&person).unwrap();
    let talk = SampleData::new(103).conversation(&person, 2026);
    net.devices[0].put(&talk).unwrap();
    net.settle();

    // Inspector 0 opens both forms; meanwhile inspector 1 edits the same records and syncs.
    let id = person.id.to_string();
    let person_form = views::person_form(&mut net.devices[0], &ctx(), Some(&id)).unwrap();
    let talk_form = views::conversation_form(&mut net.devices[0], &ctx(), Some(talk.id.as_str()), None).unwrap();
    assert!(!person_form.version.is_empty());
    net.devices[1]
        .update::<Person>(&person.id, |p| {
            p.address.street = "Navoiy ko‘chasi".into();
            p.notes.push_str(" Works at the bazaar.");
        })
        .unwrap();
    net.devices[1].update::<Conversation>(&talk.id, |c| c.place = "At the mahalla office".into()).unwrap();
    net.settle();
    assert_eq!(net.devices[0].get::<Person>(&person.id).unwrap().record.address.street, "Navoiy ko‘chasi", "the sync arrived");

    // Inspector 0 saves the forms opened before the sync: a house number and a sentence.
    let notes = format!("{} Father abroad.", field(&person_form, "notes"));
    let typed = inputs(&person_form, &[("address/house", "12"), ("notes", &notes)]);
    let saved = views::submit_form(&mut net.devices[0], &ctx(), FormKind::Person, &id, "", &person_form.version, &typed).unwrap();
    assert!(saved.saved, "{:?}", saved.form.errors);
    let talk_notes = format!("{} Agreed to come back.", field(&talk_form, "notes"));
    let typed = inputs(&talk_form, &[("notes", &talk_notes)]);
    let saved = views::submit_form(&mut net.devices[0], &ctx(), FormKind::Conversation, talk.id.as_str(), "", &talk_form.version, &typed).unwrap();
    assert!(saved.saved, "{:?}", saved.form.errors);
    net.settle();

    for device in &mut net.devices {
        let stored = device.get::<Person>(&person.id).unwrap();
        assert_eq!(stored.record.address.street, "Navoiy ko‘chasi", "the colleague's street stays");
        assert_eq!(stored.record.address.house, "12");
        assert!(stored.record.notes.contains("Works at the bazaar.") && stored.record.notes.contains("Father abroad."), "{}", stored.record.notes);
        assert!(stored.conflicts.is_empty(), "different fields merge: {:?}", stored.conflicts);
        let talk_now = device.get::<Conversation>(&talk.id).unwrap().record;
        assert_eq!(talk_now.place, "At the mahalla office", "the colleague's place stays");
        assert!(talk_now.notes.ends_with("Agreed to come back."), "{}", talk_now.notes);
    }
}

#[test]
fn the_same_field_changed_on_a_stale_form_is_a_conflict_not_an_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 104);
    let person = SampleData::new(105).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    net.settle();
    let id = person.id.to_string();
    let form = views::person_form(&mut net.devices[0], &ctx(), Some(&id)).unwrap();
    net.devices[1].update::<Person>(&person.id, |p| p.address.street = "Navoiy".into()).unwrap();
    net.settle();
    let typed = inputs(&form, &[("address/street", "Amir Temur")]);
    assert!(views::submit_form(&mut net.devices[0], &ctx(), FormKind::Person, &id, "", &form.version, &typed).unwrap().saved);
    net.settle();
    let conflicts = net.devices[1].get::<Person>(&person.id).unwrap().conflicts;
    let values: Vec<String> = conflicts.iter().find(|c| c.path == "address/street").expect("a conflict").values.iter().map(|v| v.display.clone()).collect();
    assert!(values.contains(&"Navoiy".to_string()) && values.contains(&"Amir Temur".to_string()), "{values:?}");
}

#[test]
fn case_texts_saved_from_a_stale_screen_are_spliced() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Seven], 106);
    let mut case = SampleData::new(107).parent_case("Navbahor", 2026);
    case.notes = "First visit done.".into();
    net.devices[0].put(&case).unwrap();
    net.settle();
    let id = case.id.to_string();
    let screen = views::parent_case(&mut net.devices[0], &ctx(), &id).unwrap();
    net.devices[1].update::<ParentCase>(&case.id, |c| c.notes = format!("The seven visited. {}", c.notes)).unwrap();
    net.settle();
    views::set_case_text(&mut net.devices[0], &id, "notes", &format!("{} School contacted.", screen.notes), &screen.version).unwrap();
    net.settle();
    for device in &mut net.devices {
        let notes = device.get::<ParentCase>(&case.id).unwrap().record.notes;
        assert_eq!(notes, "The seven visited. First visit done. School contacted.");
    }
}

#[test]
fn a_refused_colleague_in_a_bundle_costs_the_inspector_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector, Role::Inspector], 108);
    let mut data = SampleData::new(109);
    let shared = data.person("Navbahor", 2026);
    net.devices[0].put(&shared).unwrap();
    net.settle();

    // A colleague (device 2) records a person offline and hands a bundle to device 1; then the
    // colleague's phone is revoked (lost) before it ever synced.
    let colleague_person = data.person("Navbahor", 2026);
    net.devices[2].put(&colleague_person).unwrap();
    let summary = net.devices[1].summary().unwrap();
    let bundle = net.devices[2].export_bundle(Some(&summary)).unwrap();
    net.devices[1].import_bundle(&bundle).unwrap();
    let lost = net.devices[2].device().device_id.clone();
    assert!(net.hub.revoke(&lost).unwrap());

    // Device 1 works on top of it: a new person, a note on the shared person, and an edit of
    // the colleague's person. The new person's notes fall in the notes document only the
    // colleague had made, which the hub therefore never gets: it is rebuilt from nothing.
    let bucket = BucketId::for_record(&colleague_person);
    let mine = std::iter::repeat_with(|| data.person("Navbahor", 2026))
        .find(|p| bucket.notes_for(p.id.as_str()) == bucket.notes_for(colleague_person.id.as_str()))
        .unwrap();
    assert!(!mine.notes.is_empty());
    net.devices[1].put(&mine).unwrap();
    net.devices[1].update::<Person>(&shared.id, |p| p.notes = "Seen on Tuesday.".into()).unwrap();
    net.devices[1].update::<Person>(&colleague_person.id, |p| p.address.house = "7".into()).unwrap();
    let report = finished(net.sync(1).unwrap());
    assert!(report.rejected.iter().any(|r| r.kind == RejectionKind::Refused && r.reason.contains("revoked")), "{:?}", report.rejected);
    assert!(report.replayed >= 2, "{report:?}");

    for i in [0, 1] {
        finished(net.sync(0).unwrap());
        finished(net.sync(1).unwrap());
        let device = &mut net.devices[i];
        assert_eq!(device.get::<Person>(&mine.id).unwrap().record.notes, mine.notes, "device {i}: the new person arrived with its notes");
        assert_eq!(device.get::<Person>(&shared.id).unwrap().record.notes, "Seen on Tuesday.", "device {i}: the note arrived");
        assert!(device.get::<Person>(&colleague_person.id).is_err(), "device {i}: the revoked colleague's person is not taken in");
    }
    assert!(net.hub.store().unwrap().get::<Person>(&mine.id).is_ok());
    // The edit of the refused person is kept aside on device 1, with the reason.
    let kept = net.devices[1].kept_aside().unwrap();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0].record_id, colleague_person.id.to_string());
    assert!(kept[0].fields.contains(&"address/house".to_string()), "{kept:?}");
    assert_eq!(kept[0].value["address"]["house"], "7");
    let screen = views::kept_aside_list(&mut net.devices[1], &ctx()).unwrap();
    assert_eq!(screen.rows.len(), 1);
    assert!(screen.rows[0].values.iter().any(|v| v.ends_with(": 7")), "{:?}", screen.rows[0].values);
    assert_eq!(screen.rows[0].form, Some(views::FormKind::Person), "the person form enters the work again");
    assert!(views::discard_kept_aside(&mut net.devices[1], kept[0].seq).unwrap());
    assert!(net.devices[1].kept_aside().unwrap().is_empty());
}

#[test]
fn a_change_refused_for_its_own_sake_is_kept_aside_and_the_rest_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 110);
    let keys = common::harness_keys(&net);
    let mut data = SampleData::new(111);
    // A tampered app writes outside its scope and, in the same sync, 60 legitimate persons.
    let path = net.devices[0].path().to_path_buf();
    net.devices[0] = Store::create(dir.path().join("tmp.db"), keys, common::profile("x", Role::Inspector)).unwrap();
    tamper_meta(&path, keys, "scopes", "navbahor,qatortol");
    net.devices[0] = Store::open(&path, keys).unwrap();
    let stray = data.person("Qatortol", 2026);
    net.devices[0].put(&stray).unwrap();
    let people: Vec<Person> = (0..60).map(|_| data.person("Navbahor", 2026)).collect();
    net.devices[0].put_many(&people).unwrap();
    let report = finished(net.sync(0).unwrap());
    // The stray record and its notes: a change of the bucket and one of its notes document.
    assert_eq!(report.rejected.len(), 2, "{:?}", report.rejected);
    assert!(report.rejected.iter().all(|r| r.doc_id.starts_with("register/qatortol/2026")), "{:?}", report.rejected);
    net.settle();
    for device in &mut net.devices {
        for person in &people {
            assert!(device.get::<Person>(&person.id).is_ok(), "all 60 persons are on every device");
        }
    }
    let kept = net.devices[0].kept_aside().unwrap();
    assert_eq!(kept.iter().map(|k| k.record_id.clone()).collect::<Vec<_>>(), [stray.id.to_string()], "the stray write is kept aside, not dropped");
    assert!(kept[0].reason.contains("may not write"), "{}", kept[0].reason);
}

#[test]
fn a_cloned_install_keeps_both_sides_work() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 112);
    let keys = common::harness_keys(&net);
    let mut data = SampleData::new(113);
    let person = data.person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    net.settle();

    // The phone's data is copied to a second phone (or restored from a backup).
    let original = net.devices[0].path().to_path_buf();
    let clone_dir = dir.path().join("clone");
    std::fs::create_dir(&clone_dir).unwrap();
    net.devices[0].compact().unwrap();
    std::fs::copy(&original, clone_dir.join(original.file_name().unwrap())).unwrap();
    let clone = Store::open(clone_dir.join(original.file_name().unwrap()), keys).unwrap();
    net.devices.push(clone);

    let talk_a = data.conversation(&person, 2026);
    let talk_b = data.conversation(&person, 2026);
    net.devices[0].put(&talk_a).unwrap();
    net.devices[0].update::<Person>(&person.id, |p| p.address.house = "5".into()).unwrap();
    net.devices[2].put(&talk_b).unwrap();
    net.devices[2].update::<Person>(&person.id, |p| p.notes = "From the clone.".into()).unwrap();
    finished(net.sync(0).unwrap());
    let report = finished(net.sync(2).unwrap());
    assert!(report.rejected.iter().any(|r| r.kind == RejectionKind::DuplicateActor), "{:?}", report.rejected);
    assert_ne!(net.devices[2].device().actor, net.devices[0].device().actor, "the clone took a fresh actor");
    net.settle();
    for (i, device) in net.devices.iter_mut().enumerate() {
        assert!(device.get::<Conversation>(&talk_a.id).is_ok() && device.get::<Conversation>(&talk_b.id).is_ok(), "device {i}: both talks");
        let p = device.get::<Person>(&person.id).unwrap().record;
        assert_eq!((p.address.house.as_str(), p.notes.as_str()), ("5", "From the clone."), "device {i}: both edits");
    }
    assert!(net.devices[2].kept_aside().unwrap().is_empty());
    let alert = net.hub.alerts().unwrap().into_iter().find(|a| a.kind == "cloned-install").expect("an alert");
    assert!(alert.detail.contains(&net.devices[0].device().device_id), "{}", alert.detail);
    println!("alert: {}", alert.detail);
}

#[test]
fn a_long_paste_is_refused_with_a_field_error_and_a_long_note_is_fast() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = common::device(dir.path(), "a", &keys);
    let case = SampleData::new(114).parent_case("Navbahor", 2026);
    store.put(&case).unwrap();
    let id = case.id.to_string();
    let version = store.version_of(&case.id).unwrap().to_string();
    let started = std::time::Instant::now();
    let err = views::set_case_text(&mut store, &id, "notes", &"x".repeat(2_000_000), &version).unwrap_err();
    match &err {
        Error::Invalid(errors) => {
            assert_eq!(errors.0[0].field, "notes");
            assert_eq!(errors.0[0].key, "validation.text_too_large");
            println!("2 MB paste refused in {:?}: {}", started.elapsed(), errors.messages(Locale::UzLatn)[0]);
        }
        other => panic!("expected a field error, got {other:?}"),
    }
    // Just under the cap, then a rewrite of all of it: stored, and quick (printed, not asserted).
    let text: String = (0..60_000).map(|i| char::from(b'a' + (i % 23) as u8)).collect();
    let started = std::time::Instant::now();
    views::set_case_text(&mut store, &id, "notes", &text, &version).unwrap();
    let version = store.version_of(&case.id).unwrap().to_string();
    let rewrite: String = (0..60_000).map(|i| char::from(b'a' + (i % 19) as u8)).collect();
    views::set_case_text(&mut store, &id, "notes", &rewrite, &version).unwrap();
    println!("60 KB note stored and rewritten in {:?}", started.elapsed());
    assert_eq!(store.get::<ParentCase>(&case.id).unwrap().record.notes, rewrite);
    let _ = Hub::open(dir.path().join("hub.db"), &keys).unwrap();
}

#[test]
fn a_form_open_across_a_rebuild_still_saves_as_an_edit_of_what_its_user_saw() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector, Role::Inspector], 115);
    let mut data = SampleData::new(116);
    let mut person = data.person("Navbahor", 2026);
    person.address.street = "Old street".into();
    net.devices[0].put(&person).unwrap();
    net.settle();

    // Device 0 takes a colleague's bundle, then edits on top of it and opens the form.
    net.devices[2].put(&data.person("Navbahor", 2026)).unwrap();
    let summary = net.devices[0].summary().unwrap();
    let bundle = net.devices[2].export_bundle(Some(&summary)).unwrap();
    net.devices[0].import_bundle(&bundle).unwrap();
    // The edit changes a field in the bucket (replayed there) and the notes (in a notes document).
    net.devices[0]
        .update::<Person>(&person.id, |p| {
            p.notes = format!("{} Mine.", p.notes);
            p.environment.school_or_work = "Mine.".into();
        })
        .unwrap();
    let id = person.id.to_string();
    let form = views::person_form(&mut net.devices[0], &ctx(), Some(&id)).unwrap();

    // The colleague's phone is revoked: device 0's document is rebuilt and its edit replayed
    // under a new change; a third inspector changes the street meanwhile.
    assert!(net.hub.revoke(&net.devices[2].device().device_id.clone()).unwrap());
    let report = finished(net.sync(0).unwrap());
    assert!(report.replayed >= 1, "{report:?}");
    net.devices[1].update::<Person>(&person.id, |p| p.address.street = "New street".into()).unwrap();
    finished(net.sync(1).unwrap());
    finished(net.sync(0).unwrap());

    // The form opened before all that is saved now.
    let notes = format!("{} From the form.", field(&form, "notes"));
    let typed = inputs(&form, &[("address/house", "9"), ("notes", &notes)]);
    assert!(views::submit_form(&mut net.devices[0], &ctx(), FormKind::Person, &id, "", &form.version, &typed).unwrap().saved);
    finished(net.sync(0).unwrap());
    finished(net.sync(1).unwrap());
    for i in [0, 1] {
        let stored = net.devices[i].get::<Person>(&person.id).unwrap().record;
        assert_eq!(stored.address.street, "New street", "device {i}: the street that arrived meanwhile stays");
        assert_eq!(stored.address.house, "9");
        assert_eq!(stored.notes.matches("Mine.").count(), 1, "device {i}: {}", stored.notes);
        assert!(stored.notes.ends_with("From the form."), "device {i}: {}", stored.notes);
    }
}

#[test]
fn two_copies_of_an_install_that_both_edited_a_new_record_keep_both_values() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 117);
    net.settle();
    // A person recorded offline, then the phone's data copied to a second phone.
    let person = SampleData::new(118).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    assert_eq!(net.clone_device(0, dir.path()), 2);
    // Both copies change the same field of that person, differently.
    net.devices[0].update::<Person>(&person.id, |p| p.address.house = "A-7".into()).unwrap();
    net.devices[2].update::<Person>(&person.id, |p| p.address.house = "B-9".into()).unwrap();
    finished(net.sync(0).unwrap());
    finished(net.sync(2).unwrap());
    net.settle();
    assert_eq!(net.hub.store().unwrap().get::<Person>(&person.id).unwrap().record.address.house, "A-7", "the first copy's value stands");
    let kept = net.devices[2].kept_aside().unwrap();
    assert!(kept.iter().any(|k| k.value["address"]["house"] == "B-9" && k.reason.contains("another copy")), "the second copy's value is kept aside: {kept:?}");
}

#[test]
fn an_entry_edited_on_one_phone_while_another_removed_it_is_a_conflict_until_someone_decides() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 119);
    net.settle();
    let mut case = SampleData::new(120).parent_case("Navbahor", 2026);
    let task = SevenTask { role: SevenRole::Chairman, task: "Visit the family".into(), due: None, done: false, ..Default::default() };
    case.tasks.insert("t1".into(), task);
    net.devices[0].put(&case).unwrap();
    net.settle();
    // Phone 0 first rewords the task, syncs, then takes it out; phone 1, which had the reworded
    // task, marks it done without a connection.
    net.devices[0].update::<ParentCase>(&case.id, |c| c.tasks.get_mut("t1").unwrap().task = "Visit the family with the school".into()).unwrap();
    net.settle();
    net.devices[0]
        .update::<ParentCase>(&case.id, |c| {
            c.tasks.remove("t1");
        })
        .unwrap();
    net.devices[1].update::<ParentCase>(&case.id, |c| c.tasks.get_mut("t1").unwrap().done = true).unwrap();
    net.settle();
    for device in &mut net.devices {
        let conflicts = device.conflicts().unwrap();
        let on_task: Vec<_> = conflicts.iter().filter(|c| c.path == "tasks/t1").collect();
        assert_eq!(on_task.len(), 1, "{conflicts:?}");
        let values: Vec<&serde_json::Value> = on_task[0].values.iter().map(|v| &v.value).collect();
        assert!(values.contains(&&serde_json::Value::Null), "{values:?}");
        let kept = values.iter().find(|v| !v.is_null()).unwrap();
        assert_eq!(kept["done"], true, "phone 1's edit is shown: {kept}");
        assert_eq!(kept["task"], "Visit the family with the school", "as its remover last saw it: {kept}");
    }
    let list = views::conflict_list(&mut net.devices[1], &ctx()).unwrap();
    let row = list.rows.iter().find(|r| r.path == "tasks/t1").expect("listed on the conflicts screen");
    assert_eq!(row.field_label, "Tasks");
    let shown: Vec<&str> = row.options.iter().map(|o| o.display.as_str()).collect();
    assert!(shown.contains(&"Removed") && shown.iter().any(|d| d.contains("Done: Yes") && d.contains("Task: Visit the family with the school")), "{shown:?}");
    // Phone 1 keeps the task; everyone gets it back, done and reworded.
    let kept = net.devices[1].conflicts().unwrap().into_iter().find(|c| c.path == "tasks/t1").unwrap();
    let entry = kept.values.iter().find(|v| !v.value.is_null()).unwrap().value.clone();
    net.devices[1].resolve_conflict(&case.id, "tasks/t1", &entry).unwrap();
    net.settle();
    for device in &mut net.devices {
        let stored = device.get::<ParentCase>(&case.id).unwrap();
        assert!(stored.conflicts.is_empty(), "{:?}", stored.conflicts);
        let task = &stored.record.tasks["t1"];
        assert!(task.done && task.task == "Visit the family with the school", "{task:?}");
    }
    // Taking it out again, by choosing the removal in a new conflict, removes it everywhere.
    net.devices[0]
        .update::<ParentCase>(&case.id, |c| {
            c.tasks.remove("t1");
        })
        .unwrap();
    net.devices[1].update::<ParentCase>(&case.id, |c| c.tasks.get_mut("t1").unwrap().due = chrono::NaiveDate::from_ymd_opt(2026, 12, 24)).unwrap();
    net.settle();
    net.devices[0].resolve_conflict(&case.id, "tasks/t1", &serde_json::Value::Null).unwrap();
    net.settle();
    for device in &mut net.devices {
        let stored = device.get::<ParentCase>(&case.id).unwrap();
        assert!(stored.conflicts.is_empty() && !stored.record.tasks.contains_key("t1"), "{:?}", stored.record.tasks);
    }
}
