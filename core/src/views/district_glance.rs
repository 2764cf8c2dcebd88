//! The district at a glance (the base-point console's district page): the district report
//! ([`district_report`]) and three more tables — rising-incident mahallas (the trends of
//! [`super::trends`]), open conflicts waiting for a decision per mahalla (the
//! [`conflict_list`]) and overdue visits per inspector (the worklist's follow-up visits) — with,
//! for each figure that counts records, the key of the list of those records
//! ([`district_records`](super::district_records::district_records)).
//!
//! A key is `kind:row`: `cases:analysis`, `requests:police`, `overdue-applications:form1`,
//! `overdue-follow-ups:<inspector>`, `mahalla-follow-ups:<mahalla>`,
//! `milestone-overdue-follow-ups:m3`, `visits:<inspector>`, `incidents:<mahalla>`,
//! `conflicts:<mahalla>`; the row `*` is the total.

use super::conflicts::conflict_list;
use super::district::district_report;
use super::labels::{choice_label, in_script, text};
use super::report::{mahalla_name, Cell, Report, ReportSection};
use super::trends::trend_rows;
use super::worklist::overdue_visits;
use super::ViewContext;
use crate::device::Role;
use crate::doc::scope_key;
use crate::error::Result;
use crate::ids::RecordId;
use crate::model::{Book, Conversation, Milestone};
use crate::store::Store;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Months the rising-incidents table looks back over.
pub const GLANCE_TREND_MONTHS: u32 = 12;
/// The row key of a table's total.
pub(super) const TOTAL_ROW: &str = "*";
/// The inspector key of conversations that name none.
pub(super) const NO_INSPECTOR: &str = "";

/// A figure of the glance that opens the list of the records it counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FigureLink {
    /// The section (index in the report's sections).
    pub section: usize,
    /// The row in the section.
    pub row: usize,
    /// The column in the row.
    pub column: usize,
    /// The key of the records' list.
    pub key: String,
}

/// The district at a glance: the report and the figures that open their records.
#[derive(Clone, Debug, PartialEq)]
pub struct DistrictGlance {
    /// The district report with the glance's own tables after it.
    pub report: Report,
    /// The figures that open a list of records.
    pub links: Vec<FigureLink>,
}

/// Whether a record of `mahalla` (a name or a scope) is within `shown` (one mahalla, or all).
pub(super) fn within(shown: Option<&str>, mahalla: &str) -> bool {
    shown.is_none_or(|m| scope_key(m) == scope_key(mahalla))
}

/// The inspector a conversation counts under (trimmed; [`NO_INSPECTOR`] when it names none).
pub(super) fn inspector_of(talk: &Conversation) -> String {
    talk.inspector.trim().to_string()
}

/// An inspector's name for display.
pub(super) fn inspector_label(ctx: &ViewContext, inspector: &str) -> String {
    if inspector == NO_INSPECTOR {
        text(ctx.locale, "effectiveness.no_inspector")
    } else {
        in_script(ctx.locale, inspector)
    }
}

/// Rising-incident mahallas over the last [`GLANCE_TREND_MONTHS`] months, with their scopes.
fn rising(store: &mut Store, ctx: &ViewContext, mahalla: Option<&str>) -> Result<(ReportSection, Vec<String>)> {
    let locale = ctx.locale;
    let rows: Vec<_> = trend_rows(store, ctx, GLANCE_TREND_MONTHS)?.rows.into_iter().filter(|(scope, row)| row.rising && within(mahalla, scope)).collect();
    let columns = ["field.mahalla", "report.total", "trends.last_three", "trends.previous_three", "trends.slope", "trends.reason"];
    let section = ReportSection {
        title: text(locale, "district.rising"),
        columns: columns.iter().map(|k| text(locale, k)).collect(),
        rows: rows
            .iter()
            .map(|(_, r)| {
                let numbers = [r.total, r.last_three, r.previous_three].map(Cell::number);
                let mut cells = vec![Cell::text(r.mahalla.clone())];
                cells.extend(numbers);
                cells.extend([Cell::text(r.slope.clone()), Cell::text(r.reason.clone())]);
                cells
            })
            .collect(),
    };
    Ok((section, rows.into_iter().map(|(scope, _)| scope).collect()))
}

