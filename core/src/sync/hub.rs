//! The hub side of sync, sans-IO: enrolment and sync requests in, responses out. The HTTP
//! server in `suhbat-hub` only moves bytes to and from these methods.

mod enrol;
mod grants;
mod seal;

pub(crate) use grants::Grant;

pub use enrol::{LOCKOUT_WINDOW_MS, MAX_FAILED_ATTEMPTS};

use super::frames::{Assignment, DocReply, Rejection, RejectionKind, SignedRequest, Status, SyncRequest, SyncResponse};
use super::peer::{decode_heads, digest};
use super::validate::{check_offer, Verdict};
use crate::access;
use crate::device::{DeviceProfile, Role};
use crate::doc::BucketId;
use crate::error::{Error, Result};
use crate::model::Audience;
use crate::security::{verify, KeyProvider};
use crate::store::{encode_heads, signatures, ChangeSignature, DocPayload, Store};
use automerge::ChangeHash;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

/// How far a device clock may be off the hub's.
const MAX_CLOCK_SKEW_MS: i64 = 24 * 3600 * 1000;

/// An enrolled device, as the hub's registry knows it.
#[derive(Clone, Debug)]
pub(crate) struct DeviceRow {
    pub device_id: String,
    /// `None` for a role this build does not know: such a device may read and write nothing.
    pub role: Option<Role>,
    pub scopes: Vec<String>,
    pub public_key: Vec<u8>,
    pub revoked: bool,
    /// The hub itself (author of the registry's final numbers).
    pub is_hub: bool,
    /// The roles and scopes it held before, for its changes made then.
    pub grants: Vec<grants::Grant>,
}

impl DeviceRow {
    /// Whether this device may receive `bucket`.
    pub fn may_read(&self, bucket: &BucketId) -> bool {
        self.role.is_some_and(|role| access::may_read(role, &self.scopes, bucket))
    }

    /// Whether this device may change `bucket`.
    pub fn may_write(&self, bucket: &BucketId) -> bool {
        self.role.is_some_and(|role| access::may_write(role, &self.scopes, bucket))
    }

    /// The role's text form, or `unknown`.
    pub fn role_name(&self) -> &'static str {
        self.role.map_or("unknown", Role::as_str)
    }

    /// The role and scopes it holds now, as the sync answer tells the device.
    fn assignment(&self) -> Assignment {
        Assignment { role: self.role_name().to_string(), scopes: self.scopes.clone() }
    }
}

/// A device in the hub's registry (for supervisors and the CLI).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EnrolledDevice {
    /// Device id.
    pub device_id: String,
    /// The person using it.
    pub person: String,
    /// Their role.
    pub role: String,
    /// Their scopes.
    pub scopes: Vec<String>,
    /// Refused from now on.
    pub revoked: bool,
    /// Last successful sync (ms since epoch).
    pub last_sync: Option<i64>,
}

/// Something a supervisor should look at (e.g. a cloned install).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HubAlert {
    /// When (ms since epoch).
    pub at: i64,
    /// Device involved.
    pub device_id: String,
    /// Kind, e.g. `duplicate-actor`.
    pub kind: String,
    /// Details.
    pub detail: String,
}

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

/// The base-point hub: a store holding every bucket, plus the device registry.
pub struct Hub {
    store: Store,
    now: fn() -> DateTime<Utc>,
}

fn same_heads(a: &[ChangeHash], b: &[ChangeHash]) -> bool {
    a.iter().collect::<BTreeSet<_>>() == b.iter().collect::<BTreeSet<_>>()
}

impl Hub {
    /// Opens the hub's store at `path`, creating it on first start.
    pub fn open(path: impl AsRef<Path>, keys: &dyn KeyProvider) -> Result<Hub> {
        let path = path.as_ref();
        let store = if path.exists() {
            Store::open(path, keys)?
        } else {
            let profile = DeviceProfile { person: "hub".into(), role: Role::Supervisor, scopes: vec![access::ALL_SCOPES.into()] };
            Store::create(path, keys, profile)?
        };
        Ok(Hub { store, now: Utc::now })
    }

