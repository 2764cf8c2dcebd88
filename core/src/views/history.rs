//! A record's history screen: every value each field had with who set it and when (values set
//! concurrently and changes from a device whose clock was behind are marked), who wrote each
//! passage of its notes, the record as it stood on a date, and restoring an earlier value as a
//! new change.

use super::conflicts::author_label;
use super::labels::{self, field_label, text};
use super::ViewContext;
use crate::error::{Error, Result};
use crate::i18n;
use crate::ids::RecordId;
use crate::store::Store;
use crate::wire::WireError;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde_json::Value;

view_types! { $ history_view_types;

    /// One value a field was given by one change.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct HistoryEntry {
        /// Field path; send it back with `value_json` to restore this value.
        pub path: String,
        /// Field label.
        pub field_label: String,
        /// The value for display ("Removed" when the change took the field out).
        pub display: String,
        /// The value as JSON (`null` when removed).
        pub value_json: String,
        /// The change removed the field.
        pub removed: bool,
        /// "Dilnoza (Mahalla seven)", or "Unknown device 3f2a…".
        pub author: String,
        /// When (local time, by the clock of the device that made it), or empty.
        pub at: String,
        /// "Set concurrently" when another change set this field without seeing this one.
        pub concurrent_note: String,
        /// "The device's clock was behind" when the change is dated before one it builds on.
        pub clock_note: String,
        /// The change (hash), for support.
        pub change: String,
    }

    /// A run of a text field written by one person.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct HistoryPassage {
        /// Field label.
        pub field_label: String,
        /// The characters.
        pub text: String,
        /// Who typed them.
        pub author: String,
    }

    /// The history screen of one record.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RecordHistoryView {
        /// Screen title.
        pub title: String,
        /// The record's title (a name, the case's guardians).
        pub record_title: String,
        /// Every value each field was given, newest first.
        pub entries: Vec<HistoryEntry>,
        /// Title of the text authors' section.
        pub passages_title: String,
        /// The text fields passage by passage, in reading order.
        pub passages: Vec<HistoryPassage>,
        /// Label of the action that gives a field an earlier value again.
        pub restore_label: String,
        /// Shown when there are no entries.
        pub empty_text: String,
    }

    /// A record as it stood on a date.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RecordAsOf {
        /// "As of 03.03.2026 23:59".
        pub title: String,
        /// The record then, as JSON (empty when it did not exist yet).
        pub record_json: String,
        /// Whether it existed then.
        pub existed: bool,
        /// Explains an empty record, and that times are the devices' own clocks.
        pub note: String,
    }
}

/// The history screen of a record.
pub fn record_history(store: &mut Store, ctx: &ViewContext, record_id: &str) -> Result<RecordHistoryView> {
    let locale = ctx.locale;
    let id = RecordId::parse(record_id).ok_or_else(|| Error::NotFound(record_id.to_string()))?;
    let raw = store.get_raw(&id)?;
    store.record_access(&id, crate::AccessKind::View)?;
    let record_title = Some(crate::store::fields_of(raw.kind, &raw.value).title).filter(|t| t != "?").unwrap_or_else(|| id.short().to_string());
    let history = store.history(&id)?;
    let entries = history
        .values
        .iter()
        .rev()
        .map(|v| HistoryEntry {
            path: v.path.clone(),
            field_label: field_label(locale, &v.path),
            display: if v.removed { text(locale, "record_history.removed") } else { labels::value_label(ctx, &v.path, &v.value) },
            value_json: v.value.to_string(),
            removed: v.removed,
            author: author_label(locale, v.author.as_ref(), &v.actor),
            at: v.at.map(|at| labels::datetime(ctx, at)).unwrap_or_default(),
            concurrent_note: if v.concurrent { text(locale, "record_history.concurrent") } else { String::new() },
            clock_note: if v.clock_behind { text(locale, "record_history.clock_behind") } else { String::new() },
            change: v.change.chars().take(12).collect(),
        })
        .collect();
    let passages = history
        .passages
        .iter()
        .map(|p| HistoryPassage { field_label: field_label(locale, &p.path), text: p.text.clone(), author: author_label(locale, p.author.as_ref(), &p.actor) })
        .collect();
    Ok(RecordHistoryView {
        title: text(locale, "screen.record_history"),
        record_title: labels::in_script(locale, &record_title),
        entries,
        passages_title: text(locale, "record_history.passages"),
        passages,
        restore_label: text(locale, "action.restore"),
        empty_text: text(locale, "record_history.empty"),
    })
}

/// The record as it stood at `at`: a local date (`2026-03-03`, the end of that day) or a local
/// date and time (`2026-03-03 14:30`).
pub fn record_as_of(store: &mut Store, ctx: &ViewContext, record_id: &str, at: &str) -> Result<RecordAsOf> {
    let locale = ctx.locale;
    let id = RecordId::parse(record_id).ok_or_else(|| Error::NotFound(record_id.to_string()))?;
    let when = parse_at(ctx, at)?;
    let then = store.get_as_of(&id, when)?;
    store.record_access(&id, crate::AccessKind::View)?;
    let title = i18n::render(locale, "record_history.as_of", &[("date", labels::datetime(ctx, when))]);
    Ok(match then {
        Some(record) => RecordAsOf { title, record_json: record.to_string(), existed: true, note: text(locale, "record_history.clocks") },
        None => RecordAsOf { title, record_json: String::new(), existed: false, note: text(locale, "record_history.not_yet") },
    })
}

/// The UTC time of a local date (`2026-03-03`, the end of that day) or local date and time
/// (`2026-03-03 14:30`, or to the second `2026-03-03 14:30:15`) typed by the user; anything
/// else is a translated `BadInput`.
pub(super) fn parse_at(ctx: &ViewContext, at: &str) -> Result<DateTime<Utc>> {
    let local = parse_local(at.trim()).ok_or_else(|| Error::BadInput(i18n::render(ctx.locale, "record_history.bad_date", &[("value", at.to_string())])))?;
    Ok(ctx.utc(local))
}

fn parse_local(at: &str) -> Option<NaiveDateTime> {
    if let Ok(date) = NaiveDate::parse_from_str(at, "%Y-%m-%d") {
        return Some(date.and_time(NaiveTime::from_hms_milli_opt(23, 59, 59, 999)?));
    }
    NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").or_else(|_| NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M:%S")).ok()
}

/// Gives a field an earlier value again (`value_json` from a [`HistoryEntry`]; `null` of a
/// removed entry takes the field out again), as a new change. Returns false when the field
/// already has that value.
pub fn restore_field(store: &mut Store, record_id: &str, path: &str, value_json: &str) -> Result<bool> {
    let id = RecordId::parse(record_id).ok_or_else(|| Error::NotFound(record_id.to_string()))?;
    let value: Value = serde_json::from_str(value_json).map_err(|e| Error::Malformed(WireError::Invalid { what: "restored value", reason: e.to_string() }))?;
    store.restore_field(&id, path, Some(&value).filter(|v| !v.is_null()))
}
