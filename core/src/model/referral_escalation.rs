//! What a cooperation request is about (its category, counted in the district report) and the
//! escalation of an overdue request to the addressee's supervisor: a stamp on the request (who
//! escalated, when, to whom) that, once made, stays.

use super::{latest_local_date, Referral, ReferralState, Rules, ValidationErrors};
use crate::device::{DeviceProfile, Role};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What a cooperation request is about, as the service counts requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralCategory {
    /// Trafficking in persons.
    TraffickingInPersons,
    /// Drugs.
    Drugs,
    /// Extremism and terrorism.
    ExtremismTerrorism,
    /// Missing and wanted persons.
    MissingWanted,
    /// Migration.
    Migration,
    /// Road safety.
    RoadSafety,
    /// Domestic violence.
    DomesticViolence,
    /// Juveniles.
    Juvenile,
    /// Anything else (and every request made before categories existed).
    #[default]
    Other,
}

impl ReferralCategory {
    /// Every category, in display order.
    pub const ALL: [ReferralCategory; 9] = [
        ReferralCategory::TraffickingInPersons,
        ReferralCategory::Drugs,
        ReferralCategory::ExtremismTerrorism,
        ReferralCategory::MissingWanted,
        ReferralCategory::Migration,
        ReferralCategory::RoadSafety,
        ReferralCategory::DomesticViolence,
        ReferralCategory::Juvenile,
        ReferralCategory::Other,
    ];
}

/// The stamp of an escalation: an overdue request taken to the addressee's supervisor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Escalation {
    /// The person who escalated it.
    pub by: String,
    /// Their role (an inspector or a supervisor).
    pub role: Role,
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// To whom, by name, within the supervising body of the addressee
    /// ([`supervisor_key`]); may be empty when only the body is known.
    pub to: String,
    /// What they wrote with it.
    pub note: String,
}

impl Default for Escalation {
    fn default() -> Self {
        Escalation { by: String::new(), role: Role::Inspector, at: DateTime::<Utc>::UNIX_EPOCH, to: String::new(), note: String::new() }
    }
}

/// The catalog key of the body that supervises an addressee: the district police head for the
/// police services, the education department for a school, and so on.
pub fn supervisor_key(addressee: Role) -> &'static str {
    match addressee {
        Role::School => "supervisor.education_department",
        Role::YouthUnion => "supervisor.youth_union_council",
        Role::SocialProtection => "supervisor.social_protection_agency",
        Role::ChildrensRights => "supervisor.childrens_ombudsman",
        Role::Health => "supervisor.medical_association",
        Role::MahallaChairman | Role::Seven => "supervisor.deputy_khokim",
        _ => "supervisor.district_police_head",
    }
}

/// True for the roles that may escalate a request: the sender's side.
pub fn may_escalate(role: Role) -> bool {
    matches!(role, Role::Inspector | Role::Supervisor)
}

impl Referral {
    /// Escalates this overdue request to the addressee's supervisor (`to`: a name, may be
    /// empty), stamped with `actor` and `now`. Refuses, with a translatable message, an actor
    /// who is not on the sender's side, a request not overdue on `today`, and a second
    /// escalation.
    pub fn escalate(&mut self, actor: &DeviceProfile, to: &str, note: &str, now: DateTime<Utc>, today: NaiveDate) -> Result<(), ValidationErrors> {
        let mut rules = Rules::default();
        if !may_escalate(actor.role) {
            rules.fail("escalation", "referral.escalation_role", vec![("role", format!("role.{}", actor.role.as_str()))]);
        } else if self.escalation.is_some() {
            rules.fail("escalation", "referral.already_escalated", vec![]);
        } else if !self.is_overdue(today) {
            rules.fail("escalation", "referral.not_overdue", vec![]);
        }
        rules.finish()?;
        let escalation = Escalation { by: actor.person.clone(), role: actor.role, at: now, to: to.trim().to_string(), note: note.trim().to_string() };
        self.escalation = Some(escalation);
        Ok(())
    }

    /// The rules an escalation stamp keeps: made by the sender's side, after the answer was
    /// due, with short texts.
    pub(super) fn check_escalation(&self, rules: &mut Rules) {
        let Some(escalation) = &self.escalation else { return };
        rules.required("escalation/by", &escalation.by);
        rules.max_len("escalation/to", &escalation.to, 300);
        rules.max_len("escalation/note", &escalation.note, 5_000);
        if !may_escalate(escalation.role) {
            rules.fail("escalation/role", "referral.escalation_role", vec![("role", format!("role.{}", escalation.role.as_str()))]);
        }
        if latest_local_date(escalation.at) <= self.respond_by || self.stamp(ReferralState::Sent).is_none_or(|sent| escalation.at < sent.at) {
            rules.fail("escalation", "referral.not_overdue", vec![]);
        }
    }
}
