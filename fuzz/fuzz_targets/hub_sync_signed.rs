//! Bytes as the inner request, signed with an enrolled device's key (a tampered app): the hub
//! decodes and checks everything past the request signature.
#![no_main]

use suhbat_core::wire::{MessageKind, Writer};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    suhbat_fuzz::with_world(|w| {
        let mut frame = Writer::default();
        frame.bytes(data).bytes(&w.device.sign(data));
        let answer = w.hub.handle_sync(&frame.finish(MessageKind::SyncRequest));
        assert!(!answer.is_empty(), "the hub always answers");
    });
});
