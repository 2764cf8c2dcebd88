//! The hub's content checks on crafted changes (what a tampered app could send).

use super::*;
use crate::doc::Author;
use crate::model::{Application, Book};
use crate::sample::SampleData;
use automerge::transaction::Transactable;
use chrono::Utc;

fn author(device: &str, role: Role) -> Author {
    Author { device_id: device.into(), person: device.into(), role }
}

fn inspectors() -> Authors {
    Authors { roles: BTreeSet::from([Role::Inspector]), hub_actors: BTreeSet::new() }
}

/// The changes `edit` makes on a copy of `bucket` written as `actor`.
fn changes_by(bucket: &Bucket, actor: [u8; 16], edit: impl FnOnce(&mut Bucket)) -> Vec<Change> {
    let mut copy = Bucket { id: bucket.id.clone(), doc: bucket.doc.fork().with_actor(ActorId::from(actor)) };
    edit(&mut copy);
    copy.doc.get_changes(&bucket.heads())
}

#[test]
fn a_numbered_application_keeps_its_book() {
    let mut app = Application::new(Book::Form1, Utc::now().date_naive());
    app.applicant = "Karimov Aziz".into();
    app.mahalla = "Navbahor".into();
    app.final_number = Some(1);
    let id = BucketId::for_record(&app);
    let mut hub = Bucket::new(id.clone(), ActorId::from([9u8; 16]));
    hub.write(&[&app], &author("hub", Role::Supervisor), Utc::now()).unwrap();

    let mut moved = app.clone();
    moved.book = Book::Form2;
    let changes = changes_by(&hub, [1u8; 16], |b| {
        b.write(&[&moved], &author("phone", Role::Inspector), Utc::now()).unwrap();
    });
    let (reason, record) = check_contents(Some(&hub), &id, &changes, 500, &inspectors()).err().expect("a numbered application moved to another book");
    assert!(reason.contains("book may not change"), "{reason}");
    assert_eq!(record.as_deref(), Some(app.id.as_str()));

    // Its other fields may still change.
    let mut edited = app.clone();
    edited.summary = "Noise at night".into();
    let changes = changes_by(&hub, [1u8; 16], |b| {
        b.write(&[&edited], &author("phone", Role::Inspector), Utc::now()).unwrap();
    });
    assert!(check_contents(Some(&hub), &id, &changes, 500, &inspectors()).is_ok());
}

#[test]
fn a_concurrent_value_that_loses_is_checked_like_the_winner() {
    let mut data = SampleData::new(7);
    let person = data.person("Navbahor", 2026);
    let id = BucketId::for_record(&person);
    let mut hub = Bucket::new(id.clone(), ActorId::from([9u8; 16]));
    hub.write(&[&person], &author("hub", Role::Supervisor), Utc::now()).unwrap();

    // Two concurrent values of one field from one tampered app (two actors): the larger actor
    // wins, so the oversized value is the one that loses the conflict.
    let mut small = person.clone();
    small.address.street = "Small street".into();
    let mut huge = person.clone();
    huge.address.street = "x".repeat(MAX_TEXT_BYTES + 1);
    let mut changes = changes_by(&hub, [0xf0u8; 16], |b| {
        b.write(&[&small], &author("phone", Role::Inspector), Utc::now()).unwrap();
    });
    changes.extend(changes_by(&hub, [0x01u8; 16], |b| {
        b.write(&[&huge], &author("phone", Role::Inspector), Utc::now()).unwrap();
    }));
    let mut merged = hub.doc.fork();
    merged.apply_changes(changes.clone()).unwrap();
    let merged = Bucket { id: id.clone(), doc: merged };
    let record = merged.read_raw(person.id.as_str()).unwrap();
    assert_eq!(record.value["address"]["street"], "Small street", "the small value wins");
    assert_eq!(record.conflicts.len(), 1);

    let (reason, _) = check_contents(Some(&hub), &id, &changes, 500, &inspectors()).err().expect("the losing oversized value is refused");
    assert!(reason.contains("a concurrent value of address/street"), "{reason}");
}

