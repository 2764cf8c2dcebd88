//! The hub against hostile requests (issue #12's observations, each reproduced): changes are
//! decoded only after the sender is authenticated, and then only within caps; odd clocks are
//! refused, not a panic; unverified signatures are never stored; enrolment codes cannot be
//! guessed; a revoked device stays out; the audit chain is anchored by signed checkpoints.

use crate::common;

use common::harness::Network;
use flate2::write::DeflateEncoder;
use std::io::Write;
use std::sync::atomic::{AtomicI64, Ordering};
use suhbat_core::sync::{Hub, SyncSession, MAX_FAILED_ATTEMPTS};
use suhbat_core::*;

/// The fields of a sync request before its offers, as the device writes them.
struct Header<'a> {
    device_id: &'a str,
    actor: &'a str,
    sent_at: i64,
}

/// An inner (unsigned) request frame offering `changes` (raw bytes) of one document.
fn inner_request(header: &Header<'_>, doc_id: &str, changes: &[Vec<u8>], signatures: u32) -> Vec<u8> {
    let mut offers = wire::Writer::default();
    offers.u32(1).str(doc_id).u32(0).u32(changes.len() as u32);
    for change in changes {
        offers.bytes(change);
    }
    offers.u32(signatures);
    for _ in 0..signatures {
        offers.bytes(&rand::random::<[u8; 32]>()).str(header.device_id).bytes(&[7u8; 64]);
    }
    let mut w = wire::Writer::default();
    w.str(header.device_id).str(header.actor).u64(header.sent_at as u64).bytes(&rand::random::<[u8; 16]>()).u8(0).u8(0).bytes(&[0u8; 32]);
    w.bytes(&wire::pack(&offers.finish(wire::MessageKind::SyncRequest)));
    w.finish(wire::MessageKind::SyncRequest)
}

/// A compressed-change chunk whose body inflates to `inflated` zero bytes.
fn deflate_bomb(inflated: usize) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![0u8; inflated]).unwrap();
    let body = encoder.finish().unwrap();
    chunk(2, &body)
}

/// An uncompressed change whose action column claims `ops` operations in a few bytes.
fn run_length_bomb(ops: u64) -> Vec<u8> {
    let mut body = vec![0u8]; // no dependencies
    body.push(16);
    body.extend([0xabu8; 16]); // actor
    body.extend([1, 1, 0, 0, 0]); // seq, start op, time, message, other actors
    let mut action = Vec::new();
    leb128::write::signed(&mut action, ops as i64).unwrap();
    leb128::write::unsigned(&mut action, 1).unwrap();
    body.push(1); // one column: action (id 4, integer)
    leb128::write::unsigned(&mut body, (4 << 4) | 2).unwrap();
    leb128::write::unsigned(&mut body, action.len() as u64).unwrap();
    body.extend(action);
    chunk(1, &body)
}

fn chunk(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, kind];
    leb128::write::unsigned(&mut out, body.len() as u64).unwrap();
    out.extend(body);
    out
}

/// The hub's refusal (code, message) of `answer`, read as `device` reads it.
fn refusal(device: &mut Store, answer: &[u8]) -> (String, String) {
    match common::read_answer(device, answer) {
        Err(Error::Refused { code, message, .. }) => (code, message),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn doc_id() -> String {
    let mut data = sample::SampleData::new(1);
    BucketId::for_record(&data.person("Navbahor", 2026)).to_string()
}

#[test]
fn an_unknown_device_is_refused_before_its_changes_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector], 1);
    let stranger = uuid::Uuid::now_v7().to_string();
    let header = Header { device_id: &stranger, actor: "00112233445566778899aabbccddeeff", sent_at: chrono::Utc::now().timestamp_millis() };
    // A 64 MiB deflate bomb and an undecodable change: neither may be looked at before the
    // signature of an enrolled device is checked.
    for change in [deflate_bomb(64 << 20), b"not a change".to_vec()] {
        let inner = inner_request(&header, &doc_id(), &[change], 0);
        let answer = net.hub.handle_sync(&common::wrap_signed(&inner, &[0u8; 64]));
        let (code, _) = refusal(&mut net.devices[0], &answer);
        assert_eq!(code, "not-authenticated");
    }
}

