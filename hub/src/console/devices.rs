//! The devices page: every device of the account's mahallas with its person, role, mahallas,
//! last sync and alerts; enrol a new one with a QR code (hub address, one-time code, the
//! authority's fingerprint); revoke a lost phone; give a device another role or mahallas.

use super::accounts::ConsoleAccount;
use super::page::{csrf_refusal, failed, forbidden, html, message, render, text, Chrome, Lang, Signed};
use super::sessions::Session;
use super::ConsoleState;
use crate::HubError;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use suhbat_core::access::ALL_SCOPES;
use suhbat_core::sync::{EnrolInvite, EnrolledDevice, HubAlert};
use suhbat_core::{scope_key, Locale, Role};

/// How long a code made on the console stays valid.
const CODE_VALID_HOURS: i64 = 24;

/// A device as a row of the table.
struct DeviceRow {
    id: String,
    person: String,
    role: String,
    role_key: String,
    scopes: String,
    last_sync: String,
    status: String,
    revoked: bool,
}

/// A role in a select box.
struct RoleOption {
    value: &'static str,
    label: String,
}

/// An alert as a row.
struct AlertRow {
    at: String,
    kind: String,
    detail: String,
}

/// A code just made, to show.
struct NewCode {
    code: String,
    qr_svg_base64: String,
    scan: String,
    invite: String,
}

#[derive(Template)]
#[template(path = "console/devices.html")]
struct DevicesPage {
    chrome: Chrome,
    csrf: String,
    devices: Vec<DeviceRow>,
    alerts: Vec<AlertRow>,
    roles: Vec<RoleOption>,
    new_code: Option<NewCode>,
}

fn time(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%d %H:%M").to_string())
}

/// Whether the account sees a device: one of its mahallas is the account's.
fn sees_device(account: &ConsoleAccount, device: &EnrolledDevice) -> bool {
    device.scopes.iter().any(|s| account.sees_scope(s))
}

/// Whether the account may give a device these mahallas (stored keys).
fn may_grant(account: &ConsoleAccount, scopes: &[String]) -> bool {
    !scopes.is_empty() && scopes.iter().all(|s| account.sees_scope(s))
}

/// Parses a comma-separated list of mahallas into stored keys.
fn scope_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| if s == ALL_SCOPES { s.to_string() } else { scope_key(s) }).collect()
}

/// The devices page, with a notice and maybe a code just made.
async fn page(state: &ConsoleState, locale: Locale, session: &Session, notice: Option<String>, new_code: Option<NewCode>) -> Response {
    let loaded = state.with_hub(|hub| Ok((hub.devices()?, hub.alerts()?))).await;
    let (devices, alerts): (Vec<EnrolledDevice>, Vec<HubAlert>) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return failed(locale, Some(session), e),
    };
    let account = &session.account;
    let visible: Vec<EnrolledDevice> = devices.into_iter().filter(|d| sees_device(account, d)).collect();
    let everything = account.scopes.iter().any(|s| s == ALL_SCOPES);
    let alerts = alerts
        .into_iter()
        .filter(|a| everything || visible.iter().any(|d| d.device_id == a.device_id))
        .map(|a| AlertRow { at: time(a.at).unwrap_or_default(), kind: a.kind, detail: a.detail })
        .collect();
    let devices = visible
        .into_iter()
        .map(|d| DeviceRow {
            role: text(locale, &format!("role.{}", d.role)),
            role_key: d.role,
            scopes: d.scopes.join(", "),
            last_sync: d.last_sync.and_then(time).unwrap_or_else(|| text(locale, "console.devices.never")),
            status: text(locale, if d.revoked { "console.devices.revoked" } else { "console.devices.active" }),
            revoked: d.revoked,
            id: d.device_id,
            person: d.person,
        })
        .collect();
    let roles = Role::ALL.iter().map(|r| RoleOption { value: r.as_str(), label: text(locale, &format!("role.{}", r.as_str())) }).collect();
    let mut chrome = Chrome::new(locale, "/console/devices", "console.nav.devices", Some(session));
    chrome.notices.extend(notice);
    html(StatusCode::OK, &DevicesPage { chrome, csrf: session.csrf.clone(), devices, alerts, roles, new_code })
}

/// GET `/console/devices`.
pub(crate) async fn list(State(state): State<ConsoleState>, Lang(locale): Lang, Signed(session): Signed) -> Response {
    if !session.account.role.sees_registers() {
        return forbidden(locale, &session);
    }
    page(&state, locale, &session, None, None).await
}

/// The enrolment form.
#[derive(serde::Deserialize)]
pub(crate) struct EnrolForm {
    csrf: String,
    person: String,
    role: String,
    scopes: String,
}

/// The QR code of an invitation, as an SVG image in base64 (for an `<img>`: pages allow no
/// inline markup from elsewhere).
fn qr_svg_base64(invite: &str) -> Result<String, HubError> {
    use base64::Engine;
    let code = qrcode::QrCode::new(invite.as_bytes()).map_err(|e| HubError::Io(format!("making the QR code: {e}")))?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(320, 320).quiet_zone(true).build();
    Ok(base64::engine::general_purpose::STANDARD.encode(svg))
}

/// The refusal of a devices form: the account may not manage devices, or the form's token
/// is not the session's.
fn refusal(locale: Locale, session: &Session, csrf: &str) -> Option<Response> {
    if !session.account.role.sees_registers() {
        return Some(forbidden(locale, session));
    }
    csrf_refusal(locale, session, csrf)
}

