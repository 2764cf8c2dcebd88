//! One form engine for every record kind: open a form ([`form`]), save what the user typed
//! ([`submit_form`]). What differs between kinds (fields, the values a new record starts with,
//! stamps and numbers added on saving) is a [`FormDef`] each, in `form_defs` (person,
//! conversation, follow-up) and `form_defs_work` (parent case and its tasks, cooperation
//! request, application and its decision, joint event and its attendance).
//!
//! A form edits a whole record, or one part of it (a seven task of a case, a follow-up of a
//! conversation, an application's decision): then [`Form::item_id`] names the part, and its
//! fields' keys are paths inside that part.

use super::form::{attach_errors, Choice, FieldInput, FieldKind, FieldSpec, Form, FormKind, FormResult};
use super::form_defs::{ConversationForm, FollowUpForm, PersonForm};
use super::form_defs_work::{ApplicationForm, AttendanceForm, CaseForm, DecisionForm, EventForm, ReferralForm, TaskForm};
use super::labels::text;
use super::ViewContext;
use crate::doc::Version;
use crate::error::{Error, Result};
use crate::ids::{new_item_id, RecordId};
use crate::model::{FieldError, ParentCase, Person, Record, RecordKind, ValidationErrors};
use crate::store::Store;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

pub(crate) use super::form_defs::{display_name, person_name};

/// What one kind of form is: its fields and what its save adds to the user's values.
pub(crate) trait FormDef {
    /// The record the form edits (the whole record, or one part of it).
    type Record: Record;
    /// Fields in display order; their paths are inside [`part`](Self::part) for a form of a part.
    const FIELDS: &'static [FieldSpec];
    /// Catalog keys of the screen title: a new record (or part), an edit.
    const TITLES: [&'static str; 2];

    /// The path of the part of the record this form edits (`tasks/<item>`), or `None` when it
    /// edits the whole record.
    fn part(_item: &str) -> Option<String> {
        None
    }

    /// The values a new record starts with (`about`: the record it starts from, e.g. the person
    /// of a conversation), or `None` when this form only edits existing records.
    fn new_record(_store: &mut Store, _ctx: &ViewContext, _id: RecordId, _about: Option<&str>) -> Result<Option<Value>> {
        Ok(None)
    }

    /// The values a new part starts with (forms of a part).
    fn new_part(_store: &Store, _ctx: &ViewContext) -> Value {
        Value::Object(Map::new())
    }

    /// Fills what the user left for the save to decide (an application's deadline from its
    /// book) in the record's JSON, before it is read.
    fn fill_defaults(_json: &mut Value) {}

    /// Records where a new record was made (`at`: the phone's position, when good enough; see
    /// [`visit_location`](super::visit_location)). Only a visit records it.
    fn locate(_json: &mut Value, _at: crate::model::GeoPoint) {}

    /// Brings a stored record up to what the form shows (e.g. a conversation's follow-ups
    /// scheduled) before it is shown or edited.
    fn prepare(_record: &mut Self::Record) {}

    /// What the save adds to the user's values (stamps, a stage move checked against the
    /// record as it was), given the record before the edit (`None`: new) and the inputs.
    fn complete(
        _store: &Store,
        _ctx: &ViewContext,
        _record: &mut Self::Record,
        _before: Option<&Self::Record>,
        _item: &str,
        _inputs: &[FieldInput],
    ) -> Result<(), ValidationErrors> {
        Ok(())
    }

    /// Checks the form makes beyond the record's own rules that need other records (a
    /// conversation with a minor needs a representative's consent); `was_new`: no stored record
    /// before the edit; `before`: the record before the edit.
    fn check_with_store(_store: &mut Store, _ctx: &ViewContext, _json: &Value, _before: Option<&Self::Record>, _errors: &mut Vec<FieldError>) {}

    /// Stores the record as an edit of `version` (a new application gets its number here).
    fn store(store: &mut Store, record: &mut Self::Record, version: &Version, _is_new: bool) -> Result<()> {
        store.put_at(&*record, version).map(|_| ())
    }
}

/// Runs `$body` with `$def` bound to the [`FormDef`] of `$kind`.
macro_rules! with_form {
    ($kind:expr, $def:ident => $body:expr) => {
        with_form!(@each $kind, $def, $body;
            Person => PersonForm, Conversation => ConversationForm, FollowUp => FollowUpForm,
            ParentCase => CaseForm, SevenTask => TaskForm, Referral => ReferralForm,
            Application => ApplicationForm, Decision => DecisionForm, JointEvent => EventForm,
            Attendance => AttendanceForm)
    };
    (@each $kind:expr, $def:ident, $body:expr; $($variant:ident => $form:ty),+) => {
        match $kind {
            $(FormKind::$variant => {
                type $def = $form;
                $body
            })+
        }
    };
}

impl FormKind {
    /// Every kind of form, in menu order.
    pub const ALL: [FormKind; 10] = [
        FormKind::Person,
        FormKind::Conversation,
        FormKind::FollowUp,
        FormKind::ParentCase,
        FormKind::SevenTask,
        FormKind::Referral,
        FormKind::Application,
        FormKind::Decision,
        FormKind::JointEvent,
        FormKind::Attendance,
    ];

