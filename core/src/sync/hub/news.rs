//! The long poll on the hub side: a device asks to be told when something new waits for it.
//! The request is signed like a sync request (enrolled, not revoked, clock near, fresh nonce);
//! the server holds it and asks [`Hub::news_answer`] again whenever a sync went through, and
//! once more when its wait runs out. "News" is a document the device may read whose heads on
//! the hub differ from the heads the hub last told that device: changed by someone else since
//! its last sync (its own changes are recorded as told by the sync that brought them).

use super::{DeviceRow, Hub, MAX_CLOCK_SKEW_MS};
use crate::doc::BucketId;
use crate::error::{Error, Result};
use crate::store::decode_heads;
use crate::wire::news::{open_request, NewsAnswer};
use std::collections::BTreeSet;

/// A device waiting for news: its request checked and its nonce used up.
#[derive(Clone, Debug)]
pub struct NewsWait {
    device_id: String,
    nonce: [u8; 16],
}

impl NewsWait {
    /// The device that waits (the server bounds the waits per device by it).
    pub fn device_id(&self) -> &str {
        &self.device_id
    }
}

impl Hub {
    /// Checks a news request. `Err` holds the signed refusal to send back at once (not
    /// authenticated, revoked, clock off, replayed, malformed); never panics on bad input.
    pub fn open_news_wait(&self, bytes: &[u8]) -> std::result::Result<NewsWait, Vec<u8>> {
        let nonce = open_request(bytes).map(|r| r.header.nonce).unwrap_or_default();
        self.news_wait(bytes).map_err(|e| self.news_refusal(nonce, e))
    }

    fn news_wait(&self, bytes: &[u8]) -> Result<NewsWait> {
        let signed = open_request(bytes)?;
        let now = self.now_ms();
        let device = self.authenticate(&signed, now)?;
        let nonce = signed.header.nonce;
        let mut tx = self.storage.write()?;
        if !tx.claim_nonce(&device.device_id, &nonce, now, now.saturating_sub(2 * MAX_CLOCK_SKEW_MS))? {
            return Err(Error::Refused { code: "replay".into(), message: "this request was already received".into(), wipe: false });
        }
        tx.commit()?;
        Ok(NewsWait { device_id: device.device_id, nonce })
    }

    /// The signed answer for `wait` when it is due: something new waits for the device, the
    /// device can no longer be served (revoked meanwhile, a storage error), or `give_up` (its
    /// wait ran out: "nothing new"). `None`: keep waiting.
    pub fn news_answer(&self, wait: &NewsWait, give_up: bool) -> Option<Vec<u8>> {
        let news = match self.storage.read().and_then(|mut tx| tx.device(&wait.device_id)) {
            Ok(Some(device)) if device.revoked => {
                Err(Error::Refused { code: "revoked".into(), message: "this device was revoked; its data must be wiped".into(), wipe: true })
            }
            Ok(Some(device)) => self.has_news(&device),
            Ok(None) => Err(Error::Refused { code: "not-authenticated".into(), message: "this device is not enrolled here".into(), wipe: false }),
            Err(e) => Err(e),
        };
        match news {
            Ok(false) if !give_up => None,
            Ok(news) => {
                let answer = NewsAnswer { nonce: wait.nonce, hub_id: self.hub_id().to_string(), refusal: None, news };
                Some(answer.encode_signed(&self.identity.key.public(), |message| self.identity.key.sign(message)))
            }
            Err(e) => Some(self.news_refusal(wait.nonce, e)),
        }
    }

    fn news_refusal(&self, nonce: [u8; 16], error: Error) -> Vec<u8> {
        let refusal = match error {
            Error::Refused { code, message, .. } => (code, message),
            e @ Error::Malformed(_) => ("malformed".into(), e.to_string()),
            e => ("hub-error".into(), e.to_string()),
        };
        let answer = NewsAnswer { nonce, hub_id: self.hub_id().to_string(), refusal: Some(refusal), news: false };
        answer.encode_signed(&self.identity.key.public(), |message| self.identity.key.sign(message))
    }

    /// Whether a document `device` may read changed since the hub last told the device its
    /// heads (or is one the device never got).
    fn has_news(&self, device: &DeviceRow) -> Result<bool> {
        let recorded = self.storage.read()?.recorded(&device.device_id)?;
        for (doc_id, heads) in self.storage.doc_heads(&device.readable_prefixes(), &[])? {
            if !BucketId::parse(&doc_id).is_some_and(|bucket| device.may_read(&bucket)) {
                continue;
            }
            let Some(told) = recorded.get(&doc_id) else { return Ok(true) };
            let as_set = |bytes: &[u8]| decode_heads(bytes).map(|h| h.into_iter().collect::<BTreeSet<_>>());
            if as_set(&heads)? != as_set(told)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
