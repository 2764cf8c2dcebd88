//! The HTTP(S) server: axum routes that hand request bytes to the sans-IO hub.

use crate::data::open_hub;
use crate::limits::{guard, ConnectionCap, Guard, Limits, MAX_BODY};
use crate::news::NewsBoard;
use crate::tls::TlsIdentity;
use crate::HubError;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, map_response_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;
use suhbat_core::sync::Hub;
use suhbat_core::wire::paths;

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
    /// Timeouts, connection, concurrency, memory and rate limits.
    pub limits: Limits,
}

impl ServeOptions {
    /// HTTPS on `listen` with the data in `data_dir` and the default limits.
    pub fn new(data_dir: impl Into<PathBuf>, listen: SocketAddr) -> Self {
        ServeOptions { data_dir: data_dir.into(), listen, insecure_http: false, hosts: vec![], stop_on_signal: false, limits: Limits::default() }
    }
}

/// The hub, shared by every request: no global lock (the hub serialises writes per document).
type Shared = Arc<Hub>;

/// What the hub does with a request body: bytes in, bytes out.
pub type HubFn = fn(&Hub, &[u8]) -> Vec<u8>;

/// The hub functions behind `/v1/sync`, `/v1/enrol` and `/v1/file`. Tests put in their own
/// (for example one that panics) to check that the server survives them.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Endpoints {
    /// Serves `/v1/sync`.
    pub sync: HubFn,
    /// Serves `/v1/enrol`.
    pub enrol: HubFn,
    /// Serves `/v1/file`.
    pub file: HubFn,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints { sync: Hub::handle_sync, enrol: Hub::handle_enrol, file: Hub::handle_file }
    }
}

