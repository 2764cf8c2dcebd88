//! Every cap on untrusted input, tested at its entry points: message size, change (payload)
//! size, documents per message, and records per bucket (on local writes, imports, and the
//! hub's accept). Attachments do not exist yet, so there is no attachment cap to test.

use crate::common;

use common::harness::{enrol, Network};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::Hub;
use suhbat_core::wire::{MessageKind, WireError, Writer, MAX_DOCS_PER_MESSAGE, MAX_DOC_PAYLOAD_BYTES, MAX_MESSAGE_BYTES};
use suhbat_core::*;

fn too_large(result: Result<impl std::fmt::Debug>, what: &str) -> String {
    match result {
        Err(Error::Malformed(e @ WireError::TooLarge { what: w, .. })) if w == what => e.to_string(),
        other => panic!("expected TooLarge({what}), got {other:?}"),
    }
}

/// A bundle body of `store` up to the first document's payload kind, with `docs` announced.
fn bundle_head(store: &Store, docs: u32) -> Writer {
    let mut w = common::bundle_body(store, docs);
    w.str("register/navbahor/2026");
    w
}

/// The hub's refusal of `request`, as the device reads it.
fn hub_refusal(hub: &Hub, device: &mut Store, request: &[u8]) -> String {
    match common::read_answer(device, &hub.handle_sync(request)) {
        Err(Error::Refused { code, message, .. }) => format!("{code}: {message}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn message_size_is_capped_before_anything_is_allocated() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = common::device(dir.path(), "a", &keys);
    // A real over-size input (64 MiB + 11 bytes) and a header announcing one.
    let huge = vec![0u8; MAX_MESSAGE_BYTES + 11];
    common::report(&format!("cap message size {MAX_MESSAGE_BYTES} B, real input: {}", too_large(store.import_bundle(&huge), "message")));
    let mut header = Writer::default().finish(MessageKind::Bundle);
    header[6..10].copy_from_slice(&(MAX_MESSAGE_BYTES as u32 + 1).to_le_bytes());
    common::report(&format!("cap message size, announced: {}", too_large(store.import_bundle(&header), "message body")));
    assert!(matches!(Summary::decode(&huge), Err(WireError::TooLarge { .. })));

    let hub = Hub::open(dir.path().join("hub.db"), &keys).unwrap();
    enrol(&hub, &mut store, Role::Inspector, &["Navbahor"]);
    let refusal = hub_refusal(&hub, &mut store, &huge);
    assert!(refusal.starts_with("malformed") && refusal.contains("at most"), "{refusal}");
    common::report(&format!("cap message size at the hub: {refusal}"));
}

#[test]
fn change_and_snapshot_size_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = common::device(dir.path(), "a", &keys);
    let over = MAX_DOC_PAYLOAD_BYTES as u32 + 1;
    let mut w = bundle_head(&store, 1);
    w.u8(0).u32(over);
    common::report(&format!(
        "cap change payload {MAX_DOC_PAYLOAD_BYTES} B, snapshot: {}",
        too_large(store.import_bundle(&common::sealed(&store, w)), "document snapshot")
    ));
    let mut w = bundle_head(&store, 1);
    w.u8(1).u32(1).u32(over);
    common::report(&format!("cap change payload, one change: {}", too_large(store.import_bundle(&common::sealed(&store, w)), "change")));
    // A real payload one byte over the cap, inside a message under the message cap.
    let mut w = bundle_head(&store, 1);
    w.u8(0).bytes(&vec![0u8; MAX_DOC_PAYLOAD_BYTES + 1]);
    common::report(&format!("cap change payload, real bytes: {}", too_large(store.import_bundle(&common::sealed(&store, w)), "document snapshot")));
}

#[test]
fn documents_per_message_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut store = common::device(dir.path(), "a", &keys);
    let over = MAX_DOCS_PER_MESSAGE as u32 + 1;
    common::report(&format!(
        "cap documents per message {MAX_DOCS_PER_MESSAGE}, bundle: {}",
        too_large(store.import_bundle(&common::sealed(&store, bundle_head(&store, over))), "document count")
    ));
    let mut w = Writer::default();
    w.u32(over);
    assert!(matches!(Summary::decode(&w.finish(MessageKind::Summary)), Err(WireError::TooLarge { what: "document count", .. })));
    // Exactly at the cap is fine.
    let mut w = Writer::default();
    w.u32(MAX_DOCS_PER_MESSAGE as u32);
    for i in 0..MAX_DOCS_PER_MESSAGE {
        w.str(&format!("register/m{i}/2026")).u32(0);
    }
    assert_eq!(Summary::decode(&w.finish(MessageKind::Summary)).unwrap().docs.len(), MAX_DOCS_PER_MESSAGE);

    // A sync request offering one document too many (refused while decoding its body, right
    // after the signature is checked and before any change is decoded).
    let hub = Hub::open(dir.path().join("hub.db"), &keys).unwrap();
    enrol(&hub, &mut store, Role::Inspector, &["Navbahor"]);
    let mut inner = Writer::default();
    inner
        .str(&store.device().device_id)
        .str(&store.device().actor)
        .u64(chrono::Utc::now().timestamp_millis() as u64)
        .bytes(&[0; 16])
        .u8(1)
        .u8(0)
        .bytes(&[0; 32]);
    let mut offers = Writer::default();
    offers.u32(over);
    inner.bytes(&suhbat_core::wire::pack(&offers.finish(MessageKind::SyncRequest)));
    let request = common::resign(&store, &inner.finish(MessageKind::SyncRequest));
    let refusal = hub_refusal(&hub, &mut store, &request);
    assert!(refusal.contains("offer count") && refusal.contains(&over.to_string()), "{refusal}");
    common::report(&format!("cap documents per message at the hub: {refusal}"));
}

