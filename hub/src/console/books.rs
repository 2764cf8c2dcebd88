//! The registry books (Form 1 book, Form 2 journal) and the alphabetical book of a year from
//! the core's registry views, searchable in either script (the core's transliteration), only
//! the account's mahallas; and a record's page with its history (who changed what, when).

use super::page::{failed, forbidden, html, message, text, Chrome, Lang, Signed};
use super::sessions::Session;
use super::ConsoleState;
use crate::HubError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use suhbat_core::text::search_key;
use suhbat_core::views::{alphabetical_book, book_choices, csv_line, record_history, registry_book, Choice, RecordHistoryView, RegistryRow, ViewContext};
use suhbat_core::Locale;

/// The book to show when none is asked for.
const ALPHABETICAL: &str = "alphabetical";

/// One group of rows (a letter of the alphabetical book, or the whole book).
struct Group {
    heading: String,
    rows: Vec<RegistryRow>,
}

#[derive(Template)]
#[template(path = "console/books.html")]
struct BooksPage {
    chrome: Chrome,
    books: Vec<Choice>,
    book: String,
    year: i32,
    query: String,
    heading: String,
    groups: Vec<Group>,
    empty_text: String,
    /// The query of the export links.
    export: String,
}

/// The book, year and search asked for.
#[derive(serde::Deserialize, Default)]
pub(crate) struct BooksQuery {
    book: Option<String>,
    year: Option<i32>,
    q: Option<String>,
}

/// Whether a row matches the search, in either script.
fn matches(row: &RegistryRow, wanted: &str) -> bool {
    wanted.is_empty() || search_key(&format!("{} {} {}", row.applicant, row.summary, row.number_label)).contains(wanted)
}

/// A book as asked for and as the account may see it.
struct Shown {
    books: Vec<Choice>,
    book: String,
    year: i32,
    heading: String,
    groups: Vec<Group>,
    empty_text: String,
}

/// The book the query asks for, searched, with only the account's mahallas' applications.
async fn shown(state: &ConsoleState, locale: Locale, session: &Session, query: &BooksQuery, action: &'static str) -> Result<Shown, HubError> {
    let ctx = ViewContext::new(locale);
    let year = query.year.unwrap_or_else(|| ctx.today().year());
    let mut books = book_choices(&ctx);
    books.push(Choice { value: ALPHABETICAL.into(), label: text(locale, "console.books.alphabetical") });
    let book = query.book.clone().filter(|b| books.iter().any(|c| c.value == *b)).or_else(|| books.first().map(|c| c.value.clone())).unwrap_or_default();
    let wanted = search_key(query.q.as_deref().unwrap_or("").trim());
    let (account, asked) = (session.account.clone(), book.clone());
    let (heading, groups, empty_text) = state
        .with_hub(move |hub| {
            let (heading, groups, empty_text) = {
                let mut store = hub.view_store()?;
                if asked == ALPHABETICAL {
                    let alphabetical = alphabetical_book(&mut store, &ctx, year)?;
                    let groups = alphabetical.groups.into_iter().map(|g| Group { heading: g.letter, rows: g.rows }).collect();
                    (alphabetical.title, groups, text(ctx.locale, "registry.empty"))
                } else {
                    let book = registry_book(&mut store, &ctx, &asked, year)?;
                    (book.title, vec![Group { heading: String::new(), rows: book.rows }], book.empty_text)
                }
            };
            let mut visible = Vec::new();
            for mut group in groups {
                let mut rows = Vec::new();
                for row in group.rows {
                    if matches(&row, &wanted) && hub.record_bucket(&row.id)?.is_some_and(|b| account.sees_scope(&b.scope)) {
                        rows.push(row);
                    }
                }
                group.rows = rows;
                if !group.rows.is_empty() {
                    visible.push(group);
                }
            }
            if action != "view" {
                hub.audit_console(&account.name, &format!("{action}:book:{asked}:{year}"), None)?;
            }
            Ok::<_, HubError>((heading, visible, empty_text))
        })
        .await?;
    Ok(Shown { books, book, year, heading, groups, empty_text })
}

