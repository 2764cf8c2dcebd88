//! Training sessions of inspectors and members of the mahalla seven: the topic from the
//! catalog's list (children's rights, family law, …), the day, who trained and who attended.
//! Attendees are a map keyed by item id, so names ticked on two phones merge. What training one
//! person had is read across the sessions by the person's name (in either script).

use super::{latest_local_date, Audience, IndexFields, Record, RecordKind, Rules, SevenRole, ValidationErrors};
use crate::ids::RecordId;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The topic of a training session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainingTopic {
    /// Children's rights.
    #[default]
    ChildrensRights,
    /// Family law.
    FamilyLaw,
    /// Domestic violence and protection orders.
    DomesticViolence,
    /// The preventive conversation (methods, techniques).
    PreventiveConversation,
    /// Offences among minors.
    JuvenileOffences,
    /// Extremism and radicalisation.
    Extremism,
    /// Online risks for young people.
    OnlineSafety,
    /// Another topic, named in the title.
    Other,
}

impl TrainingTopic {
    /// All topics, in display order.
    pub const ALL: [TrainingTopic; 8] = [
        TrainingTopic::ChildrensRights,
        TrainingTopic::FamilyLaw,
        TrainingTopic::DomesticViolence,
        TrainingTopic::PreventiveConversation,
        TrainingTopic::JuvenileOffences,
        TrainingTopic::Extremism,
        TrainingTopic::OnlineSafety,
        TrainingTopic::Other,
    ];
}

/// Someone who attended a training session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Trainee {
    /// Full name.
    pub name: String,
    /// Their role: the inspector or a member of the seven.
    pub role: SevenRole,
}

/// A training session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainingSession {
    /// Record id.
    pub id: RecordId,
    /// Topic from the catalog's list.
    pub topic: TrainingTopic,
    /// Title or details (required for "other").
    pub title: String,
    /// Day held.
    pub held_on: NaiveDate,
    /// Mahalla (the record's scope).
    pub mahalla: String,
    /// Who trained (a lawyer, a psychologist, the district department).
    pub trainer: String,
    /// Who attended, keyed by item id.
    pub attendees: BTreeMap<String, Trainee>,
    /// Notes (collaborative text).
    /// (Kept in a notes document: a bucket read alone lacks it, hence the default.)
    #[serde(default)]
    pub notes: String,
}

impl Default for TrainingSession {
    fn default() -> Self {
        TrainingSession {
            id: RecordId::new(),
            topic: TrainingTopic::default(),
            title: String::new(),
            held_on: NaiveDate::MIN,
            mahalla: String::new(),
            trainer: String::new(),
            attendees: BTreeMap::new(),
            notes: String::new(),
        }
    }
}

impl TrainingSession {
    /// The rules that need no clock (the hub checks them too): a mahalla, a named topic, named
    /// attendees, texts of bounded length.
    pub(crate) fn check_shape(&self, rules: &mut Rules) {
        rules.required("mahalla", &self.mahalla);
        if self.topic == TrainingTopic::Other {
            rules.required("title", &self.title);
        }
        rules.max_len("title", &self.title, 300);
        rules.max_len("trainer", &self.trainer, 300);
        rules.max_len("notes", &self.notes, 20_000);
        for (item, trainee) in &self.attendees {
            rules.required(format!("attendees/{item}/name"), &trainee.name);
            rules.max_len(format!("attendees/{item}/name"), &trainee.name, 200);
        }
    }
}

impl Record for TrainingSession {
    const KIND: RecordKind = RecordKind::Training;
    const TEXT_FIELDS: &'static [&'static str] = &["notes"];

    fn id(&self) -> &RecordId {
        &self.id
    }

    fn validate(&self, now: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let mut rules = Rules::default();
        self.check_shape(&mut rules);
        if self.held_on == NaiveDate::MIN {
            rules.fail("held_on", "validation.required", vec![]);
        }
        if !self.attendees.is_empty() && self.held_on > latest_local_date(now) {
            rules.fail("attendees", "event.attendance_before_held", vec![("value", self.held_on.to_string())]);
        }
        rules.finish()
    }

    fn mahalla(&self) -> &str {
        &self.mahalla
    }

    /// Training is the case team's own work: the inspector and the seven see it.
    fn audience(&self) -> Audience {
        Audience::CaseTeam
    }

    fn period_year(&self) -> i32 {
        self.held_on.year()
    }

    fn index_fields(&self) -> IndexFields {
        let topic = serde_json::to_value(self.topic).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        IndexFields {
            title: format!("{} · {}", self.held_on, if self.title.is_empty() { &topic } else { &self.title }),
            search_text: [self.trainer.as_str(), self.mahalla.as_str()]
                .into_iter()
                .chain(self.attendees.values().map(|t| t.name.as_str()))
                .collect::<Vec<_>>()
                .join("\n"),
            birth_year: None,
            due_on: None,
            status: topic,
            links: vec![],
        }
    }
}
