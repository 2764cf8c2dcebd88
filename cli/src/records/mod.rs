//! Subcommands that work on a device store file: set-up, records, conflicts, bundles, audit.

use crate::open_store;
use crate::output::{print_conflicts, print_rows};
use anyhow::{bail, Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use suhbat_core::*;

/// The store file every subcommand works on.
#[derive(Args)]
pub struct StoreArg {
    /// Path of the device store (an encrypted SQLite file; its key is kept in .suhbat-keys beside it).
    #[arg(long, short = 's', env = "SUHBAT_STORE")]
    pub store: PathBuf,
}

#[derive(Args)]
pub struct ListArgs {
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
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ShowArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Record id.
    id: String,
}

#[derive(Subcommand)]
pub enum PersonCommand {
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
    /// Undoes a merge: both persons are exactly as before.
    Unmerge {
        #[command(flatten)]
        store: StoreArg,
        /// The merged duplicate.
        duplicate: String,
    },
}

#[derive(Args)]
pub struct PersonAdd {
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

#[derive(Subcommand)]
pub enum ConversationCommand {
    /// Records a preventive conversation.
    Add(ConversationAdd),
    /// Lists conversations.
    List(ListArgs),
    /// Shows one conversation.
    Show(ShowArgs),
}

#[derive(Args)]
pub struct ConversationAdd {
    #[command(flatten)]
    store: StoreArg,
    /// Person id (repeat for a group conversation).
    #[arg(long = "person", required = true)]
    persons: Vec<String>,
    /// Where it took place.
    #[arg(long)]
    place: String,
    /// individual, group or explanatory.
    #[arg(long, default_value = "individual")]
    kind: String,
    /// Start time, RFC 3339 (default: now).
    #[arg(long)]
    at: Option<DateTime<Utc>>,
    /// Topics discussed.
    #[arg(long = "topic")]
    topics: Vec<String>,
    /// Next follow-up date, YYYY-MM-DD.
    #[arg(long)]
    follow_up: Option<NaiveDate>,
    /// Notes.
    #[arg(long, default_value = "")]
    notes: String,
}

#[derive(Subcommand)]
pub enum CaseCommand {
    /// Opens a parent case.
    Add(CaseAdd),
    /// Lists parent cases.
    List(ListArgs),
    /// Shows one case.
    Show(ShowArgs),
    /// Moves a case to a SARA stage: scanning, analysis, response, assessment. Forward one
    /// stage at a time; back only with --reason.
    Stage {
        #[command(flatten)]
        store: StoreArg,
        /// Case id.
        id: String,
        /// The stage.
        stage: String,
        /// Why the case moves back (required then).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Gives a task to a member of the mahalla seven.
    Task {
        #[command(flatten)]
        store: StoreArg,
        /// Case id.
        id: String,
        /// Member role: chairman, womens_activist, youth_leader, social_worker, inspector, …
        #[arg(long)]
        role: String,
        /// What to do.
        #[arg(long)]
        task: String,
        /// Due date.
        #[arg(long)]
        due: Option<NaiveDate>,
    },
}

#[derive(Args)]
pub struct CaseAdd {
    #[command(flatten)]
    store: StoreArg,
    /// Mahalla.
    #[arg(long)]
    mahalla: String,
    /// Parent or guardian name (repeat for several).
    #[arg(long = "guardian", required = true)]
    guardians: Vec<String>,
    /// Child name (repeat for several).
    #[arg(long = "child")]
    children: Vec<String>,
    /// The concern that opens the case.
    #[arg(long)]
    concern: String,
}

#[derive(Subcommand)]
pub enum ConflictCommand {
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
pub enum KeptAsideCommand {
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

#[derive(Subcommand)]
pub enum BundleCommand {
    /// Writes what this store has (its summary) to a file, for the other side.
    Summary {
        #[command(flatten)]
        store: StoreArg,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Writes the changes the other side lacks (all, without --since) to a bundle file.
    Export {
        #[command(flatten)]
        store: StoreArg,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
        /// The other side's summary file.
        #[arg(long)]
        since: Option<PathBuf>,
    },
    /// Merges a bundle file into this store.
    Import {
        #[command(flatten)]
        store: StoreArg,
        /// Bundle file.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Checks the hash chain; fails if an entry was removed or edited.
    Verify(StoreArg),
}

fn parse_id(text: &str) -> Result<RecordId> {
    RecordId::parse(text).with_context(|| format!("{text:?} is not a record id"))
}

fn parse_enum<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    views::choice_value(text).with_context(|| format!("unknown {what} {text:?}"))
}

/// The name in both scripts, from whichever script was typed.
fn both_scripts(name: PersonName) -> (PersonName, PersonName) {
    let is_cyrillic = name.full().chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
    if is_cyrillic {
        (name.map(text::cyrl_to_latn), name)
    } else {
        (name.clone(), name.map(text::latn_to_cyrl))
    }
}

fn list(args: ListArgs, kind: RecordKind) -> Result<()> {
    let store = open_store(&args.store.store)?;
    let rows =
        store.list(&ListQuery { kind: Some(kind), text: args.search, mahalla: args.mahalla, include_merged: args.include_merged, ..Default::default() })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        print_rows(&rows);
    }
    Ok(())
}

fn show(args: ShowArgs) -> Result<()> {
    let mut store = open_store(&args.store.store)?;
    let id = parse_id(&args.id)?;
    let raw = store.get_raw(&id)?;
    println!("{}", serde_json::to_string_pretty(&raw.value)?);
    if !raw.conflicts.is_empty() {
        println!();
        print_conflicts(&raw.conflicts);
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

pub fn person(cmd: PersonCommand, lang: Locale) -> Result<()> {
    match cmd {
        PersonCommand::Add(a) => {
            let mut store = open_store(&a.store.store)?;
            let (name_latn, name_cyrl) = both_scripts(PersonName { last: a.last, first: a.first, patronymic: a.patronymic });
            let risk_factors = a.risk.iter().map(|r| parse_enum(r, "risk factor")).collect::<Result<BTreeSet<RiskFactor>>>()?;
            let person = Person {
                name_latn,
                name_cyrl,
                birth_date: a.birth,
                address: Address { region: a.region, district: a.district, mahalla: a.mahalla, street: a.street, house: a.house },
                risk_factors,
                inspector: store.device().profile.person.clone(),
                registered_on: a.registered.unwrap_or_else(|| Utc::now().date_naive()),
                notes: a.notes,
                ..Default::default()
            };
            store.put(&person)?;
            println!("{}", person.id);
        }
        PersonCommand::List(args) => list(args, RecordKind::Person)?,
        PersonCommand::Show(args) => show(args)?,
        PersonCommand::Duplicates { store, mahalla, json } => duplicates(&store, mahalla.as_deref(), json, lang)?,
        PersonCommand::Merge { store: arg, keep, duplicate } => {
            let mut store = open_store(&arg.store)?;
            let (keep, duplicate) = (parse_id(&keep)?, parse_id(&duplicate)?);
            store.merge_persons(&keep, &duplicate)?;
            let card = views::person_detail(&mut store, &views::ViewContext::new(lang), keep.as_str())?;
            println!("merged {duplicate} into {keep} ({}); its history now shows {} conversation(s)", card.name, card.history.len());
            println!("undo with: suhbat person unmerge --store {} {duplicate}", arg.store.display());
        }
        PersonCommand::Unmerge { store: arg, duplicate } => {
            let mut store = open_store(&arg.store)?;
            let duplicate = parse_id(&duplicate)?;
            let keep = store.unmerge_person(&duplicate)?;
            println!("unmerged {duplicate} from {keep}; both are listed again");
        }
    }
    Ok(())
}

/// `person duplicates`: candidate pairs with localized reasons, as text or JSON.
fn duplicates(arg: &StoreArg, mahalla: Option<&str>, json: bool, lang: Locale) -> Result<()> {
    let mut store = open_store(&arg.store)?;
    let list = views::duplicate_list(&mut store, &views::ViewContext::new(lang), mahalla)?;
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

pub fn conversation(cmd: ConversationCommand, _lang: Locale) -> Result<()> {
    match cmd {
        ConversationCommand::Add(a) => {
            let mut store = open_store(&a.store.store)?;
            let person_ids = a.persons.iter().map(|p| parse_id(p)).collect::<Result<BTreeSet<_>>>()?;
            let first = person_ids.iter().next().context("at least one --person is needed")?;
            let person = store.get::<Person>(first).with_context(|| format!("person {first}"))?.record;
            let mut talk = Conversation {
                person_ids,
                mahalla: person.address.mahalla.clone(),
                place: a.place,
                started_at: a.at.unwrap_or_else(Utc::now),
                kind: parse_enum(&a.kind, "conversation kind")?,
                topics: a.topics.into_iter().collect(),
                next_follow_up: a.follow_up,
                notes: a.notes,
                inspector: store.device().profile.person.clone(),
                ..Default::default()
            };
            talk.schedule_follow_ups();
            store.put(&talk)?;
            println!("{}", talk.id);
        }
        ConversationCommand::List(args) => list(args, RecordKind::Conversation)?,
        ConversationCommand::Show(args) => show(args)?,
    }
    Ok(())
}

pub fn case(cmd: CaseCommand, _lang: Locale) -> Result<()> {
    match cmd {
        CaseCommand::Add(a) => {
            let mut store = open_store(&a.store.store)?;
            let guardians: BTreeMap<String, Guardian> = a.guardians.into_iter().map(|name| (new_item_id(), Guardian { name, ..Default::default() })).collect();
            let children: BTreeMap<String, Child> = a.children.into_iter().map(|name| (new_item_id(), Child { name, ..Default::default() })).collect();
            let case = ParentCase {
                mahalla: a.mahalla,
                guardians,
                children,
                concern: a.concern,
                opened_on: Utc::now().date_naive(),
                inspector: store.device().profile.person.clone(),
                ..Default::default()
            };
            store.put(&case)?;
            println!("{}", case.id);
        }
        CaseCommand::List(args) => list(args, RecordKind::ParentCase)?,
        CaseCommand::Show(args) => show(args)?,
        CaseCommand::Stage { store, id, stage, reason } => {
            let mut s = open_store(&store.store)?;
            let stage: SaraStage = parse_enum(&stage, "SARA stage")?;
            let mut case = s.get::<ParentCase>(&parse_id(&id)?)?.record;
            let by = s.device().profile.person.clone();
            case.move_to_stage(stage, &reason, &by, Utc::now())?;
            s.put(&case)?;
            println!("stage set to {stage:?}");
        }
        CaseCommand::Task { store, id, role, task, due } => {
            let mut s = open_store(&store.store)?;
            let role: SevenRole = parse_enum(&role, "seven role")?;
            let item = new_item_id();
            s.update::<ParentCase>(&parse_id(&id)?, |c| {
                c.tasks.insert(item.clone(), SevenTask { role, task, due, done: false });
            })?;
            println!("{item}");
        }
    }
    Ok(())
}

pub fn conflict(cmd: ConflictCommand) -> Result<()> {
    match cmd {
        ConflictCommand::List(store) => print_conflicts(&open_store(&store.store)?.conflicts()?),
        ConflictCommand::Resolve { store, id, path, pick, value } => {
            let mut s = open_store(&store.store)?;
            let id = parse_id(&id)?;
            let chosen = match (pick, value) {
                (Some(n), _) => {
                    let raw = s.get_raw(&id)?;
                    let conflict = raw.conflicts.iter().find(|c| c.path == path).with_context(|| format!("no conflict at {path}"))?;
                    conflict.values.get(n.wrapping_sub(1)).with_context(|| format!("pick 1 to {}", conflict.values.len()))?.value.clone()
                }
                (None, Some(json)) => serde_json::from_str(&json).with_context(|| format!("{json:?} is not JSON (quote text: '\"text\"')"))?,
                (None, None) => bail!("say which value: --pick N or --value JSON"),
            };
            s.resolve_conflict(&id, &path, &chosen)?;
            println!("resolved {path} of {id}");
        }
    }
    Ok(())
}

pub fn kept_aside(cmd: KeptAsideCommand, lang: Locale) -> Result<()> {
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

pub fn bundle(cmd: BundleCommand) -> Result<()> {
    match cmd {
        BundleCommand::Summary { store, out } => {
            let bytes = open_store(&store.store)?.summary()?.encode();
            std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
            println!("wrote summary ({} bytes) to {}", bytes.len(), out.display());
        }
        BundleCommand::Export { store, out, since } => {
            let mut s = open_store(&store.store)?;
            let since = match since {
                Some(path) => {
                    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
                    Some(Summary::decode(&bytes).with_context(|| format!("{} is not a summary", path.display()))?)
                }
                None => None,
            };
            let bytes = s.export_bundle(since.as_ref())?;
            std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
            println!("wrote bundle ({} bytes) to {}", bytes.len(), out.display());
        }
        BundleCommand::Import { store, file } => {
            let mut s = open_store(&store.store)?;
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let report = s.import_bundle(&bytes).with_context(|| format!("importing {}", file.display()))?;
            println!(
                "{} documents received, {} changed, {} records changed, {} records in conflict",
                report.docs_received, report.docs_changed, report.records_changed, report.records_in_conflict
            );
        }
    }
    Ok(())
}

pub fn audit(cmd: AuditCommand) -> Result<()> {
    match cmd {
        AuditCommand::Verify(store) => print_audit(&open_store(&store.store)?.verify_audit()?),
    }
}

/// Prints what an audit chain check found; fails when an entry was removed or edited.
pub fn print_audit(report: &AuditReport) -> Result<()> {
    match report.first_broken {
        None => println!("audit chain intact: {} entries", report.entries),
        Some(seq) => bail!("audit chain broken at entry {seq} (after {} good entries)", report.entries),
    }
    Ok(())
}
