//! Raw bytes as a sync request frame to the hub (as they would arrive over HTTPS).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    suhbat_fuzz::with_world(|w| {
        let answer = w.hub.handle_sync(data);
        assert!(!answer.is_empty(), "the hub always answers");
    });
});
