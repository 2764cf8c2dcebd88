//! Duplicate persons: finding likely duplicates, and a reversible merge that keeps both
//! histories.
//!
//! A merge never deletes or moves anything. The duplicate gets [`Person::merged_into`] (which
//! hides it from lists, search and duplicate detection, see [`ListQuery::include_merged`](super::ListQuery::include_merged)) and
//! the survivor gets the duplicate in its [`Person::merged_from`] set (so its card shows the
//! conversations and cases of both). Conversations and cases stay linked to the person they
//! were recorded for. [`Store::unmerge_person`] takes both marks away again, which restores
//! both records exactly as they were.
//!
//! Two devices may merge the same duplicate into different persons: its `merged_into` then
//! holds both values, listed as a conflict like any other field; once resolved, only the
//! chosen survivor's card shows the duplicate ([`Store::merged_group`]).
//!
//! The two persons may live in different buckets: each of the two writes is its own
//! transaction. They are ordered so that an interrupted call leaves a state the same call
//! completes when run again: a merge marks the duplicate first, then the survivor; an unmerge
//! unmarks the survivor first, then the duplicate. The duplicate's `merged_into` is the
//! source of truth throughout.

use super::Store;
use crate::doc::scope_key;
use crate::error::{Error, Result};
use crate::ids::RecordId;
use crate::model::MERGED_STATUS;
use crate::model::{Person, RecordKind};
use crate::text::{search_key, sound_key};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Why two persons look like the same person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    /// Same name (in any script and spelling of apostrophes) and the same birth date.
    SameNameAndBirthDate,
    /// Same name and the same street and house in the same mahalla.
    SameNameAndAddress,
}

impl DuplicateReason {
    /// The catalog key of the reason's text (see [`crate::i18n::text`]).
    pub fn catalog_key(self) -> &'static str {
        match self {
            DuplicateReason::SameNameAndBirthDate => "duplicates.reason.name_birth",
            DuplicateReason::SameNameAndAddress => "duplicates.reason.name_address",
        }
    }
}

/// Two persons that are probably the same person.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DuplicatePair {
    /// The person suggested to keep: registered earlier (then the lower id).
    pub first: RecordId,
    /// The person suggested to merge into `first`.
    pub second: RecordId,
    /// Why they look alike (at least one).
    pub reasons: Vec<DuplicateReason>,
}

/// What duplicate detection compares of a person, folded; kept with every write in the
/// person's row of `person_key` ([`DupKey::store`]) so detection and name search read no
/// document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DupKey {
    /// `last first` folded loosely ([`sound_key`]: Russian, passport and Uzbek spellings of a
    /// name alike), for each script the name is written in; name search reads them too.
    names: BTreeSet<String>,
    /// Patronymic folded like the names, per script (empty when not given).
    patronymics: BTreeSet<String>,
    /// Date of birth.
    birth: NaiveDate,
    /// Mahalla key, street and house folded; `None` when street or house is blank.
    address: Option<(String, String, String)>,
    /// Date put on the register (the earlier one is suggested to keep).
    registered: NaiveDate,
}

/// Separates the names of a [`DupKey`] in its `names` column, and its patronymics. Folded
/// text holds only letters, digits and single spaces, so neither separator occurs in it.
const NAME_SEPARATOR: char = ',';
/// Separates the names from the patronymics in the `names` column, and the parts of the
/// address in the `address` column.
const PART_SEPARATOR: char = '|';

/// The words of a `person_key.names` column (the folded names and patronymics), in order,
/// a word written alike in two scripts once per script: what name search compares.
pub(crate) fn name_words(names_column: &str) -> impl Iterator<Item = &str> {
    names_column.split([' ', NAME_SEPARATOR, PART_SEPARATOR]).filter(|w| !w.is_empty())
}

