//! A generic form engine: a record is shown as a list of typed fields keyed by their path in
//! the record (`place`, `address/mahalla`), the shell sends the typed values back, and the core
//! parses them, checks the record's rules and stores it. Field errors are placed on the field
//! whose path the broken rule names, so every shell renders the same messages the same way.

use super::labels::{self, field_label, text};
use super::ViewContext;
use crate::i18n::Locale;
use crate::ids::new_item_id;
use crate::model::{FieldError, ValidationErrors};
use serde_json::{Map, Value};

view_types! { $ form_view_types;

    /// Which record a form edits.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum FormKind {
        /// A person on the register.
        Person,
        /// A preventive conversation.
        Conversation,
        /// The result of a conversation's follow-up (+1, +3 or +6 months; the item is `m1`,
        /// `m3` or `m6`).
        FollowUp,
        /// A parent case: guardians, children, concern, SARA work, stage and closing.
        ParentCase,
        /// A task of a member of the seven on a parent case (the item is the task).
        SevenTask,
        /// A cooperation request to the duty unit, a service or the seven.
        Referral,
        /// An application registered in a book of the registry.
        Application,
        /// The decision on an application.
        Decision,
        /// A joint event.
        JointEvent,
        /// Who attended a joint event.
        Attendance,
    }

    /// How a field is edited.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum FieldKind {
        /// One line of text.
        Text,
        /// Several lines of text.
        LongText,
        /// A date (`YYYY-MM-DD`).
        Date,
        /// A local date and time (`YYYY-MM-DD HH:MM`).
        DateTime,
        /// One of `choices`.
        Choice,
        /// Any of `choices` (in `selected`).
        MultiChoice,
        /// Free words (in `selected`).
        Tags,
        /// Registered persons by id (in `selected`); `choices` label the selected ones.
        Persons,
        /// One registered person by id (in `value`), or none; `choices` label it.
        Person,
        /// Parent cases by id (in `selected`); `choices` label the selected ones.
        Cases,
        /// One parent case by id (in `value`), or none; `choices` label it.
        Case,
        /// Yes or no (`value` is `true` or `false`).
        Flag,
        /// A whole number, 0 or more.
        Number,
        /// A GPS position, `lat, lon`.
        Location,
        /// A list of items (`items`), e.g. agreed actions or participants.
        Items,
    }

    /// A value the user may pick, with its label.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Choice {
        /// The value sent back in [`FieldInput`].
        pub value: String,
        /// What the user sees.
        pub label: String,
    }

    /// One item of an [`FieldKind::Items`] field. Which parts an item uses depends on the field
    /// (its `item_*_label`s are empty for the parts it does not use): agreed actions use `text`,
    /// `date` (due) and `done`; participants use `text` (name) and `choice` (role); family
    /// members `text` (name), `detail` (relation) and `done` (lives with them).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct FormItem {
        /// Item id; empty for a new item.
        pub id: String,
        /// The item's text.
        pub text: String,
        /// A second line of the item (a relation, an organisation, a school), or empty.
        pub detail: String,
        /// The item's date (`YYYY-MM-DD`), or empty.
        pub date: String,
        /// The item's choice value, or empty.
        pub choice: String,
        /// Done / ticked.
        pub done: bool,
    }

    /// One field of a form, ready to render.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FormField {
        /// Path of the field in the record; send it back in [`FieldInput::key`].
        pub key: String,
        /// Section title; a shell starts a new section when it changes.
        pub section: String,
        /// Label.
        pub label: String,
        /// How it is edited.
        pub kind: FieldKind,
        /// Shown as required.
        pub required: bool,
        /// Current value (text, date, date-time, choice, location).
        pub value: String,
        /// Current values of multi-value fields.
        pub selected: Vec<String>,
        /// Current items of an items field.
        pub items: Vec<FormItem>,
        /// Values to pick from (for items fields: the item's choice).
        pub choices: Vec<Choice>,
        /// Items fields: label of an item's text ("Name", "Text").
        pub item_text_label: String,
        /// Items fields: label of an item's second line, or empty when items have none.
        pub item_detail_label: String,
        /// Items fields: label of an item's date, or empty when items have none.
        pub item_date_label: String,
        /// Items fields: label of an item's done mark, or empty when items have none.
        pub item_done_label: String,
        /// Format hint, or empty.
        pub hint: String,
        /// The message of the rule this field breaks, if any.
        pub error: Option<String>,
    }

    /// The value of one field as the shell sends it back.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct FieldInput {
        /// The field's [`FormField::key`].
        pub key: String,
        /// Text, date, date-time, choice or location value.
        pub value: String,
        /// Values of multi-value fields.
        pub selected: Vec<String>,
        /// Items of an items field.
        pub items: Vec<FormItem>,
    }

    /// A form screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Form {
        /// Which record it edits.
        pub kind: FormKind,
        /// The record's id (a fresh one for a new record); send it back with the values.
        pub record_id: String,
        /// For a form of one part of a record (a seven task, a follow-up, a decision): that
        /// part's id (a fresh one for a new part); empty for a form of the whole record. Send
        /// it back with the values.
        pub item_id: String,
        /// True until the record is first saved.
        pub is_new: bool,
        /// The version of the record the form shows (an opaque token). Send it back with the
        /// values: the save then applies only what the user changed, on the version they saw,
        /// so a change that arrived by sync meanwhile is kept (merged, or shown as a conflict).
        pub version: String,
        /// Screen title.
        pub title: String,
        /// Fields in display order.
        pub fields: Vec<FormField>,
        /// Every error message, in field order (empty when the form is valid).
        pub errors: Vec<String>,
        /// Label of the save button.
        pub save_label: String,
        /// Label of the cancel button.
        pub cancel_label: String,
        /// Label of the button that adds an item.
        pub add_item_label: String,
        /// Label of the button that removes an item.
        pub remove_item_label: String,
    }

    /// What submitting a form did.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FormResult {
        /// True when the record was stored.
        pub saved: bool,
        /// "Saved" or "Please correct the errors".
        pub message: String,
        /// The form again: the stored values, or the typed values with their errors.
        pub form: Form,
    }
}

