//! The flat `record_index`: what lists and search read, kept in step with the documents in the
//! same transaction as every change.

use crate::doc::{BucketId, RecordSummary};
use crate::error::Result;
use crate::model::{
    Application, Conversation, IndexFields, JointEvent, ParentCase, Person, Programme, Record, RecordKind, Referral, TrainingSession, MERGED_STATUS,
};
use crate::text::search_key;
use chrono::NaiveDate;
use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};

/// One row of a list: enough to render it without loading the record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndexRow {
    /// Record id.
    pub record_id: String,
    /// Record kind.
    pub kind: RecordKind,
    /// Display title.
    pub title: String,
    /// Short status.
    pub status: String,
    /// Mahalla scope key.
    pub scope: String,
    /// Birth year (persons).
    pub birth_year: Option<i32>,
    /// Nearest due date.
    pub due_on: Option<NaiveDate>,
    /// Number of fields with unresolved concurrent values.
    pub conflicts: u32,
    /// Last indexed (ms since epoch).
    pub updated_at: i64,
}

/// What to list.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    /// Only this kind.
    pub kind: Option<RecordKind>,
    /// Script-insensitive text to find in names, addresses, places.
    pub text: Option<String>,
    /// Only this mahalla (name or key).
    pub mahalla: Option<String>,
    /// Only persons born this year.
    pub birth_year: Option<i32>,
    /// Only records linked to this record (e.g. conversations of a person).
    pub linked_to: Option<String>,
    /// At most this many rows (default 200).
    pub limit: Option<u32>,
    /// Also list persons merged into another person (index status [`MERGED_STATUS`]). Lists,
    /// search and duplicate detection leave them out by default; the records are still there
    /// and still found by id.
    pub include_merged: bool,
}

pub(crate) fn fields_of(kind: RecordKind, value: &serde_json::Value) -> IndexFields {
    fn typed<R: Record>(value: &serde_json::Value) -> Option<IndexFields> {
        R::deserialize(value).ok().map(|r| r.index_fields())
    }
    let fields = match kind {
        RecordKind::Person => typed::<Person>(value),
        RecordKind::Conversation => typed::<Conversation>(value),
        RecordKind::ParentCase => typed::<ParentCase>(value),
        RecordKind::Referral => typed::<Referral>(value),
        RecordKind::Application => typed::<Application>(value),
        RecordKind::JointEvent => typed::<JointEvent>(value),
        RecordKind::Programme => typed::<Programme>(value),
        RecordKind::Training => typed::<TrainingSession>(value),
    };
    // A record this version cannot read (written by a newer app) stays listed, not lost.
    fields.unwrap_or_else(|| IndexFields { title: "?".into(), status: "unreadable".into(), ..Default::default() })
}

/// Marks a record as changed now (its notes changed in its notes document).
pub(crate) fn touch(conn: &Connection, record_id: &str, now_ms: i64) -> Result<()> {
    conn.prepare_cached("UPDATE record_index SET updated_at = ?2 WHERE record_id = ?1")?.execute(rusqlite::params![record_id, now_ms])?;
    Ok(())
}

/// Writes the index rows of one record of `bucket` (or removes them when the record is gone).
pub(crate) fn reindex(conn: &Connection, bucket: &BucketId, record_id: &str, summary: Option<RecordSummary>, now_ms: i64) -> Result<()> {
    let doc_id = bucket.to_string();
    let Some(raw) = summary else {
        for sql in [
            "DELETE FROM record_index WHERE record_id = ?1",
            "DELETE FROM record_link WHERE from_id = ?1",
            "DELETE FROM person_key WHERE record_id = ?1",
            "DELETE FROM attachment_ref WHERE record_id = ?1",
        ] {
            conn.prepare_cached(sql)?.execute([record_id])?;
        }
        return Ok(());
    };
    let attachments = attachment_hashes(&raw.value);
    // A person is read once, taking its value apart, for both its index fields and its
    // duplicate key.
    let (fields, dup_key) = match raw.kind {
        RecordKind::Person => match Person::deserialize(raw.value) {
            Ok(person) => (person.index_fields(), Some(super::merge::DupKey::of(&person))),
            Err(_) => (fields_of(raw.kind, &serde_json::Value::Null), None),
        },
        kind => (fields_of(kind, &raw.value), None),
    };
    conn.prepare_cached(
        "INSERT INTO record_index (record_id, doc_id, kind, title, search_key, birth_year, due_on, status, conflicts, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(record_id) DO UPDATE SET doc_id = excluded.doc_id, kind = excluded.kind, title = excluded.title,
           search_key = excluded.search_key, birth_year = excluded.birth_year,
           due_on = excluded.due_on, status = excluded.status, conflicts = excluded.conflicts, updated_at = excluded.updated_at",
    )?
    .execute(params![
        record_id,
        doc_id,
        raw.kind.as_str(),
        fields.title,
        compact_search_key(&fields.title, &fields.search_text),
        fields.birth_year,
        fields.due_on.map(|d| d.to_string()),
        fields.status,
        raw.conflicts as i64,
        now_ms,
    ])?;
    match dup_key {
        Some(key) => key.store(conn, record_id)?,
        None => _ = conn.prepare_cached("DELETE FROM person_key WHERE record_id = ?1")?.execute([record_id])?,
    }
    conn.prepare_cached("DELETE FROM record_link WHERE from_id = ?1")?.execute([record_id])?;
    conn.prepare_cached("DELETE FROM attachment_ref WHERE record_id = ?1")?.execute([record_id])?;
    for link in &fields.links {
        conn.prepare_cached("INSERT OR IGNORE INTO record_link (from_id, to_id) VALUES (?1, ?2)")?.execute([record_id, link.as_str()])?;
    }
    for hash in attachments {
        conn.prepare_cached("INSERT OR IGNORE INTO attachment_ref (hash, record_id, doc_id) VALUES (?1, ?2, ?3)")?.execute(params![hash, record_id, doc_id])?;
    }
    Ok(())
}

