//! Answering a sync request: authenticate the device, check and store what it offers, answer
//! with what it lacks, and remember what it will have.

use super::docs::HubDoc;
use super::{DeviceRow, Hub, HubAlert, MAX_CLOCK_SKEW_MS};
use crate::doc::BucketId;
use crate::error::{Error, Result};
use crate::security::verify;
use crate::store::decode_heads;
use crate::store::encode_heads;
use crate::sync::peer::digest;
use crate::sync::validate::Verdict;
use crate::wire::frames::{Assignment, DocReply, Rejection, RejectionKind, SignedRequest, Status, SyncRequest, SyncResponse, MAX_FILES_WANTED};
use crate::wire::ChangeSignature;
use crate::wire::DocPayload;
use automerge::ChangeHash;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// What checking a request's offers found.
#[derive(Default)]
struct OfferOutcome {
    /// Changes refused, with reasons.
    rejected: Vec<Rejection>,
    /// Documents whose device copy must be replaced by the hub's.
    replace: BTreeSet<String>,
    /// Documents whose changes build on ones the hub lacks.
    want: BTreeSet<String>,
}

fn same_heads(a: &[ChangeHash], b: &[ChangeHash]) -> bool {
    a.iter().collect::<BTreeSet<_>>() == b.iter().collect::<BTreeSet<_>>()
}

impl DeviceRow {
    /// The role and scopes it holds now, as the sync answer tells the device.
    fn assignment(&self) -> Assignment {
        Assignment { role: self.role_name().to_string(), scopes: self.scopes.clone() }
    }
}

/// The stored heads, when a request began, of every document the device may read, offers or
/// was told of.
type HeadsNow = BTreeMap<String, Vec<u8>>;

impl Hub {
    /// Answers a sync request (bytes in, bytes out; never panics on bad input).
    pub fn handle_sync(&self, bytes: &[u8]) -> Vec<u8> {
        let hub_id = self.hub_id().to_string();
        let response = match self.sync(bytes) {
            Ok(response) => response,
            Err(Error::Refused { code, message, wipe }) => SyncResponse::refused(&hub_id, &code, message, wipe),
            Err(e @ Error::Malformed(_)) => SyncResponse::refused(&hub_id, "malformed", e.to_string(), false),
            Err(e) => SyncResponse::refused(&hub_id, "hub-error", e.to_string(), false),
        };
        self.seal(response, bytes)
    }

    fn sync(&self, bytes: &[u8]) -> Result<SyncResponse> {
        // Who sent it is settled from the small header and the signature; only then are the
        // offered changes decoded (each size-checked before Automerge sees it).
        let signed = SyncRequest::open_signed(bytes)?;
        let now = self.now_ms();
        let device = self.authenticate(&signed, now)?;
        let request = signed.decode_body()?;
        self.register_actor(&device, &request.header.actor, now)?;
        let audit_held = request.audit.as_ref().map(|links| self.keep_device_audit(&device, links, now)).transpose()?;
        // Files some phone asked for that the hub lacks: a phone that has one sends it again.
        let files_wanted = if audit_held.is_some() { self.storage.read()?.wanted_files(MAX_FILES_WANTED)? } else { Vec::new() };
        // Only the documents the device may read, offers or was told of are looked at, never
        // every document the hub holds.
        let prefixes = device.readable_prefixes();
        let outcome = self.apply_offers(&device, &request)?;
        self.alert_duplicates(&device, &outcome.rejected, now)?;
        let hub_id = self.hub_id().to_string();
        let recorded = self.storage.read()?.recorded(&device.device_id)?;
        let named: Vec<&str> = request.offers.iter().map(|o| o.doc_id.as_str()).chain(recorded.keys().map(String::as_str)).collect();
        let heads_now = self.storage.doc_heads(&prefixes, &named)?;

        // If the hub's record of what the device has does not match, ask for a summary.
        let recorded_digest = digest(recorded.iter().map(|(d, h)| (d.as_str(), h.as_slice())));
        if !request.header.full && recorded_digest != request.header.digest {
            // Documents with refused changes are sent back even so: the device rebuilds them
            // and replays its work before it sends the summary.
            let replies = self.replacements(&device, &outcome, &heads_now)?;
            let signatures = self.signatures_for(&replies, &heads_now)?;
            self.remember(&device.device_id, &request.header.nonce, &replies, &[], now)?;
            return Ok(SyncResponse {
                hub_id,
                status: Status::NeedSummary,
                refusal: None,
                replies,
                revoked: vec![],
                rejected: outcome.rejected,
                signatures,
                assignment: Some(device.assignment()),
                nonce: request.header.nonce,
                authors: vec![],
                audit_held,
                files_wanted,
            });
        }
        let (replies, revoked) = self.answer(&device, &request, &outcome, &recorded, &heads_now)?;
        self.remember(&device.device_id, &request.header.nonce, &replies, &revoked, now)?;
        let status = if replies.iter().any(|r| r.want_since.is_some()) { Status::NeedChanges } else { Status::Done };
        let signatures = self.signatures_for(&replies, &heads_now)?;
        Ok(SyncResponse {
            hub_id,
            status,
            refusal: None,
            replies,
            revoked,
            rejected: outcome.rejected,
            signatures,
            assignment: Some(device.assignment()),
            nonce: request.header.nonce,
            authors: vec![],
            audit_held,
            files_wanted,
        })
    }

