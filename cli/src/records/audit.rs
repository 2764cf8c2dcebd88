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
        AuditCommand::Verify(store) => {
            let store = open_store(&store.store)?;
            print_audit(&store.verify_audit()?)?;
            let access = store.verify_access_log()?;
            match access.first_broken {
                None => println!("access log intact: {} entries (who saw what)", access.entries),
                Some(seq) => bail!("access log broken at entry {seq}"),
            }
            Ok(())
        }
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
