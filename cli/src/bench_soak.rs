//! `suhbat bench soak`: a bounded load run of the real HTTPS hub on the loopback interface.
//! Thousands of light simulated devices (small stores on a RAM disk when there is one) enrol,
//! write a few records and sync, in waves run by a few client threads; then each syncs again
//! after one more edit, receiving its neighbours' records. Prints requests, latency quantiles
//! and errors, and fails if any change a device made is missing on the hub.

use crate::bench::quantile;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::SyncSession;
use suhbat_core::*;
use suhbat_hub::{open_hub, start, HubClient, Limits, ServeOptions};

/// What a soak run is asked to do.
pub(crate) struct SoakOptions {
    /// Simulated devices.
    pub devices: usize,
    /// Client threads.
    pub threads: usize,
    /// Records each device creates.
    pub records: usize,
    /// Mahallas the devices are spread over (one inspector team each).
    pub mahallas: usize,
    /// Devices per wave.
    pub wave: usize,
    /// Run a third pass while a hostile client attacks the hub (`bench_attack`).
    pub attack: bool,
}

/// Latencies and failures, shared by the client threads.
#[derive(Default)]
struct Meter {
    enrol: Mutex<Vec<Duration>>,
    sync: Mutex<Vec<Duration>>,
    errors: AtomicUsize,
    retries: AtomicUsize,
    first_error: Mutex<Option<String>>,
}

impl Meter {
    fn timed<T>(&self, samples: &Mutex<Vec<Duration>>, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let t = Instant::now();
        let result = f();
        if let Ok(mut s) = samples.lock() {
            s.push(t.elapsed());
        }
        result
    }

    fn failed(&self, e: &anyhow::Error) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut first) = self.first_error.lock() {
            first.get_or_insert_with(|| format!("{e:#}"));
        }
    }
}

/// One simulated device's work in a pass.
struct Device<'a> {
    dir: &'a Path,
    keys: &'a MemoryKeyProvider,
    meter: &'a Meter,
    client: &'a HubClient,
}

