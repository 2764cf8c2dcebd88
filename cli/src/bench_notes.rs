//! `suhbat bench store`, last table: four layouts of the records' notes, side by side, with
//! the same persons (issue 13: the text CRDT is what a bucket load pays for).

use anyhow::Result;
use suhbat_core::layout::measure_note_layouts;
use suhbat_core::sample::SampleData;
use suhbat_core::Person;

/// Notes documents beside a bucket in the sharded layout.
const SHARDS: usize = 16;

/// Prints the notes-layout table for buckets of 500 and 2,000 persons.
pub(crate) fn print_note_layouts() -> Result<()> {
    println!("\nnotes layouts, the same persons, compacted; open one = load the documents the record lives in (cold) + read it");
    println!(
        "| {:<50} | {:>7} | {:>10} | {:>5} | {:>4} | {:>8} | {:>9} | {:>9} | {:>9} |",
        "layout", "records", "per change", "merge", "docs", "ops", "snapshot", "open one", "load all"
    );
    println!(
        "|{}|{}|{}|{}|{}|{}|{}|{}|{}|",
        "-".repeat(52),
        "-".repeat(9),
        "-".repeat(12),
        "-".repeat(7),
        "-".repeat(6),
        "-".repeat(10),
        "-".repeat(11),
        "-".repeat(11),
        "-".repeat(11)
    );
    for (size, per_change) in [(500, 1), (500, 500), (2000, 1), (2000, 50)] {
        let mut data = SampleData::new(size as u64);
        let persons: Vec<Person> = (0..size).map(|_| data.person("Navbahor", 2026)).collect();
        for costs in measure_note_layouts(&persons, SHARDS, per_change)? {
            println!(
                "| {:<50} | {:>7} | {:>10} | {:>5} | {:>4} | {:>8} | {:>6.0} KB | {:>6.2} ms | {:>6.2} ms |",
                costs.layout,
                size,
                per_change,
                if costs.merges_characters { "chars" } else { "whole" },
                costs.docs,
                costs.ops,
                costs.snapshot_bytes as f64 / 1024.0,
                costs.open_one.as_secs_f64() * 1e3,
                costs.load_all.as_secs_f64() * 1e3,
            );
        }
    }
    println!("merge: 'chars' = concurrent edits of a note merge character by character; 'whole' = they become a conflict with both values kept");
    Ok(())
}
