//! `suhbat person history|restore`: a record's past through the core's history view-model;
//! and the records as they stood at a past time, for `--as-of` of lists and reports.

use super::{parse_id, StoreArg};
use crate::open_store;
use anyhow::Result;
use std::path::PathBuf;
use suhbat_core::views::{self, AsOfHeader, ViewContext};
use suhbat_core::{Locale, Store};

/// The store lists and reports read: the device's own with `ctx`, or with `as_of` the records
/// as they stood then (read-only, in memory), the context to read them with and their header.
pub(crate) fn store_as_of(path: &PathBuf, as_of: Option<&str>, ctx: ViewContext) -> Result<(Store, ViewContext, Option<AsOfHeader>)> {
    let mut store = open_store(path)?;
    Ok(match as_of {
        Some(at) => {
            let then = views::as_of(&mut store, &ctx, at)?;
            (then.store, then.ctx, Some(then.header))
        }
        None => (store, ctx, None),
    })
}

/// The lines a list or report of the past starts with: when, by whose clocks, and the changes
/// a clock that was behind placed (those lines only when there are such changes).
pub(crate) fn as_of_lines(header: &AsOfHeader) -> Vec<String> {
    [&header.title, &header.clocks_note, &header.clock_note, &header.held_back_note].into_iter().filter(|line| !line.is_empty()).cloned().collect()
}

/// `… history ID [--as-of DATE] [--json]`: the history screen as text or JSON, or the record
/// as it stood on a date.
pub(crate) fn history(arg: &StoreArg, id: &str, as_of: Option<&str>, json: bool, lang: Locale) -> Result<()> {
    let mut store = open_store(&arg.store)?;
    let ctx = ViewContext::new(lang);
    let id = parse_id(id)?.to_string();
    if let Some(at) = as_of {
        let then = views::record_as_of(&mut store, &ctx, &id, at)?;
        if json {
            let record: serde_json::Value = if then.existed { serde_json::from_str(&then.record_json)? } else { serde_json::Value::Null };
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({ "as_of": then.title, "existed": then.existed, "record": record, "note": then.note }))?
            );
        } else {
            println!("{}", then.title);
            if then.existed {
                println!("{}", serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&then.record_json)?)?);
            }
            println!("{}", then.note);
        }
        return Ok(());
    }
    let view = views::record_history(&mut store, &ctx, &id)?;
    if json {
        let entries: Vec<_> = view
            .entries
            .iter()
            .map(|e| {
                serde_json::json!({ "path": e.path, "field": e.field_label, "value": serde_json::from_str::<serde_json::Value>(&e.value_json).unwrap_or_default(),
                    "removed": e.removed, "author": e.author, "at": e.at, "concurrent": !e.concurrent_note.is_empty(),
                    "clock_behind": !e.clock_note.is_empty(), "change": e.change })
            })
            .collect();
        let passages: Vec<_> = view.passages.iter().map(|p| serde_json::json!({ "field": p.field_label, "text": p.text, "author": p.author })).collect();
        println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "record": view.record_title, "entries": entries, "passages": passages }))?);
        return Ok(());
    }
    println!("{} · {}", view.title, view.record_title);
    if view.entries.is_empty() {
        println!("{}", view.empty_text);
    }
    for e in &view.entries {
        let notes: Vec<&str> = [e.concurrent_note.as_str(), e.clock_note.as_str()].into_iter().filter(|n| !n.is_empty()).collect();
        let notes = if notes.is_empty() { String::new() } else { format!("  [{}]", notes.join("; ")) };
        println!("  {:<16}  {:<24}  {}: {}  ({}){notes}", e.at, crate::output::truncate(&e.author, 24), e.field_label, e.display, e.path);
    }
    if !view.passages.is_empty() {
        println!("\n{}", view.passages_title);
        for p in &view.passages {
            println!("  {}  {}: {:?}", crate::output::truncate(&p.author, 24), p.field_label, p.text);
        }
    }
    println!("\n{}: suhbat person restore --store {} {id} <path> '<value as JSON>'", view.restore_label, arg.store.display());
    Ok(())
}

/// `… restore ID PATH VALUE`: an earlier value given again, as a new change.
pub(crate) fn restore(arg: &StoreArg, id: &str, path: &str, value: &str) -> Result<()> {
    let mut store = open_store(&arg.store)?;
    let id = parse_id(id)?.to_string();
    if views::restore_field(&mut store, &id, path, value)? {
        println!("restored {path} of {id}; it syncs like any other edit");
    } else {
        println!("{path} of {id} already has that value: nothing changed");
    }
    Ok(())
}