/// GET `/console/books`.
pub(crate) async fn books(State(state): State<ConsoleState>, Lang(locale): Lang, Signed(session): Signed, Query(query): Query<BooksQuery>) -> Response {
    if !session.account.role.sees_registers() {
        return forbidden(locale, &session);
    }
    match shown(&state, locale, &session, &query, "view").await {
        Ok(Shown { books, book, year, heading, groups, empty_text }) => {
            let chrome = Chrome::new(locale, "/console/books", "console.nav.books", Some(&session));
            let export =
                format!("book={book}&year={year}&q={}", query.q.as_deref().unwrap_or("").chars().filter(char::is_ascii_alphanumeric).collect::<String>());
            html(StatusCode::OK, &BooksPage { chrome, books, book, year, query: query.q.unwrap_or_default(), heading, groups, empty_text, export })
        }
        Err(e) => failed(locale, Some(&session), e),
    }
}

/// The headers of an exported book, in the page's language.
fn export_columns(locale: Locale) -> Vec<String> {
    ["console.books.number", "field.applicant", "field.summary", "field.registered_on", "field.deadline", "console.devices.status"]
        .iter()
        .map(|k| text(locale, k))
        .collect()
}

/// GET `/console/books.csv`.
pub(crate) async fn export_csv(State(state): State<ConsoleState>, Lang(locale): Lang, Signed(session): Signed, Query(query): Query<BooksQuery>) -> Response {
    export(&state, locale, &session, &query, false).await
}

/// GET `/console/books.json`.
pub(crate) async fn export_json(State(state): State<ConsoleState>, Lang(locale): Lang, Signed(session): Signed, Query(query): Query<BooksQuery>) -> Response {
    export(&state, locale, &session, &query, true).await
}

/// The book as shown, as a CSV or JSON file (an export, in the audit chain).
async fn export(state: &ConsoleState, locale: Locale, session: &Session, query: &BooksQuery, json: bool) -> Response {
    if !session.account.role.sees_registers() {
        return forbidden(locale, session);
    }
    let shown = match shown(state, locale, session, query, "export").await {
        Ok(shown) => shown,
        Err(e) => return failed(locale, Some(session), e),
    };
    let rows: Vec<&RegistryRow> = shown.groups.iter().flat_map(|g| g.rows.iter()).collect();
    let fields = |r: &RegistryRow| {
        [r.number_label.clone(), r.applicant.clone(), r.summary.clone(), r.registered_label.clone(), r.deadline_label.clone(), r.status_label.clone()]
    };
    let (content_type, body) = if json {
        let columns = export_columns(locale);
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                let mut item = serde_json::Map::from_iter([("id".to_string(), serde_json::Value::from(r.id.clone()))]);
                item.extend(columns.iter().cloned().zip(fields(r).into_iter().map(serde_json::Value::from)));
                serde_json::Value::Object(item)
            })
            .collect();
        ("application/json", serde_json::json!({ "title": shown.heading, "rows": items }).to_string())
    } else {
        let mut csv = csv_line(&export_columns(locale));
        for row in rows {
            csv.push_str(&csv_line(&fields(row)));
        }
        ("text/csv; charset=utf-8", csv)
    };
    let disposition = format!("attachment; filename=\"{}-{}.{}\"", shown.book, shown.year, if json { "json" } else { "csv" });
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response()
}

#[derive(Template)]
#[template(path = "console/record.html")]
struct RecordPage {
    chrome: Chrome,
    history: RecordHistoryView,
}

/// GET `/console/record/{id}`: the record's history, if it is in the account's mahallas.
pub(crate) async fn record(State(state): State<ConsoleState>, Lang(locale): Lang, Signed(session): Signed, Path(id): Path<String>) -> Response {
    if !session.account.role.sees_registers() {
        return forbidden(locale, &session);
    }
    let account = session.account.clone();
    let made = state
        .with_hub(move |hub| {
            if !hub.record_bucket(&id)?.is_some_and(|b| account.sees_scope(&b.scope)) {
                return Ok(None);
            }
            let history = record_history(&mut *hub.view_store()?, &ViewContext::new(locale), &id)?;
            hub.audit_console(&account.name, "view:record", Some(&id))?;
            Ok::<_, HubError>(Some(history))
        })
        .await;
    match made {
        Ok(Some(history)) => {
            let mut chrome = Chrome::new(locale, "", "console.record.title", Some(&session));
            chrome.title.clone_from(&history.record_title);
            html(StatusCode::OK, &RecordPage { chrome, history })
        }
        Ok(None) => message(StatusCode::NOT_FOUND, locale, Some(&session), text(locale, "console.not_found")),
        Err(e) => failed(locale, Some(&session), e),
    }
}
