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
    scopes.iter().any(|s| s == ALL_SCOPES || scope_key(s) == scope)
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