/// A table of counts per key (named by `name`, in name order) with a total row.
fn counts(
    ctx: &ViewContext,
    title_key: &str,
    columns: [&str; 2],
    per_key: BTreeMap<String, u32>,
    name: impl Fn(&str) -> String,
) -> (ReportSection, Vec<String>) {
    let mut named: Vec<(String, String, u32)> = per_key.into_iter().map(|(key, n)| (name(&key), key, n)).collect();
    named.sort();
    let total: u32 = named.iter().map(|(_, _, n)| n).sum();
    let mut rows: Vec<Vec<Cell>> = named.iter().map(|(label, _, n)| vec![Cell::text(label.clone()), Cell::number(*n)]).collect();
    rows.push(vec![Cell::text(text(ctx.locale, "report.total")), Cell::number(total)]);
    let mut keys: Vec<String> = named.into_iter().map(|(_, key, _)| key).collect();
    keys.push(TOTAL_ROW.into());
    (ReportSection { title: text(ctx.locale, title_key), columns: columns.iter().map(|k| text(ctx.locale, k)).collect(), rows }, keys)
}

/// Open conflicts per mahalla of the records they are in.
pub(super) fn conflicts_by_mahalla(store: &mut Store, ctx: &ViewContext, mahalla: Option<&str>) -> Result<Vec<(String, super::ConflictRow)>> {
    let mut out = Vec::new();
    for row in conflict_list(store, ctx)?.rows {
        let scope = store.record_scope(&row.record_id)?.unwrap_or_default();
        if within(mahalla, &scope) {
            out.push((scope, row));
        }
    }
    Ok(out)
}

/// The overdue visits of conversations held in `mahalla` (all when none), with the inspector
/// of each.
pub(super) fn visits_by_inspector(store: &mut Store, ctx: &ViewContext, mahalla: Option<&str>) -> Result<Vec<(String, super::WorkItem)>> {
    let mut out = Vec::new();
    for item in overdue_visits(store, ctx)? {
        let Some(id) = RecordId::parse(&item.record_id) else { continue };
        let talk = store.get::<Conversation>(&id)?.record;
        if within(mahalla, &talk.mahalla) {
            out.push((inspector_of(&talk), item));
        }
    }
    Ok(out)
}

/// The key of each row of a report section whose rows are named by `candidates` (label, key),
/// its last row the total.
fn keys_by_label(section: &ReportSection, candidates: &[(String, String)]) -> Vec<Option<String>> {
    let last = section.rows.len().saturating_sub(1);
    section
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            if i == last {
                return Some(TOTAL_ROW.to_string());
            }
            let label = row.first().map(Cell::display).unwrap_or_default();
            candidates.iter().find(|(l, _)| *l == label).map(|(_, key)| key.clone())
        })
        .collect()
}

/// Adds links of the section titled by `title_key`: for each `(column key, kind)`, the figure
/// in that column of each row with a key.
fn link_section(
    report: &Report,
    ctx: &ViewContext,
    title_key: &str,
    row_keys: impl Fn(&ReportSection) -> Vec<Option<String>>,
    figures: &[(&str, &str)],
    links: &mut Vec<FigureLink>,
) {
    let title = text(ctx.locale, title_key);
    let Some((section, found)) = report.sections.iter().enumerate().find(|(_, s)| s.title == title) else { return };
    for (row, key) in row_keys(found).into_iter().enumerate() {
        let Some(key) = key else { continue };
        for (column_key, kind) in figures {
            let header = text(ctx.locale, column_key);
            if let Some(column) = found.columns.iter().position(|c| *c == header) {
                links.push(FigureLink { section, row, column, key: format!("{kind}:{key}") });
            }
        }
    }
}

