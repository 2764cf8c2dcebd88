//! Rebuilding a bucket from the hub's copy and replaying this device's own work on it (design
//! §10).
//!
//! When the hub refuses changes of a document, the device's copy holds changes the hub will
//! never have. The device then starts again from the hub's copy and, change by change, does
//! again what its own user did: each of its changes the hub did not refuse is turned back into
//! edits (from the Automerge patches of that change) and made anew, as a new change under a
//! fresh actor. Text edits are placed by the characters they were made next to (cursors), so a
//! sentence lands where it was typed. A change the hub refused for its own sake — or one whose
//! record the hub does not have — is not replayed but kept aside: the records it touched, as they
//! looked right after it, with the reason. Changes of other people that the hub refused are
//! dropped here; the hub reported them, and their authors keep their own copies.

use super::bridge::RawConflict;
use super::text_diff;
use super::{introduce, Author, AUTHOR_PREFIX, KIND_KEY};
use automerge::transaction::{CommitOptions, Transactable, Transaction};
use automerge::{ActorId, Automerge, Change, ChangeHash, ObjId, ObjType, PatchAction, Prop, ReadDoc, Value as AmValue, ROOT};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Work of this device's user that could not be replayed: one record a change touched.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct KeptRecord {
    /// The record.
    pub record_id: String,
    /// Its kind tag (empty when unknown).
    pub kind: String,
    /// The fields (slash paths) the change wrote.
    pub fields: Vec<String>,
    /// The record as it looked right after the user's change.
    pub value: Value,
    /// Why it was not replayed.
    pub reason: String,
    /// The change.
    pub change: ChangeHash,
}

/// The document rebuilt from the hub's copy with this device's own work replayed on it.
pub(crate) struct Rebuilt {
    /// The new document (edited as the new actor).
    pub doc: Automerge,
    /// What could not be replayed.
    pub kept: Vec<KeptRecord>,
    /// How many of the user's changes were made again.
    pub replayed: usize,
    /// Each replayed change (old hash) with the change that made it again (new hash).
    pub replayed_as: Vec<(ChangeHash, ChangeHash)>,
}

/// Starts from `hub` and replays the changes of `own_actors` (this install's actors) of `local` that `hub` lacks, as
/// `new_actor`. `keep_aside` names the changes the hub refused for their own sake, with the
/// reason; they are kept aside instead.
pub(crate) fn rebuild(
    local: &Automerge,
    hub: Automerge,
    own_actors: &HashSet<ActorId>,
    new_actor: ActorId,
    keep_aside: &HashMap<ChangeHash, String>,
    author: &Author,
) -> Rebuilt {
    let mut doc = hub.with_actor(new_actor.clone());
    let mut own: Vec<Change> = doc.get_changes_added(local).into_iter().filter(|c| own_actors.contains(&super::base_actor(c.actor_id()))).collect();
    // Causal order: the hub's copy lacks them, so each comes after what it builds on.
    own = causal(own);
    let mut kept = Vec::new();
    let mut replayed = 0;
    let mut replayed_as = Vec::new();
    let mut objects = Objects::default();
    for change in &own {
        let touched = touched_records(local, change);
        if touched.is_empty() {
            continue;
        }
        if let Some(reason) = keep_aside.get(&change.hash()) {
            kept.extend(keep_records(local, change, &touched, reason));
            continue;
        }
        let mut tx = doc.transaction();
        let (missing, diverged) = replay_change(&mut tx, local, change, &mut objects, &new_actor);
        let _ = introduce(&mut tx, &new_actor.to_hex_string(), author);
        let message = format!("replay {}", change.message().unwrap_or_default());
        let (new_hash, _) = tx.commit_with(CommitOptions::default().with_time(change.timestamp()).with_message(message));
        replayed_as.extend(new_hash.map(|new| (change.hash(), new)));
        if !missing.is_empty() {
            let lost: BTreeMap<String, Vec<String>> = touched.into_iter().filter(|(record, _)| missing.contains(record)).collect();
            kept.extend(keep_records(local, change, &lost, "its record is not on the hub: the change that created it was refused"));
        }
        if !diverged.is_empty() {
            let apart: BTreeMap<String, Vec<String>> = touched_records(local, change).into_iter().filter(|(record, _)| diverged.contains(record)).collect();
            let reason = "another copy of this install (a clone or a backup) had already set these fields differently; its values were kept";
            kept.extend(keep_records(local, change, &apart, reason));
        }
        replayed += 1;
    }
    Rebuilt { doc, kept, replayed, replayed_as }
}

