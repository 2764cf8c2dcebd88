//! Printing records, lists and errors for people.

use suhbat_core::{Error, IndexRow, Locale};

/// An error with its causes, and validation messages one a line in the chosen language.
pub(crate) fn describe(err: &anyhow::Error, lang: Locale) -> String {
    for cause in err.chain() {
        if let Some(Error::Invalid(errors)) = cause.downcast_ref::<Error>() {
            let lines: Vec<String> = errors.0.iter().map(|e| format!("  - {}: {}", e.field, e.message(lang))).collect();
            return format!("the record was not saved:\n{}", lines.join("\n"));
        }
    }
    err.chain().map(|c| c.to_string()).collect::<Vec<_>>().join(": ")
}

/// A table of index rows.
pub(crate) fn print_rows(rows: &[IndexRow]) {
    if rows.is_empty() {
        println!("(nothing found)");
        return;
    }
    println!("{:<36}  {:<12}  {:<40}  {:<11}  {:<10}  conflicts", "id", "kind", "title", "status", "due");
    for row in rows {
        println!(
            "{:<36}  {:<12}  {:<40}  {:<11}  {:<10}  {}",
            row.record_id,
            row.kind.as_str(),
            truncate(&row.title, 40),
            row.status,
            row.due_on.map(|d| d.to_string()).unwrap_or_default(),
            if row.conflicts > 0 { row.conflicts.to_string() } else { String::new() }
        );
    }
}

/// At most `max` characters.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}
