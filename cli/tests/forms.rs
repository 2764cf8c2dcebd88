//! Every record kind's form from the command line (`suhbat form show|fill`): the same
//! view-model as the apps' form screen, so the same rules and field errors, for scripting.

use crate::common::{add_qodirov, add_school_talk, fails, ok};

#[test]
fn a_case_its_task_a_follow_up_and_an_event_are_filled_through_their_forms() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("aziz.db").display().to_string();
    ok(&["device", "init", "--store", &store, "--person", "Aziz Karimov", "--scope", "Navbahor"]);
    let person = add_qodirov(&store, &[]);

    // A parent case, opened about the person (the first guardian), then its seven task.
    let shown = ok(&["form", "show", "parent-case", "--store", &store, "--about", &person]);
    assert!(shown.contains("New parent case") && shown.contains("[concern]"), "{shown}");
    let refused = fails(&["form", "fill", "parent-case", "--store", &store, "--about", &person]);
    assert!(refused.contains("concern"), "{refused}");
    let case = ok(&[
        "form",
        "fill",
        "parent-case",
        "--store",
        &store,
        "--about",
        &person,
        "--set",
        "concern=The children miss school",
        "--add",
        "children=Qodirova Madina||2014-03-01",
    ]);
    let case = case.trim();
    let task = ok(&["form", "fill", "seven-task", "--store", &store, "--record", case, "--set", "role=womens_activist", "--set", "task=Visit the family"]);
    let (record, task_id) = task.trim().split_once(' ').expect("record and task ids");
    assert_eq!(record, case);
    ok(&["form", "fill", "seven-task", "--store", &store, "--record", case, "--item", task_id, "--set", "done=true"]);
    // Closing the case.
    ok(&["form", "fill", "parent-case", "--store", &store, "--record", case, "--set", "status=closed", "--set", "outcome=Back at school"]);
    let shown = ok(&["form", "show", "parent-case", "--store", &store, "--record", case]);
    assert!(shown.contains("[status]: closed") && shown.contains("Back at school"), "{shown}");

    // A conversation, then its +1 month follow-up recorded.
    let talk = add_school_talk(&store, &person);
    let talk = talk.as_str();
    let incomplete = fails(&["form", "fill", "follow-up", "--store", &store, "--record", talk, "--item", "m1", "--set", "done_on=2025-10-01"]);
    assert!(incomplete.contains("behaviour"), "{incomplete}");
    let filled = ["--set", "done_on=2025-10-01", "--set", "behaviour=improved", "--set", "legal_knowledge=good", "--set", "activities=study,club"];
    ok(&[&["form", "fill", "follow-up", "--store", &store, "--record", talk, "--item", "m1"][..], &filled].concat());
    let shown = ok(&["form", "show", "follow-up", "--store", &store, "--record", talk, "--item", "m1"]);
    assert!(shown.contains("[activities]: club, study"), "{shown}");

    // A joint event, and who attended.
    let event = ok(&[
        "form",
        "fill",
        "joint-event",
        "--store",
        &store,
        "--set",
        "kind=seminar",
        "--set",
        "title=Parents' school",
        "--set",
        "place=School 12",
        "--add",
        "organisers=Dilnoza|Women's committee",
    ]);
    let event = event.trim();
    ok(&["form", "fill", "attendance", "--store", &store, "--record", event, "--set", &format!("person_ids={person}"), "--add", "guests=Karimov B."]);
    let shown = ok(&["form", "show", "attendance", "--store", &store, "--record", event]);
    assert!(shown.contains(&person) && shown.contains("Karimov B."), "{shown}");
    let unknown = fails(&["form", "fill", "attendance", "--store", &store, "--record", event, "--set", "nothing=1"]);
    assert!(unknown.contains("has no field \"nothing\""), "{unknown}");
}
