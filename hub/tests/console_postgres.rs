//! The console on a hub whose data is in PostgreSQL (a region's hub): signing in and the
//! district, books, record and conflicts pages work as on SQLite, their figures the synced
//! records'. Plain HTTPS requests (the browser tests run on SQLite).

use crate::common::Base;
use crate::console::PASSWORD;
use chrono::NaiveDate;
use suhbat_core::sample::SampleData;
use suhbat_core::{CaseStatus, SaraStage};
use suhbat_hub::{add_console_account, ConsoleRole};

/// A client of the hub's HTTPS that keeps no cookies and follows no redirects.
fn agent(base: &Base) -> ureq::Agent {
    let ca = ureq::tls::Certificate::from_pem(base.hub.ca_pem.as_deref().unwrap().as_bytes()).unwrap().to_owned();
    let tls = ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(vec![ca]))).build();
    ureq::Agent::config_builder().tls_config(tls).max_redirects(0).http_status_as_error(false).build().into()
}

/// The value of cookie `name` set by a response.
fn set_cookie(response: &ureq::http::Response<ureq::Body>, name: &str) -> String {
    let prefix = format!("{name}=");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&prefix).map(|rest| rest.split(';').next().unwrap_or_default().to_string()))
        .unwrap_or_else(|| panic!("no {name} cookie"))
}

/// Signs `account` in as the sign-in form would (its CSRF token from the form and its cookie):
/// the session cookie.
fn sign_in(base: &Base, agent: &ureq::Agent, account: &str) -> String {
    let mut form = agent.get(&format!("{}/console/login?lang=en", base.hub.url)).call().unwrap();
    let login_cookie = set_cookie(&form, "__Host-suhbat-login");
    let page = form.body_mut().read_to_string().unwrap();
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a CSRF token in the form").to_string();
    let answer = agent
        .post(&format!("{}/console/login", base.hub.url))
        .header("cookie", format!("__Host-suhbat-login={login_cookie}"))
        .send_form([("account", account), ("password", PASSWORD), ("csrf", csrf.as_str())])
        .unwrap();
    assert_eq!(answer.status(), 303, "signing in");
    set_cookie(&answer, "__Host-suhbat-session")
}

/// GETs a console page with the session: status and body.
fn page(base: &Base, agent: &ureq::Agent, session: &str, path: &str) -> (u16, String) {
    let mut answer = agent.get(&format!("{}{path}", base.hub.url)).header("cookie", format!("__Host-suhbat-session={session}")).call().unwrap();
    (answer.status().as_u16(), answer.body_mut().read_to_string().unwrap())
}

#[test]
fn the_console_signs_in_and_shows_the_district_on_a_postgresql_hub() {
    let Some(base) = Base::start_postgres() else { return };
    add_console_account(&base.hub_dir(), "aziz", ConsoleRole::Supervisor, &["*".into()], PASSWORD).unwrap();
    let mut phone = base.phone("Dilshod");
    let mut sample = SampleData::new(11);
    let mut first = None;
    for stage in [SaraStage::Scanning, SaraStage::Scanning, SaraStage::Analysis] {
        let mut case = sample.parent_case("Navbahor", 2026);
        (case.stage, case.status, case.opened_on) = (stage, CaseStatus::Open, NaiveDate::from_ymd_opt(2026, 4, 6).unwrap());
        phone.put(&case).unwrap();
        first.get_or_insert(case.id.to_string());
    }
    base.client().sync(&mut phone, &mut |_, _| {}).unwrap();

    let agent = agent(&base);
    let session = sign_in(&base, &agent, "aziz");
    let (status, district) = page(&base, &agent, &session, "/console/district?from=2026-01-01&to=2026-12-31&lang=en");
    assert_eq!(status, 200, "{district}");
    // The parent cases' chart counts the three synced cases by stage.
    let chart = district.split("data-title=\"Parent cases by SARA stage\"").nth(1).expect("the parent cases' chart");
    let chart = chart.split("</svg>").next().unwrap_or_default();
    for (label, value) in [("Scanning", "2"), ("Analysis", "1"), ("Total", "3")] {
        assert!(chart.contains(&format!("data-label=\"{label}\" data-value=\"{value}\"")), "{label} {value} in {chart}");
    }
    // The other pages read the same records.
    for path in ["/console/books?lang=en", "/console/conflicts?lang=en", &format!("/console/record/{}?lang=en", first.unwrap())] {
        let (status, body) = page(&base, &agent, &session, path);
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(crate::common::missing_texts(&body), Vec::<String>::new(), "{path} misses catalog texts");
    }
    // A record synced after the first look is in the next one (the copy catches up).
    let mut case = sample.parent_case("Navbahor", 2026);
    (case.stage, case.status, case.opened_on) = (SaraStage::Analysis, CaseStatus::Open, NaiveDate::from_ymd_opt(2026, 5, 4).unwrap());
    phone.put(&case).unwrap();
    base.client().sync(&mut phone, &mut |_, _| {}).unwrap();
    let (_, district) = page(&base, &agent, &session, "/console/district?from=2026-01-01&to=2026-12-31&lang=en");
    assert!(district.contains("data-label=\"Analysis\" data-value=\"2\""), "the case synced later is counted");
    let seen = suhbat_hub::open_hub(&base.hub_dir()).unwrap().console_audit("aziz").unwrap();
    assert!(seen.iter().any(|e| e.action == "report:district:2026-01-01:2026-12-31:*"), "{seen:?}");
}
