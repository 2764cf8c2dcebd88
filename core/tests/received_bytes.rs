//! A phone trusts no bytes it receives. A real incremental bundle and a real sync answer are
//! damaged at every byte (and one bit of every byte) and each damaged copy is given to a fresh
//! copy of the receiving store: none may be accepted with changed data, none may panic, and
//! every store must still take the genuine bytes afterwards. A bundle forged under another
//! device's actor is refused naming that device; an answer to another request is refused.

use crate::common;

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ReadDoc, ROOT};
use common::harness::{enrol, Network};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::{Hub, SyncSession};
use suhbat_core::*;

/// What a store shows: records, heads, what was kept aside, the devices it knows.
type Content = (Vec<common::RecordState>, Summary, usize, Vec<sync::KnownPeer>);

fn content(store: &mut Store) -> Content {
    let (records, summary) = common::state(store);
    (records, summary, store.kept_aside().unwrap().len(), store.known_devices().unwrap())
}

/// The damaged copies of `bytes`: every byte inverted, and one bit of every byte flipped
/// (the bit chosen by the position, so every bit index is covered across the input).
fn damaged(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for i in 0..bytes.len() {
        for mask in [0xff, 1u8 << ((i * 5 + 3) % 8)] {
            let mut copy = bytes.to_vec();
            copy[i] ^= mask;
            out.push(copy);
        }
    }
    out
}

/// Outcomes of giving damaged copies to fresh stores.
#[derive(Default, Debug)]
struct Counts {
    tried: usize,
    refused: usize,
    accepted_same: usize,
    accepted_changed: usize,
    panics: usize,
    changed_by_refusal: usize,
    genuine_refused_after: usize,
}

impl Counts {
    fn print(&self, what: &str, len: usize) {
        common::report(&format!(
            "{what} ({len} bytes): {} damaged copies -> refused {}, accepted with the same data {}, accepted with changed data {}, panics {}, \
             stores changed by a refusal {}, stores refusing the genuine input afterwards {}",
            self.tried, self.refused, self.accepted_same, self.accepted_changed, self.panics, self.changed_by_refusal, self.genuine_refused_after
        ));
    }

    fn assert_clean(&self) {
        assert_eq!((self.accepted_changed, self.panics, self.changed_by_refusal, self.genuine_refused_after), (0, 0, 0, 0), "{self:?}");
    }
}

/// A fresh copy of the closed store file `template`, opened (the same file name, so the same key).
fn fresh_copy(template: &Path, work: &Path, keys: &MemoryKeyProvider) -> Store {
    let name = template.file_name().unwrap();
    let path = work.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    std::fs::copy(template, &path).unwrap();
    Store::open(&path, keys).unwrap()
}

/// Closes `store` and keeps a copy of its file as the template of every fresh store.
fn template_of(store: Store, dir: &Path) -> PathBuf {
    let path = store.path().to_path_buf();
    drop(store);
    let template_dir = dir.join("template");
    std::fs::create_dir_all(&template_dir).unwrap();
    let template = template_dir.join(path.file_name().unwrap());
    std::fs::copy(&path, &template).unwrap();
    template
}

/// Gives every damaged copy of `genuine` to a fresh store through `deliver`; `reference` is
/// what a store shows after the genuine bytes.
fn flip_all(
    template: &Path,
    keys: &MemoryKeyProvider,
    genuine: &[u8],
    reference: &Content,
    mut deliver: impl FnMut(&mut Store, &[u8]) -> Result<()>,
) -> Counts {
    let work = common::fast_tempdir();
    let mut counts = Counts::default();
    for bytes in damaged(genuine) {
        counts.tried += 1;
        let mut store = fresh_copy(template, work.path(), keys);
        let before = content(&mut store);
        match catch_unwind(AssertUnwindSafe(|| deliver(&mut store, &bytes))) {
            Err(_) => counts.panics += 1,
            Ok(Ok(())) if content(&mut store) == *reference => counts.accepted_same += 1,
            Ok(Ok(())) => counts.accepted_changed += 1,
            Ok(Err(_)) => {
                counts.refused += 1;
                if content(&mut store) != before {
                    counts.changed_by_refusal += 1;
                }
                let again = catch_unwind(AssertUnwindSafe(|| deliver(&mut store, genuine)));
                if !matches!(again, Ok(Ok(()))) || content(&mut store) != *reference {
                    counts.genuine_refused_after += 1;
                }
            }
        }
    }
    counts
}

