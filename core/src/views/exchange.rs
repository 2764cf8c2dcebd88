//! Device-to-device exchange without a hub: the screen that saves this phone's changes to a
//! bundle file (the shell hands it to the platform's share sheet) and merges one received from
//! another phone, and the report of that merge in the user's language. The reports' periods
//! (this month, the last three months, this year) are here too: both the exchange and the
//! report screens start from what the phone has now.

use super::labels::text;
use super::ViewContext;
use crate::error::Result;
use crate::i18n;
use crate::store::ImportReport;
use chrono::{Datelike, Months, NaiveDate};

view_types! { $ exchange_view_types;

    /// The device-to-device exchange screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Exchange {
        /// Screen title.
        pub title: String,
        /// What a bundle is and when to use one, in one sentence.
        pub explanation: String,
        /// Label of the button that saves a bundle and shares it.
        pub export_label: String,
        /// Label of the button that opens a received bundle.
        pub receive_label: String,
        /// Label of the button that shows this phone's summary code ([`summary_code`](super::summary_code)).
        pub show_code_label: String,
        /// Label of the button that saves, for another phone's code (read or pasted), only what
        /// that phone lacks and shares it.
        pub send_for_code_label: String,
        /// The name to give the saved bundle (`suhbat-2025-10-07-1430.suhbat`).
        pub file_name: String,
        /// The media type of a bundle file, for the share sheet.
        pub media_type: String,
    }

    /// What merging a received bundle did, in words.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ExchangeReport {
        /// Title of the report.
        pub title: String,
        /// One line per figure ("Records created or changed: 3").
        pub lines: Vec<String>,
        /// Records that now hold conflicts; above zero the shell offers the conflicts screen.
        pub conflicts: u32,
    }

    /// A period a report may cover, with its days.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ReportPeriod {
        /// Its label ("This month").
        pub label: String,
        /// First day, `YYYY-MM-DD`.
        pub first_day: String,
        /// Last day (today), `YYYY-MM-DD`.
        pub last_day: String,
    }
}

/// The media type of a bundle file.
pub const BUNDLE_MEDIA_TYPE: &str = "application/octet-stream";

/// The exchange screen at the context's local time.
pub fn exchange(ctx: &ViewContext) -> Exchange {
    let locale = ctx.locale;
    Exchange {
        title: text(locale, "screen.exchange"),
        explanation: text(locale, "exchange.explain"),
        export_label: text(locale, "exchange.export"),
        receive_label: text(locale, "exchange.receive"),
        show_code_label: text(locale, "exchange.show_code"),
        send_for_code_label: text(locale, "exchange.send_for_code"),
        file_name: format!("suhbat-{}.suhbat", ctx.local(ctx.now).format("%Y-%m-%d-%H%M")),
        media_type: BUNDLE_MEDIA_TYPE.to_string(),
    }
}

/// The report of a merged bundle: what came, what changed, what now holds conflicts and what
/// was left out because this phone may not hold it.
pub fn exchange_report(ctx: &ViewContext, report: &ImportReport) -> ExchangeReport {
    let locale = ctx.locale;
    let count = |key: &str, n: usize| i18n::render(locale, key, &[("count", n.to_string())]);
    let mut lines = vec![count("exchange.docs_received", report.docs_received)];
    if report.records_changed == 0 {
        lines.push(text(locale, "exchange.nothing_new"));
    } else {
        lines.push(count("exchange.records_changed", report.records_changed));
    }
    if report.records_in_conflict > 0 {
        lines.push(count("exchange.records_in_conflict", report.records_in_conflict));
    }
    if report.docs_skipped > 0 {
        lines.push(count("exchange.docs_skipped", report.docs_skipped));
    }
    ExchangeReport { title: text(locale, "exchange.report_title"), lines, conflicts: u32::try_from(report.records_in_conflict).unwrap_or(u32::MAX) }
}

/// The periods a report screen offers, each ending today: this month, the last three months
/// (from the first of the month two months back) and this year.
pub fn report_periods(ctx: &ViewContext) -> Result<Vec<ReportPeriod>> {
    let today = ctx.today();
    let month = today.with_day(1).unwrap_or(today);
    let three_months = month.checked_sub_months(Months::new(2)).unwrap_or(month);
    let year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(month);
    let period = |key: &str, from: NaiveDate| ReportPeriod {
        label: text(ctx.locale, key),
        first_day: from.format("%Y-%m-%d").to_string(),
        last_day: today.format("%Y-%m-%d").to_string(),
    };
    Ok(vec![period("period.this_month", month), period("period.three_months", three_months), period("period.this_year", year)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Locale;
    use chrono::{TimeZone, Utc};

    fn at(locale: Locale) -> ViewContext {
        // 7 October 2025, 09:30 UTC = 14:30 in Tashkent.
        ViewContext::new(locale).at(Utc.with_ymd_and_hms(2025, 10, 7, 9, 30, 0).unwrap())
    }

    #[test]
    fn the_exchange_screen_names_its_file_by_the_local_time() {
        let screen = exchange(&at(Locale::En));
        assert_eq!(screen.file_name, "suhbat-2025-10-07-1430.suhbat");
        assert_eq!(screen.title, "Device-to-device exchange");
        assert!(!screen.explanation.is_empty() && !screen.export_label.is_empty() && !screen.receive_label.is_empty());
        assert!(!screen.show_code_label.is_empty() && !screen.send_for_code_label.is_empty());
    }

    #[test]
    fn an_import_is_reported_in_the_users_language_with_its_conflicts() {
        let merged = ImportReport { docs_received: 4, docs_changed: 2, records_changed: 3, records_in_conflict: 1, docs_skipped: 1 };
        let report = exchange_report(&at(Locale::En), &merged);
        assert_eq!(
            report.lines,
            ["Documents received: 4", "Records created or changed: 3", "Records with conflicts to resolve: 1", "Left out, not for this phone: 1"]
        );
        assert_eq!(report.conflicts, 1);
        let ru = exchange_report(&at(Locale::Ru), &merged);
        assert_eq!(ru.lines[1], "Создано или изменено записей: 3");
        let nothing = exchange_report(&at(Locale::UzLatn), &ImportReport { docs_received: 4, ..Default::default() });
        assert_eq!(nothing.lines.len(), 2, "{:?}", nothing.lines);
        assert_eq!(nothing.lines[1], text(Locale::UzLatn, "exchange.nothing_new"));
        assert_eq!(nothing.conflicts, 0);
    }

    #[test]
    fn report_periods_end_today_and_start_at_the_month_the_quarter_and_the_year() {
        let periods = report_periods(&at(Locale::En)).unwrap();
        let days: Vec<(&str, &str)> = periods.iter().map(|p| (p.first_day.as_str(), p.last_day.as_str())).collect();
        assert_eq!(days, [("2025-10-01", "2025-10-07"), ("2025-08-01", "2025-10-07"), ("2025-01-01", "2025-10-07")]);
        assert_eq!(periods[0].label, "This month");
    }
}
