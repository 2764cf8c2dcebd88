//! Uzbek transliteration (official 1995 Latin alphabet ↔ Cyrillic) and the folded search key
//! that makes "Toshkent", "toshkent" and "Тошкент" find each other.

/// Every apostrophe-like character people type for o‘ / g‘ and the tutuq belgisi.
pub(crate) const APOSTROPHES: [char; 6] = ['\'', '‘', '’', 'ʻ', 'ʼ', '`'];

fn is_vowel_latn(c: char) -> bool {
    matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u')
}

/// `c` in lower case: the letters of names without the Unicode tables (a name is mostly
/// ASCII and Russian/Uzbek Cyrillic), any other letter with them.
fn lower_char(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'А'..='Я' => char::from_u32(c as u32 + 32).unwrap_or(c),
        'Ѐ'..='Џ' => char::from_u32(c as u32 + 80).unwrap_or(c),
        'Ғ' | 'Қ' | 'Ҳ' => char::from_u32(c as u32 + 1).unwrap_or(c),
        _ if c.is_ascii() || ('а'..='џ').contains(&c) => c,
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

/// Whether `c` is a letter (ASCII and the Cyrillic alphabet without the Unicode tables).
fn is_letter(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphabetic(),
        'Ѐ'..='џ' => true,
        _ => c.is_alphabetic(),
    }
}

/// Cyrillic Uzbek (and Russian letters found in names) → Latin Uzbek.
pub fn cyrl_to_latn(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let lower = lower_char(c);
        let upper = c != lower;
        let at_word_start = prev.is_none_or(|p| !is_letter(p));
        let after_vowel = prev.is_some_and(|p| is_vowel_latn(p) || matches!(lower_char(p), 'а' | 'е' | 'ё' | 'и' | 'о' | 'у' | 'э' | 'ю' | 'я' | 'ў'));
        let latin: &str = match lower {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' => {
                if at_word_start || after_vowel {
                    "ye"
                } else {
                    "e"
                }
            }
            'ё' => "yo",
            'ж' => "j",
            'з' => "z",
            'и' => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "x",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "sh",
            'ъ' => "’",
            'ы' => "i",
            'ь' => "",
            'э' => "e",
            'ю' => "yu",
            'я' => "ya",
            'ў' => "o‘",
            'қ' => "q",
            'ғ' => "g‘",
            'ҳ' => "h",
            _ => {
                out.push(c);
                prev = Some(c);
                continue;
            }
        };
        if upper {
            let mut chars = latin.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(latin);
        }
        prev = Some(c);
    }
    out
}

/// Latin Uzbek → Cyrillic Uzbek.
pub fn latn_to_cyrl(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).map(|n| n.to_ascii_lowercase());
        let lower = c.to_ascii_lowercase();
        let upper = c.is_uppercase();
        let at_word_start = i == 0 || !chars[i - 1].is_alphabetic();
        let (cyr, used): (&str, usize) = match (lower, next) {
            ('s', Some('h')) => ("ш", 2),
            ('c', Some('h')) => ("ч", 2),
            ('y', Some('o')) => ("ё", 2),
            ('y', Some('u')) => ("ю", 2),
            ('y', Some('a')) => ("я", 2),
            ('y', Some('e')) => ("е", 2),
            ('o', Some(n)) if APOSTROPHES.contains(&n) => ("ў", 2),
            ('g', Some(n)) if APOSTROPHES.contains(&n) => ("ғ", 2),
            ('e', _) => (if at_word_start { "э" } else { "е" }, 1),
            ('a', _) => ("а", 1),
            ('b', _) => ("б", 1),
            ('d', _) => ("д", 1),
            ('f', _) => ("ф", 1),
            ('g', _) => ("г", 1),
            ('h', _) => ("ҳ", 1),
            ('i', _) => ("и", 1),
            ('j', _) => ("ж", 1),
            ('k', _) => ("к", 1),
            ('l', _) => ("л", 1),
            ('m', _) => ("м", 1),
            ('n', _) => ("н", 1),
            ('o', _) => ("о", 1),
            ('p', _) => ("п", 1),
            ('q', _) => ("қ", 1),
            ('r', _) => ("р", 1),
            ('s', _) => ("с", 1),
            ('t', _) => ("т", 1),
            ('u', _) => ("у", 1),
            ('v', _) => ("в", 1),
            ('x', _) => ("х", 1),
            ('y', _) => ("й", 1),
            ('z', _) => ("з", 1),
            ('c', _) => ("с", 1),
            ('w', _) => ("в", 1),
            (a, _) if APOSTROPHES.contains(&a) => ("ъ", 1),
            _ => {
                out.push(c);
                i += 1;
                continue;
            }
        };
        if upper {
            out.extend(cyr.chars().flat_map(char::to_uppercase));
        } else {
            out.push_str(cyr);
        }
        i += used;
    }
    out
}

/// `text` in Latin script and lower case (a Latin text is only lowered).
pub(crate) fn latin_lower(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        cyrl_to_latn(text).to_lowercase()
    }
}

