//! `suhbat bench sync`: wire bytes and round trips of the sync protocol on a 5,000-record
//! device, first provisioning, hub CPU for many no-op syncs, and the same figures for a naive
//! one-document-per-record layout measured in the same run.

use crate::bench::{header, row};
use anyhow::Result;
use std::time::{Duration, Instant};
use suhbat_core::layout::measure_one_doc_per_record;
use suhbat_core::sample::SampleData;
use suhbat_core::sync::{Hub, SyncReport, SyncSession};
use suhbat_core::*;

/// Runs one sync in memory; returns the report and the time spent inside the hub.
/// One sync of `store` with the in-process hub; returns its report and the time spent in the hub.
pub(crate) fn sync(hub: &Hub, store: &mut Store) -> Result<(SyncReport, Duration)> {
    let mut session = SyncSession::new(store)?;
    let mut in_hub = Duration::ZERO;
    while let Some(request) = session.next_request(store)? {
        let t = Instant::now();
        let answer = hub.handle_sync(&request);
        in_hub += t.elapsed();
        session.handle_response(store, &answer)?;
    }
    Ok((session.report().clone(), in_hub))
}

/// A store enrolled with `hub` as an inspector of `scope`.
pub(crate) fn device(hub: &Hub, dir: &std::path::Path, keys: &dyn KeyProvider, name: &str, scope: &str) -> Result<Store> {
    let mut store = Store::create(dir.join(format!("{name}.db")), keys, DeviceProfile { person: name.into(), role: Role::Inspector, scopes: vec![] })?;
    let code = hub.create_enrolment_code(name, Role::Inspector, &[scope.to_string()], chrono::Duration::hours(1))?;
    let answer = hub.handle_enrol(&store.enrol_request(&code));
    store.complete_enrolment(&answer)?;
    Ok(store)
}

