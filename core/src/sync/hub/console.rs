//! What the base-point console (the supervisors' web page served by the hub) keeps in the
//! hub's audit chain: every page a console account saw, every export and every decision
//! ("who saw what"), and the alerts it raises (an account locked after wrong passwords).

use super::{Hub, HubAlert};
use crate::error::Result;

/// The audit chain's "device" of a console account.
fn who(account: &str) -> String {
    format!("console:{account}")
}

/// One entry a console account left in the hub's audit chain.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ConsoleAuditEntry {
    /// When (ms since epoch).
    pub at: i64,
    /// What, e.g. `view:/console/devices` or `revoke:<device>`.
    pub action: String,
    /// The record it was about, if any.
    pub record_id: Option<String>,
}

impl Hub {
    /// Writes what a console account did (a page seen, an export, a decision) to the hub's
    /// audit chain.
    pub fn audit_console(&self, account: &str, action: &str, record_id: Option<&str>) -> Result<()> {
        let now = self.now_ms();
        let mut tx = self.storage.write()?;
        tx.audit(now, &who(account), action, record_id)?;
        tx.commit()
    }

    /// What a console account did, oldest first.
    pub fn console_audit(&self, account: &str) -> Result<Vec<ConsoleAuditEntry>> {
        let entries = self.storage.read()?.audit_by(&who(account))?;
        Ok(entries.into_iter().map(|(at, action, record_id)| ConsoleAuditEntry { at, action, record_id }).collect())
    }

    /// Raises an alert about a console account for supervisors (and writes it to the audit
    /// chain), e.g. `console-lockout`.
    pub fn alert_console(&self, account: &str, kind: &str, detail: &str) -> Result<()> {
        let now = self.now_ms();
        let mut tx = self.storage.write()?;
        let device_id = who(account);
        tx.add_alert(&HubAlert { at: now, device_id: device_id.clone(), kind: kind.into(), detail: detail.into() })?;
        tx.audit(now, &device_id, kind, None)?;
        tx.commit()
    }
}
