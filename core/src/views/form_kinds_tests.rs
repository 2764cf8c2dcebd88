//! Tests of the one form engine over every record kind: each form opens, saves, reports broken
//! rules on its fields in the user's language, and keeps what it does not show.

use super::tests::{ctx, fixture, person, talk};
use super::*;
use crate::model::{Application, Book, CaseStatus, Conversation, JointEvent, ParentCase, Referral, ReferralState, SaraStage};
use crate::{Locale, RecordId};

/// Fills `form` with `typed` over what it proposes and submits it.
fn submit(store: &mut crate::Store, locale: Locale, form: &Form, typed: &[(&str, &str)]) -> FormResult {
    let mut inputs = form.inputs();
    for (key, value) in typed {
        let input = inputs.iter_mut().find(|i| i.key == *key).unwrap_or_else(|| panic!("no field {key}"));
        input.value = value.to_string();
    }
    with_items(store, locale, form, inputs)
}

fn with_items(store: &mut crate::Store, locale: Locale, form: &Form, inputs: Vec<FieldInput>) -> FormResult {
    submit_form(store, &ctx(locale), form.kind, &form.record_id, &form.item_id, &form.version, &inputs).unwrap()
}

fn set_items(inputs: &mut [FieldInput], key: &str, items: Vec<FormItem>) {
    inputs.iter_mut().find(|i| i.key == key).unwrap().items = items;
}

fn item(text: &str, detail: &str) -> FormItem {
    FormItem { text: text.into(), detail: detail.into(), ..Default::default() }
}

fn error_of<'a>(form: &'a Form, key: &str) -> Option<&'a str> {
    form.fields.iter().find(|f| f.key == key).and_then(|f| f.error.as_deref())
}

fn id(form: &Form) -> RecordId {
    RecordId::parse(&form.record_id).unwrap()
}

#[test]
fn every_form_has_its_labels_sections_and_choices_in_every_language() {
    let mut f = fixture("aziz");
    let p = person(&mut f.store, "Qodirov", &[]);
    let case = open_case(&mut f.store, &ctx(Locale::En), "Navbahor", &["Qodirov Anvar".into()], &[], "Truancy").unwrap();
    let event = new_event(&mut f.store).form.record_id;
    let talk = talk(&mut f.store, &p, "2025-09-01", None, &[]);
    let app = form(&mut f.store, &ctx(Locale::En), FormKind::Application, None, None, None).unwrap();
    let app = submit(&mut f.store, Locale::En, &app, &[("applicant", "Karimova N."), ("summary", "Noise at night")]);
    assert!(app.saved, "{:?}", app.form.errors);
    let app = app.form.record_id;
    for locale in Locale::ALL {
        for kind in FormKind::ALL {
            let record = match kind.record_kind() {
                _ if !kind.edits_a_part() && kind != FormKind::Attendance => None,
                crate::RecordKind::ParentCase => Some(case.as_str()),
                crate::RecordKind::Conversation => Some(talk.id.as_str()),
                crate::RecordKind::Application => Some(app.as_str()),
                _ => Some(event.as_str()),
            };
            let item = (kind == FormKind::FollowUp).then_some("m1");
            let shown = form(&mut f.store, &ctx(locale), kind, record, item, None).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            assert!(crate::i18n::keys().all(|k| k != shown.title), "{kind:?} title is a raw key: {}", shown.title);
            for field in &shown.fields {
                let raw = [field.key.as_str(), field.key.rsplit('/').next().unwrap_or_default()];
                assert!(!raw.contains(&field.label.as_str()) && !field.label.contains('_'), "{kind:?} {locale:?}: no label for {}", field.key);
                let section = field.section.to_lowercase();
                assert!(!section.starts_with("section.") && !section.starts_with("field."), "{kind:?} {locale:?}: no section title for {}", field.key);
                for choice in &field.choices {
                    assert!(!choice.label.ends_with(&format!(".{}", choice.value)), "{kind:?} {locale:?}: {} has a raw label {}", field.key, choice.label);
                }
            }
        }
    }
}

