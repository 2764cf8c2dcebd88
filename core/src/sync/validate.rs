//! The hub's checks on the changes a device offers: authorship (actor, signature), the right
//! to write the bucket, and what the changes do to the records. Each change gets its own
//! verdict, in causal order: a change that breaks a rule is refused, so is every change that
//! builds on a refused one (it cannot be applied without it), and the rest are accepted. The
//! device is told which is which, so it keeps the refused work aside and re-applies the rest
//! (design §10): nothing legitimate is lost because a neighbour in the same document was bad.

use super::hub::DeviceRow;
use crate::access;
use crate::device::Role;
use crate::doc::{Bucket, BucketId, RawRecord, FIELDS_KEY};
use crate::ids::RecordId;
use crate::model::{
    may_escalate, may_take_step, numbered_field_changed, oversized_texts, stage_move_rule, Application, CaseStatus, Escalation, LegalBasis, ParentCase,
    Programme, Record, RecordKind, Referral, ReferralState, StageChange, TrainingSession, MAX_TEXT_BYTES,
};
use crate::security::verify_change;
use crate::wire::frames::{DocOffer, Rejection, RejectionKind};
use crate::wire::ChangeSignature;
use automerge::{ActorId, Automerge, Change, ChangeHash, ObjId, PatchAction, Prop, ReadDoc, ROOT};
use std::collections::{BTreeSet, HashMap, HashSet};

/// The field of an application that holds its final registry number.
const FINAL_NUMBER: &str = "final_number";

/// The hub's verdict on one document's offer.
pub(crate) enum Verdict {
    /// Nothing new in it.
    Known,
    /// Each new change checked: these may be applied, those are refused (maybe none).
    Checked { accept: Vec<Change>, refused: Vec<Rejection> },
    /// The hub lacks the changes these build on; ask for everything since its heads.
    MissingBase,
}

/// A refused change: the rejection sent to the device.
fn reject(doc_id: &str, change: ChangeHash, kind: RejectionKind, record: Option<String>, reason: String) -> Rejection {
    Rejection { doc_id: doc_id.to_string(), change: Some(hex::encode(change.0)), record, kind, reason }
}

/// What the author checks read of a change: who made it, its number, hash and time.
pub(crate) struct ChangeHeader {
    hash: ChangeHash,
    actor: ActorId,
    seq: u64,
    timestamp: i64,
}

impl From<&Change> for ChangeHeader {
    fn from(change: &Change) -> Self {
        ChangeHeader { hash: change.hash(), actor: change.actor_id().clone(), seq: change.seq(), timestamp: change.timestamp() }
    }
}

impl ChangeHeader {
    /// The headers of every change of `doc`, read from its change graph (no change is encoded).
    pub(crate) fn all_of(doc: &Automerge) -> Vec<ChangeHeader> {
        doc.get_changes_meta(&[]).into_iter().map(|m| ChangeHeader { hash: m.hash, actor: m.actor.into_owned(), seq: m.seq, timestamp: m.timestamp }).collect()
    }

    /// The change's actor.
    pub(crate) fn actor(&self) -> &ActorId {
        &self.actor
    }
}

/// Why a set of changes may not be applied: the reason and the record it is about.
type Breach = (String, Option<String>);

