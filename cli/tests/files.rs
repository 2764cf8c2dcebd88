//! `suhbat file …` between two phones through the real hub over HTTPS: a file attached on one
//! phone reaches the other byte for byte when it is opened there, and its content is nowhere in
//! plain text on either phone or on the hub.

use crate::common::*;
use std::path::Path;

const MARKER: &[u8] = b"FILE-MARKER-7f3a9c-consent-of-the-guardian";

/// A PDF of about 600 KB (three chunks) with the marker in it many times.
fn pdf_with_marker() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    let mut n: u32 = 1;
    while bytes.len() < 600_000 {
        bytes.extend_from_slice(MARKER);
        n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        bytes.extend_from_slice(&n.to_le_bytes());
    }
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_file_reaches_the_other_phone_byte_for_byte_and_is_never_stored_in_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let setup = enrolled_device(dir.path(), "aziz", "Marker");
    let aziz = arg(&setup.store);
    let bobur = another_phone(dir.path(), &setup, "bobur");
    let id = add_qodirov(&aziz, &[]);
    let original = dir.path().join("consent.pdf");
    std::fs::write(&original, pdf_with_marker()).unwrap();

    let attached = ok(&["file", "attach", "--store", &aziz, &id, &arg(&original), "--caption", "Guardian's consent"]);
    let hash = attached.split_whitespace().nth(1).unwrap().to_string();
    let synced = ok(&["device", "sync", "--store", &aziz]);
    assert!(synced.contains("files: 1 uploaded"), "records first, then the file: {synced}");

    ok(&["device", "sync", "--store", &bobur]);
    let listed = ok(&["file", "list", "--store", &bobur, &id]);
    assert!(listed.contains(&hash) && listed.contains("Downloads when opened") && listed.contains("Guardian's consent"), "{listed}");
    let copy = dir.path().join("copy.pdf");
    let got = ok(&["file", "get", "--store", &bobur, &hash, "--out", &arg(&copy)]);
    assert!(got.contains("files: 0 uploaded, 1 downloaded"), "{got}");
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&original).unwrap(), "byte for byte");
    assert!(ok(&["file", "list", "--store", &bobur, &id]).contains("On this device"));

    // Encrypted at rest: the marker is in no file of either phone's store or of the hub.
    std::fs::remove_file(&original).unwrap();
    std::fs::remove_file(&copy).unwrap();
    drop(setup.hub);
    let mut checked = 0;
    for entry in walk(dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(!contains(&bytes, MARKER), "{} holds the file's content in plain text", entry.display());
        checked += 1;
    }
    report(&format!("marker absent from all {checked} files under the phones' and the hub's folders"));

    let took = ok(&["file", "detach", "--store", &aziz, &id, &hash]);
    assert!(took.contains("took"), "{took}");
    assert!(ok(&["file", "list", "--store", &aziz, &id]).contains("No files attached"));
    assert!(ok(&["file", "detach", "--store", &aziz, &id, &hash]).contains("nothing changed"));

    let too_big = dir.path().join("big.pdf");
    std::fs::write(&too_big, [b"%PDF-1.4\n".as_slice(), &vec![7u8; 11 * 1024 * 1024]].concat()).unwrap();
    let err = fails(&["--lang", "en", "file", "attach", "--store", &aziz, &id, &arg(&too_big)]);
    assert!(err.contains("at most 10.0 MB"), "{err}");
    let err = fails(&["file", "attach", "--store", &aziz, &id, &arg(&dir.path().join("aziz.db"))]);
    assert!(err.contains("--type"), "{err}");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
