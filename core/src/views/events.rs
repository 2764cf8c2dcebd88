//! Joint events: the list, and the actions "add an event" and "record who attended".

use super::form::Choice;
use super::labels::{self, choice_label, invalid, parse_choice, parse_date_field, text};
use super::report;
use super::ViewContext;
use crate::error::{Error, Result};
use crate::i18n;
use crate::ids::{new_item_id, RecordId};
use crate::model::{EventKind, JointEvent, Organiser, RecordKind};
use crate::store::{ListQuery, Store};

view_types! { $ event_view_types;

    /// One joint event in the list.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct EventRow {
        /// Record id.
        pub id: String,
        /// Title or topic.
        pub title: String,
        /// Kind label.
        pub kind_label: String,
        /// Date held.
        pub date_label: String,
        /// Place and mahalla.
        pub place: String,
        /// Organisers' names.
        pub organisers: String,
        /// "Attended: 12".
        pub attendance_label: String,
        /// Registered persons, families and guests who attended.
        pub attendance: u32,
    }

    /// An organiser of a new event.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct NewOrganiser {
        /// Full name.
        pub name: String,
        /// Organisation or role.
        pub organisation: String,
    }

    /// What a new joint event says.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct NewEvent {
        /// A value of [`event_kind_choices`].
        pub kind: String,
        /// Title or topic.
        pub title: String,
        /// Date held or planned (`YYYY-MM-DD`).
        pub held_on: String,
        /// Place.
        pub place: String,
        /// Mahalla.
        pub mahalla: String,
        /// Organisers (at least one).
        pub organisers: Vec<NewOrganiser>,
    }

    /// The joint events screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct EventList {
        /// Screen title.
        pub title: String,
        /// Events, latest first.
        pub rows: Vec<EventRow>,
        /// Shown when empty.
        pub empty_text: String,
    }
}

/// Kinds of joint event.
pub fn event_kind_choices(ctx: &ViewContext) -> Vec<Choice> {
    labels::choices(ctx.locale, "event_kind", &EventKind::ALL)
}

/// Every joint event, latest first; with `linked_to`, only those a person or case attended.
pub fn event_list(store: &mut Store, ctx: &ViewContext, linked_to: Option<&str>) -> Result<EventList> {
    let mut events: Vec<JointEvent> = report::load_where(store, ListQuery { linked_to: linked_to.map(String::from), ..Default::default() })?;
    events.sort_by_key(|e| std::cmp::Reverse((e.held_on, e.id.to_string())));
    let locale = ctx.locale;
    let rows = events
        .iter()
        .map(|e| EventRow {
            id: e.id.to_string(),
            title: e.title.clone(),
            kind_label: choice_label(locale, "event_kind", &e.kind),
            date_label: labels::date(locale, e.held_on),
            place: format!("{}, {}", e.place, labels::scope_name(&e.mahalla)),
            organisers: e.organisers.values().map(|o| o.name.clone()).collect::<Vec<_>>().join(", "),
            attendance_label: i18n::render(locale, "event.attendance", &[("count", e.attendance().to_string())]),
            attendance: e.attendance() as u32,
        })
        .collect();
    Ok(EventList { title: text(locale, "screen.events"), rows, empty_text: text(locale, "event.none") })
}

/// Adds a joint event; returns its id.
pub fn add_event(store: &mut Store, new: &NewEvent) -> Result<String> {
    let event = JointEvent {
        kind: parse_choice("kind", &new.kind)?,
        title: new.title.trim().to_string(),
        held_on: parse_date_field("held_on", &new.held_on)?,
        place: new.place.trim().to_string(),
        mahalla: new.mahalla.trim().to_string(),
        organisers: new
            .organisers
            .iter()
            .map(|o| (new_item_id(), Organiser { name: o.name.trim().to_string(), organisation: o.organisation.trim().to_string() }))
            .collect(),
        ..JointEvent::default()
    };
    store.put(&event)?;
    Ok(event.id.to_string())
}

/// Records who attended: persons on the register and parent cases (by id; each must be a
/// stored record of that kind) and guests by name. Adds to what is already recorded.
pub fn record_attendance(store: &mut Store, event_id: &str, person_ids: &[String], case_ids: &[String], guests: &[String]) -> Result<()> {
    let rid = RecordId::parse(event_id).ok_or_else(|| Error::NotFound(event_id.to_string()))?;
    let mut linked = |ids: &[String], kind: RecordKind, field: &str| -> Result<Vec<RecordId>> {
        ids.iter()
            .map(|id| {
                let parsed = RecordId::parse(id).ok_or_else(|| invalid(field, "validation.invalid_choice", id))?;
                match store.get_raw(&parsed) {
                    Ok(raw) if raw.kind == kind => Ok(parsed),
                    _ => Err(invalid(field, "validation.invalid_choice", id)),
                }
            })
            .collect()
    };
    let persons = linked(person_ids, RecordKind::Person, "person_ids")?;
    let cases = linked(case_ids, RecordKind::ParentCase, "case_ids")?;
    store.update::<JointEvent>(&rid, |event| {
        event.person_ids.extend(persons);
        event.case_ids.extend(cases);
        for guest in guests.iter().map(|g| g.trim()).filter(|g| !g.is_empty()) {
            event.guests.insert(new_item_id(), guest.to_string());
        }
    })?;
    Ok(())
}
