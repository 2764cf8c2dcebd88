//! Types shared by several records.

use super::Rules;
use serde::{Deserialize, Serialize};

/// A name in one script.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonName {
    /// Family name.
    pub last: String,
    /// Given name.
    pub first: String,
    /// Father's name (may be empty).
    pub patronymic: String,
}

impl PersonName {
    /// "Last First Patronymic", without empty parts.
    pub fn full(&self) -> String {
        [&self.last, &self.first, &self.patronymic].iter().filter(|p| !p.trim().is_empty()).map(|p| p.trim()).collect::<Vec<_>>().join(" ")
    }

    /// True when no part is filled in.
    pub fn is_empty(&self) -> bool {
        self.full().is_empty()
    }

    /// The same name transliterated with `f`.
    pub fn map(&self, f: impl Fn(&str) -> String) -> PersonName {
        PersonName { last: f(&self.last), first: f(&self.first), patronymic: f(&self.patronymic) }
    }
}

/// A postal address down to the house.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Address {
    /// Region (viloyat).
    pub region: String,
    /// District (tuman).
    pub district: String,
    /// Mahalla; it is also the scope that decides which devices receive the record.
    pub mahalla: String,
    /// Street.
    pub street: String,
    /// House and flat.
    pub house: String,
}

impl Address {
    /// One line for display.
    pub fn line(&self) -> String {
        [&self.region, &self.district, &self.mahalla, &self.street, &self.house]
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.trim())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn check(&self, rules: &mut Rules, prefix: &str) {
        rules.required(format!("{prefix}/mahalla"), &self.mahalla);
        rules.required(format!("{prefix}/district"), &self.district);
        for (name, value) in
            [("region", &self.region), ("district", &self.district), ("mahalla", &self.mahalla), ("street", &self.street), ("house", &self.house)]
        {
            rules.max_len(format!("{prefix}/{name}"), value, 200);
        }
    }
}

/// A GPS position.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
}

impl GeoPoint {
    pub(crate) fn check(&self, rules: &mut Rules, prefix: &str) {
        for (name, value, limit) in [("lat", self.lat, 90.0), ("lon", self.lon, 180.0)] {
            if !(-limit..=limit).contains(&value) {
                rules.fail(format!("{prefix}/{name}"), "validation.out_of_range", vec![("min", format!("-{limit}")), ("max", format!("{limit}"))]);
            }
        }
    }
}

/// Risk factors recorded on a person or observed in a conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskFactor {
    /// Conflicts, violence or neglect at home.
    FamilyProblems,
    /// Poverty, unemployment, debts.
    EconomicDifficulty,
    /// Influence of a harmful peer group.
    PeerPressure,
    /// Alcohol or drug use.
    SubstanceUse,
    /// An offence in the past.
    PreviousOffence,
    /// Not attending school or work.
    TruancyOrIdleness,
    /// Exposure to extremist material or recruiters.
    ExtremistInfluence,
    /// Risky online behaviour (gambling, harmful groups).
    OnlineRisk,
    /// A sense of social injustice (the method names it first).
    SocialInjustice,
}

impl RiskFactor {
    /// All factors, in display order: the method's four first.
    pub const ALL: [RiskFactor; 9] = [
        RiskFactor::SocialInjustice,
        RiskFactor::EconomicDifficulty,
        RiskFactor::FamilyProblems,
        RiskFactor::PeerPressure,
        RiskFactor::SubstanceUse,
        RiskFactor::PreviousOffence,
        RiskFactor::TruancyOrIdleness,
        RiskFactor::ExtremistInfluence,
        RiskFactor::OnlineRisk,
    ];
}
