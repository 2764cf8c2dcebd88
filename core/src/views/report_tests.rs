//! Tests of effectiveness monitoring, the extended worklist, configurable risk weights,
//! incident trends and the district report, on real stores with a hand-built data set.

use super::tests::{ctx, fixture, person, talk};
use super::*;
use crate::model::*;
use crate::Error;

#[test]
fn configured_risk_weights_change_scores_and_reasons() {
    let mut f = fixture("aziz");
    let s = &mut f.store;
    let a = person(s, "Qodirov", &[RiskFactor::PreviousOffence, RiskFactor::OnlineRisk]);
    talk(s, &a, "2025-09-01", Some("2025-10-10"), &[]);
    let c = ctx(Locale::En);
    let before = worklist(s, &c).unwrap();
    assert_eq!(
        (before.items[0].risk_score, before.items[0].risk_reasons.clone()),
        (4, vec!["Previous offence (+3)".to_string(), "Online risks (+1)".to_string()])
    );

    set_risk_weight(s, RiskFactor::OnlineRisk, 5).unwrap();
    set_risk_weight(s, RiskFactor::PreviousOffence, 0).unwrap();
    let after = worklist(s, &c).unwrap();
    assert_eq!((after.items[0].risk_score, after.items[0].risk_reasons.clone()), (5, vec!["Online risks (+5)".to_string()]));
    let detail = person_detail(s, &c, a.id.as_str()).unwrap();
    assert_eq!((detail.risk_label.as_str(), detail.risk_reasons.as_slice()), ("Risk score: 5", ["Online risks (+5)".to_string()].as_slice()));

    let view = risk_weights(s, &c).unwrap();
    let online = view.rows.iter().find(|r| r.factor == "online_risk").unwrap();
    assert_eq!((online.weight, online.default_weight, online.changed), (5, 1, true));
    assert_eq!(view.rows.iter().filter(|r| r.changed).count(), 2);

    let Err(Error::Invalid(errors)) = set_risk_weight(s, RiskFactor::SubstanceUse, 11) else { panic!("11 must be refused") };
    assert_eq!(errors.messages(Locale::En), ["The weight of “Substance use” must be from 0 to 10 (not 11)"]);
    assert_eq!(risk_weights(s, &c).unwrap().rows.iter().find(|r| r.factor == "substance_use").unwrap().weight, 3);
    // A damaged setting falls back to the defaults, entry by entry.
    s.set_setting(RISK_WEIGHTS_SETTING, r#"{"online_risk": 99, "peer_pressure": 7, "junk": 1}"#).unwrap();
    let weights = Weights::load(s).unwrap();
    assert_eq!((weights.weight(RiskFactor::OnlineRisk), weights.weight(RiskFactor::PeerPressure)), (1, 7));
}

use super::tests::day;
use crate::{DeviceProfile, MemoryKeyProvider, Role};
use chrono::{DateTime, TimeZone, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// The reporting period of the seeded data set.
const FROM: &str = "2025-05-01";
const TO: &str = "2025-10-31";

pub(super) struct District {
    _dir: tempfile::TempDir,
    pub store: Store,
    pub talks: Vec<Conversation>,
}

/// A store of `role` working in three mahallas.
pub(super) fn store_of(role: Role, person: &str) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let profile = DeviceProfile { person: person.into(), role, scopes: vec!["Navbahor".into(), "Yangi Hayot".into(), "Chorsu".into()] };
    let store = Store::create(dir.path().join("device.db"), &MemoryKeyProvider::new(), profile).unwrap();
    (dir, store)
}

fn at(day_text: &str, hour: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day(day_text).and_hms_opt(hour, 0, 0).unwrap())
}

fn resident(store: &mut Store, last: &str, mahalla: &str) -> Person {
    let p = Person {
        name_latn: PersonName { last: last.into(), first: "Jasur".into(), patronymic: String::new() },
        birth_date: day("2007-03-01"),
        registered_on: day("2025-01-10"),
        address: Address { district: "Chilonzor".into(), mahalla: mahalla.into(), ..Default::default() },
        ..Default::default()
    };
    store.put(&p).unwrap();
    p
}

