//! The `Suhbat` object: one open device store plus the user's language and clock settings.
//! Screens and actions are in `screens.rs`, the hub and enrolment in `hub.rs`, sync sessions
//! in `sync.rs`; this file opens stores, exchanges bundles and keeps sync status.

use crate::error::SuhbatError;
use crate::platform::{KeyProvider, Notifier, PlatformKeys};
use chrono::Utc;
use std::path::Path;
use std::sync::{Arc, Mutex};
use suhbat_core::views::{self, SyncPhase, SyncProgress, SyncState, ViewContext};
use suhbat_core::{key_id_for, DeviceProfile, Locale, Role, Store, Summary};

/// This device and its user.
#[derive(uniffi::Record)]
pub struct DeviceSummary {
    /// Device id, stable for the life of the install.
    pub device_id: String,
    /// The user's name.
    pub person: String,
    /// The user's role.
    pub role: Role,
    /// Mahalla scope keys the user works in.
    pub scopes: Vec<String>,
}

/// What importing a bundle did.
#[derive(uniffi::Record)]
pub struct ImportResult {
    /// Documents in the bundle.
    pub docs_received: u32,
    /// Documents that gained changes.
    pub docs_changed: u32,
    /// Records created or changed.
    pub records_changed: u32,
    /// Records that now hold conflicts.
    pub records_in_conflict: u32,
}

/// Language, clock and sync state of an open store.
struct Settings {
    locale: Locale,
    utc_offset_minutes: i32,
    sync: SyncState,
}

/// An open device store: every screen's view-model and every user action. One object per
/// store file; its methods may be called from any thread (calls are serialised).
#[derive(uniffi::Object)]
pub struct Suhbat {
    store: Mutex<Store>,
    settings: Mutex<Settings>,
    notifier: Option<Arc<dyn Notifier>>,
    /// The platform's location service, once the shell gives it.
    pub(crate) location: Mutex<Option<Arc<dyn crate::location::LocationProvider>>>,
    /// The live sync told of every change saved here (`attach_live_sync`).
    live: Mutex<Option<Arc<suhbat_core::sync::LiveLoop>>>,
}

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Suhbat {
    fn wrap(store: Store, notifier: Option<Arc<dyn Notifier>>) -> Arc<Self> {
        let settings = Settings { locale: Locale::default(), utc_offset_minutes: 300, sync: SyncState::default() };
        Arc::new(Suhbat { store: Mutex::new(store), settings: Mutex::new(settings), notifier, location: Mutex::new(None), live: Mutex::new(None) })
    }

    fn settings(&self) -> Result<std::sync::MutexGuard<'_, Settings>, SuhbatError> {
        self.settings.lock().map_err(|_| SuhbatError::poisoned())
    }

    /// The view context right now.
    pub(crate) fn ctx(&self) -> Result<ViewContext, SuhbatError> {
        let s = self.settings()?;
        Ok(ViewContext { locale: s.locale, now: Utc::now(), utc_offset_minutes: s.utc_offset_minutes })
    }

    /// Runs `f` on the store with the current context, mapping core errors.
    pub(crate) fn run<T>(&self, f: impl FnOnce(&mut Store, &ViewContext) -> suhbat_core::Result<T>) -> Result<T, SuhbatError> {
        let ctx = self.ctx()?;
        let mut store = self.store.lock().map_err(|_| SuhbatError::poisoned())?;
        f(&mut store, &ctx).map_err(|e| SuhbatError::from_core(e, ctx.locale))
    }

    /// Re-schedules reminders after a change and tells the live sync (if attached) that
    /// something waits to be synced. Best effort: the change is already stored, so a failing
    /// notifier must not turn it into an error.
    pub(crate) fn changed(&self) {
        let _ = self.schedule_reminders();
        if let Some(live) = self.live.lock().ok().and_then(|live| live.clone()) {
            live.edited();
        }
    }

    /// Merges a bundle from another device, counts it as a sync and re-schedules reminders.
    pub(crate) fn merge_bundle(&self, bundle: &[u8]) -> Result<suhbat_core::ImportReport, SuhbatError> {
        let report = self.run(|store, _| {
            let report = store.import_bundle(bundle)?;
            views::record_sync(store, Utc::now())?;
            Ok(report)
        })?;
        self.changed();
        Ok(report)
    }

    /// Tells `live` of every change saved from now on (`None`: no longer).
    pub(crate) fn set_live(&self, live: Option<Arc<suhbat_core::sync::LiveLoop>>) -> Result<(), SuhbatError> {
        *self.live.lock().map_err(|_| SuhbatError::poisoned())? = live;
        Ok(())
    }

    /// A sync session starts: the sync screen shows it running. Returns the session's number.
    pub(crate) fn sync_started(&self, progress: SyncProgress) -> Result<u64, SuhbatError> {
        Ok(self.settings()?.sync.start(progress))
    }

    /// Session `serial` was given up before it finished.
    pub(crate) fn sync_interrupted(&self, serial: u64, message: String) -> Result<(), SuhbatError> {
        self.settings()?.sync.interrupt(serial, message);
        Ok(())
    }

    /// The file transfer after a sync made progress (`None`: it ended); the sync screen shows it.
    pub(crate) fn files_progress(&self, progress: Option<suhbat_core::sync::FileProgress>) -> Result<(), SuhbatError> {
        self.settings()?.sync.files(progress);
        Ok(())
    }

    /// Session `serial` made progress.
    pub(crate) fn sync_progress(&self, serial: u64, progress: SyncProgress) -> Result<(), SuhbatError> {
        self.settings()?.sync.progress(serial, progress);
        Ok(())
    }

    /// Session `serial` failed with `message`.
    pub(crate) fn sync_failed(&self, serial: u64, message: String) -> Result<(), SuhbatError> {
        self.settings()?.sync.fail(serial, message);
        Ok(())
    }

    /// Session `serial` finished: keeps its report for the sync screen, records the time of
    /// the sync and re-schedules reminders (once, however often it is told).
    pub(crate) fn sync_finished(&self, serial: u64, report: &suhbat_core::sync::SyncReport) -> Result<(), SuhbatError> {
        let finished = self.settings()?.sync.finish(serial, report);
        if finished {
            self.run(|store, _| views::record_sync(store, Utc::now()))?;
            // What a sync brought is no edit to sync back.
            let _ = self.schedule_reminders();
        }
        Ok(())
    }

    fn schedule_reminders(&self) -> Result<u32, SuhbatError> {
        let Some(notifier) = &self.notifier else { return Ok(0) };
        // Computed under the store lock, delivered without it: the notifier may call back.
        let reminders = self.run(views::reminders)?;
        notifier.replace_all(reminders).map_err(|e| SuhbatError::Internal(format!("notifier: {e}")))
    }
}

