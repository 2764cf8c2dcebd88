//! The store on real SQLite files: persistence across reopen, index in step with documents,
//! typed errors for bad input, encryption at rest.

use crate::common;

use common::{device, send, state};
use suhbat_core::sample::SampleData;
use suhbat_core::*;

fn filled_store(dir: &std::path::Path, keys: &MemoryKeyProvider) -> (Store, Vec<RecordId>) {
    let mut store = device(dir, "aziz", keys);
    let mut data = SampleData::new(11);
    let mut ids = Vec::new();
    for i in 0..30 {
        let person = data.person(if i % 2 == 0 { "Navbahor" } else { "Qatortol" }, 2025);
        store.put(&person).unwrap();
        let talk = data.conversation(&person, 2025);
        store.put(&talk).unwrap();
        ids.push(person.id.clone());
        ids.push(talk.id.clone());
    }
    let case = data.parent_case("Navbahor", 2025);
    store.put(&case).unwrap();
    ids.push(case.id);
    (store, ids)
}

#[test]
fn reopening_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let (mut store, ids) = filled_store(dir.path(), &keys);
    let before = state(&mut store);
    let device_id = store.device().device_id.clone();
    drop(store);
    let mut reopened = Store::open(dir.path().join("aziz.db"), &keys).unwrap();
    assert_eq!(reopened.device().device_id, device_id);
    assert_eq!(state(&mut reopened), before);
    assert_eq!(before.0.len(), ids.len());
    reopened.check_integrity().unwrap();
    // Compaction keeps the same state and shrinks the chunk count.
    reopened.compact().unwrap();
    reopened.evict_cache();
    assert_eq!(state(&mut reopened), before);
}

#[test]
fn index_rows_match_the_documents() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let (mut store, _) = filled_store(dir.path(), &keys);
    let rows = store.list(&ListQuery { limit: Some(1000), ..Default::default() }).unwrap();
    assert_eq!(rows.len(), 61);
    for row in rows {
        let id = RecordId::parse(&row.record_id).unwrap();
        let raw = store.get_raw(&id).unwrap();
        assert_eq!(raw.kind, row.kind);
        match row.kind {
            RecordKind::Person => {
                let p = store.get::<Person>(&id).unwrap().record;
                assert_eq!(row.title, p.display_name());
                assert_eq!(row.birth_year, Some(chrono::Datelike::year(&p.birth_date)));
                assert_eq!(row.scope, scope_key(&p.address.mahalla));
            }
            RecordKind::Conversation => {
                let c = store.get::<Conversation>(&id).unwrap().record;
                assert_eq!(row.due_on, c.agreed_actions.values().filter_map(|a| a.due).chain(c.next_follow_up).min());
            }
            RecordKind::ParentCase => {
                let k = store.get::<ParentCase>(&id).unwrap().record;
                assert_eq!(row.status, "scanning");
                assert!(row.title.contains(&k.guardians.values().next().unwrap().name));
            }
            other => panic!("the filled store holds no {other}"),
        }
    }
}

#[test]
fn search_is_script_and_apostrophe_insensitive() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = device(dir.path(), "aziz", &keys);
    let mut person = SampleData::new(1).person("Navbahor", 2025);
    person.name_latn = PersonName { last: "G‘afurov".into(), first: "Sherzod".into(), patronymic: String::new() };
    person.name_cyrl = PersonName::default();
    store.put(&person).unwrap();
    for query in ["gafurov", "G'afurov", "Ғафуров", "ГАФУРОВ ШЕРЗОД", "sherzod g‘af"] {
        let rows = store.list(&ListQuery { text: Some(query.into()), kind: Some(RecordKind::Person), ..Default::default() }).unwrap();
        assert_eq!(rows.len(), 1, "query {query}");
    }
    let by_mahalla = store.list(&ListQuery { mahalla: Some("НАВБАҲОР".into()), ..Default::default() }).unwrap();
    assert_eq!(by_mahalla.len(), 1);
    let year = chrono::Datelike::year(&person.birth_date);
    assert_eq!(store.list(&ListQuery { birth_year: Some(year), ..Default::default() }).unwrap().len(), 1);
    assert!(store.list(&ListQuery { birth_year: Some(year + 1), ..Default::default() }).unwrap().is_empty());
}

