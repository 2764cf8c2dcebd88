//! A real browser for the console tests: Debian's chromium, headless, driven through
//! chromedriver's WebDriver API over HTTP (ureq). It trusts the hub's certificate by pinning
//! its public key (`--ignore-certificate-errors-spki-list`), nothing else. `tests/run`
//! installs chromium and chromium-driver (`tests/browser.sh`).

use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session.
pub(crate) struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
    /// Where screenshots go.
    pub shots: PathBuf,
}

/// base64(SHA-256(SubjectPublicKeyInfo)) of the hub's server key, as chromium wants it.
pub(crate) fn spki_pin(hub_dir: &Path) -> String {
    let identity = suhbat_hub::TlsIdentity::load_or_create(&hub_dir.join("tls"), &[]).unwrap();
    let key = rcgen::KeyPair::from_pem(&identity.key_pem).unwrap();
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(key.public_key_der()))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn program(names: &[&str]) -> String {
    for name in names {
        for dir in std::env::var("PATH").unwrap_or_default().split(':').chain(["/usr/bin", "/usr/lib/chromium"]) {
            let path = Path::new(dir).join(name);
            if path.is_file() {
                return path.display().to_string();
            }
        }
    }
    panic!("{} not found: install Debian's chromium and chromium-driver (`source tests/browser.sh`)", names.join(" or "))
}

impl Browser {
    /// Starts chromium (headless) that trusts the hub in `hub_dir`; screenshots go to
    /// `target/suhbat-tests/console/<name>/`.
    pub(crate) fn start(hub_dir: &Path, name: &str) -> Browser {
        let port = free_port();
        let driver = Command::new(program(&["chromedriver"]))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(120))).build().into();
        let deadline = Instant::now() + Duration::from_secs(30);
        while agent.get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not answer within 30 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1280,1000".into(),
            "--lang=en".into(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--ignore-certificate-errors-spki-list={}", spki_pin(hub_dir)),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": program(&["chromium", "chromium-browser"]), "args": args}
        }}});
        let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/suhbat-tests/console").join(name);
        std::fs::create_dir_all(&shots).unwrap();
        let mut browser = Browser { driver, base, session: String::new(), agent, _profile: profile, shots };
        let created = browser.call("POST", "/session", Some(capabilities));
        browser.session = created["sessionId"].as_str().unwrap_or_else(|| panic!("no browser session: {created}")).to_string();
        browser
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self.agent.post(&url).header("content-type", "application/json").send(body.unwrap_or(json!({})).to_string()),
        };
        let mut response = response.unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        let status = response.status();
        let value: Value = serde_json::from_str(&response.body_mut().with_config().limit(64 << 20).read_to_string().unwrap()).unwrap();
        assert!(status.is_success(), "WebDriver {method} {path}: {status} {value}");
        value["value"].clone()
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    /// Opens `url`.
    pub(crate) fn open(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })));
    }

    /// The address shown now.
    pub(crate) fn url(&self) -> String {
        self.session_call("GET", "/url", None).as_str().unwrap_or_default().to_string()
    }

    /// The page's HTML as the browser has it.
    pub(crate) fn source(&self) -> String {
        self.session_call("GET", "/source", None).as_str().unwrap_or_default().to_string()
    }

    /// The first element matching a CSS selector (panics when there is none).
    pub(crate) fn find(&self, css: &str) -> String {
        self.try_find(css).unwrap_or_else(|| panic!("no {css} on {}:\n{}", self.url(), self.source()))
    }

    /// The first element matching a CSS selector.
    pub(crate) fn try_find(&self, css: &str) -> Option<String> {
        let url = format!("{}/session/{}/element", self.base, self.session);
        let body = json!({"using": "css selector", "value": css}).to_string();
        let mut response = self.agent.post(&url).header("content-type", "application/json").send(body).unwrap();
        let found: Value = serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
        found["value"][ELEMENT].as_str().map(String::from)
    }

    /// Types into the element matching `css` (after clearing it).
    pub(crate) fn fill(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.session_call("POST", &format!("/element/{element}/clear"), Some(json!({})));
        self.session_call("POST", &format!("/element/{element}/value"), Some(json!({ "text": text })));
    }

    /// Clicks the element matching `css` (a link or a form's button) and waits for the page
    /// it leads to.
    pub(crate) fn click(&self, css: &str) {
        let element = self.find(css);
        self.leaving();
        self.session_call("POST", &format!("/element/{element}/click"), Some(json!({})));
        self.arrived();
    }

    /// Runs a script that leaves the page (submits a form) and waits for the next page.
    pub(crate) fn script_leaving(&self, script: &str) -> Value {
        self.leaving();
        let value = self.script(script);
        self.arrived();
        value
    }

    /// Marks the page shown now, so [`arrived`](Self::arrived) can tell the next one from it.
    fn leaving(&self) {
        self.script("window.__suhbatLeft = true;");
    }

    /// Waits (at most 60 s) until a new page has replaced the marked one and has loaded.
    fn arrived(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.script("return window.__suhbatLeft !== true && document.readyState === 'complete';") != Value::Bool(true) {
            assert!(Instant::now() < deadline, "no new page within 60 s of leaving {}", self.url());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The visible text of the element matching `css`.
    pub(crate) fn text(&self, css: &str) -> String {
        let element = self.find(css);
        self.session_call("GET", &format!("/element/{element}/text"), None).as_str().unwrap_or_default().to_string()
    }

    /// An attribute of the element matching `css`.
    pub(crate) fn attribute(&self, css: &str, name: &str) -> Option<String> {
        let element = self.find(css);
        self.session_call("GET", &format!("/element/{element}/attribute/{name}"), None).as_str().map(String::from)
    }

    /// Runs a script in the page (to forge what a person could not, e.g. a form's token).
    pub(crate) fn script(&self, script: &str) -> Value {
        self.session_call("POST", "/execute/sync", Some(json!({ "script": script, "args": [] })))
    }

    /// The browser's cookies for the page.
    pub(crate) fn cookies(&self) -> Vec<Value> {
        self.session_call("GET", "/cookie", None).as_array().cloned().unwrap_or_default()
    }

    /// Forgets every cookie (a new visitor).
    pub(crate) fn clear_cookies(&self) {
        self.session_call("DELETE", "/cookie", None);
    }

    fn png(value: Value) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD.decode(value.as_str().unwrap_or_default()).unwrap()
    }

    /// Saves a screenshot of the page as `<name>.png` and returns its path.
    pub(crate) fn screenshot(&self, name: &str) -> PathBuf {
        let path = self.shots.join(format!("{name}.png"));
        std::fs::write(&path, Self::png(self.session_call("GET", "/screenshot", None))).unwrap();
        path
    }

    /// A screenshot (PNG bytes) of the element matching `css`.
    pub(crate) fn element_png(&self, css: &str) -> Vec<u8> {
        let element = self.find(css);
        Self::png(self.session_call("GET", &format!("/element/{element}/screenshot"), None))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.agent.delete(&format!("{}/session/{}", self.base, self.session)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
