//! HTTP(S) transport to the hub for the CLI: ureq with rustls, trusting only the hub's own
//! authority certificate (pinned at enrolment). The core builds and reads the frames.

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Read;
use std::sync::Arc;
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
    pub fn new(url: &str, ca_pem: Option<&str>) -> Result<HubClient> {
        let base = url.trim_end_matches('/').to_string();
        let mut config = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(std::time::Duration::from_secs(300)));
        if base.starts_with("https://") {
            let pem = ca_pem.context("an https hub needs its authority certificate (--ca FILE from `suhbat hub serve`)")?;
            let cert = Certificate::from_pem(pem.as_bytes()).context("the hub certificate is not valid PEM")?;
            let tls = TlsConfig::builder().root_certs(RootCerts::Specific(Arc::new(vec![cert]))).build();
            config = config.tls_config(tls);
        } else if !base.starts_with("http://") {
            bail!("the hub address must start with https:// (or http:// for local tests): {url}");
        }
        Ok(HubClient { agent: config.build().new_agent(), base })
    }

    /// POSTs a frame and returns the answer frame, with a progress bar for large transfers.
    pub fn post(&self, path: &str, body: &[u8], show_progress: bool) -> Result<Vec<u8>> {
        let url = format!("{}{path}", self.base);
        let mut response = self
            .agent
            .post(&url)
            .header("content-type", "application/octet-stream")
            .send(body)
            .with_context(|| format!("cannot reach the hub at {url}"))?;
        let status = response.status();
        if !status.is_success() {
            let text = response.body_mut().read_to_string().unwrap_or_default();
            bail!("the hub answered {status}: {text}");
        }
        let expected = response.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        let bar = match expected {
            Some(len) if show_progress && len > 256 * 1024 => {
                let bar = ProgressBar::new(len);
                bar.set_style(ProgressStyle::with_template("  receiving {bar:30} {bytes}/{total_bytes} {bytes_per_sec}").unwrap_or_else(|_| ProgressStyle::default_bar()));
                Some(bar)
            }
            _ => None,
        };
        let mut reader = response.body_mut().with_config().limit(MAX_ANSWER).reader();
        let mut out = Vec::with_capacity(expected.unwrap_or(0).min(MAX_ANSWER) as usize);
        let mut chunk = [0u8; 64 * 1024];
        loop {
            let n = reader.read(&mut chunk).context("reading the hub's answer")?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&chunk[..n]);
            if let Some(bar) = &bar {
                bar.set_position(out.len() as u64);
            }
        }
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        Ok(out)
    }
}
