//! The forms of the inspectors' wider work: a parent case (with its SARA stage and closing)
//! and its seven tasks, a cooperation request, an application of the registry and its
//! decision, a joint event and its attendance.

use super::form::{Choice, FieldInput, FieldKind, FieldSpec, ItemSpec};
use super::form_defs::home_mahalla;
use super::forms::{to_json, FormDef};
use super::labels;
use super::ViewContext;
use crate::device::Role;
use crate::doc::Version;
use crate::error::Result;
use crate::i18n::Locale;
use crate::ids::RecordId;
use crate::model::{
    ApplicantKind, Application, AssistanceKind, Book, CaseStatus, Decision, DecisionKind, EventKind, FieldError, JointEvent, ParentCase, Priority, Referral,
    ReferralCategory, SaraStage, SevenRole, SevenTask, ValidationErrors,
};
use crate::store::Store;
use serde_json::Value;

use FieldKind as K;

fn stages(l: Locale) -> Vec<Choice> {
    labels::choices(l, "stage", &SaraStage::ALL)
}
fn statuses(l: Locale) -> Vec<Choice> {
    labels::choices(l, "case_status", &CaseStatus::ALL)
}
fn assistance(l: Locale) -> Vec<Choice> {
    labels::choices(l, "assistance", &AssistanceKind::ALL)
}
fn legal_grounds(l: Locale) -> Vec<Choice> {
    labels::choices(l, "legal_ground", &crate::model::LegalGround::ALL)
}
fn seven_roles(l: Locale) -> Vec<Choice> {
    labels::choices(l, "seven_role", &SevenRole::ALL)
}
fn addressees(l: Locale) -> Vec<Choice> {
    let addressees: Vec<Role> = Role::SERVICES.into_iter().chain([Role::Seven]).collect();
    labels::choices(l, "role", &addressees)
}
fn categories(l: Locale) -> Vec<Choice> {
    labels::choices(l, "referral_category", &ReferralCategory::ALL)
}
fn priorities(l: Locale) -> Vec<Choice> {
    labels::choices(l, "priority", &Priority::ALL)
}
fn books(l: Locale) -> Vec<Choice> {
    labels::choices(l, "book", &Book::ALL)
}
fn applicant_kinds(l: Locale) -> Vec<Choice> {
    labels::choices(l, "applicant_kind", &[ApplicantKind::Citizen, ApplicantKind::LegalEntity])
}
fn decisions(l: Locale) -> Vec<Choice> {
    labels::choices(l, "decision_kind", &DecisionKind::ALL)
}
fn event_kinds(l: Locale) -> Vec<Choice> {
    labels::choices(l, "event_kind", &EventKind::ALL)
}

/// One broken rule on `field`.
fn broken(field: &str, key: &'static str, params: Vec<(&'static str, String)>) -> ValidationErrors {
    ValidationErrors(vec![FieldError { field: field.into(), key, params }])
}

const CASE: &str = "section.case";
const SARA: &str = "section.sara";
const CLOSING: &str = "section.closing";

/// The parent case form: who, the concern, the SARA work, the stage (a move back needs a
/// reason) and closing.
pub(crate) struct CaseForm;

