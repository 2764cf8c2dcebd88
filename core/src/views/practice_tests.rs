//! Tests of the inspectors' practice as the method describes it: the conversation's channel,
//! partners, techniques and risk factors; legal grounds and the consent for a minor.

use super::tests::{ctx, fixture, person};
use super::*;
use crate::model::{ContactChannel, Conversation, Partner, RiskFactor, Technique};
use crate::model::{LegalGround, ParentCase, Person};
use crate::{Error, Locale, RecordId};

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
    let result = submit_form(&mut f.store, &c, FormKind::Conversation, &form.record_id, "", &form.version, &typed).unwrap();
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
            input("consent_by", "parent"),
            input("consent_note", "The father agreed by phone"),
        ],
    );
    let result = submit_form(&mut f.store, &c, FormKind::Conversation, &form.record_id, "", &form.version, &typed).unwrap();
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
    let changed = &risk_weights(&f.store, &c).unwrap().rows[0];
    assert!(changed.changed);
    assert_eq!(changed.default_label, "Default: 2");
    assert!(set_risk_weight(&mut f.store, RiskFactor::SocialInjustice, 11).is_err());
}

/// A person born on `birth` (`YYYY-MM-DD`), stored.
fn person_born(store: &mut crate::Store, last: &str, birth: &str) -> Person {
    let mut p = person(store, last, &[]);
    p.birth_date = birth.parse().unwrap();
    store.put(&p).unwrap();
    p
}

fn save_talk(store: &mut crate::Store, who: &Person, typed: Vec<FieldInput>) -> FormResult {
    let c = ctx(Locale::En);
    let form = conversation_form(store, &c, None, Some(who.id.as_str())).unwrap();
    let mut inputs = typed_over(&form, typed);
    inputs.iter_mut().filter(|i| i.key == "place" && i.value.is_empty()).for_each(|i| i.value = "Home".into());
    submit_form(store, &c, FormKind::Conversation, &form.record_id, "", &form.version, &inputs).unwrap()
}

#[test]
fn a_new_conversation_with_a_minor_needs_the_consent_of_a_representative() {
    let mut f = fixture("aziz");
    // 18 on 2025-10-10: a minor on 1 October, an adult on the 15th (the context's today).
    let jasur = person_born(&mut f.store, "Qodirov", "2007-10-10");
    let error = |result: &FormResult, key: &str| field(&result.form, key).error.clone().unwrap_or_default();

    let result = save_talk(&mut f.store, &jasur, vec![input("started_at", "2025-10-01 10:00"), input("place", "Home")]);
    assert!(!result.saved);
    assert_eq!(error(&result, "consent_note"), "Qodirov Jasur is a minor (17): Consent note is required");
    assert_eq!(error(&result, "consent_by"), "Qodirov Jasur is a minor (17): consent is given by a parent, guardian or legal representative");

    let result =
        save_talk(&mut f.store, &jasur, vec![input("started_at", "2025-10-01 10:00"), input("consent_by", "person_themself"), input("consent_note", "Agreed")]);
    assert!(error(&result, "consent_by").contains("is a minor (17)") && error(&result, "consent_note").is_empty(), "{:?}", result.form.errors);

    let result = save_talk(
        &mut f.store,
        &jasur,
        vec![input("started_at", "2025-10-01 10:00"), input("consent_by", "guardian"), input("consent_note", "The aunt, his guardian, agreed")],
    );
    assert!(result.saved, "{:?}", result.form.errors);

    // The same person as an adult needs no one's consent; a consent giver named needs the note.
    assert!(save_talk(&mut f.store, &jasur, vec![input("started_at", "2025-10-15 10:00")]).saved);
    let result = save_talk(&mut f.store, &jasur, vec![input("started_at", "2025-10-15 10:00"), input("consent_by", "person_themself")]);
    assert_eq!(error(&result, "consent_note"), "Consent note is required");

    // The raw record API checks the same.
    let talk = Conversation {
        person_ids: [jasur.id.clone()].into(),
        mahalla: "Navbahor".into(),
        place: "Home".into(),
        started_at: "2025-10-01T06:00:00Z".parse().unwrap(),
        ..Default::default()
    };
    let Err(Error::Invalid(errors)) = check_references(&mut f.store, &talk) else { panic!("a minor without consent must be refused") };
    assert!(errors.for_field("consent_note").is_some() && errors.for_field("consent_by").is_some());
}

#[test]
fn legal_grounds_come_from_the_catalog_and_other_needs_words() {
    let mut f = fixture("aziz");
    let adult = person_born(&mut f.store, "Karimov", "1990-05-01");
    let result = save_talk(&mut f.store, &adult, vec![chosen("legal_basis/grounds", &["prevention_of_offences", "other"])]);
    assert!(!result.saved);
    assert_eq!(
        field(&result.form, "legal_basis/details").error.as_deref(),
        Some("\"Other act\" is chosen: name the act in Legal basis in words (articles, another act)")
    );
    let result = save_talk(&mut f.store, &adult, vec![chosen("legal_basis/grounds", &["family_law"])]);
    assert!(field(&result.form, "legal_basis/grounds").error.as_deref().unwrap_or_default().contains("not an allowed value (family_law)"));

    let typed = vec![chosen("legal_basis/grounds", &["prevention_of_offences", "other"]), input("legal_basis/details", "Hokim's order No. 12")];
    let result = save_talk(&mut f.store, &adult, typed);
    assert!(result.saved, "{:?}", result.form.errors);
    let talk: Conversation = f.store.get(&RecordId::parse(&result.form.record_id).unwrap()).unwrap().record;
    assert_eq!(talk.legal_basis.grounds.iter().copied().collect::<Vec<_>>(), [LegalGround::PreventionOfOffences, LegalGround::Other]);
    let ru = conversation_form(&mut f.store, &ctx(Locale::Ru), Some(&result.form.record_id), None).unwrap();
    let grounds = field(&ru, "legal_basis/grounds");
    assert_eq!(grounds.choices[0].label, "Закон «О профилактике правонарушений»");
    assert_eq!(grounds.selected, ["other", "prevention_of_offences"]);

    // A parent case records its legal ground too.
    let c = ctx(Locale::En);
    let id = open_case(&mut f.store, &c, "Navbahor", &["Yusupova Dilnoza".into()], &["Yusupov Sardor".into()], "The boy misses school").unwrap();
    let Err(Error::Invalid(errors)) = set_case_legal_basis(&mut f.store, &id, &["other".into()], "") else { panic!("other without words") };
    assert_eq!(errors.messages(Locale::En), ["\"Other act\" is chosen: name the act in Legal basis in words (articles, another act)"]);
    assert!(set_case_legal_basis(&mut f.store, &id, &["neglect".into()], "").is_err(), "not in the catalog's list");
    set_case_legal_basis(&mut f.store, &id, &["neglect_of_minors".into()], "Art. 8").unwrap();
    let view = parent_case(&mut f.store, &c, &id).unwrap();
    assert_eq!(view.legal_basis, ["Law on the prevention of neglect and offences among minors", "Art. 8"]);
    assert_eq!(legal_ground_choices(&c).len(), LegalGround::ALL.len());
    let stored: ParentCase = f.store.get(&RecordId::parse(&id).unwrap()).unwrap().record;
    assert!(stored.legal_basis.grounds.contains(&LegalGround::NeglectOfMinors));
}
