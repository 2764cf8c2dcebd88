//! The base-point console in a real browser (headless chromium over WebDriver) against the
//! real hub over HTTPS: signing in, wrong passwords and lockout, CSRF refusal, sessions and
//! their cookies, need-to-know per account, and the audit chain's record of what was seen.

use crate::common::browser::Browser;
use crate::common::Base;
use suhbat_hub::{add_console_account, open_hub, ConsoleRole, Endpoints, Limits};

pub(crate) const PASSWORD: &str = "steppe-river-2026";

/// A hub over HTTPS with a supervisor (every mahalla), a base-point head (Navbahor) and a
/// member of a mahalla seven.
pub(crate) fn base_with_accounts() -> Base {
    let base = Base::start(Limits::default(), false, Endpoints::default());
    let dir = base.hub_dir();
    add_console_account(&dir, "aziz", ConsoleRole::Supervisor, &["*".into()], PASSWORD).unwrap();
    add_console_account(&dir, "malika", ConsoleRole::Head, &["Navbahor".into()], PASSWORD).unwrap();
    add_console_account(&dir, "gulnora", ConsoleRole::Seven, &["Navbahor".into()], PASSWORD).unwrap();
    base
}

pub(crate) fn sign_in(browser: &Browser, url: &str, account: &str, password: &str) {
    browser.open(&format!("{url}/console/login?lang=en"));
    browser.fill("#account", account);
    browser.fill("#password", password);
    browser.click("#sign-in");
}

#[test]
fn signing_in_wrong_passwords_lockout_csrf_and_signing_out_in_a_real_browser() {
    let base = base_with_accounts();
    let url = base.hub.url.clone();
    let browser = Browser::start(&base.hub_dir(), "sign_in");

    // Not signed in: the console sends the browser to the sign-in form.
    browser.open(&format!("{url}/console"));
    assert!(browser.url().ends_with("/console/login"), "{}", browser.url());
    browser.screenshot("login");

    sign_in(&browser, &url, "aziz", "not the password");
    assert_eq!(browser.text("#message"), "Wrong account or password");
    sign_in(&browser, &url, "aziz", PASSWORD);
    assert!(browser.url().ends_with("/console"), "{}", browser.url());
    assert_eq!(browser.text("#signed-in"), "Signed in as aziz (Supervisor); mahallas: every mahalla");
    let session = browser.cookies().into_iter().find(|c| c["name"] == "__Host-suhbat-session").expect("a session cookie");
    assert_eq!((session["httpOnly"].as_bool(), session["secure"].as_bool(), session["sameSite"].as_str()), (Some(true), Some(true), Some("Strict")));
    browser.screenshot("overview");

    // A form whose token is not the session's is refused, and nothing happens.
    browser.open(&format!("{url}/console/devices"));
    let phone = base.phone("Dilshod");
    let device_id = phone.device().device_id.clone();
    browser.open(&format!("{url}/console/devices"));
    browser.script("document.querySelectorAll('input[name=csrf]').forEach(i => i.value = 'forged');");
    browser.click(&format!("tr[data-device='{device_id}'] button.revoke"));
    assert_eq!(browser.attribute("#message", "data-status").as_deref(), Some("403"));
    assert_eq!(browser.text("#message"), "This form is not from your session (it may be old); open the page again");
    assert!(open_hub(&base.hub_dir()).unwrap().devices().unwrap().iter().all(|d| !d.revoked), "a forged form revoked nothing");

    // Every page the account saw is in the hub's audit chain.
    let seen: Vec<String> = open_hub(&base.hub_dir()).unwrap().console_audit("aziz").unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(seen, ["login", "view:/console", "view:/console/devices", "view:/console/devices"]);

    // Signing out ends the session: its pages send the browser to sign in again.
    browser.open(&format!("{url}/console"));
    browser.click("#logout");
    assert!(browser.url().ends_with("/console/login"), "{}", browser.url());
    browser.open(&format!("{url}/console/devices"));
    assert!(browser.url().contains("/console/login"), "{}", browser.url());

    // Wrong passwords lock the account: then even the right one is refused, and supervisors
    // get an alert.
    browser.clear_cookies();
    for _ in 0..4 {
        sign_in(&browser, &url, "malika", "guess");
        assert_eq!(browser.text("#message"), "Wrong account or password");
    }
    sign_in(&browser, &url, "malika", "guess");
    assert_eq!(browser.text("#message"), "Too many wrong passwords: this account is locked for 15 minutes");
    sign_in(&browser, &url, "malika", PASSWORD);
    assert_eq!(browser.text("#message"), "Too many wrong passwords: this account is locked for 15 minutes");
    browser.screenshot("locked");
    let alerts = open_hub(&base.hub_dir()).unwrap().alerts().unwrap();
    assert!(alerts.iter().any(|a| a.kind == "console-lockout" && a.device_id == "console:malika"), "{alerts:?}");

    // A sign-in form posted without the token of the form the browser was given is refused.
    browser.clear_cookies();
    browser.open(&format!("{url}/console/login?lang=en"));
    browser.script("document.querySelector('input[name=csrf]').value = 'forged';");
    browser.fill("#account", "aziz");
    browser.fill("#password", PASSWORD);
    browser.click("#sign-in");
    assert_eq!(browser.attribute("#message", "data-status").as_deref(), Some("403"));
    assert!(browser.cookies().iter().all(|c| c["name"] != "__Host-suhbat-session"), "no session from a forged sign-in");
}