#[test]
fn every_byte_of_a_bundle_and_of_a_sync_answer_is_checked() {
    let dir = common::fast_tempdir();
    let keys = MemoryKeyProvider::new();
    let mut data = SampleData::new(18);

    // A real incremental bundle: the receiver has the people, the sender changed one.
    let mut sender = common::device(dir.path(), "sender", &keys);
    let mut receiver = common::device(dir.path(), "receiver", &keys);
    let mut person = data.person("Navbahor", 2026);
    person.notes = "Original notes text.".into();
    sender.put(&person).unwrap();
    common::send(&mut sender, &mut receiver);
    sender.update::<Person>(&person.id, |p| p.notes = "Moved to the aunt's house.".into()).unwrap();
    let bundle = sender.export_bundle(Some(&receiver.summary().unwrap())).unwrap();
    let template = template_of(receiver, dir.path());
    let reference = {
        let work = common::fast_tempdir();
        let mut store = fresh_copy(&template, work.path(), &keys);
        store.import_bundle(&bundle).unwrap();
        assert_eq!(store.get::<Person>(&person.id).unwrap().record.notes, "Moved to the aunt's house.");
        content(&mut store)
    };
    let counts = flip_all(&template, &keys, &bundle, &reference, |store, bytes| store.import_bundle(bytes).map(|_| ()));
    counts.print("incremental bundle", bundle.len());
    counts.assert_clean();

    // A real sync answer: the reader synced before; a colleague's edit reached the hub since.
    let mut hub = Hub::open(dir.path().join("hub.db"), &keys).unwrap();
    let mut writer = common::device(dir.path(), "writer", &keys);
    let mut reader = common::device(dir.path(), "reader", &keys);
    enrol(&hub, &mut writer, Role::Inspector, &["Navbahor"]);
    enrol(&hub, &mut reader, Role::Inspector, &["Navbahor"]);
    let sync = |hub: &mut Hub, store: &mut Store| {
        let mut session = SyncSession::new(store).unwrap();
        while let Some(request) = session.next_request(store).unwrap() {
            session.handle_response(store, &hub.handle_sync(&request)).unwrap();
        }
    };
    writer.put(&person).unwrap();
    sync(&mut hub, &mut writer);
    sync(&mut hub, &mut reader);
    writer.update::<Person>(&person.id, |p| p.notes = "Moved to the aunt's house.".into()).unwrap();
    sync(&mut hub, &mut writer);
    let mut session = SyncSession::new(&reader).unwrap();
    let request = session.next_request(&mut reader).unwrap().unwrap();
    let answer = hub.handle_sync(&request);
    let template = template_of(reader, dir.path());
    let reference = {
        let work = common::fast_tempdir();
        let mut store = fresh_copy(&template, work.path(), &keys);
        session.clone().handle_response(&mut store, &answer).unwrap();
        assert_eq!(store.get::<Person>(&person.id).unwrap().record.notes, "Moved to the aunt's house.");
        content(&mut store)
    };
    let mut waiting = session.clone();
    let counts = flip_all(&template, &keys, &answer, &reference, |store, bytes| {
        // Each fresh store gets a copy of the session waiting for this answer; after a
        // refusal the same session must still take the genuine answer.
        if bytes == answer.as_slice() {
            return waiting.handle_response(store, bytes);
        }
        waiting = session.clone();
        waiting.handle_response(store, bytes)
    });
    counts.print("sync answer", answer.len());
    counts.assert_clean();
}

/// The bucket document `doc_id` of a store, read from its file the way a tampered app could.
fn document(store: &Store, keys: &MemoryKeyProvider, doc_id: &str) -> Automerge {
    let conn = common::raw_conn(store.path(), keys);
    let mut stmt = conn.prepare("SELECT bytes FROM doc_chunk WHERE doc_id = ?1 ORDER BY seq").unwrap();
    let chunks: Vec<Vec<u8>> = stmt.query_map([doc_id], |r| r.get(0)).unwrap().map(|c| c.unwrap()).collect();
    Automerge::load(&chunks.concat()).unwrap()
}

