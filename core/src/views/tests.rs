//! Tests of the view-models on real stores: worklist order and reasons, labels in every
//! language, form validation messages, person history, conflicts and sync status.

use super::*;
use crate::ids::new_item_id;
use crate::model::*;
use crate::{DeviceProfile, Error, MemoryKeyProvider, Role};
use chrono::TimeZone;
use std::collections::{BTreeMap, BTreeSet};

pub(super) struct Fixture {
    _dir: tempfile::TempDir,
    pub store: Store,
}

pub(super) fn fixture(name: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let profile = DeviceProfile { person: name.into(), role: Role::Inspector, scopes: vec!["Navbahor".into()] };
    let store = Store::create(dir.path().join(format!("{name}.db")), &keys, profile).unwrap();
    Fixture { _dir: dir, store }
}

/// 2025-10-15 12:00 in Tashkent.
pub(super) fn ctx(locale: Locale) -> ViewContext {
    ViewContext::new(locale).at(Utc.with_ymd_and_hms(2025, 10, 15, 7, 0, 0).unwrap())
}

pub(super) fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

pub(super) fn person(store: &mut Store, last: &str, risks: &[RiskFactor]) -> Person {
    let p = Person {
        name_latn: PersonName { last: last.into(), first: "Jasur".into(), patronymic: String::new() },
        birth_date: day("2008-04-02"),
        registered_on: day("2025-01-10"),
        address: Address { district: "Chilonzor".into(), mahalla: "Navbahor".into(), ..Default::default() },
        risk_factors: risks.iter().copied().collect(),
        ..Default::default()
    };
    store.put(&p).unwrap();
    p
}

pub(super) fn talk(store: &mut Store, who: &Person, started: &str, follow_up: Option<&str>, actions: &[(&str, Option<&str>, bool)]) -> Conversation {
    let start = Utc.from_utc_datetime(&day(started).and_hms_opt(6, 0, 0).unwrap());
    let c = Conversation {
        person_ids: BTreeSet::from([who.id.clone()]),
        mahalla: "Navbahor".into(),
        place: format!("{} home", who.name_latn.last),
        started_at: start,
        next_follow_up: follow_up.map(day),
        agreed_actions: actions
            .iter()
            .map(|(text, due, done)| (new_item_id(), AgreedAction { text: (*text).into(), due: due.map(day), done: *done }))
            .collect(),
        ..Default::default()
    };
    store.put(&c).unwrap();
    c
}

fn task(role: SevenRole, text: &str, due: Option<&str>, done: bool) -> (String, SevenTask) {
    (new_item_id(), SevenTask { role, task: text.into(), due: due.map(day), done, ..Default::default() })
}

pub(super) fn case(store: &mut Store, guardian: &str, status: CaseStatus, tasks: Vec<(String, SevenTask)>) -> ParentCase {
    let c = ParentCase {
        mahalla: "Navbahor".into(),
        guardians: BTreeMap::from([(new_item_id(), Guardian { person_id: None, name: guardian.into(), relation: "father".into() })]),
        concern: "Children miss school.".into(),
        opened_on: day("2025-09-01"),
        tasks: tasks.into_iter().collect(),
        status,
        outcome: if status == CaseStatus::Closed { "Resolved.".into() } else { String::new() },
        ..Default::default()
    };
    store.put(&c).unwrap();
    c
}

/// The worklist scenario: three persons, four conversations, an open and a closed case.
fn busy_store() -> Fixture {
    let mut f = fixture("aziz");
    let s = &mut f.store;
    let a = person(s, "Qodirov", &[RiskFactor::PreviousOffence]);
    let b = person(s, "Karimov", &[]);
    let c = person(s, "Yusupov", &[RiskFactor::FamilyProblems]);
    talk(s, &a, "2025-09-01", Some("2025-10-10"), &[("Attend school daily", Some("2025-10-15"), false), ("Old promise", Some("2025-10-01"), true)]);
    talk(s, &b, "2025-09-05", Some("2025-10-10"), &[("Find a job", Some("2025-11-30"), false)]);
    talk(s, &c, "2025-08-01", Some("2025-09-01"), &[]);
    talk(s, &c, "2025-10-01", Some("2025-10-18"), &[]);
    case(
        s,
        "Rahimov Bekzod",
        CaseStatus::Open,
        vec![
            task(SevenRole::YouthLeader, "Enrol the son in football", Some("2025-10-12"), false),
            task(SevenRole::WomensActivist, "Visit the mother", None, false),
            task(SevenRole::Chairman, "Call the school", Some("2025-10-02"), true),
            task(SevenRole::SocialWorker, "Apply for benefits", Some("2025-12-01"), false),
        ],
    );
    case(s, "Ergashev Sardor", CaseStatus::Closed, vec![task(SevenRole::Inspector, "Forgotten", Some("2025-10-01"), false)]);
    f
}