/// Bytes as "12.3 KB" (or "512 B").
pub(crate) fn kb(bytes: u64) -> String {
    if bytes >= 10 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

/// Runs the sync bench with the hub on SQLite (`database` `None`), on the PostgreSQL database
/// at a `postgres://` URL, or on a throwaway local PostgreSQL server (`auto`, fsync on).
pub(crate) fn run(records: usize, per_bucket: usize, devices: usize, database: Option<&str>) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let keys = MemoryKeyProvider::new();
    let mut _cluster = None;
    let (hub, backend) = match database {
        None => (Hub::open(dir.path().join("hub.db"), &keys)?, "SQLite".to_string()),
        Some(spec) => {
            let url = if spec == "auto" {
                let cluster = suhbat_core::sync::pg::cluster::TestCluster::start(true).map_err(anyhow::Error::msg)?;
                let url = cluster.create_database().map_err(anyhow::Error::msg)?;
                _cluster = Some(cluster);
                url
            } else {
                spec.to_string()
            };
            (Hub::open_postgres(&url, &keys)?, "PostgreSQL (local server, fsync on)".to_string())
        }
    };
    let buckets = records.div_ceil(per_bucket);
    println!(
        "bench sync: hub on {backend}; {records}-record device ({buckets} buckets of {per_bucket}), {devices} devices for the hub figure; in-memory transport, frame bytes"
    );

    let mut data = SampleData::new(7);
    let mut author = device(&hub, dir.path(), &keys, "author", "*")?;
    let mut persons = Vec::with_capacity(records);
    for b in 0..buckets {
        let batch: Vec<Person> = (0..per_bucket.min(records - b * per_bucket)).map(|_| data.person(&format!("Mahalla {b}"), 2026)).collect();
        author.put_many(&batch)?;
        persons.extend(batch);
    }
    sync(&hub, &mut author)?;
    // The documents' size as one snapshot each (the author holds the same documents as the hub).
    author.compact()?;
    let snapshot = author.stats()?.doc_bytes;

    // First provisioning of a fresh device: three devices, the median (this shared machine's
    // timings vary by tens of percent from one run to the next).
    let mut provisionings = Vec::new();
    for spare in 0..2 {
        let mut spare = device(&hub, dir.path(), &keys, &format!("spare{spare}"), "*")?;
        let t = Instant::now();
        let (_, in_hub) = sync(&hub, &mut spare)?;
        provisionings.push((t.elapsed(), in_hub));
    }
    let mut phone = device(&hub, dir.path(), &keys, "phone", "*")?;
    let t = Instant::now();
    let (first, in_hub) = sync(&hub, &mut phone)?;
    provisionings.push((t.elapsed(), in_hub));
    provisionings.sort();
    let (provisioning_time, provisioning_hub) = provisionings[1];
    let provisioning_spread = (provisionings[0].0, provisionings[2].0);
    let provisioning_bytes = first.bytes_sent + first.bytes_received;

    // A sync where nothing changed.
    let (noop, _) = sync(&hub, &mut phone)?;

    // k changed records.
    let mut changed = Vec::new();
    for k in [1usize, 10, 100] {
        let before = phone.stats()?.doc_bytes;
        for i in 0..k {
            let id = persons[(i * 7919 + k) % persons.len()].id.clone();
            phone.update::<Person>(&id, |p| p.environment.school_or_work = format!("college {k}-{i}"))?;
        }
        let raw = phone.stats()?.doc_bytes - before;
        let (report, _) = sync(&hub, &mut phone)?;
        changed.push((k, raw, report));
    }

    // Bulk sync: 300 new conversations (an inspector's weeks in the field) in one sync.
    let new_conversations: Vec<Conversation> = (0..300).map(|i| data.conversation(&persons[i * persons.len() / 300], 2026)).collect();
    let json_bytes: u64 = new_conversations.iter().map(|c| serde_json::to_vec(c).map(|v| v.len() as u64)).sum::<Result<_, _>>()?;
    phone.put_many(&new_conversations)?;
    let (bulk, _) = sync(&hub, &mut phone)?;

    // Hub CPU for many devices' no-op syncs (each device holds one mahalla).
    let mut fleet = Vec::with_capacity(devices);
    for d in 0..devices {
        let mut store = device(&hub, dir.path(), &keys, &format!("d{d}"), &format!("Mahalla {}", d % buckets))?;
        sync(&hub, &mut store)?;
        fleet.push(store);
    }
    let mut hub_time = Duration::ZERO;
    for store in fleet.iter_mut() {
        let (report, in_hub) = sync(&hub, store)?;
        anyhow::ensure!(report.rounds == 1 && report.docs_received == 0, "a fleet no-op sync did work: {report:?}");
        hub_time += in_hub;
    }

    // The naive layout with the same records.
    let t = Instant::now();
    let naive = measure_one_doc_per_record(&persons, 10, |p: &mut Person| p.environment.school_or_work = "college".into())?;
    let naive_time = t.elapsed();

    header(&format!("sync (design.md §8), hub on {backend}"));
    for (k, raw, r) in &changed {
        let wire = r.bytes_sent + r.bytes_received;
        let limit = (1.5 * *raw as f64) as u64 + 150 * *k as u64 + 1024;
        row(&format!("k = {k:>3} changed records: wire bytes (raw {})", kb(*raw)), kb(wire), &format!("≤ {}", kb(limit)), Some(wire <= limit));
        row(&format!("k = {k:>3} changed records: round trips"), r.rounds.to_string(), "≤ 3", Some(r.rounds <= 3));
    }
    let noop_bytes = noop.bytes_sent + noop.bytes_received;
    row(&format!("no-op sync, {records}-record device: bytes"), kb(noop_bytes), "≤ 2 KB", Some(noop_bytes <= 2048));
    row("no-op sync: round trips", noop.rounds.to_string(), "1", Some(noop.rounds == 1));
    let bulk_ratio = bulk.bytes_sent as f64 / json_bytes.max(1) as f64;
    row(
        &format!("bulk sync, {} new records up (JSON {})", new_conversations.len(), kb(json_bytes)),
        format!("{} = {bulk_ratio:.2}×", kb(bulk.bytes_sent)),
        "≤ 0.8 × JSON",
        Some(bulk_ratio <= 0.8),
    );
    let ratio = provisioning_bytes as f64 / snapshot as f64;
    row(
        &format!("first provisioning: bytes (snapshot {})", kb(snapshot)),
        format!("{} = {ratio:.2}×", kb(provisioning_bytes)),
        "≤ 1.2 × snapshot",
        Some(ratio <= 1.2),
    );
    let cores = suhbat_core::sync::worker_threads();
    row(
        &format!("first provisioning: time (device + hub; the device checks on {cores} core(s)), median of 3"),
        format!("{:.2} s ({:.2}–{:.2})", provisioning_time.as_secs_f64(), provisioning_spread.0.as_secs_f64(), provisioning_spread.1.as_secs_f64()),
        "≤ 0.5 s",
        Some(provisioning_time <= Duration::from_millis(500)),
    );
    row("  of which in the hub", format!("{:.2} s", provisioning_hub.as_secs_f64()), "", None);
    row(
        &format!("hub time, {devices} devices no-op sync ({backend})"),
        format!("{:.3} s", hub_time.as_secs_f64()),
        "≤ 1 s",
        Some(hub_time <= Duration::from_secs(1)),
    );

    header(&format!("one document per record, same {records} records (measured in {:.1} s)", naive_time.as_secs_f64()));
    let bucketed_k10 = changed.iter().find(|(k, _, _)| *k == 10).map(|(_, _, r)| r.bytes_sent + r.bytes_received).unwrap_or(0);
    row("first provisioning bytes", format!("{} ({:.1}× buckets)", kb(naive.snapshot_bytes), naive.snapshot_bytes as f64 / snapshot as f64), "", None);
    row("no-op sync bytes", format!("{} ({:.0}× buckets)", kb(naive.noop_sync_bytes), naive.noop_sync_bytes as f64 / noop_bytes.max(1) as f64), "", None);
    row(
        "k = 10 sync bytes",
        format!("{} ({:.0}× buckets)", kb(naive.changed_sync_bytes), naive.changed_sync_bytes as f64 / bucketed_k10.max(1) as f64),
        "",
        None,
    );
    row("k = 10 round trips (per document)", naive.changed_sync_round_trips.to_string(), "", None);
    Ok(())
}
