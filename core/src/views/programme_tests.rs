//! Tests of joint programmes (attendance of target families across sessions, the report per
//! programme) and of training (who attended, what training each person had).

use super::tests::{ctx, fixture};
use super::*;
use crate::access::{kinds_allowed, may_read};
use crate::doc::BucketId;
use crate::model::{Audience, Programme, RecordKind, TrainingSession};
use crate::{Error, Locale, RecordId, Role};

fn trainee(name: &str, role: &str) -> NewTrainee {
    NewTrainee { name: name.into(), role: role.into() }
}

#[test]
fn training_records_who_attended_and_what_training_each_person_had() {
    let mut f = fixture("aziz");
    let c = ctx(Locale::En);
    let new = |topic: &str, title: &str, held_on: &str| NewTraining {
        topic: topic.into(),
        title: title.into(),
        held_on: held_on.into(),
        mahalla: "Navbahor".into(),
        trainer: "District lawyer".into(),
    };
    let rights = add_training(&mut f.store, &new("childrens_rights", "", "2025-09-10")).unwrap();
    record_training_attendance(&mut f.store, &rights, &[trainee("Karimova Nodira", "womens_activist"), trainee("Aziz Karimov", "inspector")]).unwrap();
    let family = add_training(&mut f.store, &new("family_law", "Alimony and guardianship", "01.10.2025")).unwrap();
    // The same person typed in Cyrillic, twice: one attendee.
    record_training_attendance(&mut f.store, &family, &[trainee("Каримова Нодира", "womens_activist")]).unwrap();
    record_training_attendance(&mut f.store, &family, &[trainee("karimova nodira", "womens_activist")]).unwrap();
    let stored: TrainingSession = f.store.get(&RecordId::parse(&family).unwrap()).unwrap().record;
    assert_eq!(stored.attendees.len(), 1);

    let Err(Error::Invalid(errors)) = add_training(&mut f.store, &new("other", " ", "2025-10-02")) else { panic!("other needs a title") };
    assert_eq!(errors.0[0].field, "title");
    assert!(add_training(&mut f.store, &new("knitting", "", "2025-10-02")).is_err(), "not in the catalog's list");
    assert!(record_training_attendance(&mut f.store, &rights, &[trainee("Someone", "mayor")]).is_err(), "not a role of the seven");

    let list = training_list(&mut f.store, &c).unwrap();
    let rows: Vec<(&str, &str, &str)> = list.rows.iter().map(|r| (r.topic_label.as_str(), r.date_label.as_str(), r.attendance_label.as_str())).collect();
    assert_eq!(rows, [("Family law", "2025-10-01", "Attended: 1"), ("Children's rights", "2025-09-10", "Attended: 2")]);

    let nodira = person_training(&mut f.store, &c, "Karimova Nodira").unwrap();
    assert_eq!(nodira.title, "Training of Karimova Nodira");
    let had: Vec<(&str, &str, &str)> = nodira.rows.iter().map(|r| (r.date_label.as_str(), r.topic_label.as_str(), r.role_label.as_str())).collect();
    assert_eq!(had, [("2025-10-01", "Family law", "Women's activist"), ("2025-09-10", "Children's rights", "Women's activist")]);
    assert_eq!(nodira.topics_had, ["Children's rights", "Family law"]);
    assert!(nodira.topics_missing.contains(&"Domestic violence and protection orders".to_string()) && nodira.topics_missing.len() == 5);
    assert_eq!(person_training(&mut f.store, &c, "Aziz Karimov").unwrap().rows.len(), 1);
    let nobody = person_training(&mut f.store, &ctx(Locale::Ru), "Tursunov Bobur").unwrap();
    assert!(nobody.rows.is_empty());
    assert_eq!(nobody.empty_text, "Этот человек ещё не проходил обучение");

    // Case-team work: in the case team's bucket, which the seven receive.
    let bucket = BucketId::for_record(&stored);
    assert_eq!(bucket.audience, Audience::CaseTeam);
    assert!(may_read(Role::Seven, &["Navbahor".into()], &bucket));
    assert!(kinds_allowed(Audience::CaseTeam).contains(&RecordKind::Training) && !kinds_allowed(Audience::Register).contains(&RecordKind::Training));
}

