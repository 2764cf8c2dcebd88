//! How a record's fields sit in its map: **written whole, edited by field** (ARCHITECTURE §3).
//!
//! A record is created with all its fields as one value, `@fields` (its JSON, text fields left
//! out): one operation instead of one per field, which is what makes a bucket cheap to load. A
//! later edit writes only what changed, each as a *register* beside it whose key is the field's
//! path (`stage`, `address/street`, `tasks/<id>`); registers win over `@fields` and over
//! shorter registers above them when the record is read. So two phones that edit different
//! fields merge, and two that set the same field concurrently leave both values in that
//! register: a conflict with its authors, as before. Text fields are collaborative text objects
//! in registers of their own from the start, so concurrent notes merge character by character.
//!
//! A removed field or entry is a register holding the *tombstone* (empty bytes, a value no JSON
//! field is written as). Writing a register removes the registers below it (`tasks/<id>` drops
//! `tasks/<id>/due`), so a replaced entry does not take its old fields back; a value written
//! below a concurrently removed entry is not shown (as in a nested map of Automerge).
//!
//! Records written before this layout (no `@fields`) keep their nested maps and are read and
//! edited as such ([`bridge::read_object`], [`bridge::reconcile_map`]).

use super::bridge::{self, RawConflict};
use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value as AmValue};
use serde_json::{Map, Value};

/// The key holding a record's fields written whole at its creation.
pub(crate) const FIELDS_KEY: &str = "@fields";

/// A removed field: empty bytes (no JSON value is written as bytes).
fn tombstone() -> ScalarValue {
    ScalarValue::Bytes(Vec::new())
}

fn is_tombstone(value: &ScalarValue) -> bool {
    matches!(value, ScalarValue::Bytes(b) if b.is_empty())
}

/// A path component as it appears in a register key (`/` and `%` escaped).
fn escape(component: &str) -> std::borrow::Cow<'_, str> {
    if component.contains(['/', '%']) {
        component.replace('%', "%25").replace('/', "%2F").into()
    } else {
        component.into()
    }
}

/// A path component of a register key, unescaped.
fn unescape(part: &str) -> String {
    if part.contains('%') {
        part.replace("%2F", "/").replace("%25", "%")
    } else {
        part.to_string()
    }
}

/// The components of a register key.
fn components(key: &str) -> Vec<String> {
    key.split('/').map(unescape).collect()
}

/// The register key of a path.
fn key_of(path: &[String]) -> String {
    path.iter().map(|c| escape(c)).collect::<Vec<_>>().join("/")
}

/// Whether the record map `obj` is in this layout.
pub(crate) fn is_whole<R: ReadDoc>(doc: &R, obj: &ObjId) -> bool {
    matches!(doc.get(obj, FIELDS_KEY), Ok(Some(_)))
}

/// A register of a record map: its path, the value it shows (`None` for the tombstone), the
/// operation that wrote it, and whether it is a collaborative text.
struct Register {
    path: Vec<String>,
    shown: Option<Value>,
    op: Option<ObjId>,
    text: bool,
}

