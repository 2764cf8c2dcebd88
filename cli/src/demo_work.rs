//! The demo's steps of the wider work: a cooperation request's round trip between an
//! inspector and the migration service, and two offline registrations numbered by the hub.

use crate::demo::{ok, step, sync, Phone};
use anyhow::{ensure, Result};
use suhbat_core::views::{self, NewApplication, NewReferral, ViewContext};
use suhbat_core::{Locale, Person, ReferralState};
use suhbat_hub::HubClient;

/// Phones of the demo, by index.
const AZIZ: usize = 0;
const BOBUR: usize = 1;
const DILNOZA: usize = 2;
const BEKZOD: usize = 3;

/// Aziz asks the migration service for help; only Bekzod's phone (and the inspectors') gets
/// the request; Bekzod answers offline; Aziz reads the feedback and closes it.
pub(crate) fn referral_round_trip(phones: &mut [Phone], client: &HubClient, person: &Person, lang: Locale) -> Result<()> {
    let ctx = ViewContext::new(lang);
    step(7, "Aziz sends a cooperation request to the migration service; it reaches only the migration officer.");
    let new = NewReferral {
        to: "migration".into(),
        mahalla: "Navbahor".into(),
        subject: format!("{}, Navbahor", person.display_name()),
        reason: "Wants to work abroad; passport expired, family asks for help".into(),
        priority: "urgent".into(),
        category: "migration".into(),
        person_ids: vec![person.id.to_string()],
        case_id: None,
    };
    let id = views::send_referral(&mut phones[AZIZ].store, &ctx, &new)?;
    for i in [AZIZ, BEKZOD, DILNOZA] {
        sync(&mut phones[i], client)?;
    }
    let inbox = views::referral_list(&mut phones[BEKZOD].store, &ctx)?;
    ensure!(inbox.rows.len() == 1 && inbox.rows[0].id == id, "the migration officer did not receive the request");
    ensure!(views::referral_list(&mut phones[DILNOZA].store, &ctx)?.rows.is_empty(), "the seven member received a request for migration");
    ok(format!("Bekzod's inbox: {} — {} ({}); Dilnoza's inbox is empty", inbox.rows[0].subject, inbox.rows[0].state_label, inbox.rows[0].due_label));

    for (state, note) in [
        (ReferralState::Received, ""),
        (ReferralState::Accepted, ""),
        (ReferralState::Feedback, "New passport applied for; invited for a consultation on legal work abroad"),
    ] {
        views::advance_referral(&mut phones[BEKZOD].store, &ctx, &id, state, note)?;
    }
    println!("   - Bekzod, offline, marks it received, accepts it and writes his feedback");
    sync(&mut phones[BEKZOD], client)?;
    sync(&mut phones[AZIZ], client)?;
    let detail = views::referral_detail(&mut phones[AZIZ].store, &ctx, &id)?;
    ensure!(detail.actions.iter().any(|a| a.state == ReferralState::Closed), "Aziz cannot close the request");
    views::advance_referral(&mut phones[AZIZ].store, &ctx, &id, ReferralState::Closed, "Thank you")?;
    sync(&mut phones[AZIZ], client)?;
    sync(&mut phones[BEKZOD], client)?;
    let done = views::referral_detail(&mut phones[BEKZOD].store, &ctx, &id)?;
    ensure!(done.steps.len() == 5, "expected five stamped steps, found {}", done.steps.len());
    ok(format!("every step is stamped with who and when ({}):", done.state_label));
    for s in &done.steps {
        let note = if s.note.is_empty() { String::new() } else { format!(" — {}", s.note) };
        println!("       {} · {} · {}{note}", s.when, s.state_label, s.by);
    }
    escalated_request(phones, client, lang)
}

