//! The signed envelope of a merge bundle. A bundle travels outside any TLS (cable, file share,
//! QR), so it carries its sender's device id and Ed25519 public key, the authors of the changes
//! it holds, the hash of every change, and the sender's signature over all of it.
//!
//! A bundle is a [`Bundle`](MessageKind::Bundle) message holding the signed body and the
//! signature; the body is itself a `Bundle` message: sender id, key and the [packed](super::packed)
//! contents (a third `Bundle` message: role, scopes, author entries, per-document change
//! payloads, the listed change hashes, the change signatures).
//! [`SignedBundle::decode`] checks the signature before it decodes anything past the sender's
//! key; what the contents may do is checked by the store's import.

use super::packed::{pack, unpack};
use super::{decode_hash, ChangeSignature, DocPayload, MessageKind, Reader, WireError, Writer, MAX_DOCS_PER_MESSAGE, MAX_ID_LEN, MAX_MESSAGE_BYTES};
use crate::doc::BucketId;
use crate::error::{Error, Result};
use crate::security::verify;
use crate::sync::authors::AuthorEntry;
use crate::sync::verify::Sender;
use automerge::ChangeHash;

/// Most change hashes one bundle may list.
const MAX_HASHES: usize = 2_000_000;
/// Longest scope list of the sender.
const MAX_SCOPES_TEXT: usize = 4_096;

fn invalid(what: &'static str, reason: impl Into<String>) -> Error {
    Error::Malformed(WireError::Invalid { what, reason: reason.into() })
}

/// The contents of a bundle, as signed by its sender.
pub(crate) struct SignedBundle {
    /// Who sent it (the key that signs it, and the role and scopes it claims).
    pub sender: Sender,
    /// The authors of the changes it carries, as the sender knows them.
    pub entries: Vec<AuthorEntry>,
    /// The changes, per document.
    pub docs: Vec<(String, DocPayload)>,
    /// The hash of every change carried, in order.
    pub hashes: Vec<ChangeHash>,
    /// The signatures of the changes by their authors.
    pub signatures: Vec<ChangeSignature>,
}

impl SignedBundle {
    /// The bundle's bytes, signed with `sign` (the sender's key, matching `sender.public_key`).
    pub(crate) fn encode(&self, sign: impl FnOnce(&[u8]) -> [u8; 64]) -> Vec<u8> {
        let sender = &self.sender;
        let mut contents = Writer::default();
        contents.str(&sender.role).str(&sender.scopes.join(","));
        AuthorEntry::write_all(&mut contents, &self.entries);
        contents.u32(self.docs.len() as u32);
        for (doc_id, payload) in &self.docs {
            contents.str(doc_id);
            payload.write(&mut contents);
        }
        contents.u32(self.hashes.len() as u32);
        for hash in &self.hashes {
            contents.bytes(&hash.0);
        }
        ChangeSignature::write_all(&mut contents, &self.signatures);
        let mut w = Writer::default();
        w.str(&sender.device_id).bytes(&sender.public_key).bytes(&pack(&contents.finish(MessageKind::Bundle)));
        let body = w.finish(MessageKind::Bundle);
        let signature = sign(&body);
        let mut outer = Writer::default();
        outer.bytes(&body).bytes(&signature);
        outer.finish(MessageKind::Bundle)
    }

    /// Reads a bundle. The sender's signature is checked before anything past its key is
    /// decoded; every document id must be a bucket id.
    pub(crate) fn decode(bytes: &[u8]) -> Result<SignedBundle> {
        let mut outer = Reader::open(bytes, MessageKind::Bundle)?;
        let body = outer.bytes("signed bundle", MAX_MESSAGE_BYTES)?;
        let signature = outer.bytes("bundle signature", 64)?;
        outer.finish()?;
        let mut r = Reader::open(body, MessageKind::Bundle)?;
        let device_id = r.str("sender device id", MAX_ID_LEN)?.to_string();
        let public_key: [u8; 32] = r.bytes("sender key", 32)?.try_into().map_err(|_| invalid("sender key", "not 32 bytes"))?;
        let packed = r.bytes("packed contents", MAX_MESSAGE_BYTES)?;
        r.finish()?;
        if !verify(&public_key, body, signature) {
            return Err(invalid("bundle signature", "does not verify: the bundle was damaged on the way, or altered"));
        }
        let contents = unpack(packed, "packed contents")?;
        let mut r = Reader::open(&contents, MessageKind::Bundle)?;
        let sender = Sender {
            device_id,
            public_key,
            role: r.str("sender role", MAX_ID_LEN)?.to_string(),
            scopes: r.str("sender scopes", MAX_SCOPES_TEXT)?.split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
        };
        let entries = AuthorEntry::read_all(&mut r)?;
        let count = r.count("document count", MAX_DOCS_PER_MESSAGE)?;
        let mut docs = Vec::with_capacity(count.min(1024));
        for _ in 0..count {
            let doc_id = r.str("document id", MAX_ID_LEN)?;
            if BucketId::parse(doc_id).is_none() {
                return Err(invalid("document id", format!("{doc_id:?} is not a bucket id")));
            }
            docs.push((doc_id.to_string(), DocPayload::read(&mut r, doc_id)?));
        }
        let mut hashes = Vec::new();
        for _ in 0..r.count("hash count", MAX_HASHES)? {
            hashes.push(decode_hash(r.bytes("change hash", 32)?)?);
        }
        let signatures = ChangeSignature::read_all(&mut r)?;
        r.finish()?;
        Ok(SignedBundle { sender, entries, docs, hashes, signatures })
    }
}