#[test]
fn conversations_are_found_through_their_person() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let (store, ids) = filled_store(dir.path(), &keys);
    let talks = store.list(&ListQuery { linked_to: Some(ids[0].to_string()), ..Default::default() }).unwrap();
    assert_eq!(talks.len(), 1);
    assert_eq!(talks[0].record_id, ids[1].to_string());
}

#[test]
fn unknown_ids_and_wrong_kinds_are_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let (mut store, ids) = filled_store(dir.path(), &keys);
    assert!(matches!(store.get::<Person>(&RecordId::new()), Err(Error::NotFound(_))));
    assert!(matches!(store.get::<ParentCase>(&ids[0]), Err(Error::WrongKind { .. })));
    assert!(matches!(store.resolve_conflict(&ids[0], "birth_date", &serde_json::json!("2000-01-01")), Err(Error::NoSuchConflict { .. })));
    assert!(matches!(store.resolve_conflict(&RecordId::new(), "x", &serde_json::json!(1)), Err(Error::NotFound(_))));
    assert!(RecordId::parse("not-an-id").is_none());
}

#[test]
fn corrupt_and_truncated_bundles_are_refused_without_changes() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let (mut source, _) = filled_store(dir.path(), &keys);
    let bundle = source.export_bundle(None).unwrap();
    let mut target = device(dir.path(), "other", &keys);
    let empty = state(&mut target);

    for cut in [0, 3, 9, 20, bundle.len() / 2, bundle.len() - 1] {
        let err = target.import_bundle(&bundle[..cut]).unwrap_err();
        assert!(matches!(err, Error::Malformed(_)), "cut at {cut}: {err:?}");
    }
    // Flip bytes inside the Automerge payload: a typed document error, never a panic.
    let mut refused = 0;
    for i in (40..bundle.len()).step_by(97) {
        let mut bad = bundle.clone();
        bad[i] ^= 0x5a;
        if target.import_bundle(&bad).is_err() {
            refused += 1;
        } else {
            // A flip that still decodes must leave a consistent store.
            target.check_integrity().unwrap();
        }
    }
    assert!(refused > 0);
    let mut fresh = device(dir.path(), "fresh", &keys);
    assert_eq!(state(&mut fresh).0, empty.0);
    assert!(matches!(fresh.import_bundle(b"garbage"), Err(Error::Malformed(_))));
    let summary = source.summary().unwrap().encode();
    assert!(matches!(fresh.import_bundle(&summary), Err(Error::Malformed(wire::WireError::WrongKind { .. }))));
    assert!(matches!(Summary::decode(&summary[..summary.len() - 2]), Err(wire::WireError::Truncated { .. })));
    // The real bundle still imports cleanly.
    fresh.import_bundle(&bundle).unwrap();
    assert_eq!(state(&mut fresh).0, state(&mut source).0);
}

#[test]
fn bundle_with_a_foreign_document_id_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = device(dir.path(), "a", &keys);
    let mut w = common::bundle_body(&store, 1);
    w.str("../../etc/passwd").bytes(b"x");
    let bytes = common::sealed(&store, w);
    assert!(matches!(store.import_bundle(&bytes), Err(Error::Malformed(wire::WireError::Invalid { .. }))));
}

#[test]
fn the_file_is_encrypted_and_needs_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = device(dir.path(), "aziz", &keys);
    let mut person = SampleData::new(3).person("Navbahor", 2025);
    person.notes = "MARKER-7f3a-very-sensitive".into();
    store.put(&person).unwrap();
    drop(store);
    let path = dir.path().join("aziz.db");
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    for suffix in ["", "-wal", "-shm"] {
        if let Ok(content) = std::fs::read(format!("{}{suffix}", path.display())) {
            assert!(!content.windows(26).any(|w| w == b"MARKER-7f3a-very-sensitive"), "marker found in {suffix}");
        }
    }
    let other_keys = MemoryKeyProvider::new();
    assert!(matches!(Store::open(&path, &other_keys), Err(Error::WrongKey)));
    Store::open(&path, &keys).unwrap();
}

#[test]
fn truncated_store_file_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let (store, _) = filled_store(dir.path(), &keys);
    drop(store);
    let path = dir.path().join("aziz.db");
    // Fold the WAL in, then cut the file.
    {
        let s = Store::open(&path, &keys).unwrap();
        drop(s);
    }
    let bytes = std::fs::read(&path).unwrap();
    let _ = std::fs::remove_file(format!("{}-wal", path.display()));
    let _ = std::fs::remove_file(format!("{}-shm", path.display()));
    std::fs::write(&path, &bytes[..bytes.len().min(100)]).unwrap();
    match Store::open(&path, &keys) {
        Err(Error::WrongKey | Error::Corrupt(_) | Error::Sqlite(_) | Error::NotInitialised) => {}
        Err(other) => panic!("unexpected error {other:?}"),
        Ok(_) => panic!("a truncated store must not open"),
    }
}

