//! Opening the SQLite (SQLCipher) file: key, pragmas, migrations by `user_version`.

use crate::error::{Error, Result};
use crate::security::DbKey;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::Path;
use zeroize::Zeroizing;

/// Migrations in order; migration `i` brings the schema to version `i + 1`.
pub(super) const MIGRATIONS: &[&str] = &[
    include_str!("sql/001_initial.sql"),
    include_str!("sql/002_sync.sql"),
    include_str!("sql/003_registry.sql"),
    include_str!("sql/004_duplicate_keys.sql"),
    include_str!("sql/005_kept_aside.sql"),
    include_str!("sql/006_device_grants.sql"),
    include_str!("sql/007_enrol_attempts.sql"),
    include_str!("sql/008_peers.sql"),
    include_str!("sql/009_smaller_index.sql"),
    include_str!("sql/010_compact_audit.sql"),
    include_str!("sql/011_device_audit.sql"),
    include_str!("sql/012_attachments.sql"),
    include_str!("sql/013_name_keys.sql"),
    include_str!("sql/014_doc_chunk_rows.sql"),
    include_str!("sql/015_person_keys.sql"),
    include_str!("sql/016_scope_from_doc_id.sql"),
];

/// The schema at [`SCHEMA_VERSION`] in one script, for new stores.
const SCHEMA: &str = include_str!("sql/schema.sql");

/// The newest schema version this build knows.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (creating if needed) the encrypted database at `path` with `key`: checks every
/// page's HMAC, then brings the schema up to date.
pub(crate) fn open(path: &Path, key: &DbKey) -> Result<Connection> {
    let conn = connect(path, key)?;
    // SQLCipher reads a page whose HMAC fails as zeros and carries on (it only marks the
    // connection read-only), so a damaged or edited file must be caught before it is read.
    let damaged = lasting_cipher_problems(&conn)?;
    if !damaged.is_empty() {
        return Err(Error::Corrupt(damaged.join("; ")));
    }
    use_incremental_vacuum(&conn)?;
    set_pragmas(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

/// Opens one more connection to a file this process already opened with [`open`] (a pool's
/// next connection). The first connection checked the pages and migrated the schema. Checking
/// again would read the raw file while other connections checkpoint into it, and a page caught
/// half written would be reported as damage.
pub(crate) fn open_another(path: &Path, key: &DbKey) -> Result<Connection> {
    let conn = connect(path, key)?;
    set_pragmas(&conn)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version != SCHEMA_VERSION {
        return Err(Error::Corrupt(format!("schema version {version} where {SCHEMA_VERSION} was opened")));
    }
    Ok(conn)
}

/// A keyed connection whose first page decrypted (a wrong key or a foreign file fails here).
fn connect(path: &Path, key: &DbKey) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // A new store is an empty owner-only file before SQLite sees it; its -wal and -shm
    // files take the database file's mode.
    crate::security::touch_private_file(path)?;
    let conn = Connection::open_with_flags(path, flags)?;
    let hex_key = Zeroizing::new(hex::encode(key.as_ref()));
    // SQLCipher would otherwise print decryption failures to stderr; we report them as errors.
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
    conn.execute_batch(&Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hex_key.as_str())))?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(conn),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase => Err(Error::WrongKey),
        Err(e) => Err(e.into()),
    }
}

/// Statements kept prepared per connection: a merge runs about twenty different ones per
/// record (index, links, keys, audit, signatures); rusqlite's default of 16 would prepare
/// them again and again.
const STATEMENT_CACHE: usize = 64;

fn set_pragmas(conn: &Connection) -> Result<()> {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA journal_size_limit = 4194304;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA busy_timeout = 5000;",
    )?;
    Ok(())
}

/// The pages whose HMAC fails on every one of three reads. The check reads the raw file: another
/// process checkpointing into it at that moment can show a page half written, once; real damage
/// fails every time.
fn lasting_cipher_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut found = cipher_problems(conn)?;
    for _ in 0..2 {
        if found.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        let again = cipher_problems(conn)?;
        found.retain(|problem| again.contains(problem));
    }
    Ok(found)
}

