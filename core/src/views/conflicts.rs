//! Conflicts to resolve: fields that two people set to different values while offline, each
//! value with who wrote it and when, and the action that keeps one of them.

use super::labels::{self, field_label, text};
use super::ViewContext;
use crate::error::{Error, Result};
use crate::i18n;
use crate::ids::RecordId;
use crate::model::RecordKind;
use crate::store::Store;
use crate::wire::WireError;
use crate::Author;
use serde_json::Value;
use std::collections::HashMap;

view_types! { $ conflict_view_types;

    /// One of the values a conflicting field holds.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ConflictOption {
        /// The value as JSON; send it back to keep this value.
        pub value_json: String,
        /// The value for display (choices by label, dates formatted).
        pub display: String,
        /// "Dilnoza (Mahalla seven)", or "Unknown device 3f2a…".
        pub author: String,
        /// When it was written (local time), or empty when unknown.
        pub at: String,
        /// The value shown until someone decides (the deterministic winner).
        pub is_current: bool,
    }

    /// One conflicting field.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ConflictRow {
        /// Record id.
        pub record_id: String,
        /// Record kind label ("Parent case").
        pub record_kind: String,
        /// Record title (a name, or the case's guardians).
        pub record_title: String,
        /// Field path; send it back with the chosen value.
        pub path: String,
        /// Field label.
        pub field_label: String,
        /// The values, the current one first.
        pub options: Vec<ConflictOption>,
    }

    /// The conflicts screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ConflictList {
        /// Screen title.
        pub title: String,
        /// What a conflict is, in one sentence.
        pub explanation: String,
        /// Conflicting fields, most recently touched records first.
        pub rows: Vec<ConflictRow>,
        /// Shown when there are none.
        pub empty_text: String,
        /// Label of the button that keeps a value.
        pub keep_label: String,
    }
}

/// "Dilnoza (Mahalla seven)", or "Unknown device 3f2a…" from the actor (or change) id.
pub(super) fn author_label(locale: crate::Locale, author: Option<&Author>, actor: &str) -> String {
    match author {
        Some(a) => {
            let role = labels::choice_label(locale, "role", &a.role);
            i18n::render(locale, "conflicts.author", &[("person", a.person.clone()), ("role", role)])
        }
        None => i18n::render(locale, "conflicts.unknown_author", &[("device", actor.chars().take(8).collect())]),
    }
}

/// Every open conflict on this device.
pub fn conflict_list(store: &mut Store, ctx: &ViewContext) -> Result<ConflictList> {
    let locale = ctx.locale;
    let mut titles: HashMap<RecordId, (RecordKind, String)> = HashMap::new();
    let mut rows = Vec::new();
    for conflict in store.conflicts()? {
        if !titles.contains_key(&conflict.record_id) {
            let raw = store.get_raw(&conflict.record_id)?;
            let title = Some(crate::store::fields_of(raw.kind, &raw.value).title).filter(|t| t != "?");
            titles.insert(conflict.record_id.clone(), (raw.kind, title.unwrap_or_else(|| conflict.record_id.short().to_string())));
        }
        let (kind, title) = titles.get(&conflict.record_id).cloned().unwrap_or((RecordKind::Person, String::new()));
        // A removed entry against the entry with a colleague's edit in it: "Removed" / its fields.
        let entry = conflict.values.iter().any(|v| v.value.is_object());
        let options = conflict
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| ConflictOption {
                value_json: v.value.to_string(),
                display: if entry && v.value.is_null() { text(locale, "value.removed") } else { labels::value_label(ctx, &conflict.path, &v.value) },
                author: author_label(locale, v.author.as_ref(), &v.actor),
                at: v.at.map(|at| labels::datetime(ctx, at)).unwrap_or_default(),
                is_current: i == 0,
            })
            .collect();
        rows.push(ConflictRow {
            record_id: conflict.record_id.to_string(),
            record_kind: labels::choice_label(locale, "record_kind", &kind),
            record_title: labels::in_script(locale, &title),
            field_label: field_label(locale, &conflict.path),
            path: conflict.path,
            options,
        });
    }
    Ok(ConflictList {
        title: text(locale, "screen.conflicts"),
        explanation: text(locale, "conflicts.explain"),
        rows,
        empty_text: text(locale, "conflicts.empty"),
        keep_label: text(locale, "action.keep_value"),
    })
}

/// Keeps one value of a conflicting field (`value_json` from a [`ConflictOption`], or any
/// JSON value); once merged everywhere, the conflict is gone on every device.
pub fn resolve_conflict(store: &mut Store, record_id: &str, path: &str, value_json: &str) -> Result<()> {
    let rid = RecordId::parse(record_id).ok_or_else(|| Error::NotFound(record_id.to_string()))?;
    let value: Value = serde_json::from_str(value_json).map_err(|e| Error::Malformed(WireError::Invalid { what: "conflict value", reason: e.to_string() }))?;
    store.resolve_conflict(&rid, path, &value)
}
