//! Every validation rule: bad input gives an error naming the field, in the user's language.

use chrono::{Duration, TimeZone, Utc};
use std::collections::BTreeMap;
use suhbat_core::sample::SampleData;
use suhbat_core::*;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
}

fn fields(err: ValidationErrors) -> Vec<String> {
    err.0.iter().map(|e| e.field.clone()).collect()
}

#[test]
fn a_sample_person_is_valid() {
    SampleData::new(1).person("Navbahor", 2025).validate(now()).unwrap();
}

#[test]
fn person_needs_a_name() {
    let mut p = SampleData::new(1).person("Navbahor", 2025);
    p.name_latn = PersonName::default();
    p.name_cyrl = PersonName::default();
    let err = p.validate(now()).unwrap_err();
    assert_eq!(fields(err.clone()), ["name_latn/last"]);
    assert_eq!(err.0[0].message(Locale::En), "Last name is required");
    assert_eq!(err.0[0].message(Locale::Ru), "Поле «Фамилия» обязательно");
}

#[test]
fn a_cyrillic_name_alone_is_enough_but_needs_first_name() {
    let mut p = SampleData::new(1).person("Navbahor", 2025);
    p.name_latn = PersonName::default();
    p.name_cyrl.first.clear();
    assert_eq!(fields(p.validate(now()).unwrap_err()), ["name_cyrl/first"]);
}

#[test]
fn birth_date_in_the_future_is_rejected() {
    let mut p = SampleData::new(1).person("Navbahor", 2025);
    p.birth_date = "2027-01-01".parse().unwrap();
    let err = p.validate(now()).unwrap_err();
    assert!(fields(err.clone()).contains(&"birth_date".to_string()));
    assert_eq!(err.for_field("birth_date").unwrap().message(Locale::En), "Birth date (2027-01-01) cannot be in the future");
}

#[test]
fn registration_before_birth_is_rejected() {
    let mut p = SampleData::new(1).person("Navbahor", 2025);
    p.registered_on = p.birth_date - Duration::days(1);
    assert!(fields(p.validate(now()).unwrap_err()).contains(&"registered_on".to_string()));
}

#[test]
fn address_needs_mahalla_and_district() {
    let mut p = SampleData::new(1).person("Navbahor", 2025);
    p.address.mahalla = " ".into();
    p.address.district.clear();
    assert_eq!(fields(p.validate(now()).unwrap_err()), ["address/mahalla", "address/district"]);
}

#[test]
fn overlong_names_are_rejected() {
    let mut p = SampleData::new(1).person("Navbahor", 2025);
    p.name_latn.last = "x".repeat(101);
    let err = p.validate(now()).unwrap_err();
    assert_eq!(err.0[0].field, "name_latn/last");
    assert_eq!(err.0[0].message(Locale::En), "Last name is too long (101 > 100 characters)");
}

#[test]
fn family_members_need_names() {
    let mut p = SampleData::new(1).person("Navbahor", 2025);
    p.family.insert("m1".into(), FamilyMember::default());
    assert_eq!(fields(p.validate(now()).unwrap_err()), ["family/m1/name"]);
}

#[test]
fn follow_up_before_the_conversation_is_rejected() {
    let mut data = SampleData::new(2);
    let person = data.person("Navbahor", 2025);
    let mut c = data.conversation(&person, 2025);
    c.next_follow_up = Some(c.started_at.date_naive() - Duration::days(1));
    let err = c.validate(now()).unwrap_err();
    assert_eq!(fields(err.clone()), ["next_follow_up"]);
    assert!(err.0[0].message(Locale::En).starts_with("Next follow-up date"), "{}", err);
    assert!(err.0[0].message(Locale::En).contains("cannot be before Start time"), "{}", err);
}

#[test]
fn conversation_rules() {
    let mut data = SampleData::new(3);
    let person = data.person("Navbahor", 2025);
    let mut c = data.conversation(&person, 2025);
    c.person_ids.clear();
    c.place.clear();
    c.ended_at = Some(c.started_at - Duration::minutes(5));
    c.gps = Some(GeoPoint { lat: 91.0, lon: 69.0 });
    c.participants.insert("p1".into(), Participant::default());
    c.agreed_actions.insert("a1".into(), AgreedAction::default());
    assert_eq!(fields(c.validate(now()).unwrap_err()), ["person_ids", "place", "ended_at", "gps/lat", "participants/p1/name", "agreed_actions/a1/text"]);
    c.person_ids.insert(person.id.clone());
    c.place = "Home".into();
    c.ended_at = None;
    c.gps = None;
    c.participants.clear();
    c.agreed_actions.clear();
    c.started_at = now() + Duration::days(2);
    c.next_follow_up = None;
    assert_eq!(fields(c.validate(now()).unwrap_err()), ["started_at"]);
}

#[test]
fn parent_case_rules() {
    let mut case = SampleData::new(4).parent_case("Navbahor", 2025);
    case.validate(now()).unwrap();
    case.guardians = BTreeMap::new();
    case.concern.clear();
    case.tasks.insert("t1".into(), SevenTask { task: String::new(), due: Some(case.opened_on - Duration::days(3)), ..Default::default() });
    case.children.values_mut().for_each(|c| c.birth_date = "2030-01-01".parse().ok());
    case.status = CaseStatus::Closed;
    let err = case.validate(now()).unwrap_err();
    let child = case.children.keys().next().unwrap().clone();
    assert_eq!(fields(err.clone()), ["guardians", format!("children/{child}/birth_date").as_str(), "concern", "tasks/t1/task", "tasks/t1/due", "outcome"]);
    assert_eq!(err.for_field("outcome").unwrap().message(Locale::En), "Closing outcome is required to close the case");
    assert_eq!(err.for_field("guardians").unwrap().message(Locale::UzLatn), "Kamida bitta ota-ona yoki vasiy kerak");
}

#[test]
fn invalid_records_are_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let profile = DeviceProfile { person: "A".into(), role: Role::Inspector, scopes: vec![] };
    let mut store = Store::create(dir.path().join("a.db"), &keys, profile).unwrap();
    let mut p = SampleData::new(5).person("Navbahor", 2025);
    p.address.mahalla.clear();
    match store.put(&p) {
        Err(Error::Invalid(e)) => assert_eq!(e.0[0].field, "address/mahalla"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(store.list(&ListQuery::default()).unwrap().is_empty());
}

#[test]
fn a_local_date_a_day_ahead_of_utc_is_not_in_the_future() {
    // 19:30 UTC is 00:30 the next day in Tashkent (UTC+5): a person registered "today" on the
    // phone carries tomorrow's UTC date.
    let evening = Utc.with_ymd_and_hms(2026, 11, 23, 19, 30, 0).unwrap();
    let mut p = SampleData::new(1).person("Navbahor", 2025);
    p.registered_on = "2026-11-24".parse().unwrap();
    p.validate(evening).unwrap();
    p.registered_on = "2026-11-25".parse().unwrap();
    assert_eq!(fields(p.validate(evening).unwrap_err()), ["registered_on"]);
}
