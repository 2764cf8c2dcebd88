//! View-models for every screen, computed in Rust; shells only render them.
//!
//! Each screen has a function that reads the [`Store`] and returns a plain struct
//! made of strings, numbers, booleans, lists and simple enums, so the UniFFI bindings can mirror
//! it field by field. Every user-facing string in a view-model comes from the catalog
//! ([`crate::i18n`]) in the [`Locale`] of the [`ViewContext`]. User actions (save a form, tick a
//! task, resolve a conflict) are functions here too: shells forward events and render again.
//!
//! | screen | view-model | actions |
//! |---|---|---|
//! | tabs, menu and new-record actions of the user's role | [`navigation()`] | |
//! | worklist | [`worklist()`] | [`complete_work_item`], [`reminders`] |
//! | persons | [`person_list`], [`person_detail`] | |
//! | duplicates | [`duplicate_list`] | [`merge_persons`], [`unmerge_person`] |
//! | forms of every record kind ([`FormKind`]) | [`form()`], [`person_form`], [`conversation_form`] | [`submit_form`] |
//! | parent cases | [`parent_case_list`] (filtered by stage and mahalla; the user's own tasks per case) | |
//! | parent case | [`parent_case`], [`legal_ground_choices`] | [`open_case`], [`set_case_stage`], [`add_case_task`], [`set_case_task_done`], [`set_case_text`], [`set_case_legal_basis`], [`add_case_indicator`], [`resolve_case_indicator`], [`add_case_help`], [`set_case_help_outcome`], [`link_case_child`], [`set_case_measures`] |
//! | conflicts | [`conflict_list`] | [`resolve_conflict`] |
//! | a record's history | [`record_history`], [`record_as_of`] | [`restore_field`] |
//! | lists and reports as of a past time | [`as_of()`] (a read-only store every list and report view reads), [`as_of_header`] | |
//! | effectiveness | [`effectiveness()`] | [`record_follow_up`] |
//! | district report | [`district_report`] | |
//! | risk weights | [`risk_weights`] | [`set_risk_weight`] |
//! | rising incidents | [`incident_trends`] | |
//! | sync | [`sync_status`] (of a [`SyncState`]) | [`SyncState::start`], [`SyncState::finish`], [`SyncState::report`], … |
//! | cooperation requests | [`referral_list`], [`referral_detail`] | [`send_referral`], [`advance_referral`] |
//! | applications registry | [`registry_book`], [`alphabetical_book`], [`overdue_applications`] | [`register_application`], [`decide_application`] |
//! | joint events | [`event_list`] | [`add_event`], [`record_attendance`] |
//! | joint programmes | [`programme_list`], [`programme_report`] | [`add_programme`], [`add_programme_family`], [`add_programme_session`], [`record_programme_attendance`] |
//! | training | [`training_list`], [`person_training`] | [`add_training`], [`record_training_attendance`] |

#[macro_use]
mod shape;

mod as_of;
mod case_list;
mod case_practice;
mod conflicts;
mod district;
mod district_glance;
mod district_records;
mod duplicates;
mod effectiveness;
mod events;
mod exchange;
mod files;
mod form;
mod form_defs;
mod form_defs_work;
mod forms;
mod history;
mod kept_aside;
mod labels;
mod location;
mod navigation;
mod parent_case;
mod persons;
mod programme;
mod referrals;
mod registry;
mod report;
mod risk;
mod shares;
mod summary_code;
mod sync_state;
mod sync_status;
mod training;
mod trends;
mod worklist;
mod worklist_more;

#[cfg(test)]
mod case_practice_tests;
#[cfg(test)]
mod district_glance_tests;
#[cfg(test)]
mod form_kinds_tests;
#[cfg(test)]
mod form_tests;
#[cfg(test)]
mod practice_tests;
#[cfg(test)]
mod programme_tests;
#[cfg(test)]
mod report_tests;
#[cfg(test)]
mod shares_tests;
#[cfg(test)]
mod tests;

