//! Tests of the parent case as the practice works it: the checklist of indicators, the help
//! given and its outcome, children linked to the register, the assessment's measures, and the
//! district report's outcomes per SARA stage.

use super::tests::{ctx, day, fixture, person};
use super::*;
use crate::model::{CaseStatus, HelpOutcome, IndicatorKind, ParentCase, SaraStage};
use crate::{Error, ListQuery, Locale, RecordId, RecordKind};

fn stored(store: &mut crate::Store, id: &str) -> ParentCase {
    store.get::<ParentCase>(&RecordId::parse(id).unwrap()).unwrap().record
}

#[test]
fn a_parent_case_records_indicators_help_and_their_outcomes() {
    let mut f = fixture("aziz");
    let c = ctx(Locale::En);
    let son = person(&mut f.store, "Yusupov", &[]);
    let id = open_case(&mut f.store, &c, "Navbahor", &["Yusupova Dilnoza".into()], &["Yusupov Jasur".into()], "The boy misses school").unwrap();

    let truancy = add_case_indicator(&mut f.store, &id, "truancy", "2025-09-01", "30 days missed").unwrap();
    let violence = add_case_indicator(&mut f.store, &id, "violence_at_home", "10.09.2025", "Neighbours heard shouting").unwrap();
    let Err(Error::Invalid(errors)) = add_case_indicator(&mut f.store, &id, "other", "2025-09-01", " ") else { panic!("other needs a note") };
    assert_eq!(errors.0[0].field.rsplit('/').next(), Some("note"));
    assert!(add_case_indicator(&mut f.store, &id, "laziness", "2025-09-01", "").is_err(), "not on the checklist");
    let Err(Error::Invalid(errors)) = resolve_case_indicator(&mut f.store, &id, &truancy, "2025-08-01") else { panic!("resolved before observed") };
    assert!(errors.messages(Locale::En)[0].starts_with("Resolved on (2025-08-01) cannot be before Observed on"), "{errors}");
    resolve_case_indicator(&mut f.store, &id, &truancy, "2025-10-01").unwrap();

    let legal = add_case_help(&mut f.store, &id, "legal", "2025-09-15", "Lawyer of the mahalla", "Rights and duties of parents").unwrap();
    add_case_help(&mut f.store, &id, "school_contact", "2025-09-20", "Class head", "").unwrap();
    set_case_help_outcome(&mut f.store, &id, &legal, "helped").unwrap();
    assert!(matches!(set_case_help_outcome(&mut f.store, &id, "no-such-item", "helped"), Err(Error::NotFound(_))));

    // The child on the case is the registered person of the same name: linked, with the birth date.
    let child = link_case_child(&mut f.store, &id, son.id.as_str()).unwrap();
    let case = stored(&mut f.store, &id);
    assert_eq!(case.children.len(), 1);
    assert_eq!((case.children[&child].person_id.as_ref(), case.children[&child].birth_date), (Some(&son.id), Some(son.birth_date)));
    let linked = f.store.list(&ListQuery { kind: Some(RecordKind::ParentCase), linked_to: Some(son.id.to_string()), ..Default::default() }).unwrap();
    assert_eq!(linked.len(), 1, "the case is found from the child's register record");

    let Err(Error::Invalid(_)) = set_case_measures(&mut f.store, &id, Some(120), None, "") else { panic!("attendance is a percentage") };
    set_case_measures(&mut f.store, &id, Some(60), None, "").unwrap();
    set_case_measures(&mut f.store, &id, None, Some(90), "2025-10-14").unwrap();

    let view = parent_case(&mut f.store, &c, &id).unwrap();
    let practice = &view.practice;
    assert_eq!(practice.indicators_summary, "Indicators resolved: 1 of 2");
    let rows: Vec<(&str, &str, &str)> = practice.indicators.iter().map(|r| (r.label.as_str(), r.observed_label.as_str(), r.resolved_label.as_str())).collect();
    assert_eq!(rows, [("Violence at home", "Observed 2025-09-10", ""), ("Truancy", "Observed 2025-09-01", "Resolved 2025-10-01")], "open ones first");
    assert_eq!(practice.indicators[0].id, violence);
    let help: Vec<(&str, &str, bool)> = practice.help.iter().map(|h| (h.kind_label.as_str(), h.outcome_label.as_str(), h.helped)).collect();
    assert_eq!(help, [("School contact", "Outcome not known yet", false), ("Legal", "Helped", true)]);
    let measures: Vec<String> = practice.measures.iter().map(|m| format!("{}: {}", m.label, m.value)).collect();
    assert_eq!(measures, ["Attendance before, %: 60 %", "Attendance after, %: 90 %", "Assessed on: 2025-10-14"]);
    assert_eq!(practice.indicator_choices.len(), IndicatorKind::ALL.len());
    let ru = parent_case(&mut f.store, &ctx(Locale::Ru), &id).unwrap();
    assert_eq!(ru.practice.indicators_summary, "Устранено признаков: 1 из 2");
}

