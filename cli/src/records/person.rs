//! `suhbat person …`: registering, finding, merging and unmerging persons.

use super::{list, parse_id, set_selected, set_value, show, submit, ListArgs, ShowArgs, StoreArg};
use crate::open_store;
use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use suhbat_core::views::{self, FormKind, ViewContext};
use suhbat_core::{Locale, RecordKind};

#[derive(Subcommand)]
pub(crate) enum PersonCommand {
    /// Registers a person.
    Add(PersonAdd),
    /// Lists or searches persons.
    List(ListArgs),
    /// Shows one person as JSON, with conflicts and conversations.
    Show(ShowArgs),
    /// Lists pairs of persons that are probably the same person, with the reasons.
    Duplicates {
        #[command(flatten)]
        store: StoreArg,
        /// Only this mahalla.
        #[arg(long)]
        mahalla: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Merges a duplicate into the person to keep: nothing is deleted, the kept person's card
    /// shows both histories, and `person unmerge` undoes it.
    Merge {
        #[command(flatten)]
        store: StoreArg,
        /// The person to keep.
        keep: String,
        /// The duplicate (hidden from lists afterwards).
        duplicate: String,
    },
    /// Every value each field had, who set it and when, and who wrote each passage of the
    /// notes; with `--as-of`, the person as they stood then.
    History {
        #[command(flatten)]
        store: StoreArg,
        /// Person id.
        id: String,
        /// A local date (2026-03-03: the end of that day) or date and time (2026-03-03 14:30).
        #[arg(long)]
        as_of: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Gives a field an earlier value again, as a new change (see `person history`).
    Restore {
        #[command(flatten)]
        store: StoreArg,
        /// Person id.
        id: String,
        /// The field's path, as `person history` prints it (e.g. address/street).
        path: String,
        /// The value as JSON, as `person history --json` prints it (e.g. '"Navoiy ko‘chasi"').
        value: String,
    },
    /// Undoes a merge: both persons are exactly as before.
    Unmerge {
        #[command(flatten)]
        store: StoreArg,
        /// The merged duplicate.
        duplicate: String,
    },
}

#[derive(Args)]
pub(crate) struct PersonAdd {
    #[command(flatten)]
    store: StoreArg,
    /// Family name (Latin or Cyrillic; the other script is filled in).
    #[arg(long)]
    last: String,
    /// Given name.
    #[arg(long)]
    first: String,
    /// Father's name.
    #[arg(long, default_value = "")]
    patronymic: String,
    /// Birth date, YYYY-MM-DD.
    #[arg(long)]
    birth: NaiveDate,
    /// Mahalla.
    #[arg(long)]
    mahalla: String,
    /// District.
    #[arg(long)]
    district: String,
    /// Region.
    #[arg(long, default_value = "")]
    region: String,
    /// Street.
    #[arg(long, default_value = "")]
    street: String,
    /// House.
    #[arg(long, default_value = "")]
    house: String,
    /// Risk factors, e.g. family_problems,peer_pressure.
    #[arg(long, value_delimiter = ',')]
    risk: Vec<String>,
    /// Date put on the register (default: today).
    #[arg(long)]
    registered: Option<NaiveDate>,
    /// Notes.
    #[arg(long, default_value = "")]
    notes: String,
}

pub(crate) fn person(cmd: PersonCommand, lang: Locale) -> Result<()> {
    match cmd {
        PersonCommand::Add(a) => add(a, lang)?,
        PersonCommand::List(args) => list(args, RecordKind::Person, lang)?,
        PersonCommand::Show(args) => show(args, lang)?,
        PersonCommand::Duplicates { store, mahalla, json } => duplicates(&store, mahalla.as_deref(), json, lang)?,
        PersonCommand::Merge { store: arg, keep, duplicate } => {
            let mut store = open_store(&arg.store)?;
            let (keep, duplicate) = (parse_id(&keep)?, parse_id(&duplicate)?);
            let card = views::merge_persons(&mut store, &ViewContext::new(lang), keep.as_str(), duplicate.as_str())?;
            println!("merged {duplicate} into {keep} ({}); its history now shows {} conversation(s)", card.name, card.history.len());
            println!("undo with: suhbat person unmerge --store {} {duplicate}", arg.store.display());
        }
        PersonCommand::History { store, id, as_of, json } => super::history::history(&store, &id, as_of.as_deref(), json, lang)?,
        PersonCommand::Restore { store, id, path, value } => super::history::restore(&store, &id, &path, &value)?,
        PersonCommand::Unmerge { store: arg, duplicate } => {
            let mut store = open_store(&arg.store)?;
            let ctx = ViewContext::new(lang);
            let duplicate = parse_id(&duplicate)?.to_string();
            let keep = views::person_detail(&mut store, &ctx, &duplicate)?.merged_into.unwrap_or_default();
            let card = views::unmerge_person(&mut store, &ctx, &duplicate)?;
            println!("unmerged {duplicate} ({}) from {keep}; both are listed again", card.name);
        }
    }
    Ok(())
}

/// `person add`: the person form as the app shows it, filled with the flags and submitted;
/// the core fills the name's other script and checks every rule.
fn add(a: PersonAdd, lang: Locale) -> Result<()> {
    let mut store = open_store(&a.store.store)?;
    let ctx = ViewContext::new(lang);
    let form = views::person_form(&mut store, &ctx, None)?;
    let mut inputs = form.inputs();
    let registered = a.registered.map(|d| d.to_string());
    for (key, value) in [
        ("name_latn/last", Some(a.last)),
        ("name_latn/first", Some(a.first)),
        ("name_latn/patronymic", Some(a.patronymic)),
        ("birth_date", Some(a.birth.to_string())),
        ("address/region", Some(a.region)),
        ("address/district", Some(a.district)),
        ("address/mahalla", Some(a.mahalla)),
        ("address/street", Some(a.street)),
        ("address/house", Some(a.house)),
        ("registered_on", registered),
        ("notes", Some(a.notes)),
    ] {
        if let Some(value) = value {
            set_value(&mut inputs, key, value);
        }
    }
    set_selected(&mut inputs, "risk_factors", a.risk);
    println!("{}", submit(&mut store, &ctx, FormKind::Person, &form, &inputs)?);
    Ok(())
}

/// `person duplicates`: candidate pairs with localized reasons, as text or JSON.
fn duplicates(arg: &StoreArg, mahalla: Option<&str>, json: bool, lang: Locale) -> Result<()> {
    let mut store = open_store(&arg.store)?;
    let list = views::duplicate_list(&mut store, &ViewContext::new(lang), mahalla)?;
    let person = |p: &views::DuplicatePerson| serde_json::json!({ "id": p.id, "name": p.name, "birth_date": p.birth_date, "address": p.address });
    if json {
        let rows: Vec<_> =
            list.rows.iter().map(|r| serde_json::json!({ "keep": person(&r.keep), "duplicate": person(&r.duplicate), "reasons": r.reasons })).collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    println!("{} · {}", list.title, list.count_label);
    if list.rows.is_empty() {
        println!("{}", list.empty_text);
    }
    for row in &list.rows {
        println!();
        for (role, p) in [("keep", &row.keep), ("duplicate", &row.duplicate)] {
            println!("  {role:<9}  {}  {:<30}  {:<10}  {}", p.id, crate::output::truncate(&p.name, 30), p.birth_date, p.address);
        }
        println!("  {}", row.reasons.join("; "));
        println!("  suhbat person merge --store {} {} {}", arg.store.display(), row.keep.id, row.duplicate.id);
    }
    Ok(())
}
