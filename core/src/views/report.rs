//! Report building blocks: a report is titled sections of column headers and rows of cells
//! (text or numbers), so every report exports to CSV, JSON or a table the same way; the
//! reporting period; and loading every record of a kind for the figures.

use super::labels::{self, text};
use super::ViewContext;
use crate::doc::scope_key;
use crate::error::{Error, Result};
use crate::i18n;
use crate::ids::RecordId;
use crate::model::{Record, Rules};
use crate::store::{IndexRow, ListQuery, Store};
use chrono::{Datelike, NaiveDate};

view_types! { $ report_view_types;

    /// One cell of a report table.
    #[derive(Clone, Debug, PartialEq)]
    pub enum Cell {
        /// Words (a name, a month, a label).
        Text {
            /// The text.
            text: String,
        },
        /// A count, a share in percent or a number of days.
        Number {
            /// The value.
            value: f64,
        },
        /// Nothing to show (a share of zero items, a median of no answers).
        Empty,
    }

    /// A titled table of a report.
    #[derive(Clone, Debug, PartialEq)]
    pub struct ReportSection {
        /// Section title.
        pub title: String,
        /// Column headers.
        pub columns: Vec<String>,
        /// Rows, each with one cell per column.
        pub rows: Vec<Vec<Cell>>,
    }

    /// A report: a title, the period it covers and its sections.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Report {
        /// Report title.
        pub title: String,
        /// "01.09.2025 – 31.10.2025 · Navbahor".
        pub subtitle: String,
        /// Sections in display order.
        pub sections: Vec<ReportSection>,
    }
}

impl Cell {
    /// A text cell.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::Text { text: text.into() }
    }

    /// A number cell.
    pub fn number(value: impl Into<f64>) -> Cell {
        Cell::Number { value: value.into() }
    }

    /// A share of `part` in `whole` in percent, rounded to a whole number; empty when `whole`
    /// is zero.
    pub fn percent(part: u32, whole: u32) -> Cell {
        percent(part, whole).map_or(Cell::Empty, Cell::number)
    }

    /// A share of `part` in `whole` in percent to one decimal place (19.6), as the service's
    /// statistics give it; empty when `whole` is zero.
    pub fn share(part: u32, whole: u32) -> Cell {
        if whole == 0 {
            return Cell::Empty;
        }
        Cell::number((f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0)
    }

    /// The cell as shown in a table or a CSV file: numbers without a trailing `.0`.
    pub fn display(&self) -> String {
        match self {
            Cell::Text { text } => text.clone(),
            Cell::Number { value } => format!("{value}"),
            Cell::Empty => String::new(),
        }
    }
}

/// A share of `part` in `whole` in percent, rounded; none when `whole` is zero.
pub(crate) fn percent(part: u32, whole: u32) -> Option<u32> {
    (whole > 0).then(|| ((f64::from(part) * 100.0 / f64::from(whole)).round()) as u32)
}

/// One CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// One CSV line (ending in CRLF, as RFC 4180 asks).
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields.iter().map(|f| csv_field(f.as_ref())).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

impl ReportSection {
    /// The section as CSV: the header line, then one line per row.
    pub fn to_csv(&self) -> String {
        let mut out = csv_line(&self.columns);
        for row in &self.rows {
            out.push_str(&csv_line(&row.iter().map(Cell::display).collect::<Vec<_>>()));
        }
        out
    }
}

impl Report {
    /// The report as CSV: each section's title on a line of its own, its table, and an empty
    /// line between sections.
    pub fn to_csv(&self) -> String {
        self.sections.iter().map(|s| format!("{}{}", csv_line(&[&s.title]), s.to_csv())).collect::<Vec<_>>().join("\r\n")
    }
}

