//! The error type of the core's public API.

use crate::model::ValidationErrors;

/// Everything that can go wrong in a core call. Each variant says what happened in words a
/// support engineer can act on; validation errors carry field-level, translatable messages.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The record broke one or more rules; see the field-level messages.
    #[error("invalid record: {0}")]
    Invalid(#[from] ValidationErrors),
    /// An argument from the caller is not well formed (e.g. a version token).
    #[error("bad input: {0}")]
    BadInput(String),
    /// No record with this id is stored on this device.
    #[error("no record with id {0}")]
    NotFound(String),
    /// A record exists, but is of another kind than the caller asked for.
    #[error("record {id} is a {actual}, not a {expected}")]
    WrongKind {
        /// The record id.
        id: String,
        /// What the caller asked for.
        expected: &'static str,
        /// What the record is.
        actual: String,
    },
    /// The requested conflict does not exist (already resolved, or a wrong path).
    #[error("no conflict at {path} of record {record_id}")]
    NoSuchConflict {
        /// The record id.
        record_id: String,
        /// The field path.
        path: String,
    },
    /// Bytes from a file or the network are not a valid frame or bundle.
    #[error("malformed input: {0}")]
    Malformed(#[from] crate::wire::WireError),
    /// An Automerge document could not be read or changed.
    #[error("document {doc_id}: {reason}")]
    Document {
        /// The bucket document id.
        doc_id: String,
        /// What Automerge reported.
        reason: String,
    },
    /// The store file could not be opened with the key given.
    #[error("the store key is wrong, or the file is not a Suhbat store")]
    WrongKey,
    /// The store file is damaged (failed integrity or cipher check).
    #[error("the store file is damaged: {0}")]
    Corrupt(String),
    /// The platform key store failed.
    #[error("key store: {0}")]
    KeyStore(String),
    /// The store was created by a newer version of Suhbat.
    #[error("store schema version {found} is newer than this app supports ({supported})")]
    SchemaTooNew {
        /// Version in the file.
        found: i64,
        /// Highest version this build knows.
        supported: i64,
    },
    /// This device's role or scope does not allow writing that record (translated for users
    /// by the bindings; no internal document ids).
    #[error("a {role} may not change these records in mahalla {mahalla}")]
    NotPermitted {
        /// The device's role.
        role: String,
        /// The mahalla (scope key) of the record.
        mahalla: String,
    },
    /// Received changes (a bundle, a sync answer) claim an author who did not sign them, or
    /// one who may not write what they change; `author` is the device named (or the unknown
    /// actor). Nothing of them was applied.
    #[error("changes written as {author} were refused: {reason}")]
    Untrusted {
        /// The device the changes claim to come from.
        author: String,
        /// Why they were refused.
        reason: String,
    },
    /// Another install writes with this device's identity: a cloned install, or a restored
    /// backup that wrote on after the copy was made.
    #[error("another copy of this install wrote changes with the same numbers in {doc_id}: {reason}")]
    ClonedInstall {
        /// The bucket document where the numbers clash.
        doc_id: String,
        /// What clashed.
        reason: String,
    },
    /// The hub refused the request (unknown or revoked device, bad signature, …).
    #[error("the hub refused: {message} ({code})")]
    Refused {
        /// Machine-readable code.
        code: String,
        /// Explanation.
        message: String,
        /// The hub orders this device to wipe its data.
        wipe: bool,
    },
    /// The peer broke the sync protocol, or the exchange did not finish in the allowed rounds.
    #[error("sync: {0}")]
    Protocol(String),
    /// The store has no device profile yet; create it first.
    #[error("this store has not been set up for a device yet")]
    NotInitialised,
    /// A size limit was reached: a bucket holds the most records it may, or similar.
    #[error("{what}: {found} is over the limit of {limit}")]
    LimitExceeded {
        /// What is limited, and where (e.g. `records in bucket register/navbahor/2026`).
        what: String,
        /// How many there would be.
        found: usize,
        /// The most allowed.
        limit: usize,
    },
    /// Merging or unmerging persons was refused: a person into itself, into a merged person,
    /// a chain of merges, or an unmerge of a person that is not merged.
    #[error("cannot merge: {0}")]
    MergeRefused(String),
    /// A request to the hub's registry that cannot be carried out (e.g. a device left with no
    /// mahalla).
    #[error("not possible: {0}")]
    BadArgument(String),
    /// A store of records as they stood at a past time ([`Store::as_of`](crate::Store::as_of))
    /// is read-only: it is never written, synced, exported or backed up.
    #[error("the records as of {at} are a read-only view of the past: nothing can be changed, synced or exported there")]
    ReadOnly {
        /// The time the view shows (RFC 3339, UTC).
        at: String,
    },
    /// SQLite reported an error.
    #[error("database: {0}")]
    Sqlite(rusqlite::Error),
    /// A file could not be read or written.
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
}

/// Result type of the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<rusqlite::Error> for Error {
    /// SQLCipher reports a page whose HMAC does not match (a flipped bit, a torn or edited
    /// file) as "not a database" or "corrupt": both become [`Error::Corrupt`], so no caller has
    /// to know SQLite's codes to tell a damaged file from a busy or full disk.
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        match e.sqlite_error_code() {
            Some(DatabaseCorrupt | NotADatabase) => Error::Corrupt(e.to_string()),
            _ => Error::Sqlite(e),
        }
    }
}

impl Error {
    pub(crate) fn document(doc_id: &str, reason: impl std::fmt::Display) -> Self {
        Error::Document { doc_id: doc_id.to_string(), reason: reason.to_string() }
    }
}
