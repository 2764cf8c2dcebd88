//! `suhbat bench search`: typical person searches on a device with thousands of persons,
//! each run many times, against the list target of 50 ms per query.

use crate::bench::quantile;
use anyhow::{Context, Result};
use std::time::{Duration, Instant};
use suhbat_core::sample::SampleData;
use suhbat_core::views::{self, ViewContext};
use suhbat_core::*;

/// Mahallas the persons are spread over (one bucket per mahalla).
const MAHALLAS: &[&str] = &[
    "Navbahor",
    "Qatortol",
    "Bunyodkor",
    "Chilonzor",
    "Yangi Hayot",
    "Olmazor",
    "Beshyog‘och",
    "Ko‘kcha",
    "Guliston",
    "Do‘stlik",
    "Mustaqillik",
    "Bog‘ishamol",
    "Nurafshon",
    "Sebzor",
    "Tinchlik",
    "Istiqlol",
    "Shodlik",
    "Oqtepa",
    "Qoraqamish",
    "Mirobod",
];

/// Target of design.md for a list or search screen.
const TARGET: Duration = Duration::from_millis(50);

/// Runs a query and returns the number of rows it found.
type Query = Box<dyn Fn(&mut Store) -> Result<usize>>;

/// One timed query: what it asks and how to run it.
struct Case {
    label: String,
    run: Query,
}

