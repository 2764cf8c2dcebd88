//! The CLI side of the hub's hardening: secret files are owner-only and a planted readable key
//! file is refused with the fix; `suhbat hub rotate-cert` moves enrolled devices to the new
//! authority at their next sync.
#![cfg(unix)]

use crate::common;

use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use suhbat_hub::{start, ServeOptions, HUB_CA_SETTING};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn only_file(dir: &Path) -> std::path::PathBuf {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "key")).unwrap()
}

#[test]
fn secret_files_are_owner_only_and_a_readable_key_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let setup = enrolled_device(dir.path(), "aziz", "Marker");
    setup.hub.stop().unwrap();
    for file in ["hub.db", "tls/ca.key", "tls/server.key"] {
        assert_eq!(mode(&setup.hub_dir.join(file)), 0o600, "{file}");
    }
    for folder in ["", "keys", "tls"] {
        assert_eq!(mode(&setup.hub_dir.join(folder)), 0o700, "hub folder {folder:?}");
    }
    assert_eq!(mode(&setup.store), 0o600, "device store");

    let device_key = only_file(&dir.path().join(".suhbat-keys"));
    std::fs::set_permissions(&device_key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let refused = fails(&["device", "sync", "--store", &arg(&setup.store)]);
    assert!(refused.contains(&arg(&device_key)) && refused.contains("chmod 600"), "{refused}");

    let hub_key = only_file(&setup.hub_dir.join("keys"));
    std::fs::set_permissions(&hub_key, std::fs::Permissions::from_mode(0o640)).unwrap();
    let refused = fails(&["hub", "devices", "--data", &arg(&setup.hub_dir)]);
    assert!(refused.contains(&arg(&hub_key)) && refused.contains("chmod 600"), "{refused}");

    let tls_key = setup.hub_dir.join("tls/ca.key");
    std::fs::set_permissions(&hub_key, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::set_permissions(&tls_key, std::fs::Permissions::from_mode(0o604)).unwrap();
    let refused = start(ServeOptions::new(setup.hub_dir.clone(), "127.0.0.1:0".parse().unwrap())).err().expect("a readable CA key is refused").to_string();
    assert!(refused.contains(&arg(&tls_key)) && refused.contains("chmod 600"), "{refused}");
}

#[test]
fn rotate_cert_moves_enrolled_devices_to_the_new_authority() {
    let dir = tempfile::tempdir().unwrap();
    let setup = enrolled_device(dir.path(), "aziz", "Marker");
    let addr = setup.hub.addr;
    let old_ca = std::fs::read_to_string(setup.hub_dir.join("tls/ca.pem")).unwrap();
    setup.hub.stop().unwrap();
    let rotated = ok(&["hub", "rotate-cert", "--data", &arg(&setup.hub_dir)]);
    let new_ca = std::fs::read_to_string(setup.hub_dir.join("tls/ca.pem")).unwrap();
    assert_ne!(new_ca, old_ca);
    assert!(rotated.contains(&suhbat_hub::ca_fingerprint(&new_ca).unwrap()), "{rotated}");

    let hub = start(ServeOptions::new(setup.hub_dir.clone(), addr)).unwrap();
    ok(&["device", "sync", "--store", &arg(&setup.store)]);
    let store = suhbat_core::Store::open(&setup.store, &device_keys(&setup.store)).unwrap();
    assert_eq!(store.setting(HUB_CA_SETTING).unwrap().as_deref(), Some(new_ca.as_str()), "the device now pins the new authority");
    drop(store);
    ok(&["device", "sync", "--store", &arg(&setup.store)]);
    hub.stop().unwrap();
}