/// This install's changes among `refused` (hash → reason), kept aside: the records each touched,
/// as they looked right after it (for a document this device must give up).
pub(crate) fn keep_aside_refused(local: &Automerge, own_actors: &HashSet<ActorId>, refused: &HashMap<ChangeHash, String>) -> Vec<KeptRecord> {
    let mut kept = Vec::new();
    for (hash, reason) in refused {
        let Some(change) = local.get_change_by_hash(hash) else { continue };
        if !own_actors.contains(&super::base_actor(change.actor_id())) {
            continue;
        }
        let touched = touched_records(local, &change);
        kept.extend(keep_records(local, &change, &touched, reason));
    }
    kept.sort_by(|a, b| (&a.record_id, a.change).cmp(&(&b.record_id, b.change)));
    kept
}

/// The changes sorted so that each comes after every change of the list it depends on.
fn causal(changes: Vec<Change>) -> Vec<Change> {
    let hashes: HashSet<ChangeHash> = changes.iter().map(Change::hash).collect();
    let mut placed: HashSet<ChangeHash> = HashSet::new();
    let mut rest = changes;
    let mut out = Vec::with_capacity(rest.len());
    while !rest.is_empty() {
        let (ready, waiting): (Vec<Change>, Vec<Change>) = rest.into_iter().partition(|c| c.deps().iter().all(|d| !hashes.contains(d) || placed.contains(d)));
        if ready.is_empty() {
            // Cannot happen for changes of one document; keep them rather than loop.
            out.extend(waiting);
            break;
        }
        placed.extend(ready.iter().map(Change::hash));
        out.extend(ready);
        rest = waiting;
    }
    out
}

/// The records a change wrote (root keys, authors left out) with the field paths it wrote.
fn touched_records(local: &Automerge, change: &Change) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for patch in local.diff(change.deps(), &[change.hash()]) {
        let mut keys: Vec<String> = patch
            .path
            .iter()
            .map(|(_, prop)| match prop {
                Prop::Map(key) => key.clone(),
                Prop::Seq(index) => index.to_string(),
            })
            .collect();
        match &patch.action {
            PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => keys.push(key.clone()),
            PatchAction::PutSeq { index, .. } => keys.push(index.to_string()),
            _ => {}
        }
        let Some(record) = keys.first().filter(|k| !k.starts_with(AUTHOR_PREFIX)) else { continue };
        let field = keys[1..].iter().take_while(|k| k.parse::<usize>().is_err()).cloned().collect::<Vec<_>>().join("/");
        let entry = out.entry(record.clone()).or_default();
        if !field.is_empty() && field != KIND_KEY {
            entry.insert(field);
        }
    }
    out.into_iter().map(|(record, fields)| (record, fields.into_iter().collect())).collect()
}

/// The records a change touched as they looked right after it, kept aside with `reason`.
fn keep_records(local: &Automerge, change: &Change, touched: &BTreeMap<String, Vec<String>>, reason: &str) -> Vec<KeptRecord> {
    let after = [change.hash()];
    touched
        .iter()
        .map(|(record_id, fields)| {
            let value = match local.get_at(ROOT, record_id.as_str(), &after) {
                Ok(Some((AmValue::Object(ObjType::Map), obj))) => read_at(local, &obj, &after),
                _ => Value::Null,
            };
            let kind = value.get(KIND_KEY).and_then(Value::as_str).unwrap_or_default().to_string();
            let value = match value {
                Value::Object(mut map) => {
                    map.remove(KIND_KEY);
                    Value::Object(map)
                }
                other => other,
            };
            KeptRecord { record_id: record_id.clone(), kind, fields: fields.clone(), value, reason: reason.to_string(), change: change.hash() }
        })
        .collect()
}

