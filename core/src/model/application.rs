//! The applications registry: applications from citizens and legal entities, registered in one
//! of three books — the Form 1 book, the Form 2 journal or the alphabetical book — with a number
//! per book and year. (The service's statistics count a third of applications or more in the
//! alphabetical book; it is a registration book of its own, not an index of the other two.)
//!
//! Numbers must stay unique when two phones register offline at once, so a phone gives a
//! **provisional number** made of its own device tag and counter (unique without asking
//! anyone), and the hub gives the **final number** — the next in the book for the year — when
//! the application reaches it. Both are shown; the hub refuses a final number set by a phone.

use super::{latest_local_date, Audience, IndexFields, Record, RecordKind, Rules, ValidationErrors};
use crate::ids::RecordId;
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The registry book an application is entered in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Book {
    /// Form 1 book: reports of offences and incidents.
    #[default]
    Form1,
    /// Form 2 journal: other applications and information.
    Form2,
    /// The alphabetical book: applications and complaints of citizens filed by the applicant's
    /// surname (book 3).
    Alphabetical,
}

impl Book {
    /// The three books, in the order of their numbers.
    pub const ALL: [Book; 3] = [Book::Form1, Book::Form2, Book::Alphabetical];

    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Book::Form1 => "form1",
            Book::Form2 => "form2",
            Book::Alphabetical => "alphabetical",
        }
    }

    /// Parses the stable text form (`form1`, `1`, `alphabetical`, `3`, …).
    pub fn parse(text: &str) -> Option<Book> {
        match text.trim().to_ascii_lowercase().as_str() {
            "form1" | "1" | "form-1" => Some(Book::Form1),
            "form2" | "2" | "form-2" => Some(Book::Form2),
            "alphabetical" | "3" | "alpha" => Some(Book::Alphabetical),
            _ => None,
        }
    }

    /// Default days to decide: offence reports are checked within 3 days, other applications
    /// and citizens' complaints (Form 2 journal, alphabetical book) within 15.
    pub fn days_to_decide(self) -> u64 {
        match self {
            Book::Form1 => 3,
            Book::Form2 | Book::Alphabetical => 15,
        }
    }

    /// The book's number as printed on the cover (1, 2 or 3); it starts provisional numbers
    /// (`3/2026/a3f2c1-4`) and final ones (`3-12`).
    pub fn number(self) -> u8 {
        match self {
            Book::Form1 => 1,
            Book::Form2 => 2,
            Book::Alphabetical => 3,
        }
    }
}

/// Who applied.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    /// A citizen.
    #[default]
    Citizen,
    /// A legal entity (organisation).
    LegalEntity,
}

/// What was decided on an application.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Granted / measures taken.
    #[default]
    Satisfied,
    /// Explanation given.
    Explained,
    /// Refused.
    Refused,
    /// Sent on to the competent body.
    Forwarded,
}

impl DecisionKind {
    /// All decisions, in display order.
    pub const ALL: [DecisionKind; 4] = [DecisionKind::Satisfied, DecisionKind::Explained, DecisionKind::Refused, DecisionKind::Forwarded];
}

/// The decision on an application.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Decision {
    /// What was decided.
    pub kind: DecisionKind,
    /// In words.
    pub text: String,
    /// When.
    pub decided_on: Option<NaiveDate>,
    /// By whom.
    pub by: String,
}

/// An application in the registry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Application {
    /// Record id.
    pub id: RecordId,
    /// Book it is registered in.
    pub book: Book,
    /// Number given by the registering phone: `<book>/<year>/<device tag>-<n>`.
    pub provisional_number: String,
    /// Number in the book for the year, given by the hub (none until the hub has seen it).
    pub final_number: Option<u32>,
    /// Date received.
    pub registered_on: NaiveDate,
    /// Who registered it.
    pub registered_by: String,
    /// Citizen or legal entity.
    pub applicant_kind: ApplicantKind,
    /// Applicant's full name, surname first (or the organisation's name).
    pub applicant: String,
    /// Applicant's address or contact.
    pub applicant_address: String,
    /// Mahalla the application concerns (the record's scope).
    pub mahalla: String,
    /// What it is about.
    pub summary: String,
    /// Officer it is assigned to.
    pub assignee: String,
    /// Decision due by.
    pub deadline: NaiveDate,
    /// The decision, once taken.
    pub decision: Option<Decision>,
    /// Person on the register it concerns, if any.
    pub person_id: Option<RecordId>,
    /// Files attached to it (photos, audio notes, signatures, PDFs), by content hash.
    pub attachments: super::Attachments,
}

