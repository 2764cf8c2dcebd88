//! Enrolment: one-time codes made by a supervisor, the device registering its key with one,
//! and the registry (devices, revocation, alerts).

use super::storage::{EnrolmentCode, NewDevice};
use super::{grants, EnrolledDevice, Hub, HubAlert};
use crate::access;
use crate::device::Role;
use crate::error::{Error, Result};
use crate::security::verify;
use crate::sync::frames::{enrol_proof_message, EnrolRequest, EnrolResponse, Enrolment, Refusal};
use chrono::Duration;
use rand::Rng;
use sha2::{Digest, Sha256};

/// Enrolment codes: easy to read aloud, no 0/O or 1/I.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn normalise_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

fn code_hash(code: &str) -> Vec<u8> {
    Sha256::digest(format!("suhbat-enrol-code\n{}", normalise_code(code)).as_bytes()).to_vec()
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
            Ok(enrolment) => EnrolResponse::Accepted(enrolment),
            Err(Error::Refused { code, message, .. }) => EnrolResponse::Refused(Refusal { code, message, wipe: false }),
            Err(other) => EnrolResponse::Refused(Refusal { code: "malformed".into(), message: other.to_string(), wipe: false }),
        };
        response.encode()
    }

    fn enrol(&self, bytes: &[u8]) -> Result<Enrolment> {
        let refuse = |code: &str, message: String| Error::Refused { code: code.into(), message, wipe: false };
        let request = EnrolRequest::decode(bytes)?;
        if !verify(&request.public_key, &enrol_proof_message(&request.code, &request.device_id, &request.actor), &request.proof) {
            return Err(refuse("bad-signature", "the enrolment is not signed by the key it registers".into()));
        }
        if hex::decode(&request.actor).map(|a| a.len() != 16).unwrap_or(true) || uuid::Uuid::parse_str(&request.device_id).is_err() {
            return Err(refuse("malformed", "device or actor id is not well formed".into()));
        }
        let now = self.now_ms();
        let hash = code_hash(&request.code);
        let mut tx = self.storage.write()?;
        let Some(code) = tx.enrolment_code(&hash)? else {
            return Err(refuse("bad-code", "unknown enrolment code".into()));
        };
        let existing_key = tx.device(&request.device_id)?.map(|d| d.public_key);
        let retry = code.used_by.as_deref() == Some(request.device_id.as_str()) && existing_key.as_deref() == Some(request.public_key.as_slice());
        if !retry {
            if code.used_by.is_some() {
                return Err(refuse("bad-code", "this enrolment code was already used".into()));
            }
            if code.expires_at < now {
                return Err(refuse("bad-code", "this enrolment code has expired".into()));
            }
            if existing_key.is_some() {
                return Err(refuse("malformed", "this device id is already enrolled".into()));
            }
            let owner = if request.actor == self.identity.actor { Some(self.hub_id().to_string()) } else { tx.actor_owner(&request.actor)? };
            if let Some(owner) = owner {
                let detail = format!("actor {} is already registered to device {owner} (cloned install?)", request.actor);
                tx.add_alert(&HubAlert { at: now, device_id: request.device_id.clone(), kind: "duplicate-actor".into(), detail })?;
                tx.commit()?;
                return Err(refuse("duplicate-actor", "this install's actor id belongs to another device; reinstall the app".into()));
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
        }
        tx.commit()?;
        Ok(Enrolment { hub_id: self.hub_id().to_string(), person: code.person, role: code.role, scopes: grants::split_scopes(&code.scopes) })
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
