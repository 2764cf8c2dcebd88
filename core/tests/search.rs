//! Script-insensitive search through `ListQuery`: names in either script and any apostrophe
//! or case, partial words, addresses, mahallas and birth years, alone and combined.

use crate::common;

use common::device;
use suhbat_core::*;

/// A person named `[last, first]`, living at `[mahalla, region, street, house]`.
fn person([last, first]: [&str; 2], cyrillic_only: bool, birth: &str, [mahalla, region, street, house]: [&str; 4]) -> Person {
    let name = PersonName { last: last.into(), first: first.into(), patronymic: String::new() };
    let (name_latn, name_cyrl) = if cyrillic_only { (PersonName::default(), name) } else { (name, PersonName::default()) };
    Person {
        name_latn,
        name_cyrl,
        birth_date: birth.parse().unwrap(),
        registered_on: "2025-01-10".parse().unwrap(),
        address: Address { region: region.into(), district: "Chilonzor".into(), mahalla: mahalla.into(), street: street.into(), house: house.into() },
        ..Default::default()
    }
}

fn titles(store: &Store, query: ListQuery) -> Vec<String> {
    let mut out: Vec<String> = store.list(&ListQuery { kind: Some(RecordKind::Person), ..query }).unwrap().into_iter().map(|r| r.title).collect();
    out.sort();
    out
}

fn text(store: &Store, text: &str) -> Vec<String> {
    titles(store, ListQuery { text: Some(text.into()), ..Default::default() })
}

#[test]
fn list_queries_find_names_addresses_mahallas_and_birth_years_in_any_script() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = device(dir.path(), "aziz", &keys);
    store
        .put_many(&[
            person(["Rahimova", "O‘g‘iloy"], false, "2008-04-02", ["Navbahor", "Toshkent shahri", "Bog‘ishamol ko‘chasi", "15-uy"]),
            person(["Раҳимова", "Ўғилой"], true, "2009-06-01", ["Qatortol", "Тошкент шаҳри", "Мустақиллик кўчаси", "3"]),
            person(["Karimov", "Aziz"], false, "2008-11-30", ["Navbahor", "Samarqand viloyati", "Navoiy ko'chasi", "7"]),
        ])
        .unwrap();
    let (latin, cyrillic, other) = ("Rahimova O‘g‘iloy".to_string(), "Rahimova O‘g‘iloy".to_string(), "Karimov Aziz".to_string());

    // Names: every apostrophe, both scripts, any case, Russian spelling (х for ҳ).
    for query in ["O‘g‘iloy", "O'g'iloy", "Oʻgʻiloy", "Ўғилой", "OGILOY", "рахимова", "RAHIMOVA o'g'iloy", "Раҳимова Ўғилой"]
    {
        assert_eq!(text(&store, query), vec![latin.clone(), cyrillic.clone()], "query {query:?}");
    }
    // Partial words match anywhere in a word.
    assert_eq!(text(&store, "rahim"), vec![latin.clone(), cyrillic.clone()]);
    assert_eq!(text(&store, "кари"), vec![other.clone()]);
    assert_eq!(text(&store, "arimov"), vec![other.clone()]);
    assert_eq!(text(&store, "imov"), vec![other.clone(), latin.clone(), cyrillic.clone()]);
    // "Toshkent" finds "Тошкент" and the other way round; Samarqand is not Toshkent.
    assert_eq!(text(&store, "Toshkent"), vec![latin.clone(), cyrillic.clone()]);
    assert_eq!(text(&store, "ТОШКЕНТ ШАҲРИ"), vec![latin.clone(), cyrillic.clone()]);
    assert_eq!(text(&store, "Самарқанд"), vec![other.clone()]);
    // Addresses: street and house, in either script.
    assert_eq!(text(&store, "богишамол 15"), vec![latin.clone()]);
    assert_eq!(text(&store, "Bog'ishamol ko'chasi"), vec![latin.clone()]);
    assert_eq!(text(&store, "mustaqillik"), vec![cyrillic.clone()]);
    assert_eq!(text(&store, "Навоий"), vec![other.clone()]);
    assert!(text(&store, "Yunusobod").is_empty());
    // Mahalla by name in any script, birth year, and both with text.
    assert_eq!(titles(&store, ListQuery { mahalla: Some("НАВБАҲОР".into()), ..Default::default() }), vec![other.clone(), latin.clone()]);
    assert_eq!(titles(&store, ListQuery { mahalla: Some("qatortol".into()), ..Default::default() }), vec![cyrillic.clone()]);
    assert_eq!(titles(&store, ListQuery { birth_year: Some(2008), ..Default::default() }), vec![other.clone(), latin.clone()]);
    assert_eq!(titles(&store, ListQuery { mahalla: Some("Navbahor".into()), birth_year: Some(2009), ..Default::default() }), Vec::<String>::new());
    assert_eq!(
        titles(&store, ListQuery { mahalla: Some("Navbahor".into()), birth_year: Some(2008), text: Some("Ўғилой".into()), ..Default::default() }),
        vec![latin.clone()]
    );
    assert_eq!(
        titles(&store, ListQuery { mahalla: Some("Қатортол".into()), birth_year: Some(2009), text: Some("og'iloy".into()), ..Default::default() }),
        vec![cyrillic]
    );
    // The limit caps rows.
    assert_eq!(titles(&store, ListQuery { limit: Some(1), ..Default::default() }).len(), 1);
}
