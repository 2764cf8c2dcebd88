//! Rising incidents: per mahalla, the monthly count of incidents — Form 1 applications
//! registered (reports of offences) plus new re-offences found at follow-ups — over the last
//! months, and which mahallas are rising.
//!
//! A mahalla is **rising** when the last three months hold more incidents than the three before
//! them *and* the least-squares slope over the whole series is positive: a short spike after a
//! long decline does not count, nor does a slow climb that has already turned down.

use super::effectiveness::new_reoffences;
use super::labels::invalid_with;
use super::labels::text;
use super::report::{self, mahalla_name, month_label, month_of, Cell, ReportSection};
use super::ViewContext;
use crate::doc::scope_key;
use crate::error::Result;
use crate::i18n;
use crate::ids::RecordId;
use crate::model::{Application, Book, Conversation, Milestone};
use crate::store::Store;
use chrono::{Datelike, Months, NaiveDate};
use std::collections::BTreeMap;

/// Fewest months a trend looks at: three to compare with the three before.
pub const MIN_TREND_MONTHS: u32 = 6;
/// Most months a trend looks at.
pub const MAX_TREND_MONTHS: u32 = 36;

view_types! { $ trend_view_types;

    /// One mahalla's incidents month by month.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct TrendRow {
        /// The mahalla.
        pub mahalla: String,
        /// Incidents per month, oldest first (one per column of `IncidentTrends::months`).
        pub counts: Vec<u32>,
        /// All incidents of the window.
        pub total: u32,
        /// Incidents of the last three months.
        pub last_three: u32,
        /// Incidents of the three months before them.
        pub previous_three: u32,
        /// Least-squares slope in incidents a month, signed, two decimals ("+0.45").
        pub slope: String,
        /// True when the mahalla is rising.
        pub rising: bool,
        /// Why it is (or is not) rising, in words.
        pub reason: String,
    }

    /// The rising-incidents screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct IncidentTrends {
        /// Screen title.
        pub title: String,
        /// "Last 12 months: 2024-11 – 2025-10".
        pub subtitle: String,
        /// Month labels (`2025-09`), oldest first.
        pub months: Vec<String>,
        /// Mahallas with incidents: rising ones first, then by incidents of the last three months.
        pub rows: Vec<TrendRow>,
        /// How many mahallas are rising.
        pub rising_count: u32,
        /// Shown when there was no incident in the window.
        pub empty_text: String,
    }
}

/// Least-squares slope of `ys` against 0, 1, 2, …
fn slope(ys: &[u32]) -> f64 {
    let n = ys.len() as f64;
    if ys.len() < 2 {
        return 0.0;
    }
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = ys.iter().map(|y| f64::from(*y)).sum::<f64>() / n;
    let (mut num, mut den) = (0.0, 0.0);
    for (x, y) in ys.iter().enumerate() {
        let dx = x as f64 - mean_x;
        num += dx * (f64::from(*y) - mean_y);
        den += dx * dx;
    }
    num / den
}

/// One incident: a Form 1 application registered, or new re-offences found at a follow-up.
pub(super) struct Incident {
    /// The mahalla's scope.
    pub(super) scope: String,
    /// The day it was registered or found.
    pub(super) day: NaiveDate,
    /// How many incidents (one application; a follow-up's new re-offences).
    pub(super) count: u32,
    /// The application or conversation.
    pub(super) record_id: RecordId,
}

/// The first month of a window of `months` months that ends with the current one.
pub(super) fn first_month(ctx: &ViewContext, months: u32) -> NaiveDate {
    let last = month_of(ctx.today());
    last.checked_sub_months(Months::new(months.saturating_sub(1))).unwrap_or(last)
}

/// The month of the window starting `first` that `day` falls in (0 is the first).
fn month_index(first: NaiveDate, months: usize, day: NaiveDate) -> Option<usize> {
    let index = (day.year() - first.year()) * 12 + day.month() as i32 - first.month() as i32;
    usize::try_from(index).ok().filter(|i| *i < months)
}

/// Every incident of the `months` months from the month starting `first`.
pub(super) fn incidents(store: &mut Store, first: NaiveDate, months: usize) -> Result<Vec<Incident>> {
    let mut out = Vec::new();
    let mut add = |mahalla: &str, day: NaiveDate, count: u32, record_id: &RecordId| {
        if count > 0 && month_index(first, months, day).is_some() {
            out.push(Incident { scope: scope_key(mahalla), day, count, record_id: record_id.clone() });
        }
    };
    for application in report::load::<Application>(store, None)?.iter().filter(|a| a.book == Book::Form1) {
        add(&application.mahalla, application.registered_on, 1, &application.id);
    }
    for talk in report::load::<Conversation>(store, None)? {
        for milestone in Milestone::ALL {
            if let Some(done_on) = talk.follow_up(milestone).and_then(|f| f.done_on) {
                add(&talk.mahalla, done_on, new_reoffences(&talk, milestone), &talk.id);
            }
        }
    }
    Ok(out)
}

