//! Typed records of the prevention inspectors' work, with their validation rules.
//!
//! Records are plain serde structs. Item lists inside a record (family members, tasks,
//! participants) are maps keyed by item id and sets are maps of `value → true`, so that
//! concurrent additions on two phones merge instead of colliding.

mod application;
mod attachment;
mod case_practice;
mod common;
mod conversation;
mod follow_up;
mod joint_event;
mod legal_basis;
mod method;
mod parent_case;
mod person;
mod programme;
mod referral;
mod referral_escalation;
#[cfg(test)]
mod rules_tests;
pub(crate) mod set_map;
mod stage;
mod training;
mod validation;

pub(crate) use application::numbered_field_changed;
pub use application::{provisional_number, ApplicantKind, Application, Book, Decision, DecisionKind};
pub(crate) use attachment::{attachment_error, is_content_hash, mb};
pub use attachment::{is_attachable, Attachment, AttachmentKind, Attachments, MAX_ATTACHMENTS_PER_RECORD, MAX_ATTACHMENT_BYTES, MAX_RECORD_ATTACHMENT_BYTES};
pub use case_practice::{HelpGiven, HelpOutcome, Indicator, IndicatorKind, OutcomeMeasures};
pub use common::{Address, GeoPoint, PersonName, RiskFactor};
pub use conversation::{AgreedAction, Conversation, ConversationKind, Participant, ParticipantRole, Technique};
pub use follow_up::{BehaviourChange, FollowUp, LegalKnowledge, Milestone, SocialActivity};
pub use joint_event::{EventKind, JointEvent, Organiser};
pub use legal_basis::{ConsentGiver, LegalBasis, LegalGround, AGE_OF_MAJORITY, MAX_LEGAL_TEXT};
pub use method::{ContactChannel, Partner};
pub use parent_case::{AssistanceKind, CaseStatus, Child, Guardian, ParentCase, ResponsePlan, SaraContent, SevenRole, SevenTask};
pub use person::{FamilyMember, Person, RegisterCategory, SocialEnvironment, MERGED_STATUS, REGISTERED_STATUS};
pub use programme::{OrganiserKind, Programme, ProgrammeOrganiser, ProgrammeSession, TargetFamily};
pub use referral::{may_take_step, Priority, Referral, ReferralState, Stamp};
pub use referral_escalation::{may_escalate, supervisor_key, Escalation, ReferralCategory};
pub use stage::{stage_move_rule, SaraStage, StageChange};
pub use training::{Trainee, TrainingSession, TrainingTopic};
pub use validation::{check_record, FieldError, ValidationErrors, MAX_TEXT_BYTES};
pub(crate) use validation::{latest_local_date, oversized_texts, Rules};

use crate::device::Role;
use crate::ids::RecordId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::fmt;

/// The kinds of record the core stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A person on the prevention register.
    Person,
    /// A preventive conversation.
    Conversation,
    /// A parent case worked with the mahalla seven.
    ParentCase,
    /// A cooperation request to a service or the mahalla seven.
    Referral,
    /// An application in the registry (Form 1 book, Form 2 journal).
    Application,
    /// A joint event (seminar, social-assistance event).
    JointEvent,
    /// A joint programme with families over several sessions (a parents' school).
    Programme,
    /// A training session of inspectors and members of the seven.
    Training,
}

