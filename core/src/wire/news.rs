//! The long poll: a device's signed request "tell me when something new waits for me" (only a
//! [`RequestHeader`]: who, when, a fresh nonce) and the hub's signed answer, tied to the request
//! by its nonce. The answer only says whether to sync; the records still come by a normal sync.

use super::frames::{open_signed_answer, read_fixed, sign_answer, sign_request, RequestHeader, SignedRequest};
use super::{MessageKind, Reader, Writer, MAX_ID_LEN};
use crate::error::Result;

/// Longest refusal message.
const MAX_TEXT: usize = 4_096;
/// Largest signed part of a news request or answer.
const MAX_NEWS_BYTES: usize = 8_192;

/// Encodes a news request with `header` and signs it with `sign` (the device's key).
pub(crate) fn encode_request(header: &RequestHeader, sign: impl Fn(&[u8]) -> [u8; 64]) -> Vec<u8> {
    let mut w = Writer::default();
    header.write(&mut w);
    sign_request(w.finish(MessageKind::NewsRequest), MessageKind::NewsRequest, sign)
}

/// Splits a signed news request into the signed bytes, the signature and the header.
pub(crate) fn open_request(bytes: &[u8]) -> Result<SignedRequest<'_>> {
    let signed = SignedRequest::open(bytes, MessageKind::NewsRequest, MAX_NEWS_BYTES)?;
    let mut r = Reader::open(signed.signed, MessageKind::NewsRequest)?;
    RequestHeader::read(&mut r)?;
    r.finish()?;
    Ok(signed)
}

/// The hub's answer to a news request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct NewsAnswer {
    /// The nonce of the request it answers.
    pub nonce: [u8; 16],
    pub hub_id: String,
    /// Why the hub refused (code, message); `None` when it answered.
    pub refusal: Option<(String, String)>,
    /// Something the device may read changed since its last sync.
    pub news: bool,
}

impl NewsAnswer {
    /// Encodes the answer and signs it with the hub's key.
    pub(crate) fn encode_signed(&self, hub_key: &[u8; 32], sign: impl Fn(&[u8]) -> [u8; 64]) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(&self.nonce).str(&self.hub_id);
        match &self.refusal {
            Some((code, message)) => w.u8(1).str(code).str(message),
            None => w.u8(0),
        };
        w.u8(u8::from(self.news));
        sign_answer(w.finish(MessageKind::NewsAnswer), MessageKind::NewsAnswer, hub_key, sign)
    }

    /// Decodes an answer after checking its signature; returns it with the key that signed it.
    pub(crate) fn decode_signed(bytes: &[u8]) -> Result<(NewsAnswer, [u8; 32])> {
        let (inner, hub_key) = open_signed_answer(bytes, MessageKind::NewsAnswer, MAX_NEWS_BYTES)?;
        let mut r = Reader::open(inner, MessageKind::NewsAnswer)?;
        let nonce = read_fixed::<16>(&mut r, "nonce")?;
        let hub_id = r.str("hub id", MAX_ID_LEN)?.to_string();
        let refusal = match r.u8("refusal flag")? {
            0 => None,
            _ => Some((r.str("refusal code", MAX_ID_LEN)?.to_string(), r.str("refusal message", MAX_TEXT)?.to_string())),
        };
        let news = r.u8("news flag")? != 0;
        r.finish()?;
        Ok((NewsAnswer { nonce, hub_id, refusal, news }, hub_key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::security::DeviceKey;

    #[test]
    fn an_answer_round_trips_and_an_altered_or_cut_one_is_refused() {
        let key = DeviceKey::generate();
        let answer = NewsAnswer { nonce: [7; 16], hub_id: "hub-1".into(), refusal: None, news: true };
        let bytes = answer.encode_signed(&key.public(), |m| key.sign(m));
        assert_eq!(NewsAnswer::decode_signed(&bytes).unwrap(), (answer, key.public()));
        let mut altered = bytes.clone();
        let at = bytes.windows(5).position(|w| w == b"hub-1").unwrap();
        altered[at] ^= 1;
        assert!(NewsAnswer::decode_signed(&altered).is_err());
        for cut in 0..bytes.len() {
            assert!(NewsAnswer::decode_signed(&bytes[..cut]).is_err());
            assert!(open_request(&bytes[..cut]).is_err());
        }
    }
}
