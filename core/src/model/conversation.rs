//! A preventive conversation (profilaktik suhbat).

use super::{
    latest_local_date, set_map, Audience, ConsentGiver, ContactChannel, FollowUp, GeoPoint, IndexFields, LegalBasis, Milestone, Partner, Record, RecordKind,
    RiskFactor, Rules, ValidationErrors,
};
use crate::ids::RecordId;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How the conversation was held.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationKind {
    /// One person.
    #[default]
    Individual,
    /// Several people together.
    Group,
    /// An explanatory talk (legal information).
    Explanatory,
}

impl ConversationKind {
    /// The stored name (as in JSON and the record index).
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationKind::Individual => "individual",
            ConversationKind::Group => "group",
            ConversationKind::Explanatory => "explanatory",
        }
    }
}

/// Role of a participant other than the registered person.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantRole {
    /// Parent or guardian.
    #[default]
    Parent,
    /// Neighbour.
    Neighbour,
    /// Representative of the mahalla.
    MahallaRepresentative,
    /// School psychologist.
    SchoolPsychologist,
    /// Anyone else.
    Other,
}

/// Someone present at the conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Participant {
    /// Their role.
    pub role: ParticipantRole,
    /// Their name.
    pub name: String,
}

/// Interviewing techniques used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Technique {
    /// Active listening.
    ActiveListening,
    /// Open questions.
    OpenQuestions,
    /// Motivational interviewing.
    Motivational,
    /// Explaining legal consequences.
    LegalExplanation,
    /// Involving family members.
    FamilyInvolvement,
    /// An empathetic approach.
    Empathy,
}

/// An action agreed in the conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgreedAction {
    /// What was agreed.
    pub text: String,
    /// By when.
    pub due: Option<NaiveDate>,
    /// Done.
    pub done: bool,
}

/// A preventive conversation with one or more registered persons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Conversation {
    /// Record id.
    pub id: RecordId,
    /// Registered persons talked to.
    #[serde(with = "set_map")]
    pub person_ids: BTreeSet<RecordId>,
    /// Other participants, keyed by item id.
    pub participants: BTreeMap<String, Participant>,
    /// Mahalla where it took place (the record's scope).
    pub mahalla: String,
    /// Place in words.
    pub place: String,
    /// Optional GPS position.
    pub gps: Option<GeoPoint>,
    /// Start time (UTC).
    pub started_at: DateTime<Utc>,
    /// End time (UTC).
    pub ended_at: Option<DateTime<Utc>>,
    /// Kind of conversation.
    pub kind: ConversationKind,
    /// Topics discussed.
    #[serde(with = "set_map")]
    pub topics: BTreeSet<String>,
    /// Risk factors observed.
    #[serde(with = "set_map")]
    pub risk_factors_observed: BTreeSet<RiskFactor>,
    /// Techniques used.
    #[serde(with = "set_map")]
    pub techniques: BTreeSet<Technique>,
    /// The channel of contact (in person for records made before it was asked).
    pub channel: ContactChannel,
    /// Partners present or involved.
    #[serde(with = "set_map")]
    pub partners: BTreeSet<Partner>,
    /// Legal consequences explained, in words.
    pub consequences_explained: String,
    /// Agreed actions, keyed by item id.
    pub agreed_actions: BTreeMap<String, AgreedAction>,
    /// Date of the next follow-up.
    pub next_follow_up: Option<NaiveDate>,
    /// Free-text notes (collaborative text).
    /// (Kept in a notes document: a bucket read alone lacks it, hence the default.)
    #[serde(default)]
    pub notes: String,
    /// How consent was obtained / recorded (required for a conversation with a minor).
    pub consent_note: String,
    /// Who gave consent; for a minor, a parent, guardian or legal representative.
    pub consent_by: Option<ConsentGiver>,
    /// The legal ground of the conversation.
    pub legal_basis: LegalBasis,
    /// Inspector who held it.
    pub inspector: String,
    /// Effectiveness follow-ups keyed by milestone (`m1`, `m3`, `m6`); see
    /// [`schedule_follow_ups`](Conversation::schedule_follow_ups).
    pub follow_ups: BTreeMap<String, FollowUp>,
    /// Files attached to it (photos, audio notes, signatures, PDFs), by content hash.
    pub attachments: super::Attachments,
}