/// The days a report covers, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl Period {
    /// The period from `from` to `to`; refused with a translatable message when it ends before
    /// it starts.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period> {
        let mut rules = Rules::default();
        rules.not_before("period_to", &to, "period_from", &from);
        rules.finish().map_err(Error::Invalid)?;
        Ok(Period { from, to })
    }

    /// True when `day` is in the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        (self.from..=self.to).contains(&day)
    }

    /// The first day of every month the period touches, in order.
    pub fn months(&self) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut month = month_of(self.from);
        while month <= self.to {
            out.push(month);
            match month.checked_add_months(chrono::Months::new(1)) {
                Some(next) => month = next,
                None => break,
            }
        }
        out
    }

    /// "01.09.2025 – 31.10.2025", with " · Navbahor" when one mahalla is reported.
    pub(crate) fn label(&self, ctx: &ViewContext, mahalla: Option<&str>) -> String {
        let days = i18n::render(ctx.locale, "report.period", &[("from", labels::date(ctx.locale, self.from)), ("to", labels::date(ctx.locale, self.to))]);
        match mahalla {
            Some(m) => format!("{days} · {}", mahalla_name(ctx, m)),
            None => days,
        }
    }
}

/// The first day of the month of `day`.
pub(crate) fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// A month as a column or row label: `2025-09`.
pub(crate) fn month_label(first: NaiveDate) -> String {
    first.format("%Y-%m").to_string()
}

/// A mahalla (name or scope key) as a name in the locale's script.
pub(crate) fn mahalla_name(ctx: &ViewContext, mahalla: &str) -> String {
    labels::in_script(ctx.locale, &labels::scope_name(&scope_key(mahalla)))
}

/// Every stored record of a kind, of one mahalla when given.
pub(crate) fn load<R: Record>(store: &mut Store, mahalla: Option<&str>) -> Result<Vec<R>> {
    let query = ListQuery { mahalla: mahalla.map(str::to_string), ..Default::default() };
    load_where(store, query)
}

/// Every stored record of a kind that `query` lists (the kind and an unlimited row count are
/// set here).
pub(crate) fn load_where<R: Record>(store: &mut Store, query: ListQuery) -> Result<Vec<R>> {
    let rows = store.list(&ListQuery { kind: Some(R::KIND), limit: Some(u32::MAX), ..query })?;
    records(store, &rows)
}

/// The records behind index rows. A record written by a newer app version is left out rather
/// than failing the whole list or report.
pub(crate) fn records<R: Record>(store: &mut Store, rows: &[IndexRow]) -> Result<Vec<R>> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(id) = RecordId::parse(&row.record_id) else { continue };
        match store.get::<R>(&id) {
            Ok(stored) => out.push(stored.record),
            Err(Error::Document { .. }) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// The median of some day counts; none when there are none.
pub(crate) fn median(mut values: Vec<i64>) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2] as f64),
        _ => Some((values[n / 2 - 1] + values[n / 2]) as f64 / 2.0),
    }
}

/// A section whose column headers are catalog keys.
pub(crate) fn section(ctx: &ViewContext, title_key: &str, column_keys: &[&str], rows: Vec<Vec<Cell>>) -> ReportSection {
    ReportSection { title: text(ctx.locale, title_key), columns: column_keys.iter().map(|k| text(ctx.locale, k)).collect(), rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(csv_line(&["a", "b,c", "say \"hi\"", "two\nlines", ""]), "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
        assert_eq!(Cell::number(3).display(), "3");
        assert_eq!(Cell::number(2.5).display(), "2.5");
        assert_eq!(Cell::percent(2, 3).display(), "67");
        assert_eq!(Cell::percent(1, 0), Cell::Empty);
        assert_eq!(median(vec![5, 1, 3]), Some(3.0));
        assert_eq!(median(vec![4, 1]), Some(2.5));
        assert_eq!(median(vec![]), None);
    }

    #[test]
    fn periods_list_their_months_and_refuse_to_run_backwards() {
        let day = |t: &str| t.parse::<NaiveDate>().unwrap();
        let period = Period::new(day("2025-08-15"), day("2025-10-01")).unwrap();
        assert_eq!(period.months().iter().map(|m| month_label(*m)).collect::<Vec<_>>(), ["2025-08", "2025-09", "2025-10"]);
        assert!(period.contains(day("2025-10-01")) && !period.contains(day("2025-10-02")));
        let Err(Error::Invalid(e)) = Period::new(day("2025-10-01"), day("2025-09-01")) else { panic!("a backwards period must be refused") };
        assert_eq!(e.messages(crate::Locale::En), ["Until (2025-09-01) cannot be before From (2025-10-01)"]);
    }
}
