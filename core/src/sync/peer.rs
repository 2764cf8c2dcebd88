//! Device-side bookkeeping of what was agreed with a peer: per document, the synced heads.

use crate::error::Result;
use crate::store::{decode_heads, Store};
use crate::wire::frames::DocOffer;
use crate::wire::ChangeSignature;
use automerge::ChangeHash;
use sha2::{Digest, Sha256};

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

impl Store {
    /// What to offer `peer`: documents whose heads moved since the last agreement (with the
    /// changes since), or every document's heads when `full`. Also the digest of the recorded
    /// agreements and the signatures of the offered changes.
    pub(crate) fn sync_offers(&mut self, peer: &str, full: bool) -> Result<(Vec<DocOffer>, [u8; 32], Vec<ChangeSignature>)> {
        let agreed = self.synced_with(peer)?;
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
        let signatures = self.offered_signatures(&offers)?;
        Ok((offers, digest, signatures))
    }

    /// Offers of everything since `since` for the given documents, with the agreement digest.
    pub(crate) fn offers_since(&mut self, peer: &str, wanted: &[(String, Vec<ChangeHash>)]) -> Result<(Vec<DocOffer>, [u8; 32], Vec<ChangeSignature>)> {
        let agreed = self.synced_with(peer)?;
        let digest = digest(agreed.iter().map(|(d, h)| (d.as_str(), h.as_slice())));
        let mut offers = Vec::new();
        for (doc_id, since) in wanted {
            let bucket = self.bucket(doc_id)?;
            offers.push(DocOffer { doc_id: doc_id.clone(), heads: bucket.heads(), changes: bucket.doc.get_changes(since) });
        }
        let signatures = self.offered_signatures(&offers)?;
        Ok((offers, digest, signatures))
    }

    fn offered_signatures(&self, offers: &[DocOffer]) -> Result<Vec<ChangeSignature>> {
        self.signatures_of(offers.iter().flat_map(|o| o.changes.iter().map(|c| c.hash())))
    }
}