impl Conversation {
    /// Adds the +1/+3/+6-month follow-ups that are missing, due from the conversation's date.
    /// Call it when the conversation is first saved, so every phone edits the same entries.
    pub fn schedule_follow_ups(&mut self) {
        let held_on = self.started_at.date_naive();
        for milestone in Milestone::ALL {
            self.follow_ups.entry(milestone.key().to_string()).or_insert_with(|| FollowUp { due: milestone.due_after(held_on), ..FollowUp::default() });
        }
    }

    /// The follow-up of a milestone, if scheduled.
    pub fn follow_up(&self, milestone: Milestone) -> Option<&FollowUp> {
        self.follow_ups.get(milestone.key())
    }
}

impl Default for Conversation {
    fn default() -> Self {
        Conversation {
            attachments: Default::default(),
            id: RecordId::new(),
            person_ids: BTreeSet::new(),
            participants: BTreeMap::new(),
            mahalla: String::new(),
            place: String::new(),
            gps: None,
            started_at: DateTime::<Utc>::UNIX_EPOCH,
            ended_at: None,
            kind: ConversationKind::default(),
            topics: BTreeSet::new(),
            risk_factors_observed: BTreeSet::new(),
            techniques: BTreeSet::new(),
            channel: ContactChannel::default(),
            partners: BTreeSet::new(),
            consequences_explained: String::new(),
            agreed_actions: BTreeMap::new(),
            next_follow_up: None,
            notes: String::new(),
            consent_note: String::new(),
            consent_by: None,
            legal_basis: LegalBasis::default(),
            inspector: String::new(),
            follow_ups: BTreeMap::new(),
        }
    }
}

/// Clock skew tolerated for "not in the future" checks on times typed on a phone.
const CLOCK_SKEW: Duration = Duration::minutes(10);

impl Record for Conversation {
    const KIND: RecordKind = RecordKind::Conversation;
    const TEXT_FIELDS: &'static [&'static str] = &["notes"];

    fn id(&self) -> &RecordId {
        &self.id
    }

    fn validate(&self, now: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let mut rules = Rules::default();
        if self.person_ids.is_empty() {
            rules.fail("person_ids", "validation.at_least_one", vec![]);
        }
        rules.required("mahalla", &self.mahalla);
        if self.channel == ContactChannel::InPerson {
            rules.required("place", &self.place);
        }
        rules.max_len("place", &self.place, 300);
        rules.not_in_future("started_at", &self.started_at, &(now + CLOCK_SKEW));
        if let Some(ended) = &self.ended_at {
            rules.not_before("ended_at", ended, "started_at", &self.started_at);
        }
        if let Some(follow_up) = &self.next_follow_up {
            rules.not_before("next_follow_up", follow_up, "started_at", &self.started_at.date_naive());
        }
        if let Some(gps) = &self.gps {
            gps.check(&mut rules, "gps");
        }
        for (item, participant) in &self.participants {
            rules.required(format!("participants/{item}/name"), &participant.name);
        }
        for (item, action) in &self.agreed_actions {
            rules.required(format!("agreed_actions/{item}/text"), &action.text);
        }
        rules.max_len("notes", &self.notes, 50_000);
        rules.max_len("consent_note", &self.consent_note, 1_000);
        if self.consent_by.is_some() {
            rules.required("consent_note", &self.consent_note);
        }
        self.legal_basis.check(&mut rules, "legal_basis");
        for (key, follow_up) in &self.follow_ups {
            if Milestone::parse(key).is_none() {
                rules.fail(format!("follow_ups/{key}"), "follow_up.unknown_milestone", vec![]);
            }
            follow_up.check(&mut rules, &format!("follow_ups/{key}"), self.started_at.date_naive(), latest_local_date(now));
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
        self.started_at.year()
    }

    fn index_fields(&self) -> IndexFields {
        let open_action_due = self.agreed_actions.values().filter(|a| !a.done).filter_map(|a| a.due).min();
        let open_follow_up_due = self.follow_ups.values().filter(|f| !f.is_done()).map(|f| f.due).min();
        let due_on = [self.next_follow_up, open_action_due, open_follow_up_due].into_iter().flatten().min();
        IndexFields {
            title: format!("{} · {}", self.started_at.format("%Y-%m-%d %H:%M"), self.place),
            search_text: format!("{} {} {}", self.place, self.mahalla, self.topics.iter().cloned().collect::<Vec<_>>().join(" ")),
            birth_year: None,
            due_on,
            status: self.kind.as_str().into(),
            links: self.person_ids.iter().cloned().collect(),
        }
    }
}
