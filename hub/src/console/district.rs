//! The district at a glance: the core's district glance (conversations, parent cases by SARA
//! stage, cooperation requests per service with turnaround and overdue ones, applications per
//! book, follow-ups, effectiveness per inspector and mahalla, rising-incident mahallas, open
//! conflicts waiting for a decision, overdue visits per inspector) for a period and the
//! account's mahallas, each section as a table and a server-rendered SVG bar chart of its first
//! figure column, and as CSV. Each figure that counts records links to their list
//! ([`super::drill`]). The figures are the view-model's; this file only draws them.

use super::page::{failed, forbidden, html, message, text, url_encode, Chrome, Lang, Signed};
use super::sessions::Session;
use super::ConsoleState;
use crate::HubError;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use suhbat_core::access::ALL_SCOPES;
use suhbat_core::views::{district_glance, Cell, DistrictGlance, ReportSection, ViewContext};
use suhbat_core::{scope_key, Locale};

/// Width of the longest bar, in SVG units.
const BAR_SPACE: f64 = 360.0;
/// Height of one bar's line.
const LINE: u32 = 26;

/// One bar of a chart.
struct Bar {
    label: String,
    value: String,
    width: u32,
    y: u32,
    /// The list of the records it counts.
    href: Option<String>,
}

/// A table cell, with the list of the records it counts.
struct Figure {
    text: String,
    href: Option<String>,
}

/// A section as a chart and a table.
struct Section {
    title: String,
    columns: Vec<String>,
    rows: Vec<Vec<Figure>>,
    chart_label: String,
    bars: Vec<Bar>,
    height: u32,
}

#[derive(Template)]
#[template(path = "console/district.html")]
struct DistrictPage {
    chrome: Chrome,
    subtitle: String,
    from: String,
    to: String,
    mahalla: String,
    csv_href: String,
    sections: Vec<Section>,
}

/// The period and mahalla asked for.
#[derive(serde::Deserialize, Default)]
pub(crate) struct DistrictQuery {
    pub(super) from: Option<String>,
    pub(super) to: Option<String>,
    pub(super) mahalla: Option<String>,
}

/// The first column of numbers in a section, as bars (one per row), each opening the records
/// `href(row, column)` names.
fn chart(section: &ReportSection, href: impl Fn(usize, usize) -> Option<String>) -> (String, Vec<Bar>) {
    let column = (1..section.columns.len()).find(|i| section.rows.iter().any(|r| matches!(r.get(*i), Some(Cell::Number { .. }))));
    let Some(column) = column else { return (String::new(), vec![]) };
    let value = |row: &[Cell]| match row.get(column) {
        Some(Cell::Number { value }) => *value,
        _ => 0.0,
    };
    let largest = section.rows.iter().map(|r| value(r)).fold(0.0, f64::max);
    let bars = section
        .rows
        .iter()
        .zip(0u32..)
        .enumerate()
        .map(|(index, (row, n))| {
            let width = if largest > 0.0 { (value(row) / largest * BAR_SPACE).round() as u32 } else { 0 };
            let (label, value) = (row.first().map(Cell::display).unwrap_or_default(), row.get(column).map(Cell::display).unwrap_or_default());
            Bar { label, value, width, y: n * LINE, href: href(index, column) }
        })
        .collect();
    (section.columns.get(column).cloned().unwrap_or_default(), bars)
}

/// The sections of the glance, each figure that counts records linked to their list (for
/// `from`–`to` and `mahalla`).
fn sections(glance: &DistrictGlance, from: NaiveDate, to: NaiveDate, mahalla: &str) -> Vec<Section> {
    let links: HashMap<(usize, usize, usize), String> =
        glance.links.iter().map(|l| ((l.section, l.row, l.column), super::drill::href(&l.key, from, to, mahalla))).collect();
    glance
        .report
        .sections
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let href = |row: usize, column: usize| links.get(&(index, row, column)).cloned();
            let (chart_label, bars) = chart(s, href);
            let rows =
                s.rows.iter().enumerate().map(|(r, row)| row.iter().enumerate().map(|(c, cell)| Figure { text: cell.display(), href: href(r, c) }).collect());
            Section {
                title: s.title.clone(),
                columns: s.columns.clone(),
                rows: rows.collect(),
                chart_label,
                height: u32::try_from(bars.len()).unwrap_or(0) * LINE + 4,
                bars,
            }
        })
        .collect()
}