impl DupKey {
    pub(crate) fn of(person: &Person) -> DupKey {
        let mut names = BTreeSet::new();
        let mut patronymics = BTreeSet::new();
        for name in [&person.name_latn, &person.name_cyrl] {
            let key = sound_key(&format!("{} {}", name.last, name.first));
            if !key.is_empty() {
                names.insert(key);
                let patronymic = sound_key(&name.patronymic);
                if !patronymic.is_empty() {
                    patronymics.insert(patronymic);
                }
            }
        }
        let (street, house) = (search_key(&person.address.street), search_key(&person.address.house));
        let address = (!street.is_empty() && !house.is_empty()).then(|| (scope_key(&person.address.mahalla), street, house));
        DupKey { names, patronymics, birth: person.birth_date, address, registered: person.registered_on }
    }

    /// The `names` column: the names separated by commas, then (when any) a bar and the
    /// patronymics separated by commas (`toshmatov baxtiyor|baxtiyor ogli`). Name search
    /// scans this column ([`name_words`]): it is the only text of the row besides the id.
    fn names_column(&self) -> String {
        let join = |set: &BTreeSet<String>| set.iter().map(String::as_str).collect::<Vec<_>>().join(&NAME_SEPARATOR.to_string());
        let mut column = join(&self.names);
        if !self.patronymics.is_empty() {
            column.push(PART_SEPARATOR);
            column.push_str(&join(&self.patronymics));
        }
        column
    }

    /// The `address` column: mahalla key, street and house separated by bars.
    fn address_column(&self) -> Option<String> {
        self.address.as_ref().map(|(mahalla, street, house)| [mahalla.as_str(), street, house].join(&PART_SEPARATOR.to_string()))
    }

    /// Writes the person's row of `person_key` (replacing the one before).
    pub(crate) fn store(&self, conn: &rusqlite::Connection, record_id: &str) -> Result<()> {
        conn.prepare_cached("INSERT OR REPLACE INTO person_key (record_id, names, birth, registered, address) VALUES (?1, ?2, ?3, ?4, ?5)")?.execute(
            rusqlite::params![record_id, self.names_column(), self.birth.num_days_from_ce(), self.registered.num_days_from_ce(), self.address_column()],
        )?;
        Ok(())
    }

    /// The key a row of `person_key` holds; `None` for a row this version cannot read (a day
    /// out of range, an address not in three parts), which is keyed again from the document.
    fn from_columns(names: &str, birth: i64, registered: i64, address: Option<&str>) -> Option<DupKey> {
        let date = |days: i64| NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).ok()?);
        let split = |text: &str| text.split(NAME_SEPARATOR).filter(|n| !n.is_empty()).map(String::from).collect::<BTreeSet<_>>();
        let (names, patronymics) = names.split_once(PART_SEPARATOR).unwrap_or((names, ""));
        let address = match address {
            None => None,
            Some(text) => {
                let mut parts = text.split(PART_SEPARATOR).map(String::from);
                let address = (parts.next()?, parts.next()?, parts.next()?);
                if parts.next().is_some() {
                    return None;
                }
                Some(address)
            }
        };
        Some(DupKey { names: split(names), patronymics: split(patronymics), birth: date(birth)?, address, registered: date(registered)? })
    }

    /// Same last and first name, and the same patronymic unless one of them has none.
    fn same_name(&self, other: &DupKey) -> bool {
        let blank = |p: &BTreeSet<String>| p.iter().all(|s| s.is_empty());
        !self.names.is_disjoint(&other.names) && (blank(&self.patronymics) || blank(&other.patronymics) || !self.patronymics.is_disjoint(&other.patronymics))
    }

    /// The reasons two persons with the same name look alike (empty: not a duplicate).
    fn reasons(&self, other: &DupKey) -> Vec<DuplicateReason> {
        let mut out = Vec::new();
        if self.birth == other.birth {
            out.push(DuplicateReason::SameNameAndBirthDate);
        }
        if self.address.is_some() && self.address == other.address {
            out.push(DuplicateReason::SameNameAndAddress);
        }
        out
    }
}

/// One person as detection sees it: id, title, keys.
pub(super) struct Candidate {
    id: RecordId,
    title: String,
    key: DupKey,
}

