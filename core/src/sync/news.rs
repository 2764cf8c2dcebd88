//! The device side of the long poll, sans-IO: [`NewsQuery::new`] makes the signed request the
//! shell POSTs to [`paths::NEWS`](crate::wire::paths::NEWS); the hub holds it until something
//! new waits for this device or its wait runs out, and [`NewsQuery::handle_answer`] checks the
//! answer (signed by this device's hub, for this request) and says whether to sync now.

use crate::error::{Error, Result};
use crate::store::Store;
use crate::wire::news::{encode_request, NewsAnswer};

/// One question to the hub: "tell me when something new waits for me".
#[derive(Clone, Debug)]
pub struct NewsQuery {
    hub_id: String,
    nonce: [u8; 16],
}

impl NewsQuery {
    /// The query and its request (signed by this device, with a fresh nonce). An error before
    /// enrolment.
    pub fn new(store: &Store) -> Result<(NewsQuery, Vec<u8>)> {
        let hub_id = store.hub_id()?.ok_or_else(|| Error::Protocol("this device is not enrolled with a hub".into()))?;
        let header = super::request_header(store, 0, false, [0; 32]);
        let nonce = header.nonce;
        Ok((NewsQuery { hub_id, nonce }, encode_request(&header, |message| store.sign(message))))
    }

    /// Reads the hub's answer: `true` when something new waits (sync now), `false` when its
    /// wait ran out. A refusal (revoked, not enrolled, clock off) is an [`Error::Refused`]; an
    /// answer not signed by this device's hub or not for this request is an error too.
    pub fn handle_answer(&self, store: &Store, bytes: &[u8]) -> Result<bool> {
        let (answer, hub_key) = NewsAnswer::decode_signed(bytes)?;
        if store.hub_key()? != Some(hub_key) || answer.hub_id != self.hub_id {
            return Err(Error::Protocol("the news answer is not signed by this device's hub".into()));
        }
        if answer.nonce != self.nonce {
            return Err(Error::Protocol("the news answer is not for the request that is out (replayed or mismatched)".into()));
        }
        match answer.refusal {
            // A refusal orders nothing here: the next sync meets it too and acts on it.
            Some((code, message)) => Err(Error::Refused { code, message, wipe: false }),
            None => Ok(answer.news),
        }
    }
}
