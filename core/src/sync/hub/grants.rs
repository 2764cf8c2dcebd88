//! Reassigning an enrolled device (another mahalla, another role) without losing its work:
//! the hub keeps each grant the device held before, and a change the device made while a
//! grant was in force is accepted even when it arrives after the reassignment.

use super::{DeviceRow, Hub, HubAlert};
use crate::access;
use crate::device::Role;
use crate::doc::BucketId;
use crate::error::{Error, Result};

/// A role and scopes a device held until `valid_until`.
#[derive(Clone, Debug)]
pub(crate) struct Grant {
    /// `None` for a role this build does not know (it allows nothing).
    pub role: Option<Role>,
    pub scopes: Vec<String>,
    /// When the grant ended (ms since epoch, hub clock).
    pub valid_until: i64,
}

/// Scopes as stored: comma-separated.
pub(crate) fn split_scopes(scopes: &str) -> Vec<String> {
    scopes.split(',').filter(|s| !s.is_empty()).map(String::from).collect()
}

impl DeviceRow {
    /// Whether this device may make a change to `bucket` at `time` (ms since epoch, the
    /// change's own clock): under its current grant, or under an earlier one that was still in
    /// force then.
    pub(crate) fn may_write_at(&self, bucket: &BucketId, time: i64) -> bool {
        self.may_write(bucket) || self.grants.iter().any(|g| time <= g.valid_until && g.role.is_some_and(|role| access::may_write(role, &g.scopes, bucket)))
    }
}

impl Hub {
    /// Moves an active device to other mahallas. Its changes made before count under the old
    /// scopes; at its next sync it learns the new ones, receives their documents and drops the
    /// old ones once the hub holds all its work in them. Returns whether the device exists and
    /// is not revoked.
    pub fn set_scopes(&self, device_id: &str, scopes: &[String]) -> Result<bool> {
        if scopes.iter().all(|s| s.trim().is_empty()) {
            return Err(Error::BadArgument("a device needs at least one mahalla".into()));
        }
        self.reassign(device_id, None, Some(access::scope_keys(scopes).join(",")))
    }

    /// Gives an active device another role, keeping its scopes; as [`set_scopes`](Self::set_scopes).
    pub fn set_role(&self, device_id: &str, role: Role) -> Result<bool> {
        self.reassign(device_id, Some(role), None)
    }

    /// Replaces the role and/or scopes of a device, keeping the old ones as a grant that ends
    /// now, with an alert and an audit entry, in one transaction.
    fn reassign(&self, device_id: &str, role: Option<Role>, scopes: Option<String>) -> Result<bool> {
        let now = self.now_ms();
        let mut tx = self.storage.write()?;
        let Some((old_role, old_scopes)) = tx.assignment(device_id)? else { return Ok(false) };
        let new_role = role.map_or_else(|| old_role.clone(), |r| r.as_str().to_string());
        let new_scopes = scopes.unwrap_or_else(|| old_scopes.clone());
        if new_role == old_role && new_scopes == old_scopes {
            return Ok(true);
        }
        tx.reassign(device_id, (&old_role, &old_scopes), now, (&new_role, &new_scopes))?;
        let (kind, detail) = if new_role != old_role {
            ("role-changed", format!("role {old_role} -> {new_role} (scopes {new_scopes})"))
        } else {
            ("scope-changed", format!("scopes {old_scopes} -> {new_scopes} (role {new_role})"))
        };
        tx.add_alert(&HubAlert { at: now, device_id: device_id.to_string(), kind: kind.into(), detail })?;
        tx.audit(now, self.hub_id(), &format!("{kind}:{device_id}"), None)?;
        tx.commit()?;
        Ok(true)
    }
}
