//! `temp_store = MEMORY`: sorting, compacting and vacuuming a large store, and building the
//! records as of a time from it, write no temporary file, so no plaintext spills to disk. A
//! watcher thread polls this process's open files (`/proc/self/fd`, which also shows temp files
//! SQLite unlinks right after opening them) and reads every temporary one it sees. A plaintext SQLite connection with `temp_store = FILE`
//! first proves the watcher does see temp files.
//!
//! It sets `SQLITE_TMPDIR` for the whole process, so it wants a process of its own, as
//! nextest gives every test (the README's test command). Under plain `cargo test`, the open
//! temp or deleted files of other tests running beside it show up in its watch.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use suhbat_core::sample::SampleData;
use suhbat_core::*;

const MARKER: &str = "MARKER-temp-5be2";

/// Prints a figure even when the harness captures output.
fn report(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "    {line}");
}

/// What the watcher saw: temp file → (times seen, held the marker or a SQLite header).
type Seen = Arc<Mutex<BTreeMap<String, (usize, bool)>>>;

struct Watcher {
    stop: Arc<AtomicBool>,
    seen: Seen,
    polls: Arc<Mutex<usize>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn is_temp(target: &str, tmp: &Path, keep: &[PathBuf]) -> bool {
    let path = target.trim_end_matches(" (deleted)");
    let known = keep.iter().any(|k| path.starts_with(&*k.to_string_lossy()));
    !known && (path.starts_with(&*tmp.to_string_lossy()) || (target.ends_with(" (deleted)") && path.starts_with('/')))
}

impl Watcher {
    /// Watches for temporary files other than `keep` (the store's own files).
    fn start(tmp: &Path, keep: Vec<PathBuf>) -> Watcher {
        let stop = Arc::new(AtomicBool::new(false));
        let seen: Seen = Arc::default();
        let polls = Arc::new(Mutex::new(0));
        let (tmp, stop2, seen2, polls2) = (tmp.to_path_buf(), stop.clone(), seen.clone(), polls.clone());
        let thread = std::thread::spawn(move || {
            while !stop2.load(Ordering::Relaxed) {
                *polls2.lock().unwrap() += 1;
                let Ok(entries) = std::fs::read_dir("/proc/self/fd") else { return };
                for entry in entries.flatten() {
                    let Ok(target) = std::fs::read_link(entry.path()) else { continue };
                    let target = target.to_string_lossy().into_owned();
                    if !is_temp(&target, &tmp, &keep) {
                        continue;
                    }
                    let bytes = std::fs::read(entry.path()).unwrap_or_default();
                    let readable = bytes.starts_with(b"SQLite format 3") || bytes.windows(MARKER.len()).any(|w| w == MARKER.as_bytes());
                    let mut seen = seen2.lock().unwrap();
                    let slot = seen.entry(target).or_default();
                    slot.0 += 1;
                    slot.1 |= readable;
                }
                std::thread::sleep(Duration::from_micros(200));
            }
        });
        Watcher { stop, seen, polls, thread: Some(thread) }
    }

    fn finish(mut self) -> (usize, BTreeMap<String, (usize, bool)>) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
        let polls = *self.polls.lock().unwrap();
        let seen = self.seen.lock().unwrap().clone();
        (polls, seen)
    }
}

