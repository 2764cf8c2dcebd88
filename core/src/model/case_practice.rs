//! What a parent case records as the practice works it: a checklist of indicators of neglect,
//! each with the day it was observed and the day it was resolved; the help given and its
//! outcome; and the outcome measures of the SARA assessment (school attendance before and
//! after). Lists are maps keyed by item id, so entries added on two phones merge.

use super::{ParentCase, Rules};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An indicator that parents neglect their children's upbringing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// The child misses school.
    #[default]
    Truancy,
    /// The child is neglected (food, clothes, health, hygiene).
    Neglect,
    /// The child is out late or unsupervised.
    OutLateUnsupervised,
    /// The parents have no contact with the school.
    NoContactWithSchool,
    /// Alcohol abuse at home.
    AlcoholAtHome,
    /// Violence at home.
    ViolenceAtHome,
    /// The child works (instead of school, or in harmful work).
    ChildWorking,
    /// The child begs or wanders.
    Begging,
    /// Something else, in the note.
    Other,
}

impl IndicatorKind {
    /// All indicators, in checklist order.
    pub const ALL: [IndicatorKind; 9] = [
        IndicatorKind::Truancy,
        IndicatorKind::Neglect,
        IndicatorKind::OutLateUnsupervised,
        IndicatorKind::NoContactWithSchool,
        IndicatorKind::AlcoholAtHome,
        IndicatorKind::ViolenceAtHome,
        IndicatorKind::ChildWorking,
        IndicatorKind::Begging,
        IndicatorKind::Other,
    ];
}

/// One indicator observed in the family.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Indicator {
    /// Which indicator.
    pub kind: IndicatorKind,
    /// The day it was observed.
    pub observed_on: Option<NaiveDate>,
    /// The day it was found resolved, if it is.
    pub resolved_on: Option<NaiveDate>,
    /// What was seen.
    pub note: String,
}

impl Indicator {
    /// Whether it is resolved.
    pub fn is_resolved(&self) -> bool {
        self.resolved_on.is_some()
    }
}

/// How help given turned out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpOutcome {
    /// Not known yet.
    #[default]
    Pending,
    /// It helped.
    Helped,
    /// It helped in part.
    PartlyHelped,
    /// It did not help.
    NoEffect,
    /// The family refused it.
    Refused,
}

impl HelpOutcome {
    /// All outcomes, in display order.
    pub const ALL: [HelpOutcome; 5] = [HelpOutcome::Pending, HelpOutcome::Helped, HelpOutcome::PartlyHelped, HelpOutcome::NoEffect, HelpOutcome::Refused];

    /// Whether the help did some good.
    pub fn helped(self) -> bool {
        matches!(self, HelpOutcome::Helped | HelpOutcome::PartlyHelped)
    }
}

/// Help given to the family.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HelpGiven {
    /// What kind of help.
    pub kind: super::AssistanceKind,
    /// The day it was given.
    pub given_on: Option<NaiveDate>,
    /// Who gave it (a member of the seven, a psychologist, a school).
    pub by: String,
    /// How it turned out.
    pub outcome: HelpOutcome,
    /// Details.
    pub note: String,
}

/// The outcome measures of the SARA assessment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OutcomeMeasures {
    /// The children's school attendance, in percent of school days, when the case opened.
    pub attendance_before: Option<u32>,
    /// Their school attendance at the assessment.
    pub attendance_after: Option<u32>,
    /// The day the outcome was assessed.
    pub assessed_on: Option<NaiveDate>,
}

impl ParentCase {
    /// How many indicators were observed and how many of them are resolved.
    pub fn indicators_resolved(&self) -> (usize, usize) {
        (self.indicators.len(), self.indicators.values().filter(|i| i.is_resolved()).count())
    }

    /// The rules on the checklist, the help and the measures that need no clock: a day resolved
    /// is not before the day observed, attendance is a percentage, an indicator has its day,
    /// "other" is described, help has its kind's day.
    pub(crate) fn check_practice(&self, rules: &mut Rules, today: Option<NaiveDate>) {
        for (item, indicator) in &self.indicators {
            let prefix = format!("indicators/{item}");
            match indicator.observed_on {
                None => rules.fail(format!("{prefix}/observed_on"), "validation.required", vec![]),
                Some(observed) => {
                    if let Some(resolved) = &indicator.resolved_on {
                        rules.not_before(format!("{prefix}/resolved_on"), resolved, "observed_on", &observed);
                    }
                    if let Some(today) = &today {
                        rules.not_in_future(format!("{prefix}/observed_on"), &observed, today);
                    }
                }
            }
            if let (Some(resolved), Some(today)) = (&indicator.resolved_on, &today) {
                rules.not_in_future(format!("{prefix}/resolved_on"), resolved, today);
            }
            if indicator.kind == IndicatorKind::Other {
                rules.required(format!("{prefix}/note"), &indicator.note);
            }
            rules.max_len(format!("{prefix}/note"), &indicator.note, 2_000);
        }
        for (item, help) in &self.help_given {
            let prefix = format!("help_given/{item}");
            match (&help.given_on, &today) {
                (None, _) => rules.fail(format!("{prefix}/given_on"), "validation.required", vec![]),
                (Some(given), Some(today)) => rules.not_in_future(format!("{prefix}/given_on"), given, today),
                _ => {}
            }
            rules.max_len(format!("{prefix}/by"), &help.by, 300);
            rules.max_len(format!("{prefix}/note"), &help.note, 2_000);
        }
        let measures = &self.sara.measures;
        for (name, value) in [("attendance_before", measures.attendance_before), ("attendance_after", measures.attendance_after)] {
            if value.is_some_and(|v| v > 100) {
                rules.fail(format!("sara/measures/{name}"), "validation.out_of_range", vec![("min", "0".into()), ("max", "100".into())]);
            }
        }
        if let (Some(assessed), Some(today)) = (&measures.assessed_on, &today) {
            rules.not_in_future("sara/measures/assessed_on", assessed, today);
        }
    }
}
