//! The base-point console: the supervisors' web page, served by the hub over its own HTTPS.
//! Pages are askama templates compiled into the hub; every word on them comes from the core's
//! catalog and every figure from the core's view-models. No JavaScript.
//!
//! | path | what |
//! |---|---|
//! | `/console/login` | sign in (GET the form, POST it) |
//! | `/console/logout` | sign out (POST) |
//! | `/console` | overview |
//! | `/console/district` | the district at a glance as charts and tables (`.csv`: as CSV) |
//! | `/console/district/records` | the records behind one figure of it |
//! | `/console/books` | the registry books and the alphabetical book, searchable in either script (`.csv`, `.json`: exports) |
//! | `/console/record/{id}` | a record's history |
//! | `/console/conflicts` | open conflicts; deciding one is the hub's own signed change |
//! | `/console/devices` | devices and alerts; enrol (QR), revoke, change role or mahallas |

mod accounts;
mod auth;
mod books;
mod conflicts;
mod devices;
mod district;
mod drill;
mod page;
mod sessions;

pub use accounts::{add_console_account, new_password, ConsoleAccount, ConsoleRole, MIN_PASSWORD_CHARS};

use crate::HubError;
use accounts::Accounts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::map_response;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use sessions::{LoginGuard, Sessions};
use std::path::Path;
use std::sync::Arc;
use suhbat_core::sync::Hub;

/// What every console request shares.
#[derive(Clone)]
pub(crate) struct ConsoleState {
    hub: Arc<Hub>,
    accounts: Accounts,
    sessions: Arc<Sessions>,
    guard: Arc<LoginGuard>,
    /// The hub's address as devices reach it, for the enrolment QR code.
    hub_url: Arc<str>,
    /// The fingerprint of the authority devices pin (HTTPS only).
    fingerprint: Option<Arc<str>>,
}

impl ConsoleState {
    /// Runs a blocking hub call off the async threads.
    async fn with_hub<T: Send + 'static>(&self, f: impl FnOnce(&Hub) -> Result<T, HubError> + Send + 'static) -> Result<T, HubError> {
        let hub = self.hub.clone();
        tokio::task::spawn_blocking(move || f(&hub)).await.map_err(|e| HubError::Io(format!("a console request failed: {e}")))?
    }
}

/// The console's stylesheet (served, not inline: the pages allow no inline styles).
const STYLE: &str = include_str!("../../templates/console/style.css");

async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=3600")], STYLE)
}

/// Headers every console answer carries: no scripts, no framing, no caching of pages.
async fn harden(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

async fn to_overview() -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, "/console")]).into_response()
}

/// The console's routes for the hub in `data_dir`, reachable by devices at `hub_url`.
pub(crate) fn routes(hub: Arc<Hub>, data_dir: &Path, hub_url: &str, fingerprint: Option<&str>) -> Router {
    let state = ConsoleState {
        hub,
        accounts: Accounts::of(data_dir),
        sessions: Arc::default(),
        guard: Arc::default(),
        hub_url: hub_url.into(),
        fingerprint: fingerprint.map(Into::into),
    };
    Router::new()
        .route("/console", get(auth::overview))
        .route("/console/", get(to_overview))
        .route("/console/login", get(auth::login_form).post(auth::login))
        .route("/console/logout", post(auth::logout))
        .route("/console/district", get(district::district))
        .route("/console/district.csv", get(district::district_csv))
        .route("/console/district/records", get(drill::records))
        .route("/console/books", get(books::books))
        .route("/console/books.csv", get(books::export_csv))
        .route("/console/books.json", get(books::export_json))
        .route("/console/record/{id}", get(books::record))
        .route("/console/conflicts", get(conflicts::list))
        .route("/console/conflicts/decide", post(conflicts::decide))
        .route("/console/devices", get(devices::list))
        .route("/console/devices/enrol", post(devices::enrol))
        .route("/console/devices/revoke", post(devices::revoke))
        .route("/console/devices/reassign", post(devices::reassign))
        .route("/console/style.css", get(style))
        .route("/console/{*rest}", get(page::not_found))
        .with_state(state)
        .layer(axum::middleware::from_fn(page::remember_language))
        .layer(map_response(harden))
}