    /// The hub's id (devices check that answers come from the hub they enrolled with).
    pub fn hub_id(&self) -> &str {
        &self.store.device().device_id
    }

    /// The hub's document store (read access for dashboards and tests).
    pub fn store(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Replaces the clock (tests of expiry and skew).
    pub fn set_clock(&mut self, now: fn() -> DateTime<Utc>) {
        self.now = now;
    }

    fn device(&self, device_id: &str) -> Result<Option<DeviceRow>> {
        let row = self
            .store
            .conn
            .query_row("SELECT device_id, role, scopes, public_key, revoked_at IS NOT NULL FROM hub_device WHERE device_id = ?1", [device_id], device_row)
            .optional()?;
        row.map(|row| grants::with_grants(&self.store.conn, row)).transpose()
    }

    /// The enrolled devices of these actors (hex), looked up one by one: the cost follows the
    /// request, not the number of devices enrolled.
    fn authors<'a>(&self, actors: impl IntoIterator<Item = &'a str>) -> Result<HashMap<String, DeviceRow>> {
        let mut stmt = self.store.conn.prepare_cached(
            "SELECT d.device_id, d.role, d.scopes, d.public_key, d.revoked_at IS NOT NULL
             FROM hub_actor a JOIN hub_device d ON d.device_id = a.device_id WHERE a.actor = ?1",
        )?;
        let mut out = HashMap::new();
        for actor in actors {
            if actor == self.store.device().actor {
                out.insert(actor.to_string(), self.own_row());
            } else if let Some(row) = stmt.query_row([actor], device_row).optional()? {
                out.insert(actor.to_string(), grants::with_grants(&self.store.conn, row)?);
            }
        }
        Ok(out)
    }

    /// The hub as the author of its own changes (final registry numbers): a device that
    /// received them offers them again to a hub restored from a backup.
    fn own_row(&self) -> DeviceRow {
        DeviceRow {
            device_id: self.hub_id().to_string(),
            role: Some(Role::Supervisor),
            scopes: vec![access::ALL_SCOPES.into()],
            public_key: self.store.public_key().to_vec(),
            revoked: false,
            is_hub: true,
            grants: vec![],
        }
    }

    /// Revokes a device: it is refused from now on and told to wipe. Returns whether it existed.
    pub fn revoke(&mut self, device_id: &str) -> Result<bool> {
        let now = (self.now)().timestamp_millis();
        Ok(self.store.conn.execute("UPDATE hub_device SET revoked_at = ?2 WHERE device_id = ?1 AND revoked_at IS NULL", params![device_id, now])? > 0)
    }