#[test]
fn fields_written_at_creation_are_not_written_again() {
    use automerge::transaction::Transactable;
    let mut data = SampleData::new(8);
    let person = data.person("Navbahor", 2026);
    let id = BucketId::for_record(&person);
    let mut hub = Bucket::new(id.clone(), ActorId::from([9u8; 16]));
    hub.write(&[&person], &author("hub", Role::Supervisor), Utc::now()).unwrap();
    assert!(hub.whole_fields_op(person.id.as_str()).is_some(), "a new record is written whole");

    // A tampered app puts the whole record again (hiding, say, a rewritten name in one value).
    let changes = changes_by(&hub, [1u8; 16], |b| {
        let (_, record) = b.doc.get(ROOT, person.id.as_str()).unwrap().unwrap();
        let mut tx = b.doc.transaction();
        tx.put(&record, FIELDS_KEY, r#"{"id":"x"}"#).unwrap();
        tx.commit();
    });
    let (reason, record) = check_contents(Some(&hub), &id, &changes, 500, &inspectors()).err().expect("a second @fields is refused");
    assert!(reason.contains("written at creation"), "{reason}");
    assert_eq!(record.as_deref(), Some(person.id.as_str()));

    // An ordinary edit writes one register beside it and passes.
    let mut moved = person.clone();
    moved.address.street = "Yangi street".into();
    let changes = changes_by(&hub, [1u8; 16], |b| {
        b.write(&[&moved], &author("phone", Role::Inspector), Utc::now()).unwrap();
    });
    assert_eq!(changes.len(), 1);
    assert!(check_contents(Some(&hub), &id, &changes, 500, &inspectors()).is_ok());
}

#[test]
fn a_legal_basis_naming_other_without_words_is_refused() {
    let mut data = SampleData::new(11);
    let person = data.person("Navbahor", 2026);
    let mut talk = data.conversation(&person, 2026);
    let id = BucketId::for_record(&talk);
    let mut hub = Bucket::new(id.clone(), ActorId::from([9u8; 16]));
    hub.write(&[&person], &author("hub", Role::Supervisor), Utc::now()).unwrap();
    hub.write(&[&talk], &author("hub", Role::Supervisor), Utc::now()).unwrap();

    talk.legal_basis.grounds.insert(crate::model::LegalGround::Other);
    let changes = changes_by(&hub, [1u8; 16], |b| {
        b.write(&[&talk], &author("phone", Role::Inspector), Utc::now()).unwrap();
    });
    let (reason, record) = check_contents(Some(&hub), &id, &changes, 500, &inspectors()).err().expect("other without words");
    assert!(reason.contains("legal basis") && reason.contains("name the act"), "{reason}");
    assert_eq!(record.as_deref(), Some(talk.id.as_str()));

    talk.legal_basis.details = "Hokim's order No. 12".into();
    let changes = changes_by(&hub, [1u8; 16], |b| {
        b.write(&[&talk], &author("phone", Role::Inspector), Utc::now()).unwrap();
    });
    assert!(check_contents(Some(&hub), &id, &changes, 500, &inspectors()).is_ok());
}

#[test]
fn a_case_indicator_resolved_before_it_was_observed_is_refused() {
    let mut data = SampleData::new(12);
    let mut case = data.parent_case("Navbahor", 2026);
    let id = BucketId::for_record(&case);
    let mut hub = Bucket::new(id.clone(), ActorId::from([9u8; 16]));
    hub.write(&[&case], &author("hub", Role::Supervisor), Utc::now()).unwrap();

    let (item, observed) = case.indicators.iter().map(|(k, i)| (k.clone(), i.observed_on)).next().expect("the sample case has an indicator");
    let indicator = case.indicators.get_mut(&item).unwrap();
    indicator.resolved_on = observed.map(|d| d - chrono::Days::new(3));
    let changes = changes_by(&hub, [1u8; 16], |b| {
        b.write(&[&case], &author("phone", Role::Inspector), Utc::now()).unwrap();
    });
    let (reason, record) = check_contents(Some(&hub), &id, &changes, 500, &inspectors()).err().expect("resolved before observed");
    assert!(reason.contains("checklist") && reason.contains("cannot be before"), "{reason}");
    assert_eq!(record.as_deref(), Some(case.id.as_str()));

    case.indicators.get_mut(&item).unwrap().resolved_on = observed;
    case.sara.measures.attendance_after = Some(85);
    let changes = changes_by(&hub, [1u8; 16], |b| {
        b.write(&[&case], &author("phone", Role::Inspector), Utc::now()).unwrap();
    });
    assert!(check_contents(Some(&hub), &id, &changes, 500, &inspectors()).is_ok());
}

#[test]
fn a_programme_session_attended_by_a_family_not_in_the_programme_is_refused() {
    let mut programme = crate::model::Programme {
        title: "Parents' school".into(),
        mahalla: "Navbahor".into(),
        starts_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
        organisers: [("o1".to_string(), crate::model::ProgrammeOrganiser { name: "Karimova Nodira".into(), ..Default::default() })].into(),
        families: [("f1".to_string(), crate::model::TargetFamily { name: "Yusupovlar".into(), case_id: None })].into(),
        ..Default::default()
    };
    let id = BucketId::for_record(&programme);
    assert_eq!(id.audience, crate::model::Audience::CaseTeam);
    let mut hub = Bucket::new(id.clone(), ActorId::from([9u8; 16]));
    hub.write(&[&programme], &author("hub", Role::Supervisor), Utc::now()).unwrap();

    let session =
        crate::model::ProgrammeSession { held_on: programme.starts_on, topic: "Rules at home".into(), event_id: None, attended: ["f9".to_string()].into() };
    programme.sessions.insert("s1".into(), session);
    let changes = changes_by(&hub, [1u8; 16], |b| {
        b.write(&[&programme], &author("phone", Role::Seven), Utc::now()).unwrap();
    });
    let sevens = Authors { roles: BTreeSet::from([Role::Seven]), hub_actors: BTreeSet::new() };
    let (reason, _) = check_contents(Some(&hub), &id, &changes, 500, &sevens).err().expect("an unknown family");
    assert!(reason.contains("programme breaks a rule") && reason.contains("no such family"), "{reason}");

    programme.sessions.get_mut("s1").unwrap().attended = ["f1".to_string()].into();
    let changes = changes_by(&hub, [1u8; 16], |b| {
        b.write(&[&programme], &author("phone", Role::Seven), Utc::now()).unwrap();
    });
    assert!(check_contents(Some(&hub), &id, &changes, 500, &sevens).is_ok());
}

#[test]
fn a_notes_document_holds_only_notes_texts_in_one_map_per_record() {
    use crate::doc::NoteText;
    let id = BucketId::parse("register/navbahor/2026/notes-2").unwrap();
    let record = "0192f0c4-7d1e-7c3a-9f00-1234567890ab";
    let mut hub = Bucket::new(id.clone(), ActorId::from([9u8; 16]));
    let note = |text: &str| NoteText { record_id: record.into(), field: "notes", text: text.into() };
    hub.write_notes(&[note("Met the family.")], &author("hub", Role::Supervisor), Utc::now(), None).unwrap();
    let actor = ActorId::from([1u8; 16]).to_hex_string();
    let authors = || Authors { roles: BTreeSet::from([Role::Inspector]), hub_actors: BTreeSet::new() };
    let check = |changes: &[Change]| check_contents(Some(&hub), &id, changes, 500, &authors()).map(|_| ()).map_err(|(reason, _)| reason);

    let edit = changes_by(&hub, [1u8; 16], |b| {
        b.write_notes(&[note("Met the family. Father at work.")], &author(&actor, Role::Inspector), Utc::now(), None).unwrap();
    });
    assert_eq!(check(&edit), Ok(()), "a note edited");

    let other_field = changes_by(&hub, [1u8; 16], |b| {
        let (_, obj) = b.doc.get(ROOT, record).unwrap().unwrap();
        b.doc.transact(|tx| tx.put(&obj, "stage", "response")).unwrap();
    });
    assert!(check(&other_field).unwrap_err().contains("is not a notes field"));

    let second_map = changes_by(&Bucket::new(id.clone(), ActorId::from([9u8; 16])), [1u8; 16], |b| {
        b.write_notes(&[note("Mine.")], &author(&actor, Role::Inspector), Utc::now(), None).unwrap();
    });
    let reason = check_contents(Some(&hub), &id, &second_map, 500, &authors()).err().map(|(reason, _)| reason).unwrap_or_default();
    assert!(reason.contains("made twice"), "{reason}");

    let not_a_record = changes_by(&hub, [1u8; 16], |b| {
        b.doc.transact(|tx| tx.put(ROOT, "stray", 1)).unwrap();
    });
    assert!(check(&not_a_record).unwrap_err().contains("not a record id"));
}
