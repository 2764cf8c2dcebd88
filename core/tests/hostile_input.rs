//! Untrusted bytes at every public entry point: mutated sync requests (as sent, and re-signed
//! by a tampered app so the mutation reaches past the signature check), enrolment requests,
//! merge bundles (snapshots and change lists, so Automerge's document loading is fuzzed too),
//! summaries, and the hub's answers as a device reads them (as delivered, and re-signed with
//! the hub's key for the request that is out, so mutations reach every check), and bundles
//! re-signed by their sender. After every refusal at a device entry point, the store shows
//! exactly what it showed before. Mutations start from valid frames: bit flips, byte values, truncations,
//! splices from other frames, duplicated or deleted ranges, and corrupted length fields.
//! Every case must end in an answer or a typed error, never a panic.
//!
//! CI runs 10,000 cases; `SUHBAT_FUZZ_CASES=200000 cargo test -p suhbat-core --test
//! hostile_input -- --nocapture` runs more. The coverage-guided fuzz targets are in `fuzz/`.

use crate::common;

use common::backends::{open_hub, Backend};
use common::harness::enrol;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::{Hub, SyncSession};
use suhbat_core::*;

/// Panics caught inside the library (Automerge on malformed bytes), counted by the hook.
static CAUGHT_PANICS: AtomicUsize = AtomicUsize::new(0);

/// Length values that break parsers: zero, one, around the caps, the largest.
const NASTY_LENGTHS: [u32; 9] = [
    0,
    1,
    0x7fff_ffff,
    u32::MAX,
    wire::MAX_DOCS_PER_MESSAGE as u32 + 1,
    wire::MAX_DOC_PAYLOAD_BYTES as u32 + 1,
    wire::MAX_MESSAGE_BYTES as u32 + 1,
    255,
    65_536,
];

struct Mutator {
    rng: StdRng,
    ops: BTreeMap<&'static str, usize>,
}

impl Mutator {
    fn range(&mut self, len: usize) -> (usize, usize) {
        let start = self.rng.gen_range(0..=len);
        let end = (start + self.rng.gen_range(0..=64)).min(len);
        (start, end)
    }

    /// One to three mutations of `seed`, using `donors` for splices.
    fn mutate(&mut self, seed: &[u8], donors: &[Vec<u8>]) -> Vec<u8> {
        let mut bytes = seed.to_vec();
        for _ in 0..self.rng.gen_range(1..=3) {
            let len = bytes.len();
            let op = match self.rng.gen_range(0..7) {
                0 if len > 0 => {
                    for _ in 0..self.rng.gen_range(1..=8) {
                        let i = self.rng.gen_range(0..len);
                        bytes[i] ^= 1 << self.rng.gen_range(0..8);
                    }
                    "bit flip"
                }
                1 if len > 0 => {
                    let i = self.rng.gen_range(0..len);
                    bytes[i] = [0, 1, 0x7f, 0x80, 0xff][self.rng.gen_range(0..5)];
                    "byte value"
                }
                2 => {
                    bytes.truncate(self.rng.gen_range(0..=len));
                    "truncation"
                }
                3 => {
                    let donor = &donors[self.rng.gen_range(0..donors.len())];
                    let (from, to) = self.range(donor.len());
                    let (start, end) = self.range(len);
                    bytes.splice(start..end, donor[from..to].iter().copied());
                    "splice"
                }
                4 => {
                    let (start, end) = self.range(len);
                    let copy = bytes[start..end].to_vec();
                    bytes.splice(end..end, copy);
                    "duplicate range"
                }
                5 => {
                    let (start, end) = self.range(len);
                    bytes.drain(start..end);
                    "delete range"
                }
                _ if len >= 4 => {
                    // A u32 that plausibly is a length prefix (it fits in what follows), or any.
                    let plausible: Vec<usize> =
                        (0..len - 3).filter(|&i| (u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize) <= len - i - 4).collect();
                    let i = if plausible.is_empty() { self.rng.gen_range(0..len - 3) } else { plausible[self.rng.gen_range(0..plausible.len())] };
                    let value = if self.rng.gen_bool(0.5) { NASTY_LENGTHS[self.rng.gen_range(0..NASTY_LENGTHS.len())] } else { self.rng.gen() };
                    bytes[i..i + 4].copy_from_slice(&value.to_le_bytes());
                    "length field"
                }
                _ => "none",
            };
            *self.ops.entry(op).or_default() += 1;
        }
        // Half the time keep the header's body length true, so the mutation reaches the body.
        if bytes.len() >= 10 && self.rng.gen_bool(0.5) {
            let body = (bytes.len() - 10) as u32;
            bytes[6..10].copy_from_slice(&body.to_le_bytes());
        }
        bytes
    }
}

