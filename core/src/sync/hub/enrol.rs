//! Enrolment on the hub: one-time codes, and the guard against guessing them. Every refused
//! attempt is logged; after [`MAX_FAILED_ATTEMPTS`] within [`LOCKOUT_WINDOW_MS`] enrolment
//! pauses for the rest of the window (even the right code is refused) and supervisors get an
//! alert. A code has ~50 bits, so at that pace guessing one would take longer than any code
//! lives.

use super::storage::{EnrolmentCode, HubTx, NewDevice};
use super::{grants, EnrolledDevice, Hub, HubAlert};
use crate::access;
use crate::device::Role;
use crate::error::{Error, Result};
use crate::security::verify;
use crate::wire::frames::{enrol_proof_message, EnrolRequest, EnrolResponse, Enrolment, Refusal};
use chrono::Duration;
use rand::Rng;
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
    pub fn create_enrolment_code(&self, person: &str, role: Role, scopes: &[String], valid_for: Duration) -> Result<String> {
        let mut rng = rand::rngs::OsRng;
        let raw: String = (0..10).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect();
        let code = format!("{}-{}-{}", &raw[..4], &raw[4..8], &raw[8..]);
        let expires_at = ((self.now)() + valid_for).timestamp_millis();
        let scopes = access::scope_keys(scopes).join(",");
        let mut tx = self.storage.write()?;
        tx.add_enrolment_code(
            &code_hash(&code),
            &EnrolmentCode { person: person.to_string(), role: role.as_str().to_string(), scopes, expires_at, used_by: None },
        )?;
        tx.commit()?;
        Ok(code)
    }

    /// Answers an enrolment request (bytes in, bytes out; never panics on bad input).
    pub fn handle_enrol(&self, bytes: &[u8]) -> Vec<u8> {
        let response = match self.enrol(bytes) {
            Ok(enrolment) => EnrolResponse::Accepted(enrolment, self.identity.key.public()),
            Err(Error::Refused { code, message, .. }) => EnrolResponse::Refused(Refusal { code, message, wipe: false }),
            Err(other) => EnrolResponse::Refused(Refusal { code: "malformed".into(), message: other.to_string(), wipe: false }),
        };
        response.encode()
    }

    /// When enrolment is paused, until when (ms since epoch).
    pub fn enrolment_paused_until(&self) -> Result<Option<i64>> {
        paused_until(&mut *self.storage.read()?, self.now_ms())
    }

    fn enrol(&self, bytes: &[u8]) -> Result<Enrolment> {
        let request = EnrolRequest::decode(bytes)?;
        if !verify(&request.public_key, &enrol_proof_message(&request.code, &request.device_id, &request.actor), &request.proof) {
            return Err(refuse("bad-signature", "the enrolment is not signed by the key it registers"));
        }
        if hex::decode(&request.actor).map(|a| a.len() != 16).unwrap_or(true) || uuid::Uuid::parse_str(&request.device_id).is_err() {
            return Err(refuse("malformed", "device or actor id is not well formed"));
        }
        let now = self.now_ms();
        let hash = code_hash(&request.code);
        let mut tx = self.storage.write()?;
        if let Some(until) = paused_until(&mut *tx, now)? {
            let minutes = (until - now).div_euclid(60_000) + 1;
            return Err(refuse("enrol-paused", format!("too many wrong enrolment codes were tried; enrolment is paused for {minutes} more minute(s)")));
        }
        let existing = tx.device(&request.device_id)?;
        let Some(code) = tx.enrolment_code(&hash)? else {
            return self.wrong_code(tx, &request.device_id, Wrong::Unknown, now);
        };
        let same_device = code.used_by.as_deref() == Some(request.device_id.as_str());
        if let Some(device) = &existing {
            if same_device && device.public_key == request.public_key {
                // A retry of an enrolment that went through (its answer was lost) — unless the
                // device has been revoked since: then it stays out.
                if device.revoked {
                    return Err(Error::Refused { code: "revoked".into(), message: "this device was revoked; its data must be wiped".into(), wipe: true });
                }
                return Ok(Enrolment {
                    hub_id: self.hub_id().to_string(),
                    person: code.person,
                    role: code.role,
                    scopes: grants::split_scopes(&code.scopes),
                    hub_fingerprint: self.hub_fingerprint(),
                });
            }
        }
        if code.used_by.is_some() {
            return self.wrong_code(tx, &request.device_id, Wrong::Used, now);
        }
        if code.expires_at < now {
            return self.wrong_code(tx, &request.device_id, Wrong::Expired, now);
        }
        if existing.is_some() {
            return Err(refuse("malformed", "this device id is already enrolled"));
        }
        let owner = if request.actor == self.identity.actor { Some(self.hub_id().to_string()) } else { tx.actor_owner(&request.actor)? };
        if let Some(owner) = owner {
            let detail = format!("actor {} is already registered to device {owner} (cloned install?)", request.actor);
            tx.add_alert(&HubAlert { at: now, device_id: request.device_id.clone(), kind: "duplicate-actor".into(), detail })?;
            tx.commit()?;
            return Err(refuse("duplicate-actor", "this install's actor id belongs to another device; reinstall the app"));
        }
        tx.add_device(&NewDevice {
            device_id: &request.device_id,
            person: &code.person,
            role: &code.role,
            scopes: &code.scopes,
            public_key: &request.public_key,
            enrolled_at: now,
        })?;
        tx.add_actor(&request.actor, &request.device_id)?;
        tx.use_enrolment_code(&hash, &request.device_id)?;
        tx.commit()?;
        Ok(Enrolment {
            hub_id: self.hub_id().to_string(),
            person: code.person,
            role: code.role,
            scopes: grants::split_scopes(&code.scopes),
            hub_fingerprint: self.hub_fingerprint(),
        })
    }

    /// Logs a refused code (in the enrolment's transaction) and returns the refusal; raises an
    /// alert when this attempt starts a pause.
    fn wrong_code(&self, mut tx: Box<dyn HubTx + '_>, device_id: &str, wrong: Wrong, now: i64) -> Result<Enrolment> {
        tx.add_enrol_attempt(now, device_id, wrong.as_str(), now.saturating_sub(2 * LOCKOUT_WINDOW_MS))?;
        if recent_failures(&mut *tx, now)?.len() as i64 == MAX_FAILED_ATTEMPTS {
            let detail = format!(
                "{MAX_FAILED_ATTEMPTS} wrong enrolment codes within {} minutes (last from device id {device_id}): enrolment is paused for {} minutes",
                LOCKOUT_WINDOW_MS / 60_000,
                LOCKOUT_WINDOW_MS / 60_000
            );
            tx.add_alert(&HubAlert { at: now, device_id: device_id.to_string(), kind: "enrol-guessing".into(), detail })?;
        }
        tx.commit()?;
        Err(refuse("bad-code", wrong.message()))
    }

    /// Revokes a device: it is refused from now on and told to wipe. Returns whether it existed.
    pub fn revoke(&self, device_id: &str) -> Result<bool> {
        let mut tx = self.storage.write()?;
        let revoked = tx.revoke(device_id, self.now_ms())?;
        tx.commit()?;
        Ok(revoked)
    }

    /// Every enrolled device.
    pub fn devices(&self) -> Result<Vec<EnrolledDevice>> {
        self.storage.read()?.devices()
    }

    /// Alerts raised (duplicate actors, …), newest first.
    pub fn alerts(&self) -> Result<Vec<HubAlert>> {
        self.storage.read()?.alerts()
    }
}

/// The times of the refused attempts within the window, oldest first.
fn recent_failures(tx: &mut dyn HubTx, now: i64) -> Result<Vec<i64>> {
    tx.enrol_attempts_since(now.saturating_sub(LOCKOUT_WINDOW_MS))
}

/// The end of the current pause: the window after the attempt that reached the limit.
fn paused_until(tx: &mut dyn HubTx, now: i64) -> Result<Option<i64>> {
    let recent = recent_failures(tx, now)?;
    let reached = usize::try_from(MAX_FAILED_ATTEMPTS - 1).ok().and_then(|i| recent.get(i)).copied();
    Ok(reached.map(|at| at.saturating_add(LOCKOUT_WINDOW_MS)).filter(|until| *until > now))
}
