//! The person and conversation forms: their fields, the values a new record starts with, and
//! saving what the user typed.

use super::form::{attach_errors, Choice, FieldInput, FieldKind, FieldSpec, Form, FormKind, FormResult, ItemSpec};
use super::labels::{self, scope_name, text};
use super::ViewContext;
use crate::doc::Version;
use crate::error::{Error, Result};
use crate::i18n::Locale;
use crate::ids::RecordId;
use crate::model::{
    ConsentGiver, ContactChannel, Conversation, FieldError, LegalGround, Partner, Person, Record, RiskFactor, ValidationErrors, AGE_OF_MAJORITY,
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

const NAME: &str = "field.name_latn";
const NAME_CYRL: &str = "field.name_cyrl";
const IDENTITY: &str = "section.identity";
const ADDRESS: &str = "field.address";
const ENVIRONMENT: &str = "field.environment";
const REGISTER: &str = "section.register";

const PERSON_FIELDS: &[FieldSpec] = &[
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
    FieldSpec::new("environment/household", ENVIRONMENT, K::Text),
    FieldSpec::new("environment/school_or_work", ENVIRONMENT, K::Text),
    FieldSpec::new("environment/friends", ENVIRONMENT, K::Text),
    FieldSpec::new("registered_on", REGISTER, K::Date).required(),
    FieldSpec::new("inspector", REGISTER, K::Text),
    FieldSpec::new("notes", REGISTER, K::LongText),
];

const TALK: &str = "section.conversation";
const CONTENT: &str = "section.content";
const OUTCOME: &str = "section.outcome";
const LEGAL: &str = "section.legal_basis";

const CONVERSATION_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("person_ids", TALK, K::Persons).required(),
    FieldSpec::new("kind", TALK, K::Choice).required().choices(kinds),
    FieldSpec::new("channel", TALK, K::Choice).required().choices(channels),
    FieldSpec::new("started_at", TALK, K::DateTime).required(),
    FieldSpec::new("ended_at", TALK, K::DateTime),
    FieldSpec::new("mahalla", TALK, K::Text).required(),
    FieldSpec::new("place", TALK, K::Text),
    FieldSpec::new("gps", TALK, K::Location),
    FieldSpec::new("partners", TALK, K::MultiChoice).choices(partners),
    FieldSpec::new("participants", TALK, K::Items).choices(participant_roles).items(ItemSpec { text: "name", date: None, choice: Some("role"), done: None }),
    FieldSpec::new("topics", CONTENT, K::Tags),
    FieldSpec::new("risk_factors_observed", CONTENT, K::MultiChoice).choices(risks),
    FieldSpec::new("techniques", CONTENT, K::MultiChoice).choices(techniques),
    FieldSpec::new("consequences_explained", CONTENT, K::LongText),
    FieldSpec::new("notes", CONTENT, K::LongText),
    FieldSpec::new("consent_by", CONTENT, K::Choice).choices(consent_givers),
    FieldSpec::new("consent_note", CONTENT, K::Text),
    FieldSpec::new("legal_basis/grounds", LEGAL, K::MultiChoice).choices(legal_grounds),
    FieldSpec::new("legal_basis/details", LEGAL, K::Text),
    FieldSpec::new("agreed_actions", OUTCOME, K::Items).items(ItemSpec { text: "text", date: Some("due"), choice: None, done: Some("done") }),
    FieldSpec::new("next_follow_up", OUTCOME, K::Date),
];

fn specs(kind: FormKind) -> &'static [FieldSpec] {
    match kind {
        FormKind::Person => PERSON_FIELDS,
        FormKind::Conversation => CONVERSATION_FIELDS,
    }
}

fn parse_id(id: &str) -> Result<RecordId> {
    RecordId::parse(id).ok_or_else(|| Error::NotFound(id.to_string()))
}

fn to_json<R: Record>(record: &R) -> Result<Value> {
    serde_json::to_value(record).map_err(|e| Error::document(record.id().as_str(), e))
}