#[test]
fn a_programme_follows_its_families_across_sessions_and_reports_attendance() {
    let mut f = fixture("aziz");
    let c = ctx(Locale::En);
    let case = open_case(&mut f.store, &c, "Navbahor", &["Yusupova Dilnoza".into()], &[], "Neglect").unwrap();
    let new = NewProgramme {
        title: "Parents' school".into(),
        mahalla: "Navbahor".into(),
        starts_on: "2025-09-01".into(),
        ends_on: "2025-12-31".into(),
        organisers: vec![
            NewProgrammeOrganiser { name: "Karimova Nodira".into(), kind: "seven_member".into() },
            NewProgrammeOrganiser { name: "School 141".into(), kind: "school".into() },
        ],
    };
    let id = add_programme(&mut f.store, &new).unwrap();
    let Err(Error::Invalid(_)) = add_programme(&mut f.store, &NewProgramme { organisers: vec![], ..new.clone() }) else { panic!("an organiser is needed") };

    let yusupov = add_programme_family(&mut f.store, &id, "Yusupovlar", Some(&case)).unwrap();
    add_programme_family(&mut f.store, &id, "Karimovlar", None).unwrap();
    add_programme_family(&mut f.store, &id, "Toshevlar", None).unwrap();
    assert!(add_programme_family(&mut f.store, &id, "Rahimovlar", Some(&id)).is_err(), "a programme is not a parent case");

    let event = add_event(
        &mut f.store,
        &NewEvent {
            kind: "seminar".into(),
            title: "Parents' school, first meeting".into(),
            held_on: "2025-09-05".into(),
            place: "School 141".into(),
            mahalla: "Navbahor".into(),
            organisers: vec![NewOrganiser { name: "Aziz Karimov".into(), organisation: "Police".into() }],
        },
    )
    .unwrap();
    let first = add_programme_session(&mut f.store, &id, "2025-09-05", "Listening to your child", Some(&event)).unwrap();
    let second = add_programme_session(&mut f.store, &id, "19.09.2025", "Rules at home", None).unwrap();
    let third = add_programme_session(&mut f.store, &id, "2025-10-03", "School and parents", None).unwrap();
    add_programme_session(&mut f.store, &id, "2025-11-07", "Screens and games", None).unwrap();
    let Err(Error::Invalid(errors)) = add_programme_session(&mut f.store, &id, "2026-01-10", "Late", None) else { panic!("after the end") };
    assert!(errors.messages(Locale::En)[0].contains("cannot be after the programme ends (2025-12-31)"), "{errors}");

    record_programme_attendance(&mut f.store, &id, &first, &["Yusupovlar".into(), "Karimovlar".into(), "Тошевлар".into()]).unwrap();
    record_programme_attendance(&mut f.store, &id, &second, &[yusupov.clone(), "karimovlar".into()]).unwrap();
    record_programme_attendance(&mut f.store, &id, &third, std::slice::from_ref(&yusupov)).unwrap();
    record_programme_attendance(&mut f.store, &id, &third, std::slice::from_ref(&yusupov)).unwrap();
    let Err(Error::Invalid(errors)) = record_programme_attendance(&mut f.store, &id, &third, &["Aliyevlar".into()]) else { panic!("not a target family") };
    assert_eq!(errors.messages(Locale::En), ["Attended: no such family in the programme (Aliyevlar)"]);

    let programme: Programme = f.store.get(&RecordId::parse(&id).unwrap()).unwrap().record;
    assert_eq!(programme.sessions[&first].event_id.as_ref().map(|e| e.to_string()), Some(event));
    assert_eq!(BucketId::for_record(&programme).audience, Audience::CaseTeam);

    // By hand: three sessions held by 15 October (the fourth is to come), three families.
    // Sessions: 3/3, 2/3, 1/3 = 6 of 9 (67 %). Families: Yusupovs 3 of 3, Karimovs 2, Toshevs 1;
    // one family at every session (33 %).
    let report = programme_report(&mut f.store, &c, &id).unwrap();
    assert_eq!(report.title, "Programme: Parents' school");
    assert!(report.subtitle.contains("Karimova Nodira (Member of the mahalla seven), School 141 (School)"), "{}", report.subtitle);
    let shown = |i: usize| report.sections[i].rows.iter().map(|r| r.iter().map(Cell::display).collect::<Vec<_>>().join(" | ")).collect::<Vec<_>>();
    assert_eq!(report.sections[0].columns, ["Date", "Topic", "Families attended", "Target families", "Share, %"]);
    assert_eq!(
        shown(0),
        [
            "2025-09-05 | Listening to your child | 3 | 3 | 100",
            "2025-09-19 | Rules at home | 2 | 3 | 67",
            "2025-10-03 | School and parents | 1 | 3 | 33",
            "Total |  | 6 | 9 | 67"
        ]
    );
    assert_eq!(shown(1), ["Karimovlar | 2 | 3 | 67", "Toshevlar | 1 | 3 | 33", "Yusupovlar | 3 | 3 | 100", "Families at every session | 1 | 3 | 33"]);

    let list = programme_list(&mut f.store, &c).unwrap();
    assert_eq!((list.rows[0].summary.as_str(), list.rows[0].organisers.as_str()), ("Families: 3 · sessions: 4", "Karimova Nodira, School 141"));
    let linked = f.store.list(&crate::ListQuery { kind: Some(RecordKind::Programme), linked_to: Some(case), ..Default::default() }).unwrap();
    assert_eq!(linked.len(), 1, "the programme is found from the family's case");
}

#[test]
fn a_programme_or_training_stored_without_newer_fields_still_loads() {
    let programme: Programme =
        serde_json::from_value(serde_json::json!({"id": RecordId::new().to_string(), "title": "School", "mahalla": "Navbahor", "starts_on": "2025-09-01"}))
            .unwrap();
    assert!(programme.sessions.is_empty() && programme.ends_on.is_none());
    let session: TrainingSession =
        serde_json::from_value(serde_json::json!({"id": RecordId::new().to_string(), "held_on": "2025-09-01", "mahalla": "Navbahor"})).unwrap();
    assert!(session.attendees.is_empty());
}