/// An object as JSON at `heads` (winning values).
fn read_at(doc: &Automerge, obj: &ObjId, heads: &[ChangeHash]) -> Value {
    match doc.fork_at(heads) {
        Ok(past) => super::fields::read_record(&past, obj, &mut Vec::<RawConflict>::new()),
        Err(_) => Value::Null,
    }
}

/// Objects of the new document that replayed changes stand for.
#[derive(Default)]
struct Objects {
    /// Local object → the object of the new document it is replayed into.
    map: HashMap<ObjId, ObjId>,
    /// Objects of the new document that already existed when a replayed change meant to create
    /// them (another copy of this install replayed the same creation first): they are filled
    /// in, never overwritten.
    existing: HashSet<ObjId>,
    /// Of those, the ones the change being replayed now meant to create: its values are the
    /// same as the other copy's (one original change), so present keys are left alone.
    reused_now: HashSet<ObjId>,
}

/// Makes `change` of `local` again in `tx`. Returns the records it could not reach (their
/// record is missing from the new document and the change did not create it), and the records
/// where a later edit met a different value another copy of this install had already set (not
/// written: kept aside instead).
fn replay_change(
    tx: &mut Transaction<'_>,
    local: &Automerge,
    change: &Change,
    objects: &mut Objects,
    new_actor: &ActorId,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut missing = BTreeSet::new();
    let mut diverged = BTreeSet::new();
    objects.reused_now.clear();
    let mut texts: Vec<(ObjId, Vec<(ObjId, Prop)>)> = Vec::new();
    for patch in local.diff(change.deps(), &[change.hash()]) {
        let record = patch.path.first().map(|(_, p)| p.clone()).or(match &patch.action {
            PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => Some(Prop::Map(key.clone())),
            _ => None,
        });
        let record = match record {
            Some(Prop::Map(key)) if !key.starts_with(AUTHOR_PREFIX) => key,
            _ => continue,
        };
        let is_text = local.object_type(&patch.obj).is_ok_and(|t| t == ObjType::Text);
        if is_text && matches!(patch.action, PatchAction::SpliceText { .. } | PatchAction::DeleteSeq { .. }) {
            if !texts.iter().any(|(obj, _)| *obj == patch.obj) {
                texts.push((patch.obj.clone(), patch.path.clone()));
            }
            continue;
        }
        let Some(target) = resolve(tx, &patch.obj, &patch.path, objects) else {
            missing.insert(record);
            continue;
        };
        if target == patch.obj && changed_meanwhile(tx, local, change, &patch.obj, &patch.action, new_actor) {
            // Someone else set this field since the user's change was made: writing it again
            // now would overwrite their value; the user's value is kept aside instead.
            diverged.insert(record);
            continue;
        }
        match apply_action(tx, &target, patch.action, objects) {
            Ok(true) => {}
            Ok(false) => {
                diverged.insert(record);
            }
            Err(_) => {
                missing.insert(record);
            }
        }
    }
    for (obj, path) in texts {
        let record = match path.first() {
            Some((_, Prop::Map(key))) => key.clone(),
            _ => continue,
        };
        let Some(target) = resolve(tx, &obj, &path, objects) else {
            missing.insert(record);
            continue;
        };
        if replay_text(tx, local, change, &obj, &target, objects.existing.contains(&target)).is_err() {
            missing.insert(record);
        }
    }
    (missing, diverged)
}

/// The object of the new document that `local_obj` (reached by `path`) is: the same object when
/// the hub has it, one this replay created for it, or the one at the same keys.
fn resolve(tx: &Transaction<'_>, local_obj: &ObjId, path: &[(ObjId, Prop)], objects: &Objects) -> Option<ObjId> {
    if *local_obj == ROOT {
        return Some(ROOT);
    }
    if let Some(mapped) = objects.map.get(local_obj) {
        return Some(mapped.clone());
    }
    if tx.object_type(local_obj).is_ok() {
        return Some(local_obj.clone());
    }
    let mut current = ROOT;
    for (_, prop) in path {
        match tx.get(&current, prop.clone()).ok()?? {
            (AmValue::Object(_), id) => current = id,
            _ => return None,
        }
    }
    Some(current)
}

