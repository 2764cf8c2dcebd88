//! Drill-down from the district at a glance: the records behind one figure (the core's
//! `district_records`), for the same period and mahalla and within the account's mahallas,
//! each linking to its record page with its history. The list and every record on it are
//! written to the hub's audit chain.

use super::district::{resolve, DistrictQuery};
use super::page::{failed, forbidden, html, message, text, url_encode, Chrome, Lang, Signed};
use super::ConsoleState;
use crate::HubError;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use suhbat_core::access::ALL_SCOPES;
use suhbat_core::views::{district_records, DistrictRecords, ViewContext};

/// The address of the list of the records behind the figure `key`.
pub(super) fn href(key: &str, from: NaiveDate, to: NaiveDate, mahalla: &str) -> String {
    format!("/console/district/records?key={}&from={from}&to={to}&mahalla={}", url_encode(key), url_encode(mahalla))
}

#[derive(Template)]
#[template(path = "console/records.html")]
struct RecordsPage {
    chrome: Chrome,
    back: String,
    records: DistrictRecords,
}

/// The figure asked for, with the glance's period and mahalla.
#[derive(serde::Deserialize)]
pub(crate) struct RecordsQuery {
    key: String,
    from: Option<String>,
    to: Option<String>,
    mahalla: Option<String>,
}

/// GET `/console/district/records`.
pub(crate) async fn records(State(state): State<ConsoleState>, Lang(locale): Lang, Signed(session): Signed, Query(query): Query<RecordsQuery>) -> Response {
    if !session.account.role.sees_registers() {
        return forbidden(locale, &session);
    }
    let ctx = ViewContext::new(locale);
    let district = DistrictQuery { from: query.from.clone(), to: query.to.clone(), mahalla: query.mahalla.clone() };
    let (from, to, mahalla) = match resolve(locale, &session, &district, ctx.today()) {
        Ok(resolved) => resolved,
        Err(refused) => return *refused,
    };
    let (account, key, scope) = (session.account.name.clone(), query.key.clone(), mahalla.clone());
    let made = state
        .with_hub(move |hub| {
            let records = match district_records(&mut *hub.view_store()?, &ctx, from, to, scope.as_deref(), &key) {
                Ok(records) => records,
                Err(suhbat_core::Error::NotFound(_)) => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            hub.audit_console(&account, &format!("records:district:{key}:{from}:{to}:{}", scope.as_deref().unwrap_or(ALL_SCOPES)), None)?;
            for row in &records.rows {
                hub.audit_console(&account, "list:district", Some(&row.record_id))?;
            }
            Ok::<_, HubError>(Some(records))
        })
        .await;
    match made {
        Ok(Some(records)) => {
            let mut chrome = Chrome::new(locale, "/console/district", "console.nav.district", Some(&session));
            chrome.title.clone_from(&records.title);
            let back = format!("/console/district?from={from}&to={to}&mahalla={}", url_encode(mahalla.as_deref().unwrap_or_default()));
            html(StatusCode::OK, &RecordsPage { chrome, back, records })
        }
        Ok(None) => message(StatusCode::NOT_FOUND, locale, Some(&session), text(locale, "console.not_found")),
        Err(e) => failed(locale, Some(&session), e),
    }
}