#[uniffi::export]
impl Suhbat {
    /// Creates a new encrypted store for this device at `path` (fails if one exists there).
    /// The key comes from `keys`; `notifier` (optional) receives follow-up reminders.
    /// Blocking (disk and key store): call off the main thread.
    #[uniffi::constructor]
    pub fn create(path: String, keys: Arc<dyn KeyProvider>, profile: DeviceProfile, notifier: Option<Arc<dyn Notifier>>) -> Result<Arc<Self>, SuhbatError> {
        let store = Store::create(&path, &PlatformKeys(keys), profile).map_err(|e| SuhbatError::from_core(e, Locale::default()))?;
        Ok(Self::wrap(store, notifier))
    }

    /// Opens the store at `path` with its key from `keys`.
    /// Blocking (disk and key store): call off the main thread.
    #[uniffi::constructor]
    pub fn open(path: String, keys: Arc<dyn KeyProvider>, notifier: Option<Arc<dyn Notifier>>) -> Result<Arc<Self>, SuhbatError> {
        let store = Store::open(&path, &PlatformKeys(keys)).map_err(|e| SuhbatError::from_core(e, Locale::default()))?;
        Ok(Self::wrap(store, notifier))
    }

    /// Opens the store at `path`, creating it for `profile` on first start.
    /// Blocking (disk and key store): call off the main thread.
    #[uniffi::constructor]
    pub fn open_or_create(
        path: String,
        keys: Arc<dyn KeyProvider>,
        profile: DeviceProfile,
        notifier: Option<Arc<dyn Notifier>>,
    ) -> Result<Arc<Self>, SuhbatError> {
        if Path::new(&path).exists() {
            Self::open(path, keys, notifier)
        } else {
            Self::create(path, keys, profile, notifier)
        }
    }

    /// Sets the language of every view-model and validation message.
    pub fn set_locale(&self, locale: Locale) -> Result<(), SuhbatError> {
        self.settings()?.locale = locale;
        Ok(())
    }

