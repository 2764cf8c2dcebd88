//! HTTP(S) transport to the hub for Rust clients (the CLI, tests): ureq with rustls, trusting
//! only the hub's own authority certificate (pinned at enrolment). The core builds and reads
//! the frames; this only moves bytes.
//!
//! After the hub rotated its authority (`suhbat hub rotate-cert`) it serves, after its server
//! certificate, the new authority certified by the old one, so the TLS check against the old
//! pin still finds a path. Its answers name the current authority ([`CA_HEADER`]); after a
//! sync that went through, the client fetches `/v1/ca` over that same checked connection and
//! keeps it as the new pin in the store ([`HUB_CA_SETTING`]).

use crate::pem::ca_fingerprint;
use crate::server::CA_HEADER;
use crate::HubError;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};
use suhbat_core::sync::{Enrolment, FileProgress, FileReport, FileTransfer, NewsQuery, SyncReport, SyncSession};
use suhbat_core::wire::paths;
use suhbat_core::Store;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

/// Largest answer accepted from the hub.
const MAX_ANSWER: u64 = suhbat_core::wire::MAX_MESSAGE_BYTES as u64 + 1024;

/// The store setting that holds the pinned authority certificate (PEM) of the hub.
pub const HUB_CA_SETTING: &str = "hub_ca";

/// A connection to one hub.
pub struct HubClient {
    agent: ureq::Agent,
    base: String,
    /// Fingerprint of the pinned authority (HTTPS only).
    pinned: Option<String>,
    /// The authority the hub last said it has, when that is not the pinned one.
    announced: Mutex<Option<String>>,
}

