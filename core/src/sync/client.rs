//! The device side of sync: a sans-IO session that produces request frames and consumes the
//! hub's responses. It holds no reference to the store between calls, so a shell can keep it
//! across threads and network calls.

use super::frames::{Assignment, Rejection, Status, SyncRequest, SyncResponse};
use super::{peer, MAX_ROUNDS};
use crate::device::Role;
use crate::error::{Error, Result};
use crate::store::{audit, write_meta, ImportReport, Store};
use automerge::ChangeHash;
use chrono::Utc;
use rand::RngCore;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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
    /// Documents removed from this device (no longer in its scope).
    pub revoked: Vec<String>,
    /// Documents no longer in this device's scope that it keeps because they hold changes the
    /// hub has not accepted (see `rejected`); they are offered again at the next sync.
    pub kept: Vec<String>,
    /// Bytes sent.
    pub bytes_sent: u64,
    /// Bytes received.
    pub bytes_received: u64,
}

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
pub struct SyncSession {
    hub_id: String,
    phase: Phase,
    progress: SyncProgress,
    report: SyncReport,
    /// The heads of each document offered in the request that is out.
    offered: BTreeMap<String, Vec<ChangeHash>>,
}

impl SyncSession {
    /// A session with the hub this store is enrolled with.
    pub fn new(store: &Store) -> Result<SyncSession> {
        let hub_id = store.hub_id()?.ok_or_else(|| Error::Protocol("this device is not enrolled with a hub".into()))?;
        Ok(SyncSession {
            hub_id,
            phase: Phase::Ready { full: false, wanted: vec![] },
            progress: SyncProgress::default(),
            report: SyncReport::default(),
            offered: BTreeMap::new(),
        })
    }

