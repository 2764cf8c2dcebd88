//! `suhbat person history|restore` through the real binary and a real store file.

use crate::common::*;

#[test]
fn person_history_shows_each_value_with_its_author_and_restore_gives_an_earlier_one_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("aziz.db").display().to_string();
    ok(&["device", "init", "--store", &store, "--person", "Aziz Karimov", "--scope", "Navbahor"]);
    let id = add_qodirov(&store, &["--street", "Bog‘ ko‘chasi", "--notes", "Lives with the grandmother."]);
    let restored = ok(&["person", "restore", "--store", &store, &id, "address/street", "\"Navoiy ko‘chasi\""]);
    assert!(restored.contains("restored address/street"), "{restored}");
    assert!(ok(&["person", "restore", "--store", &store, &id, "address/street", "\"Navoiy ko‘chasi\""]).contains("nothing changed"));

    let text = ok(&["person", "history", "--store", &store, &id]);
    assert!(text.contains("Street: Navoiy ko‘chasi") && text.contains("Street: Bog‘ ko‘chasi") && text.contains("Aziz Karimov"), "{text}");
    assert!(text.contains("Lives with the grandmother."), "the notes' passages with their author: {text}");

    let json: serde_json::Value = serde_json::from_str(&ok(&["person", "history", "--store", &store, &id, "--json"])).unwrap();
    let streets: Vec<&serde_json::Value> = json["entries"].as_array().unwrap().iter().filter(|e| e["path"] == "address/street").collect();
    assert_eq!(streets.iter().map(|e| e["value"].as_str().unwrap()).collect::<Vec<_>>(), ["Navoiy ko‘chasi", "Bog‘ ko‘chasi"], "newest first: {json}");
    let oldest = streets[1]["value"].to_string();
    ok(&["person", "restore", "--store", &store, &id, "address/street", &oldest]);
    let shown = ok(&["person", "show", "--store", &store, &id]);
    assert!(shown.contains("\"street\": \"Bog‘ ko‘chasi\""), "{shown}");

    let then: serde_json::Value = serde_json::from_str(&ok(&["person", "history", "--store", &store, &id, "--as-of", "2000-01-01", "--json"])).unwrap();
    assert_eq!(then["existed"], false, "{then}");
    let now: serde_json::Value = serde_json::from_str(&ok(&["person", "history", "--store", &store, &id, "--as-of", "2999-01-01", "--json"])).unwrap();
    assert_eq!(now["record"]["address"]["street"], "Bog‘ ko‘chasi", "{now}");

    let err = fails(&["--lang", "ru", "person", "history", "--store", &store, &id, "--as-of", "3 March"]);
    assert!(err.contains("YYYY-MM-DD") && err.contains("дата"), "{err}");
    let err = fails(&["person", "restore", "--store", &store, &id, "birth_date", "\"not a date\""]);
    assert!(err.contains("restore"), "{err}");
    let err = fails(&["person", "restore", "--store", &store, &id, "address/street", "not json"]);
    assert!(err.contains("restored value"), "{err}");
}
