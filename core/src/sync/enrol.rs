//! The device side of enrolment: ask to join a hub with a one-time code, then take on the
//! role and scopes the hub assigns.

use crate::device::Role;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::wire::frames::{enrol_proof_message, EnrolRequest, EnrolResponse, Enrolment};

impl Store {
    /// The enrolment request for `code`, signed with this device's key.
    pub fn enrol_request(&self, code: &str) -> Vec<u8> {
        let device = self.device();
        let proof = self.sign(&enrol_proof_message(code, &device.device_id, &device.actor));
        let public_key = self.public_key();
        EnrolRequest { code: code.to_string(), device_id: device.device_id.clone(), public_key, actor: device.actor.clone(), proof }.encode()
    }

    /// Takes the hub's answer: on success this device belongs to the hub, with the person, role
    /// and scopes the hub assigned.
    pub fn complete_enrolment(&mut self, response: &[u8]) -> Result<Enrolment> {
        let (enrolment, hub_key) = match EnrolResponse::decode(response)? {
            EnrolResponse::Accepted(e, key) => (e, key),
            EnrolResponse::Refused(r) => return Err(Error::Refused { code: r.code, message: r.message, wipe: false }),
        };
        let role = Role::parse(&enrolment.role).ok_or_else(|| Error::Protocol(format!("the hub assigned an unknown role {:?}", enrolment.role)))?;
        if let Some(existing) = self.hub_id()? {
            if existing != enrolment.hub_id {
                return Err(Error::Protocol(format!("this device is already enrolled with hub {existing}")));
            }
        }
        if self.hub_key()?.is_some_and(|known| known != hub_key) {
            return Err(Error::Protocol("the hub answered with another key than the one this device enrolled with".into()));
        }
        self.save_enrolment(&enrolment.hub_id, &enrolment.person, role, &enrolment.scopes, &hub_key)?;
        self.device.profile.person = enrolment.person.clone();
        self.device.profile.role = role;
        self.device.profile.scopes = enrolment.scopes.clone();
        Ok(enrolment)
    }
}