#[test]
fn a_bundle_forged_under_another_devices_actor_is_refused_naming_that_device() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut data = SampleData::new(19);
    let mut dilnoza = common::device(dir.path(), "dilnoza", &keys);
    let mut forger = common::device(dir.path(), "forger", &keys);
    let mut inspector = common::device(dir.path(), "inspector", &keys);
    let person = data.person("Navbahor", 2026);
    dilnoza.put(&person).unwrap();
    // No hub involved yet: the inspector and the forger both pinned Dilnoza's key on the first
    // exchange of bundles with her.
    common::send(&mut dilnoza, &mut inspector);
    common::send(&mut dilnoza, &mut forger);
    let pinned = inspector.known_devices().unwrap();
    assert!(pinned.iter().any(|p| p.device_id == dilnoza.device().device_id && p.fingerprint == dilnoza.key_fingerprint() && p.source == "bundle"));

    // The forger writes a change under Dilnoza's actor, with a valid structure, and hands it
    // over in a bundle it signs itself; the change's signature claims Dilnoza.
    let doc_id = inspector.summary().unwrap().docs.keys().next().unwrap().clone();
    let mut doc = document(&forger, &keys, &doc_id).with_actor(ActorId::from(hex::decode(&dilnoza.device().actor).unwrap()));
    let before = doc.get_heads();
    let mut tx = doc.transaction();
    let (_, record) = tx.get(ROOT, person.id.as_str()).unwrap().unwrap();
    tx.put(&record, "notes", "FORGED: moved abroad").unwrap();
    tx.commit();
    let forged = doc.get_changes(&before);
    assert_eq!(forged.len(), 1);
    let write = |claim_signed_by: &str, claim_actor: bool| {
        let mut w = wire::Writer::default();
        let me = forger.device();
        w.str(me.profile.role.as_str()).str(&me.profile.scopes.join(","));
        if claim_actor {
            // An author entry saying Dilnoza's actor is the forger's.
            w.u32(1).str(&dilnoza.device().actor).str(&me.device_id).bytes(&forger.public_key()).str("inspector").str("Navbahor").u8(0).u8(0).u32(0);
        } else {
            w.u32(0);
        }
        w.u32(1).str(&doc_id).u8(1).u32(1).bytes(forged[0].raw_bytes());
        w.u32(1).bytes(&forged[0].hash().0);
        w.u32(1).bytes(&forged[0].hash().0).str(claim_signed_by).bytes(&forger.sign(&forged[0].hash().0));
        common::sealed_as(&forger, &me.device_id, &forger.public_key(), w)
    };
    let before = content(&mut inspector);
    for (claim, claim_actor) in
        [(dilnoza.device().device_id.clone(), false), (forger.device().device_id.clone(), false), (dilnoza.device().device_id.clone(), true)]
    {
        match inspector.import_bundle(&write(&claim, claim_actor)) {
            Err(Error::Untrusted { author, reason }) => {
                assert_eq!(author, dilnoza.device().device_id, "{reason}");
                common::report(&format!("forged bundle refused: written as {author}: {reason}"));
            }
            other => panic!("expected the forged bundle to be refused, got {other:?}"),
        }
        assert!(content(&mut inspector) == before, "nothing of a refused bundle is stored");
    }
    assert_eq!(inspector.get::<Person>(&person.id).unwrap().record.notes, person.notes);

    // A bundle naming Dilnoza's device id, signed with another key, is refused too: the key
    // pinned on the first exchange wins.
    let impostor = common::device(dir.path(), "impostor", &keys);
    let mut w = wire::Writer::default();
    w.str("inspector").str("Navbahor").u32(0).u32(0).u32(0).u32(0);
    match inspector.import_bundle(&common::sealed_as(&impostor, &dilnoza.device().device_id, &impostor.public_key(), w)) {
        Err(Error::Untrusted { author, reason }) => {
            assert_eq!(author, dilnoza.device().device_id);
            common::report(&format!("bundle with another key for a pinned device refused: {reason}"));
        }
        other => panic!("expected refusal, got {other:?}"),
    }
    assert!(content(&mut inspector) == before);
    // Genuine bundles from Dilnoza still go through.
    dilnoza.update::<Person>(&person.id, |p| p.notes = "Genuine edit.".into()).unwrap();
    common::send(&mut dilnoza, &mut inspector);
    assert_eq!(inspector.get::<Person>(&person.id).unwrap().record.notes, "Genuine edit.");
}

