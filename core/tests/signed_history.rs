//! Signed history on the hub: every change it accepted is kept with its author's signature
//! (checked here against the registry, change by change), and a change whose bytes were altered
//! on the way is rejected — by the request signature when altered in transit, and by the change
//! signature when the altered request is signed again (a tampered app, or a relaying device).

use crate::common;

use automerge::Automerge;
use common::harness::{Attempt, Network};
use sha2::{Digest, Sha256};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::SyncSession;
use suhbat_core::*;

#[test]
fn the_hub_keeps_a_verifiable_signature_for_every_change_it_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector, Role::Seven], 61);
    let mut data = SampleData::new(61);
    let person = data.person("Navbahor", 2026);
    let case = data.parent_case("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    net.devices[0].put(&case).unwrap();
    net.devices[1].put_many(&(0..5).map(|_| data.person("Navbahor", 2026)).collect::<Vec<_>>()).unwrap();
    net.settle();
    net.devices[1].update::<Person>(&person.id, |p| p.notes = "Visited twice.".into()).unwrap();
    net.devices[2].update::<ParentCase>(&case.id, |c| c.notes = "Seven met the family.".into()).unwrap();
    net.devices[0].update::<ParentCase>(&case.id, |c| c.move_to_stage(SaraStage::Analysis, "", "device0", chrono::Utc::now()).unwrap()).unwrap();
    net.settle();

    let conn = common::raw_conn(&dir.path().join("hub.db"), net.keys);
    let docs: Vec<String> = conn.prepare("SELECT doc_id FROM doc").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let (mut changes, mut verified) = (0, 0);
    for doc_id in &docs {
        let chunks: Vec<Vec<u8>> = conn
            .prepare("SELECT bytes FROM doc_chunk WHERE doc_id = ?1 ORDER BY seq")
            .unwrap()
            .query_map([doc_id], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let doc = Automerge::load(&chunks.concat()).unwrap();
        for change in doc.get_changes(&[]) {
            changes += 1;
            let hash = change.hash();
            let (device_id, signature): (String, Vec<u8>) = conn
                .query_row("SELECT device_id, signature FROM change_sig WHERE hash = ?1", [hash.0.as_slice()], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap_or_else(|e| panic!("no signature for change {hash} of {doc_id}: {e}"));
            let (public_key, owner): (Vec<u8>, String) = conn
                .query_row(
                    "SELECT d.public_key, a.device_id FROM hub_device d JOIN hub_actor a ON a.actor = ?2 WHERE d.device_id = ?1",
                    [device_id.as_str(), change.actor_id().to_hex_string().as_str()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!(owner, device_id, "the signer is the device the change's actor belongs to");
            assert!(verify_change(&public_key, &hash.0, &signature), "signature of {hash} does not verify");
            verified += 1;
        }
    }
    common::report(&format!("signed history: {} documents on the hub, {changes} changes, {verified} signatures verified against the registry", docs.len()));
    assert!(changes >= 6 && verified == changes);
}

/// Alters the first change in `frame` that holds `from`, keeping it a well-formed Automerge
/// change (length kept, chunk checksum recomputed), so only its hash differs.
fn alter_change(frame: &mut [u8], from: &[u8], to: &[u8]) {
    const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
    let at = frame.windows(from.len()).position(|w| w == from).expect("the value is in the frame");
    frame[at..at + from.len()].copy_from_slice(to);
    let start = frame[..at].windows(4).rposition(|w| w == MAGIC).expect("an Automerge chunk");
    // magic (4) | checksum (4) | type (1) | LEB128 length | body; checksum = SHA-256 of the rest.
    let (mut len, mut shift, mut p) = (0usize, 0, start + 9);
    loop {
        let b = frame[p];
        len |= ((b & 0x7f) as usize) << shift;
        p += 1;
        shift += 7;
        if b & 0x80 == 0 {
            break;
        }
    }
    let end = p + len;
    let checksum = Sha256::digest(&frame[start + 8..end]);
    frame[start + 4..start + 8].copy_from_slice(&checksum[..4]);
    let altered = automerge::Change::try_from(&frame[start..end]).expect("the altered change still decodes");
    assert_eq!(altered.hash().0[..4], checksum[..4]);
}

#[test]
fn a_change_altered_on_the_way_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector], 62);
    let mut data = SampleData::new(62);
    net.devices[0].put(&data.person("Navbahor", 2026)).unwrap();
    net.settle();
    let mut person = data.person("Navbahor", 2026);
    person.address.street = "GENUINE-STREET-17".into();
    net.devices[0].put(&person).unwrap();
    let device = &mut net.devices[0];
    let mut session = SyncSession::new(device).unwrap();
    let request = session.next_request(device).unwrap().unwrap();
    let (inner, signature) = common::split_signed(&request);
    let (header, mut offers) = common::open_request(&inner);
    alter_change(&mut offers, b"GENUINE-STREET-17", b"ALTERED-STREET-17");
    let inner = common::close_request(&header, &offers);

    // In transit: the request signature no longer matches.
    let answer = net.hub.handle_sync(&common::wrap_signed(&inner, &signature));
    match common::read_answer(device, &answer) {
        Err(Error::Refused { code, .. }) => assert_eq!(code, "not-authenticated"),
        other => panic!("expected not-authenticated, got {other:?}"),
    }
    // Signed again with the device key: the change's own signature is over its original
    // hash, so the altered change has none; the hub rejects it and sends its copy back.
    let answer = net.hub.handle_sync(&common::resign(device, &inner));
    session.handle_response(device, &answer).unwrap();
    let rejected = &session.report().rejected;
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert!(rejected[0].reason.contains("no signature known for this change") && rejected[0].reason.contains("altered on the way"), "{}", rejected[0].reason);
    assert!(net.hub.store().unwrap().list(&ListQuery { text: Some("ALTERED".into()), ..Default::default() }).unwrap().is_empty());
    assert!(matches!(net.hub.store().unwrap().get::<Person>(&person.id), Err(Error::NotFound(_))), "nothing of the altered change is kept");
    common::report(&format!("altered change: in transit -> refused not-authenticated; re-signed request -> change rejected: {}", rejected[0].reason));

    // The device's next sync is clean, and its genuine edit (replayed on the hub's copy)
    // reaches the hub: the attacker cost the inspector nothing.
    assert!(matches!(net.sync(0).unwrap(), Attempt::Finished(r) if r.rejected.is_empty()));
    assert!(net.hub.store().unwrap().list(&ListQuery { text: Some("GENUINE".into()), ..Default::default() }).unwrap().len() == 1);
}
