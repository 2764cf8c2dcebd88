//! Data at rest: no plaintext in any store file, a damaged file is a typed error (never
//! garbage, never a panic), and a wipe destroys the key and every file.

use crate::common;

use common::harness::Network;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use suhbat_core::sample::SampleData;
use suhbat_core::*;

const MARKER: &str = "MARKER-a71c-plaintext-check";

/// The store files that exist beside `db` (the database, its WAL and shared memory).
fn store_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", "-journal"].iter().map(|s| PathBuf::from(format!("{}{s}", db.display()))).filter(|p| p.exists()).collect()
}

/// Fails if a file holds the SQLite plaintext header or `needle`; returns the bytes scanned.
fn assert_no_plaintext(file: &Path, needle: &str) -> usize {
    let bytes = std::fs::read(file).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"), "{} is a plaintext SQLite file", file.display());
    assert!(!bytes.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} found in {}", file.display());
    bytes.len()
}

fn person_with_marker(data: &mut SampleData) -> Person {
    let mut person = data.person("Navbahor", 2025);
    person.notes = format!("{MARKER} lives with grandmother");
    person.address.street = MARKER.into();
    person
}

#[test]
fn the_marker_is_in_no_store_file_while_open_or_after_close() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = common::device(dir.path(), "aziz", &keys);
    let mut data = SampleData::new(21);
    let batch: Vec<Person> = (0..200).map(|_| person_with_marker(&mut data)).collect();
    store.put_many(&batch).unwrap();
    store.put(&person_with_marker(&mut data)).unwrap();
    let path = store.path().to_path_buf();
    // While open the newest pages sit in the WAL: it must be encrypted too.
    let open_files = store_files(&path);
    assert!(open_files.iter().any(|f| f.to_string_lossy().ends_with("-wal")), "WAL mode keeps a -wal file while open");
    let open_bytes: usize = open_files.iter().map(|f| assert_no_plaintext(f, MARKER)).sum();
    drop(store);
    let closed_files = store_files(&path);
    let closed_bytes: usize = closed_files.iter().map(|f| assert_no_plaintext(f, MARKER)).sum();
    common::report(&format!(
        "at rest: {} file(s) / {open_bytes} B while open, {} file(s) / {closed_bytes} B after close: no SQLite header, no marker",
        open_files.len(),
        closed_files.len()
    ));
    assert!(matches!(Store::open(&path, &MemoryKeyProvider::new()), Err(Error::WrongKey)));
    assert_eq!(Store::open(&path, &keys).unwrap().list(&ListQuery { limit: Some(1000), ..Default::default() }).unwrap().len(), 201);
}

