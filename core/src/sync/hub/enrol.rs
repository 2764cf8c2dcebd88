//! Enrolment on the hub: one-time codes, and the guard against guessing them. Every refused
//! attempt is logged; after [`MAX_FAILED_ATTEMPTS`] within [`LOCKOUT_WINDOW_MS`] enrolment
//! pauses for the rest of the window (even the right code is refused) and supervisors get an
//! alert. A code has ~50 bits, so at that pace guessing one would take longer than any code
//! lives.

use super::Hub;
use crate::access;
use crate::device::Role;
use crate::error::{Error, Result};
use crate::security::verify;
use crate::sync::frames::{enrol_proof_message, EnrolRequest, EnrolResponse, Enrolment, Refusal};
use chrono::Duration;
use rand::Rng;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// Enrolment codes: easy to read aloud, no 0/O or 1/I.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Refused attempts allowed within the window before enrolment pauses.
pub const MAX_FAILED_ATTEMPTS: i64 = 20;
/// The window refused attempts are counted in, and the pause after too many (15 minutes).
pub const LOCKOUT_WINDOW_MS: i64 = 15 * 60 * 1000;

fn normalise_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

fn code_hash(code: &str) -> Vec<u8> {
    Sha256::digest(format!("suhbat-enrol-code\n{}", normalise_code(code)).as_bytes()).to_vec()
}

fn refuse(code: &str, message: impl Into<String>) -> Error {
    Error::Refused { code: code.into(), message: message.into(), wipe: false }
}

/// Why a code was refused (logged as the attempt's outcome).
#[derive(Clone, Copy)]
enum Wrong {
    Unknown,
    Used,
    Expired,
}

impl Wrong {
    fn as_str(self) -> &'static str {
        match self {
            Wrong::Unknown => "unknown-code",
            Wrong::Used => "used-code",
            Wrong::Expired => "expired-code",
        }
    }

    fn message(self) -> &'static str {
        match self {
            Wrong::Unknown => "unknown enrolment code",
            Wrong::Used => "this enrolment code was already used",
            Wrong::Expired => "this enrolment code has expired",
        }
    }
}

impl Hub {
    /// Creates a one-time enrolment code for a person, role and scopes, valid for `valid_for`.
    pub fn create_enrolment_code(&mut self, person: &str, role: Role, scopes: &[String], valid_for: Duration) -> Result<String> {
        let mut rng = rand::rngs::OsRng;
        let raw: String = (0..10).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect();
        let code = format!("{}-{}-{}", &raw[..4], &raw[4..8], &raw[8..]);
        let expires = ((self.now)() + valid_for).timestamp_millis();
        let scopes = access::scope_keys(scopes);
        self.store.conn.execute(
            "INSERT INTO hub_enrolment (code_hash, person, role, scopes, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![code_hash(&code), person, role.as_str(), scopes.join(","), expires],
        )?;
        Ok(code)
    }

    /// Answers an enrolment request (bytes in, bytes out; never panics on bad input).
    pub fn handle_enrol(&mut self, bytes: &[u8]) -> Vec<u8> {
        let response = match self.enrol(bytes) {
            Ok(enrolment) => EnrolResponse::Accepted(enrolment, self.store.public_key()),
            Err(Error::Refused { code, message, .. }) => EnrolResponse::Refused(Refusal { code, message, wipe: false }),
            Err(other) => EnrolResponse::Refused(Refusal { code: "malformed".into(), message: other.to_string(), wipe: false }),
        };
        response.encode()
    }

    /// When enrolment is paused, until when (ms since epoch).
    pub fn enrolment_paused_until(&self) -> Result<Option<i64>> {
        paused_until(&self.store.conn, (self.now)().timestamp_millis())
    }