impl FormDef for CaseForm {
    type Record = ParentCase;
    const TITLES: [&'static str; 2] = ["screen.case_new", "screen.case_edit"];
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::new("mahalla", CASE, K::Text).required(),
        FieldSpec::new("opened_on", CASE, K::Date).required(),
        FieldSpec::new("guardians", "section.guardians", K::Items).required().items(ItemSpec::text("name").detail("relation")),
        FieldSpec::new("children", "field.children", K::Items).items(ItemSpec::text("name").date("birth_date").detail("school")),
        FieldSpec::new("concern", CASE, K::LongText).required(),
        FieldSpec::new("inspector", CASE, K::Text),
        FieldSpec::new("legal_basis/grounds", "section.legal_basis", K::MultiChoice).choices(legal_grounds),
        FieldSpec::new("legal_basis/details", "section.legal_basis", K::Text),
        FieldSpec::new("stage", SARA, K::Choice).required().choices(stages),
        FieldSpec::new("stage_reason", SARA, K::Text).input_only(),
        FieldSpec::new("sara/scanning", SARA, K::LongText),
        FieldSpec::new("sara/analysis", SARA, K::LongText),
        FieldSpec::new("sara/response/plan", SARA, K::LongText),
        FieldSpec::new("sara/response/assistance", SARA, K::MultiChoice).choices(assistance),
        FieldSpec::new("sara/assessment", SARA, K::LongText),
        FieldSpec::new("status", CLOSING, K::Choice).required().choices(statuses),
        FieldSpec::new("outcome", CLOSING, K::LongText),
        FieldSpec::new("notes", CLOSING, K::LongText),
    ];

    /// A new case: opened today by this device's user in its mahalla, at scanning; `about`
    /// (a person on the register) becomes its first guardian.
    fn new_record(store: &mut Store, ctx: &ViewContext, id: RecordId, about: Option<&str>) -> Result<Option<Value>> {
        let mut case =
            ParentCase { id, mahalla: home_mahalla(store), opened_on: ctx.today(), inspector: store.device().profile.person.clone(), ..Default::default() };
        if let Some(person_id) = about {
            let person = super::forms::stored_person(store, person_id)?;
            let name = super::forms::display_name(ctx.locale, &person);
            let guardian = crate::model::Guardian { person_id: Some(person.id), name, relation: String::new() };
            case.guardians.insert(crate::ids::new_item_id(), guardian);
            case.mahalla = person.address.mahalla;
        }
        to_json(&case).map(Some)
    }

    /// A stage other than the stored one is a move, checked and stamped like the case
    /// screen's: forward one stage at a time, back only with a reason.
    fn complete(
        store: &Store,
        ctx: &ViewContext,
        case: &mut ParentCase,
        before: Option<&ParentCase>,
        _: &str,
        inputs: &[FieldInput],
    ) -> Result<(), ValidationErrors> {
        let Some(before) = before.filter(|b| b.stage != case.stage) else { return Ok(()) };
        let (target, status) = (case.stage, case.status);
        case.stage = before.stage;
        case.status = before.status;
        let reason = inputs.iter().find(|i| i.key == "stage_reason").map(|i| i.value.trim()).unwrap_or_default();
        let moved = case.move_to_stage(target, reason, &store.device().profile.person, ctx.now);
        case.status = status;
        moved
    }
}

/// A task of a member of the seven on a parent case (`item`: the task's id).
pub(crate) struct TaskForm;

impl FormDef for TaskForm {
    type Record = ParentCase;
    const TITLES: [&'static str; 2] = ["screen.task_new", "screen.task_edit"];
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::new("role", CASE, K::Choice).required().choices(seven_roles),
        FieldSpec::new("assignee", CASE, K::Text),
        FieldSpec::new("task", CASE, K::LongText).required(),
        FieldSpec::new("due", CASE, K::Date),
        FieldSpec::new("done", CASE, K::Flag),
    ];

    fn part(item: &str) -> Option<String> {
        Some(format!("tasks/{item}"))
    }

    fn new_part(_: &Store, _: &ViewContext) -> Value {
        serde_json::to_value(SevenTask::default()).unwrap_or_default()
    }
}

const REQUEST: &str = "section.request";

/// A cooperation request to the duty unit, a service or the seven.
pub(crate) struct ReferralForm;