#[test]
fn a_replayed_or_mismatched_sync_answer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 20);
    let mut data = SampleData::new(20);
    let person = data.person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    net.settle();

    // An answer to an earlier request, given to a later session, is refused and changes nothing.
    net.devices[0].update::<Person>(&person.id, |p| p.notes = "first".into()).unwrap();
    net.settle();
    let reader = &mut net.devices[1];
    let mut first = SyncSession::new(reader).unwrap();
    let earlier = net.hub.handle_sync(&first.next_request(reader).unwrap().unwrap());
    let before = content(reader);
    let mut later = SyncSession::new(reader).unwrap();
    let request = later.next_request(reader).unwrap().unwrap();
    match later.handle_response(reader, &earlier) {
        Err(Error::Protocol(why)) => common::report(&format!("replayed answer refused: {why}")),
        other => panic!("expected the replayed answer to be refused, got {other:?}"),
    }
    assert!(content(reader) == before);
    // The session still waits for its own answer and takes it.
    later.handle_response(reader, &net.hub.handle_sync(&request)).unwrap();

    // An answer to another device's request is refused.
    let (a, b) = net.devices.split_at_mut(1);
    let mut theirs = SyncSession::new(&a[0]).unwrap();
    let their_answer = net.hub.handle_sync(&theirs.next_request(&mut a[0]).unwrap().unwrap());
    let mut mine = SyncSession::new(&b[0]).unwrap();
    mine.next_request(&mut b[0]).unwrap();
    assert!(matches!(mine.handle_response(&mut b[0], &their_answer), Err(Error::Protocol(_))));

    // An answer signed by another hub (same bytes otherwise) is refused.
    let other_hub = Hub::open(dir.path().join("other-hub.db"), common::harness_keys(&net)).unwrap();
    let mut stranger = common::device(dir.path(), "stranger", common::harness_keys(&net));
    enrol(&other_hub, &mut stranger, Role::Inspector, &["Navbahor"]);
    let reader = &mut net.devices[1];
    let mut session = SyncSession::new(reader).unwrap();
    let request = session.next_request(reader).unwrap().unwrap();
    let genuine = net.hub.handle_sync(&request);
    let mut outer = wire::Reader::open(&genuine, wire::MessageKind::SyncResponse).unwrap();
    let inner = outer.bytes("answer", wire::MAX_MESSAGE_BYTES).unwrap().to_vec();
    let mut w = wire::Writer::default();
    w.bytes(&inner).bytes(&other_hub.public_key()).bytes(&other_hub.sign(&inner));
    match session.handle_response(reader, &w.finish(wire::MessageKind::SyncResponse)) {
        Err(Error::Protocol(why)) => common::report(&format!("answer signed by another hub refused: {why}")),
        other => panic!("expected refusal, got {other:?}"),
    }
    session.handle_response(reader, &genuine).unwrap();
}

