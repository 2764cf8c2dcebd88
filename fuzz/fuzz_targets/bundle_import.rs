//! Raw bytes as a merge bundle: the wire format, then Automerge's loading of documents and
//! changes, then the store's transaction.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    suhbat_fuzz::with_world(|w| {
        let _ = w.loner.import_bundle(data);
    });
});
