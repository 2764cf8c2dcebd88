//! The wire form of a replica [`Summary`] (what a replica has: the heads of each of its
//! documents), for a file or the wire. The summary itself is the store's (`store/bundle.rs`).

use super::{decode_hash, MessageKind, Reader, WireError, Writer, MAX_DOCS_PER_MESSAGE, MAX_ID_LEN};
use crate::store::Summary;
use std::collections::BTreeMap;

/// Most heads one document may list in a summary.
const MAX_HEADS: usize = 1_000;

impl Summary {
    /// Encodes the summary for a file or the wire.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u32(self.docs.len() as u32);
        for (doc_id, heads) in &self.docs {
            w.str(doc_id).u32(heads.len() as u32);
            for head in heads {
                w.bytes(&head.0);
            }
        }
        w.finish(MessageKind::Summary)
    }

    /// Decodes a summary; malformed input is an error, never a panic.
    pub fn decode(bytes: &[u8]) -> Result<Summary, WireError> {
        let mut r = Reader::open(bytes, MessageKind::Summary)?;
        let mut docs = BTreeMap::new();
        for _ in 0..r.count("document count", MAX_DOCS_PER_MESSAGE)? {
            let doc_id = r.str("document id", MAX_ID_LEN)?.to_string();
            let mut heads = Vec::new();
            for _ in 0..r.count("head count", MAX_HEADS)? {
                heads.push(decode_hash(r.bytes("head", 32)?)?);
            }
            docs.insert(doc_id, heads);
        }
        r.finish()?;
        Ok(Summary { docs })
    }
}