impl Store {
    /// Likely duplicate persons among those not merged yet (optionally only those of one
    /// mahalla): the same name — Latin or Cyrillic, any case, any apostrophe (o‘ / o' / oʻ),
    /// Russian and passport spellings folded as in [`sound_key`] (Ташматов for Тошматов,
    /// Bakhtiyor for Baxtiyor) — and the same birth date, or the same
    /// street and house in the same mahalla. Patronymics must match when both are given.
    /// Pairs are ordered by the suggested survivor's name. Reads the index only (the folded
    /// keys are kept there with every write).
    pub fn find_duplicates(&mut self, mahalla: Option<&str>) -> Result<Vec<DuplicatePair>> {
        let persons = self.duplicate_candidates(mahalla)?;
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, person) in persons.iter().enumerate() {
            for name in &person.key.names {
                by_name.entry(name.as_str()).or_default().push(i);
            }
        }
        let mut pairs: BTreeMap<(usize, usize), Vec<DuplicateReason>> = BTreeMap::new();
        for group in by_name.values().filter(|g| g.len() > 1) {
            for (n, &i) in group.iter().enumerate() {
                for &j in &group[n + 1..] {
                    let (i, j) = (i.min(j), i.max(j));
                    if i == j || pairs.contains_key(&(i, j)) {
                        continue;
                    }
                    let (a, b) = (&persons[i].key, &persons[j].key);
                    if !a.same_name(b) {
                        continue;
                    }
                    let why = a.reasons(b);
                    if !why.is_empty() {
                        pairs.insert((i, j), why);
                    }
                }
            }
        }
        let mut out: Vec<(&str, DuplicatePair)> = pairs
            .into_iter()
            .map(|((i, j), reasons)| {
                let (a, b) = (&persons[i], &persons[j]);
                let (keep, dup) = if (a.key.registered, &a.id) <= (b.key.registered, &b.id) { (a, b) } else { (b, a) };
                (keep.title.as_str(), DuplicatePair { first: keep.id.clone(), second: dup.id.clone(), reasons })
            })
            .collect();
        out.sort_by(|x, y| (x.0, &x.1.first, &x.1.second).cmp(&(y.0, &y.1.first, &y.1.second)));
        Ok(out.into_iter().map(|(_, pair)| pair).collect())
    }

    /// Persons not merged (of one mahalla, or all) with their keys, read from the index.
    /// Rows indexed before the keys were kept get them here, reading their bucket once.
    fn duplicate_candidates(&mut self, mahalla: Option<&str>) -> Result<Vec<Candidate>> {
        let mut sql = "SELECT r.record_id, r.doc_id, r.title, k.names, k.birth, k.registered, k.address
                       FROM record_index r LEFT JOIN person_key k ON k.record_id = r.record_id
                       WHERE r.kind = ?1 AND r.status <> ?2"
            .to_string();
        let mut args = vec![RecordKind::Person.as_str().to_string(), MERGED_STATUS.to_string()];
        if let Some(mahalla) = mahalla {
            sql.push_str(" AND r.scope = ?3");
            args.push(scope_key(mahalla));
        }
        let mut out = Vec::new();
        let mut missing: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        {
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            while let Some(row) = rows.next()? {
                let (record_id, doc_id, title): (String, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
                let Some(id) = RecordId::parse(&record_id) else { continue };
                let (names, birth, registered, address): (Option<String>, Option<i64>, Option<i64>, Option<String>) =
                    (row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?);
                let key = match (names, birth, registered) {
                    (Some(names), Some(birth), Some(registered)) => DupKey::from_columns(&names, birth, registered, address.as_deref()),
                    _ => None,
                };
                match key {
                    Some(key) => out.push(Candidate { id, title, key }),
                    None => {
                        missing.entry(doc_id).or_default().insert(record_id);
                    }
                }
            }
        }
        out.extend(self.key_persons(missing)?);
        Ok(out)
    }

    /// Keys the persons `missing` names (record ids by bucket) from their documents: their
    /// rows of `person_key` (duplicate keys and name words). One pass over each document, far cheaper than one
    /// lookup per record.
    pub(super) fn key_persons(&mut self, missing: BTreeMap<String, BTreeSet<String>>) -> Result<Vec<Candidate>> {
        let mut out = Vec::new();
        for (doc_id, ids) in missing {
            let summaries = self.bucket(&doc_id)?.summaries(&ids);
            let tx = super::db::WriteTx::begin(&self.conn)?;
            for (record_id, summary) in summaries {
                let Some(summary) = summary.filter(|s| s.kind == RecordKind::Person) else { continue };
                let (Some(id), Ok(person)) = (RecordId::parse(&record_id), serde_json::from_value::<Person>(summary.value)) else { continue };
                let key = DupKey::of(&person);
                key.store(&tx, &record_id)?;
                out.push(Candidate { id, title: person.display_name(), key });
            }
            tx.commit()?;
        }
        Ok(out)
    }

    /// Merges `duplicate` into `keep`: marks the duplicate as merged into `keep` and adds it
    /// to `keep`'s merged set. Nothing is deleted or moved; [`unmerge_person`](Self::unmerge_person)
    /// undoes it exactly. Refused ([`Error::MergeRefused`]) for a person into itself, into a
    /// person that is itself merged, a duplicate already merged into someone else, or a
    /// duplicate that others are merged into (no chains). Running it again after an
    /// interruption completes the merge. Two transactions (the persons may be in different
    /// buckets); see the module notes.
    pub fn merge_persons(&mut self, keep: &RecordId, duplicate: &RecordId) -> Result<()> {
        if keep == duplicate {
            return Err(Error::MergeRefused(format!("a person cannot be merged into itself ({keep})")));
        }
        let survivor = self.get::<Person>(keep)?.record;
        let dup = self.get::<Person>(duplicate)?.record;
        if let Some(into) = &survivor.merged_into {
            return Err(Error::MergeRefused(format!("the person to keep ({keep}) is itself merged into {into}; merge into {into} instead")));
        }
        if !dup.merged_from.is_empty() {
            let others: Vec<&str> = dup.merged_from.iter().map(RecordId::as_str).collect();
            return Err(Error::MergeRefused(format!(
                "{duplicate} has persons merged into it ({}); unmerge them first, or keep {duplicate}",
                others.join(", ")
            )));
        }
        match &dup.merged_into {
            Some(into) if into != keep => return Err(Error::MergeRefused(format!("{duplicate} is already merged into {into}; unmerge it first"))),
            Some(_) => {}
            None => {
                self.update::<Person>(duplicate, |p| p.merged_into = Some(keep.clone()))?;
            }
        }
        if !survivor.merged_from.contains(duplicate) {
            self.update::<Person>(keep, |p| {
                p.merged_from.insert(duplicate.clone());
            })?;
        }
        Ok(())
    }

    /// Undoes [`merge_persons`](Self::merge_persons): takes `duplicate` out of its survivor's
    /// merged set, then clears its `merged_into`, so both records are exactly as before the
    /// merge. Returns the former survivor. Refused when `duplicate` is not merged.
    pub fn unmerge_person(&mut self, duplicate: &RecordId) -> Result<RecordId> {
        let dup = self.get::<Person>(duplicate)?.record;
        let keep = dup.merged_into.ok_or_else(|| Error::MergeRefused(format!("{duplicate} is not merged into another person")))?;
        match self.get::<Person>(&keep) {
            Ok(survivor) if survivor.record.merged_from.contains(duplicate) => {
                self.update::<Person>(&keep, |p| {
                    p.merged_from.remove(duplicate);
                })?;
            }
            // Already unmarked (an interrupted unmerge), or the survivor is not on this device.
            Ok(_) | Err(Error::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
        self.update::<Person>(duplicate, |p| p.merged_into = None)?;
        Ok(keep)
    }

    /// The person and everyone merged into it: whose conversations and cases its card shows.
    /// A duplicate counts only while its `merged_into` points back here (after two devices
    /// merged one duplicate into different persons and the conflict was resolved, only the
    /// chosen survivor shows it); duplicates not on this device are left out.
    pub fn merged_group(&mut self, id: &RecordId) -> Result<Vec<RecordId>> {
        let person = self.get::<Person>(id)?.record;
        let mut group = vec![person.id];
        for member in person.merged_from {
            match self.get::<Person>(&member) {
                Ok(dup) if dup.record.merged_into.as_ref() == Some(id) => group.push(member),
                Ok(_) | Err(Error::NotFound(_) | Error::WrongKind { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DeviceProfile, MemoryKeyProvider, PersonName, Role};

    #[test]
    fn rows_indexed_without_keys_get_them_at_the_first_detection() {
        let dir = tempfile::tempdir().unwrap();
        let keys = MemoryKeyProvider::new();
        let profile = DeviceProfile { person: "A".into(), role: Role::Inspector, scopes: vec![] };
        let mut store = Store::create(dir.path().join("a.db"), &keys, profile).unwrap();
        let mut person = Person { birth_date: "2008-04-02".parse().unwrap(), registered_on: "2025-01-10".parse().unwrap(), ..Default::default() };
        person.name_latn = PersonName { last: "Qodirov".into(), first: "Jasur".into(), patronymic: String::new() };
        person.address.district = "Chilonzor".into();
        person.address.mahalla = "Navbahor".into();
        let mut twin = person.clone();
        twin.id = RecordId::new();
        twin.name_latn = PersonName::default();
        twin.name_cyrl = PersonName { last: "Қодиров".into(), first: "Жасур".into(), patronymic: String::new() };
        store.put_many(&[person.clone(), twin.clone()]).unwrap();
        let indexed = store.find_duplicates(None).unwrap();
        assert_eq!(indexed.len(), 1);

        // As a store written before version 3 of the schema: no keys in the index.
        store.conn.execute("DELETE FROM person_key", []).unwrap();
        store.evict_cache();
        assert_eq!(store.find_duplicates(None).unwrap(), indexed);
        let kept: i64 = store.conn.query_row("SELECT count(*) FROM person_key", [], |r| r.get(0)).unwrap();
        assert_eq!(kept, 2, "filled in");
        assert_eq!(store.find_duplicates(Some("Navbahor")).unwrap(), indexed);
        assert!(store.find_duplicates(Some("Qatortol")).unwrap().is_empty());

        // A row this version cannot read (a day out of range) is rebuilt too, not misread.
        store.conn.execute("UPDATE person_key SET birth = 99999999999", []).unwrap();
        assert_eq!(store.find_duplicates(None).unwrap(), indexed);
        let births: Vec<i64> = store.conn.prepare("SELECT birth FROM person_key").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        assert_eq!(births, [i64::from(person.birth_date.num_days_from_ce()); 2]);
    }

    #[test]
    fn a_stored_key_reads_back_as_written() {
        let mut person = Person { birth_date: "2008-04-02".parse().unwrap(), registered_on: "2025-01-10".parse().unwrap(), ..Default::default() };
        person.name_latn = PersonName { last: "Qodirov".into(), first: "Jasur".into(), patronymic: "Baxtiyor o‘g‘li".into() };
        person.name_cyrl = PersonName { last: "Азимов".into(), first: "Жасур".into(), patronymic: String::new() };
        person.address = crate::Address { mahalla: "Navbahor".into(), street: "Mukimiy".into(), house: "5".into(), ..Default::default() };
        let key = DupKey::of(&person);
        let names = key.names_column();
        let (two_names, patronymic) = names.split_once('|').unwrap();
        assert_eq!((two_names.split(',').count(), patronymic), (2, sound_key("Baxtiyor o‘g‘li").as_str()), "{names}");
        assert_eq!(name_words(&names).count(), 6, "{names}");
        let (birth, registered) = (i64::from(key.birth.num_days_from_ce()), i64::from(key.registered.num_days_from_ce()));
        let address = key.address_column();
        assert_eq!(address.as_deref(), Some("navbahor|mukimiy|5"));
        assert_eq!(DupKey::from_columns(&names, birth, registered, address.as_deref()), Some(key.clone()));
        let unaddressed = DupKey { address: None, patronymics: BTreeSet::new(), ..key };
        assert_eq!(DupKey::from_columns(&unaddressed.names_column(), birth, registered, None), Some(unaddressed));
        assert_eq!(DupKey::from_columns(&names, 99_999_999_999, registered, None), None, "a day out of range is refused");
        assert_eq!(DupKey::from_columns(&names, birth, registered, Some("navbahor|mukimiy")), None, "an address in two parts is refused");
    }
}
