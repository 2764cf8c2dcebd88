//! The sync screen: when this device last exchanged changes, how many of its records changed
//! since, and the progress of a running sync.
//!
//! The time of the last sync is kept in the store ([`record_sync`]); the count of pending
//! changes is taken from the store's index (records changed after the last sync). Whether a
//! sync is running, how far it got and what the last one did, the caller passes in a
//! [`SyncState`] (the bindings keep one while the app runs; its transitions are in
//! `sync_state.rs`).

use super::labels::{self, text};
use super::{SyncState, ViewContext};
use crate::error::Result;
use crate::i18n::{self, Locale};
use crate::store::{ListQuery, Store};
use crate::sync::{self, SyncReport};
use chrono::{DateTime, Utc};

view_types! { $ sync_view_types;

    /// What a running sync has done so far (the session's own counts: the protocol knows no
    /// totals in advance, so shells show an indeterminate bar while a sync runs).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct SyncProgress {
        /// Round trips started.
        pub round: u32,
        /// Most round trips one sync takes.
        pub max_rounds: u32,
        /// Documents offered to the hub so far.
        pub docs_sent: u64,
        /// Documents received with changes so far.
        pub docs_received: u64,
        /// Bytes sent so far.
        pub bytes_sent: u64,
        /// Bytes received so far.
        pub bytes_received: u64,
        /// The session has finished.
        pub done: bool,
    }

    /// Whether a sync is running.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub enum SyncPhase {
        /// No sync is running.
        #[default]
        Idle,
        /// A sync is running.
        Running,
        /// The last sync failed.
        Failed,
    }

    /// The sync screen.
    #[derive(Clone, Debug, PartialEq)]
    pub struct SyncStatus {
        /// Screen title.
        pub title: String,
        /// Running, idle or failed.
        pub phase: SyncPhase,
        /// "Ready", "Syncing…", "Sync failed".
        pub phase_label: String,
        /// Time of the last sync (ms since the epoch), if any.
        pub last_sync_at_ms: Option<i64>,
        /// "Last sync: 01.10.2025 14:30" or "Never synced".
        pub last_sync_label: String,
        /// Records changed on this device since the last sync.
        pub pending_changes: u64,
        /// "Changes not yet sent: 3".
        pub pending_label: String,
        /// Progress of the running sync.
        pub progress: Option<SyncProgress>,
        /// "Round 1 of at most 3 · documents sent 2, received 5 · 3 KB up, 40 KB down".
        pub progress_label: Option<String>,
        /// Why the last sync failed.
        pub error: Option<String>,
        /// Open conflicts after the syncs so far.
        pub conflicts: u32,
        /// Label of the "Sync now" button.
        pub sync_now_label: String,
        /// This device is enrolled with a hub (else the screen offers enrolment).
        pub enrolled: bool,
        /// What the last sync of this session did: counts, then each change the hub refused
        /// and each document removed from this device, one line each (empty before a sync).
        pub last_report_lines: Vec<String>,
        /// Attached files: "Files: 2/5, 1.2 MB / 4.0 MB" while they move (after the records),
        /// else "Files not sent yet: 3" when some wait for the next sync, else none.
        pub files_label: Option<String>,
    }
}

/// Store setting holding the end of the last successful sync or bundle import (ms).
const LAST_SYNC: &str = "last_sync_ms";

/// Records that a sync or a bundle import finished successfully at `at`.
pub fn record_sync(store: &mut Store, at: DateTime<Utc>) -> Result<()> {
    store.set_setting(LAST_SYNC, &at.timestamp_millis().to_string())
}

/// The end of the last successful sync or bundle import, if any.
pub fn last_sync(store: &Store) -> Result<Option<DateTime<Utc>>> {
    Ok(store.setting(LAST_SYNC)?.and_then(|ms| ms.parse().ok()).and_then(DateTime::from_timestamp_millis))
}

impl From<&sync::SyncProgress> for SyncProgress {
    fn from(p: &sync::SyncProgress) -> Self {
        SyncProgress {
            round: p.round.into(),
            max_rounds: sync::MAX_ROUNDS.into(),
            docs_sent: p.docs_sent as u64,
            docs_received: p.docs_received as u64,
            bytes_sent: p.bytes_sent,
            bytes_received: p.bytes_received,
            done: p.done,
        }
    }
}

/// Kilobytes, rounded up, for labels.
fn kb(bytes: u64) -> String {
    bytes.div_ceil(1024).to_string()
}

