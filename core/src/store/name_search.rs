//! Finding a person however an officer types the name: the words of the query are folded
//! loosely ([`sound_key`]: Ташматов for Тошматов, Bakhtiyor for Baxtiyor, passport Latin) and
//! compared with the folded name words kept in the `person_key` table, allowing one typo in a
//! long word. Results are ranked by closeness:
//!
//! 0. the exact, script-insensitive match of [`ListQuery::text`] (names, addresses, places);
//! 1. every query word is a name word, or the start of one, in the loose folding;
//! 2. and more: one typo per word costs one more, so fewer typos rank first.
//!
//! Within a rank, by name. Only the index is read (5,000 persons in a few milliseconds).

use super::index::{self, IndexRow, ListQuery};
use super::Store;
use crate::doc::scope_key;
use crate::error::Result;
use crate::model::{RecordKind, MERGED_STATUS};
use crate::text::{sound_key, within_one_edit};
use rusqlite::OptionalExtension;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// A folded query word of at least this many letters may match a name with one typo.
const TYPO_MIN_LEN: usize = 5;
/// A folded query word of at least this many letters may match the start of a name word.
const PREFIX_MIN_LEN: usize = 2;

/// What matching `word` against a person's name words costs: 0 for the same word, 1 for the
/// start of one, 2 for one typo; `None` when nothing matches.
fn word_cost<'a>(word: &str, name_words: impl Iterator<Item = &'a str>) -> Option<u32> {
    let typo_long = word.chars().count() >= TYPO_MIN_LEN;
    let prefix_long = word.chars().count() >= PREFIX_MIN_LEN;
    let mut best = None;
    for name in name_words {
        let cost = if name == word {
            0
        } else if prefix_long && name.starts_with(word) {
            1
        } else if typo_long && within_one_edit(word, name) {
            2
        } else {
            continue;
        };
        best = Some(best.map_or(cost, |b: u32| b.min(cost)));
        if cost == 0 {
            break;
        }
    }
    best
}

/// The closeness of a person's name words to the folded query words (lower is closer), or
/// `None`.
fn closeness(words: &[String], name_words: &str) -> Option<u32> {
    words.iter().map(|w| word_cost(w, super::merge::name_words(name_words))).sum::<Option<u32>>().map(|c| c + 1)
}

impl Store {
    /// Persons found by `query` (its `kind` is taken as persons), ranked by closeness of the
    /// name as typed, then by name; without text, the plain list. See the module notes.
    pub fn search_persons(&self, query: &ListQuery) -> Result<Vec<IndexRow>> {
        let query = ListQuery { kind: Some(RecordKind::Person), ..query.clone() };
        let limit = query.limit.unwrap_or(200) as usize;
        let text = query.text.as_deref().map(str::trim).unwrap_or_default();
        let words: Vec<String> = sound_key(text).split(' ').filter(|w| !w.is_empty()).map(String::from).collect();
        let exact = index::list(&self.conn, &query)?;
        if words.is_empty() || query.linked_to.is_some() {
            return Ok(exact);
        }
        let seen: HashSet<String> = exact.iter().map(|r| r.record_id.clone()).collect();
        let mut ranked: Vec<(u32, IndexRow)> = exact.into_iter().map(|r| (0, r)).collect();
        // The scan reads only `person_key` (a few pages); the index rows of the persons whose
        // names match are then read by id, the closest first, until the last rank taken is whole.
        let mut matches: Vec<(u32, String)> = Vec::new();
        {
            let mut stmt = self.conn.prepare_cached("SELECT record_id, names FROM person_key")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let (Ok(record_id), Ok(names)) = (row.get_ref(0)?.as_str(), row.get_ref(1)?.as_str()) else { continue };
                if let Some(cost) = closeness(&words, names).filter(|_| !seen.contains(record_id)) {
                    matches.push((cost, record_id.to_string()));
                }
            }
        }
        matches.sort_unstable();
        let mut sql = format!("SELECT {} FROM record_index WHERE record_id = ? AND kind = ?", index::COLUMNS);
        let mut filters: Vec<rusqlite::types::Value> = vec![RecordKind::Person.as_str().to_string().into()];
        if !query.include_merged {
            sql.push_str(" AND status <> ?");
            filters.push(MERGED_STATUS.to_string().into());
        }
        if let Some(mahalla) = &query.mahalla {
            sql.push_str(" AND scope = ?");
            filters.push(scope_key(mahalla).into());
        }
        if let Some(year) = query.birth_year {
            sql.push_str(" AND birth_year = ?");
            filters.push(i64::from(year).into());
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        for rank in matches.chunk_by(|a, b| a.0 == b.0) {
            if ranked.len() >= limit {
                break;
            }
            for (cost, record_id) in rank {
                let args = std::iter::once(rusqlite::types::Value::from(record_id.clone())).chain(filters.iter().cloned());
                if let Some(found) = stmt.query_row(rusqlite::params_from_iter(args), index::row).optional()? {
                    ranked.push((*cost, found));
                }
            }
        }
        ranked.sort_by(|(ca, a), (cb, b)| (ca, &a.title, &a.record_id).cmp(&(cb, &b.title, &b.record_id)));
        Ok(ranked.into_iter().take(limit).map(|(_, r)| r).collect())
    }