/// Checks one offer. `author_of` maps an actor (hex) to its enrolled device; `max_records` is
/// the most records the document may hold after the offer. A snapshot of a document the
/// replica lacks is checked first by [`check_new_snapshot`], which needs no change encoded.
pub(crate) fn check_offer(
    max_records: usize,
    device: &DeviceRow,
    bucket: Option<&Bucket>,
    offer: &DocOffer,
    signatures: &HashMap<ChangeHash, ChangeSignature>,
    author_of: &dyn Fn(&str) -> Option<DeviceRow>,
) -> Verdict {
    let doc_id = offer.doc_id.as_str();
    let known = |hash: &ChangeHash| bucket.is_some_and(|b| b.doc.get_change_meta_by_hash(hash).is_some());
    let mut seen = HashSet::new();
    let new: Vec<&Change> = offer.changes.iter().filter(|c| !known(&c.hash()) && seen.insert(c.hash())).collect();
    if new.is_empty() {
        return Verdict::Known;
    }
    let Some(bucket_id) = BucketId::parse(doc_id) else {
        let refused = new.iter().map(|c| reject(doc_id, c.hash(), RejectionKind::Refused, None, format!("{doc_id:?} is not a bucket id"))).collect();
        return Verdict::Checked { accept: vec![], refused };
    };
    if new.iter().any(|c| c.deps().iter().any(|d| !known(d) && !seen.contains(d))) {
        return Verdict::MissingBase;
    }
    let Some(order) = causal_order(&new) else {
        return Verdict::MissingBase;
    };
    let numbered = numbered_changes(bucket, &new);
    let mut refused: HashMap<ChangeHash, Rejection> = HashMap::new();
    let mut passed: Vec<Passed> = Vec::new();
    for change in order {
        if let Some(rejection) = follows_refused(doc_id, change, &refused) {
            refused.insert(change.hash(), rejection);
            continue;
        }
        match check_author(device, &bucket_id, doc_id, &ChangeHeader::from(change), signatures, author_of, &numbered) {
            Ok((role, is_hub)) => passed.push((change, role, is_hub)),
            Err(rejection) => {
                refused.insert(change.hash(), *rejection);
            }
        }
    }
    let authors = Authors::of(passed.iter());
    let candidates: Vec<Change> = passed.iter().map(|(c, _, _)| (*c).clone()).collect();
    let accept = match check_contents(bucket, &bucket_id, &candidates, max_records, &authors) {
        Ok(_) => candidates,
        // Something breaks a rule: find which change, one by one in causal order.
        Err(_) => one_by_one(bucket, &bucket_id, doc_id, &passed, max_records, &mut refused),
    };
    let mut refused: Vec<Rejection> = refused.into_values().collect();
    refused.sort_by(|a, b| (&a.change, &a.reason).cmp(&(&b.change, &b.reason)));
    Verdict::Checked { accept, refused }
}

/// [`check_offer`]'s quick path for a snapshot of a document this replica lacks (first
/// provisioning): every change's author passes and the document `doc` (the snapshot, loaded)
/// passes the record checks. Reads only the changes' headers, never encodes a change. Returns
/// the document with the records the checks read, or `None` when anything fails: the caller
/// then checks with [`check_offer`], which says which change fails and why.
pub(crate) fn check_new_snapshot(
    max_records: usize,
    device: &DeviceRow,
    doc_id: &str,
    doc: Automerge,
    headers: &[ChangeHeader],
    signatures: &HashMap<ChangeHash, ChangeSignature>,
    author_of: &dyn Fn(&str) -> Option<DeviceRow>,
) -> Option<(Automerge, HashMap<String, RawRecord>)> {
    let bucket_id = BucketId::parse(doc_id)?;
    let mut authors = Authors { roles: BTreeSet::new(), hub_actors: BTreeSet::new() };
    let mut actors = BTreeSet::new();
    for header in headers {
        let (role, is_hub) = check_author(device, &bucket_id, doc_id, header, signatures, author_of, &HashMap::new()).ok()?;
        let actor = crate::doc::base_actor_hex(&header.actor);
        if is_hub {
            authors.hub_actors.insert(actor.clone());
        } else {
            authors.roles.extend(role);
        }
        actors.insert(actor);
    }
    let checked = check_document(None, &bucket_id, doc, &actors, max_records, &authors).ok()?;
    Some((checked.bucket.doc, checked.records.into_iter().filter_map(|(id, record)| Some((id, record?))).collect()))
}

/// A change whose author passed the checks, with the author's role and whether it is the hub.
type Passed<'a> = (&'a Change, Option<Role>, bool);

/// Who wrote a set of changes: the roles of the devices, and the hub's own actors (its
/// registry numbers come back from devices after a hub restore).
struct Authors {
    roles: BTreeSet<Role>,
    hub_actors: BTreeSet<String>,
}

