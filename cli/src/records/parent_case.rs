//! `suhbat case …`: parent cases worked with the mahalla seven.

use super::{list, parse_id, show, ListArgs, ShowArgs, StoreArg};
use crate::open_store;
use anyhow::Result;
use clap::{Args, Subcommand};
use suhbat_core::views::{self, ViewContext};
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
            views::set_case_stage(&mut s, &id, &stage, &reason)?;
            println!("stage set to {}", views::parent_case(&mut s, &ctx, &id)?.stage_label);
        }
        CaseCommand::LegalBasis { store, id, grounds, details } => {
            let mut s = open_store(&store.store)?;
            let id = parse_id(&id)?.to_string();
            views::set_case_legal_basis(&mut s, &id, &grounds, &details)?;
            println!("{}", views::parent_case(&mut s, &ctx, &id)?.legal_basis.join("; "));
        }
        CaseCommand::Task { store, id, role, task, due } => {
            let mut s = open_store(&store.store)?;
            let id = parse_id(&id)?.to_string();
            println!("{}", views::add_case_task(&mut s, &id, &role, &task, &due)?);
        }
    }
    Ok(())
}
