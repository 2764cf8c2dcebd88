//! A parent case: parents or guardians who neglect their children's upbringing, worked with the
//! mahalla "seven" through the SARA stages.

use super::stage::{move_params, stage_move_rule};
use super::{
    latest_local_date, set_map, Audience, HelpGiven, IndexFields, Indicator, LegalBasis, OutcomeMeasures, Record, RecordKind, Rules, SaraStage, StageChange,
    ValidationErrors,
};
use crate::ids::{new_item_id, RecordId};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Member roles of the mahalla seven.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SevenRole {
    /// Mahalla chairman.
    #[default]
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

impl SevenRole {
    /// Every role, in display order.
    pub const ALL: [SevenRole; 7] = [
        SevenRole::Chairman,
        SevenRole::WomensActivist,
        SevenRole::YouthLeader,
        SevenRole::SocialWorker,
        SevenRole::Inspector,
        SevenRole::TaxInspector,
        SevenRole::HokimAssistant,
    ];
}

/// Kinds of help in the response plan and given to the family.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssistanceKind {
    /// Psychological help.
    #[default]
    Psychological,
    /// Legal help (a legal consultation).
    Legal,
    /// Social help (benefits, employment).
    Social,
    /// Medical help.
    Medical,
    /// Education (school return, courses).
    Educational,
    /// Contact with the school (teacher, class head, school psychologist).
    SchoolContact,
}

impl AssistanceKind {
    /// All kinds, in display order.
    pub const ALL: [AssistanceKind; 6] = [
        AssistanceKind::Psychological,
        AssistanceKind::Legal,
        AssistanceKind::Social,
        AssistanceKind::SchoolContact,
        AssistanceKind::Medical,
        AssistanceKind::Educational,
    ];
}

/// Whether the case is being worked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Being worked.
    #[default]
    Open,
    /// Closed with an outcome.
    Closed,
}

impl CaseStatus {
    /// Both statuses.
    pub const ALL: [CaseStatus; 2] = [CaseStatus::Open, CaseStatus::Closed];
}

/// A parent or guardian.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Guardian {
    /// Register record, when the guardian is registered.
    pub person_id: Option<RecordId>,
    /// Full name.
    pub name: String,
    /// Relation to the children ("mother", "grandfather", …).
    pub relation: String,
}

/// A child of the family.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Child {
    /// Register record, when the child is a person on the register.
    pub person_id: Option<RecordId>,
    /// Full name.
    pub name: String,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// School and class.
    pub school: String,
    /// The child's situation in words.
    pub situation: String,
}

/// The response plan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponsePlan {
    /// The plan in words (collaborative text).
    pub plan: String,
    /// Kinds of help to give.
    #[serde(with = "set_map")]
    pub assistance: BTreeSet<AssistanceKind>,
}

/// What was written at each SARA stage.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SaraContent {
    /// Scanning findings.
    pub scanning: String,
    /// Analysis of causes.
    pub analysis: String,
    /// Response plan.
    pub response: ResponsePlan,
    /// Assessment of the outcome.
    pub assessment: String,
    /// Outcome measures of the assessment.
    pub measures: OutcomeMeasures,
}

/// A task given to a member of the mahalla seven.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SevenTask {
    /// Member role responsible.
    pub role: SevenRole,
    /// The member of the seven it is given to, by name as her device profile names her (empty:
    /// the role's member, whoever that is). Tasks stored before this field load with it empty.
    pub assignee: String,
    /// What to do.
    pub task: String,
    /// By when.
    pub due: Option<NaiveDate>,
    /// Done.
    pub done: bool,
}

/// A parent case.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ParentCase {
    /// Record id.
    pub id: RecordId,
    /// Mahalla (the record's scope).
    pub mahalla: String,
    /// Parents or guardians, keyed by item id.
    pub guardians: BTreeMap<String, Guardian>,
    /// Children, keyed by item id.
    pub children: BTreeMap<String, Child>,
    /// The concern that opened the case (collaborative text).
    pub concern: String,
    /// Current SARA stage.
    pub stage: SaraStage,
    /// Every move between stages, keyed by item id (never rewritten).
    pub stage_changes: BTreeMap<String, StageChange>,
    /// Content per stage.
    pub sara: SaraContent,
    /// Tasks of the mahalla seven, keyed by item id.
    pub tasks: BTreeMap<String, SevenTask>,
    /// Open or closed.
    pub status: CaseStatus,
    /// Outcome written when closing.
    pub outcome: String,
    /// Date opened.
    pub opened_on: NaiveDate,
    /// Responsible inspector.
    pub inspector: String,
    /// Free-text notes (collaborative text).
    pub notes: String,
    /// The legal ground the case is worked on.
    pub legal_basis: LegalBasis,
    /// The checklist of indicators observed, keyed by item id.
    pub indicators: BTreeMap<String, Indicator>,
    /// Help given to the family and its outcome, keyed by item id.
    pub help_given: BTreeMap<String, HelpGiven>,
    /// Files attached to it (photos, audio notes, signatures, PDFs), by content hash.
    pub attachments: super::Attachments,
}

impl ParentCase {
    /// Open tasks, earliest due first.
    pub fn open_tasks(&self) -> Vec<(&String, &SevenTask)> {
        let mut tasks: Vec<_> = self.tasks.iter().filter(|(_, t)| !t.done).collect();
        tasks.sort_by_key(|(_, t)| t.due);
        tasks
    }

