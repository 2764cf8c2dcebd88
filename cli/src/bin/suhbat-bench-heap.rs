//! `suhbat-bench-heap STORE`: the Rust heap that loaded buckets hold, for `suhbat bench store`.
//!
//! Opens the store (key from `.suhbat-keys` beside it), loads every bucket once through the
//! public API and prints three numbers: live heap bytes per loaded record once all buckets are
//! in memory, the largest extra heap a single bucket load needed at its peak, and the growth
//! of the process's resident set (RSS, Linux; 0 elsewhere) per loaded record. Counted by a
//! global allocator that forwards to the system allocator and adds up live bytes; SQLCipher's
//! own page cache (C `malloc`) is not part of it. A separate binary so the `suhbat` binary
//! (and the hub it serves) keep the plain system allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Counts live heap bytes and their peak; allocation itself is the system allocator's.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so the
// caller's contract is `System`'s; the counters are plain atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is (see the impl).
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is (see the impl).
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is (see the impl).
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is (see the impl).
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_sub(layout.size(), Relaxed);
            grew(new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let Some(path) = std::env::args_os().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: suhbat-bench-heap STORE");
        std::process::exit(2);
    };
    match measure(&path) {
        Ok((per_record, peak_extra, rss_per_record)) => println!("{per_record:.0} {peak_extra} {rss_per_record:.0}"),
        Err(e) => {
            eprintln!("suhbat-bench-heap: {e}");
            std::process::exit(1);
        }
    }
}

/// This process's resident set in bytes (Linux), 0 where /proc does not tell it.
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok());
    kb.unwrap_or(0) * 1024
}

/// (live heap bytes per loaded record, largest extra heap of one bucket load at its peak,
/// resident-set growth per loaded record).
fn measure(path: &std::path::Path) -> Result<(f64, usize, f64), suhbat_core::Error> {
    use suhbat_core::{FileKeyProvider, ListQuery, RecordId, Store};
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let mut store = Store::open(path, &FileKeyProvider::new(dir.join(".suhbat-keys")))?;
    let rows = store.list(&ListQuery { limit: Some(u32::MAX), ..Default::default() })?;
    let mut firsts = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for row in &rows {
        if seen.insert(row.scope.clone()) {
            let id = RecordId::parse(&row.record_id).ok_or_else(|| suhbat_core::Error::Corrupt(format!("bad id in the index: {}", row.record_id)))?;
            firsts.push(id);
        }
    }
    drop(seen);
    store.evict_cache();
    let rss_before = resident_bytes();
    let before = LIVE.load(Relaxed);
    let mut peak_extra = 0;
    for id in &firsts {
        let live = LIVE.load(Relaxed);
        PEAK.store(live, Relaxed);
        let loaded = store.get_raw(id)?;
        drop(loaded);
        peak_extra = peak_extra.max(PEAK.load(Relaxed).saturating_sub(live));
    }
    let held = LIVE.load(Relaxed).saturating_sub(before);
    let records = rows.len().max(1) as f64;
    Ok((held as f64 / records, peak_extra, resident_bytes().saturating_sub(rss_before) as f64 / records))
}
