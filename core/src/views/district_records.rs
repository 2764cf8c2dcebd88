//! The records behind a figure of the district at a glance ([`super::district_glance`]): the
//! cases in one SARA stage, the requests to one service, the applications registered, open or
//! past their deadline in one book, the follow-ups due or overdue of one inspector, mahalla or
//! milestone, the overdue visits of one inspector, the incidents of a rising
//! mahalla, the open conflicts of a mahalla — each record with its kind, title and what
//! put it in the list. The same rules as the figures pick them ([`super::district`],
//! [`super::effectiveness`], [`super::trends`], [`super::worklist`]).

use super::district::{case_row, sent_in};
use super::district_glance::{conflicts_by_mahalla, inspector_label, inspector_of, visits_by_inspector, within, GLANCE_TREND_MONTHS, TOTAL_ROW};
use super::effectiveness::{follow_ups_due, is_overdue};
use super::labels::{choice_label, date, in_script, text};
use super::report::{load, mahalla_name, Period};
use super::trends::{first_month, incidents};
use super::ViewContext;
use crate::device::Role;
use crate::doc::scope_key;
use crate::error::{Error, Result};
use crate::i18n;
use crate::ids::RecordId;
use crate::model::{Application, Book, CaseStatus, Conversation, Milestone, ParentCase, Referral, SaraStage};
use crate::store::{fields_of, Store};
use chrono::NaiveDate;

/// One record behind a figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistrictRecord {
    /// Record id (its page shows its history).
    pub record_id: String,
    /// Record kind label ("Parent case").
    pub kind: String,
    /// Record title (a name, the case's guardians, the application's applicant).
    pub title: String,
    /// What put it in the list ("Due 03.05.2026 · +1 month").
    pub detail: String,
}

/// The records behind a figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistrictRecords {
    /// "Parent cases · Analysis · Count".
    pub title: String,
    /// The period and mahalla.
    pub subtitle: String,
    /// Column headers: record, kind, detail.
    pub columns: Vec<String>,
    /// The records.
    pub rows: Vec<DistrictRecord>,
    /// Shown when there are none.
    pub empty_text: String,
}

/// A record's line: its kind and title from the store, and `detail`.
fn line(store: &mut Store, ctx: &ViewContext, id: &RecordId, detail: String) -> Result<DistrictRecord> {
    let raw = store.get_raw(id)?;
    let title = Some(fields_of(raw.kind, &raw.value).title).filter(|t| t != "?").unwrap_or_else(|| id.short().to_string());
    Ok(DistrictRecord { record_id: id.to_string(), kind: choice_label(ctx.locale, "record_kind", &raw.kind), title: in_script(ctx.locale, &title), detail })
}

/// Whether `value` is the asked row (or the asked row is the total).
fn row_is(row: &str, value: &str) -> bool {
    row == TOTAL_ROW || row == value
}

/// What the rows of a table of follow-ups are.
#[derive(Clone, Copy)]
enum FollowUpRows {
    /// The conversation's inspector (`follow-ups:<inspector>`).
    Inspector,
    /// The conversation's mahalla (`mahalla-follow-ups:<scope>`).
    Mahalla,
    /// The milestone (`milestone-follow-ups:m1`).
    Milestone,
}

impl FollowUpRows {
    /// The rows and whether only overdue follow-ups count, for a figure's kind of follow-ups.
    fn of(kind: &str) -> Option<(FollowUpRows, bool)> {
        let (rows_by, figure) = match kind.split_once('-') {
            Some(("mahalla", figure)) => (FollowUpRows::Mahalla, figure),
            Some(("milestone", figure)) => (FollowUpRows::Milestone, figure),
            _ => (FollowUpRows::Inspector, kind),
        };
        match figure {
            "follow-ups" => Some((rows_by, false)),
            "overdue-follow-ups" => Some((rows_by, true)),
            _ => None,
        }
    }

