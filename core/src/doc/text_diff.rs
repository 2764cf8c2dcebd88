//! Updating a collaborative text with splices: only the characters that changed are deleted
//! and inserted, so what another person typed concurrently elsewhere in the same text survives
//! the merge.
//!
//! The cost is bounded on purpose. The common prefix and suffix are cut off first (linear), and
//! the middle is diffed character by character with Myers' algorithm only while the edit
//! distance stays under [`MAX_EDIT_DISTANCE`]; a larger rewrite becomes one splice of the
//! middle. So a pasted 64 KB note costs milliseconds, never minutes (Automerge's own
//! `update_text` diffs without a bound).

use automerge::transaction::Transactable;
use automerge::{ObjId, ReadDoc, TextEncoding};

/// Above this many inserted plus deleted characters in the middle, it is replaced in one splice.
const MAX_EDIT_DISTANCE: usize = 1_000;

/// One edit: at `old_at` (in characters of the old text), delete `delete` characters and insert
/// `insert` characters of the new text starting at `new_at`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Splice {
    pub old_at: usize,
    pub delete: usize,
    pub new_at: usize,
    pub insert: usize,
}

/// Makes the text object `obj` read `new`, splicing only what differs from `old` (its current
/// content as the transaction sees it).
pub(crate) fn splice_to<T: Transactable + ReadDoc>(tx: &mut T, obj: &ObjId, old: &str, new: &str) -> Result<(), automerge::AutomergeError> {
    if old == new {
        return Ok(());
    }
    let encoding = tx.text_encoding();
    if encoding == TextEncoding::GraphemeCluster {
        // Splice positions would be grapheme clusters; not used by Suhbat's documents.
        return tx.update_text(obj, new);
    }
    let old_chars: Vec<char> = old.chars().collect();
    let new_chars: Vec<char> = new.chars().collect();
    let width = |chars: &[char]| -> usize {
        match encoding {
            TextEncoding::Utf8CodeUnit => chars.iter().map(|c| c.len_utf8()).sum(),
            TextEncoding::Utf16CodeUnit => chars.iter().map(|c| c.len_utf16()).sum(),
            _ => chars.len(),
        }
    };
    // Applied back to front, so earlier positions stay valid.
    for splice in diff(&old_chars, &new_chars).iter().rev() {
        let at = width(&old_chars[..splice.old_at]);
        let delete = width(&old_chars[splice.old_at..splice.old_at + splice.delete]);
        let insert: String = new_chars[splice.new_at..splice.new_at + splice.insert].iter().collect();
        tx.splice_text(obj, at, delete as isize, &insert)?;
    }
    Ok(())
}

/// The splices that turn `old` into `new`, in order.
pub(crate) fn diff(old: &[char], new: &[char]) -> Vec<Splice> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..].iter().rev().zip(new[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    let (a, b) = (&old[prefix..old.len() - suffix], &new[prefix..new.len() - suffix]);
    let whole = || vec![Splice { old_at: prefix, delete: a.len(), new_at: prefix, insert: b.len() }];
    if a.is_empty() || b.is_empty() {
        return whole();
    }
    match myers(a, b, MAX_EDIT_DISTANCE) {
        Some(mut splices) => {
            for s in &mut splices {
                s.old_at += prefix;
                s.new_at += prefix;
            }
            splices
        }
        None => whole(),
    }
}

/// Myers' shortest edit script between `a` and `b`, as splices; `None` when it needs more than
/// `max_d` inserted plus deleted characters. Memory grows with `max_d²`, not with the texts.
fn myers(a: &[char], b: &[char], max_d: usize) -> Option<Vec<Splice>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max_d = max_d.min((n + m) as usize) as isize;
    let offset = max_d + 1;
    let mut v = vec![0isize; 2 * offset as usize + 1];
    let at = |v: &[isize], k: isize| v[(k + offset) as usize];
    // Before each step d, the furthest x on diagonals -(d+1)..=d+1, to walk the path back.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    'search: for d in 0..=max_d {
        trace.push(v[(offset - d - 1).max(0) as usize..=(offset + d + 1) as usize].to_vec());
        let mut k = -d;
        while k <= d {
            let down = k == -d || (k != d && at(&v, k - 1) < at(&v, k + 1));
            let mut x = if down { at(&v, k + 1) } else { at(&v, k - 1) + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[(k + offset) as usize] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'search;
            }
            k += 2;
        }
    }
    let found = found?;
    // Walk back from (n, m): each step d is one inserted or deleted character before a run of
    // equal ones. Positions are (x in old, y in new) before the edit.
    let mut edits: Vec<(usize, usize, bool)> = Vec::with_capacity(found as usize);
    let (mut x, mut y) = (n, m);
    for d in (1..=found).rev() {
        let window = &trace[d as usize];
        let before = |k: isize| window[(k + d + 1) as usize];
        let k = x - y;
        let down = k == -d || (k != d && before(k - 1) < before(k + 1));
        let prev_k = if down { k + 1 } else { k - 1 };
        let prev_x = before(prev_k);
        let prev_y = prev_x - prev_k;
        edits.push((prev_x as usize, prev_y as usize, down));
        x = prev_x;
        y = prev_y;
    }
    edits.reverse();
    let mut splices: Vec<Splice> = Vec::new();
    for (x, y, insert) in edits {
        if let Some(last) = splices.last_mut() {
            if last.old_at + last.delete == x && last.new_at + last.insert == y {
                if insert {
                    last.insert += 1;
                } else {
                    last.delete += 1;
                }
                continue;
            }
        }
        splices.push(Splice { old_at: x, delete: usize::from(!insert), new_at: y, insert: usize::from(insert) });
    }
    Some(splices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &str, new: &str) -> String {
        let (o, n): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
        let mut out = o.clone();
        for s in diff(&o, &n).iter().rev() {
            out.splice(s.old_at..s.old_at + s.delete, n[s.new_at..s.new_at + s.insert].iter().copied());
        }
        out.into_iter().collect()
    }

    #[test]
    fn splices_turn_the_old_text_into_the_new() {
        let cases = [
            ("", "abc"),
            ("abc", ""),
            ("abc", "abc"),
            ("The cat sat.", "The black cat sat down."),
            ("O‘g‘iloy keldi", "Oʻgʻiloy kelmadi"),
            ("abcdef", "azcyef"),
            ("one two three", "three two one"),
            ("Тошкент шаҳри", "Тошкент вилояти"),
        ];
        for (old, new) in cases {
            assert_eq!(apply(old, new), new, "{old:?} → {new:?}");
        }
    }

    #[test]
    fn two_separate_edits_stay_two_small_splices() {
        let old: Vec<char> = "First sentence. Middle part stays. Last sentence.".chars().collect();
        let new: Vec<char> = "First sentence! Middle part stays. Last sentences.".chars().collect();
        let splices = diff(&old, &new);
        assert_eq!(splices.len(), 2, "{splices:?}");
        assert!(splices.iter().all(|s| s.delete <= 1 && s.insert <= 1));
    }

    #[test]
    fn a_large_rewrite_is_one_splice_and_fast() {
        let old: String = (0..60_000).map(|i| char::from(b'a' + (i % 7) as u8)).collect();
        let new: String = (0..60_000).map(|i| char::from(b'a' + (i % 5) as u8)).collect();
        let started = std::time::Instant::now();
        assert_eq!(apply(&old, &new), new);
        // Reported, never asserted on time: the bound is the edit distance cap.
        eprintln!("60k-character rewrite diffed in {:?}", started.elapsed());
        let (o, n): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
        assert_eq!(diff(&o, &n).len(), 1);
    }
}
