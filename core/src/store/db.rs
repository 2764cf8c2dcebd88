//! Opening the SQLite (SQLCipher) file: key, pragmas, migrations by `user_version`.

use crate::error::{Error, Result};
use crate::security::DbKey;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::Path;
use zeroize::Zeroizing;

/// Migrations in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/001_initial.sql"),
    include_str!("sql/002_sync.sql"),
    include_str!("sql/003_registry.sql"),
    include_str!("sql/004_duplicate_keys.sql"),
    include_str!("sql/005_kept_aside.sql"),
    include_str!("sql/006_device_grants.sql"),
    include_str!("sql/007_enrol_attempts.sql"),
    include_str!("sql/008_peers.sql"),
];

/// The newest schema version this build knows.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (creating if needed) the encrypted database at `path` with `key`.
pub(crate) fn open(path: &Path, key: &DbKey) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // A new store is an empty owner-only file before SQLite sees it; its -wal and -shm
    // files take the database file's mode.
    crate::security::touch_private_file(path)?;
    let conn = Connection::open_with_flags(path, flags)?;
    let hex_key = Zeroizing::new(hex::encode(key.as_ref()));
    // SQLCipher would otherwise print decryption failures to stderr; we report them as errors.
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
    conn.execute_batch(&Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hex_key.as_str())))?;
    // The first read decrypts page 1: a wrong key or a foreign file fails here.
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase => return Err(Error::WrongKey),
        Err(e) => return Err(e.into()),
    }
    // SQLCipher reads a page whose HMAC fails as zeros and carries on (it only marks the
    // connection read-only), so a damaged or edited file must be caught before it is read.
    let damaged = cipher_problems(&conn)?;
    if !damaged.is_empty() {
        return Err(Error::Corrupt(damaged.join("; ")));
    }
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA busy_timeout = 5000;",
    )?;
    migrate(&conn)?;
    Ok(conn)
}

fn migrate(conn: &Connection) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { found: version, supported: SCHEMA_VERSION });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        tx.commit()?;
    }
    Ok(())
}

/// The rows a check pragma returns, less "ok".
fn problems(conn: &Connection, pragma: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(pragma)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}

/// Checks the HMAC of every page of the database file (not the WAL, whose frames SQLite
/// checksums); returns the pages that fail (empty when the file is intact).
fn cipher_problems(conn: &Connection) -> Result<Vec<String>> {
    problems(conn, "PRAGMA cipher_integrity_check")
}

/// Runs SQLCipher's page HMAC check, then SQLite's integrity check; returns the problems found
/// (empty when healthy).
pub(crate) fn integrity_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut found = cipher_problems(conn)?;
    if found.is_empty() {
        found = problems(conn, "PRAGMA integrity_check")?;
    }
    Ok(found)
}