#[test]
fn an_enrolled_device_cannot_send_changes_that_inflate_past_the_caps() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector], 2);
    let device = &mut net.devices[0];
    let (device_id, actor) = (device.device().device_id.clone(), device.device().actor.clone());
    let header = Header { device_id: &device_id, actor: &actor, sent_at: chrono::Utc::now().timestamp_millis() };
    let cases = [(deflate_bomb(64 << 20), "inflates to more than"), (run_length_bomb(1_000_000_000), "operations, more than")];
    for (change, expected) in cases {
        let inner = inner_request(&header, &doc_id(), &[change], 0);
        let answer = net.hub.handle_sync(&common::resign(device, &inner));
        let (code, message) = refusal(device, &answer);
        assert_eq!(code, "malformed", "{message}");
        assert!(message.contains(expected), "{message}");
    }
    // Many changes, each within its own cap, together over the request's budget.
    let many: Vec<Vec<u8>> = (0..5).map(|_| deflate_bomb(15 << 20)).collect();
    let inner = inner_request(&header, &doc_id(), &many, 0);
    let (code, message) = refusal(device, &net.hub.handle_sync(&common::resign(device, &inner)));
    assert_eq!(code, "malformed", "{message}");
    assert!(message.contains("inflates to more than") || message.contains("more than this message may still carry"), "{message}");
    // The hub still serves the device.
    device.put(&sample::SampleData::new(3).person("Navbahor", 2026)).unwrap();
    assert!(matches!(net.sync(0).unwrap(), common::harness::Attempt::Finished(r) if r.rejected.is_empty()));
}

#[test]
fn a_clock_at_the_end_of_time_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector], 3);
    let device = &mut net.devices[0];
    let (device_id, actor) = (device.device().device_id.clone(), device.device().actor.clone());
    for sent_at in [i64::MIN, i64::MAX, i64::MIN + 1, -1] {
        let inner = inner_request(&Header { device_id: &device_id, actor: &actor, sent_at }, &doc_id(), &[], 0);
        let (code, _) = refusal(device, &net.hub.handle_sync(&common::resign(device, &inner)));
        assert_eq!(code, "clock-skew", "sent_at {sent_at}");
    }
}

#[test]
fn only_the_key_holder_learns_that_its_device_was_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 4);
    let revoked_id = net.devices[0].device().device_id.clone();
    assert!(net.hub.revoke(&revoked_id).unwrap());
    let actor = net.devices[0].device().actor.clone();
    let inner = inner_request(&Header { device_id: &revoked_id, actor: &actor, sent_at: chrono::Utc::now().timestamp_millis() }, &doc_id(), &[], 0);
    // Signed by someone else: the same answer as for a device the hub never saw.
    let forged = common::resign(&net.devices[1], &inner);
    let (code, _) = refusal(&mut net.devices[1], &net.hub.handle_sync(&forged));
    assert_eq!(code, "not-authenticated");
    // Signed by the device itself: it is told, and told to wipe (an order to wipe is obeyed
    // only as the answer to the request that is out, so the device's own session sends it).
    let device = &mut net.devices[0];
    let mut session = SyncSession::new(device).unwrap();
    let genuine = session.next_request(device).unwrap().unwrap();
    match session.handle_response(device, &net.hub.handle_sync(&genuine)) {
        Err(Error::Refused { code, wipe, .. }) => assert!(code == "revoked" && wipe),
        other => panic!("expected revoked, got {other:?}"),
    }
    // The same answer replayed to a later request is not an order to wipe.
    let answer = net.hub.handle_sync(&common::resign(device, &inner));
    let mut later = SyncSession::new(device).unwrap();
    later.next_request(device).unwrap();
    assert!(matches!(later.handle_response(device, &answer), Err(Error::Protocol(_))), "a replayed wipe order is refused");
}

