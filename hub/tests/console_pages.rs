//! The console's report pages in a real browser: the district chart's figures are the seeded
//! records' (and the core's district glance's), and every page in each of the four languages
//! has no missing catalog key.

use crate::common::browser::Browser;
use crate::console::{base_with_accounts, sign_in, PASSWORD};
use chrono::NaiveDate;
use serde_json::Value;
use suhbat_core::sample::SampleData;
use suhbat_core::views::{district_glance, ViewContext};
use suhbat_core::{CaseStatus, Locale, ParentCase, SaraStage};

/// The bars of the chart titled `title` on the page: (label, value).
pub(crate) fn bars(browser: &Browser, title: &str) -> Vec<(String, String)> {
    let script = format!(
        "const svg = Array.from(document.querySelectorAll('svg.chart')).find(s => s.dataset.title === {title:?});\
         return svg ? Array.from(svg.querySelectorAll('g.bar')).map(g => [g.dataset.label, g.dataset.value]) : null;"
    );
    let found: Value = browser.script(&script);
    let rows = found.as_array().unwrap_or_else(|| panic!("no chart titled {title:?}"));
    rows.iter().map(|r| (r[0].as_str().unwrap_or_default().to_string(), r[1].as_str().unwrap_or_default().to_string())).collect()
}

/// Downloads `path` with the browser's session (as its download would): content type and body.
pub(crate) fn download(base: &crate::common::Base, browser: &Browser, path: &str) -> (String, String) {
    let session = browser.cookies().into_iter().find(|c| c["name"] == "__Host-suhbat-session").expect("signed in");
    let ca = ureq::tls::Certificate::from_pem(base.hub.ca_pem.as_deref().unwrap().as_bytes()).unwrap().to_owned();
    let tls = ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(vec![ca]))).build();
    let agent: ureq::Agent = ureq::Agent::config_builder().tls_config(tls).max_redirects(0).build().into();
    let mut response =
        agent.get(&format!("{}{path}", base.hub.url)).header("cookie", format!("__Host-suhbat-session={}", session["value"].as_str().unwrap())).call().unwrap();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (content_type, response.body_mut().read_to_string().unwrap())
}

#[test]
fn the_district_chart_shows_the_figures_of_the_seeded_records() {
    let base = base_with_accounts();
    let url = base.hub.url.clone();
    let mut phone = base.phone("Dilshod");
    let mut sample = SampleData::new(7);
    let opened = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    for (stage, status) in [
        (SaraStage::Scanning, CaseStatus::Open),
        (SaraStage::Scanning, CaseStatus::Open),
        (SaraStage::Analysis, CaseStatus::Open),
        (SaraStage::Response, CaseStatus::Closed),
    ] {
        let mut case = sample.parent_case("Navbahor", 2026);
        (case.stage, case.status, case.opened_on) = (stage, status, opened);
        if status == CaseStatus::Closed {
            case.outcome = "The children went back to school.".into();
        }
        phone.put(&case).unwrap();
    }
    base.client().sync(&mut phone, &mut |_, _| {}).unwrap();

    let browser = Browser::start(&base.hub_dir(), "district");
    sign_in(&browser, &url, "aziz", PASSWORD);
    browser.open(&format!("{url}/console/district?from=2026-01-01&to=2026-12-31"));
    browser.screenshot("district");
    let cases = bars(&browser, &suhbat_core::i18n::text(Locale::En, "report.cases"));
    let value = |label: &str| cases.iter().find(|(l, _)| l == label).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("no bar {label:?} in {cases:?}"));
    assert_eq!((value("Scanning").as_str(), value("Analysis").as_str(), value("Closed").as_str(), value("Total").as_str()), ("2", "1", "1", "4"));

    // Every chart shows what the core's district glance says for the same records.
    let ctx = ViewContext::new(Locale::En);
    let expected =
        district_glance(&mut phone, &ctx, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(), None).unwrap().report;
    for section in &expected.sections {
        let Some(column) = (1..section.columns.len()).find(|i| section.rows.iter().any(|r| matches!(r.get(*i), Some(suhbat_core::views::Cell::Number { .. }))))
        else {
            continue;
        };
        let shown = bars(&browser, &section.title);
        let want: Vec<(String, String)> = section.rows.iter().map(|r| (r[0].display(), r.get(column).map(|c| c.display()).unwrap_or_default())).collect();
        assert_eq!(shown, want, "{}", section.title);
    }
    // The CSV export is the same report.
    let (kind, csv) = download(&base, &browser, "/console/district.csv?from=2026-01-01&to=2026-12-31&lang=en");
    assert!(kind.starts_with("text/csv"), "{kind}");
    assert_eq!(csv, expected.to_csv());
    let seen = suhbat_hub::open_hub(&base.hub_dir()).unwrap().console_audit("aziz").unwrap();
    assert!(seen.iter().any(|e| e.action == "report:district:2026-01-01:2026-12-31:*"), "{seen:?}");
    assert!(seen.iter().any(|e| e.action == "export:district:2026-01-01:2026-12-31:*"), "{seen:?}");
}