/// A follow-up result: (done on, behaviour, re-offences (0 = none), activities, legal knowledge).
type Done = (&'static str, BehaviourChange, u32, &'static [SocialActivity], LegalKnowledge);

fn conversation(store: &mut Store, who: &Person, started: &str, kind: ConversationKind, inspector: &str, results: &[(Milestone, Done)]) -> Conversation {
    let mut c = Conversation {
        person_ids: BTreeSet::from([who.id.clone()]),
        mahalla: who.address.mahalla.clone(),
        place: "Mahalla office".into(),
        started_at: at(started, 6),
        kind,
        inspector: inspector.into(),
        ..Default::default()
    };
    c.schedule_follow_ups();
    for (milestone, (done_on, behaviour, reoffences, activities, legal)) in results {
        let f = c.follow_ups.get_mut(milestone.key()).unwrap();
        f.done_on = Some(day(done_on));
        f.behaviour = Some(*behaviour);
        f.reoffended = *reoffences > 0;
        f.reoffences = *reoffences;
        f.activities = activities.iter().copied().collect();
        f.legal_knowledge = Some(*legal);
    }
    store.put(&c).unwrap();
    c
}

fn application(store: &mut Store, book: Book, mahalla: &str, registered: &str, decision: Option<(DecisionKind, &str)>) -> Application {
    let mut a = Application::new(book, day(registered));
    a.provisional_number = format!("{}/2025/T-{registered}", book.number());
    a.applicant = "Aliyev Vali".into();
    a.mahalla = mahalla.into();
    a.summary = "Noise at night".into();
    a.decision = decision.map(|(kind, on)| Decision { kind, text: "Done".into(), decided_on: Some(day(on)), by: "Aziz Karimov".into() });
    store.put(&a).unwrap();
    a
}

/// A request sent by Aziz Karimov and taken through `steps` (state, day), each at 10:00 UTC.
pub(super) fn request(store: &mut Store, to: Role, mahalla: &str, sent: &str, steps: &[(ReferralState, &str)]) -> Referral {
    let stamp = |by: &str, role: Role, on: &str| Stamp { by: by.into(), role, at: at(on, 10), note: "ok".into() };
    let mut r = Referral {
        to,
        mahalla: mahalla.into(),
        subject: format!("Help in {mahalla}"),
        reason: "Fights near the school".into(),
        respond_by: day(sent) + chrono::Days::new(Priority::Routine.days_to_respond()),
        ..Default::default()
    };
    r.steps.insert("sent".into(), stamp("Aziz Karimov", Role::Inspector, sent));
    for (state, on) in steps {
        let role = if *state == ReferralState::Closed { Role::Inspector } else { to };
        r.steps.insert(state.as_str().into(), stamp("Officer", role, on));
        r.state = *state;
    }
    store.put(&r).unwrap();
    r
}

fn parent_case(store: &mut Store, mahalla: &str, opened: &str, stage: SaraStage, status: CaseStatus) {
    let c = ParentCase {
        mahalla: mahalla.into(),
        guardians: BTreeMap::from([("g".to_string(), Guardian { person_id: None, name: "Rahimov Bekzod".into(), relation: "father".into() })]),
        concern: "Children miss school.".into(),
        opened_on: day(opened),
        stage,
        status,
        outcome: if status == CaseStatus::Closed { "Resolved.".into() } else { String::new() },
        ..Default::default()
    };
    store.put(&c).unwrap();
}