#[test]
fn no_temporary_file_appears_during_sort_compact_and_vacuum() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    // SQLite takes its temp directory from here before `TMPDIR`; other tests' temp
    // directories (`TMPDIR`) stay out of the watched one.
    std::env::set_var("SQLITE_TMPDIR", tmp.path());

    // Control: a plaintext connection that keeps temp data in files must be seen.
    let control = dir.path().join("control.sqlite");
    let watcher = Watcher::start(tmp.path(), vec![control.clone()]);
    let conn = rusqlite::Connection::open(&control).unwrap();
    conn.execute_batch("PRAGMA temp_store = FILE; PRAGMA main.cache_size = 8; CREATE TEMP TABLE t (x TEXT); PRAGMA temp.cache_size = 8;").unwrap();
    conn.execute_batch("BEGIN").unwrap();
    for i in 0..20_000 {
        conn.execute("INSERT INTO temp.t VALUES (?1)", [format!("{MARKER} {i:06} padding padding padding padding")]).unwrap();
    }
    conn.execute_batch("COMMIT").unwrap();
    let mut stmt = conn.prepare("SELECT x FROM temp.t ORDER BY random()").unwrap();
    let sorted = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().count();
    assert_eq!(sorted, 20_000);
    drop(stmt);
    std::thread::sleep(Duration::from_millis(50));
    drop(conn);
    let (control_polls, control_seen) = watcher.finish();
    assert!(!control_seen.is_empty(), "the watcher must see the control's temp files ({control_polls} polls)");

    // The store: thousands of records, then compaction, VACUUM, sorted lists, integrity check.
    let keys = MemoryKeyProvider::new();
    let profile = DeviceProfile { person: "aziz".into(), role: Role::Inspector, scopes: vec!["Navbahor".into(), "Qatortol".into()] };
    let path = dir.path().join("aziz.db");
    let mut store = Store::create(&path, &keys, profile).unwrap();
    let mut data = SampleData::new(31);
    let records: Vec<Person> = (0..3000)
        .map(|i| {
            let mut p = data.person(if i % 2 == 0 { "Navbahor" } else { "Qatortol" }, 2025);
            p.notes = format!("{MARKER} {i}");
            p
        })
        .collect();
    for chunk in records.chunks(500) {
        store.put_many(chunk).unwrap();
    }
    for p in records.iter().take(30) {
        store.update::<Person>(&p.id, |p| p.inspector = "Bobur".into()).unwrap();
    }
    let store_files: Vec<PathBuf> = ["", "-wal", "-shm", "-journal"].iter().map(|s| PathBuf::from(format!("{}{s}", path.display()))).collect();
    let watcher = Watcher::start(tmp.path(), store_files);
    store.compact().unwrap();
    store.vacuum().unwrap();
    for text in ["a", "o", "Navbahor", ""] {
        let rows = store.list(&ListQuery { text: Some(text.into()), limit: Some(100_000), ..Default::default() }).unwrap();
        assert!(!rows.is_empty());
    }
    store.check_integrity().unwrap();
    // The records as of now, in memory: building them and reading a report must spill nothing.
    let started = std::time::Instant::now();
    let mut then = store.as_of(chrono::Utc::now()).unwrap();
    let built = started.elapsed();
    let ctx = views::ViewContext::new(Locale::En);
    assert_eq!(views::person_list(&then, &ctx, "").unwrap().rows.len(), views::person_list(&store, &ctx, "").unwrap().rows.len());
    views::district_report(&mut then, &ctx, ctx.today() - chrono::Days::new(365), ctx.today(), None).unwrap();
    report(&format!(
        "records as of now: {} records of {} documents cut, copied and indexed in memory in {built:.1?}",
        then.as_of_report().unwrap().records,
        then.as_of_report().unwrap().docs
    ));
    drop(then);
    let (polls, seen) = watcher.finish();
    let leftover: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.path()).collect();
    report(&format!(
        "temp files: control (temp_store=FILE) showed {} temp file(s), marker readable: {}; store with {} records: {polls} polls during compact + VACUUM + 4 sorted lists + integrity check saw {} temp file(s), {} left in SQLITE_TMPDIR",
        control_seen.len(),
        control_seen.values().any(|(_, r)| *r),
        records.len(),
        seen.len(),
        leftover.len()
    ));
    drop(store);
    // What the page HMAC check at open costs on a store of this size.
    let started = std::time::Instant::now();
    Store::open(&path, &keys).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    report(&format!("open with every page's HMAC checked: {:.1?} for a {:.1} MB store of {} records", started.elapsed(), size as f64 / 1e6, records.len()));
    assert!(seen.is_empty(), "temporary files appeared: {seen:?}");
    assert!(leftover.is_empty(), "files left in the temp dir: {leftover:?}");
    assert!(polls > 10, "the watcher ran only {polls} times");
}
