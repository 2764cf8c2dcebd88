//! The parent case as the practice works it: the checklist of indicators (observed, resolved),
//! the help given and its outcome, the children linked to the register, the outcome measures
//! of the assessment and the legal ground; the actions that record them; and the report's
//! outcomes per SARA stage.

use super::form::Choice;
use super::labels::{self, choice_label, invalid, parse_choice, parse_date_field, text};
use super::persons::DetailRow;
use super::report::{section, Cell, Period, ReportSection};
use super::ViewContext;
use crate::error::{Error, Result};
use crate::i18n::{self, Locale};
use crate::ids::{new_item_id, RecordId};
use crate::model::{
    AssistanceKind, CaseStatus, Child, HelpGiven, HelpOutcome, Indicator, IndicatorKind, LegalBasis, LegalGround, ParentCase, Person, RecordKind, SaraStage,
};
use crate::store::Store;
use crate::text::name_key;
use chrono::NaiveDate;

view_types! { $ case_practice_view_types;

    /// One indicator of the case's checklist.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CaseIndicatorRow {
        /// Item id inside the case (to resolve it).
        pub id: String,
        /// The indicator's label.
        pub label: String,
        /// "Observed 01.09.2025".
        pub observed_label: String,
        /// "Resolved 01.11.2025", or empty.
        pub resolved_label: String,
        /// Resolved.
        pub resolved: bool,
        /// What was seen.
        pub note: String,
    }

    /// Help given to the family.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CaseHelpRow {
        /// Item id inside the case (to record its outcome).
        pub id: String,
        /// Kind of help.
        pub kind_label: String,
        /// Date given.
        pub date_label: String,
        /// Who gave it.
        pub by: String,
        /// How it turned out.
        pub outcome_label: String,
        /// It did some good.
        pub helped: bool,
    }

    /// The case's practice: checklist, help, measures.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CasePractice {
        /// Indicators, unresolved first (earliest observed first).
        pub indicators: Vec<CaseIndicatorRow>,
        /// "Indicators resolved: 1 of 3".
        pub indicators_summary: String,
        /// Help given, latest first.
        pub help: Vec<CaseHelpRow>,
        /// Outcome measures of the assessment (label and value).
        pub measures: Vec<DetailRow>,
        /// Indicators to pick for a new entry.
        pub indicator_choices: Vec<Choice>,
        /// Kinds of help to pick.
        pub help_choices: Vec<Choice>,
        /// Outcomes to pick.
        pub outcome_choices: Vec<Choice>,
    }
}

pub(super) fn case_id(id: &str) -> Result<RecordId> {
    RecordId::parse(id).ok_or_else(|| Error::NotFound(id.to_string()))
}

/// The laws and resolutions to pick a legal ground from (the catalog's list).
pub fn legal_ground_choices(ctx: &ViewContext) -> Vec<Choice> {
    labels::choices(ctx.locale, "legal_ground", &LegalGround::ALL)
}

/// A legal basis in words: the acts' labels, then the details typed.
pub(crate) fn legal_basis_lines(locale: Locale, basis: &LegalBasis) -> Vec<String> {
    let mut lines = labels::labels_of(locale, "legal_ground", basis.grounds.iter());
    if !basis.details.trim().is_empty() {
        lines.push(basis.details.trim().to_string());
    }
    lines
}

/// What the case screen shows of the checklist, the help and the measures.
pub(crate) fn case_practice(locale: Locale, case: &ParentCase) -> CasePractice {
    let date = |d: Option<NaiveDate>| d.map(|d| labels::date(locale, d)).unwrap_or_default();
    let mut indicators: Vec<(&String, &Indicator)> = case.indicators.iter().collect();
    indicators.sort_by_key(|(id, i)| (i.is_resolved(), i.observed_on, *id));
    let mut help: Vec<(&String, &HelpGiven)> = case.help_given.iter().collect();
    help.sort_by_key(|(id, h)| (std::cmp::Reverse(h.given_on), *id));
    let (observed, resolved) = case.indicators_resolved();
    let measures = &case.sara.measures;
    let percent = |v: Option<u32>| v.map(|v| format!("{v} %")).unwrap_or_else(|| labels::or_dash(locale, ""));
    CasePractice {
        indicators: indicators
            .into_iter()
            .map(|(id, i)| CaseIndicatorRow {
                id: id.clone(),
                label: choice_label(locale, "indicator", &i.kind),
                observed_label: i18n::render(locale, "case.observed_on", &[("date", date(i.observed_on))]),
                resolved_label: i.resolved_on.map(|d| i18n::render(locale, "case.resolved_on", &[("date", labels::date(locale, d))])).unwrap_or_default(),
                resolved: i.is_resolved(),
                note: i.note.clone(),
            })
            .collect(),
        indicators_summary: i18n::render(locale, "case.indicators_resolved", &[("resolved", resolved.to_string()), ("observed", observed.to_string())]),
        help: help
            .into_iter()
            .map(|(id, h)| CaseHelpRow {
                id: id.clone(),
                kind_label: choice_label(locale, "assistance", &h.kind),
                date_label: date(h.given_on),
                by: h.by.clone(),
                outcome_label: choice_label(locale, "help_outcome", &h.outcome),
                helped: h.outcome.helped(),
            })
            .collect(),
        measures: vec![
            DetailRow { label: labels::field_label(locale, "attendance_before"), value: percent(measures.attendance_before) },
            DetailRow { label: labels::field_label(locale, "attendance_after"), value: percent(measures.attendance_after) },
            DetailRow { label: labels::field_label(locale, "assessed_on"), value: labels::or_dash(locale, &date(measures.assessed_on)) },
        ],
        indicator_choices: labels::choices(locale, "indicator", &IndicatorKind::ALL),
        help_choices: labels::choices(locale, "assistance", &AssistanceKind::ALL),
        outcome_choices: labels::choices(locale, "help_outcome", &HelpOutcome::ALL),
    }
}

