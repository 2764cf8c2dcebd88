//! `suhbat conversation …`: recording and finding preventive conversations.

use super::{list, set_selected, set_value, show, submit, ListArgs, ShowArgs, StoreArg};
use crate::open_store;
use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use suhbat_core::views::{self, FormKind, ViewContext};
use suhbat_core::{Locale, RecordKind};

#[derive(Subcommand)]
pub(crate) enum ConversationCommand {
    /// Records a preventive conversation.
    Add(ConversationAdd),
    /// Lists conversations.
    List(ListArgs),
    /// Shows one conversation.
    Show(ShowArgs),
}

#[derive(Args)]
pub(crate) struct ConversationAdd {
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

pub(crate) fn conversation(cmd: ConversationCommand, lang: Locale) -> Result<()> {
    match cmd {
        ConversationCommand::Add(a) => add(a, lang)?,
        ConversationCommand::List(args) => list(args, RecordKind::Conversation, lang)?,
        ConversationCommand::Show(args) => show(args, lang)?,
    }
    Ok(())
}

/// `conversation add`: the form the app opens from the first person's card (in that person's
/// mahalla, now, by this device's user), filled with the flags and submitted; the core checks
/// every person and rule and schedules the follow-ups.
fn add(a: ConversationAdd, lang: Locale) -> Result<()> {
    let mut store = open_store(&a.store.store)?;
    let ctx = ViewContext::new(lang);
    let first = a.persons.first().context("at least one --person is needed")?;
    let form = views::conversation_form(&mut store, &ctx, None, Some(first)).with_context(|| format!("person {first}"))?;
    let mut inputs = form.inputs();
    set_selected(&mut inputs, "person_ids", a.persons);
    set_value(&mut inputs, "place", a.place);
    set_value(&mut inputs, "kind", a.kind);
    if let Some(at) = a.at {
        set_value(&mut inputs, "started_at", at.to_rfc3339());
    }
    if let Some(day) = a.follow_up {
        set_value(&mut inputs, "next_follow_up", day.to_string());
    }
    set_selected(&mut inputs, "topics", a.topics);
    set_value(&mut inputs, "notes", a.notes);
    println!("{}", submit(&mut store, &ctx, FormKind::Conversation, &form, &inputs)?);
    Ok(())
}
