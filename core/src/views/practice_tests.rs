//! Tests of the inspectors' practice as the method describes it: the conversation's channel,
//! partners, techniques and risk factors.

use super::tests::{ctx, fixture, person};
use super::*;
use crate::model::{ContactChannel, Conversation, Partner, RiskFactor, Technique};
use crate::{Locale, RecordId};

fn input(key: &str, value: &str) -> FieldInput {
    FieldInput { key: key.into(), value: value.into(), ..Default::default() }
}

fn chosen(key: &str, values: &[&str]) -> FieldInput {
    FieldInput { key: key.into(), selected: values.iter().map(|v| v.to_string()).collect(), ..Default::default() }
}

/// The form's own inputs with `typed` put over them, as a user who changed those fields.
fn typed_over(form: &Form, typed: Vec<FieldInput>) -> Vec<FieldInput> {
    let mut inputs: Vec<FieldInput> = form.inputs().into_iter().filter(|i| !typed.iter().any(|t| t.key == i.key)).collect();
    inputs.extend(typed);
    inputs
}

fn field<'a>(form: &'a Form, key: &str) -> &'a FormField {
    form.fields.iter().find(|f| f.key == key).unwrap_or_else(|| panic!("no field {key}"))
}

#[test]
fn conversation_records_the_channel_partners_and_the_methods_techniques() {
    let mut f = fixture("aziz");
    let p = person(&mut f.store, "Qodirov", &[]);
    let c = ctx(Locale::En);
    let form = conversation_form(&mut f.store, &c, None, Some(p.id.as_str())).unwrap();
    assert_eq!(field(&form, "channel").value, "in_person");
    let labels = |key: &str| field(&form, key).choices.iter().map(|c| c.label.clone()).collect::<Vec<_>>();
    assert_eq!(labels("channel"), ["In person", "Phone", "Messenger or social network", "Online platform"]);
    assert_eq!(labels("partners"), ["Local authority", "School", "Religious organisation", "Social services", "Civil society"]);
    assert_eq!(labels("risk_factors_observed")[..4], ["Sense of social injustice", "Economic difficulty", "Family problems", "Peer pressure"]);
    assert_eq!(
        labels("techniques")[..4],
        ["Active listening", "Empathetic approach", "Open questions", "Clear statement of consequences"],
        "the method's four techniques first"
    );

    // In person, a place is needed.
    let typed = typed_over(&form, vec![input("place", " "), chosen("techniques", &["empathy"])]);
    let result = submit_form(&mut f.store, &c, FormKind::Conversation, &form.record_id, &form.version, &typed).unwrap();
    assert_eq!(field(&result.form, "place").error.as_deref(), Some("Place is required"));

    // By messenger, no place visited; partners and techniques are kept.
    let typed = typed_over(
        &form,
        vec![
            input("channel", "messenger"),
            input("place", ""),
            chosen("partners", &["school", "local_authority"]),
            chosen("techniques", &["empathy", "active_listening", "legal_explanation"]),
            chosen("risk_factors_observed", &["social_injustice"]),
        ],
    );
    let result = submit_form(&mut f.store, &c, FormKind::Conversation, &form.record_id, &form.version, &typed).unwrap();
    assert!(result.saved, "{:?}", result.form.errors);
    let talk: Conversation = f.store.get(&RecordId::parse(&form.record_id).unwrap()).unwrap().record;
    assert_eq!(talk.channel, ContactChannel::Messenger);
    assert_eq!(talk.partners.iter().copied().collect::<Vec<_>>(), [Partner::LocalAuthority, Partner::School]);
    assert!(talk.techniques.contains(&Technique::Empathy) && talk.techniques.len() == 3);
    assert!(talk.risk_factors_observed.contains(&RiskFactor::SocialInjustice));
    let shown = conversation_form(&mut f.store, &ctx(Locale::Ru), Some(&form.record_id), None).unwrap();
    assert_eq!(field(&shown, "channel").choices.iter().find(|c| c.value == "messenger").map(|c| c.label.as_str()), Some("Мессенджер или соцсеть"));
}

#[test]
fn a_conversation_stored_before_the_channel_was_asked_reads_as_in_person() {
    let old = serde_json::json!({
        "id": RecordId::new().to_string(),
        "person_ids": {RecordId::new().to_string(): true},
        "mahalla": "Navbahor",
        "place": "Home",
        "started_at": "2025-10-01T06:00:00Z",
        "techniques": {"active_listening": true},
    });
    let talk: Conversation = serde_json::from_value(old).unwrap();
    assert_eq!(talk.channel, ContactChannel::InPerson);
    assert!(talk.partners.is_empty());
    assert!(crate::model::check_record(&talk, chrono::Utc::now()).is_ok());
}

#[test]
fn the_weight_of_social_injustice_is_configurable_like_the_others() {
    let mut f = fixture("aziz");
    let c = ctx(Locale::En);
    let screen = risk_weights(&f.store, &c).unwrap();
    assert_eq!((screen.rows[0].factor.as_str(), screen.rows[0].label.as_str(), screen.rows[0].weight), ("social_injustice", "Sense of social injustice", 2));
    let factors = [RiskFactor::SocialInjustice, RiskFactor::EconomicDifficulty].into_iter().collect();
    assert_eq!(Weights::load(&f.store).unwrap().score(Locale::En, &factors).0, 3);
    set_risk_weight(&mut f.store, RiskFactor::SocialInjustice, 6).unwrap();
    let weights = Weights::load(&f.store).unwrap();
    assert_eq!(weights.weight(RiskFactor::SocialInjustice), 6);
    let (score, reasons) = weights.score(Locale::En, &factors);
    assert_eq!((score, reasons[0].as_str()), (7, "Sense of social injustice (+6)"));
    assert!(risk_weights(&f.store, &c).unwrap().rows[0].changed);
    assert!(set_risk_weight(&mut f.store, RiskFactor::SocialInjustice, 11).is_err());
}
