//! `suhbat case …`: parent cases worked with the mahalla seven.

use super::{list, parse_id, show, ListArgs, ShowArgs, StoreArg};
use crate::open_store;
use anyhow::Result;
use clap::{Args, Subcommand};
use suhbat_core::views::{self, FormKind, ViewContext};
use suhbat_core::{Locale, RecordKind};

#[derive(Subcommand)]
pub(crate) enum CaseCommand {
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
    /// Closes a case with its outcome, through the case's form as the apps do (a closed case
    /// is final; the outcome is required).
    Close {
        #[command(flatten)]
        store: StoreArg,
        /// Case id.
        id: String,
        /// What came of the work with the family.
        #[arg(long)]
        outcome: String,
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
        /// Due date, YYYY-MM-DD or DD.MM.YYYY.
        #[arg(long, default_value = "")]
        due: String,
    },
    /// Adds an indicator to the case's checklist: truancy, neglect, out_late_unsupervised,
    /// no_contact_with_school, alcohol_at_home, violence_at_home, child_working, begging, other.
    Indicator {
        #[command(flatten)]
        store: StoreArg,
        /// Case id.
        id: String,
        /// The indicator.
        kind: String,
        /// The day it was observed, YYYY-MM-DD or DD.MM.YYYY.
        #[arg(long)]
        observed: String,
        /// What was seen (required for "other").
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Marks an indicator resolved on a day (blank: unresolved again).
    Resolve {
        #[command(flatten)]
        store: StoreArg,
        /// Case id.
        id: String,
        /// The indicator's item id (printed by `case indicator`).
        item: String,
        /// The day it was found resolved.
        #[arg(long, default_value = "")]
        on: String,
    },
    /// Records help given: psychological, legal, social, school_contact, medical, educational.
    Assist {
        #[command(flatten)]
        store: StoreArg,
        /// Case id.
        id: String,
        /// The kind of help.
        kind: String,
        /// The day it was given.
        #[arg(long)]
        given: String,
        /// Who gave it.
        #[arg(long, default_value = "")]
        by: String,
        /// Details.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Records how help turned out: helped, partly_helped, no_effect, refused, pending.
    AssistOutcome {
        #[command(flatten)]
        store: StoreArg,
        /// Case id.
        id: String,
        /// The help's item id (printed by `case assist`).
        item: String,
        /// The outcome.
        outcome: String,
    },
    /// Links a child of the case to a person on the register (adds the child when none has
    /// the person's name).
    Child {
        #[command(flatten)]
        store: StoreArg,
        /// Case id.
        id: String,
        /// The person's record id.
        person: String,
    },
    /// Records the assessment's outcome measures: school attendance (percent) before and after.
    Measures {
        #[command(flatten)]
        store: StoreArg,
        /// Case id.
        id: String,
        /// Attendance before, in percent of school days.
        #[arg(long)]
        before: Option<u32>,
        /// Attendance at the assessment, in percent.
        #[arg(long)]
        after: Option<u32>,
        /// The day assessed.
        #[arg(long, default_value = "")]
        assessed: String,
    },
    /// Records the legal ground of a case: laws and resolutions (prevention_of_offences,
    /// neglect_of_minors, rights_of_the_child, protection_of_women, internal_affairs_bodies,
    /// family_code, administrative_code, mahalla_family_resolution, other) and details.
    LegalBasis {
        #[command(flatten)]
        store: StoreArg,
        /// Case id.
        id: String,
        /// A law or resolution (repeat for several).
        #[arg(long = "ground")]
        grounds: Vec<String>,
        /// In words: articles, or the act meant by "other".
        #[arg(long, default_value = "")]
        details: String,
    },
}

#[derive(Args)]
pub(crate) struct CaseAdd {
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

pub(crate) fn case(cmd: CaseCommand, lang: Locale) -> Result<()> {
    let ctx = ViewContext::new(lang);
    match cmd {
        CaseCommand::Add(a) => {
            let mut store = open_store(&a.store.store)?;
            println!("{}", views::open_case(&mut store, &ctx, &a.mahalla, &a.guardians, &a.children, &a.concern)?);
        }
        CaseCommand::List(args) => list(args, RecordKind::ParentCase, lang)?,
        CaseCommand::Show(args) => show(args, lang)?,
        CaseCommand::Stage { store, id, stage, reason } => {
            let mut s = open_store(&store.store)?;
            let id = parse_id(&id)?.to_string();
            views::set_case_stage(&mut s, &id, views::parse_choice("stage", &stage)?, &reason)?;
            println!("stage set to {}", views::parent_case(&mut s, &ctx, &id)?.stage_label);
        }
        CaseCommand::Indicator { store, id, kind, observed, note } => {
            let mut s = open_store(&store.store)?;
            println!("{}", views::add_case_indicator(&mut s, &parse_id(&id)?.to_string(), &kind, &observed, &note)?);
        }
        CaseCommand::Resolve { store, id, item, on } => {
            let mut s = open_store(&store.store)?;
            let id = parse_id(&id)?.to_string();
            views::resolve_case_indicator(&mut s, &id, &item, &on)?;
            println!("{}", views::parent_case(&mut s, &ctx, &id)?.practice.indicators_summary);
        }
        CaseCommand::Assist { store, id, kind, given, by, note } => {
            let mut s = open_store(&store.store)?;
            println!("{}", views::add_case_help(&mut s, &parse_id(&id)?.to_string(), &kind, &given, &by, &note)?);
        }
        CaseCommand::AssistOutcome { store, id, item, outcome } => {
            let mut s = open_store(&store.store)?;
            views::set_case_help_outcome(&mut s, &parse_id(&id)?.to_string(), &item, &outcome)?;
        }
        CaseCommand::Child { store, id, person } => {
            let mut s = open_store(&store.store)?;
            println!("{}", views::link_case_child(&mut s, &parse_id(&id)?.to_string(), &person)?);
        }
        CaseCommand::Measures { store, id, before, after, assessed } => {
            let mut s = open_store(&store.store)?;
            let id = parse_id(&id)?.to_string();
            views::set_case_measures(&mut s, &id, before, after, &assessed)?;
            for row in views::parent_case(&mut s, &ctx, &id)?.practice.measures {
                println!("{}: {}", row.label, row.value);
            }
        }
        CaseCommand::LegalBasis { store, id, grounds, details } => {
            let mut s = open_store(&store.store)?;
            let id = parse_id(&id)?.to_string();
            views::set_case_legal_basis(&mut s, &id, &grounds, &details)?;
            println!("{}", views::parent_case(&mut s, &ctx, &id)?.legal_basis.join("; "));
        }
        CaseCommand::Close { store, id, outcome } => {
            let form = super::FormArgs { store, kind: FormKind::ParentCase, record: Some(id), item: None, about: None };
            super::fill(super::FillArgs { form, set: vec!["status=closed".into(), format!("outcome={outcome}")], add: Vec::new() }, lang)?;
        }
        CaseCommand::Task { store, id, role, task, due } => {
            let mut s = open_store(&store.store)?;
            let id = parse_id(&id)?.to_string();
            println!("{}", views::add_case_task(&mut s, &id, views::parse_choice("role", &role)?, &task, &due)?);
        }
    }
    Ok(())
}