impl FormDef for ReferralForm {
    type Record = Referral;
    const TITLES: [&'static str; 2] = ["screen.referral_new", "screen.referral_edit"];
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::new("to", REQUEST, K::Choice).required().choices(addressees),
        FieldSpec::new("category", REQUEST, K::Choice).required().choices(categories),
        FieldSpec::new("priority", REQUEST, K::Choice).required().choices(priorities),
        FieldSpec::new("mahalla", REQUEST, K::Text).required(),
        FieldSpec::new("subject", REQUEST, K::Text).required(),
        FieldSpec::new("reason", REQUEST, K::LongText).required(),
        FieldSpec::new("person_ids", REQUEST, K::Persons),
        FieldSpec::new("case_id", REQUEST, K::Case),
    ];

    /// A new request in this device's mahalla about `about` (a person or a parent case).
    fn new_record(store: &mut Store, _: &ViewContext, id: RecordId, about: Option<&str>) -> Result<Option<Value>> {
        let mut referral = Referral { id, mahalla: home_mahalla(store), ..Referral::default() };
        if let Some(about) = about.and_then(RecordId::parse) {
            match store.get_raw(&about)?.kind {
                crate::model::RecordKind::ParentCase => referral.case_id = Some(about),
                _ => {
                    referral.person_ids.insert(about);
                }
            }
        }
        let mut json = to_json(&referral)?;
        if let Some(fields) = json.as_object_mut() {
            fields.remove("to");
        }
        Ok(Some(json))
    }

    /// A new request is sent: stamped by this device's user, due by its priority's deadline
    /// (refused when the user's role may not send to the addressee). Its addressee is fixed
    /// once sent (it decides which devices hold it).
    fn complete(
        store: &Store,
        ctx: &ViewContext,
        referral: &mut Referral,
        before: Option<&Referral>,
        _: &str,
        _: &[FieldInput],
    ) -> Result<(), ValidationErrors> {
        match before {
            None => {
                let profile = &store.device().profile;
                let mut sent = Referral::send(profile, referral.to, &referral.mahalla, &referral.subject, &referral.reason, referral.priority, ctx.now)?;
                sent.id = referral.id.clone();
                sent.category = referral.category;
                sent.person_ids = std::mem::take(&mut referral.person_ids);
                sent.case_id = referral.case_id.take();
                sent.attachments = std::mem::take(&mut referral.attachments);
                *referral = sent;
                Ok(())
            }
            Some(before) if before.to != referral.to => Err(broken("to", "validation.fixed_after_sending", vec![])),
            Some(_) => Ok(()),
        }
    }
}

const APPLICATION: &str = "section.application";

/// An application registered in a book of the registry.
pub(crate) struct ApplicationForm;

impl FormDef for ApplicationForm {
    type Record = Application;
    const TITLES: [&'static str; 2] = ["screen.application_new", "screen.application_edit"];
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::new("book", APPLICATION, K::Choice).required().choices(books),
        FieldSpec::new("registered_on", APPLICATION, K::Date).required(),
        FieldSpec::new("applicant_kind", APPLICATION, K::Choice).required().choices(applicant_kinds),
        FieldSpec::new("applicant", APPLICATION, K::Text).required(),
        FieldSpec::new("applicant_address", APPLICATION, K::Text),
        FieldSpec::new("person_id", APPLICATION, K::Person),
        FieldSpec::new("mahalla", APPLICATION, K::Text),
        FieldSpec::new("summary", APPLICATION, K::LongText).required(),
        FieldSpec::new("assignee", APPLICATION, K::Text),
        FieldSpec::new("deadline", APPLICATION, K::Date),
    ];

    /// A new application: registered today in the Form 1 book, in this device's mahalla; the
    /// deadline is left for the book's default.
    fn new_record(store: &mut Store, ctx: &ViewContext, id: RecordId, _: Option<&str>) -> Result<Option<Value>> {
        let mut app = Application::new(Book::default(), ctx.today());
        app.id = id;
        app.mahalla = home_mahalla(store);
        let mut json = to_json(&app)?;
        if let Some(fields) = json.as_object_mut() {
            fields.remove("deadline");
        }
        Ok(Some(json))
    }