    /// Moves the case to stage `to`, recording who moved it, when and why. Refuses, with a
    /// translatable message, a skipped stage, a move back without a reason and any change to a
    /// closed case. Moving to the current stage changes nothing.
    pub fn move_to_stage(&mut self, to: SaraStage, reason: &str, by: &str, at: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let mut rules = Rules::default();
        if self.status == CaseStatus::Closed {
            rules.fail("status", "validation.case_closed", vec![]);
        } else if let Some(rule) = stage_move_rule(self.stage, to, reason) {
            rules.fail("stage", rule, move_params(self.stage, to));
        }
        rules.finish()?;
        if to != self.stage {
            let change = StageChange { from: self.stage, to, reason: reason.trim().to_string(), by: by.to_string(), at };
            self.stage_changes.insert(new_item_id(), change);
            self.stage = to;
        }
        Ok(())
    }
}

/// The rules on changing a stored case into `new`: a closed case is final; recorded stage moves
/// stay as they were; a change of stage is one recorded, allowed move.
fn check_case_transition(old: &ParentCase, new: &ParentCase) -> Result<(), ValidationErrors> {
    let mut rules = Rules::default();
    if old.status == CaseStatus::Closed {
        if old != new {
            rules.fail("status", "validation.case_closed", vec![]);
        }
        return rules.finish();
    }
    for (item, change) in &old.stage_changes {
        if new.stage_changes.get(item) != Some(change) {
            rules.fail(format!("stage_changes/{item}"), "validation.stage_history_fixed", vec![]);
        }
    }
    if new.stage != old.stage {
        let recorded =
            new.stage_changes.iter().find(|(item, c)| !old.stage_changes.contains_key(*item) && c.from == old.stage && c.to == new.stage).map(|(_, c)| c);
        let reason = recorded.map_or("", |c| c.reason.as_str());
        if let Some(rule) = stage_move_rule(old.stage, new.stage, reason) {
            rules.fail("stage", rule, move_params(old.stage, new.stage));
        } else if recorded.is_none() {
            rules.fail("stage", "validation.stage_unrecorded", move_params(old.stage, new.stage));
        }
    }
    rules.finish()
}

impl Record for ParentCase {
    const KIND: RecordKind = RecordKind::ParentCase;
    const TEXT_FIELDS: &'static [&'static str] = &["concern", "notes", "sara/scanning", "sara/analysis", "sara/response/plan", "sara/assessment"];

    fn id(&self) -> &RecordId {
        &self.id
    }

    fn validate(&self, now: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let mut rules = Rules::default();
        let today = latest_local_date(now);
        rules.required("mahalla", &self.mahalla);
        if self.guardians.is_empty() {
            rules.fail("guardians", "validation.at_least_one", vec![]);
        }
        for (item, guardian) in &self.guardians {
            rules.required(format!("guardians/{item}/name"), &guardian.name);
        }
        for (item, child) in &self.children {
            rules.required(format!("children/{item}/name"), &child.name);
            if let Some(birth) = &child.birth_date {
                rules.not_in_future(format!("children/{item}/birth_date"), birth, &today);
            }
        }
        rules.required("concern", &self.concern);
        self.legal_basis.check(&mut rules, "legal_basis");
        self.check_practice(&mut rules, Some(today));
        rules.not_in_future("opened_on", &self.opened_on, &today);
        for (item, task) in &self.tasks {
            rules.required(format!("tasks/{item}/task"), &task.task);
            rules.max_len(format!("tasks/{item}/assignee"), &task.assignee, 200);
            if let Some(due) = &task.due {
                rules.not_before(format!("tasks/{item}/due"), due, "opened_on", &self.opened_on);
            }
        }
        if self.status == CaseStatus::Closed && self.outcome.trim().is_empty() {
            rules.fail("outcome", "validation.outcome_required", vec![]);
        }
        for (item, change) in &self.stage_changes {
            rules.max_len(format!("stage_changes/{item}/reason"), &change.reason, 5_000);
        }
        rules.finish()
    }

    fn check_transition(old: &Self, new: &Self) -> Result<(), ValidationErrors> {
        check_case_transition(old, new)
    }

    fn mahalla(&self) -> &str {
        &self.mahalla
    }

    fn audience(&self) -> Audience {
        Audience::CaseTeam
    }

    fn period_year(&self) -> i32 {
        self.opened_on.year()
    }

    fn index_fields(&self) -> IndexFields {
        let names: Vec<&str> = self.guardians.values().map(|g| g.name.as_str()).collect();
        let children: Vec<&str> = self.children.values().map(|c| c.name.as_str()).collect();
        IndexFields {
            title: names.join(", "),
            search_text: format!("{} {} {}", names.join(" "), children.join(" "), self.mahalla),
            birth_year: None,
            due_on: self.open_tasks().into_iter().filter_map(|(_, t)| t.due).min(),
            status: match self.status {
                CaseStatus::Open => self.stage.as_str().into(),
                CaseStatus::Closed => "closed".into(),
            },
            links: self.guardians.values().filter_map(|g| g.person_id.clone()).chain(self.children.values().filter_map(|c| c.person_id.clone())).collect(),
        }
    }
}
