//! `suhbat programme …` and `suhbat training …`: joint programmes with families over several
//! sessions, and the training of inspectors and members of the seven. Every line printed comes
//! from the core's view-models, in `--lang`.

use crate::open_store;
use crate::output::truncate;
use crate::records::StoreArg;
use crate::report::table;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use suhbat_core::views::{self, NewProgramme, NewProgrammeOrganiser, NewTrainee, NewTraining, ViewContext};
use suhbat_core::Locale;

#[derive(Subcommand)]
pub(crate) enum ProgrammeCommand {
    /// Adds a programme; prints its id.
    Add(ProgrammeAdd),
    /// Adds a target family (optionally with its parent case); prints its item id.
    Family {
        #[command(flatten)]
        store: StoreArg,
        /// Programme id.
        id: String,
        /// The family as it is known ("Yusupovlar, Navoiy 12").
        name: String,
        /// Its parent case id.
        #[arg(long)]
        case: Option<String>,
    },
    /// Adds a session; prints its item id.
    Session {
        #[command(flatten)]
        store: StoreArg,
        /// Programme id.
        id: String,
        /// Day held, YYYY-MM-DD or DD.MM.YYYY.
        #[arg(long)]
        date: String,
        /// Topic.
        #[arg(long)]
        topic: String,
        /// The joint event recorded for it in the register.
        #[arg(long)]
        event: Option<String>,
    },
    /// Records the families (item id or name) who attended a session.
    Attend {
        #[command(flatten)]
        store: StoreArg,
        /// Programme id.
        id: String,
        /// Session item id.
        session: String,
        /// A family's item id or name (repeat).
        #[arg(long = "family", required = true)]
        families: Vec<String>,
    },
    /// Lists programmes, latest first.
    List(StoreArg),
    /// The report of one programme: attendance per session and per family.
    Report {
        #[command(flatten)]
        store: StoreArg,
        /// Programme id.
        id: String,
        /// Print CSV instead of a table.
        #[arg(long)]
        csv: bool,
    },
}

#[derive(Args)]
pub(crate) struct ProgrammeAdd {
    #[command(flatten)]
    store: StoreArg,
    /// Title ("Parents' school, autumn 2025").
    #[arg(long)]
    title: String,
    /// Mahalla.
    #[arg(long)]
    mahalla: String,
    /// First day.
    #[arg(long)]
    from: String,
    /// Last day.
    #[arg(long, default_value = "")]
    to: String,
    /// Organiser as "name/kind" (kind: seven_member, school, service, civil_society; repeat).
    #[arg(long = "organiser", required = true)]
    organisers: Vec<String>,
}

#[derive(Subcommand)]
pub(crate) enum TrainingCommand {
    /// Adds a training session; prints its id.
    Add {
        #[command(flatten)]
        store: StoreArg,
        /// Topic: childrens_rights, family_law, domestic_violence, preventive_conversation,
        /// juvenile_offences, extremism, online_safety, other.
        #[arg(long)]
        topic: String,
        /// Title or details (required for "other").
        #[arg(long, default_value = "")]
        title: String,
        /// Day held.
        #[arg(long)]
        date: String,
        /// Mahalla.
        #[arg(long)]
        mahalla: String,
        /// Who trained.
        #[arg(long, default_value = "")]
        trainer: String,
    },
    /// Records who attended, as "name/role" (role: inspector, chairman, womens_activist, …).
    Attend {
        #[command(flatten)]
        store: StoreArg,
        /// Training session id.
        id: String,
        /// An attendee "name/role" (repeat).
        #[arg(long = "person", required = true)]
        persons: Vec<String>,
    },
    /// Lists training sessions, latest first.
    List(StoreArg),
    /// What training a person had (name in either script).
    Person {
        #[command(flatten)]
        store: StoreArg,
        /// The person's name.
        name: String,
    },
}

