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
use automerge::{Change, ChangeHash, PatchAction, Prop, ReadDoc};
use std::collections::{BTreeSet, HashMap};

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
    // A device moved to another scope or role still delivers the work it did before.
    if !new.iter().all(|c| device.may_write_at(&bucket_id, c.timestamp())) {
        return Verdict::Refuse(vec![reject(
            doc_id,
            None,
            format!("role {} with scope {} may not write {doc_id}", device.role_name(), device.scopes.join(",")),
        )]);
    }
    let mut rejections = Vec::new();
    let mut author_roles = BTreeSet::new();
    for change in &new {
        let actor = change.actor_id().to_hex_string();
        let Some(author) = author_of(&actor) else {
            rejections.push(reject(doc_id, Some(change), format!("actor {} is not registered to any device", &actor[..8.min(actor.len())])));
            continue;
        };
        let signed = signatures
            .get(&change.hash())
            .is_some_and(|s| s.device_id == author.device_id && verify_change(&author.public_key, &change.hash().0, &s.signature));
        if !signed {
            rejections.push(reject(doc_id, Some(change), format!("not signed by device {}, which its actor belongs to (forged or altered)", author.device_id)));
        } else if author.revoked {
            rejections.push(reject(doc_id, Some(change), format!("author device {} is revoked", author.device_id)));
        } else if !author.may_write_at(&bucket_id, change.timestamp()) {
            rejections.push(reject(doc_id, Some(change), format!("author device {} may not write {doc_id}", author.device_id)));
        }
        author_roles.extend(author.role);
    }
    if !rejections.is_empty() {
        return Verdict::Refuse(rejections);
    }
    check_contents(bucket, &bucket_id, doc_id, new, max_records, &author_roles)
}

/// Applies the changes to a copy of the document and checks what they did to it.
fn check_contents(
    bucket: Option<&Bucket>,
    bucket_id: &BucketId,
    doc_id: &str,
    new: Vec<&Change>,
    max_records: usize,
    author_roles: &BTreeSet<Role>,
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
        if let Err(reason) = check_record(bucket_id, old.as_ref(), &record, author_roles) {
            return Verdict::Refuse(vec![reject(doc_id, None, format!("record {key}: {reason}"))]);
        }
    }
    Verdict::Accept(changes)
}

/// Rules on what a device may do to one record, beyond its right to write the bucket:
/// final registry numbers come only from the hub; a referral stays with its addressee and its
/// steps are taken only by the roles allowed to take them.
fn check_record(bucket_id: &BucketId, old: Option<&RawRecord>, new: &RawRecord, author_roles: &BTreeSet<Role>) -> Result<(), String> {
    match new.kind {
        RecordKind::Application => {
            let number = |r: &RawRecord| r.value.get("final_number").cloned().filter(|v| !v.is_null());
            if old.and_then(number) != number(new) {
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
