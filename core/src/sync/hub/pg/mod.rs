//! The hub's storage in PostgreSQL: a region's hub, several stateless hub nodes on one
//! database behind any load balancer. Each node keeps a small pool of connections.
//!
//! - One document's writers take turns through a transaction-scoped advisory lock on a hash of
//!   the document id; other documents' writers run at the same time.
//! - Registry counters are rows locked with `SELECT … FOR UPDATE` by the transaction that
//!   stores the numbered document: final numbers stay gapless and unique across nodes.
//! - Nonces are claimed with `INSERT … ON CONFLICT DO NOTHING`: of two nodes answering the
//!   same request, one wins.
//! - Audit entries are chained under a transaction-scoped advisory lock.
//! - Personal data is sealed by the hub before it is stored ([`seal`]).

pub mod cluster;
mod migrate;
pub use migrate::MigrationReport;
mod seal;
mod tx;

use super::pool::Pool;
use super::storage::{HubIdentity, HubStorage, HubTx};
use crate::error::{Error, Result};
use crate::security::{DeviceKey, KeyProvider};
use crate::store::{audit, AuditReport};
use automerge::ActorId;
use postgres::{Client, NoTls};
use seal::Sealer;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The key id of the hub's sealing key in its [`KeyProvider`] (kept in the hub's data folder).
pub const SEALING_KEY_ID: &str = "suhbat-hub-postgres";

/// Migrations in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[include_str!("sql/001_initial.sql"), include_str!("sql/002_device_audit.sql"), include_str!("sql/003_files.sql")];

/// Advisory lock keys of the hub's own (not per-document) critical sections.
const MIGRATION_LOCK: i64 = 0x5355_4842_0001;
pub(super) const AUDIT_LOCK: i64 = 0x5355_4842_0002;

/// Connections per hub node.
const POOL_SIZE: usize = 8;

/// What the key check value opens to.
const KEY_CHECK: &[u8] = b"suhbat-hub-key-check-v1";

/// A PostgreSQL failure as a hub error.
pub(super) fn pg(e: postgres::Error) -> Error {
    Error::Io(std::io::Error::other(format!("PostgreSQL: {e}")))
}

/// The advisory lock key of one document.
pub(super) fn doc_lock(doc_id: &str) -> i64 {
    let hash = Sha256::digest(format!("suhbat-doc\n{doc_id}").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash[..8]);
    i64::from_le_bytes(first)
}

/// The hub's state in a PostgreSQL database.
pub(crate) struct PgStorage {
    pool: Pool<Client>,
    sealer: Arc<Sealer>,
}

impl PgStorage {
    /// Connects to `url`, brings the schema up to date and makes the hub's identity on first
    /// start. The sealing key comes from `keys`; every node of one hub needs the same key.
    pub(crate) fn open(url: &str, keys: &dyn KeyProvider) -> Result<PgStorage> {
        Self::open_as(url, keys, None)
    }

    /// [`open`](Self::open); a database without a hub yet takes `identity` (a hub moved from
    /// SQLite keeps its id, actor and key), and one with another hub is refused.
    pub(crate) fn open_as(url: &str, keys: &dyn KeyProvider, identity: Option<&HubIdentity>) -> Result<PgStorage> {
        let key = keys.get_or_create_key(SEALING_KEY_ID).map_err(|e| Error::KeyStore(e.to_string()))?;
        let sealer = Arc::new(Sealer::new(&key));
        let url = url.to_string();
        let pool = Pool::new(POOL_SIZE, move || Client::connect(&url, NoTls).map_err(pg));
        let storage = PgStorage { pool, sealer };
        storage.migrate(identity)?;
        Ok(storage)
    }