/// Incidents per mahalla scope and month, over `months` months from the month starting `first`.
fn series(store: &mut Store, first: NaiveDate, months: usize) -> Result<BTreeMap<String, Vec<u32>>> {
    let mut out: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for incident in incidents(store, first, months)? {
        if let Some(i) = month_index(first, months, incident.day) {
            out.entry(incident.scope).or_insert_with(|| vec![0; months])[i] += incident.count;
        }
    }
    Ok(out)
}

/// Each mahalla's trend with its scope (rising mahallas first), and the months' labels.
pub(super) struct ScopedTrends {
    /// Month labels, oldest first.
    pub(super) months: Vec<String>,
    /// (scope, trend) per mahalla with incidents.
    pub(super) rows: Vec<(String, TrendRow)>,
}

/// Each mahalla's trend over the last `months` months, with its scope.
pub(super) fn trend_rows(store: &mut Store, ctx: &ViewContext, months: u32) -> Result<ScopedTrends> {
    let locale = ctx.locale;
    if !(MIN_TREND_MONTHS..=MAX_TREND_MONTHS).contains(&months) {
        return Err(invalid_with("months", "validation.out_of_range", vec![("min", MIN_TREND_MONTHS.to_string()), ("max", MAX_TREND_MONTHS.to_string())]));
    }
    let first = first_month(ctx, months);
    let labels: Vec<String> = (0..months).filter_map(|i| first.checked_add_months(Months::new(i))).map(month_label).collect();
    let mut rows: Vec<(String, TrendRow)> = series(store, first, months as usize)?
        .into_iter()
        .map(|(scope, counts)| {
            let n = counts.len();
            let last_three: u32 = counts[n - 3..].iter().sum();
            let previous_three: u32 = counts[n - 6..n - 3].iter().sum();
            let trend = slope(&counts);
            let rising = last_three > previous_three && trend > 0.0;
            let slope = format!("{trend:+.2}");
            let params = [("last", last_three.to_string()), ("previous", previous_three.to_string()), ("slope", slope.clone())];
            let reason = i18n::render(locale, if rising { "trends.rising" } else { "trends.not_rising" }, &params);
            let row = TrendRow { mahalla: mahalla_name(ctx, &scope), total: counts.iter().sum(), counts, last_three, previous_three, slope, rising, reason };
            (scope, row)
        })
        .collect();
    let key = |r: &TrendRow| (!r.rising, std::cmp::Reverse(r.last_three), r.mahalla.clone());
    rows.sort_by_key(|(_, r)| key(r));
    Ok(ScopedTrends { months: labels, rows })
}

/// Per mahalla, incidents month by month over the last `months` months (6 to 36, the current
/// month last), rising mahallas first.
pub fn incident_trends(store: &mut Store, ctx: &ViewContext, months: u32) -> Result<IncidentTrends> {
    let locale = ctx.locale;
    let ScopedTrends { months: labels, rows } = trend_rows(store, ctx, months)?;
    let rows: Vec<TrendRow> = rows.into_iter().map(|(_, row)| row).collect();
    let span = [labels.first(), labels.last()].map(|l| l.cloned().unwrap_or_default());
    Ok(IncidentTrends {
        title: text(locale, "trends.title"),
        subtitle: i18n::render(locale, "trends.window", &[("months", months.to_string()), ("from", span[0].clone()), ("to", span[1].clone())]),
        months: labels,
        rising_count: rows.iter().filter(|r| r.rising).count() as u32,
        rows,
        empty_text: text(locale, "trends.empty"),
    })
}

impl IncidentTrends {
    /// The trends as one report section: mahalla, a column per month, totals, slope, verdict.
    pub fn sections(&self, ctx: &ViewContext) -> Vec<ReportSection> {
        let locale = ctx.locale;
        let mut columns = vec![text(locale, "field.mahalla")];
        columns.extend(self.months.iter().cloned());
        columns.extend(
            ["report.total", "trends.last_three", "trends.previous_three", "trends.slope", "trends.rising_column", "trends.reason"].map(|k| text(locale, k)),
        );
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut cells = vec![Cell::text(r.mahalla.clone())];
                cells.extend(r.counts.iter().map(|c| Cell::number(*c)));
                cells.extend([Cell::number(r.total), Cell::number(r.last_three), Cell::number(r.previous_three), Cell::text(r.slope.clone())]);
                cells.extend([Cell::text(text(locale, if r.rising { "value.yes" } else { "value.no" })), Cell::text(r.reason.clone())]);
                cells
            })
            .collect();
        vec![ReportSection { title: self.title.clone(), columns, rows }]
    }
}