/// Reads a record map as JSON (either layout), collecting the fields with concurrent values.
///
/// A value written below an entry that another phone concurrently removed (a task's due date
/// set while a colleague took the task out) is not shown in the record, since its entry is gone;
/// it is reported as a conflict on the removed entry instead: the removal (`null`) against the
/// entry with that value, so nobody's edit disappears unseen. [`RawConflict::below_removal`]
/// names those edits.
pub(crate) fn read_record<R: ReadDoc>(doc: &R, obj: &ObjId, conflicts: &mut Vec<RawConflict>) -> Value {
    let wholes = doc.get_all(obj, FIELDS_KEY).unwrap_or_default();
    let Some((AmValue::Scalar(whole), _)) = wholes.last() else {
        return bridge::read_object(doc, obj, "", conflicts);
    };
    let mut value = parse_whole(whole);
    let mut registers = Vec::new();
    for key in doc.keys(obj).filter(|k| k != FIELDS_KEY) {
        let Ok(all) = doc.get_all(obj, key.as_str()) else { continue };
        let Some((winner, winner_id)) = all.last() else { continue };
        let read = |v: &AmValue<'_>, id: &ObjId| register_value(doc, v, id);
        let shown = read(winner, winner_id);
        if all.len() > 1 {
            let values: Vec<(Value, ObjId)> = all.iter().rev().map(|(v, id)| (read(v, id).unwrap_or(Value::Null), id.clone())).collect();
            if values.iter().any(|(v, _)| *v != values[0].0) {
                conflicts.push(RawConflict { path: key.clone(), values, below_removal: Vec::new() });
            }
        }
        let text = matches!(winner, AmValue::Object(ObjType::Text));
        registers.push(Register { path: components(&key), shown, op: Some(winner_id.clone()), text });
    }
    if wholes.len() > 1 {
        // Only a record's creator writes `@fields`; the hub refuses a second one. Shown, not hidden.
        let values = wholes.iter().rev().map(|(v, id)| (if let AmValue::Scalar(s) = v { parse_whole(s) } else { Value::Null }, id.clone())).collect();
        conflicts.push(RawConflict { path: FIELDS_KEY.into(), values, below_removal: Vec::new() });
    }
    overlay(&mut value, &mut registers);
    // A conflict below a removed entry is not shown as such: its field is not there (the entry's
    // own conflict below shows it). A conflict between a removal and a value of the field itself
    // is shown (the removal as null), whichever won.
    conflicts.retain(|c| {
        let path = components(&c.path);
        c.path == FIELDS_KEY || value.pointer(&pointer(&path[..path.len().saturating_sub(1)])).is_some()
    });
    for (removal, below) in hidden_below_removals(&value, &registers) {
        let (Some(removal_op), Some(last_edit)) = (registers[removal].op.clone(), below.last().and_then(|&i| registers[i].op.clone())) else { continue };
        let path = registers[removal].path.clone();
        let entry = entry_without_removal(whole, &registers, removal);
        let key = key_of(&path);
        let below_removal = below.iter().filter_map(|&i| registers[i].op.clone()).collect();
        match conflicts.iter_mut().find(|c| c.path == key) {
            Some(existing) => {
                existing.values.push((entry, last_edit));
                existing.below_removal = below_removal;
            }
            None => conflicts.push(RawConflict { path: key, values: vec![(Value::Null, removal_op), (entry, last_edit)], below_removal }),
        }
    }
    value
}

/// [`read_record`] of a hydrated record map (either layout); counts the fields with concurrent
/// values (a value below a concurrently removed entry counts as one) instead of describing them.
pub(crate) fn record_from_hydrated(hydrated: &automerge::hydrate::Value, conflicts: &mut usize) -> Value {
    use automerge::hydrate::Value as H;
    let (H::Map(record), Some(H::Scalar(whole))) = (hydrated, hydrated_field(hydrated)) else {
        return bridge::from_hydrated(hydrated, conflicts);
    };
    let mut value = parse_whole(whole);
    let mut registers = Vec::new();
    for (key, entry) in record.iter() {
        *conflicts += usize::from(entry.conflict);
        if key == FIELDS_KEY {
            continue;
        }
        let shown = match &entry.value {
            H::Scalar(s) if is_tombstone(s) => None,
            other => Some(bridge::from_hydrated(other, conflicts)),
        };
        registers.push(Register { path: components(key), shown, op: None, text: matches!(entry.value, H::Text(_)) });
    }
    overlay(&mut value, &mut registers);
    *conflicts += hidden_below_removals(&value, &registers).len();
    value
}

