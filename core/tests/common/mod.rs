//! Helpers shared by the core's integration tests: real store files in temp dirs.
#![allow(dead_code)]

pub mod harness;

use std::path::Path;
use suhbat_core::*;

pub fn profile(person: &str, role: Role) -> DeviceProfile {
    DeviceProfile { person: person.into(), role, scopes: vec!["Navbahor".into(), "Qatortol".into()] }
}

pub fn device(dir: &Path, name: &str, keys: &dyn KeyProvider) -> Store {
    Store::create(dir.join(format!("{name}.db")), keys, profile(name, Role::Inspector)).expect("create store")
}

/// Sends everything `from` has that `to` lacks, the way two phones would with bundles.
pub fn send(from: &mut Store, to: &mut Store) -> ImportReport {
    let summary = to.summary().unwrap();
    let bundle = from.export_bundle(Some(&summary)).unwrap();
    to.import_bundle(&bundle).unwrap()
}

/// A record's id, winning values and (conflict path, number of values) pairs.
pub type RecordState = (String, serde_json::Value, Vec<(String, usize)>);

/// Full state of a replica: every record's winning values and conflicts, plus bucket heads.
pub fn state(store: &mut Store) -> (Vec<RecordState>, Summary) {
    let rows = store.list(&ListQuery { limit: Some(100_000), ..Default::default() }).unwrap();
    let mut out = Vec::new();
    for row in rows {
        let raw = store.get_raw(&RecordId::parse(&row.record_id).unwrap()).unwrap();
        let conflicts = raw.conflicts.iter().map(|c| (c.path.clone(), c.values.len())).collect();
        out.push((row.record_id, raw.value, conflicts));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    (out, store.summary().unwrap())
}

/// Rewrites a meta value inside an encrypted store file, the way a tampered app could.
pub fn tamper_meta(path: &Path, keys: &dyn KeyProvider, key: &str, value: &str) {
    let raw = keys.get_or_create_key(&key_id_for(path)).unwrap();
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(raw.as_ref()))).unwrap();
    conn.execute("UPDATE meta SET value = ?2 WHERE key = ?1", [key, value]).unwrap();
}

/// The key provider of a harness network's stores.
pub fn harness_keys(net: &harness::Network) -> &'static MemoryKeyProvider {
    net.keys
}