/// The hand-built district of the report tests (see each section's test for the figures).
pub(super) fn district() -> District {
    use BehaviourChange::*;
    use LegalKnowledge::*;
    use Milestone::*;
    let (dir, mut store) = store_of(Role::Inspector, "Aziz Karimov");
    let s = &mut store;
    let (p1, p2) = (resident(s, "Qodirov", "Navbahor"), resident(s, "Karimov", "Navbahor"));
    let (p3, p4) = (resident(s, "Yusupov", "Yangi Hayot"), resident(s, "Rahimov", "Chorsu"));
    let aziz = "Aziz Karimov";
    let bobur = "Bobur Tursunov";
    let mut old = conversation(s, &p1, "2025-03-01", ConversationKind::Individual, aziz, &[]);
    old.follow_ups.clear();
    s.put(&old).unwrap();
    let talks = vec![
        conversation(
            s,
            &p1,
            "2025-05-10",
            ConversationKind::Individual,
            aziz,
            &[(OneMonth, ("2025-06-08", Improved, 0, &[SocialActivity::Study], Good)), (ThreeMonths, ("2025-08-20", Unchanged, 1, &[], Partial))],
        ),
        conversation(
            s,
            &p2,
            "2025-07-01",
            ConversationKind::Group,
            aziz,
            &[(OneMonth, ("2025-08-01", Worsened, 2, &[SocialActivity::Work, SocialActivity::Club], Low))],
        ),
        conversation(
            s,
            &p3,
            "2025-08-05",
            ConversationKind::Explanatory,
            bobur,
            &[(OneMonth, ("2025-09-10", Improved, 0, &[SocialActivity::Volunteering], Good))],
        ),
        conversation(s, &p4, "2025-09-20", ConversationKind::Individual, bobur, &[]),
    ];
    use DecisionKind::*;
    for (registered, decision) in [
        ("2025-06-12", Some((Satisfied, "2025-06-13"))),
        ("2025-08-03", Some((Explained, "2025-08-05"))),
        ("2025-09-02", Some((Refused, "2025-09-04"))),
        ("2025-09-20", None),
        ("2025-10-01", Some((Forwarded, "2025-10-02"))),
        ("2025-10-08", Some((Satisfied, "2025-10-09"))),
        ("2025-10-14", None),
    ] {
        application(s, Book::Form1, "Yangi Hayot", registered, decision);
    }
    application(s, Book::Form1, "Navbahor", "2025-04-20", Some((Satisfied, "2025-04-21")));
    application(s, Book::Form1, "Navbahor", "2025-05-05", Some((Satisfied, "2025-05-06")));
    application(s, Book::Form1, "Navbahor", "2025-05-20", Some((Satisfied, "2025-05-21")));
    application(s, Book::Form1, "Navbahor", "2025-06-15", None);
    application(s, Book::Form1, "Chorsu", "2025-05-07", Some((Explained, "2025-05-08")));
    application(s, Book::Form1, "Chorsu", "2025-08-11", Some((Satisfied, "2025-08-12")));
    application(s, Book::Form1, "Chorsu", "2025-08-25", Some((Satisfied, "2025-08-26")));
    application(s, Book::Form2, "Yangi Hayot", "2025-10-10", None);
    use ReferralState::*;
    request(
        s,
        Role::DutyUnit,
        "Navbahor",
        "2025-09-01",
        &[(Received, "2025-09-02"), (Accepted, "2025-09-02"), (Feedback, "2025-09-06"), (Closed, "2025-09-07")],
    );
    request(s, Role::DutyUnit, "Navbahor", "2025-09-20", &[(Received, "2025-09-21"), (Accepted, "2025-09-22")]);
    request(s, Role::Migration, "Yangi Hayot", "2025-10-01", &[(Received, "2025-10-02"), (Declined, "2025-10-04")]);
    request(s, Role::Migration, "Yangi Hayot", "2025-10-05", &[(Received, "2025-10-06"), (Accepted, "2025-10-06"), (Feedback, "2025-10-14")]);
    let mut seven = Referral { respond_by: day("2025-10-13"), ..request(s, Role::Seven, "Navbahor", "2025-10-10", &[]) };
    seven.priority = Priority::Urgent;
    s.put(&seven).unwrap();
    request(s, Role::DutyUnit, "Chorsu", "2025-10-14", &[(Received, "2025-10-14")]);
    parent_case(s, "Navbahor", "2025-06-01", SaraStage::Scanning, CaseStatus::Open);
    parent_case(s, "Navbahor", "2025-07-01", SaraStage::Analysis, CaseStatus::Open);
    parent_case(s, "Yangi Hayot", "2025-08-01", SaraStage::Analysis, CaseStatus::Open);
    parent_case(s, "Chorsu", "2025-09-01", SaraStage::Response, CaseStatus::Open);
    parent_case(s, "Navbahor", "2025-05-15", SaraStage::Assessment, CaseStatus::Closed);
    parent_case(s, "Navbahor", "2025-04-01", SaraStage::Assessment, CaseStatus::Closed);
    District { _dir: dir, store, talks }
}

