//! Bucket ids: `audience/scope/period`, e.g. `register/navbahor/2026`, and the ids of a
//! bucket's notes documents, `audience/scope/period/notes-<n>` (ARCHITECTURE §3).

use crate::model::{Audience, Record};
use crate::text::name_key;
use std::fmt;

/// Which bucket document a record lives in.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BucketId {
    /// Who may receive it.
    pub audience: Audience,
    /// The mahalla scope key (folded, e.g. `navbahor`).
    pub scope: String,
    /// The period (year).
    pub period: i32,
    /// `Some(n)` for the bucket's notes document number `n` (0 to 15), which holds
    /// the notes of the bucket's records whose id falls to it ([`BucketId::notes_for`]).
    pub notes: Option<u8>,
}

/// How many notes documents a bucket has: a record opens its bucket and one of them, so it
/// loads a sixteenth of the bucket's notes instead of all of them.
pub(crate) const NOTES_SHARDS: u8 = 16;

/// The bucket a document belongs to: itself, or the bucket of a notes document (a document id
/// that is no bucket id is returned as it is). Counts and reports shown to users name buckets.
pub(crate) fn bucket_of(doc_id: &str) -> String {
    BucketId::parse(doc_id).map_or_else(|| doc_id.to_string(), |b| b.records().to_string())
}

/// The scope key of a mahalla name: script-insensitive, with dashes for spaces.
pub fn scope_key(mahalla: &str) -> String {
    name_key(mahalla).replace(' ', "-")
}

impl BucketId {
    /// The bucket a new record goes to.
    pub fn for_record<R: Record>(record: &R) -> Self {
        BucketId { audience: record.audience(), scope: scope_key(record.mahalla()), period: record.period_year(), notes: None }
    }

    /// The notes document of this bucket that holds the notes of `record_id` (a stable hash of
    /// the id, FNV-1a, modulo 16).
    pub fn notes_for(&self, record_id: &str) -> BucketId {
        let hash = record_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        BucketId { notes: Some((hash % u64::from(NOTES_SHARDS)) as u8), ..self.records() }
    }

    /// The bucket itself (this id without its notes part).
    pub fn records(&self) -> BucketId {
        BucketId { notes: None, ..self.clone() }
    }

    /// Whether this is one of a bucket's notes documents.
    pub fn is_notes(&self) -> bool {
        self.notes.is_some()
    }

    /// Parses `audience/scope/period` or `audience/scope/period/notes-<n>`; `None` for
    /// anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('/');
        let audience = Audience::parse(parts.next()?)?;
        let scope = parts.next()?.to_string();
        let period = parts.next()?.parse().ok()?;
        let valid_scope = !scope.is_empty() && scope.len() <= 100 && scope.chars().all(|c| c.is_alphanumeric() || c == '-');
        let notes = match parts.next() {
            None => None,
            Some(part) => {
                let n: u8 = part.strip_prefix("notes-")?.parse().ok()?;
                // One spelling per number: `notes-3`, never `notes-03` or `notes-+3`.
                (n < NOTES_SHARDS && part == format!("notes-{n}")).then_some(n)?;
                Some(n)
            }
        };
        if parts.next().is_some() || !valid_scope {
            return None;
        }
        Some(BucketId { audience, scope, period, notes })
    }
}

impl fmt::Display for BucketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.audience.as_str(), self.scope, self.period)?;
        match self.notes {
            Some(n) => write!(f, "/notes-{n}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_document_ids_read_back_and_stay_in_their_bucket() {
        let bucket = BucketId::parse("register/navbahor/2026").unwrap();
        let notes = bucket.notes_for("0192f0c4-7d1e-7c3a-9f00-1234567890ab");
        assert_eq!(notes.records(), bucket);
        assert_eq!(BucketId::parse(&notes.to_string()), Some(notes.clone()));
        assert_eq!(notes, bucket.notes_for("0192f0c4-7d1e-7c3a-9f00-1234567890ab"), "stable");
        let spread: std::collections::BTreeSet<_> = (0..200).map(|i| bucket.notes_for(&format!("record-{i}")).notes).collect();
        assert_eq!(spread.len(), usize::from(NOTES_SHARDS), "ids spread over every notes document");
        for bad in [
            "register/navbahor/2026/notes-16",
            "register/navbahor/2026/notes-03",
            "register/navbahor/2026/notes-",
            "register/navbahor/2026/x",
            "register/navbahor/2026/notes-1/y",
        ] {
            assert_eq!(BucketId::parse(bad), None, "{bad}");
        }
    }
}
