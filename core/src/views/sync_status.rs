//! The sync screen: when this device last exchanged changes, how many of its records changed
//! since, and the progress of a running sync.
//!
//! The time of the last sync is kept in the store ([`record_sync`]); the count of pending
//! changes is taken from the store's index (records changed after the last sync). Whether a
//! sync is running, and how far it got, the caller passes in a [`SyncState`].

use super::labels::{self, text};
use super::ViewContext;
use crate::error::Result;
use crate::i18n;
use crate::store::{ListQuery, Store};
use chrono::{DateTime, Utc};

view_types! { $ sync_view_types;

    /// What a running sync has done so far.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct SyncProgress {
        /// Documents exchanged.
        pub docs_done: u64,
        /// Documents to exchange.
        pub docs_total: u64,
        /// Bytes exchanged.
        pub bytes_done: u64,
        /// Bytes to exchange (an estimate until the last round).
        pub bytes_total: u64,
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
        /// "Documents: 3/10 · 12/40 KB".
        pub progress_label: Option<String>,
        /// Fraction done, 0.0 to 1.0, for a progress bar.
        pub progress_fraction: Option<f32>,
        /// Why the last sync failed.
        pub error: Option<String>,
        /// Open conflicts after the syncs so far.
        pub conflicts: u32,
        /// Label of the "Sync now" button.
        pub sync_now_label: String,
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

/// What the caller knows about the sync in progress (the bindings keep it in memory).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncState {
    /// Running, idle or failed.
    pub phase: SyncPhase,
    /// Progress of the running sync.
    pub progress: Option<SyncProgress>,
    /// Why the last sync failed.
    pub error: Option<String>,
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
    let progress_label = state.progress.map(|p| {
        let kb = |bytes: u64| bytes.div_ceil(1024).to_string();
        i18n::render(
            locale,
            "sync.progress",
            &[("docs_done", p.docs_done.to_string()), ("docs_total", p.docs_total.to_string()), ("kb_done", kb(p.bytes_done)), ("kb_total", kb(p.bytes_total))],
        )
    });
    let progress_fraction = state.progress.map(|p| match (p.bytes_total, p.docs_total) {
        (0, 0) => 0.0,
        (0, docs) => (p.docs_done as f64 / docs as f64).min(1.0) as f32,
        (bytes, _) => (p.bytes_done as f64 / bytes as f64).min(1.0) as f32,
    });
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
        progress_label,
        progress_fraction,
        error: state.error.clone(),
        conflicts: store.conflicts()?.len() as u32,
        sync_now_label: text(locale, "action.sync_now"),
    })
}
