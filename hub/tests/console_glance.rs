//! The district at a glance in a real browser, complete: rising-incident mahallas, open
//! conflicts waiting for a decision and overdue visits per inspector, their figures worked out
//! by hand from the seeded records; a figure's link followed to the list of its records and on
//! to a record's page with its history; need-to-know on the lists; every new page in each of
//! the four languages with no missing catalog key.

use crate::common::browser::Browser;
use crate::console::{base_with_accounts, sign_in, PASSWORD};
use crate::console_pages::{bars, conflicting_phones};
use chrono::{Datelike, Duration, Months, NaiveDate, TimeZone, Utc};
use serde_json::Value;
use suhbat_core::sample::SampleData;
use suhbat_core::views::{register_application, NewApplication, ViewContext};
use suhbat_core::{Locale, Store};

/// The 10th of the month `back` months before today's.
fn tenth(today: NaiveDate, back: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(today.year(), today.month(), 10).unwrap().checked_sub_months(Months::new(back)).unwrap()
}

/// Form 1 applications in Navbahor: one four months back, three one month back (a rising
/// mahalla: 3 in the last three months against 1 in the three before), each ten days to decide.
fn register_incidents(phone: &mut Store, today: NaiveDate) {
    let ctx = ViewContext::new(Locale::En);
    for (n, back) in [4, 1, 1, 1].into_iter().enumerate() {
        let registered = tenth(today, back);
        let new = NewApplication {
            book: "form1".into(),
            registered_on: registered.to_string(),
            deadline: (registered + Duration::days(10)).to_string(),
            applicant: format!("Applicant {n}"),
            mahalla: "Navbahor".into(),
            summary: "Noise at night".into(),
            ..Default::default()
        };
        register_application(phone, &ctx, &new).unwrap();
    }
}

/// Conversations whose next visit is set: Aziz Karimov's with Dilnoza is 10 days overdue;
/// Sardor's older one (Aziz Karimov's) is superseded by Bobur Aliyev's, 5 days overdue; Aziz
/// Karimov's with Malika is due in 20 days. Overdue visits: Aziz Karimov 1, Bobur Aliyev 1.
fn plan_visits(phone: &mut Store, today: NaiveDate) {
    let mut sample = SampleData::new(5);
    let at = |days_ago: i64| Utc.from_utc_datetime(&(today - Duration::days(days_ago)).and_hms_opt(6, 0, 0).unwrap());
    // Dilnoza, Sardor, Malika.
    for talks in [vec![("Aziz Karimov", 40, -10)], vec![("Aziz Karimov", 60, -30), ("Bobur Aliyev", 20, -5)], vec![("Aziz Karimov", 10, 20)]] {
        let person = sample.person("Navbahor", 2026);
        phone.put(&person).unwrap();
        for (inspector, started_days_ago, next_in_days) in talks {
            let mut talk = sample.conversation(&person, 2026);
            talk.inspector = inspector.into();
            talk.started_at = at(started_days_ago);
            talk.ended_at = Some(talk.started_at + Duration::minutes(30));
            talk.agreed_actions.clear();
            talk.next_follow_up = Some(today + Duration::days(next_in_days));
            phone.put(&talk).unwrap();
        }
    }
}

/// The text of each cell of the table of the section titled `title`.
fn table(browser: &Browser, title: &str) -> Vec<Vec<String>> {
    let script = format!(
        "const s = Array.from(document.querySelectorAll('section.report')).find(s => s.querySelector('h2').textContent === {title:?});\
         return s ? Array.from(s.querySelectorAll('tbody tr')).map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.textContent)) : null;"
    );
    let found = browser.script(&script);
    let rows = found.as_array().unwrap_or_else(|| panic!("no table titled {title:?}"));
    rows.iter().map(|r| r.as_array().unwrap().iter().map(|c| c.as_str().unwrap_or_default().to_string()).collect()).collect()
}

/// The titles listed on a records page, without an application's registry number.
fn listed(browser: &Browser) -> Vec<String> {
    let found: Value = browser.script("return Array.from(document.querySelectorAll('#records td.title')).map(td => td.textContent);");
    let mut titles: Vec<String> = found.as_array().unwrap().iter().filter_map(|v| v.as_str()?.rsplit(" · ").next().map(String::from)).collect();
    titles.sort();
    titles
}

