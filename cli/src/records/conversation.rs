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
    /// Channel of contact: in_person, phone, messenger, online_platform.
    #[arg(long)]
    channel: Option<String>,
    /// Partner present or involved (repeat): local_authority, school, religious_organisation,
    /// social_services, civil_society.
    #[arg(long = "partner")]
    partners: Vec<String>,
    /// Who gave consent: person_themself, parent, guardian, legal_representative (for a minor,
    /// not the person themself).
    #[arg(long)]
    consent_by: Option<String>,
    /// How consent was obtained (required for a minor).
    #[arg(long)]
    consent: Option<String>,
    /// Legal ground (repeat): prevention_of_offences, neglect_of_minors, rights_of_the_child, …
    #[arg(long = "legal-ground")]
    legal_grounds: Vec<String>,
    /// The legal basis in words (articles, or the act meant by "other").
    #[arg(long)]
    legal_details: Option<String>,
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
    let optional = [("channel", a.channel), ("consent_by", a.consent_by), ("consent_note", a.consent), ("legal_basis/details", a.legal_details)];
    for (key, value) in optional {
        if let Some(value) = value {
            set_value(&mut inputs, key, value);
        }
    }
    set_selected(&mut inputs, "partners", a.partners);
    set_selected(&mut inputs, "legal_basis/grounds", a.legal_grounds);
    println!("{}", submit(&mut store, &ctx, FormKind::Conversation, &form, &inputs)?);
    Ok(())
}