#[test]
fn records_per_bucket_are_capped_on_write_import_and_hub_accept() {
    const CAP: usize = 50;
    const { assert!(MAX_RECORDS_PER_BUCKET >= 10_000, "the default leaves room for the largest mahalla") };
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut data = SampleData::new(51);
    let people: Vec<Person> = (0..CAP + 10).map(|_| data.person("Navbahor", 2026)).collect();

    // Local writes.
    let mut capped = common::device(dir.path(), "capped", &keys);
    capped.set_max_records_per_bucket(CAP);
    capped.put_many(&people[..CAP]).unwrap();
    let err = capped.put(&people[CAP]).unwrap_err();
    assert!(matches!(err, Error::LimitExceeded { found: 51, limit: CAP, .. }), "{err:?}");
    common::report(&format!("cap records per bucket (default {MAX_RECORDS_PER_BUCKET}, here {CAP}), local write: {err}"));
    assert!(matches!(capped.get::<Person>(&people[CAP].id), Err(Error::NotFound(_))), "nothing of the refused write is kept");
    capped.update::<Person>(&people[0].id, |p| p.notes = "still editable".into()).unwrap();
    assert!(matches!(capped.put_many(&people[CAP..]), Err(Error::LimitExceeded { .. })));

    // Imports: a bundle that would grow the bucket past the cap is refused whole.
    let mut big = common::device(dir.path(), "big", &keys);
    big.put_many(&people).unwrap();
    let bundle = big.export_bundle(None).unwrap();
    let mut receiver = common::device(dir.path(), "receiver", &keys);
    receiver.set_max_records_per_bucket(CAP);
    let err = receiver.import_bundle(&bundle).unwrap_err();
    assert!(matches!(err, Error::LimitExceeded { .. }), "{err:?}");
    assert!(receiver.list(&ListQuery::default()).unwrap().is_empty());
    common::report(&format!("cap records per bucket, bundle import: {err}"));

    // The hub: a device with a raised cap (a tampered app) offers more than the hub allows.
    let mut net = Network::new(dir.path(), &[Role::Inspector], 52);
    net.hub.set_max_records_per_bucket(CAP);
    net.devices[0].put_many(&people).unwrap();
    let report = match net.sync(0).unwrap() {
        common::harness::Attempt::Finished(report) => report,
        other => panic!("{other:?}"),
    };
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    assert!(report.rejected[0].reason.contains("over the limit of 50"), "{}", report.rejected[0].reason);
    assert!(net.hub.store().unwrap().list(&ListQuery::default()).unwrap().is_empty(), "the hub stored none of it");
    // But the phone lost none of it: every person is kept aside with the reason.
    let kept = net.devices[0].kept_aside().unwrap();
    assert_eq!(kept.len(), people.len(), "{} of {} persons kept aside", kept.len(), people.len());
    assert!(kept.iter().all(|k| k.reason.contains("over the limit")), "{:?}", kept[0].reason);
    common::report(&format!("cap records per bucket, hub accept: rejected: {}", report.rejected[0].reason));
}
