//! Who may read and write which bucket: one rule set, applied by the device before it writes
//! and by the hub before it accepts a change or sends a document (need-to-know).

use crate::device::Role;
use crate::doc::{scope_key, BucketId};
use crate::model::{Audience, RecordKind};

/// A scope entry that stands for every mahalla (district supervisors).
pub const ALL_SCOPES: &str = "*";

/// Scopes in their stored form: mahalla keys, or [`ALL_SCOPES`] as it is.
pub(crate) fn scope_keys(scopes: &[String]) -> Vec<String> {
    scopes.iter().map(|s| if s == ALL_SCOPES { s.clone() } else { scope_key(s) }).collect()
}

fn in_scope(scopes: &[String], scope: &str) -> bool {
    // Scopes are mostly kept as keys already: folding one again (per document, per sync) is
    // the hub's hottest path, and a key folds to itself.
    scopes.iter().any(|s| s == ALL_SCOPES || s == scope || (!is_scope_key(s) && scope_key(s) == scope))
}

/// Whether `text` is a scope key as [`scope_key`] makes them (lower-case Latin letters and
/// digits in words joined by single dashes), which folds to itself.
fn is_scope_key(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
}

/// Whether a role may receive a bucket's audience at all.
pub fn role_sees(role: Role, audience: Audience) -> bool {
    match (role, audience) {
        (Role::Inspector | Role::Supervisor, _) => true,
        (Role::Seven, Audience::CaseTeam) => true,
        (Role::Seven, _) => false,
        (service, Audience::Service(addressee)) => service == addressee,
        (_, _) => false,
    }
}

/// Whether a device with `role` and `scopes` may receive `bucket`.
pub fn may_read(role: Role, scopes: &[String], bucket: &BucketId) -> bool {
    role_sees(role, bucket.audience) && in_scope(scopes, &bucket.scope)
}

/// Whether a device with `role` and `scopes` may change `bucket`.
pub fn may_write(role: Role, scopes: &[String], bucket: &BucketId) -> bool {
    may_read(role, scopes, bucket)
}

/// Record kinds a bucket of `audience` may hold.
pub fn kinds_allowed(audience: Audience) -> &'static [RecordKind] {
    match audience {
        Audience::Register => &[RecordKind::Person, RecordKind::Conversation, RecordKind::Application, RecordKind::JointEvent],
        Audience::CaseTeam => &[RecordKind::ParentCase, RecordKind::Referral, RecordKind::Programme, RecordKind::Training],
        Audience::Service(_) => &[RecordKind::Referral],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_key_folds_to_itself() {
        for key in ["navbahor", "soak-12", "yangi-hayot-2", "x"] {
            assert!(is_scope_key(key));
            assert_eq!(scope_key(key), key);
        }
        for text in ["Navbahor", "Yangi hayot", "-x", "x-", "a--b", "", "Навбаҳор"] {
            assert!(!is_scope_key(text), "{text}");
        }
        assert!(in_scope(&["Yangi hayot".into()], "yangi-hayot"));
        assert!(in_scope(&["yangi-hayot".into()], "yangi-hayot"));
        assert!(!in_scope(&["navbahor".into()], "qatortol"));
    }

    fn bucket(audience: Audience, scope: &str) -> BucketId {
        BucketId { audience, scope: scope.into(), period: 2026, notes: None }
    }

    #[test]
    fn need_to_know() {
        let navbahor = vec!["Navbahor".to_string()];
        assert!(may_read(Role::Inspector, &navbahor, &bucket(Audience::Register, "navbahor")));
        assert!(!may_read(Role::Inspector, &navbahor, &bucket(Audience::Register, "qatortol")));
        assert!(may_read(Role::Seven, &navbahor, &bucket(Audience::CaseTeam, "navbahor")));
        assert!(!may_read(Role::Seven, &navbahor, &bucket(Audience::Register, "navbahor")));
        assert!(may_read(Role::Supervisor, &[ALL_SCOPES.to_string()], &bucket(Audience::Register, "qatortol")));
        assert!(!may_write(Role::Migration, &navbahor, &bucket(Audience::CaseTeam, "navbahor")));
        assert!(!may_read(Role::Migration, &navbahor, &bucket(Audience::Register, "navbahor")));
        assert!(may_read(Role::Migration, &navbahor, &bucket(Audience::Service(Role::Migration), "navbahor")));
        assert!(!may_read(Role::Migration, &navbahor, &bucket(Audience::Service(Role::Forensics), "navbahor")));
        assert!(!may_read(Role::Seven, &navbahor, &bucket(Audience::Service(Role::DutyUnit), "navbahor")));
        assert!(may_read(Role::Inspector, &navbahor, &bucket(Audience::Service(Role::DutyUnit), "navbahor")));
        assert!(may_read(Role::Inspector, &["Навбаҳор".to_string()], &bucket(Audience::Register, "navbahor")));
    }
}
