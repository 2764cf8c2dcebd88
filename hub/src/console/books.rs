//! The registry books (Form 1 book, Form 2 journal) and the alphabetical book of a year from
//! the core's registry views, searchable in either script (the core's transliteration), only
//! the account's mahallas; and a record's page with its history (who changed what, when).

use super::page::{failed, forbidden, html, message, text, Chrome, Lang, Signed};
use super::ConsoleState;
use crate::HubError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use suhbat_core::text::search_key;
use suhbat_core::views::{alphabetical_book, book_choices, record_history, registry_book, Choice, RecordHistoryView, RegistryRow, ViewContext};

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

/// GET `/console/books`.
pub(crate) async fn books(State(state): State<ConsoleState>, Lang(locale): Lang, Signed(session): Signed, Query(query): Query<BooksQuery>) -> Response {
    if !session.account.role.sees_registers() {
        return forbidden(locale, &session);
    }
    let ctx = ViewContext::new(locale);
    let year = query.year.unwrap_or_else(|| ctx.today().year());
    let mut books = book_choices(&ctx);
    books.push(Choice { value: ALPHABETICAL.into(), label: text(locale, "console.books.alphabetical") });
    let book = query.book.clone().filter(|b| books.iter().any(|c| c.value == *b)).unwrap_or_else(|| books[0].value.clone());
    let wanted = search_key(query.q.as_deref().unwrap_or("").trim());
    let (account, shown) = (session.account.clone(), book.clone());
    let made = state
        .with_hub(move |hub| {
            let (heading, groups, empty_text) = {
                let mut store = hub.store()?;
                if shown == ALPHABETICAL {
                    let alphabetical = alphabetical_book(&mut store, &ctx, year)?;
                    let groups = alphabetical.groups.into_iter().map(|g| Group { heading: g.letter, rows: g.rows }).collect();
                    (alphabetical.title, groups, text(ctx.locale, "registry.empty"))
                } else {
                    let book = registry_book(&mut store, &ctx, &shown, year)?;
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
            Ok::<_, HubError>((heading, visible, empty_text))
        })
        .await;
    match made {
        Ok((heading, groups, empty_text)) => {
            let chrome = Chrome::new(locale, "/console/books", "console.nav.books", Some(&session));
            html(StatusCode::OK, &BooksPage { chrome, books, book, year, query: query.q.unwrap_or_default(), heading, groups, empty_text })
        }
        Err(e) => failed(locale, Some(&session), e),
    }
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
            let history = record_history(&mut *hub.store()?, &ViewContext::new(locale), &id)?;
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
