//! UniFFI mirrors of the core's view-models and enums (`#[uniffi::remote]`): UniFFI
//! generates each foreign-language type from a mirror, and the compiler checks that the
//! mirror matches the core's type exactly.
//!
//! The view-models are not written twice: the core exports, per screen, a macro that replays
//! its type definitions (doc comments included) to a callback, and [`mirror`] adds the
//! UniFFI attribute to each. The few core types below predate that and are mirrored by hand.

// The replayed definitions name these types.
use suhbat_core::sync::{Rejection, RejectionKind};
use suhbat_core::views::*;
use suhbat_core::{Book, DeviceProfile, Locale, RecordKind, ReferralState, Role, SaraStage, SevenRole};

/// Declares each replayed struct as a UniFFI record and each enum as a UniFFI enum.
macro_rules! mirror {
    () => {};
    ($(#[$attr:meta])* pub struct $name:ident { $($body:tt)* } $($rest:tt)*) => {
        #[uniffi::remote(Record)]
        $(#[$attr])*
        pub struct $name { $($body)* }
        mirror! { $($rest)* }
    };
    ($(#[$attr:meta])* pub enum $name:ident { $($body:tt)* } $($rest:tt)*) => {
        #[uniffi::remote(Enum)]
        $(#[$attr])*
        pub enum $name { $($body)* }
        mirror! { $($rest)* }
    };
}

suhbat_core::navigation_view_types!(mirror);
suhbat_core::worklist_view_types!(mirror);
suhbat_core::person_view_types!(mirror);
suhbat_core::duplicate_view_types!(mirror);
suhbat_core::form_view_types!(mirror);
suhbat_core::parent_case_view_types!(mirror);
suhbat_core::case_list_view_types!(mirror);
suhbat_core::case_practice_view_types!(mirror);
suhbat_core::conflict_view_types!(mirror);
suhbat_core::history_view_types!(mirror);
suhbat_core::file_view_types!(mirror);
suhbat_core::as_of_view_types!(mirror);
suhbat_core::kept_aside_view_types!(mirror);
suhbat_core::sync_view_types!(mirror);
suhbat_core::referral_view_types!(mirror);
suhbat_core::registry_view_types!(mirror);
suhbat_core::event_view_types!(mirror);
suhbat_core::programme_view_types!(mirror);
suhbat_core::training_view_types!(mirror);
suhbat_core::risk_view_types!(mirror);
suhbat_core::report_view_types!(mirror);
suhbat_core::effectiveness_view_types!(mirror);
suhbat_core::trend_view_types!(mirror);
suhbat_core::exchange_view_types!(mirror);
suhbat_core::summary_code_view_types!(mirror);

/// A user interface language.
#[uniffi::remote(Enum)]
pub enum Locale {
    /// Uzbek, Latin script (default).
    UzLatn,
    /// Uzbek, Cyrillic script.
    UzCyrl,
    /// Russian.
    Ru,
    /// English.
    En,
}

/// Role of the person using a device; decides which records they receive and may write.
#[uniffi::remote(Enum)]
pub enum Role {
    /// Prevention inspector of the territory.
    Inspector,
    /// A member of the mahalla seven.
    Seven,
    /// A supervisor (district head of prevention).
    Supervisor,
    /// An officer of the duty unit (navbatchilik qismi).
    DutyUnit,
    /// An officer of criminal investigation.
    CriminalInvestigation,
    /// An officer of the counter-terrorism and counter-extremism service.
    CounterExtremism,
    /// An investigator.
    Investigation,
    /// An officer of operational search.
    OperationalSearch,
    /// A forensic expert.
    Forensics,
    /// An officer of migration and citizenship.
    Migration,
    /// An officer of traffic safety.
    TrafficSafety,
    /// A school.
    School,
    /// The youth union.
    YouthUnion,
    /// A social-protection body.
    SocialProtection,
    /// A children's-rights body.
    ChildrensRights,
    /// A health facility.
    Health,
    /// The mahalla chairman's office.
    MahallaChairman,
}

/// A book of the applications registry.
#[uniffi::remote(Enum)]
pub enum Book {
    /// Form 1 book: reports of offences and incidents.
    Form1,
    /// Form 2 journal: other applications and information.
    Form2,
    /// The alphabetical book: applications and complaints of citizens (book 3).
    Alphabetical,
}

/// SARA problem-solving stage of a parent case.
#[uniffi::remote(Enum)]
pub enum SaraStage {
    /// Finding and describing the problem.
    Scanning,
    /// Understanding its causes.
    Analysis,
    /// Planning and giving help.
    Response,
    /// Checking whether it worked.
    Assessment,
}

/// Where a cooperation request stands.
#[uniffi::remote(Enum)]
pub enum ReferralState {
    /// Sent by the inspector.
    Sent,
    /// Seen by the addressee.
    Received,
    /// The addressee takes it on.
    Accepted,
    /// The addressee declines it (with a reason).
    Declined,
    /// The addressee reported what was done.
    Feedback,
    /// The sender closed it.
    Closed,
}

/// Member roles of the mahalla seven.
#[uniffi::remote(Enum)]
pub enum SevenRole {
    /// Mahalla chairman.
    Chairman,
    /// Women's activist.
    WomensActivist,
    /// Youth leader.
    YouthLeader,
    /// Social worker.
    SocialWorker,
    /// Prevention inspector.
    Inspector,
    /// Tax inspector.
    TaxInspector,
    /// Hokim's assistant.
    HokimAssistant,
}

/// The kinds of record the core stores.
#[uniffi::remote(Enum)]
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

/// The user of a new device store.
#[uniffi::remote(Record)]
pub struct DeviceProfile {
    /// The person's display name.
    pub person: String,
    /// Their role.
    pub role: Role,
    /// Mahalla scopes they work in (names or keys; folded when stored).
    pub scopes: Vec<String>,
}

/// A change the hub refused, and why.
#[uniffi::remote(Record)]
pub struct Rejection {
    /// The bucket document.
    pub doc_id: String,
    /// The change (hex hash), when one change is meant.
    pub change: Option<String>,
    /// The record the refused change touched, when the refusal is about one record.
    pub record: Option<String>,
    /// What kind of refusal it is.
    pub kind: RejectionKind,
    /// The reason, in words.
    pub reason: String,
}

/// What kind of refusal a [`Rejection`] is.
#[uniffi::remote(Enum)]
pub enum RejectionKind {
    /// The change itself breaks a rule: the device keeps what it did aside, for the user to see.
    Refused,
    /// The change is fine but builds on a refused one: the device re-applies it as a new change.
    FollowsRefused,
    /// Another change has the same author and number (a cloned or restored install): the
    /// device takes a fresh actor id and re-applies its work under it.
    DuplicateActor,
}