impl Authors {
    fn of<'a, 'b: 'a>(passed: impl Iterator<Item = &'a Passed<'b>>) -> Authors {
        let mut authors = Authors { roles: BTreeSet::new(), hub_actors: BTreeSet::new() };
        for (change, role, is_hub) in passed {
            if *is_hub {
                authors.hub_actors.insert(crate::doc::base_actor_hex(change.actor_id()));
            } else {
                authors.roles.extend(*role);
            }
        }
        authors
    }
}

/// The new changes sorted so each comes after the ones it depends on; `None` for a cycle.
fn causal_order<'a>(new: &[&'a Change]) -> Option<Vec<&'a Change>> {
    let hashes: HashSet<ChangeHash> = new.iter().map(|c| c.hash()).collect();
    let mut placed: HashSet<ChangeHash> = HashSet::new();
    let mut order = Vec::with_capacity(new.len());
    let mut rest: Vec<&Change> = new.to_vec();
    rest.sort_by_key(|c| (c.actor_id().to_hex_string(), c.seq()));
    while !rest.is_empty() {
        let before = rest.len();
        rest.retain(|c| {
            let ready = c.deps().iter().all(|d| !hashes.contains(d) || placed.contains(d));
            if ready {
                placed.insert(c.hash());
                order.push(*c);
            }
            !ready
        });
        if rest.len() == before {
            return None;
        }
    }
    Some(order)
}

/// The hashes the hub holds for each (actor, sequence number) of the actors in `new`.
fn numbered_changes(bucket: Option<&Bucket>, new: &[&Change]) -> HashMap<(ActorId, u64), ChangeHash> {
    let actors: HashSet<&ActorId> = new.iter().map(|c| c.actor_id()).collect();
    let Some(bucket) = bucket else { return HashMap::new() };
    bucket.doc.get_changes_meta(&[]).into_iter().filter(|m| actors.contains(m.actor.as_ref())).map(|m| ((m.actor.into_owned(), m.seq), m.hash)).collect()
}

/// A refusal when the change builds on a refused change (directly or through others: changes
/// are checked in causal order, and an actor's earlier change is always among the ancestors).
fn follows_refused(doc_id: &str, change: &Change, refused: &HashMap<ChangeHash, Rejection>) -> Option<Rejection> {
    let dep = change.deps().iter().find(|d| refused.contains_key(d))?;
    Some(reject(doc_id, change.hash(), RejectionKind::FollowsRefused, None, format!("builds on change {}, which was refused", &hex::encode(dep.0)[..12])))
}

/// Checks who made a change and whether they may: an enrolled, active author who signed it and
/// may write the bucket, and no other change with the same author and number. Returns the
/// author's role and whether the author is the hub itself.
fn check_author(
    device: &DeviceRow,
    bucket_id: &BucketId,
    doc_id: &str,
    change: &ChangeHeader,
    signatures: &HashMap<ChangeHash, ChangeSignature>,
    author_of: &dyn Fn(&str) -> Option<DeviceRow>,
    numbered: &HashMap<(ActorId, u64), ChangeHash>,
) -> Result<(Option<Role>, bool), Box<Rejection>> {
    let refuse = |kind: RejectionKind, reason: String| Box::new(reject(doc_id, change.hash, kind, None, reason));
    let actor = crate::doc::base_actor_hex(&change.actor);
    let short = &actor[..12.min(actor.len())];
    if numbered.get(&(change.actor.clone(), change.seq)).is_some_and(|hash| *hash != change.hash) {
        return Err(refuse(
            RejectionKind::DuplicateActor,
            format!("actor {short} already wrote another change number {} here: a cloned or restored install", change.seq),
        ));
    }
    // A device moved to another scope or role still delivers the work it did before.
    if !device.may_write_at(bucket_id, change.timestamp) {
        return Err(refuse(RejectionKind::Refused, format!("role {} with scope {} may not write {doc_id}", device.role_name(), device.scopes.join(","))));
    }
    let Some(author) = author_of(&actor) else {
        return Err(refuse(RejectionKind::Refused, format!("actor {short} is not registered to any device")));
    };
    match signatures.get(&change.hash) {
        None => {
            let reason = format!(
                "no signature known for this change (its actor belongs to device {}): altered on the way, or relayed without its signature",
                author.device_id
            );
            return Err(refuse(RejectionKind::Refused, reason));
        }
        Some(s) if s.device_id != author.device_id || !verify_change(&author.public_key, &change.hash.0, &s.signature) => {
            let reason = format!("signature does not verify for device {}, which its actor belongs to (forged or altered)", author.device_id);
            return Err(refuse(RejectionKind::Refused, reason));
        }
        Some(_) => {}
    }
    if author.revoked {
        return Err(refuse(RejectionKind::Refused, format!("author device {} is revoked", author.device_id)));
    }
    if !author.may_write_at(bucket_id, change.timestamp) {
        return Err(refuse(RejectionKind::Refused, format!("author device {} may not write {doc_id}", author.device_id)));
    }
    Ok((author.role, author.is_hub))
}

