//! The console's report pages in a real browser: the district chart's figures are the seeded
//! records' (and the core's district report's), and every page in each of the four languages
//! has no missing catalog key.

use crate::common::browser::Browser;
use crate::console::{base_with_accounts, sign_in, PASSWORD};
use chrono::NaiveDate;
use serde_json::Value;
use suhbat_core::sample::SampleData;
use suhbat_core::views::{district_report, ViewContext};
use suhbat_core::{CaseStatus, Locale, SaraStage};

/// The bars of the chart titled `title` on the page: (label, value).
fn bars(browser: &Browser, title: &str) -> Vec<(String, String)> {
    let script = format!(
        "const svg = Array.from(document.querySelectorAll('svg.chart')).find(s => s.dataset.title === {title:?});\
         return svg ? Array.from(svg.querySelectorAll('g.bar')).map(g => [g.dataset.label, g.dataset.value]) : null;"
    );
    let found: Value = browser.script(&script);
    let rows = found.as_array().unwrap_or_else(|| panic!("no chart titled {title:?}"));
    rows.iter().map(|r| (r[0].as_str().unwrap_or_default().to_string(), r[1].as_str().unwrap_or_default().to_string())).collect()
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

    // Every chart shows what the core's district report says for the same records.
    let ctx = ViewContext::new(Locale::En);
    let expected =
        district_report(&mut phone, &ctx, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(), None).unwrap();
    for section in &expected.sections {
        let Some(column) = (1..section.columns.len()).find(|i| section.rows.iter().any(|r| matches!(r.get(*i), Some(suhbat_core::views::Cell::Number { .. }))))
        else {
            continue;
        };
        let shown = bars(&browser, &section.title);
        let want: Vec<(String, String)> = section.rows.iter().map(|r| (r[0].display(), r.get(column).map(|c| c.display()).unwrap_or_default())).collect();
        assert_eq!(shown, want, "{}", section.title);
    }
    let seen = suhbat_hub::open_hub(&base.hub_dir()).unwrap().console_audit("aziz").unwrap();
    assert!(seen.iter().any(|e| e.action == "report:district:2026-01-01:2026-12-31:*"), "{seen:?}");
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
        for page in ["/console", "/console/district", "/console/devices", "/console/no-such-page", "/console/login"] {
            browser.open(&format!("{url}{page}?lang={tag}"));
            let source = browser.source();
            assert!(!source.contains('⟦'), "{page} in {tag} misses a catalog key:\n{source}");
            assert!(source.contains(&format!("<html lang=\"{tag}\"")), "{page} is not in {tag}");
        }
        browser.screenshot(&format!("district-{tag}"));
    }
}
