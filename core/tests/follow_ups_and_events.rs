//! Effectiveness follow-ups (+1/+3/+6 months) and joint events: schedules, rules, and two
//! phones filling in the same follow-up.

use crate::common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::{device, send};
use std::collections::BTreeSet;
use suhbat_core::*;

fn conversation_with(person: &Person, day: (i32, u32, u32)) -> Conversation {
    let mut talk = Conversation {
        person_ids: BTreeSet::from([person.id.clone()]),
        mahalla: "Navbahor".into(),
        place: "Home".into(),
        started_at: Utc.with_ymd_and_hms(day.0, day.1, day.2, 10, 0, 0).unwrap(),
        inspector: "Aziz".into(),
        ..Default::default()
    };
    talk.schedule_follow_ups();
    talk
}

fn person() -> Person {
    Person {
        name_latn: PersonName { last: "Qodirov".into(), first: "Jasur".into(), patronymic: String::new() },
        birth_date: "2008-04-02".parse().unwrap(),
        registered_on: "2025-01-10".parse().unwrap(),
        address: Address { district: "Chilonzor".into(), mahalla: "Navbahor".into(), ..Default::default() },
        ..Default::default()
    }
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[test]
fn follow_ups_fall_due_one_three_and_six_months_later() {
    let talk = conversation_with(&person(), (2025, 8, 31));
    let dues: Vec<(String, NaiveDate)> = talk.follow_ups.iter().map(|(k, f)| (k.clone(), f.due)).collect();
    assert_eq!(dues, [("m1".into(), date("2025-09-30")), ("m3".into(), date("2025-11-30")), ("m6".into(), date("2026-02-28"))]);
    let mut again = talk.clone();
    again.schedule_follow_ups();
    assert_eq!(again, talk, "scheduling twice changes nothing");
    assert_eq!(talk.index_fields().due_on, Some(date("2025-09-30")));
}

#[test]
fn a_done_follow_up_needs_its_indicators() {
    let mut talk = conversation_with(&person(), (2025, 3, 1));
    let m1 = talk.follow_ups.get_mut("m1").unwrap();
    m1.done_on = Some(date("2025-04-02"));
    m1.reoffences = 2;
    let errors = talk.validate(Utc::now()).unwrap_err();
    let fields: Vec<(&str, &str)> = errors.0.iter().map(|e| (e.field.as_str(), e.key)).collect();
    assert_eq!(
        fields,
        [
            ("follow_ups/m1/behaviour", "validation.required"),
            ("follow_ups/m1/legal_knowledge", "validation.required"),
            ("follow_ups/m1/reoffences", "follow_up.reoffences_without_reoffence"),
        ]
    );
    assert_eq!(errors.messages(Locale::En)[0], "Behaviour change is required");
    let m1 = talk.follow_ups.get_mut("m1").unwrap();
    m1.behaviour = Some(BehaviourChange::Improved);
    m1.legal_knowledge = Some(LegalKnowledge::Good);
    m1.reoffended = true;
    m1.activities.insert(SocialActivity::Study);
    talk.validate(Utc::now()).unwrap();
    assert_eq!(talk.index_fields().due_on, Some(date("2025-06-01")), "the next open follow-up is due");
    talk.follow_ups.get_mut("m6").unwrap().done_on = Some(date("2025-02-01"));
    assert_eq!(talk.validate(Utc::now()).unwrap_err().0[0].key, "validation.before", "done before the conversation");
    talk.follow_ups.insert("m2".into(), FollowUp::default());
    assert!(talk.validate(Utc::now()).unwrap_err().0.iter().any(|e| e.key == "follow_up.unknown_milestone"));
}

#[test]
fn two_phones_fill_in_the_same_follow_up_and_merge_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let (mut a, mut b) = (device(dir.path(), "aziz", &keys), device(dir.path(), "bobur", &keys));
    let p = person();
    let talk = conversation_with(&p, (2025, 3, 1));
    a.put(&p).unwrap();
    a.put(&talk).unwrap();
    send(&mut a, &mut b);
    a.update::<Conversation>(&talk.id, |t| {
        let m1 = t.follow_ups.get_mut("m1").unwrap();
        m1.done_on = Some(date("2025-04-01"));
        m1.behaviour = Some(BehaviourChange::Improved);
        m1.legal_knowledge = Some(LegalKnowledge::Partial);
        m1.activities.insert(SocialActivity::Study);
    })
    .unwrap();
    b.update::<Conversation>(&talk.id, |t| {
        let m1 = t.follow_ups.get_mut("m1").unwrap();
        m1.done_on = Some(date("2025-04-01"));
        m1.behaviour = Some(BehaviourChange::Unchanged);
        m1.legal_knowledge = Some(LegalKnowledge::Partial);
        m1.activities.insert(SocialActivity::Club);
    })
    .unwrap();
    send(&mut a, &mut b);
    send(&mut b, &mut a);
    let merged = a.get::<Conversation>(&talk.id).unwrap();
    let m1 = &merged.record.follow_ups["m1"];
    assert_eq!(m1.activities, BTreeSet::from([SocialActivity::Study, SocialActivity::Club]), "set additions merge");
    let paths: Vec<&str> = merged.conflicts.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["follow_ups/m1/behaviour"], "only the field set differently conflicts");
    assert_eq!(a.fingerprint().unwrap(), b.fingerprint().unwrap());
}

#[test]
fn joint_events_check_organisers_and_attendance() {
    let now = Utc::now();
    let mut event = JointEvent {
        kind: EventKind::SocialAssistance,
        title: "Jobs fair for young people".into(),
        held_on: now.date_naive() + chrono::Duration::days(10),
        place: "Mahalla centre".into(),
        mahalla: "Navbahor".into(),
        ..Default::default()
    };
    assert_eq!(event.validate(now).unwrap_err().0[0].field, "organisers");
    event.organisers.insert(new_item_id(), Organiser { name: "Nodira Yusupova".into(), organisation: "Women's council".into() });
    event.validate(now).unwrap();
    event.person_ids.insert(RecordId::new());
    let planned = event.validate(now).unwrap_err();
    assert_eq!(planned.0[0].key, "event.attendance_before_held");
    assert!(planned.messages(Locale::UzLatn)[0].contains("hali o‘tkazilmagan"));
    event.held_on = now.date_naive();
    event.validate(now).unwrap();
    assert_eq!(event.attendance(), 1);
    assert_eq!(event.index_fields().status, "social_assistance");
}
