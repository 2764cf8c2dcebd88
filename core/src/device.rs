//! Who a store belongs to: the device, its user and what they may see.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Role of the person using a device; decides which buckets they receive and may write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Prevention inspector of the territory.
    Inspector,
    /// A member of the mahalla seven.
    Seven,
    /// A supervisor (district head of prevention).
    Supervisor,
    /// An officer of a sectoral service.
    Sectoral,
}

impl Role {
    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Inspector => "inspector",
            Role::Seven => "seven",
            Role::Supervisor => "supervisor",
            Role::Sectoral => "sectoral",
        }
    }

    /// Parses the stable text form.
    pub fn parse(text: &str) -> Option<Role> {
        [Role::Inspector, Role::Seven, Role::Supervisor, Role::Sectoral].into_iter().find(|r| r.as_str() == text)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The user of a new device store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceProfile {
    /// The person's display name.
    pub person: String,
    /// Their role.
    pub role: Role,
    /// Mahalla scopes they work in (names or keys; folded when stored).
    pub scopes: Vec<String>,
}