/// The registers (by index) whose value is hidden because an entry above them was removed,
/// grouped by the removal (the tombstone register nearest above each). Writing a register
/// deletes the plain registers below it that its writer saw, so one still there below a removal
/// was written concurrently with it. Text registers are kept on purpose and are left out.
fn hidden_below_removals(value: &Value, registers: &[Register]) -> Vec<(usize, Vec<usize>)> {
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, register) in registers.iter().enumerate() {
        let Some((_, parent)) = register.path.split_last() else { continue };
        if register.text || value.pointer(&pointer(parent)).is_some() {
            continue;
        }
        let removal = registers
            .iter()
            .enumerate()
            .filter(|(_, r)| r.shown.is_none() && r.path.len() < register.path.len() && register.path.starts_with(&r.path))
            .max_by_key(|(_, r)| r.path.len())
            .map(|(j, _)| j);
        let Some(removal) = removal else { continue };
        match groups.iter_mut().find(|(r, _)| *r == removal) {
            Some((_, below)) => below.push(i),
            None => groups.push((removal, vec![i])),
        }
    }
    groups
}

/// The removed entry of the register `removal` as it would read had it not been removed: its
/// fields written whole with every register still there laid over them. The registers its
/// remover saw below it are gone, so [`super::Bucket`] reads a finer value from history.
fn entry_without_removal(whole: &ScalarValue, registers: &[Register], removal: usize) -> Value {
    let mut value = parse_whole(whole);
    let mut kept: Vec<Register> = registers
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != removal)
        .map(|(_, r)| Register { path: r.path.clone(), shown: r.shown.clone(), op: None, text: r.text })
        .collect();
    overlay(&mut value, &mut kept);
    value.pointer(&pointer(&registers[removal].path)).cloned().unwrap_or(Value::Null)
}

fn hydrated_field(hydrated: &automerge::hydrate::Value) -> Option<&automerge::hydrate::Value> {
    match hydrated {
        automerge::hydrate::Value::Map(map) => map.get(FIELDS_KEY),
        _ => None,
    }
}

fn parse_whole(whole: &ScalarValue) -> Value {
    match whole {
        ScalarValue::Str(s) => serde_json::from_str::<Value>(s).ok().filter(Value::is_object).unwrap_or_else(|| Value::Object(Map::new())),
        _ => Value::Object(Map::new()),
    }
}

/// A register's value; `None` for the tombstone.
fn register_value<R: ReadDoc>(doc: &R, value: &AmValue<'_>, id: &ObjId) -> Option<Value> {
    match value {
        AmValue::Scalar(s) if is_tombstone(s) => None,
        AmValue::Scalar(s) => Some(bridge::from_scalar(s)),
        AmValue::Object(_) => Some(bridge::read_object(doc, id, "", &mut Vec::new())),
    }
}

/// The JSON pointer of a register key in the record's value.
pub(crate) fn key_pointer(key: &str) -> String {
    pointer(&components(key))
}

fn pointer(path: &[String]) -> String {
    path.iter().map(|c| format!("/{}", c.replace('~', "~0").replace('/', "~1"))).collect()
}

/// Lays the registers over the fields, shorter paths first (a register below wins over the
/// one above it, which is older: writing a register removes those below it).
fn overlay(value: &mut Value, registers: &mut [Register]) {
    registers.sort_by_key(|r| r.path.len());
    for register in registers.iter() {
        let Some((last, parents)) = register.path.split_last() else { continue };
        let parent = parents.iter().try_fold(&mut *value, |slot, part| slot.as_object_mut()?.get_mut(part));
        let Some(map) = parent.and_then(Value::as_object_mut) else { continue };
        match &register.shown {
            Some(v) => {
                map.insert(last.clone(), v.clone());
            }
            None => {
                map.remove(last);
            }
        }
    }
}

/// Takes the text fields out of a record's JSON: `(path, text)` of each that is a string.
fn take_texts(fields: &mut Value, text_fields: &[&str]) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    for field in text_fields {
        let path: Vec<String> = field.split('/').map(str::to_string).collect();
        let Some((last, parents)) = path.split_last() else { continue };
        let parent = parents.iter().try_fold(&mut *fields, |slot, part| slot.as_object_mut()?.get_mut(part));
        let Some(map) = parent.and_then(Value::as_object_mut) else { continue };
        if let Some(Value::String(_)) = map.get(last) {
            if let Some(Value::String(text)) = map.remove(last) {
                out.push((path, text));
            }
        }
    }
    out
}