    /// The kind of record this form edits.
    pub fn record_kind(self) -> RecordKind {
        with_form!(self, D => <D as FormDef>::Record::KIND)
    }

    /// True for a form of one part of a record (it needs the record's id and edits
    /// [`Form::item_id`]).
    pub fn edits_a_part(self) -> bool {
        with_form!(self, D => D::part("").is_some())
    }

    /// A stable name of the form (`person`, `seven_task`), e.g. for routes and scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            FormKind::Person => "person",
            FormKind::Conversation => "conversation",
            FormKind::FollowUp => "follow_up",
            FormKind::ParentCase => "parent_case",
            FormKind::SevenTask => "seven_task",
            FormKind::Referral => "referral",
            FormKind::Application => "application",
            FormKind::Decision => "decision",
            FormKind::JointEvent => "joint_event",
            FormKind::Attendance => "attendance",
        }
    }
}

pub(crate) fn parse_id(id: &str) -> Result<RecordId> {
    RecordId::parse(id).ok_or_else(|| Error::NotFound(id.to_string()))
}

pub(crate) fn to_json<R: Record>(record: &R) -> Result<Value> {
    serde_json::to_value(record).map_err(|e| Error::document(record.id().as_str(), e))
}

/// The form of `kind`: a new record (`record_id: None`; `about` names the record it starts
/// from, e.g. the person of a new conversation or the case of a new request), or the stored
/// record `record_id`. A form of a part ([`FormKind::edits_a_part`]) needs the record and
/// edits its part `item_id` (a new part when `None`). Opening a stored record is recorded
/// (who saw what).
pub fn form(store: &mut Store, ctx: &ViewContext, kind: FormKind, record_id: Option<&str>, item_id: Option<&str>, about: Option<&str>) -> Result<Form> {
    form_at(store, ctx, kind, record_id, item_id, about, None)
}

/// [`form`] with the phone's latest position fix: a new conversation (a visit) starts at that
/// place when the fix is recent and accurate ([`visit_location`](super::visit_location)).
pub fn form_at(
    store: &mut Store,
    ctx: &ViewContext,
    kind: FormKind,
    record_id: Option<&str>,
    item_id: Option<&str>,
    about: Option<&str>,
    fix: Option<&super::LocationFix>,
) -> Result<Form> {
    with_form!(kind, D => open::<D>(store, ctx, kind, (record_id, item_id, about), fix))
}

fn open<D: FormDef>(
    store: &mut Store,
    ctx: &ViewContext,
    kind: FormKind,
    (record_id, item_id, about): (Option<&str>, Option<&str>, Option<&str>),
    fix: Option<&super::LocationFix>,
) -> Result<Form> {
    let needs_record = || Error::BadInput(format!("the {} form edits a stored record: give its id", kind.as_str()));
    let profile = &store.device().profile;
    if record_id.is_none() && !kind.is_for(profile.role) {
        return Err(Error::NotPermitted {
            role: profile.role.to_string(),
            mahalla: profile.scopes.first().map(|s| crate::doc::scope_key(s)).unwrap_or_default(),
        });
    }
    let (json, version) = match record_id {
        Some(id) => opened::<D>(store, id)?,
        None if D::part("").is_some() => return Err(needs_record()),
        None => {
            let mut json = D::new_record(store, ctx, RecordId::new(), about)?.ok_or_else(needs_record)?;
            if let Some(at) = super::visit_location(fix, ctx.now) {
                D::locate(&mut json, at);
            }
            (json, Version::default())
        }
    };
    let item = item_id.map(str::to_string).filter(|i| !i.trim().is_empty()).unwrap_or_else(new_item_id);
    Ok(build::<D>(store, ctx, kind, &json, &item, &version, None))
}

/// A stored record opened in its form: read with its version, prepared, and the opening
/// recorded (who saw what).
fn opened<D: FormDef>(store: &mut Store, id: &str) -> Result<(Value, Version)> {
    let read = stored_with_version::<D>(store, id)?;
    store.record_access(&parse_id(id)?, crate::AccessKind::View)?;
    Ok(read)
}