    /// Applies missing migrations and makes the identity, once, whichever node starts first.
    fn migrate(&self, identity: Option<&HubIdentity>) -> Result<()> {
        let mut conn = self.pool.get()?;
        conn.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK]).map_err(pg)?;
        let result = (|| {
            conn.batch_execute("CREATE TABLE IF NOT EXISTS hub_schema (version INTEGER NOT NULL)").map_err(pg)?;
            let version: i32 = conn.query_opt("SELECT version FROM hub_schema", &[]).map_err(pg)?.map(|r| r.get(0)).unwrap_or(0);
            if version as usize > MIGRATIONS.len() {
                return Err(Error::SchemaTooNew { found: i64::from(version), supported: MIGRATIONS.len() as i64 });
            }
            for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
                let mut tx = conn.transaction().map_err(pg)?;
                tx.batch_execute(sql).map_err(pg)?;
                tx.execute("DELETE FROM hub_schema", &[]).map_err(pg)?;
                tx.execute("INSERT INTO hub_schema (version) VALUES ($1)", &[&((i + 1) as i32)]).map_err(pg)?;
                tx.commit().map_err(pg)?;
            }
            self.make_identity(&mut conn, identity)
        })();
        let unlocked = conn.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]).map_err(pg);
        result.and(unlocked.map(|_| ()))
    }

    fn make_identity(&self, conn: &mut Client, identity: Option<&HubIdentity>) -> Result<()> {
        let check = conn.query_opt("SELECT value FROM hub_meta WHERE key = 'key_check'", &[]).map_err(pg)?;
        if let Some(row) = check {
            let sealed: Vec<u8> = row.get(0);
            if !matches!(self.sealer.open(b"meta:key_check", &sealed), Ok(plain) if plain == KEY_CHECK) {
                return Err(Error::WrongKey);
            }
            let existing: Option<Vec<u8>> = conn.query_opt("SELECT value FROM hub_meta WHERE key = 'device_id'", &[]).map_err(pg)?.map(|r| r.get(0));
            return match identity {
                Some(wanted) if existing.as_deref() != Some(wanted.device_id.as_bytes()) => {
                    Err(Error::BadArgument("the PostgreSQL database already holds another hub".into()))
                }
                _ => Ok(()),
            };
        }
        let key = match identity {
            Some(from) => DeviceKey::from_secret(from.key.secret().as_ref()).ok_or_else(|| Error::Corrupt("the hub's signing key".into()))?,
            None => DeviceKey::generate(),
        };
        let device_id = identity.map_or_else(|| uuid::Uuid::now_v7().to_string(), |i| i.device_id.clone());
        let actor = identity.map_or_else(|| ActorId::random().to_hex_string(), |i| i.actor.clone());
        let rows: [(&str, Vec<u8>); 4] = [
            ("device_id", device_id.into_bytes()),
            ("actor", actor.into_bytes()),
            ("signing_key", self.sealer.seal(b"meta:signing_key", key.secret().as_ref())?),
            ("key_check", self.sealer.seal(b"meta:key_check", KEY_CHECK)?),
        ];
        let mut tx = conn.transaction().map_err(pg)?;
        for (name, value) in rows {
            tx.execute("INSERT INTO hub_meta (key, value) VALUES ($1, $2)", &[&name, &value]).map_err(pg)?;
        }
        tx.commit().map_err(pg)
    }

    fn begin(&self, doc: Option<&str>) -> Result<Box<dyn HubTx + '_>> {
        let mut conn = self.pool.get()?;
        let begun = conn.batch_execute("BEGIN").and_then(|_| match doc {
            Some(doc_id) => conn.execute("SELECT pg_advisory_xact_lock($1)", &[&doc_lock(doc_id)]).map(|_| ()),
            None => Ok(()),
        });
        if let Err(e) = begun {
            if conn.is_closed() {
                conn.discard();
            }
            return Err(pg(e));
        }
        Ok(Box::new(tx::PgTx::new(conn, Arc::clone(&self.sealer))))
    }
}

impl HubStorage for PgStorage {
    fn identity(&self) -> Result<HubIdentity> {
        let mut conn = self.pool.get()?;
        let rows = conn.query("SELECT key, value FROM hub_meta", &[]).map_err(pg)?;
        let meta: BTreeMap<String, Vec<u8>> = rows.into_iter().map(|r| (r.get(0), r.get(1))).collect();
        let text = |name: &str| -> Result<String> {
            let bytes = meta.get(name).ok_or(Error::NotInitialised)?;
            String::from_utf8(bytes.clone()).map_err(|_| Error::Corrupt(format!("hub_meta {name} is not text")))
        };
        let secret = zeroize::Zeroizing::new(self.sealer.open(b"meta:signing_key", meta.get("signing_key").ok_or(Error::NotInitialised)?)?);
        let key = DeviceKey::from_secret(&secret).ok_or_else(|| Error::Corrupt("the hub's signing key has the wrong length".into()))?;
        Ok(HubIdentity { device_id: text("device_id")?, actor: text("actor")?, key })
    }

    fn read(&self) -> Result<Box<dyn HubTx + '_>> {
        self.begin(None)
    }

    fn write(&self) -> Result<Box<dyn HubTx + '_>> {
        self.begin(None)
    }

    fn write_doc(&self, doc_id: &str) -> Result<Box<dyn HubTx + '_>> {
        self.begin(Some(doc_id))
    }

    fn all_doc_heads(&self) -> Result<BTreeMap<String, Vec<u8>>> {
        let mut conn = self.pool.get()?;
        let rows = conn.query("SELECT doc_id, heads FROM hub_doc", &[]).map_err(pg)?;
        Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn doc_heads(&self, prefixes: &[String], ids: &[&str]) -> Result<BTreeMap<String, Vec<u8>>> {
        let mut conn = self.pool.get()?;
        // Bucket ids hold only letters, digits, `-` and `/`: no LIKE wildcard to escape.
        let patterns: Vec<String> = prefixes.iter().map(|p| format!("{p}%")).collect();
        let rows = conn.query("SELECT doc_id, heads FROM hub_doc WHERE doc_id LIKE ANY($1) OR doc_id = ANY($2)", &[&patterns, &ids]).map_err(pg)?;
        Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn verify_audit(&self) -> Result<AuditReport> {
        let mut conn = self.pool.get()?;
        let rows = conn.query("SELECT seq, at, device_id, action, record_id, prev_hash, hash FROM hub_audit ORDER BY seq", &[]).map_err(pg)?;
        audit::verify_entries(rows.into_iter().map(|r| {
            Ok(audit::AuditEntry {
                seq: r.get(0),
                at: r.get(1),
                device_id: r.get(2),
                action: r.get(3),
                record_id: r.get(4),
                prev: Some(r.get(5)),
                hash: r.get(6),
            })
        }))
    }
}