/// Checks the changes one at a time in causal order, keeping each that passes; returns the
/// accepted ones and records the refusals.
fn one_by_one(
    bucket: Option<&Bucket>,
    bucket_id: &BucketId,
    doc_id: &str,
    passed: &[Passed<'_>],
    max_records: usize,
    refused: &mut HashMap<ChangeHash, Rejection>,
) -> Vec<Change> {
    let mut state = Bucket { id: bucket_id.clone(), doc: bucket.map(|b| b.doc.fork()).unwrap_or_default() };
    let mut accepted = Vec::new();
    for passed_change in passed {
        let (change, _, _) = passed_change;
        if let Some(rejection) = follows_refused(doc_id, change, refused) {
            refused.insert(change.hash(), rejection);
            continue;
        }
        let authors = Authors::of(std::iter::once(passed_change));
        match check_contents(Some(&state), bucket_id, std::slice::from_ref(*change), max_records, &authors) {
            Ok(after) => {
                state = after.bucket;
                accepted.push((*change).clone());
            }
            Err((reason, record)) => {
                refused.insert(change.hash(), reject(doc_id, change.hash(), RejectionKind::Refused, record, reason));
            }
        }
    }
    accepted
}

/// Applies the changes to a copy of the document and checks what they did to it. Returns the
/// document after them, or the first broken rule.
/// A document that passed the checks, with the records they read (by id; `None`: unreadable).
struct CheckedDoc {
    bucket: Bucket,
    records: HashMap<String, Option<RawRecord>>,
}

fn check_contents(before: Option<&Bucket>, bucket_id: &BucketId, changes: &[Change], max_records: usize, authors: &Authors) -> Result<CheckedDoc, Breach> {
    let mut after = before.map(|b| b.doc.fork()).unwrap_or_default();
    let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| after.apply_changes(changes.to_vec())));
    if !matches!(applied, Ok(Ok(()))) {
        return Err(("the changes could not be applied".into(), None));
    }
    if !after.get_missing_deps(&[]).is_empty() {
        return Err(("the changes build on changes the hub does not have".into(), None));
    }
    check_document(before, bucket_id, after, &actors_of(changes), max_records, authors)
}

/// The base actors (hex) of the authors of `changes`.
fn actors_of(changes: &[Change]) -> BTreeSet<String> {
    changes.iter().map(|c| crate::doc::base_actor_hex(c.actor_id())).collect()
}

