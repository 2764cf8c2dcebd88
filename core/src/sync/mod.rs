//! Sans-IO sync between devices and the base-point hub (design §5).
//!
//! The device side is a [`SyncSession`]: the shell asks it for the next request, sends the
//! bytes to the hub however the platform likes (OkHttp, URLSession, ureq), hands the response
//! back, and repeats until the session is done — at most three round trips. The hub side is
//! [`Hub`], which answers requests from bytes to bytes. Neither opens a socket.
//!
//! Attached files move after the records, in a [`FileTransfer`] of its own (chunked and
//! resumable; see `files.rs`), so the first useful screen after a sync never waits for photos.
//!
//! With a network, sync is near-real-time: [`LiveSync`] (sans-IO) tells the shell when to sync
//! after an edit (debounced) and when to ask again after a failure, and the hub answers a
//! long-poll [`NewsQuery`] as soon as something new waits for the device (`live.rs`, `news.rs`).
//!
//! Protocol in brief: each device remembers, per document, the heads it last agreed on with
//! the hub. A request offers only the documents whose heads moved since (with the changes the
//! hub lacks, each signed by its author device) plus a digest of the agreed heads of all the
//! others. If the hub's record of those agreed heads matches the digest, it answers with what
//! the device lacks; if not (a lost response, a restored backup), it asks once for a summary
//! of every document, and if it then finds changes it lacks, it asks for those. A sync where
//! nothing changed is one small request and an empty answer.

pub(crate) mod authors;
mod client;
mod enrol;
mod files;
mod hub;
mod invite;
mod live;
mod live_loop;
mod news;
mod parallel;
mod peer;
mod validate;
pub(crate) mod verify;

pub use crate::wire::{Enrolment, Refusal, Rejection, RejectionKind};
pub use authors::{fingerprint, KnownPeer};
pub use client::{SyncProgress, SyncReport, SyncSession};
pub use files::{FileProgress, FileReport, FileTransfer};
#[cfg(feature = "postgres")]
pub use hub::pg;
pub use hub::{ConsoleAuditEntry, EnrolledDevice, Hub, HubAlert, NewsWait, RecordAccess, LOCKOUT_WINDOW_MS, MAX_FAILED_ATTEMPTS};
pub(crate) use hub::{DeviceRow, Grant};
pub use invite::EnrolInvite;
pub use live::{ListenStep, LiveConfig, LiveStep, LiveSync};
pub use live_loop::LiveLoop;
pub use news::NewsQuery;
pub use parallel::worker_threads;

/// The header of a request this device sends now: its id and actor, the time, a fresh nonce
/// (its answer must echo it), and what the request says of the device's state.
pub(crate) fn request_header(store: &crate::Store, round: u8, full: bool, digest: [u8; 32]) -> crate::wire::frames::RequestHeader {
    use rand::RngCore;
    let mut nonce = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    crate::wire::frames::RequestHeader {
        device_id: store.device().device_id.clone(),
        actor: store.device().actor.clone(),
        sent_at: chrono::Utc::now().timestamp_millis(),
        nonce,
        round,
        full,
        digest,
    }
}

/// Most round trips one sync may take before it gives up (and resumes next time).
pub const MAX_ROUNDS: u8 = 3;
