//! `suhbat report …`: the district report, effectiveness monitoring and rising incidents of a
//! device store, as a table, CSV or JSON, on screen or into a file.

use crate::records::{as_of_lines, store_as_of, StoreArg};
use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use suhbat_core::views::{self, Cell, Report, ViewContext};
use suhbat_core::{Error, Locale};

/// Which report to make.
#[derive(Subcommand)]
pub(crate) enum ReportCommand {
    /// Conversations, parent cases, requests, applications, follow-ups and effectiveness.
    District(ReportArgs),
    /// Follow-up figures per inspector and per mahalla.
    Effectiveness(ReportArgs),
    /// Incidents per mahalla and month; rising mahallas first.
    Trends {
        #[command(flatten)]
        args: ReportArgs,
        /// Months to look back over, the current one included (6 to 36).
        #[arg(long, default_value_t = 12)]
        months: u32,
    },
}

/// How a report is printed.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// Comma-separated values (RFC 4180), sections one after another.
    Csv,
    /// JSON: title, subtitle and sections of columns and rows.
    Json,
}

/// What every report takes.
#[derive(Args)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    store: StoreArg,
    /// First day, YYYY-MM-DD (default: 1 January of the last day's year).
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Last day, YYYY-MM-DD (default: today).
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Only this mahalla.
    #[arg(long)]
    mahalla: Option<String>,
    /// The report as it could be made at a local date (2026-03-03: the end of that day) or date
    /// and time (2026-03-03 14:30), from the records as they stood then (the devices' clocks).
    #[arg(long)]
    as_of: Option<String>,
    /// table, csv or json.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Write to this file instead of the screen.
    #[arg(long)]
    out: Option<PathBuf>,
}

impl ReportArgs {
    fn period(&self, ctx: &ViewContext) -> (NaiveDate, NaiveDate) {
        let to = self.to.unwrap_or_else(|| ctx.today());
        let from = self.from.unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
        (from, to)
    }
}

/// Runs a report command; a bad period or number of months is told in words, not as a record
/// that was not saved.
pub(crate) fn run(cmd: ReportCommand, lang: Locale) -> Result<()> {
    make(cmd, lang).map_err(|e| match e.downcast_ref::<Error>() {
        Some(Error::Invalid(errors)) => anyhow::anyhow!("{}", errors.messages(lang).join("; ")),
        _ => e,
    })
}

fn make(cmd: ReportCommand, lang: Locale) -> Result<()> {
    let args = match &cmd {
        ReportCommand::District(args) | ReportCommand::Effectiveness(args) | ReportCommand::Trends { args, .. } => args,
    };
    // With --as-of, the records then and a context dated then (the default period ends then).
    let (mut store, ctx, header) = store_as_of(&args.store.store, args.as_of.as_deref(), ViewContext::new(lang))?;
    let (from, to) = args.period(&ctx);
    let report = match &cmd {
        ReportCommand::District(args) => views::district_report(&mut store, &ctx, from, to, args.mahalla.as_deref())?,
        ReportCommand::Effectiveness(args) => {
            let view = views::effectiveness(&mut store, &ctx, from, to, args.mahalla.as_deref())?;
            Report { sections: view.sections(&ctx), title: view.title, subtitle: view.subtitle }
        }
        ReportCommand::Trends { months, .. } => {
            let view = views::incident_trends(&mut store, &ctx, *months)?;
            Report { sections: view.sections(&ctx), title: view.title, subtitle: view.subtitle }
        }
    };
    let lines = header.as_ref().map(as_of_lines).unwrap_or_default();
    let text = match args.format {
        Format::Table => lines.iter().map(|line| format!("{line}\n")).collect::<String>() + &table(&report),
        // CSV stays a table: the lines of the past go to the screen beside it.
        Format::Csv => {
            lines.iter().for_each(|line| eprintln!("{line}"));
            report.to_csv()
        }
        Format::Json => {
            let mut value = json(&report);
            if header.is_some() {
                value["as_of"] = lines.into();
            }
            format!("{}\n", serde_json::to_string_pretty(&value)?)
        }
    };
    match &args.out {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
            println!("wrote {} to {}", report.title, path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

fn cell_json(cell: &Cell) -> serde_json::Value {
    match cell {
        Cell::Text { text } => text.clone().into(),
        Cell::Number { value } if value.fract() == 0.0 && value.abs() < 9e15 => (*value as i64).into(),
        Cell::Number { value } => (*value).into(),
        Cell::Empty => serde_json::Value::Null,
    }
}

fn json(report: &Report) -> serde_json::Value {
    let sections: Vec<serde_json::Value> = report
        .sections
        .iter()
        .map(|s| {
            let rows: Vec<Vec<serde_json::Value>> = s.rows.iter().map(|r| r.iter().map(cell_json).collect()).collect();
            serde_json::json!({ "title": s.title, "columns": s.columns, "rows": rows })
        })
        .collect();
    serde_json::json!({ "title": report.title, "subtitle": report.subtitle, "sections": sections })
}

/// Sections as aligned columns (text left, numbers right), cells cut at 40 characters.
pub(crate) fn table(report: &Report) -> String {
    let mut out = format!("{}\n{}\n", report.title, report.subtitle);
    for section in &report.sections {
        let header: Vec<String> = section.columns.iter().map(|c| crate::output::truncate(c, 40)).collect();
        let rows: Vec<Vec<(String, bool)>> =
            section.rows.iter().map(|r| r.iter().map(|c| (crate::output::truncate(&c.display(), 40), matches!(c, Cell::Number { .. }))).collect()).collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|i| rows.iter().filter_map(|r| r.get(i)).map(|(t, _)| t.chars().count()).chain([header[i].chars().count()]).max().unwrap_or(0))
            .collect();
        let line = |cells: Vec<(String, bool)>| {
            let padded: Vec<String> = cells.iter().zip(&widths).map(|((t, right), w)| if *right { format!("{t:>w$}") } else { format!("{t:<w$}") }).collect();
            format!("{}\n", padded.join("  ").trim_end())
        };
        out.push_str(&format!("\n{}\n", section.title));
        out.push_str(&line(header.into_iter().map(|h| (h, false)).collect()));
        for row in rows {
            out.push_str(&line(row));
        }
    }
    out
}