#[test]
fn a_parent_case_is_opened_moved_and_closed_through_its_form() {
    let mut f = fixture("aziz");
    let p = person(&mut f.store, "Qodirov", &[]);
    let new = form(&mut f.store, &ctx(Locale::En), FormKind::ParentCase, None, None, Some(p.id.as_str())).unwrap();
    assert!(new.is_new);
    assert_eq!(new.fields.iter().find(|f| f.key == "guardians").unwrap().items[0].text, "Qodirov Jasur", "the person it starts from is its first guardian");
    let mut inputs = new.inputs();
    set_items(&mut inputs, "guardians", vec![]);
    let refused = with_items(&mut f.store, Locale::Ru, &new, inputs.clone());
    assert!(!refused.saved);
    assert!(error_of(&refused.form, "guardians").is_some_and(|e| e.contains("родитель")), "{:?}", refused.form.errors);
    assert!(error_of(&refused.form, "concern").is_some(), "{:?}", refused.form.errors);
    set_items(&mut inputs, "guardians", vec![item("Qodirov Anvar", "father")]);
    set_items(
        &mut inputs,
        "children",
        vec![FormItem { text: "Qodirova Madina".into(), date: "2014-03-01".into(), detail: "School 12".into(), ..Default::default() }],
    );
    inputs.iter_mut().find(|i| i.key == "concern").unwrap().value = "The children miss school".into();
    let saved = with_items(&mut f.store, Locale::En, &new, inputs);
    assert!(saved.saved, "{:?}", saved.form.errors);
    let stored = f.store.get::<ParentCase>(&id(&saved.form)).unwrap().record;
    let child = stored.children.values().next().unwrap();
    assert_eq!((child.school.as_str(), child.birth_date.map(|d| d.to_string())), ("School 12", Some("2014-03-01".into())));

    // A part the form does not show is kept when the item is edited.
    let child_id = stored.children.keys().next().unwrap().clone();
    f.store.update::<ParentCase>(&stored.id, |c| c.children.get_mut(&child_id).unwrap().situation = "works at the bazaar".into()).unwrap();
    let edit = form(&mut f.store, &ctx(Locale::En), FormKind::ParentCase, Some(&saved.form.record_id), None, None).unwrap();
    let mut inputs = edit.inputs();
    inputs.iter_mut().find(|i| i.key == "children").unwrap().items[0].detail = "School 7".into();
    inputs.iter_mut().find(|i| i.key == "stage").unwrap().value = "analysis".into();
    assert!(with_items(&mut f.store, Locale::En, &edit, inputs).saved);
    let stored = f.store.get::<ParentCase>(&stored.id).unwrap().record;
    assert_eq!((stored.children[&child_id].school.as_str(), stored.children[&child_id].situation.as_str()), ("School 7", "works at the bazaar"));
    assert_eq!(stored.stage, SaraStage::Analysis);
    assert_eq!(stored.stage_changes.len(), 1, "the move is stamped");

    // Back a stage only with a reason; then closed with an outcome.
    let edit = form(&mut f.store, &ctx(Locale::En), FormKind::ParentCase, Some(&saved.form.record_id), None, None).unwrap();
    let back = submit(&mut f.store, Locale::En, &edit, &[("stage", "scanning")]);
    assert!(!back.saved && error_of(&back.form, "stage").is_some(), "{:?}", back.form.errors);
    let back = submit(&mut f.store, Locale::En, &edit, &[("stage", "scanning"), ("stage_reason", "new facts")]);
    assert!(back.saved, "{:?}", back.form.errors);
    let edit = back.form;
    let closed = submit(&mut f.store, Locale::En, &edit, &[("status", "closed"), ("outcome", "Children back at school")]);
    assert!(closed.saved, "{:?}", closed.form.errors);
    assert_eq!(f.store.get::<ParentCase>(&stored.id).unwrap().record.status, CaseStatus::Closed);
}

#[test]
fn a_seven_task_is_a_form_of_its_case_with_errors_on_its_own_fields() {
    let mut f = fixture("aziz");
    let case = open_case(&mut f.store, &ctx(Locale::En), "Navbahor", &["Qodirov Anvar".into()], &[], "Truancy").unwrap();
    let new = form(&mut f.store, &ctx(Locale::UzLatn), FormKind::SevenTask, Some(&case), None, None).unwrap();
    assert!(new.is_new && !new.item_id.is_empty());
    let blank = submit(&mut f.store, Locale::UzLatn, &new, &[("role", "womens_activist"), ("task", " ")]);
    assert!(!blank.saved);
    assert!(error_of(&blank.form, "task").is_some(), "the case's rule on tasks/<id>/task shows on the task field: {:?}", blank.form.errors);
    let saved = submit(&mut f.store, Locale::UzLatn, &new, &[("role", "womens_activist"), ("task", "Visit the family"), ("due", "20.10.2025")]);
    assert!(saved.saved, "{:?}", saved.form.errors);
    let done = submit(&mut f.store, Locale::UzLatn, &saved.form, &[("done", "true")]);
    assert!(done.saved, "{:?}", done.form.errors);
    let stored = f.store.get::<ParentCase>(&RecordId::parse(&case).unwrap()).unwrap().record;
    let task = &stored.tasks[&new.item_id];
    assert_eq!((task.task.as_str(), task.done, task.due.map(|d| d.to_string())), ("Visit the family", true, Some("2025-10-20".into())));
    let bad = submit(&mut f.store, Locale::En, &done.form, &[("done", "maybe")]);
    assert!(!bad.saved && error_of(&bad.form, "done").is_some());
}

