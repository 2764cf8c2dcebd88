//! The register's forms: a person (with family members), a preventive conversation, and the
//! result of a conversation's +1/+3/+6-month follow-up.

use super::form::{Choice, FieldInput, FieldKind, FieldSpec, ItemSpec};
use super::forms::{parse_id, stored_person, to_json, FormDef};
use super::labels::{self, scope_name};
use super::ViewContext;
use crate::error::Result;
use crate::i18n::Locale;
use crate::ids::RecordId;
use crate::model::{
    BehaviourChange, ConsentGiver, ContactChannel, Conversation, FieldError, FollowUp, LegalGround, LegalKnowledge, Partner, Person, RiskFactor,
    SocialActivity, ValidationErrors, AGE_OF_MAJORITY,
};
use crate::store::Store;
use crate::text::{cyrl_to_latn, latn_to_cyrl};
use chrono::{DurationRound, TimeDelta};
use serde_json::Value;
use std::collections::BTreeSet;

use FieldKind as K;

fn kinds(l: Locale) -> Vec<Choice> {
    labels::choices(l, "conversation_kind", &labels::CONVERSATION_KINDS)
}
fn participant_roles(l: Locale) -> Vec<Choice> {
    labels::choices(l, "participant_role", &labels::PARTICIPANT_ROLES)
}
fn techniques(l: Locale) -> Vec<Choice> {
    labels::choices(l, "technique", &labels::TECHNIQUES)
}
fn risks(l: Locale) -> Vec<Choice> {
    labels::choices(l, "risk", &RiskFactor::ALL)
}
fn channels(l: Locale) -> Vec<Choice> {
    labels::choices(l, "channel", &ContactChannel::ALL)
}
fn partners(l: Locale) -> Vec<Choice> {
    labels::choices(l, "partner", &Partner::ALL)
}
fn consent_givers(l: Locale) -> Vec<Choice> {
    labels::choices(l, "consent_by", &ConsentGiver::ALL)
}
fn legal_grounds(l: Locale) -> Vec<Choice> {
    labels::choices(l, "legal_ground", &LegalGround::ALL)
}
fn categories(l: Locale) -> Vec<Choice> {
    labels::choices(l, "category", &labels::CATEGORIES)
}
fn behaviours(l: Locale) -> Vec<Choice> {
    labels::choices(l, "behaviour", &BehaviourChange::ALL)
}
fn activities(l: Locale) -> Vec<Choice> {
    labels::choices(l, "activity", &SocialActivity::ALL)
}
fn legal_knowledge(l: Locale) -> Vec<Choice> {
    labels::choices(l, "legal_knowledge", &LegalKnowledge::ALL)
}

const NAME: &str = "field.name_latn";
const NAME_CYRL: &str = "field.name_cyrl";
const IDENTITY: &str = "section.identity";
const ADDRESS: &str = "field.address";
const ENVIRONMENT: &str = "field.environment";
const REGISTER: &str = "section.register";

/// The person form.
pub(crate) struct PersonForm;

impl FormDef for PersonForm {
    type Record = Person;
    const TITLES: [&'static str; 2] = ["screen.person_new", "screen.person_edit"];
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::new("name_latn/last", NAME, K::Text),
        FieldSpec::new("name_latn/first", NAME, K::Text),
        FieldSpec::new("name_latn/patronymic", NAME, K::Text),
        FieldSpec::new("name_cyrl/last", NAME_CYRL, K::Text),
        FieldSpec::new("name_cyrl/first", NAME_CYRL, K::Text),
        FieldSpec::new("name_cyrl/patronymic", NAME_CYRL, K::Text),
        FieldSpec::new("birth_date", IDENTITY, K::Date).required(),
        FieldSpec::new("categories", IDENTITY, K::MultiChoice).choices(categories),
        FieldSpec::new("risk_factors", IDENTITY, K::MultiChoice).choices(risks),
        FieldSpec::new("address/region", ADDRESS, K::Text),
        FieldSpec::new("address/district", ADDRESS, K::Text).required(),
        FieldSpec::new("address/mahalla", ADDRESS, K::Text).required(),
        FieldSpec::new("address/street", ADDRESS, K::Text),
        FieldSpec::new("address/house", ADDRESS, K::Text),
        FieldSpec::new("family", "field.family", K::Items).items(ItemSpec::text("name").detail("relation").done("lives_with")),
        FieldSpec::new("environment/household", ENVIRONMENT, K::Text),
        FieldSpec::new("environment/school_or_work", ENVIRONMENT, K::Text),
        FieldSpec::new("environment/friends", ENVIRONMENT, K::Text),
        FieldSpec::new("registered_on", REGISTER, K::Date).required(),
        FieldSpec::new("inspector", REGISTER, K::Text),
        FieldSpec::new("notes", REGISTER, K::LongText),
    ];