impl Form {
    /// The values the form shows, as the inputs a shell sends back when the user changes
    /// nothing: a caller that fills a form without a screen (the command line) starts from
    /// these, sets what it was given and submits the rest as the form proposed it.
    pub fn inputs(&self) -> Vec<FieldInput> {
        self.fields.iter().map(|f| FieldInput { key: f.key.clone(), value: f.value.clone(), selected: f.selected.clone(), items: f.items.clone() }).collect()
    }
}

/// Which parts of a [`FormItem`] map to which keys of an item in the record.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ItemSpec {
    pub text: &'static str,
    /// The item is its text alone (a guest's name), not a map of parts.
    pub plain: bool,
    pub detail: Option<&'static str>,
    pub date: Option<&'static str>,
    pub choice: Option<&'static str>,
    pub done: Option<&'static str>,
}

impl ItemSpec {
    /// Items with a text only (a guest's name).
    pub(crate) const fn text(text: &'static str) -> Self {
        ItemSpec { text, plain: false, detail: None, date: None, choice: None, done: None }
    }

    /// Items that are their text alone (`text` names it for its label).
    pub(crate) const fn plain(text: &'static str) -> Self {
        ItemSpec { plain: true, ..ItemSpec::text(text) }
    }

    pub(crate) const fn detail(self, key: &'static str) -> Self {
        ItemSpec { detail: Some(key), ..self }
    }

    pub(crate) const fn date(self, key: &'static str) -> Self {
        ItemSpec { date: Some(key), ..self }
    }

    pub(crate) const fn choice(self, key: &'static str) -> Self {
        ItemSpec { choice: Some(key), ..self }
    }

    pub(crate) const fn done(self, key: &'static str) -> Self {
        ItemSpec { done: Some(key), ..self }
    }
}

/// How one field of a record is shown and parsed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FieldSpec {
    pub path: &'static str,
    pub section: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    /// Fixed choices: catalog prefix and values.
    pub choices: Option<fn(Locale) -> Vec<Choice>>,
    pub item: Option<ItemSpec>,
    /// Not a field of the record: the form's own input, read by the save (a stage move's
    /// reason). Shown empty and never written into the record.
    pub input_only: bool,
}

impl FieldSpec {
    pub(super) const fn new(path: &'static str, section: &'static str, kind: FieldKind) -> Self {
        FieldSpec { path, section, kind, required: false, choices: None, item: None, input_only: false }
    }

    pub(super) const fn input_only(self) -> Self {
        FieldSpec { input_only: true, ..self }
    }

    pub(super) const fn required(self) -> Self {
        FieldSpec { required: true, ..self }
    }

