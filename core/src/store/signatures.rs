//! The signatures of changes this store holds (table `change_sig`), kept so the changes can be
//! offered again, verifiably. Their wire form is [`ChangeSignature`](crate::wire::ChangeSignature).

use crate::error::Result;
use crate::wire::ChangeSignature;
use automerge::ChangeHash;
use rusqlite::{params, Connection, OptionalExtension};

/// Stores signatures (ignoring ones already known).
pub(crate) fn store(conn: &Connection, signatures: &[ChangeSignature]) -> Result<()> {
    let mut stmt = conn.prepare_cached("INSERT OR IGNORE INTO change_sig (hash, device_id, signature) VALUES (?1, ?2, ?3)")?;
    for s in signatures {
        stmt.execute(params![s.hash.0.as_slice(), s.device_id, s.signature.as_slice()])?;
    }
    Ok(())
}

/// The known signatures of these changes.
pub(crate) fn lookup(conn: &Connection, hashes: impl IntoIterator<Item = ChangeHash>) -> Result<Vec<ChangeSignature>> {
    let mut stmt = conn.prepare_cached("SELECT device_id, signature FROM change_sig WHERE hash = ?1")?;
    let mut out = Vec::new();
    for hash in hashes {
        let row: Option<(String, Vec<u8>)> = stmt.query_row([hash.0.as_slice()], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        if let Some((device_id, sig)) = row {
            if let Ok(signature) = <[u8; 64]>::try_from(sig.as_slice()) {
                out.push(ChangeSignature { hash, device_id, signature });
            }
        }
    }
    Ok(out)
}