/// Runs `f` on a blocking thread. A panic inside it fails this request only (500, logged): the
/// hub holds no lock across requests, and the storage has rolled back whatever transaction
/// the panic interrupted.
async fn call(hub: Shared, body: Bytes, f: HubFn) -> Response {
    let answer = tokio::task::spawn_blocking(move || std::panic::catch_unwind(AssertUnwindSafe(|| f(&hub, &body)))).await;
    match answer {
        Ok(Ok(bytes)) => (StatusCode::OK, [(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response(),
        Ok(Err(_)) | Err(_) => {
            // The panic message itself went to stderr through the panic hook.
            eprintln!("suhbat-hub: a request failed inside the hub; answered 500, the hub goes on serving");
            (StatusCode::INTERNAL_SERVER_ERROR, "the request failed inside the hub").into_response()
        }
    }
}

#[derive(Clone)]
struct AppState {
    hub: Shared,
    endpoints: Endpoints,
    news: NewsBoard,
}

/// A sync, then a look by every waiting long poll (the sync may have brought them news).
async fn sync(State(state): State<AppState>, body: Bytes) -> Response {
    let response = call(state.hub, body, state.endpoints.sync).await;
    state.news.ring();
    response
}

async fn news(State(state): State<AppState>, body: Bytes) -> Response {
    crate::news::serve(state.hub, state.news, body).await
}

async fn enrol(State(state): State<AppState>, body: Bytes) -> Response {
    call(state.hub, body, state.endpoints.enrol).await
}

async fn file(State(state): State<AppState>, body: Bytes) -> Response {
    call(state.hub, body, state.endpoints.file).await
}

/// Says only that the server answers: no lock, no hub id, no counts.
async fn health() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], r#"{"status":"ok"}"#)
}

pub use suhbat_core::wire::paths::CA_HEADER;

/// The current authority certificate and its fingerprint (changes after a rotation).
#[derive(Clone)]
struct Authority(Arc<RwLock<(String, HeaderValue)>>);

impl Authority {
    fn new(identity: &TlsIdentity) -> Result<Self, HubError> {
        Ok(Authority(Arc::new(RwLock::new(Self::entry(identity)?))))
    }

    fn entry(identity: &TlsIdentity) -> Result<(String, HeaderValue), HubError> {
        let fingerprint = HeaderValue::from_str(&identity.fingerprint()?).map_err(|e| HubError::Tls(e.to_string()))?;
        Ok((identity.ca_pem.clone(), fingerprint))
    }

    fn set(&self, identity: &TlsIdentity) -> Result<(), HubError> {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Self::entry(identity)?;
        Ok(())
    }
}

async fn announce(State(authority): State<Authority>, mut response: Response) -> Response {
    let fingerprint = authority.0.read().unwrap_or_else(PoisonError::into_inner).1.clone();
    response.headers_mut().insert(HeaderName::from_static(CA_HEADER), fingerprint);
    response
}

async fn authority_pem(State(authority): State<Authority>) -> impl IntoResponse {
    let pem = authority.0.read().unwrap_or_else(PoisonError::into_inner).0.clone();
    ([(header::CONTENT_TYPE, "application/x-pem-file")], pem)
}

/// Largest console form.
const MAX_CONSOLE_FORM: usize = 64 * 1024;

fn router(state: AppState, guard_state: Guard, authority: Option<Authority>, console: Option<Router>) -> Router {
    let mut api = Router::new()
        .route(paths::SYNC, post(sync))
        .route(paths::ENROL, post(enrol))
        .route(paths::FILE, post(file))
        .route(paths::NEWS, post(news))
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(from_fn_with_state(guard_state, guard));
    let mut open = Router::new().route(paths::HEALTH, get(health));
    if let Some(authority) = authority {
        api = api.layer(map_response_with_state(authority.clone(), announce));
        open = open.merge(Router::new().route(paths::CA, get(authority_pem)).with_state(authority));
    }
    let app = api.merge(open);
    match console {
        Some(console) => app.merge(console.layer(DefaultBodyLimit::max(MAX_CONSOLE_FORM))),
        None => app,
    }
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
    news: NewsBoard,
    thread: Option<std::thread::JoinHandle<Result<(), HubError>>>,
}

impl RunningHub {
    /// Stops accepting connections, lets requests in flight finish, and waits.
    pub fn stop(mut self) -> Result<(), HubError> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), HubError> {
        self.news.close();
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

/// How often a running hub checks whether its server certificate needs renewing (or was
/// replaced by `suhbat hub rotate-cert`) and reloads it.
const TLS_CHECK_EVERY: Duration = Duration::from_secs(6 * 3600);

/// Keeps the served certificate fresh: reloads it when it was renewed or rotated on disk.
async fn keep_tls_fresh(config: axum_server::tls_rustls::RustlsConfig, authority: Authority, dir: PathBuf, hosts: Vec<String>, mut served: String) {
    let mut ticks = tokio::time::interval(TLS_CHECK_EVERY);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        let (dir, hosts) = (dir.clone(), hosts.clone());
        let identity = match tokio::task::spawn_blocking(move || TlsIdentity::load_or_create(&dir, &hosts)).await {
            Ok(Ok(identity)) => identity,
            Ok(Err(e)) => {
                eprintln!("suhbat-hub: checking the TLS certificate: {e}");
                continue;
            }
            Err(_) => continue,
        };
        if identity.chain_pem() == served {
            continue;
        }
        match config.reload_from_pem(identity.chain_pem().into_bytes(), identity.key_pem.clone().into_bytes()).await {
            Ok(()) => {
                served = identity.chain_pem();
                let _ = authority.set(&identity);
                eprintln!("suhbat-hub: now serving the renewed TLS certificate");
            }
            Err(e) => eprintln!("suhbat-hub: reloading the TLS certificate: {e}"),
        }
    }
}

/// Closes a connection whose request headers do not arrive within the request timeout.
fn header_deadline<A>(server: &mut axum_server::Server<A>, limits: &Limits) {
    server.http_builder().http1().timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(limits.request_timeout);
}

/// Starts the hub on a background thread and returns once it listens.
pub fn start(options: ServeOptions) -> Result<RunningHub, HubError> {
    start_with(options, Endpoints::default())
}

/// [`start`] with other hub functions behind the endpoints (tests only).
#[doc(hidden)]
pub fn start_with(options: ServeOptions, endpoints: Endpoints) -> Result<RunningHub, HubError> {
    let hub = open_hub(&options.data_dir)?;
    let listener = std::net::TcpListener::bind(options.listen).map_err(|e| HubError::Io(format!("listening on {}: {e}", options.listen)))?;
    listener.set_nonblocking(true).map_err(|e| HubError::Io(e.to_string()))?;
    let addr = listener.local_addr().map_err(|e| HubError::Io(e.to_string()))?;
    let tls_dir = options.data_dir.join("tls");
    let identity = if options.insecure_http { None } else { Some(TlsIdentity::load_or_create(&tls_dir, &options.hosts)?) };
    let authority = identity.as_ref().map(Authority::new).transpose()?;
    let (ca_pem, fingerprint) = match &identity {
        Some(id) => (Some(id.ca_pem.clone()), Some(id.fingerprint()?)),
        None => (None, None),
    };
    let scheme = if identity.is_some() { "https" } else { "http" };
    let handle = axum_server::Handle::new();
    let server_handle = handle.clone();
    let limits = options.limits.clone();
    let news = NewsBoard::new(&limits);
    let closing_news = news.clone();
    let hub = Arc::new(hub);
    // The last handle on the hub is dropped after the runtime: a PostgreSQL hub's connections
    // block on their own runtime when closed, which tokio refuses inside another one.
    let last_hub = hub.clone();
    // The console only over HTTPS: its cookies are for secure connections only.
    let console = fingerprint.as_deref().map(|fingerprint| {
        let host = options.hosts.first().map_or_else(|| addr.ip().to_string(), Clone::clone);
        crate::console::routes(hub.clone(), &options.data_dir, &format!("https://{host}:{}", addr.port()), Some(fingerprint))
    });
    let app = router(AppState { hub, endpoints, news: news.clone() }, Guard::new(&limits), authority.clone(), console);
    let cap = ConnectionCap::new(&limits, identity.is_none());
    let stop_on_signal = options.stop_on_signal;
    let hosts = options.hosts.clone();
    let thread = std::thread::Builder::new()
        .name("suhbat-hub".into())
        .spawn(move || -> Result<(), HubError> {
            let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| HubError::Io(e.to_string()))?;
            let served = runtime.block_on(async move {
                if stop_on_signal {
                    let signal_handle = server_handle.clone();
                    tokio::spawn(async move {
                        shutdown_signal().await;
                        closing_news.close();
                        signal_handle.graceful_shutdown(Some(Duration::from_secs(10)));
                    });
                }
                let service = app.into_make_service_with_connect_info::<SocketAddr>();
                match (identity, authority) {
                    (Some(id), Some(authority)) => {
                        let _ = rustls::crypto::ring::default_provider().install_default();
                        let config = axum_server::tls_rustls::RustlsConfig::from_pem(id.chain_pem().into_bytes(), id.key_pem.clone().into_bytes())
                            .await
                            .map_err(|e| HubError::Tls(e.to_string()))?;
                        tokio::spawn(keep_tls_fresh(config.clone(), authority, tls_dir, hosts, id.chain_pem()));
                        let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(config).handshake_timeout(limits.request_timeout).acceptor(cap);
                        let mut server = axum_server::from_tcp(listener).acceptor(acceptor);
                        header_deadline(&mut server, &limits);
                        server.handle(server_handle).serve(service).await
                    }
                    _ => {
                        let mut server = axum_server::from_tcp(listener).acceptor(cap);
                        header_deadline(&mut server, &limits);
                        server.handle(server_handle).serve(service).await
                    }
                }
                .map_err(|e| HubError::Io(e.to_string()))
            });
            drop(runtime);
            drop(last_hub);
            served
        })
        .map_err(|e| HubError::Io(e.to_string()))?;
    Ok(RunningHub { addr, url: format!("{scheme}://{addr}"), ca_pem, fingerprint, handle, news, thread: Some(thread) })
}