/// The cells of a section as shown, row by row.
fn shown(section: &ReportSection) -> Vec<Vec<String>> {
    section.rows.iter().map(|r| r.iter().map(Cell::display).collect()).collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[test]
fn effectiveness_sums_follow_ups_per_inspector_and_mahalla() {
    let mut d = district();
    let c = ctx(Locale::En);
    let view = effectiveness(&mut d.store, &c, day(FROM), day(TO), None).unwrap();
    assert_eq!(view.title, "Prevention effectiveness");
    assert_eq!(view.subtitle, "2025-05-01 – 2025-10-31");
    let cells = |r: &EffectivenessRow| r.cells().iter().map(Cell::display).collect::<Vec<_>>();
    //                  name, due, done, overdue, on time, %, impr, unch, wors, persons, reoff, busy, %, good, partial, low
    assert_eq!(cells(&view.total), row(&["Total", "6", "4", "1", "2", "33", "2", "1", "1", "2", "3", "3", "75", "2", "1", "1"]));
    assert_eq!(
        view.by_inspector.iter().map(cells).collect::<Vec<_>>(),
        [
            row(&["Aziz Karimov", "4", "3", "1", "2", "50", "1", "1", "1", "2", "3", "2", "67", "1", "1", "1"]),
            row(&["Bobur Tursunov", "2", "1", "0", "0", "0", "1", "0", "0", "0", "0", "1", "100", "1", "0", "0"]),
        ]
    );
    assert_eq!(
        view.by_mahalla.iter().map(cells).collect::<Vec<_>>(),
        [
            row(&["Chorsu", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "", "0", "0", "0"]),
            row(&["Navbahor", "4", "3", "1", "2", "50", "1", "1", "1", "2", "3", "2", "67", "1", "1", "1"]),
            row(&["Yangi Hayot", "1", "1", "0", "0", "0", "1", "0", "0", "0", "0", "1", "100", "1", "0", "0"]),
        ]
    );
    assert_eq!(view.columns.len(), 16);
    let ru = effectiveness(&mut d.store, &ctx(Locale::Ru), day(FROM), day(TO), Some("Navbahor")).unwrap();
    assert_eq!((ru.by_inspector.len(), ru.total.due, ru.subtitle.as_str()), (1, 4, "01.05.2025 – 31.10.2025 · Навбаҳор"));
    assert_eq!(ru.inspector_title, "По инспекторам");

    // Recording the overdue 3-month check: the count is since the conversation, so 3 means one new.
    let group = d.talks[1].id.to_string();
    record_follow_up(
        &mut d.store,
        &group,
        Milestone::ThreeMonths,
        day("2025-10-14"),
        Some(BehaviourChange::Improved),
        true,
        3,
        &[SocialActivity::Work],
        Some(LegalKnowledge::Good),
        " Back at work ",
    )
    .unwrap();
    let stored = d.store.get::<Conversation>(&d.talks[1].id).unwrap().record;
    let m3 = stored.follow_up(Milestone::ThreeMonths).unwrap();
    assert_eq!((m3.by.as_str(), m3.note.as_str(), new_reoffences(&stored, Milestone::ThreeMonths)), ("Aziz Karimov", "Back at work", 1));
    let after = effectiveness(&mut d.store, &c, day(FROM), day(TO), None).unwrap();
    assert_eq!((after.total.done, after.total.overdue, after.total.reoffences, after.total.reoffended_persons), (5, 0, 4, 2));

    // The model's rules refuse an incomplete or impossible result.
    let messages = |e: Error| match e {
        Error::Invalid(v) => v.messages(Locale::En),
        other => panic!("expected a validation error, got {other}"),
    };
    let incomplete = record_follow_up(&mut d.store, &group, Milestone::SixMonths, day("2025-10-14"), None, false, 2, &[], Some(LegalKnowledge::Low), "");
    assert_eq!(messages(incomplete.unwrap_err()), ["Behaviour change is required", "A number of re-offences needs “re-offended” ticked"]);
    let early = record_follow_up(
        &mut d.store,
        &group,
        Milestone::SixMonths,
        day("2025-06-01"),
        Some(BehaviourChange::Worsened),
        false,
        0,
        &[],
        Some(LegalKnowledge::Low),
        "",
    );
    assert!(messages(early.unwrap_err())[0].starts_with("Done on (2025-06-01) cannot be before"));
    assert!(matches!(record_follow_up(&mut d.store, "nope", Milestone::OneMonth, day("2025-10-14"), None, false, 0, &[], None, ""), Err(Error::NotFound(_))));
    let backwards = effectiveness(&mut d.store, &c, day(TO), day(FROM), None).unwrap_err();
    assert_eq!(messages(backwards), ["Until (2025-05-01) cannot be before From (2025-10-31)"]);
}

#[test]
fn trends_flag_exactly_the_rising_mahalla() {
    let mut d = district();
    let trends = incident_trends(&mut d.store, &ctx(Locale::En), 6).unwrap();
    assert_eq!(trends.months, ["2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10"]);
    assert_eq!(trends.subtitle, "Last 6 months: 2025-05 – 2025-10");
    let rows: Vec<(&str, &[u32], bool, &str)> = trends.rows.iter().map(|r| (r.mahalla.as_str(), r.counts.as_slice(), r.rising, r.slope.as_str())).collect();
    assert_eq!(
        rows,
        [
            // Form 1 applications only (the Form 2 one does not count).
            ("Yangi Hayot", &[0, 1, 0, 1, 2, 3][..], true, "+0.54"),
            // April's application is outside the window; August holds 3 re-offences from follow-ups.
            ("Navbahor", &[2, 1, 0, 3, 0, 0][..], false, "-0.29"),
            // More in the last three months than before, but the trend is down: not rising.
            ("Chorsu", &[1, 0, 0, 2, 0, 0][..], false, "-0.09"),
        ]
    );
    assert_eq!(trends.rising_count, 1);
    assert_eq!(trends.rows[0].reason, "Rising: 6 in the last 3 months against 1 in the 3 before; trend +0.54 a month");
    assert_eq!(trends.rows[2].reason, "Not rising: 2 in the last 3 months against 1 in the 3 before; trend -0.09 a month");
    let section = &trends.sections(&ctx(Locale::En))[0];
    assert_eq!(section.columns.len(), 1 + 6 + 6);
    assert_eq!(shown(section)[0][7..11], row(&["7", "6", "1", "+0.54"]));
    assert_eq!(incident_trends(&mut d.store, &ctx(Locale::UzCyrl), 6).unwrap().rows[0].mahalla, "Янги Ҳаёт");
    let Err(Error::Invalid(e)) = incident_trends(&mut d.store, &ctx(Locale::En), 3) else { panic!("3 months must be refused") };
    assert_eq!(e.messages(Locale::En), ["Number of months must be between 6 and 36"]);
}

#[test]
fn district_report_figures_match_the_seeded_district() {
    let mut d = district();
    let c = ctx(Locale::En);
    let report = district_report(&mut d.store, &c, day(FROM), day(TO), None).unwrap();
    assert_eq!((report.title.as_str(), report.subtitle.as_str()), ("District report", "2025-05-01 – 2025-10-31"));
    let titles: Vec<&str> = report.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Conversations by kind and month",
            "Parent cases by SARA stage",
            "Cooperation requests: turnaround",
            "Applications by book and status",
            "Follow-up outcomes by milestone",
            "By inspector",
            "By mahalla",
            "Share of applications per book, by year",
            "Share of cooperation requests per service",
            "Cooperation requests by category",
            "Parent cases: outcomes per stage",
        ]
    );
    for section in &report.sections {
        assert!(section.rows.iter().all(|r| r.len() == section.columns.len()), "{} has ragged rows", section.title);
    }
    let [talks, cases, requests, applications, follow_ups, ..] = &report.sections[..] else { panic!("seven sections") };
    assert_eq!(talks.columns, ["Month", "Individual", "Group", "Explanatory", "Total"]);
    assert_eq!(
        shown(talks),
        [
            row(&["2025-05", "1", "0", "0", "1"]),
            row(&["2025-06", "0", "0", "0", "0"]),
            row(&["2025-07", "0", "1", "0", "1"]),
            row(&["2025-08", "0", "0", "1", "1"]),
            row(&["2025-09", "1", "0", "0", "1"]),
            row(&["2025-10", "0", "0", "0", "0"]),
            row(&["Total", "2", "1", "1", "4"]),
        ]
    );
    assert_eq!(
        shown(cases),
        [row(&["Scanning", "1"]), row(&["Analysis", "2"]), row(&["Response", "1"]), row(&["Assessment", "0"]), row(&["Closed", "1"]), row(&["Total", "5"]),]
    );
    assert_eq!(requests.columns, ["Addressee", "Sent", "Answered", "Declined", "Closed", "Overdue", "Median days to answer"]);
    assert_eq!(
        shown(requests),
        [
            row(&["Mahalla seven", "1", "0", "0", "0", "1", ""]),
            row(&["Duty unit", "3", "1", "0", "1", "1", "5"]),
            row(&["Migration and citizenship", "2", "1", "1", "0", "0", "6"]),
            row(&["Total", "6", "2", "1", "1", "2", "5"]),
        ]
    );
    assert_eq!(applications.columns, ["Book", "Registered", "Open", "Satisfied", "Explained", "Refused", "Forwarded", "Overdue"]);
    assert_eq!(
        shown(applications),
        [
            row(&["Form 1 book", "13", "3", "6", "2", "1", "1", "2"]),
            row(&["Form 2 journal", "1", "1", "0", "0", "0", "0", "0"]),
            row(&["Alphabetical book", "0", "0", "0", "0", "0", "0", "0"]),
            row(&["Total", "14", "4", "6", "2", "1", "1", "2"]),
        ]
    );
    assert_eq!(
        shown(follow_ups),
        [
            row(&["After 1 month", "4", "3", "0", "2", "50", "2", "0", "1", "1", "2", "3", "100", "2", "0", "1"]),
            row(&["After 3 months", "2", "1", "1", "0", "0", "0", "1", "0", "1", "1", "0", "0", "0", "1", "0"]),
            row(&["After 6 months", "0", "0", "0", "0", "", "0", "0", "0", "0", "0", "0", "", "0", "0", "0"]),
            row(&["Total", "6", "4", "1", "2", "33", "2", "1", "1", "2", "3", "3", "75", "2", "1", "1"]),
        ]
    );
    assert_eq!(shown(&report.sections[5]).last(), shown(follow_ups).last(), "effectiveness tables end with the same total");

    // One mahalla: only its records count.
    let navbahor = district_report(&mut d.store, &c, day(FROM), day(TO), Some("navbahor")).unwrap();
    assert_eq!(navbahor.subtitle, "2025-05-01 – 2025-10-31 · Navbahor");
    assert_eq!(shown(&navbahor.sections[0]).last().unwrap(), &row(&["Total", "1", "1", "0", "2"]));
    assert_eq!(shown(&navbahor.sections[3])[0], row(&["Form 1 book", "3", "1", "2", "0", "0", "0", "1"]));
    assert_eq!(shown(&navbahor.sections[2]).last().unwrap(), &row(&["Total", "3", "1", "0", "1", "2", "5"]));
}