    /// The document a reply was made from.
    fn reply_doc(&self, doc_id: &str, heads_now: &HeadsNow) -> Result<Option<Arc<HubDoc>>> {
        match heads_now.get(doc_id) {
            Some(heads) => self.doc(doc_id, heads),
            None => Ok(None),
        }
    }

    /// The known signatures of every change the replies deliver (for a snapshot, of every
    /// change of the document).
    fn signatures_for(&self, replies: &[DocReply], heads_now: &HeadsNow) -> Result<Vec<ChangeSignature>> {
        let mut hashes = Vec::new();
        for reply in replies.iter().filter(|r| !r.payload.is_empty()) {
            if let Some(bucket) = self.reply_doc(&reply.doc_id, heads_now)? {
                hashes.extend(reply.payload.change_hashes(&bucket.doc));
            }
        }
        self.storage.read()?.signatures(&hashes)
    }

    /// Checks that the request comes, fresh, from an enrolled and active device. The signature
    /// is checked before anything else is told: an unknown device and a bad signature get the
    /// same answer, and only the key's holder learns that its device was revoked.
    pub(super) fn authenticate(&self, request: &SignedRequest<'_>, now: i64) -> Result<DeviceRow> {
        let refuse = |code: &str, message: &str, wipe: bool| Error::Refused { code: code.into(), message: message.into(), wipe };
        let header = &request.header;
        let not_authenticated =
            || refuse("not-authenticated", "this request could not be authenticated: the device is not enrolled here, or its key does not match", false);
        let mut tx = self.storage.read()?;
        let device = tx.device(&header.device_id)?.ok_or_else(not_authenticated)?;
        if !verify(&device.public_key, request.signed, &request.signature) {
            return Err(not_authenticated());
        }
        if device.revoked {
            return Err(refuse("revoked", "this device was revoked; its data must be wiped", true));
        }
        if now.checked_sub(header.sent_at).is_none_or(|skew| skew.checked_abs().is_none_or(|skew| skew > MAX_CLOCK_SKEW_MS)) {
            return Err(refuse("clock-skew", "the device clock is more than a day off; set the time and retry", false));
        }
        if tx.nonce_seen(&device.device_id, &header.nonce)? {
            return Err(replay());
        }
        Ok(device)
    }

    /// Registers the actor a device writes with now (a fresh one after a clone or restore was
    /// found). An actor registered to another device is refused, with an alert.
    fn register_actor(&self, device: &DeviceRow, actor: &str, now: i64) -> Result<()> {
        if hex::decode(actor).map(|a| a.len() != 16).unwrap_or(true) {
            return Err(Error::Refused { code: "malformed".into(), message: "the actor id is not well formed".into(), wipe: false });
        }
        if self.storage.read()?.actor_owner(actor)?.as_deref() == Some(device.device_id.as_str()) {
            return Ok(());
        }
        let mut tx = self.storage.write()?;
        match tx.actor_owner(actor)? {
            Some(owner) if owner == device.device_id => Ok(()),
            Some(owner) => {
                let detail = format!("device {} writes with actor {actor}, which belongs to device {owner} (cloned install?)", device.device_id);
                tx.add_alert(&HubAlert { at: now, device_id: device.device_id.clone(), kind: "duplicate-actor".into(), detail })?;
                tx.commit()?;
                Err(Error::Refused {
                    code: "duplicate-actor".into(),
                    message: "this install's actor id belongs to another device; reinstall the app".into(),
                    wipe: false,
                })
            }
            None => {
                tx.add_actor(actor, &device.device_id)?;
                tx.commit()
            }
        }
    }