impl RecordKind {
    /// Stable text form used in documents and the index.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Person => "person",
            RecordKind::Conversation => "conversation",
            RecordKind::ParentCase => "parent_case",
            RecordKind::Referral => "referral",
            RecordKind::Application => "application",
            RecordKind::JointEvent => "joint_event",
            RecordKind::Programme => "programme",
            RecordKind::Training => "training",
        }
    }

    /// Every kind.
    pub const ALL: [RecordKind; 8] = [
        RecordKind::Person,
        RecordKind::Conversation,
        RecordKind::ParentCase,
        RecordKind::Referral,
        RecordKind::Application,
        RecordKind::JointEvent,
        RecordKind::Programme,
        RecordKind::Training,
    ];

    /// Parses the stable text form.
    pub fn parse(text: &str) -> Option<Self> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The text fields of this kind kept in its bucket's notes documents instead of the bucket
    /// (ARCHITECTURE §3): loading a bucket then reads none of its records' notes. A parent
    /// case's texts stay in its bucket, where the hub's rules on a closed case see them.
    pub fn notes_fields(self) -> &'static [&'static str] {
        match self {
            RecordKind::Person | RecordKind::Conversation | RecordKind::JointEvent | RecordKind::Programme | RecordKind::Training => &["notes"],
            RecordKind::ParentCase | RecordKind::Referral | RecordKind::Application => &[],
        }
    }

    /// Field paths of this kind kept as collaborative text ([`Record::TEXT_FIELDS`]).
    pub fn text_fields(self) -> &'static [&'static str] {
        match self {
            RecordKind::Person => Person::TEXT_FIELDS,
            RecordKind::Conversation => Conversation::TEXT_FIELDS,
            RecordKind::ParentCase => ParentCase::TEXT_FIELDS,
            RecordKind::Referral => Referral::TEXT_FIELDS,
            RecordKind::Application => Application::TEXT_FIELDS,
            RecordKind::JointEvent => JointEvent::TEXT_FIELDS,
            RecordKind::Programme => Programme::TEXT_FIELDS,
            RecordKind::Training => TrainingSession::TEXT_FIELDS,
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who may receive a bucket: decides replication (design §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    /// Inspectors of the territory: the prevention register and conversations.
    Register,
    /// The inspector and the mahalla seven working a case.
    CaseTeam,
    /// One service (the duty unit, a sectoral service or a body outside the police, given by
    /// its [`Role`]): the cooperation requests addressed to it, and nothing else.
    Service(Role),
}

impl Audience {
    /// Every audience.
    pub fn all() -> impl Iterator<Item = Audience> {
        [Audience::Register, Audience::CaseTeam].into_iter().chain(Role::SERVICES.into_iter().map(Audience::Service))
    }

    /// Stable text form used in bucket ids.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Register => "register",
            Audience::CaseTeam => "case-team",
            Audience::Service(role) => match role {
                Role::DutyUnit => "service-duty-unit",
                Role::CriminalInvestigation => "service-criminal-investigation",
                Role::CounterExtremism => "service-counter-extremism",
                Role::Investigation => "service-investigation",
                Role::OperationalSearch => "service-operational-search",
                Role::Forensics => "service-forensics",
                Role::Migration => "service-migration",
                Role::TrafficSafety => "service-traffic-safety",
                Role::School => "service-school",
                Role::YouthUnion => "service-youth-union",
                Role::SocialProtection => "service-social-protection",
                Role::ChildrensRights => "service-childrens-rights",
                Role::Health => "service-health",
                Role::MahallaChairman => "service-mahalla-chairman",
                Role::Inspector | Role::Seven | Role::Supervisor => "service-none",
            },
        }
    }

    /// Parses the stable text form.
    pub fn parse(text: &str) -> Option<Self> {
        Audience::all().find(|a| a.as_str() == text)
    }
}

/// What the flat index keeps of a record, so lists and search never load documents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IndexFields {
    /// Display title (a name, or "Conversation with …").
    pub title: String,
    /// Searchable text besides the title, one part per line; the store folds each to a
    /// script-insensitive key and leaves out a part the key already holds (a name written
    /// the same in both scripts is kept once).
    pub search_text: String,
    /// Birth year, for persons.
    pub birth_year: Option<i32>,
    /// The nearest date something is due (follow-up, open task).
    pub due_on: Option<NaiveDate>,
    /// Short status word (`open`, `closed`, the SARA stage, …).
    pub status: String,
    /// Other records this one refers to (persons of a conversation, guardians of a case).
    pub links: Vec<RecordId>,
}

/// A typed record kept in a bucket document.
pub trait Record: Serialize + DeserializeOwned + Clone + fmt::Debug {
    /// The kind tag stored with the record.
    const KIND: RecordKind;
    /// Field paths (slash-separated) kept as collaborative Automerge text, so concurrent edits
    /// merge character by character instead of conflicting.
    const TEXT_FIELDS: &'static [&'static str];

    /// The record id.
    fn id(&self) -> &RecordId;
    /// Checks every rule; `now` is the device's current time.
    fn validate(&self, now: DateTime<Utc>) -> Result<(), ValidationErrors>;
    /// Checks the rules on changing the stored record `old` into `new` (steps that may not be
    /// skipped, stamps that may not be rewritten). Most kinds have none.
    fn check_transition(_old: &Self, _new: &Self) -> Result<(), ValidationErrors> {
        Ok(())
    }
    /// Mahalla the record belongs to (the bucket scope, before folding).
    fn mahalla(&self) -> &str;
    /// Who may receive it.
    fn audience(&self) -> Audience;
    /// The year used as the bucket period.
    fn period_year(&self) -> i32;
    /// Index fields for lists and search.
    fn index_fields(&self) -> IndexFields;
}
