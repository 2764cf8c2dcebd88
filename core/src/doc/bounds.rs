//! Size checks on a change's bytes before Automerge sees them. Automerge inflates a compressed
//! change without limit and expands run-length columns into operations, so a few hundred
//! kilobytes from anyone can ask for gigabytes. These checks read only the chunk header, inflate
//! with a hard cap, and count the operations (and predecessors) the columns would expand to,
//! in time and memory proportional to the bytes received.

use flate2::bufread::DeflateDecoder;
use std::io::Read;

/// Most bytes one change may inflate to (16 MiB).
pub const MAX_CHANGE_INFLATED_BYTES: usize = 16 << 20;
/// Most operations one change may hold.
pub const MAX_OPS_PER_CHANGE: u64 = 1_000_000;
/// Most inflated bytes all changes of one message may take together (64 MiB).
pub const MAX_MESSAGE_INFLATED_BYTES: usize = 64 << 20;
/// Most operations all changes of one message may hold together.
pub const MAX_OPS_PER_MESSAGE: u64 = 2_000_000;

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const CHUNK_CHANGE: u8 = 1;
const CHUNK_COMPRESSED: u8 = 2;
/// Column specs (id << 4 | deflate << 3 | type) of the action and predecessor-group columns.
const ACTION_COLUMN: u64 = (4 << 4) | 2;
const PRED_GROUP_COLUMN: u64 = 7 << 4;
const DEFLATE_BIT: u64 = 1 << 3;
/// More columns than a change has ever had (ten today).
const MAX_COLUMNS: u64 = 64;
const MAX_DEPS: u64 = 10_000;
const MAX_ACTORS: u64 = 10_000;

/// What the changes of one message may still use; every checked change draws on it.
#[derive(Clone, Debug)]
pub struct ChangeBudget {
    inflated_bytes: usize,
    ops: u64,
}

impl ChangeBudget {
    /// The budget of one message.
    pub fn for_message() -> Self {
        ChangeBudget { inflated_bytes: MAX_MESSAGE_INFLATED_BYTES, ops: MAX_OPS_PER_MESSAGE }
    }

    /// Checks one change's bytes and draws its size from the budget; `Err` says why it is
    /// refused. Nothing is allocated beyond the capped inflation.
    pub fn check(&mut self, bytes: &[u8]) -> Result<(), String> {
        let (kind, body) = chunk(bytes)?;
        let inflated;
        let body = match kind {
            CHUNK_CHANGE => body,
            CHUNK_COMPRESSED => {
                let cap = MAX_CHANGE_INFLATED_BYTES.min(self.inflated_bytes);
                inflated = inflate_capped(body, cap)?;
                &inflated[..]
            }
            other => return Err(format!("chunk type {other} is not a change")),
        };
        if body.len() > self.inflated_bytes || body.len() > MAX_CHANGE_INFLATED_BYTES {
            return Err(format!("the change is {} bytes, more than this message may still carry", body.len()));
        }
        let ops = count_ops(body)?;
        if ops > MAX_OPS_PER_CHANGE || ops > self.ops {
            return Err(format!("the change holds {ops} operations, more than this message may still carry"));
        }
        self.inflated_bytes -= body.len();
        self.ops -= ops;
        Ok(())
    }
}

/// The chunk type and the body after the header; the body must fill the rest exactly.
fn chunk(bytes: &[u8]) -> Result<(u8, &[u8]), String> {
    let mut r = Cursor { bytes, at: 0 };
    if r.take(4)? != MAGIC {
        return Err("not an Automerge chunk".into());
    }
    r.take(4)?; // checksum, checked by Automerge
    let kind = r.take(1)?[0];
    let len = r.uleb()?;
    let body = r.take_len(len)?;
    if r.at != bytes.len() {
        return Err("bytes left over after the change".into());
    }
    Ok((kind, body))
}

fn inflate_capped(compressed: &[u8], cap: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    DeflateDecoder::new(compressed).take(limit).read_to_end(&mut out).map_err(|_| "the compressed change does not inflate".to_string())?;
    if out.len() > cap {
        return Err(format!("the change inflates to more than {cap} bytes"));
    }
    Ok(out)
}

