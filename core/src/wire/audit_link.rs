//! A device's audit entries as they travel to its hub in a sync request ("who saw what",
//! ARCHITECTURE §8): each entry exactly as the device's chain hashes it.

use super::{Reader, WireError, Writer, MAX_ID_LEN};

/// One entry of a device's audit chain as it travels to the hub: exactly what the device's
/// chain hashes, so the hub can check each link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditLink {
    /// Position in the device's chain, from 1.
    pub seq: i64,
    /// When (ms since the epoch, the device's clock).
    pub at: i64,
    /// The device that acted (the sender itself, or a peer whose changes it merged).
    pub device_id: String,
    /// What was done (`put`, `merge`, `access:view`, `access:export`, …).
    pub action: String,
    /// The record it concerned, if one.
    pub record_id: Option<String>,
    /// The entry's chained hash.
    pub hash: Vec<u8>,
}

/// Most audit entries one request carries; the rest go in the next round or sync.
pub(crate) const MAX_AUDIT_PER_REQUEST: usize = 2_000;

impl AuditLink {
    pub(crate) fn write_all(w: &mut Writer, links: &[AuditLink]) {
        w.u32(links.len() as u32);
        for l in links {
            w.u64(l.seq as u64).u64(l.at as u64).str(&l.device_id).str(&l.action).str(l.record_id.as_deref().unwrap_or("")).bytes(&l.hash);
        }
    }

    pub(crate) fn read_all(r: &mut Reader<'_>) -> Result<Vec<AuditLink>, WireError> {
        let n = r.count("audit entry count", MAX_AUDIT_PER_REQUEST)?;
        (0..n)
            .map(|_| {
                Ok(AuditLink {
                    seq: r.u64("audit seq")? as i64,
                    at: r.u64("audit time")? as i64,
                    device_id: r.str("audit device", MAX_ID_LEN)?.to_string(),
                    action: r.str("audit action", MAX_ID_LEN)?.to_string(),
                    record_id: Some(r.str("audit record", MAX_ID_LEN)?).filter(|s| !s.is_empty()).map(String::from),
                    hash: r.bytes("audit hash", 32)?.to_vec(),
                })
            })
            .collect()
    }
}
