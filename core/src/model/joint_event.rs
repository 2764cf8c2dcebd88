//! Joint events (seminars, social-assistance events) held with the mahalla and other services,
//! with their organisers and who attended: persons on the register and families of parent
//! cases (as sets, so attendance ticked on two phones merges), plus guests by name.

use super::{latest_local_date, set_map, Audience, IndexFields, Record, RecordKind, Rules, ValidationErrors};
use crate::ids::RecordId;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What kind of event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A seminar or explanatory meeting.
    #[default]
    Seminar,
    /// A social-assistance event (help with work, study, benefits).
    SocialAssistance,
    /// A sports or cultural event.
    SportsOrCulture,
    /// A meeting of the mahalla (gathering of citizens).
    MahallaMeeting,
}

impl EventKind {
    /// All kinds, in display order.
    pub const ALL: [EventKind; 4] = [EventKind::Seminar, EventKind::SocialAssistance, EventKind::SportsOrCulture, EventKind::MahallaMeeting];
}

/// Someone who organised the event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Organiser {
    /// Full name.
    pub name: String,
    /// Organisation or role (mahalla chairman, school, youth union …).
    pub organisation: String,
}

/// A joint event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JointEvent {
    /// Record id.
    pub id: RecordId,
    /// Kind of event.
    pub kind: EventKind,
    /// Title or topic.
    pub title: String,
    /// Date held (or planned).
    pub held_on: NaiveDate,
    /// Place.
    pub place: String,
    /// Mahalla (the record's scope).
    pub mahalla: String,
    /// Organisers, keyed by item id.
    pub organisers: BTreeMap<String, Organiser>,
    /// Persons on the register who attended.
    #[serde(with = "set_map")]
    pub person_ids: BTreeSet<RecordId>,
    /// Parent cases whose family attended.
    #[serde(with = "set_map")]
    pub case_ids: BTreeSet<RecordId>,
    /// Other attendees by name, keyed by item id.
    pub guests: BTreeMap<String, String>,
    /// What happened, what help was given (collaborative text).
    /// (Kept in a notes document: a bucket read alone lacks it, hence the default.)
    #[serde(default)]
    pub notes: String,
}

impl Default for JointEvent {
    fn default() -> Self {
        JointEvent {
            id: RecordId::new(),
            kind: EventKind::default(),
            title: String::new(),
            held_on: NaiveDate::MIN,
            place: String::new(),
            mahalla: String::new(),
            organisers: BTreeMap::new(),
            person_ids: BTreeSet::new(),
            case_ids: BTreeSet::new(),
            guests: BTreeMap::new(),
            notes: String::new(),
        }
    }
}

impl JointEvent {
    /// Number of attendees: registered persons, families and guests.
    pub fn attendance(&self) -> usize {
        self.person_ids.len() + self.case_ids.len() + self.guests.len()
    }
}

impl Record for JointEvent {
    const KIND: RecordKind = RecordKind::JointEvent;
    const TEXT_FIELDS: &'static [&'static str] = &["notes"];

    fn id(&self) -> &RecordId {
        &self.id
    }

    fn validate(&self, now: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let mut rules = Rules::default();
        rules.required("title", &self.title);
        rules.required("place", &self.place);
        rules.required("mahalla", &self.mahalla);
        rules.max_len("title", &self.title, 300);
        rules.max_len("notes", &self.notes, 20_000);
        if self.organisers.is_empty() {
            rules.fail("organisers", "validation.at_least_one", vec![]);
        }
        for (item, organiser) in &self.organisers {
            rules.required(format!("organisers/{item}/name"), &organiser.name);
        }
        for (item, guest) in &self.guests {
            rules.required(format!("guests/{item}"), guest);
        }
        if self.attendance() > 0 && self.held_on > latest_local_date(now) {
            rules.fail("person_ids", "event.attendance_before_held", vec![("value", self.held_on.to_string())]);
        }
        rules.finish()
    }

    fn mahalla(&self) -> &str {
        &self.mahalla
    }

    fn audience(&self) -> Audience {
        Audience::Register
    }

    fn period_year(&self) -> i32 {
        self.held_on.year()
    }

    fn index_fields(&self) -> IndexFields {
        IndexFields {
            title: format!("{} · {}", self.held_on, self.title),
            search_text: format!("{} {} {}", self.place, self.mahalla, self.organisers.values().map(|o| o.name.as_str()).collect::<Vec<_>>().join(" ")),
            birth_year: None,
            due_on: None,
            status: serde_json::to_value(self.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
            links: self.person_ids.iter().chain(&self.case_ids).cloned().collect(),
        }
    }
}
