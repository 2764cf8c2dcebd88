//! The HTTP(S) server: axum routes that hand request bytes to the sans-IO hub.

use crate::data::open_hub;
use crate::tls::TlsIdentity;
use crate::HubError;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use suhbat_core::sync::Hub;

/// How to run the hub.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Folder with the hub store, its key and the TLS identity.
    pub data_dir: PathBuf,
    /// Address to listen on (port 0 picks a free port).
    pub listen: SocketAddr,
    /// Serve plain HTTP instead of HTTPS (local tests only).
    pub insecure_http: bool,
    /// Extra host names or addresses for the server certificate (e.g. the station's LAN IP).
    pub hosts: Vec<String>,
    /// Stop gracefully on Ctrl-C / SIGTERM (for `suhbat hub serve`).
    pub stop_on_signal: bool,
}

/// The hub, shared by every request: no global lock (the hub serialises writes per document).
type Shared = Arc<Hub>;

async fn call(hub: Shared, body: Bytes, f: fn(&Hub, &[u8]) -> Vec<u8>) -> impl IntoResponse {
    match tokio::task::spawn_blocking(move || f(&hub, &body)).await {
        Ok(bytes) => (StatusCode::OK, [(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the request failed inside the hub").into_response(),
    }
}

async fn sync(State(hub): State<Shared>, body: Bytes) -> impl IntoResponse {
    call(hub, body, Hub::handle_sync).await
}

async fn enrol(State(hub): State<Shared>, body: Bytes) -> impl IntoResponse {
    call(hub, body, Hub::handle_enrol).await
}

async fn health(State(hub): State<Shared>) -> impl IntoResponse {
    let status = tokio::task::spawn_blocking(move || {
        let devices = hub.devices().map(|d| d.len()).unwrap_or(0);
        serde_json::json!({ "status": "ok", "hub_id": hub.hub_id(), "devices": devices })
    })
    .await;
    match status {
        Ok(json) => (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], json.to_string()).into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "unavailable").into_response(),
    }
}

fn router(hub: Shared) -> Router {
    Router::new()
        .route("/v1/sync", post(sync))
        .route("/v1/enrol", post(enrol))
        .route("/v1/health", get(health))
        .layer(DefaultBodyLimit::max(suhbat_core::wire::MAX_MESSAGE_BYTES + 1024))
        .with_state(hub)
}

/// A hub running on a background thread.
pub struct RunningHub {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Base URL (`https://127.0.0.1:PORT` or `http://…`).
    pub url: String,
    /// The authority certificate devices pin (HTTPS only).
    pub ca_pem: Option<String>,
    /// Its SHA-256 fingerprint (HTTPS only).
    pub fingerprint: Option<String>,
    handle: axum_server::Handle,
    thread: Option<std::thread::JoinHandle<Result<(), HubError>>>,
}

impl RunningHub {
    /// Stops accepting connections, lets requests in flight finish, and waits.
    pub fn stop(mut self) -> Result<(), HubError> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), HubError> {
        self.handle.graceful_shutdown(Some(Duration::from_secs(10)));
        match self.thread.take() {
            Some(thread) => thread.join().map_err(|_| HubError::Io("the hub thread panicked".into()))?,
            None => Ok(()),
        }
    }

    /// Blocks until the server stops (e.g. after Ctrl-C when started by `suhbat hub serve`).
    pub fn wait(mut self) -> Result<(), HubError> {
        match self.thread.take() {
            Some(thread) => thread.join().map_err(|_| HubError::Io("the hub thread panicked".into()))?,
            None => Ok(()),
        }
    }

    /// Asks the server to stop gracefully (from a signal handler or another thread).
    pub fn handle(&self) -> axum_server::Handle {
        self.handle.clone()
    }
}

impl Drop for RunningHub {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// Starts the hub on a background thread and returns once it listens.
pub fn start(options: ServeOptions) -> Result<RunningHub, HubError> {
    let hub = open_hub(&options.data_dir)?;
    let listener = std::net::TcpListener::bind(options.listen).map_err(|e| HubError::Io(format!("listening on {}: {e}", options.listen)))?;
    listener.set_nonblocking(true).map_err(|e| HubError::Io(e.to_string()))?;
    let addr = listener.local_addr().map_err(|e| HubError::Io(e.to_string()))?;
    let identity = if options.insecure_http { None } else { Some(TlsIdentity::load_or_create(&options.data_dir.join("tls"), &options.hosts)?) };
    let (ca_pem, fingerprint) = match &identity {
        Some(id) => (Some(id.ca_pem.clone()), Some(id.fingerprint()?)),
        None => (None, None),
    };
    let scheme = if identity.is_some() { "https" } else { "http" };
    let handle = axum_server::Handle::new();
    let server_handle = handle.clone();
    let app = router(Arc::new(hub));
    let stop_on_signal = options.stop_on_signal;
    let thread = std::thread::Builder::new()
        .name("suhbat-hub".into())
        .spawn(move || -> Result<(), HubError> {
            let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| HubError::Io(e.to_string()))?;
            runtime.block_on(async move {
                if stop_on_signal {
                    let signal_handle = server_handle.clone();
                    tokio::spawn(async move {
                        shutdown_signal().await;
                        signal_handle.graceful_shutdown(Some(Duration::from_secs(10)));
                    });
                }
                let service = app.into_make_service();
                match identity {
                    Some(id) => {
                        let _ = rustls::crypto::ring::default_provider().install_default();
                        let config = axum_server::tls_rustls::RustlsConfig::from_pem(id.cert_pem.into_bytes(), id.key_pem.into_bytes())
                            .await
                            .map_err(|e| HubError::Tls(e.to_string()))?;
                        axum_server::from_tcp_rustls(listener, config).handle(server_handle).serve(service).await
                    }
                    None => axum_server::from_tcp(listener).handle(server_handle).serve(service).await,
                }
                .map_err(|e| HubError::Io(e.to_string()))
            })
        })
        .map_err(|e| HubError::Io(e.to_string()))?;
    Ok(RunningHub { addr, url: format!("{scheme}://{addr}"), ca_pem, fingerprint, handle, thread: Some(thread) })
}