/// A minimal RFC 4180 reader, to check that what the writer quotes reads back the same.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field, mut quoted) = (Vec::new(), Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, _) => field.push(ch),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, _) => field.push(ch),
        }
    }
    rows
}

#[test]
fn csv_export_round_trips_quoted_fields() {
    let mut d = district();
    let mut report = district_report(&mut d.store, &ctx(Locale::Ru), day(FROM), day(TO), None).unwrap();
    report.sections[0].rows[0][0] = Cell::text("Май, \"первый\"\nмесяц");
    let csv = report.to_csv();
    let lines = read_csv(&csv);
    // Title, header and rows of each section, an empty line between sections.
    let expected_lines: usize = report.sections.iter().map(|s| 2 + s.rows.len()).sum::<usize>() + report.sections.len() - 1;
    assert_eq!(lines.len(), expected_lines);
    assert_eq!(lines[0], [report.sections[0].title.clone()]);
    assert_eq!(lines[1], report.sections[0].columns);
    assert_eq!(lines[2][0], "Май, \"первый\"\nмесяц");
    assert_eq!(lines[2][1..], shown(&report.sections[0])[0][1..]);
    let second = 2 + report.sections[0].rows.len();
    assert_eq!(lines[second], [""]);
    assert_eq!(lines[second + 1], [report.sections[1].title.clone()]);
    let section_csv = read_csv(&report.sections[4].to_csv());
    assert_eq!(section_csv[1..], shown(&report.sections[4])[..]);
}