    /// The row a follow-up of `talk` at `milestone` counts in.
    fn key(self, talk: &Conversation, milestone: Milestone) -> String {
        match self {
            FollowUpRows::Inspector => inspector_of(talk),
            FollowUpRows::Mahalla => scope_key(&talk.mahalla),
            FollowUpRows::Milestone => milestone.key().to_string(),
        }
    }
}

/// A figure's key, read: what it counts and which row.
struct Figure<'k> {
    kind: &'k str,
    row: &'k str,
}

impl<'k> Figure<'k> {
    fn parse(key: &'k str) -> Result<Figure<'k>> {
        let (kind, row) = key.split_once(':').ok_or_else(|| Error::NotFound(key.to_string()))?;
        Ok(Figure { kind, row })
    }

    /// The section's title key, the row's label and the column's key.
    fn describe(&self, ctx: &ViewContext) -> Result<(&'static str, String, &'static str)> {
        let locale = ctx.locale;
        let total = || text(locale, "report.total");
        let parsed = |label: Option<String>| match label {
            _ if self.row == TOTAL_ROW => Ok(total()),
            Some(label) => Ok(label),
            None => Err(Error::NotFound(format!("{}:{}", self.kind, self.row))),
        };
        let stage = || parsed(SaraStage::ALL.into_iter().find(|s| s.as_str() == self.row).map(|s| choice_label(locale, "stage", &s)));
        let role = || parsed(Role::parse(self.row).map(|r| choice_label(locale, "role", &r)));
        let book = || parsed(Book::parse(self.row).map(|b| choice_label(locale, "book", &b)));
        let milestone = || parsed(Milestone::ALL.into_iter().find(|m| m.key() == self.row).map(|m| text(locale, &format!("milestone.{}", m.key()))));
        let inspector = || if self.row == TOTAL_ROW { total() } else { inspector_label(ctx, self.row) };
        let mahalla = || if self.row == TOTAL_ROW { total() } else { mahalla_name(ctx, self.row) };
        Ok(match self.kind {
            "cases" if self.row == super::district::CLOSED_ROW => ("report.cases", choice_label(locale, "case_status", &CaseStatus::Closed), "report.count"),
            "cases" => ("report.cases", stage()?, "report.count"),
            "requests" => ("report.referrals", role()?, "report.sent"),
            "overdue-requests" => ("report.referrals", role()?, "effectiveness.overdue"),
            "applications" => ("report.applications", book()?, "report.registered"),
            "overdue-applications" => ("report.applications", book()?, "effectiveness.overdue"),
            "open-applications" => ("report.applications", book()?, "report.open"),
            "follow-ups" => ("effectiveness.by_inspector", inspector(), "effectiveness.due"),
            "overdue-follow-ups" => ("effectiveness.by_inspector", inspector(), "effectiveness.overdue"),
            "mahalla-follow-ups" => ("effectiveness.by_mahalla", mahalla(), "effectiveness.due"),
            "mahalla-overdue-follow-ups" => ("effectiveness.by_mahalla", mahalla(), "effectiveness.overdue"),
            "milestone-follow-ups" => ("report.follow_ups", milestone()?, "effectiveness.due"),
            "milestone-overdue-follow-ups" => ("report.follow_ups", milestone()?, "effectiveness.overdue"),
            "visits" => ("district.overdue_visits", inspector(), "district.visits"),
            "incidents" => ("district.rising", mahalla(), "report.total"),
            "conflicts" => ("district.conflicts", mahalla(), "district.open_conflicts"),
            _ => return Err(Error::NotFound(self.kind.to_string())),
        })
    }
}

/// The records behind the figure `key` of the district at a glance for `from`–`to`, of one
/// mahalla when given.
pub fn district_records(store: &mut Store, ctx: &ViewContext, from: NaiveDate, to: NaiveDate, mahalla: Option<&str>, key: &str) -> Result<DistrictRecords> {
    let locale = ctx.locale;
    let period = Period::new(from, to)?;
    let today = ctx.today();
    let figure = Figure::parse(key)?;
    let (section_key, row_label, column_key) = figure.describe(ctx)?;
    let row = figure.row;
    let mut picked: Vec<(RecordId, String)> = Vec::new();
    match figure.kind {
        "cases" => {
            for case in load::<ParentCase>(store, mahalla)?.into_iter().filter(|c| period.contains(c.opened_on) && row_is(row, case_row(c))) {
                picked.push((case.id, choice_label(locale, "stage", &case.stage)));
            }
        }
        "requests" | "overdue-requests" => {
            let overdue_only = figure.kind == "overdue-requests";
            for request in load::<Referral>(store, mahalla)? {
                if sent_in(ctx, &period, &request) && row_is(row, request.to.as_str()) && (!overdue_only || request.is_overdue(today)) {
                    picked.push((request.id.clone(), choice_label(locale, "role", &request.to)));
                }
            }
        }
        "applications" | "open-applications" | "overdue-applications" => {
            let wanted = |a: &Application| match figure.kind {
                "open-applications" => !a.is_decided(),
                "overdue-applications" => a.is_overdue(today),
                _ => true,
            };
            for application in load::<Application>(store, mahalla)? {
                if period.contains(application.registered_on) && row_is(row, application.book.as_str()) && wanted(&application) {
                    picked.push((application.id.clone(), choice_label(locale, "book", &application.book)));
                }
            }
        }
        kind if FollowUpRows::of(kind).is_some() => {
            let (rows_by, overdue_only) = FollowUpRows::of(kind).unwrap_or((FollowUpRows::Inspector, false));
            let talks = load::<Conversation>(store, mahalla)?;
            for (talk, milestone, follow_up) in follow_ups_due(&talks, &period) {
                if row_is(row, &rows_by.key(talk, milestone)) && (!overdue_only || is_overdue(follow_up, today)) {
                    let detail = i18n::render(
                        locale,
                        "district.due",
                        &[("date", date(locale, follow_up.due)), ("what", text(locale, &format!("milestone.{}", milestone.key())))],
                    );
                    picked.push((talk.id.clone(), detail));
                }
            }
        }
        "visits" => {
            for (inspector, item) in visits_by_inspector(store, ctx, mahalla)? {
                if let Some(id) = RecordId::parse(&item.record_id).filter(|_| row_is(row, &inspector)) {
                    picked.push((id, format!("{} · {}", item.title, item.reason)));
                }
            }
        }
        "incidents" => {
            for incident in incidents(store, first_month(ctx, GLANCE_TREND_MONTHS), GLANCE_TREND_MONTHS as usize)? {
                if row_is(row, &incident.scope) && within(mahalla, &incident.scope) {
                    let detail = i18n::render(locale, "district.incidents", &[("date", date(locale, incident.day)), ("count", incident.count.to_string())]);
                    picked.push((incident.record_id, detail));
                }
            }
        }
        "conflicts" => {
            for (scope, conflict) in conflicts_by_mahalla(store, ctx, mahalla)? {
                if let Some(id) = RecordId::parse(&conflict.record_id).filter(|_| row_is(row, &scope)) {
                    picked.push((id, conflict.field_label));
                }
            }
        }
        _ => return Err(Error::NotFound(key.to_string())),
    }
    let mut rows = Vec::with_capacity(picked.len());
    for (id, detail) in picked {
        rows.push(line(store, ctx, &id, detail)?);
    }
    let title = [text(locale, section_key), row_label, text(locale, column_key)].join(" · ");
    Ok(DistrictRecords {
        title,
        subtitle: period.label(ctx, mahalla),
        columns: ["district.record", "district.kind", "district.detail"].iter().map(|k| text(locale, k)).collect(),
        rows,
        empty_text: text(locale, "district.no_records"),
    })
}
