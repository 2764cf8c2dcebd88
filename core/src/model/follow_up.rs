//! Effectiveness follow-ups: one, three and six months after a conversation the inspector
//! checks the indicators — behaviour change, re-offence, social activity, legal knowledge.
//!
//! The three follow-ups are created with the conversation (as entries of a map keyed by the
//! milestone), so two people filling in the same follow-up edit the same fields and merge
//! field by field instead of creating two follow-ups.

use super::Rules;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// When a follow-up is due, counted from the conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Milestone {
    /// One month after.
    #[serde(rename = "m1")]
    OneMonth,
    /// Three months after.
    #[serde(rename = "m3")]
    ThreeMonths,
    /// Six months after.
    #[serde(rename = "m6")]
    SixMonths,
}

impl Milestone {
    /// All milestones, in order.
    pub const ALL: [Milestone; 3] = [Milestone::OneMonth, Milestone::ThreeMonths, Milestone::SixMonths];

    /// Stable key (`m1`, `m3`, `m6`) used in the conversation's `follow_ups` map.
    pub fn key(self) -> &'static str {
        match self {
            Milestone::OneMonth => "m1",
            Milestone::ThreeMonths => "m3",
            Milestone::SixMonths => "m6",
        }
    }

    /// Parses the key (`m1`, `1`, …).
    pub fn parse(text: &str) -> Option<Milestone> {
        Milestone::ALL.into_iter().find(|m| m.key() == text || m.key()[1..] == *text)
    }

    /// Months after the conversation.
    pub fn months(self) -> u32 {
        match self {
            Milestone::OneMonth => 1,
            Milestone::ThreeMonths => 3,
            Milestone::SixMonths => 6,
        }
    }

    /// The due date for a conversation held on `held_on`.
    pub fn due_after(self, held_on: NaiveDate) -> NaiveDate {
        held_on.checked_add_months(Months::new(self.months())).unwrap_or(held_on)
    }
}

/// How the person's behaviour changed since the conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BehaviourChange {
    /// Better.
    Improved,
    /// No visible change.
    Unchanged,
    /// Worse.
    Worsened,
}

impl BehaviourChange {
    /// All values, in display order.
    pub const ALL: [BehaviourChange; 3] = [BehaviourChange::Improved, BehaviourChange::Unchanged, BehaviourChange::Worsened];
}

/// What the person is busy with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SocialActivity {
    /// Studies (school, college, courses).
    Study,
    /// Works.
    Work,
    /// Attends a club or sports section.
    Club,
    /// Volunteers in the mahalla.
    Volunteering,
}

impl SocialActivity {
    /// All activities, in display order.
    pub const ALL: [SocialActivity; 4] = [SocialActivity::Study, SocialActivity::Work, SocialActivity::Club, SocialActivity::Volunteering];
}

/// How well the person knows the legal consequences explained to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalKnowledge {
    /// Could not explain them.
    Low,
    /// Partly.
    Partial,
    /// Explains them well.
    Good,
}

impl LegalKnowledge {
    /// All values, in display order.
    pub const ALL: [LegalKnowledge; 3] = [LegalKnowledge::Low, LegalKnowledge::Partial, LegalKnowledge::Good];
}

/// One follow-up of a conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowUp {
    /// Due date.
    pub due: NaiveDate,
    /// When it was done (none while open).
    pub done_on: Option<NaiveDate>,
    /// Who did it.
    pub by: String,
    /// Behaviour change.
    pub behaviour: Option<BehaviourChange>,
    /// Whether the person offended again since the conversation.
    pub reoffended: bool,
    /// How many new offences.
    pub reoffences: u32,
    /// What the person is busy with.
    #[serde(with = "super::set_map")]
    pub activities: BTreeSet<SocialActivity>,
    /// Legal knowledge.
    pub legal_knowledge: Option<LegalKnowledge>,
    /// Remarks.
    pub note: String,
}

impl FollowUp {
    /// True once done.
    pub fn is_done(&self) -> bool {
        self.done_on.is_some()
    }

    pub(crate) fn check(&self, rules: &mut Rules, prefix: &str, held_on: NaiveDate, today: NaiveDate) {
        if let Some(done) = &self.done_on {
            rules.not_in_future(format!("{prefix}/done_on"), done, &today);
            rules.not_before(format!("{prefix}/done_on"), done, "started_at", &held_on);
            if self.behaviour.is_none() {
                rules.required(format!("{prefix}/behaviour"), "");
            }
            if self.legal_knowledge.is_none() {
                rules.required(format!("{prefix}/legal_knowledge"), "");
            }
        }
        if self.reoffences > 0 && !self.reoffended {
            rules.fail(format!("{prefix}/reoffences"), "follow_up.reoffences_without_reoffence", vec![]);
        }
        if self.reoffences > 1_000 {
            rules.fail(format!("{prefix}/reoffences"), "validation.out_of_range", vec![("min", "0".into()), ("max", "1000".into())]);
        }
        rules.max_len(format!("{prefix}/note"), &self.note, 5_000);
    }
}