/// The stored record as JSON, or `None` when no record has this id yet.
fn stored_json<R: Record>(store: &mut Store, id: &RecordId) -> Result<Option<Value>> {
    match store.get::<R>(id) {
        Ok(stored) => to_json(&stored.record).map(Some),
        Err(Error::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The mahalla a new record starts in: the device's first scope.
fn home_mahalla(store: &Store) -> String {
    store.device().profile.scopes.first().map(|s| scope_name(s)).unwrap_or_default()
}

/// A new person: registered today by this device's user, in its mahalla.
fn new_person(store: &Store, ctx: &ViewContext, id: RecordId) -> Result<Value> {
    let mut person = Person { id, registered_on: ctx.today(), inspector: store.device().profile.person.clone(), ..Default::default() };
    person.address.mahalla = home_mahalla(store);
    let mut json = to_json(&person)?;
    // No birth date yet: the form shows it empty and asks for it.
    if let Some(fields) = json.as_object_mut() {
        fields.remove("birth_date");
    }
    Ok(json)
}

/// A new conversation: now, by this device's user, with `person` in the person's mahalla.
fn new_conversation(store: &mut Store, ctx: &ViewContext, id: RecordId, person: Option<&str>) -> Result<Value> {
    let mut talk = Conversation {
        id,
        started_at: ctx.now.duration_trunc(TimeDelta::minutes(1)).unwrap_or(ctx.now),
        inspector: store.device().profile.person.clone(),
        mahalla: home_mahalla(store),
        ..Default::default()
    };
    if let Some(person_id) = person {
        let person = store.get::<Person>(&parse_id(person_id)?)?.record;
        talk.mahalla = person.address.mahalla.clone();
        talk.person_ids = BTreeSet::from([person.id]);
    }
    to_json(&talk)
}

/// Renders a form from the record's JSON, or from what the user typed with its errors.
fn build(store: &mut Store, ctx: &ViewContext, kind: FormKind, record: &Value, version: &Version, typed: Option<(&[FieldInput], &ValidationErrors)>) -> Form {
    let locale = ctx.locale;
    let mut fields: Vec<_> = specs(kind)
        .iter()
        .map(|spec| match typed.and_then(|(inputs, _)| inputs.iter().find(|i| i.key == spec.path)) {
            Some(input) => spec.echo(locale, input),
            None => spec.render(ctx, record),
        })
        .collect();
    for field in fields.iter_mut().filter(|f| f.kind == K::Persons) {
        field.choices = field.selected.iter().map(|id| Choice { value: id.clone(), label: person_name(store, locale, id) }).collect();
    }
    let errors = typed.map(|(_, errors)| attach_errors(locale, &mut fields, errors)).unwrap_or_default();
    let record_id = record["id"].as_str().unwrap_or_default().to_string();
    let is_new = parse_id(&record_id).map(|id| store.get_raw(&id).is_err()).unwrap_or(true);
    let title = match (kind, is_new) {
        (FormKind::Person, true) => "screen.person_new",
        (FormKind::Person, false) => "screen.person_edit",
        (FormKind::Conversation, true) => "screen.conversation_new",
        (FormKind::Conversation, false) => "screen.conversation_edit",
    };
    Form {
        kind,
        record_id,
        is_new,
        version: version.to_string(),
        title: text(locale, title),
        fields,
        errors,
        save_label: text(locale, "action.save"),
        cancel_label: text(locale, "action.cancel"),
        add_item_label: text(locale, "action.add_item"),
        remove_item_label: text(locale, "action.remove_item"),
    }
}

/// A person's display name in the locale's script, or the id when the person is not here.
pub(crate) fn person_name(store: &mut Store, locale: Locale, id: &str) -> String {
    match RecordId::parse(id).map(|id| store.get::<Person>(&id)) {
        Some(Ok(stored)) => display_name(locale, &stored.record),
        _ => id.to_string(),
    }
}

/// A person's name in the locale's script: the Cyrillic form for uz-Cyrl and Russian.
pub(crate) fn display_name(locale: Locale, person: &Person) -> String {
    match locale {
        Locale::UzCyrl | Locale::Ru if !person.name_cyrl.is_empty() => person.name_cyrl.full(),
        _ => labels::in_script(locale, &person.display_name()),
    }
}

/// The form to register a new person (`id: None`) or edit one.
pub fn person_form(store: &mut Store, ctx: &ViewContext, id: Option<&str>) -> Result<Form> {
    let (json, version) = match id {
        Some(id) => opened::<Person>(store, id)?,
        None => (new_person(store, ctx, RecordId::new())?, Version::default()),
    };
    Ok(build(store, ctx, FormKind::Person, &json, &version, None))
}

/// A stored record as JSON with the version it was read at.
/// A stored record opened in its form: read with its version, and the opening recorded (who
/// saw what).
fn opened<R: Record>(store: &mut Store, id: &str) -> Result<(Value, Version)> {
    let read = stored_with_version::<R>(store, id)?;
    store.record_access(&parse_id(id)?, crate::AccessKind::View)?;
    Ok(read)
}

fn stored_with_version<R: Record>(store: &mut Store, id: &str) -> Result<(Value, Version)> {
    let rid = parse_id(id)?;
    let version = store.version_of(&rid)?;
    let json = stored_json::<R>(store, &rid)?.ok_or_else(|| Error::NotFound(id.to_string()))?;
    Ok((json, version))
}

/// The form for a new conversation (`id: None`, optionally with a person) or to edit one.
pub fn conversation_form(store: &mut Store, ctx: &ViewContext, id: Option<&str>, person: Option<&str>) -> Result<Form> {
    let (json, version) = match id {
        Some(id) => opened::<Conversation>(store, id)?,
        None => (new_conversation(store, ctx, RecordId::new(), person)?, Version::default()),
    };
    Ok(build(store, ctx, FormKind::Conversation, &json, &version, None))
}

/// Saves what the user typed on the form read at `version` ([`Form::version`]). Only the fields
/// the user changed relative to that version are written, as an edit of that version: whatever
/// a sync brought in meanwhile is kept, merged or shown as a conflict. Values that cannot be
/// read and broken rules come back as field errors in the returned form (nothing is stored
/// then, and the form keeps its version); other failures are errors.
pub fn submit_form(store: &mut Store, ctx: &ViewContext, kind: FormKind, record_id: &str, version: &str, inputs: &[FieldInput]) -> Result<FormResult> {
    let id = parse_id(record_id)?;
    let version = parse_version(version)?;
    let stored = match kind {
        FormKind::Person => json_at::<Person>(store, &id, &version)?,
        FormKind::Conversation => json_at::<Conversation>(store, &id, &version)?,
    };
    // A new conversation gets its +1/+3/+6-month follow-ups as it is first saved, so every phone
    // later fills in the same entries.
    let is_new = stored.is_none();
    let mut json = match (stored, kind) {
        (Some(json), _) => json,
        (None, FormKind::Person) => new_person(store, ctx, id.clone())?,
        (None, FormKind::Conversation) => new_conversation(store, ctx, id.clone(), None)?,
    };
    let mut errors = Vec::new();
    for spec in specs(kind) {
        if let Some(input) = inputs.iter().find(|i| i.key == spec.path) {
            spec.apply(ctx, input, &mut json, &mut errors);
        }
    }
    let saved = match kind {
        FormKind::Person => save(store, ctx, &json, &version, errors, fill_missing_script),
        FormKind::Conversation => {
            check_persons(store, &json, &mut errors);
            if is_new || consent_was_noted(store, &id) {
                check_minor_consent(store, ctx, &json, &mut errors);
            }
            save(store, ctx, &json, &version, errors, |talk: &mut Conversation| {
                if is_new {
                    talk.schedule_follow_ups();
                }
            })
        }
    }?;
    let locale = ctx.locale;
    Ok(match saved {
        Ok(()) => {
            let (stored, now) = match kind {
                FormKind::Person => stored_with_version::<Person>(store, id.as_str())?,
                FormKind::Conversation => stored_with_version::<Conversation>(store, id.as_str())?,
            };
            FormResult { saved: true, message: text(locale, "form.saved"), form: build(store, ctx, kind, &stored, &now, None) }
        }
        Err(errors) => {
            let errors = in_field_order(kind, errors);
            let form = build(store, ctx, kind, &json, &version, Some((inputs, &errors)));
            FormResult { saved: false, message: text(locale, "form.has_errors"), form }
        }
    })
}

/// A version token from a shell (an empty one for a new record).
pub(crate) fn parse_version(token: &str) -> Result<Version> {
    Version::parse(token).ok_or_else(|| Error::BadInput(format!("{token:?} is not a record version")))
}

/// The record as it stood at `version` as JSON (`None` when it was not stored then).
fn json_at<R: Record>(store: &mut Store, id: &RecordId, version: &Version) -> Result<Option<Value>> {
    store.get_at::<R>(id, version)?.map(|record| to_json(&record)).transpose()
}

/// Reads the record, checks its rules and stores it as an edit of `version`. Returns every
/// broken rule (read errors first; a field with a read error gets no second message).
fn save<R: Record>(
    store: &mut Store,
    ctx: &ViewContext,
    json: &Value,
    version: &Version,
    mut errors: Vec<FieldError>,
    fixup: impl FnOnce(&mut R),
) -> Result<Result<(), ValidationErrors>> {
    let mut record: R = serde_json::from_value(json.clone()).map_err(|e| Error::document(json["id"].as_str().unwrap_or_default(), e))?;
    fixup(&mut record);
    if let Err(broken) = crate::model::check_record(&record, ctx.now) {
        let read_errors: BTreeSet<String> = errors.iter().map(|e| e.field.clone()).collect();
        errors.extend(broken.0.into_iter().filter(|e| !read_errors.contains(&e.field)));
    }
    if !errors.is_empty() {
        return Ok(Err(ValidationErrors(errors)));
    }
    match store.put_at(&record, version) {
        Ok(_) => Ok(Ok(())),
        Err(Error::Invalid(broken)) => Ok(Err(broken)),
        Err(e) => Err(e),
    }
}

/// Errors sorted by the position of their field in the form.
fn in_field_order(kind: FormKind, mut errors: ValidationErrors) -> ValidationErrors {
    let position = |field: &str| specs(kind).iter().position(|s| field == s.path || field.starts_with(&format!("{}/", s.path))).unwrap_or(usize::MAX);
    errors.0.sort_by_key(|e| position(&e.field));
    errors
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

/// The checks a form makes beyond a record's own rules, for a record stored without its form
/// (the raw record API): every person of a conversation is a person stored on this device, and
/// a new conversation with a minor notes the consent of a parent, guardian or representative.
pub fn check_references<R: Record>(store: &mut Store, record: &R) -> Result<()> {
    if R::KIND != crate::model::RecordKind::Conversation {
        return Ok(());
    }
    let json = serde_json::to_value(record).map_err(|e| Error::BadInput(e.to_string()))?;
    let mut errors = Vec::new();
    check_persons(store, &json, &mut errors);
    if store.get_raw(record.id()).is_err() || consent_was_noted(store, record.id()) {
        check_minor_consent(store, &ViewContext::new(Locale::default()), &json, &mut errors);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(ValidationErrors(errors)))
    }
}

/// Every person of a conversation must be a registered person on this device.
fn check_persons(store: &mut Store, json: &Value, errors: &mut Vec<FieldError>) {
    for id in super::form::set_members(&json["person_ids"]) {
        let known = RecordId::parse(&id).is_some_and(|rid| store.get::<Person>(&rid).is_ok());
        if !known {
            errors.push(FieldError { field: "person_ids".into(), key: "validation.unknown_person", params: vec![("value", id)] });
        }
    }
}

/// Whether the stored conversation notes a consent. A conversation recorded before consent was
/// required keeps taking edits without one (its notes are never lost for want of it); once
/// noted, the consent stays required.
fn consent_was_noted(store: &mut Store, id: &RecordId) -> bool {
    store.get::<Conversation>(id).is_ok_and(|stored| !stored.record.consent_note.trim().is_empty())
}

/// A new conversation with a minor (younger than [`AGE_OF_MAJORITY`] on the local date it started)
/// needs the consent of a parent, guardian or legal representative, noted in words.
fn check_minor_consent(store: &mut Store, ctx: &ViewContext, json: &Value, errors: &mut Vec<FieldError>) {
    let Some(started) = json["started_at"].as_str().and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok()) else { return };
    let held_on = ctx.local(started.with_timezone(&chrono::Utc)).date();
    let consent_by: Option<ConsentGiver> = json["consent_by"].as_str().and_then(labels::choice_value);
    let noted = json["consent_note"].as_str().is_some_and(|n| !n.trim().is_empty());
    for id in super::form::set_members(&json["person_ids"]) {
        let Some(Ok(stored)) = RecordId::parse(&id).map(|rid| store.get::<Person>(&rid)) else { continue };
        let age = stored.record.age_on(held_on);
        if age >= AGE_OF_MAJORITY {
            continue;
        }
        let params = vec![("name", stored.record.display_name()), ("age", age.to_string())];
        if !noted {
            errors.push(FieldError { field: "consent_note".into(), key: "consent.required_for_minor", params: params.clone() });
        }
        if !consent_by.is_some_and(ConsentGiver::may_consent_for_a_minor) {
            errors.push(FieldError { field: "consent_by".into(), key: "consent.minor_needs_representative", params });
        }
        return;
    }
}