/// Opens a copy of a store and reads all of it; `Ok` only when every read succeeded.
fn open_and_read_everything(path: &Path, keys: &dyn KeyProvider) -> Result<(Vec<common::RecordState>, Summary)> {
    let mut store = Store::open(path, keys)?;
    store.check_integrity()?;
    let report = store.verify_audit()?;
    assert_eq!(report.first_broken, None, "an audit chain that reads must be intact");
    let rows = store.list(&ListQuery { limit: Some(100_000), ..Default::default() })?;
    let mut out = Vec::new();
    for row in rows {
        let raw = store.get_raw(&RecordId::parse(&row.record_id).ok_or_else(|| Error::NotFound(row.record_id.clone()))?)?;
        out.push((row.record_id, raw.value, raw.conflicts.iter().map(|c| (c.path.clone(), c.values.len())).collect()));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((out, store.summary()?))
}

#[test]
fn a_flipped_byte_in_any_page_is_a_typed_error_never_garbage() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = common::device(dir.path(), "aziz", &keys);
    let mut data = SampleData::new(22);
    for _ in 0..40 {
        let person = data.person("Navbahor", 2025);
        store.put(&person).unwrap();
        store.put(&data.conversation(&person, 2025)).unwrap();
    }
    store.vacuum().unwrap(); // no free pages: every page of the file holds live data
    let path = store.path().to_path_buf();
    drop(store);
    let original = std::fs::read(&path).unwrap();
    let expected = open_and_read_everything(&path, &keys).unwrap();
    const PAGE: usize = 4096;
    let pages = original.len() / PAGE;
    let mut rng = StdRng::seed_from_u64(7);
    // Page 1's salt, header and reserved tail, then one random byte in every page.
    let mut offsets: Vec<usize> = vec![0, 15, 16, 100, PAGE - 80, PAGE - 1];
    offsets.extend((0..pages).map(|p| p * PAGE + rng.gen_range(0..PAGE)));
    let (mut wrong_key, mut corrupt_at_open, mut corrupt_on_read) = (0, 0, 0);
    for (i, offset) in offsets.iter().enumerate() {
        let copy_dir = dir.path().join(format!("copy{i}"));
        std::fs::create_dir(&copy_dir).unwrap();
        let copy = copy_dir.join("aziz.db"); // same file name: same key id in the provider
        let mut bytes = original.clone();
        bytes[*offset] ^= 1 << rng.gen_range(0..8);
        std::fs::write(&copy, &bytes).unwrap();
        let opened = Store::open(&copy, &keys).map(drop);
        match (opened, open_and_read_everything(&copy, &keys)) {
            (Err(Error::WrongKey), _) => wrong_key += 1,
            (Err(Error::Corrupt(_)), _) => corrupt_at_open += 1,
            (Ok(()), Err(Error::Corrupt(_))) => corrupt_on_read += 1,
            (Ok(()), Ok(state)) => panic!("byte {offset} flipped and every read succeeded (same data: {})", state == expected),
            (opened, read) => panic!("byte {offset}: untyped error: open {opened:?}, read {:?}", read.err()),
        }
    }
    common::report(&format!(
        "tampered file: {} flips over {pages} pages of {PAGE} B -> {wrong_key} wrong-key at open, {corrupt_at_open} corrupt at open, {corrupt_on_read} corrupt on read, 0 garbage, 0 panics",
        offsets.len()
    ));
    // SQLCipher reads a page whose HMAC fails as zeros without failing the query, so the
    // store checks every page's HMAC when it opens: every flip is caught there.
    assert!(corrupt_at_open > 0 && wrong_key > 0);
}

/// A key provider that records what is asked of it.
#[derive(Default)]
struct SpyKeys {
    inner: MemoryKeyProvider,
    created_or_read: Mutex<BTreeSet<String>>,
    destroyed: Mutex<Vec<String>>,
}

impl KeyProvider for SpyKeys {
    fn get_or_create_key(&self, key_id: &str) -> Result<DbKey, KeyError> {
        self.created_or_read.lock().unwrap().insert(key_id.to_string());
        self.inner.get_or_create_key(key_id)
    }

    fn destroy_key(&self, key_id: &str) -> Result<(), KeyError> {
        self.destroyed.lock().unwrap().push(key_id.to_string());
        self.inner.destroy_key(key_id)
    }
}

/// Wipes `store` through `spy` and checks the key was destroyed and no file is left; a copy of
/// the file taken before the wipe can no longer be read.
fn wipe_and_check(store: Store, spy: &SpyKeys) {
    let path = store.path().to_path_buf();
    let before: Vec<PathBuf> = store_files(&path);
    let saved = path.with_file_name("saved").join(path.file_name().unwrap());
    std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
    for file in &before {
        std::fs::copy(file, saved.with_file_name(file.file_name().unwrap())).unwrap();
    }
    store.wipe(spy).unwrap();
    assert_eq!(*spy.destroyed.lock().unwrap(), [key_id_for(&path)], "the wipe destroys exactly this store's key");
    assert!(store_files(&path).is_empty(), "files left after the wipe: {:?}", store_files(&path));
    assert!(matches!(Store::open(&path, spy), Err(Error::Io(_))));
    assert!(matches!(Store::open(&saved, spy), Err(Error::WrongKey)), "a copy taken before the wipe is unreadable");
    common::report(&format!("wipe: key {} destroyed, {} file(s) deleted, an earlier copy of the file is unreadable", key_id_for(&path), before.len()));
}

