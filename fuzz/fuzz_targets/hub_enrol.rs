//! Raw bytes as an enrolment request to the hub.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    suhbat_fuzz::with_world(|w| {
        let answer = w.hub.handle_enrol(data);
        assert!(!answer.is_empty(), "the hub always answers");
    });
});
