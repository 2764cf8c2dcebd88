//! Signing in and out, and the overview page a signed-in account lands on.

use super::page::{cookie, csrf_refusal, html, message, render, see_other, set_cookie, text, Chrome, Lang, Signed, SESSION_COOKIE};
use super::sessions::{random_token, same_token, Hold, LOCKOUT};
use super::ConsoleState;
use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use std::net::SocketAddr;
use std::time::Instant;
use suhbat_core::Locale;

/// The cookie that ties the sign-in form to the browser that asked for it (CSRF on sign-in).
const LOGIN_COOKIE: &str = "__Host-suhbat-login";

#[derive(Template)]
#[template(path = "console/login.html")]
struct LoginPage {
    chrome: Chrome,
    csrf: String,
    account: String,
    error: Option<String>,
}

/// The sign-in form, with a fresh token in a cookie and in the form.
fn login_page(locale: Locale, status: StatusCode, account: &str, error: Option<String>) -> Response {
    let csrf = random_token();
    let mut chrome = Chrome::new(locale, "/console/login", "console.login.title", None);
    chrome.notices.clear();
    let mut response = html(status, &LoginPage { chrome, csrf: csrf.clone(), account: account.to_string(), error });
    if let Ok(value) = set_cookie(LOGIN_COOKIE, &csrf, None).parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// GET `/console/login`.
pub(crate) async fn login_form(Lang(locale): Lang, headers: HeaderMap, query: axum::extract::RawQuery) -> Response {
    let expired = query.0.is_some_and(|q| q.split('&').any(|p| p == "expired=1")) && cookie(&headers, SESSION_COOKIE).is_some();
    login_page(locale, StatusCode::OK, "", expired.then(|| text(locale, "console.expired")))
}

/// The sign-in form as posted.
#[derive(serde::Deserialize)]
pub(crate) struct LoginForm {
    account: String,
    password: String,
    csrf: String,
}

/// POST `/console/login`.
pub(crate) async fn login(
    State(state): State<ConsoleState>,
    Lang(locale): Lang,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    if !cookie(&headers, LOGIN_COOKIE).is_some_and(|expected| same_token(expected, &form.csrf)) {
        return message(StatusCode::FORBIDDEN, locale, None, text(locale, "console.csrf"));
    }
    let name = form.account.trim().to_string();
    let now = Instant::now();
    match state.guard.admit(from.ip(), &name, now) {
        Some(Hold::TooFast) => return login_page(locale, StatusCode::TOO_MANY_REQUESTS, &name, Some(text(locale, "console.login.too_fast"))),
        Some(Hold::Locked(minutes)) => {
            return login_page(locale, StatusCode::FORBIDDEN, &name, Some(render(locale, "console.login.locked", &[("minutes", minutes.to_string())])))
        }
        None => {}
    }
    let accounts = state.accounts.clone();
    let (checked_name, password) = (name.clone(), form.password);
    let checked = tokio::task::spawn_blocking(move || accounts.check(&checked_name, &password)).await;
    let account = match checked {
        Ok(Ok(account)) => account,
        Ok(Err(e)) => return super::page::failed(locale, None, e),
        Err(e) => return super::page::failed(locale, None, e),
    };
    let Some(account) = account else {
        if state.guard.wrong_password(&name, now) {
            let minutes = LOCKOUT.as_secs() / 60;
            let (alert_name, detail) = (name.clone(), format!("too many wrong passwords from {}: the account is locked for {minutes} minutes", from.ip()));
            if let Err(e) = state.with_hub(move |hub| Ok(hub.alert_console(&alert_name, "console-lockout", &detail)?)).await {
                return super::page::failed(locale, None, e);
            }
            return login_page(locale, StatusCode::FORBIDDEN, &name, Some(render(locale, "console.login.locked", &[("minutes", minutes.to_string())])));
        }
        return login_page(locale, StatusCode::UNAUTHORIZED, &name, Some(text(locale, "console.login.wrong")));
    };
    state.guard.signed_in(&name);
    let signed_name = name.clone();
    if let Err(e) = state.with_hub(move |hub| Ok(hub.audit_console(&signed_name, "login", None)?)).await {
        return super::page::failed(locale, None, e);
    }
    let token = state.sessions.open(account, now);
    let mut response = see_other("/console");
    for value in [set_cookie(SESSION_COOKIE, &token, None), set_cookie(LOGIN_COOKIE, "", Some(0))] {
        if let Ok(value) = value.parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// A form that carries only its CSRF token.
#[derive(serde::Deserialize)]
pub(crate) struct TokenForm {
    csrf: String,
}

/// POST `/console/logout`.
pub(crate) async fn logout(
    State(state): State<ConsoleState>,
    Lang(locale): Lang,
    Signed(session): Signed,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Response {
    if let Some(refused) = csrf_refusal(locale, &session, &form.csrf) {
        return refused;
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.sessions.close(token);
    }
    let name = session.account.name.clone();
    if let Err(e) = state.with_hub(move |hub| Ok(hub.audit_console(&name, "logout", None)?)).await {
        return super::page::failed(locale, None, e);
    }
    let mut response = see_other("/console/login");
    if let Ok(value) = set_cookie(SESSION_COOKIE, "", Some(0)).parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response.into_response()
}

#[derive(Template)]
#[template(path = "console/overview.html")]
struct OverviewPage {
    chrome: Chrome,
    signed_in: String,
}

/// GET `/console`.
pub(crate) async fn overview(Lang(locale): Lang, Signed(session): Signed) -> Response {
    let chrome = Chrome::new(locale, "/console", "console.nav.home", Some(&session));
    let account = &session.account;
    let signed_in = render(
        locale,
        "console.home.signed_in",
        &[("name", account.name.clone()), ("role", text(locale, account.role.label_key())), ("scopes", chrome.scopes(account))],
    );
    html(StatusCode::OK, &OverviewPage { chrome, signed_in })
}
