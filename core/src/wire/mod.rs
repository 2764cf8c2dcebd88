//! The wire format: everything that crosses a device boundary, in one place. Every length is
//! checked against a cap before anything is allocated, and every malformed input becomes a
//! [`WireError`] (or an [`Error::Malformed`](crate::Error::Malformed)) — untrusted bytes never
//! panic.
//!
//! | part | what it holds |
//! |---|---|
//! | `codec` | the message header (`MAGIC | version | kind | length | body`), the caps, [`Writer`] and [`Reader`] |
//! | `audit_link` | a device's audit entries in a sync request, for the hub's copy of its chain |
//! | `frames` | sync requests and responses (signed by the device / the hub), enrolment request and reply |
//! | `bundle` | the signed envelope of a merge bundle (cable, file share, QR): sender, authors, changes, hashes |
//! | `files` | moving attached files: a signed request for one chunk (status, put, get) and the hub's signed answer |
//! | `news` | the long poll: a device's signed "tell me when something new waits" and the hub's signed answer |
//! | `packed` | deflated message parts, signed packed and inflated under a hard bound only after the signature is checked |
//! | `payload` | one document's changes in a message: a snapshot or a list of changes, each sized before it is decoded |
//! | `summary` | a replica [`Summary`](crate::Summary): the heads of each of its documents |
//! | `signatures` | the wire form of change signatures (which device made each change) |
//! | [`paths`] | the hub's HTTP paths (`/v1/sync`, …) and header names, used by the hub and every client |
//!
//! What the bytes mean is decided elsewhere: the store exports and imports bundles and applies
//! payloads to its documents (`store/`), the sync session and the hub check every change
//! (`sync/`).

mod audit_link;
mod bundle;
mod codec;
pub(crate) mod files;
pub(crate) mod frames;
pub(crate) mod news;
mod packed;
pub mod paths;
mod payload;
mod signatures;
mod summary;

pub use audit_link::AuditLink;
pub(crate) use audit_link::MAX_AUDIT_PER_REQUEST;
pub(crate) use bundle::SignedBundle;
pub(crate) use codec::decode_hash;
pub use codec::{MessageKind, Reader, WireError, Writer, MAGIC, MAX_DOCS_PER_MESSAGE, MAX_DOC_PAYLOAD_BYTES, MAX_ID_LEN, MAX_MESSAGE_BYTES, VERSION};
pub use files::CHUNK_BYTES;
pub use frames::{Enrolment, Refusal, Rejection, RejectionKind};
pub use packed::{pack, unpack};
pub(crate) use payload::DocPayload;
pub(crate) use signatures::ChangeSignature;