impl HubClient {
    /// A client for `url`. HTTPS needs the hub's authority certificate (PEM); plain HTTP is
    /// only for local tests and must be asked for with an `http://` URL.
    pub fn new(url: &str, ca_pem: Option<&str>) -> Result<HubClient, HubError> {
        let base = url.trim_end_matches('/').to_string();
        let mut config = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(std::time::Duration::from_secs(300)));
        let mut pinned = None;
        if base.starts_with("https://") {
            let pem = ca_pem.ok_or_else(|| HubError::Tls("an https hub needs its authority certificate (ca.pem from the hub's data folder)".into()))?;
            let cert = Certificate::from_pem(pem.as_bytes()).map_err(|e| HubError::Tls(format!("the hub certificate is not valid PEM: {e}")))?;
            let tls = TlsConfig::builder().root_certs(RootCerts::Specific(Arc::new(vec![cert]))).build();
            config = config.tls_config(tls);
            pinned = Some(ca_fingerprint(pem)?);
        } else if !base.starts_with("http://") {
            return Err(HubError::Io(format!("the hub address must start with https:// (or http:// for local tests): {url}")));
        }
        Ok(HubClient { agent: config.build().new_agent(), base, pinned, announced: Mutex::new(None) })
    }

    /// The authority certificate (PEM) of the hub at `url` whose fingerprint an enrolment
    /// invitation names: fetched from `/v1/ca` over a connection not yet checked, kept only
    /// when its fingerprint is the invitation's, and then the hub is checked against it.
    pub fn authority_with_fingerprint(url: &str, fingerprint: &str) -> Result<String, HubError> {
        let base = url.trim_end_matches('/');
        let tls = TlsConfig::builder().disable_verification(true).build();
        let agent: ureq::Agent =
            ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(std::time::Duration::from_secs(30))).tls_config(tls).build().into();
        let unchecked = HubClient { agent, base: base.to_string(), pinned: None, announced: Mutex::new(None) };
        let pem = unchecked.get(paths::CA)?;
        let served = ca_fingerprint(&pem)?;
        if !served.eq_ignore_ascii_case(fingerprint.trim()) {
            return Err(HubError::Tls(format!("the hub at {base} has authority {served}, not {fingerprint} as the invitation says; do not enrol")));
        }
        HubClient::new(base, Some(&pem))?.get(paths::HEALTH)?;
        Ok(pem)
    }

    /// GETs a small text resource (such as `/v1/health` or `/v1/ca`).
    pub fn get(&self, path: &str) -> Result<String, HubError> {
        let url = format!("{}{path}", self.base);
        let mut response = self.agent.get(&url).call().map_err(|e| HubError::Io(format!("cannot reach the hub at {url}: {e}")))?;
        let status = response.status();
        let text = response.body_mut().with_config().limit(64 * 1024).read_to_string().map_err(|e| HubError::Io(format!("reading {url}: {e}")))?;
        if !status.is_success() {
            return Err(HubError::Io(format!("the hub answered {status}: {text}")));
        }
        Ok(text)
    }

    /// Notes the authority the hub names in an answer, if it is not the pinned one.
    fn note_authority(&self, headers: &ureq::http::HeaderMap) {
        let Some(pinned) = &self.pinned else { return };
        if let Some(named) = headers.get(CA_HEADER).and_then(|v| v.to_str().ok()) {
            if !named.eq_ignore_ascii_case(pinned) {
                *self.announced.lock().unwrap_or_else(PoisonError::into_inner) = Some(named.to_string());
            }
        }
    }

    /// After a rotation: fetches the hub's new authority over the connection the old pin
    /// checked, and keeps it as the store's pin.
    fn follow_authority(&self, store: &mut Store) -> Result<(), HubError> {
        let Some(named) = self.announced.lock().unwrap_or_else(PoisonError::into_inner).take() else { return Ok(()) };
        let pem = self.get(paths::CA)?;
        Certificate::from_pem(pem.as_bytes()).map_err(|e| HubError::Tls(format!("the hub's new authority certificate is not valid PEM: {e}")))?;
        let fingerprint = ca_fingerprint(&pem)?;
        if !fingerprint.eq_ignore_ascii_case(&named) {
            return Err(HubError::Tls(format!("the hub named authority {named} but sent {fingerprint}; the pin is kept")));
        }
        Ok(store.set_setting(HUB_CA_SETTING, &pem)?)
    }

    /// POSTs a frame and returns the answer frame. `progress` is told (bytes so far, total)
    /// while a large answer arrives.
    pub fn post(&self, path: &str, body: &[u8], progress: &mut dyn FnMut(u64, Option<u64>)) -> Result<Vec<u8>, HubError> {
        let url = format!("{}{path}", self.base);
        let unreachable = |e: ureq::Error| HubError::Io(format!("cannot reach the hub at {url}: {e}"));
        let mut response = self.agent.post(&url).header("content-type", "application/octet-stream").send(body).map_err(unreachable)?;
        let status = response.status();
        self.note_authority(response.headers());
        if !status.is_success() {
            let text = response.body_mut().read_to_string().unwrap_or_default();
            return Err(HubError::Io(format!("the hub answered {status}: {text}")));
        }
        let expected = response.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        let mut reader = response.body_mut().with_config().limit(MAX_ANSWER).reader();
        let mut out = Vec::with_capacity(expected.unwrap_or(0).min(MAX_ANSWER) as usize);
        let mut chunk = [0u8; 64 * 1024];
        loop {
            let n = reader.read(&mut chunk).map_err(|e| HubError::Io(format!("reading the hub's answer: {e}")))?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&chunk[..n]);
            progress(out.len() as u64, expected);
        }
        Ok(out)
    }

    /// Enrols `store` with this hub using a one-time `code`.
    pub fn enrol(&self, store: &mut Store, code: &str) -> Result<Enrolment, HubError> {
        let answer = self.post(paths::ENROL, &store.enrol_request(code), &mut |_, _| {})?;
        Ok(store.complete_enrolment(&answer)?)
    }

    /// Runs one sync session of `store` with this hub. When the hub has rotated its
    /// authority since `store` pinned it, the store re-pins the new one afterwards.
    pub fn sync(&self, store: &mut Store, progress: &mut dyn FnMut(u64, Option<u64>)) -> Result<SyncReport, HubError> {
        let mut session = SyncSession::new(store)?;
        while let Some(request) = session.next_request(store)? {
            let answer = self.post(paths::SYNC, &request, progress)?;
            session.handle_response(store, &answer)?;
        }
        self.follow_authority(store)?;
        Ok(session.report().clone())
    }

    /// Moves attached files after a sync: uploads the files attached on `store` that the hub
    /// lacks, then downloads the ones opened or pinned there. `progress` is told after each
    /// chunk. An interrupted transfer resumes where it stopped at the next call.
    pub fn transfer_files(&self, store: &mut Store, progress: &mut dyn FnMut(&FileProgress)) -> Result<FileReport, HubError> {
        let mut transfer = FileTransfer::new(store)?;
        while let Some(request) = transfer.next_request(store)? {
            let answer = self.post(paths::FILE, &request, &mut |_, _| {})?;
            transfer.handle_response(store, &answer)?;
            progress(transfer.progress());
        }
        Ok(transfer.report().clone())
    }

    /// Waits for the hub to say something new waits for `store` (the long poll `/v1/news`):
    /// `true` then (sync now), `false` when the hub's wait ran out with nothing new. Blocks up
    /// to the hub's wait (25 s by default). Refusals (revoked, not enrolled) are errors.
    pub fn wait_for_news(&self, store: &Store) -> Result<bool, HubError> {
        let (query, request) = NewsQuery::new(store)?;
        let answer = self.post(paths::NEWS, &request, &mut |_, _| {})?;
        Ok(query.handle_answer(store, &answer)?)
    }
}
