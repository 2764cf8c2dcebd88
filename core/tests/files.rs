//! Attached files between phones through the hub: uploaded after the records, downloaded only
//! when opened (or pinned) and only by a device that may read a record naming them; an
//! interrupted transfer resumes without sending a finished chunk again; eviction never drops a
//! file the hub does not hold; bytes that do not match their hash are refused.

use crate::common;

use common::backends::Backend;
use common::harness::Network;
use common::{move_files, move_files_cut};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::FileTransfer;
use suhbat_core::views::{self, ViewContext};
use suhbat_core::wire::CHUNK_BYTES;
use suhbat_core::*;

/// A PDF of `len` bytes whose content depends on `seed`.
fn pdf(len: usize, seed: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    let mut x = u32::from(seed).wrapping_mul(2_654_435_761) | 1;
    while bytes.len() < len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push((x >> 11) as u8);
    }
    bytes
}

fn person_with_file(net: &mut Network, len: usize, seed: u8) -> (Person, Attachment, Vec<u8>) {
    let person = SampleData::new(u64::from(seed)).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    let bytes = pdf(len, seed);
    let attached = net.devices[0].attach(&person.id, bytes.clone(), "application/pdf", AttachmentKind::Document, "Consent").unwrap();
    (person, attached, bytes)
}

fn a_file_goes_up_after_the_records_and_comes_down_when_opened_byte_for_byte(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut net) = Network::on(backend, dir.path(), &[Role::Inspector, Role::Inspector], 141) else { return };
    net.settle();
    let (person, attached, bytes) = person_with_file(&mut net, 3 * CHUNK_BYTES + 100, 1);
    net.settle();
    let up = move_files(&mut net, 0);
    assert_eq!((up.uploaded, up.refused.len()), (1, 0), "{up:?}");
    assert_eq!(net.devices[0].file_usage().unwrap().unsent, 0);

    // The colleague's phone has the record, not the bytes, until the file is opened.
    let listed = views::record_files(&mut net.devices[1], &ViewContext::new(Locale::En), person.id.as_str()).unwrap();
    assert_eq!(listed.rows.len(), 1);
    assert_eq!((listed.rows[0].caption.as_str(), listed.rows[0].state_label.as_str(), listed.rows[0].here), ("Consent", "Downloads when opened", false));
    assert_eq!(move_files(&mut net, 1).downloaded, 0, "nothing is fetched before it is opened");
    assert_eq!(net.devices[1].file(&attached.hash).unwrap(), None);
    let down = move_files(&mut net, 1);
    assert_eq!(down.downloaded, 1, "{down:?}");
    assert_eq!(net.devices[1].file(&attached.hash).unwrap().as_deref(), Some(bytes.as_slice()));
    let wire = down.progress.wire_received as f64 / bytes.len() as f64;
    common::report(&format!("file of {} B downloaded in {} B on the wire ({wire:.4} x)", bytes.len(), down.progress.wire_received));
    assert!(wire <= 1.05, "{wire}");
}
on_both_backends!(a_file_goes_up_after_the_records_and_comes_down_when_opened_byte_for_byte);

#[test]
fn an_interrupted_transfer_resumes_without_sending_a_finished_chunk_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 142);
    net.settle();
    let size = 5 * CHUNK_BYTES + 1_000;
    let (_, attached, bytes) = person_with_file(&mut net, size, 2);
    net.settle();
    // Status, chunk 0, chunk 1 answered; the connection drops as chunk 2 goes out.
    let first = move_files_cut(&mut net, 0, Some(3));
    assert_eq!((first.uploaded, first.progress.bytes_done), (0, 2 * CHUNK_BYTES as u64));
    let resumed = move_files(&mut net, 0);
    assert_eq!(resumed.uploaded, 1);
    assert_eq!(resumed.progress.bytes_done, (size - 2 * CHUNK_BYTES) as u64, "only the chunks the hub lacked were sent");
    assert!(resumed.progress.wire_sent < (size - 2 * CHUNK_BYTES) as u64 + 8 * 1024, "{:?}", resumed.progress);
    common::report(&format!(
        "upload of {size} B cut after 2 chunks; resumed with {} B of content ({} B on the wire)",
        resumed.progress.bytes_done, resumed.progress.wire_sent
    ));

    assert_eq!(net.devices[1].file(&attached.hash).unwrap(), None);
    let first = move_files_cut(&mut net, 1, Some(3));
    assert_eq!(first.progress.bytes_done, 3 * CHUNK_BYTES as u64);
    assert_eq!(net.devices[1].file_state(&attached.hash).unwrap().unwrap().held, 3 * CHUNK_BYTES as u64);
    let resumed = move_files(&mut net, 1);
    assert_eq!((resumed.downloaded, resumed.progress.bytes_done), (1, (size - 3 * CHUNK_BYTES) as u64));
    assert_eq!(net.devices[1].file(&attached.hash).unwrap().as_deref(), Some(bytes.as_slice()));
}

