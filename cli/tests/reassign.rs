//! `suhbat hub device set-scope` / `set-role` against a real HTTPS hub: the device's earlier
//! work still reaches the hub, `hub devices` shows the change and its alert, and the phone
//! takes on its new mahalla and role at its next sync.

use crate::common;

use common::{arg, enrolled_device, fails, ok};

#[test]
fn a_device_moved_and_promoted_on_the_hub_follows_at_its_next_sync() {
    let dir = tempfile::tempdir().unwrap();
    let setup = enrolled_device(dir.path(), "aziz", "Markerova");
    let (hub, store, id) = (arg(&setup.hub_dir), arg(&setup.store), setup.device_id.clone());
    // Offline work in Navbahor, done before the move.
    ok(&[
        "person",
        "add",
        "--store",
        &store,
        "--last",
        "Offlinova",
        "--first",
        "Nodira",
        "--birth",
        "2008-01-02",
        "--mahalla",
        "Navbahor",
        "--district",
        "Chilonzor",
    ]);
    std::thread::sleep(std::time::Duration::from_millis(5));

    ok(&["hub", "device", "set-scope", "--data", &hub, &id, "--scope", "Qatortol"]);
    let listed = ok(&["hub", "devices", "--data", &hub]);
    assert!(listed.contains(" qatortol "), "{listed}");
    assert!(listed.contains(&format!("ALERT scope-changed {id}: scopes navbahor -> qatortol")), "{listed}");
    assert_eq!(listed, ok(&["hub", "device", "list", "--data", &hub]));

    let synced = ok(&["device", "sync", "--store", &store]);
    assert!(!synced.contains("rejected"), "{synced}");
    // The person was registered today, so the document is this year's.
    let year = chrono::Datelike::year(&chrono::Local::now());
    assert!(synced.contains(&format!("removed (no longer in this device's scope): register/navbahor/{year}")), "{synced}");
    let info = ok(&["device", "info", "--store", &store]);
    assert!(info.contains("scopes   qatortol"), "{info}");
    let on_hub = common::raw_conn(&setup.hub_dir.join("hub.db"), &common::hub_keys(&setup.hub_dir))
        .query_row("SELECT count(*) FROM record_index WHERE title LIKE '%Offlinova%'", [], |r| r.get::<_, i64>(0))
        .unwrap();
    assert_eq!(on_hub, 1, "the work done before the move reached the hub");

    ok(&["hub", "device", "set-role", "--data", &hub, &id, "supervisor"]);
    assert!(ok(&["hub", "devices", "--data", &hub]).contains(&format!("ALERT role-changed {id}: role inspector -> supervisor")));
    ok(&["device", "sync", "--store", &store]);
    assert!(ok(&["device", "info", "--store", &store]).contains("role     supervisor"));

    assert!(fails(&["hub", "device", "set-role", "--data", &hub, &id, "boss"]).contains("unknown role"));
    assert!(fails(&["hub", "device", "set-scope", "--data", &hub, "no-such-device", "--scope", "Navbahor"]).contains("no active device"));
    ok(&["hub", "device", "revoke", "--data", &hub, &id]);
    assert!(fails(&["hub", "device", "set-role", "--data", &hub, &id, "seven"]).contains("no active device"));
    common::report("CLI reassignment: set-scope and set-role shown with alerts; the phone kept its earlier work and took on the new scope and role");
}
