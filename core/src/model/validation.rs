//! Field-level validation errors that carry a message key and parameters, so every shell can
//! render them in the user's language from the core catalog.

use crate::i18n::{self, Locale};
use serde::Serialize;
use std::fmt;

/// One broken rule: which field, which message, with which parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Path of the field, e.g. `birth_date` or `tasks/<id>/due`.
    pub field: String,
    /// Message key in the catalog, e.g. `validation.required`.
    pub key: &'static str,
    /// Named parameters for the message.
    pub params: Vec<(&'static str, String)>,
}

impl FieldError {
    /// The message in the given language.
    pub fn message(&self, locale: Locale) -> String {
        let label = i18n::field_label(locale, &self.field);
        let mut params: Vec<(&str, String)> = vec![("field", label)];
        // `other` names another field; show its label, not its path.
        // A parameter whose value is a catalog key (a state, a role) is shown translated.
        params.extend(self.params.iter().map(|(k, v)| {
            let shown = if *k == "other" {
                i18n::field_label(locale, v)
            } else if i18n::has(v) {
                i18n::text(locale, v)
            } else {
                v.clone()
            };
            (*k, shown)
        }));
        i18n::render(locale, self.key, &params)
    }
}

/// All rules a record broke, in field order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// True when no rule was broken.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The error for a field, if any.
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// All messages, one a line, in the given language.
    pub fn messages(&self, locale: Locale) -> Vec<String> {
        self.0.iter().map(|e| e.message(locale)).collect()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.messages(Locale::En).join("; "))
    }
}

impl std::error::Error for ValidationErrors {}

/// The latest local calendar date anywhere a phone may be at UTC instant `now`: dates typed on
/// a phone are local, and in Uzbekistan (UTC+5) the local date runs ahead of the UTC date in
/// the evening. Checks of "not in the future" on dates compare against this.
pub(crate) fn latest_local_date(now: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    now.date_naive() + chrono::Days::new(1)
}

/// Most bytes any one text of a record may hold (64 KiB): a long note fits many times over,
/// and no pasted document can make an edit, a merge or a sync slow. Fields with a tighter rule
/// of their own report that one instead.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Checks a record before it is stored: its own rules, then the size cap of every text in it
/// ([`MAX_TEXT_BYTES`]).
pub fn check_record<R: super::Record>(record: &R, now: chrono::DateTime<chrono::Utc>) -> Result<(), ValidationErrors> {
    let mut errors = record.validate(now).err().map(|e| e.0).unwrap_or_default();
    if let Ok(json) = serde_json::to_value(record) {
        if let Some(attachments) = json.get("attachments").and_then(|a| serde_json::from_value::<super::Attachments>(a.clone()).ok()) {
            let mut rules = Rules::default();
            super::attachment::check_attachments(&attachments, &mut rules);
            errors.extend(rules.errors);
        }
        for (field, len) in oversized_texts(&json) {
            if !errors.iter().any(|e| e.field == field) {
                errors.push(FieldError {
                    field,
                    key: "validation.text_too_large",
                    params: vec![("max", MAX_TEXT_BYTES.to_string()), ("len", len.to_string())],
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(errors))
    }
}

/// Paths (slash-separated) and byte lengths of the texts in `value` longer than
/// [`MAX_TEXT_BYTES`].
pub(crate) fn oversized_texts(value: &serde_json::Value) -> Vec<(String, usize)> {
    fn walk(value: &serde_json::Value, path: &str, out: &mut Vec<(String, usize)>) {
        let join = |key: &str| if path.is_empty() { key.to_string() } else { format!("{path}/{key}") };
        match value {
            serde_json::Value::String(text) if text.len() > MAX_TEXT_BYTES => out.push((path.to_string(), text.len())),
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| walk(v, &join(k), out)),
            serde_json::Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| walk(v, &join(&i.to_string()), out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out
}

/// Collects broken rules while a record checks itself.
#[derive(Default)]
pub(crate) struct Rules {
    errors: Vec<FieldError>,
}

impl Rules {
    pub(crate) fn fail(&mut self, field: impl Into<String>, key: &'static str, params: Vec<(&'static str, String)>) {
        self.errors.push(FieldError { field: field.into(), key, params });
    }

    /// The text must not be blank.
    pub(crate) fn required(&mut self, field: impl Into<String>, value: &str) {
        if value.trim().is_empty() {
            self.fail(field, "validation.required", vec![]);
        }
    }

    /// The text must not be longer than `max` characters.
    pub(crate) fn max_len(&mut self, field: impl Into<String>, value: &str, max: usize) {
        let len = value.chars().count();
        if len > max {
            self.fail(field, "validation.too_long", vec![("max", max.to_string()), ("len", len.to_string())]);
        }
    }

    /// `later` must not be before `earlier`.
    pub(crate) fn not_before<T: PartialOrd + fmt::Display>(&mut self, field: impl Into<String>, later: &T, other_field: &'static str, earlier: &T) {
        if later < earlier {
            self.fail(field, "validation.before", vec![("other", other_field.to_string()), ("value", later.to_string()), ("limit", earlier.to_string())]);
        }
    }

    /// The date or time must not be after `now`.
    pub(crate) fn not_in_future<T: PartialOrd + fmt::Display>(&mut self, field: impl Into<String>, value: &T, now: &T) {
        if value > now {
            self.fail(field, "validation.in_future", vec![("value", value.to_string())]);
        }
    }

    pub(crate) fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.errors))
        }
    }
}