/// Whether a value the change puts into an object the hub's copy also has was set there by a
/// change the user had not seen when they made theirs (a concurrent edit that reached the hub
/// first): writing it again now would overwrite that value without anyone seeing it.
fn changed_meanwhile(tx: &Transaction<'_>, local: &Automerge, change: &Change, obj: &ObjId, action: &PatchAction, new_actor: &ActorId) -> bool {
    let PatchAction::PutMap { key, value: (AmValue::Scalar(new), _), .. } = action else { return false };
    let Ok(Some((now, now_op))) = tx.get(obj, key.as_str()) else { return false };
    if matches!(&now, AmValue::Scalar(s) if s.as_ref() == new.as_ref()) {
        return false;
    }
    let op_key = |op: &ObjId| match op {
        ObjId::Id(counter, actor, _) => Some((*counter, actor.clone())),
        ObjId::Root => None,
    };
    let before_op = local.get_at(obj, key.as_str(), change.deps()).ok().flatten().map(|(_, op)| op);
    if before_op.as_ref().and_then(op_key) == op_key(&now_op) {
        return false;
    }
    // Written by this rebuild (an earlier replayed change of this user).
    if matches!(&now_op, ObjId::Id(_, actor, _) if super::base_actor(actor) == *new_actor) {
        return false;
    }
    // Written by a change the user had seen (an ancestor of theirs) is fine to write over.
    match local.hash_for_opid(&now_op) {
        None => true,
        Some(hash) => local.get_changes_meta(change.deps()).iter().any(|m| m.hash == hash),
    }
}

/// Does one map or list action again on `target`.
/// Does one map or list action again on `target`. `Ok(false)`: not written, because another
/// copy of this install already set the field to something else (the caller keeps it aside).
fn apply_action(tx: &mut Transaction<'_>, target: &ObjId, action: PatchAction, objects: &mut Objects) -> Result<bool, automerge::AutomergeError> {
    match action {
        PatchAction::PutMap { key, value: (value, id), .. } => match value {
            // A map or text that is already there (another copy of this install replayed the
            // same creation): fill it in rather than put a new one over it.
            AmValue::Object(kind @ (ObjType::Map | ObjType::Text)) if matches!(tx.get(target, key.as_str())?, Some((AmValue::Object(k), _)) if k == kind) => {
                if let Some((_, there)) = tx.get(target, key.as_str())? {
                    objects.existing.insert(there.clone());
                    objects.reused_now.insert(there.clone());
                    objects.map.insert(id, there);
                }
            }
            AmValue::Object(kind) => {
                let new = tx.put_object(target, key.as_str(), kind)?;
                objects.map.insert(id, new);
            }
            // Into a filled-in object: the creating change writes only where there is nothing;
            // a later edit never overwrites a different value the other copy set.
            AmValue::Scalar(scalar) if objects.existing.contains(target) => match tx.get(target, key.as_str())? {
                None => tx.put(target, key.as_str(), scalar.into_owned())?,
                Some(_) if objects.reused_now.contains(target) => {}
                Some((AmValue::Scalar(current), _)) if current.as_ref() == scalar.as_ref() => {}
                Some(_) => return Ok(false),
            },
            AmValue::Scalar(scalar) => tx.put(target, key.as_str(), scalar.into_owned())?,
        },
        PatchAction::DeleteMap { key } => {
            if tx.get(target, key.as_str())?.is_some() {
                tx.delete(target, key.as_str())?;
            }
        }
        PatchAction::PutSeq { index, value: (value, id), .. } => {
            let len = tx.length(target);
            match value {
                AmValue::Object(kind) if index < len => {
                    let new = tx.put_object(target, index, kind)?;
                    objects.map.insert(id, new);
                }
                AmValue::Object(kind) => {
                    let new = tx.insert_object(target, len, kind)?;
                    objects.map.insert(id, new);
                }
                AmValue::Scalar(scalar) if index < len => tx.put(target, index, scalar.into_owned())?,
                AmValue::Scalar(scalar) => tx.insert(target, len, scalar.into_owned())?,
            }
        }
        PatchAction::Insert { index, values } => {
            for (offset, (value, id, _)) in values.iter().enumerate() {
                let at = (index + offset).min(tx.length(target));
                match value {
                    AmValue::Object(kind) => {
                        let new = tx.insert_object(target, at, *kind)?;
                        objects.map.insert(id.clone(), new);
                    }
                    AmValue::Scalar(scalar) => tx.insert(target, at, scalar.clone().into_owned())?,
                }
            }
        }
        PatchAction::DeleteSeq { index, length } => {
            for _ in 0..length {
                if index < tx.length(target) {
                    tx.delete(target, index)?;
                }
            }
        }
        PatchAction::SpliceText { .. } | PatchAction::Increment { .. } | PatchAction::Conflict { .. } | PatchAction::Mark { .. } => {}
    }
    Ok(true)
}

