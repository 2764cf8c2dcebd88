//! What every console page shares: the language, the signed-in session (checked before any
//! handler runs), the frame around the content, and the answers for refusals.

use super::accounts::ConsoleAccount;
use super::sessions::{same_token, Session};
use super::ConsoleState;
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::time::Instant;
use suhbat_core::access::ALL_SCOPES;
use suhbat_core::i18n::{self, Locale};

/// The cookie that holds the session token (`__Host-`: HTTPS only, this host only, path `/`).
pub(crate) const SESSION_COOKIE: &str = "__Host-suhbat-session";
/// The cookie that holds the chosen language.
const LANG_COOKIE: &str = "__Host-suhbat-lang";

/// The value of cookie `name` in the request.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value for a secure, script-proof, same-site cookie (`max_age` 0 removes it).
pub(crate) fn set_cookie(name: &str, value: &str, max_age: Option<u64>) -> String {
    let age = max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
    format!("{name}={value}; Path=/; Secure; HttpOnly; SameSite=Strict{age}")
}

/// The request's language: `?lang=` (remembered in a cookie), else the cookie, else the
/// browser's first language the catalog has, else uz-Latn.
pub(crate) struct Lang(pub Locale);

impl Lang {
    fn from_query(parts: &Parts) -> Option<Locale> {
        parts.uri.query()?.split('&').find_map(|p| p.strip_prefix("lang=")).and_then(Locale::parse)
    }
}

impl<S: Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let from_browser = || {
            let accepted = parts.headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
            accepted.split(',').find_map(|l| Locale::parse(l.split(';').next().unwrap_or("").trim()))
        };
        let locale = Self::from_query(parts).or_else(|| cookie(&parts.headers, LANG_COOKIE).and_then(Locale::parse)).or_else(from_browser);
        Ok(Lang(locale.unwrap_or_default()))
    }
}