/// Checks what `after` (the document once the changes by `actors` are applied to `before`)
/// holds. Returns it as a bucket with the records read, or the first broken rule.
fn check_document(
    before: Option<&Bucket>,
    bucket_id: &BucketId,
    after: Automerge,
    actors: &BTreeSet<String>,
    max_records: usize,
    authors: &Authors,
) -> Result<CheckedDoc, Breach> {
    let touched = touched_keys(before, &after);
    let probe_after = Bucket { id: bucket_id.clone(), doc: after };
    if let Err(e) = probe_after.check_record_limit(before.map_or(0, Bucket::record_count), max_records) {
        return Err((e.to_string(), None));
    }
    if bucket_id.is_notes() {
        check_notes(&probe_after.doc, touched, actors)?;
        return Ok(CheckedDoc { bucket: probe_after, records: HashMap::new() });
    }
    let allowed = access::kinds_allowed(bucket_id.audience);
    // Many records (a new document, a large merge) are read in one pass over the document.
    let record_keys: BTreeSet<String> = touched.iter().filter(|k| !k.starts_with("@actor/") && RecordId::parse(k).is_some()).cloned().collect();
    let records: HashMap<String, Option<RawRecord>> = probe_after.read_raw_many(&record_keys).into_iter().collect();
    for key in touched {
        if !is_record_key(&key, actors)? {
            continue;
        }
        let breach = |reason: String| (reason, Some(key.clone()));
        let Some(Some(record)) = records.get(&key) else {
            return Err(breach(format!("record {key} was deleted or left without a kind")));
        };
        if !allowed.contains(&record.kind) {
            return Err(breach(format!("a {} record may not be stored in {}", record.kind, bucket_id)));
        }
        let old = before.and_then(|b| b.read_raw(&key));
        let rewrites_whole = old.is_some() && before.and_then(|b| b.whole_fields_op(&key)) != probe_after.whole_fields_op(&key);
        if rewrites_whole || record.conflicts.iter().any(|c| c.path == FIELDS_KEY) {
            return Err(breach(format!("record {key}: its fields written at creation ({FIELDS_KEY}) may not be written again")));
        }
        if let Some(old) = &old {
            if old.kind != record.kind {
                return Err(breach(format!("record {key} changed kind from {} to {}", old.kind, record.kind)));
            }
        }
        if let Some((field, len)) = oversized_texts(&record.value).into_iter().next() {
            return Err(breach(format!("record {key}: {field} holds {len} bytes, more than {MAX_TEXT_BYTES}")));
        }
        let numbered = record.kind == RecordKind::Application && numbered_by_hub(before, &probe_after.doc, &key, &authors.hub_actors);
        if let Err(reason) = check_record(bucket_id, old.as_ref(), record, &authors.roles, numbered) {
            return Err(breach(format!("record {key}: {reason}")));
        }
        // A value that loses a conflict today is one a user may pick tomorrow: each new one is
        // checked as if it had won.
        for (path, variant) in new_conflict_variants(old.as_ref(), record) {
            if let Some((field, len)) = oversized_texts(&variant.value).into_iter().next() {
                return Err(breach(format!("record {key}: a concurrent value of {path} puts {len} bytes in {field}, more than {MAX_TEXT_BYTES}")));
            }
            if let Err(reason) = check_record(bucket_id, old.as_ref(), &variant, &authors.roles, numbered) {
                return Err(breach(format!("record {key}: a concurrent value of {path}: {reason}")));
            }
        }
    }
    Ok(CheckedDoc { bucket: probe_after, records })
}

/// Checks a root key the changes wrote: the description of one of their authors (`false`:
/// nothing more to check) or a record id (`true`); anything else is refused.
fn is_record_key(key: &str, actors: &BTreeSet<String>) -> Result<bool, Breach> {
    if let Some(actor) = key.strip_prefix("@actor/") {
        return if actors.contains(actor) { Ok(false) } else { Err((format!("describes another actor ({key})"), None)) };
    }
    if RecordId::parse(key).is_none() {
        return Err((format!("writes a root key {key:?} that is not a record id"), None));
    }
    Ok(true)
}

/// The root keys the changes from `before` to `after` wrote.
fn touched_keys(before: Option<&Bucket>, after: &Automerge) -> BTreeSet<String> {
    let before_heads = before.map(Bucket::heads).unwrap_or_default();
    if before_heads.is_empty() {
        // A document new to this replica (first provisioning, a new bucket): every root key
        // is touched, and listing them is far cheaper than diffing every operation.
        return after.keys(ROOT).collect();
    }
    let mut touched = BTreeSet::new();
    for patch in after.diff(&before_heads, &after.get_heads()) {
        let key = match (patch.path.first(), &patch.action) {
            (Some((_, Prop::Map(key))), _) => key.clone(),
            (None, PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key }) => key.clone(),
            _ => continue,
        };
        touched.insert(key);
    }
    touched
}

