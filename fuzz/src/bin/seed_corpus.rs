//! Writes valid frames into `corpus/<target>/` as starting points for the fuzz targets:
//! `cargo run --bin seed_corpus` (from `fuzz/`), then `cargo fuzz run <target>`.

use std::path::Path;
use suhbat_core::sync::SyncSession;
use suhbat_core::wire::Reader;

fn save(target: &str, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let dir = Path::new("corpus").join(target);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(name), bytes)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    suhbat_fuzz::with_world(|w| -> Result<(), Box<dyn std::error::Error>> {
        let mut session = SyncSession::new(&w.device)?;
        let request = session.next_request(&mut w.device)?.ok_or("no request")?;
        save("hub_sync", "request", &request)?;
        let mut outer = Reader::open(&request, suhbat_core::wire::MessageKind::SyncRequest)?;
        save("hub_sync_signed", "inner", outer.bytes("inner", suhbat_core::wire::MAX_MESSAGE_BYTES)?)?;
        save("device_answer", "answer", &w.hub.handle_sync(&request))?;
        save("device_answer", "refusal", &w.hub.handle_sync(&request))?;
        save("hub_enrol", "request", &w.loner.enrol_request("ABCD-EFGH-JK"))?;
        save("bundle_import", "whole", &w.device.export_bundle(None)?)?;
        let summary = w.loner.summary()?;
        save("summary_decode", "empty", &summary.encode())?;
        save("summary_decode", "device", &w.device.summary()?.encode())?;
        Ok(())
    })?;
    println!("seed corpus written to corpus/");
    Ok(())
}