#[test]
fn every_page_in_each_of_the_four_languages_has_no_missing_catalog_key() {
    let base = base_with_accounts();
    let url = base.hub.url.clone();
    base.phone("Dilshod");
    let browser = Browser::start(&base.hub_dir(), "languages");
    sign_in(&browser, &url, "aziz", PASSWORD);
    for locale in Locale::ALL {
        let tag = locale.tag();
        for page in [
            "/console",
            "/console/district",
            "/console/books",
            "/console/books?book=alphabetical",
            "/console/conflicts",
            "/console/devices",
            "/console/no-such-page",
            "/console/login",
        ] {
            let joiner = if page.contains('?') { '&' } else { '?' };
            browser.open(&format!("{url}{page}{joiner}lang={tag}"));
            let source = browser.source();
            assert_eq!(crate::common::missing_texts(&source), Vec::<String>::new(), "{page} in {tag} misses catalog texts:\n{source}");
            assert!(source.contains(&format!("<html lang=\"{tag}\"")), "{page} is not in {tag}");
        }
        browser.screenshot(&format!("district-{tag}"));
    }
}

/// A parent case in Navbahor whose children's school Aziz's and Bobur's phones set differently
/// while offline, both synced (Aziz's twice, so it holds the conflict): the case and Aziz's phone.
pub(crate) fn conflicting_phones(base: &crate::common::Base) -> (ParentCase, suhbat_core::Store) {
    let client = base.client();
    let (mut aziz, mut bobur) = (base.phone("Aziz"), base.phone("Bobur"));
    let case = SampleData::new(3).parent_case("Navbahor", 2026);
    aziz.put(&case).unwrap();
    client.sync(&mut aziz, &mut |_, _| {}).unwrap();
    client.sync(&mut bobur, &mut |_, _| {}).unwrap();
    // Both write the child's school differently while offline.
    for (phone, school) in [(&mut aziz, "School 141"), (&mut bobur, "School 23")] {
        let mut edited = phone.get::<ParentCase>(&case.id).unwrap().record;
        edited.children.values_mut().for_each(|c| c.school = school.into());
        phone.put(&edited).unwrap();
    }
    client.sync(&mut aziz, &mut |_, _| {}).unwrap();
    client.sync(&mut bobur, &mut |_, _| {}).unwrap();
    client.sync(&mut aziz, &mut |_, _| {}).unwrap();
    (case, aziz)
}

#[test]
fn a_conflict_decided_on_the_console_reaches_the_phones_as_the_hubs_signed_change() {
    let base = base_with_accounts();
    let url = base.hub.url.clone();
    let client = base.client();
    let (case, mut aziz) = conflicting_phones(&base);
    assert_eq!(aziz.conflicts().unwrap().len(), 1, "the two schools are in conflict");

    let browser = Browser::start(&base.hub_dir(), "conflicts");
    sign_in(&browser, &url, "aziz", PASSWORD);
    browser.open(&format!("{url}/console/conflicts"));
    let section = format!("section.conflict[data-record='{}']", case.id);
    browser.screenshot("conflicts");
    let options: Value = browser.script(&format!("return Array.from(document.querySelectorAll(\"{section} .value\")).map(v => v.textContent);"));
    assert_eq!(options.as_array().map(Vec::len), Some(2), "{options}");
    // The supervisor keeps Bobur's value.
    let chosen = browser.script_leaving(&format!(
        "const form = Array.from(document.querySelectorAll(\"{section} form\")).find(f => f.querySelector('.value').textContent.includes('School 23')); form.querySelector('button').click(); return true;"
    ));
    assert_eq!(chosen, Value::Bool(true));
    assert_eq!(browser.text(".notice"), "The decision is saved; the phones get it at their next sync");
    assert!(browser.try_find(&section).is_none(), "the decided conflict is gone from the list");

    // Aziz's phone gets the decision at its next sync: no conflict, Bobur's school, authored by the hub.
    client.sync(&mut aziz, &mut |_, _| {}).unwrap();
    assert!(aziz.conflicts().unwrap().is_empty());
    let after = aziz.get::<ParentCase>(&case.id).unwrap().record;
    assert!(after.children.values().all(|c| c.school == "School 23"), "{:?}", after.children);
    let seen = suhbat_hub::open_hub(&base.hub_dir()).unwrap().console_audit("aziz").unwrap();
    assert!(seen.iter().any(|e| e.action.starts_with("decide:children/") && e.record_id.as_deref() == Some(case.id.as_str())), "{seen:?}");
}

