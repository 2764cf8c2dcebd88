//! Secrets on disk are owner-only: key files, stores (with their -wal/-shm) and backups are
//! created 0600 whatever the umask says, key folders 0700, and a key file that other users can
//! read is refused with the file and the fix named.
#![cfg(unix)]

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use suhbat_core::*;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn new_keys_stores_and_backups_are_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let keys = FileKeyProvider::new(dir.path().join("keys"));
    let store = common::device(dir.path(), "aziz", &keys);
    assert_eq!(mode(&dir.path().join("keys")), 0o700, "key folder");
    let key_file = std::fs::read_dir(dir.path().join("keys")).unwrap().next().unwrap().unwrap().path();
    assert_eq!(mode(&key_file), 0o600, "{}", key_file.display());
    let db = store.path().to_path_buf();
    for file in [db.clone(), db.with_extension("db-wal"), db.with_extension("db-shm")] {
        assert!(file.exists(), "{} exists", file.display());
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    let backup = dir.path().join("copy.db");
    store.backup_to(&backup).unwrap();
    assert_eq!(mode(&backup), 0o600, "backup");
    drop(store);
    // A backup someone made readable is still put back as an owner-only store.
    std::fs::set_permissions(&backup, std::fs::Permissions::from_mode(0o644)).unwrap();
    Store::restore_backup(&db, &backup, &keys).unwrap();
    assert_eq!(mode(&db), 0o600, "restored store");
    Store::open(&db, &keys).unwrap();
}

#[test]
fn a_key_file_others_can_read_is_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let keys = FileKeyProvider::new(dir.path().join("keys"));
    let store = common::device(dir.path(), "aziz", &keys);
    let db = store.path().to_path_buf();
    drop(store);
    let key_file = std::fs::read_dir(dir.path().join("keys")).unwrap().next().unwrap().unwrap().path();
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let refused = Store::open(&db, &keys).err().expect("a 0644 key file is refused").to_string();
    assert!(refused.contains(&key_file.display().to_string()), "names the file: {refused}");
    assert!(refused.contains("chmod 600"), "names the fix: {refused}");
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    Store::open(&db, &keys).unwrap();
}
