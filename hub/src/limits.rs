//! Limits that keep one client (or a few hostile ones) from exhausting the hub: a cap on open
//! connections (enforced where connections are accepted), a deadline for the TLS handshake,
//! the request headers and the body, a cap on requests in flight and on body bytes held in
//! memory at once, per-address token buckets for `/v1/sync` and `/v1/enrol` (the long poll
//! `/v1/news` counts as sync), and the caps on long polls held at once.
//!
//! Everything here is an axum middleware or an `axum-server` acceptor around the routes; none
//! of it touches the hub's state.

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use suhbat_core::wire::paths;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A token bucket per client address: `burst` requests at once, refilled at `per_minute`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests a client may make at once after being quiet.
    pub burst: u32,
    /// Requests per minute it may make on average.
    pub per_minute: u32,
}

/// The hub's resource limits (see the README's "Hub hardening" for the reasoning).
#[derive(Clone, Debug)]
pub struct Limits {
    /// Deadline for the TLS handshake, for the request headers, and (separately) for the body.
    /// A half-sent request is closed when it passes.
    pub request_timeout: Duration,
    /// Open connections at once; further connections are closed at once (plain HTTP gets a
    /// 503 first).
    pub max_connections: usize,
    /// Open connections at once from one client address, so that one address cannot take
    /// all of `max_connections`.
    pub max_connections_per_address: usize,
    /// Sync and enrolment requests the hub works on at once (their bodies read); more are
    /// answered 503 at once.
    pub max_requests_in_flight: usize,
    /// Request body bytes held in memory at once over all requests (at least one largest
    /// request). A request reserves its declared length before its body is read; one that
    /// does not fit is answered 503 at once.
    pub max_body_bytes_in_flight: usize,
    /// Of those, the bytes requests from one client address may reserve at once (at least
    /// one largest request), so that one address cannot take the whole budget.
    pub max_body_bytes_per_address: usize,
    /// Per client address limit of `/v1/sync` requests (`None`: unlimited).
    pub sync_rate: Option<RateLimit>,
    /// Per client address limit of `/v1/enrol` requests (`None`: unlimited).
    pub enrol_rate: Option<RateLimit>,
    /// How long the hub holds a `/v1/news` long poll before it answers "nothing new".
    pub news_wait: Duration,
    /// Long polls held at once over all devices; more are answered 503 at once. Keep it well
    /// under `max_connections`, so that syncs always find a connection.
    pub max_news_waits: usize,
    /// Long polls held at once for one device.
    pub max_news_waits_per_device: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_timeout: Duration::from_secs(15),
            max_connections: 1024,
            max_connections_per_address: 64,
            max_requests_in_flight: 64,
            max_body_bytes_in_flight: 4 * MAX_BODY,
            max_body_bytes_per_address: MAX_BODY,
            sync_rate: Some(RateLimit { burst: 120, per_minute: 600 }),
            enrol_rate: Some(RateLimit { burst: 10, per_minute: 6 }),
            news_wait: Duration::from_secs(25),
            max_news_waits: 512,
            max_news_waits_per_device: 2,
        }
    }
}

/// Largest request body accepted.
pub(crate) const MAX_BODY: usize = suhbat_core::wire::MAX_MESSAGE_BYTES + 1024;