/// A person search as the persons screen runs it: exact matches, then names however spelled.
fn list_case(label: String, query: ListQuery) -> Case {
    Case { label, run: Box::new(move |store: &mut Store| Ok(store.search_persons(&query)?.len())) }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn header(title: &str) {
    println!("\n{title}");
    println!("| {:<46} | {:>9} | {:>9} | {:>9} | {:>5} | {:>8} | {:<6} |", "query", "p50", "p95", "max", "rows", "target", "");
    println!("|{}|{}|{}|{}|{}|{}|{}|", "-".repeat(48), "-".repeat(11), "-".repeat(11), "-".repeat(11), "-".repeat(7), "-".repeat(10), "-".repeat(8));
}

fn row(label: &str, samples: &mut [Duration], rows: usize, target: Option<Duration>) {
    let (p50, p95) = (quantile(samples, 0.5), quantile(samples, 0.95));
    let max = samples.iter().max().copied().unwrap_or_default();
    let (target_text, verdict) = match target {
        Some(t) => (format!("≤ {} ms", t.as_millis()), if p95 <= t { "ok" } else { "MISSED" }),
        None => ("(ref.)".to_string(), ""),
    };
    println!("| {label:<46} | {:>9} | {:>9} | {:>9} | {rows:>5} | {target_text:>8} | {verdict:<6} |", ms(p50), ms(p95), ms(max));
}

/// Runs the search benchmark: `persons` persons, each query `runs` times.
pub(crate) fn run(persons: usize, runs: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("search.db");
    let keys = crate::key_provider_for(&path);
    let profile = DeviceProfile { person: "Bench".into(), role: Role::Inspector, scopes: vec![] };
    let mut store = Store::create(&path, &keys, profile)?;
    let mut data = SampleData::new(11);
    let per_mahalla = persons.div_ceil(MAHALLAS.len());
    let started = Instant::now();
    let mut all = Vec::with_capacity(persons);
    for (m, mahalla) in MAHALLAS.iter().enumerate() {
        let batch: Vec<Person> = (0..per_mahalla.min(persons.saturating_sub(m * per_mahalla))).map(|_| data.person(mahalla, 2025)).collect();
        store.put_many(&batch)?;
        all.extend(batch);
    }
    store.compact()?;
    let fill = started.elapsed();
    println!(
        "bench search: {} persons in {} mahallas (SQLCipher, WAL), each query {runs} times; filled in {:.1} s",
        all.len(),
        MAHALLAS.len(),
        fill.as_secs_f64()
    );

    let probe = all.get(all.len() / 3).context("no persons to search")?.clone();
    let name_latn = format!("{} {}", probe.name_latn.last, probe.name_latn.first);
    let name_cyrl = format!("{} {}", probe.name_cyrl.last, probe.name_cyrl.first);
    // Russian spelling of Uzbek letters: К for Қ, Х for Ҳ, Г for Ғ.
    let russian: String = name_cyrl
        .chars()
        .map(|c| match c {
            'Қ' => 'К',
            'қ' => 'к',
            'Ҳ' => 'Х',
            'ҳ' => 'х',
            'Ғ' => 'Г',
            'ғ' => 'г',
            other => other,
        })
        .collect();
    // Russian-style transliteration of the Uzbek name: а for о, у for ў (Ташматов for Тошматов).
    let russian_style: String = russian
        .chars()
        .map(|c| match c {
            'о' => 'а',
            'О' => 'А',
            'ў' => 'у',
            'Ў' => 'У',
            other => other,
        })
        .collect();
    // Passport Latin: upper case, KH for X, U for O‘.
    let passport = name_latn.to_uppercase().replace('X', "KH").replace(['‘', '\''], "").replace("OG", "UG");
    // One letter of the surname left out.
    let typo: String = {
        let mut chars: Vec<char> = probe.name_latn.last.chars().collect();
        if chars.len() > 3 {
            chars.remove(3);
        }
        chars.into_iter().collect()
    };
    let partial: String = probe.name_latn.last.chars().take(4).collect();
    let address = format!("{} {}", probe.address.street, probe.address.house);
    let year = chrono::Datelike::year(&probe.birth_date);
    let mahalla = probe.address.mahalla.clone();
    let text = |t: &str| ListQuery { text: Some(t.to_string()), ..Default::default() };
    let cases = vec![
        list_case(format!("name, Latin: {name_latn}"), text(&name_latn)),
        list_case(format!("name, Cyrillic: {name_cyrl}"), text(&name_cyrl)),
        list_case(format!("name, Russian spelling: {russian}"), text(&russian)),
        list_case(format!("Russian-style: {russian_style}"), text(&russian_style)),
        list_case(format!("passport Latin: {passport}"), text(&passport)),
        list_case(format!("one typo in the surname: {typo}"), text(&typo)),
        list_case(format!("partial name: {partial}"), text(&partial)),
        list_case(format!("address: {address}"), text(&address)),
        list_case(
            format!("mahalla + birth year: {mahalla}, {year}"),
            ListQuery { mahalla: Some(mahalla.clone()), birth_year: Some(year), ..Default::default() },
        ),
        list_case(
            format!("mahalla + year + Cyrillic partial: {}", probe.name_cyrl.last.chars().take(4).collect::<String>()),
            ListQuery {
                mahalla: Some(mahalla.clone()),
                birth_year: Some(year),
                text: Some(probe.name_cyrl.last.chars().take(4).collect()),
                ..Default::default()
            },
        ),
        list_case("no match (whole index scanned): Zulfiyaxon".into(), text("Zulfiyaxon")),
        list_case("everyone (first 200 by name)".into(), ListQuery::default()),
        Case {
            label: format!("person list screen (view-model): {}", probe.name_cyrl.last),
            run: Box::new({
                let query = probe.name_cyrl.last.clone();
                move |store: &mut Store| Ok(views::person_list(store, &ViewContext::new(Locale::UzCyrl), &query)?.rows.len())
            }),
        },
    ];

    header(&format!("search, {} persons (design.md §8: lists ≤ 50 ms)", all.len()));
    for case in &cases {
        let mut rows = 0;
        let mut samples = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            rows = (case.run)(&mut store)?;
            samples.push(t.elapsed());
        }
        row(&crate::output::truncate(&case.label, 46), &mut samples, rows, Some(TARGET));
    }

    // The first search after opening the store (page cache cold, key derivation done).
    drop(store);
    let mut cold = Vec::new();
    let mut rows = 0;
    for _ in 0..5 {
        let store = crate::open_store(&path)?;
        let t = Instant::now();
        rows = store.search_persons(&ListQuery { text: Some(name_cyrl.clone()), ..Default::default() })?.len();
        cold.push(t.elapsed());
    }
    row("first search after opening the store", &mut cold, rows, Some(TARGET));

    // Duplicate detection reads the index's folded keys (no document): for reference.
    let mut store = crate::open_store(&path)?;
    let mut dup = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        rows = store.find_duplicates(None)?.len();
        dup.push(t.elapsed());
    }
    row("duplicate detection, all persons (pairs found)", &mut dup, rows, None);
    Ok(())
}
