//! Two connections to one store file, as when `suhbat device live` runs beside other `suhbat`
//! commands: each writes on what the other committed, so no edit is written over, even when
//! a write compacts the document into one snapshot.

use crate::common;

use common::device;
use suhbat_core::sample::SampleData;
use suhbat_core::*;

/// More writes per connection than a document takes before it is compacted into a snapshot.
const WRITES_EACH: usize = 80;

#[test]
fn two_connections_writing_turn_about_lose_nothing_through_compaction() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut first = device(dir.path(), "aziz", &keys);
    let path = first.path().to_path_buf();
    let mut second = Store::open(&path, &keys).unwrap();
    let mut data = SampleData::new(7);
    let mut written = Vec::new();
    for round in 0..WRITES_EACH {
        for store in [&mut first, &mut second] {
            let person = data.person("Navbahor", 2025);
            store.put(&person).unwrap_or_else(|e| panic!("round {round}: {e}"));
            written.push(person.id.clone());
        }
    }
    // Each connection reads the other's writes, and so does a third one opened afterwards.
    let mut third = Store::open(&path, &keys).unwrap();
    for (name, store) in [("first", &mut first), ("second", &mut second), ("third", &mut third)] {
        let missing: Vec<_> = written.iter().filter(|id| store.get::<Person>(id).is_err()).collect();
        assert!(missing.is_empty(), "{name} misses {} of {} persons: {missing:?}", missing.len(), written.len());
    }
    third.check_integrity().unwrap();
    println!("shared file: {} persons written turn about by two connections, all read back by three", written.len());
}

#[test]
fn an_edit_on_one_connection_keeps_the_field_the_other_just_changed() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut first = device(dir.path(), "aziz", &keys);
    let mut data = SampleData::new(8);
    let person = data.person("Navbahor", 2025);
    first.put(&person).unwrap();
    // The second connection holds the document in memory before the first edits it.
    let mut second = Store::open(first.path(), &keys).unwrap();
    assert_eq!(second.get::<Person>(&person.id).unwrap().record.address, person.address);
    first.update::<Person>(&person.id, |p| p.address.house = "12".into()).unwrap();
    second.update::<Person>(&person.id, |p| p.environment.friends = "the football club".into()).unwrap();
    let mut reopened = Store::open(first.path(), &keys).unwrap();
    let stored = reopened.get::<Person>(&person.id).unwrap().record;
    assert_eq!(stored.address.house, "12", "the first connection's edit was written over");
    assert_eq!(stored.environment.friends, "the football club");
    assert!(reopened.conflicts().unwrap().is_empty(), "one writer's edits in turn are not a conflict");
}

#[test]
fn a_store_counts_the_writes_another_connection_made() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut first = device(dir.path(), "aziz", &keys);
    let mut second = Store::open(first.path(), &keys).unwrap();
    let before = first.outside_writes().unwrap();
    first.put(&SampleData::new(9).person("Navbahor", 2025)).unwrap();
    assert_eq!(first.outside_writes().unwrap(), before, "its own writes are not outside writes");
    second.put(&SampleData::new(10).person("Navbahor", 2025)).unwrap();
    assert_eq!(first.outside_writes().unwrap(), before + 1);
}