    /// The next request to send, or `None` when the sync is complete.
    pub fn next_request(&mut self, store: &mut Store) -> Result<Option<Vec<u8>>> {
        let (full, wanted) = match &mut self.phase {
            Phase::Done => return Ok(None),
            Phase::Awaiting => return Err(Error::Protocol("a request is still waiting for its response".into())),
            Phase::Ready { full, wanted } => (*full, std::mem::take(wanted)),
        };
        if self.progress.round >= MAX_ROUNDS {
            return Err(Error::Protocol(format!("the hub still wanted more after {MAX_ROUNDS} rounds; the next sync resumes")));
        }
        let (offers, digest, signatures) =
            if wanted.is_empty() { store.sync_offers(&self.hub_id, full)? } else { store.offers_since(&self.hub_id, &wanted)? };
        let mut nonce = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        self.progress.round += 1;
        self.progress.docs_sent += offers.iter().filter(|o| !o.changes.is_empty()).count();
        self.offered = offers.iter().map(|o| (o.doc_id.clone(), o.heads.clone())).collect();
        let request = SyncRequest {
            device_id: store.device().device_id.clone(),
            sent_at: Utc::now().timestamp_millis(),
            nonce,
            round: self.progress.round,
            full: full && wanted.is_empty(),
            digest,
            offers,
            signatures,
        };
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
        let response = SyncResponse::decode(bytes)?;
        if response.hub_id != self.hub_id {
            return Err(Error::Protocol(format!("answer from hub {} but this device is enrolled with {}", response.hub_id, self.hub_id)));
        }
        if let Some(refusal) = response.refusal {
            self.phase = Phase::Done;
            return Err(Error::Refused { code: refusal.code, message: refusal.message, wipe: refusal.wipe });
        }
        let wanted: Vec<(String, Vec<ChangeHash>)> = response.replies.iter().filter_map(|r| r.want_since.clone().map(|h| (r.doc_id.clone(), h))).collect();
        let assignment = response.assignment.as_ref().map(parse_assignment).transpose()?;
        let (revoked, kept) = self.droppable(store, response.revoked, &response.rejected, assignment.as_ref())?;
        let applied = self.apply(store, response.replies, &revoked, assignment)?;
        self.progress.docs_received += applied.docs_changed;
        self.report.docs_received += applied.docs_changed;
        self.report.records_changed += applied.records_changed;
        self.report.records_in_conflict = applied.records_in_conflict;
        // Refused work in a document this device may no longer hold stays, and is reported.
        let refused_out_of_scope = response.rejected.iter().map(|r| &r.doc_id).filter(|d| !store.may_hold(d)).cloned().collect::<Vec<_>>();
        for doc_id in kept.into_iter().chain(refused_out_of_scope) {
            if !self.report.kept.contains(&doc_id) && peer::local_heads(store, &doc_id)?.is_some() {
                self.report.kept.push(doc_id);
            }
        }
        self.report.rejected.extend(response.rejected);
        self.report.revoked.extend(revoked);
        self.phase = match response.status {
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
    /// only when the hub holds all its changes to it: nothing moved since the last agreement, or
    /// this request offered exactly what the device holds and the hub refused none of it.
    fn droppable(
        &self,
        store: &Store,
        revoked: Vec<String>,
        rejected: &[Rejection],
        assignment: Option<&(Role, Vec<String>)>,
    ) -> Result<(Vec<String>, Vec<String>)> {
        let as_set = |heads: &[ChangeHash]| heads.iter().copied().collect::<BTreeSet<_>>();
        let mut drop = Vec::new();
        let mut keep = Vec::new();
        for doc_id in revoked {
            let in_scope = match assignment {
                Some((role, scopes)) => Store::may_hold_as(*role, scopes, &doc_id),
                None => store.may_hold(&doc_id),
            };
            let settled = in_scope
                || match peer::local_heads(store, &doc_id)? {
                    None => true,
                    Some(local) => {
                        let local = as_set(&local);
                        let agreed = peer::synced_heads(store, &self.hub_id, &doc_id)?.unwrap_or_default();
                        let delivered = self.offered.get(&doc_id).is_some_and(|h| as_set(h) == local) && !rejected.iter().any(|r| r.doc_id == doc_id);
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
        replies: Vec<super::frames::DocReply>,
        revoked: &[String],
        assignment: Option<(Role, Vec<String>)>,
    ) -> Result<ImportReport> {
        for doc_id in revoked {
            store.drop_doc(doc_id)?;
        }
        for reply in replies.iter().filter(|r| r.replace) {
            store.drop_doc(&reply.doc_id)?;
        }
        let agreed: Vec<(String, Vec<ChangeHash>)> = replies.iter().map(|r| (r.doc_id.clone(), r.hub_heads.clone())).collect();
        let incoming = replies.into_iter().filter(|r| !r.payload.is_empty()).map(|r| (r.doc_id, r.payload)).collect();
        let hub_id = self.hub_id.clone();
        let profile = &store.device.profile;
        let reassigned = assignment.filter(|(role, scopes)| (*role, scopes) != (profile.role, &profile.scopes));
        let device_id = store.device.device_id.clone();
        let report = store.merge_documents(incoming, "sync", |tx| {
            for (doc_id, heads) in &agreed {
                peer::record_synced(tx, &hub_id, doc_id, heads)?;
            }
            if let Some((role, scopes)) = &reassigned {
                write_meta(tx, "role", role.as_str())?;
                write_meta(tx, "scopes", &scopes.join(","))?;
                audit::append(tx, Utc::now().timestamp_millis(), &device_id, "reassigned", None)?;
            }
            Ok(())
        })?;
        if let Some((role, scopes)) = reassigned {
            (store.device.profile.role, store.device.profile.scopes) = (role, scopes);
        }
        Ok(report)
    }

    fn finish(&mut self) {
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

/// The hub's assignment with its role parsed (an unknown role is refused, as at enrolment).
fn parse_assignment(a: &Assignment) -> Result<(Role, Vec<String>)> {
    let role = Role::parse(&a.role).ok_or_else(|| Error::Protocol(format!("the hub assigned an unknown role {:?}", a.role)))?;
    Ok((role, a.scopes.clone()))
}