    /// Keys every person the index holds without a `person_key` row (a store migrated from
    /// before schema 15, whose keys the migrations dropped), reading each bucket once. One query, and
    /// nothing to do, on every later open.
    pub(super) fn key_unkeyed_persons(&mut self) -> Result<()> {
        let mut missing: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT r.record_id, r.doc_id FROM record_index r LEFT JOIN person_key n ON n.record_id = r.record_id WHERE r.kind = ?1 AND n.record_id IS NULL",
            )?;
            let mut rows = stmt.query([RecordKind::Person.as_str()])?;
            while let Some(row) = rows.next()? {
                missing.entry(row.get(1)?).or_default().insert(row.get(0)?);
            }
        }
        if !missing.is_empty() {
            self.key_persons(missing)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Person, PersonName};
    use crate::store::db::MIGRATIONS;
    use crate::{DeviceProfile, ListQuery, MemoryKeyProvider, Role, Store};

    fn person(last: &str, first: &str, cyrillic: Option<(&str, &str)>) -> Person {
        let mut p = Person {
            name_latn: PersonName { last: last.into(), first: first.into(), patronymic: String::new() },
            birth_date: "1990-05-01".parse().unwrap_or_default(),
            registered_on: "2025-01-10".parse().unwrap_or_default(),
            ..Default::default()
        };
        p.address.district = "Chilonzor".into();
        p.address.mahalla = "Navbahor".into();
        if let Some((last, first)) = cyrillic {
            p.name_cyrl = PersonName { last: last.into(), first: first.into(), patronymic: String::new() };
        }
        p
    }

    #[test]
    fn a_store_from_before_the_loose_keys_is_keyed_again_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let keys = MemoryKeyProvider::new();
        let path = dir.path().join("old.db");
        let profile = DeviceProfile { person: "Aziz".into(), role: Role::Inspector, scopes: vec!["Navbahor".into()] };
        let mut store = Store::create(&path, &keys, profile).unwrap();
        let a = person("Toshmatov", "Baxtiyor", Some(("Тошматов", "Бахтиёр")));
        let b = person("Tashmatov", "Bakhtiyor", None);
        store.put(&a).unwrap();
        store.put(&b).unwrap();
        assert_eq!(store.find_duplicates(None).unwrap().len(), 1, "the loose keys see one person twice");
        // As a store of schema 12 was: the old, exact keys (here: two names that differ) and
        // version 12.
        store
            .conn
            .execute_batch(&format!(
                "DROP TABLE person_key; {}
                 INSERT INTO duplicate_key SELECT record_id, '[[\"' || record_id || '\"],[],1,null,1]' FROM record_index;
                 PRAGMA user_version = 12;",
                MIGRATIONS[3]
            ))
            .unwrap();
        drop(store);
        let mut store = Store::open(&path, &keys).unwrap();
        let version: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, crate::store::db::SCHEMA_VERSION);
        let keyed: i64 = store.conn.query_row("SELECT count(*) FROM person_key", [], |r| r.get(0)).unwrap();
        assert_eq!(keyed, 2, "every person keyed again at open");
        assert_eq!(store.find_duplicates(None).unwrap().len(), 1);
        let found = store.search_persons(&ListQuery { text: Some("Ташматов".into()), ..Default::default() }).unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
    }

    /// A store of schema 13 (a `duplicate_key` and a `name_key` row per person) opens at the
    /// current schema with one `person_key` row per person, rebuilt from the documents: duplicates
    /// and name search find what they found before, and every record is still there.
    #[test]
    fn a_store_with_separate_duplicate_and_name_keys_is_keyed_once_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let keys = MemoryKeyProvider::new();
        let path = dir.path().join("v13.db");
        let profile = DeviceProfile { person: "Aziz".into(), role: Role::Inspector, scopes: vec!["Navbahor".into()] };
        let mut store = Store::create(&path, &keys, profile).unwrap();
        let persons = [
            person("Toshmatov", "Baxtiyor", Some(("Тошматов", "Бахтиёр"))),
            person("Tashmatov", "Bakhtiyor", None),
            person("Yusupova", "Dilnoza", Some(("Юсупова", "Дилноза"))),
        ];
        store.put_many(&persons).unwrap();
        let duplicates = store.find_duplicates(None).unwrap();
        assert_eq!(duplicates.len(), 1);
        let query = ListQuery { text: Some("Ташматов".into()), ..Default::default() };
        let found = store.search_persons(&query).unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        // As schema 13 left it: both tables (made by their own migrations) filled, version 13.
        store.conn.execute_batch(&format!("DROP TABLE person_key; {} {}", MIGRATIONS[3], MIGRATIONS[12])).unwrap();
        for p in &persons {
            let id = p.id.to_string();
            store.conn.execute("INSERT INTO duplicate_key (record_id, key) VALUES (?1, '[[\"x\"],[],738000,null,739000]')", [&id]).unwrap();
            store.conn.execute("INSERT INTO name_key (record_id, words) VALUES (?1, 'x')", [&id]).unwrap();
        }
        store.conn.execute_batch("PRAGMA user_version = 13").unwrap();
        drop(store);

        let mut store = Store::open(&path, &keys).unwrap();
        let version: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, crate::store::db::SCHEMA_VERSION);
        let old_tables: i64 = store.conn.query_row("SELECT count(*) FROM sqlite_master WHERE name IN ('duplicate_key', 'name_key')", [], |r| r.get(0)).unwrap();
        assert_eq!(old_tables, 0, "the old tables are gone");
        let keyed: i64 = store.conn.query_row("SELECT count(*) FROM person_key", [], |r| r.get(0)).unwrap();
        assert_eq!(keyed, 3, "every person keyed again at open");
        assert_eq!(store.find_duplicates(None).unwrap(), duplicates);
        assert_eq!(store.search_persons(&query).unwrap(), found);
        let everyone = store.list(&ListQuery { limit: Some(u32::MAX), ..Default::default() }).unwrap();
        assert_eq!(everyone.len(), 3);
        for p in &persons {
            assert_eq!(store.get::<Person>(&p.id).unwrap().record, *p, "the record is as it was");
        }
    }
}