/// A notes document (`doc/notes.rs`) holds, under each record id it was written at, one map
/// with nothing but notes fields, each a text of at most [`MAX_TEXT_BYTES`]. A record's map is
/// made once, by the record's creator: a second one made concurrently would hide the first's
/// notes, so it is refused (its author keeps it aside, shown).
fn check_notes(doc: &Automerge, mut touched: BTreeSet<String>, actors: &BTreeSet<String>) -> Result<(), Breach> {
    let notes_fields: BTreeSet<&str> = RecordKind::ALL.iter().flat_map(|k| k.notes_fields().iter().copied()).collect();
    // A map that loses to another made concurrently shows in no diff: look at every key.
    // (Authors' descriptions may hold concurrent values: an install describing itself twice.)
    // (A document new here has every key touched already.)
    let concurrent = |key: &String| !touched.contains(key) && !key.starts_with("@actor/") && doc.get_all(ROOT, key.as_str()).map_or(0, |all| all.len()) > 1;
    let hidden: Vec<String> = doc.keys(ROOT).filter(concurrent).collect();
    touched.extend(hidden);
    for key in touched {
        if !is_record_key(&key, actors)? {
            continue;
        }
        let breach = |reason: String| (reason, Some(key.clone()));
        let maps = doc.get_all(ROOT, key.as_str()).unwrap_or_default();
        let [(automerge::Value::Object(automerge::ObjType::Map), record)] = maps.as_slice() else {
            return Err(breach(format!("the notes of record {key} were removed, replaced or made twice")));
        };
        for field in doc.keys(record) {
            if !notes_fields.contains(field.as_str()) {
                return Err(breach(format!("record {key}: {field:?} is not a notes field")));
            }
            for (value, text) in doc.get_all(record, field.as_str()).unwrap_or_default() {
                if !matches!(value, automerge::Value::Object(automerge::ObjType::Text)) {
                    return Err(breach(format!("record {key}: {field} is not a text")));
                }
                let len = doc.text(&text).map(|t| t.len()).unwrap_or(0);
                if len > MAX_TEXT_BYTES {
                    return Err(breach(format!("record {key}: {field} holds {len} bytes, more than {MAX_TEXT_BYTES}")));
                }
            }
        }
    }
    Ok(())
}

/// The record as it would read with each conflict value the hub did not hold before in place
/// of the winner, with the path it differs at.
fn new_conflict_variants(old: Option<&RawRecord>, record: &RawRecord) -> Vec<(String, RawRecord)> {
    let held =
        |path: &str, value: &serde_json::Value| old.is_some_and(|o| o.conflicts.iter().any(|c| c.path == path && c.values.iter().any(|v| v.value == *value)));
    let mut out = Vec::new();
    for conflict in &record.conflicts {
        let pointer = format!("/{}", conflict.path);
        for alternative in conflict.values.iter().skip(1).filter(|v| !held(&conflict.path, &v.value)) {
            let mut value = record.value.clone();
            if let Some(slot) = value.pointer_mut(&pointer) {
                *slot = alternative.value.clone();
                out.push((conflict.path.clone(), RawRecord { kind: record.kind, value, conflicts: record.conflicts.clone() }));
            }
        }
    }
    out
}

/// Whether every value of the record's final number that `before` lacked was written by one of
/// `hub_actors` (the hub's own numbering, re-offered by a device after a hub restore).
fn numbered_by_hub(before: Option<&Bucket>, after: &Automerge, key: &str, hub_actors: &BTreeSet<String>) -> bool {
    let ops = |doc: &Automerge| -> Vec<ObjId> {
        match doc.get(ROOT, key) {
            Ok(Some((_, record))) => doc.get_all(&record, FINAL_NUMBER).unwrap_or_default().into_iter().map(|(_, op)| op).collect(),
            _ => vec![],
        }
    };
    let old = before.map(|b| ops(&b.doc)).unwrap_or_default();
    let new = ops(after);
    !hub_actors.is_empty()
        && !new.is_empty()
        && new.iter().all(|op| old.contains(op) || matches!(op, ObjId::Id(_, actor, _) if hub_actors.contains(&crate::doc::base_actor_hex(actor))))
}

