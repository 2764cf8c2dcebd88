//! The wire format: everything that crosses a device boundary, in one place. Every length is
//! checked against a cap before anything is allocated, and every malformed input becomes a
//! [`WireError`] (or an [`Error::Malformed`](crate::Error::Malformed)) — untrusted bytes never
//! panic.
//!
//! | part | what it holds |
//! |---|---|
//! | `codec` | the message header (`MAGIC | version | kind | length | body`), the caps, [`Writer`] and [`Reader`] |
//! | `frames` | sync requests and responses (signed by the device / the hub), enrolment request and reply |
//! | `bundle` | the signed envelope of a merge bundle (cable, file share, QR): sender, authors, changes, hashes |
//! | `signatures` | the wire form of change signatures (which device made each change) |
//! | [`paths`] | the hub's HTTP paths (`/v1/sync`, …) and header names, used by the hub and every client |
//!
//! What the bytes mean is decided elsewhere: the store imports a bundle (`store/`), the sync
//! session and the hub check every change (`sync/`). A replica [`Summary`](crate::Summary) and
//! the per-document change payloads are encoded beside the store's bundle code.

mod bundle;
mod codec;
pub(crate) mod frames;
pub mod paths;
mod signatures;

pub(crate) use bundle::SignedBundle;
pub(crate) use codec::decode_hash;
pub use codec::{MessageKind, Reader, WireError, Writer, MAGIC, MAX_DOCS_PER_MESSAGE, MAX_DOC_PAYLOAD_BYTES, MAX_ID_LEN, MAX_MESSAGE_BYTES, VERSION};
pub use frames::{Enrolment, Refusal, Rejection, RejectionKind};
pub(crate) use signatures::ChangeSignature;
