//! The catalog of user-facing strings in uz-Latn (default), uz-Cyrl, ru and en.
//!
//! Every entry holds all four languages in one array, so a missing translation is a compile
//! error rather than a blank label on a phone.

use serde::{Deserialize, Serialize};

mod console;
mod exchange;
mod files;
mod forms;
mod practice;
mod reports;
mod requests;
mod rules;
mod screens;
mod work;

/// A user interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    /// Uzbek, Latin script (default).
    #[default]
    UzLatn,
    /// Uzbek, Cyrillic script.
    UzCyrl,
    /// Russian.
    Ru,
    /// English.
    En,
}

impl Locale {
    /// All locales, in catalog column order.
    pub const ALL: [Locale; 4] = [Locale::UzLatn, Locale::UzCyrl, Locale::Ru, Locale::En];

    /// Parses a BCP 47 tag such as `uz-Latn`, `uz-Cyrl`, `ru`, `en`.
    pub fn parse(tag: &str) -> Option<Locale> {
        match tag.to_ascii_lowercase().as_str() {
            "uz" | "uz-latn" => Some(Locale::UzLatn),
            "uz-cyrl" => Some(Locale::UzCyrl),
            "ru" => Some(Locale::Ru),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The BCP 47 tag: `uz-Latn`, `uz-Cyrl`, `ru`, `en`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::UzLatn => "uz-Latn",
            Locale::UzCyrl => "uz-Cyrl",
            Locale::Ru => "ru",
            Locale::En => "en",
        }
    }

    fn column(self) -> usize {
        self as usize
    }
}

type Entry = (&'static str, [&'static str; 4]);

const CATALOG: &[Entry] = &[
    ("validation.required", ["{field} to‘ldirilishi shart", "{field} тўлдирилиши шарт", "Поле «{field}» обязательно", "{field} is required"]),
    (
        "validation.too_long",
        [
            "{field} juda uzun ({len} > {max} belgi)",
            "{field} жуда узун ({len} > {max} белги)",
            "Поле «{field}» слишком длинное ({len} > {max} символов)",
            "{field} is too long ({len} > {max} characters)",
        ],
    ),
    (
        "validation.text_too_large",
        [
            "{field} juda katta ({len} > {max} bayt); matnni qisqartiring",
            "{field} жуда катта ({len} > {max} байт); матнни қисқартиринг",
            "Поле «{field}» слишком большое ({len} > {max} байт); сократите текст",
            "{field} is too large ({len} > {max} bytes); shorten the text",
        ],
    ),
    (
        "validation.before",
        [
            "{field} ({value}) {other} ({limit}) dan oldin bo‘lishi mumkin emas",
            "{field} ({value}) {other} ({limit}) дан олдин бўлиши мумкин эмас",
            "«{field}» ({value}) не может быть раньше, чем «{other}» ({limit})",
            "{field} ({value}) cannot be before {other} ({limit})",
        ],
    ),
    (
        "validation.in_future",
        [
            "{field} ({value}) kelajakda bo‘lishi mumkin emas",
            "{field} ({value}) келажакда бўлиши мумкин эмас",
            "«{field}» ({value}) не может быть в будущем",
            "{field} ({value}) cannot be in the future",
        ],
    ),
    (
        "validation.at_least_one",
        ["Kamida bitta {field} kerak", "Камида битта {field} керак", "Нужен хотя бы один элемент: «{field}»", "At least one {field} is needed"],
    ),
    (
        "validation.out_of_range",
        [
            "{field} {min} va {max} oralig‘ida bo‘lishi kerak",
            "{field} {min} ва {max} оралиғида бўлиши керак",
            "«{field}» должно быть от {min} до {max}",
            "{field} must be between {min} and {max}",
        ],
    ),
    (
        "validation.outcome_required",
        [
            "Ishni yopish uchun {field} kiritilishi kerak",
            "Ишни ёпиш учун {field} киритилиши керак",
            "Чтобы закрыть дело, заполните «{field}»",
            "{field} is required to close the case",
        ],
    ),
    ("field.last", ["Familiya", "Фамилия", "Фамилия", "Last name"]),
    ("field.first", ["Ism", "Исм", "Имя", "First name"]),
    ("field.patronymic", ["Otasining ismi", "Отасининг исми", "Отчество", "Patronymic"]),
    ("field.birth_date", ["Tug‘ilgan sana", "Туғилган сана", "Дата рождения", "Birth date"]),
    ("field.mahalla", ["Mahalla", "Маҳалла", "Махалля", "Mahalla"]),
    ("field.district", ["Tuman", "Туман", "Район", "District"]),
    ("field.region", ["Viloyat", "Вилоят", "Область", "Region"]),
    ("field.registered_on", ["Hisobga olingan sana", "Ҳисобга олинган сана", "Дата постановки на учёт", "Registered on"]),
    ("field.person_ids", ["suhbatdosh", "суҳбатдош", "собеседник", "person"]),
    ("field.place", ["Joy", "Жой", "Место", "Place"]),
    ("field.started_at", ["Boshlanish vaqti", "Бошланиш вақти", "Время начала", "Start time"]),
    ("field.ended_at", ["Tugash vaqti", "Тугаш вақти", "Время окончания", "End time"]),
    ("field.next_follow_up", ["Keyingi nazorat sanasi", "Кейинги назорат санаси", "Дата следующей проверки", "Next follow-up date"]),
    ("field.lat", ["Kenglik", "Кенглик", "Широта", "Latitude"]),
    ("field.lon", ["Uzunlik", "Узунлик", "Долгота", "Longitude"]),
    ("field.guardians", ["ota-ona yoki vasiy", "ота-она ёки васий", "родитель или опекун", "parent or guardian"]),
    ("field.name", ["F.I.Sh.", "Ф.И.Ш.", "Ф.И.О.", "Name"]),
    ("field.concern", ["Muammo", "Муаммо", "Проблема", "Concern"]),
    ("field.opened_on", ["Ochilgan sana", "Очилган сана", "Дата открытия", "Opened on"]),
    ("field.task", ["Topshiriq", "Топшириқ", "Поручение", "Task"]),
    ("field.due", ["Muddat", "Муддат", "Срок", "Due date"]),
    ("field.outcome", ["Yakuniy natija", "Якуний натижа", "Итог", "Closing outcome"]),
    ("field.text", ["Matn", "Матн", "Текст", "Text"]),
    ("field.inspector", ["Inspektor", "Инспектор", "Инспектор", "Inspector"]),
    ("field.notes", ["Izohlar", "Изоҳлар", "Заметки", "Notes"]),
    ("field.school", ["Maktab", "Мактаб", "Школа", "School"]),
    ("field.situation", ["Bolaning ahvoli", "Боланинг аҳволи", "Положение ребёнка", "Situation"]),
    ("field.stage", ["SARA bosqichi", "SARA босқичи", "Этап SARA", "SARA stage"]),
    ("field.status", ["Holat", "Ҳолат", "Статус", "Status"]),
    ("field.relation", ["Qarindoshligi", "Қариндошлиги", "Родство", "Relation"]),
    ("field.role", ["A’zo", "Аъзо", "Член", "Member role"]),
    ("field.done", ["Bajarildi", "Бажарилди", "Выполнено", "Done"]),
    ("field.kind", ["Turi", "Тури", "Вид", "Kind"]),
    ("field.street", ["Ko‘cha", "Кўча", "Улица", "Street"]),
    ("field.house", ["Uy", "Уй", "Дом", "House"]),
    ("field.scanning", ["Muammoni aniqlash", "Муаммони аниқлаш", "Выявление проблемы", "Scanning"]),
    ("field.analysis", ["Tahlil", "Таҳлил", "Анализ", "Analysis"]),
    ("field.plan", ["Javob rejasi", "Жавоб режаси", "План реагирования", "Response plan"]),
    ("field.assessment", ["Baholash", "Баҳолаш", "Оценка", "Assessment"]),
];

