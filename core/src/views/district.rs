//! The district report: conversations by kind and month, parent cases by SARA stage,
//! cooperation requests' turnaround per addressee, applications per book by status, follow-up
//! outcomes per milestone, effectiveness per inspector and per mahalla, parent cases' outcomes
//! per SARA stage (indicators resolved, help that helped, attendance), and the shares of
//! applications per book and year and of requests per service, and requests per category
//! ([`super::shares`]) — one table each, for a period and optionally one mahalla.
//!
//! What belongs to the period: a conversation by its local start date, a parent case by the day
//! it was opened (counted at its current stage), a request by the day it was sent, an
//! application by the day it was registered, a follow-up by its due date. "Overdue" is judged
//! on the day the report is made.

use super::effectiveness::{columns, follow_ups_due, summarise, Tally};
use super::labels::{choice_label, text, CONVERSATION_KINDS, STAGES};
use super::report::{self, median, section, Cell, Period, Report, ReportSection};
use super::shares;
use super::ViewContext;
use crate::device::Role;
use crate::error::Result;
use crate::model::{Application, Book, CaseStatus, Conversation, DecisionKind, Milestone, ParentCase, Referral, ReferralState};
use crate::store::Store;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Conversations per month of the period, by kind, with a total row.
fn conversations(ctx: &ViewContext, period: &Period, talks: &[Conversation]) -> ReportSection {
    let mut counts: BTreeMap<NaiveDate, [u32; 3]> = period.months().into_iter().map(|m| (m, [0; 3])).collect();
    for talk in talks {
        let day = ctx.local(talk.started_at).date();
        let kind = CONVERSATION_KINDS.iter().position(|k| *k == talk.kind).unwrap_or(0);
        if let Some(row) = counts.get_mut(&report::month_of(day)).filter(|_| period.contains(day)) {
            row[kind] += 1;
        }
    }
    let mut total = [0u32; 3];
    let line = |label: String, row: &[u32; 3]| {
        let mut cells = vec![Cell::text(label)];
        cells.extend(row.iter().map(|n| Cell::number(*n)));
        cells.push(Cell::number(row.iter().sum::<u32>()));
        cells
    };
    let mut rows: Vec<Vec<Cell>> = counts
        .iter()
        .map(|(month, row)| {
            total.iter_mut().zip(row).for_each(|(t, n)| *t += n);
            line(report::month_label(*month), row)
        })
        .collect();
    rows.push(line(text(ctx.locale, "report.total"), &total));
    let mut columns = vec![text(ctx.locale, "report.month")];
    columns.extend(CONVERSATION_KINDS.iter().map(|k| choice_label(ctx.locale, "conversation_kind", k)));
    columns.push(text(ctx.locale, "report.total"));
    ReportSection { title: text(ctx.locale, "report.conversations"), columns, rows }
}

/// The key of the row of the cases table a case counts in besides the total: its stage while
/// open (`analysis`), `closed` once closed.
pub(super) fn case_row(case: &ParentCase) -> &'static str {
    match case.status {
        CaseStatus::Open => case.stage.as_str(),
        CaseStatus::Closed => CLOSED_ROW,
    }
}

/// The key of the cases table's row of closed cases.
pub(super) const CLOSED_ROW: &str = "closed";

/// Parent cases opened in the period: open ones by current stage, then the closed ones.
fn cases(ctx: &ViewContext, period: &Period, cases: &[ParentCase]) -> ReportSection {
    let opened: Vec<&ParentCase> = cases.iter().filter(|c| period.contains(c.opened_on)).collect();
    let count = |row: Option<&str>| Cell::number(opened.iter().filter(|c| row.is_none_or(|r| case_row(c) == r)).count() as u32);
    let mut rows: Vec<Vec<Cell>> = STAGES.iter().map(|stage| vec![Cell::text(choice_label(ctx.locale, "stage", stage)), count(Some(stage.as_str()))]).collect();
    rows.push(vec![Cell::text(choice_label(ctx.locale, "case_status", &CaseStatus::Closed)), count(Some(CLOSED_ROW))]);
    rows.push(vec![Cell::text(text(ctx.locale, "report.total")), count(None)]);
    section(ctx, "report.cases", &["field.stage", "report.count"], rows)
}

/// A row of request figures: sent, answered, declined, closed, overdue, median days to answer.
fn referral_row(label: String, referrals: &[&Referral], today: NaiveDate) -> Vec<Cell> {
    let count = |f: &dyn Fn(&Referral) -> bool| Cell::number(referrals.iter().filter(|r| f(r)).count() as u32);
    let days = median(referrals.iter().filter_map(|r| r.turnaround_days()).collect());
    vec![
        Cell::text(label),
        count(&|_| true),
        count(&|r| r.stamp(ReferralState::Feedback).is_some()),
        count(&|r| r.stamp(ReferralState::Declined).is_some()),
        count(&|r| r.state == ReferralState::Closed),
        count(&|r| r.is_overdue(today)),
        days.map_or(Cell::Empty, Cell::number),
    ]
}

/// Whether a request was sent in the period (by the local day it was sent).
pub(super) fn sent_in(ctx: &ViewContext, period: &Period, referral: &Referral) -> bool {
    referral.stamp(ReferralState::Sent).is_some_and(|s| period.contains(ctx.local(s.at).date()))
}

