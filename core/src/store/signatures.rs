//! Change signatures: which device made each change, proven with its Ed25519 key. They travel
//! with the changes (bundles, sync) so the hub can check authorship of relayed changes too.

use crate::error::Result;
use crate::wire::{Reader, WireError, Writer, MAX_ID_LEN};
use automerge::ChangeHash;
use rusqlite::{params, Connection, OptionalExtension};

/// A change's signature by its author device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ChangeSignature {
    pub hash: ChangeHash,
    pub device_id: String,
    pub signature: [u8; 64],
}

/// Most signatures one message may carry.
pub(crate) const MAX_SIGNATURES: usize = 500_000;

impl ChangeSignature {
    pub(crate) fn write_all(w: &mut Writer, signatures: &[ChangeSignature]) {
        w.u32(signatures.len() as u32);
        for s in signatures {
            w.bytes(&s.hash.0).str(&s.device_id).bytes(&s.signature);
        }
    }

    pub(crate) fn read_all(r: &mut Reader<'_>) -> Result<Vec<ChangeSignature>, WireError> {
        let count = r.count("signature count", MAX_SIGNATURES)?;
        let mut out = Vec::with_capacity(count.min(4096));
        for _ in 0..count {
            let hash = super::bundle::decode_hash(r.bytes("signed change hash", 32)?)?;
            let device_id = r.str("signing device", MAX_ID_LEN)?.to_string();
            let signature: [u8; 64] =
                r.bytes("signature", 64)?.try_into().map_err(|_| WireError::Invalid { what: "signature", reason: "not 64 bytes".into() })?;
            out.push(ChangeSignature { hash, device_id, signature });
        }
        Ok(out)
    }
}

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
