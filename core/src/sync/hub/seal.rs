//! Sealing an answer: it names the authors of the changes it delivers (so the device can
//! check each change's signature and its author's right to write it), echoes the nonce of the
//! request it answers, and is signed with the hub's key (learned by the device at enrolment).

use super::Hub;
use crate::doc::{base_actor_hex, BucketId};
use crate::sync::authors::AuthorEntry;
use crate::wire::frames::{RequestHeader, SyncRequest, SyncResponse};
use crate::wire::DocPayload;
use std::collections::BTreeSet;

/// The header of a signed request, read without decoding (or trusting) the rest: a refusal
/// echoes its nonce too, so the device can tell it answers its request.
fn request_header(bytes: &[u8]) -> Option<RequestHeader> {
    SyncRequest::open_signed(bytes).ok().map(|signed| signed.header)
}

impl Hub {
    /// The answer as bytes: with its authors, the request's nonce, signed by the hub. If the
    /// authors cannot be read, the device is told so instead (it retries at the next sync).
    pub(super) fn seal(&self, mut response: SyncResponse, request: &[u8]) -> Vec<u8> {
        let header = request_header(request);
        if response.nonce == [0; 16] {
            response.nonce = header.as_ref().map(|h| h.nonce).unwrap_or_default();
        }
        // A summary request names every document the device holds: the answer names every
        // author of the documents it may hold (a device that predates the author directory
        // learns them so).
        let everything = header.filter(|h| h.full && response.refusal.is_none()).map(|h| h.device_id);
        match self.authors_of(&response, everything.as_deref()) {
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

    /// Who wrote the changes the replies deliver; with `everything_for`, also who wrote the
    /// documents that device may hold.
    fn authors_of(&self, response: &SyncResponse, everything_for: Option<&str>) -> crate::error::Result<Vec<AuthorEntry>> {
        let mut actors = BTreeSet::new();
        // Every document's heads are read only when a snapshot or a summary needs them, not
        // for each answer.
        let needs_heads = everything_for.is_some() || response.replies.iter().any(|r| matches!(r.payload, DocPayload::Snapshot(_)));
        let device = everything_for.map(|id| self.storage.read()?.device(id)).transpose()?.flatten();
        let heads_now = if needs_heads {
            let prefixes = device.as_ref().map(|d| d.readable_prefixes()).unwrap_or_default();
            let snapshots: Vec<&str> = response.replies.iter().filter(|r| matches!(r.payload, DocPayload::Snapshot(_))).map(|r| r.doc_id.as_str()).collect();
            self.storage.doc_heads(&prefixes, &snapshots)?
        } else {
            Default::default()
        };
        let actors_of = |doc_id: &str, actors: &mut BTreeSet<String>| -> crate::error::Result<()> {
            if let Some(bucket) = heads_now.get(doc_id).map(|heads| self.doc(doc_id, heads)).transpose()?.flatten() {
                actors.extend(bucket.doc.get_changes_meta(&[]).iter().map(|m| base_actor_hex(&m.actor)));
            }
            Ok(())
        };
        if let Some(device) = device {
            for doc_id in heads_now.keys().filter(|d| BucketId::parse(d).is_some_and(|b| device.may_read(&b))) {
                actors_of(doc_id, &mut actors)?;
            }
        }
        for reply in &response.replies {
            match &reply.payload {
                DocPayload::Changes(changes) => actors.extend(changes.iter().map(|c| base_actor_hex(c.actor_id()))),
                DocPayload::Snapshot(_) => actors_of(&reply.doc_id, &mut actors)?,
            }
        }
        let rows = self.authors(actors.iter().map(String::as_str))?;
        Ok(rows.iter().filter_map(|(actor, row)| AuthorEntry::of_row(actor, row)).collect())
    }
}