    /// The language in use.
    pub fn locale(&self) -> Result<Locale, SuhbatError> {
        Ok(self.settings()?.locale)
    }

    /// Sets the device's offset from UTC in minutes (default +300, Tashkent), for local times.
    pub fn set_utc_offset_minutes(&self, minutes: i32) -> Result<(), SuhbatError> {
        self.settings()?.utc_offset_minutes = minutes.clamp(-14 * 60, 14 * 60);
        Ok(())
    }

    /// This device's id and its user.
    pub fn device(&self) -> Result<DeviceSummary, SuhbatError> {
        self.run(|store, _| {
            let d = store.device();
            Ok(DeviceSummary { device_id: d.device_id.clone(), person: d.profile.person.clone(), role: d.profile.role, scopes: d.profile.scopes.clone() })
        })
    }

    /// What this replica has (the heads of its documents), to send to another device so it
    /// can export a bundle of only what is missing here.
    pub fn summary(&self) -> Result<Vec<u8>, SuhbatError> {
        self.run(|store, _| Ok(store.summary()?.encode()))
    }

    /// A bundle of every change the replica described by `since` (a `summary()` from the other
    /// device) lacks; everything when `since` is null. Blocking: call off the main thread.
    pub fn export_bundle(&self, since: Option<Vec<u8>>) -> Result<Vec<u8>, SuhbatError> {
        let locale = self.ctx()?.locale;
        let since = since.map(|bytes| Summary::decode(&bytes)).transpose().map_err(|e| SuhbatError::from_core(e.into(), locale))?;
        self.run(|store, _| store.export_bundle(since.as_ref()))
    }

    /// Merges a bundle from another device; concurrent edits of one field become conflicts.
    /// Counts as a sync for the sync screen. Blocking: call off the main thread.
    pub fn import_bundle(&self, bundle: Vec<u8>) -> Result<ImportResult, SuhbatError> {
        let report = self.merge_bundle(&bundle)?;
        Ok(ImportResult {
            docs_received: saturating_u32(report.docs_received),
            docs_changed: saturating_u32(report.docs_changed),
            records_changed: saturating_u32(report.records_changed),
            records_in_conflict: saturating_u32(report.records_in_conflict),
        })
    }

    /// Tells the core how the shell's sync runner is doing, for the sync screen. A
    /// `SyncSession` reports running, progress and success itself; the shell only reports
    /// what the session cannot see: `Failed` with the error when the network fails.
    /// (`Idle` after `Running` counts as a successful sync and sets the last sync time.)
    pub fn set_sync_state(&self, phase: SyncPhase, progress: Option<SyncProgress>, error: Option<String>) -> Result<(), SuhbatError> {
        let finished = self.settings()?.sync.report(phase, progress, error);
        if finished {
            self.run(|store, _| views::record_sync(store, Utc::now()))?;
        }
        Ok(())
    }

    /// The sync screen: last sync, changes not yet sent, progress of a running sync.
    pub fn sync_status(&self) -> Result<views::SyncStatus, SuhbatError> {
        let state = self.settings()?.sync.clone();
        self.run(|store, ctx| views::sync_status(store, ctx, &state))
    }

    /// Replaces the notifier's reminders with those of the current worklist (done after every
    /// change too). Returns how many the platform scheduled.
    pub fn refresh_reminders(&self) -> Result<u32, SuhbatError> {
        self.schedule_reminders()
    }

    /// Background upkeep for the platform's job, after a sync: compacts the store when it has
    /// grown by a quarter since it was last compacted (or, never compacted, holds over 1 MiB),
    /// so the file stays packed. Returns whether it compacted. Blocking: the file is
    /// rewritten; call it off the main thread.
    pub fn tidy(&self) -> Result<bool, SuhbatError> {
        self.run(|store, _| store.tidy())
    }
}

/// Wipes a store: destroys its key, then deletes its files. Close every `Suhbat` object of
/// the store first. Blocking: call off the main thread.
#[uniffi::export]
pub fn wipe_store(path: String, keys: Arc<dyn KeyProvider>) -> Result<(), SuhbatError> {
    let path = Path::new(&path);
    keys.destroy_key(key_id_for(path)).map_err(|e| SuhbatError::KeyStore(e.to_string()))?;
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(SuhbatError::Storage(format!("{file}: {e}"))),
        }
    }
    Ok(())
}