/// Rules on what a device may do to one record, beyond its right to write the bucket:
/// final registry numbers come only from the hub; a referral stays with its addressee, its
/// steps are taken only by the roles allowed to take them and their stamps are never rewritten;
/// a parent case follows its stage rules ([`check_case`]).
fn check_record(bucket_id: &BucketId, old: Option<&RawRecord>, new: &RawRecord, author_roles: &BTreeSet<Role>, numbered_by_hub: bool) -> Result<(), String> {
    match new.kind {
        RecordKind::Application => {
            let number = |r: &RawRecord| r.value.get(FINAL_NUMBER).cloned().filter(|v| !v.is_null());
            if old.and_then(number) != number(new) && !numbered_by_hub {
                return Err("final registry numbers are given by the hub only".into());
            }
            if let Some(old) = old {
                let read = |r: &RawRecord| serde_json::from_value::<Application>(r.value.clone()).map_err(|e| format!("unreadable application ({e})"));
                if let Some(field) = numbered_field_changed(&read(old)?, &read(new)?) {
                    return Err(format!("the application has its final number; its {field} may not change"));
                }
            }
        }
        RecordKind::Referral => {
            let referral: Referral = serde_json::from_value(new.value.clone()).map_err(|e| format!("unreadable referral ({e})"))?;
            if referral.audience() != bucket_id.audience {
                return Err(format!("a referral to {} may not be stored in {}", referral.to, bucket_id.audience.as_str()));
            }
            if let Some(old) = old {
                kept_fixed(old, new, "steps")?;
            }
            let old_steps: BTreeSet<String> =
                old.and_then(|o| o.value.get("steps")).and_then(|s| s.as_object()).map(|m| m.keys().cloned().collect()).unwrap_or_default();
            for (step, stamp) in referral.steps.iter().filter(|(k, _)| !old_steps.contains(*k)) {
                let state = ReferralState::parse(step).ok_or_else(|| format!("unknown step {step:?}"))?;
                if !author_roles.iter().any(|role| may_take_step(*role, referral.to, state)) {
                    return Err(format!("no author of these changes may take the step {step:?} of a referral to {}", referral.to));
                }
                if !author_roles.contains(&stamp.role) {
                    return Err(format!("the step {step:?} is stamped with role {}, which no author of these changes has", stamp.role));
                }
            }
            check_escalation(old, &referral, author_roles)?;
        }
        RecordKind::ParentCase => {
            check_case(old, new)?;
            legal_basis_kept(new)?;
            case_practice_kept(new)?;
        }
        RecordKind::Conversation => legal_basis_kept(new)?,
        RecordKind::Programme => shape_kept::<Programme>(new, "programme", Programme::check_shape)?,
        RecordKind::Training => shape_kept::<TrainingSession>(new, "training session", TrainingSession::check_shape)?,
        _ => {}
    }
    Ok(())
}

/// An escalation is stamped by an author on the sender's side with their own role, and once the
/// hub holds it, it stays.
fn check_escalation(old: Option<&RawRecord>, referral: &Referral, author_roles: &BTreeSet<Role>) -> Result<(), String> {
    let held = old.and_then(|o| o.value.get("escalation")).filter(|v| !v.is_null());
    let Some(escalation) = &referral.escalation else {
        return match held {
            Some(_) => Err("the escalation stamp may not be removed".into()),
            None => Ok(()),
        };
    };
    if let Some(held) = held {
        let held: Escalation = serde_json::from_value(held.clone()).map_err(|e| format!("unreadable escalation ({e})"))?;
        return if held == *escalation { Ok(()) } else { Err("the escalation stamp may not be rewritten".into()) };
    }
    if !author_roles.iter().any(|role| may_escalate(*role)) {
        return Err(format!("no author of these changes may escalate a referral to {}", referral.to));
    }
    if !author_roles.contains(&escalation.role) {
        return Err(format!("the escalation is stamped with role {}, which no author of these changes has", escalation.role));
    }
    Ok(())
}

