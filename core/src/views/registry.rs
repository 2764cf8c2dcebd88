//! The applications registry: each of the three books (Form 1 book, Form 2 journal,
//! alphabetical book) in number order, the listing of all books by applicant surname
//! (script-insensitive), the overdue list, and the actions "register" and "record the
//! decision".

use super::form::Choice;
use super::labels::{self, choice_label, parse_choice, parse_date_field, text};
use super::report;
use super::ViewContext;
use crate::error::{Error, Result};
use crate::i18n;
use crate::ids::RecordId;
use crate::model::{ApplicantKind, Application, Book, Decision, DecisionKind};
use crate::store::Store;
use crate::text::{cyrl_to_latn, search_key, APOSTROPHES};
use chrono::Datelike;

view_types! { $ registry_view_types;

    /// One application in the registry.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RegistryRow {
        /// Record id.
        pub id: String,
        /// "1-12 (1/2026/a3f2c1-4)" once the hub numbered it, else the provisional number.
        pub number_label: String,
        /// Final number in the book, once given by the hub.
        pub final_number: Option<u32>,
        /// The number the registering phone gave.
        pub provisional_number: String,
        /// "Provisional number" while the hub has not numbered it, else empty.
        pub provisional_hint: String,
        /// Book label.
        pub book_label: String,
        /// Applicant.
        pub applicant: String,
        /// What it is about.
        pub summary: String,
        /// Date received.
        pub registered_label: String,
        /// Decision due by.
        pub deadline_label: String,
        /// "Satisfied", or "Open", or "Decision overdue by 3 day(s)".
        pub status_label: String,
        /// A decision is recorded.
        pub decided: bool,
        /// No decision and past the deadline.
        pub overdue: bool,
    }

    /// One book of the registry for a year (or the overdue list).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RegistryBook {
        /// Screen title ("Form 1 book · 2026").
        pub title: String,
        /// Applications: numbered ones in number order, then provisional ones.
        pub rows: Vec<RegistryRow>,
        /// How many are overdue.
        pub overdue_count: u32,
        /// Shown when empty.
        pub empty_text: String,
    }

    /// Applicants whose surname starts with one letter.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct AlphabetGroup {
        /// The letter.
        pub letter: String,
        /// Applications, by surname then name.
        pub rows: Vec<RegistryRow>,
    }

    /// The listing by surname: every book of a year, by applicant surname.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct AlphabeticalBook {
        /// Screen title.
        pub title: String,
        /// Groups in alphabetical order.
        pub groups: Vec<AlphabetGroup>,
    }

    /// A book the registry screen offers: the book itself (what the apps send back) and its
    /// label.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct BookChoice {
        /// The book.
        pub book: Book,
        /// What the user sees.
        pub label: String,
    }

    /// What a new application says (dates as `YYYY-MM-DD`).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct NewApplication {
        /// A value of [`book_choices`].
        pub book: String,
        /// Date received; today when empty.
        pub registered_on: String,
        /// `citizen` or `legal_entity`; citizen when empty.
        pub applicant_kind: String,
        /// Applicant, surname first.
        pub applicant: String,
        /// Applicant's address or contact.
        pub applicant_address: String,
        /// Mahalla it concerns.
        pub mahalla: String,
        /// What it is about.
        pub summary: String,
        /// Officer assigned.
        pub assignee: String,
        /// Decision due by; the book's default when empty.
        pub deadline: String,
    }
}

/// The three registry books.
pub fn book_choices(ctx: &ViewContext) -> Vec<Choice> {
    labels::choices(ctx.locale, "book", &Book::ALL)
}

/// The three registry books for a picker that hands back the book itself.
pub fn book_picker(ctx: &ViewContext) -> Vec<BookChoice> {
    Book::ALL.iter().map(|book| BookChoice { book: *book, label: choice_label(ctx.locale, "book", book) }).collect()
}

/// Citizen or legal entity.
pub fn applicant_kind_choices(ctx: &ViewContext) -> Vec<Choice> {
    labels::choices(ctx.locale, "applicant_kind", &[ApplicantKind::Citizen, ApplicantKind::LegalEntity])
}

/// The kinds of decision.
pub fn decision_choices(ctx: &ViewContext) -> Vec<Choice> {
    labels::choices(ctx.locale, "decision_kind", &DecisionKind::ALL)
}

fn row(ctx: &ViewContext, app: &Application) -> RegistryRow {
    let locale = ctx.locale;
    let today = ctx.today();
    let status_label = match &app.decision {
        Some(decision) if app.is_decided() => choice_label(locale, "decision_kind", &decision.kind),
        _ if app.is_overdue(today) => i18n::render(locale, "registry.overdue", &[("days", (today - app.deadline).num_days().to_string())]),
        _ => text(locale, "registry.open"),
    };
    RegistryRow {
        id: app.id.to_string(),
        number_label: app.number_label(),
        final_number: app.final_number,
        provisional_number: app.provisional_number.clone(),
        provisional_hint: if app.final_number.is_none() { text(locale, "registry.provisional") } else { String::new() },
        book_label: choice_label(locale, "book", &app.book),
        applicant: app.applicant.clone(),
        summary: app.summary.clone(),
        registered_label: labels::date(locale, app.registered_on),
        deadline_label: labels::date(locale, app.deadline),
        status_label,
        decided: app.is_decided(),
        overdue: app.is_overdue(today),
    }
}