/// Opens a new database in this process's memory, with the current schema: nothing of it is
/// ever on disk (temporary data stays in memory too), so it needs no key. For the read-only
/// stores of records as they stood at a past time (`store/as_of.rs`).
pub(crate) fn open_in_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    conn.execute_batch("PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = ON;")?;
    migrate(&conn)?;
    Ok(conn)
}

/// A write transaction that nests. Outside any transaction it is `BEGIN IMMEDIATE`: the write
/// lock is taken before anything is read, so no other connection to the file (another process)
/// commits between what this one reads and what it writes. Inside another write it is a
/// savepoint. Rolled back when dropped without [`commit`](Self::commit).
pub(crate) struct WriteTx<'c> {
    conn: &'c Connection,
    nested: bool,
    open: bool,
}

impl<'c> WriteTx<'c> {
    /// Starts a write on `conn` (a savepoint when one is open already).
    pub(crate) fn begin(conn: &'c Connection) -> Result<WriteTx<'c>> {
        let nested = !conn.is_autocommit();
        conn.execute_batch(if nested { "SAVEPOINT nested_write" } else { "BEGIN IMMEDIATE" })?;
        Ok(WriteTx { conn, nested, open: true })
    }

    /// Makes the write last (or, nested, part of the enclosing write).
    pub(crate) fn commit(mut self) -> Result<()> {
        self.conn.execute_batch(if self.nested { "RELEASE nested_write" } else { "COMMIT" })?;
        self.open = false;
        Ok(())
    }
}

impl std::ops::Deref for WriteTx<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for WriteTx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch(if self.nested { "ROLLBACK TO nested_write; RELEASE nested_write" } else { "ROLLBACK" });
        }
    }
}

/// SQLite's `auto_vacuum = INCREMENTAL`, so the pages compaction frees can be given back to
/// the file system ([`vacuum_free_pages`]). It must be set before the first table is made; a
/// store made without it is rewritten once (`VACUUM`) to take it.
fn use_incremental_vacuum(conn: &Connection) -> Result<()> {
    const INCREMENTAL: i64 = 2;
    if conn.query_row("PRAGMA auto_vacuum", [], |r| r.get::<_, i64>(0))? == INCREMENTAL {
        return Ok(());
    }
    conn.execute_batch("PRAGMA auto_vacuum = INCREMENTAL;")?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if tables > 0 {
        conn.execute_batch("VACUUM;")?;
    }
    Ok(())
}

/// Gives the database file's free pages back to the file system and empties the WAL.
pub(crate) fn vacuum_free_pages(conn: &Connection) -> Result<()> {
    // The pragma frees pages as it is stepped: step it to the end.
    let mut stmt = conn.prepare("PRAGMA incremental_vacuum")?;
    let mut rows = stmt.query([])?;
    while rows.next()?.is_some() {}
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    Ok(())
}

