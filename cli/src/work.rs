//! Subcommands of the inspectors' wider work: cooperation requests, the applications registry
//! and joint events. Every line printed comes from the core's view-models, in `--lang`.

use crate::open_store;
use crate::output::truncate;
use crate::records::StoreArg;
use anyhow::{Context, Result};
use chrono::Datelike;
use clap::{Args, Subcommand};
use suhbat_core::views::{self, NewApplication, NewEvent, NewOrganiser, NewReferral, ViewContext};
use suhbat_core::Locale;

#[derive(Subcommand)]
pub(crate) enum ReferralCommand {
    /// Sends a cooperation request to the duty unit, a sectoral service, a body outside the
    /// police (school, health facility, …) or the mahalla seven.
    Send(ReferralSend),
    /// Lists the requests this device holds (sent by it, or addressed to its service).
    List(StoreJson),
    /// Shows one request with its stamped steps and the steps you may take.
    Show(StoreId),
    /// Takes a step: received, accepted, declined, feedback, closed.
    Step(ReferralStep),
    /// Escalates an overdue request to the addressee's supervisor (stamped: who, when, to whom).
    Escalate(ReferralEscalate),
}

#[derive(Args)]
pub(crate) struct ReferralEscalate {
    #[command(flatten)]
    store: StoreArg,
    /// Request id.
    id: String,
    /// The person it is escalated to, within the addressee's supervising body.
    #[arg(long, default_value = "")]
    to: String,
    /// Why.
    #[arg(long, default_value = "")]
    note: String,
}

