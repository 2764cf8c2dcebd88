//! The district report's share tables, as the service's statistics give them: the share of
//! applications recorded in each registration book per year (Form 1 book, Form 2 journal,
//! alphabetical book), the share of cooperation requests sent to each addressee, and the
//! requests per category (with how many are overdue and how many were escalated).

use super::labels::{choice_label, text};
use super::report::{Cell, Period, ReportSection};
use super::ViewContext;
use crate::device::Role;
use crate::model::{Application, Book, Referral, ReferralCategory, ReferralState};
use chrono::Datelike;

/// A row: a label, then for each part its count and its share of the row's total, then the
/// total.
fn share_row(label: String, counts: &[u32]) -> Vec<Cell> {
    let total: u32 = counts.iter().sum();
    let mut row = vec![Cell::text(label)];
    for count in counts {
        row.push(Cell::number(*count));
        row.push(Cell::share(*count, total));
    }
    row.push(Cell::number(total));
    row
}

/// Applications registered in the period: for each year the period touches, how many went
/// into each book and their share of the year's applications (to one decimal), with a total
/// row when the period spans more than one year.
pub(super) fn book_shares(ctx: &ViewContext, period: &Period, applications: &[Application]) -> ReportSection {
    let count_in = |year: Option<i32>| -> Vec<u32> {
        Book::ALL
            .iter()
            .map(|book| {
                applications.iter().filter(|a| a.book == *book && period.contains(a.registered_on) && year.is_none_or(|y| a.registered_on.year() == y)).count()
                    as u32
            })
            .collect()
    };
    let years: Vec<i32> = (period.from.year()..=period.to.year()).collect();
    let mut rows: Vec<Vec<Cell>> = years.iter().map(|year| share_row(year.to_string(), &count_in(Some(*year)))).collect();
    if years.len() > 1 {
        rows.push(share_row(text(ctx.locale, "report.total"), &count_in(None)));
    }
    let mut columns = vec![text(ctx.locale, "report.year")];
    for book in Book::ALL {
        columns.push(choice_label(ctx.locale, "book", &book));
        columns.push(text(ctx.locale, "report.share"));
    }
    columns.push(text(ctx.locale, "report.total"));
    ReportSection { title: text(ctx.locale, "report.book_shares"), columns, rows }
}

/// The requests sent in the period (by the local day of their sending stamp).
fn sent_in<'a>(ctx: &ViewContext, period: &Period, referrals: &'a [Referral]) -> Vec<&'a Referral> {
    referrals.iter().filter(|r| r.stamp(ReferralState::Sent).is_some_and(|s| period.contains(ctx.local(s.at).date()))).collect()
}

/// Requests sent in the period, per category: how many, their share of all requests sent (to
/// one decimal), how many are overdue today and how many were escalated, with a total row.
pub(super) fn referral_categories(ctx: &ViewContext, period: &Period, referrals: &[Referral]) -> ReportSection {
    let sent = sent_in(ctx, period, referrals);
    let today = ctx.today();
    let total = sent.len() as u32;
    let line = |label: String, of: &[&Referral]| {
        let count = of.len() as u32;
        vec![
            Cell::text(label),
            Cell::number(count),
            Cell::share(count, total),
            Cell::number(of.iter().filter(|r| r.is_overdue(today)).count() as u32),
            Cell::number(of.iter().filter(|r| r.escalation.is_some()).count() as u32),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = ReferralCategory::ALL
        .iter()
        .map(|category| {
            let of: Vec<&Referral> = sent.iter().copied().filter(|r| r.category == *category).collect();
            line(choice_label(ctx.locale, "referral_category", category), &of)
        })
        .collect();
    rows.push(line(text(ctx.locale, "report.total"), &sent));
    let columns = ["field.category", "report.sent", "report.share", "effectiveness.overdue", "report.escalated"].iter().map(|k| text(ctx.locale, k)).collect();
    ReportSection { title: text(ctx.locale, "report.referral_categories"), columns, rows }
}

/// Requests sent in the period, per addressee that received any: how many and their share of
/// all requests sent (to one decimal), with a total row.
pub(super) fn referral_shares(ctx: &ViewContext, period: &Period, referrals: &[Referral]) -> ReportSection {
    let sent = sent_in(ctx, period, referrals);
    let total = sent.len() as u32;
    let mut rows: Vec<Vec<Cell>> = Role::ALL
        .into_iter()
        .filter_map(|role| {
            let count = sent.iter().filter(|r| r.to == role).count() as u32;
            (count > 0).then(|| vec![Cell::text(choice_label(ctx.locale, "role", &role)), Cell::number(count), Cell::share(count, total)])
        })
        .collect();
    rows.push(vec![Cell::text(text(ctx.locale, "report.total")), Cell::number(total), Cell::share(total, total)]);
    let columns = ["field.to", "report.sent", "report.share"].iter().map(|k| text(ctx.locale, k)).collect();
    ReportSection { title: text(ctx.locale, "report.referral_shares"), columns, rows }
}