#[test]
fn a_seven_members_account_cannot_open_register_pages_and_a_head_sees_only_its_mahallas() {
    let base = base_with_accounts();
    let url = base.hub.url.clone();
    let navbahor = base.phone("Dilshod");
    let hub = open_hub(&base.hub_dir()).unwrap();
    let elsewhere = hub.create_enrolment_code("Sardor", suhbat_core::Role::Inspector, &["Yangiobod".into()], chrono::Duration::hours(1)).unwrap();
    let mut other = suhbat_core::Store::create(
        base.dir.path().join("other.db"),
        &base.keys(),
        suhbat_core::DeviceProfile { person: "Sardor".into(), role: suhbat_core::Role::Inspector, scopes: vec![] },
    )
    .unwrap();
    base.client().enrol(&mut other, &elsewhere).unwrap();
    let browser = Browser::start(&base.hub_dir(), "need_to_know");

    sign_in(&browser, &url, "gulnora", PASSWORD);
    assert!(browser.url().ends_with("/console"));
    assert!(browser.try_find("a[href='/console/devices']").is_none(), "no link to pages the account may not open");
    browser.open(&format!("{url}/console/devices"));
    assert_eq!(browser.attribute("#message", "data-status").as_deref(), Some("403"));
    assert_eq!(browser.text("#message"), "Your account may not open this page");
    browser.screenshot("forbidden");

    browser.clear_cookies();
    sign_in(&browser, &url, "malika", PASSWORD);
    browser.open(&format!("{url}/console/devices"));
    assert!(browser.try_find(&format!("tr[data-device='{}']", navbahor.device().device_id)).is_some());
    assert!(browser.try_find(&format!("tr[data-device='{}']", other.device().device_id)).is_none(), "a head sees only its mahallas' devices");
}

/// The text of the QR code in a PNG screenshot.
fn decode_qr(png: &[u8]) -> String {
    let image = image::load_from_memory(png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the image");
    grids[0].decode().unwrap().1
}

#[test]
fn a_device_enrolled_from_the_console_qr_code_syncs_then_is_moved_and_revoked_from_the_console() {
    let base = base_with_accounts();
    let url = base.hub.url.clone();
    let browser = Browser::start(&base.hub_dir(), "devices");
    sign_in(&browser, &url, "aziz", PASSWORD);
    browser.open(&format!("{url}/console/devices"));
    browser.fill("#enrol-person", "Dilshod Rahimov");
    browser.script("document.querySelector('#enrol-role').value = 'inspector';");
    browser.fill("#enrol-scopes", "Navbahor");
    browser.click("#enrol-submit");
    browser.screenshot("enrol_qr");

    // The phone reads the QR code as a camera would: from the picture on the page.
    let invite = suhbat_core::sync::EnrolInvite::parse(&decode_qr(&browser.element_png("#qr"))).unwrap();
    assert_eq!(invite.hub_url, url);
    assert_eq!(invite.ca_fingerprint, base.hub.fingerprint);
    assert_eq!(invite.code, browser.text("#code"));
    let pem = suhbat_hub::HubClient::authority_with_fingerprint(&invite.hub_url, invite.ca_fingerprint.as_deref().unwrap()).unwrap();
    let mut phone = suhbat_core::Store::create(
        base.dir.path().join("phone.db"),
        &base.keys(),
        suhbat_core::DeviceProfile { person: "Dilshod Rahimov".into(), role: suhbat_core::Role::Inspector, scopes: vec![] },
    )
    .unwrap();
    let client = suhbat_hub::HubClient::new(&invite.hub_url, Some(&pem)).unwrap();
    let enrolment = client.enrol(&mut phone, &invite.code).unwrap();
    assert_eq!((enrolment.person.as_str(), enrolment.role.as_str()), ("Dilshod Rahimov", "inspector"));
    client.sync(&mut phone, &mut |_, _| {}).unwrap();
    let device_id = phone.device().device_id.clone();
    let row = format!("tr[data-device='{device_id}']");

    browser.open(&format!("{url}/console/devices"));
    assert_eq!(browser.text(&format!("{row} .status")), "Active");
    assert_ne!(browser.text(&format!("{row} td:nth-child(4)")), "not yet", "the sync shows as the device's last sync");
    browser.screenshot("devices");

    // Another mahalla, from the console: the device keeps its data and learns it at its next sync.
    browser.fill(&format!("{row} input[name=scopes]"), "Navbahor, Yangiobod");
    browser.click(&format!("{row} button.set-scopes"));
    assert!(browser.text(".notice").contains("Dilshod Rahimov"), "{}", browser.text(".notice"));
    let moved = open_hub(&base.hub_dir()).unwrap().devices().unwrap().into_iter().find(|d| d.device_id == device_id).unwrap();
    assert_eq!(moved.scopes, [suhbat_core::scope_key("Navbahor"), suhbat_core::scope_key("Yangiobod")]);
    client.sync(&mut phone, &mut |_, _| {}).unwrap();

    // Revoked from the console: the phone is refused and told to wipe.
    browser.click(&format!("{row} button.revoke"));
    assert_eq!(browser.text(&format!("{row} .status")), "Revoked");
    let refused = client.sync(&mut phone, &mut |_, _| {}).unwrap_err();
    assert!(refused.to_string().contains("revoked"), "{refused}");
    let actions: Vec<String> = open_hub(&base.hub_dir()).unwrap().console_audit("aziz").unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"enrol-code:Dilshod Rahimov".to_string()));
    assert!(actions.contains(&format!("reassign:{device_id}")) && actions.contains(&format!("revoke:{device_id}")), "{actions:?}");
}
