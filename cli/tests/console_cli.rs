//! The console from the command line: `suhbat hub user add` makes an account that signs in
//! (argon2 hash, never the password), and `suhbat device enrol --invite` joins a hub with the
//! text of the console's QR code alone, refusing a hub whose certificate is not the invited one.

use crate::common::{arg, fails, ok};
use suhbat_core::sync::EnrolInvite;
use suhbat_hub::{open_hub, start, ServeOptions};

#[test]
fn hub_user_add_makes_an_account_and_device_enrol_accepts_the_console_invitation() {
    let dir = tempfile::tempdir().unwrap();
    let hub_dir = dir.path().join("hub");
    let hub = start(ServeOptions::new(hub_dir.clone(), "127.0.0.1:0".parse().unwrap())).unwrap();

    let made = ok(&["hub", "user", "add", "--data", &arg(&hub_dir), "aziz", "--role", "supervisor", "--scope", "*"]);
    let password = made.lines().find_map(|l| l.strip_prefix("password: ")).expect("a new password is printed once");
    let stored = std::fs::read_to_string(hub_dir.join("console/accounts.json")).unwrap();
    assert!(stored.contains("\"aziz\"") && stored.contains("$argon2id$") && !stored.contains(password));
    assert!(fails(&["hub", "user", "add", "--data", &arg(&hub_dir), "x", "--role", "janitor", "--scope", "*"]).contains("unknown console role"));

    let code =
        open_hub(&hub_dir).unwrap().create_enrolment_code("Dilshod", suhbat_core::Role::Inspector, &["Navbahor".into()], chrono::Duration::hours(1)).unwrap();
    let store = arg(&dir.path().join("phone.db"));
    ok(&["device", "init", "--store", &store, "--person", "Dilshod", "--scope", "Navbahor"]);
    let forged = EnrolInvite { hub_url: hub.url.clone(), code: code.clone(), ca_fingerprint: Some("AB:CD".into()) }.to_text().unwrap();
    assert!(fails(&["device", "enrol", "--store", &store, "--invite", &forged]).contains("do not enrol"));
    let invite = EnrolInvite { hub_url: hub.url.clone(), code, ca_fingerprint: hub.fingerprint.clone() }.to_text().unwrap();
    let enrolled = ok(&["device", "enrol", "--store", &store, "--invite", &invite]);
    assert!(enrolled.contains("enrolled with hub"), "{enrolled}");
    ok(&["device", "sync", "--store", &store]);
}

/// The value of cookie `name` set by an answer.
fn set_cookie(response: &ureq::http::Response<ureq::Body>, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or("").to_string()))
        .unwrap_or_else(|| panic!("no cookie {name}"))
}

#[test]
fn demo_serve_prints_a_console_login_that_signs_in_and_keeps_the_hub_running_until_interrupted() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut demo = crate::common::suhbat()
        .args(["demo", "--serve", "--dir", &arg(&dir.path().join("demo"))])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(demo.stdout.take().unwrap()).lines();
    let (mut console, mut password) = (None, None);
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(url) = line.split("web page): ").nth(1) {
            console = Some(url.trim().to_string());
        }
        if let Some(rest) = line.split("with the password ").nth(1) {
            password = rest.split_whitespace().next().map(String::from);
        }
        if line.contains("stop it with Ctrl-C") {
            break;
        }
    }
    let (console, password) = (console.expect("the console's address is printed"), password.expect("a password is printed"));

    // Sign in with what was printed, as a browser would (the form's token and cookie).
    let ca = std::fs::read_to_string(dir.path().join("demo/hub/tls/ca.pem")).unwrap();
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(vec![ureq::tls::Certificate::from_pem(ca.as_bytes()).unwrap().to_owned()])))
        .build();
    let agent: ureq::Agent = ureq::Agent::config_builder().tls_config(tls).max_redirects(0).http_status_as_error(false).build().into();
    let mut form = agent.get(&format!("{console}/login")).call().unwrap();
    let cookie = set_cookie(&form, "__Host-suhbat-login");
    let page = form.body_mut().read_to_string().unwrap();
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_string();
    let body = format!("account=supervisor&password={password}&csrf={csrf}");
    let signed = agent
        .post(&format!("{console}/login"))
        .header("cookie", format!("__Host-suhbat-login={cookie}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .send(body)
        .unwrap();
    assert_eq!(signed.status(), 303);
    assert_eq!(signed.headers().get("location").and_then(|v| v.to_str().ok()), Some("/console"));
    assert!(!set_cookie(&signed, "__Host-suhbat-session").is_empty());

    // Ctrl-C stops the hub, and the demo ends well.
    let interrupted = std::process::Command::new("kill").args(["-INT", &demo.id().to_string()]).status().unwrap();
    assert!(interrupted.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(demo.wait().unwrap().success());
    assert!(rest.iter().any(|l| l.contains("hub stopped")), "{rest:?}");
}
