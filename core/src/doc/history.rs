//! A record's history, read from its document: every value each field had, who set it and
//! when, which values were set concurrently, who wrote each passage of its notes, and the
//! record as it stood at a given time. Nothing here writes: history is never rewritten (an
//! earlier value is restored as a new change, [`Store::restore_field`](crate::store::Store)).

use super::{base_actor_hex, Author, Bucket, KIND_KEY};
use automerge::{ActorId, ChangeHash, ObjId, ObjType, ReadDoc, Value as AmValue, ROOT};
use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One value a field was given by one change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldValue {
    /// The field's path (`stage`, `address/street`, `tasks/<id>/due`).
    pub path: String,
    /// The value it was given (`null` when `removed`).
    pub value: Value,
    /// The change removed the field (an entry taken out of a list or set).
    pub removed: bool,
    /// Who made the change, when this replica knows the author.
    pub author: Option<Author>,
    /// The Automerge actor that made it (hex; names an unknown author's device).
    pub actor: String,
    /// When, by the clock of the device that made it.
    pub at: Option<DateTime<Utc>>,
    /// The change (hex hash).
    pub change: String,
    /// Another change set the same field without having seen this one (nor this one that
    /// one): the two values were concurrent, and one of them may still be an open conflict.
    pub concurrent: bool,
    /// The change is dated earlier than a change it builds on: the clock of the device that
    /// made it was behind (its `at` is shown as that device had it, not corrected).
    pub clock_behind: bool,
}

/// A document cut at a time by its changes' own clocks ([`Bucket::cut_as_of`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AsOfCut {
    /// The heads of the document as it stood then (empty: nothing yet).
    pub heads: Vec<ChangeHash>,
    /// Changes kept: dated at or before the time, and building only on changes that are.
    pub kept: usize,
    /// Changes dated after the time, left out.
    pub later: usize,
    /// Changes dated at or before the time but left out because they build on a change dated
    /// after it (the clock of a device was behind, or another's ahead).
    pub held_back: usize,
    /// Changes dated at or before the time whose date is earlier than that of a change they
    /// build on: a device's clock was behind. They are placed by the time they carry.
    pub clock_behind: usize,
}

/// A run of characters of a text field written by one author.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Passage {
    /// The text field's path (`notes`, `sara/analysis`).
    pub path: String,
    /// The characters.
    pub text: String,
    /// Who typed them, when this replica knows the author.
    pub author: Option<Author>,
    /// The Automerge actor that typed them (hex).
    pub actor: String,
}

/// Everything a record's document tells about its past.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordHistory {
    /// The record.
    pub record_id: String,
    /// Each value each field was given, in the order the changes were made (causal order).
    pub values: Vec<FieldValue>,
    /// Its text fields today, passage by passage with their authors.
    pub passages: Vec<Passage>,
}

/// The JSON leaves of a record: path → value (objects are walked, everything else is a leaf).
fn leaves(value: &Value, path: &mut Vec<String>, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) if !map.is_empty() || path.is_empty() => {
            for (key, child) in map {
                path.push(key.clone());
                leaves(child, path, out);
                path.pop();
            }
        }
        leaf => {
            out.insert(path.join("/"), leaf.clone());
        }
    }
}

impl Bucket {
    /// The record `record_id` as it stood at `heads` (`None`: it did not exist then).
    fn record_at(&mut self, record_id: &str, heads: &[ChangeHash]) -> Option<Value> {
        let mut value = self.raw_at(record_id, heads).ok()??;
        value.as_object_mut()?.remove(KIND_KEY);
        Some(value)
    }

    /// The heads of the changes made at or before `at` (by their own clocks): the document as
    /// it stood then. A change dated later is left out with everything built on it.
    pub(crate) fn heads_as_of(&self, at: DateTime<Utc>) -> Vec<ChangeHash> {
        self.cut_as_of(at).heads
    }

