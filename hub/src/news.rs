//! The long poll `/v1/news`: the hub holds a device's signed request until something new
//! waits for it (a document in its scope changed by someone else) or the wait runs out. Every
//! sync that went through wakes the waiting requests, which ask the sans-IO hub again
//! ([`Hub::news_answer`]); they also look again every [`RECHECK`], for the changes other nodes
//! of a PostgreSQL hub stored. Waits are capped over all devices and per device.

use crate::limits::{refuse, Limits};
use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use suhbat_core::sync::{Hub, NewsWait};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// How often a waiting request looks again without being woken.
const RECHECK: Duration = Duration::from_secs(10);

/// The waiting long polls: a signal rung after each sync, and the caps.
#[derive(Clone)]
pub(crate) struct NewsBoard {
    rung: Arc<watch::Sender<u64>>,
    seats: Arc<Semaphore>,
    per_device: Arc<Mutex<HashMap<String, usize>>>,
    per_device_cap: usize,
    wait: Duration,
    /// The server is stopping: every wait answers "nothing new" at once.
    closing: Arc<AtomicBool>,
}

/// One held long poll's place, given back when it is answered (or its connection drops).
struct Seat {
    _global: OwnedSemaphorePermit,
    per_device: Arc<Mutex<HashMap<String, usize>>>,
    device_id: String,
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut map = self.per_device.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = map.get_mut(&self.device_id) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                map.remove(&self.device_id);
            }
        }
    }
}

impl NewsBoard {
    pub(crate) fn new(limits: &Limits) -> NewsBoard {
        NewsBoard {
            rung: Arc::new(watch::channel(0).0),
            seats: Arc::new(Semaphore::new(limits.max_news_waits.max(1))),
            per_device: Arc::default(),
            per_device_cap: limits.max_news_waits_per_device.max(1),
            wait: limits.news_wait,
            closing: Arc::default(),
        }
    }

    /// Answers every wait at once ("nothing new"), so that stopping the server does not wait
    /// for them; new ones are answered at once too.
    pub(crate) fn close(&self) {
        self.closing.store(true, Ordering::SeqCst);
        self.ring();
    }

    /// Wakes every waiting long poll to look again (after a sync went through).
    pub(crate) fn ring(&self) {
        self.rung.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A place for one more wait of `device_id`, if both caps allow it.
    fn seat(&self, device_id: &str) -> Option<Seat> {
        let global = self.seats.clone().try_acquire_owned().ok()?;
        let mut map = self.per_device.lock().unwrap_or_else(PoisonError::into_inner);
        let count = map.entry(device_id.to_string()).or_insert(0);
        if *count >= self.per_device_cap {
            return None;
        }
        *count += 1;
        Some(Seat { _global: global, per_device: self.per_device.clone(), device_id: device_id.to_string() })
    }
}

/// Runs a hub call on a blocking thread; `None` when it panicked.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(move || std::panic::catch_unwind(AssertUnwindSafe(f)).ok()).await.ok().flatten()
}

fn frame(bytes: Vec<u8>) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response()
}

fn failed() -> Response {
    eprintln!("suhbat-hub: a news request failed inside the hub; answered 500, the hub goes on serving");
    (StatusCode::INTERNAL_SERVER_ERROR, "the request failed inside the hub").into_response()
}

/// Serves one long poll: checks the request, takes a seat, then answers when there is news
/// for the device or the wait ran out.
pub(crate) async fn serve(hub: Arc<Hub>, board: NewsBoard, body: Bytes) -> Response {
    let opener = hub.clone();
    let wait: NewsWait = match blocking(move || opener.open_news_wait(&body)).await {
        Some(Ok(wait)) => wait,
        Some(Err(refusal)) => return frame(refusal),
        None => return failed(),
    };
    let Some(_seat) = board.seat(wait.device_id()) else {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, Some(5), false, "too many devices wait for news at once; try again shortly");
    };
    // Subscribed before the first look, so a sync between the look and the wait is not missed.
    let mut rung = board.rung.subscribe();
    let deadline = Instant::now() + board.wait;
    loop {
        rung.borrow_and_update();
        let give_up = Instant::now() >= deadline || board.closing.load(Ordering::SeqCst);
        let (looker, waiting) = (hub.clone(), wait.clone());
        match blocking(move || looker.news_answer(&waiting, give_up)).await {
            Some(Some(answer)) => return frame(answer),
            Some(None) => {}
            None => return failed(),
        }
        let next_look = deadline.min(Instant::now() + RECHECK);
        tokio::select! {
            changed = rung.changed() => {
                if changed.is_err() {
                    tokio::time::sleep_until(next_look).await;
                }
            }
            () = tokio::time::sleep_until(next_look) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_capped_per_device_and_over_all_and_given_back_when_answered() {
        let board = NewsBoard::new(&Limits { max_news_waits: 3, max_news_waits_per_device: 2, ..Limits::default() });
        let first = board.seat("phone-a").unwrap();
        let _second = board.seat("phone-a").unwrap();
        assert!(board.seat("phone-a").is_none(), "a third wait of one device is refused");
        let _other = board.seat("phone-b").unwrap();
        assert!(board.seat("phone-c").is_none(), "no seat is left over all devices");
        drop(first);
        assert!(board.seat("phone-a").is_some(), "an answered wait gives its seat back");
    }
}
