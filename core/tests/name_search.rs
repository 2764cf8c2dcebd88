//! Names as officers type them: a person is found however a Russian-speaking or Uzbek-speaking
//! officer, or a passport, spells the name, and with one typo in a long name — closest first;
//! duplicate detection folds names the same way.

use crate::common;

use common::device;
use suhbat_core::views::{self, ViewContext};
use suhbat_core::*;

fn person(latn: [&str; 3], cyrl: [&str; 3], birth: &str) -> Person {
    let name = |[last, first, patronymic]: [&str; 3]| PersonName { last: last.into(), first: first.into(), patronymic: patronymic.into() };
    Person {
        name_latn: name(latn),
        name_cyrl: name(cyrl),
        birth_date: birth.parse().unwrap(),
        registered_on: "2025-01-10".parse().unwrap(),
        address: Address { district: "Chilonzor".into(), mahalla: "Navbahor".into(), street: "Mukimiy".into(), house: "5".into(), ..Default::default() },
        ..Default::default()
    }
}

/// The titles the persons screen lists for `query`, in its order.
fn found(store: &Store, query: &str) -> Vec<String> {
    views::person_list(store, &ViewContext::new(Locale::En), query).unwrap().rows.into_iter().map(|r| r.name).collect()
}

#[test]
fn a_name_is_found_however_it_is_spelled_closest_first() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = device(dir.path(), "aziz", &keys);
    let persons = [
        person(["Toshmatov", "Baxtiyor", "Alisher o‘g‘li"], ["Тошматов", "Бахтиёр", "Алишер ўғли"], "2006-03-01"),
        person(["Xolmatova", "Shahnoza", ""], ["Ҳолматова", "Шаҳноза", ""], "2007-05-02"),
        person(["O‘rinboyev", "Jamshid", ""], ["Ўринбоев", "Жамшид", ""], "2005-07-03"),
        person(["Jo‘rayev", "Yusuf", ""], ["Жўраев", "Юсуф", ""], "2004-09-04"),
        person(["Abdurahmonov", "G‘ayrat", ""], ["Абдураҳмонов", "Ғайрат", ""], "2003-11-05"),
        person(["Qodirov", "Chori", ""], ["Қодиров", "Чори", ""], "2002-01-06"),
        person(["Karimov", "Aziz", ""], ["Каримов", "Азиз", ""], "2001-02-07"),
    ];
    store.put_many(&persons).unwrap();
    let [toshmatov, xolmatova, orinboyev, jorayev, abdurahmonov, qodirov, _] = persons.map(|p| p.display_name());

    // Russian-style transliteration of Uzbek names, Cyrillic and Latin.
    for query in ["Ташматов", "Ташматов Бахтиёр", "Tashmatov Bakhtiyor", "Toshmatov Baxtiyor", "Тошматов"] {
        assert_eq!(found(&store, query), [toshmatov.as_str()], "{query}");
    }
    for query in ["Kholmatova", "Холматова Шахноза", "Xolmatova Shaxnoza"] {
        assert_eq!(found(&store, query), [xolmatova.as_str()], "{query}");
    }
    for query in ["Уринбаев", "Urinbaev Jamshid", "Ўринбоев"] {
        assert_eq!(found(&store, query), [orinboyev.as_str()], "{query}");
    }
    for query in ["Джураев Юсуф", "Zhuraev", "Juraev Jusuf", "Жураев"] {
        assert_eq!(found(&store, query), [jorayev.as_str()], "{query}");
    }
    for query in ["Гайрат", "Gayrat Abdurakhmonov", "Кодиров Чори", "Kodirov Chori"] {
        let who = if query.contains('ч') || query.contains("Chori") || query.contains("Чори") { &qodirov } else { &abdurahmonov };
        assert_eq!(found(&store, query), [who.as_str()], "{query}");
    }
    // Passport-style Latin (ISO/ICAO): upper case, KH, ZH, IU, E for Е.
    for (query, who) in [("TASHMATOV BAKHTIYOR", &toshmatov), ("ZHURAEV IUSUF", &jorayev), ("KHOLMATOVA SHAKHNOZA", &xolmatova)] {
        assert_eq!(found(&store, query), [who.as_str()], "{query}");
    }
    // One typo in a long name: a letter left out, one too many, one wrong, two swapped.
    for query in ["Abdurahmnov", "Abdurrahmonov", "Abdurahmanav Gayrat", "Abdruahmonov", "Тошмтов"] {
        let who = if query.starts_with('Т') { &toshmatov } else { &abdurahmonov };
        assert_eq!(found(&store, query), [who.as_str()], "{query}");
    }
    // A short name with a typo is not a match (too many would be).
    assert!(found(&store, "Azez").is_empty());
    // Ranked by closeness: the exact spelling first, then the loose one, then a typo.
    store.put(&person(["Tashmatov", "Ravshan", ""], ["", "", ""], "2000-01-01")).unwrap();
    store.put(&person(["Toshmatova", "Dilnoza", ""], ["", "", ""], "2000-01-01")).unwrap();
    store.put(&person(["Toshmaton", "Anvar", ""], ["", "", ""], "2000-01-01")).unwrap();
    assert_eq!(
        found(&store, "Tashmatov"),
        ["Tashmatov Ravshan", toshmatov.as_str(), "Toshmatova Dilnoza", "Toshmaton Anvar"],
        "exact, then the same name spelled otherwise, then its start, then one typo"
    );
}

#[test]
fn duplicates_are_found_however_the_name_is_spelled() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = device(dir.path(), "aziz", &keys);
    let uzbek = person(["Toshmatov", "Baxtiyor", ""], ["Тошматов", "Бахтиёр", ""], "2006-03-01");
    let russian = person(["", "", ""], ["Ташматов", "Бахтияр", ""], "2006-03-01");
    let passport = person(["TASHMATOV", "BAKHTIYOR", ""], ["", "", ""], "2006-03-01");
    let mut other = person(["Toshmatov", "Baxtiyor", ""], ["", "", ""], "2001-01-01");
    other.address.house = "9".into();
    store.put_many(&[uzbek.clone(), russian.clone(), passport.clone(), other.clone()]).unwrap();
    let pairs = store.find_duplicates(None).unwrap();
    let mut ids: Vec<(RecordId, RecordId)> = pairs.iter().map(|p| (p.first.clone(), p.second.clone())).collect();
    ids.sort();
    let mut expected = vec![(uzbek.id.clone(), russian.id.clone()), (uzbek.id.clone(), passport.id.clone()), (russian.id.clone(), passport.id.clone())];
    for pair in expected.iter_mut() {
        if pair.0 > pair.1 {
            *pair = (pair.1.clone(), pair.0.clone());
        }
    }
    expected.sort();
    // The suggested survivor is the one registered first (all the same day: the lower id).
    assert_eq!(ids, expected, "the three spellings are one person; the one born in 2001 is another");
}