#[test]
fn the_books_are_searchable_in_either_script_and_a_record_page_shows_who_changed_it() {
    let base = base_with_accounts();
    let url = base.hub.url.clone();
    let mut phone = base.phone("Dilshod");
    let ctx = ViewContext::new(Locale::En);
    for (applicant, summary) in [("Qodirov Jasur", "Noise at night"), ("Тошматов Бобур", "A broken fence")] {
        let new = suhbat_core::views::NewApplication {
            book: suhbat_core::Book::Form1.as_str().into(),
            applicant: applicant.into(),
            mahalla: "Navbahor".into(),
            summary: summary.into(),
            ..Default::default()
        };
        suhbat_core::views::register_application(&mut phone, &ctx, &new).unwrap();
    }
    base.client().sync(&mut phone, &mut |_, _| {}).unwrap();

    let browser = Browser::start(&base.hub_dir(), "books");
    sign_in(&browser, &url, "aziz", PASSWORD);
    let applicants = |browser: &Browser| -> Vec<String> {
        let found = browser.script("return Array.from(document.querySelectorAll('td.applicant')).map(td => td.textContent);");
        found.as_array().unwrap().iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect()
    };
    browser.open(&format!("{url}/console/books?book=form1"));
    assert_eq!(applicants(&browser).len(), 2, "{}", browser.source());
    // Cyrillic search finds the Latin spelling, and the other way round.
    browser.fill("#q", "Қодиров");
    browser.click("#search");
    assert_eq!(applicants(&browser), ["Qodirov Jasur"]);
    browser.fill("#q", "toshmatov");
    browser.click("#search");
    assert_eq!(applicants(&browser), ["Тошматов Бобур"]);
    browser.screenshot("books");
    // The exports hold what the page shows.
    let (kind, csv) = download(&base, &browser, "/console/books.csv?book=form1&q=toshmatov&lang=en");
    assert!(kind.starts_with("text/csv"), "{kind}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].starts_with("Number,Applicant,Summary") && lines[1].contains("Тошматов Бобур,A broken fence"), "{csv}");
    let (kind, json) = download(&base, &browser, "/console/books.json?book=form1&lang=en");
    assert_eq!(kind, "application/json");
    let json: Value = serde_json::from_str(&json).unwrap();
    let exported: Vec<&str> = json["rows"].as_array().unwrap().iter().map(|r| r["Applicant"].as_str().unwrap()).collect();
    assert_eq!(exported, ["Qodirov Jasur", "Тошматов Бобур"]);
    browser.click("table.book a");
    let authors = browser.script("return Array.from(document.querySelectorAll('#history td.author')).map(td => td.textContent);");
    assert!(authors.as_array().is_some_and(|a| !a.is_empty() && a.iter().any(|v| v.as_str().is_some_and(|s| s.contains("Dilshod")))), "{authors}");
    browser.screenshot("record");
    let seen = suhbat_hub::open_hub(&base.hub_dir()).unwrap().console_audit("aziz").unwrap();
    assert!(seen.iter().any(|e| e.action == "view:record" && e.record_id.is_some()), "{seen:?}");
    assert_eq!(seen.iter().filter(|e| e.action.starts_with("export:book:form1:")).count(), 2, "{seen:?}");

    // The alphabetical book files both under their Latin letters.
    browser.open(&format!("{url}/console/books?book=alphabetical"));
    assert_eq!(applicants(&browser), ["Qodirov Jasur", "Тошматов Бобур"]);
}
