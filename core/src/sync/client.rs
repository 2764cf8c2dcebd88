//! The device side of sync: a sans-IO session that produces request frames and consumes the
//! hub's responses. It holds no reference to the store between calls, so a shell can keep it
//! across threads and network calls.

use super::authors::{fingerprint, AuthorEntry};
use super::verify::{self, Trust};
use super::MAX_ROUNDS;
use crate::device::Role;
use crate::error::{Error, Result};
use crate::store::{ImportReport, KeptAside, Store, SyncedWrites};
use crate::wire::frames::{Assignment, Rejection, RejectionKind, Status, SyncRequest, SyncResponse};
use crate::wire::ChangeSignature;
use crate::wire::DocPayload;
use automerge::ChangeHash;
use chrono::Utc;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A change hash from its hex form.
fn parse_hash(hex_hash: &str) -> Option<ChangeHash> {
    ChangeHash::try_from(hex::decode(hex_hash).ok()?.as_slice()).ok()
}

/// How far a sync has come (for a progress bar).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncProgress {
    /// Round trips started.
    pub round: u8,
    /// Documents offered to the hub so far.
    pub docs_sent: usize,
    /// Documents received from the hub so far.
    pub docs_received: usize,
    /// Bytes sent so far.
    pub bytes_sent: u64,
    /// Bytes received so far.
    pub bytes_received: u64,
    /// The session has finished.
    pub done: bool,
}

/// What a finished sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Round trips taken.
    pub rounds: u8,
    /// Documents offered to the hub.
    pub docs_sent: usize,
    /// Documents that arrived with changes.
    pub docs_received: usize,
    /// Records created or changed on this device.
    pub records_changed: usize,
    /// Records on this device that now hold conflicts.
    pub records_in_conflict: usize,
    /// Changes the hub refused, with reasons.
    pub rejected: Vec<Rejection>,
    /// This device's work that the hub refused, kept aside for the user (also in
    /// [`Store::kept_aside`] until discarded).
    pub kept_aside: Vec<KeptAside>,
    /// This device's changes made again on the hub's copy of a document after a refusal or a
    /// clash of actor ids; they reach the hub in the next round.
    pub replayed: usize,
    /// Documents removed from this device (no longer in its scope).
    pub revoked: Vec<String>,
    /// Documents no longer in this device's scope that it keeps because the hub has not yet
    /// received all its changes to them; they are offered again at the next sync.
    pub kept: Vec<String>,
    /// Bytes sent.
    pub bytes_sent: u64,
    /// Bytes received.
    pub bytes_received: u64,
}

#[derive(Clone)]
enum Phase {
    /// Ready to send the request of the next round.
    Ready {
        full: bool,
        wanted: Vec<(String, Vec<ChangeHash>)>,
    },
    /// A request is out; waiting for its response.
    Awaiting,
    Done,
}

/// One sync with the hub. Call [`next_request`](Self::next_request), send the bytes, pass the
/// answer to [`handle_response`](Self::handle_response), until `next_request` returns `None`.
/// A copy of a session waits for the same answer (a shell can retry an answer on a copy).
#[derive(Clone)]
pub struct SyncSession {
    hub_id: String,
    phase: Phase,
    progress: SyncProgress,
    report: SyncReport,
    /// The last answer made this device replay work that the hub has yet to receive.
    replayed_now: bool,
    /// This session rebuilt a document or found a clone.
    healing: bool,
    /// The heads of each document offered in the request that is out.
    offered: BTreeMap<String, Vec<ChangeHash>>,
    /// The nonce of the request that is out: its answer must echo it.
    nonce: [u8; 16],
}

impl SyncSession {
    /// A session with the hub this store is enrolled with.
    pub fn new(store: &Store) -> Result<SyncSession> {
        store.writable()?;
        let hub_id = store.hub_id()?.ok_or_else(|| Error::Protocol("this device is not enrolled with a hub".into()))?;
        Ok(SyncSession {
            hub_id,
            phase: Phase::Ready { full: false, wanted: vec![] },
            progress: SyncProgress::default(),
            report: SyncReport::default(),
            replayed_now: false,
            healing: false,
            offered: BTreeMap::new(),
            nonce: [0; 16],
        })
    }

