//! The CLI against a real HTTPS hub: the hub's store is encrypted at rest too, a revoked
//! device wipes itself when the hub says so, and `suhbat audit verify` / `suhbat hub audit`
//! catch an audit entry edited or removed behind the store's back (triggers dropped, as an
//! attacker holding the key would), while audit rows never hold names or notes.

use crate::common;

use common::{arg, enrolled_device, fails, ok, raw_conn, store_files};
use std::path::Path;
use suhbat_core::{key_id_for, KeyProvider};
use suhbat_hub::{start, ServeOptions};

const MARKER: &str = "Markerova";

/// Fails if a file is a plaintext SQLite file or holds `MARKER`; returns the bytes read.
fn assert_no_plaintext(file: &Path) -> usize {
    let bytes = std::fs::read(file).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"), "{} is plaintext SQLite", file.display());
    assert!(!bytes.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()), "{MARKER} found in {}", file.display());
    bytes.len()
}

#[test]
fn the_hub_store_holds_no_plaintext_while_serving_or_after() {
    let dir = tempfile::tempdir().unwrap();
    let setup = enrolled_device(dir.path(), "aziz", MARKER);
    let hub_db = setup.hub_dir.join("hub.db");
    let person_on_hub = ok(&["person", "list", "--store", &arg(&setup.store), "--search", MARKER]);
    assert!(person_on_hub.contains(MARKER), "the device holds the record: {person_on_hub}");
    let serving: usize = store_files(&hub_db).iter().map(|f| assert_no_plaintext(f)).sum();
    let files_serving = store_files(&hub_db).len();
    setup.hub.stop().unwrap();
    let stopped: usize = store_files(&hub_db).iter().map(|f| assert_no_plaintext(f)).sum();
    // The marker did reach the hub: it is in the decrypted store.
    let conn = raw_conn(&hub_db, &common::hub_keys(&setup.hub_dir));
    let on_hub: i64 = conn.query_row("SELECT count(*) FROM record_index WHERE title LIKE ?1", [format!("%{MARKER}%")], |r| r.get(0)).unwrap();
    assert_eq!(on_hub, 1);
    let device: usize = store_files(&setup.store).iter().map(|f| assert_no_plaintext(f)).sum();
    common::report(&format!("hub at rest: {files_serving} file(s) / {serving} B while serving, {stopped} B after stop, device {device} B: no SQLite header, no marker; the record is on the hub (decrypted: {on_hub})"));
}

#[test]
fn a_revoked_device_wipes_itself_on_the_hubs_order() {
    let dir = tempfile::tempdir().unwrap();
    let setup = enrolled_device(dir.path(), "aziz", MARKER);
    let key_file = dir.path().join(".suhbat-keys").join(format!("{}.key", key_id_for(&setup.store).replace('.', "_")));
    assert!(key_file.exists(), "{} holds the store key", key_file.display());
    let files_before = store_files(&setup.store).len();
    ok(&["hub", "revoke", "--data", &arg(&setup.hub_dir), &setup.device_id]);
    let stderr = fails(&["device", "sync", "--store", &arg(&setup.store)]);
    assert!(stderr.contains("as ordered, its data was wiped"), "{stderr}");
    assert!(store_files(&setup.store).is_empty(), "files left: {:?}", store_files(&setup.store));
    assert!(!key_file.exists(), "the key file is gone");
    let again = fails(&["person", "list", "--store", &arg(&setup.store)]);
    common::report(&format!(
        "CLI wipe on revocation: {files_before} store file(s) and the key file deleted; sync said: {}; next command: {}",
        stderr.trim(),
        again.trim()
    ));
}

/// Copies a folder (store files and key folders) so each tamper case starts clean.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Edits entry 2 and, in a second copy, deletes it, with the triggers dropped; `verify` must
/// fail on both. Returns the failure messages.
fn tamper_cases(original: &Path, db_name: &str, keys_of: impl Fn(&Path) -> Box<dyn suhbat_core::KeyProvider>, verify: impl Fn(&Path) -> String) -> Vec<String> {
    let attacks = [
        ("edit", "DROP TRIGGER audit_no_update; UPDATE audit SET record_id = NULL, action = 'put' WHERE seq = 2;"),
        ("delete", "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2;"),
    ];
    let mut out = Vec::new();
    for (name, sql) in attacks {
        let copy = original.with_file_name(format!("{}-{name}", original.file_name().unwrap().to_string_lossy()));
        copy_dir(original, &copy);
        let db = copy.join(db_name);
        raw_conn(&db, &*keys_of(&copy)).execute_batch(sql).unwrap();
        let message = verify(&copy);
        assert!(message.contains("audit chain broken"), "{name}: {message}");
        out.push(format!("{name} -> {}", message.trim()));
    }
    out
}

/// Every text in every audit row.
fn audit_text(db: &Path, keys: &dyn suhbat_core::KeyProvider) -> (usize, String) {
    let conn = raw_conn(db, keys);
    let mut stmt = conn.prepare("SELECT COALESCE(device_id, '') || ' ' || action || ' ' || COALESCE(record_id, '') FROM audit").unwrap();
    let rows: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    (rows.len(), rows.join("\n"))
}