#[test]
fn a_follow_up_result_is_recorded_through_its_form() {
    let mut f = fixture("aziz");
    let p = person(&mut f.store, "Qodirov", &[]);
    let t = talk(&mut f.store, &p, "2025-09-01", None, &[]);
    let shown = form(&mut f.store, &ctx(Locale::En), FormKind::FollowUp, Some(t.id.as_str()), Some("m1"), None).unwrap();
    let incomplete = submit(&mut f.store, Locale::En, &shown, &[("done_on", "2025-10-01")]);
    assert!(!incomplete.saved, "a done follow-up needs the behaviour change");
    assert!(error_of(&incomplete.form, "behaviour").is_some(), "{:?}", incomplete.form.errors);
    let typed = [("done_on", "2025-10-01"), ("behaviour", "improved"), ("legal_knowledge", "good"), ("reoffended", "true"), ("reoffences", "x")];
    let unreadable = submit(&mut f.store, Locale::En, &shown, &typed);
    assert!(error_of(&unreadable.form, "reoffences").is_some_and(|e| e.contains("whole number")));
    let typed = [("done_on", "2025-10-01"), ("behaviour", "improved"), ("legal_knowledge", "good"), ("reoffended", "true"), ("reoffences", "1")];
    let saved = submit(&mut f.store, Locale::En, &shown, &typed);
    assert!(saved.saved, "{:?}", saved.form.errors);
    let stored = f.store.get::<Conversation>(&t.id).unwrap().record;
    let m1 = &stored.follow_ups["m1"];
    assert_eq!((m1.reoffences, m1.by.as_str(), m1.done_on.map(|d| d.to_string())), (1, "aziz", Some("2025-10-01".into())));
}

#[test]
fn a_request_is_sent_through_its_form_and_its_addressee_stays() {
    let mut f = fixture("aziz");
    let p = person(&mut f.store, "Qodirov", &[]);
    let new = form(&mut f.store, &ctx(Locale::En), FormKind::Referral, None, None, Some(p.id.as_str())).unwrap();
    assert_eq!(new.fields.iter().find(|f| f.key == "person_ids").unwrap().choices[0].label, "Qodirov Jasur");
    let missing = submit(&mut f.store, Locale::En, &new, &[("subject", "Qodirov J.")]);
    assert!(!missing.saved && error_of(&missing.form, "to").is_some() && error_of(&missing.form, "reason").is_some(), "{:?}", missing.form.errors);
    let sent = submit(&mut f.store, Locale::En, &new, &[("to", "criminal_investigation"), ("subject", "Qodirov J."), ("reason", "Seen with a wanted man")]);
    assert!(sent.saved, "{:?}", sent.form.errors);
    let stored = f.store.get::<Referral>(&id(&sent.form)).unwrap().record;
    assert_eq!(stored.state, ReferralState::Sent);
    assert!(stored.steps.contains_key("sent") && stored.person_ids.contains(&p.id));
    let moved = submit(&mut f.store, Locale::En, &sent.form, &[("to", "migration")]);
    assert!(!moved.saved && error_of(&moved.form, "to").is_some_and(|e| e.contains("sent")), "{:?}", moved.form.errors);
    let unknown = submit(&mut f.store, Locale::En, &sent.form, &[("case_id", &RecordId::new().to_string())]);
    assert!(!unknown.saved && error_of(&unknown.form, "case_id").is_some());
}

#[test]
fn an_application_gets_its_number_and_book_deadline_and_then_its_decision() {
    let mut f = fixture("aziz");
    let new = form(&mut f.store, &ctx(Locale::En), FormKind::Application, None, None, None).unwrap();
    let saved = submit(&mut f.store, Locale::En, &new, &[("book", "form2"), ("applicant", "Karimova N."), ("summary", "Noise at night")]);
    assert!(saved.saved, "{:?}", saved.form.errors);
    let app = f.store.get::<Application>(&id(&saved.form)).unwrap().record;
    assert_eq!(app.book, Book::Form2);
    assert!(!app.provisional_number.is_empty());
    assert_eq!(app.deadline, Application::new(Book::Form2, app.registered_on).deadline, "the book's deadline when none is typed");
    let decision = form(&mut f.store, &ctx(Locale::En), FormKind::Decision, Some(&saved.form.record_id), None, None).unwrap();
    assert_eq!(decision.fields.iter().find(|f| f.key == "decided_on").unwrap().value, "2025-10-15", "decided today unless changed");
    let decided = submit(&mut f.store, Locale::En, &decision, &[("kind", "explained"), ("text", "Explained the rules")]);
    assert!(decided.saved, "{:?}", decided.form.errors);
    let app = f.store.get::<Application>(&app.id).unwrap().record;
    assert!(app.is_decided());
    assert_eq!(app.decision.unwrap().by, "aziz");
}

