//! Near-real-time sync when a connection exists, as a sans-IO state machine: the shell tells
//! [`LiveSync`] what happened ("edited at t", "network up/down", "sync finished/failed", "the
//! hub says something new waits") and asks it what to do ("sync now", "wait until t", "nothing
//! until something happens"). It owns no clock and no thread: every call takes the time
//! `now` in milliseconds on any clock that does not jump back (the shell's monotonic clock).
//!
//! An edit is synced once the user paused typing for [`LiveConfig::debounce_ms`], and at the
//! latest [`LiveConfig::max_delay_ms`] after the first unsynced edit. News from the hub, or the
//! network coming back, asks for a sync at once. A failed sync is retried after a pause that
//! doubles with each failure up to [`LiveConfig::max_retry_ms`]; the long poll backs off the same
//! way on its own. Offline is the normal case: without a network nothing is asked, and the
//! edits wait in the store for the next sync.

/// The pauses of the live sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiveConfig {
    /// Quiet time after the last edit before it is synced.
    pub debounce_ms: i64,
    /// Longest time an edit waits while the user keeps editing.
    pub max_delay_ms: i64,
    /// Pause after the first failure (sync or long poll); doubles with each further one.
    pub first_retry_ms: i64,
    /// Longest pause between retries.
    pub max_retry_ms: i64,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig { debounce_ms: 1_500, max_delay_ms: 4_000, first_retry_ms: 2_000, max_retry_ms: 300_000 }
    }
}

/// What the shell does next about syncing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveStep {
    /// Run a sync now (tell [`LiveSync::sync_started`], then finished or failed).
    SyncNow,
    /// Nothing before this time, unless something happens (an edit, news, the network).
    WaitUntil(i64),
    /// Nothing to do until something happens.
    Idle,
}

/// What the shell does next about the long poll.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListenStep {
    /// Ask the hub for news now (tell [`LiveSync::listen_answered`] or [`LiveSync::listen_failed`]).
    ListenNow,
    /// Not before this time (backing off after failures).
    WaitUntil(i64),
    /// No network: nothing to ask until it comes back.
    Off,
}

/// A failure count and the time before which nothing is retried.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Backoff {
    failures: u32,
    until: Option<i64>,
}

impl Backoff {
    fn failed(&mut self, config: &LiveConfig, now: i64) {
        self.failures = self.failures.saturating_add(1);
        let doublings = self.failures.saturating_sub(1).min(30);
        let pause = config.first_retry_ms.max(1).saturating_mul(1_i64 << doublings).min(config.max_retry_ms.max(config.first_retry_ms));
        self.until = Some(now.saturating_add(pause));
    }

    fn reset(&mut self) {
        *self = Backoff::default();
    }
}

/// The live-sync scheduler of one device (see the module documentation).
#[derive(Clone, Debug)]
pub struct LiveSync {
    config: LiveConfig,
    online: bool,
    /// First and last edit not yet in a finished sync.
    first_edit: Option<i64>,
    last_edit: Option<i64>,
    /// The hub said something new waits (or the network came back): sync at once.
    news: bool,
    /// A sync is running; edits and news meanwhile are kept for the next one.
    syncing: bool,
    edited_while_syncing: bool,
    news_while_syncing: bool,
    sync_backoff: Backoff,
    listen_backoff: Backoff,
}

impl LiveSync {
    /// A scheduler that starts offline and wants one sync as soon as the network is up (to
    /// catch up on what came while the app was closed).
    pub fn new(config: LiveConfig) -> LiveSync {
        LiveSync {
            config,
            online: false,
            first_edit: None,
            last_edit: None,
            news: true,
            syncing: false,
            edited_while_syncing: false,
            news_while_syncing: false,
            sync_backoff: Backoff::default(),
            listen_backoff: Backoff::default(),
        }
    }

    /// The user saved a change at `now`.
    pub fn edited(&mut self, now: i64) {
        self.first_edit.get_or_insert(now);
        self.last_edit = Some(now);
        self.edited_while_syncing |= self.syncing;
    }