/// Records the legal ground of a case: acts from [`legal_ground_choices`] (added to those
/// recorded) and the details in words (replacing them when not empty). "Other" needs details.
pub fn set_case_legal_basis(store: &mut Store, id: &str, grounds: &[String], details: &str) -> Result<()> {
    let rid = case_id(id)?;
    let grounds = grounds.iter().map(|g| parse_choice("legal_basis/grounds", g)).collect::<Result<Vec<LegalGround>>>()?;
    let details = details.trim().to_string();
    store
        .update::<ParentCase>(&rid, |case| {
            case.legal_basis.grounds.extend(grounds);
            if !details.is_empty() {
                case.legal_basis.details = details;
            }
        })
        .map(|_| ())
}

/// A date typed for `field`, or none when blank.
fn optional_date(field: &str, value: &str) -> Result<Option<NaiveDate>> {
    match value.trim() {
        "" => Ok(None),
        typed => parse_date_field(field, typed).map(Some),
    }
}

/// Adds an indicator to the case's checklist, observed on `observed_on` (`YYYY-MM-DD` or
/// `DD.MM.YYYY`), with what was seen. Returns its item id.
pub fn add_case_indicator(store: &mut Store, id: &str, kind: &str, observed_on: &str, note: &str) -> Result<String> {
    let rid = case_id(id)?;
    let indicator = Indicator {
        kind: parse_choice("kind", kind)?,
        observed_on: Some(parse_date_field("observed_on", observed_on)?),
        resolved_on: None,
        note: note.trim().to_string(),
    };
    let item = new_item_id();
    store.update::<ParentCase>(&rid, |case| {
        case.indicators.insert(item.clone(), indicator);
    })?;
    Ok(item)
}

/// Marks an indicator resolved on `resolved_on` (not before it was observed), or unresolved
/// again when `resolved_on` is blank.
pub fn resolve_case_indicator(store: &mut Store, id: &str, item: &str, resolved_on: &str) -> Result<()> {
    let rid = case_id(id)?;
    let resolved_on = optional_date("resolved_on", resolved_on)?;
    if !store.get::<ParentCase>(&rid)?.record.indicators.contains_key(item) {
        return Err(Error::NotFound(format!("{id}/{item}")));
    }
    store
        .update::<ParentCase>(&rid, |case| {
            if let Some(indicator) = case.indicators.get_mut(item) {
                indicator.resolved_on = resolved_on;
            }
        })
        .map(|_| ())
}

/// Records help given to the family (`psychological`, `legal`, `social`, `school_contact`, …)
/// on `given_on`, by whom. Its outcome starts as pending. Returns its item id.
pub fn add_case_help(store: &mut Store, id: &str, kind: &str, given_on: &str, by: &str, note: &str) -> Result<String> {
    let rid = case_id(id)?;
    let help = HelpGiven {
        kind: parse_choice("kind", kind)?,
        given_on: Some(parse_date_field("given_on", given_on)?),
        by: by.trim().to_string(),
        outcome: HelpOutcome::Pending,
        note: note.trim().to_string(),
    };
    let item = new_item_id();
    store.update::<ParentCase>(&rid, |case| {
        case.help_given.insert(item.clone(), help);
    })?;
    Ok(item)
}

/// Records how help turned out (`helped`, `partly_helped`, `no_effect`, `refused`, `pending`).
pub fn set_case_help_outcome(store: &mut Store, id: &str, item: &str, outcome: &str) -> Result<()> {
    let rid = case_id(id)?;
    let outcome: HelpOutcome = parse_choice("outcome", outcome)?;
    if !store.get::<ParentCase>(&rid)?.record.help_given.contains_key(item) {
        return Err(Error::NotFound(format!("{id}/{item}")));
    }
    store
        .update::<ParentCase>(&rid, |case| {
            if let Some(help) = case.help_given.get_mut(item) {
                help.outcome = outcome;
            }
        })
        .map(|_| ())
}

