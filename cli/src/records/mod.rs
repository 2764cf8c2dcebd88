//! Subcommands that work on the records of a device store, one file per noun: persons,
//! conversations, parent cases, conflicts and kept-aside work, bundles, the audit chain. What
//! they store goes through the core's view-models and actions ([`suhbat_core::views`]), the
//! same the apps call; this module holds the arguments and helpers they share.

mod audit;
mod bundle;
mod conflicts;
mod conversation;
mod form;
mod history;
mod parent_case;
mod person;

pub(crate) use audit::{audit, print_audit, AuditCommand};
pub(crate) use bundle::{bundle, BundleCommand};
pub(crate) use conflicts::{conflict, kept_aside, ConflictCommand, KeptAsideCommand};
pub(crate) use conversation::{conversation, ConversationCommand};
pub(crate) use form::{fill, followup, form, FillArgs, FollowupCommand, FormArgs, FormCommand};
pub(crate) use history::{as_of_lines, store_as_of};
pub(crate) use parent_case::{case, CaseCommand};
pub(crate) use person::{person, PersonCommand};

use crate::open_store;
use crate::output::print_rows;
use anyhow::{bail, Context, Result};
use clap::Args;
use std::path::PathBuf;
use suhbat_core::views::{self, FieldInput, Form, FormKind, ViewContext};
use suhbat_core::{ListQuery, Locale, RecordId, RecordKind, Store};

/// The store file every subcommand works on.
#[derive(Args)]
pub(crate) struct StoreArg {
    /// Path of the device store (an encrypted SQLite file; its key is kept in .suhbat-keys beside it).
    #[arg(long, short = 's', env = "SUHBAT_STORE")]
    pub(crate) store: PathBuf,
}

#[derive(Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Text to find (any script, any case).
    #[arg(long)]
    search: Option<String>,
    /// Only this mahalla.
    #[arg(long)]
    mahalla: Option<String>,
    /// Also list persons merged into another person (status `merged`; hidden by default).
    #[arg(long)]
    include_merged: bool,
    /// List the records as they stood at a local date (2026-03-03: the end of that day) or date
    /// and time (2026-03-03 14:30), by the clocks of the devices that made the changes.
    #[arg(long)]
    as_of: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub(crate) struct ShowArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Record id.
    id: String,
}

/// A record id typed by the user.
fn parse_id(text: &str) -> Result<RecordId> {
    RecordId::parse(text).with_context(|| format!("{text:?} is not a record id"))
}

/// `… list`: the records of one kind, as a table or JSON; with `--as-of`, as they stood then,
/// under the lines that say when and how the devices' clocks placed the changes.
fn list(args: ListArgs, kind: RecordKind, lang: Locale) -> Result<()> {
    let (store, _, header) = store_as_of(&args.store.store, args.as_of.as_deref(), ViewContext::new(lang))?;
    let query = ListQuery { kind: Some(kind), text: args.search, mahalla: args.mahalla, include_merged: args.include_merged, ..Default::default() };
    // Persons are searched however their names are spelled, closest first.
    let rows = if kind == RecordKind::Person { store.search_persons(&query)? } else { store.list(&query)? };
    let lines = header.as_ref().map(as_of_lines).unwrap_or_default();
    if args.json && header.is_some() {
        println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "as_of": lines, "rows": rows }))?);
    } else if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        lines.iter().for_each(|line| println!("{line}"));
        print_rows(&rows);
    }
    Ok(())
}

/// `… show`: one record as JSON with its conflicts (and a person's conversations and cases).
fn show(args: ShowArgs, lang: Locale) -> Result<()> {
    let mut store = open_store(&args.store.store)?;
    let id = parse_id(&args.id)?;
    let raw = store.get_raw(&id)?;
    store.record_access(&id, suhbat_core::AccessKind::View)?;
    println!("{}", serde_json::to_string_pretty(&raw.value)?);
    if !raw.conflicts.is_empty() {
        let list = views::conflict_list(&mut store, &ViewContext::new(lang))?;
        let rows: Vec<_> = list.rows.into_iter().filter(|r| r.record_id == id.as_str()).collect();
        conflicts::print_conflicts(&rows, &args.store);
    }
    if raw.kind == RecordKind::Person {
        // A survivor of a merge shows the records of its merged duplicates too.
        let mut talks = Vec::new();
        for member in store.merged_group(&id)? {
            talks.extend(store.list(&ListQuery { linked_to: Some(member.to_string()), ..Default::default() })?);
        }
        println!("\nconversations and cases:");
        print_rows(&talks);
    }
    Ok(())
}

/// Sets a one-value field of a form's inputs.
fn set_value(inputs: &mut Vec<FieldInput>, key: &str, value: String) {
    match inputs.iter_mut().find(|i| i.key == key) {
        Some(input) => input.value = value,
        None => inputs.push(FieldInput { key: key.to_string(), value, ..Default::default() }),
    }
}

/// Sets a multi-value field of a form's inputs.
fn set_selected(inputs: &mut Vec<FieldInput>, key: &str, selected: Vec<String>) {
    match inputs.iter_mut().find(|i| i.key == key) {
        Some(input) => input.selected = selected,
        None => inputs.push(FieldInput { key: key.to_string(), selected, ..Default::default() }),
    }
}

/// Submits a filled form as the app's save button does. Returns the stored record's id, or
/// fails with every broken rule, one a line as `field: message`, and nothing stored.
fn submit(store: &mut Store, ctx: &ViewContext, kind: FormKind, form: &Form, inputs: &[FieldInput]) -> Result<String> {
    let result = views::submit_form(store, ctx, kind, &form.record_id, &form.item_id, &form.version, inputs)?;
    if result.saved {
        return Ok(result.form.record_id);
    }
    let on_fields: Vec<(&str, &String)> = result.form.fields.iter().filter_map(|f| f.error.as_ref().map(|e| (f.key.as_str(), e))).collect();
    let mut lines: Vec<String> = on_fields.iter().map(|(key, message)| format!("  - {key}: {message}")).collect();
    let elsewhere = result.form.errors.iter().filter(|m| !on_fields.iter().any(|(_, shown)| shown == m));
    lines.extend(elsewhere.map(|message| format!("  - {message}")));
    bail!("the record was not saved:\n{}", lines.join("\n"))
}