#[test]
fn a_seven_member_never_receives_a_file_of_a_register_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Seven], 143);
    net.settle();
    let (person, attached, _) = person_with_file(&mut net, 1_000, 3);
    net.settle();
    assert_eq!(move_files(&mut net, 0).uploaded, 1);
    // The seven member's phone never gets the record, so it cannot even ask for the file...
    assert!(matches!(net.devices[1].file(&attached.hash), Err(Error::NotFound(_))));
    // ...and asking the hub outright is refused: the register is not theirs to see.
    let doc_id = "register/navbahor/2026";
    let mut ask = FileTransfer::for_file(&mut net.devices[1], doc_id, person.id.as_str(), &attached.hash, attached.size, "application/pdf", false).unwrap();
    let request = ask.next_request(&mut net.devices[1]).unwrap().unwrap();
    let answer = net.hub.handle_file(&request);
    assert!(ask.handle_response(&mut net.devices[1], &answer).is_ok());
    let report = ask.report();
    assert_eq!(report.downloaded, 0);
    assert!(report.refused[0].1.contains("may not"), "{report:?}");
    assert_eq!(net.devices[1].file_state(&attached.hash).unwrap(), None);
}

#[test]
fn eviction_keeps_files_not_sent_yet_and_pinned_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 144);
    net.settle();
    let person = SampleData::new(144).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    net.devices[0].set_file_budget(1024 * 1024).unwrap();
    let mut hashes = Vec::new();
    for seed in 0..3 {
        let a = net.devices[0].attach(&person.id, pdf(600_000, 10 + seed), "application/pdf", AttachmentKind::Document, &format!("page {seed}")).unwrap();
        hashes.push(a.hash);
    }
    net.devices[0].pin_file(&hashes[0], true).unwrap();
    let usage = net.devices[0].file_usage().unwrap();
    assert_eq!((usage.files, usage.unsent), (3, 3), "over the budget, but nothing the hub lacks is evicted: {usage:?}");
    assert!(usage.bytes > usage.budget);
    net.settle();
    assert_eq!(move_files(&mut net, 0).uploaded, 3);
    let usage = net.devices[0].file_usage().unwrap();
    assert!(usage.bytes <= usage.budget, "once uploaded, copies go until the files fit: {usage:?}");
    assert!(net.devices[0].file_state(&hashes[0]).unwrap().unwrap().complete, "the pinned one stays");

    // Downloads on a small budget: the least recently used copy goes, the one just opened stays.
    net.devices[1].set_file_budget(700_000).unwrap();
    for hash in &hashes[1..] {
        assert_eq!(net.devices[1].file(hash).unwrap(), None);
        assert_eq!(move_files(&mut net, 1).downloaded, 1);
    }
    assert!(!net.devices[1].file_state(&hashes[1]).unwrap().unwrap().complete, "evicted");
    assert!(net.devices[1].file(&hashes[2]).unwrap().is_some(), "kept");
}