/// Creates the record `record_id` at the root with `fields` written whole and its text fields
/// as text registers. `kind` is its kind tag, stored as its own register.
pub(crate) fn create_record<T: Transactable + ReadDoc>(
    tx: &mut T,
    record_id: &str,
    kind: (&str, &str),
    mut fields: Map<String, Value>,
    text_fields: &[&str],
) -> Result<(), automerge::AutomergeError> {
    let obj = tx.put_object(automerge::ROOT, record_id, ObjType::Map)?;
    tx.put(&obj, kind.0, kind.1)?;
    fields.remove(kind.0);
    let mut whole = Value::Object(fields);
    let texts = take_texts(&mut whole, text_fields);
    tx.put(&obj, FIELDS_KEY, whole.to_string())?;
    for (path, text) in texts {
        let text_obj = tx.put_object(&obj, key_of(&path).as_str(), ObjType::Text)?;
        tx.splice_text(&text_obj, 0, 0, &text)?;
    }
    Ok(())
}

/// Edits the record map `obj` (this layout) into `new`: each changed field becomes a register,
/// each changed text field a splice of its text.
pub(crate) fn update_record<T: Transactable + ReadDoc>(
    tx: &mut T,
    obj: &ObjId,
    new: Map<String, Value>,
    text_fields: &[&str],
) -> Result<(), automerge::AutomergeError> {
    let mut old = read_record(tx, obj, &mut Vec::new());
    let mut new = Value::Object(new);
    let old_texts = take_texts(&mut old, text_fields);
    let new_texts = take_texts(&mut new, text_fields);
    let mut writes = Vec::new();
    diff(&mut Vec::new(), Some(&old), Some(&new), &mut writes);
    for (path, value) in writes {
        put_register(tx, obj, &key_of(&path), value.as_ref(), false, text_fields)?;
    }
    for (path, text) in new_texts {
        let unchanged = old_texts.iter().any(|(p, t)| *p == path && *t == text);
        if unchanged {
            continue;
        }
        let key = key_of(&path);
        let text_obj = match tx.get(obj, key.as_str())? {
            Some((AmValue::Object(ObjType::Text), id)) => id,
            _ => tx.put_object(obj, key.as_str(), ObjType::Text)?,
        };
        let current = tx.text(&text_obj)?;
        super::text_diff::splice_to(tx, &text_obj, &current, &text)?;
    }
    Ok(())
}

/// The writes that turn `old` into `new`: `(path, Some(value))` to set, `(path, None)` to remove.
fn diff(path: &mut Vec<String>, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<(Vec<String>, Option<Value>)>) {
    match (old, new) {
        (Some(Value::Object(old)), Some(Value::Object(new))) => {
            for (key, value) in new {
                path.push(key.clone());
                diff(path, old.get(key), Some(value), out);
                path.pop();
            }
            for key in old.keys().filter(|k| !new.contains_key(*k)) {
                path.push(key.clone());
                out.push((path.clone(), None));
                path.pop();
            }
        }
        (old, Some(new)) if old != Some(new) => out.push((path.clone(), Some(new.clone()))),
        (Some(_), None) => out.push((path.clone(), None)),
        _ => {}
    }
}

