//! `suhbat hub accessed`: who opened, exported or changed a record, as the devices' audit
//! chains reported it at sync, through the real binary, a real hub and a real store.

use crate::common::*;

#[test]
fn the_hub_names_who_opened_and_exported_a_record() {
    let dir = tempfile::tempdir().unwrap();
    let setup = enrolled_device(dir.path(), "aziz", "Marker");
    let store = arg(&setup.store);
    let hub = arg(&setup.hub_dir);
    let id = add_qodirov(&store, &[]);
    ok(&["device", "sync", "--store", &store]);
    let none = ok(&["hub", "accessed", "--data", &hub, &id]);
    assert!(none.contains("changed") && !none.contains("opened"), "only its creation so far: {none}");
    ok(&["person", "show", "--store", &store, &id]);
    ok(&["bundle", "export", "--store", &store, "--out", &arg(&dir.path().join("all.bundle"))]);
    ok(&["device", "sync", "--store", &store]);

    let text = ok(&["hub", "accessed", "--data", &hub, &id]);
    assert!(text.contains("aziz (inspector)") && text.contains("opened") && text.contains("exported"), "{text}");
    assert!(!text.contains("Qodirov") && !text.contains("Marker"), "no names or notes of any record: {text}");
    let json: serde_json::Value = serde_json::from_str(&ok(&["hub", "accessed", "--data", &hub, &id, "--json"])).unwrap();
    let actions: Vec<&str> = json.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"access:view") && actions.contains(&"access:export"), "{actions:?}");

    let err = fails(&["hub", "accessed", "--data", &hub, "not-an-id"]);
    assert!(err.contains("not a record id"), "{err}");
}