#[derive(Args)]
pub(crate) struct StoreJson {
    #[command(flatten)]
    store: StoreArg,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub(crate) struct StoreId {
    #[command(flatten)]
    store: StoreArg,
    /// Record id.
    id: String,
}

#[derive(Args)]
pub(crate) struct ReferralSend {
    #[command(flatten)]
    store: StoreArg,
    /// Addressee: duty_unit, criminal_investigation, counter_extremism, investigation,
    /// operational_search, forensics, migration, traffic_safety, school, youth_union, social_protection,
    /// childrens_rights, health, mahalla_chairman, seven.
    #[arg(long)]
    to: String,
    /// Mahalla it concerns.
    #[arg(long)]
    mahalla: String,
    /// Who or what it is about.
    #[arg(long)]
    subject: String,
    /// Why help is asked for.
    #[arg(long)]
    reason: String,
    /// routine (10 days), urgent (3 days) or immediate (same day).
    #[arg(long, default_value = "routine")]
    priority: String,
    /// trafficking_in_persons, drugs, extremism_terrorism, missing_wanted, migration,
    /// road_safety, domestic_violence, juvenile or other.
    #[arg(long, default_value = "other")]
    category: String,
    /// Person on the register it concerns (repeatable).
    #[arg(long = "person")]
    persons: Vec<String>,
    /// Parent case it belongs to.
    #[arg(long)]
    case: Option<String>,
}

#[derive(Args)]
pub(crate) struct ReferralStep {
    #[command(flatten)]
    store: StoreArg,
    /// Request id.
    id: String,
    /// The step: received, accepted, declined, feedback or closed.
    state: String,
    /// Decline reason, feedback or closing remark.
    #[arg(long, default_value = "")]
    note: String,
}

#[derive(Subcommand)]
pub(crate) enum RegistryCommand {
    /// Registers an application (provisional number now, final number from the hub).
    Add(RegistryAdd),
    /// One book for a year in number order.
    List(RegistryList),
    /// Applicants of every book of a year by surname (the alphabetical book itself is
    /// `list --book alphabetical`).
    #[command(name = "by-surname", alias = "alphabetical")]
    BySurname(RegistryYear),
    /// Applications past their deadline without a decision.
    Overdue(StoreJson),
    /// Records the decision on an application.
    Decide(RegistryDecide),
}

#[derive(Args)]
pub(crate) struct RegistryAdd {
    #[command(flatten)]
    store: StoreArg,
    /// form1 (book), form2 (journal) or alphabetical (book).
    #[arg(long, default_value = "form2")]
    book: String,
    /// Applicant, surname first (or the organisation).
    #[arg(long)]
    applicant: String,
    /// citizen or legal_entity.
    #[arg(long, default_value = "citizen")]
    applicant_kind: String,
    /// Applicant's address or contact.
    #[arg(long, default_value = "")]
    address: String,
    /// Mahalla it concerns.
    #[arg(long)]
    mahalla: String,
    /// What it is about.
    #[arg(long)]
    summary: String,
    /// Officer assigned.
    #[arg(long, default_value = "")]
    assignee: String,
    /// Date received (YYYY-MM-DD; today by default).
    #[arg(long, default_value = "")]
    received: String,
    /// Decision due by (YYYY-MM-DD; the book's default by default).
    #[arg(long, default_value = "")]
    deadline: String,
}

#[derive(Args)]
pub(crate) struct RegistryList {
    #[command(flatten)]
    store: StoreArg,
    /// form1, form2 or alphabetical.
    #[arg(long, default_value = "form2")]
    book: String,
    /// Year (this year by default).
    #[arg(long)]
    year: Option<i32>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub(crate) struct RegistryYear {
    #[command(flatten)]
    store: StoreArg,
    /// Year (this year by default).
    #[arg(long)]
    year: Option<i32>,
}

#[derive(Args)]
pub(crate) struct RegistryDecide {
    #[command(flatten)]
    store: StoreArg,
    /// Application id.
    id: String,
    /// satisfied, explained, refused or forwarded.
    #[arg(long)]
    decision: String,
    /// The decision in words.
    #[arg(long)]
    text: String,
    /// Date decided (YYYY-MM-DD; today by default).
    #[arg(long, default_value = "")]
    on: String,
}

#[derive(Subcommand)]
pub(crate) enum EventCommand {
    /// Adds a joint event.
    Add(EventAdd),
    /// Lists joint events, latest first.
    List(StoreJson),
    /// Records who attended (persons, parent cases, guests).
    Attend(EventAttend),
}

#[derive(Args)]
pub(crate) struct EventAdd {
    #[command(flatten)]
    store: StoreArg,
    /// seminar, social_assistance, sports_or_culture or mahalla_meeting.
    #[arg(long, default_value = "seminar")]
    kind: String,
    /// Title or topic.
    #[arg(long)]
    title: String,
    /// Date (YYYY-MM-DD).
    #[arg(long)]
    date: String,
    /// Place.
    #[arg(long)]
    place: String,
    /// Mahalla.
    #[arg(long)]
    mahalla: String,
    /// Organiser as "Name" or "Name/Organisation" (repeatable, at least one).
    #[arg(long = "organiser", required = true)]
    organisers: Vec<String>,
}

#[derive(Args)]
pub(crate) struct EventAttend {
    #[command(flatten)]
    store: StoreArg,
    /// Event id.
    id: String,
    /// Person on the register who attended (repeatable).
    #[arg(long = "person")]
    persons: Vec<String>,
    /// Parent case whose family attended (repeatable).
    #[arg(long = "case")]
    cases: Vec<String>,
    /// Guest by name (repeatable).
    #[arg(long = "guest")]
    guests: Vec<String>,
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub(crate) fn referral(cmd: ReferralCommand, lang: Locale) -> Result<()> {
    let ctx = ViewContext::new(lang);
    match cmd {
        ReferralCommand::Send(a) => {
            let mut store = open_store(&a.store.store)?;
            let new = NewReferral {
                to: a.to,
                mahalla: a.mahalla,
                subject: a.subject,
                reason: a.reason,
                priority: a.priority,
                category: a.category,
                person_ids: a.persons,
                case_id: a.case,
            };
            println!("{}", views::send_referral(&mut store, &ctx, &new)?);
        }
        ReferralCommand::List(a) => {
            let mut store = open_store(&a.store.store)?;
            let list = views::referral_list(&mut store, &ctx)?;
            if a.json {
                return print_json(
                    &list.rows.iter().map(|r| (&r.id, &r.state, &r.subject, &r.addressee_label, &r.category_label, r.overdue, r.escalated)).collect::<Vec<_>>(),
                );
            }
            println!("{}", list.title);
            if list.rows.is_empty() {
                println!("{}", list.empty_text);
            }
            for r in &list.rows {
                let late = match (r.overdue, r.escalated) {
                    (_, true) => " !!",
                    (true, false) => " !",
                    _ => "",
                };
                println!("{}  {:<14} {:<30} {:<32} {}{late}", r.id, r.state_label, truncate(&r.subject, 30), truncate(&r.addressee_label, 32), r.due_label);
            }
        }
        ReferralCommand::Show(a) => {
            let mut store = open_store(&a.store.store)?;
            let r = views::referral_detail(&mut store, &ctx, &a.id)?;
            println!("{} · {}\n{} → {} · {} · {} · {}", r.title, r.state_label, r.subject, r.addressee_label, r.category_label, r.priority_label, r.due_label);
            println!("{}", r.reason);
            if !r.escalation_label.is_empty() {
                println!("{}", r.escalation_label);
            }
            for step in &r.steps {
                let note = if step.note.is_empty() { String::new() } else { format!(" — {}", step.note) };
                println!("  {} · {} · {}{note}", step.when, step.state_label, step.by);
            }
            if r.conflicts > 0 {
                println!("conflicts: {} (see `suhbat conflict list`)", r.conflicts);
            }
            for action in &r.actions {
                println!("  → {} (suhbat referral step {} {})", action.label, r.id, action.state.as_str());
            }
            if r.can_escalate {
                println!("  → {} (suhbat referral escalate {})", r.escalate_label, r.id);
            }
        }
        ReferralCommand::Escalate(a) => {
            let mut store = open_store(&a.store.store)?;
            views::escalate_referral(&mut store, &ctx, &a.id, &a.to, &a.note)?;
            println!("{}", views::referral_detail(&mut store, &ctx, &a.id)?.escalation_label);
        }
        ReferralCommand::Step(a) => {
            let mut store = open_store(&a.store.store)?;
            views::advance_referral(&mut store, &ctx, &a.id, views::parse_choice("state", &a.state)?, &a.note)?;
            let r = views::referral_detail(&mut store, &ctx, &a.id)?;
            println!("{} · {}", r.subject, r.state_label);
        }
    }
    Ok(())
}

fn print_book(book: &views::RegistryBook, json: bool) -> Result<()> {
    if json {
        return print_json(&book.rows.iter().map(|r| (&r.id, &r.number_label, r.final_number, &r.applicant, &r.status_label, r.overdue)).collect::<Vec<_>>());
    }
    println!("{}", book.title);
    if book.rows.is_empty() {
        println!("{}", book.empty_text);
    }
    for r in &book.rows {
        let hint = if r.provisional_hint.is_empty() { String::new() } else { format!(" ({})", r.provisional_hint) };
        println!(
            "{}{hint}  {}  {:<28} {:<36} {} → {}",
            r.number_label,
            r.registered_label,
            truncate(&r.applicant, 28),
            truncate(&r.summary, 36),
            r.deadline_label,
            r.status_label
        );
    }
    Ok(())
}

pub(crate) fn registry(cmd: RegistryCommand, lang: Locale) -> Result<()> {
    let ctx = ViewContext::new(lang);
    let this_year = ctx.today().year();
    match cmd {
        RegistryCommand::Add(a) => {
            let mut store = open_store(&a.store.store)?;
            let new = NewApplication {
                book: a.book,
                registered_on: a.received,
                applicant_kind: a.applicant_kind,
                applicant: a.applicant,
                applicant_address: a.address,
                mahalla: a.mahalla,
                summary: a.summary,
                assignee: a.assignee,
                deadline: a.deadline,
            };
            let (id, number) = views::register_application(&mut store, &ctx, &new)?;
            println!("{id} {number}");
        }
        RegistryCommand::List(a) => {
            let mut store = open_store(&a.store.store)?;
            print_book(&views::registry_book(&mut store, &ctx, &a.book, a.year.unwrap_or(this_year))?, a.json)?;
        }
        RegistryCommand::Overdue(a) => {
            let mut store = open_store(&a.store.store)?;
            print_book(&views::overdue_applications(&mut store, &ctx)?, a.json)?;
        }
        RegistryCommand::BySurname(a) => {
            let mut store = open_store(&a.store.store)?;
            let book = views::alphabetical_book(&mut store, &ctx, a.year.unwrap_or(this_year))?;
            println!("{}", book.title);
            for group in &book.groups {
                println!("{}", group.letter);
                for r in &group.rows {
                    println!("  {:<28} {} · {} · {}", truncate(&r.applicant, 28), r.book_label, r.number_label, r.status_label);
                }
            }
        }
        RegistryCommand::Decide(a) => {
            let mut store = open_store(&a.store.store)?;
            views::decide_application(&mut store, &ctx, &a.id, &a.decision, &a.text, &a.on)?;
            println!("{}", a.id);
        }
    }
    Ok(())
}

pub(crate) fn event(cmd: EventCommand, lang: Locale) -> Result<()> {
    let ctx = ViewContext::new(lang);
    match cmd {
        EventCommand::Add(a) => {
            let mut store = open_store(&a.store.store)?;
            let organisers = a
                .organisers
                .iter()
                .map(|o| match o.split_once('/') {
                    Some((name, organisation)) => NewOrganiser { name: name.into(), organisation: organisation.into() },
                    None => NewOrganiser { name: o.clone(), organisation: String::new() },
                })
                .collect();
            let new = NewEvent { kind: a.kind, title: a.title, held_on: a.date, place: a.place, mahalla: a.mahalla, organisers };
            let id = views::add_event(&mut store, &new)?;
            println!("{id}");
        }
        EventCommand::List(a) => {
            let mut store = open_store(&a.store.store)?;
            let list = views::event_list(&mut store, &ctx, None)?;
            if a.json {
                return print_json(&list.rows.iter().map(|r| (&r.id, &r.title, &r.date_label, r.attendance)).collect::<Vec<_>>());
            }
            println!("{}", list.title);
            if list.rows.is_empty() {
                println!("{}", list.empty_text);
            }
            for r in &list.rows {
                println!("{}  {}  {:<30} {:<24} {} · {}", r.id, r.date_label, truncate(&r.title, 30), truncate(&r.kind_label, 24), r.place, r.attendance_label);
            }
        }
        EventCommand::Attend(a) => {
            let mut store = open_store(&a.store.store)?;
            views::record_attendance(&mut store, &a.id, &a.persons, &a.cases, &a.guests).context("recording attendance")?;
            println!("{}", a.id);
        }
    }
    Ok(())
}