/// "Round 1 of at most 3 · documents sent 2, received 5 · 3 KB up, 40 KB down".
fn progress_label(locale: Locale, p: &SyncProgress) -> String {
    i18n::render(
        locale,
        "sync.progress",
        &[
            ("round", p.round.to_string()),
            ("max_rounds", p.max_rounds.to_string()),
            ("docs_sent", p.docs_sent.to_string()),
            ("docs_received", p.docs_received.to_string()),
            ("kb_sent", kb(p.bytes_sent)),
            ("kb_received", kb(p.bytes_received)),
        ],
    )
}

/// The lines of the sync screen about a finished sync: counts, refused changes, removed
/// documents.
fn report_lines(locale: Locale, r: &SyncReport) -> Vec<String> {
    let counts = i18n::render(
        locale,
        "sync.report",
        &[
            ("docs_sent", r.docs_sent.to_string()),
            ("docs_received", r.docs_received.to_string()),
            ("records", r.records_changed.to_string()),
            ("conflicts", r.records_in_conflict.to_string()),
            ("kb_sent", kb(r.bytes_sent)),
            ("kb_received", kb(r.bytes_received)),
        ],
    );
    let rejected = r.rejected.iter().map(|x| i18n::render(locale, "sync.rejected", &[("doc", x.doc_id.clone()), ("reason", x.reason.clone())]));
    let revoked = r.revoked.iter().map(|doc| i18n::render(locale, "sync.removed", &[("doc", doc.clone())]));
    let kept = r.kept.iter().map(|doc| i18n::render(locale, "sync.kept", &[("doc", doc.clone())]));
    let replayed = (r.replayed > 0).then(|| i18n::render(locale, "sync.replayed", &[("count", r.replayed.to_string())]));
    let kept_aside = (!r.kept_aside.is_empty()).then(|| i18n::render(locale, "sync.kept_aside", &[("count", r.kept_aside.len().to_string())]));
    std::iter::once(counts).chain(rejected).chain(revoked).chain(kept).chain(replayed).chain(kept_aside).collect()
}

/// The sync screen for what `state` says and what the store holds.
pub fn sync_status(store: &mut Store, ctx: &ViewContext, state: &SyncState) -> Result<SyncStatus> {
    let locale = ctx.locale;
    let last = last_sync(store)?;
    let since_ms = last.map(|t| t.timestamp_millis()).unwrap_or(i64::MIN);
    let rows = store.list(&ListQuery { limit: Some(u32::MAX), ..Default::default() })?;
    let pending = rows.iter().filter(|r| r.updated_at > since_ms).count() as u64;
    let phase_key = match state.phase {
        SyncPhase::Idle => "sync.phase.idle",
        SyncPhase::Running => "sync.phase.running",
        SyncPhase::Failed => "sync.phase.failed",
    };
    Ok(SyncStatus {
        title: text(locale, "screen.sync"),
        phase: state.phase,
        phase_label: text(locale, phase_key),
        last_sync_at_ms: last.map(|t| t.timestamp_millis()),
        last_sync_label: match last {
            Some(at) => i18n::render(locale, "sync.last", &[("time", labels::datetime(ctx, at))]),
            None => text(locale, "sync.never"),
        },
        pending_changes: pending,
        pending_label: i18n::render(locale, "sync.pending", &[("count", pending.to_string())]),
        progress: state.progress,
        progress_label: state.progress.map(|p| progress_label(locale, &p)),
        error: state.error.clone(),
        conflicts: store.conflicts()?.len() as u32,
        sync_now_label: text(locale, "action.sync_now"),
        enrolled: store.hub_id()?.is_some(),
        last_report_lines: state.last_report.as_ref().map(|r| report_lines(locale, r)).unwrap_or_default(),
        files_label: files_label(store, locale, state.files.as_ref())?,
    })
}

/// The files line of the sync screen.
fn files_label(store: &Store, locale: Locale, moving: Option<&sync::FileProgress>) -> Result<Option<String>> {
    if let Some(p) = moving {
        let params = [
            ("done", p.files_done.to_string()),
            ("total", p.files_total.to_string()),
            ("bytes_done", crate::model::mb(p.bytes_done)),
            ("bytes_total", crate::model::mb(p.bytes_total)),
        ];
        return Ok(Some(i18n::render(locale, "sync.files", &params)));
    }
    let unsent = store.file_usage()?.unsent;
    Ok((unsent > 0).then(|| i18n::render(locale, "sync.files_unsent", &[("count", unsent.to_string())])))
}
