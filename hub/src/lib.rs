//! # suhbat-hub
//!
//! The base-point server: inspectors' phones sync with it over the station Wi-Fi. It is a thin
//! HTTPS shell over [`suhbat_core::sync::Hub`], which does all the protocol work from bytes to
//! bytes. Endpoints:
//!
//! | method | path | body |
//! |---|---|---|
//! | POST | `/v1/enrol` | enrolment request frame → enrolment answer frame |
//! | POST | `/v1/sync` | signed sync request frame → sync response frame |
//! | POST | `/v1/file` | signed file request frame → file answer frame |
//! | POST | `/v1/news` | signed news request frame → news answer frame, held until something new waits or the wait runs out (long poll) |
//! | GET | `/v1/health` | `{"status":"ok"}` and nothing else |
//! | GET | `/v1/ca` | the current authority certificate (PEM), for devices that follow a rotation |
//! | GET, POST | `/console/…` | the supervisors' web page (HTTPS only; see `console`) |
//!
//! The data folder holds the hub store (`hub.db`, SQLCipher) or the address of the hub's
//! PostgreSQL database (`database.url`; several hub nodes may serve one database), its keys
//! (`keys/`) and the TLS identity (`tls/`). TLS is on by default; plain HTTP only with an explicit opt-in for tests.

#![forbid(unsafe_code)]

mod client;
mod console;
mod data;
mod limits;
mod live;
mod news;
mod pem;
mod server;
mod tls;

pub use client::{HubClient, HUB_CA_SETTING};
pub use console::{add_console_account, new_password, ConsoleAccount, ConsoleRole, MIN_PASSWORD_CHARS};
pub use data::{database_url, hub_keys, open_hub, use_database};
pub use limits::{Limits, RateLimit};
pub use live::{LiveRunner, LiveSyncResult};
pub use pem::ca_fingerprint;
pub use server::{start, start_with, Endpoints, HubFn, RunningHub, ServeOptions, CA_HEADER};
pub use tls::TlsIdentity;

/// What can go wrong starting or running the hub.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The hub store failed.
    #[error("hub store: {0}")]
    Store(#[from] suhbat_core::Error),
    /// A file or socket failed.
    #[error("{0}")]
    Io(String),
    /// The TLS identity could not be made or loaded.
    #[error("TLS: {0}")]
    Tls(String),
}
