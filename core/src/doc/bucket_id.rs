//! Bucket ids: `audience/scope/period`, e.g. `register/navbahor/2026`.

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
}

/// The scope key of a mahalla name: script-insensitive, with dashes for spaces.
pub fn scope_key(mahalla: &str) -> String {
    name_key(mahalla).replace(' ', "-")
}

impl BucketId {
    /// The bucket a new record goes to.
    pub fn for_record<R: Record>(record: &R) -> Self {
        BucketId { audience: record.audience(), scope: scope_key(record.mahalla()), period: record.period_year() }
    }

    /// Parses `audience/scope/period`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('/');
        let audience = Audience::parse(parts.next()?)?;
        let scope = parts.next()?.to_string();
        let period = parts.next()?.parse().ok()?;
        let valid_scope = !scope.is_empty() && scope.len() <= 100 && scope.chars().all(|c| c.is_alphanumeric() || c == '-');
        if parts.next().is_some() || !valid_scope {
            return None;
        }
        Some(BucketId { audience, scope, period })
    }
}

impl fmt::Display for BucketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.audience.as_str(), self.scope, self.period)
    }
}