    /// A new person: registered today by this device's user, in its mahalla, with no birth
    /// date yet (the form shows it empty and asks for it).
    fn new_record(store: &mut Store, ctx: &ViewContext, id: RecordId, _about: Option<&str>) -> Result<Option<Value>> {
        let mut person = Person { id, registered_on: ctx.today(), inspector: store.device().profile.person.clone(), ..Default::default() };
        person.address.mahalla = home_mahalla(store);
        let mut json = to_json(&person)?;
        if let Some(fields) = json.as_object_mut() {
            fields.remove("birth_date");
        }
        Ok(Some(json))
    }

    fn complete(_: &Store, _: &ViewContext, person: &mut Person, _: Option<&Person>, _: &str, _: &[FieldInput]) -> Result<(), ValidationErrors> {
        fill_missing_script(person);
        Ok(())
    }
}

const TALK: &str = "section.conversation";
const CONTENT: &str = "section.content";
const OUTCOME: &str = "section.outcome";
const LEGAL: &str = "section.legal_basis";

/// The conversation form.
pub(crate) struct ConversationForm;

impl FormDef for ConversationForm {
    type Record = Conversation;
    const TITLES: [&'static str; 2] = ["screen.conversation_new", "screen.conversation_edit"];
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::new("person_ids", TALK, K::Persons).required(),
        FieldSpec::new("kind", TALK, K::Choice).required().choices(kinds),
        FieldSpec::new("channel", TALK, K::Choice).required().choices(channels),
        FieldSpec::new("started_at", TALK, K::DateTime).required(),
        FieldSpec::new("ended_at", TALK, K::DateTime),
        FieldSpec::new("mahalla", TALK, K::Text).required(),
        FieldSpec::new("place", TALK, K::Text),
        FieldSpec::new("gps", TALK, K::Location),
        FieldSpec::new("partners", TALK, K::MultiChoice).choices(partners),
        FieldSpec::new("participants", TALK, K::Items).choices(participant_roles).items(ItemSpec::text("name").choice("role")),
        FieldSpec::new("topics", CONTENT, K::Tags),
        FieldSpec::new("risk_factors_observed", CONTENT, K::MultiChoice).choices(risks),
        FieldSpec::new("techniques", CONTENT, K::MultiChoice).choices(techniques),
        FieldSpec::new("consequences_explained", CONTENT, K::LongText),
        FieldSpec::new("notes", CONTENT, K::LongText),
        FieldSpec::new("consent_by", CONTENT, K::Choice).choices(consent_givers),
        FieldSpec::new("consent_note", CONTENT, K::Text),
        FieldSpec::new("legal_basis/grounds", LEGAL, K::MultiChoice).choices(legal_grounds),
        FieldSpec::new("legal_basis/details", LEGAL, K::Text),
        FieldSpec::new("agreed_actions", OUTCOME, K::Items).items(ItemSpec::text("text").date("due").done("done")),
        FieldSpec::new("next_follow_up", OUTCOME, K::Date),
    ];

    /// A new conversation: now, by this device's user, with `about` (a person) in the person's
    /// mahalla.
    fn new_record(store: &mut Store, ctx: &ViewContext, id: RecordId, about: Option<&str>) -> Result<Option<Value>> {
        let mut talk = Conversation {
            id,
            started_at: ctx.now.duration_trunc(TimeDelta::minutes(1)).unwrap_or(ctx.now),
            inspector: store.device().profile.person.clone(),
            mahalla: home_mahalla(store),
            ..Default::default()
        };
        if let Some(person_id) = about {
            let person = stored_person(store, person_id)?;
            talk.mahalla = person.address.mahalla.clone();
            talk.person_ids = BTreeSet::from([person.id]);
        }
        to_json(&talk).map(Some)
    }

    fn locate(json: &mut Value, at: crate::model::GeoPoint) {
        if json["gps"].is_null() {
            json["gps"] = serde_json::json!({ "lat": at.lat, "lon": at.lon });
        }
    }

    /// A new conversation with a minor needs a representative's consent. A conversation
    /// recorded before consent was required keeps taking edits without one (its notes are
    /// never lost for want of it); once noted, the consent stays required.
    fn check_with_store(store: &mut Store, ctx: &ViewContext, json: &Value, before: Option<&Conversation>, errors: &mut Vec<FieldError>) {
        if before.is_none_or(|talk| !talk.consent_note.trim().is_empty()) {
            check_minor_consent(store, ctx, json, errors);
        }
    }

    /// A new conversation gets its +1/+3/+6-month follow-ups as it is first saved, so every
    /// phone later fills in the same entries.
    fn complete(_: &Store, _: &ViewContext, talk: &mut Conversation, before: Option<&Conversation>, _: &str, _: &[FieldInput]) -> Result<(), ValidationErrors> {
        if before.is_none() {
            talk.schedule_follow_ups();
        }
        Ok(())
    }
}

/// The result of one follow-up of a conversation (`item`: `m1`, `m3` or `m6`).
pub(crate) struct FollowUpForm;

