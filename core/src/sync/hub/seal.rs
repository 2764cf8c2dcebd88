//! Sealing an answer: it names the authors of the changes it delivers (so the device can
//! check each change's signature and its author's right to write it), echoes the nonce of the
//! request it answers, and is signed with the hub's key (learned by the device at enrolment).

use super::Hub;
use crate::doc::base_actor_hex;
use crate::store::DocPayload;
use crate::sync::authors::AuthorEntry;
use crate::sync::frames::SyncResponse;
use crate::wire::{MessageKind, Reader, MAX_ID_LEN, MAX_MESSAGE_BYTES};
use std::collections::BTreeSet;

/// The nonce of a signed request, read without decoding (or trusting) the rest: a refusal
/// echoes it too, so the device can tell it belongs to its request.
fn request_nonce(bytes: &[u8]) -> Option<[u8; 16]> {
    let mut outer = Reader::open(bytes, MessageKind::SyncRequest).ok()?;
    let mut r = Reader::open(outer.bytes("signed request", MAX_MESSAGE_BYTES).ok()?, MessageKind::SyncRequest).ok()?;
    r.str("device id", MAX_ID_LEN).ok()?;
    r.str("actor", MAX_ID_LEN).ok()?;
    r.u64("sent at").ok()?;
    r.bytes("nonce", 16).ok()?.try_into().ok()
}

impl Hub {
    /// The answer as bytes: with its authors, the request's nonce, signed by the hub. If the
    /// authors cannot be read, the device is told so instead (it retries at the next sync).
    pub(super) fn seal(&mut self, mut response: SyncResponse, request: &[u8]) -> Vec<u8> {
        if response.nonce == [0; 16] {
            response.nonce = request_nonce(request).unwrap_or_default();
        }
        match self.authors_of(&response) {
            Ok(authors) => response.authors = authors,
            Err(e) => {
                let nonce = response.nonce;
                response = SyncResponse::refused(self.hub_id(), "hub-error", e.to_string(), false);
                response.nonce = nonce;
            }
        }
        let key = self.store.public_key();
        response.encode_signed(&key, |message| self.store.sign(message))
    }

    /// Who wrote the changes the replies deliver.
    fn authors_of(&mut self, response: &SyncResponse) -> crate::error::Result<Vec<AuthorEntry>> {
        let mut actors = BTreeSet::new();
        for reply in &response.replies {
            match &reply.payload {
                DocPayload::Changes(changes) => actors.extend(changes.iter().map(|c| base_actor_hex(c.actor_id()))),
                DocPayload::Snapshot(_) => {
                    let doc = &self.store.bucket(&reply.doc_id)?.doc;
                    actors.extend(doc.get_changes_meta(&[]).iter().map(|m| base_actor_hex(&m.actor)));
                }
            }
        }
        let rows = self.authors(actors.iter().map(String::as_str))?;
        Ok(rows.iter().filter_map(|(actor, row)| AuthorEntry::of_row(actor, row)).collect())
    }
}
