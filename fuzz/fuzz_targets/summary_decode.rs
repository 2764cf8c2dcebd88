//! Raw bytes as a replica summary.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = suhbat_core::Summary::decode(data);
});