fn book_of(ctx: &ViewContext, title: String, apps: &[Application]) -> RegistryBook {
    let rows: Vec<RegistryRow> = apps.iter().map(|a| row(ctx, a)).collect();
    RegistryBook { title, overdue_count: rows.iter().filter(|r| r.overdue).count() as u32, rows, empty_text: text(ctx.locale, "registry.empty") }
}

/// One book for one year, in number order (provisional entries last, by registration date).
pub fn registry_book(store: &mut Store, ctx: &ViewContext, book: &str, year: i32) -> Result<RegistryBook> {
    let book: Book = parse_choice("book", book)?;
    let mut apps: Vec<Application> =
        report::load::<Application>(store, None)?.into_iter().filter(|a| a.book == book && a.registered_on.year() == year).collect();
    apps.sort_by(|a, b| {
        (a.final_number.is_none(), a.final_number, a.registered_on, &a.provisional_number).cmp(&(
            b.final_number.is_none(),
            b.final_number,
            b.registered_on,
            &b.provisional_number,
        ))
    });
    let title = i18n::render(ctx.locale, "registry.book_title", &[("book", choice_label(ctx.locale, "book", &book)), ("year", year.to_string())]);
    Ok(book_of(ctx, title, &apps))
}

/// Applications of every book with no decision past their deadline, oldest deadline first.
pub fn overdue_applications(store: &mut Store, ctx: &ViewContext) -> Result<RegistryBook> {
    let today = ctx.today();
    let mut apps: Vec<Application> = report::load::<Application>(store, None)?.into_iter().filter(|a| a.is_overdue(today)).collect();
    apps.sort_by(|a, b| (a.deadline, &a.provisional_number).cmp(&(b.deadline, &b.provisional_number)));
    Ok(book_of(ctx, text(ctx.locale, "registry.overdue_title"), &apps))
}

/// The listing by surname of a year: every book, grouped by the first letter of the
/// applicant's surname. Latin and Cyrillic spellings sort together (by their Latin form).
pub fn alphabetical_book(store: &mut Store, ctx: &ViewContext, year: i32) -> Result<AlphabeticalBook> {
    let mut apps: Vec<(String, Application)> =
        report::load::<Application>(store, None)?.into_iter().filter(|a| a.registered_on.year() == year).map(|a| (search_key(&a.applicant), a)).collect();
    apps.sort_by(|(ka, a), (kb, b)| (ka, &a.provisional_number).cmp(&(kb, &b.provisional_number)));
    let mut groups: Vec<AlphabetGroup> = Vec::new();
    for (_, app) in &apps {
        let letter = first_letter(app.surname());
        match groups.last_mut() {
            Some(group) if group.letter == letter => group.rows.push(row(ctx, app)),
            _ => groups.push(AlphabetGroup { letter, rows: vec![row(ctx, app)] }),
        }
    }
    Ok(AlphabeticalBook { title: i18n::render(ctx.locale, "registry.alphabetical_title", &[("year", year.to_string())]), groups })
}

/// The letter a surname is filed under: its first letter in Latin script, with the Uzbek
/// digraphs (Sh, Ch, O‘, G‘) kept whole.
fn first_letter(surname: &str) -> String {
    let latin = cyrl_to_latn(surname.trim());
    let upper: String = latin.chars().take(2).collect::<String>().to_uppercase();
    match upper.chars().collect::<Vec<_>>().as_slice() {
        ['S' | 'C', 'H'] => upper,
        [c @ ('O' | 'G'), a] if APOSTROPHES.contains(a) => format!("{c}‘"),
        [c, ..] => c.to_string(),
        [] => "#".into(),
    }
}

/// Registers an application with this device's next provisional number; returns its id and
/// number. The hub gives the final number at the next sync.
pub fn register_application(store: &mut Store, ctx: &ViewContext, new: &NewApplication) -> Result<(String, String)> {
    let book: Book = parse_choice("book", &new.book)?;
    let registered_on = if new.registered_on.trim().is_empty() { ctx.today() } else { parse_date_field("registered_on", &new.registered_on)? };
    let mut app = Application::new(book, registered_on);
    if !new.applicant_kind.trim().is_empty() {
        app.applicant_kind = parse_choice::<ApplicantKind>("applicant_kind", &new.applicant_kind)?;
    }
    if !new.deadline.trim().is_empty() {
        app.deadline = parse_date_field("deadline", &new.deadline)?;
    }
    app.applicant = new.applicant.trim().to_string();
    app.applicant_address = new.applicant_address.trim().to_string();
    app.mahalla = new.mahalla.trim().to_string();
    app.summary = new.summary.trim().to_string();
    app.assignee = new.assignee.trim().to_string();
    let number = store.register_application(&mut app)?;
    Ok((app.id.to_string(), number))
}

/// Records the decision on an application (decided today when `decided_on` is empty).
pub fn decide_application(store: &mut Store, ctx: &ViewContext, id: &str, kind: &str, text: &str, decided_on: &str) -> Result<()> {
    let rid = RecordId::parse(id).ok_or_else(|| Error::NotFound(id.to_string()))?;
    let kind: DecisionKind = parse_choice("decision/kind", kind)?;
    let day = if decided_on.trim().is_empty() { ctx.today() } else { parse_date_field("decision/decided_on", decided_on)? };
    let by = store.device().profile.person.clone();
    store.update::<Application>(&rid, |app| {
        app.decision = Some(Decision { kind, text: text.trim().to_string(), decided_on: Some(day), by });
    })?;
    Ok(())
}