/// Links a child of the case to a person on the register: the child of the same name (in
/// either script) is linked, or the person is added as a child, with the birth date from the
/// register. Returns the child's item id.
pub fn link_case_child(store: &mut Store, id: &str, person_id: &str) -> Result<String> {
    let rid = case_id(id)?;
    let person = RecordId::parse(person_id)
        .and_then(|pid| store.get_raw(&pid).ok().filter(|raw| raw.kind == RecordKind::Person).map(|_| pid))
        .ok_or_else(|| invalid("children", "validation.unknown_person", person_id))?;
    let person: Person = store.get::<Person>(&person)?.record;
    let case = store.get::<ParentCase>(&rid)?.record;
    let keys = [name_key(&person.name_latn.full()), name_key(&person.name_cyrl.full())];
    let same_name = case.children.iter().find(|(_, c)| keys.contains(&name_key(&c.name))).map(|(item, _)| item.clone());
    let item = same_name.unwrap_or_else(new_item_id);
    store.update::<ParentCase>(&rid, |case| {
        let child = case.children.entry(item.clone()).or_insert_with(|| Child { name: person.display_name(), ..Default::default() });
        child.person_id = Some(person.id.clone());
        child.birth_date = child.birth_date.or(Some(person.birth_date));
    })?;
    Ok(item)
}

/// Records the outcome measures of the assessment: the children's school attendance (percent
/// of school days) before and after, and the day assessed (blank: unchanged).
pub fn set_case_measures(store: &mut Store, id: &str, attendance_before: Option<u32>, attendance_after: Option<u32>, assessed_on: &str) -> Result<()> {
    let rid = case_id(id)?;
    let assessed_on = optional_date("assessed_on", assessed_on)?;
    store
        .update::<ParentCase>(&rid, |case| {
            let measures = &mut case.sara.measures;
            measures.attendance_before = attendance_before.or(measures.attendance_before);
            measures.attendance_after = attendance_after.or(measures.attendance_after);
            measures.assessed_on = assessed_on.or(measures.assessed_on);
        })
        .map(|_| ())
}

/// The mean of some percentages, or an empty cell.
fn mean(values: impl Iterator<Item = u32>) -> Cell {
    let values: Vec<u32> = values.collect();
    if values.is_empty() {
        return Cell::Empty;
    }
    let sum: u32 = values.iter().sum();
    Cell::number((f64::from(sum) / values.len() as f64 * 10.0).round() / 10.0)
}

/// One row of outcomes: cases, indicators observed and resolved (and the share), help given
/// and the help that did good, the mean attendance before and after.
fn outcome_row(label: String, cases: &[&ParentCase]) -> Vec<Cell> {
    let (observed, resolved) = cases.iter().map(|c| c.indicators_resolved()).fold((0, 0), |(o, r), (co, cr)| (o + co, r + cr));
    let help: Vec<&HelpGiven> = cases.iter().flat_map(|c| c.help_given.values()).collect();
    vec![
        Cell::text(label),
        Cell::number(cases.len() as u32),
        Cell::number(observed as u32),
        Cell::number(resolved as u32),
        Cell::percent(resolved as u32, observed as u32),
        Cell::number(help.len() as u32),
        Cell::number(help.iter().filter(|h| h.outcome.helped()).count() as u32),
        mean(cases.iter().filter_map(|c| c.sara.measures.attendance_before)),
        mean(cases.iter().filter_map(|c| c.sara.measures.attendance_after)),
    ]
}

/// Parent cases opened in the period, their outcomes per SARA stage (open cases by their
/// current stage), then the closed ones and the total.
pub(crate) fn case_outcomes(ctx: &ViewContext, period: &Period, cases: &[ParentCase]) -> ReportSection {
    let opened: Vec<&ParentCase> = cases.iter().filter(|c| period.contains(c.opened_on)).collect();
    let of = |f: &dyn Fn(&ParentCase) -> bool| opened.iter().copied().filter(|c| f(c)).collect::<Vec<_>>();
    let mut rows: Vec<Vec<Cell>> = SaraStage::ALL
        .iter()
        .map(|stage| outcome_row(choice_label(ctx.locale, "stage", stage), &of(&|c| c.status == CaseStatus::Open && c.stage == *stage)))
        .collect();
    rows.push(outcome_row(choice_label(ctx.locale, "case_status", &CaseStatus::Closed), &of(&|c| c.status == CaseStatus::Closed)));
    rows.push(outcome_row(text(ctx.locale, "report.total"), &opened));
    section(
        ctx,
        "report.case_outcomes",
        &[
            "field.stage",
            "report.count",
            "report.indicators_observed",
            "report.indicators_resolved",
            "report.share_resolved",
            "report.help_given",
            "report.help_helped",
            "field.attendance_before",
            "field.attendance_after",
        ],
        rows,
    )
}