/// How many operations (and predecessor references) the change body's columns expand to.
/// Every other column is read in step with the action column, so these two bound the work.
fn count_ops(body: &[u8]) -> Result<u64, String> {
    let mut r = Cursor { bytes: body, at: 0 };
    let deps = r.uleb()?;
    if deps > MAX_DEPS {
        return Err(format!("{deps} dependencies"));
    }
    r.take_len(deps.saturating_mul(32))?;
    let actor = r.uleb()?;
    r.take_len(actor)?;
    r.uleb()?; // sequence number
    r.uleb()?; // start op
    r.uleb()?; // time (signed LEB128: same length rules)
    let message = r.uleb()?;
    r.take_len(message)?;
    let others = r.uleb()?;
    if others > MAX_ACTORS {
        return Err(format!("{others} other actors"));
    }
    for _ in 0..others {
        let len = r.uleb()?;
        r.take_len(len)?;
    }
    let columns = r.uleb()?;
    if columns > MAX_COLUMNS {
        return Err(format!("{columns} columns"));
    }
    let mut specs = Vec::new();
    for _ in 0..columns {
        specs.push((r.uleb()?, r.uleb()?));
    }
    let (mut ops, mut preds) = (0u64, 0u64);
    for (spec, len) in specs {
        let data = r.take_len(len)?;
        if spec & DEFLATE_BIT != 0 && !data.is_empty() {
            return Err("a change column is compressed on its own".into());
        }
        match spec {
            ACTION_COLUMN => ops = rle_totals(data)?.0,
            PRED_GROUP_COLUMN => preds = rle_totals(data)?.1,
            _ => {}
        }
    }
    if preds > MAX_OPS_PER_CHANGE {
        return Err(format!("the change refers to {preds} earlier operations"));
    }
    Ok(ops)
}

/// (number of values, sum of the values) of a run-length encoded column of unsigned integers.
fn rle_totals(data: &[u8]) -> Result<(u64, u64), String> {
    let mut r = Cursor { bytes: data, at: 0 };
    let (mut count, mut sum) = (0u64, 0u64);
    while r.at < data.len() {
        let run = r.sleb()?;
        if run > 0 {
            let value = r.uleb()?;
            count = count.saturating_add(run.unsigned_abs());
            sum = sum.saturating_add(value.saturating_mul(run.unsigned_abs()));
        } else if run < 0 {
            for _ in 0..run.unsigned_abs() {
                sum = sum.saturating_add(r.uleb()?);
                count = count.saturating_add(1);
            }
        } else {
            count = count.saturating_add(r.uleb()?);
        }
        if count > MAX_OPS_PER_CHANGE || sum > MAX_OPS_PER_CHANGE {
            return Ok((count, sum));
        }
    }
    Ok((count, sum))
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|end| *end <= self.bytes.len()).ok_or("the change ends early")?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn take_len(&mut self, n: u64) -> Result<&'a [u8], String> {
        self.take(usize::try_from(n).map_err(|_| "a length is too large")?)
    }

    fn uleb(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7f).checked_shl(shift).unwrap_or(0);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number is longer than 64 bits".into())
    }

    fn sleb(&mut self) -> Result<i64, String> {
        let mut value = 0i64;
        let mut shift = 0u32;
        loop {
            let byte = self.take(1)?[0];
            if shift >= 64 {
                return Err("a number is longer than 64 bits".into());
            }
            value |= i64::from(byte & 0x7f).wrapping_shl(shift);
            shift += 7;
            if byte & 0x80 == 0 {
                if shift < 64 && byte & 0x40 != 0 {
                    value |= -1i64 << shift;
                }
                return Ok(value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ObjType, ROOT};

    fn real_change(chars: usize) -> Vec<u8> {
        let mut doc = AutoCommit::new();
        let text = doc.put_object(ROOT, "note", ObjType::Text).unwrap();
        doc.splice_text(&text, 0, 0, &"a".repeat(chars)).unwrap();
        doc.put(ROOT, "n", 7).unwrap();
        let change = doc.get_last_local_change().unwrap().clone();
        change.raw_bytes().to_vec()
    }

    #[test]
    fn a_real_change_passes_and_its_operations_are_counted() {
        let bytes = real_change(300);
        let (_, body) = chunk(&bytes).unwrap();
        assert!(!body.is_empty());
        let mut budget = ChangeBudget::for_message();
        budget.check(&bytes).unwrap();
        assert_eq!(budget.ops, MAX_OPS_PER_MESSAGE - 302);
    }

    #[test]
    fn a_run_length_bomb_is_refused_without_expanding_it() {
        // One run of a billion "set" actions: a few bytes that would expand to a billion ops.
        let mut column = vec![];
        leb128::write::signed(&mut column, 1_000_000_000).unwrap();
        leb128::write::unsigned(&mut column, 1).unwrap();
        assert!(rle_totals(&column).unwrap().0 > MAX_OPS_PER_CHANGE);
    }

    #[test]
    fn a_deflate_bomb_is_refused_at_the_cap() {
        use flate2::write::DeflateEncoder;
        use std::io::Write;
        let mut encoder = DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&vec![0u8; 64 << 20]).unwrap();
        let compressed = encoder.finish().unwrap();
        assert!(compressed.len() < 200_000);
        assert!(inflate_capped(&compressed, 1 << 20).unwrap_err().contains("more than"));
    }
}