    /// The network went up or down. Coming back asks for a sync at once and forgets the
    /// failures (they were most likely the missing network).
    pub fn network_changed(&mut self, online: bool, _now: i64) {
        if online && !self.online {
            self.news = true;
            self.news_while_syncing |= self.syncing;
            self.sync_backoff.reset();
            self.listen_backoff.reset();
        }
        self.online = online;
    }

    /// The hub said something new waits for this device.
    pub fn hub_says_new(&mut self, _now: i64) {
        self.news = true;
        self.news_while_syncing |= self.syncing;
    }

    /// The shell started the sync [`LiveSync::next_sync`] asked for.
    pub fn sync_started(&mut self, _now: i64) {
        self.syncing = true;
        self.edited_while_syncing = false;
        self.news_while_syncing = false;
    }

    /// The sync went through: the edits made before it started are on the hub.
    pub fn sync_finished(&mut self, now: i64) {
        self.syncing = false;
        self.sync_backoff.reset();
        if self.edited_while_syncing {
            self.first_edit = Some(now);
        } else {
            self.first_edit = None;
            self.last_edit = None;
        }
        self.news = self.news_while_syncing;
    }

    /// The sync failed (no network, the hub busy or down): everything waits for a retry.
    pub fn sync_failed(&mut self, now: i64) {
        self.syncing = false;
        self.sync_backoff.failed(&self.config, now);
    }

    /// Whether edits wait for a sync.
    pub fn has_unsynced_edits(&self) -> bool {
        self.first_edit.is_some()
    }

    /// What to do about syncing at `now`.
    pub fn next_sync(&self, now: i64) -> LiveStep {
        if !self.online || self.syncing {
            return LiveStep::Idle;
        }
        let due = if self.news {
            now
        } else {
            match (self.first_edit, self.last_edit) {
                (Some(first), Some(last)) => {
                    last.saturating_add(self.config.debounce_ms).min(first.saturating_add(self.config.max_delay_ms.max(self.config.debounce_ms)))
                }
                (Some(first), None) => first,
                _ => return LiveStep::Idle,
            }
        };
        let due = self.sync_backoff.until.map_or(due, |until| due.max(until));
        if due <= now {
            LiveStep::SyncNow
        } else {
            LiveStep::WaitUntil(due)
        }
    }

    /// What to do about the long poll at `now`.
    pub fn next_listen(&self, now: i64) -> ListenStep {
        match self.listen_backoff.until {
            _ if !self.online => ListenStep::Off,
            Some(until) if until > now => ListenStep::WaitUntil(until),
            _ => ListenStep::ListenNow,
        }
    }

    /// The hub answered the long poll; `news` when something new waits.
    pub fn listen_answered(&mut self, news: bool, now: i64) {
        self.listen_backoff.reset();
        if news {
            self.hub_says_new(now);
        }
    }