/// Buckets not touched for this long are forgotten (they would be full again anyway).
const FORGET_AFTER: Duration = Duration::from_secs(600);
/// The bucket map is swept of forgotten buckets when it grows past this.
const SWEEP_AT: usize = 10_000;

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets per client address for one kind of request.
struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl RateLimiter {
    fn new(limit: RateLimit) -> Self {
        RateLimiter { limit, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes a token for `ip`, or says in how many seconds one will be there.
    fn take(&self, ip: IpAddr) -> Result<(), u64> {
        let now = Instant::now();
        let burst = f64::from(self.limit.burst.max(1));
        let per_second = f64::from(self.limit.per_minute) / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() >= SWEEP_AT {
            buckets.retain(|_, b| now.duration_since(b.at) < FORGET_AFTER);
        }
        let bucket = buckets.entry(ip).or_insert(Bucket { tokens: burst, at: now });
        bucket.tokens = (bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * per_second).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        if per_second <= 0.0 {
            return Err(3600);
        }
        Err(((1.0 - bucket.tokens) / per_second).ceil().clamp(1.0, 3600.0) as u64)
    }
}

/// The shared state of the request guards.
#[derive(Clone)]
pub(crate) struct Guard {
    limits: Limits,
    in_flight: Arc<Semaphore>,
    body_bytes: Arc<Semaphore>,
    reserved: PerAddress,
    sync: Option<Arc<RateLimiter>>,
    enrol: Option<Arc<RateLimiter>>,
}

impl Guard {
    pub(crate) fn new(limits: &Limits) -> Guard {
        let body_budget = limits.max_body_bytes_in_flight.clamp(MAX_BODY, Semaphore::MAX_PERMITS);
        Guard {
            limits: limits.clone(),
            in_flight: Arc::new(Semaphore::new(limits.max_requests_in_flight.max(1))),
            body_bytes: Arc::new(Semaphore::new(body_budget)),
            reserved: PerAddress::default(),
            sync: limits.sync_rate.map(|l| Arc::new(RateLimiter::new(l))),
            enrol: limits.enrol_rate.map(|l| Arc::new(RateLimiter::new(l))),
        }
    }
}

pub(crate) fn refuse(status: StatusCode, retry_after: Option<u64>, close: bool, message: &'static str) -> Response {
    let mut response = (status, message).into_response();
    if let Some(seconds) = retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if close {
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Middleware: per-address rate limit, then the body read within the deadline and the byte
/// budget, then the in-flight cap. The handler gets the whole body as an in-memory `Body`.
/// A long poll (`/v1/news`) gives its bytes back once read and takes no in-flight place: it
/// mostly waits, and its own caps bound it (`max_news_waits`, per device).
pub(crate) async fn guard(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let long_poll = request.uri().path() == paths::NEWS;
    let ip = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let limiter = if request.uri().path() == paths::ENROL { &guard.enrol } else { &guard.sync };
    if let (Some(limiter), Some(ip)) = (limiter, ip) {
        if let Err(seconds) = limiter.take(ip) {
            return refuse(StatusCode::TOO_MANY_REQUESTS, Some(seconds), false, "too many requests from this address; try again later");
        }
    }
    let (parts, body) = request.into_parts();
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > MAX_BODY) {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, None, true, "the request is too large");
    }
    // A body of unknown length reserves the largest allowed size.
    let reserve = u32::try_from(declared.unwrap_or(MAX_BODY)).unwrap_or(u32::MAX);
    let per_address = guard.limits.max_body_bytes_per_address.max(MAX_BODY);
    let share = match ip {
        Some(ip) => match Share::take(&guard.reserved, ip, reserve as usize, per_address) {
            Some(share) => Some(share),
            None => return refuse(StatusCode::SERVICE_UNAVAILABLE, Some(1), true, "too much is being sent from this address at once; try again shortly"),
        },
        None => None,
    };
    let Ok(permit) = guard.body_bytes.clone().try_acquire_many_owned(reserve) else {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, Some(1), true, "the hub is busy; try again shortly");
    };
    let bytes: Bytes = match tokio::time::timeout(guard.limits.request_timeout, axum::body::to_bytes(body, MAX_BODY)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => return refuse(StatusCode::BAD_REQUEST, None, true, "the request body could not be read"),
        Err(_) => return refuse(StatusCode::REQUEST_TIMEOUT, None, true, "the request was not sent in time"),
    };
    if long_poll {
        drop((permit, share));
        return next.run(Request::from_parts(parts, Body::from(bytes))).await;
    }
    // Only requests the hub works on count as in flight: a slow body holds a connection slot
    // and its bytes, not a place in the hub's queue.
    let Ok(_slot) = guard.in_flight.clone().try_acquire_owned() else {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, Some(1), false, "the hub is busy; try again shortly");
    };
    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    drop((permit, share));
    response
}