    /// [`heads_as_of`](Self::heads_as_of) with what the cut says about the devices' clocks.
    pub(crate) fn cut_as_of(&self, at: DateTime<Utc>) -> AsOfCut {
        let cutoff = at.timestamp_millis();
        let metas = self.doc.get_changes_meta(&[]);
        let times: HashMap<ChangeHash, i64> = metas.iter().map(|m| (m.hash, m.timestamp)).collect();
        let mut dropped: HashSet<ChangeHash> = HashSet::new();
        let mut kept: Vec<(ChangeHash, Vec<ChangeHash>)> = Vec::new();
        let mut cut = AsOfCut::default();
        // Changes come in causal order: a change is out when it is late or builds on one that is.
        for meta in &metas {
            let dated_in = meta.timestamp <= cutoff;
            if dated_in && meta.deps.iter().any(|d| times.get(d).is_some_and(|t| *t > meta.timestamp)) {
                cut.clock_behind += 1;
            }
            if !dated_in || meta.deps.iter().any(|d| dropped.contains(d)) {
                dropped.insert(meta.hash);
                if dated_in {
                    cut.held_back += 1;
                } else {
                    cut.later += 1;
                }
            } else {
                kept.push((meta.hash, meta.deps.clone()));
            }
        }
        cut.kept = kept.len();
        let depended: HashSet<ChangeHash> = kept.iter().flat_map(|(_, deps)| deps.iter().copied()).collect();
        cut.heads = kept.into_iter().map(|(hash, _)| hash).filter(|h| !depended.contains(h)).collect();
        cut
    }

    /// The record as it stood at `at` (`None`: it did not exist yet).
    pub(crate) fn record_as_of(&mut self, record_id: &str, at: DateTime<Utc>) -> Option<Value> {
        let heads = self.heads_as_of(at);
        if heads.is_empty() {
            return None;
        }
        self.record_at(record_id, &heads)
    }

    /// The history of one record: each change that touched it compared with the record just
    /// before it, and the authors of its text passages.
    pub(crate) fn history(&mut self, record_id: &str) -> RecordHistory {
        let metas: Vec<(ChangeHash, Vec<ChangeHash>, ActorId, i64)> =
            self.doc.get_changes_meta(&[]).into_iter().map(|m| (m.hash, m.deps, m.actor.into_owned(), m.timestamp)).collect();
        // Each value with the change that set it.
        let mut values: Vec<(ChangeHash, FieldValue)> = Vec::new();
        let times: HashMap<ChangeHash, i64> = metas.iter().map(|(hash, _, _, at)| (*hash, *at)).collect();
        let parents: HashMap<ChangeHash, Vec<ChangeHash>> = metas.iter().map(|(hash, deps, _, _)| (*hash, deps.clone())).collect();
        let touching = self.touching(record_id);
        for (hash, deps, actor, timestamp) in &metas {
            if !touching.contains(hash) {
                continue;
            }
            let after = self.record_at(record_id, &[*hash]);
            let Some(after) = after else { continue };
            let before = if deps.is_empty() { None } else { self.record_at(record_id, deps) };
            let (mut old, mut new) = (BTreeMap::new(), BTreeMap::new());
            if let Some(before) = &before {
                leaves(before, &mut Vec::new(), &mut old);
            }
            leaves(&after, &mut Vec::new(), &mut new);
            let actor = base_actor_hex(actor);
            let author = self.author_of(&actor);
            let at = Utc.timestamp_millis_opt(*timestamp).single();
            let change = hex::encode(hash.0);
            let clock_behind = deps.iter().any(|d| times.get(d).is_some_and(|t| t > timestamp));
            let entry = |path: &String, value: Value, removed: bool| FieldValue {
                path: path.clone(),
                value,
                removed,
                author: author.clone(),
                actor: actor.clone(),
                at,
                change: change.clone(),
                concurrent: false,
                clock_behind,
            };
            for (path, value) in &new {
                if old.get(path) != Some(value) {
                    values.push((*hash, entry(path, value.clone(), false)));
                }
            }
            for path in old.keys().filter(|p| !new.contains_key(*p)) {
                values.push((*hash, entry(path, Value::Null, true)));
            }
        }
        // Two values of one field are concurrent when neither change had seen the other.
        let flags: Vec<bool> =
            values.iter().map(|(a, v)| values.iter().any(|(b, w)| w.path == v.path && a != b && !saw(&parents, *a, *b) && !saw(&parents, *b, *a))).collect();
        let values = values.into_iter().zip(flags).map(|((_, value), concurrent)| FieldValue { concurrent, ..value }).collect();
        RecordHistory { record_id: record_id.to_string(), passages: self.passages(record_id), values }
    }