    pub(super) const fn choices(self, choices: fn(Locale) -> Vec<Choice>) -> Self {
        FieldSpec { choices: Some(choices), ..self }
    }

    pub(super) const fn items(self, item: ItemSpec) -> Self {
        FieldSpec { item: Some(item), ..self }
    }

    fn pointer(&self) -> String {
        format!("/{}", self.path)
    }

    /// The field with its value read from the record's JSON.
    pub(super) fn render(&self, ctx: &ViewContext, record: &Value) -> FormField {
        let current = if self.input_only { &Value::Null } else { record.pointer(&self.pointer()).unwrap_or(&Value::Null) };
        let mut field = self.empty(ctx.locale);
        match self.kind {
            FieldKind::Text | FieldKind::LongText | FieldKind::Date | FieldKind::Choice | FieldKind::Person | FieldKind::Case => {
                field.value = current.as_str().unwrap_or_default().to_string();
            }
            FieldKind::Flag => field.value = current.as_bool().unwrap_or(false).to_string(),
            FieldKind::Number => field.value = current.as_u64().map(|n| n.to_string()).unwrap_or_default(),
            FieldKind::DateTime => {
                field.value = match current.as_str().map(chrono::DateTime::parse_from_rfc3339) {
                    Some(Ok(at)) => labels::form_datetime(ctx, at.with_timezone(&chrono::Utc)),
                    _ => String::new(),
                };
            }
            FieldKind::MultiChoice | FieldKind::Tags | FieldKind::Persons | FieldKind::Cases => field.selected = set_members(current),
            FieldKind::Location => {
                if let (Some(lat), Some(lon)) = (current["lat"].as_f64(), current["lon"].as_f64()) {
                    field.value = format!("{lat}, {lon}");
                }
            }
            FieldKind::Items => {
                if let (Some(spec), Some(items)) = (self.item, current.as_object()) {
                    field.items = items.iter().map(|(id, item)| spec.read(id, item)).collect();
                }
            }
        }
        field
    }

    /// The field with the values the user typed.
    pub(super) fn echo(&self, locale: Locale, input: &FieldInput) -> FormField {
        FormField { value: input.value.clone(), selected: input.selected.clone(), items: input.items.clone(), ..self.empty(locale) }
    }

    fn empty(&self, locale: Locale) -> FormField {
        let hint = match self.kind {
            FieldKind::Date => text(locale, "hint.date"),
            FieldKind::DateTime => text(locale, "hint.datetime"),
            FieldKind::Location => text(locale, "hint.location"),
            _ => String::new(),
        };
        FormField {
            key: self.path.to_string(),
            section: labels::capitalize(&text(locale, self.section)),
            label: field_label(locale, self.path),
            kind: self.kind,
            required: self.required,
            value: String::new(),
            selected: Vec::new(),
            items: Vec::new(),
            choices: self.choices.map(|f| f(locale)).unwrap_or_default(),
            item_text_label: self.item.map(|i| field_label(locale, i.text)).unwrap_or_default(),
            item_detail_label: self.item.and_then(|i| i.detail).map(|k| field_label(locale, k)).unwrap_or_default(),
            item_date_label: self.item.and_then(|i| i.date).map(|k| field_label(locale, k)).unwrap_or_default(),
            item_done_label: self.item.and_then(|i| i.done).map(|k| field_label(locale, k)).unwrap_or_default(),
            hint,
            error: None,
        }
    }