/// The files a record's attachments name (keys that are content hashes), as hashes.
fn attachment_hashes(value: &serde_json::Value) -> Vec<Vec<u8>> {
    let Some(attachments) = value.get("attachments").and_then(|a| a.as_object()) else { return Vec::new() };
    attachments.keys().filter_map(|k| crate::model::is_content_hash(k).then(|| hex::decode(k).ok()).flatten()).collect()
}

pub(super) fn row(r: &Row<'_>) -> rusqlite::Result<IndexRow> {
    let kind: String = r.get(1)?;
    let due: Option<String> = r.get(6)?;
    Ok(IndexRow {
        record_id: r.get(0)?,
        kind: RecordKind::parse(&kind).unwrap_or(RecordKind::Person),
        title: r.get(2)?,
        status: r.get(3)?,
        scope: r.get(4)?,
        birth_year: r.get(5)?,
        due_on: due.and_then(|d| d.parse().ok()),
        conflicts: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

pub(super) const COLUMNS: &str = "record_id, kind, title, status, scope, birth_year, due_on, conflicts, updated_at";

/// Lists index rows matching `query`, ordered by title.
pub(crate) fn list(conn: &Connection, query: &ListQuery) -> Result<Vec<IndexRow>> {
    let mut sql = format!("SELECT {COLUMNS} FROM record_index WHERE 1 = 1");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if !query.include_merged {
        sql.push_str(" AND status <> ?");
        args.push(MERGED_STATUS.to_string().into());
    }
    if let Some(kind) = query.kind {
        sql.push_str(" AND kind = ?");
        args.push(kind.as_str().to_string().into());
    }
    if let Some(text) = query.text.as_deref().map(search_key).filter(|t| !t.is_empty()) {
        for word in text.split(' ') {
            sql.push_str(" AND instr(search_key, ?) > 0");
            args.push(word.to_string().into());
        }
    }
    if let Some(mahalla) = &query.mahalla {
        sql.push_str(" AND scope = ?");
        args.push(crate::doc::scope_key(mahalla).into());
    }
    if let Some(year) = query.birth_year {
        sql.push_str(" AND birth_year = ?");
        args.push(i64::from(year).into());
    }
    if let Some(linked) = &query.linked_to {
        sql.push_str(" AND record_id IN (SELECT from_id FROM record_link WHERE to_id = ?)");
        args.push(linked.clone().into());
    }
    sql.push_str(" ORDER BY title, record_id LIMIT ?");
    args.push(i64::from(query.limit.unwrap_or(200)).into());
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Record ids with unresolved conflicts.
pub(crate) fn conflicted(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT record_id, doc_id FROM record_index WHERE conflicts > 0 ORDER BY updated_at DESC")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The bucket a record lives in, and its kind.
pub(crate) fn locate(conn: &Connection, record_id: &str) -> Result<Option<(String, RecordKind)>> {
    use rusqlite::OptionalExtension;
    let found: Option<(String, String)> =
        conn.query_row("SELECT doc_id, kind FROM record_index WHERE record_id = ?1", [record_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    Ok(found.and_then(|(doc, kind)| RecordKind::parse(&kind).map(|k| (doc, k))))
}

/// The folded title, then each line of `search_text` folded, leaving out a line the key
/// already holds (and a key so far that a line holds whole): search matches substrings of the
/// key, so nothing findable is lost.
fn compact_search_key(title: &str, search_text: &str) -> String {
    let mut key = search_key(title);
    for part in search_text.lines().map(search_key).filter(|p| !p.is_empty()) {
        if part.contains(&key) {
            key = part;
        } else if !key.contains(&part) {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str(&part);
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::compact_search_key;

    #[test]
    fn a_name_written_alike_in_both_scripts_is_kept_once() {
        let key = compact_search_key("Qodirov Jasur", "Qodirov Jasur Baxtiyor o‘g‘li\nҚодиров Жасур Бахтиёр ўғли\nToshkent sh., Navbahor, Mukimiy 5");
        assert_eq!(key.matches("kodirov").count(), 1, "{key}");
        assert!(key.starts_with("kodirov jasur baxtiyor"), "{key}");
        for part in ["navbaxor", "mukimiy 5"] {
            assert!(key.contains(part), "{part} in {key}");
        }
        assert_eq!(compact_search_key("", "\n\n"), "");
    }
}
