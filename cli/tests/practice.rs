//! The inspectors' practice through the real binary: a conversation as the method describes it
//! (channel, partners, consent for a minor, legal ground) and a parent case's legal ground.

use crate::common::*;

#[test]
fn conversation_and_case_record_their_legal_ground_and_a_minors_consent() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("aziz.db").display().to_string();
    ok(&["device", "init", "--store", &store, "--person", "Aziz Karimov", "--scope", "Navbahor"]);
    let person = add_qodirov(&store, &[]);
    let talk = ["conversation", "add", "--store", &store, "--person", person.trim(), "--place", "Home", "--at", "2025-03-01T06:00:00Z"];
    let err = fails(&talk);
    assert!(err.contains("is a minor") && err.contains("consent"), "{err}");
    let with = [
        &talk[..],
        &["--consent-by", "guardian", "--consent", "The aunt agreed", "--channel", "messenger", "--partner", "school", "--legal-ground", "neglect_of_minors"],
    ]
    .concat();
    let id = ok(&with);
    let shown = ok(&["conversation", "show", "--store", &store, id.trim()]);
    for expected in ["messenger", "school", "neglect_of_minors", "The aunt agreed"] {
        assert!(shown.contains(expected), "{expected} missing in {shown}");
    }

    let case = ok(&["case", "add", "--store", &store, "--mahalla", "Navbahor", "--guardian", "Yusupova Dilnoza", "--concern", "The boy misses school"]);
    let err = fails(&["case", "legal-basis", "--store", &store, case.trim(), "--ground", "other"]);
    assert!(err.contains("name the act"), "{err}");
    let lines = ok(&["case", "legal-basis", "--store", &store, case.trim(), "--ground", "prevention_of_offences", "--details", "Art. 27"]);
    assert_eq!(lines.trim(), "Law on the prevention of offences; Art. 27");
}

#[test]
fn a_parent_case_keeps_its_checklist_help_and_measures_and_the_report_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("aziz.db").display().to_string();
    ok(&["device", "init", "--store", &store, "--person", "Aziz Karimov", "--scope", "Navbahor"]);
    let child = add_qodirov(&store, &[]);
    let case = ok(&["case", "add", "--store", &store, "--mahalla", "Navbahor", "--guardian", "Qodirova Nodira", "--concern", "The boy misses school"]);
    let case = case.trim();
    let item = ok(&["case", "indicator", "--store", &store, case, "truancy", "--observed", "2025-09-01"]);
    ok(&["case", "indicator", "--store", &store, case, "alcohol_at_home", "--observed", "2025-09-02", "--note", "The father drinks"]);
    let err = fails(&["case", "resolve", "--store", &store, case, item.trim(), "--on", "2025-08-01"]);
    assert!(err.contains("cannot be before"), "{err}");
    assert_eq!(ok(&["case", "resolve", "--store", &store, case, item.trim(), "--on", "2025-10-01"]).trim(), "Indicators resolved: 1 of 2");
    let help = ok(&["case", "assist", "--store", &store, case, "school_contact", "--given", "2025-09-10", "--by", "Class head"]);
    ok(&["case", "assist-outcome", "--store", &store, case, help.trim(), "helped"]);
    ok(&["case", "child", "--store", &store, case, &child]);
    let measures = ok(&["case", "measures", "--store", &store, case, "--before", "50", "--after", "90", "--assessed", "2025-10-20"]);
    assert!(measures.contains("Attendance before, %: 50 %") && measures.contains("Attendance after, %: 90 %"), "{measures}");
    let shown = ok(&["case", "show", "--store", &store, case]);
    assert!(shown.contains(&child) && shown.contains("school_contact") && shown.contains("\"helped\""), "{shown}");

    let report = ok(&["report", "district", "--store", &store, "--from", "2025-01-01", "--to", "2030-12-31", "--format", "csv"]);
    assert!(report.contains("Parent cases: outcomes per stage"), "{report}");
    assert!(report.lines().any(|l| l == "Total,1,2,1,50,1,1,50,90"), "{report}");
}

#[test]
fn programme_and_training_commands_record_attendance_and_report_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("aziz.db").display().to_string();
    ok(&["device", "init", "--store", &store, "--person", "Aziz Karimov", "--scope", "Navbahor"]);
    let id = ok(&[
        "programme",
        "add",
        "--store",
        &store,
        "--title",
        "Parents' school",
        "--mahalla",
        "Navbahor",
        "--from",
        "2025-09-01",
        "--to",
        "2025-12-31",
        "--organiser",
        "Karimova Nodira/seven_member",
        "--organiser",
        "School 141/school",
    ]);
    let id = id.trim();
    let yusupov = ok(&["programme", "family", "--store", &store, id, "Yusupovlar"]);
    ok(&["programme", "family", "--store", &store, id, "Karimovlar"]);
    let first = ok(&["programme", "session", "--store", &store, id, "--date", "2025-09-05", "--topic", "Listening to your child"]);
    let second = ok(&["programme", "session", "--store", &store, id, "--date", "2025-09-19", "--topic", "Rules at home"]);
    ok(&["programme", "attend", "--store", &store, id, first.trim(), "--family", yusupov.trim(), "--family", "Karimovlar"]);
    ok(&["programme", "attend", "--store", &store, id, second.trim(), "--family", "Yusupovlar"]);
    let err = fails(&["programme", "attend", "--store", &store, id, second.trim(), "--family", "Aliyevlar"]);
    assert!(err.contains("no such family in the programme"), "{err}");
    let report = ok(&["programme", "report", "--store", &store, id, "--csv"]);
    for line in ["Total,,3,4,75", "Karimovlar,1,2,50", "Yusupovlar,2,2,100", "Families at every session,1,2,50"] {
        assert!(report.lines().any(|l| l == line), "{line} missing in {report}");
    }
    assert!(ok(&["programme", "list", "--store", &store]).contains("Families: 2 · sessions: 2"));

    let training =
        ok(&["training", "add", "--store", &store, "--topic", "childrens_rights", "--date", "2025-09-10", "--mahalla", "Navbahor", "--trainer", "Lawyer"]);
    ok(&["training", "attend", "--store", &store, training.trim(), "--person", "Karimova Nodira/womens_activist", "--person", "Aziz Karimov"]);
    let had = ok(&["training", "person", "--store", &store, "Каримова Нодира"]);
    assert!(had.contains("Children's rights") && had.contains("Women's activist"), "{had}");
    assert!(ok(&["training", "list", "--store", &store]).contains("Attended: 2"));
}