/// Latin script, lower case, no apostrophes, words separated by single spaces.
fn fold(text: &str, merge_russian_spellings: bool) -> String {
    let latin = latin_lower(text);
    let mut out = String::with_capacity(latin.len());
    let mut pending_space = false;
    for c in latin.chars() {
        if APOSTROPHES.contains(&c) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(match c {
                'q' if merge_russian_spellings => 'k',
                'h' if merge_russian_spellings => 'x',
                other => other,
            });
        } else {
            pending_space = true;
        }
    }
    out
}

/// The folded search key of any text: Latin script, lower case, no apostrophes, single spaces.
/// Both the stored text and the query are folded the same way, so the script, case and the
/// apostrophe variant (o‘ / o' / oʻ) do not matter. Letters that Russian spelling of Uzbek
/// names merges are folded together too (q/k as in Қодиров/Кодиров, h/x as in Ҳ/Х).
pub fn search_key(text: &str) -> String {
    fold(text, true)
}

/// A stable key for a name (e.g. a mahalla): like [`search_key`] but keeping q/k and h/x
/// apart, so keys stay readable (`navbahor`, `qatortol`).
pub fn name_key(text: &str) -> String {
    fold(text, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_lower_as_unicode_says() {
        for c in ('\u{0}'..='\u{52f}').chain(['Ғ', 'Қ', 'Ҳ', 'Ў', 'ẞ', 'İ']) {
            assert_eq!(lower_char(c), c.to_lowercase().next().unwrap_or(c), "{c:?}");
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn cyrillic_to_latin() {
        assert_eq!(cyrl_to_latn("Тошкент"), "Toshkent");
        assert_eq!(cyrl_to_latn("Ўзбекистон"), "O‘zbekiston");
        assert_eq!(cyrl_to_latn("Ғафуров Шерзод"), "G‘afurov Sherzod");
        assert_eq!(cyrl_to_latn("Ерназар"), "Yernazar");
        assert_eq!(cyrl_to_latn("Чилонзор"), "Chilonzor");
        assert_eq!(cyrl_to_latn("Қодирова Ҳилола"), "Qodirova Hilola");
    }

    #[test]
    fn latin_to_cyrillic() {
        assert_eq!(latn_to_cyrl("Toshkent"), "Тошкент");
        assert_eq!(latn_to_cyrl("O'zbekiston"), "Ўзбекистон");
        assert_eq!(latn_to_cyrl("G‘afurov Sherzod"), "Ғафуров Шерзод");
        assert_eq!(latn_to_cyrl("Chilonzor"), "Чилонзор");
        assert_eq!(latn_to_cyrl("Yunusobod"), "Юнусобод");
    }

    #[test]
    fn search_keys_ignore_script_case_and_apostrophes() {
        assert_eq!(search_key("Тошкент"), search_key("toshkent"));
        assert_eq!(search_key("O‘g‘il"), search_key("oʻgʻil"));
        assert_eq!(search_key("O'g'il"), search_key("Ўғил"));
        assert_eq!(search_key("  Karimov,   Aziz "), "karimov aziz");
        assert_eq!(search_key("Кодиров Хамид"), search_key("Qodirov Hamid"), "Russian spelling of Uzbek names");
        assert!(search_key("Ғафуров Шерзод Алиевич").contains(&search_key("gafurov sher")));
    }

    #[test]
    fn ogiloy_is_one_key_in_every_spelling_and_case() {
        let key = search_key("O‘g‘iloy");
        assert_eq!(key, "ogiloy");
        for spelling in ["O'g'iloy", "Oʻgʻiloy", "O’g’iloy", "Oʼgʼiloy", "O`g`iloy", "Ogiloy", "Ўғилой", "ЎҒИЛОЙ", "ўғилой", "OʻGʻILOY", "o'g'iloy"]
        {
            assert_eq!(search_key(spelling), key, "{spelling}");
        }
        assert_eq!(latn_to_cyrl("O‘g‘iloy"), "Ўғилой");
        assert_eq!(latn_to_cyrl("Oʻgʻiloy"), "Ўғилой");
        assert_eq!(cyrl_to_latn("Ўғилой"), "O‘g‘iloy");
    }

    #[test]
    fn toshkent_in_both_scripts_and_cases_is_one_key() {
        for spelling in ["Toshkent", "TOSHKENT", "toshkent", "Тошкент", "ТОШКЕНТ", "тошкент"] {
            assert_eq!(search_key(spelling), search_key("Toshkent"), "{spelling}");
        }
        assert_eq!(latn_to_cyrl("TOSHKENT"), "ТОШКЕНТ");
        assert_eq!(search_key("Тошкент шаҳри, Чилонзор тумани"), search_key("Toshkent shahri, Chilonzor tumani"));
        assert_ne!(search_key("Ташкент"), search_key("Toshkent"), "the Russian name is another word: it is not folded to Toshkent");
    }

    #[test]
    fn round_trip_keeps_search_key() {
        for name in ["Sherzod G‘afurov", "Yulduz Qodirova", "Shahnoza O‘ktamova", "Chori Xo‘jayev"] {
            assert_eq!(search_key(&latn_to_cyrl(name)), search_key(name), "{name}");
        }
    }
}
