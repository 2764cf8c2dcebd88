//! `/v1/health` tells nothing about the hub and needs no lock: it answers while a request
//! holds the hub, where requests beyond the in-flight cap are told 503 at once.

use crate::common;

use common::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use suhbat_core::sync::Hub;
use suhbat_core::wire::paths;
use suhbat_hub::{Endpoints, Limits};

static GATE: Mutex<()> = Mutex::new(());
static ENTERED: AtomicBool = AtomicBool::new(false);

/// The real sync handler, held up (with the hub lock taken) until the test opens the gate.
fn sync_held_at_the_gate(hub: &Hub, body: &[u8]) -> Vec<u8> {
    ENTERED.store(true, Ordering::SeqCst);
    drop(GATE.lock());
    Hub::handle_sync(hub, body)
}

#[tokio::test(flavor = "multi_thread")]
async fn health_reveals_nothing_and_answers_while_the_hub_is_held() {
    let limits = Limits { max_requests_in_flight: 1, ..Limits::default() };
    let base = Base::start(limits, true, Endpoints { sync: sync_held_at_the_gate, ..Endpoints::default() });
    let addr = base.hub.addr;
    // A thread of its own keeps the gate shut until told to open it.
    let (open_gate, opened) = std::sync::mpsc::channel::<()>();
    let (shut, is_shut) = std::sync::mpsc::channel::<()>();
    let keeper = std::thread::spawn(move || {
        let _gate = GATE.lock().unwrap();
        shut.send(()).unwrap();
        let _ = opened.recv();
    });
    is_shut.recv().unwrap();
    let held = tokio::spawn(async move { exchange(ip("127.0.0.1"), addr, &post(paths::SYNC, b"held"), Duration::from_secs(60)).await });
    for _ in 0..100 {
        if ENTERED.load(Ordering::SeqCst) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ENTERED.load(Ordering::SeqCst), "the first request holds the hub");
    let health = exchange(ip("127.0.0.1"), addr, &get(paths::HEALTH), Duration::from_secs(10)).await.expect("health answers while the hub is held");
    assert_eq!(status(&health), 200, "{health}");
    assert!(health.ends_with("\r\n\r\n{\"status\":\"ok\"}"), "nothing but the status: {health}");
    let busy = exchange(ip("127.0.0.1"), addr, &post(paths::SYNC, b"second"), Duration::from_secs(10)).await.expect("answered at once");
    assert_eq!(status(&busy), 503, "{busy}");
    assert!(busy.to_ascii_lowercase().contains("retry-after: 1"), "{busy}");
    open_gate.send(()).unwrap();
    keeper.join().unwrap();
    let first = held.await.unwrap().expect("the held request finishes");
    assert_eq!(status(&first), 200, "{first}");
}