#[test]
fn worklist_lists_checks_requests_and_applications_for_an_inspector() {
    let mut d = district();
    let list = worklist(&mut d.store, &ctx(Locale::En)).unwrap();
    let rows: Vec<(WorkKind, Urgency, Option<i32>)> = list.items.iter().map(|i| (i.kind, i.urgency, i.days_until_due)).collect();
    assert_eq!(
        rows,
        [
            (WorkKind::ApplicationDeadline, Urgency::Overdue, Some(-119)),
            (WorkKind::ApplicationDeadline, Urgency::Overdue, Some(-22)),
            (WorkKind::RequestOverdue, Urgency::Overdue, Some(-15)),
            (WorkKind::EffectivenessCheck, Urgency::Overdue, Some(-14)),
            (WorkKind::RequestOverdue, Urgency::Overdue, Some(-2)),
            (WorkKind::ApplicationDeadline, Urgency::Soon, Some(2)),
            (WorkKind::EffectivenessCheck, Urgency::Soon, Some(5)),
            (WorkKind::RequestToClose, Urgency::NoDate, None),
            (WorkKind::RequestToClose, Urgency::NoDate, None),
        ]
    );
    let check = &list.items[3];
    assert_eq!((check.title.as_str(), check.reason.as_str()), ("Karimov Jasur", "Effectiveness check: overdue by 14 day(s)"));
    assert_eq!(
        (check.detail.as_str(), check.item_id.as_deref(), check.can_complete),
        ("After 3 months: conversation of 2025-07-01, Mahalla office", Some("m3"), false)
    );
    assert_eq!(check.record_id, d.talks[1].id.to_string());
    assert_eq!(list.items[4].detail, "Mahalla seven · Sent: Fights near the school");
    assert_eq!(list.items[4].reason, "Request overdue: overdue by 2 day(s)");
    assert_eq!(list.items[0].title, "1/2025/T-2025-06-15 · Aliyev Vali");
    assert_eq!(list.items[0].detail, "Form 1 book: Noise at night");
    let closing: Vec<&str> = list.items[7..].iter().map(|i| i.detail.as_str()).collect();
    assert!(closing.contains(&"Declined (2025-10-04): ok") && closing.contains(&"Feedback given (2025-10-14): ok"), "{closing:?}");
    assert_eq!(list.overdue_count, 5);
    assert!(list.items.iter().all(|i| !i.can_complete));

    // Recording the overdue check takes it off the list.
    let talk = d.talks[1].id.to_string();
    record_follow_up(
        &mut d.store,
        &talk,
        Milestone::ThreeMonths,
        day("2025-10-14"),
        Some(BehaviourChange::Improved),
        false,
        0,
        &[],
        Some(LegalKnowledge::Good),
        "",
    )
    .unwrap();
    let after = worklist(&mut d.store, &ctx(Locale::UzLatn)).unwrap();
    assert_eq!(after.items.iter().filter(|i| i.kind == WorkKind::EffectivenessCheck).count(), 1);
    assert_eq!(after.items[0].reason, "Ariza muddati: 119 kun kechikdi");
}