    /// Every enrolled device.
    pub fn devices(&self) -> Result<Vec<EnrolledDevice>> {
        let mut stmt =
            self.store.conn.prepare("SELECT device_id, person, role, scopes, revoked_at IS NOT NULL, last_sync FROM hub_device ORDER BY enrolled_at")?;
        let rows = stmt
            .query_map([], |r| {
                let scopes: String = r.get(3)?;
                Ok(EnrolledDevice {
                    device_id: r.get(0)?,
                    person: r.get(1)?,
                    role: r.get(2)?,
                    scopes: grants::split_scopes(&scopes),
                    revoked: r.get(4)?,
                    last_sync: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Alerts raised (duplicate actors, …), newest first.
    pub fn alerts(&self) -> Result<Vec<HubAlert>> {
        let mut stmt = self.store.conn.prepare("SELECT at, device_id, kind, detail FROM hub_alert ORDER BY seq DESC")?;
        let rows = stmt
            .query_map([], |r| Ok(HubAlert { at: r.get(0)?, device_id: r.get(1)?, kind: r.get(2)?, detail: r.get(3)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Answers a sync request (bytes in, bytes out; never panics on bad input).
    pub fn handle_sync(&mut self, bytes: &[u8]) -> Vec<u8> {
        let hub_id = self.hub_id().to_string();
        let response = match self.sync(bytes) {
            Ok(response) => response,
            Err(Error::Refused { code, message, wipe }) => SyncResponse::refused(&hub_id, &code, message, wipe),
            Err(e @ Error::Malformed(_)) => SyncResponse::refused(&hub_id, "malformed", e.to_string(), false),
            Err(e) => SyncResponse::refused(&hub_id, "hub-error", e.to_string(), false),
        };
        self.seal(response, bytes)
    }

    fn sync(&mut self, bytes: &[u8]) -> Result<SyncResponse> {
        // Who sent it is settled from the small header and the signature; only then are the
        // offered changes decoded (each size-checked before Automerge sees it).
        let signed = SyncRequest::open_signed(bytes)?;
        let now = (self.now)().timestamp_millis();
        let device = self.authenticate(&signed, now)?;
        let request = signed.decode_body()?;
        self.register_actor(&device, &request.actor, now)?;
        let outcome = self.apply_offers(&device, &request)?;
        self.alert_duplicates(&device, &outcome.rejected, now)?;
        let hub_id = self.hub_id().to_string();

        // If the hub's record of what the device has does not match, ask for a summary.
        let recorded = self.recorded(&device.device_id)?;
        let recorded_digest = digest(recorded.iter().map(|(d, h)| (d.as_str(), h.as_slice())));
        if !request.full && recorded_digest != request.digest {
            // Documents with refused changes are sent back even so: the device rebuilds them
            // and replays its work before it sends the summary.
            let replies = self.replacements(&device, &outcome)?;
            let signatures = self.signatures_for(&replies)?;
            self.remember(&device.device_id, &request.nonce, &replies, &[], now)?;
            return Ok(SyncResponse {
                hub_id,
                status: Status::NeedSummary,
                refusal: None,
                replies,
                revoked: vec![],
                rejected: outcome.rejected,
                signatures,
                assignment: Some(device.assignment()),
                nonce: request.nonce,
                authors: vec![],
            });
        }
        let (replies, revoked) = self.answer(&device, &request, &outcome, &recorded)?;
        self.remember(&device.device_id, &request.nonce, &replies, &revoked, now)?;
        let status = if replies.iter().any(|r| r.want_since.is_some()) { Status::NeedChanges } else { Status::Done };
        let signatures = self.signatures_for(&replies)?;
        Ok(SyncResponse {
            hub_id,
            status,
            refusal: None,
            replies,
            revoked,
            rejected: outcome.rejected,
            signatures,
            assignment: Some(device.assignment()),
            nonce: request.nonce,
            authors: vec![],
        })
    }

    /// The known signatures of every change the replies deliver (for a snapshot, of every
    /// change of the document).
    fn signatures_for(&mut self, replies: &[DocReply]) -> Result<Vec<ChangeSignature>> {
        let mut hashes = Vec::new();
        for reply in replies.iter().filter(|r| !r.payload.is_empty()) {
            hashes.extend(reply.payload.change_hashes(&self.store.bucket(&reply.doc_id)?.doc));
        }
        signatures::lookup(&self.store.conn, hashes)
    }

    /// Checks that the request comes, fresh, from an enrolled and active device. The signature
    /// is checked before anything else is told: an unknown device and a bad signature get the
    /// same answer, and only the key's holder learns that its device was revoked.
    fn authenticate(&self, request: &SignedRequest<'_>, now: i64) -> Result<DeviceRow> {
        let refuse = |code: &str, message: &str, wipe: bool| Error::Refused { code: code.into(), message: message.into(), wipe };
        let header = &request.header;
        let not_authenticated =
            || refuse("not-authenticated", "this request could not be authenticated: the device is not enrolled here, or its key does not match", false);
        let device = self.device(&header.device_id)?.ok_or_else(not_authenticated)?;
        if !verify(&device.public_key, request.signed, &request.signature) {
            return Err(not_authenticated());
        }
        if device.revoked {
            return Err(refuse("revoked", "this device was revoked; its data must be wiped", true));
        }
        if now.checked_sub(header.sent_at).is_none_or(|skew| skew.checked_abs().is_none_or(|skew| skew > MAX_CLOCK_SKEW_MS)) {
            return Err(refuse("clock-skew", "the device clock is more than a day off; set the time and retry", false));
        }
        if self.nonce_seen(&device.device_id, &header.nonce)? {
            return Err(refuse("replay", "this request was already received", false));
        }
        Ok(device)
    }

    /// Registers the actor a device writes with now (a fresh one after a clone or restore was
    /// found). An actor registered to another device is refused, with an alert.
    fn register_actor(&self, device: &DeviceRow, actor: &str, now: i64) -> Result<()> {
        if hex::decode(actor).map(|a| a.len() != 16).unwrap_or(true) {
            return Err(Error::Refused { code: "malformed".into(), message: "the actor id is not well formed".into(), wipe: false });
        }
        let owner: Option<String> = self.store.conn.query_row("SELECT device_id FROM hub_actor WHERE actor = ?1", [actor], |r| r.get(0)).optional()?;
        match owner {
            Some(owner) if owner == device.device_id => Ok(()),
            Some(owner) => {
                let detail = format!("device {} writes with actor {actor}, which belongs to device {owner} (cloned install?)", device.device_id);
                self.store.conn.execute(
                    "INSERT INTO hub_alert (at, device_id, kind, detail) VALUES (?1, ?2, 'duplicate-actor', ?3)",
                    params![now, device.device_id, detail],
                )?;
                Err(Error::Refused {
                    code: "duplicate-actor".into(),
                    message: "this install's actor id belongs to another device; reinstall the app".into(),
                    wipe: false,
                })
            }
            None => {
                self.store.conn.execute("INSERT INTO hub_actor (actor, device_id) VALUES (?1, ?2)", params![actor, device.device_id])?;
                Ok(())
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
            self.store
                .conn
                .execute("INSERT INTO hub_alert (at, device_id, kind, detail) VALUES (?1, ?2, 'cloned-install', ?3)", params![now, device.device_id, detail])?;
        }
        Ok(())
    }

    /// Checks every offered document and stores the changes that pass, in one transaction.
    fn apply_offers(&mut self, device: &DeviceRow, request: &SyncRequest) -> Result<OfferOutcome> {
        let actors: BTreeSet<String> = request.offers.iter().flat_map(|o| o.changes.iter().map(|c| crate::doc::base_actor_hex(c.actor_id()))).collect();
        let authors = self.authors(actors.iter().map(String::as_str))?;
        let sigs: HashMap<ChangeHash, ChangeSignature> = request.signatures.iter().map(|s| (s.hash, s.clone())).collect();
        let existing = self.store.doc_heads()?;
        let max_records = self.store.max_records_per_bucket();
        let mut outcome = OfferOutcome::default();
        let mut accepted = Vec::new();
        for offer in &request.offers {
            let bucket = if existing.contains_key(&offer.doc_id) { Some(&*self.store.bucket(&offer.doc_id)?) } else { None };
            match check_offer(max_records, device, bucket, offer, &sigs, &|actor| authors.get(actor).cloned()) {
                Verdict::Known => {}
                Verdict::Checked { accept, refused } => {
                    if !accept.is_empty() {
                        accepted.push((offer.doc_id.clone(), DocPayload::Changes(accept)));
                    }
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
        if !accepted.is_empty() {
            let register_docs: Vec<String> = accepted
                .iter()
                .filter(|(doc_id, _)| BucketId::parse(doc_id).is_some_and(|b| b.audience == Audience::Register))
                .map(|(d, _)| d.clone())
                .collect();
            // Only the signatures of accepted changes are kept: each was verified against its
            // author's key on the way in; anything else in the request is never stored.
            let accepted_hashes: HashSet<ChangeHash> = accepted
                .iter()
                .flat_map(|(_, payload)| match payload {
                    DocPayload::Changes(c) => c.iter().map(automerge::Change::hash).collect(),
                    DocPayload::Snapshot(_) => vec![],
                })
                .collect();
            let verified: Vec<ChangeSignature> = request.signatures.iter().filter(|s| accepted_hashes.contains(&s.hash)).cloned().collect();
            self.store.merge_documents(accepted, &format!("sync:{}", device.device_id), |tx| signatures::store(tx, &verified))?;
            // Applications that arrived without a final registry number get one now; the
            // answer below carries the numbers back to the device.
            self.store.assign_final_numbers(&register_docs)?;
        }
        Ok(outcome)
    }

    /// The hub's copy of every readable document with refused changes, for the device to
    /// rebuild from.
    fn replacements(&mut self, device: &DeviceRow, outcome: &OfferOutcome) -> Result<Vec<DocReply>> {
        let heads_now = self.store.doc_heads()?;
        let mut replies = Vec::new();
        for doc_id in &outcome.replace {
            if !BucketId::parse(doc_id).is_some_and(|b| device.may_read(&b)) {
                continue;
            }
            let (payload, hub_heads) = match heads_now.get(doc_id) {
                Some(heads) => (DocPayload::Snapshot(self.store.bucket(doc_id)?.doc.save()), decode_heads(heads)?),
                None => (DocPayload::Changes(vec![]), vec![]),
            };
            replies.push(DocReply { doc_id: doc_id.clone(), replace: true, payload, hub_heads, want_since: None });
        }
        Ok(replies)
    }

    /// What the device lacks, per document it may read; and the documents it must drop.
    fn answer(
        &mut self,
        device: &DeviceRow,
        request: &SyncRequest,
        outcome: &OfferOutcome,
        recorded: &BTreeMap<String, Vec<u8>>,
    ) -> Result<(Vec<DocReply>, Vec<String>)> {
        let heads_now = self.store.doc_heads()?;
        let offered: BTreeMap<&str, &[ChangeHash]> = request.offers.iter().map(|o| (o.doc_id.as_str(), o.heads.as_slice())).collect();
        let readable = |doc_id: &str| BucketId::parse(doc_id).is_some_and(|b| device.may_read(&b));
        let mut replies = Vec::new();
        let mut revoked = Vec::new();
        let candidates: BTreeSet<&str> =
            heads_now.keys().map(String::as_str).chain(offered.keys().copied()).chain(recorded.keys().map(String::as_str)).collect();
        for doc_id in candidates {
            let exists = heads_now.contains_key(doc_id);
            // The device holds a document the hub lacks entirely (a hub restored from an old
            // backup): ask for all of it rather than telling the device to delete it.
            let lost_by_hub = !exists && !outcome.replace.contains(doc_id) && offered.get(doc_id).is_some_and(|heads| !heads.is_empty());
            let wanted = outcome.want.contains(doc_id) || lost_by_hub;
            if !readable(doc_id) || (!exists && !wanted) {
                let held = offered.contains_key(doc_id) || recorded.contains_key(doc_id);
                // A document leaving the device's scope goes only once the hub holds all its work in it.
                let leaves_with_work = !readable(doc_id) && !self.holds_all_of(doc_id, exists, outcome, offered.get(doc_id).copied())?;
                if held && !leaves_with_work {
                    revoked.push(doc_id.to_string());
                }
                continue;
            }
            let hub_heads = heads_now.get(doc_id).map(|h| decode_heads(h)).transpose()?.unwrap_or_default();
            let bucket = if exists { Some(&*self.store.bucket(doc_id)?) } else { None };
            let known = |heads: &[ChangeHash]| -> Vec<ChangeHash> {
                heads.iter().filter(|h| bucket.is_some_and(|b| b.doc.get_change_meta_by_hash(h).is_some())).copied().collect()
            };
            let has = match offered.get(doc_id) {
                Some(heads) => known(heads),
                None if request.full => vec![],
                None => recorded.get(doc_id).map(|h| decode_heads(h)).transpose()?.unwrap_or_default(),
            };
            let lacks_device_changes = offered.get(doc_id).is_some_and(|heads| known(heads).len() < heads.len());
            let is_replaced = outcome.replace.contains(doc_id);
            if !offered.contains_key(doc_id) && !is_replaced && same_heads(&has, &hub_heads) {
                continue;
            }
            let payload = match bucket {
                Some(b) if is_replaced || has.is_empty() => {
                    if hub_heads.is_empty() {
                        DocPayload::Changes(vec![])
                    } else {
                        DocPayload::Snapshot(b.doc.save())
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
    fn holds_all_of(&mut self, doc_id: &str, exists: bool, outcome: &OfferOutcome, offered: Option<&[ChangeHash]>) -> Result<bool> {
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
        if !exists {
            return Ok(false);
        }
        let bucket = self.store.bucket(doc_id)?;
        Ok(heads.iter().all(|h| bucket.doc.get_change_meta_by_hash(h).is_some()))
    }

    /// Records, in one transaction, what the device will have after this answer, the
    /// request's nonce and the time of the sync.
    fn remember(&self, device_id: &str, nonce: &[u8; 16], replies: &[DocReply], revoked: &[String], now: i64) -> Result<()> {
        let tx = self.store.conn.unchecked_transaction()?;
        record_nonce(&tx, device_id, nonce, now)?;
        for reply in replies {
            tx.execute(
                "INSERT INTO hub_peer_doc (device_id, doc_id, heads) VALUES (?1, ?2, ?3)
                 ON CONFLICT(device_id, doc_id) DO UPDATE SET heads = excluded.heads",
                params![device_id, reply.doc_id, encode_heads(&reply.hub_heads)],
            )?;
        }
        for doc_id in revoked {
            tx.execute("DELETE FROM hub_peer_doc WHERE device_id = ?1 AND doc_id = ?2", params![device_id, doc_id])?;
        }
        tx.execute("UPDATE hub_device SET last_sync = ?2 WHERE device_id = ?1", params![device_id, now])?;
        tx.commit()?;
        Ok(())
    }

    fn recorded(&self, device_id: &str) -> Result<BTreeMap<String, Vec<u8>>> {
        let mut stmt = self.store.conn.prepare_cached("SELECT doc_id, heads FROM hub_peer_doc WHERE device_id = ?1")?;
        let rows = stmt.query_map([device_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
        Ok(rows)
    }

    /// Whether a request nonce of this device was already answered.
    fn nonce_seen(&self, device_id: &str, nonce: &[u8; 16]) -> Result<bool> {
        let seen = self
            .store
            .conn
            .query_row("SELECT 1 FROM hub_nonce WHERE device_id = ?1 AND nonce = ?2", params![device_id, nonce.as_slice()], |_| Ok(()))
            .optional()?;
        Ok(seen.is_some())
    }
}

/// Records an answered request's nonce (and prunes ones older than the clock-skew window).
fn record_nonce(conn: &rusqlite::Connection, device_id: &str, nonce: &[u8; 16], now: i64) -> Result<()> {
    conn.execute("DELETE FROM hub_nonce WHERE device_id = ?1 AND seen_at < ?2", params![device_id, now - 2 * MAX_CLOCK_SKEW_MS])?;
    conn.execute("INSERT OR IGNORE INTO hub_nonce (device_id, nonce, seen_at) VALUES (?1, ?2, ?3)", params![device_id, nonce.as_slice(), now])?;
    Ok(())
}

/// Reads (device_id, role, scopes, public_key, revoked) columns.
fn device_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceRow> {
    let role: String = r.get(1)?;
    let scopes: String = r.get(2)?;
    Ok(DeviceRow {
        device_id: r.get(0)?,
        role: Role::parse(&role),
        scopes: grants::split_scopes(&scopes),
        public_key: r.get(3)?,
        revoked: r.get(4)?,
        is_hub: false,
        grants: vec![],
    })
}