    /// Raises one alert per request in which changes clashed with others of the same author and
    /// number: a cloned install, or a phone restored from a backup.
    fn alert_duplicates(&self, device: &DeviceRow, rejected: &[Rejection], now: i64) -> Result<()> {
        let clashes: Vec<&Rejection> = rejected.iter().filter(|r| r.kind == RejectionKind::DuplicateActor).collect();
        if let Some(first) = clashes.first() {
            let docs: BTreeSet<&str> = clashes.iter().map(|r| r.doc_id.as_str()).collect();
            let detail = format!(
                "{} change(s) of device {} clash with changes another install of it already synced ({}; e.g. {}): a cloned or restored install. The device was told to take a fresh actor id and re-apply its work; both installs' work is kept.",
                clashes.len(),
                device.device_id,
                docs.into_iter().collect::<Vec<_>>().join(", "),
                first.reason
            );
            let mut tx = self.storage.write()?;
            tx.add_alert(&HubAlert { at: now, device_id: device.device_id.clone(), kind: "cloned-install".into(), detail })?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The enrolled devices of these actors (hex), looked up one by one: the cost follows the
    /// request, not the number of devices enrolled.
    pub(super) fn authors<'a>(&self, actors: impl IntoIterator<Item = &'a str>) -> Result<HashMap<String, DeviceRow>> {
        let mut tx = self.storage.read()?;
        let mut out = HashMap::new();
        for actor in actors {
            if actor == self.identity.actor {
                out.insert(actor.to_string(), self.own_row());
            } else if let Some(row) = tx.device_by_actor(actor)? {
                out.insert(actor.to_string(), row);
            }
        }
        Ok(out)
    }

    /// Checks every offered document and stores the changes that pass, each document in its
    /// own transaction under its write lock.
    fn apply_offers(&self, device: &DeviceRow, request: &SyncRequest) -> Result<OfferOutcome> {
        let actors: BTreeSet<String> = request.offers.iter().flat_map(|o| o.changes.iter().map(|c| crate::doc::base_actor_hex(c.actor_id()))).collect();
        let authors = self.authors(actors.iter().map(String::as_str))?;
        let sigs: HashMap<ChangeHash, ChangeSignature> = request.signatures.iter().map(|s| (s.hash, s.clone())).collect();
        let offered: Vec<&str> = request.offers.iter().map(|o| o.doc_id.as_str()).collect();
        let existing = self.storage.doc_heads(&[], &offered)?;
        let mut outcome = OfferOutcome::default();
        for offer in &request.offers {
            // Nothing new (the usual case): no write lock needed.
            let cached = match existing.get(&offer.doc_id) {
                Some(heads) => self.doc(&offer.doc_id, heads)?,
                None => None,
            };
            let known = |c: &automerge::Change| cached.as_ref().is_some_and(|b| b.doc.get_change_meta_by_hash(&c.hash()).is_some());
            if offer.changes.iter().all(known) {
                continue;
            }
            match self.apply_offer(device, offer, &sigs, &|actor| authors.get(actor).cloned())? {
                Verdict::Known => {}
                Verdict::Checked { refused, .. } => {
                    if !refused.is_empty() {
                        outcome.replace.insert(offer.doc_id.clone());
                        outcome.rejected.extend(refused);
                    }
                }
                Verdict::MissingBase => {
                    outcome.want.insert(offer.doc_id.clone());
                }
            }
        }
        Ok(outcome)
    }

    /// The hub's copy of every readable document with refused changes, for the device to
    /// rebuild from.
    fn replacements(&self, device: &DeviceRow, outcome: &OfferOutcome, heads_now: &HeadsNow) -> Result<Vec<DocReply>> {
        let mut replies = Vec::new();
        for doc_id in &outcome.replace {
            if !BucketId::parse(doc_id).is_some_and(|b| device.may_read(&b)) {
                continue;
            }
            let (payload, hub_heads) = match self.reply_doc(doc_id, heads_now)? {
                Some(bucket) => (DocPayload::Snapshot(bucket.snapshot()), bucket.heads()),
                None => (DocPayload::Changes(vec![]), vec![]),
            };
            replies.push(DocReply { doc_id: doc_id.clone(), replace: true, payload, hub_heads, want_since: None });
        }
        Ok(replies)
    }

    /// What the device lacks, per document it may read; and the documents it must drop.
    fn answer(
        &self,
        device: &DeviceRow,
        request: &SyncRequest,
        outcome: &OfferOutcome,
        recorded: &BTreeMap<String, Vec<u8>>,
        heads_now: &HeadsNow,
    ) -> Result<(Vec<DocReply>, Vec<String>)> {
        let offered: BTreeMap<&str, &[ChangeHash]> = request.offers.iter().map(|o| (o.doc_id.as_str(), o.heads.as_slice())).collect();
        let readable = |doc_id: &str| BucketId::parse(doc_id).is_some_and(|b| device.may_read(&b));
        let mut replies = Vec::new();
        let mut revoked = Vec::new();
        let candidates: BTreeSet<&str> =
            heads_now.keys().map(String::as_str).chain(offered.keys().copied()).chain(recorded.keys().map(String::as_str)).collect();
        for doc_id in candidates {
            let exists = heads_now.contains_key(doc_id);
            // Refused changes: the device rebuilds the document from the hub's copy. One whose
            // every change was refused (a colleague's, received in a bundle, and this device's
            // work on top) is rebuilt from nothing, not given up.
            let is_replaced = outcome.replace.contains(doc_id);
            // The device holds a document the hub lacks entirely (a hub restored from an old
            // backup): ask for all of it rather than telling the device to delete it.
            let lost_by_hub = !exists && !is_replaced && offered.get(doc_id).is_some_and(|heads| !heads.is_empty());
            let wanted = outcome.want.contains(doc_id) || lost_by_hub;
            if !readable(doc_id) || (!exists && !wanted && !is_replaced) {
                let held = offered.contains_key(doc_id) || recorded.contains_key(doc_id);
                // A document leaving the device's scope goes only once the hub holds all its work in it.
                let leaves_with_work = !readable(doc_id) && !self.holds_all_of(doc_id, outcome, offered.get(doc_id).copied(), heads_now)?;
                if held && !leaves_with_work {
                    revoked.push(doc_id.to_string());
                }
                continue;
            }
            let has_recorded = || recorded.get(doc_id).map(|h| decode_heads(h)).transpose();
            // Quiet document: the device was told these heads and offers nothing.
            if !offered.contains_key(doc_id) && !request.header.full && !is_replaced {
                if let (Some(stored), Some(told)) = (heads_now.get(doc_id), recorded.get(doc_id)) {
                    if same_heads(&decode_heads(stored)?, &decode_heads(told)?) {
                        continue;
                    }
                }
            }
            let bucket = self.reply_doc(doc_id, heads_now)?;
            let hub_heads = bucket.as_ref().map(|b| b.heads()).unwrap_or_default();
            let known = |heads: &[ChangeHash]| -> Vec<ChangeHash> {
                heads.iter().filter(|h| bucket.as_ref().is_some_and(|b| b.doc.get_change_meta_by_hash(h).is_some())).copied().collect()
            };
            let has = match offered.get(doc_id) {
                Some(heads) => known(heads),
                None if request.header.full => vec![],
                None => has_recorded()?.unwrap_or_default(),
            };
            let lacks_device_changes = offered.get(doc_id).is_some_and(|heads| known(heads).len() < heads.len());
            if !offered.contains_key(doc_id) && !is_replaced && same_heads(&has, &hub_heads) {
                continue;
            }
            let payload = match &bucket {
                Some(b) if is_replaced || has.is_empty() => {
                    if hub_heads.is_empty() {
                        DocPayload::Changes(vec![])
                    } else {
                        DocPayload::Snapshot(b.snapshot())
                    }
                }
                Some(b) => DocPayload::Changes(b.doc.get_changes(&has)),
                None => DocPayload::Changes(vec![]),
            };
            let want_since = (!is_replaced && (wanted || lacks_device_changes)).then(|| hub_heads.clone());
            replies.push(DocReply { doc_id: doc_id.to_string(), replace: is_replaced, payload, hub_heads, want_since });
        }
        Ok((replies, revoked))
    }

    /// Whether the hub holds, or has refused with reasons, every change the device offered of
    /// `doc_id` (none missing): only then may the device be told to drop it. Refused changes
    /// are kept aside on the device with the reasons this answer carries, so nothing
    /// unaccepted is lost.
    fn holds_all_of(&self, doc_id: &str, outcome: &OfferOutcome, offered: Option<&[ChangeHash]>, heads_now: &HeadsNow) -> Result<bool> {
        if outcome.want.contains(doc_id) {
            return Ok(false);
        }
        if outcome.replace.contains(doc_id) {
            return Ok(true);
        }
        let heads = offered.unwrap_or_default();
        if heads.is_empty() {
            return Ok(true);
        }
        let Some(bucket) = self.reply_doc(doc_id, heads_now)? else { return Ok(false) };
        Ok(heads.iter().all(|h| bucket.doc.get_change_meta_by_hash(h).is_some()))
    }

    /// Records, in one transaction, the request's nonce, what the device will have after this
    /// answer and the time of the sync. A nonce claimed meanwhile (the same request answered
    /// by another thread or hub node) makes this one a replay.
    fn remember(&self, device_id: &str, nonce: &[u8; 16], replies: &[DocReply], revoked: &[String], now: i64) -> Result<()> {
        let mut tx = self.storage.write()?;
        if !tx.claim_nonce(device_id, nonce, now, now.saturating_sub(2 * MAX_CLOCK_SKEW_MS))? {
            return Err(replay());
        }
        for reply in replies {
            tx.record_heads(device_id, &reply.doc_id, &encode_heads(&reply.hub_heads))?;
        }
        for doc_id in revoked {
            tx.forget_heads(device_id, doc_id)?;
        }
        tx.set_last_sync(device_id, now)?;
        tx.commit()
    }
}

fn replay() -> Error {
    Error::Refused { code: "replay".into(), message: "this request was already received".into(), wipe: false }
}
