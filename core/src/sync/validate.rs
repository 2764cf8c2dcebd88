//! The hub's checks on the changes a device offers: authorship (actor, signature), the right
//! to write the bucket, and the record kinds the changes touch. A document's offer is accepted
//! or refused as a whole, so no accepted change can depend on a refused one.

use super::frames::{DocOffer, Rejection};
use super::hub::DeviceRow;
use crate::access;
use crate::device::Role;
use crate::doc::{Bucket, BucketId, RawRecord};
use crate::ids::RecordId;
use crate::model::{may_take_step, Record, RecordKind, Referral, ReferralState};
use crate::security::verify_change;
use crate::store::ChangeSignature;
use automerge::{Automerge, Change, ChangeHash, ObjId, PatchAction, Prop, ReadDoc, ROOT};
use std::collections::{BTreeSet, HashMap};

/// The field of an application that holds its final registry number.
const FINAL_NUMBER: &str = "final_number";

/// The hub's verdict on one document's offer.
pub(crate) enum Verdict {
    /// Nothing new in it.
    Known,
    /// These changes may be applied.
    Accept(Vec<Change>),
    /// The hub lacks the changes these build on; ask for everything since its heads.
    MissingBase,
    /// Refused: the device must replace its copy with the hub's.
    Refuse(Vec<Rejection>),
}

fn reject(doc_id: &str, change: Option<&Change>, reason: String) -> Rejection {
    Rejection { doc_id: doc_id.to_string(), change: change.map(|c| hex::encode(c.hash().0)), reason }
}

/// Checks one offer. `author_of` maps an actor (hex) to its enrolled device; `max_records` is
/// the most records the document may hold after the offer.
pub(crate) fn check_offer(
    max_records: usize,
    device: &DeviceRow,
    bucket: Option<&Bucket>,
    offer: &DocOffer,
    signatures: &HashMap<ChangeHash, ChangeSignature>,
    author_of: &dyn Fn(&str) -> Option<DeviceRow>,
) -> Verdict {
    let doc_id = offer.doc_id.as_str();
    let Some(bucket_id) = BucketId::parse(doc_id) else {
        return Verdict::Refuse(vec![reject(doc_id, None, format!("{doc_id:?} is not a bucket id"))]);
    };
    let new: Vec<&Change> = offer.changes.iter().filter(|c| bucket.is_none_or(|b| b.doc.get_change_meta_by_hash(&c.hash()).is_none())).collect();
    if new.is_empty() {
        return Verdict::Known;
    }
    if !device.may_write(&bucket_id) {
        return Verdict::Refuse(vec![reject(
            doc_id,
            None,
            format!("role {} with scope {} may not write {doc_id}", device.role_name(), device.scopes.join(",")),
        )]);
    }
    let mut rejections = Vec::new();
    let mut author_roles = BTreeSet::new();
    let mut hub_actors = BTreeSet::new();
    for change in &new {
        let actor = change.actor_id().to_hex_string();
        let Some(author) = author_of(&actor) else {
            rejections.push(reject(doc_id, Some(change), format!("actor {} is not registered to any device", &actor[..8.min(actor.len())])));
            continue;
        };
        let signed =
            signatures.get(&change.hash()).map(|s| s.device_id == author.device_id && verify_change(&author.public_key, &change.hash().0, &s.signature));
        if signed.is_none() {
            rejections.push(reject(doc_id, Some(change), format!("no signature known for this change (its actor belongs to device {})", author.device_id)));
        } else if signed == Some(false) {
            rejections.push(reject(
                doc_id,
                Some(change),
                format!("signature does not verify for device {}, which its actor belongs to (forged or altered)", author.device_id),
            ));
        } else if author.revoked {
            rejections.push(reject(doc_id, Some(change), format!("author device {} is revoked", author.device_id)));
        } else if !author.may_write(&bucket_id) {
            rejections.push(reject(doc_id, Some(change), format!("author device {} may not write {doc_id}", author.device_id)));
        }
        if author.is_hub {
            hub_actors.insert(actor);
        } else {
            author_roles.extend(author.role);
        }
    }
    if !rejections.is_empty() {
        return Verdict::Refuse(rejections);
    }
    check_contents(bucket, &bucket_id, doc_id, new, max_records, &author_roles, &hub_actors)
}

