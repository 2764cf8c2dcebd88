//! The bridge between JSON values (what serde makes of a record) and Automerge objects.
//!
//! Writing *reconciles*: only fields whose value differs from the document's current winning
//! value are written, nested maps are updated in place, and text fields are updated with a
//! character diff. That is what lets two phones edit different fields — or different parts of
//! the same notes — and merge without conflicts. Reading returns the winning value of every
//! field and lists the fields that hold concurrent values.

use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, Prop, ReadDoc, ScalarValue, Value as AmValue};
use serde_json::{Map, Number, Value};

/// A conflicting value found while reading: where, and which value object.
pub(crate) struct RawConflict {
    pub path: String,
    /// (value, the op id that wrote it) — the winner first.
    pub values: Vec<(Value, ObjId)>,
    /// For a removed entry with values written below it concurrently: the operations that wrote
    /// them (the conflict's last value is the entry with them). Empty otherwise.
    pub below_removal: Vec<ObjId>,
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}/{key}")
    }
}

/// JSON scalar → Automerge scalar. `None` for objects and arrays.
pub(crate) fn to_scalar(value: &Value) -> Option<ScalarValue> {
    Some(match value {
        Value::Null => ScalarValue::Null,
        Value::Bool(b) => ScalarValue::Boolean(*b),
        Value::String(s) => ScalarValue::Str(s.as_str().into()),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                ScalarValue::Int(i)
            } else if let Some(u) = n.as_u64() {
                ScalarValue::Uint(u)
            } else {
                ScalarValue::F64(n.as_f64().unwrap_or(0.0))
            }
        }
        Value::Array(_) | Value::Object(_) => return None,
    })
}

/// Automerge scalar → JSON.
pub(crate) fn from_scalar(value: &ScalarValue) -> Value {
    match value {
        ScalarValue::Null => Value::Null,
        ScalarValue::Boolean(b) => Value::Bool(*b),
        ScalarValue::Str(s) => Value::String(s.to_string()),
        ScalarValue::Int(i) => Value::Number((*i).into()),
        ScalarValue::Uint(u) => Value::Number((*u).into()),
        ScalarValue::F64(f) => Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
        ScalarValue::Counter(c) => Value::Number(i64::from(c).into()),
        ScalarValue::Timestamp(t) => Value::Number((*t).into()),
        ScalarValue::Bytes(b) => Value::String(hex::encode(b)),
        ScalarValue::Unknown { bytes, .. } => Value::String(hex::encode(bytes)),
    }
}

/// Reads an object as JSON, collecting conflicts under `path`.
pub(crate) fn read_object<R: ReadDoc>(doc: &R, obj: &ObjId, path: &str, conflicts: &mut Vec<RawConflict>) -> Value {
    match doc.object_type(obj) {
        Ok(ObjType::Text) => Value::String(doc.text(obj).unwrap_or_default()),
        Ok(ObjType::List) => {
            let items = doc
                .list_range(obj, ..)
                .map(|item| {
                    let id = item.id();
                    let child = join(path, &item.index.to_string());
                    let value: AmValue<'static> = item.value.into();
                    read_value(doc, &value, &id, &child, conflicts)
                })
                .collect();
            Value::Array(items)
        }
        Ok(ObjType::Map | ObjType::Table) => {
            let mut map = Map::new();
            for key in doc.keys(obj) {
                let child = join(path, &key);
                let Ok(all) = doc.get_all(obj, key.as_str()) else { continue };
                let Some((winner, winner_id)) = all.last() else { continue };
                let value = read_value(doc, winner, winner_id, &child, conflicts);
                if all.len() > 1 {
                    let mut values = vec![(value.clone(), winner_id.clone())];
                    for (other, other_id) in all.iter().rev().skip(1) {
                        let mut ignored = Vec::new();
                        values.push((read_value(doc, other, other_id, &child, &mut ignored), other_id.clone()));
                    }
                    // Two people who typed the same value concurrently agree: no conflict.
                    if values.iter().any(|(v, _)| *v != value) {
                        conflicts.push(RawConflict { path: child.clone(), values, below_removal: Vec::new() });
                    }
                }
                map.insert(key, value);
            }
            Value::Object(map)
        }
        Err(_) => Value::Null,
    }
}

fn read_value<R: ReadDoc>(doc: &R, value: &AmValue<'_>, id: &ObjId, path: &str, conflicts: &mut Vec<RawConflict>) -> Value {
    match value {
        AmValue::Object(_) => read_object(doc, id, path, conflicts),
        AmValue::Scalar(s) => from_scalar(s),
    }
}

/// Converts a hydrated value to JSON, counting the fields that hold concurrent values.
pub(crate) fn from_hydrated(value: &automerge::hydrate::Value, conflicts: &mut usize) -> Value {
    use automerge::hydrate::Value as H;
    match value {
        H::Scalar(s) => from_scalar(s),
        H::Text(t) => Value::String(t.to_string()),
        H::List(items) => Value::Array(
            items
                .iter()
                .map(|item| {
                    *conflicts += usize::from(item.conflict);
                    from_hydrated(&item.value, conflicts)
                })
                .collect(),
        ),
        H::Map(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    *conflicts += usize::from(v.conflict);
                    (k.clone(), from_hydrated(&v.value, conflicts))
                })
                .collect(),
        ),
    }
}

