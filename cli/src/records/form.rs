//! `suhbat form show|fill KIND`: every record kind's form, as the apps show it, for scripting.
//! `fill` starts from what the form proposes, sets what it is given and saves through the
//! same view-model as the apps' save button (same rules, same field errors).

use super::{set_selected, set_value, submit, StoreArg};
use crate::open_store;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use suhbat_core::views::{self, FieldKind, Form, FormItem, FormKind, ViewContext};
use suhbat_core::Locale;

#[derive(Subcommand)]
pub(crate) enum FormCommand {
    /// Prints a form: its fields with their current values, choices and errors.
    Show(FormArgs),
    /// Fills a form and saves it; prints the record's id (and the part's id for a form of a
    /// part: a task, a follow-up, a decision), or every broken rule with nothing saved.
    Fill(FillArgs),
}

/// `suhbat followup …`: the +1/+3/+6-month follow-up results of conversations.
#[derive(Subcommand)]
pub(crate) enum FollowupCommand {
    /// Records (or corrects) a follow-up result of a conversation through its form, as the apps
    /// do: `--set done_on=2026-03-01 --set behaviour=improved --set reoffended=false …`
    /// (`suhbat form show follow-up --record ID --item m1` lists the fields and choices).
    /// Prints the conversation's id and the milestone, or every broken rule with nothing saved.
    Record {
        #[command(flatten)]
        store: StoreArg,
        /// Conversation id.
        conversation: String,
        /// Which follow-up: m1, m3 or m6 (+1, +3 or +6 months).
        #[arg(long)]
        at: String,
        /// A field's value, `key=value` (repeat).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
}

/// Runs a `followup` subcommand.
pub(crate) fn followup(cmd: FollowupCommand, lang: Locale) -> Result<()> {
    match cmd {
        FollowupCommand::Record { store, conversation, at, set } => {
            let form = FormArgs { store, kind: FormKind::FollowUp, record: Some(conversation), item: Some(at), about: None };
            fill(FillArgs { form, set, add: Vec::new() }, lang)
        }
    }
}

/// A form kind as typed: `parent-case` or `parent_case` (the core's names).
fn parse_kind(text: &str) -> Result<FormKind, String> {
    let wanted = text.trim().replace('-', "_");
    FormKind::ALL.into_iter().find(|k| k.as_str() == wanted).ok_or_else(|| {
        let known: Vec<String> = FormKind::ALL.iter().map(|k| k.as_str().replace('_', "-")).collect();
        format!("unknown form {text:?}; one of: {}", known.join(", "))
    })
}

#[derive(Args)]
pub(crate) struct FormArgs {
    #[command(flatten)]
    pub(crate) store: StoreArg,
    /// The form: person, conversation, follow-up, parent-case, seven-task, referral,
    /// application, decision, joint-event or attendance.
    #[arg(value_parser = parse_kind)]
    pub(crate) kind: FormKind,
    /// The stored record to edit (none: a new record). Needed by the forms of a part.
    #[arg(long)]
    pub(crate) record: Option<String>,
    /// The part of the record (a task's id; a follow-up: m1, m3 or m6). None: a new part.
    #[arg(long)]
    pub(crate) item: Option<String>,
    /// The record a new one starts from (the person of a conversation, the case of a request).
    #[arg(long)]
    pub(crate) about: Option<String>,
}

#[derive(Args)]
pub(crate) struct FillArgs {
    #[command(flatten)]
    pub(crate) form: FormArgs,
    /// A field's value, `key=value` (repeat). Multi-value fields take `key=a,b`; a yes/no field
    /// takes true or false.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub(crate) set: Vec<String>,
    /// Adds an item to a list field: `key=text|detail|date|choice|done` (parts after the text
    /// may be left out; done is true or false).
    #[arg(long = "add", value_name = "KEY=ITEM")]
    pub(crate) add: Vec<String>,
}

/// Runs a `form` subcommand.
pub(crate) fn form(cmd: FormCommand, lang: Locale) -> Result<()> {
    match cmd {
        FormCommand::Show(args) => {
            let mut store = open_store(&args.store.store)?;
            let shown = open(&mut store, &ViewContext::new(lang), &args)?;
            print_form(&shown);
            Ok(())
        }
        FormCommand::Fill(args) => fill(args, lang),
    }
}

fn open(store: &mut suhbat_core::Store, ctx: &ViewContext, args: &FormArgs) -> Result<Form> {
    let kind = args.kind;
    views::form(store, ctx, kind, args.record.as_deref(), args.item.as_deref(), args.about.as_deref()).with_context(|| format!("the {} form", kind.as_str()))
}

pub(crate) fn fill(args: FillArgs, lang: Locale) -> Result<()> {
    let mut store = open_store(&args.form.store.store)?;
    let ctx = ViewContext::new(lang);
    let shown = open(&mut store, &ctx, &args.form)?;
    let mut inputs = shown.inputs();
    for pair in &args.set {
        let (key, value) = pair.split_once('=').with_context(|| format!("--set {pair:?}: expected KEY=VALUE"))?;
        let Some(field) = shown.fields.iter().find(|f| f.key == key) else {
            bail!("the {} form has no field {key:?}; its fields: {}", shown.kind.as_str(), keys(&shown));
        };
        match field.kind {
            FieldKind::MultiChoice | FieldKind::Tags | FieldKind::Persons | FieldKind::Cases => {
                set_selected(&mut inputs, key, value.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect())
            }
            _ => set_value(&mut inputs, key, value.to_string()),
        }
    }
    for pair in &args.add {
        let (key, item) = pair.split_once('=').with_context(|| format!("--add {pair:?}: expected KEY=ITEM"))?;
        let Some(input) = inputs.iter_mut().find(|i| i.key == key) else {
            bail!("the {} form has no field {key:?}; its fields: {}", shown.kind.as_str(), keys(&shown));
        };
        let mut parts = item.split('|').map(str::trim);
        let mut next = || parts.next().unwrap_or_default().to_string();
        let (text, detail, date, choice, done) = (next(), next(), next(), next(), next());
        input.items.push(FormItem { id: String::new(), text, detail, date, choice, done: done == "true" });
    }
    let record = submit(&mut store, &ctx, shown.kind, &shown, &inputs)?;
    match shown.item_id.as_str() {
        "" => println!("{record}"),
        item => println!("{record} {item}"),
    }
    Ok(())
}

fn keys(form: &Form) -> String {
    form.fields.iter().map(|f| f.key.as_str()).collect::<Vec<_>>().join(", ")
}

/// A form as text: title, then one line per field (label, key, value, choices).
fn print_form(form: &Form) {
    println!(
        "{} ({} {}{})",
        form.title,
        form.kind.as_str(),
        form.record_id,
        if form.item_id.is_empty() { String::new() } else { format!(" {}", form.item_id) }
    );
    let mut section = "";
    for field in &form.fields {
        if field.section != section {
            section = &field.section;
            println!("\n{section}");
        }
        let required = if field.required { " *" } else { "" };
        let value = match field.kind {
            FieldKind::MultiChoice | FieldKind::Tags | FieldKind::Persons | FieldKind::Cases => field.selected.join(", "),
            FieldKind::Items => {
                field.items.iter().map(|i| [i.text.as_str(), i.detail.as_str(), i.date.as_str(), i.choice.as_str()].join("|")).collect::<Vec<_>>().join("; ")
            }
            _ => field.value.clone(),
        };
        println!("  {}{required} [{}]: {value}", field.label, field.key);
        if !field.choices.is_empty() && !matches!(field.kind, FieldKind::Persons | FieldKind::Person | FieldKind::Cases | FieldKind::Case) {
            println!("      {}", field.choices.iter().map(|c| format!("{}={}", c.value, c.label)).collect::<Vec<_>>().join(", "));
        }
        if let Some(error) = &field.error {
            println!("      ! {error}");
        }
    }
}