    /// The changes that wrote in the record: created it, or put or deleted something in its
    /// map or in an object below it (each change's operations are looked at once).
    fn touching(&self, record_id: &str) -> HashSet<ChangeHash> {
        let Ok(Some((AmValue::Object(ObjType::Map), obj))) = self.doc.get(ROOT, record_id) else { return HashSet::new() };
        let mut objects = HashSet::new();
        collect_objects(&self.doc, &obj, &mut objects);
        self.doc
            .get_changes(&[])
            .iter()
            .filter(|change| {
                change.decode().operations.iter().any(|op| match &op.obj {
                    automerge::legacy::ObjectId::Root => matches!(&op.key, automerge::legacy::Key::Map(key) if key.as_str() == record_id),
                    automerge::legacy::ObjectId::Id(automerge::legacy::OpId(counter, actor)) => objects.contains(&(*counter, actor.clone())),
                })
            })
            .map(|change| change.hash())
            .collect()
    }

    /// The text fields of a record, in runs of characters typed by one author.
    fn passages(&self, record_id: &str) -> Vec<Passage> {
        let Ok(Some((AmValue::Object(ObjType::Map), obj))) = self.doc.get(ROOT, record_id) else { return Vec::new() };
        let mut texts = Vec::new();
        collect_texts(&self.doc, &obj, "", &mut texts);
        let mut out = Vec::new();
        for (path, text_obj) in texts {
            let mut current: Option<(String, String)> = None;
            for item in self.doc.list_range(&text_obj, ..) {
                let actor = match item.id() {
                    ObjId::Id(_, actor, _) => base_actor_hex(&actor),
                    ObjId::Root => String::new(),
                };
                let value: AmValue<'static> = item.value.into();
                let ch = match value {
                    AmValue::Scalar(s) => match s.as_ref() {
                        automerge::ScalarValue::Str(c) => c.to_string(),
                        _ => continue,
                    },
                    AmValue::Object(_) => continue,
                };
                match &mut current {
                    Some((who, text)) if *who == actor => text.push_str(&ch),
                    _ => {
                        if let Some((who, text)) = current.take() {
                            out.push(Passage { path: path.clone(), text, author: self.author_of(&who), actor: who });
                        }
                        current = Some((actor, ch));
                    }
                }
            }
            if let Some((who, text)) = current {
                out.push(Passage { path: path.clone(), text, author: self.author_of(&who), actor: who });
            }
        }
        out
    }
}

/// The ids (counter, actor) of `obj` and of every object below it.
fn collect_objects<R: ReadDoc>(doc: &R, obj: &ObjId, out: &mut HashSet<(u64, ActorId)>) {
    if let ObjId::Id(counter, actor, _) = obj {
        out.insert((*counter, actor.clone()));
    }
    let children: Vec<ObjId> = match doc.object_type(obj) {
        Ok(ObjType::Map | ObjType::Table) => {
            doc.keys(obj).flat_map(|key| doc.get_all(obj, key.as_str()).unwrap_or_default()).filter(|(v, _)| v.is_object()).map(|(_, id)| id).collect()
        }
        Ok(ObjType::List) => doc.list_range(obj, ..).filter(|item| matches!(item.value, automerge::ValueRef::Object(_))).map(|item| item.id()).collect(),
        _ => Vec::new(),
    };
    for child in children {
        collect_objects(doc, &child, out);
    }
}

/// Whether change `later` had seen change `earlier` (it is among its ancestors).
fn saw(parents: &HashMap<ChangeHash, Vec<ChangeHash>>, later: ChangeHash, earlier: ChangeHash) -> bool {
    let mut seen = HashSet::new();
    let mut stack = vec![later];
    while let Some(hash) = stack.pop() {
        for dep in parents.get(&hash).into_iter().flatten() {
            if *dep == earlier {
                return true;
            }
            if seen.insert(*dep) {
                stack.push(*dep);
            }
        }
    }
    false
}

/// The text objects under a record map with their field paths: text registers of the
/// written-whole layout (their key is the path) and nested text of the earlier layout.
fn collect_texts<R: ReadDoc>(doc: &R, obj: &ObjId, path: &str, out: &mut Vec<(String, ObjId)>) {
    for key in doc.keys(obj) {
        let child = super::bridge::join(path, &key);
        match doc.get(obj, key.as_str()) {
            Ok(Some((AmValue::Object(ObjType::Text), id))) => out.push((child, id)),
            Ok(Some((AmValue::Object(ObjType::Map), id))) => collect_texts(doc, &id, &child, out),
            _ => {}
        }
    }
}