#[test]
fn a_store_from_before_signed_answers_pins_the_hub_key_and_learns_its_authors() {
    let dir = tempfile::tempdir().unwrap();
    let keys = MemoryKeyProvider::new();
    let mut hub = Hub::open(dir.path().join("hub.db"), &keys).unwrap();
    let mut device = common::device(dir.path(), "old", &keys);
    let mut colleague = common::device(dir.path(), "colleague", &keys);
    enrol(&hub, &mut device, Role::Inspector, &["Navbahor"]);
    enrol(&hub, &mut colleague, Role::Inspector, &["Navbahor"]);
    let sync = |hub: &mut Hub, store: &mut Store| {
        let mut session = SyncSession::new(store).unwrap();
        while let Some(request) = session.next_request(store).unwrap() {
            session.handle_response(store, &hub.handle_sync(&request)).unwrap();
        }
    };
    colleague.put(&SampleData::new(22).person("Navbahor", 2026)).unwrap();
    sync(&mut hub, &mut colleague);
    sync(&mut hub, &mut device);
    device.put(&SampleData::new(21).person("Navbahor", 2026)).unwrap();
    // What an older store holds: no hub key, no author directory, the colleague's changes.
    let path = device.path().to_path_buf();
    drop(device);
    let raw = common::raw_conn(&path, &keys);
    raw.execute_batch("DELETE FROM meta WHERE key = 'hub_key'; DELETE FROM peer_actor; DELETE FROM peer_device;").unwrap();
    drop(raw);
    let mut device = Store::open(&path, &keys).unwrap();
    assert!(device.known_devices().unwrap().is_empty());
    sync(&mut hub, &mut device);
    assert_eq!(hub.store().unwrap().list(&ListQuery::default()).unwrap().len(), 2, "the sync went through");
    // Once the hub holds all its work, its next sync offers a summary and learns who wrote
    // what it holds: a bundle of everything it has, the colleague's older changes included,
    // is taken by a phone that never met either.
    sync(&mut hub, &mut device);
    assert!(device.known_devices().unwrap().iter().any(|p| p.device_id == colleague.device().device_id && p.source == "hub"));
    let mut newcomer = common::device(dir.path(), "newcomer", &keys);
    newcomer.import_bundle(&device.export_bundle(None).unwrap()).unwrap();
    assert_eq!(newcomer.list(&ListQuery::default()).unwrap().len(), 2);
    // From now on only that hub's key is accepted.
    let other_hub = Hub::open(dir.path().join("other.db"), &keys).unwrap();
    let mut session = SyncSession::new(&device).unwrap();
    let request = session.next_request(&mut device).unwrap().unwrap();
    let genuine = hub.handle_sync(&request);
    let mut outer = wire::Reader::open(&genuine, wire::MessageKind::SyncResponse).unwrap();
    let inner = outer.bytes("answer", wire::MAX_MESSAGE_BYTES).unwrap().to_vec();
    let mut w = wire::Writer::default();
    w.bytes(&inner).bytes(&other_hub.public_key()).bytes(&other_hub.sign(&inner));
    assert!(matches!(session.handle_response(&mut device, &w.finish(wire::MessageKind::SyncResponse)), Err(Error::Protocol(_))));
    session.handle_response(&mut device, &genuine).unwrap();
}

#[test]
fn a_packed_answer_is_inflated_only_after_its_signature_and_within_its_bound() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 31);
    let reader = &mut net.devices[1];
    let mut session = SyncSession::new(reader).unwrap();
    session.next_request(reader).unwrap().unwrap();
    // A packed answer that declares 1 KiB and inflates to 64 MiB of zeros.
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut encoder, &vec![0u8; 64 << 20]).unwrap();
    let mut bomb = vec![1u8];
    bomb.extend_from_slice(&1024u32.to_le_bytes());
    bomb.extend(encoder.finish().unwrap());
    let wrap = |inner: &[u8], signature: &[u8]| {
        let mut w = wire::Writer::default();
        w.bytes(inner).bytes(&net.hub.public_key()).bytes(signature);
        w.finish(wire::MessageKind::SyncResponse)
    };
    // Not signed by the hub: refused before anything is inflated.
    match session.clone().handle_response(reader, &wrap(&bomb, &[0u8; 64])) {
        Err(Error::Malformed(e)) => assert!(e.to_string().contains("answer signature"), "{e}"),
        other => panic!("expected the unsigned answer to be refused, got {other:?}"),
    }
    // Signed by the hub's key: inflating stops one byte past the declared length.
    match session.clone().handle_response(reader, &wrap(&bomb, &net.hub.sign(&bomb))) {
        Err(Error::Malformed(e)) => {
            assert!(e.to_string().contains("declares 1024 bytes but inflates to 1025 or more"), "{e}");
            common::report(&format!("packed answer refused: {e}"));
        }
        other => panic!("expected the bomb to be refused, got {other:?}"),
    }
}