#[test]
fn wipe_destroys_the_key_and_deletes_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let spy = SpyKeys::default();
    let mut store = common::device(dir.path(), "aziz", &spy);
    store.put(&person_with_marker(&mut SampleData::new(23))).unwrap();
    assert!(spy.created_or_read.lock().unwrap().contains(&key_id_for(store.path())));
    wipe_and_check(store, &spy);
}

#[test]
fn a_revoked_device_is_ordered_to_wipe_and_its_files_are_gone() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector], 24);
    net.devices[0].put(&person_with_marker(&mut SampleData::new(24))).unwrap();
    net.settle();
    let device_id = net.devices[0].device().device_id.clone();
    assert!(net.hub.revoke(&device_id).unwrap());
    match net.sync(0) {
        Err(Error::Refused { code, wipe: true, .. }) => assert_eq!(code, "revoked"),
        other => panic!("expected a wipe order, got {other:?}"),
    }
    // What a shell does on that order (the CLI's `device sync` does it too, see cli/tests).
    let store = net.devices.remove(0);
    let path = store.path().to_path_buf();
    let raw = net.keys.get_or_create_key(&key_id_for(&path)).unwrap();
    store.wipe(net.keys).unwrap();
    assert!(store_files(&path).is_empty());
    assert_ne!(*raw, *net.keys.get_or_create_key(&key_id_for(&path)).unwrap(), "the old key is gone from the provider");
    common::report(&format!("hub-ordered wipe: refused with wipe=true, key destroyed, {} file(s) left", store_files(&path).len()));
}

#[test]
fn a_flipped_byte_in_the_wal_falls_back_to_an_earlier_state_never_garbage() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = common::device(dir.path(), "aziz", &keys);
    let mut data = SampleData::new(25);
    store.put(&data.person("Navbahor", 2025)).unwrap();
    store.compact().unwrap(); // the first record is in the main file, the rest only in the WAL
    for _ in 0..20 {
        store.put(&data.person("Navbahor", 2025)).unwrap();
    }
    // A crash snapshot: the files as they are while the store is open.
    let path = store.path().to_path_buf();
    let db = std::fs::read(&path).unwrap();
    let wal = std::fs::read(format!("{}-wal", path.display())).unwrap();
    drop(store);
    let mut rng = StdRng::seed_from_u64(8);
    let (mut full, mut earlier, mut refused) = (0, 0, 0);
    for i in 0..40 {
        let copy_dir = dir.path().join(format!("wal{i}"));
        std::fs::create_dir(&copy_dir).unwrap();
        let copy = copy_dir.join("aziz.db");
        std::fs::write(&copy, &db).unwrap();
        let mut bytes = wal.clone();
        let offset = if i == 0 { 3 } else { rng.gen_range(0..bytes.len()) };
        bytes[offset] ^= 1 << rng.gen_range(0..8);
        std::fs::write(format!("{}-wal", copy.display()), &bytes).unwrap();
        match open_and_read_everything(&copy, &keys) {
            Ok((records, _)) if records.len() == 21 => full += 1,
            Ok((records, _)) => {
                assert!(!records.is_empty() && records.len() < 21);
                earlier += 1;
            }
            Err(Error::Corrupt(_) | Error::WrongKey) => refused += 1,
            Err(other) => panic!("WAL byte {offset}: untyped error {other:?}"),
        }
    }
    common::report(&format!(
        "tampered WAL: 40 flips -> {earlier} opened at an earlier consistent state (SQLite drops WAL frames from the damaged one on), {full} with everything (flip in an unused byte), {refused} refused; 0 garbage, 0 panics"
    ));
    assert_eq!(full + earlier + refused, 40);
}
