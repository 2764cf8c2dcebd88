//! The version of a bucket document a user saw: its heads. A form carries it from the moment it
//! is read to the moment it is saved, so the save is an edit of what the user saw (design §10).

use automerge::ChangeHash;
use std::fmt;

/// The heads of a document at the moment a record was read, as an opaque token for shells:
/// lower-case hex change hashes joined by commas (empty for a record not yet stored).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Version(Vec<ChangeHash>);

impl Version {
    /// The version with these heads.
    pub fn new(mut heads: Vec<ChangeHash>) -> Version {
        heads.sort();
        heads.dedup();
        Version(heads)
    }

    /// Reads a version token; `None` when it is not one (an empty token is the empty version).
    pub fn parse(token: &str) -> Option<Version> {
        let heads = token
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| hex::decode(part).ok().and_then(|bytes| ChangeHash::try_from(bytes.as_slice()).ok()))
            .collect::<Option<Vec<_>>>()?;
        Some(Version::new(heads))
    }

    /// The heads.
    pub fn heads(&self) -> &[ChangeHash] {
        &self.0
    }

    /// True for the version of a record that was not stored yet.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, head) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(&hex::encode(head.0))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_token_reads_back() {
        let version = Version::new(vec![ChangeHash([7; 32]), ChangeHash([1; 32])]);
        assert_eq!(Version::parse(&version.to_string()), Some(version));
        assert_eq!(Version::parse(""), Some(Version::default()));
        assert_eq!(Version::parse("zz"), None);
        assert_eq!(Version::parse("0a0b"), None, "not 32 bytes");
    }
}