#[test]
fn services_and_the_seven_see_the_requests_waiting_for_their_answer() {
    use ReferralState::*;
    let (_dir, mut duty) = store_of(Role::DutyUnit, "Salimov Akmal");
    request(&mut duty, Role::DutyUnit, "Navbahor", "2025-09-20", &[(Received, "2025-09-21"), (Accepted, "2025-09-22")]);
    request(&mut duty, Role::DutyUnit, "Chorsu", "2025-10-14", &[(Received, "2025-10-14")]);
    request(&mut duty, Role::DutyUnit, "Chorsu", "2025-09-01", &[(Received, "2025-09-02"), (Accepted, "2025-09-02"), (Feedback, "2025-09-06")]);
    let list = worklist(&mut duty, &ctx(Locale::Ru)).unwrap();
    let rows: Vec<(WorkKind, Urgency, Option<i32>, &str)> = list.items.iter().map(|i| (i.kind, i.urgency, i.days_until_due, i.title.as_str())).collect();
    assert_eq!(
        rows,
        [
            (WorkKind::RequestToAnswer, Urgency::Overdue, Some(-15), "Help in Navbahor"),
            // Due after the week's horizon, yet listed: a new request must be seen at once.
            (WorkKind::RequestToAnswer, Urgency::Soon, Some(9), "Help in Chorsu"),
        ]
    );
    assert_eq!(list.items[0].reason, "Запрос ждёт ответа: просрочено на 15 дн.");
    assert_eq!(list.items[0].detail, "Дежурная часть · Принят к исполнению: Fights near the school");

    let (_dir7, mut seven) = store_of(Role::Seven, "Nodira");
    request(&mut seven, Role::Seven, "Navbahor", "2025-10-10", &[]);
    let list = worklist(&mut seven, &ctx(Locale::En)).unwrap();
    assert_eq!(list.items.iter().map(|i| (i.kind, i.days_until_due)).collect::<Vec<_>>(), [(WorkKind::RequestToAnswer, Some(5))]);
}

#[test]
fn record_kinds_of_conversations_and_events_survive_the_store() {
    let (_dir, mut s) = store_of(Role::Inspector, "Aziz Karimov");
    let who = resident(&mut s, "Qodirov", "Navbahor");
    let talk = conversation(&mut s, &who, "2025-09-01", ConversationKind::Explanatory, "Aziz Karimov", &[]);
    assert_eq!(s.get::<Conversation>(&talk.id).unwrap().record.kind, ConversationKind::Explanatory);
    let event = JointEvent {
        kind: EventKind::MahallaMeeting,
        title: "Meeting".into(),
        held_on: day("2025-09-10"),
        place: "Mahalla office".into(),
        mahalla: "Navbahor".into(),
        organisers: BTreeMap::from([("o".to_string(), Organiser { name: "Aziz Karimov".into(), organisation: "Police".into() })]),
        ..Default::default()
    };
    s.put(&event).unwrap();
    assert_eq!(s.get::<JointEvent>(&event.id).unwrap().record.kind, EventKind::MahallaMeeting);
}
