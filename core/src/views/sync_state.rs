//! The sync screen's state while the app runs: whether a sync is running, how far it got, why
//! the last one failed and what the last finished one did. Sessions are numbered: a session
//! that is no longer the latest (the user started another) changes nothing any more, so an old
//! session finishing late cannot overwrite the new one's progress. The bindings keep one
//! [`SyncState`] per open store and only call these transitions; [`super::sync_status`] turns
//! it into the screen.

use super::{SyncPhase, SyncProgress};
use crate::sync::{FileProgress, SyncReport};

/// What is known about the sync in progress (kept in memory while the app runs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncState {
    /// Running, idle or failed.
    pub phase: SyncPhase,
    /// Progress of the running sync.
    pub progress: Option<SyncProgress>,
    /// Why the last sync failed.
    pub error: Option<String>,
    /// What the last finished sync did.
    pub last_report: Option<SyncReport>,
    /// Progress of the file transfer that follows a sync, while it runs.
    pub files: Option<FileProgress>,
    /// Number of the latest session started; older sessions no longer change the state.
    pub(crate) session: u64,
}

impl SyncState {
    /// A sync session starts: the screen shows it running. Returns the session's number, to
    /// pass to the session's later transitions.
    pub fn start(&mut self, progress: SyncProgress) -> u64 {
        self.session += 1;
        (self.phase, self.progress, self.error) = (SyncPhase::Running, Some(progress), None);
        self.session
    }

    /// Whether `session` is the latest one started.
    fn is_latest(&self, session: u64) -> bool {
        self.session == session
    }

    /// Session `session` made progress (ignored once it stopped running or a newer one started).
    pub fn progress(&mut self, session: u64, progress: SyncProgress) {
        if self.is_latest(session) && self.phase == SyncPhase::Running {
            self.progress = Some(progress);
        }
    }

    /// Session `session` failed with `message`.
    pub fn fail(&mut self, session: u64, message: String) {
        if self.is_latest(session) {
            (self.phase, self.progress, self.error) = (SyncPhase::Failed, None, Some(message));
        }
    }

    /// Session `session` was given up before it finished (`message`: why, in the user's
    /// language); nothing changes if it already finished or failed.
    pub fn interrupt(&mut self, session: u64, message: String) {
        if self.is_latest(session) && self.phase == SyncPhase::Running {
            self.fail(session, message);
        }
    }

    /// Session `session` finished with `report`. Returns true the first time only, when it was
    /// the latest session and running: the caller then records the time of the sync and
    /// re-schedules reminders, once however often it is told.
    pub fn finish(&mut self, session: u64, report: &SyncReport) -> bool {
        let running = self.is_latest(session) && self.phase == SyncPhase::Running;
        if running {
            (self.phase, self.progress, self.error, self.last_report) = (SyncPhase::Idle, None, None, Some(report.clone()));
        }
        running
    }

    /// The file transfer after a sync made progress (`None`: it ended).
    pub fn files(&mut self, progress: Option<FileProgress>) {
        self.files = progress;
    }

    /// What the shell's own sync runner reports (what a session cannot see, such as a network
    /// failure): progress only while running, an error only when failed. Returns true when
    /// `Idle` follows `Running`: a sync finished well, and the caller records its time.
    pub fn report(&mut self, phase: SyncPhase, progress: Option<SyncProgress>, error: Option<String>) -> bool {
        let finished = phase == SyncPhase::Idle && self.phase == SyncPhase::Running;
        self.phase = phase;
        self.progress = if phase == SyncPhase::Running { progress } else { None };
        self.error = if phase == SyncPhase::Failed { error } else { None };
        finished
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(round: u32) -> SyncProgress {
        SyncProgress { round, max_rounds: 3, ..Default::default() }
    }

    #[test]
    fn a_session_runs_makes_progress_and_finishes_once() {
        let mut state = SyncState::default();
        let session = state.start(progress(1));
        assert_eq!((state.phase, state.progress), (SyncPhase::Running, Some(progress(1))));
        state.progress(session, progress(2));
        assert_eq!(state.progress, Some(progress(2)));
        let report = SyncReport { rounds: 2, ..Default::default() };
        assert!(state.finish(session, &report), "the first finish counts");
        assert_eq!((state.phase, state.progress, state.last_report.as_ref()), (SyncPhase::Idle, None, Some(&report)));
        assert!(!state.finish(session, &report), "told twice, it finishes once");
        state.progress(session, progress(3));
        assert_eq!(state.progress, None, "a finished session makes no more progress");
        state.interrupt(session, "gone".into());
        assert_eq!((state.phase, state.error), (SyncPhase::Idle, None), "a finished session is not interrupted");
    }

    #[test]
    fn an_older_session_no_longer_changes_the_state() {
        let mut state = SyncState::default();
        let old = state.start(progress(1));
        let new = state.start(progress(1));
        assert_ne!(old, new);
        state.progress(old, progress(3));
        state.fail(old, "timeout".into());
        assert!(!state.finish(old, &SyncReport::default()));
        assert_eq!((state.phase, state.progress, state.error.as_deref()), (SyncPhase::Running, Some(progress(1)), None));
        state.fail(new, "no network".into());
        assert_eq!((state.phase, state.progress, state.error.as_deref()), (SyncPhase::Failed, None, Some("no network")));
        let again = state.start(progress(1));
        assert_eq!(state.error, None, "a new session clears the old failure");
        state.interrupt(again, "interrupted".into());
        assert_eq!((state.phase, state.error.as_deref()), (SyncPhase::Failed, Some("interrupted")));
    }

    #[test]
    fn the_shells_report_counts_idle_after_running_as_a_finished_sync() {
        let mut state = SyncState::default();
        assert!(!state.report(SyncPhase::Idle, None, None), "idle after idle is no sync");
        assert!(!state.report(SyncPhase::Running, Some(progress(1)), Some("ignored".into())));
        assert_eq!((state.progress, state.error.as_deref()), (Some(progress(1)), None), "an error only when failed");
        assert!(state.report(SyncPhase::Idle, Some(progress(2)), None));
        assert_eq!(state.progress, None, "progress only while running");
        state.report(SyncPhase::Running, None, None);
        assert!(!state.report(SyncPhase::Failed, Some(progress(1)), Some("no network".into())));
        assert_eq!((state.phase, state.progress, state.error.as_deref()), (SyncPhase::Failed, None, Some("no network")));
        state.files(Some(FileProgress::default()));
        assert!(state.files.is_some());
        state.files(None);
        assert!(state.files.is_none());
    }
}
