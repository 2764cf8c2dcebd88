//! The changes of one document as a message carries them ([`DocPayload`]): a whole snapshot
//! or a list of changes, each change sized against a [`ChangeBudget`] before Automerge decodes
//! it. What a payload does to a document (`missing_from`, `apply`) is the store's part
//! (`store/bundle.rs`).

use super::{Reader, WireError, Writer, MAX_DOC_PAYLOAD_BYTES};
use crate::doc::ChangeBudget;
use crate::error::{Error, Result};
use automerge::Change;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Most changes one document may carry in one message.
pub(crate) const MAX_CHANGES_PER_DOC: usize = 200_000;

/// The changes of one document in a message: either a whole compressed snapshot (first
/// delivery) or the individual changes the receiver lacks.
#[derive(Clone)]
pub(crate) enum DocPayload {
    /// A whole document, as `Automerge::save` writes it.
    Snapshot(Vec<u8>),
    /// Individual changes.
    Changes(Vec<Change>),
}

const SNAPSHOT: u8 = 0;
const CHANGES: u8 = 1;

impl DocPayload {
    pub(crate) fn write(&self, w: &mut Writer) {
        match self {
            DocPayload::Snapshot(bytes) => {
                w.u8(SNAPSHOT).bytes(bytes);
            }
            DocPayload::Changes(changes) => {
                w.u8(CHANGES);
                Self::write_changes(w, changes);
            }
        }
    }

    /// Writes a list of changes.
    pub(crate) fn write_changes(w: &mut Writer, changes: &[Change]) {
        w.u32(changes.len() as u32);
        for change in changes {
            w.bytes(change.raw_bytes());
        }
    }

    /// Reads and strictly verifies a list of changes (sizes bounded per payload).
    pub(crate) fn read_changes(r: &mut Reader<'_>, doc_id: &str) -> Result<Vec<Change>> {
        Self::read_changes_within(r, doc_id, &mut ChangeBudget::for_message())
    }

    /// Reads a list of changes without decoding them, checking each change's inflated size and
    /// operation count against `budget` (a first pass over a whole message, so that no change
    /// is decoded when the message as a whole is over its caps).
    pub(crate) fn check_changes(r: &mut Reader<'_>, doc_id: &str, budget: &mut ChangeBudget) -> Result<()> {
        let count = r.count("change count", MAX_CHANGES_PER_DOC)?;
        for _ in 0..count {
            let bytes = r.bytes("change", MAX_DOC_PAYLOAD_BYTES)?;
            budget.check(bytes).map_err(|reason| Error::Malformed(WireError::Invalid { what: "document changes", reason: format!("{doc_id}: {reason}") }))?;
        }
        Ok(())
    }

    /// Reads and strictly verifies a list of changes; each change's inflated size and operation
    /// count are checked, and drawn from `budget`, before Automerge decodes it.
    pub(crate) fn read_changes_within(r: &mut Reader<'_>, doc_id: &str, budget: &mut ChangeBudget) -> Result<Vec<Change>> {
        let invalid = |reason: String| Error::Malformed(WireError::Invalid { what: "document changes", reason: format!("{doc_id}: {reason}") });
        let count = r.count("change count", MAX_CHANGES_PER_DOC)?;
        let mut changes = Vec::with_capacity(count.min(1024));
        for _ in 0..count {
            let bytes = r.bytes("change", MAX_DOC_PAYLOAD_BYTES)?;
            budget.check(bytes).map_err(invalid)?;
            let change = catch_unwind(AssertUnwindSafe(|| Change::try_from(bytes)))
                .map_err(|_| invalid("a change could not be decoded".into()))?
                .map_err(|e| invalid(e.to_string()))?;
            changes.push(change);
        }
        Ok(changes)
    }

    /// Reads and strictly verifies a payload (checksums, structure); nothing is applied yet.
    pub(crate) fn read(r: &mut Reader<'_>, doc_id: &str) -> Result<DocPayload> {
        let invalid = |reason: String| Error::Malformed(WireError::Invalid { what: "document changes", reason: format!("{doc_id}: {reason}") });
        match r.u8("payload kind")? {
            SNAPSHOT => Ok(DocPayload::Snapshot(r.bytes("document snapshot", MAX_DOC_PAYLOAD_BYTES)?.to_vec())),
            CHANGES => Ok(DocPayload::Changes(Self::read_changes(r, doc_id)?)),
            other => Err(invalid(format!("unknown payload kind {other}"))),
        }
    }
}