#[test]
fn oversized_files_and_bytes_that_do_not_match_their_hash_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 145);
    let keys = common::harness_keys(&net);
    net.settle();
    let person = SampleData::new(145).person("Navbahor", 2026);
    net.devices[0].put(&person).unwrap();
    let too_big = net.devices[0].attach(&person.id, pdf(11 * 1024 * 1024, 5), "application/pdf", AttachmentKind::Document, "");
    match too_big {
        Err(Error::Invalid(errors)) => assert!(errors.messages(Locale::En)[0].contains("at most 10.0 MB"), "{errors:?}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(net.devices[0].attach(&person.id, b"MZ...".to_vec(), "application/x-msdownload", AttachmentKind::Document, ""), Err(Error::Invalid(_))));
    assert_eq!(net.devices[0].file_usage().unwrap().files, 0, "nothing stored");

    // A file altered on the phone after it was attached: the hub checks the hash and keeps nothing.
    let attached = net.devices[0].attach(&person.id, pdf(2 * CHUNK_BYTES, 6), "application/pdf", AttachmentKind::Document, "").unwrap();
    let path = net.devices[0].path().to_path_buf();
    common::raw_conn(&path, keys).execute("UPDATE attachment_chunk SET bytes = zeroblob(length(bytes)) WHERE idx = 1", []).unwrap();
    net.settle();
    let report = move_files(&mut net, 0);
    assert_eq!(report.uploaded, 0);
    assert!(report.refused[0].1.contains("do not match its hash"), "{report:?}");
    assert_eq!(net.devices[1].file(&attached.hash).unwrap(), None);
    let fetched = move_files(&mut net, 1);
    assert!(fetched.downloaded == 0 && fetched.refused[0].1.contains("does not hold"), "{fetched:?}");
}

#[test]
fn damaged_file_requests_and_answers_are_refused_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 146);
    net.settle();
    let size = CHUNK_BYTES + 10;
    let (_, attached, _) = person_with_file(&mut net, size, 7);
    net.settle();
    // A real request to put the first chunk, and the hub's real answer to a status request.
    let mut session = FileTransfer::new(&mut net.devices[0]).unwrap();
    let status = session.next_request(&mut net.devices[0]).unwrap().unwrap();
    let answer = net.hub.handle_file(&status);
    session.handle_response(&mut net.devices[0], &answer).unwrap();
    let put = session.next_request(&mut net.devices[0]).unwrap().unwrap();
    let mut x: u32 = 0x9e37_79b9;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x as usize
    };
    let mut answers_taken = 0;
    for round in 0..1_000 {
        let mut bad = put.clone();
        for _ in 0..1 + round % 4 {
            let at = next() % bad.len();
            bad[at] ^= 1 << (next() % 8);
        }
        net.hub.handle_file(&bad);
        let mut bad_answer = answer.clone();
        let at = next() % bad_answer.len();
        bad_answer[at] ^= 1 << (next() % 8);
        let mut again = FileTransfer::new(&mut net.devices[0]).unwrap();
        again.next_request(&mut net.devices[0]).unwrap();
        answers_taken += usize::from(again.handle_response(&mut net.devices[0], &bad_answer).is_ok());
    }
    assert_eq!(answers_taken, 0, "a damaged answer is refused before anything is applied");
    // No damaged put stored anything: the whole file still goes up, from its first byte.
    let report = move_files(&mut net, 0);
    common::report(&format!("1,000 damaged file requests and answers: 0 taken; the file then went up whole ({} B)", report.progress.bytes_done));
    assert_eq!((report.uploaded, report.progress.bytes_done), (1, size as u64));
    assert!(net.devices[0].file_state(&attached.hash).unwrap().unwrap().uploaded);
}

#[test]
fn a_phone_moved_to_another_mahalla_drops_the_files_of_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector], 147);
    net.settle();
    let (_, attached, _) = person_with_file(&mut net, 1_000, 8);
    net.settle();
    assert_eq!(move_files(&mut net, 0).uploaded, 1);
    assert_eq!(net.devices[1].file(&attached.hash).unwrap(), None);
    assert_eq!(move_files(&mut net, 1).downloaded, 1);
    let id = net.devices[1].device().device_id.clone();
    assert!(net.hub.set_scopes(&id, &["Qatortol".into()]).unwrap());
    net.settle();
    assert_eq!(net.devices[1].file_state(&attached.hash).unwrap(), None, "the file left with its records");
    assert!(net.devices[0].file_state(&attached.hash).unwrap().unwrap().complete, "the phone still in Navbahor keeps it");
}