    /// Writes the typed value into the record's JSON; a value that cannot be read is a
    /// field error and leaves the record's value as it was.
    pub(super) fn apply(&self, ctx: &ViewContext, input: &FieldInput, record: &mut Value, errors: &mut Vec<FieldError>) {
        let fail = |errors: &mut Vec<FieldError>, key: &'static str, value: &str| {
            errors.push(FieldError { field: self.path.to_string(), key, params: vec![("value", value.to_string())] })
        };
        if self.input_only {
            return;
        }
        let value = input.value.trim();
        let parsed: Option<Value> = match self.kind {
            FieldKind::Text | FieldKind::LongText => Some(Value::from(input.value.clone())),
            FieldKind::Date | FieldKind::DateTime | FieldKind::Location | FieldKind::Choice | FieldKind::Number | FieldKind::Person | FieldKind::Case
                if value.is_empty() =>
            {
                if self.required {
                    errors.push(FieldError { field: self.path.to_string(), key: "validation.required", params: vec![] });
                    None
                } else {
                    Some(Value::Null)
                }
            }
            FieldKind::Date => match labels::parse_date(value) {
                Some(day) => Some(Value::from(day.to_string())),
                None => {
                    fail(errors, "validation.invalid_date", value);
                    None
                }
            },
            FieldKind::DateTime => match labels::parse_datetime(ctx, value) {
                Some(at) => Some(Value::from(at.to_rfc3339())),
                None => {
                    fail(errors, "validation.invalid_datetime", value);
                    None
                }
            },
            FieldKind::Location => match parse_location(value) {
                Some((lat, lon)) => Some(serde_json::json!({ "lat": lat, "lon": lon })),
                None => {
                    fail(errors, "validation.invalid_location", value);
                    None
                }
            },
            FieldKind::Choice if value.is_empty() && !self.required => Some(Value::Null),
            FieldKind::Choice => match self.check_choices(ctx.locale, [value]) {
                Ok(()) => Some(Value::from(value)),
                Err(bad) => {
                    fail(errors, "validation.invalid_choice", &bad);
                    None
                }
            },
            FieldKind::MultiChoice => match self.check_choices(ctx.locale, input.selected.iter().map(|s| s.trim())) {
                Ok(()) => Some(set_value(&input.selected)),
                Err(bad) => {
                    fail(errors, "validation.invalid_choice", &bad);
                    None
                }
            },
            FieldKind::Tags | FieldKind::Persons | FieldKind::Cases => Some(set_value(&input.selected)),
            FieldKind::Person | FieldKind::Case => Some(Value::from(value)),
            FieldKind::Flag => match value {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => {
                    fail(errors, "validation.invalid_choice", value);
                    None
                }
            },
            FieldKind::Number => match value.parse::<u32>() {
                Ok(n) => Some(Value::from(n)),
                Err(_) => {
                    fail(errors, "validation.invalid_number", value);
                    None
                }
            },
            FieldKind::Items => {
                let choices = input.items.iter().filter(|_| self.item.is_some_and(|spec| spec.choice.is_some()));
                let stored = record.pointer(&self.pointer()).and_then(Value::as_object).cloned().unwrap_or_default();
                match self.check_choices(ctx.locale, choices.map(|item| item.choice.trim())) {
                    Ok(()) => self.item.map(|spec| Value::Object(input.items.iter().map(|item| spec.write(item, &stored)).collect())),
                    Err(bad) => {
                        fail(errors, "validation.invalid_choice", &bad);
                        None
                    }
                }
            }
        };
        if let Some(parsed) = parsed {
            set_pointer(record, self.path, parsed);
        }
    }

    fn check_choices<'a>(&self, locale: Locale, values: impl IntoIterator<Item = &'a str>) -> Result<(), String> {
        let allowed = self.choices.map(|f| f(locale)).unwrap_or_default();
        match values.into_iter().find(|v| !allowed.iter().any(|c| c.value == *v)) {
            Some(bad) => Err(bad.to_string()),
            None => Ok(()),
        }
    }
}

impl ItemSpec {
    fn read(&self, id: &str, item: &Value) -> FormItem {
        if self.plain {
            return FormItem { id: id.to_string(), text: item.as_str().unwrap_or_default().to_string(), ..FormItem::default() };
        }
        let get = |key: Option<&str>| key.and_then(|k| item[k].as_str()).unwrap_or_default().to_string();
        FormItem {
            id: id.to_string(),
            text: get(Some(self.text)),
            detail: get(self.detail),
            date: get(self.date),
            choice: get(self.choice),
            done: self.done.and_then(|k| item[k].as_bool()).unwrap_or(false),
        }
    }

    /// The item as the record stores it: the stored item (`stored`, by id) with the parts the
    /// form shows replaced, so a part of an item the form does not show is kept.
    fn write(&self, item: &FormItem, stored: &Map<String, Value>) -> (String, Value) {
        let id = if item.id.trim().is_empty() { new_item_id() } else { item.id.clone() };
        if self.plain {
            return (id, Value::from(item.text.trim()));
        }
        let mut map = stored.get(&id).and_then(Value::as_object).cloned().unwrap_or_default();
        map.insert(self.text.into(), Value::from(item.text.clone()));
        if let Some(key) = self.detail {
            map.insert(key.into(), Value::from(item.detail.clone()));
        }
        if let Some(key) = self.date {
            let due = labels::parse_date(&item.date).map(|d| Value::from(d.to_string())).unwrap_or(Value::Null);
            map.insert(key.into(), due);
        }
        if let Some(key) = self.choice {
            map.insert(key.into(), Value::from(item.choice.clone()));
        }
        if let Some(key) = self.done {
            map.insert(key.into(), Value::Bool(item.done));
        }
        (id, Value::Object(map))
    }
}