/// The district at a glance for `from`–`to`, of one mahalla when given.
pub fn district_glance(store: &mut Store, ctx: &ViewContext, from: NaiveDate, to: NaiveDate, mahalla: Option<&str>) -> Result<DistrictGlance> {
    let locale = ctx.locale;
    let mut report = district_report(store, ctx, from, to, mahalla)?;
    let mut links = Vec::new();
    let stages: Vec<(String, String)> = super::labels::STAGES.iter().map(|s| (choice_label(locale, "stage", s), s.as_str().to_string())).collect();
    let closed = (choice_label(locale, "case_status", &crate::model::CaseStatus::Closed), super::district::CLOSED_ROW.to_string());
    let case_rows: Vec<(String, String)> = stages.into_iter().chain([closed]).collect();
    link_section(&report, ctx, "report.cases", |s| keys_by_label(s, &case_rows), &[("report.count", "cases")], &mut links);
    let roles: Vec<(String, String)> = Role::ALL.iter().map(|r| (choice_label(locale, "role", r), r.as_str().to_string())).collect();
    let figures = [("report.sent", "requests"), ("effectiveness.overdue", "overdue-requests")];
    link_section(&report, ctx, "report.referrals", |s| keys_by_label(s, &roles), &figures, &mut links);
    let books: Vec<(String, String)> = Book::ALL.iter().map(|b| (choice_label(locale, "book", b), b.as_str().to_string())).collect();
    let figures = [("report.registered", "applications"), ("report.open", "open-applications"), ("effectiveness.overdue", "overdue-applications")];
    link_section(&report, ctx, "report.applications", |s| keys_by_label(s, &books), &figures, &mut links);
    let talks = super::report::load::<Conversation>(store, mahalla)?;
    let inspectors: Vec<(String, String)> = talks.iter().map(inspector_of).map(|k| (inspector_label(ctx, &k), k)).collect();
    let figures = [("effectiveness.due", "follow-ups"), ("effectiveness.overdue", "overdue-follow-ups")];
    link_section(&report, ctx, "effectiveness.by_inspector", |s| keys_by_label(s, &inspectors), &figures, &mut links);
    let scopes: Vec<(String, String)> = talks.iter().map(|t| scope_key(&t.mahalla)).map(|k| (mahalla_name(ctx, &k), k)).collect();
    let figures = [("effectiveness.due", "mahalla-follow-ups"), ("effectiveness.overdue", "mahalla-overdue-follow-ups")];
    link_section(&report, ctx, "effectiveness.by_mahalla", |s| keys_by_label(s, &scopes), &figures, &mut links);
    let milestones: Vec<(String, String)> = Milestone::ALL.iter().map(|m| (text(locale, &format!("milestone.{}", m.key())), m.key().to_string())).collect();
    let figures = [("effectiveness.due", "milestone-follow-ups"), ("effectiveness.overdue", "milestone-overdue-follow-ups")];
    link_section(&report, ctx, "report.follow_ups", |s| keys_by_label(s, &milestones), &figures, &mut links);

    let (section, scopes) = rising(store, ctx, mahalla)?;
    push(&mut report, &mut links, section, scopes.into_iter().map(Some).collect(), 1, "incidents");
    let mut per_mahalla: BTreeMap<String, u32> = BTreeMap::new();
    for (scope, _) in conflicts_by_mahalla(store, ctx, mahalla)? {
        *per_mahalla.entry(scope).or_default() += 1;
    }
    let (section, keys) = counts(ctx, "district.conflicts", ["field.mahalla", "district.open_conflicts"], per_mahalla, |s| mahalla_name(ctx, s));
    push(&mut report, &mut links, section, keys.into_iter().map(Some).collect(), 1, "conflicts");
    let mut per_inspector: BTreeMap<String, u32> = BTreeMap::new();
    for (inspector, _) in visits_by_inspector(store, ctx, mahalla)? {
        *per_inspector.entry(inspector).or_default() += 1;
    }
    let (section, keys) = counts(ctx, "district.overdue_visits", ["field.inspector", "district.visits"], per_inspector, |k| inspector_label(ctx, k));
    push(&mut report, &mut links, section, keys.into_iter().map(Some).collect(), 1, "visits");
    Ok(DistrictGlance { report, links })
}

/// Adds a section and the links of its figures in `column`.
fn push(report: &mut Report, links: &mut Vec<FigureLink>, section: ReportSection, keys: Vec<Option<String>>, column: usize, kind: &str) {
    let index = report.sections.len();
    links.extend(keys.into_iter().enumerate().filter_map(|(row, key)| key.map(|key| FigureLink { section: index, row, column, key: format!("{kind}:{key}") })));
    report.sections.push(section);
}