/// POST `/console/devices/enrol`: a one-time code for a person, shown as text and QR code.
pub(crate) async fn enrol(State(state): State<ConsoleState>, Lang(locale): Lang, Signed(session): Signed, Form(form): Form<EnrolForm>) -> Response {
    if let Some(refused) = refusal(locale, &session, &form.csrf) {
        return refused;
    }
    let scopes = scope_list(&form.scopes);
    let person = form.person.trim().to_string();
    let Some(role) = Role::parse(&form.role).filter(|_| !person.is_empty() && may_grant(&session.account, &scopes)) else {
        return message(StatusCode::BAD_REQUEST, locale, Some(&session), text(locale, "console.bad_input"));
    };
    let (account, audited_person) = (session.account.name.clone(), person.clone());
    let made = state
        .with_hub(move |hub| {
            let code = hub.create_enrolment_code(&person, role, &scopes, chrono::Duration::hours(CODE_VALID_HOURS))?;
            hub.audit_console(&account, &format!("enrol-code:{audited_person}"), None)?;
            Ok(code)
        })
        .await;
    let code = match made {
        Ok(code) => code,
        Err(e) => return failed(locale, Some(&session), e),
    };
    let invite = EnrolInvite { hub_url: state.hub_url.to_string(), code: code.clone(), ca_fingerprint: state.fingerprint.as_deref().map(String::from) };
    let shown = invite.to_text().map_err(HubError::from).and_then(|text| Ok((qr_svg_base64(&text)?, text)));
    let (qr_svg_base64, invite) = match shown {
        Ok(shown) => shown,
        Err(e) => return failed(locale, Some(&session), e),
    };
    let scan = render(locale, "console.enrol.scan", &[("hours", CODE_VALID_HOURS.to_string())]);
    page(&state, locale, &session, None, Some(NewCode { code, qr_svg_base64, scan, invite })).await
}

/// A form about one device.
#[derive(serde::Deserialize)]
pub(crate) struct DeviceForm {
    csrf: String,
    device: String,
    #[serde(default)]
    scopes: Option<String>,
    #[serde(default)]
    role: Option<String>,
}

/// The device of a form, if the account sees it.
async fn device_of(state: &ConsoleState, account: &ConsoleAccount, device_id: &str) -> Result<Option<EnrolledDevice>, HubError> {
    let devices = state.with_hub(|hub| Ok(hub.devices()?)).await?;
    Ok(devices.into_iter().find(|d| d.device_id == device_id && sees_device(account, d)))
}

/// POST `/console/devices/revoke`.
pub(crate) async fn revoke(State(state): State<ConsoleState>, Lang(locale): Lang, Signed(session): Signed, Form(form): Form<DeviceForm>) -> Response {
    if let Some(refused) = refusal(locale, &session, &form.csrf) {
        return refused;
    }
    let device = match device_of(&state, &session.account, &form.device).await {
        Ok(Some(device)) => device,
        Ok(None) => return message(StatusCode::NOT_FOUND, locale, Some(&session), text(locale, "console.not_found")),
        Err(e) => return failed(locale, Some(&session), e),
    };
    let (account, id) = (session.account.name.clone(), device.device_id.clone());
    if let Err(e) = state
        .with_hub(move |hub| {
            hub.revoke(&id)?;
            Ok(hub.audit_console(&account, &format!("revoke:{id}"), None)?)
        })
        .await
    {
        return failed(locale, Some(&session), e);
    }
    let notice = render(locale, "console.devices.revoked_ok", &[("person", device.person)]);
    page(&state, locale, &session, Some(notice), None).await
}

/// POST `/console/devices/reassign`: another role and/or other mahallas, the device kept.
pub(crate) async fn reassign(State(state): State<ConsoleState>, Lang(locale): Lang, Signed(session): Signed, Form(form): Form<DeviceForm>) -> Response {
    if let Some(refused) = refusal(locale, &session, &form.csrf) {
        return refused;
    }
    let device = match device_of(&state, &session.account, &form.device).await {
        Ok(Some(device)) if !device.revoked => device,
        Ok(_) => return message(StatusCode::NOT_FOUND, locale, Some(&session), text(locale, "console.not_found")),
        Err(e) => return failed(locale, Some(&session), e),
    };
    let scopes = form.scopes.as_deref().map(scope_list);
    let role = match form.role.as_deref().filter(|r| !r.is_empty()) {
        Some(name) => match Role::parse(name) {
            Some(role) => Some(role),
            None => return message(StatusCode::BAD_REQUEST, locale, Some(&session), text(locale, "console.bad_input")),
        },
        None => None,
    };
    if scopes.as_ref().is_some_and(|s| !may_grant(&session.account, s)) {
        return message(StatusCode::BAD_REQUEST, locale, Some(&session), text(locale, "console.bad_input"));
    }
    let (account, id) = (session.account.name.clone(), device.device_id.clone());
    let changed = state
        .with_hub(move |hub| {
            if let Some(scopes) = &scopes {
                hub.set_scopes(&id, scopes)?;
            }
            if let Some(role) = role {
                hub.set_role(&id, role)?;
            }
            Ok(hub.audit_console(&account, &format!("reassign:{id}"), None)?)
        })
        .await;
    if let Err(e) = changed {
        return failed(locale, Some(&session), e);
    }
    let notice = render(locale, "console.devices.changed_ok", &[("person", device.person)]);
    page(&state, locale, &session, Some(notice), None).await
}
