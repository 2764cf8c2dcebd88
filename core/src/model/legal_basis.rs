//! The legal ground of a conversation or a parent case: laws and resolutions from a choice
//! list kept in the catalog (`legal_ground.<name>`), plus free text; and who consented to a
//! conversation with a minor.

use super::{set_map, Rules};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A law or resolution an inspector acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalGround {
    /// Law "On the prevention of offences".
    PreventionOfOffences,
    /// Law "On the prevention of neglect and offences among minors".
    NeglectOfMinors,
    /// Law "On guarantees of the rights of the child".
    RightsOfTheChild,
    /// Law "On the protection of women from harassment and violence".
    ProtectionOfWomen,
    /// Law "On internal affairs bodies".
    InternalAffairsBodies,
    /// The Family Code.
    FamilyCode,
    /// The Code of administrative responsibility.
    AdministrativeCode,
    /// The government's resolution on working with families through the mahalla.
    MahallaFamilyResolution,
    /// Another act, named in the text.
    Other,
}

impl LegalGround {
    /// All grounds, in display order.
    pub const ALL: [LegalGround; 9] = [
        LegalGround::PreventionOfOffences,
        LegalGround::NeglectOfMinors,
        LegalGround::RightsOfTheChild,
        LegalGround::ProtectionOfWomen,
        LegalGround::InternalAffairsBodies,
        LegalGround::FamilyCode,
        LegalGround::AdministrativeCode,
        LegalGround::MahallaFamilyResolution,
        LegalGround::Other,
    ];
}

/// Most characters of the legal basis in words.
pub const MAX_LEGAL_TEXT: usize = 1_000;

/// The legal ground of a record: acts from the list and words (an article, another act).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LegalBasis {
    /// Acts from the catalog's list.
    #[serde(with = "set_map")]
    pub grounds: BTreeSet<LegalGround>,
    /// In words: articles, or the act meant by "other".
    pub details: String,
}

impl LegalBasis {
    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.grounds.is_empty() && self.details.trim().is_empty()
    }

    /// "Other" needs the act named in words; the words have a length limit.
    pub(crate) fn check(&self, rules: &mut Rules, prefix: &str) {
        if self.grounds.contains(&LegalGround::Other) && self.details.trim().is_empty() {
            rules.fail(format!("{prefix}/details"), "legal_basis.other_needs_text", vec![]);
        }
        rules.max_len(format!("{prefix}/details"), &self.details, MAX_LEGAL_TEXT);
    }

    /// The rule broken by a stored legal basis (`value`, as JSON; absent is fine), in words,
    /// for the hub's check of a change.
    pub(crate) fn breach_in(value: Option<&serde_json::Value>) -> Option<String> {
        let value = value?;
        let basis: LegalBasis = match serde_json::from_value(value.clone()) {
            Ok(basis) => basis,
            Err(e) => return Some(format!("unreadable legal basis ({e})")),
        };
        let mut rules = Rules::default();
        basis.check(&mut rules, "legal_basis");
        rules.finish().err().map(|e| format!("legal basis: {e}"))
    }
}

/// Who gave consent to a conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentGiver {
    /// The person talked to (an adult).
    PersonThemself,
    /// A parent.
    Parent,
    /// A guardian or trustee.
    Guardian,
    /// Another legal representative (a children's home, the guardianship body).
    LegalRepresentative,
}

impl ConsentGiver {
    /// All, in display order.
    pub const ALL: [ConsentGiver; 4] = [ConsentGiver::PersonThemself, ConsentGiver::Parent, ConsentGiver::Guardian, ConsentGiver::LegalRepresentative];

    /// Whether consent from this giver covers a minor.
    pub fn may_consent_for_a_minor(self) -> bool {
        self != ConsentGiver::PersonThemself
    }
}

/// Age of majority: a person younger is a minor.
pub const AGE_OF_MAJORITY: u32 = 18;
