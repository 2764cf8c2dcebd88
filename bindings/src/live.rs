//! Near-real-time sync for the shells: [`LiveSync`] is the core's live-sync scheduler with its
//! own clock and blocking waits (every decision stays in the core), and [`NewsQuery`] is one
//! long poll to `<hub>/v1/news`, carried by the shell's HTTP stack. The shell runs two loops on
//! background threads: `while (live.awaitSync()) { sync; live.syncEnded(ok) }` and
//! `while (live.awaitListen()) { long poll; live.listenEnded(news) }`.

use crate::error::SuhbatError;
use crate::suhbat::Suhbat;
use std::sync::Arc;
use suhbat_core::i18n;
use suhbat_core::sync::{self as core_sync, LiveConfig, LiveLoop};

/// The live-sync scheduler of one device (an edit synced after 1.5 s of quiet, at most 4 s
/// behind steady typing; news from the hub synced at once; retries from 2 s doubling to
/// 5 min). Attach it to the store with `Suhbat.attachLiveSync` so that every saved change
/// counts as an edit. The `await…` calls block: call them on background threads.
#[derive(uniffi::Object)]
pub struct LiveSync(Arc<LiveLoop>);

#[uniffi::export]
impl LiveSync {
    /// A scheduler; `online` is whether the phone has a network now (a catch-up sync is due as
    /// soon as it has).
    #[uniffi::constructor]
    pub fn new(online: bool) -> Arc<LiveSync> {
        Arc::new(LiveSync(Arc::new(LiveLoop::new(LiveConfig::default(), online))))
    }

    /// The user saved a change (called by the store itself once attached).
    pub fn edited(&self) -> Result<(), SuhbatError> {
        self.0.edited();
        Ok(())
    }

    /// The network went up or down (the platform's connectivity callback). Offline nothing is
    /// tried and edits wait in the store.
    pub fn network_changed(&self, online: bool) -> Result<(), SuhbatError> {
        self.0.network_changed(online);
        Ok(())
    }

    /// Blocks until a sync is due (true: run one, then `syncEnded`) or `stop` (false).
    pub fn await_sync(&self) -> Result<bool, SuhbatError> {
        Ok(self.0.await_sync())
    }

    /// The sync went through (`ok`) or failed (retried after a pause).
    pub fn sync_ended(&self, ok: bool) -> Result<(), SuhbatError> {
        self.0.sync_ended(ok);
        Ok(())
    }

    /// Blocks until a long poll is due (true: send a `NewsQuery`, then `listenEnded`) or
    /// `stop` (false).
    pub fn await_listen(&self) -> Result<bool, SuhbatError> {
        Ok(self.0.await_listen())
    }

    /// The long poll's answer: `news` true when something new waits, false when the hub's
    /// wait ran out; null when it failed (asked again after a pause).
    pub fn listen_ended(&self, news: Option<bool>) -> Result<(), SuhbatError> {
        self.0.listen_ended(news);
        Ok(())
    }

    /// Whether edits wait for a sync.
    pub fn has_unsynced_edits(&self) -> Result<bool, SuhbatError> {
        Ok(self.0.has_unsynced_edits())
    }

    /// Ends both loops (a long poll out ends on its own).
    pub fn stop(&self) -> Result<(), SuhbatError> {
        self.0.stop();
        Ok(())
    }
}

/// One long poll, from `Suhbat.startNewsQuery()`: POST `request()` to `<hub>/v1/news` (the hub
/// holds it up to 25 s: give the request a longer timeout), then `handleAnswer(answer)` says
/// whether something new waits.
#[derive(uniffi::Object)]
pub struct NewsQuery {
    app: Arc<Suhbat>,
    core: core_sync::NewsQuery,
    request: Vec<u8>,
}

#[uniffi::export]
impl NewsQuery {
    /// The signed request frame to POST to `<hub>/v1/news` (as `application/octet-stream`).
    pub fn request(&self) -> Result<Vec<u8>, SuhbatError> {
        Ok(self.request.clone())
    }

    /// Checks the hub's answer: true when something new waits (sync now), false when the
    /// hub's wait ran out. Throws `Refused` (e.g. revoked: the next sync acts on it), or
    /// `Sync` or `BadInput` for an answer that is not from this device's hub for this request.
    pub fn handle_answer(&self, answer: Vec<u8>) -> Result<bool, SuhbatError> {
        self.app.run(|store, _| self.core.handle_answer(store, &answer))
    }
}

#[uniffi::export]
impl Suhbat {
    /// A long poll to the hub this device is enrolled with (see `NewsQuery`). Throws
    /// `NotEnrolled` before enrolment.
    pub fn start_news_query(self: Arc<Self>) -> Result<Arc<NewsQuery>, SuhbatError> {
        let locale = self.ctx()?.locale;
        let made = self.run(|store, _| match store.hub_id()? {
            Some(_) => core_sync::NewsQuery::new(store).map(Some),
            None => Ok(None),
        })?;
        let (core, request) = made.ok_or_else(|| SuhbatError::NotEnrolled(i18n::text(locale, "sync.not_enrolled")))?;
        Ok(Arc::new(NewsQuery { app: self, core, request }))
    }

    /// Tells `live` of every change saved in this store from now on (an edit to sync soon).
    pub fn attach_live_sync(&self, live: Arc<LiveSync>) -> Result<(), SuhbatError> {
        self.set_live(Some(live.0.clone()))
    }

    /// Stops telling the attached live sync of changes.
    pub fn detach_live_sync(&self) -> Result<(), SuhbatError> {
        self.set_live(None)
    }
}
