//! Measures the naive alternative to buckets — one Automerge document per record — with the
//! same records and the same bridge, so benchmarks can report the bucketed layout's costs as a
//! ratio measured in the same run (design §3, §8).

use crate::doc::{Author, Bucket, BucketId};
use crate::error::Result;
use crate::model::{Audience, Record};
use automerge::sync::{self, SyncDoc};
use automerge::ActorId;
use chrono::Utc;

/// What one-document-per-record costs for a set of records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NaiveLayoutCosts {
    /// Documents (= records).
    pub docs: usize,
    /// Sum of the documents' compressed snapshots: storage and first provisioning.
    pub snapshot_bytes: u64,
    /// Bytes of a sync where nothing changed, using Automerge's sync protocol per document
    /// with persisted sync states (first message each way of a new session).
    pub noop_sync_bytes: u64,
    /// Bytes to sync after one field of `changed` records changed.
    pub changed_sync_bytes: u64,
    /// Round trips a per-document protocol needs (documents are synced in parallel batches).
    pub changed_sync_round_trips: u32,
}

fn sync_until_quiet(a: &mut automerge::Automerge, sa: &mut sync::State, b: &mut automerge::Automerge, sb: &mut sync::State) -> (u64, u32) {
    let (mut bytes, mut round_trips) = (0u64, 0u32);
    for _ in 0..10 {
        let to_b = a.generate_sync_message(sa);
        let had_to_b = to_b.is_some();
        if let Some(m) = to_b {
            let m = m.encode();
            bytes += m.len() as u64;
            if let Ok(m) = sync::Message::decode(&m) {
                let _ = b.receive_sync_message(sb, m);
            }
        }
        let to_a = b.generate_sync_message(sb);
        let had_to_a = to_a.is_some();
        if let Some(m) = to_a {
            let m = m.encode();
            bytes += m.len() as u64;
            if let Ok(m) = sync::Message::decode(&m) {
                let _ = a.receive_sync_message(sa, m);
            }
        }
        if !had_to_b && !had_to_a {
            break;
        }
        round_trips += 1;
    }
    (bytes, round_trips)
}

/// Builds one document per record (as a device would), syncs each with a hub copy, then
/// measures a no-op sync and a sync after `edit` changed the first `changed` records.
pub fn measure_one_doc_per_record<R: Record>(records: &[R], changed: usize, edit: impl Fn(&mut R)) -> Result<NaiveLayoutCosts> {
    let author = Author { device_id: "bench".into(), person: "bench".into(), role: crate::Role::Inspector };
    let device_actor = ActorId::random();
    let mut costs = NaiveLayoutCosts { docs: records.len(), ..Default::default() };
    let mut rounds = 0;
    for (i, record) in records.iter().enumerate() {
        let id = BucketId { audience: Audience::Register, scope: format!("r{i}"), period: 2026 };
        let mut device = Bucket::new(id.clone(), device_actor.clone());
        device.write(&[record], &author, Utc::now())?;
        let saved = device.doc.save();
        costs.snapshot_bytes += saved.len() as u64;
        let mut hub = automerge::Automerge::load(&saved).map_err(|e| crate::Error::document(&id.to_string(), e))?;
        let (mut sd, mut sh) = (sync::State::new(), sync::State::new());
        sync_until_quiet(&mut device.doc, &mut sd, &mut hub, &mut sh);
        // A new session starts from the persisted states.
        let (enc_d, enc_h) = (sd.encode(), sh.encode());
        let mut sd = sync::State::decode(&enc_d).unwrap_or_default();
        let mut sh = sync::State::decode(&enc_h).unwrap_or_default();
        if i < changed {
            let mut edited = record.clone();
            edit(&mut edited);
            device.write(&[&edited], &author, Utc::now())?;
            let (bytes, trips) = sync_until_quiet(&mut device.doc, &mut sd, &mut hub, &mut sh);
            costs.changed_sync_bytes += bytes;
            rounds = rounds.max(trips);
        } else {
            costs.noop_sync_bytes += sync_until_quiet(&mut device.doc, &mut sd, &mut hub, &mut sh).0;
        }
    }
    // The unchanged documents also have to be checked in the changed case.
    let unchanged = records.len().saturating_sub(changed) as u64;
    let per_doc_noop = costs.noop_sync_bytes / unchanged.max(1);
    costs.changed_sync_bytes += per_doc_noop * unchanged;
    costs.noop_sync_bytes = per_doc_noop * records.len() as u64;
    costs.changed_sync_round_trips = rounds;
    Ok(costs)
}