impl FormDef for FollowUpForm {
    type Record = Conversation;
    const TITLES: [&'static str; 2] = ["screen.follow_up", "screen.follow_up"];
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::new("done_on", OUTCOME, K::Date).required(),
        FieldSpec::new("behaviour", OUTCOME, K::Choice).choices(behaviours),
        FieldSpec::new("reoffended", OUTCOME, K::Flag),
        FieldSpec::new("reoffences", OUTCOME, K::Number),
        FieldSpec::new("activities", OUTCOME, K::MultiChoice).choices(activities),
        FieldSpec::new("legal_knowledge", OUTCOME, K::Choice).choices(legal_knowledge),
        FieldSpec::new("note", OUTCOME, K::LongText),
    ];

    fn part(item: &str) -> Option<String> {
        Some(format!("follow_ups/{}", crate::model::Milestone::parse(item).map_or(item, |m| m.key())))
    }

    fn new_part(_: &Store, _: &ViewContext) -> Value {
        serde_json::to_value(FollowUp::default()).unwrap_or_default()
    }

    /// A conversation stored before follow-ups were scheduled gets them first.
    fn prepare(talk: &mut Conversation) {
        talk.schedule_follow_ups();
    }

    /// Only the scheduled follow-ups exist; the result is signed by this device's user.
    fn complete(
        store: &Store,
        _: &ViewContext,
        talk: &mut Conversation,
        _: Option<&Conversation>,
        item: &str,
        _: &[FieldInput],
    ) -> Result<(), ValidationErrors> {
        let Some(milestone) = crate::model::Milestone::parse(item) else {
            return Err(ValidationErrors(vec![crate::model::FieldError {
                field: "done_on".into(),
                key: "validation.invalid_choice",
                params: vec![("value", item.to_string())],
            }]));
        };
        if let Some(follow_up) = talk.follow_ups.get_mut(milestone.key()) {
            follow_up.by = store.device().profile.person.clone();
        }
        Ok(())
    }
}

/// The mahalla a new record starts in: the device's first scope.
pub(crate) fn home_mahalla(store: &Store) -> String {
    store.device().profile.scopes.first().map(|s| scope_name(s)).unwrap_or_default()
}

/// A person's display name in the locale's script, or the id when the person is not here.
pub(crate) fn person_name(store: &mut Store, locale: Locale, id: &str) -> String {
    match parse_id(id).and_then(|id| Ok(store.get::<Person>(&id)?.record)) {
        Ok(person) => display_name(locale, &person),
        Err(_) => id.to_string(),
    }
}

/// A person's name in the locale's script: the Cyrillic form for uz-Cyrl and Russian.
pub(crate) fn display_name(locale: Locale, person: &Person) -> String {
    match locale {
        Locale::UzCyrl | Locale::Ru if !person.name_cyrl.is_empty() => person.name_cyrl.full(),
        _ => labels::in_script(locale, &person.display_name()),
    }
}

/// A name typed in one script only is filled in the other, so both searches and both
/// scripts of the app show it. A name typed in the other script's fields (Cyrillic letters in
/// the Latin name, or a Latin name in the Cyrillic one) while that script's own fields are
/// empty is taken as the name in the script it is written in.
fn fill_missing_script(person: &mut Person) {
    if person.name_cyrl.is_empty() && has_cyrillic(&person.name_latn.full()) {
        person.name_cyrl = std::mem::take(&mut person.name_latn);
    } else if person.name_latn.is_empty() && is_latin_only(&person.name_cyrl.full()) {
        person.name_latn = std::mem::take(&mut person.name_cyrl);
    }
    if person.name_cyrl.is_empty() && !person.name_latn.is_empty() {
        person.name_cyrl = person.name_latn.map(latn_to_cyrl);
    } else if person.name_latn.is_empty() && !person.name_cyrl.is_empty() {
        person.name_latn = person.name_cyrl.map(cyrl_to_latn);
    }
}

/// The text has a Cyrillic letter.
fn has_cyrillic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// The text has letters and all of them are Latin.
fn is_latin_only(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_alphabetic()) && !has_cyrillic(text)
}

/// A conversation with a minor (younger than [`AGE_OF_MAJORITY`] on the local date it started)
/// needs the consent of a parent, guardian or legal representative, noted in words.
fn check_minor_consent(store: &mut Store, ctx: &ViewContext, json: &Value, errors: &mut Vec<FieldError>) {
    let Some(started) = json["started_at"].as_str().and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok()) else { return };
    let held_on = ctx.local(started.with_timezone(&chrono::Utc)).date();
    let consent_by: Option<ConsentGiver> = json["consent_by"].as_str().and_then(labels::choice_value);
    let noted = json["consent_note"].as_str().is_some_and(|n| !n.trim().is_empty());
    for id in super::form::set_members(&json["person_ids"]) {
        let Ok(person) = stored_person(store, &id) else { continue };
        let age = person.age_on(held_on);
        if age >= AGE_OF_MAJORITY {
            continue;
        }
        let params = vec![("name", person.display_name()), ("age", age.to_string())];
        if !noted {
            errors.push(FieldError { field: "consent_note".into(), key: "consent.required_for_minor", params: params.clone() });
        }
        if !consent_by.is_some_and(ConsentGiver::may_consent_for_a_minor) {
            errors.push(FieldError { field: "consent_by".into(), key: "consent.minor_needs_representative", params });
        }
        return;
    }
}
