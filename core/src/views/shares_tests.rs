//! Tests of the district report's share tables on a seeded data set whose figures are worked
//! out by hand below.

use super::report_tests::{request, store_of};
use super::tests::{ctx, day};
use super::*;
use crate::model::*;
use crate::Role;
use chrono::Datelike;

/// `count` applications in `book`, registered on the days from `first` on (one a day).
fn applications(store: &mut Store, book: Book, first: &str, count: u32) {
    for i in 0..count {
        let registered_on = day(first) + chrono::Days::new(u64::from(i));
        let mut a = Application::new(book, registered_on);
        a.provisional_number = format!("{}/{}/T-{i}", book.number(), registered_on.year());
        a.applicant = "Aliyev Vali".into();
        a.mahalla = "Navbahor".into();
        a.summary = "Noise at night".into();
        store.put(&a).unwrap();
    }
}

fn shown(section: &ReportSection) -> Vec<Vec<String>> {
    section.rows.iter().map(|r| r.iter().map(Cell::display).collect()).collect()
}

fn section<'a>(report: &'a Report, title: &str) -> &'a ReportSection {
    report.sections.iter().find(|s| s.title == title).unwrap_or_else(|| panic!("no section {title}"))
}

#[test]
fn the_district_report_gives_each_books_share_per_year_and_each_services_share_of_requests() {
    let (_dir, mut store) = store_of(Role::Inspector, "Aziz Karimov");
    let s = &mut store;
    // 2024: 7 + 17 + 15 = 39 → 7/39 = 17.95 → 17.9 %, 17/39 = 43.59 → 43.6 %, 15/39 = 38.46 → 38.5 %.
    applications(s, Book::Form1, "2024-02-01", 7);
    applications(s, Book::Form2, "2024-03-01", 17);
    applications(s, Book::Alphabetical, "2024-06-01", 15);
    // 2025: 10 + 23 + 17 = 50 → 20 %, 46 %, 34 %.
    applications(s, Book::Form1, "2025-01-10", 10);
    applications(s, Book::Form2, "2025-04-01", 23);
    applications(s, Book::Alphabetical, "2025-09-01", 17);
    // Outside the period: counted nowhere.
    applications(s, Book::Form1, "2023-12-20", 4);
    // Both years: 17 + 40 + 32 = 89 → 17/89 = 19.10 → 19.1 %, 40/89 = 44.94 → 44.9 %, 32/89 = 35.96 → 36 %.
    // Requests sent: 5 to the duty unit, 2 to migration, 1 to the seven → 62.5 %, 25 %, 12.5 %.
    for i in 0..5 {
        request(s, Role::DutyUnit, "Navbahor", &format!("2025-0{}-10", i + 1), &[]);
    }
    request(s, Role::Migration, "Navbahor", "2025-02-11", &[]);
    request(s, Role::Migration, "Navbahor", "2024-11-11", &[]);
    request(s, Role::Seven, "Navbahor", "2025-03-11", &[]);
    request(s, Role::Seven, "Navbahor", "2023-03-11", &[]);

    let report = district_report(s, &ctx(Locale::En), day("2024-01-01"), day("2025-12-31"), None).unwrap();
    let books = section(&report, "Share of applications per book, by year");
    assert_eq!(books.columns, ["Year", "Form 1 book", "Share, %", "Form 2 journal", "Share, %", "Alphabetical book", "Share, %", "Total"]);
    assert_eq!(
        shown(books),
        [
            ["2024", "7", "17.9", "17", "43.6", "15", "38.5", "39"],
            ["2025", "10", "20", "23", "46", "17", "34", "50"],
            ["Total", "17", "19.1", "40", "44.9", "32", "36", "89"],
        ]
    );
    let services = section(&report, "Share of cooperation requests per service");
    assert_eq!(services.columns, ["Addressee", "Sent", "Share, %"]);
    assert_eq!(shown(services), [["Mahalla seven", "1", "12.5"], ["Duty unit", "5", "62.5"], ["Migration and citizenship", "2", "25"], ["Total", "8", "100"]]);
    // Categories (every request made before categories existed counts as "other"): of the 8
    // sent in the period, 2 about drugs (25 %), 1 domestic violence (one escalated, 12.5 %), 5
    // other (62.5 %). All 8 were sent before 2025-10-05 with 10 days to answer: overdue today.
    let mut requests: Vec<Referral> = report::load::<Referral>(s, None).unwrap();
    requests.sort_by_key(|r| r.stamp(ReferralState::Sent).map(|st| st.at));
    let in_period: Vec<&mut Referral> = requests.iter_mut().filter(|r| r.respond_by.year() >= 2024).collect();
    for (i, r) in in_period.into_iter().enumerate() {
        match i {
            0 | 1 => r.category = ReferralCategory::Drugs,
            2 => {
                r.category = ReferralCategory::DomesticViolence;
                let at = r.stamp(ReferralState::Sent).unwrap().at + chrono::Duration::days(11);
                r.escalation = Some(Escalation { by: "Aziz Karimov".into(), role: Role::Inspector, at, to: String::new(), note: String::new() });
            }
            _ => continue,
        }
        s.put(&*r).unwrap();
    }
    let report = district_report(s, &ctx(Locale::En), day("2024-01-01"), day("2025-12-31"), None).unwrap();
    let categories = section(&report, "Cooperation requests by category");
    assert_eq!(categories.columns, ["Category", "Sent", "Share, %", "Overdue", "Escalated"]);
    assert_eq!(
        shown(categories),
        [
            ["Trafficking in persons", "0", "0", "0", "0"],
            ["Drugs", "2", "25", "2", "0"],
            ["Extremism and terrorism", "0", "0", "0", "0"],
            ["Missing and wanted persons", "0", "0", "0", "0"],
            ["Migration", "0", "0", "0", "0"],
            ["Road safety", "0", "0", "0", "0"],
            ["Domestic violence", "1", "12.5", "1", "1"],
            ["Juveniles", "0", "0", "0", "0"],
            ["Other", "5", "62.5", "5", "0"],
            ["Total", "8", "100", "8", "1"],
        ]
    );
    // One year alone: no total row; the same figures in Russian headers.
    let one_year = district_report(s, &ctx(Locale::Ru), day("2025-01-01"), day("2025-12-31"), None).unwrap();
    let books = section(&one_year, "Доля заявлений по книгам учёта, по годам");
    assert_eq!(shown(books), [["2025", "10", "20", "23", "46", "17", "34", "50"]]);
    assert_eq!(books.columns[5], "Алфавитная книга");
}
