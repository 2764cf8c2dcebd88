//! Raw bytes as the hub's answer to a device's sync request (a hostile or broken hub).
#![no_main]

use suhbat_core::sync::SyncSession;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    suhbat_fuzz::with_world(|w| {
        let Ok(mut session) = SyncSession::new(&w.device) else { return };
        if session.next_request(&mut w.device).is_ok() {
            let _ = session.handle_response(&mut w.device, data);
        }
    });
});