#[test]
fn the_district_shows_rising_mahallas_conflicts_and_overdue_visits_and_opens_the_records_behind_them() {
    let base = base_with_accounts();
    let url = base.hub.url.clone();
    let today = ViewContext::new(Locale::En).today();
    let mut phone = base.phone("Dilshod");
    register_incidents(&mut phone, today);
    plan_visits(&mut phone, today);
    base.client().sync(&mut phone, &mut |_, _| {}).unwrap();
    let (case, _) = conflicting_phones(&base);

    let browser = Browser::start(&base.hub_dir(), "glance");
    sign_in(&browser, &url, "aziz", PASSWORD);
    let (from, to) = (today - Duration::days(365), today);
    let district = format!("{url}/console/district?from={from}&to={to}");
    browser.open(&format!("{district}&lang=en"));
    browser.screenshot("glance");

    // Worked out by hand from the records above.
    assert_eq!(bars(&browser, "Rising-incident mahallas"), [("Navbahor".to_string(), "4".to_string())]);
    let rising = table(&browser, "Rising-incident mahallas");
    assert_eq!(rising[0][..4], ["Navbahor", "4", "3", "1"], "{rising:?}");
    let pairs = |list: &[(&str, &str)]| list.iter().map(|(l, v)| (l.to_string(), v.to_string())).collect::<Vec<_>>();
    assert_eq!(bars(&browser, "Open conflicts waiting for a decision"), pairs(&[("Navbahor", "1"), ("Total", "1")]));
    assert_eq!(bars(&browser, "Overdue visits per inspector"), pairs(&[("Aziz Karimov", "1"), ("Bobur Aliyev", "1"), ("Total", "2")]));
    let applications = table(&browser, "Applications by book and status");
    assert_eq!((applications[0][0].as_str(), applications[0][1].as_str(), applications[0].last().unwrap().as_str()), ("Form 1 book", "4", "4"));

    // Each new figure opens the records behind it.
    let bar_link = "svg.chart a.drill[href*='key=visits%3AAziz%20Karimov']";
    assert!(browser.try_find(bar_link).is_some(), "the bar opens the same list as the figure");
    browser.click("section.report td a.drill[href*='key=visits%3AAziz%20Karimov']");
    assert_eq!(browser.text("h1"), "Overdue visits per inspector · Aziz Karimov · Overdue visits");
    assert_eq!(browser.script("return document.querySelectorAll('#records tbody tr[data-record]').length;"), Value::from(1));
    browser.open(&format!("{url}/console/district/records?key=conflicts%3Anavbahor&from={from}&to={to}&lang=en"));
    assert_eq!(
        browser.script("return Array.from(document.querySelectorAll('#records tr[data-record]')).map(tr => tr.dataset.record);"),
        Value::from(vec![case.id.to_string()])
    );
    browser.open(&format!("{url}/console/district/records?key=incidents%3Anavbahor&from={from}&to={to}&lang=en"));
    assert_eq!(listed(&browser), ["Applicant 0", "Applicant 1", "Applicant 2", "Applicant 3"]);

    // The Form 1 applications past their deadline, then one's page with its history.
    browser.open(&format!("{district}&lang=en"));
    browser.click("section.report td a.drill[href*='key=overdue-applications%3Aform1']");
    assert_eq!(browser.text("h1"), "Applications by book and status · Form 1 book · Overdue");
    browser.screenshot("records");
    assert_eq!(listed(&browser), ["Applicant 0", "Applicant 1", "Applicant 2", "Applicant 3"]);
    assert_eq!(browser.text("#records td.kind"), "Application");
    browser.click("#records td.title a");
    assert!(browser.url().contains("/console/record/"), "{}", browser.url());
    let authors = browser.script("return Array.from(document.querySelectorAll('#history td.author')).map(td => td.textContent);");
    assert!(authors.as_array().is_some_and(|a| a.iter().any(|v| v.as_str().is_some_and(|s| s.contains("Dilshod")))), "{authors}");
    let seen = suhbat_hub::open_hub(&base.hub_dir()).unwrap().console_audit("aziz").unwrap();
    assert!(seen.iter().any(|e| e.action == format!("records:district:overdue-applications:form1:{from}:{to}:*")), "{seen:?}");
    assert_eq!(seen.iter().filter(|e| e.action == "list:district").count(), 1 + 1 + 4 + 4, "every record listed is in the audit chain");

    // Every new page in each of the four languages has no missing catalog key.
    for locale in Locale::ALL {
        let tag = locale.tag();
        for key in ["visits%3A*", "conflicts%3A*", "incidents%3Anavbahor", "overdue-follow-ups%3A*", "cases%3Aanalysis", "requests%3A*"] {
            browser.open(&format!("{url}/console/district/records?key={key}&from={from}&to={to}&lang={tag}"));
            let source = browser.source();
            assert_eq!(crate::common::missing_texts(&source), Vec::<String>::new(), "{key} in {tag} misses catalog texts:\n{source}");
            assert!(source.contains(&format!("<html lang=\"{tag}\"")), "{key} is not in {tag}");
        }
        browser.open(&format!("{district}&lang={tag}"));
        assert_eq!(crate::common::missing_texts(&browser.source()), Vec::<String>::new(), "the district in {tag} misses catalog texts");
        browser.screenshot(&format!("glance-{tag}"));
    }

    // Need-to-know: a head of another mahalla sees none of Navbahor's records, and an unknown
    // figure is not found.
    suhbat_hub::add_console_account(&base.hub_dir(), "olim", suhbat_hub::ConsoleRole::Head, &["Chilonzor".into()], PASSWORD).unwrap();
    browser.clear_cookies();
    sign_in(&browser, &url, "olim", PASSWORD);
    browser.open(&format!("{url}/console/district/records?key=overdue-applications%3Aform1&from={from}&to={to}&lang=en"));
    assert_eq!(browser.script("return document.querySelectorAll('#records tr[data-record]').length;"), Value::from(0));
    browser.open(&format!("{url}/console/district/records?key=overdue-applications%3Aform1&mahalla=Navbahor&from={from}&to={to}&lang=en"));
    assert_eq!(browser.attribute("#message", "data-status").as_deref(), Some("403"));
    browser.open(&format!("{url}/console/district/records?key=nothing%3Ahere&lang=en"));
    assert_eq!(browser.attribute("#message", "data-status").as_deref(), Some("404"));
}