/// Remembers a language picked with `?lang=` for the next pages.
pub(crate) async fn remember_language(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let (parts, body) = request.into_parts();
    let picked = Lang::from_query(&parts);
    let mut response = next.run(axum::extract::Request::from_parts(parts, body)).await;
    if let Some(locale) = picked {
        if let Ok(value) = set_cookie(LANG_COOKIE, locale.tag(), Some(365 * 24 * 3600)).parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The text of `key` in `locale`; a key the catalog lacks shows as `⟦key⟧` (the browser tests
/// look for that mark on every page).
pub(crate) fn text(locale: Locale, key: &str) -> String {
    if i18n::has(key) {
        i18n::text(locale, key)
    } else {
        format!("⟦{key}⟧")
    }
}

/// `key` with its `{name}` placeholders filled in.
pub(crate) fn render(locale: Locale, key: &str, params: &[(&str, String)]) -> String {
    if i18n::has(key) {
        i18n::render(locale, key, params)
    } else {
        format!("⟦{key}⟧")
    }
}

/// A link in the top bar.
pub(crate) struct Link {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// The signed-in account as the top bar shows it.
pub(crate) struct UserBar {
    pub name: String,
    pub csrf: String,
}

/// The frame around every page: title, navigation, languages, the account and notices.
pub(crate) struct Chrome {
    pub locale: Locale,
    pub title: String,
    pub nav: Vec<Link>,
    pub languages: Vec<Link>,
    pub user: Option<UserBar>,
    pub notices: Vec<String>,
}

impl Chrome {
    /// The frame of page `path` titled by catalog key `title`.
    pub(crate) fn new(locale: Locale, path: &str, title: &str, session: Option<&Session>) -> Chrome {
        let mut nav = vec![];
        if let Some(session) = session {
            nav.push(("/console", "console.nav.home"));
            if session.account.role.sees_registers() {
                nav.push(("/console/district", "console.nav.district"));
                nav.push(("/console/books", "console.nav.books"));
                nav.push(("/console/conflicts", "console.nav.conflicts"));
                nav.push(("/console/devices", "console.nav.devices"));
            }
        }
        Chrome {
            locale,
            title: text(locale, title),
            nav: nav.into_iter().map(|(href, key)| Link { href: href.into(), label: text(locale, key), current: href == path }).collect(),
            languages: Locale::ALL
                .iter()
                .map(|l| Link { href: format!("{path}?lang={}", l.tag()), label: text(*l, &format!("console.lang.{}", l.tag())), current: *l == locale })
                .collect(),
            user: session.map(|s| UserBar { name: s.account.name.clone(), csrf: s.csrf.clone() }),
            notices: vec![],
        }
    }

    /// The text of `key` in the page's language.
    pub(crate) fn t(&self, key: &str) -> String {
        text(self.locale, key)
    }

    /// The page's language tag.
    pub(crate) fn lang(&self) -> &'static str {
        self.locale.tag()
    }

    /// The account's mahallas as a person reads them.
    pub(crate) fn scopes(&self, account: &ConsoleAccount) -> String {
        if account.scopes.iter().any(|s| s == ALL_SCOPES) {
            self.t("console.scopes.all")
        } else {
            account.scopes.join(", ")
        }
    }
}

/// A page with only a message (refusals, errors).
#[derive(Template)]
#[template(path = "console/message.html")]
struct MessagePage {
    chrome: Chrome,
    message: String,
    /// The HTTP status, also on the page (browser tests read it).
    status: u16,
}

/// Renders a template as an HTML answer.
pub(crate) fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response(),
        Err(e) => {
            eprintln!("suhbat-hub: a console page failed to render: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "the page failed to render").into_response()
        }
    }
}

/// A page that says `message` with `status`.
pub(crate) fn message(status: StatusCode, locale: Locale, session: Option<&Session>, message: String) -> Response {
    html(status, &MessagePage { chrome: Chrome::new(locale, "", "console.title", session), message, status: status.as_u16() })
}

/// 403: the account may not open this page.
pub(crate) fn forbidden(locale: Locale, session: &Session) -> Response {
    message(StatusCode::FORBIDDEN, locale, Some(session), text(locale, "console.forbidden"))
}

/// 500 with the error (the hub's own words; the console is for its operators).
pub(crate) fn failed(locale: Locale, session: Option<&Session>, error: impl std::fmt::Display) -> Response {
    message(StatusCode::INTERNAL_SERVER_ERROR, locale, session, render(locale, "console.failed", &[("error", error.to_string())]))
}

/// 404 for paths the console does not have.
pub(crate) async fn not_found(Lang(locale): Lang) -> Response {
    message(StatusCode::NOT_FOUND, locale, None, text(locale, "console.not_found"))
}

/// `value` for a URL's query: every byte but ASCII letters, digits and `-._~` percent-encoded.
pub(crate) fn url_encode(value: &str) -> String {
    value.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { char::from(b).to_string() } else { format!("%{b:02X}") }).collect()
}

/// Sends the browser to `to` (after a form).
pub(crate) fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// A signed-in request: the session is open (it expires after the idle limit), and every
/// page it opens is written to the hub's audit chain. Without one, the browser is sent to
/// sign in.
pub(crate) struct Signed(pub Session);

impl FromRequestParts<ConsoleState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &ConsoleState) -> Result<Self, Self::Rejection> {
        let session = cookie(&parts.headers, SESSION_COOKIE).and_then(|token| state.sessions.touch(token, Instant::now()));
        let Some(session) = session else {
            let expired = cookie(&parts.headers, SESSION_COOKIE).is_some();
            return Err(see_other(if expired { "/console/login?expired=1" } else { "/console/login" }));
        };
        if parts.method == Method::GET {
            let (name, path) = (session.account.name.clone(), parts.uri.path().to_string());
            if let Err(e) = state.with_hub(move |hub| Ok(hub.audit_console(&name, &format!("view:{path}"), None)?)).await {
                // A page the audit chain could not record is not shown.
                return Err(failed(Locale::default(), None, e));
            }
        }
        Ok(Signed(session))
    }
}

/// The refusal of a form whose CSRF token is not the session's.
pub(crate) fn csrf_refusal(locale: Locale, session: &Session, sent: &str) -> Option<Response> {
    (!same_token(&session.csrf, sent)).then(|| message(StatusCode::FORBIDDEN, locale, Some(session), text(locale, "console.csrf")))
}
