//! The apps' capabilities as scripting commands (`suhbat followup record`, `suhbat case
//! close`): each goes through the same form view-model as the apps' save button, so the same
//! rules and the same translated field errors.

use crate::common::{add_qodirov, add_school_talk, fails, ok};

#[test]
fn a_follow_up_is_recorded_and_a_case_closed_by_their_own_commands() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("aziz.db").display().to_string();
    ok(&["device", "init", "--store", &store, "--person", "Aziz Karimov", "--scope", "Navbahor"]);
    let person = add_qodirov(&store, &[]);
    let talk = add_school_talk(&store, &person);
    let talk = talk.as_str();

    // The follow-up form's rules, in the user's language: nothing is saved.
    let incomplete = fails(&["--lang", "en", "followup", "record", "--store", &store, talk, "--at", "m1", "--set", "done_on=2025-10-01"]);
    assert!(incomplete.contains("behaviour"), "{incomplete}");
    let unknown = fails(&["followup", "record", "--store", &store, talk, "--at", "m1", "--set", "mood=good"]);
    assert!(unknown.contains("has no field \"mood\""), "{unknown}");
    let recorded = ok(&[
        "followup",
        "record",
        "--store",
        &store,
        talk,
        "--at",
        "m1",
        "--set",
        "done_on=2025-10-01",
        "--set",
        "behaviour=improved",
        "--set",
        "legal_knowledge=good",
        "--set",
        "activities=study,club",
    ]);
    assert_eq!(recorded.trim(), format!("{talk} m1"));
    let shown = ok(&["form", "show", "follow-up", "--store", &store, "--record", talk, "--item", "m1"]);
    assert!(shown.contains("[done_on]: 2025-10-01") && shown.contains("[activities]: club, study"), "{shown}");

    // A case closes only with its outcome; closed, it is final.
    let case = ok(&["case", "add", "--store", &store, "--mahalla", "Navbahor", "--guardian", "Qodirov Anvar", "--concern", "Truancy"]);
    let case = case.trim();
    let refused = fails(&["--lang", "ru", "case", "close", "--store", &store, case, "--outcome", " "]);
    assert!(refused.contains("Итог"), "the outcome is required, said in Russian: {refused}");
    assert_eq!(ok(&["case", "close", "--store", &store, case, "--outcome", "Back at school"]).trim(), case);
    let shown = ok(&["--lang", "en", "case", "show", "--store", &store, case]);
    assert!(shown.contains("\"closed\"") && shown.contains("Back at school"), "{shown}");
    let again = fails(&["--lang", "en", "case", "close", "--store", &store, case, "--outcome", "Changed my mind"]);
    assert!(again.contains("closed"), "{again}");
}
