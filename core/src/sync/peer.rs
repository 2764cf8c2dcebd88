//! Device-side bookkeeping of what was agreed with a peer: per document, the synced heads.

use crate::error::{Error, Result};
use crate::store::{encode_heads, signatures, Store};
use crate::wire::frames::DocOffer;
use crate::wire::{decode_hash, ChangeSignature};
use automerge::ChangeHash;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub(crate) fn decode_heads(bytes: &[u8]) -> Result<Vec<ChangeHash>> {
    bytes.chunks(32).map(decode_hash).collect::<Result<Vec<_>, _>>().map_err(Error::Malformed)
}

/// The digest of (document, heads) pairs, in document order.
pub(crate) fn digest<'a>(rows: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> [u8; 32] {
    let mut hash = Sha256::new();
    for (doc_id, heads) in rows {
        hash.update((doc_id.len() as u32).to_le_bytes());
        hash.update(doc_id.as_bytes());
        hash.update((heads.len() as u32).to_le_bytes());
        hash.update(heads);
    }
    hash.finalize().into()
}

/// The synced heads recorded for `peer`, by document.
pub(crate) fn synced(conn: &Connection, peer: &str) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut stmt = conn.prepare_cached("SELECT doc_id, synced_heads FROM peer_doc WHERE peer_id = ?1")?;
    let rows = stmt.query_map([peer], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
    Ok(rows)
}

/// The heads of one local document, if this device holds it.
pub(crate) fn local_heads(store: &Store, doc_id: &str) -> Result<Option<Vec<ChangeHash>>> {
    let heads: Option<Vec<u8>> = store.conn.query_row("SELECT heads FROM doc WHERE doc_id = ?1", [doc_id], |r| r.get(0)).optional()?;
    heads.map(|h| decode_heads(&h)).transpose()
}

/// The heads this device last agreed on with `peer` for one document, if any.
pub(crate) fn synced_heads(store: &Store, peer: &str, doc_id: &str) -> Result<Option<Vec<ChangeHash>>> {
    let heads: Option<Vec<u8>> =
        store.conn.query_row("SELECT synced_heads FROM peer_doc WHERE peer_id = ?1 AND doc_id = ?2", [peer, doc_id], |r| r.get(0)).optional()?;
    heads.map(|h| decode_heads(&h)).transpose()
}

/// Records that `peer` and this device agree on `heads` for `doc_id`.
pub(crate) fn record_synced(conn: &Connection, peer: &str, doc_id: &str, heads: &[ChangeHash]) -> Result<()> {
    conn.execute(
        "INSERT INTO peer_doc (peer_id, doc_id, synced_heads) VALUES (?1, ?2, ?3)
         ON CONFLICT(peer_id, doc_id) DO UPDATE SET synced_heads = excluded.synced_heads",
        params![peer, doc_id, encode_heads(heads)],
    )?;
    Ok(())
}

impl Store {
    /// The current heads of every local document.
    pub(crate) fn doc_heads(&self) -> Result<BTreeMap<String, Vec<u8>>> {
        let mut stmt = self.conn.prepare_cached("SELECT doc_id, heads FROM doc")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
        Ok(rows)
    }

    /// What to offer `peer`: documents whose heads moved since the last agreement (with the
    /// changes since), or every document's heads when `full`. Also the digest of the recorded
    /// agreements and the signatures of the offered changes.
    pub(crate) fn sync_offers(&mut self, peer: &str, full: bool) -> Result<(Vec<DocOffer>, [u8; 32], Vec<ChangeSignature>)> {
        let agreed = synced(&self.conn, peer)?;
        let digest = digest(agreed.iter().map(|(d, h)| (d.as_str(), h.as_slice())));
        let mut offers = Vec::new();
        for (doc_id, heads) in self.doc_heads()? {
            let base = agreed.get(&doc_id).map(|h| decode_heads(h)).transpose()?.unwrap_or_default();
            let heads = decode_heads(&heads)?;
            if full {
                offers.push(DocOffer { doc_id, heads, changes: vec![] });
            } else if heads != base {
                let changes = self.bucket(&doc_id)?.doc.get_changes(&base);
                offers.push(DocOffer { doc_id, heads, changes });
            }
        }
        let signatures = self.signatures_of(&offers)?;
        Ok((offers, digest, signatures))
    }

    /// Offers of everything since `since` for the given documents, with the agreement digest.
    pub(crate) fn offers_since(&mut self, peer: &str, wanted: &[(String, Vec<ChangeHash>)]) -> Result<(Vec<DocOffer>, [u8; 32], Vec<ChangeSignature>)> {
        let agreed = synced(&self.conn, peer)?;
        let digest = digest(agreed.iter().map(|(d, h)| (d.as_str(), h.as_slice())));
        let mut offers = Vec::new();
        for (doc_id, since) in wanted {
            let bucket = self.bucket(doc_id)?;
            offers.push(DocOffer { doc_id: doc_id.clone(), heads: bucket.heads(), changes: bucket.doc.get_changes(since) });
        }
        let signatures = self.signatures_of(&offers)?;
        Ok((offers, digest, signatures))
    }

    fn signatures_of(&self, offers: &[DocOffer]) -> Result<Vec<ChangeSignature>> {
        signatures::lookup(&self.conn, offers.iter().flat_map(|o| o.changes.iter().map(|c| c.hash())))
    }

    /// The hub this device is enrolled with, if any.
    pub fn hub_id(&self) -> Result<Option<String>> {
        crate::store::read_meta(&self.conn, "hub_id")
    }
}
