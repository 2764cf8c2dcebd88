//! Tests of effectiveness monitoring, the extended worklist, configurable risk weights,
//! incident trends and the district report, on real stores with a hand-built data set.

use super::tests::{ctx, fixture, person, talk};
use super::*;
use crate::model::*;
use crate::Error;

#[test]
fn configured_risk_weights_change_scores_and_reasons() {
    let mut f = fixture("aziz");
    let s = &mut f.store;
    let a = person(s, "Qodirov", &[RiskFactor::PreviousOffence, RiskFactor::OnlineRisk]);
    talk(s, &a, "2025-09-01", Some("2025-10-10"), &[]);
    let c = ctx(Locale::En);
    let before = worklist(s, &c).unwrap();
    assert_eq!((before.items[0].risk_score, before.items[0].risk_reasons.clone()), (4, vec!["Previous offence (+3)".to_string(), "Online risks (+1)".to_string()]));

    set_risk_weight(s, RiskFactor::OnlineRisk, 5).unwrap();
    set_risk_weight(s, RiskFactor::PreviousOffence, 0).unwrap();
    let after = worklist(s, &c).unwrap();
    assert_eq!((after.items[0].risk_score, after.items[0].risk_reasons.clone()), (5, vec!["Online risks (+5)".to_string()]));
    let detail = person_detail(s, &c, a.id.as_str()).unwrap();
    assert_eq!((detail.risk_label.as_str(), detail.risk_reasons.as_slice()), ("Risk score: 5", ["Online risks (+5)".to_string()].as_slice()));

    let view = risk_weights(s, &c).unwrap();
    let online = view.rows.iter().find(|r| r.factor == "online_risk").unwrap();
    assert_eq!((online.weight, online.default_weight, online.changed), (5, 1, true));
    assert_eq!(view.rows.iter().filter(|r| r.changed).count(), 2);

    let Err(Error::Invalid(errors)) = set_risk_weight(s, RiskFactor::SubstanceUse, 11) else { panic!("11 must be refused") };
    assert_eq!(errors.messages(Locale::En), ["The weight of “Substance use” must be from 0 to 10 (not 11)"]);
    assert_eq!(risk_weights(s, &c).unwrap().rows.iter().find(|r| r.factor == "substance_use").unwrap().weight, 3);
    // A damaged setting falls back to the defaults, entry by entry.
    s.set_setting(RISK_WEIGHTS_SETTING, r#"{"online_risk": 99, "peer_pressure": 7, "junk": 1}"#).unwrap();
    let weights = Weights::load(s).unwrap();
    assert_eq!((weights.weight(RiskFactor::OnlineRisk), weights.weight(RiskFactor::PeerPressure)), (1, 7));
}