/// Applies the changes to a copy of the document and checks what they did to it.
fn check_contents(
    bucket: Option<&Bucket>,
    bucket_id: &BucketId,
    doc_id: &str,
    new: Vec<&Change>,
    max_records: usize,
    author_roles: &BTreeSet<Role>,
    hub_actors: &BTreeSet<String>,
) -> Verdict {
    let mut after = bucket.map(|b| b.doc.fork()).unwrap_or_default();
    let before_heads = bucket.map(Bucket::heads).unwrap_or_default();
    let changes: Vec<Change> = new.into_iter().cloned().collect();
    let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| after.apply_changes(changes.clone())));
    if !matches!(applied, Ok(Ok(()))) {
        return Verdict::Refuse(vec![reject(doc_id, None, "the changes could not be applied".into())]);
    }
    if !after.get_missing_deps(&[]).is_empty() {
        return Verdict::MissingBase;
    }
    let actors: BTreeSet<String> = changes.iter().map(|c| c.actor_id().to_hex_string()).collect();
    let allowed = access::kinds_allowed(bucket_id.audience);
    let after_heads = after.get_heads();
    let mut touched = BTreeSet::new();
    for patch in after.diff(&before_heads, &after_heads) {
        let key = match (patch.path.first(), &patch.action) {
            (Some((_, Prop::Map(key))), _) => key.clone(),
            (None, PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key }) => key.clone(),
            _ => continue,
        };
        touched.insert(key);
    }
    let probe_after = Bucket { id: bucket_id.clone(), doc: after };
    if let Err(e) = probe_after.check_record_limit(bucket.map_or(0, Bucket::record_count), max_records) {
        return Verdict::Refuse(vec![reject(doc_id, None, e.to_string())]);
    }
    for key in touched {
        if let Some(actor) = key.strip_prefix("@actor/") {
            if !actors.contains(actor) {
                return Verdict::Refuse(vec![reject(doc_id, None, format!("describes another actor ({key})"))]);
            }
            continue;
        }
        if RecordId::parse(&key).is_none() {
            return Verdict::Refuse(vec![reject(doc_id, None, format!("writes a root key {key:?} that is not a record id"))]);
        }
        let Some(record) = probe_after.read_raw(&key) else {
            return Verdict::Refuse(vec![reject(doc_id, None, format!("record {key} was deleted or left without a kind"))]);
        };
        if !allowed.contains(&record.kind) {
            return Verdict::Refuse(vec![reject(doc_id, None, format!("a {} record may not be stored in {doc_id}", record.kind))]);
        }
        let old = bucket.and_then(|b| b.read_raw(&key));
        if let Some(old) = &old {
            if old.kind != record.kind {
                return Verdict::Refuse(vec![reject(doc_id, None, format!("record {key} changed kind from {} to {}", old.kind, record.kind))]);
            }
        }
        let numbered_by_hub = record.kind == RecordKind::Application && numbered_by_hub(bucket, &probe_after.doc, &key, hub_actors);
        if let Err(reason) = check_record(bucket_id, old.as_ref(), &record, author_roles, numbered_by_hub) {
            return Verdict::Refuse(vec![reject(doc_id, None, format!("record {key}: {reason}"))]);
        }
    }
    Verdict::Accept(changes)
}

/// Whether a record's final number, as `after` holds it, was written by the hub: every value
/// of the field that `before` lacked comes from one of `hub_actors` (the hub's own changes,
/// offered again by a device after the hub was restored from a backup).
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
        && new.iter().all(|op| old.contains(op) || matches!(op, ObjId::Id(_, actor, _) if hub_actors.contains(&actor.to_hex_string())))
}

/// Rules on what a device may do to one record, beyond its right to write the bucket:
/// final registry numbers come only from the hub (`numbered_by_hub`: the hub's own change
/// gave this one); a referral stays with its addressee and its steps are taken only by the
/// roles allowed to take them.
fn check_record(bucket_id: &BucketId, old: Option<&RawRecord>, new: &RawRecord, author_roles: &BTreeSet<Role>, numbered_by_hub: bool) -> Result<(), String> {
    match new.kind {
        RecordKind::Application => {
            let number = |r: &RawRecord| r.value.get(FINAL_NUMBER).cloned().filter(|v| !v.is_null());
            if old.and_then(number) != number(new) && !numbered_by_hub {
                return Err("final registry numbers are given by the hub only".into());
            }
        }
        RecordKind::Referral => {
            let referral: Referral = serde_json::from_value(new.value.clone()).map_err(|e| format!("unreadable referral ({e})"))?;
            if referral.audience() != bucket_id.audience {
                return Err(format!("a referral to {} may not be stored in {}", referral.to, bucket_id.audience.as_str()));
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
        }
        _ => {}
    }
    Ok(())
}