/// Writes `new` into the map `obj`, changing only what differs. Keys missing from `new` are
/// deleted (an item removed from a list, a value removed from a set).
pub(crate) fn reconcile_map<T: Transactable + ReadDoc>(
    tx: &mut T,
    obj: &ObjId,
    new: &Map<String, Value>,
    path: &str,
    text_fields: &[&str],
) -> Result<(), automerge::AutomergeError> {
    let stale: Vec<String> = tx.keys(obj).filter(|k| !new.contains_key(k)).collect();
    for key in stale {
        tx.delete(obj, key.as_str())?;
    }
    for (key, value) in new {
        let child = join(path, key);
        let current = tx.get(obj, key.as_str())?.map(|(v, id)| (v.to_owned(), id));
        if text_fields.contains(&child.as_str()) {
            if let Value::String(text) = value {
                let text_obj = match current {
                    Some((AmValue::Object(ObjType::Text), id)) => id,
                    _ => tx.put_object(obj, key.as_str(), ObjType::Text)?,
                };
                let current_text = tx.text(&text_obj)?;
                super::text_diff::splice_to(tx, &text_obj, &current_text, text)?;
                continue;
            }
        }
        match value {
            Value::Object(fields) => {
                let child_obj = match current {
                    Some((AmValue::Object(ObjType::Map), id)) => id,
                    _ => tx.put_object(obj, key.as_str(), ObjType::Map)?,
                };
                reconcile_map(tx, &child_obj, fields, &child, text_fields)?;
            }
            Value::Array(items) => {
                let unchanged = match &current {
                    Some((AmValue::Object(ObjType::List), id)) => read_object(tx, id, &child, &mut Vec::new()) == *value,
                    _ => false,
                };
                if !unchanged {
                    let list = tx.put_object(obj, key.as_str(), ObjType::List)?;
                    for (i, item) in items.iter().enumerate() {
                        insert_value(tx, &list, i, item)?;
                    }
                }
            }
            scalar => {
                let Some(new_scalar) = to_scalar(scalar) else { continue };
                let same = matches!(&current, Some((AmValue::Scalar(s), _)) if s.as_ref() == &new_scalar);
                if !same {
                    tx.put(obj, key.as_str(), new_scalar)?;
                }
            }
        }
    }
    Ok(())
}

fn insert_value<T: Transactable + ReadDoc>(tx: &mut T, list: &ObjId, index: usize, value: &Value) -> Result<(), automerge::AutomergeError> {
    match value {
        Value::Object(fields) => {
            let obj = tx.insert_object(list, index, ObjType::Map)?;
            reconcile_map(tx, &obj, fields, "", &[])
        }
        Value::Array(items) => {
            let obj = tx.insert_object(list, index, ObjType::List)?;
            for (i, item) in items.iter().enumerate() {
                insert_value(tx, &obj, i, item)?;
            }
            Ok(())
        }
        scalar => tx.insert(list, index, to_scalar(scalar).unwrap_or(ScalarValue::Null)),
    }
}

/// Puts `value` at `key` of `obj` as a fresh value, replacing every concurrent value there.
pub(crate) fn put_fresh<T: Transactable + ReadDoc>(tx: &mut T, obj: &ObjId, key: &str, value: &Value, is_text: bool) -> Result<(), automerge::AutomergeError> {
    match value {
        Value::String(text) if is_text => {
            let text_obj = tx.put_object(obj, key, ObjType::Text)?;
            tx.splice_text(&text_obj, 0, 0, text)?;
        }
        Value::Object(fields) => {
            let map = tx.put_object(obj, key, ObjType::Map)?;
            reconcile_map(tx, &map, fields, "", &[])?;
        }
        Value::Array(items) => {
            let list = tx.put_object(obj, key, ObjType::List)?;
            for (i, item) in items.iter().enumerate() {
                insert_value(tx, &list, i, item)?;
            }
        }
        scalar => tx.put(obj, key, to_scalar(scalar).unwrap_or(ScalarValue::Null))?,
    }
    Ok(())
}

/// Follows `path` (slash-separated keys, winning values) from `obj` to the object that holds
/// its last key. Returns that object and the last key.
pub(crate) fn parent_of<'p, R: ReadDoc>(doc: &R, obj: &ObjId, path: &'p str) -> Option<(ObjId, &'p str)> {
    let mut parts = path.split('/').collect::<Vec<_>>();
    let last = parts.pop()?;
    let mut current = obj.clone();
    for part in parts {
        match doc.get(&current, Prop::Map(part.to_string())).ok()?? {
            (AmValue::Object(ObjType::Map), id) => current = id,
            _ => return None,
        }
    }
    Some((current, last))
}