#[test]
fn worklist_is_ordered_by_urgency_then_date_then_risk() {
    let mut f = busy_store();
    let list = worklist(&mut f.store, &ctx(Locale::En)).unwrap();
    let rows: Vec<(WorkKind, Urgency, &str, &str)> = list.items.iter().map(|i| (i.kind, i.urgency, i.title.as_str(), i.reason.as_str())).collect();
    assert_eq!(
        rows,
        [
            (WorkKind::FollowUp, Urgency::Overdue, "Qodirov Jasur", "Follow-up: overdue by 5 day(s)"),
            (WorkKind::FollowUp, Urgency::Overdue, "Karimov Jasur", "Follow-up: overdue by 5 day(s)"),
            (WorkKind::SevenTask, Urgency::Overdue, "Rahimov Bekzod", "Mahalla seven task: overdue by 3 day(s)"),
            (WorkKind::AgreedAction, Urgency::Today, "Qodirov Jasur", "Agreed action: due today"),
            (WorkKind::FollowUp, Urgency::Soon, "Yusupov Jasur", "Follow-up: due in 3 day(s)"),
            (WorkKind::SevenTask, Urgency::NoDate, "Rahimov Bekzod", "Mahalla seven task: no due date"),
        ]
    );
    assert_eq!(list.summary, "Overdue: 3 · Today: 1");
    assert_eq!((list.overdue_count, list.due_today_count), (3, 1));
    let first = &list.items[0];
    assert_eq!(first.risk_score, 3);
    assert_eq!(first.risk_reasons, ["Previous offence (+3)"]);
    assert_eq!(first.detail, "Last conversation: 2025-09-01, Qodirov home");
    assert_eq!((first.due_on.as_deref(), first.days_until_due, first.can_complete), (Some("2025-10-10"), Some(-5), false));
    assert_eq!(list.items[2].detail, "Youth leader: Enrol the son in football");
    assert!(list.items[3].can_complete && list.items[3].item_id.is_some());
}

#[test]
fn worklist_reasons_come_in_every_language() {
    let mut f = busy_store();
    let expected = [
        (Locale::UzLatn, "Nazorat suhbati: 5 kun kechikdi", "Qodirov Jasur", "Kechikkan"),
        (Locale::UzCyrl, "Назорат суҳбати: 5 кун кечикди", "Қодиров Жасур", "Кечиккан"),
        (Locale::Ru, "Повторная беседа: просрочено на 5 дн.", "Қодиров Жасур", "Просрочено"),
    ];
    for (locale, reason, title, badge) in expected {
        let list = worklist(&mut f.store, &ctx(locale)).unwrap();
        assert_eq!(list.items[0].reason, reason);
        assert_eq!(list.items[0].title, title);
        assert_eq!(list.items[0].urgency_label, badge);
        assert_eq!(list.items[0].due_label, "10.10.2025");
    }
}

#[test]
fn ticking_items_off_removes_them_and_reminders_follow_the_list() {
    let mut f = busy_store();
    let c = ctx(Locale::En);
    let list = worklist(&mut f.store, &c).unwrap();
    for item in list.items.iter().filter(|i| i.can_complete) {
        complete_work_item(&mut f.store, &item.record_id, item.item_id.as_deref().unwrap()).unwrap();
    }
    let after = worklist(&mut f.store, &c).unwrap();
    assert_eq!(after.items.iter().map(|i| i.kind).collect::<Vec<_>>(), [WorkKind::FollowUp; 3]);
    assert!(matches!(complete_work_item(&mut f.store, &list.items[0].record_id, "no-such-item"), Err(Error::NotFound(_))));

    let reminders = reminders(&mut f.store, &c).unwrap();
    assert_eq!(reminders.len(), 3);
    assert_eq!(reminders[0].title, "Reminder: Qodirov Jasur");
    assert_eq!(reminders[0].body, "Follow-up: overdue by 5 day(s) — Last conversation: 2025-09-01, Qodirov home");
    // Overdue: fire now. Due on the 18th: 09:00 Tashkent = 04:00 UTC.
    assert_eq!(reminders[0].fire_at_ms, c.now.timestamp_millis());
    assert_eq!(reminders[2].fire_at_ms, Utc.with_ymd_and_hms(2025, 10, 18, 4, 0, 0).unwrap().timestamp_millis());
    let ids: BTreeSet<&str> = reminders.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), 3, "reminder ids are distinct");
}

#[test]
fn navigation_badges_count_overdue_work_and_conflicts() {
    let mut f = busy_store();
    let nav = navigation(&mut f.store, &ctx(Locale::UzLatn)).unwrap();
    assert_eq!(nav.title, "Suhbat");
    let tabs: Vec<(&str, Option<u32>)> = nav.tabs.iter().map(|t| (t.label.as_str(), t.badge)).collect();
    assert_eq!(tabs, [("Bugungi ishlar", Some(3)), ("Hisobdagi shaxslar", None), ("Ota-ona ishlari", None), ("Ziddiyatlar", None), ("Sinxronlash", None)]);
}

