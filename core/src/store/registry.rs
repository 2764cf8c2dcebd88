//! Registration numbers of the applications registry.
//!
//! - On a device, [`Store::register_application`] gives the provisional number
//!   `<book>/<year>/<device tag>-<n>` from a per-device counter kept in the same transaction as
//!   the application, so two devices never give the same provisional number and a crash never
//!   gives one twice.
//! - On the hub, the sync gives every application that reached it without a final number the
//!   next number of its book and year (then registration date, then provisional number), in
//!   the transaction that stores the number: no gaps, no duplicates (see `sync::hub::docs`).

use super::{read_meta, Store};
use crate::error::Result;
use crate::model::{provisional_number, Application};
use chrono::Datelike;
use rusqlite::params;

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
        self.writable()?;
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
}
