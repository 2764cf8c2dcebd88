//! `suhbat bundle …`: exchanging changes between two stores by file, without a hub.

use super::StoreArg;
use crate::open_store;
use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::PathBuf;
use suhbat_core::Summary;

#[derive(Subcommand)]
pub(crate) enum BundleCommand {
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

pub(crate) fn bundle(cmd: BundleCommand) -> Result<()> {
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
