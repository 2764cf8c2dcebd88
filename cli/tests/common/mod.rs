//! Helpers of the CLI's tests: run the built `suhbat` binary, reach a store's key the way the
//! CLI does, and set up a device enrolled with a real HTTPS hub.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use suhbat_core::{key_id_for, FileKeyProvider, KeyProvider};
use suhbat_hub::{start, RunningHub, ServeOptions};

/// The `suhbat` binary under test, in English (tests that check another language pass
/// `--lang`).
pub(crate) fn suhbat() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_suhbat"));
    command.env("SUHBAT_LANG", "en");
    command
}

/// Runs `suhbat args…`, returning its output whatever the exit status.
pub(crate) fn run(args: &[&str]) -> Output {
    suhbat().args(args).output().expect("the suhbat binary runs")
}

/// Runs `suhbat args…` and returns its stdout; fails the test if it fails.
pub(crate) fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(out.status.success(), "suhbat {args:?} failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Registers the tests' usual person (Qodirov Jasur, born 2008-04-02, Navbahor, Chilonzor) in
/// `store` with the `extra` flags, and returns its id.
pub(crate) fn add_qodirov(store: &str, extra: &[&str]) -> String {
    let args = [
        &["person", "add", "--store", store, "--last", "Qodirov", "--first", "Jasur", "--birth", "2008-04-02"][..],
        &["--mahalla", "Navbahor", "--district", "Chilonzor"],
        extra,
    ]
    .concat();
    ok(&args).trim().to_string()
}

/// Records a conversation with `person` (the usual minor: with the grandmother's consent) at
/// School 12 on 2025-09-01, and returns its id.
pub(crate) fn add_school_talk(store: &str, person: &str) -> String {
    let consent = ["--consent-by", "guardian", "--consent", "The grandmother agreed"];
    let args = [&["conversation", "add", "--store", store, "--person", person, "--place", "School 12", "--at", "2025-09-01T05:00:00Z"][..], &consent].concat();
    ok(&args).trim().to_string()
}

/// The start of `suhbat conversation add` on `store` with a parent's consent (the sample
/// persons are minors, whose conversations need a representative's consent); the person,
/// place and the rest follow.
pub(crate) fn conversation_add(store: &str) -> [&str; 8] {
    ["conversation", "add", "--consent-by", "parent", "--consent", "The mother agreed", "--store", store]
}

/// Runs `suhbat args…`, expects it to fail, and returns its stderr.
pub(crate) fn fails(args: &[&str]) -> String {
    let out = run(args);
    assert!(!out.status.success(), "suhbat {args:?} should have failed:\n{}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The key provider the CLI uses for a device store (`.suhbat-keys` beside it).
pub(crate) fn device_keys(store: &Path) -> FileKeyProvider {
    FileKeyProvider::new(store.parent().unwrap().join(".suhbat-keys"))
}

/// The key provider of a hub data folder.
pub(crate) fn hub_keys(data: &Path) -> FileKeyProvider {
    FileKeyProvider::new(data.join("keys"))
}

/// A plain SQLite connection to an encrypted store with its key: what an attacker holding the
/// key can do with the file, bypassing the store's API and its triggers.
pub(crate) fn raw_conn(path: &Path, keys: &dyn KeyProvider) -> rusqlite::Connection {
    let key = keys.get_or_create_key(&key_id_for(path)).unwrap();
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(key.as_ref()))).unwrap();
    conn
}

/// Path as a string argument.
pub(crate) fn arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// A running HTTPS hub and a device store enrolled with it through the CLI.
pub(crate) struct Enrolled {
    pub hub: RunningHub,
    pub hub_dir: PathBuf,
    pub store: PathBuf,
    pub device_id: String,
}

/// Starts a hub in `dir/hub` and sets up `dir/<name>.db` with the CLI: init, enrol (pinned
/// certificate), one person with `marker` in its name and notes and one without, first sync.
pub(crate) fn enrolled_device(dir: &Path, name: &str, marker: &str) -> Enrolled {
    let hub_dir = dir.join("hub");
    let hub = start(ServeOptions::new(hub_dir.clone(), "127.0.0.1:0".parse().unwrap())).expect("the hub starts");
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, hub.ca_pem.as_deref().unwrap()).unwrap();
    let store = dir.join(format!("{name}.db"));
    let created = ok(&["device", "init", "--store", &arg(&store), "--person", name, "--scope", "Navbahor"]);
    let device_id = created.split_whitespace().last().unwrap().to_string();
    let code = ok(&["hub", "enrol", "--data", &arg(&hub_dir), "--person", name, "--role", "inspector", "--scope", "Navbahor"]);
    ok(&[
        "device",
        "enrol",
        "--store",
        &arg(&store),
        "--hub",
        &hub.url,
        "--code",
        code.trim(),
        "--ca",
        &arg(&ca),
        "--pin",
        hub.fingerprint.as_deref().unwrap(),
    ]);
    ok(&[
        "person",
        "add",
        "--store",
        &arg(&store),
        "--last",
        marker,
        "--first",
        "Jasur",
        "--birth",
        "2009-03-04",
        "--mahalla",
        "Navbahor",
        "--district",
        "Chilonzor",
        "--notes",
        &format!("{marker} note"),
    ]);
    ok(&[
        "person",
        "add",
        "--store",
        &arg(&store),
        "--last",
        "Qodirov",
        "--first",
        "Dilshod",
        "--birth",
        "2010-05-06",
        "--mahalla",
        "Navbahor",
        "--district",
        "Chilonzor",
    ]);
    ok(&["device", "sync", "--store", &arg(&store)]);
    Enrolled { hub, hub_dir, store, device_id }
}

/// Enrols one more phone with the running hub of `setup`.
pub(crate) fn another_phone(dir: &Path, setup: &Enrolled, name: &str) -> String {
    let store = arg(&dir.join(format!("{name}.db")));
    ok(&["device", "init", "--store", &store, "--person", name, "--scope", "Navbahor"]);
    let code = ok(&["hub", "enrol", "--data", &arg(&setup.hub_dir), "--person", name, "--role", "inspector", "--scope", "Navbahor"]);
    let ca = arg(&dir.join("ca.pem"));
    ok(&[
        "device",
        "enrol",
        "--store",
        &store,
        "--hub",
        &setup.hub.url,
        "--code",
        code.trim(),
        "--ca",
        &ca,
        "--pin",
        setup.hub.fingerprint.as_deref().unwrap(),
    ]);
    store
}

/// The store's files (database, WAL, shared memory) that exist.
pub(crate) fn store_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", "-journal"].iter().map(|s| PathBuf::from(format!("{}{s}", db.display()))).filter(|p| p.exists()).collect()
}

/// Prints a figure a test checked, even when the harness captures output.
pub(crate) fn report(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "    {line}");
}
