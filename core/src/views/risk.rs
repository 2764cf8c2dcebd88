//! Configurable risk weights: each [`RiskFactor`]'s weight in the explainable risk score is a
//! store setting (JSON), so a district can tune the score without a new app version. Factors
//! without a configured weight keep the default ([`risk_weight`]); every score is still shown
//! with its reasons ("Previous offence (+3)").

use super::labels::{choice_label, invalid_with, risk_weight, slug, text};
use super::ViewContext;
use crate::error::Result;
use crate::i18n::{self, Locale};
use crate::model::RiskFactor;
use crate::store::Store;
use std::collections::{BTreeMap, BTreeSet};

/// Name of the store setting holding the configured weights (`{"previous_offence": 4, …}`).
pub const RISK_WEIGHTS_SETTING: &str = "risk_weights";
/// The highest weight a factor may be given.
pub const MAX_RISK_WEIGHT: u32 = 10;

/// The weight of every risk factor, as configured on this store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Weights(BTreeMap<RiskFactor, u32>);

impl Default for Weights {
    /// Today's default weights ([`risk_weight`]).
    fn default() -> Self {
        Weights(RiskFactor::ALL.into_iter().map(|f| (f, risk_weight(f))).collect())
    }
}

impl Weights {
    /// The configured weights of a store: the defaults, overridden by the setting. Entries of a
    /// damaged or newer setting that this version cannot read keep their default.
    pub fn load(store: &Store) -> Result<Weights> {
        let mut weights = Weights::default();
        let Some(json) = store.setting(RISK_WEIGHTS_SETTING)? else { return Ok(weights) };
        let configured: BTreeMap<String, serde_json::Value> = serde_json::from_str(&json).unwrap_or_default();
        for factor in RiskFactor::ALL {
            if let Some(weight) = configured.get(&slug(&factor)).and_then(serde_json::Value::as_u64).filter(|w| *w <= u64::from(MAX_RISK_WEIGHT)) {
                weights.0.insert(factor, weight as u32);
            }
        }
        Ok(weights)
    }

    /// The weight of a factor.
    pub fn weight(&self, factor: RiskFactor) -> u32 {
        self.0.get(&factor).copied().unwrap_or_else(|| risk_weight(factor))
    }

    /// The risk score of a set of factors and its reasons ("Previous offence (+3)"), heaviest
    /// first; factors weighted 0 add nothing and are not listed.
    pub fn score(&self, locale: Locale, factors: &BTreeSet<RiskFactor>) -> (u32, Vec<String>) {
        let mut weighted: Vec<(u32, RiskFactor)> = factors.iter().map(|f| (self.weight(*f), *f)).filter(|(w, _)| *w > 0).collect();
        weighted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let score = weighted.iter().map(|(w, _)| w).sum();
        let reasons = weighted
            .into_iter()
            .map(|(w, f)| i18n::render(locale, "risk.reason", &[("factor", choice_label(locale, "risk", &f)), ("weight", w.to_string())]))
            .collect();
        (score, reasons)
    }
}

view_types! { $ risk_view_types;

    /// One risk factor and its weight.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RiskWeightRow {
        /// The factor's stable name (`previous_offence`), to pass back to `set_risk_weight`.
        pub factor: String,
        /// The factor's label.
        pub label: String,
        /// Its configured weight (0–10).
        pub weight: u32,
        /// Its default weight.
        pub default_weight: u32,
        /// True when the configured weight differs from the default.
        pub changed: bool,
        /// "Default: 3", to show beside a changed weight.
        pub default_label: String,
    }

    /// The risk weights screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RiskWeights {
        /// Screen title.
        pub title: String,
        /// How the score is made, in one sentence.
        pub hint: String,
        /// Every factor, in display order.
        pub rows: Vec<RiskWeightRow>,
    }
}

/// The configured weight of every risk factor, with its default.
pub fn risk_weights(store: &Store, ctx: &ViewContext) -> Result<RiskWeights> {
    let locale = ctx.locale;
    let weights = Weights::load(store)?;
    let rows = RiskFactor::ALL
        .into_iter()
        .map(|factor| RiskWeightRow {
            factor: slug(&factor),
            label: choice_label(locale, "risk", &factor),
            weight: weights.weight(factor),
            default_weight: risk_weight(factor),
            changed: weights.weight(factor) != risk_weight(factor),
            default_label: i18n::render(locale, "risk_weights.default", &[("weight", risk_weight(factor).to_string())]),
        })
        .collect();
    Ok(RiskWeights {
        title: text(locale, "risk_weights.title"),
        hint: i18n::render(locale, "risk_weights.hint", &[("max", MAX_RISK_WEIGHT.to_string())]),
        rows,
    })
}

/// Gives a risk factor a weight from 0 to [`MAX_RISK_WEIGHT`]; every risk score computed on this
/// store afterwards uses it. A weight out of range is refused with a translatable message.
pub fn set_risk_weight(store: &mut Store, factor: RiskFactor, weight: u32) -> Result<()> {
    if weight > MAX_RISK_WEIGHT {
        return Err(invalid_with(
            format!("risk_weights/{}", slug(&factor)),
            "risk_weights.out_of_range",
            vec![("factor", format!("risk.{}", slug(&factor))), ("value", weight.to_string()), ("max", MAX_RISK_WEIGHT.to_string())],
        ));
    }
    let mut weights = Weights::load(store)?;
    weights.0.insert(factor, weight);
    let json: serde_json::Map<String, serde_json::Value> = weights.0.iter().map(|(f, w)| (slug(f), (*w).into())).collect();
    store.set_setting(RISK_WEIGHTS_SETTING, &serde_json::Value::Object(json).to_string())
}