/// What a store shows, compared before and after each refused input: the heads of every
/// document, what was kept aside, and the devices it knows.
fn shown(store: &mut Store) -> (Summary, usize, Vec<sync::KnownPeer>) {
    (store.summary().unwrap(), store.kept_aside().unwrap().len(), store.known_devices().unwrap())
}

/// Offset of the request nonce inside an answer's inner frame once unpacked: header (10), length (4).
const ANSWER_NONCE_AT: usize = 14;

/// Splits a signed answer into its inner frame, the hub key and the signature.
fn split_answer(frame: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let mut outer = wire::Reader::open(frame, wire::MessageKind::SyncResponse).unwrap();
    let inner = outer.bytes("inner", wire::MAX_MESSAGE_BYTES).unwrap().to_vec();
    let key = outer.bytes("key", 32).unwrap().to_vec();
    (inner, key, outer.bytes("signature", 64).unwrap().to_vec())
}

/// Wraps an inner answer frame with the hub key and a signature, as the hub does.
fn wrap_answer(inner: &[u8], key: &[u8], signature: &[u8]) -> Vec<u8> {
    let mut w = wire::Writer::default();
    w.bytes(inner).bytes(key).bytes(signature);
    w.finish(wire::MessageKind::SyncResponse)
}

/// Counts outcomes per entry point.
#[derive(Default)]
struct Tally(BTreeMap<&'static str, BTreeMap<String, usize>>);

impl Tally {
    fn add(&mut self, entry: &'static str, outcome: String) {
        *self.0.entry(entry).or_default().entry(outcome).or_default() += 1;
    }

    fn total(&self) -> usize {
        self.0.values().flat_map(|m| m.values()).sum()
    }

    fn print(&self) {
        for (entry, outcomes) in &self.0 {
            let n: usize = outcomes.values().sum();
            let parts: Vec<String> = outcomes.iter().map(|(o, k)| format!("{o} {k}")).collect();
            common::report(&format!("  {entry}: {n} cases -> {}", parts.join(", ")));
        }
    }
}

fn outcome<T>(result: Result<T>, ok: &str) -> String {
    match result {
        Ok(_) => ok.to_string(),
        Err(e) => common::error_kind(&e),
    }
}

/// Valid frames to start from: sync requests of an enrolled device, enrolment requests,
/// bundles (whole documents and change lists) and summaries.
struct Seeds {
    sync: Vec<Vec<u8>>,
    answers: Vec<Vec<u8>>,
    enrol: Vec<Vec<u8>>,
    bundles: Vec<Vec<u8>>,
    summaries: Vec<Vec<u8>>,
}

fn seeds(dir: &std::path::Path, keys: &MemoryKeyProvider, hub: &mut Hub, device: &mut Store, reader: &mut Store) -> Seeds {
    let mut data = SampleData::new(41);
    let people: Vec<Person> = (0..6).map(|_| data.person("Navbahor", 2026)).collect();
    device.put_many(&people).unwrap();
    let early = device.summary().unwrap();
    device.put(&data.conversation(&people[0], 2026)).unwrap();
    device.put(&data.parent_case("Navbahor", 2026)).unwrap();
    device.update::<Person>(&people[1].id, |p| p.notes = "Moved to the aunt's house.".into()).unwrap();
    let mut sync = Vec::new();
    for _ in 0..3 {
        let mut session = SyncSession::new(device).unwrap();
        sync.push(session.next_request(device).unwrap().unwrap());
    }
    // Hub answers, as the reader device receives them: documents, then a refusal.
    let first = hub.handle_sync(&sync[0]);
    let answers = vec![first, hub.handle_sync(&sync[0])];
    let mut fresh = common::device(dir, "fresh", keys);
    let code = hub.create_enrolment_code("Fresh", Role::Inspector, &["Navbahor".into()], chrono::Duration::hours(1)).unwrap();
    let enrol = vec![fresh.enrol_request(&code), fresh.enrol_request("ABCD-EFGH-JK")];
    fresh.put(&data.person("Qatortol", 2026)).unwrap();
    let bundles = vec![device.export_bundle(None).unwrap(), device.export_bundle(Some(&early)).unwrap(), fresh.export_bundle(None).unwrap()];
    let summaries = vec![device.summary().unwrap().encode(), early.encode(), Summary::default().encode()];
    let mut session = SyncSession::new(reader).unwrap();
    let mut answers = answers;
    answers.push(hub.handle_sync(&session.next_request(reader).unwrap().unwrap()));
    Seeds { sync, answers, enrol, bundles, summaries }
}

fn ten_thousand_mutated_frames_get_typed_answers_never_a_panic(backend: Backend) {
    let cases: usize = std::env::var("SUHBAT_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if CAUGHT_PANICS.fetch_add(1, Ordering::Relaxed) < 3 {
            default_hook(info);
        }
    }));
    let dir = common::fast_tempdir();
    let keys = MemoryKeyProvider::new();
    let Some(mut hub) = open_hub(backend, dir.path(), &keys) else { return };
    let mut device = common::device(dir.path(), "aziz", &keys);
    enrol(&hub, &mut device, Role::Inspector, &["Navbahor"]);
    let mut probe = common::device(dir.path(), "probe", &keys);
    let mut target = common::device(dir.path(), "target", &keys);
    let mut reader = common::device(dir.path(), "reader", &keys);
    enrol(&hub, &mut reader, Role::Inspector, &["Navbahor"]);
    let seeds = seeds(dir.path(), &keys, &mut hub, &mut device, &mut reader);
    // A session of the reader waiting for its answer; each re-signed answer goes to a copy.
    let mut waiting = SyncSession::new(&reader).unwrap();
    let (request, _) = common::split_signed(&waiting.next_request(&mut reader).unwrap().unwrap());
    let reader_at = common::nonce_offset(&reader.device().device_id);
    let waiting_nonce: [u8; 16] = request[reader_at..reader_at + 16].try_into().unwrap();
    let donors: Vec<Vec<u8>> = [&seeds.sync, &seeds.answers, &seeds.enrol, &seeds.bundles, &seeds.summaries].into_iter().flatten().cloned().collect();
    let mut m = Mutator { rng: StdRng::seed_from_u64(0x5eed), ops: BTreeMap::new() };
    let mut tally = Tally::default();
    let started = std::time::Instant::now();
    let device_id = device.device().device_id.clone();
    let nonce_at = common::nonce_offset(&device_id);
    for i in 0..cases {
        match i % 8 {
            0 => {
                let seed = &seeds.sync[m.rng.gen_range(0..seeds.sync.len())];
                let answer = hub.handle_sync(&m.mutate(seed, &donors));
                tally.add("hub sync, mutated as sent", outcome(common::read_answer(&mut device, &answer), "answered"));
            }
            1 => {
                // A tampered app signs its mutated request: the hub decodes and checks it fully.
                // Half the time the whole signed part is mutated, half the time only the offers
                // inside the packing (so the mutation reaches the decoders past the inflater).
                let (inner, _) = common::split_signed(&seeds.sync[m.rng.gen_range(0..seeds.sync.len())]);
                let mut inner = if m.rng.gen_bool(0.5) {
                    m.mutate(&inner, &donors)
                } else {
                    let (header, offers) = common::open_request(&inner);
                    common::close_request(&header, &m.mutate(&offers, &donors))
                };
                if inner.len() >= nonce_at + 16 {
                    m.rng.fill(&mut inner[nonce_at..nonce_at + 16]);
                }
                let answer = hub.handle_sync(&common::resign(&device, &inner));
                let result = common::read_answer(&mut device, &answer);
                let ok = if result.as_ref().is_ok_and(|r| !r.rejected.is_empty()) { "answered with rejections" } else { "answered" };
                tally.add("hub sync, mutated and re-signed", outcome(result, ok));
            }
            2 => {
                let seed = &seeds.enrol[m.rng.gen_range(0..seeds.enrol.len())];
                let answer = hub.handle_enrol(&m.mutate(seed, &donors));
                tally.add("hub enrol", outcome(probe.complete_enrolment(&answer), "enrolled"));
            }
            3 => {
                // Whoever stands in for the hub answering with mutated bytes.
                let seed = &seeds.answers[m.rng.gen_range(0..seeds.answers.len())];
                let before = shown(&mut reader);
                let result = common::read_answer(&mut reader, &m.mutate(seed, &donors));
                if result.is_err() {
                    assert!(shown(&mut reader) == before, "case {i}: a refused answer changed the store");
                }
                tally.add("device reads hub answer", outcome(result, "applied"));
                if i % 500 == 3 {
                    reader.check_integrity().unwrap();
                }
            }
            4 => {
                let seed = &seeds.bundles[m.rng.gen_range(0..seeds.bundles.len())];
                let before = shown(&mut target);
                let result = target.import_bundle(&m.mutate(seed, &donors));
                if result.is_err() {
                    assert!(shown(&mut target) == before, "case {i}: a refused bundle changed the store");
                }
                tally.add("bundle import (documents load)", outcome(result, "imported"));
                if i % 500 == 4 {
                    target.check_integrity().unwrap();
                }
            }
            6 => {
                // A hub holding its key answering the request that is out with mutated bytes:
                // the mutation reaches past the signature and the nonce, into every check.
                let (packed, _, _) = split_answer(&seeds.answers[m.rng.gen_range(0..seeds.answers.len())]);
                let mut inner = m.mutate(&wire::unpack(&packed, "answer").unwrap(), &donors);
                if inner.len() >= ANSWER_NONCE_AT + 16 {
                    inner[ANSWER_NONCE_AT..ANSWER_NONCE_AT + 16].copy_from_slice(&waiting_nonce);
                }
                let inner = wire::pack(&inner);
                let answer = wrap_answer(&inner, &hub.public_key(), &hub.sign(&inner));
                let before = shown(&mut reader);
                let result = waiting.clone().handle_response(&mut reader, &answer);
                if result.is_err() {
                    assert!(shown(&mut reader) == before, "case {i}: a refused answer changed the store: {result:?}");
                }
                tally.add("device reads re-signed hub answer", outcome(result, "applied"));
            }
            7 => {
                // A tampered phone signing mutated bundles with its own key.
                let seed = &seeds.bundles[m.rng.gen_range(0..2)];
                // The contents inside the packing are mutated, then packed and signed again.
                let mut outer = wire::Reader::open(seed, wire::MessageKind::Bundle).unwrap();
                let mut r = wire::Reader::open(outer.bytes("body", wire::MAX_MESSAGE_BYTES).unwrap(), wire::MessageKind::Bundle).unwrap();
                let (sender, key) = (r.str("sender", 200).unwrap(), r.bytes("key", 32).unwrap());
                let contents = m.mutate(&wire::unpack(r.bytes("contents", wire::MAX_MESSAGE_BYTES).unwrap(), "contents").unwrap(), &donors);
                let mut body = wire::Writer::default();
                body.str(sender).bytes(key).bytes(&wire::pack(&contents));
                let body = body.finish(wire::MessageKind::Bundle);
                let mut w = wire::Writer::default();
                w.bytes(&body).bytes(&device.sign(&body));
                let before = shown(&mut target);
                let result = target.import_bundle(&w.finish(wire::MessageKind::Bundle));
                if result.is_err() {
                    assert!(shown(&mut target) == before, "case {i}: a refused bundle changed the store: {result:?}");
                }
                tally.add("bundle import, re-signed by its sender", outcome(result, "imported"));
            }
            5 => {
                let seed = &seeds.summaries[m.rng.gen_range(0..seeds.summaries.len())];
                let result = Summary::decode(&m.mutate(seed, &donors)).map_err(Error::from);
                tally.add("summary decode", outcome(result, "decoded"));
            }
            _ => unreachable!(),
        }
    }
    let _ = std::panic::take_hook();
    target.check_integrity().unwrap();
    if backend == Backend::Sqlite {
        hub.store().unwrap().check_integrity().unwrap();
    }
    common::report(&format!("hostile input on {backend:?}: {} cases in {:.1?}, seed 0x5eed, outcomes by entry point:", tally.total(), started.elapsed()));
    tally.print();
    let ops: Vec<String> = m.ops.iter().map(|(op, n)| format!("{op} {n}")).collect();
    common::report(&format!("  mutations applied: {}", ops.join(", ")));
    common::report(&format!("  panics inside Automerge caught and turned into typed errors: {}", CAUGHT_PANICS.load(Ordering::Relaxed)));
    assert_eq!(tally.total(), cases);
    assert!(cases < 10_000 || tally.0.len() == 8);
}

on_both_backends!(ten_thousand_mutated_frames_get_typed_answers_never_a_panic);
