//! `suhbat bench …`: measured figures next to the targets of design.md §8. Absolute times on
//! shared machines are noisy; ratios measured in the same run are the reliable part.

use anyhow::{Context, Result};
use clap::Subcommand;
use std::time::{Duration, Instant};
use suhbat_core::sample::SampleData;
use suhbat_core::*;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Store: storage per record, edit + durable save latency, cold bucket load, memory.
    Store {
        /// Records (persons) on the simulated device.
        #[arg(long, default_value_t = 5000)]
        records: usize,
        /// Records per mahalla (= per bucket).
        #[arg(long, default_value_t = 500)]
        per_bucket: usize,
        /// Timed single-record edits.
        #[arg(long, default_value_t = 300)]
        edits: usize,
    },
}

pub fn run(cmd: BenchCommand) -> Result<()> {
    match cmd {
        BenchCommand::Store { records, per_bucket, edits } => store(records, per_bucket.max(1), edits.max(1)),
    }
}

/// The `q` quantile (0..=1) of the samples.
pub fn quantile(samples: &mut [Duration], q: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort();
    let idx = ((samples.len() - 1) as f64 * q).round() as usize;
    samples[idx.min(samples.len() - 1)]
}

/// Resident memory of this process in bytes (Linux), if known.
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Prints one table row: measure, measured value, target, and whether it is met.
pub fn row(measure: &str, measured: String, target: &str, met: Option<bool>) {
    let verdict = match met {
        Some(true) => "ok",
        Some(false) => "MISSED",
        None => "",
    };
    println!("| {measure:<44} | {measured:>18} | {target:>22} | {verdict:<6} |");
}

/// Prints the table header.
pub fn header(title: &str) {
    println!("\n{title}");
    println!("| {:<44} | {:>18} | {:>22} | {:<6} |", "measure", "measured", "target", "");
    println!("|{}|{}|{}|{}|", "-".repeat(46), "-".repeat(20), "-".repeat(24), "-".repeat(8));
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn store(records: usize, per_bucket: usize, edits: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let keys = MemoryKeyProvider::new();
    let profile = DeviceProfile { person: "Bench".into(), role: Role::Inspector, scopes: vec![] };
    let path = dir.path().join("bench.db");
    let mut store = Store::create(&path, &keys, profile)?;
    let mut data = SampleData::new(42);
    let buckets = records.div_ceil(per_bucket);
    println!("bench store: {records} persons in {buckets} buckets of {per_bucket}, {edits} timed edits (SQLCipher, WAL, synchronous=FULL)");

    let started = Instant::now();
    let mut persons = Vec::with_capacity(records);
    for b in 0..buckets {
        let batch: Vec<Person> = (0..per_bucket.min(records - b * per_bucket)).map(|_| data.person(&format!("Mahalla {b}"), 2025)).collect();
        store.put_many(&batch)?;
        persons.extend(batch);
    }
    store.compact()?;
    let load_time = started.elapsed();
    let fresh = store.stats()?;

    // Timed single edits, each a durable transaction.
    let mut samples = Vec::with_capacity(edits);
    for i in 0..edits {
        let id = persons[(i * 7919) % persons.len()].id.clone();
        let t = Instant::now();
        store.update::<Person>(&id, |p| p.environment.school_or_work = format!("school {i}"))?;
        samples.push(t.elapsed());
    }
    let p50 = quantile(&mut samples, 0.5);
    let p95 = quantile(&mut samples, 0.95);

    // Five edits to each of a sample of records, to see growth per record.
    let edited = 200.min(persons.len());
    let before = { store.compact()?; store.stats()?.doc_bytes };
    for round in 0..5 {
        let batch: Vec<Person> = persons[..edited]
            .iter()
            .map(|p| {
                let mut p = store.get::<Person>(&p.id).map(|s| s.record).unwrap_or_else(|_| p.clone());
                p.environment.friends = format!("friends v{round}");
                p.address.house = format!("{}-uy", 10 + round);
                p
            })
            .collect();
        for p in &batch {
            store.put(p)?;
        }
    }
    store.compact()?;
    let after = store.stats()?.doc_bytes;
    let growth_per_edited = (after.saturating_sub(before)) as f64 / edited as f64;
    let per_record_new = fresh.doc_bytes as f64 / records as f64;

    // Cold bucket loads: reopen, then the first read of each bucket loads it from disk.
    drop(store);
    let mut store = Store::open(&path, &keys).context("reopening")?;
    let rss_before = resident_bytes();
    let mut loads = Vec::new();
    for b in 0..buckets {
        let id = persons[b * per_bucket].id.clone();
        let t = Instant::now();
        store.get::<Person>(&id)?;
        loads.push(t.elapsed());
    }
    let rss_after = resident_bytes();
    let load_p50 = quantile(&mut loads, 0.5);
    let load_max = quantile(&mut loads, 1.0);
    let resident = match (rss_before, rss_after) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a) as f64 / records as f64),
        _ => None,
    };

    header("store (design.md §8)");
    row("records stored (put_many per bucket)", format!("{records} in {:.1} s", load_time.as_secs_f64()), "", None);
    row("storage, documents: bytes/record new", format!("{per_record_new:.0} B"), "≤ 150 B", Some(per_record_new <= 150.0));
    row("storage, documents: bytes/record after 5 edits", format!("{:.0} B", per_record_new + growth_per_edited), "≤ 300 B", Some(per_record_new + growth_per_edited <= 300.0));
    row("storage, whole file incl. index: bytes/record", format!("{:.0} B", fresh.file_bytes as f64 / records as f64), "(for reference)", None);
    row("local edit + durable save p50", ms(p50), "", None);
    row("local edit + durable save p95", ms(p95), "≤ 5 ms", Some(p95 <= Duration::from_millis(5)));
    row(&format!("open a bucket cold ({per_bucket} records) p50"), ms(load_p50), "≤ 10 ms", Some(load_p50 <= Duration::from_millis(10)));
    row("open a bucket cold, slowest", ms(load_max), "", None);
    match resident {
        Some(r) => row("resident memory/record (RSS growth)", format!("{r:.0} B"), "≤ 2 KB", Some(r <= 2048.0)),
        None => row("resident memory/record", "n/a".into(), "≤ 2 KB", None),
    }
    Ok(())
}
