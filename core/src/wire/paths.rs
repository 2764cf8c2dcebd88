//! The HTTP paths and header names of the hub's API. The hub routes them, and every client
//! (the `suhbat` CLI, the apps' shells, the hub's own client and tests) asks for them by these
//! names, so a path is spelled once.

/// `POST`: one sync round trip — a signed [sync request](super::MessageKind::SyncRequest) in
/// the body, the hub's signed [response](super::MessageKind::SyncResponse) back.
pub const SYNC: &str = "/v1/sync";
/// `POST`: enrolment with a one-time code — an [enrolment request](super::MessageKind::Enrol)
/// in the body, the [reply](super::MessageKind::EnrolReply) back.
pub const ENROL: &str = "/v1/enrol";
/// `POST`: one chunk of an attached file — a signed [file request](super::MessageKind::FileRequest)
/// in the body (how much the hub holds, put a chunk, get a chunk), the hub's signed
/// [answer](super::MessageKind::FileAnswer) back.
pub const FILE: &str = "/v1/file";
/// `POST`: the long poll — a signed [news request](super::MessageKind::NewsRequest) in the
/// body; the hub holds it until something the device may read changed (by someone else) or
/// its wait ran out, then answers with a signed [news answer](super::MessageKind::NewsAnswer).
pub const NEWS: &str = "/v1/news";
/// `GET`: whether the hub is up (`{"status":"ok"}`); never rate limited.
pub const HEALTH: &str = "/v1/health";
/// `GET`: the PEM of the hub's current TLS authority, for a device to re-pin.
pub const CA: &str = "/v1/ca";
/// Response header with the fingerprint of the hub's current authority, so a device pinned to
/// an older one knows to fetch [`CA`] and re-pin.
pub const CA_HEADER: &str = "x-suhbat-ca";
