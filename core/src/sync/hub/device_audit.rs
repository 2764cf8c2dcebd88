//! Who saw what, on the hub: each device's audit chain, kept as the device sent it at sync.
//!
//! A device's access log records which record ids its user opened, exported or printed, with
//! no names or notes. Every sync request carries the entries the hub does not hold
//! yet; the hub checks each one links to the entry before it (the same hash the device's chain
//! uses) and keeps it either way, raising an alert for one that does not link (entries altered
//! or missing). Two copies of one install fork the chain: both branches are kept.

use super::{DeviceRow, Hub, HubAlert};
use crate::error::Result;
use crate::store::audit::entry_hash;
use crate::wire::AuditLink;

/// One entry about a record in a device's audit chain, with who the device belongs to.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RecordAccess {
    /// When (ms since the epoch, the device's clock).
    pub at: i64,
    /// The device whose chain holds the entry.
    pub device_id: String,
    /// The person the device is enrolled to (empty when the hub does not know the device).
    pub person: String,
    /// Their role.
    pub role: String,
    /// What was done: `access:view`, `access:export`, `access:print`, or `change` (a sync of
    /// that device changed the record).
    pub action: String,
    /// The entry links to the device's chain as the hub holds it (false: entries before it are
    /// missing or were altered; an alert was raised).
    pub linked: bool,
}

impl RecordAccess {
    /// The entry records an access (opening, exporting, printing) rather than a change.
    pub fn is_access(&self) -> bool {
        self.action.starts_with("access:")
    }
}

impl Hub {
    /// Keeps the audit entries a sync request carried, each checked against the device's chain,
    /// and returns how far the hub now holds the chain (the last entry's seq; 0 for none).
    pub(super) fn keep_device_audit(&self, device: &DeviceRow, links: &[AuditLink], now: i64) -> Result<i64> {
        if links.is_empty() {
            return Ok(0);
        }
        let mut tx = self.storage.write()?;
        let mut unlinked = Vec::new();
        let mut held = 0;
        for link in links.iter().filter(|l| l.seq >= 1) {
            let before = if link.seq == 1 { vec![vec![0u8; 32]] } else { tx.device_audit_hashes(&device.device_id, link.seq - 1)? };
            let linked = before.iter().any(|prev| entry_hash(prev, link.seq, link.at, &link.device_id, &link.action, link.record_id.as_deref()) == link.hash);
            if !linked {
                unlinked.push(link.seq);
            }
            tx.keep_device_audit(&device.device_id, link, linked)?;
            held = held.max(link.seq);
        }
        if let Some(first) = unlinked.first() {
            let detail =
                format!("{} audit entries from entry {first} on do not link to the chain this hub holds (altered, or entries missing)", unlinked.len());
            tx.add_alert(&HubAlert { at: now, device_id: device.device_id.clone(), kind: "audit-chain".into(), detail })?;
        }
        tx.commit()?;
        Ok(held)
    }

    /// Who touched a record, oldest first, with the person and role of each device ("who
    /// accessed record X"): every opening, export and print the devices' access logs reported,
    /// and every change their syncs brought (from the hub's own audit chain, action `change`).
    pub fn record_accesses(&self, record_id: &str) -> Result<Vec<RecordAccess>> {
        let mut tx = self.storage.read()?;
        let devices = tx.devices()?;
        let entry = |device_id: String, at: i64, action: String, linked: bool| {
            let enrolled = devices.iter().find(|d| d.device_id == device_id);
            RecordAccess {
                at,
                person: enrolled.map(|d| d.person.clone()).unwrap_or_default(),
                role: enrolled.map(|d| d.role.clone()).unwrap_or_default(),
                device_id,
                action,
                linked,
            }
        };
        let mut all: Vec<RecordAccess> =
            tx.record_accesses(record_id)?.into_iter().map(|(device, link, linked)| entry(device, link.at, link.action, linked)).collect();
        for (at, action) in tx.record_changes(record_id)? {
            if let Some(device) = action.strip_prefix("sync:") {
                all.push(entry(device.to_string(), at, "change".into(), true));
            }
        }
        all.sort_by_key(|a| a.at);
        Ok(all)
    }
}