    /// The next request to send, or `None` when the sync is complete.
    pub fn next_request(&mut self, store: &mut Store) -> Result<Option<Vec<u8>>> {
        let (full, wanted) = match &mut self.phase {
            Phase::Done => return Ok(None),
            Phase::Awaiting => return Err(Error::Protocol("a request is still waiting for its response".into())),
            Phase::Ready { full, wanted } => (*full, std::mem::take(wanted)),
        };
        if self.progress.round >= self.max_rounds() {
            return Err(Error::Protocol(format!("the hub still wanted more after {} rounds; the next sync resumes", self.max_rounds())));
        }
        let mut full = full;
        if !full && wanted.is_empty() && self.progress.round == 0 && store.missing_directory()? {
            // A store from before the author directory holds changes whose authors it was never
            // told. Once the hub has all its work, it offers a summary, and the hub names the
            // authors of everything it may hold.
            full = store.sync_offers(&self.hub_id, false)?.0.is_empty();
        }
        let (offers, digest, signatures) =
            if wanted.is_empty() { store.sync_offers(&self.hub_id, full)? } else { store.offers_since(&self.hub_id, &wanted)? };
        self.progress.round += 1;
        // Counted as users know them: buckets (a bucket's notes documents go with it).
        self.progress.docs_sent += offers.iter().filter(|o| !o.changes.is_empty()).map(|o| crate::doc::bucket_of(&o.doc_id)).collect::<BTreeSet<_>>().len();
        self.offered = offers.iter().map(|o| (o.doc_id.clone(), o.heads.clone())).collect();
        let header = super::request_header(store, self.progress.round, full && wanted.is_empty(), digest);
        self.nonce = header.nonce;
        let request = SyncRequest { header, offers, signatures, audit: Some(store.access_log_to_send()?) };
        let bytes = request.encode_signed(|message| store.sign(message));
        self.progress.bytes_sent += bytes.len() as u64;
        self.phase = Phase::Awaiting;
        Ok(Some(bytes))
    }

    /// Applies the hub's response to `store`.
    pub fn handle_response(&mut self, store: &mut Store, bytes: &[u8]) -> Result<()> {
        if !matches!(self.phase, Phase::Awaiting) {
            return Err(Error::Protocol("a response arrived but no request is waiting".into()));
        }
        self.progress.bytes_received += bytes.len() as u64;
        let (response, hub_key) = SyncResponse::decode_signed(bytes)?;
        if response.hub_id != self.hub_id {
            return Err(Error::Protocol(format!("answer from hub {} but this device is enrolled with {}", response.hub_id, self.hub_id)));
        }
        let known_key = store.hub_key()?;
        if known_key.is_some_and(|known| known != hub_key) {
            return Err(Error::Protocol(format!("the answer is signed with key {}, not with the key of this device's hub", fingerprint(&hub_key))));
        }
        if response.nonce != self.nonce {
            // A refusal that orders nothing (no wipe) changes nothing here whoever it answers;
            // anything else must answer the request that is out.
            return Err(match response.refusal {
                Some(refusal) if !refusal.wipe => Error::Refused { code: refusal.code, message: refusal.message, wipe: false },
                _ => Error::Protocol("the answer is not for the request that is out (replayed or mismatched); it was not applied".into()),
            });
        }
        if known_key.is_none() {
            // A store enrolled before hubs signed their answers pins its hub's key now.
            store.pin_hub_key(&hub_key)?;
        }
        if let Some(held) = response.audit_held {
            store.set_access_log_held(held)?;
        }
        store.resend_files(&response.files_wanted)?;
        if let Some(refusal) = response.refusal {
            self.phase = Phase::Done;
            return Err(Error::Refused { code: refusal.code, message: refusal.message, wipe: refusal.wipe });
        }
        let wanted: Vec<(String, Vec<ChangeHash>)> = response.replies.iter().filter_map(|r| r.want_since.clone().map(|h| (r.doc_id.clone(), h))).collect();
        let assignment = response.assignment.as_ref().map(parse_assignment).transpose()?;
        let received = Received { signatures: &response.signatures, authors: &response.authors, hub_key };
        // One write, under the store's write lock and after catching up with what another
        // process on the same file committed meanwhile.
        let (revoked, kept, applied) = store.writing(|store| {
            let (revoked, kept) = self.droppable(store, response.revoked, assignment.as_ref())?;
            let applied = self.apply(store, response.replies, &revoked, &response.rejected, &received, assignment)?;
            Ok((revoked, kept, applied))
        })?;
        self.progress.docs_received += applied.docs_changed;
        self.report.docs_received += applied.docs_changed;
        self.report.records_changed += applied.records_changed;
        self.report.records_in_conflict = applied.records_in_conflict;
        // The report names buckets: a bucket's notes documents come and go with it.
        for doc_id in kept {
            push_bucket(&mut self.report.kept, &doc_id);
        }
        self.report.rejected.extend(response.rejected);
        for doc_id in &revoked {
            push_bucket(&mut self.report.revoked, doc_id);
        }
        let replayed_now = std::mem::take(&mut self.replayed_now);
        self.phase = match response.status {
            // Work replayed on a rebuilt document goes to the hub at once, rounds permitting.
            Status::Done if replayed_now && self.progress.round < self.max_rounds() => Phase::Ready { full: false, wanted: vec![] },
            Status::Done => Phase::Done,
            Status::NeedSummary => Phase::Ready { full: true, wanted: vec![] },
            Status::NeedChanges if !wanted.is_empty() => Phase::Ready { full: false, wanted },
            Status::NeedChanges => return Err(Error::Protocol("the hub wants changes but named no document".into())),
            Status::Refused => return Err(Error::Protocol("refused without a reason".into())),
        };
        if matches!(self.phase, Phase::Done) {
            self.finish();
        }
        Ok(())
    }