/// "name/kind" typed on the command line, split at the last slash (no slash: `default`).
fn name_and(text: &str, default: &str) -> (String, String) {
    match text.rsplit_once('/') {
        Some((name, kind)) => (name.trim().to_string(), kind.trim().to_string()),
        None => (text.trim().to_string(), default.to_string()),
    }
}

pub(crate) fn programme(cmd: ProgrammeCommand, lang: Locale) -> Result<()> {
    let ctx = ViewContext::new(lang);
    match cmd {
        ProgrammeCommand::Add(a) => {
            let mut store = open_store(&a.store.store)?;
            let organisers = a
                .organisers
                .iter()
                .map(|o| {
                    let (name, kind) = name_and(o, "seven_member");
                    NewProgrammeOrganiser { name, kind }
                })
                .collect();
            let new = NewProgramme { title: a.title, mahalla: a.mahalla, starts_on: a.from, ends_on: a.to, organisers };
            println!("{}", views::add_programme(&mut store, &new)?);
        }
        ProgrammeCommand::Family { store, id, name, case } => {
            let mut s = open_store(&store.store)?;
            println!("{}", views::add_programme_family(&mut s, &id, &name, case.as_deref())?);
        }
        ProgrammeCommand::Session { store, id, date, topic, event } => {
            let mut s = open_store(&store.store)?;
            println!("{}", views::add_programme_session(&mut s, &id, &date, &topic, event.as_deref())?);
        }
        ProgrammeCommand::Attend { store, id, session, families } => {
            let mut s = open_store(&store.store)?;
            views::record_programme_attendance(&mut s, &id, &session, &families).context("recording attendance")?;
        }
        ProgrammeCommand::List(store) => {
            let mut s = open_store(&store.store)?;
            let list = views::programme_list(&mut s, &ctx)?;
            println!("{}", list.title);
            if list.rows.is_empty() {
                println!("{}", list.empty_text);
            }
            for r in &list.rows {
                println!("{}  {:<24} {:<30} {} · {}", r.id, r.period_label, truncate(&r.title, 30), r.organisers, r.summary);
            }
        }
        ProgrammeCommand::Report { store, id, csv } => {
            let mut s = open_store(&store.store)?;
            let report = views::programme_report(&mut s, &ctx, &id)?;
            print!("{}", if csv { report.to_csv() } else { table(&report) });
        }
    }
    Ok(())
}

pub(crate) fn training(cmd: TrainingCommand, lang: Locale) -> Result<()> {
    let ctx = ViewContext::new(lang);
    match cmd {
        TrainingCommand::Add { store, topic, title, date, mahalla, trainer } => {
            let mut s = open_store(&store.store)?;
            println!("{}", views::add_training(&mut s, &NewTraining { topic, title, held_on: date, mahalla, trainer })?);
        }
        TrainingCommand::Attend { store, id, persons } => {
            let mut s = open_store(&store.store)?;
            let attendees: Vec<NewTrainee> = persons
                .iter()
                .map(|p| {
                    let (name, role) = name_and(p, "inspector");
                    NewTrainee { name, role }
                })
                .collect();
            views::record_training_attendance(&mut s, &id, &attendees)?;
        }
        TrainingCommand::List(store) => {
            let mut s = open_store(&store.store)?;
            let list = views::training_list(&mut s, &ctx)?;
            println!("{}", list.title);
            if list.rows.is_empty() {
                println!("{}", list.empty_text);
            }
            for r in &list.rows {
                println!("{}  {}  {:<30} {:<24} {}", r.id, r.date_label, truncate(&r.topic_label, 30), truncate(&r.title, 24), r.attendance_label);
            }
        }
        TrainingCommand::Person { store, name } => {
            let mut s = open_store(&store.store)?;
            let view = views::person_training(&mut s, &ctx, &name)?;
            println!("{}", view.title);
            if view.rows.is_empty() {
                println!("{}", view.empty_text);
            }
            for r in &view.rows {
                println!("{}  {:<30} {}  {}", r.date_label, r.topic_label, r.role_label, r.title);
            }
        }
    }
    Ok(())
}
