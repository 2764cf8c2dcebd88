//! `suhbat bench files`: one phone records 300 persons and attaches 50 photos (camera-sized,
//! scaled down by the core as on a phone), then syncs; a colleague's phone syncs and opens its
//! first screen, then opens the photos. Printed: that the records go first and the first screen
//! does not wait for the photos, and the photos' bytes on the wire against their size.

use crate::bench::{header, row};
use crate::bench_sync::{device, kb, sync};
use anyhow::{ensure, Result};
use image::{DynamicImage, ImageFormat, RgbImage};
use std::io::Cursor;
use std::time::{Duration, Instant};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::{FileReport, FileTransfer, Hub};
use suhbat_core::views::{self, ViewContext};
use suhbat_core::*;

/// A camera-sized JPEG (2400 x 1800) that compresses like a photo: smooth light, texture, noise.
fn photo(seed: u32) -> Result<Vec<u8>> {
    let mut x = seed.wrapping_mul(2_654_435_761) | 1;
    let picture = RgbImage::from_fn(2400, 1800, |i, j| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let noise = (x & 15) as u8;
        let light = ((i / 12 + j / 9 + seed) % 200) as u8;
        image::Rgb([light.saturating_add(noise), (light / 2).saturating_add(noise), ((i ^ j) % 97) as u8 + noise])
    });
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(picture).write_to(&mut out, ImageFormat::Jpeg)?;
    Ok(out.into_inner())
}

fn transfer(hub: &Hub, store: &mut Store) -> Result<(FileReport, Duration)> {
    let started = Instant::now();
    let mut transfer = FileTransfer::new(store)?;
    while let Some(request) = transfer.next_request(store)? {
        let answer = hub.handle_file(&request);
        transfer.handle_response(store, &answer)?;
    }
    Ok((transfer.report().clone(), started.elapsed()))
}

pub(crate) fn run(records: usize, photos: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let keys = MemoryKeyProvider::new();
    let hub = Hub::open(dir.path().join("hub.db"), &keys)?;
    let mut aziz = device(&hub, dir.path(), &keys, "aziz", "Navbahor")?;
    let mut bobur = device(&hub, dir.path(), &keys, "bobur", "Navbahor")?;
    let mut data = SampleData::new(77);
    let persons: Vec<Person> = (0..records).map(|_| data.person("Navbahor", 2026)).collect();
    aziz.put_many(&persons)?;
    let shots = (0..photos).map(|i| photo(i as u32)).collect::<Result<Vec<_>>>()?;
    let camera_bytes: u64 = shots.iter().map(|s| s.len() as u64).sum();
    let mut attached_bytes = 0u64;
    let started = Instant::now();
    for (person, shot) in persons.iter().zip(shots) {
        attached_bytes += aziz.attach(&person.id, shot, "image/jpeg", AttachmentKind::Photo, "home visit")?.size;
    }
    let attach_time = started.elapsed();

    let started = Instant::now();
    let (up_records, _) = sync(&hub, &mut aziz)?;
    let records_up = started.elapsed();
    let (up_files, files_up) = transfer(&hub, &mut aziz)?;
    ensure!(up_files.uploaded as usize == photos, "uploaded {} of {photos} photos: {:?}", up_files.uploaded, up_files.refused);

    // The colleague's phone: records, then its first screen, before any photo moves.
    let started = Instant::now();
    let (down_records, _) = sync(&hub, &mut bobur)?;
    let first = views::person_list(&bobur, &ViewContext::new(Locale::En), "")?;
    let first_screen = started.elapsed();
    let usage_before = bobur.file_usage()?;
    for person in persons.iter().take(photos) {
        for file in views::record_files(&mut bobur, &ViewContext::new(Locale::En), person.id.as_str())?.rows {
            ensure!(bobur.file(&file.hash)?.is_none(), "a photo was on the phone before it was opened");
        }
    }
    let (down_files, files_down) = transfer(&hub, &mut bobur)?;
    ensure!(down_files.downloaded as usize == photos, "downloaded {} of {photos} photos", down_files.downloaded);

    header(&format!("bench files — {records} records, {photos} photos (camera 2400x1800, stored as fitted by the core)"));
    row("photos as taken / as attached (scaled down)", format!("{} / {}", kb(camera_bytes), kb(attached_bytes)), "", None);
    row("attaching one (decode, scale, encode, store), mean", format!("{:.0} ms", attach_time.as_secs_f64() * 1e3 / photos.max(1) as f64), "", None);
    row("phone 1 sync: records only (bytes up)", kb(up_records.bytes_sent), "records first", Some(up_records.bytes_sent < attached_bytes / 4));
    row("phone 1 records sync time", format!("{:.0} ms", records_up.as_secs_f64() * 1e3), "", None);
    row("phone 1 photo upload time (after the records)", format!("{:.0} ms", files_up.as_secs_f64() * 1e3), "", None);
    let up_ratio = up_files.progress.wire_sent as f64 / attached_bytes as f64;
    row("photo bytes up on the wire / photo bytes", format!("{up_ratio:.3} x"), "≤ 1.05 x", Some(up_ratio <= 1.05));
    row("phone 2: records synced + first screen", format!("{:.0} ms", first_screen.as_secs_f64() * 1e3), "no photo waited for", Some(usage_before.files == 0));
    row("phone 2 person list rows / records received", format!("{} / {}", first.rows.len(), down_records.records_changed), "", None);
    row("phone 2 photos downloaded when opened", format!("{} in {:.0} ms", down_files.downloaded, files_down.as_secs_f64() * 1e3), "", None);
    let down_ratio = down_files.progress.wire_received as f64 / attached_bytes as f64;
    row("photo bytes down on the wire / photo bytes", format!("{down_ratio:.3} x"), "≤ 1.05 x", Some(down_ratio <= 1.05));
    Ok(())
}