fn stored_with_version<D: FormDef>(store: &mut Store, id: &str) -> Result<(Value, Version)> {
    let rid = parse_id(id)?;
    let version = store.version_of(&rid)?;
    let mut record = store.get::<D::Record>(&rid)?.record;
    D::prepare(&mut record);
    Ok((to_json(&record)?, version))
}

/// The part of `record` a form edits: the whole record, the stored part, or a new one.
fn part_of<D: FormDef>(store: &mut Store, ctx: &ViewContext, record: &Value, item: &str) -> (Value, bool) {
    match D::part(item) {
        None => (record.clone(), record["id"].as_str().and_then(RecordId::parse).is_none_or(|id| store.get_raw(&id).is_err())),
        Some(path) => match record.pointer(&format!("/{path}")).filter(|v| !v.is_null()) {
            Some(part) => (part.clone(), false),
            None => (D::new_part(store, ctx), true),
        },
    }
}

/// Renders a form from the record's JSON, or from what the user typed with its errors.
fn build<D: FormDef>(
    store: &mut Store,
    ctx: &ViewContext,
    kind: FormKind,
    record: &Value,
    item: &str,
    version: &Version,
    typed: Option<(&[FieldInput], &ValidationErrors)>,
) -> Form {
    let locale = ctx.locale;
    let (part, is_new) = part_of::<D>(store, ctx, record, item);
    let mut fields: Vec<_> = D::FIELDS
        .iter()
        .map(|spec| match typed.and_then(|(inputs, _)| inputs.iter().find(|i| i.key == spec.path)) {
            Some(input) => spec.echo(locale, input),
            None => spec.render(ctx, &part),
        })
        .collect();
    for field in fields.iter_mut() {
        let ids: Vec<String> = match field.kind {
            FieldKind::Persons | FieldKind::Cases => field.selected.clone(),
            FieldKind::Person | FieldKind::Case if !field.value.is_empty() => vec![field.value.clone()],
            _ => continue,
        };
        field.choices = ids.iter().map(|id| Choice { value: id.clone(), label: record_label(store, ctx, id) }).collect();
    }
    let errors = typed.map(|(_, errors)| attach_errors(locale, &mut fields, errors)).unwrap_or_default();
    Form {
        kind,
        record_id: record["id"].as_str().unwrap_or_default().to_string(),
        item_id: if D::part(item).is_some() { item.to_string() } else { String::new() },
        is_new,
        version: version.to_string(),
        title: text(locale, D::TITLES[usize::from(!is_new)]),
        fields,
        errors,
        save_label: text(locale, "action.save"),
        cancel_label: text(locale, "action.cancel"),
        add_item_label: text(locale, "action.add_item"),
        remove_item_label: text(locale, "action.remove_item"),
    }
}

/// How a linked record is named in a form: a person's name, a case's guardians.
fn record_label(store: &mut Store, ctx: &ViewContext, id: &str) -> String {
    let Some(rid) = RecordId::parse(id) else { return id.to_string() };
    match store.get_raw(&rid).map(|raw| raw.kind) {
        Ok(RecordKind::Person) => person_name(store, ctx.locale, id),
        Ok(RecordKind::ParentCase) => match store.get::<ParentCase>(&rid) {
            Ok(case) => super::parent_case::case_title(ctx, &case.record),
            Err(_) => id.to_string(),
        },
        _ => id.to_string(),
    }
}

/// Saves what the user typed on the form read at `version` ([`Form::version`]); `item_id` is
/// [`Form::item_id`] (empty for a form of a whole record). Only the fields the user changed
/// relative to that version are written, as an edit of that version: whatever a sync brought
/// in meanwhile is kept, merged or shown as a conflict. Values that cannot be read and broken
/// rules come back as field errors in the returned form (nothing is stored then, and the form
/// keeps its version); other failures are errors.
pub fn submit_form(
    store: &mut Store,
    ctx: &ViewContext,
    kind: FormKind,
    record_id: &str,
    item_id: &str,
    version: &str,
    inputs: &[FieldInput],
) -> Result<FormResult> {
    with_form!(kind, D => submit::<D>(store, ctx, kind, record_id, item_id, version, inputs))
}

