//! The wire form of change signatures: which device made each change, proven with its Ed25519
//! key. They travel with the changes (bundles, sync) so the hub can check authorship of relayed
//! changes too; the store keeps them (`store/signatures.rs`).

use super::{decode_hash, Reader, WireError, Writer, MAX_ID_LEN};
use automerge::ChangeHash;

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
            let hash = decode_hash(r.bytes("signed change hash", 32)?)?;
            let device_id = r.str("signing device", MAX_ID_LEN)?.to_string();
            let signature: [u8; 64] =
                r.bytes("signature", 64)?.try_into().map_err(|_| WireError::Invalid { what: "signature", reason: "not 64 bytes".into() })?;
            out.push(ChangeSignature { hash, device_id, signature });
        }
        Ok(out)
    }
}
