//! `suhbat conflict …` and `suhbat kept-aside …`: concurrent edits to settle, and the user's
//! work the hub refused.

use super::{parse_id, StoreArg};
use crate::open_store;
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use suhbat_core::{views, Locale};

#[derive(Subcommand)]
pub(crate) enum ConflictCommand {
    /// Lists open conflicts with each value's author and time.
    List(StoreArg),
    /// Resolves a conflict with one of the listed values (by number) or a new JSON value.
    Resolve {
        #[command(flatten)]
        store: StoreArg,
        /// Record id.
        id: String,
        /// Field path as listed.
        path: String,
        /// `1`, `2`, … for a listed value, or `--value JSON`.
        #[arg(long, conflicts_with = "value")]
        pick: Option<usize>,
        /// A new value as JSON (e.g. '"text"' or 'true').
        #[arg(long)]
        value: Option<String>,
    },
}

/// `suhbat kept-aside …`: the user's work the hub refused, kept with the reasons.
#[derive(Subcommand)]
pub(crate) enum KeptAsideCommand {
    /// Lists what is kept aside: each record, the fields and values the user wrote, and why
    /// the hub refused them.
    List(StoreArg),
    /// Discards one entry (after re-entering the work, or deciding it is not needed).
    Discard {
        #[command(flatten)]
        store: StoreArg,
        /// The entry's number, as listed.
        seq: i64,
    },
}

pub(crate) fn conflict(cmd: ConflictCommand, lang: Locale) -> Result<()> {
    match cmd {
        ConflictCommand::List(arg) => {
            let list = views::conflict_list(&mut open_store(&arg.store)?, &views::ViewContext::new(lang))?;
            println!("{}: {}", list.title, list.explanation);
            if list.rows.is_empty() {
                println!("{}", list.empty_text);
            }
            print_conflicts(&list.rows, &arg);
        }
        ConflictCommand::Resolve { store, id, path, pick, value } => {
            let mut s = open_store(&store.store)?;
            let id = parse_id(&id)?.to_string();
            let chosen = match (pick, value) {
                (Some(n), _) => {
                    let list = views::conflict_list(&mut s, &views::ViewContext::new(lang))?;
                    let row = list.rows.into_iter().find(|r| r.record_id == id && r.path == path).with_context(|| format!("no conflict at {path}"))?;
                    let count = row.options.len();
                    row.options.into_iter().nth(n.wrapping_sub(1)).with_context(|| format!("pick 1 to {count}"))?.value_json
                }
                (None, Some(json)) => {
                    serde_json::from_str::<serde_json::Value>(&json).with_context(|| format!("{json:?} is not JSON (quote text: '\"text\"')"))?;
                    json
                }
                (None, None) => bail!("say which value: --pick N or --value JSON"),
            };
            views::resolve_conflict(&mut s, &id, &path, &chosen)?;
            println!("resolved {path} of {id}");
        }
    }
    Ok(())
}

pub(crate) fn kept_aside(cmd: KeptAsideCommand, lang: Locale) -> Result<()> {
    match cmd {
        KeptAsideCommand::List(store) => {
            let mut s = open_store(&store.store)?;
            let list = views::kept_aside_list(&mut s, &views::ViewContext::new(lang))?;
            println!("{}: {}", list.title, list.explanation);
            if list.rows.is_empty() {
                println!("{}", list.empty_text);
            }
            for row in &list.rows {
                println!("[{}] {} · {} ({}) · {}", row.seq, row.record_kind, row.record_title, row.record_id, row.at);
                for value in &row.values {
                    println!("      {value}");
                }
                println!("      {}", row.reason);
            }
        }
        KeptAsideCommand::Discard { store, seq } => {
            let mut s = open_store(&store.store)?;
            if !views::discard_kept_aside(&mut s, seq)? {
                bail!("nothing kept aside with number {seq}; see `suhbat kept-aside list`");
            }
            println!("discarded entry {seq}");
        }
    }
    Ok(())
}

/// Conflicting fields, each value numbered with its author and time, and how to keep one.
pub(crate) fn print_conflicts(rows: &[views::ConflictRow], arg: &StoreArg) {
    for row in rows {
        println!("\n{} · {} ({}) · {} [{}]", row.record_kind, row.record_title, row.record_id, row.field_label, row.path);
        for (i, option) in row.options.iter().enumerate() {
            println!("  [{}] {} — {} {}", i + 1, option.display, option.author, option.at);
        }
        println!("  suhbat conflict resolve --store {} {} {} --pick N", arg.store.display(), row.record_id, row.path);
    }
}
