//! `suhbat bench writer` (hidden): the victim of the crash-safety test. It writes records to a
//! store for ever — new persons, single edits, small batches — and after each commit prints
//! one line per record it stored, `<record id> <value>`, flushed at once. The test SIGKILLs it
//! at random moments and checks that every printed edit survived.
//!
//! The value written (into the person's `inspector` field) is `<tag>-<counter>`, with a tag
//! that grows from run to run, so a later edit always compares greater than an earlier one.

use anyhow::Result;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::io::Write;
use std::path::Path;
use suhbat_core::sample::SampleData;
use suhbat_core::*;

/// Writes until killed (or until `limit` commits, when given).
pub(crate) fn run(store_path: &Path, tag: &str, seed: u64, limit: Option<usize>) -> Result<()> {
    let mut store = crate::open_store(&store_path.to_path_buf())?;
    let mahalla = store.device().profile.scopes.first().cloned().unwrap_or_else(|| "Navbahor".into());
    let mut ids: Vec<RecordId> = store
        .list(&ListQuery { kind: Some(RecordKind::Person), limit: Some(u32::MAX), ..Default::default() })?
        .into_iter()
        .filter_map(|row| RecordId::parse(&row.record_id))
        .collect();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut data = SampleData::new(seed);
    let mut out = std::io::stdout().lock();
    for counter in 0.. {
        if limit.is_some_and(|n| counter >= n) {
            break;
        }
        let value = format!("{tag}-{counter:06}");
        let written: Vec<RecordId> = match rng.gen_range(0..10) {
            0..=5 => {
                let mut person = data.person(&mahalla, 2026);
                person.inspector = value.clone();
                store.put(&person)?;
                ids.push(person.id.clone());
                vec![person.id]
            }
            6..=8 if !ids.is_empty() => {
                let id = ids[rng.gen_range(0..ids.len())].clone();
                store.update::<Person>(&id, |p| p.inspector = value.clone())?;
                vec![id]
            }
            _ => {
                let batch: Vec<Person> = (0..rng.gen_range(2..6))
                    .map(|_| {
                        let mut p = data.person(&mahalla, 2026);
                        p.inspector = value.clone();
                        p
                    })
                    .collect();
                store.put_many(&batch)?;
                let batch_ids: Vec<RecordId> = batch.into_iter().map(|p| p.id).collect();
                ids.extend(batch_ids.iter().cloned());
                batch_ids
            }
        };
        for id in written {
            writeln!(out, "{id} {value}")?;
        }
        out.flush()?;
    }
    Ok(())
}