#[test]
fn signatures_of_changes_the_hub_did_not_accept_are_never_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector], 5);
    let keys = common::harness_keys(&net);
    let count = || {
        let conn = common::raw_conn(&dir.path().join("hub.db"), keys);
        conn.query_row("SELECT COUNT(*) FROM change_sig", [], |r| r.get::<_, i64>(0)).unwrap()
    };
    let before = count();
    let device = &mut net.devices[0];
    let (device_id, actor) = (device.device().device_id.clone(), device.device().actor.clone());
    let inner = inner_request(&Header { device_id: &device_id, actor: &actor, sent_at: chrono::Utc::now().timestamp_millis() }, &doc_id(), &[], 5_000);
    let answer = net.hub.handle_sync(&common::resign(device, &inner));
    assert!(wire::Reader::open(&answer, wire::MessageKind::SyncResponse).is_ok(), "the hub answered");
    assert_eq!(count(), before, "5,000 signatures of no accepted change were stored");
    // A real change's signature is stored with it.
    net.devices[0].put(&sample::SampleData::new(5).person("Navbahor", 2026)).unwrap();
    net.settle();
    assert!(count() > before);
}

static CLOCK_OFFSET_MS: AtomicI64 = AtomicI64::new(0);

fn shifted_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() + chrono::Duration::milliseconds(CLOCK_OFFSET_MS.load(Ordering::SeqCst))
}

#[test]
fn guessing_enrolment_codes_pauses_enrolment_and_alerts_supervisors() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut hub = Hub::open(dir.path().join("hub.db"), &keys).unwrap();
    hub.set_clock(shifted_now);
    let code = hub.create_enrolment_code("Aziza", Role::Inspector, &["Navbahor".into()], chrono::Duration::hours(2)).unwrap();
    let mut phone = Store::create(dir.path().join("phone.db"), &keys, common::profile("Aziza", Role::Inspector)).unwrap();
    let mut attacker = Store::create(dir.path().join("attacker.db"), &keys, common::profile("x", Role::Inspector)).unwrap();
    let mut codes = std::collections::BTreeMap::<String, usize>::new();
    for i in 0..1_500 {
        let answer = hub.handle_enrol(&attacker.enrol_request(&format!("AAAA-BBBB-{i:02}")));
        match attacker.complete_enrolment(&answer) {
            Err(Error::Refused { code, .. }) => *codes.entry(code).or_default() += 1,
            other => panic!("a wrong code was not refused: {other:?}"),
        }
    }
    common::report(&format!("1,500 wrong codes: {codes:?}"));
    assert_eq!(codes.get("bad-code"), Some(&(MAX_FAILED_ATTEMPTS as usize)));
    // Now even the right code waits: the guesser cannot tell it from a wrong one.
    match phone.complete_enrolment(&hub.handle_enrol(&phone.enrol_request(&code))) {
        Err(Error::Refused { code, message, .. }) => assert!(code == "enrol-paused" && message.contains("paused"), "{code}: {message}"),
        other => panic!("expected a pause, got {other:?}"),
    }
    let alerts = hub.alerts().unwrap();
    assert_eq!(alerts.iter().filter(|a| a.kind == "enrol-guessing").count(), 1, "{alerts:?}");
    // After the window the right code works.
    CLOCK_OFFSET_MS.store(sync::LOCKOUT_WINDOW_MS + 1_000, Ordering::SeqCst);
    assert!(hub.enrolment_paused_until().unwrap().is_none());
    phone.complete_enrolment(&hub.handle_enrol(&phone.enrol_request(&code))).unwrap();
}

#[test]
fn a_revoked_device_replaying_its_enrolment_stays_out() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let hub = Hub::open(dir.path().join("hub.db"), &keys).unwrap();
    let code = hub.create_enrolment_code("Aziza", Role::Inspector, &["Navbahor".into()], chrono::Duration::hours(2)).unwrap();
    let mut phone = Store::create(dir.path().join("phone.db"), &keys, common::profile("Aziza", Role::Inspector)).unwrap();
    let request = phone.enrol_request(&code);
    phone.complete_enrolment(&hub.handle_enrol(&request)).unwrap();
    // A retry of the same enrolment (its answer lost) is still answered...
    assert_eq!(enrol_refusal(&hub.handle_enrol(&request)), None);
    // ...but not once the device is revoked.
    assert!(hub.revoke(&phone.device().device_id).unwrap());
    assert_eq!(enrol_refusal(&hub.handle_enrol(&request)).as_deref(), Some("revoked"));
}

/// The refusal code of an enrolment answer (`None` when it was accepted).
fn enrol_refusal(answer: &[u8]) -> Option<String> {
    let mut r = wire::Reader::open(answer, wire::MessageKind::EnrolReply).unwrap();
    match r.u8("kind").unwrap() {
        0 => None,
        _ => Some(r.str("code", 200).unwrap().to_string()),
    }
}