/// Does a change's edits of one text again: the splices from the text before the change to the
/// text after it, each placed next to the character it was made next to.
fn replay_text(
    tx: &mut Transaction<'_>,
    local: &Automerge,
    change: &Change,
    obj: &ObjId,
    target: &ObjId,
    filled_in: bool,
) -> Result<(), automerge::AutomergeError> {
    let deps = change.deps();
    let before = local.text_at(obj, deps).unwrap_or_default();
    let after = local.text_at(obj, &[change.hash()])?;
    let current = tx.text(target)?;
    if filled_in {
        // Another copy's replay of the same text is there: add what the user typed that it
        // lacks, delete nothing.
        let (before_chars, after_chars): (Vec<char>, Vec<char>) = (before.chars().collect(), after.chars().collect());
        let mut end = current.chars().count();
        for splice in text_diff::diff(&before_chars, &after_chars) {
            let inserted: String = after_chars[splice.new_at..splice.new_at + splice.insert].iter().collect();
            if !inserted.is_empty() && !current.contains(&inserted) {
                tx.splice_text(target, end, 0, &inserted)?;
                end += splice.insert;
            }
        }
        return Ok(());
    }
    if target != obj || tx.text_encoding() != automerge::TextEncoding::UnicodeCodePoint {
        // A text this replay created (or an encoding this app does not use): make it read what
        // the user's change left.
        return text_diff::splice_to(tx, target, &current, &after);
    }
    let mut now: Vec<char> = current.chars().collect();
    let before_chars: Vec<char> = before.chars().collect();
    let after_chars: Vec<char> = after.chars().collect();
    // Where a character of the old text is now, if it is still there.
    // (Automerge's cursor lookups have been seen to panic on some histories; a lookup that
    // fails in any way falls back to the position in the old text.)
    let position = |tx: &Transaction<'_>, now: &[char], index: usize| -> Option<usize> {
        let lookup = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let cursor = local.get_cursor(obj, index, Some(deps)).ok()?;
            tx.get_cursor_position(target, &cursor, None).ok()
        }));
        let at = lookup.ok().flatten()?;
        (now.get(at) == before_chars.get(index)).then_some(at)
    };
    for splice in text_diff::diff(&before_chars, &after_chars).into_iter().rev() {
        for index in (splice.old_at..splice.old_at + splice.delete).rev() {
            if let Some(at) = position(tx, &now, index) {
                tx.splice_text(target, at, 1, "")?;
                now.remove(at);
            }
        }
        if splice.insert > 0 {
            let at = match splice.old_at {
                0 => 0,
                i => position(tx, &now, i - 1).map_or_else(|| i.min(now.len()), |p| p + 1),
            };
            let inserted: String = after_chars[splice.new_at..splice.new_at + splice.insert].iter().collect();
            tx.splice_text(target, at, 0, &inserted)?;
            now.splice(at..at, inserted.chars());
        }
    }
    Ok(())
}
