//! Joint programmes: work with families over several months (a parents' school, a course),
//! run by organisers (members of the mahalla seven, schools, services) for target families,
//! in sessions — each may be a joint event recorded in the register too — with the families
//! who attended each. Everything is a map keyed by item id (attendance a set of family item
//! ids), so what two phones record merges.

use super::{latest_local_date, set_map, Audience, IndexFields, Record, RecordKind, Rules, ValidationErrors};
use crate::ids::RecordId;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Who an organiser is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganiserKind {
    /// A member of the mahalla seven (the inspector included).
    #[default]
    SevenMember,
    /// A school or college.
    School,
    /// A state service (social protection, health, the youth agency).
    Service,
    /// A civil society organisation.
    CivilSociety,
}

impl OrganiserKind {
    /// All kinds, in display order.
    pub const ALL: [OrganiserKind; 4] = [OrganiserKind::SevenMember, OrganiserKind::School, OrganiserKind::Service, OrganiserKind::CivilSociety];
}

/// An organiser of a programme.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgrammeOrganiser {
    /// Name of the person or the organisation.
    pub name: String,
    /// Who they are.
    pub kind: OrganiserKind,
}

/// A family the programme works with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TargetFamily {
    /// The family as it is known ("Yusupovs, Navoiy 12").
    pub name: String,
    /// Its parent case, when it has one.
    pub case_id: Option<RecordId>,
}

/// One session of a programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgrammeSession {
    /// Day held (or planned).
    pub held_on: NaiveDate,
    /// Topic.
    pub topic: String,
    /// The joint event recorded for it in the register, if any.
    pub event_id: Option<RecordId>,
    /// Target families (their item ids in the programme) who attended.
    #[serde(with = "set_map")]
    pub attended: BTreeSet<String>,
}

impl Default for ProgrammeSession {
    fn default() -> Self {
        ProgrammeSession { held_on: NaiveDate::MIN, topic: String::new(), event_id: None, attended: BTreeSet::new() }
    }
}

/// A joint programme.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Programme {
    /// Record id.
    pub id: RecordId,
    /// Title ("Parents' school, autumn 2025").
    pub title: String,
    /// Mahalla (the record's scope).
    pub mahalla: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day, when known.
    pub ends_on: Option<NaiveDate>,
    /// Organisers, keyed by item id.
    pub organisers: BTreeMap<String, ProgrammeOrganiser>,
    /// Target families, keyed by item id.
    pub families: BTreeMap<String, TargetFamily>,
    /// Sessions, keyed by item id.
    pub sessions: BTreeMap<String, ProgrammeSession>,
    /// Notes (collaborative text).
    /// (Kept in a notes document: a bucket read alone lacks it, hence the default.)
    #[serde(default)]
    pub notes: String,
}

impl Default for Programme {
    fn default() -> Self {
        Programme {
            id: RecordId::new(),
            title: String::new(),
            mahalla: String::new(),
            starts_on: NaiveDate::MIN,
            ends_on: None,
            organisers: BTreeMap::new(),
            families: BTreeMap::new(),
            sessions: BTreeMap::new(),
            notes: String::new(),
        }
    }
}

impl Programme {
    /// The sessions in the order they were held (by day, then item id).
    pub fn sessions_in_order(&self) -> Vec<(&String, &ProgrammeSession)> {
        let mut sessions: Vec<_> = self.sessions.iter().collect();
        sessions.sort_by_key(|(id, s)| (s.held_on, *id));
        sessions
    }

    /// The rules that need no clock (the hub checks them too): a title, a mahalla, an
    /// organiser, named families, sessions within the programme's days with a topic, and
    /// attendance only of the programme's own families.
    pub(crate) fn check_shape(&self, rules: &mut Rules) {
        rules.required("title", &self.title);
        rules.max_len("title", &self.title, 300);
        rules.required("mahalla", &self.mahalla);
        rules.max_len("notes", &self.notes, 20_000);
        if let Some(ends) = &self.ends_on {
            rules.not_before("ends_on", ends, "starts_on", &self.starts_on);
        }
        if self.organisers.is_empty() {
            rules.fail("organisers", "validation.at_least_one", vec![]);
        }
        for (item, organiser) in &self.organisers {
            rules.required(format!("organisers/{item}/name"), &organiser.name);
        }
        for (item, family) in &self.families {
            rules.required(format!("families/{item}/name"), &family.name);
        }
        for (item, session) in &self.sessions {
            rules.required(format!("sessions/{item}/topic"), &session.topic);
            rules.not_before(format!("sessions/{item}/held_on"), &session.held_on, "starts_on", &self.starts_on);
            if let Some(ends) = &self.ends_on {
                if session.held_on > *ends {
                    rules.fail(
                        format!("sessions/{item}/held_on"),
                        "programme.session_after_end",
                        vec![("value", session.held_on.to_string()), ("limit", ends.to_string())],
                    );
                }
            }
            for family in session.attended.iter().filter(|f| !self.families.contains_key(*f)) {
                rules.fail(format!("sessions/{item}/attended"), "programme.unknown_family", vec![("value", family.clone())]);
            }
        }
    }
}

impl Record for Programme {
    const KIND: RecordKind = RecordKind::Programme;
    const TEXT_FIELDS: &'static [&'static str] = &["notes"];

    fn id(&self) -> &RecordId {
        &self.id
    }

    fn validate(&self, now: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let mut rules = Rules::default();
        self.check_shape(&mut rules);
        if self.starts_on == NaiveDate::MIN {
            rules.fail("starts_on", "validation.required", vec![]);
        }
        let today = latest_local_date(now);
        for (item, session) in self.sessions.iter().filter(|(_, s)| !s.attended.is_empty() && s.held_on > today) {
            rules.fail(format!("sessions/{item}/attended"), "event.attendance_before_held", vec![("value", session.held_on.to_string())]);
        }
        rules.finish()
    }

    fn mahalla(&self) -> &str {
        &self.mahalla
    }

    /// A programme is the case team's work with families: the inspector and the seven see it.
    fn audience(&self) -> Audience {
        Audience::CaseTeam
    }

    fn period_year(&self) -> i32 {
        self.starts_on.year()
    }

    fn index_fields(&self) -> IndexFields {
        IndexFields {
            title: self.title.clone(),
            search_text: [self.mahalla.as_str()]
                .into_iter()
                .chain(self.organisers.values().map(|o| o.name.as_str()))
                .chain(self.families.values().map(|f| f.name.as_str()))
                .collect::<Vec<_>>()
                .join("\n"),
            birth_year: None,
            due_on: None,
            status: format!("{} sessions", self.sessions.len()),
            links: self.families.values().filter_map(|f| f.case_id.clone()).chain(self.sessions.values().filter_map(|s| s.event_id.clone())).collect(),
        }
    }
}