pub use as_of::{as_of, as_of_header, AsOfHeader, AsOfStore};
pub use case_list::{parent_case_list, ParentCaseList, ParentCaseRow, StageChoice};
pub use case_practice::{
    add_case_help, add_case_indicator, legal_ground_choices, link_case_child, resolve_case_indicator, set_case_help_outcome, set_case_legal_basis,
    set_case_measures, CaseHelpRow, CaseIndicatorRow, CasePractice,
};
pub use conflicts::{conflict_list, resolve_conflict, ConflictList, ConflictOption, ConflictRow};
pub use district::district_report;
pub use district_glance::{district_glance, DistrictGlance, FigureLink, GLANCE_TREND_MONTHS};
pub use district_records::{district_records, DistrictRecord, DistrictRecords};
pub use duplicates::{duplicate_list, merge_persons, unmerge_person, DuplicateList, DuplicatePerson, DuplicateRow};
pub use effectiveness::{effectiveness, new_reoffences, record_follow_up, Effectiveness, EffectivenessRow};
pub use events::{add_event, event_kind_choices, event_list, record_attendance, EventList, EventRow, NewEvent, NewOrganiser};
pub use exchange::{exchange, exchange_report, report_periods, Exchange, ExchangeReport, ReportPeriod, BUNDLE_MEDIA_TYPE};
pub use files::{default_attachment_kind, record_files, FileList, FileRow};
pub use form::{Choice, FieldInput, FieldKind, Form, FormField, FormItem, FormKind, FormResult};
pub use forms::{check_references, conversation_form, form, form_at, link_choices, person_form, submit_form};
pub use history::{record_as_of, record_history, restore_field, HistoryEntry, HistoryPassage, RecordAsOf, RecordHistoryView};
pub use kept_aside::{discard_kept_aside, kept_aside_list, KeptAsideList, KeptAsideRow};
pub use labels::{choice_label, choice_value, parse_choice, risk_weight, scope_name};
pub use location::{visit_location, LocationFix, MAX_FIX_ACCURACY_METRES, MAX_FIX_AGE_SECONDS};
pub use navigation::{navigation, Navigation, NewRecordAction, Screen, Tab};
pub use parent_case::{add_case_task, open_case, parent_case, set_case_stage, set_case_task_done, set_case_text, CaseTask, ParentCaseView, StageView};
pub use persons::{person_detail, person_list, CaseLink, DetailRow, DetailSection, HistoryRow, MergedPerson, PersonDetail, PersonList, PersonRow};
pub use programme::{
    add_programme, add_programme_family, add_programme_session, organiser_kind_choices, programme_list, programme_report, record_programme_attendance,
    NewProgramme, NewProgrammeOrganiser, ProgrammeList, ProgrammeRow,
};
pub use referrals::{
    addressee_choices, advance_referral, category_choices, escalate_referral, priority_choices, referral_detail, referral_list, send_referral, NewReferral,
    ReferralAction, ReferralDetail, ReferralList, ReferralRow, ReferralStep,
};
pub use registry::{
    alphabetical_book, applicant_kind_choices, book_choices, book_picker, decide_application, decision_choices, overdue_applications, register_application,
    registry_book, AlphabetGroup, AlphabeticalBook, BookChoice, NewApplication, RegistryBook, RegistryRow,
};
pub use report::{csv_line, Cell, Period, Report, ReportSection};
pub use risk::{risk_weights, set_risk_weight, RiskWeightRow, RiskWeights, Weights, MAX_RISK_WEIGHT, RISK_WEIGHTS_SETTING};
pub use summary_code::{summary_code, summary_from_code, SummaryCode, SUMMARY_SCHEME};
pub use sync_state::SyncState;
pub use sync_status::{last_sync, record_sync, sync_status, SyncPhase, SyncProgress, SyncStatus};
pub use training::{
    add_training, person_training, record_training_attendance, training_list, training_topic_choices, NewTrainee, NewTraining, PersonTraining,
    PersonTrainingRow, TrainingList, TrainingRow,
};
pub use trends::{incident_trends, IncidentTrends, TrendRow, MAX_TREND_MONTHS, MIN_TREND_MONTHS};
pub use worklist::{complete_work_item, reminders, worklist, Reminder, Urgency, WorkItem, WorkKind, Worklist};

use crate::i18n::Locale;
#[cfg(test)]
use crate::store::Store;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

/// What every view needs besides the store: the language and the device's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ViewContext {
    /// Language of every string in the view-model.
    pub locale: Locale,
    /// The current time.
    pub now: DateTime<Utc>,
    /// The device's offset from UTC in minutes (Uzbekistan: +300), for showing local times.
    pub utc_offset_minutes: i32,
}

impl ViewContext {
    /// A context at the current time in UTC+5 (Uzbekistan time).
    pub fn new(locale: Locale) -> Self {
        ViewContext { locale, now: Utc::now(), utc_offset_minutes: 300 }
    }

    /// The same context at another time.
    pub fn at(self, now: DateTime<Utc>) -> Self {
        ViewContext { now, ..self }
    }

    /// Local wall-clock time of a UTC instant.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.naive_utc() + Duration::minutes(i64::from(self.utc_offset_minutes))
    }

    /// The UTC instant of a local wall-clock time.
    pub fn utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        (local - Duration::minutes(i64::from(self.utc_offset_minutes))).and_utc()
    }

    /// Today's local date.
    pub fn today(&self) -> NaiveDate {
        self.local(self.now).date()
    }
}