impl Default for Application {
    fn default() -> Self {
        Application {
            attachments: Default::default(),
            id: RecordId::new(),
            book: Book::default(),
            provisional_number: String::new(),
            final_number: None,
            registered_on: NaiveDate::MIN,
            registered_by: String::new(),
            applicant_kind: ApplicantKind::default(),
            applicant: String::new(),
            applicant_address: String::new(),
            mahalla: String::new(),
            summary: String::new(),
            assignee: String::new(),
            deadline: NaiveDate::MIN,
            decision: None,
            person_id: None,
        }
    }
}

/// The provisional number of the `counter`-th application a device registers in a book and
/// year; `device_tag` makes it unique across devices.
pub fn provisional_number(book: Book, year: i32, device_tag: &str, counter: u32) -> String {
    format!("{}/{year}/{device_tag}-{counter}", book.number())
}

impl Application {
    /// A new application received on `registered_on`, due by the book's default deadline.
    pub fn new(book: Book, registered_on: NaiveDate) -> Application {
        Application { book, registered_on, deadline: registered_on + Days::new(book.days_to_decide()), ..Application::default() }
    }

    /// The registry number to show: the final one with the provisional in brackets, or the
    /// provisional one alone.
    pub fn number_label(&self) -> String {
        match self.final_number {
            Some(n) => format!("{}-{n} ({})", self.book.number(), self.provisional_number),
            None => self.provisional_number.clone(),
        }
    }

    /// True once a decision is recorded.
    pub fn is_decided(&self) -> bool {
        self.decision.as_ref().is_some_and(|d| d.decided_on.is_some())
    }

    /// True when no decision was taken by the deadline, on `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        !self.is_decided() && self.deadline < today
    }

    /// The applicant's surname (first word), for the listing by surname.
    pub fn surname(&self) -> &str {
        self.applicant.split_whitespace().next().unwrap_or("")
    }
}

/// The field of a numbered application that `new` changed and may not: once the hub gave it a
/// final number, its book, year and provisional number stay (a moved application would carry
/// its number into another book or year, where the hub gives that number again).
pub(crate) fn numbered_field_changed(old: &Application, new: &Application) -> Option<&'static str> {
    old.final_number?;
    if new.book != old.book {
        Some("book")
    } else if new.registered_on.year() != old.registered_on.year() {
        Some("registered_on")
    } else if new.provisional_number != old.provisional_number {
        Some("provisional_number")
    } else {
        None
    }
}

impl Record for Application {
    const KIND: RecordKind = RecordKind::Application;
    const TEXT_FIELDS: &'static [&'static str] = &[];

    fn id(&self) -> &RecordId {
        &self.id
    }

    fn check_transition(old: &Self, new: &Self) -> Result<(), ValidationErrors> {
        let mut rules = Rules::default();
        if let Some(field) = numbered_field_changed(old, new) {
            rules.fail(field, "validation.numbered_fixed", vec![]);
        }
        rules.finish()
    }

    fn validate(&self, now: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let mut rules = Rules::default();
        let today = latest_local_date(now);
        rules.required("provisional_number", &self.provisional_number);
        rules.required("applicant", &self.applicant);
        rules.required("mahalla", &self.mahalla);
        rules.required("summary", &self.summary);
        rules.max_len("applicant", &self.applicant, 300);
        rules.max_len("summary", &self.summary, 5_000);
        rules.not_in_future("registered_on", &self.registered_on, &today);
        rules.not_before("deadline", &self.deadline, "registered_on", &self.registered_on);
        if self.final_number == Some(0) {
            rules.fail("final_number", "validation.out_of_range", vec![("min", "1".into()), ("max", u32::MAX.to_string())]);
        }
        if let Some(decision) = &self.decision {
            rules.required("decision/text", &decision.text);
            match decision.decided_on {
                Some(day) => {
                    rules.not_in_future("decision/decided_on", &day, &today);
                    rules.not_before("decision/decided_on", &day, "registered_on", &self.registered_on);
                }
                None => rules.required("decision/decided_on", ""),
            }
        }
        rules.finish()
    }

    fn mahalla(&self) -> &str {
        &self.mahalla
    }

    fn audience(&self) -> Audience {
        Audience::Register
    }

    fn period_year(&self) -> i32 {
        self.registered_on.year()
    }

    fn index_fields(&self) -> IndexFields {
        IndexFields {
            title: format!("{} · {}", self.number_label(), self.applicant),
            search_text: format!("{} {} {} {}", self.applicant, self.applicant_address, self.summary, self.provisional_number),
            birth_year: None,
            due_on: (!self.is_decided()).then_some(self.deadline),
            status: if self.is_decided() { "decided".into() } else { "open".into() },
            links: self.person_id.iter().cloned().collect(),
        }
    }
}