/// A request to a school, sent twelve days ago and still unanswered, is escalated by Aziz to the
/// school's supervising body: a stamp on the request and an item on the worklist.
fn escalated_request(phones: &mut [Phone], client: &HubClient, lang: Locale) -> Result<()> {
    let ctx = ViewContext::new(lang);
    let twelve_days_ago = ViewContext::new(lang).at(ctx.now - chrono::Duration::days(12));
    let new = NewReferral {
        to: "school".into(),
        mahalla: "Navbahor".into(),
        subject: "Pupil of school No. 41, Navbahor".into(),
        reason: "Missed 20 school days this term; the family asks for a meeting with the class teacher".into(),
        category: "juvenile".into(),
        ..Default::default()
    };
    let id = views::send_referral(&mut phones[AZIZ].store, &twelve_days_ago, &new)?;
    views::escalate_referral(&mut phones[AZIZ].store, &ctx, &id, "R. Aliyeva", "No answer from the school in 12 days")?;
    sync(&mut phones[AZIZ], client)?;
    let detail = views::referral_detail(&mut phones[AZIZ].store, &ctx, &id)?;
    ensure!(!detail.escalation_label.is_empty(), "the escalation was not stamped");
    let worklist = views::worklist(&mut phones[AZIZ].store, &ctx)?;
    let item = worklist.items.iter().find(|i| i.record_id == id).ok_or_else(|| anyhow::anyhow!("no worklist item for the escalated request"))?;
    ok(format!("a request to a school ({}), unanswered for 12 days, is escalated:", detail.category_label));
    println!("       {}", detail.escalation_label);
    println!("       worklist: {} — {}", item.reason, item.detail);
    Ok(())
}

/// Aziz and Bobur each register an application while offline; both get provisional numbers
/// from their phones, and the hub gives final Form 2 numbers as the entries reach it. Bobur's
/// second entry goes into the alphabetical book, which numbers on its own.
pub(crate) fn registry_entries(phones: &mut [Phone], client: &HubClient, lang: Locale) -> Result<()> {
    let ctx = ViewContext::new(lang);
    step(8, "Aziz and Bobur each register an application in the Form 2 journal at the same time, offline; Bobur one more in the alphabetical book.");
    let mut ids = Vec::new();
    for (i, book, applicant, summary) in [
        (AZIZ, "form2", "Usmonova Gulnora", "Asks for help: her son skips school"),
        (BOBUR, "form2", "Sobirov Rustam", "Complains about noise from a car workshop at night"),
        (BOBUR, "alphabetical", "Тошматов Бахтиёр", "Complains that a neighbour blocks the passage to his house"),
    ] {
        let new = NewApplication {
            book: book.into(),
            applicant: applicant.into(),
            applicant_address: "Navbahor".into(),
            mahalla: "Navbahor".into(),
            summary: summary.into(),
            ..Default::default()
        };
        let (id, number) = views::register_application(&mut phones[i].store, &ctx, &new)?;
        println!("   - {} registers {applicant}: provisional number {number}", phones[i].name);
        ids.push(id);
    }
    for i in [AZIZ, BOBUR, AZIZ] {
        sync(&mut phones[i], client)?;
    }
    let year = chrono::Datelike::year(&ctx.today());
    let book = views::registry_book(&mut phones[AZIZ].store, &ctx, "form2", year)?;
    let numbers: Vec<Option<u32>> = book.rows.iter().map(|r| r.final_number).collect();
    ensure!(book.rows.len() >= 2 && numbers.iter().all(Option::is_some), "the hub did not number every entry: {numbers:?}");
    let distinct: std::collections::BTreeSet<u32> = numbers.iter().flatten().copied().collect();
    ensure!(distinct.len() == numbers.len(), "two entries got the same final number: {numbers:?}");
    ok(format!("{} — the hub gave final numbers; the provisional ones stay beside them:", book.title));
    for r in &book.rows {
        println!("       № {}  {}  {}", r.number_label, r.applicant, r.status_label);
    }
    let alphabetical = views::registry_book(&mut phones[AZIZ].store, &ctx, "alphabetical", year)?;
    ensure!(alphabetical.rows.iter().all(|r| r.final_number.is_some()), "the alphabetical book's entry was not numbered");
    ok(format!("{} — numbered on its own:", alphabetical.title));
    for r in &alphabetical.rows {
        println!("       № {}  {}  {}", r.number_label, r.applicant, r.status_label);
    }
    Ok(())
}
