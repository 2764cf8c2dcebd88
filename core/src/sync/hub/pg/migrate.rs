//! Moving a base point's hub (SQLite `hub.db`) into a region's PostgreSQL database: devices,
//! actors, enrolment codes, grants, alerts, documents, signatures, registry counters, the
//! heads each device was told, answered nonces, each device's audit chain, attached files and
//! the hub's audit chain (entries copied as they
//! are, so the chain still checks out). The hub keeps its id, actor and signing key, so its
//! enrolled devices go on syncing with it as if nothing happened.

use super::seal::Sealer;
use super::tx::{chunk_aad, file_aad, person_aad, sig_aad};
use super::{pg, PgStorage, SEALING_KEY_ID};
use crate::error::{Error, Result};
use crate::security::KeyProvider;
use crate::sync::hub::sqlite_storage::SqliteStorage;
use crate::sync::hub::storage::HubStorage;
use crate::sync::Hub;
use crate::wire::decode_hash;
use bytes::BytesMut;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use rusqlite::types::Value;
use rusqlite::Connection;
use std::path::Path;

/// What a migration copied, table by table.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct MigrationReport {
    /// Rows copied per table, in the order copied.
    pub tables: Vec<(String, usize)>,
}

/// Reads every row of `sql` as values.
fn rows(conn: &Connection, sql: &str) -> Result<Vec<Vec<Value>>> {
    let mut stmt = conn.prepare(sql)?;
    let width = stmt.column_count();
    let out = stmt.query_map([], |r| (0..width).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>())?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(out)
}

/// SQL NULL for a column of any type.
#[derive(Debug)]
struct Null;

