//! HTTP(S) transport to the hub for Rust clients (the CLI, tests): ureq with rustls, trusting
//! only the hub's own authority certificate (pinned at enrolment). The core builds and reads
//! the frames; this only moves bytes.

use crate::HubError;
use std::io::Read;
use std::sync::Arc;
use suhbat_core::sync::{Enrolment, SyncReport, SyncSession};
use suhbat_core::Store;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

/// Largest answer accepted from the hub.
const MAX_ANSWER: u64 = suhbat_core::wire::MAX_MESSAGE_BYTES as u64 + 1024;

/// A connection to one hub.
pub struct HubClient {
    agent: ureq::Agent,
    base: String,
}

impl HubClient {
    /// A client for `url`. HTTPS needs the hub's authority certificate (PEM); plain HTTP is
    /// only for local tests and must be asked for with an `http://` URL.
    pub fn new(url: &str, ca_pem: Option<&str>) -> Result<HubClient, HubError> {
        let base = url.trim_end_matches('/').to_string();
        let mut config = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(std::time::Duration::from_secs(300)));
        if base.starts_with("https://") {
            let pem = ca_pem.ok_or_else(|| HubError::Tls("an https hub needs its authority certificate (ca.pem from the hub's data folder)".into()))?;
            let cert = Certificate::from_pem(pem.as_bytes()).map_err(|e| HubError::Tls(format!("the hub certificate is not valid PEM: {e}")))?;
            let tls = TlsConfig::builder().root_certs(RootCerts::Specific(Arc::new(vec![cert]))).build();
            config = config.tls_config(tls);
        } else if !base.starts_with("http://") {
            return Err(HubError::Io(format!("the hub address must start with https:// (or http:// for local tests): {url}")));
        }
        Ok(HubClient { agent: config.build().new_agent(), base })
    }

    /// POSTs a frame and returns the answer frame. `progress` is told (bytes so far, total)
    /// while a large answer arrives.
    pub fn post(&self, path: &str, body: &[u8], progress: &mut dyn FnMut(u64, Option<u64>)) -> Result<Vec<u8>, HubError> {
        let url = format!("{}{path}", self.base);
        let unreachable = |e: ureq::Error| HubError::Io(format!("cannot reach the hub at {url}: {e}"));
        let mut response = self.agent.post(&url).header("content-type", "application/octet-stream").send(body).map_err(unreachable)?;
        let status = response.status();
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
        let answer = self.post("/v1/enrol", &store.enrol_request(code), &mut |_, _| {})?;
        Ok(store.complete_enrolment(&answer)?)
    }

    /// Runs one sync session of `store` with this hub.
    pub fn sync(&self, store: &mut Store, progress: &mut dyn FnMut(u64, Option<u64>)) -> Result<SyncReport, HubError> {
        let mut session = SyncSession::new(store)?;
        while let Some(request) = session.next_request(store)? {
            let answer = self.post("/v1/sync", &request, progress)?;
            session.handle_response(store, &answer)?;
        }
        Ok(session.report().clone())
    }
}
