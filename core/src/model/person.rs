//! A person on the prevention register.

use super::{latest_local_date, set_map, Address, Audience, IndexFields, PersonName, Record, RecordKind, RiskFactor, Rules, ValidationErrors};
use crate::ids::RecordId;
use crate::text::cyrl_to_latn;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Index status of a person merged into another one ([`Person::merged_into`] is set).
pub const MERGED_STATUS: &str = "merged";
/// Index status of every other person on the register.
pub const REGISTERED_STATUS: &str = "registered";

/// Why a person is on the prevention register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterCategory {
    /// A minor at risk.
    Minor,
    /// Released from a place of detention.
    FormerlyConvicted,
    /// Under administrative supervision.
    AdministrativeSupervision,
    /// Perpetrator of domestic violence (protection order).
    DomesticViolence,
    /// Alcohol or drug dependence.
    Dependence,
    /// Other grounds, described in the notes.
    Other,
}

/// Someone in the person's family.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FamilyMember {
    /// Relation to the person ("mother", "brother", …).
    pub relation: String,
    /// Full name.
    pub name: String,
    /// Lives in the same household.
    pub lives_with: bool,
}

/// Who the person lives and spends time with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SocialEnvironment {
    /// Household, in words.
    pub household: String,
    /// School, college or workplace.
    pub school_or_work: String,
    /// Friends and groups.
    pub friends: String,
}

/// A person on the prevention register.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Person {
    /// Record id.
    pub id: RecordId,
    /// Name in Latin script.
    pub name_latn: PersonName,
    /// Name in Cyrillic script.
    pub name_cyrl: PersonName,
    /// Date of birth.
    pub birth_date: NaiveDate,
    /// Home address; its mahalla is the record's scope.
    pub address: Address,
    /// Grounds for registration.
    #[serde(with = "set_map")]
    pub categories: BTreeSet<RegisterCategory>,
    /// Risk factors.
    #[serde(with = "set_map")]
    pub risk_factors: BTreeSet<RiskFactor>,
    /// Family members, keyed by item id.
    pub family: BTreeMap<String, FamilyMember>,
    /// Social environment.
    pub environment: SocialEnvironment,
    /// Responsible inspector (person name or id).
    pub inspector: String,
    /// Date put on the register.
    pub registered_on: NaiveDate,
    /// Free-text notes (collaborative text).
    /// (Kept in a notes document: a bucket read alone lacks it, hence the default.)
    #[serde(default)]
    pub notes: String,
    /// Set when this person was found to be a duplicate and merged into another person (the
    /// survivor). The record stays as it was, with everything linked to it; it is only hidden
    /// from lists, search and duplicate detection. Absent (not stored) when not merged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<RecordId>,
    /// Duplicates merged into this person: their histories show on this person's card. A set
    /// stored as a map, so merges made on two devices at the same time both survive.
    #[serde(with = "set_map")]
    pub merged_from: BTreeSet<RecordId>,
    /// Files attached to it (photos, audio notes, signatures, PDFs), by content hash.
    pub attachments: super::Attachments,
}

impl Person {
    /// The display name: Latin form, or the Cyrillic form transliterated.
    pub fn display_name(&self) -> String {
        if self.name_latn.is_empty() {
            cyrl_to_latn(&self.name_cyrl.full())
        } else {
            self.name_latn.full()
        }
    }

    /// Age in whole years on `day`.
    pub fn age_on(&self, day: NaiveDate) -> u32 {
        day.years_since(self.birth_date).unwrap_or(0)
    }
}

impl Record for Person {
    const KIND: RecordKind = RecordKind::Person;
    const TEXT_FIELDS: &'static [&'static str] = &["notes"];

    fn id(&self) -> &RecordId {
        &self.id
    }

    fn validate(&self, now: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let mut rules = Rules::default();
        let today = latest_local_date(now);
        if self.name_latn.is_empty() && self.name_cyrl.is_empty() {
            rules.required("name_latn/last", "");
        } else {
            let name = if self.name_latn.is_empty() { &self.name_cyrl } else { &self.name_latn };
            let prefix = if self.name_latn.is_empty() { "name_cyrl" } else { "name_latn" };
            rules.required(format!("{prefix}/last"), &name.last);
            rules.required(format!("{prefix}/first"), &name.first);
        }
        for (prefix, name) in [("name_latn", &self.name_latn), ("name_cyrl", &self.name_cyrl)] {
            for (part, value) in [("last", &name.last), ("first", &name.first), ("patronymic", &name.patronymic)] {
                rules.max_len(format!("{prefix}/{part}"), value, 100);
            }
        }
        rules.not_in_future("birth_date", &self.birth_date, &today);
        rules.not_in_future("registered_on", &self.registered_on, &today);
        rules.not_before("registered_on", &self.registered_on, "birth_date", &self.birth_date);
        self.address.check(&mut rules, "address");
        for (item, member) in &self.family {
            rules.required(format!("family/{item}/name"), &member.name);
        }
        rules.max_len("notes", &self.notes, 20_000);
        rules.finish()
    }

    fn mahalla(&self) -> &str {
        &self.address.mahalla
    }

    fn audience(&self) -> Audience {
        Audience::Register
    }

    fn period_year(&self) -> i32 {
        self.registered_on.year()
    }

    fn index_fields(&self) -> IndexFields {
        IndexFields {
            title: self.display_name(),
            search_text: [self.name_latn.full(), self.name_cyrl.full(), self.address.line()].join("\n"),
            birth_year: Some(self.birth_date.year()),
            due_on: None,
            status: if self.merged_into.is_some() { MERGED_STATUS.into() } else { REGISTERED_STATUS.into() },
            links: vec![],
        }
    }
}