impl ToSql for Null {
    fn to_sql(&self, _: &Type, _: &mut BytesMut) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        Ok(IsNull::Yes)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// One SQLite value as a PostgreSQL parameter.
fn param(value: &Value) -> Box<dyn ToSql + Sync> {
    match value {
        Value::Null => Box::new(Null),
        Value::Integer(i) => Box::new(*i),
        Value::Real(f) => Box::new(*f),
        Value::Text(t) => Box::new(t.clone()),
        Value::Blob(b) => Box::new(b.clone()),
    }
}

fn text(value: &Value) -> Result<&str> {
    match value {
        Value::Text(t) => Ok(t),
        _ => Err(Error::Corrupt("a text column holds something else".into())),
    }
}

fn blob(value: &Value) -> Result<&[u8]> {
    match value {
        Value::Blob(b) => Ok(b),
        _ => Err(Error::Corrupt("a blob column holds something else".into())),
    }
}

impl Hub {
    /// Copies the SQLite hub at `from` (its key from `from_keys`) into the PostgreSQL database
    /// at `to`, which must hold no hub's data yet; personal data is sealed with the key
    /// [`SEALING_KEY_ID`] from `to_keys`. Everything is copied in one transaction.
    pub fn migrate_to_postgres(from: &Path, from_keys: &dyn KeyProvider, to: &str, to_keys: &dyn KeyProvider) -> Result<MigrationReport> {
        if !from.exists() {
            return Err(Error::BadArgument(format!("{} does not exist", from.display())));
        }
        let source = SqliteStorage::open(from, from_keys)?;
        let identity = source.identity()?;
        let target = PgStorage::open_as(to, to_keys, Some(&identity))?;
        let key = to_keys.get_or_create_key(SEALING_KEY_ID).map_err(|e| Error::KeyStore(e.to_string()))?;
        let sealer = Sealer::new(&key);
        let sqlite = source.connection()?;
        let mut client = target.pool.get()?;
        let mut tx = client.transaction().map_err(pg)?;
        let held: i64 = tx.query_one("SELECT (SELECT count(*) FROM hub_device) + (SELECT count(*) FROM hub_doc)", &[]).map_err(pg)?.get(0);
        if held > 0 {
            return Err(Error::BadArgument("the PostgreSQL database already holds devices or documents; migrate into an empty one".into()));
        }
        let mut report = MigrationReport::default();
        // Plain tables: copied column for column.
        let plain: [(&str, &str, &str); 8] = [
            ("hub_actor", "SELECT actor, device_id FROM hub_actor", "INSERT INTO hub_actor (actor, device_id) VALUES ($1, $2)"),
            (
                "hub_device_grant",
                "SELECT device_id, role, scopes, valid_until FROM hub_device_grant ORDER BY seq",
                "INSERT INTO hub_device_grant (device_id, role, scopes, valid_until) VALUES ($1, $2, $3, $4)",
            ),
            (
                "hub_alert",
                "SELECT at, device_id, kind, detail FROM hub_alert ORDER BY seq",
                "INSERT INTO hub_alert (at, device_id, kind, detail) VALUES ($1, $2, $3, $4)",
            ),
            (
                "hub_registry",
                "SELECT book, year, last_number FROM hub_registry",
                "INSERT INTO hub_registry (book, year, last_number) VALUES ($1, $2::BIGINT::INTEGER, $3)",
            ),
            ("hub_peer_doc", "SELECT device_id, doc_id, heads FROM hub_peer_doc", "INSERT INTO hub_peer_doc (device_id, doc_id, heads) VALUES ($1, $2, $3)"),
            ("hub_nonce", "SELECT device_id, nonce, seen_at FROM hub_nonce", "INSERT INTO hub_nonce (device_id, nonce, seen_at) VALUES ($1, $2, $3)"),
            (
                "hub_device_audit",
                "SELECT device_id, seq, hash, at, by_device, action, record_id, linked FROM device_audit",
                "INSERT INTO hub_device_audit (device_id, seq, hash, at, by_device, action, record_id, linked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::BIGINT <> 0)",
            ),
            (
                "hub_audit",
                // The file stores neither the link nor its own device id: both are rebuilt.
                "SELECT seq, at, COALESCE(device_id, (SELECT value FROM meta WHERE key = 'device_id'), ''), action, record_id,
                        COALESCE(LAG(hash) OVER (ORDER BY seq), zeroblob(32)), hash FROM audit ORDER BY seq",
                "INSERT INTO hub_audit (seq, at, device_id, action, record_id, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            ),
        ];
        // Devices first (others refer to them), their names sealed.
        let devices = rows(&sqlite, "SELECT device_id, person, role, scopes, public_key, enrolled_at, revoked_at, last_sync FROM hub_device")?;
        for row in &devices {
            let mut values: Vec<Box<dyn ToSql + Sync>> = row.iter().map(param).collect();
            values[1] = Box::new(sealer.seal(&person_aad("hub_device", text(&row[0])?.as_bytes()), text(&row[1])?.as_bytes())?);
            let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref()).collect();
            tx.execute(
                "INSERT INTO hub_device (device_id, person, role, scopes, public_key, enrolled_at, revoked_at, last_sync) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &refs,
            )
            .map_err(pg)?;
        }
        report.tables.push(("hub_device".into(), devices.len()));
        let codes = rows(&sqlite, "SELECT code_hash, person, role, scopes, expires_at, used_by FROM hub_enrolment")?;
        for row in &codes {
            let mut values: Vec<Box<dyn ToSql + Sync>> = row.iter().map(param).collect();
            values[1] = Box::new(sealer.seal(&person_aad("hub_enrolment", blob(&row[0])?), text(&row[1])?.as_bytes())?);
            let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref()).collect();
            tx.execute("INSERT INTO hub_enrolment (code_hash, person, role, scopes, expires_at, used_by) VALUES ($1, $2, $3, $4, $5, $6)", &refs)
                .map_err(pg)?;
        }
        report.tables.push(("hub_enrolment".into(), codes.len()));
        for (table, select, insert) in plain {
            let found = rows(&sqlite, select)?;
            let statement = tx.prepare(insert).map_err(pg)?;
            for row in &found {
                let values: Vec<Box<dyn ToSql + Sync>> = row.iter().map(param).collect();
                let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref()).collect();
                tx.execute(&statement, &refs).map_err(pg)?;
            }
            report.tables.push((table.into(), found.len()));
        }
        // Documents: all chunks as one sealed chunk each.
        let docs = rows(&sqlite, "SELECT doc_id, heads FROM doc")?;
        for row in &docs {
            let doc_id = text(&row[0])?;
            let mut bytes = Vec::new();
            let mut stmt = sqlite.prepare_cached("SELECT bytes FROM doc_chunk WHERE doc_id = ?1 ORDER BY seq")?;
            let mut chunks = stmt.query([doc_id])?;
            while let Some(chunk) = chunks.next()? {
                bytes.extend_from_slice(chunk.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?);
            }
            let sealed = sealer.seal(&chunk_aad(doc_id, 0), &bytes)?;
            tx.execute("INSERT INTO hub_doc (doc_id, heads, chunk_count, bytes) VALUES ($1, $2, 1, $3)", &[&doc_id, &blob(&row[1])?, &(sealed.len() as i64)])
                .map_err(pg)?;
            tx.execute("INSERT INTO hub_doc_chunk (doc_id, seq, bytes) VALUES ($1, 0, $2)", &[&doc_id, &sealed]).map_err(pg)?;
        }
        report.tables.push(("hub_doc".into(), docs.len()));
        let signatures = rows(&sqlite, "SELECT hash, device_id, signature FROM change_sig")?;
        for row in &signatures {
            let hash = decode_hash(blob(&row[0])?).map_err(Error::Malformed)?;
            let sealed = sealer.seal(&sig_aad(&hash), blob(&row[2])?)?;
            tx.execute("INSERT INTO hub_change_sig (hash, device_id, signature) VALUES ($1, $2, $3)", &[&hash.0.as_slice(), &text(&row[1])?, &sealed])
                .map_err(pg)?;
        }
        report.tables.push(("hub_change_sig".into(), signatures.len()));
        // Attached files the hub holds whole, each chunk sealed as the hub seals it.
        let files = rows(&sqlite, "SELECT hash, media_type, size FROM attachment WHERE complete = 1")?;
        for row in &files {
            let hash: [u8; 32] = blob(&row[0])?.try_into().map_err(|_| Error::Corrupt("a file hash is not 32 bytes".into()))?;
            let size = match row[2] {
                Value::Integer(size) => size,
                _ => return Err(Error::Corrupt("a file size is not a number".into())),
            };
            tx.execute(
                "INSERT INTO hub_file (hash, media_type, size, received, complete) VALUES ($1, $2, $3, $3, TRUE)",
                &[&hash.as_slice(), &text(&row[1])?, &size],
            )
            .map_err(pg)?;
            let mut stmt = sqlite.prepare_cached("SELECT idx, bytes FROM attachment_chunk WHERE hash = ?1 ORDER BY idx")?;
            let chunks = stmt.query_map([hash.as_slice()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            for (idx, bytes) in chunks {
                let sealed = sealer.seal(&file_aad(&hash, idx as u32), &bytes)?;
                tx.execute("INSERT INTO hub_file_chunk (hash, idx, sealed) VALUES ($1, $2, $3)", &[&hash.as_slice(), &idx, &sealed]).map_err(pg)?;
            }
        }
        report.tables.push(("hub_file".into(), files.len()));
        tx.commit().map_err(pg)?;
        Ok(report)
    }
}