    fn enrol(&mut self, bytes: &[u8]) -> Result<Enrolment> {
        let request = EnrolRequest::decode(bytes)?;
        if !verify(&request.public_key, &enrol_proof_message(&request.code, &request.device_id, &request.actor), &request.proof) {
            return Err(refuse("bad-signature", "the enrolment is not signed by the key it registers"));
        }
        if hex::decode(&request.actor).map(|a| a.len() != 16).unwrap_or(true) || uuid::Uuid::parse_str(&request.device_id).is_err() {
            return Err(refuse("malformed", "device or actor id is not well formed"));
        }
        let now = (self.now)().timestamp_millis();
        if let Some(until) = paused_until(&self.store.conn, now)? {
            let minutes = (until - now).div_euclid(60_000) + 1;
            return Err(refuse("enrol-paused", format!("too many wrong enrolment codes were tried; enrolment is paused for {minutes} more minute(s)")));
        }
        let tx = self.store.conn.unchecked_transaction()?;
        let row: Option<(String, String, String, i64, Option<String>)> = tx
            .query_row("SELECT person, role, scopes, expires_at, used_by FROM hub_enrolment WHERE code_hash = ?1", [code_hash(&request.code)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        let existing: Option<(Vec<u8>, bool)> = tx
            .query_row("SELECT public_key, revoked_at IS NOT NULL FROM hub_device WHERE device_id = ?1", [&request.device_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((person, role, scopes, expires_at, used_by)) = row else {
            drop(tx);
            return Err(self.wrong_code(&request.device_id, Wrong::Unknown, now)?);
        };
        let same_device = used_by.as_deref() == Some(request.device_id.as_str());
        if let Some((key, revoked)) = &existing {
            if same_device && *key == request.public_key {
                // A retry of an enrolment that went through (its answer was lost) — unless the
                // device has been revoked since: then it stays out.
                if *revoked {
                    return Err(Error::Refused { code: "revoked".into(), message: "this device was revoked; its data must be wiped".into(), wipe: true });
                }
                return Ok(Enrolment {
                    hub_id: self.hub_id().to_string(),
                    person,
                    role,
                    scopes: super::grants::split_scopes(&scopes),
                    hub_fingerprint: self.hub_fingerprint(),
                });
            }
        }
        if used_by.is_some() {
            drop(tx);
            return Err(self.wrong_code(&request.device_id, Wrong::Used, now)?);
        }
        if expires_at < now {
            drop(tx);
            return Err(self.wrong_code(&request.device_id, Wrong::Expired, now)?);
        }
        if existing.is_some() {
            return Err(refuse("malformed", "this device id is already enrolled"));
        }
        let owner: Option<String> = if request.actor == self.store.device().actor {
            Some(self.hub_id().to_string())
        } else {
            tx.query_row("SELECT device_id FROM hub_actor WHERE actor = ?1", [&request.actor], |r| r.get(0)).optional()?
        };
        if let Some(owner) = owner {
            tx.execute(
                "INSERT INTO hub_alert (at, device_id, kind, detail) VALUES (?1, ?2, 'duplicate-actor', ?3)",
                params![now, request.device_id, format!("actor {} is already registered to device {owner} (cloned install?)", request.actor)],
            )?;
            tx.commit()?;
            return Err(refuse("duplicate-actor", "this install's actor id belongs to another device; reinstall the app"));
        }
        tx.execute(
            "INSERT INTO hub_device (device_id, person, role, scopes, public_key, enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![request.device_id, person, role, scopes, request.public_key.as_slice(), now],
        )?;
        tx.execute("INSERT INTO hub_actor (actor, device_id) VALUES (?1, ?2)", params![request.actor, request.device_id])?;
        tx.execute("UPDATE hub_enrolment SET used_by = ?2 WHERE code_hash = ?1", params![code_hash(&request.code), request.device_id])?;
        tx.commit()?;
        Ok(Enrolment { hub_id: self.hub_id().to_string(), person, role, scopes: super::grants::split_scopes(&scopes), hub_fingerprint: self.hub_fingerprint() })
    }

    /// Logs a refused code and returns the refusal; raises an alert when this attempt starts a
    /// pause.
    fn wrong_code(&self, device_id: &str, wrong: Wrong, now: i64) -> Result<Error> {
        let tx = self.store.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM hub_enrol_attempt WHERE at < ?1", [now - 2 * LOCKOUT_WINDOW_MS])?;
        tx.execute("INSERT INTO hub_enrol_attempt (at, device_id, outcome) VALUES (?1, ?2, ?3)", params![now, device_id, wrong.as_str()])?;
        if recent_failures(&tx, now)? == MAX_FAILED_ATTEMPTS {
            let detail = format!(
                "{MAX_FAILED_ATTEMPTS} wrong enrolment codes within {} minutes (last from device id {device_id}): enrolment is paused for {} minutes",
                LOCKOUT_WINDOW_MS / 60_000,
                LOCKOUT_WINDOW_MS / 60_000
            );
            tx.execute("INSERT INTO hub_alert (at, device_id, kind, detail) VALUES (?1, ?2, 'enrol-guessing', ?3)", params![now, device_id, detail])?;
        }
        tx.commit()?;
        Ok(refuse("bad-code", wrong.message()))
    }
}

fn recent_failures(conn: &Connection, now: i64) -> Result<i64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM hub_enrol_attempt WHERE at > ?1", [now - LOCKOUT_WINDOW_MS], |r| r.get(0))?)
}

/// The end of the current pause: the window after the attempt that reached the limit.
fn paused_until(conn: &Connection, now: i64) -> Result<Option<i64>> {
    if recent_failures(conn, now)? < MAX_FAILED_ATTEMPTS {
        return Ok(None);
    }
    let offset = MAX_FAILED_ATTEMPTS - 1;
    let reached: Option<i64> = conn
        .query_row("SELECT at FROM hub_enrol_attempt WHERE at > ?1 ORDER BY at LIMIT 1 OFFSET ?2", params![now - LOCKOUT_WINDOW_MS, offset], |r| r.get(0))
        .optional()?;
    Ok(reached.map(|at| at + LOCKOUT_WINDOW_MS).filter(|until| *until > now))
}