/// Writes the register `key` of the record map `obj` as a fresh value (replacing every
/// concurrent value there; `None` removes the field) and removes the registers below it, text
/// registers excepted.
pub(crate) fn put_register<T: Transactable + ReadDoc>(
    tx: &mut T,
    obj: &ObjId,
    key: &str,
    value: Option<&Value>,
    is_text: bool,
    text_fields: &[&str],
) -> Result<(), automerge::AutomergeError> {
    let prefix = format!("{key}/");
    let below: Vec<String> = tx.keys(obj).filter(|k| k.starts_with(&prefix) && !text_fields.contains(&k.as_str())).collect();
    for stale in below {
        tx.delete(obj, stale.as_str())?;
    }
    match value {
        None => tx.put(obj, key, tombstone()),
        Some(value) => bridge::put_fresh(tx, obj, key, value, is_text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ROOT};
    use serde_json::json;

    fn record(doc: &Automerge) -> (Value, Vec<RawConflict>) {
        let (_, obj) = doc.get(ROOT, "r1").unwrap().unwrap();
        let mut conflicts = Vec::new();
        (read_record(doc, &obj, &mut conflicts), conflicts)
    }

    fn created(fields: Value) -> Automerge {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        let Value::Object(fields) = fields else { panic!() };
        create_record(&mut tx, "r1", ("@kind", "person"), fields, &["notes", "sara/analysis"]).unwrap();
        tx.commit();
        doc
    }

    fn edit(doc: &mut Automerge, to: Value) {
        let (_, obj) = doc.get(ROOT, "r1").unwrap().unwrap();
        let mut tx = doc.transaction();
        let Value::Object(to) = to else { panic!() };
        update_record(&mut tx, &obj, to, &["notes", "sara/analysis"]).unwrap();
        tx.commit();
    }

    #[test]
    fn a_record_reads_back_as_written_whole_and_after_edits() {
        let first = json!({"@kind": "person", "name": "Ali", "tasks": {"t1": {"due": "2026-01-01"}}, "sara": {"analysis": "why", "stage": 1}, "notes": "hello", "x/y": {"a%b": 1}});
        let mut doc = created(first.clone());
        assert_eq!(record(&doc).0, first);
        // Two operations hold every plain field: the kind and `@fields`.
        let edited = json!({"@kind": "person", "name": "Vali", "tasks": {"t2": {"due": "2026-02-01"}}, "sara": {"analysis": "why not", "stage": 2}, "notes": "hello world", "x/y": {"a%b": 2}});
        edit(&mut doc, edited.clone());
        assert_eq!(record(&doc).0, edited);
        let (_, obj) = doc.get(ROOT, "r1").unwrap().unwrap();
        let keys: Vec<String> = doc.keys(&obj).collect();
        assert!(keys.contains(&"x%2Fy/a%25b".to_string()), "{keys:?}");
        assert!(keys.contains(&"tasks/t1".to_string()) && keys.contains(&"tasks/t2".to_string()), "{keys:?}");
    }

    #[test]
    fn concurrent_edits_of_different_fields_merge_and_of_one_field_conflict() {
        let mut a = created(json!({"@kind": "person", "name": "Ali", "phone": "1", "notes": "ab", "tasks": {"t1": {"due": "d1", "done": false}}}));
        let mut b = a.fork().with_actor(automerge::ActorId::random());
        edit(&mut a, json!({"@kind": "person", "name": "Vali", "phone": "1", "notes": "xab", "tasks": {"t1": {"due": "d2", "done": false}}}));
        edit(&mut b, json!({"@kind": "person", "name": "Gani", "phone": "2", "notes": "aby", "tasks": {"t1": {"due": "d1", "done": true}}}));
        a.merge(&mut b).unwrap();
        let (value, conflicts) = record(&a);
        assert_eq!(value["phone"], "2");
        assert_eq!(value["notes"], "xaby");
        assert_eq!(value["tasks"]["t1"], json!({"due": "d2", "done": true}));
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].path, "name");
        let values: Vec<&Value> = conflicts[0].values.iter().map(|(v, _)| v).collect();
        assert!(values.contains(&&json!("Vali")) && values.contains(&&json!("Gani")));
    }

    #[test]
    fn a_removal_and_a_concurrent_value_of_one_field_stay_a_conflict_whichever_wins() {
        for (remover, setter) in [([1u8; 16], [2u8; 16]), ([2u8; 16], [1u8; 16])] {
            let base = created(json!({"@kind": "k", "name": "Ali", "nick": "Ali"}));
            let mut a = base.fork().with_actor(automerge::ActorId::from(remover));
            let mut b = base.fork().with_actor(automerge::ActorId::from(setter));
            edit(&mut a, json!({"@kind": "k", "name": "Ali"}));
            edit(&mut b, json!({"@kind": "k", "name": "Ali", "nick": "Alijon"}));
            a.merge(&mut b).unwrap();
            let (_, conflicts) = record(&a);
            assert_eq!(conflicts.len(), 1, "{remover:?} removes");
            assert_eq!(conflicts[0].path, "nick");
            let values: Vec<&Value> = conflicts[0].values.iter().map(|(v, _)| v).collect();
            assert!(values.contains(&&json!("Alijon")) && values.contains(&&Value::Null), "{values:?}");
        }
    }

    #[test]
    fn a_value_set_below_a_concurrently_removed_entry_is_a_conflict_on_that_entry_whichever_wins() {
        for (remover, setter) in [([1u8; 16], [2u8; 16]), ([2u8; 16], [1u8; 16])] {
            let base = created(json!({"@kind": "person", "tasks": {"t1": {"due": "d1", "done": false}, "t2": {"due": "d2"}}}));
            let mut a = base.fork().with_actor(automerge::ActorId::from(remover));
            let mut b = base.fork().with_actor(automerge::ActorId::from(setter));
            edit(&mut a, json!({"@kind": "person", "tasks": {"t2": {"due": "d2"}}}));
            edit(&mut b, json!({"@kind": "person", "tasks": {"t1": {"due": "d1", "done": true}, "t2": {"due": "d2"}}}));
            a.merge(&mut b).unwrap();
            let (value, conflicts) = record(&a);
            assert_eq!(value["tasks"], json!({"t2": {"due": "d2"}}), "the removal shows until someone decides");
            assert_eq!(conflicts.len(), 1, "{remover:?} removes: {:?}", conflicts.iter().map(|c| &c.path).collect::<Vec<_>>());
            assert_eq!(conflicts[0].path, "tasks/t1");
            let values: Vec<&Value> = conflicts[0].values.iter().map(|(v, _)| v).collect();
            assert_eq!(values, [&Value::Null, &json!({"due": "d1", "done": true})]);
            assert_eq!(conflicts[0].below_removal.len(), 1);
            let automerge::hydrate::Value::Map(root) = a.hydrate(None) else { panic!() };
            let mut counted = 0;
            record_from_hydrated(root.get("r1").unwrap(), &mut counted);
            assert_eq!(counted, 1, "the bulk reading counts it too, so lists mark the record");
        }
    }

    #[test]
    fn a_replaced_entry_drops_its_old_fields_and_a_removed_one_stays_removed() {
        let mut doc = created(json!({"@kind": "k", "tasks": {"t1": {"due": "d1", "done": false}}}));
        edit(&mut doc, json!({"@kind": "k", "tasks": {"t1": {"due": "d2", "done": false}}}));
        edit(&mut doc, json!({"@kind": "k", "tasks": {}}));
        assert_eq!(record(&doc).0, json!({"@kind": "k", "tasks": {}}));
        edit(&mut doc, json!({"@kind": "k", "tasks": {"t1": {"done": true}}}));
        assert_eq!(record(&doc).0, json!({"@kind": "k", "tasks": {"t1": {"done": true}}}));
        let (_, obj) = doc.get(ROOT, "r1").unwrap().unwrap();
        assert!(doc.get(&obj, "tasks/t1/due").unwrap().is_none());
    }

    #[test]
    fn hydrated_reading_matches_the_full_reading() {
        let mut doc = created(json!({"@kind": "k", "a": {"b": 1, "c": [1, 2]}, "notes": "n"}));
        edit(&mut doc, json!({"@kind": "k", "a": {"c": [3]}, "d": null, "notes": "nn"}));
        let automerge::hydrate::Value::Map(root) = doc.hydrate(None) else { panic!() };
        let mut conflicts = 0;
        assert_eq!(record_from_hydrated(root.get("r1").unwrap(), &mut conflicts), record(&doc).0);
        assert_eq!(conflicts, 0);
    }

    #[test]
    fn a_record_of_the_earlier_layout_reads_as_before() {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        let obj = tx.put_object(ROOT, "r1", ObjType::Map).unwrap();
        let fields = json!({"@kind": "k", "a": {"b": 1}});
        bridge::reconcile_map(&mut tx, &obj, fields.as_object().unwrap(), "", &[]).unwrap();
        tx.commit();
        assert!(!is_whole(&doc, &obj));
        assert_eq!(record(&doc).0, fields);
    }
}
