//! Kept aside: this user's work that the hub refused, each record with what the user wrote and
//! why it was refused, until the user re-enters it (through the record's form) or discards it.
//! Nothing the hub refuses disappears without the user having seen it here.

use super::form::FormKind;
use super::labels::{self, field_label, text};
use super::ViewContext;
use crate::error::Result;
use crate::i18n;
use crate::model::RecordKind;
use crate::store::{fields_of, Store};
use chrono::{TimeZone, Utc};

view_types! { $ kept_aside_view_types;

    /// One record of refused work.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct KeptAsideRow {
        /// Its number; send it back to discard it.
        pub seq: i64,
        /// The record id (open its form to re-enter the work).
        pub record_id: String,
        /// Record kind label ("Person").
        pub record_kind: String,
        /// Record title as the user wrote it (a name, or the case's guardians).
        pub record_title: String,
        /// The fields the refused change wrote, by label.
        pub fields: Vec<String>,
        /// What the user wrote in those fields, one "label: value" line each.
        pub values: Vec<String>,
        /// Why the hub refused it.
        pub reason: String,
        /// When it was kept aside (local time).
        pub at: String,
        /// The form that edits the record, to enter the work again (none for a kind without one).
        pub form: Option<FormKind>,
    }

    /// The kept-aside screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct KeptAsideList {
        /// Screen title.
        pub title: String,
        /// What this list is, in one sentence.
        pub explanation: String,
        /// Refused work, oldest first.
        pub rows: Vec<KeptAsideRow>,
        /// Shown when there is none.
        pub empty_text: String,
        /// Label of the button that discards an entry.
        pub discard_label: String,
        /// Label of the button that opens the record's form to enter the work again.
        pub enter_again_label: String,
    }
}

/// Everything kept aside on this device.
pub fn kept_aside_list(store: &mut Store, ctx: &ViewContext) -> Result<KeptAsideList> {
    let locale = ctx.locale;
    let rows = store
        .kept_aside()?
        .into_iter()
        .map(|entry| {
            let kind = RecordKind::parse(&entry.kind);
            let title = kind.map(|k| fields_of(k, &entry.value).title).filter(|t| t != "?").unwrap_or_else(|| entry.record_id.clone());
            let values = entry
                .fields
                .iter()
                .map(|path| {
                    let value = path.split('/').try_fold(&entry.value, |v, key| v.get(key)).cloned().unwrap_or(serde_json::Value::Null);
                    format!("{}: {}", field_label(locale, path), labels::value_label(ctx, path, &value))
                })
                .collect();
            KeptAsideRow {
                seq: entry.seq,
                record_kind: kind.map(|k| labels::choice_label(locale, "record_kind", &k)).unwrap_or_default(),
                record_title: labels::in_script(locale, &title),
                fields: entry.fields.iter().map(|f| field_label(locale, f)).collect(),
                values,
                reason: i18n::render(locale, "kept_aside.reason", &[("reason", entry.reason)]),
                at: Utc.timestamp_millis_opt(entry.at).single().map(|at| labels::datetime(ctx, at)).unwrap_or_default(),
                record_id: entry.record_id,
                form: kind.and_then(|kind| FormKind::ALL.into_iter().find(|f| !f.edits_a_part() && f.record_kind() == kind)),
            }
        })
        .collect();
    Ok(KeptAsideList {
        title: text(locale, "screen.kept_aside"),
        explanation: text(locale, "kept_aside.explain"),
        rows,
        empty_text: text(locale, "kept_aside.empty"),
        discard_label: text(locale, "action.discard"),
        enter_again_label: text(locale, "kept_aside.enter_again"),
    })
}

/// Discards an entry of the kept-aside list (the user has seen it). Returns whether it existed.
pub fn discard_kept_aside(store: &mut Store, seq: i64) -> Result<bool> {
    store.discard_kept_aside(seq)
}
