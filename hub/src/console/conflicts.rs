//! Open conflicts waiting for a decision: the core's conflict list (`views::conflict_list` on
//! the hub's store), only of the account's mahallas; deciding one writes the chosen value as
//! the hub's own signed change, which reaches the phones at their next sync.

use super::page::{csrf_refusal, failed, forbidden, html, message, text, Chrome, Lang, Signed};
use super::sessions::Session;
use super::ConsoleState;
use crate::HubError;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use suhbat_core::views::{conflict_list, ConflictList, ViewContext};
use suhbat_core::Locale;

#[derive(Template)]
#[template(path = "console/conflicts.html")]
struct ConflictsPage {
    chrome: Chrome,
    csrf: String,
    list: ConflictList,
}

/// The conflicts the account may see.
async fn page(state: &ConsoleState, locale: Locale, session: &Session, notice: Option<String>) -> Response {
    let account = session.account.clone();
    let listed = state
        .with_hub(move |hub| {
            let mut list = conflict_list(&mut *hub.view_store()?, &ViewContext::new(locale))?;
            let mut visible = Vec::with_capacity(list.rows.len());
            for row in list.rows {
                if hub.record_bucket(&row.record_id)?.is_some_and(|b| account.sees_scope(&b.scope)) {
                    visible.push(row);
                }
            }
            list.rows = visible;
            Ok::<_, HubError>(list)
        })
        .await;
    match listed {
        Ok(list) => {
            let mut chrome = Chrome::new(locale, "/console/conflicts", "console.nav.conflicts", Some(session));
            chrome.notices.extend(notice);
            html(StatusCode::OK, &ConflictsPage { chrome, csrf: session.csrf.clone(), list })
        }
        Err(e) => failed(locale, Some(session), e),
    }
}

/// GET `/console/conflicts`.
pub(crate) async fn list(State(state): State<ConsoleState>, Lang(locale): Lang, Signed(session): Signed) -> Response {
    if !session.account.role.sees_registers() {
        return forbidden(locale, &session);
    }
    page(&state, locale, &session, None).await
}

/// A decision as posted.
#[derive(serde::Deserialize)]
pub(crate) struct DecideForm {
    csrf: String,
    record: String,
    path: String,
    value: String,
}

/// POST `/console/conflicts/decide`.
pub(crate) async fn decide(State(state): State<ConsoleState>, Lang(locale): Lang, Signed(session): Signed, Form(form): Form<DecideForm>) -> Response {
    if !session.account.role.sees_registers() {
        return forbidden(locale, &session);
    }
    if let Some(refused) = csrf_refusal(locale, &session, &form.csrf) {
        return refused;
    }
    let account = session.account.clone();
    let decided = state
        .with_hub(move |hub| {
            let Some(bucket) = hub.record_bucket(&form.record)? else { return Ok(false) };
            if !account.sees_scope(&bucket.scope) {
                return Ok(false);
            }
            hub.resolve_conflict(&form.record, &form.path, &form.value, &account.name)?;
            hub.audit_console(&account.name, &format!("decide:{}", form.path), Some(&form.record))?;
            Ok::<_, HubError>(true)
        })
        .await;
    match decided {
        Ok(true) => page(&state, locale, &session, Some(text(locale, "console.conflicts.decided_ok"))).await,
        Ok(false) => message(StatusCode::NOT_FOUND, locale, Some(&session), text(locale, "console.not_found")),
        Err(HubError::Store(suhbat_core::Error::NoSuchConflict { .. })) => page(&state, locale, &session, Some(text(locale, "console.conflicts.gone"))).await,
        Err(e) => failed(locale, Some(&session), e),
    }
}