#[test]
fn audit_verify_catches_edited_and_removed_entries_on_device_and_hub() {
    let dir = tempfile::tempdir().unwrap();
    let device_dir = dir.path().join("device");
    std::fs::create_dir(&device_dir).unwrap();
    let setup = enrolled_device(&device_dir, "aziz", MARKER);
    setup.hub.stop().unwrap();
    let hub_dir = dir.path().join("hub");
    std::fs::rename(&setup.hub_dir, &hub_dir).unwrap();

    // Intact chains first, and no names or notes in them.
    let device_ok = ok(&["audit", "verify", "--store", &arg(&setup.store)]);
    let hub_ok = ok(&["hub", "audit", "--data", &arg(&hub_dir)]);
    assert!(device_ok.contains("intact") && hub_ok.contains("intact"), "{device_ok} {hub_ok}");
    let (device_rows, device_text) = audit_text(&setup.store, &common::device_keys(&setup.store));
    let (hub_rows, hub_text) = audit_text(&hub_dir.join("hub.db"), &common::hub_keys(&hub_dir));
    for text in [&device_text, &hub_text] {
        for secret in [MARKER, "Jasur", "note", "aziz"] {
            assert!(!text.contains(secret), "audit holds {secret:?}:\n{text}");
        }
    }
    common::report(&format!("audit: device {} / hub {}; {device_rows} + {hub_rows} rows hold no names or notes", device_ok.trim(), hub_ok.trim()));

    let device_name = setup.store.file_name().unwrap().to_string_lossy().into_owned();
    let device_cases = tamper_cases(
        &device_dir,
        &device_name,
        |copy| Box::new(common::device_keys(&copy.join("x"))),
        |copy| fails(&["audit", "verify", "--store", &arg(&copy.join(&device_name))]),
    );
    let hub_cases = tamper_cases(&hub_dir, "hub.db", |copy| Box::new(common::hub_keys(copy)), |copy| fails(&["hub", "audit", "--data", &arg(copy)]));
    common::report(&format!("audit tampering, device: {}", device_cases.join("; ")));
    common::report(&format!("audit tampering, hub: {}", hub_cases.join("; ")));
}

/// People in the hub store at `hub_db` whose title holds `text`, read with the hub's key from
/// `file` (the store itself or a backup of it).
fn people_on_hub(hub_dir: &Path, file: &Path, text: &str) -> i64 {
    let key = common::hub_keys(hub_dir).get_or_create_key(&key_id_for(&hub_dir.join("hub.db"))).unwrap();
    let conn = rusqlite::Connection::open(file).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(key.as_ref()))).unwrap();
    conn.query_row("SELECT count(*) FROM record_index WHERE kind = 'person' AND title LIKE ?1", [format!("%{text}%")], |r| r.get(0)).unwrap()
}

#[test]
fn a_hub_backup_taken_while_serving_is_encrypted_and_a_hub_restored_from_it_serves() {
    let dir = tempfile::tempdir().unwrap();
    let setup = enrolled_device(dir.path(), "aziz", MARKER);
    let backup = dir.path().join("hub-backup.db");
    let said = ok(&["hub", "backup", "--data", &arg(&setup.hub_dir), "--out", &arg(&backup)]);
    assert!(said.contains("encrypted with the hub's key"), "{said}");
    let size = assert_no_plaintext(&backup);
    assert_eq!(people_on_hub(&setup.hub_dir, &backup, MARKER), 1, "the backup opens with the hub's key and holds the record");
    let again = fails(&["hub", "backup", "--data", &arg(&setup.hub_dir), "--out", &arg(&backup)]);
    assert!(again.contains("already exists"), "{again}");

    // A person made after the backup reaches the hub, which is then restored from the backup.
    let store = arg(&setup.store);
    let person = ["--mahalla", "Navbahor", "--district", "Chilonzor", "--birth", "2011-07-08"];
    ok(&[&["person", "add", "--store", &store, "--last", "Keyinov", "--first", "Sardor"][..], &person[..]].concat());
    ok(&["device", "sync", "--store", &store]);
    let addr = setup.hub.addr;
    setup.hub.stop().unwrap();
    ok(&["hub", "restore", "--data", &arg(&setup.hub_dir), "--from", &arg(&backup)]);
    let hub_db = setup.hub_dir.join("hub.db");
    assert_eq!(people_on_hub(&setup.hub_dir, &hub_db, "Keyinov"), 0, "the restored store predates the late person");

    // The restored hub serves on the same address; the phone gives the late person back.
    let hub = start(ServeOptions::new(setup.hub_dir.clone(), addr)).unwrap();
    let synced = ok(&["device", "sync", "--store", &store]);
    assert!(!synced.contains("rejected"), "{synced}");
    hub.stop().unwrap();
    assert_eq!(people_on_hub(&setup.hub_dir, &hub_db, "Keyinov"), 1, "the restored hub got the late person back");
    assert_eq!(people_on_hub(&setup.hub_dir, &hub_db, MARKER), 1);
    common::report(&format!(
        "hub backup while serving: {size} B, no SQLite header, no marker, opens with the hub key; restored hub serves and got the late record back"
    ));
}
