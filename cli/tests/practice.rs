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
