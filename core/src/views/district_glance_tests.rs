//! Tests of the district at a glance and its drill-down on the seeded district of
//! [`super::report_tests`]: every figure that links to records links to exactly as many as it
//! counts, in every language, and the lists keep to the mahalla asked.

use super::report_tests::district;
use super::tests::{ctx, day};
use super::*;
use crate::Error;

#[test]
fn every_linked_figure_counts_exactly_the_records_its_list_holds() {
    let mut d = district();
    for locale in Locale::ALL {
        let c = ctx(locale);
        let glance = district_glance(&mut d.store, &c, day("2025-05-01"), day("2025-10-31"), None).unwrap();
        let titles: Vec<&str> = glance.report.sections.iter().rev().take(3).map(|s| s.title.as_str()).collect();
        assert_eq!(titles.len(), 3);
        let kinds: std::collections::BTreeSet<&str> = glance.links.iter().filter_map(|l| l.key.split(':').next()).collect();
        let all = [
            "cases",
            "requests",
            "overdue-requests",
            "applications",
            "open-applications",
            "overdue-applications",
            "follow-ups",
            "overdue-follow-ups",
            "mahalla-follow-ups",
            "mahalla-overdue-follow-ups",
            "milestone-follow-ups",
            "milestone-overdue-follow-ups",
            "conflicts",
            "visits",
        ];
        for kind in all {
            assert!(kinds.contains(kind), "{kind} figures link to their records in {locale:?}: {kinds:?}");
        }
        for link in &glance.links {
            let figure = match &glance.report.sections[link.section].rows[link.row][link.column] {
                Cell::Number { value } => *value as usize,
                other => panic!("{} links a cell that is not a count: {other:?}", link.key),
            };
            let records = district_records(&mut d.store, &c, day("2025-05-01"), day("2025-10-31"), None, &link.key).unwrap();
            assert_eq!(records.rows.len(), figure, "{} in {locale:?}", link.key);
            assert!(records.title.starts_with(&glance.report.sections[link.section].title), "{}", records.title);
        }
    }
}

#[test]
fn the_records_of_a_figure_keep_to_the_mahalla_asked_and_an_unknown_figure_is_not_found() {
    let mut d = district();
    let c = ctx(Locale::En);
    let (from, to) = (day("2025-05-01"), day("2025-10-31"));
    let all = district_records(&mut d.store, &c, from, to, None, "applications:*").unwrap();
    let mahallas: std::collections::BTreeSet<String> = d
        .store
        .list(&crate::store::ListQuery { kind: Some(crate::model::RecordKind::Application), limit: Some(u32::MAX), ..Default::default() })
        .unwrap()
        .into_iter()
        .map(|r| r.scope)
        .collect();
    let mut per_mahalla = 0;
    for mahalla in &mahallas {
        let some = district_records(&mut d.store, &c, from, to, Some(mahalla), "applications:*").unwrap();
        assert!(some.rows.len() <= all.rows.len());
        per_mahalla += some.rows.len();
    }
    assert_eq!(per_mahalla, all.rows.len(), "each application is listed under its own mahalla only");
    for key in ["applications:form9", "stages:analysis", "no-colon", "cases:ended"] {
        assert!(matches!(district_records(&mut d.store, &c, from, to, None, key), Err(Error::NotFound(_))), "{key}");
    }
}

#[test]
fn every_record_kind_a_list_may_show_has_a_label_in_every_locale() {
    for locale in Locale::ALL {
        for kind in crate::model::RecordKind::ALL {
            let label = choice_label(locale, "record_kind", &kind);
            assert!(!label.starts_with("record_kind."), "{kind:?} in {locale:?}: {label}");
        }
    }
}