/// A seminar organised by the women's committee, through the event form.
fn new_event(store: &mut crate::Store) -> FormResult {
    let new = form(store, &ctx(Locale::En), FormKind::JointEvent, None, None, None).unwrap();
    let mut inputs = new.inputs();
    inputs.iter_mut().find(|i| i.key == "kind").unwrap().value = "seminar".into();
    inputs.iter_mut().find(|i| i.key == "title").unwrap().value = "Parents' school".into();
    inputs.iter_mut().find(|i| i.key == "place").unwrap().value = "School 12".into();
    set_items(&mut inputs, "organisers", vec![item("Dilnoza", "Women's committee")]);
    let saved = with_items(store, Locale::En, &new, inputs);
    assert!(saved.saved, "{:?}", saved.form.errors);
    saved
}

#[test]
fn a_joint_event_and_its_attendance_are_forms() {
    let mut f = fixture("aziz");
    let p = person(&mut f.store, "Qodirov", &[]);
    let saved = new_event(&mut f.store);
    assert!(form(&mut f.store, &ctx(Locale::En), FormKind::Attendance, None, None, None).is_err(), "attendance is of a stored event");
    let attendance = form(&mut f.store, &ctx(Locale::En), FormKind::Attendance, Some(&saved.form.record_id), None, None).unwrap();
    let mut inputs = attendance.inputs();
    inputs.iter_mut().find(|i| i.key == "person_ids").unwrap().selected = vec![p.id.to_string()];
    inputs.iter_mut().find(|i| i.key == "case_ids").unwrap().selected = vec![RecordId::new().to_string()];
    set_items(&mut inputs, "guests", vec![item("Karimov B.", "")]);
    let refused = with_items(&mut f.store, Locale::En, &attendance, inputs.clone());
    assert!(!refused.saved && error_of(&refused.form, "case_ids").is_some(), "an unknown case is refused");
    inputs.iter_mut().find(|i| i.key == "case_ids").unwrap().selected.clear();
    let saved = with_items(&mut f.store, Locale::En, &attendance, inputs);
    assert!(saved.saved, "{:?}", saved.form.errors);
    let event = f.store.get::<JointEvent>(&id(&saved.form)).unwrap().record;
    assert!(event.person_ids.contains(&p.id));
    assert_eq!(event.guests.values().collect::<Vec<_>>(), ["Karimov B."]);
    assert_eq!(event.organisers.values().next().unwrap().organisation, "Women's committee");
    let picked = link_choices(&mut f.store, &ctx(Locale::UzCyrl), FieldKind::Persons, "кодиров").unwrap();
    assert_eq!(picked.iter().map(|c| c.value.clone()).collect::<Vec<_>>(), [p.id.to_string()]);
}

#[test]
fn a_new_visit_starts_where_the_phone_is_when_its_fix_is_good() {
    let mut f = fixture("aziz");
    let p = person(&mut f.store, "Qodirov", &[]);
    let c = ctx(Locale::En);
    let fix = LocationFix { lat: 41.3111, lon: 69.2797, accuracy_metres: 15.0, at_ms: c.now.timestamp_millis() - 20_000 };
    let gps = |form: &Form| form.fields.iter().find(|f| f.key == "gps").unwrap().value.clone();
    let visit = form_at(&mut f.store, &c, FormKind::Conversation, None, None, Some(p.id.as_str()), Some(&fix)).unwrap();
    assert_eq!(gps(&visit), "41.3111, 69.2797");
    let vague = LocationFix { accuracy_metres: 900.0, ..fix };
    assert_eq!(gps(&form_at(&mut f.store, &c, FormKind::Conversation, None, None, Some(p.id.as_str()), Some(&vague)).unwrap()), "");
    let consent = [("consent_by", "guardian"), ("consent_note", "The grandmother agreed")];
    let saved = submit(&mut f.store, Locale::En, &visit, &[&[("place", "At home")][..], &consent].concat());
    assert!(saved.saved, "{:?}", saved.form.errors);
    let stored = f.store.get::<Conversation>(&id(&saved.form)).unwrap().record;
    assert_eq!(stored.gps.map(|g| (g.lat, g.lon)), Some((41.3111, 69.2797)));
    let other = form_at(&mut f.store, &c, FormKind::JointEvent, None, None, None, Some(&fix)).unwrap();
    assert!(other.fields.iter().all(|f| f.key != "gps"), "only a visit records the place");
}