/// Open connections, or reserved body bytes, per client address.
type PerAddress = Arc<Mutex<HashMap<IpAddr, usize>>>;

/// Body bytes reserved by one request of a client address, given back when dropped.
struct Share {
    counts: PerAddress,
    ip: IpAddr,
    bytes: usize,
}

impl Share {
    /// Reserves `bytes` for `ip` if its total stays within `cap`.
    fn take(counts: &PerAddress, ip: IpAddr, bytes: usize, cap: usize) -> Option<Share> {
        let mut map = counts.lock().unwrap_or_else(PoisonError::into_inner);
        let held = map.get(&ip).copied().unwrap_or(0);
        let total = held.checked_add(bytes).filter(|total| *total <= cap)?;
        map.insert(ip, total);
        Some(Share { counts: counts.clone(), ip, bytes })
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        give_back(&self.counts, self.ip, self.bytes);
    }
}

/// Lowers the count of `ip` by `amount`, forgetting it at zero.
fn give_back(counts: &PerAddress, ip: IpAddr, amount: usize) {
    let mut map = counts.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(count) = map.get_mut(&ip) {
        *count = count.saturating_sub(amount);
        if *count == 0 {
            map.remove(&ip);
        }
    }
}

/// One open connection's share of the caps, given back when the connection closes.
struct Slot {
    _global: OwnedSemaphorePermit,
    counts: PerAddress,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        give_back(&self.counts, self.ip, 1);
    }
}

/// A stream that holds one of the connection slots while it is open.
pub(crate) struct Slotted<S> {
    inner: S,
    _slot: Slot,
}

impl<S: AsyncRead + Unpin> AsyncRead for Slotted<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Slotted<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// An acceptor that gives each connection a slot, and closes connections beyond
/// `max_connections` at once (telling plain-HTTP clients 503 first).
#[derive(Clone)]
pub(crate) struct ConnectionCap {
    slots: Arc<Semaphore>,
    counts: PerAddress,
    per_address: usize,
    plain: bool,
}

impl ConnectionCap {
    pub(crate) fn new(limits: &Limits, plain: bool) -> Self {
        ConnectionCap {
            slots: Arc::new(Semaphore::new(limits.max_connections.max(1))),
            counts: PerAddress::default(),
            per_address: limits.max_connections_per_address.max(1),
            plain,
        }
    }

    /// A slot for a new connection from `ip`, if both caps allow one.
    fn slot(&self, ip: IpAddr) -> Option<Slot> {
        let global = self.slots.clone().try_acquire_owned().ok()?;
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let count = counts.entry(ip).or_insert(0);
        if *count >= self.per_address {
            return None;
        }
        *count += 1;
        Some(Slot { _global: global, counts: self.counts.clone(), ip })
    }
}

const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";

impl<S: Send + 'static> axum_server::accept::Accept<TcpStream, S> for ConnectionCap {
    type Stream = Slotted<TcpStream>;
    type Service = S;
    type Future = Pin<Box<dyn Future<Output = io::Result<(Self::Stream, S)>> + Send>>;

    fn accept(&self, mut stream: TcpStream, service: S) -> Self::Future {
        let slot = stream.peer_addr().ok().and_then(|peer| self.slot(peer.ip()));
        let plain = self.plain;
        Box::pin(async move {
            match slot {
                Some(slot) => Ok((Slotted { inner: stream, _slot: slot }, service)),
                None => {
                    if plain {
                        let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(BUSY)).await;
                    }
                    Err(io::Error::other("too many connections"))
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_the_burst_then_says_when_to_come_back() {
        let limiter = RateLimiter::new(RateLimit { burst: 3, per_minute: 6 });
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert!(limiter.take(ip).is_ok());
        }
        let wait = limiter.take(ip).unwrap_err();
        assert!((1..=10).contains(&wait), "{wait}");
        assert!(limiter.take("10.0.0.2".parse().unwrap()).is_ok(), "other addresses have their own bucket");
    }
}