#[test]
fn a_case_stored_before_the_checklist_still_loads() {
    let old = serde_json::json!({
        "id": RecordId::new().to_string(),
        "mahalla": "Navbahor",
        "guardians": {"g1": {"name": "Yusupova Dilnoza"}},
        "children": {"c1": {"name": "Yusupov Sardor", "school": "141"}},
        "concern": "Misses school",
        "opened_on": "2025-09-01",
        "sara": {"scanning": "Noted", "response": {"plan": "Talk", "assistance": {"legal": true}}},
    });
    let case: ParentCase = serde_json::from_value(old).unwrap();
    assert!(case.indicators.is_empty() && case.help_given.is_empty() && case.children["c1"].person_id.is_none());
    assert_eq!(case.sara.measures.attendance_before, None);
    assert!(crate::model::check_record(&case, chrono::Utc::now()).is_ok());
}

#[test]
fn the_district_report_shows_case_outcomes_per_stage() {
    let mut f = fixture("aziz");
    let c = ctx(Locale::En);
    let open = |store: &mut crate::Store, guardian: &str| open_case(store, &c, "Navbahor", &[guardian.into()], &[], "Neglect").unwrap();
    // At response: 2 indicators, 1 resolved; 2 help, 1 helped; attendance 40 → none yet.
    let a = open(&mut f.store, "Karimova Nodira");
    set_case_stage(&mut f.store, &a, SaraStage::Analysis, "").unwrap();
    set_case_stage(&mut f.store, &a, SaraStage::Response, "").unwrap();
    let t = add_case_indicator(&mut f.store, &a, "truancy", "2025-09-01", "").unwrap();
    add_case_indicator(&mut f.store, &a, "child_working", "2025-09-02", "At the bazaar").unwrap();
    resolve_case_indicator(&mut f.store, &a, &t, "2025-10-01").unwrap();
    let h = add_case_help(&mut f.store, &a, "psychological", "2025-09-05", "School psychologist", "").unwrap();
    set_case_help_outcome(&mut f.store, &a, &h, "partly_helped").unwrap();
    let h = add_case_help(&mut f.store, &a, "social", "2025-09-06", "Social worker", "").unwrap();
    set_case_help_outcome(&mut f.store, &a, &h, "refused").unwrap();
    set_case_measures(&mut f.store, &a, Some(40), None, "").unwrap();
    // At assessment: 1 indicator, resolved; attendance 50 → 80.
    let b = open(&mut f.store, "Rahimova Malika");
    for stage in [SaraStage::Analysis, SaraStage::Response, SaraStage::Assessment] {
        set_case_stage(&mut f.store, &b, stage, "").unwrap();
    }
    let t = add_case_indicator(&mut f.store, &b, "no_contact_with_school", "2025-09-01", "").unwrap();
    resolve_case_indicator(&mut f.store, &b, &t, "2025-10-10").unwrap();
    set_case_measures(&mut f.store, &b, Some(50), Some(80), "2025-10-12").unwrap();
    // Closed: 1 indicator, resolved; 1 help that helped; attendance 70 → 95.
    let d = open(&mut f.store, "Tosheva Gulnora");
    let t = add_case_indicator(&mut f.store, &d, "out_late_unsupervised", "2025-09-03", "").unwrap();
    resolve_case_indicator(&mut f.store, &d, &t, "2025-09-30").unwrap();
    let h = add_case_help(&mut f.store, &d, "school_contact", "2025-09-04", "Class head", "").unwrap();
    set_case_help_outcome(&mut f.store, &d, &h, "helped").unwrap();
    set_case_measures(&mut f.store, &d, Some(70), Some(95), "2025-10-01").unwrap();
    f.store
        .update::<ParentCase>(&RecordId::parse(&d).unwrap(), |case| {
            case.status = CaseStatus::Closed;
            case.outcome = "The boy is home by eight".into();
        })
        .unwrap();
    assert_eq!(stored(&mut f.store, &b).stage, SaraStage::Assessment);
    assert_eq!(stored(&mut f.store, &a).help_given.values().filter(|h| h.outcome == HelpOutcome::Refused).count(), 1);

    let report = district_report(&mut f.store, &c, day("2025-01-01"), day("2025-12-31"), None).unwrap();
    let outcomes = report.sections.iter().find(|s| s.title == "Parent cases: outcomes per stage").expect("the outcomes section");
    assert_eq!(
        outcomes.columns,
        [
            "SARA stage",
            "Count",
            "Indicators observed",
            "Indicators resolved",
            "Resolved, %",
            "Help given",
            "Help that helped",
            "Attendance before, %",
            "Attendance after, %"
        ]
    );
    let shown: Vec<Vec<String>> = outcomes.rows.iter().map(|r| r.iter().map(Cell::display).collect()).collect();
    // Figures by hand: response 1 case, 2 observed, 1 resolved (50 %), 2 help, 1 helped
    // (partly), attendance before 40, none after; assessment 1, 1, 1 (100 %), no help, 50 → 80;
    // closed 1, 1, 1, 1 helped, 70 → 95; total 3 cases, 4 observed, 3 resolved (75 %), 3 help,
    // 2 helped, before (40+50+70)/3 = 53.3, after (80+95)/2 = 87.5.
    let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    assert_eq!(
        shown,
        [
            row(&["Scanning", "0", "0", "0", "", "0", "0", "", ""]),
            row(&["Analysis", "0", "0", "0", "", "0", "0", "", ""]),
            row(&["Response", "1", "2", "1", "50", "2", "1", "40", ""]),
            row(&["Assessment", "1", "1", "1", "100", "0", "0", "50", "80"]),
            row(&["Closed", "1", "1", "1", "100", "1", "1", "70", "95"]),
            row(&["Total", "3", "4", "3", "75", "3", "2", "53.3", "87.5"]),
        ]
    );
}
