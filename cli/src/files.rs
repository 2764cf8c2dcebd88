//! `suhbat file …`: attach a photo, audio note, signature image or PDF to a record, list a
//! record's files, get a file's bytes (downloaded from the hub when they are not here), pin one
//! for offline use, and set the device's budget for downloaded files.

use crate::device::{client_for, files_with_progress};
use crate::open_store;
use crate::records::StoreArg;
use anyhow::{bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use std::path::PathBuf;
use suhbat_core::sync::FileReport;
use suhbat_core::views::{self, ViewContext};
use suhbat_core::{AttachmentKind, Locale, RecordId};

/// What an attached file is.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum KindArg {
    Photo,
    Signature,
    Audio,
    Document,
}

impl From<KindArg> for AttachmentKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Photo => AttachmentKind::Photo,
            KindArg::Signature => AttachmentKind::Signature,
            KindArg::Audio => AttachmentKind::Audio,
            KindArg::Document => AttachmentKind::Document,
        }
    }
}

#[derive(Subcommand)]
pub(crate) enum FileCommand {
    /// Attaches a file to a record. Photos over the device's limit are scaled down first.
    Attach {
        #[command(flatten)]
        store: StoreArg,
        /// The record's id.
        record: String,
        /// The file (.jpg, .png, .m4a, .mp3, .ogg, .pdf).
        path: PathBuf,
        /// What it is (default: from its type).
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// What it shows.
        #[arg(long, default_value = "")]
        caption: String,
        /// Media type, when the file's extension does not say it.
        #[arg(long = "type")]
        media_type: Option<String>,
    },
    /// Takes a file off a record (a new change that syncs like any edit).
    Detach {
        #[command(flatten)]
        store: StoreArg,
        /// The record's id.
        record: String,
        /// The file's hash (from `file list`).
        hash: String,
    },
    /// Lists a record's files and whether each is on this device.
    List {
        #[command(flatten)]
        store: StoreArg,
        /// The record's id.
        record: String,
    },
    /// Writes a file's bytes to `--out`, downloading them from the hub first when they are
    /// not on this device (only a file a record here names).
    Get {
        #[command(flatten)]
        store: StoreArg,
        /// The file's hash (from `file list`).
        hash: String,
        /// Where to write it.
        #[arg(long)]
        out: PathBuf,
    },
    /// Keeps a file on this device for offline use (downloaded at the next sync), or lets it go.
    Pin {
        #[command(flatten)]
        store: StoreArg,
        /// The file's hash.
        hash: String,
        /// Lets it go back to the ordinary budget.
        #[arg(long)]
        off: bool,
    },
    /// Sets how many megabytes downloaded files may take on this device (default 200).
    Budget {
        #[command(flatten)]
        store: StoreArg,
        /// Megabytes.
        megabytes: u64,
    },
}

/// The media type a file's extension stands for.
fn media_type_of(path: &std::path::Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "m4a" | "mp4" | "aac" => "audio/mp4",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "pdf" => "application/pdf",
        _ => return None,
    })
}

pub(crate) fn run(cmd: FileCommand, lang: Locale) -> Result<()> {
    let ctx = ViewContext::new(lang);
    match cmd {
        FileCommand::Attach { store, record, path, kind, caption, media_type } => {
            let mut s = open_store(&store.store)?;
            let id = RecordId::parse(&record).with_context(|| format!("{record:?} is not a record id"))?;
            let media_type = match media_type.as_deref().or_else(|| media_type_of(&path)) {
                Some(t) => t.to_string(),
                None => bail!(
                    "cannot tell the type of {} from its name; give --type (image/jpeg, image/png, audio/mp4, audio/mpeg, audio/ogg, application/pdf)",
                    path.display()
                ),
            };
            let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let kind = kind.map(AttachmentKind::from).unwrap_or_else(|| views::default_attachment_kind(&media_type));
            let attached = s.attach(&id, bytes, &media_type, kind, &caption)?;
            println!("attached {} ({}, {} bytes) to {id}; it is sent after the records at the next sync", attached.hash, attached.media_type, attached.size);
        }
        FileCommand::Detach { store, record, hash } => {
            let mut s = open_store(&store.store)?;
            let id = RecordId::parse(&record).with_context(|| format!("{record:?} is not a record id"))?;
            if s.detach(&id, &hash)? {
                println!("took {hash} off {id}");
            } else {
                println!("{id} has no file {hash}: nothing changed");
            }
        }
        FileCommand::List { store, record } => {
            let mut s = open_store(&store.store)?;
            let list = views::record_files(&mut s, &ctx, &record)?;
            if list.rows.is_empty() {
                println!("{}", list.empty_text);
            }
            for row in list.rows {
                println!("{}  {:<12} {:>8}  {:<22} {}  {}", row.hash, row.kind_label, row.size_label, row.state_label, row.media_type, row.caption);
            }
        }
        FileCommand::Get { store, hash, out } => {
            let mut s = open_store(&store.store)?;
            let bytes = match s.file(&hash)? {
                Some(bytes) => bytes,
                None => {
                    let client = client_for(&s).context("the file is not on this device, and the device is not enrolled with a hub to fetch it from")?;
                    print_file_report(&files_with_progress(&mut s, &client)?);
                    s.file(&hash)?.context("the hub could not send this file (see above); try again after the device that attached it has synced")?
                }
            };
            std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
            println!("wrote {} bytes to {}", bytes.len(), out.display());
        }
        FileCommand::Pin { store, hash, off } => {
            let mut s = open_store(&store.store)?;
            s.pin_file(&hash, !off)?;
            println!("{}", if off { "unpinned; it may be evicted when space is needed" } else { "pinned; it is downloaded at the next sync and kept" });
        }
        FileCommand::Budget { store, megabytes } => {
            let mut s = open_store(&store.store)?;
            s.set_file_budget(megabytes * 1024 * 1024)?;
            let usage = s.file_usage()?;
            println!(
                "files may take {megabytes} MB; they take {:.1} MB in {} file(s), {} not sent yet",
                usage.bytes as f64 / 1048576.0,
                usage.files,
                usage.unsent
            );
        }
    }
    Ok(())
}

/// Prints what a file transfer did (nothing when there was nothing to move).
pub(crate) fn print_file_report(r: &FileReport) {
    if r.progress.files_total == 0 {
        return;
    }
    println!(
        "files: {} uploaded, {} downloaded, {} refused; {} of content in {} B up, {} B down",
        r.uploaded,
        r.downloaded,
        r.refused.len(),
        r.progress.bytes_done,
        r.progress.wire_sent,
        r.progress.wire_received
    );
    for (hash, reason) in &r.refused {
        println!("  file {hash}: {reason}");
    }
}