#[test]
fn an_older_copy_of_the_hub_store_is_told_apart_by_a_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector], 6);
    net.devices[0].put(&sample::SampleData::new(6).person("Navbahor", 2026)).unwrap();
    net.settle();
    let backup = dir.path().join("hub-backup.db");
    net.hub.store().unwrap().backup_to(&backup).unwrap();

    net.devices[0].put(&sample::SampleData::new(7).person("Navbahor", 2026)).unwrap();
    net.settle();
    let line = net.hub.store().unwrap().audit_checkpoint().unwrap().to_line();
    let checkpoint = AuditCheckpoint::parse(&line).unwrap();
    assert_eq!(net.hub.store().unwrap().check_audit_checkpoint(&checkpoint).unwrap(), CheckpointCheck::Holds { added_since: 0 });

    // The older copy's chain is intact on its own, but the checkpoint shows it was rolled back.
    let keys = common::harness_keys(&net);
    let restored = dir.path().join("restored").join("hub.db");
    std::fs::create_dir_all(restored.parent().unwrap()).unwrap();
    Store::restore_backup(&restored, &backup, keys).unwrap();
    let old = Store::open(&restored, keys).unwrap();
    assert_eq!(old.verify_audit().unwrap().first_broken, None);
    assert!(matches!(old.check_audit_checkpoint(&checkpoint).unwrap(), CheckpointCheck::RolledBack { .. }));
    // A checkpoint altered by hand does not verify.
    let forged = AuditCheckpoint { entries: checkpoint.entries - 1, ..checkpoint.clone() };
    assert!(matches!(net.hub.store().unwrap().check_audit_checkpoint(&forged).unwrap(), CheckpointCheck::NotThisStore(_)));
}

/// An inner request frame whose packed offers are `packed` as given (method, declared length,
/// bytes), whatever they hold.
fn request_with_packed(header: &Header<'_>, packed: &[u8]) -> Vec<u8> {
    let mut w = wire::Writer::default();
    w.str(header.device_id).str(header.actor).u64(header.sent_at as u64).bytes(&rand::random::<[u8; 16]>()).u8(0).u8(0).bytes(&[0u8; 32]);
    w.bytes(packed);
    w.finish(wire::MessageKind::SyncRequest)
}

/// A packed part declaring `declared` bytes, holding `inflated` zero bytes deflated.
fn packed_zeros(declared: u32, inflated: usize) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![0u8; inflated]).unwrap();
    let mut out = vec![1u8];
    out.extend_from_slice(&declared.to_le_bytes());
    out.extend(encoder.finish().unwrap());
    out
}

#[test]
fn packed_offers_are_inflated_only_when_signed_and_within_their_bound() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector], 2);
    let device = &mut net.devices[0];
    let (device_id, actor) = (device.device().device_id.clone(), device.device().actor.clone());
    let header = Header { device_id: &device_id, actor: &actor, sent_at: chrono::Utc::now().timestamp_millis() };
    let bomb = packed_zeros(1024, 64 << 20);
    // Not signed by the device: refused before anything is inflated.
    let answer = net.hub.handle_sync(&common::wrap_signed(&request_with_packed(&header, &bomb), &[0u8; 64]));
    assert_eq!(refusal(device, &answer).0, "not-authenticated");
    // Signed (a tampered app): a declared length over the cap is refused before inflating, and
    // a stream that inflates past its declared length is stopped one byte after it.
    let cases = [(packed_zeros(u32::MAX, 1024), "at most"), (bomb, "declares 1024 bytes but inflates to 1025 or more")];
    for (packed, expected) in cases {
        let answer = net.hub.handle_sync(&common::resign(device, &request_with_packed(&header, &packed)));
        let (code, message) = refusal(device, &answer);
        assert_eq!(code, "malformed", "{message}");
        assert!(message.contains("packed offers") && message.contains(expected), "{message}");
        common::report(&format!("packed offers refused: {message}"));
    }
    // The device's own requests still go through.
    assert!(matches!(net.sync(0).unwrap(), common::harness::Attempt::Finished(_)));
}