impl Device<'_> {
    fn path(&self, i: usize) -> PathBuf {
        self.dir.join(format!("d{i}.db"))
    }

    /// Runs one sync, a request at a time so each is timed; retried up to three times.
    fn sync(&self, store: &mut Store) -> Result<()> {
        for attempt in 0..3 {
            let mut run = || -> Result<()> {
                let mut session = SyncSession::new(store)?;
                while let Some(request) = session.next_request(store)? {
                    let answer = self.meter.timed(&self.meter.sync, || Ok(self.client.post(wire::paths::SYNC, &request, &mut |_, _| {})?))?;
                    session.handle_response(store, &answer)?;
                }
                if !session.report().rejected.is_empty() {
                    bail!("the hub rejected changes: {:?}", session.report().rejected);
                }
                Ok(())
            };
            match run() {
                Ok(()) => return Ok(()),
                Err(e) => {
                    self.meter.failed(&e);
                    if attempt == 2 {
                        return Err(e);
                    }
                    self.meter.retries.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        Ok(())
    }

    /// First pass: create the store, enrol, write records, sync. Returns the record ids.
    fn first(&self, i: usize, code: &str, mahalla: &str, records: usize) -> Result<Vec<RecordId>> {
        let profile = DeviceProfile { person: format!("soak {i}"), role: Role::Inspector, scopes: vec![] };
        let mut store = Store::create(self.path(i), self.keys, profile)?;
        self.meter.timed(&self.meter.enrol, || Ok(self.client.enrol(&mut store, code)?)).inspect_err(|e| self.meter.failed(e))?;
        let mut data = SampleData::new(i as u64);
        let people: Vec<Person> = (0..records).map(|_| data.person(mahalla, 2026)).collect();
        for person in &people {
            store.put(person)?;
        }
        self.sync(&mut store)?;
        Ok(people.into_iter().map(|p| p.id).collect())
    }

    /// Later passes: edit the device's first record, sync (receiving the neighbours' records).
    fn edit(&self, i: usize, id: &RecordId, pass: usize) -> Result<()> {
        let mut store = Store::open(self.path(i), self.keys)?;
        store.update::<Person>(id, |p| p.inspector = format!("soak edit {i} pass {pass}"))?;
        self.sync(&mut store)
    }
}

/// Runs `work` for every index in `0..count`, in waves of `wave`, on `threads` threads.
fn in_waves(count: usize, wave: usize, threads: usize, work: &(dyn Fn(usize) + Sync)) {
    for start in (0..count).step_by(wave.max(1)) {
        let next = AtomicUsize::new(start);
        let end = (start + wave).min(count);
        std::thread::scope(|s| {
            for _ in 0..threads.max(1) {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= end {
                        break;
                    }
                    work(i);
                });
            }
        });
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn print_latency(what: &str, samples: &Mutex<Vec<Duration>>) -> Result<usize> {
    let mut s = samples.lock().map_err(|_| anyhow::anyhow!("a client thread panicked"))?;
    let n = s.len();
    let (p50, p95, p99) = (quantile(&mut s, 0.5), quantile(&mut s, 0.95), quantile(&mut s, 0.99));
    println!(
        "  {what:<6} requests {n:>6}   p50 {:>9}   p95 {:>9}   p99 {:>9}   max {:>9}",
        ms(p50),
        ms(p95),
        ms(p99),
        ms(s.last().copied().unwrap_or_default())
    );
    Ok(n)
}

/// Runs the soak and prints its figures; fails on lost changes.
pub(crate) fn run(options: &SoakOptions) -> Result<()> {
    let shm = Path::new("/dev/shm");
    let work = if shm.is_dir() { tempfile::tempdir_in(shm)? } else { tempfile::tempdir()? };
    let hub_dir = work.path().join("hub");
    let devices_dir = work.path().join("devices");
    std::fs::create_dir_all(&devices_dir)?;
    let mahalla = |i: usize| format!("Soak {}", i % options.mahallas.max(1));
    let started = Instant::now();
    let codes: Vec<String> = {
        let hub = open_hub(&hub_dir)?;
        (0..options.devices)
            .map(|i| hub.create_enrolment_code(&format!("soak {i}"), Role::Inspector, &[mahalla(i)], chrono::Duration::hours(2)))
            .collect::<Result<_, _>>()?
    };
    // Every simulated device (and the attacker) comes from 127.0.0.1: no per-address limits here.
    let defaults = Limits::default();
    let limits = Limits {
        sync_rate: None,
        enrol_rate: None,
        max_connections_per_address: defaults.max_connections,
        max_body_bytes_per_address: defaults.max_body_bytes_in_flight,
        ..defaults
    };
    let running = start(ServeOptions { limits, ..ServeOptions::new(hub_dir.clone(), "127.0.0.1:0".parse()?) })?;
    let ca = running.ca_pem.clone().context("the hub serves HTTPS")?;
    println!(
        "soak: {} devices in waves of {} on {} client threads, {} records each over {} mahallas, hub at {} (HTTPS, loopback)",
        options.devices, options.wave, options.threads, options.records, options.mahallas, running.url
    );
    let keys = MemoryKeyProvider::new();
    let meter = Meter::default();
    let created: Mutex<Vec<Option<Vec<RecordId>>>> = Mutex::new(vec![None; options.devices]);
    let clients: Vec<HubClient> = (0..options.threads.max(1)).map(|_| HubClient::new(&running.url, Some(&ca))).collect::<Result<_, _>>()?;
    let client_of = |i: usize| &clients[i % clients.len()];
    let load_started = Instant::now();
    in_waves(options.devices, options.wave, options.threads, &|i| {
        let device = Device { dir: &devices_dir, keys: &keys, meter: &meter, client: client_of(i) };
        if let Ok(ids) = device.first(i, &codes[i], &mahalla(i), options.records) {
            if let Ok(mut c) = created.lock() {
                c[i] = Some(ids);
            }
        }
    });
    let created = created.into_inner().map_err(|_| anyhow::anyhow!("a client thread panicked"))?;
    let edit_pass = |pass: usize| {
        let before = meter.sync.lock().map(|s| s.len()).unwrap_or(0);
        in_waves(options.devices, options.wave, options.threads, &|i| {
            let device = Device { dir: &devices_dir, keys: &keys, meter: &meter, client: client_of(i) };
            if let Some(id) = created[i].as_ref().and_then(|ids| ids.first()) {
                let _ = device.edit(i, id, pass);
            }
        });
        let mut samples: Vec<Duration> = meter.sync.lock().map(|s| s[before.min(s.len())..].to_vec()).unwrap_or_default();
        quantile(&mut samples, 0.95)
    };
    let quiet_p95 = edit_pass(2);
    let mut last_pass = 2;
    let mut attacked_p95 = None;
    if options.attack {
        let attack = crate::bench_attack::Attack::start(&running.url, running.addr, &ca, work.path())?;
        attacked_p95 = Some(edit_pass(3));
        last_pass = 3;
        attack.stop();
    }
    let load_time = load_started.elapsed();
    running.stop()?;

    // Every record each device created, and each second-pass edit, must be on the hub.
    let hub = open_hub(&hub_dir)?;
    // Every record the hub holds, read once (looking each one up would read every document
    // per record).
    let on_hub = hub.records()?;
    let (mut records, mut lost, mut unenrolled) = (0, 0, 0);
    for (i, ids) in created.iter().enumerate() {
        let Some(ids) = ids else {
            unenrolled += 1;
            continue;
        };
        for (k, id) in ids.iter().enumerate() {
            records += 1;
            let edited = |raw: &suhbat_core::RawRecord| raw.value.get("inspector").and_then(|v| v.as_str()) == Some(&format!("soak edit {i} pass {last_pass}"));
            match on_hub.get(id.as_str()) {
                Some(raw) if k > 0 || edited(raw) => {}
                _ => lost += 1,
            }
        }
    }
    let devices_on_hub = hub.devices()?.len();
    let audit = hub.verify_audit()?;
    println!("  setup (hub store, {} enrolment codes) {:.1} s; load {:.1} s", options.devices, (load_started - started).as_secs_f64(), load_time.as_secs_f64());
    let requests = print_latency("enrol", &meter.enrol)? + print_latency("sync", &meter.sync)?;
    println!(
        "  requests {requests} in {:.1} s ({:.0}/s); errors {} (retried {}); devices enrolled {devices_on_hub}",
        load_time.as_secs_f64(),
        requests as f64 / load_time.as_secs_f64().max(1e-9),
        meter.errors.load(Ordering::Relaxed),
        meter.retries.load(Ordering::Relaxed)
    );
    println!(
        "  changes checked on the hub: {records} records + their edits, lost {lost}; hub audit chain {} entries, intact {}",
        audit.entries,
        audit.first_broken.is_none()
    );
    if let Some(attacked) = attacked_p95 {
        let ratio = attacked.as_secs_f64() / quiet_p95.as_secs_f64().max(1e-9);
        println!(
            "  legitimate sync p95: {} quiet, {} under attack ({ratio:.2}x; target within 2x: {})",
            ms(quiet_p95),
            ms(attacked),
            if ratio <= 2.0 { "met" } else { "MISSED" }
        );
    }
    println!("  process peak RSS (hub and client threads together): {}", peak_rss().unwrap_or_else(|| "unknown".into()));
    if let Ok(Some(e)) = meter.first_error.lock().map(|e| e.clone()) {
        println!("  first error: {e}");
    }
    if lost > 0 || unenrolled > 0 || audit.first_broken.is_some() {
        bail!("soak failed: {lost} lost change(s), {unenrolled} device(s) never enrolled and synced");
    }
    Ok(())
}

/// This process's peak resident set (VmHWM), where /proc tells it.
fn peak_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(format!("{:.0} MB", kb as f64 / 1024.0))
}