/// Members of a set stored as a map `value → true`.
pub(crate) fn set_members(value: &Value) -> Vec<String> {
    value.as_object().map(|m| m.iter().filter(|(_, v)| v.as_bool() == Some(true)).map(|(k, _)| k.clone()).collect()).unwrap_or_default()
}

fn set_value(values: &[String]) -> Value {
    Value::Object(values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).map(|v| (v.to_string(), Value::Bool(true))).collect())
}

fn parse_location(text: &str) -> Option<(f64, f64)> {
    let (lat, lon) = text.split_once(',')?;
    Some((lat.trim().parse().ok()?, lon.trim().parse().ok()?))
}

/// Sets `path` (slash-separated) in a JSON object, creating maps on the way.
pub(crate) fn set_pointer(record: &mut Value, path: &str, value: Value) {
    let mut target = record;
    let mut parts = path.split('/').peekable();
    while let Some(part) = parts.next() {
        if !target.is_object() {
            *target = Value::Object(Map::new());
        }
        let Value::Object(map) = target else { return };
        if parts.peek().is_none() {
            map.insert(part.to_string(), value);
            return;
        }
        target = map.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
    }
}

/// Puts each broken rule on the field it names (or on the items field holding it) and lists
/// every message for the top of the form.
pub(crate) fn attach_errors(locale: Locale, fields: &mut [FormField], errors: &ValidationErrors) -> Vec<String> {
    let mut messages = Vec::new();
    for error in &errors.0 {
        let message = error.message(locale);
        let owner = fields.iter_mut().find(|f| error.field == f.key || error.field.starts_with(&format!("{}/", f.key)));
        if let Some(field) = owner {
            if field.error.is_none() {
                field.error = Some(message.clone());
            }
        }
        messages.push(message);
    }
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ViewContext {
        ViewContext::new(Locale::En)
    }

    #[test]
    fn values_round_trip_through_the_json_of_a_record() {
        let specs = [
            FieldSpec::new("address/mahalla", "field.address", FieldKind::Text),
            FieldSpec::new("started_at", "section.conversation", FieldKind::DateTime).required(),
            FieldSpec::new("gps", "section.conversation", FieldKind::Location),
            FieldSpec::new("topics", "section.content", FieldKind::Tags),
        ];
        let inputs = [
            FieldInput { key: "address/mahalla".into(), value: "Navbahor".into(), ..Default::default() },
            FieldInput { key: "started_at".into(), value: "01.10.2025 14:30".into(), ..Default::default() },
            FieldInput { key: "gps".into(), value: "41.3, 69.25".into(), ..Default::default() },
            FieldInput { key: "topics".into(), selected: vec!["school".into(), " ".into()], ..Default::default() },
        ];
        let mut record = serde_json::json!({});
        let mut errors = Vec::new();
        for (spec, input) in specs.iter().zip(&inputs) {
            spec.apply(&ctx(), input, &mut record, &mut errors);
        }
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(record["address"]["mahalla"], "Navbahor");
        assert_eq!(record["started_at"], "2025-10-01T09:30:00+00:00");
        assert_eq!(record["topics"], serde_json::json!({"school": true}));
        let shown: Vec<FormField> = specs.iter().map(|s| s.render(&ctx(), &record)).collect();
        assert_eq!(shown[1].value, "2025-10-01 14:30");
        assert_eq!(shown[2].value, "41.3, 69.25");
        assert_eq!(shown[3].selected, ["school"]);
    }

    #[test]
    fn unreadable_values_are_field_errors() {
        let spec = FieldSpec::new("next_follow_up", "section.outcome", FieldKind::Date);
        let mut record = serde_json::json!({"next_follow_up": "2025-01-01"});
        let mut errors = Vec::new();
        spec.apply(&ctx(), &FieldInput { key: "next_follow_up".into(), value: "31.31.2025".into(), ..Default::default() }, &mut record, &mut errors);
        assert_eq!(record["next_follow_up"], "2025-01-01");
        assert_eq!(ValidationErrors(errors).messages(Locale::En), ["Next follow-up date: not a valid date (31.31.2025)"]);
    }
}
