//! Catalog access without an open store: for the screens shown before a store exists (first
//! start, errors opening it).

use suhbat_core::Locale;

/// A text from the core's catalog by key (e.g. `screen.setup`) in `locale`; the key itself
/// when the catalog lacks it.
#[uniffi::export]
pub fn catalog_text(locale: Locale, key: String) -> String {
    suhbat_core::i18n::text(locale, &key)
}

/// The app language for a platform language tag (`uz-Cyrl-UZ`, `ru-RU`, `en-US`, …):
/// the longest known prefix of the tag; Uzbek (Latin) when none is known.
#[uniffi::export]
pub fn locale_for_tag(tag: String) -> Locale {
    let parts: Vec<&str> = tag.split(['-', '_']).collect();
    (1..=parts.len().min(2)).rev().find_map(|n| Locale::parse(&parts[..n].join("-"))).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_tags_map_to_app_languages() {
        assert_eq!(locale_for_tag("uz-Cyrl-UZ".into()), Locale::UzCyrl);
        assert_eq!(locale_for_tag("uz_UZ".into()), Locale::UzLatn);
        assert_eq!(locale_for_tag("ru-RU".into()), Locale::Ru);
        assert_eq!(locale_for_tag("en".into()), Locale::En);
        assert_eq!(locale_for_tag("de-DE".into()), Locale::UzLatn);
        assert_eq!(catalog_text(Locale::Ru, "action.start".into()), "Начать");
    }
}
