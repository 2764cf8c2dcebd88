//! Sealing an answer: it names the authors of the changes it delivers (so the device can
//! check each change's signature and its author's right to write it), echoes the nonce of the
//! request it answers, and is signed with the hub's key (learned by the device at enrolment).

use super::Hub;
use crate::doc::base_actor_hex;
use crate::store::{encode_heads, DocPayload};
use crate::sync::authors::AuthorEntry;
use crate::sync::frames::{SyncRequest, SyncResponse};
use std::collections::BTreeSet;

/// The nonce of a signed request, read from its small header without decoding (or trusting)
/// the rest: a refusal echoes it too, so the device can tell it answers its request.
fn request_nonce(bytes: &[u8]) -> Option<[u8; 16]> {
    SyncRequest::open_signed(bytes).ok().map(|signed| signed.header.nonce)
}

impl Hub {
    /// The answer as bytes: with its authors, the request's nonce, signed by the hub. If the
    /// authors cannot be read, the device is told so instead (it retries at the next sync).
    pub(super) fn seal(&self, mut response: SyncResponse, request: &[u8]) -> Vec<u8> {
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
        let key = self.identity.key.public();
        response.encode_signed(&key, |message| self.identity.key.sign(message))
    }

    /// The short fingerprint of the hub's key (told to a device at enrolment).
    pub(super) fn hub_fingerprint(&self) -> String {
        crate::sync::authors::fingerprint(&self.identity.key.public())
    }

    /// Who wrote the changes the replies deliver.
    fn authors_of(&self, response: &SyncResponse) -> crate::error::Result<Vec<AuthorEntry>> {
        let mut actors = BTreeSet::new();
        for reply in &response.replies {
            match &reply.payload {
                DocPayload::Changes(changes) => actors.extend(changes.iter().map(|c| base_actor_hex(c.actor_id()))),
                DocPayload::Snapshot(_) => {
                    // The document the snapshot was made of (this node's cached copy).
                    if let Some(bucket) = self.doc(&reply.doc_id, &encode_heads(&reply.hub_heads))? {
                        actors.extend(bucket.doc.get_changes_meta(&[]).iter().map(|m| base_actor_hex(&m.actor)));
                    }
                }
            }
        }
        let rows = self.authors(actors.iter().map(String::as_str))?;
        Ok(rows.iter().filter_map(|(actor, row)| AuthorEntry::of_row(actor, row)).collect())
    }
}