/// Cooperation requests sent in the period, per addressee, with a total row.
fn referrals(ctx: &ViewContext, period: &Period, referrals: &[Referral]) -> ReportSection {
    let sent: Vec<&Referral> = referrals.iter().filter(|r| sent_in(ctx, period, r)).collect();
    let today = ctx.today();
    let mut rows: Vec<Vec<Cell>> = Role::ALL
        .into_iter()
        .filter_map(|role| {
            let of_role: Vec<&Referral> = sent.iter().copied().filter(|r| r.to == role).collect();
            (!of_role.is_empty()).then(|| referral_row(choice_label(ctx.locale, "role", &role), &of_role, today))
        })
        .collect();
    rows.push(referral_row(text(ctx.locale, "report.total"), &sent, today));
    section(
        ctx,
        "report.referrals",
        &["field.to", "report.sent", "report.answered", "referral_state.declined", "referral_state.closed", "effectiveness.overdue", "report.median_days"],
        rows,
    )
}

/// A row of application figures: registered, open, each decision kind, overdue.
fn application_row(label: String, applications: &[&Application], today: NaiveDate) -> Vec<Cell> {
    let count = |f: &dyn Fn(&Application) -> bool| Cell::number(applications.iter().filter(|a| f(a)).count() as u32);
    let decided = |kind: DecisionKind| move |a: &Application| a.is_decided() && a.decision.as_ref().is_some_and(|d| d.kind == kind);
    let mut row = vec![Cell::text(label), count(&|_| true), count(&|a| !a.is_decided())];
    row.extend(DecisionKind::ALL.into_iter().map(|kind| count(&decided(kind))));
    row.push(count(&|a| a.is_overdue(today)));
    row
}

/// Applications registered in the period, per book, with a total row.
fn applications(ctx: &ViewContext, period: &Period, applications: &[Application]) -> ReportSection {
    let registered: Vec<&Application> = applications.iter().filter(|a| period.contains(a.registered_on)).collect();
    let today = ctx.today();
    let mut rows: Vec<Vec<Cell>> = Book::ALL
        .into_iter()
        .map(|book| {
            let in_book: Vec<&Application> = registered.iter().copied().filter(|a| a.book == book).collect();
            application_row(choice_label(ctx.locale, "book", &book), &in_book, today)
        })
        .collect();
    rows.push(application_row(text(ctx.locale, "report.total"), &registered, today));
    let mut columns: Vec<String> = ["field.book", "report.registered", "report.open"].iter().map(|k| text(ctx.locale, k)).collect();
    columns.extend(DecisionKind::ALL.iter().map(|k| choice_label(ctx.locale, "decision_kind", k)));
    columns.push(text(ctx.locale, "effectiveness.overdue"));
    ReportSection { title: text(ctx.locale, "report.applications"), columns, rows }
}

/// Follow-up outcomes per milestone, with a total row.
fn follow_ups(ctx: &ViewContext, period: &Period, talks: &[Conversation]) -> ReportSection {
    let today = ctx.today();
    let mut per_milestone: BTreeMap<Milestone, Tally> = Milestone::ALL.into_iter().map(|m| (m, Tally::default())).collect();
    let mut total = Tally::default();
    for (talk, milestone, follow_up) in follow_ups_due(talks, period) {
        for tally in [per_milestone.entry(milestone).or_default(), &mut total] {
            tally.add(talk, milestone, follow_up, today);
        }
    }
    let mut rows: Vec<Vec<Cell>> = per_milestone.iter().map(|(m, t)| t.row(text(ctx.locale, &format!("milestone.{}", m.key()))).cells()).collect();
    rows.push(total.row(text(ctx.locale, "report.total")).cells());
    ReportSection { title: text(ctx.locale, "report.follow_ups"), columns: columns(ctx, "report.milestone"), rows }
}

/// The district report for `from`–`to`, of one mahalla when given.
pub fn district_report(store: &mut Store, ctx: &ViewContext, from: NaiveDate, to: NaiveDate, mahalla: Option<&str>) -> Result<Report> {
    let period = Period::new(from, to)?;
    let talks = report::load::<Conversation>(store, mahalla)?;
    let requests = report::load::<Referral>(store, mahalla)?;
    let registered = report::load::<Application>(store, mahalla)?;
    let parent_cases = report::load::<ParentCase>(store, mahalla)?;
    let mut sections = vec![
        conversations(ctx, &period, &talks),
        cases(ctx, &period, &parent_cases),
        referrals(ctx, &period, &requests),
        applications(ctx, &period, &registered),
        follow_ups(ctx, &period, &talks),
    ];
    sections.extend(summarise(ctx, &period, mahalla, &talks).sections(ctx));
    sections.push(shares::book_shares(ctx, &period, &registered));
    sections.push(shares::referral_shares(ctx, &period, &requests));
    sections.push(shares::referral_categories(ctx, &period, &requests));
    sections.push(super::case_practice::case_outcomes(ctx, &period, &parent_cases));
    Ok(Report { title: text(ctx.locale, "report.district"), subtitle: period.label(ctx, mahalla), sections })
}