#[test]
fn person_search_is_script_insensitive_and_detail_shows_history() {
    let mut f = busy_store();
    let list = person_list(&f.store, &ctx(Locale::En), "Юсупов").unwrap();
    assert_eq!(list.rows.len(), 1);
    assert_eq!(list.rows[0].name, "Yusupov Jasur");
    assert_eq!(list.rows[0].subtitle, "born 2008 · Navbahor");
    assert_eq!(list.count_label, "Found: 1");
    let cyrillic = person_list(&f.store, &ctx(Locale::UzCyrl), "yusupov").unwrap();
    assert_eq!(cyrillic.rows[0].name, "Юсупов Жасур");
    assert_eq!(cyrillic.rows[0].subtitle, "2008 йилда туғилган · Навбаҳор");
    assert_eq!(person_list(&f.store, &ctx(Locale::En), "").unwrap().rows.len(), 3);
    assert_eq!(person_list(&f.store, &ctx(Locale::Ru), "nobody").unwrap().empty_text, "Никого не найдено");

    let detail = person_detail(&mut f.store, &ctx(Locale::En), &list.rows[0].id).unwrap();
    assert_eq!(detail.subtitle, "Age: 17 (2008-04-02)");
    assert_eq!(detail.risk_label, "Risk score: 2");
    assert_eq!(detail.history.len(), 2);
    assert!(detail.history[0].when.starts_with("2025-10-01"), "latest first: {:?}", detail.history);
    assert_eq!(detail.history[0].follow_up.as_deref(), Some("Next follow-up: 2025-10-18"));
    assert_eq!(detail.history[0].kind_label, "Individual");
    let address = detail.sections.iter().find(|s| s.title == "Address").unwrap();
    assert!(address.rows.iter().any(|r| r.label == "Mahalla" && r.value == "Navbahor"));
    assert!(address.rows.iter().any(|r| r.label == "District" && r.value == "Chilonzor"));
    assert!(matches!(person_detail(&mut f.store, &ctx(Locale::En), "not-an-id"), Err(Error::NotFound(_))));
}

#[test]
fn parent_case_shows_stages_and_tasks_and_takes_actions() {
    let mut f = fixture("dilnoza");
    let c = case(&mut f.store, "Rahimov Bekzod", CaseStatus::Open, vec![task(SevenRole::YouthLeader, "Enrol the son", Some("2025-10-12"), false)]);
    let id = c.id.to_string();
    let view = parent_case(&mut f.store, &ctx(Locale::En), &id).unwrap();
    assert_eq!(view.stage_label, "Scanning");
    assert_eq!(view.advance_label, "Next stage: Analysis");
    assert_eq!((view.previous_stage.is_none(), view.back_label.as_str(), view.back_reason_label.as_str()), (true, "", "Reason for moving back"));
    assert_eq!(view.stages.iter().filter(|s| s.is_current).count(), 1);
    assert_eq!(view.tasks[0].due_label, "Due: 2025-10-12");
    assert!(view.tasks[0].overdue);
    assert_eq!(view.role_choices.len(), 7);

    set_case_stage(&mut f.store, &id, SaraStage::Analysis, "").unwrap();
    set_case_text(&mut f.store, &id, "analysis", "The father lost his job.", &view.version).unwrap();
    let task_id = add_case_task(&mut f.store, &id, SevenRole::WomensActivist, "Visit the mother", "20.10.2025").unwrap();
    set_case_task_done(&mut f.store, &id, &task_id, true).unwrap();
    let view = parent_case(&mut f.store, &ctx(Locale::UzLatn), &id).unwrap();
    assert_eq!(view.stage_label, "Tahlil");
    assert_eq!((view.previous_stage.map(|s| s.stage), view.back_label.as_str()), (Some(SaraStage::Scanning), "Orqaga: Aniqlash"));
    assert!(view.stages[0].is_done && view.stages[1].is_current);
    assert_eq!(view.stages[1].content, "The father lost his job.");
    assert_eq!(view.tasks.last().map(|t| (t.role_label.as_str(), t.done)), Some(("Xotin-qizlar faoli", true)));

    // Rules and unreadable values come back as translatable validation errors.
    let messages = |e: Error| match e {
        Error::Invalid(v) => v.messages(Locale::En),
        other => panic!("expected a validation error, got {other}"),
    };
    let blank = add_case_task(&mut f.store, &id, SevenRole::Chairman, "  ", "").unwrap_err();
    assert_eq!(messages(blank), ["Task is required"]);
    let early = add_case_task(&mut f.store, &id, SevenRole::Chairman, "Call", "2025-08-01").unwrap_err();
    assert!(messages(early)[0].starts_with("Due date (2025-08-01) cannot be before"));
    assert!(messages(parse_choice::<SaraStage>("stage", "finished").unwrap_err())[0].ends_with(": not an allowed value (finished)"));
    assert_eq!(messages(add_case_task(&mut f.store, &id, SevenRole::Chairman, "Call", "soon").unwrap_err()), ["Due date: not a valid date (soon)"]);
}
