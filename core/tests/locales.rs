//! Locale completeness: every catalog key the code uses exists, and every entry is filled in
//! in all four languages (uz-Latn, uz-Cyrl, ru, en).

use std::collections::BTreeSet;
use std::path::Path;
use suhbat_core::i18n::{self, Locale};

/// Rust, Kotlin and Swift sources under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "kt" || e == "swift") {
            out.push(path);
        }
    }
}

/// String literals in the sources (core, CLI, bindings, shells) that look like catalog keys: `<known prefix>.<name>`.
fn keys_used() -> BTreeSet<String> {
    let prefixes: BTreeSet<&str> = i18n::keys().filter_map(|k| k.split('.').next()).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    // The shells ask for texts by key too (`t("screen.registry")`).
    for dir in ["src", "../cli/src", "../bindings/src", "../android", "../ios"] {
        sources(&root.join(dir), &mut files);
    }
    let mut used = BTreeSet::new();
    for file in files {
        let code = std::fs::read_to_string(&file).unwrap();
        // Catalog tables themselves define keys; they are not uses.
        if file.parent().is_some_and(|p| p.ends_with("i18n")) {
            continue;
        }
        for literal in code.split('"').skip(1).step_by(2) {
            let Some((prefix, rest)) = literal.split_once('.') else { continue };
            let looks_like_key = prefixes.contains(prefix)
                && rest.starts_with(|c: char| c.is_ascii_lowercase())
                && !rest.ends_with('.')
                && rest.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
            // (SF Symbol names such as "person.2" start their second part with a digit.)
            let is_file_name = [".db", ".rs", ".sql", ".json", ".csv", ".toml"].iter().any(|ext| literal.ends_with(ext));
            // A prefix of a family of keys (`"referral.action"` + `.<state>`) is not a key.
            let is_key_family = i18n::keys().any(|k| k.starts_with(&format!("{literal}.")));
            if looks_like_key && !is_file_name && !is_key_family {
                used.insert(literal.to_string());
            }
        }
    }
    used
}

#[test]
fn every_key_the_code_uses_is_in_the_catalog() {
    let used = keys_used();
    assert!(used.len() > 100, "found only {} keys: the scan is broken", used.len());
    let missing: Vec<&String> = used.iter().filter(|k| !i18n::has(k)).collect();
    println!("{} catalog keys used in the code, {} entries in the catalog", used.len(), i18n::keys().count());
    assert!(missing.is_empty(), "keys used but missing from the catalog: {missing:?}");
}

#[test]
fn every_entry_differs_from_its_key_in_every_locale() {
    for key in i18n::keys() {
        for locale in Locale::ALL {
            let text = i18n::text(locale, key);
            assert!(!text.trim().is_empty() && text != key, "{key} is not translated for {locale:?}");
        }
    }
}

#[test]
fn uzbek_cyrillic_entries_are_written_in_cyrillic() {
    // A uz-Cyrl entry left in Latin script is a missing translation in disguise.
    let latin_only: Vec<&str> = i18n::keys()
        .filter(|k| !k.starts_with("format."))
        .filter(|k| {
            let cyrl = i18n::text(Locale::UzCyrl, k);
            let words: String = cyrl.split('{').enumerate().map(|(i, part)| if i == 0 { part } else { part.split_once('}').map_or("", |p| p.1) }).collect();
            let latin = words.chars().filter(|c| c.is_ascii_alphabetic()).count();
            let cyrillic = words.chars().filter(|c| ('\u{400}'..='\u{4ff}').contains(c)).count();
            latin > 0 && cyrillic == 0 && latin > 3
        })
        .collect();
    println!("uz-Cyrl entries in Latin script: {latin_only:?}");
    let allowed = ["app.title", "risk.reason"];
    let unexpected: Vec<&&str> = latin_only.iter().filter(|k| !allowed.contains(k)).collect();
    assert!(unexpected.is_empty(), "uz-Cyrl entries written in Latin script: {unexpected:?}");
}
