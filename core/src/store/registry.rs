//! Registration numbers of the applications registry.
//!
//! - On a device, [`Store::register_application`] gives the provisional number
//!   `<book>/<year>/<device tag>-<n>` from a per-device counter kept in the same transaction as
//!   the application, so two devices never give the same provisional number and a crash never
//!   gives one twice.
//! - On the hub, [`Store::assign_final_numbers`] gives every application that reached it
//!   without a final number the next number of its book and year, in the order received
//!   (then registration date, then provisional number), again in the transaction that stores
//!   the number: no gaps, no duplicates.

use super::{read_meta, Store};
use crate::error::{Error, Result};
use crate::ids::RecordId;
use crate::model::{provisional_number, Application, Book};
use chrono::Datelike;
use rusqlite::{params, Connection, OptionalExtension};

/// Length of the device tag in provisional numbers (hex digits of the device id's random end).
const DEVICE_TAG_LEN: usize = 6;

impl Store {
    /// This device's tag in provisional registration numbers.
    pub fn device_tag(&self) -> String {
        let hex: String = self.device.device_id.chars().filter(|c| c.is_ascii_hexdigit()).collect();
        hex[hex.len().saturating_sub(DEVICE_TAG_LEN)..].to_string()
    }

    /// Registers a new application: gives it this device's next provisional number for its
    /// book and year and stores it, both in one transaction. Returns the number given.
    pub fn register_application(&mut self, application: &mut Application) -> Result<String> {
        let year = application.registered_on.year();
        let counter_key = format!("registry:{}:{year}", application.book.as_str());
        let next = read_meta(&self.conn, &counter_key)?.and_then(|n| n.parse::<u32>().ok()).unwrap_or(0) + 1;
        application.provisional_number = provisional_number(application.book, year, &self.device_tag(), next);
        application.final_number = None;
        if application.registered_by.trim().is_empty() {
            application.registered_by = self.device.profile.person.clone();
        }
        self.put_with(&*application, |tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![counter_key, next.to_string()],
            )?;
            Ok(())
        })?;
        Ok(application.provisional_number.clone())
    }

    /// Hub side: gives a final number to every application in `doc_ids` that has none yet.
    /// Returns the applications numbered, as (record id, number label).
    pub(crate) fn assign_final_numbers(&mut self, doc_ids: &[String]) -> Result<Vec<(RecordId, String)>> {
        let mut waiting: Vec<Application> = Vec::new();
        for doc_id in doc_ids {
            let ids: Vec<String> = {
                let mut stmt = self.conn.prepare_cached("SELECT record_id FROM record_index WHERE doc_id = ?1 AND kind = 'application'")?;
                let rows = stmt.query_map([doc_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
                rows
            };
            for id in ids.iter().filter_map(|id| RecordId::parse(id)) {
                let application = self.get::<Application>(&id)?.record;
                match application.final_number {
                    None => waiting.push(application),
                    // A number this hub gave before it was restored from a backup, offered back
                    // by a device: the counter moves past it so it is never given twice.
                    Some(number) => raise_last_number(&self.conn, application.book, application.registered_on.year(), number)?,
                }
            }
        }
        waiting.sort_by(|a, b| (a.registered_on, &a.provisional_number).cmp(&(b.registered_on, &b.provisional_number)));
        let mut numbered = Vec::new();
        for mut application in waiting {
            let (book, year) = (application.book, application.registered_on.year());
            let number = last_number(&self.conn, book, year)? + 1;
            application.final_number = Some(number);
            // An application that breaks a rule stays provisional rather than failing the sync.
            let stored = self.put_with(&application, |tx| {
                tx.execute(
                    "INSERT INTO hub_registry (book, year, last_number) VALUES (?1, ?2, ?3)
                     ON CONFLICT(book, year) DO UPDATE SET last_number = excluded.last_number",
                    params![book.as_str(), year, number],
                )?;
                Ok(())
            });
            match stored {
                Ok(_) => {}
                Err(Error::Invalid(_)) => continue,
                Err(other) => return Err(other),
            }
            numbered.push((application.id.clone(), application.number_label()));
        }
        Ok(numbered)
    }
}

/// The last final number given in a book and year (0 when none).
fn last_number(conn: &Connection, book: Book, year: i32) -> Result<u32> {
    let last: Option<u32> =
        conn.query_row("SELECT last_number FROM hub_registry WHERE book = ?1 AND year = ?2", params![book.as_str(), year], |r| r.get(0)).optional()?;
    Ok(last.unwrap_or(0))
}

/// Moves the counter of a book and year up to `number` when it is behind.
fn raise_last_number(conn: &Connection, book: Book, year: i32, number: u32) -> Result<()> {
    conn.execute(
        "INSERT INTO hub_registry (book, year, last_number) VALUES (?1, ?2, ?3)
         ON CONFLICT(book, year) DO UPDATE SET last_number = MAX(last_number, excluded.last_number)",
        params![book.as_str(), year, number],
    )?;
    Ok(())
}
