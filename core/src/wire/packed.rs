//! Packed (deflated) message parts. The bulk of a sync request, a sync answer and a bundle —
//! the changes, their signatures and the authors — is packed before it is signed, so a
//! receiver checks the signature over the packed bytes first and inflates only what a known
//! sender signed. Inflating has a hard bound: the inflated length is declared in front, checked
//! against [`MAX_MESSAGE_BYTES`] before anything is inflated, and the inflater is stopped one
//! byte past it; a stream that inflates to another length is refused.
//!
//! A packed part is `method (1: 0 stored, 1 deflate) | inflated length (u32 LE) | bytes`.

use super::{WireError, MAX_MESSAGE_BYTES};
use flate2::bufread::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use std::borrow::Cow;
use std::io::{Read, Write};

/// Parts shorter than this are stored as they are (deflate would not pay for its header).
const MIN_PACKED_BYTES: usize = 256;
/// Largest part a packed message may inflate to: a whole message with its header.
const MAX_INFLATED_BYTES: usize = MAX_MESSAGE_BYTES + 10;

const STORED: u8 = 0;
const DEFLATE: u8 = 1;

/// Packs `bytes`: deflated when that makes them smaller, stored otherwise.
pub fn pack(bytes: &[u8]) -> Vec<u8> {
    if bytes.len() >= MIN_PACKED_BYTES {
        let mut encoder = DeflateEncoder::new(Vec::with_capacity(bytes.len() / 3 + 16), Compression::default());
        // Writing into a Vec cannot fail; should it ever, the bytes are stored instead.
        if let Ok(deflated) = encoder.write_all(bytes).and_then(|()| encoder.finish()) {
            if deflated.len() + 5 < bytes.len() {
                return framed(DEFLATE, bytes.len(), &deflated);
            }
        }
    }
    framed(STORED, bytes.len(), bytes)
}

fn framed(method: u8, inflated: usize, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 5);
    out.push(method);
    out.extend_from_slice(&(inflated as u32).to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// The bytes a packed part holds. The declared length is checked against the cap before
/// anything is inflated, and inflating stops one byte past it.
pub fn unpack<'a>(packed: &'a [u8], what: &'static str) -> Result<Cow<'a, [u8]>, WireError> {
    if packed.len() < 5 {
        return Err(WireError::Truncated { what });
    }
    let (method, rest) = (packed[0], &packed[1..]);
    let declared = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
    let data = &rest[4..];
    if declared > MAX_INFLATED_BYTES {
        return Err(WireError::TooLarge { what, len: declared, cap: MAX_INFLATED_BYTES });
    }
    let invalid = |reason: String| WireError::Invalid { what, reason };
    match method {
        STORED if data.len() == declared => Ok(Cow::Borrowed(data)),
        STORED => Err(invalid(format!("declares {declared} bytes but holds {}", data.len()))),
        DEFLATE => {
            let mut decoder = DeflateDecoder::new(data);
            // Deflate inflates at most ~1032:1, so the packed size also bounds a sane first guess.
            let mut out = Vec::with_capacity(declared.min(data.len().saturating_mul(8)).min(MAX_INFLATED_BYTES));
            (&mut decoder).take(declared as u64 + 1).read_to_end(&mut out).map_err(|e| invalid(format!("does not inflate: {e}")))?;
            if out.len() != declared {
                return Err(invalid(format!("declares {declared} bytes but inflates to {}{}", out.len(), if out.len() > declared { " or more" } else { "" })));
            }
            if !decoder.into_inner().is_empty() {
                return Err(invalid("bytes after the deflated stream".into()));
            }
            Ok(Cow::Owned(out))
        }
        other => Err(invalid(format!("unknown packing method {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_parts_are_stored_and_large_ones_deflated() {
        let small = b"navbahor".to_vec();
        assert_eq!(pack(&small)[0], STORED);
        assert_eq!(unpack(&pack(&small), "part").unwrap().as_ref(), small.as_slice());
        let large = "Lives with the grandmother. ".repeat(200).into_bytes();
        let packed = pack(&large);
        assert_eq!(packed[0], DEFLATE);
        assert!(packed.len() * 10 < large.len(), "{} of {}", packed.len(), large.len());
        assert_eq!(unpack(&packed, "part").unwrap().as_ref(), large.as_slice());
    }

    #[test]
    fn random_bytes_are_stored_when_deflate_would_grow_them() {
        let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        let packed = pack(&noise);
        assert!(packed.len() <= noise.len() + 5);
        assert_eq!(unpack(&packed, "part").unwrap().as_ref(), noise.as_slice());
    }

    #[test]
    fn a_bomb_is_refused_before_or_while_inflating() {
        let zeros = vec![0u8; 8 << 20];
        let honest = pack(&zeros);
        // Declares more than any message may hold: refused before inflating.
        let mut huge = honest.clone();
        huge[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(unpack(&huge, "part"), Err(WireError::TooLarge { .. })));
        // Declares less than it holds: inflating stops one byte past the declared length.
        let mut lying = honest.clone();
        lying[1..5].copy_from_slice(&1024u32.to_le_bytes());
        let err = unpack(&lying, "part").unwrap_err();
        assert!(err.to_string().contains("declares 1024 bytes but inflates to 1025 or more"), "{err}");
        // Declares more than it holds.
        let mut short = honest;
        short[1..5].copy_from_slice(&(9u32 << 20).to_le_bytes());
        assert!(unpack(&short, "part").is_err());
    }

    #[test]
    fn damaged_parts_are_errors_not_panics() {
        let packed = pack(&"the seven visited ".repeat(100).into_bytes());
        for cut in 0..packed.len() {
            let _ = unpack(&packed[..cut], "part");
        }
        let mut flipped = packed.clone();
        for i in 5..flipped.len() {
            flipped[i] ^= 0x5a;
            let _ = unpack(&flipped, "part");
            flipped[i] ^= 0x5a;
        }
        let mut trailing = packed;
        trailing.push(0);
        assert!(unpack(&trailing, "part").is_err());
        assert!(unpack(&[9, 0, 0, 0, 0], "part").is_err());
    }
}
