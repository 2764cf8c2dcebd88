//! Who a store belongs to: the device, its user and what they may see.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Role of the person using a device; decides which buckets they receive and may write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Prevention inspector of the territory.
    Inspector,
    /// A member of the mahalla seven.
    Seven,
    /// A supervisor (district head of prevention).
    Supervisor,
    /// An officer of the duty unit (navbatchilik qismi).
    DutyUnit,
    /// An officer of criminal investigation.
    CriminalInvestigation,
    /// An officer of the counter-terrorism and counter-extremism service.
    CounterExtremism,
    /// An investigator.
    Investigation,
    /// An officer of operational search.
    OperationalSearch,
    /// A forensic expert.
    Forensics,
    /// An officer of migration and citizenship.
    Migration,
    /// An officer of traffic safety.
    TrafficSafety,
    /// A school (its director or deputy for upbringing).
    School,
    /// The youth union (Yoshlar ittifoqi).
    YouthUnion,
    /// A social-protection body (district social-protection department, "Inson" centre).
    SocialProtection,
    /// A children's-rights body (the children's ombudsman's representative, the commission on
    /// minors' affairs).
    ChildrensRights,
    /// A health facility (family polyclinic, rural medical point).
    Health,
    /// The mahalla chairman's office.
    MahallaChairman,
}

impl Role {
    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Inspector => "inspector",
            Role::Seven => "seven",
            Role::Supervisor => "supervisor",
            Role::DutyUnit => "duty_unit",
            Role::CriminalInvestigation => "criminal_investigation",
            Role::CounterExtremism => "counter_extremism",
            Role::Investigation => "investigation",
            Role::OperationalSearch => "operational_search",
            Role::Forensics => "forensics",
            Role::Migration => "migration",
            Role::TrafficSafety => "traffic_safety",
            Role::School => "school",
            Role::YouthUnion => "youth_union",
            Role::SocialProtection => "social_protection",
            Role::ChildrensRights => "childrens_rights",
            Role::Health => "health",
            Role::MahallaChairman => "mahalla_chairman",
        }
    }

    /// Every role, in display order.
    pub const ALL: [Role; 17] = [
        Role::Inspector,
        Role::Seven,
        Role::Supervisor,
        Role::DutyUnit,
        Role::CriminalInvestigation,
        Role::CounterExtremism,
        Role::Investigation,
        Role::OperationalSearch,
        Role::Forensics,
        Role::Migration,
        Role::TrafficSafety,
        Role::School,
        Role::YouthUnion,
        Role::SocialProtection,
        Role::ChildrensRights,
        Role::Health,
        Role::MahallaChairman,
    ];

    /// The bodies outside the police that receive cooperation requests: schools, the youth
    /// union, social protection, children's rights, health facilities, the mahalla chairman.
    pub const BODIES: [Role; 6] = [Role::School, Role::YouthUnion, Role::SocialProtection, Role::ChildrensRights, Role::Health, Role::MahallaChairman];

    /// The police services (duty unit and sectoral services) and the bodies outside the police
    /// ([`Role::BODIES`]): the roles that receive cooperation requests in a bucket of their
    /// own, each its own, so only the addressee's devices receive its requests.
    pub const SERVICES: [Role; 14] = [
        Role::DutyUnit,
        Role::CriminalInvestigation,
        Role::CounterExtremism,
        Role::Investigation,
        Role::OperationalSearch,
        Role::Forensics,
        Role::Migration,
        Role::TrafficSafety,
        Role::School,
        Role::YouthUnion,
        Role::SocialProtection,
        Role::ChildrensRights,
        Role::Health,
        Role::MahallaChairman,
    ];

    /// Every role's text form, comma-separated (for help and error messages).
    pub fn names() -> String {
        Role::ALL.map(Role::as_str).join(", ")
    }

    /// True for the duty unit, the sectoral services and the bodies outside the police: the
    /// roles with a request bucket of their own.
    pub fn is_service(self) -> bool {
        Role::SERVICES.contains(&self)
    }

    /// Parses the stable text form.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
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