/// Every entry: the main catalog, then the screens' entries.
fn entries() -> impl Iterator<Item = &'static Entry> {
    CATALOG
        .iter()
        .chain(screens::ENTRIES)
        .chain(work::ENTRIES)
        .chain(rules::ENTRIES)
        .chain(reports::ENTRIES)
        .chain(files::ENTRIES)
        .chain(forms::ENTRIES)
        .chain(requests::ENTRIES)
        .chain(practice::ENTRIES)
        .chain(console::ENTRIES)
        .chain(exchange::ENTRIES)
}

fn lookup(key: &str) -> Option<&'static Entry> {
    entries().find(|(k, _)| *k == key)
}

/// Whether the catalog has `key`.
pub fn has(key: &str) -> bool {
    lookup(key).is_some()
}

/// The template for `key` in `locale`, or the key itself when the catalog lacks it.
pub fn text(locale: Locale, key: &str) -> String {
    lookup(key).map(|(_, t)| t[locale.column()].to_string()).unwrap_or_else(|| key.to_string())
}

/// Renders `key` with `{name}` placeholders replaced by `params`.
pub fn render(locale: Locale, key: &str, params: &[(&str, String)]) -> String {
    let mut out = text(locale, key);
    for (name, value) in params {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The label of a field path (`tasks/<id>/due` → the label of `due`).
///
/// An entry of a list (`tasks/<item id>`) is labelled by its list.
pub fn field_label(locale: Locale, path: &str) -> String {
    let mut parts = path.rsplit('/');
    let last = parts.next().unwrap_or(path);
    let label = |part: &str| lookup(&format!("field.{part}")).map(|(_, t)| t[locale.column()].to_string());
    label(last).or_else(|| parts.next().and_then(label)).unwrap_or_else(|| last.to_string())
}

/// Every key in the catalog (for completeness tests and tooling).
pub fn keys() -> impl Iterator<Item = &'static str> {
    entries().map(|(k, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_filled_in_every_locale() {
        for (key, texts) in entries() {
            for (i, t) in texts.iter().enumerate() {
                assert!(!t.trim().is_empty(), "{key} is blank in {:?}", Locale::ALL[i]);
            }
        }
    }

    #[test]
    fn keys_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for key in keys() {
            assert!(seen.insert(key), "duplicate key {key}");
        }
    }

    #[test]
    fn placeholders_match_across_locales() {
        let names = |t: &str| {
            let mut v: Vec<String> = t.split('{').skip(1).filter_map(|s| s.split('}').next()).map(String::from).collect();
            v.sort();
            v
        };
        for (key, texts) in entries() {
            let en = names(texts[Locale::En.column()]);
            for t in texts {
                assert_eq!(names(t), en, "placeholders differ in {key}");
            }
        }
    }

    #[test]
    fn renders_parameters_and_labels() {
        let msg = render(Locale::En, "validation.required", &[("field", field_label(Locale::En, "tasks/x/due"))]);
        assert_eq!(msg, "Due date is required");
        assert_eq!(Locale::parse("uz-Cyrl"), Some(Locale::UzCyrl));
        assert_eq!(text(Locale::Ru, "no.such.key"), "no.such.key");
    }
}