    /// The long poll failed (no network, the hub busy or down, a refusal): ask again later.
    pub fn listen_failed(&mut self, now: i64) {
        self.listen_backoff.failed(&self.config, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn online() -> LiveSync {
        let mut live = LiveSync::new(LiveConfig::default());
        live.network_changed(true, 0);
        live.sync_started(0);
        live.sync_finished(10);
        live
    }

    #[test]
    fn offline_it_never_asks_for_a_sync_and_the_edit_waits() {
        let mut live = LiveSync::new(LiveConfig::default());
        live.edited(100);
        assert_eq!(live.next_sync(1_000_000), LiveStep::Idle);
        assert_eq!(live.next_listen(1_000_000), ListenStep::Off);
        assert!(live.has_unsynced_edits());
        live.network_changed(true, 2_000_000);
        assert_eq!(live.next_sync(2_000_000), LiveStep::SyncNow, "the network coming back syncs at once");
    }

    #[test]
    fn it_starts_with_a_catch_up_sync_once_online() {
        let mut live = LiveSync::new(LiveConfig::default());
        live.network_changed(true, 5);
        assert_eq!(live.next_sync(5), LiveStep::SyncNow);
        live.sync_started(5);
        assert_eq!(live.next_sync(6), LiveStep::Idle, "nothing while the sync runs");
        live.sync_finished(50);
        assert_eq!(live.next_sync(60), LiveStep::Idle, "then nothing until something happens");
    }

    #[test]
    fn an_edit_syncs_after_a_quiet_pause() {
        let mut live = online();
        live.edited(1_000);
        assert_eq!(live.next_sync(1_000), LiveStep::WaitUntil(2_500));
        live.edited(2_000);
        assert_eq!(live.next_sync(2_000), LiveStep::WaitUntil(3_500), "typing on moves the sync");
        assert_eq!(live.next_sync(3_500), LiveStep::SyncNow);
    }

    #[test]
    fn steady_typing_still_syncs_within_the_longest_delay() {
        let mut live = online();
        for t in (1_000..10_000).step_by(500) {
            live.edited(t);
            if live.next_sync(t) == LiveStep::SyncNow {
                assert!(t <= 1_000 + LiveConfig::default().max_delay_ms, "{t}");
                return;
            }
        }
        panic!("never synced while the user kept typing");
    }

    #[test]
    fn an_edit_during_a_sync_is_kept_for_the_next_one() {
        let mut live = online();
        live.edited(1_000);
        live.sync_started(2_500);
        live.edited(2_600);
        live.sync_finished(3_000);
        assert!(live.has_unsynced_edits());
        assert_eq!(live.next_sync(3_000), LiveStep::WaitUntil(4_100));
        live.sync_started(4_100);
        live.sync_finished(4_200);
        assert!(!live.has_unsynced_edits());
        assert_eq!(live.next_sync(4_200), LiveStep::Idle);
    }

    #[test]
    fn news_from_the_hub_syncs_at_once_even_during_a_sync() {
        let mut live = online();
        live.hub_says_new(100);
        assert_eq!(live.next_sync(100), LiveStep::SyncNow);
        live.sync_started(100);
        live.listen_answered(true, 150);
        live.sync_finished(200);
        assert_eq!(live.next_sync(200), LiveStep::SyncNow, "news that came during the sync needs another");
        live.sync_started(200);
        live.sync_finished(300);
        assert_eq!(live.next_sync(300), LiveStep::Idle);
    }

    #[test]
    fn failures_back_off_doubling_up_to_the_cap_and_success_resets() {
        let config = LiveConfig { first_retry_ms: 1_000, max_retry_ms: 5_000, ..LiveConfig::default() };
        let mut live = LiveSync::new(config);
        live.network_changed(true, 0);
        let mut now = 0;
        let mut pauses = vec![];
        for _ in 0..5 {
            assert_eq!(live.next_sync(now), LiveStep::SyncNow);
            live.sync_started(now);
            live.sync_failed(now);
            let LiveStep::WaitUntil(at) = live.next_sync(now) else { panic!("no retry planned") };
            pauses.push(at - now);
            now = at;
        }
        assert_eq!(pauses, [1_000, 2_000, 4_000, 5_000, 5_000]);
        live.sync_started(now);
        live.sync_finished(now);
        live.edited(now);
        assert_eq!(live.next_sync(now), LiveStep::WaitUntil(now + config.debounce_ms), "no backoff after a success");
    }

    #[test]
    fn the_network_coming_back_forgets_the_backoff() {
        let mut live = online();
        live.edited(0);
        live.sync_started(1_500);
        live.sync_failed(1_500);
        live.sync_started(3_500);
        live.sync_failed(3_500);
        assert_eq!(live.next_sync(3_500), LiveStep::WaitUntil(7_500));
        live.network_changed(false, 4_000);
        assert_eq!(live.next_sync(4_000), LiveStep::Idle);
        live.network_changed(true, 5_000);
        assert_eq!(live.next_sync(5_000), LiveStep::SyncNow);
    }

    #[test]
    fn the_long_poll_backs_off_on_its_own() {
        let mut live = online();
        assert_eq!(live.next_listen(0), ListenStep::ListenNow);
        live.listen_failed(0);
        live.listen_failed(2_000);
        assert_eq!(live.next_listen(2_000), ListenStep::WaitUntil(6_000));
        assert_eq!(live.next_sync(2_000), LiveStep::Idle, "a failed poll asks for no sync");
        assert_eq!(live.next_listen(6_000), ListenStep::ListenNow);
        live.listen_answered(false, 7_000);
        assert_eq!(live.next_listen(7_000), ListenStep::ListenNow);
        assert_eq!(live.next_sync(7_000), LiveStep::Idle, "\"nothing new\" asks for no sync");
    }
}