fn migrate(conn: &Connection) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { found: version, supported: SCHEMA_VERSION });
    }
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    // Every pending step in one transaction: an upgrade that fails leaves the store as it was.
    let tx = conn.unchecked_transaction()?;
    let tables: i64 = tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if version == 0 && tables == 0 {
        // A new store gets today's schema at once (a fifth of a new store's cost was the
        // steps' tables made, copied and dropped).
        tx.execute_batch(SCHEMA)?;
    } else {
        for sql in MIGRATIONS.iter().skip(version as usize) {
            tx.execute_batch(sql)?;
        }
    }
    tx.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
    tx.commit()?;
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

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;
    use crate::store::audit::{self, AuditReport};
    use rusqlite::{params, Connection};

    /// A store at schema 8 (audit rows with their link and every device id) is brought to the
    /// current schema: its chain still verifies and goes on, its own entries drop the device id.
    #[test]
    fn an_older_stores_audit_chain_survives_the_compact_layout() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..8] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute("INSERT INTO meta (key, value) VALUES ('device_id', 'own-device')", []).unwrap();
        let mut prev = vec![0u8; 32];
        for (seq, device) in [(1i64, "own-device"), (2, "another-device"), (3, "own-device")] {
            let hash = audit::entry_hash(&prev, seq, 1_000 + seq, device, "put", Some("record-1"));
            conn.execute(
                "INSERT INTO audit (seq, at, device_id, action, record_id, prev_hash, hash) VALUES (?1, ?2, ?3, 'put', 'record-1', ?4, ?5)",
                params![seq, 1_000 + seq, device, prev, hash],
            )
            .unwrap();
            prev = hash;
        }
        conn.execute("INSERT INTO duplicate_key (record_id, key) VALUES ('record-1', '{\"names\":[]}')", []).unwrap();
        for sql in &MIGRATIONS[8..] {
            conn.execute_batch(sql).unwrap();
        }
        let mut stmt = conn.prepare("SELECT device_id FROM audit ORDER BY seq").unwrap();
        let devices: Vec<Option<String>> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        assert_eq!(devices, [None, Some("another-device".to_string()), None]);
        assert_eq!(audit::verify(&conn).unwrap(), AuditReport { entries: 3, first_broken: None });
        audit::append(&conn, 2_000, "own-device", "put", Some("record-2")).unwrap();
        audit::append(&conn, 2_001, "another-device", "put", None).unwrap();
        assert_eq!(audit::verify(&conn).unwrap(), AuditReport { entries: 5, first_broken: None });
        assert!(conn.execute("UPDATE audit SET action = 'get' WHERE seq = 1", []).is_err(), "still append-only");
        let keys: i64 = conn.query_row("SELECT count(*) FROM person_key", [], |r| r.get(0)).unwrap();
        assert_eq!(keys, 0, "old duplicate keys are rebuilt from the documents when the store is opened");
        let doc_index: i64 = conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'record_index_doc'", [], |r| r.get(0)).unwrap();
        assert_eq!(doc_index, 0);
    }

    /// A store at schema 13 keeps every document chunk, in order, when its chunks move to a
    /// table with rowids (schema 14); deleting a document still takes its chunks with it.
    #[test]
    fn document_chunks_survive_the_move_to_a_rowid_table() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON;").unwrap();
        for sql in &MIGRATIONS[..13] {
            conn.execute_batch(sql).unwrap();
        }
        for doc in ["register/navbahor/2026", "register/navbahor/2026/notes-3"] {
            conn.execute("INSERT INTO doc (doc_id, audience, scope, period, heads) VALUES (?1, 'register', 'navbahor', 2026, x'')", [doc]).unwrap();
            for seq in 0..3i64 {
                conn.execute("INSERT INTO doc_chunk (doc_id, seq, bytes) VALUES (?1, ?2, ?3)", params![doc, seq, vec![seq as u8; 3000]]).unwrap();
            }
        }
        for sql in &MIGRATIONS[13..] {
            conn.execute_batch(sql).unwrap();
        }
        let read = |doc: &str| -> Vec<(i64, i64)> {
            let mut stmt = conn.prepare("SELECT seq, length(bytes) FROM doc_chunk WHERE doc_id = ?1 ORDER BY seq").unwrap();
            stmt.query_map([doc], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
        };
        assert_eq!(read("register/navbahor/2026/notes-3"), [(0, 3000), (1, 3000), (2, 3000)]);
        assert!(conn.execute("INSERT INTO doc_chunk (doc_id, seq, bytes) VALUES ('register/navbahor/2026', 1, x'00')", []).is_err(), "one chunk per number");
        conn.execute("DELETE FROM doc WHERE doc_id = 'register/navbahor/2026'", []).unwrap();
        assert!(read("register/navbahor/2026").is_empty(), "chunks go with their document");
        assert_eq!(read("register/navbahor/2026/notes-3").len(), 3);
    }

    /// A store at schema 15 keeps its index rows when `scope` becomes a column computed from
    /// the bucket id (schema 16): the same scope is read, lists filter on it, and new rows
    /// need none.
    #[test]
    fn the_index_scope_is_read_from_the_bucket_id() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..15] {
            conn.execute_batch(sql).unwrap();
        }
        for (doc, scope) in [("register/navbahor/2026", "navbahor"), ("service-migration/yangi hayot/2025", "yangi hayot")] {
            conn.execute("INSERT INTO doc (doc_id, audience, scope, period, heads) VALUES (?1, 'register', ?2, 2026, x'')", [doc, scope]).unwrap();
            conn.execute(
                "INSERT INTO record_index (record_id, doc_id, kind, title, search_key, scope, status, updated_at) VALUES (?1, ?2, 'person', 't', 't', ?3, 'registered', 1)",
                [format!("id-{scope}").as_str(), doc, scope],
            )
            .unwrap();
        }
        for sql in &MIGRATIONS[15..] {
            conn.execute_batch(sql).unwrap();
        }
        let scopes: Vec<(String, String)> = conn
            .prepare("SELECT record_id, scope FROM record_index ORDER BY record_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(scopes, [("id-navbahor".to_string(), "navbahor".to_string()), ("id-yangi hayot".to_string(), "yangi hayot".to_string())]);
        conn.execute("INSERT INTO record_index (record_id, doc_id, kind, title, search_key, status, updated_at) VALUES ('new', 'register/navbahor/2026', 'person', 'n', 'n', 'registered', 2)", [])
            .unwrap();
        let found: i64 = conn.query_row("SELECT count(*) FROM record_index WHERE scope = 'navbahor'", [], |r| r.get(0)).unwrap();
        assert_eq!(found, 2);
    }

    /// The schema of one script for new stores is the one the migrations make step by step.
    #[test]
    fn a_new_store_has_the_schema_the_migrations_make() {
        let schema_of = |conn: &Connection| -> Vec<(String, String, String)> {
            let mut stmt = conn.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name").unwrap();
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?))).unwrap();
            rows.map(|row| row.map(|(t, n, sql): (String, String, String)| (t, n, sql.split_whitespace().collect::<Vec<_>>().join(" "))))
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let stepped = Connection::open_in_memory().unwrap();
        for sql in MIGRATIONS {
            stepped.execute_batch(sql).unwrap();
        }
        let new = super::open_in_memory().unwrap();
        let version: i64 = new.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, super::SCHEMA_VERSION);
        let expected = schema_of(&stepped);
        let script: Vec<String> = {
            let mut stmt = stepped.prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name <> 'sqlite_sequence' ORDER BY rowid").unwrap();
            let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
            rows.map(|sql| format!("{};", sql.unwrap().trim())).collect()
        };
        assert!(
            schema_of(&new) == expected,
            "core/src/store/sql/schema.sql differs from what the migrations make; below its header it should read:\n\n{}\n",
            script.join("\n")
        );
    }

    /// Connections opened while another connection of the file keeps writing and checkpointing
    /// into it (the hub's pool growing under load) never report the file as damaged: the raw
    /// file they would check can hold a page half written at that moment.
    #[test]
    fn connections_opened_while_another_checkpoints_never_report_damage() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.db");
        let key = crate::security::DbKey::new([7; 32]);
        let writer = super::open(&path, &key).unwrap();
        writer.execute_batch("CREATE TABLE filler (bytes BLOB)").unwrap();
        let stop = &AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(move || {
                let mut round = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    round += 1;
                    for i in 0..32u8 {
                        writer.execute("INSERT INTO filler (bytes) VALUES (?1)", [vec![i ^ round as u8; 4096]]).unwrap();
                    }
                    writer.execute("DELETE FROM filler WHERE rowid % 3 = ?1", [round % 3]).unwrap();
                    writer.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
                }
            });
            // Stops the writer even when an open fails (the scope waits for it).
            struct StopOnDrop<'a>(&'a AtomicBool);
            impl Drop for StopOnDrop<'_> {
                fn drop(&mut self) {
                    self.0.store(true, Ordering::Relaxed);
                }
            }
            let _stop = StopOnDrop(stop);
            for _ in 0..400 {
                super::open_another(&path, &key).expect("a pool's next connection");
                super::open(&path, &key).expect("a first connection of another process");
            }
        });
    }
}
