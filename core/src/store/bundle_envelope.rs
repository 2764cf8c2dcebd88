//! Exporting and importing bundles (their bytes: [`SignedBundle`]). Import checks the
//! sender's signature before it decodes anything else, refuses a sender whose key differs from
//! the one this device knows (from the hub, or pinned on the first exchange), checks that the
//! listed hashes are exactly the changes carried, then checks every change as the hub would
//! ([`verify`](crate::sync::verify)); only then is anything stored, in one transaction.

use super::signatures;
use super::{ImportReport, Store, Summary};
use crate::doc::base_actor_hex;
use crate::error::{Error, Result};
use crate::sync::authors::{self, AuthorEntry, Source};
use crate::sync::verify::{self as checks, Sender};
use crate::wire::DocPayload;
use crate::wire::{SignedBundle, WireError};
use automerge::ChangeHash;
use chrono::Utc;
use std::collections::{BTreeSet, HashSet};

fn invalid(what: &'static str, reason: impl Into<String>) -> Error {
    Error::Malformed(WireError::Invalid { what, reason: reason.into() })
}

impl Store {
    /// A bundle of every change the replica described by `since` lacks (everything when
    /// `since` is `None`), signed by this device. Documents the other side is already up to
    /// date on are left out.
    pub fn export_bundle(&mut self, since: Option<&Summary>) -> Result<Vec<u8>> {
        self.writable()?;
        let mine = self.summary()?;
        let mut docs = Vec::new();
        for (doc_id, heads) in &mine.docs {
            let theirs = since.and_then(|s| s.docs.get(doc_id));
            if theirs == Some(heads) {
                continue;
            }
            let bucket = self.bucket(doc_id)?;
            let payload = DocPayload::missing_from(&bucket.doc, theirs.map(Vec::as_slice).unwrap_or_default());
            if !payload.is_empty() {
                docs.push((doc_id.clone(), payload));
            }
        }
        let mut hashes: Vec<ChangeHash> = Vec::new();
        let mut actors: BTreeSet<String> = BTreeSet::new();
        for (doc_id, payload) in &docs {
            let doc = &self.bucket(doc_id)?.doc;
            let carried = payload.change_hashes(doc);
            let set: HashSet<ChangeHash> = carried.iter().copied().collect();
            actors.extend(doc.get_changes_meta(&[]).iter().filter(|m| set.contains(&m.hash)).map(|m| base_actor_hex(&m.actor)));
            hashes.extend(carried);
        }
        let entries = self.author_entries(&actors)?;
        let signatures = self.signatures_of(hashes.iter().copied())?;
        // Every record of an exported document leaves the device: who saw what.
        let exported: Vec<&str> = docs.iter().map(|(doc_id, _)| doc_id.as_str()).collect();
        let records = self.records_in(&exported)?;
        self.record_access_each(&records.iter().map(String::as_str).collect::<Vec<_>>(), super::AccessKind::Export)?;
        let profile = &self.device.profile;
        let sender = Sender {
            device_id: self.device.device_id.clone(),
            public_key: self.public_key(),
            role: profile.role.as_str().to_string(),
            scopes: profile.scopes.clone(),
        };
        Ok(SignedBundle { sender, entries, docs, hashes, signatures }.encode(|body| self.sign(body)))
    }

    /// Who wrote with `actors`: this install for its own actors, the directory for the rest
    /// (actors it does not know are left out; the receiver then refuses their changes).
    fn author_entries(&self, actors: &BTreeSet<String>) -> Result<Vec<AuthorEntry>> {
        let own: BTreeSet<String> = self.own_actors()?.iter().map(|a| a.to_hex_string()).collect();
        let key = self.public_key();
        let profile = &self.device.profile;
        let mut entries: Vec<AuthorEntry> = own
            .iter()
            .map(|actor| AuthorEntry {
                actor: actor.clone(),
                device_id: self.device.device_id.clone(),
                public_key: key,
                role: profile.role.as_str().to_string(),
                scopes: profile.scopes.clone(),
                is_hub: false,
                revoked: false,
                grants: vec![],
            })
            .collect();
        for actor in actors.iter().filter(|a| !own.contains(*a)) {
            if let Some(row) = self.directory_author(actor)? {
                entries.extend(AuthorEntry::of_row(actor, &row));
            }
        }
        Ok(entries)
    }

    /// Merges a bundle from another replica. The envelope (sender, signature, change hashes)
    /// and every change (author's signature, author's right to write the document, record
    /// rules) are checked before anything is stored; then everything it changes is stored in
    /// one transaction, or nothing. Documents this device may not hold (another mahalla, an
    /// audience its role does not see) are left out.
    pub fn import_bundle(&mut self, bytes: &[u8]) -> Result<ImportReport> {
        self.writable()?;
        let SignedBundle { sender, entries, docs, hashes: listed, signatures } = SignedBundle::decode(bytes)?;
        let mut carried = Vec::with_capacity(listed.len());
        for (doc_id, payload) in &docs {
            carried.extend(checks::payload_changes(doc_id, payload)?.iter().map(|c| c.hash()));
        }
        if carried != listed {
            return Err(invalid("change hashes", "the changes carried are not the ones the sender listed"));
        }
        let entries = checks::vet_entries(self, &sender, entries)?;
        let buckets = |docs: &[(String, DocPayload)]| docs.iter().map(|(id, _)| crate::doc::bucket_of(id)).collect::<std::collections::BTreeSet<_>>();
        let all = buckets(&docs);
        let (incoming, skipped): (Vec<_>, Vec<_>) = docs.into_iter().partition(|(doc_id, _)| self.may_hold(doc_id));
        let accepted = checks::check_bundle(self, &sender, incoming, &signatures, &entries)?;
        let now = Utc::now().timestamp_millis();
        let mut report = self.merge_documents(accepted, &mut Default::default(), "import", |tx| {
            signatures::store(tx, &signatures)?;
            super::remember(tx, &entries, Source::Bundle, now)
        })?;
        // Counted as users know them: buckets (a bucket's notes documents go with it).
        report.docs_received = all.len();
        report.docs_skipped = buckets(&skipped).len();
        Ok(report)
    }

    /// Every device this one knows the key of (from the hub, or pinned from a bundle), with
    /// the short fingerprint to compare with the other phone's screen.
    pub fn known_devices(&self) -> Result<Vec<crate::sync::KnownPeer>> {
        self.directory_peers()
    }

    /// The short fingerprint of this device's public key (what another phone shows for it).
    pub fn key_fingerprint(&self) -> String {
        authors::fingerprint(&self.public_key())
    }
}