    /// A new application's number is the store's to give as it is stored
    /// ([`store`](FormDef::store)); until then it reads as pending, so the rule that every
    /// application has one holds.
    fn complete(_: &Store, _: &ViewContext, app: &mut Application, before: Option<&Application>, _: &str, _: &[FieldInput]) -> Result<(), ValidationErrors> {
        if before.is_none() && app.provisional_number.is_empty() {
            app.provisional_number = "pending".into();
        }
        Ok(())
    }

    /// No deadline typed: the book's number of days from registration.
    fn fill_defaults(json: &mut Value) {
        if json["deadline"].is_null() {
            let (Some(book), Some(on)) =
                (labels::choice_value::<Book>(json["book"].as_str().unwrap_or_default()), json["registered_on"].as_str().and_then(|d| d.parse().ok()))
            else {
                return;
            };
            json["deadline"] = Value::from(Application::new(book, on).deadline.to_string());
        }
    }

    /// A new application gets this device's next provisional number in its book.
    fn store(store: &mut Store, app: &mut Application, version: &Version, is_new: bool) -> Result<()> {
        if is_new {
            store.register_application(app).map(|_| ())
        } else {
            store.put_at(&*app, version).map(|_| ())
        }
    }
}

/// The decision on an application.
pub(crate) struct DecisionForm;

impl FormDef for DecisionForm {
    type Record = Application;
    const TITLES: [&'static str; 2] = ["screen.decision", "screen.decision"];
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::new("kind", APPLICATION, K::Choice).required().choices(decisions),
        FieldSpec::new("decided_on", APPLICATION, K::Date).required(),
        FieldSpec::new("text", APPLICATION, K::LongText),
    ];

    fn part(_: &str) -> Option<String> {
        Some("decision".into())
    }

    fn new_part(_: &Store, ctx: &ViewContext) -> Value {
        serde_json::to_value(Decision { decided_on: Some(ctx.today()), ..Decision::default() }).unwrap_or_default()
    }

    /// The decision is signed by this device's user.
    fn complete(store: &Store, _: &ViewContext, app: &mut Application, _: Option<&Application>, _: &str, _: &[FieldInput]) -> Result<(), ValidationErrors> {
        if let Some(decision) = app.decision.as_mut() {
            decision.by = store.device().profile.person.clone();
        }
        Ok(())
    }
}

const EVENT: &str = "section.event";

/// A joint event (a seminar, a mahalla meeting …).
pub(crate) struct EventForm;

impl FormDef for EventForm {
    type Record = JointEvent;
    const TITLES: [&'static str; 2] = ["screen.event_new", "screen.event_edit"];
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::new("kind", EVENT, K::Choice).required().choices(event_kinds),
        FieldSpec::new("title", EVENT, K::Text).required(),
        FieldSpec::new("held_on", EVENT, K::Date).required(),
        FieldSpec::new("place", EVENT, K::Text).required(),
        FieldSpec::new("mahalla", EVENT, K::Text).required(),
        FieldSpec::new("organisers", EVENT, K::Items).required().items(ItemSpec::text("name").detail("organisation")),
        FieldSpec::new("notes", EVENT, K::LongText),
    ];

    /// A new event: today, in this device's mahalla.
    fn new_record(store: &mut Store, ctx: &ViewContext, id: RecordId, _: Option<&str>) -> Result<Option<Value>> {
        let event = JointEvent { id, held_on: ctx.today(), mahalla: home_mahalla(store), ..JointEvent::default() };
        to_json(&event).map(Some)
    }
}

/// Who attended a joint event: persons on the register, parent cases, guests by name.
pub(crate) struct AttendanceForm;

impl FormDef for AttendanceForm {
    type Record = JointEvent;
    const TITLES: [&'static str; 2] = ["screen.attendance", "screen.attendance"];
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::new("person_ids", EVENT, K::Persons),
        FieldSpec::new("case_ids", EVENT, K::Cases),
        FieldSpec::new("guests", EVENT, K::Items).items(ItemSpec::plain("name")),
    ];
}