/// A case's checklist, help and measures keep the rules that need no clock.
fn case_practice_kept(new: &RawRecord) -> Result<(), String> {
    let case: ParentCase = serde_json::from_value(new.value.clone()).map_err(|e| format!("unreadable parent case ({e})"))?;
    let mut rules = crate::model::Rules::default();
    case.check_practice(&mut rules, None);
    rules.finish().map_err(|broken| format!("the case's checklist, help or measures break a rule: {broken}"))
}

/// A record of a kind with rules that need no clock reads as its kind and keeps them.
fn shape_kept<R: serde::de::DeserializeOwned>(new: &RawRecord, noun: &str, check: fn(&R, &mut crate::model::Rules)) -> Result<(), String> {
    let record: R = serde_json::from_value(new.value.clone()).map_err(|e| format!("unreadable {noun} ({e})"))?;
    let mut rules = crate::model::Rules::default();
    check(&record, &mut rules);
    rules.finish().map_err(|broken| format!("the {noun} breaks a rule: {broken}"))
}

/// The record's legal basis reads and keeps its rules ("other" is named in words).
fn legal_basis_kept(new: &RawRecord) -> Result<(), String> {
    LegalBasis::breach_in(new.value.get("legal_basis")).map_or(Ok(()), Err)
}

/// The entries of the map `field` the hub holds stay as they are: each is still the winning
/// value, or one of the values of a conflict there (the same entry made concurrently elsewhere).
fn kept_fixed(old: &RawRecord, new: &RawRecord, field: &str) -> Result<(), String> {
    let Some(entries) = old.value.get(field).and_then(|m| m.as_object()) else { return Ok(()) };
    for (key, entry) in entries {
        let path = format!("{field}/{key}");
        let winning = new.value.get(field).and_then(|m| m.get(key)) == Some(entry);
        let in_conflict = new.conflicts.iter().any(|c| c.path == path && c.values.iter().any(|v| v.value == *entry));
        if !winning && !in_conflict {
            return Err(format!("{path} was recorded already and may not be changed or removed"));
        }
    }
    Ok(())
}

/// A closed case does not change; recorded stage moves stay as they are; every newly recorded
/// move is allowed on its own; and a change of stage is one of the newly recorded moves, or
/// picks one of the values of a conflict the hub already holds on the stage. Merged edits of
/// two phones may leave the case at a stage neither phone chose, so only what the offered
/// changes did to the hub's copy is checked, never the path from one stage to the other.
fn check_case(old: Option<&RawRecord>, new: &RawRecord) -> Result<(), String> {
    let Some(old) = old else { return Ok(()) };
    let read = |r: &RawRecord| serde_json::from_value::<ParentCase>(r.value.clone()).map_err(|e| format!("unreadable parent case ({e})"));
    let (before, after) = (read(old)?, read(new)?);
    if before.status == CaseStatus::Closed && old.value != new.value {
        return Err("the case is closed; nothing on it may change".into());
    }
    kept_fixed(old, new, "stage_changes")?;
    let added: Vec<&StageChange> = after.stage_changes.iter().filter(|(item, _)| !before.stage_changes.contains_key(*item)).map(|(_, c)| c).collect();
    for change in &added {
        if let Some(rule) = stage_move_rule(change.from, change.to, &change.reason) {
            return Err(format!("the recorded stage move {} -> {} breaks the rule {rule}", change.from.as_str(), change.to.as_str()));
        }
    }
    if after.stage != before.stage {
        let stage = new.value.get("stage");
        let picked = old.conflicts.iter().any(|c| c.path == "stage" && c.values.iter().any(|v| Some(&v.value) == stage));
        if !picked && !added.iter().any(|c| c.to == after.stage) {
            return Err(format!("the stage moved from {} to {} with no recorded move", before.stage.as_str(), after.stage.as_str()));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
