//! Helpers for the hub's tests: a real hub on 127.0.0.1 (port 0) over a temp folder, enrolled
//! phones with real store files, and raw sockets for clients that misbehave.
#![allow(dead_code)]

pub(crate) mod browser;

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use suhbat_core::{DeviceProfile, FileKeyProvider, Role, Store};
use suhbat_hub::{open_hub, Endpoints, HubClient, Limits, RunningHub, ServeOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// A running hub and the folder it lives in.
pub(crate) struct Base {
    pub dir: tempfile::TempDir,
    pub hub: RunningHub,
    /// The PostgreSQL cluster of the test's own, when its data is there and no server was given.
    cluster: Option<suhbat_core::sync::pg::cluster::TestCluster>,
}

impl Base {
    /// HTTPS (or plain HTTP with `insecure`) with `limits` and `endpoints`.
    pub(crate) fn start(limits: Limits, insecure: bool, endpoints: Endpoints) -> Base {
        let dir = tempfile::tempdir().unwrap();
        let options = ServeOptions { insecure_http: insecure, limits, ..ServeOptions::new(dir.path().join("hub"), "127.0.0.1:0".parse().unwrap()) };
        let hub = suhbat_hub::start_with(options, endpoints).unwrap();
        Base { dir, hub, cluster: None }
    }

    /// An HTTPS hub whose data is in a fresh PostgreSQL database, or `None` (said loudly; a
    /// failure in CI) when no PostgreSQL server is available here.
    pub(crate) fn start_postgres() -> Option<Base> {
        let (url, cluster) = match suhbat_core::sync::pg::cluster::test_database() {
            Ok(found) => found,
            Err(why) => {
                assert!(std::env::var_os("CI").is_none(), "PostgreSQL is required in CI but unavailable: {why}");
                eprintln!("!!!!!!!! SKIPPED (PostgreSQL unavailable: {why}) !!!!!!!!");
                return None;
            }
        };
        let dir = tempfile::tempdir().unwrap();
        suhbat_hub::use_database(&dir.path().join("hub"), &url).unwrap();
        let hub = suhbat_hub::start(ServeOptions::new(dir.path().join("hub"), "127.0.0.1:0".parse().unwrap())).unwrap();
        Some(Base { dir, hub, cluster })
    }

    pub(crate) fn hub_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("hub")
    }

    pub(crate) fn keys(&self) -> FileKeyProvider {
        FileKeyProvider::new(self.dir.path().join("phone-keys"))
    }

    /// A client pinned to the hub's authority as served now.
    pub(crate) fn client(&self) -> HubClient {
        HubClient::new(&self.hub.url, self.hub.ca_pem.as_deref()).unwrap()
    }

    /// A new phone enrolled with a one-time code, its pin kept in its store as the CLI does.
    pub(crate) fn phone(&self, name: &str) -> Store {
        let mut store = Store::create(
            self.dir.path().join(format!("{name}.db")),
            &self.keys(),
            DeviceProfile { person: name.into(), role: Role::Inspector, scopes: vec![] },
        )
        .unwrap();
        let code = open_hub(&self.hub_dir()).unwrap().create_enrolment_code(name, Role::Inspector, &["Navbahor".into()], chrono::Duration::hours(1)).unwrap();
        self.client().enrol(&mut store, &code).unwrap();
        if let Some(pem) = &self.hub.ca_pem {
            store.set_setting(suhbat_hub::HUB_CA_SETTING, pem).unwrap();
        }
        store
    }
}

/// A TCP connection to `to` from the local address `from` (any of 127.0.0.0/8 works on Linux).
pub(crate) async fn connect_from(from: IpAddr, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(from, 0)).unwrap();
    socket.connect(to).await.unwrap()
}

/// Reads until the server closes the connection (or `wait` passes: then `None`).
pub(crate) async fn read_to_close(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(wait, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&out).into_owned()),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => return None,
        }
    }
}

/// Sends `request` from `from` and returns what the server answered before it closed the
/// connection (`None` when it neither answered nor closed within `wait`).
pub(crate) async fn exchange(from: IpAddr, to: SocketAddr, request: &[u8], wait: Duration) -> Option<String> {
    let mut stream = connect_from(from, to).await;
    stream.write_all(request).await.unwrap();
    read_to_close(&mut stream, wait).await
}

/// A complete HTTP/1.1 POST asking the server to close afterwards.
pub(crate) fn post(path: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!("POST {path} HTTP/1.1\r\nhost: hub\r\nconnection: close\r\ncontent-length: {}\r\n\r\n", body.len()).into_bytes();
    request.extend_from_slice(body);
    request
}

/// A complete HTTP/1.1 GET asking the server to close afterwards.
pub(crate) fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nhost: hub\r\nconnection: close\r\n\r\n").into_bytes()
}

pub(crate) fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// The status code of a raw HTTP answer.
pub(crate) fn status(answer: &str) -> u16 {
    answer.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// Sends `request` (a new connection each time) until the answer has status `want`, at most
/// 50 times 100 ms apart (the hub accepts connections on tasks of their own, so one just
/// opened may not be counted yet); returns the last answer.
pub(crate) async fn answer_until(from: IpAddr, to: SocketAddr, request: &[u8], want: u16) -> String {
    let mut answer = String::new();
    for _ in 0..50 {
        // A refusal (503, 429) is answered at once; a request the hub took and waits on (a
        // declared body never sent) gets no answer: try again after a few seconds, not ten.
        answer = exchange(from, to, request, Duration::from_secs(3)).await.unwrap_or_default();
        if status(&answer) == want {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    answer
}

/// An idle connection from `from` that the hub accepted (one refused at the cap is answered
/// 503 and closed at once; then it tries again, at most 20 times).
pub(crate) async fn hold(from: IpAddr, to: SocketAddr) -> TcpStream {
    for _ in 0..20 {
        let mut stream = connect_from(from, to).await;
        // Under load the hub may take a moment to answer a refused one: wait long enough.
        if read_to_close(&mut stream, Duration::from_millis(1500)).await.is_none() {
            return stream;
        }
    }
    panic!("the hub never kept a connection from {from}");
}

/// What on a page shows that the catalog had no text for: the console's `⟦key⟧` marks, and
/// catalog keys shown as they are (a view-model's label the catalog lacks in that language
/// comes through as its bare key, e.g. `record_kind.application`).
pub(crate) fn missing_texts(page: &str) -> Vec<String> {
    let mut missing: Vec<String> = page.split('⟦').skip(1).map(|rest| rest.split('⟧').next().unwrap_or_default().to_string()).collect();
    let words = page.split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'));
    missing.extend(words.map(|w| w.trim_matches('.')).filter(|w| w.contains('.') && suhbat_core::i18n::has(w)).map(String::from));
    missing
}

#[test]
fn missing_texts_finds_marks_and_bare_keys_only() {
    let first_key = suhbat_core::i18n::keys().find(|k| k.contains('.')).expect("the catalog has keys");
    let page = format!("<p>⟦district.nothing⟧</p><td>{first_key}</td><a href=\"/console/district?lang=ru\">127.0.0.1 ca.pem</a>");
    assert_eq!(missing_texts(&page), vec!["district.nothing".to_string(), first_key.to_string()]);
    assert!(missing_texts("<p>Navbahor mahallasi, 12.5 %</p>").is_empty());
}