#[test]
fn audit_chain_records_every_change_without_names() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let (mut a, _) = filled_store(dir.path(), &keys);
    let mut b = device(dir.path(), "b", &keys);
    send(&mut a, &mut b);
    let report = a.verify_audit().unwrap();
    assert_eq!(report.entries, 62, "store creation plus 61 puts");
    assert_eq!(a.verify_access_log().unwrap().entries, 61, "the 61 records the bundle took out (who saw what)");
    assert_eq!(report.first_broken, None);
    let notes_docs = b.summary().unwrap().docs.keys().filter(|d| d.contains("/notes-")).count() as u64;
    assert!(notes_docs > 0);
    assert_eq!(b.verify_audit().unwrap().entries, 62 + notes_docs, "creation plus 61 imported records, plus one entry per notes document");
}

#[test]
fn a_second_create_on_the_same_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    device(dir.path(), "a", &keys);
    let again = Store::create(dir.path().join("a.db"), &keys, common::profile("x", Role::Seven));
    assert!(matches!(again, Err(Error::Corrupt(_))));
    assert!(matches!(Store::open(dir.path().join("missing.db"), &keys), Err(Error::Io(_))));
}

#[test]
fn upkeep_compacts_a_first_provisioning_once_and_again_after_growth() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let profile = DeviceProfile { person: "Aziz".into(), role: Role::Inspector, scopes: vec![] };
    let mut store = Store::create(dir.path().join("district.db"), &keys, profile).unwrap();
    let mut data = SampleData::new(12);
    let mut put = |store: &mut Store, count: usize, mahalla: usize| {
        let persons: Vec<Person> = (0..count).map(|_| data.person(&format!("Mahalla {mahalla}"), 2026)).collect();
        store.put_many(&persons).unwrap();
    };
    for mahalla in 0..3 {
        put(&mut store, 100, mahalla);
    }
    assert!(!store.tidy_due().unwrap(), "a small store never compacted is left alone");
    for mahalla in 3..8 {
        put(&mut store, 250, mahalla);
    }
    let before = state(&mut store);
    let grown = store.stats().unwrap().file_bytes;
    assert!(grown >= 1 << 20, "{grown} bytes: over the first threshold");
    assert!(store.tidy().unwrap(), "a first provisioning's size is compacted");
    let packed = store.stats().unwrap().file_bytes;
    assert!(packed < grown, "{packed} < {grown}");
    assert!(!store.tidy().unwrap(), "nothing to do right after");
    put(&mut store, 25, 8);
    assert!(!store.tidy_due().unwrap(), "grown by less than a quarter");
    for mahalla in 9..12 {
        put(&mut store, 250, mahalla);
    }
    assert!(store.tidy().unwrap(), "grown by a quarter");
    store.evict_cache();
    let after = state(&mut store);
    assert_eq!(after.0.len(), before.0.len() + 25 + 3 * 250, "compaction keeps every record");
    assert!(before.0.iter().all(|row| after.0.contains(row)));
    store.check_integrity().unwrap();
    assert_eq!(store.verify_audit().unwrap().first_broken, None);
}

#[test]
fn a_bulk_write_is_a_change_per_hundred_records_and_reads_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = device(dir.path(), "aziz", &keys);
    let mut data = SampleData::new(13);
    let persons: Vec<Person> = (0..250).map(|i| Person { notes: format!("Note {i}: met at the school gate."), ..data.person("Navbahor", 2026) }).collect();
    assert_eq!(store.put_many(&persons).unwrap(), 250);
    // A load rebuilds every change whole: no change holds more than a hundred records.
    assert_eq!(store.history_changes(&persons[0].id).unwrap(), 3, "250 records: changes of 100, 100 and 50");
    let before = state(&mut store);
    drop(store);
    let mut reopened = Store::open(dir.path().join("aziz.db"), &keys).unwrap();
    assert_eq!(state(&mut reopened), before);
    for person in &persons {
        assert_eq!(&reopened.get::<Person>(&person.id).unwrap().record, person);
    }
    assert_eq!(reopened.verify_audit().unwrap().first_broken, None);
}