    /// Splits the documents the hub revoked into those this device drops and those it keeps.
    /// One that leaves the device's scope (under the `assignment` the answer brings) is dropped
    /// only when the hub holds all its changes to it or refused them with reasons (those are
    /// kept aside first): nothing moved since the last agreement, or this request offered
    /// exactly what the device holds.
    fn droppable(&self, store: &Store, revoked: Vec<String>, assignment: Option<&(Role, Vec<String>)>) -> Result<(Vec<String>, Vec<String>)> {
        let as_set = |heads: &[ChangeHash]| heads.iter().copied().collect::<BTreeSet<_>>();
        let mut drop = Vec::new();
        let mut keep = Vec::new();
        for doc_id in revoked {
            let in_scope = match assignment {
                Some((role, scopes)) => Store::may_hold_as(*role, scopes, &doc_id),
                None => store.may_hold(&doc_id),
            };
            let settled = in_scope
                || match store.local_heads(&doc_id)? {
                    None => true,
                    Some(local) => {
                        let local = as_set(&local);
                        let agreed = store.synced_heads(&self.hub_id, &doc_id)?.unwrap_or_default();
                        let delivered = self.offered.get(&doc_id).is_some_and(|h| as_set(h) == local);
                        as_set(&agreed) == local || delivered
                    }
                };
            if settled {
                drop.push(doc_id)
            } else {
                keep.push(doc_id)
            }
        }
        Ok((drop, keep))
    }

