//! `suhbat bench …`: measured figures next to the targets of design.md §8. Absolute times on
//! shared machines are noisy; ratios measured in the same run are the reliable part.

use anyhow::Result;
use clap::Subcommand;
use std::path::Path;
use std::time::{Duration, Instant};
use suhbat_core::sample::SampleData;
use suhbat_core::*;

#[derive(Subcommand)]
pub(crate) enum BenchCommand {
    /// Store: storage per record, edit + durable save latency, cold bucket load, memory.
    Store {
        /// Records (persons) on the simulated device.
        #[arg(long, default_value_t = 5000)]
        records: usize,
        /// Records per mahalla (= per bucket).
        #[arg(long, default_value_t = 250)]
        per_bucket: usize,
        /// Timed single-record edits.
        #[arg(long, default_value_t = 300)]
        edits: usize,
    },
    /// Sync: wire bytes and round trips for k changed records, no-op sync, first
    /// provisioning, hub CPU for many devices, and the one-document-per-record ratio.
    Sync {
        /// Records on the simulated device.
        #[arg(long, default_value_t = 5000)]
        records: usize,
        /// Records per mahalla (= per bucket).
        #[arg(long, default_value_t = 250)]
        per_bucket: usize,
        /// Devices for the hub no-op figure.
        #[arg(long, default_value_t = 100)]
        devices: usize,
        /// Run the hub on PostgreSQL: a `postgres://` URL of an empty database, or `auto` for
        /// a throwaway local server (Debian's postgresql package). Default: SQLite.
        #[arg(long)]
        database: Option<String>,
    },
    /// Files: a sync of many records with photos sends the records first; the first screen
    /// after it does not wait for the photos; file bytes on the wire against the files' size.
    Files {
        /// Records (persons) on the phone that attaches the photos.
        #[arg(long, default_value_t = 300)]
        records: usize,
        /// Photos attached (one per record, to the first ones).
        #[arg(long, default_value_t = 50)]
        photos: usize,
    },
    /// Search: typical person queries (name in either script, partial, address, mahalla +
    /// birth year, the list screen) on a device with many persons, against ≤ 50 ms.
    Search {
        /// Persons on the simulated device.
        #[arg(long, default_value_t = 5000)]
        persons: usize,
        /// Times each query is run.
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// Hub soak: many simulated devices enrol and sync with a real HTTPS hub on the loopback
    /// interface, in waves; prints requests, latency and errors, fails on any lost change.
    Soak {
        /// Simulated devices.
        #[arg(long, default_value_t = 2000)]
        devices: usize,
        /// Client threads.
        #[arg(long, default_value_t = 4)]
        threads: usize,
        /// Records each device creates.
        #[arg(long, default_value_t = 2)]
        records: usize,
        /// Mahallas the devices are spread over.
        #[arg(long, default_value_t = 200)]
        mahallas: usize,
        /// Devices per wave.
        #[arg(long, default_value_t = 250)]
        wave: usize,
        /// Adds a pass in which a hostile client attacks the hub (bombs, garbage, guessed
        /// codes, slow bodies, silent connections) and compares the legitimate syncs' p95.
        #[arg(long)]
        attack: bool,
    },
    /// (Internal) Writes records until killed, printing each committed one (crash tests).
    #[command(hide = true)]
    Writer {
        /// The store.
        #[arg(long)]
        store: std::path::PathBuf,
        /// Prefix of the values written; must grow from run to run.
        #[arg(long)]
        tag: String,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Stop after this many commits (default: never).
        #[arg(long)]
        limit: Option<usize>,
    },
}

pub(crate) fn run(cmd: BenchCommand) -> Result<()> {
    match cmd {
        BenchCommand::Store { records, per_bucket, edits } => store(records, per_bucket.max(1), edits.max(1)),
        BenchCommand::Files { records, photos } => crate::bench_files::run(records.max(1), photos.min(records)),
        BenchCommand::Search { persons, runs } => crate::bench_search::run(persons.max(1), runs.max(1)),
        BenchCommand::Soak { devices, threads, records, mahallas, wave, attack } => {
            crate::bench_soak::run(&crate::bench_soak::SoakOptions { devices, threads, records: records.max(1), mahallas, wave, attack })
        }
        BenchCommand::Writer { store, tag, seed, limit } => crate::crash_writer::run(&store, &tag, seed, limit),
        BenchCommand::Sync { records, per_bucket, devices, database } => {
            crate::bench_sync::run(records.max(1), per_bucket.max(1), devices.max(1), database.as_deref())
        }
    }
}

/// The `q` quantile (0..=1) of the samples.
pub(crate) fn quantile(samples: &mut [Duration], q: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort();
    let idx = ((samples.len() - 1) as f64 * q).round() as usize;
    samples[idx.min(samples.len() - 1)]
}

/// Prints one table row: measure, measured value, target, and whether it is met.
pub(crate) fn row(measure: &str, measured: String, target: &str, met: Option<bool>) {
    let verdict = match met {
        Some(true) => "ok",
        Some(false) => "MISSED",
        None => "",
    };
    println!("| {measure:<52} | {measured:>18} | {target:>18} | {verdict:<6} |");
}

/// Prints the table header.
pub(crate) fn header(title: &str) {
    println!("\n{title}");
    println!("| {:<52} | {:>18} | {:>18} | {:<6} |", "measure", "measured", "target", "");
    println!("|{}|{}|{}|{}|", "-".repeat(54), "-".repeat(20), "-".repeat(20), "-".repeat(8));
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// The disk's own latency for a 4 KiB write + fsync (what a durable commit cannot beat).
fn fsync_latency(dir: &Path) -> Result<Duration> {
    use std::io::Write;
    let mut file = std::fs::File::create(dir.join("fsync-probe"))?;
    let mut samples = Vec::new();
    for _ in 0..40 {
        file.write_all(&[0u8; 4096])?;
        let t = Instant::now();
        file.sync_data()?;
        samples.push(t.elapsed());
    }
    Ok(quantile(&mut samples, 0.5))
}

/// Fills a store with `per_bucket`-sized buckets and returns it with the persons.
fn filled_store(path: &Path, keys: &dyn KeyProvider, records: usize, per_bucket: usize, seed: u64) -> Result<(Store, Vec<Person>)> {
    let profile = DeviceProfile { person: "Bench".into(), role: Role::Inspector, scopes: vec![] };
    let mut store = Store::create(path, keys, profile)?;
    let mut data = SampleData::new(seed);
    let mut persons = Vec::with_capacity(records);
    for b in 0..records.div_ceil(per_bucket) {
        let batch: Vec<Person> = (0..per_bucket.min(records - b * per_bucket)).map(|_| data.person(&format!("Mahalla {per_bucket} {b}"), 2025)).collect();
        store.put_many(&batch)?;
        persons.extend(batch);
    }
    store.compact()?;
    Ok((store, persons))
}

/// Median time to load a bucket of `size` records from disk.
fn cold_load(dir: &Path, keys: &dyn KeyProvider, size: usize) -> Result<Duration> {
    let path = dir.join(format!("cold-{size}.db"));
    let (mut store, persons) = filled_store(&path, keys, size * 3, size, 7)?;
    let mut samples = Vec::new();
    for round in 0..3 {
        for b in 0..3 {
            store.evict_cache();
            let id = &persons[b * size + round].id;
            let t = Instant::now();
            store.get::<Person>(id)?;
            samples.push(t.elapsed());
        }
    }
    Ok(quantile(&mut samples, 0.5))
}

fn store(records: usize, per_bucket: usize, edits: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let keys = crate::key_provider_for(&dir.path().join("bench.db"));
    let path = dir.path().join("bench.db");
    let buckets = records.div_ceil(per_bucket);
    println!("bench store: {records} persons in {buckets} buckets of {per_bucket}, {edits} timed edits (SQLCipher, WAL, synchronous=FULL)");
    let started = Instant::now();
    let (mut store, persons) = filled_store(&path, &keys, records, per_bucket, 42)?;
    let load_time = started.elapsed();
    let fresh = store.stats()?;

    // Timed single edits: change a field and store it durably (one transaction each).
    let mut samples = Vec::with_capacity(edits);
    for i in 0..edits {
        let mut person = store.get::<Person>(&persons[(i * 7919) % persons.len()].id)?.record;
        person.environment.school_or_work = format!("school {i}");
        let t = Instant::now();
        store.put(&person)?;
        samples.push(t.elapsed());
    }
    let p50 = quantile(&mut samples, 0.5);
    let p95 = quantile(&mut samples, 0.95);
    let disk = fsync_latency(dir.path())?;

    // Five edits to each of a sample of records, to see growth per record.
    let edited = 200.min(persons.len());
    store.compact()?;
    let before = store.stats()?.doc_bytes;
    for round in 0..5 {
        for original in &persons[..edited] {
            let mut p = store.get::<Person>(&original.id)?.record;
            p.environment.friends = format!("friends v{round}");
            p.address.house = format!("{}-uy", 10 + round);
            store.put(&p)?;
        }
    }
    store.compact()?;
    let growth_per_edited = store.stats()?.doc_bytes.saturating_sub(before) as f64 / edited as f64;
    // A record's history (person history): every change of its bucket is looked at once.
    let changes_in_bucket = store.history_changes(&persons[0].id)?;
    let started_history = Instant::now();
    let history = store.history(&persons[0].id)?;
    let history_time = started_history.elapsed();
    let per_record_new = fresh.doc_bytes as f64 / records as f64;
    drop(store);

    let cold: Vec<(usize, Duration)> = [100, 250, 500, 2000].into_iter().map(|n| cold_load(dir.path(), &keys, n).map(|d| (n, d))).collect::<Result<_>>()?;
    let heap = heap_probe(&path);
    let heap_largest = heap_probe(&dir.path().join("cold-2000.db"));
    let (first_screen, worklist_only) = first_screen(&path, &keys)?;
    let space = {
        let store = Store::open(&path, &keys)?;
        (store.stats()?.file_bytes, store.space_by_table()?)
    };

    header("store (design.md §8)");
    row("records stored (put_many, a change per 100 records)", format!("{records} in {:.1} s", load_time.as_secs_f64()), "", None);
    row("storage, documents: bytes/record new", format!("{per_record_new:.0} B"), "≤ 150 B", Some(per_record_new <= 150.0));
    let after_edits = per_record_new + growth_per_edited;
    row("storage, documents: bytes/record after 5 edits", format!("{after_edits:.0} B"), "≤ 300 B", Some(after_edits <= 300.0));
    let (file_bytes, tables) = space;
    let per_record_file = file_bytes as f64 / records as f64;
    row(
        &format!("whole store file per record, {records} records (compacted, as the upkeep after a sync leaves it)"),
        format!("{per_record_file:.0} B"),
        "≤ 800 B",
        Some(per_record_file <= 800.0),
    );
    for t in tables.iter().filter(|t| t.bytes * 100 >= file_bytes) {
        row(&format!("  of which table {}", t.table), format!("{:.0} B", t.bytes as f64 / records as f64), "", None);
    }
    row("local edit + durable save p50", ms(p50), "", None);
    row("local edit + durable save p95", ms(p95), "≤ 5 ms", Some(p95 <= Duration::from_millis(5)));
    row("  of which: this disk's fsync alone, p50", ms(disk), "(same run)", None);
    row(
        &format!("history of one record, 5 edits ({} values; its bucket {changes_in_bucket} changes)", history.values.len()),
        ms(history_time),
        "(for reference)",
        None,
    );
    for (n, d) in cold {
        let target = match n {
            500 => Some(Duration::from_millis(10)),
            2000 => Some(Duration::from_millis(40)),
            _ => None,
        };
        let shown = target.map(|t| format!("≤ {} ms", t.as_millis())).unwrap_or_default();
        row(&format!("open a bucket cold, {n} records, p50"), ms(d), &shown, target.map(|t| d <= t));
    }
    row(&format!("open the first screen (worklist), {records} records"), ms(first_screen), "≤ 50 ms", Some(first_screen <= Duration::from_millis(50)));
    row("  of which the worklist view-model", ms(worklist_only), "", None);
    match heap {
        Ok((per_record, peak, rss)) => {
            row(&format!("live heap per loaded record (buckets of {per_bucket})"), format!("{per_record:.0} B"), "≤ 1.5 KB", Some(per_record <= 1536.0));
            row(&format!("peak extra heap, one bucket load of {per_bucket}"), mb(peak), "≤ 8 MB", Some(peak <= 8 << 20));
            row("resident memory/record (fresh process, RSS)", format!("{rss:.0} B"), "(for reference)", None);
        }
        Err(why) => row("live heap per loaded record", format!("n/a: {why}"), "≤ 1.5 KB", None),
    }
    match heap_largest {
        Ok((per_record, peak, _)) => {
            row("live heap per loaded record (buckets of 2000)", format!("{per_record:.0} B"), "≤ 1.5 KB", Some(per_record <= 1536.0));
            row("peak extra heap, one bucket load of 2000", mb(peak), "≤ 8 MB", Some(peak <= 8 << 20));
        }
        Err(why) => row("peak extra heap, one bucket load of 2000", format!("n/a: {why}"), "≤ 8 MB", None),
    }
    crate::bench_notes::print_note_layouts()
}

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
}

/// Runs `suhbat-bench-heap` (beside this binary; it counts the Rust heap with its own global
/// allocator) on a store, in a fresh process: (live bytes per loaded record, peak extra bytes
/// of one bucket load, resident-set growth per loaded record).
fn heap_probe(store: &Path) -> std::result::Result<(f64, usize, f64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?.with_file_name("suhbat-bench-heap");
    if !exe.exists() {
        return Err("build it: cargo build --release -p suhbat".into());
    }
    let out = std::process::Command::new(&exe).arg(store).output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    let per_record = parts.next().and_then(|v| v.parse().ok()).ok_or("unreadable probe output")?;
    let peak = parts.next().and_then(|v| v.parse().ok()).ok_or("unreadable probe output")?;
    let rss = parts.next().and_then(|v| v.parse().ok()).ok_or("unreadable probe output")?;
    Ok((per_record, peak, rss))
}

/// Median time to open the store and build the app's first screen (the worklist), and of the
/// worklist alone, each run from a freshly opened store.
fn first_screen(path: &Path, keys: &dyn KeyProvider) -> Result<(Duration, Duration)> {
    let ctx = views::ViewContext::new(Locale::UzLatn);
    let (mut whole, mut view) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = Instant::now();
        let mut store = Store::open(path, keys)?;
        let opened = t.elapsed();
        views::worklist(&mut store, &ctx)?;
        whole.push(t.elapsed());
        view.push(t.elapsed() - opened);
    }
    Ok((quantile(&mut whole, 0.5), quantile(&mut view, 0.5)))
}