fn submit<D: FormDef>(
    store: &mut Store,
    ctx: &ViewContext,
    kind: FormKind,
    record_id: &str,
    item_id: &str,
    version: &str,
    inputs: &[FieldInput],
) -> Result<FormResult> {
    let id = parse_id(record_id)?;
    let version = parse_version(version)?;
    let before = store.get_at::<D::Record>(&id, &version)?.map(|mut record| {
        D::prepare(&mut record);
        record
    });
    let mut json = match &before {
        Some(record) => to_json(record)?,
        None if D::part("").is_some() => return Err(Error::NotFound(record_id.to_string())),
        None => D::new_record(store, ctx, id.clone(), None)?.ok_or_else(|| Error::NotFound(record_id.to_string()))?,
    };
    let item = if item_id.trim().is_empty() { new_item_id() } else { item_id.to_string() };
    let (mut part, _) = part_of::<D>(store, ctx, &json, &item);
    let mut errors = Vec::new();
    for spec in D::FIELDS {
        if let Some(input) = inputs.iter().find(|i| i.key == spec.path) {
            spec.apply(ctx, input, &mut part, &mut errors);
        }
    }
    let previous = match &before {
        Some(record) => part_of::<D>(store, ctx, &to_json(record)?, &item).0,
        None => Value::Null,
    };
    check_links::<D>(store, &part, &previous, &mut errors);
    match D::part(&item) {
        Some(path) => super::form::set_pointer(&mut json, &path, part),
        None => json = part,
    }
    D::check_with_store(store, ctx, &json, before.as_ref(), &mut errors);
    let saved = save::<D>(store, ctx, &json, before.as_ref(), &item, inputs, &version, errors)?;
    let locale = ctx.locale;
    Ok(match saved {
        Ok(()) => {
            let (stored, now) = stored_with_version::<D>(store, id.as_str())?;
            FormResult { saved: true, message: text(locale, "form.saved"), form: build::<D>(store, ctx, kind, &stored, &item, &now, None) }
        }
        Err(errors) => {
            let errors = in_field_order::<D>(errors);
            let form = build::<D>(store, ctx, kind, &json, &item, &version, Some((inputs, &errors)));
            FormResult { saved: false, message: text(locale, "form.has_errors"), form }
        }
    })
}

/// A version token from a shell (an empty one for a new record).
pub(crate) fn parse_version(token: &str) -> Result<Version> {
    Version::parse(token).ok_or_else(|| Error::BadInput(format!("{token:?} is not a record version")))
}

/// Reads the record, adds what the form's save adds, checks its rules and stores it as an
/// edit of `version`. Returns every broken rule (read errors first; a field with a read error
/// gets no second message).
#[allow(clippy::too_many_arguments)] // The form's identity, what was typed, and what it was typed on.
fn save<D: FormDef>(
    store: &mut Store,
    ctx: &ViewContext,
    json: &Value,
    before: Option<&D::Record>,
    item: &str,
    inputs: &[FieldInput],
    version: &Version,
    mut errors: Vec<FieldError>,
) -> Result<Result<(), ValidationErrors>> {
    let mut json = json.clone();
    D::fill_defaults(&mut json);
    let mut record: D::Record = serde_json::from_value(json.clone()).map_err(|e| Error::document(json["id"].as_str().unwrap_or_default(), e))?;
    let read_errors: BTreeSet<String> = errors.iter().map(|e| e.field.clone()).collect();
    let mut add = |broken: ValidationErrors| errors.extend(broken.0.into_iter().filter(|e| !read_errors.contains(&e.field)));
    if let Err(broken) = D::complete(store, ctx, &mut record, before, item, inputs) {
        add(broken);
    }
    if let Err(broken) = crate::model::check_record(&record, ctx.now) {
        add(broken);
    }
    if !errors.is_empty() {
        return Ok(Err(ValidationErrors(in_part::<D>(item, errors))));
    }
    match D::store(store, &mut record, version, before.is_none()) {
        Ok(()) => Ok(Ok(())),
        Err(Error::Invalid(broken)) => Ok(Err(ValidationErrors(in_part::<D>(item, broken.0)))),
        Err(e) => Err(e),
    }
}

/// Rules name fields by their path in the record; a form of a part shows them by their path
/// inside the part.
fn in_part<D: FormDef>(item: &str, mut errors: Vec<FieldError>) -> Vec<FieldError> {
    if let Some(path) = D::part(item) {
        for error in &mut errors {
            if let Some(inner) = error.field.strip_prefix(&format!("{path}/")) {
                error.field = inner.to_string();
            }
        }
    }
    errors
}

/// Errors sorted by the position of their field in the form.
fn in_field_order<D: FormDef>(mut errors: ValidationErrors) -> ValidationErrors {
    let position = |field: &str| D::FIELDS.iter().position(|s| field == s.path || field.starts_with(&format!("{}/", s.path))).unwrap_or(usize::MAX);
    errors.0.sort_by_key(|e| position(&e.field));
    errors
}