    fn apply(
        &mut self,
        store: &mut Store,
        replies: Vec<crate::wire::frames::DocReply>,
        revoked: &[String],
        rejected: &[Rejection],
        received: &Received<'_>,
        assignment: Option<(Role, Vec<String>)>,
    ) -> Result<ImportReport> {
        let signatures = received.signatures;
        let relay = verify::hub_relay(&self.hub_id, &received.hub_key);
        // Everything is checked before anything is written: a refused answer leaves the store
        // as it was.
        let (replaced, replies): (Vec<_>, Vec<_>) = replies.into_iter().partition(|r| r.replace);
        for reply in &replaced {
            // The hub's copy is checked whole, as if this device held nothing of it.
            let fresh = vec![(reply.doc_id.clone(), reply.payload.clone())];
            let checked = verify::check_received(store, &relay, fresh, signatures, received.authors, Trust::HubCopy)?;
            if let Some((rejection, author)) = checked.refused.first() {
                return Err(Error::Untrusted { author: author.clone(), reason: format!("{}: {}", rejection.doc_id, rejection.reason) });
            }
        }
        // A copy of this install synced first (a clone, or a restore from a backup): leave the
        // clashing document as it is; the hub asks for its changes and has them replayed.
        let mut clashing = Vec::new();
        for reply in &replies {
            if !reply.payload.is_empty() && store.clashes_with_own(&reply.doc_id, &reply.payload)? {
                clashing.push(reply.doc_id.clone());
                self.healing = true;
            }
        }
        let replies: Vec<_> = replies.into_iter().filter(|r| !clashing.contains(&r.doc_id)).collect();
        let mut agreed: Vec<(String, Vec<ChangeHash>)> = replies.iter().map(|r| (r.doc_id.clone(), r.hub_heads.clone())).collect();
        let incoming: Vec<(String, DocPayload)> = replies.into_iter().filter(|r| !r.payload.is_empty()).map(|r| (r.doc_id, r.payload)).collect();
        // Every change is checked as the hub checks an offer; what fails is kept aside, and a
        // document that is not taken whole is not recorded as agreed (the hub sends it again).
        let checked = verify::check_received(store, &relay, incoming, signatures, received.authors, Trust::Hub)?;
        let partial: BTreeSet<&str> = checked
            .refused
            .iter()
            .map(|(r, _)| r.doc_id.as_str())
            .chain(checked.cloned.iter().map(|(d, _)| d.as_str()))
            .chain(checked.missing_base.iter().map(String::as_str))
            .collect();
        agreed.retain(|(d, _)| !partial.contains(d.as_str()));
        self.healing |= !checked.cloned.is_empty();

        for doc_id in revoked {
            // Own work the hub refused in a document this device gives up is kept aside first.
            let refused: HashMap<ChangeHash, String> =
                rejected.iter().filter(|r| r.doc_id == *doc_id).filter_map(|r| Some((parse_hash(r.change.as_deref()?)?, r.reason.clone()))).collect();
            for entry in store.keep_aside_refused(doc_id, &refused)? {
                // Notes join the entry of their record kept aside from its bucket just before.
                self.report.kept_aside.retain(|kept| kept.seq != entry.seq);
                self.report.kept_aside.push(entry);
            }
            store.drop_doc(doc_id)?;
        }
        if !replaced.is_empty() {
            // Replayed work is written under a fresh actor: the old one's numbers may clash with
            // a clone's, or with refused changes other phones received in a bundle.
            store.take_fresh_actor()?;
        }
        for reply in replaced {
            let keep_aside: HashMap<ChangeHash, String> = rejected
                .iter()
                .filter(|r| r.doc_id == reply.doc_id && r.kind == RejectionKind::Refused)
                .filter_map(|r| Some((parse_hash(r.change.as_deref()?)?, r.reason.clone())))
                .collect();
            let rebuild = store.rebuild_doc(&reply.doc_id, reply.payload, &reply.hub_heads, &keep_aside, &self.hub_id)?;
            self.replayed_now |= rebuild.replayed > 0;
            self.healing = true;
            self.report.replayed += rebuild.replayed;
            self.report.kept_aside.extend(rebuild.kept_aside);
            if !crate::doc::BucketId::parse(&reply.doc_id).is_some_and(|b| b.is_notes()) {
                self.report.docs_received += 1;
            }
        }
        self.report.kept_aside.extend(verify::keep_aside_received(store, &self.hub_id, &checked.refused)?);
        let mut incoming = checked.accept;
        let mut loaded = checked.loaded;
        let authors = received.authors;
        let now = Utc::now().timestamp_millis();
        let hub_id = self.hub_id.clone();
        let profile = &store.device.profile;
        let reassigned = assignment.filter(|(role, scopes)| (*role, scopes) != (profile.role, &profile.scopes));
        let report = loop {
            let writes = SyncedWrites { hub_id: &hub_id, agreed: &agreed, reassigned: reassigned.as_ref(), authors, signatures, now };
            let merged = store.merge_synced(incoming.clone(), &mut loaded, &writes);
            match merged {
                // This device holds another copy's changes under the same change numbers (a
                // bundle from a cloned install): leave that document as it is; the hub asks for
                // its changes, refuses the clashing ones and has the device rebuild it.
                Err(Error::ClonedInstall { doc_id, .. }) if incoming.iter().any(|(d, _)| *d == doc_id) => {
                    incoming.retain(|(d, _)| *d != doc_id);
                    agreed.retain(|(d, _)| *d != doc_id);
                    self.healing = true;
                }
                other => break other?,
            }
        };
        if let Some((role, scopes)) = reassigned {
            (store.device.profile.role, store.device.profile.scopes) = (role, scopes);
        }
        Ok(report)
    }

    /// Round trips this session may take: [`MAX_ROUNDS`], and two more once it had to rebuild a
    /// document or found a clone (the replayed work goes up at once).
    fn max_rounds(&self) -> u8 {
        if self.healing {
            MAX_ROUNDS + 2
        } else {
            MAX_ROUNDS
        }
    }

    fn finish(&mut self) {
        self.replayed_now = false;
        self.progress.done = true;
        self.report.rounds = self.progress.round;
        self.report.docs_sent = self.progress.docs_sent;
        self.report.bytes_sent = self.progress.bytes_sent;
        self.report.bytes_received = self.progress.bytes_received;
    }

    /// How far the session has come.
    pub fn progress(&self) -> &SyncProgress {
        &self.progress
    }

    /// What the session did (complete once it is done).
    pub fn report(&self) -> &SyncReport {
        &self.report
    }

    /// True when the sync is complete.
    pub fn is_done(&self) -> bool {
        matches!(self.phase, Phase::Done)
    }
}

/// What an answer brings besides the replies: the signatures and authors of its changes, and
/// the key that signed it.
struct Received<'a> {
    signatures: &'a [ChangeSignature],
    authors: &'a [AuthorEntry],
    hub_key: [u8; 32],
}

/// The role and scopes an answer assigns this device.
fn parse_assignment(a: &Assignment) -> Result<(Role, Vec<String>)> {
    let role = Role::parse(&a.role).ok_or_else(|| Error::Protocol(format!("the hub assigned an unknown role {:?}", a.role)))?;
    Ok((role, a.scopes.clone()))
}

/// Adds the bucket of `doc_id` (itself, or the bucket of a notes document) to `list` once.
fn push_bucket(list: &mut Vec<String>, doc_id: &str) {
    let bucket = crate::doc::bucket_of(doc_id);
    if !list.contains(&bucket) {
        list.push(bucket);
    }
}
