//! The wider work's screens and actions: cooperation requests, the applications registry and
//! joint events (view-models from `suhbat_core::views`).

use crate::error::SuhbatError;
use crate::suhbat::Suhbat;
use suhbat_core::views::{self, Choice, NewApplication, NewEvent, NewReferral};

#[uniffi::export]
impl Suhbat {
    /// Addressees of a cooperation request: the duty unit, the sectoral services, the bodies
    /// outside the police (schools, health facilities, …), the seven.
    pub fn referral_addressees(&self) -> Result<Vec<Choice>, SuhbatError> {
        Ok(views::addressee_choices(&self.ctx()?))
    }

    /// Categories of a cooperation request (trafficking in persons, drugs, …).
    pub fn referral_categories(&self) -> Result<Vec<Choice>, SuhbatError> {
        Ok(views::category_choices(&self.ctx()?))
    }

    /// Escalates an overdue request to the addressee's supervisor (`to`: the person there,
    /// may be empty) with a note.
    pub fn escalate_referral(&self, referral_id: String, to: String, note: String) -> Result<(), SuhbatError> {
        self.run(|store, ctx| views::escalate_referral(store, ctx, &referral_id, &to, &note))?;
        self.changed();
        Ok(())
    }

    /// Priorities of a cooperation request.
    pub fn referral_priorities(&self) -> Result<Vec<Choice>, SuhbatError> {
        Ok(views::priority_choices(&self.ctx()?))
    }

    /// The requests this device holds: sent by this inspector, or addressed to its service.
    pub fn referral_list(&self) -> Result<views::ReferralList, SuhbatError> {
        self.run(views::referral_list)
    }

    /// One request with its stamped steps and the steps this user may take.
    pub fn referral_detail(&self, referral_id: String) -> Result<views::ReferralDetail, SuhbatError> {
        self.run(|store, ctx| views::referral_detail(store, ctx, &referral_id))
    }

    /// Sends a request; returns its id. It reaches the addressee at their next sync.
    pub fn send_referral(&self, referral: NewReferral) -> Result<String, SuhbatError> {
        let id = self.run(|store, ctx| views::send_referral(store, ctx, &referral))?;
        self.changed();
        Ok(id)
    }

    /// Takes a step (`received`, `accepted`, `declined`, `feedback`, `closed`) with a note.
    pub fn advance_referral(&self, referral_id: String, state: suhbat_core::ReferralState, note: String) -> Result<(), SuhbatError> {
        self.run(|store, ctx| views::advance_referral(store, ctx, &referral_id, state, &note))?;
        self.changed();
        Ok(())
    }

    /// The registry books (Form 1 book, Form 2 journal, alphabetical book).
    pub fn registry_books(&self) -> Result<Vec<views::BookChoice>, SuhbatError> {
        Ok(views::book_picker(&self.ctx()?))
    }

    /// Kinds of applicant (citizen, legal entity).
    pub fn registry_applicant_kinds(&self) -> Result<Vec<Choice>, SuhbatError> {
        Ok(views::applicant_kind_choices(&self.ctx()?))
    }

    /// The kinds of decision on an application.
    pub fn registry_decisions(&self) -> Result<Vec<Choice>, SuhbatError> {
        Ok(views::decision_choices(&self.ctx()?))
    }

    /// One registry book (`form1` or `form2`) for a year, in number order.
    pub fn registry_book(&self, book: suhbat_core::Book, year: i32) -> Result<views::RegistryBook, SuhbatError> {
        self.run(|store, ctx| views::registry_book(store, ctx, book.as_str(), year))
    }

    /// The alphabetical book of a year.
    pub fn alphabetical_book(&self, year: i32) -> Result<views::AlphabeticalBook, SuhbatError> {
        self.run(|store, ctx| views::alphabetical_book(store, ctx, year))
    }

    /// Applications past their deadline without a decision.
    pub fn overdue_applications(&self) -> Result<views::RegistryBook, SuhbatError> {
        self.run(views::overdue_applications)
    }

    /// Registers an application; returns its provisional number (the hub gives the final one).
    pub fn register_application(&self, application: NewApplication) -> Result<String, SuhbatError> {
        let (_, number) = self.run(|store, ctx| views::register_application(store, ctx, &application))?;
        self.changed();
        Ok(number)
    }

    /// Records the decision on an application (`decided_on` empty: today).
    pub fn decide_application(&self, application_id: String, kind: String, text: String, decided_on: String) -> Result<(), SuhbatError> {
        self.run(|store, ctx| views::decide_application(store, ctx, &application_id, &kind, &text, &decided_on))?;
        self.changed();
        Ok(())
    }

    /// Kinds of joint event.
    pub fn event_kinds(&self) -> Result<Vec<Choice>, SuhbatError> {
        Ok(views::event_kind_choices(&self.ctx()?))
    }

    /// Joint events, latest first (all of them when `linked_to` is empty, else those a person
    /// or parent case attended).
    pub fn event_list(&self, linked_to: String) -> Result<views::EventList, SuhbatError> {
        let linked = Some(linked_to.trim()).filter(|l| !l.is_empty()).map(String::from);
        self.run(|store, ctx| views::event_list(store, ctx, linked.as_deref()))
    }

    /// Adds a joint event; returns its id.
    pub fn add_event(&self, event: NewEvent) -> Result<String, SuhbatError> {
        let id = self.run(|store, _| views::add_event(store, &event))?;
        self.changed();
        Ok(id)
    }

    /// Records who attended a joint event (person ids, parent case ids, guests by name).
    pub fn record_attendance(&self, event_id: String, person_ids: Vec<String>, case_ids: Vec<String>, guests: Vec<String>) -> Result<(), SuhbatError> {
        self.run(|store, _| views::record_attendance(store, &event_id, &person_ids, &case_ids, &guests))?;
        self.changed();
        Ok(())
    }
}
