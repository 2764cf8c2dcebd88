//! `suhbat audit …`: the hash chain of a store's audit log.

use super::StoreArg;
use crate::open_store;
use anyhow::{bail, Result};
use clap::Subcommand;
use suhbat_core::AuditReport;

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Checks the hash chain; fails if an entry was removed or edited.
    Verify(StoreArg),
}

pub(crate) fn audit(cmd: AuditCommand) -> Result<()> {
    match cmd {
        AuditCommand::Verify(store) => print_audit(&open_store(&store.store)?.verify_audit()?),
    }
}

/// Prints what an audit chain check found; fails when an entry was removed or edited.
pub(crate) fn print_audit(report: &AuditReport) -> Result<()> {
    match report.first_broken {
        None => println!("audit chain intact: {} entries", report.entries),
        Some(seq) => bail!("audit chain broken at entry {seq} (after {} good entries)", report.entries),
    }
    Ok(())
}
