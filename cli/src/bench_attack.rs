//! A hostile client for `suhbat bench soak --attack`: while the simulated devices sync, it sends
//! the hub what issue #12 found could knock it over — unauthenticated deflate bombs, garbage,
//! guessed enrolment codes, bodies sent a byte at a time and connections that never speak —
//! and counts how the hub answered. Loopback only.

use anyhow::Result;
use flate2::write::DeflateEncoder;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;
use suhbat_core::{wire, DeviceProfile, MemoryKeyProvider, Role, Store};

/// How the hub answered each kind of attack: outcome → count.
type Tally = Mutex<BTreeMap<(&'static str, String), usize>>;

/// A running attack; [`Attack::stop`] ends it and returns the tally.
pub(crate) struct Attack {
    stop: Arc<AtomicBool>,
    tally: Arc<Tally>,
    threads: Vec<JoinHandle<()>>,
}

/// An unauthenticated sync request carrying one change that inflates to 1 GiB.
fn bomb_frame() -> Result<Vec<u8>> {
    let mut encoder = DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        encoder.write_all(&zeros)?;
    }
    let body = encoder.finish()?;
    let mut change = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 2];
    let mut len = body.len() as u64;
    loop {
        let byte = (len & 0x7f) as u8;
        len >>= 7;
        change.push(if len == 0 { byte } else { byte | 0x80 });
        if len == 0 {
            break;
        }
    }
    change.extend(body);
    let mut inner = wire::Writer::default();
    inner
        .str(&uuid_like())
        .str("00112233445566778899aabbccddeeff")
        .u64(chrono::Utc::now().timestamp_millis() as u64)
        .bytes(&[1u8; 16])
        .u8(0)
        .u8(0)
        .bytes(&[0u8; 32]);
    let mut offers = wire::Writer::default();
    offers.u32(1).str("register/navbahor/2026").u32(0).u32(1).bytes(&change).u32(0);
    inner.bytes(&wire::pack(&offers.finish(wire::MessageKind::SyncRequest)));
    let inner = inner.finish(wire::MessageKind::SyncRequest);
    let mut outer = wire::Writer::default();
    outer.bytes(&inner).bytes(&[0u8; 64]);
    Ok(outer.finish(wire::MessageKind::SyncRequest))
}

fn uuid_like() -> String {
    let b: [u8; 16] = rand::random();
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// Hands out a body one byte at a time, slowly, until stopped.
struct SlowBody {
    stop: Arc<AtomicBool>,
    sent: usize,
}

impl Read for SlowBody {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.stop.load(Ordering::Relaxed) || self.sent > 10_000 || buf.is_empty() {
            return Ok(0);
        }
        std::thread::sleep(Duration::from_millis(250));
        buf[0] = b'S';
        self.sent += 1;
        Ok(1)
    }
}

impl Attack {
    /// Starts the attack on the hub at `url` (`addr` for raw connections).
    pub(crate) fn start(url: &str, addr: SocketAddr, ca_pem: &str, scratch: &std::path::Path) -> Result<Attack> {
        let stop = Arc::new(AtomicBool::new(false));
        let tally: Arc<Tally> = Arc::new(Mutex::new(BTreeMap::new()));
        let cert = ureq::tls::Certificate::from_pem(ca_pem.as_bytes())?.to_owned();
        let agent = |timeout: u64| {
            let tls = ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![cert.clone()]))).build();
            ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(timeout))).tls_config(tls).build().new_agent()
        };
        let bomb = Arc::new(bomb_frame()?);
        let keys = MemoryKeyProvider::new();
        let guesser = Store::create(scratch.join("guesser.db"), &keys, DeviceProfile { person: "guesser".into(), role: Role::Inspector, scopes: vec![] })?;
        let guesses: Arc<Vec<Vec<u8>>> = Arc::new((0..200).map(|i| guesser.enrol_request(&format!("GUES-S{i:03}-XY"))).collect());
        let mut threads = Vec::new();
        let mut spawn_posts = |kind: &'static str, path: &'static str, bodies: Arc<Vec<Vec<u8>>>, timeout: u64| {
            let (stop, tally, agent, url) = (stop.clone(), tally.clone(), agent(timeout), format!("{url}{path}"));
            threads.push(std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let body = &bodies[i % bodies.len()];
                    i += 1;
                    let outcome = match agent.post(&url).send(&body[..]) {
                        Ok(response) => response.status().as_u16().to_string(),
                        Err(e) => format!("error: {}", e.to_string().chars().take(40).collect::<String>()),
                    };
                    if let Ok(mut t) = tally.lock() {
                        *t.entry((kind, outcome)).or_default() += 1;
                    }
                }
            }));
        };
        spawn_posts("bomb", wire::paths::SYNC, Arc::new(vec![bomb.to_vec()]), 30);
        let garbage: Vec<Vec<u8>> = (0..50).map(|n| (0..(n * 997) % 70_000).map(|_| rand::random::<u8>()).collect()).collect();
        let garbage = Arc::new(garbage);
        spawn_posts("garbage", wire::paths::SYNC, garbage.clone(), 30);
        spawn_posts("garbage", wire::paths::ENROL, garbage, 30);
        spawn_posts("wrong code", wire::paths::ENROL, guesses, 30);
        for _ in 0..8 {
            let (stop, tally, agent, url) = (stop.clone(), tally.clone(), agent(30), format!("{url}/v1/sync"));
            threads.push(std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let body = ureq::SendBody::from_owned_reader(SlowBody { stop: stop.clone(), sent: 0 });
                    let outcome = match agent.post(&url).header("content-length", "1048576").send(body) {
                        Ok(response) => response.status().as_u16().to_string(),
                        Err(e) => format!("closed: {}", e.to_string().chars().take(40).collect::<String>()),
                    };
                    if let Ok(mut t) = tally.lock() {
                        *t.entry(("slow body", outcome)).or_default() += 1;
                    }
                }
            }));
        }
        // Connections that never finish their TLS handshake, 64 held at a time.
        let (idle_stop, idle_tally) = (stop.clone(), tally.clone());
        threads.push(std::thread::spawn(move || {
            let mut held: Vec<TcpStream> = Vec::new();
            while !idle_stop.load(Ordering::Relaxed) {
                held.retain(|s| {
                    let mut probe = [0u8; 1];
                    let _ = s.set_nonblocking(true);
                    !matches!((&*s).read(&mut probe), Ok(0))
                });
                while held.len() < 64 {
                    match TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
                        Ok(s) => {
                            let _ = (&s).write_all(&[0x16, 0x03, 0x01]);
                            held.push(s);
                            if let Ok(mut t) = idle_tally.lock() {
                                *t.entry(("silent connection", "opened".into())).or_default() += 1;
                            }
                        }
                        Err(_) => break,
                    }
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }));
        Ok(Attack { stop, tally, threads })
    }

    /// Ends the attack and prints how the hub answered it.
    pub(crate) fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads {
            let _ = thread.join();
        }
        if let Ok(tally) = self.tally.lock() {
            println!("  attacker: {} requests/connections", tally.values().sum::<usize>());
            for ((kind, outcome), count) in tally.iter() {
                println!("    {kind:<18} {outcome:<48} {count:>7}");
            }
        }
    }
}