/// What the query asks for, within what the account may see: the period (this year so far
/// by default) and the mahalla (its only mahalla, or every one for an account that has all).
pub(super) fn resolve(
    locale: Locale,
    session: &Session,
    query: &DistrictQuery,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate, Option<String>), Box<Response>> {
    let bad = || Box::new(message(StatusCode::BAD_REQUEST, locale, Some(session), text(locale, "console.bad_input")));
    let date = |text: &Option<String>, default: NaiveDate| match text.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| bad()),
        None => Ok(default),
    };
    let from = date(&query.from, NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today))?;
    let to = date(&query.to, today)?;
    let account = &session.account;
    let everything = account.scopes.iter().any(|s| s == ALL_SCOPES);
    let mahalla = match query.mahalla.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) if account.sees_scope(&scope_key(m)) => Some(m.to_string()),
        Some(_) => return Err(Box::new(forbidden(locale, session))),
        None if everything => None,
        None => account.scopes.first().cloned(),
    };
    if !everything && account.scopes.len() > 1 && mahalla.is_none() {
        return Err(bad());
    }
    Ok((from, to, mahalla))
}

/// The district glance the account may see, for the period and mahalla asked.
struct Shown {
    glance: DistrictGlance,
    from: NaiveDate,
    to: NaiveDate,
    mahalla: Option<String>,
}

/// The district glance the account may see, from the hub's records.
async fn report(state: &ConsoleState, locale: Locale, session: &Session, query: &DistrictQuery, action: &str) -> Result<Shown, Box<Response>> {
    let ctx = ViewContext::new(locale);
    let (from, to, mahalla) = resolve(locale, session, query, ctx.today())?;
    let (account, action, scope) = (session.account.name.clone(), action.to_string(), mahalla.clone());
    let made = state
        .with_hub(move |hub| {
            let glance = district_glance(&mut *hub.view_store()?, &ctx, from, to, scope.as_deref())?;
            hub.audit_console(&account, &format!("{action}:district:{from}:{to}:{}", scope.as_deref().unwrap_or(ALL_SCOPES)), None)?;
            Ok::<_, HubError>(glance)
        })
        .await;
    match made {
        Ok(glance) => Ok(Shown { glance, from, to, mahalla }),
        Err(e) => Err(Box::new(failed(locale, Some(session), e))),
    }
}

/// GET `/console/district`.
pub(crate) async fn district(State(state): State<ConsoleState>, Lang(locale): Lang, Signed(session): Signed, Query(query): Query<DistrictQuery>) -> Response {
    if !session.account.role.sees_registers() {
        return forbidden(locale, &session);
    }
    let Shown { glance, from, to, mahalla } = match report(&state, locale, &session, &query, "report").await {
        Ok(shown) => shown,
        Err(refused) => return *refused,
    };
    let mahalla = mahalla.unwrap_or_default();
    let csv_href = format!("/console/district.csv?from={from}&to={to}&mahalla={}", url_encode(&mahalla));
    let chrome = Chrome::new(locale, "/console/district", "console.nav.district", Some(&session));
    let sections = sections(&glance, from, to, &mahalla);
    html(
        StatusCode::OK,
        &DistrictPage { chrome, subtitle: glance.report.subtitle.clone(), from: from.to_string(), to: to.to_string(), mahalla, csv_href, sections },
    )
}

/// GET `/console/district.csv`: the same report as CSV (an export, in the audit chain).
pub(crate) async fn district_csv(
    State(state): State<ConsoleState>,
    Lang(locale): Lang,
    Signed(session): Signed,
    Query(query): Query<DistrictQuery>,
) -> Response {
    if !session.account.role.sees_registers() {
        return forbidden(locale, &session);
    }
    match report(&state, locale, &session, &query, "export").await {
        Ok(shown) => (
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"district.csv\"")],
            shown.glance.report.to_csv(),
        )
            .into_response(),
        Err(refused) => *refused,
    }
}