/// Every person or case a field links to must be a record of that kind on this device (one
/// linked already in `previous`, the part as stored, is left alone: a seven member's phone
/// does not hold the register's persons).
fn check_links<D: FormDef>(store: &mut Store, part: &Value, previous: &Value, errors: &mut Vec<FieldError>) {
    for spec in D::FIELDS {
        let (ids, kind) = match spec.kind {
            FieldKind::Persons => (super::form::set_members(&part[spec.path]), RecordKind::Person),
            FieldKind::Cases => (super::form::set_members(&part[spec.path]), RecordKind::ParentCase),
            FieldKind::Person => (part[spec.path].as_str().map(str::to_string).into_iter().collect(), RecordKind::Person),
            FieldKind::Case => (part[spec.path].as_str().map(str::to_string).into_iter().collect(), RecordKind::ParentCase),
            _ => continue,
        };
        let before: Vec<String> = match spec.kind {
            FieldKind::Persons | FieldKind::Cases => super::form::set_members(&previous[spec.path]),
            _ => previous[spec.path].as_str().map(str::to_string).into_iter().collect(),
        };
        for id in ids.into_iter().filter(|id| !before.contains(id)) {
            let known = RecordId::parse(&id).is_some_and(|rid| store.get_raw(&rid).is_ok_and(|raw| raw.kind == kind));
            if !known {
                let key = if kind == RecordKind::Person { "validation.unknown_person" } else { "validation.unknown_case" };
                errors.push(FieldError { field: spec.path.into(), key, params: vec![("value", id)] });
            }
        }
    }
}

/// The checks a form makes beyond a record's own rules, for a record stored without its form
/// (the raw record API): every person or case the record links to is stored on this device,
/// and a new conversation with a minor notes the consent of a parent, guardian or representative.
pub fn check_references<R: Record>(store: &mut Store, record: &R) -> Result<()> {
    let json = serde_json::to_value(record).map_err(|e| Error::BadInput(e.to_string()))?;
    let mut errors = Vec::new();
    for kind in FormKind::ALL.into_iter().filter(|k| k.record_kind() == R::KIND && !k.edits_a_part()) {
        with_form!(kind, D => check_links::<D>(store, &json, &Value::Null, &mut errors));
    }
    if R::KIND == RecordKind::Conversation {
        let before = store.get::<crate::model::Conversation>(record.id()).ok().map(|stored| stored.record);
        ConversationForm::check_with_store(store, &ViewContext::new(crate::i18n::Locale::default()), &json, before.as_ref(), &mut errors);
    }
    errors.dedup();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(ValidationErrors(errors)))
    }
}

/// The form to register a new person (`id: None`) or edit one.
pub fn person_form(store: &mut Store, ctx: &ViewContext, id: Option<&str>) -> Result<Form> {
    form(store, ctx, FormKind::Person, id, None, None)
}

/// The form for a new conversation (`id: None`, optionally with a person) or to edit one.
pub fn conversation_form(store: &mut Store, ctx: &ViewContext, id: Option<&str>, person: Option<&str>) -> Result<Form> {
    form(store, ctx, FormKind::Conversation, id, None, person)
}

/// Persons stored as `ids` (for a conversation: each must be a registered person).
pub(crate) fn stored_person(store: &mut Store, id: &str) -> Result<Person> {
    Ok(store.get::<Person>(&parse_id(id)?)?.record)
}

/// What a field linking to records ([`FieldKind::Persons`], [`FieldKind::Person`],
/// [`FieldKind::Cases`], [`FieldKind::Case`]) offers for `query` (script-insensitive; empty:
/// the most recent): the records of that kind this device holds, labelled for the user.
pub fn link_choices(store: &mut Store, ctx: &ViewContext, field: FieldKind, query: &str) -> Result<Vec<Choice>> {
    let kind = match field {
        FieldKind::Persons | FieldKind::Person => RecordKind::Person,
        FieldKind::Cases | FieldKind::Case => RecordKind::ParentCase,
        other => return Err(Error::BadInput(format!("a {other:?} field links to no records"))),
    };
    let text = Some(query.trim().to_string()).filter(|q| !q.is_empty());
    let rows = store.list(&crate::store::ListQuery { kind: Some(kind), text, limit: Some(50), ..Default::default() })?;
    Ok(rows.into_iter().map(|row| Choice { label: record_label(store, ctx, &row.record_id), value: row.record_id }).collect())
}
