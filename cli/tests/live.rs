//! `suhbat device live` between two phones through the real hub over HTTPS: a person added on
//! one phone by another `suhbat` command reaches the other phone with nobody running
//! `device sync`.

use crate::common::*;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// `suhbat device live` on `store`, in the background, its output in a file beside the store;
/// stopped when dropped.
struct Live(Child, std::path::PathBuf);

impl Live {
    fn start(store: &str) -> Live {
        let log = std::path::PathBuf::from(format!("{store}.live.log"));
        let out = std::fs::File::create(&log).expect("log file");
        let err = out.try_clone().expect("log file");
        let child = suhbat().args(["device", "live", "--store", store]).stdout(Stdio::from(out)).stderr(Stdio::from(err)).spawn();
        Live(child.expect("suhbat device live starts"), log)
    }

    /// What it printed so far.
    fn output(&self) -> String {
        std::fs::read_to_string(&self.1).unwrap_or_default()
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Aziz's and Bobur's phones enrolled with one hub, each running `device live`. Dropped in
/// this order: the live syncs, the hub, the folder.
struct TwoPhonesLive {
    aziz: String,
    bobur: String,
    live_aziz: Live,
    live_bobur: Live,
    _hub: Enrolled,
    _dir: tempfile::TempDir,
}

fn two_phones_live() -> TwoPhonesLive {
    let dir = tempfile::tempdir().unwrap();
    let setup = enrolled_device(dir.path(), "aziz", "Marker");
    let aziz = arg(&setup.store);
    let bobur = another_phone(dir.path(), &setup, "bobur");
    let (live_aziz, live_bobur) = (Live::start(&aziz), Live::start(&bobur));
    TwoPhonesLive { aziz, bobur, live_aziz, live_bobur, _hub: setup, _dir: dir }
}

#[test]
fn device_live_sends_a_change_saved_by_another_command_and_brings_in_what_colleagues_sync() {
    let TwoPhonesLive { aziz, bobur, live_aziz, live_bobur, .. } = &two_phones_live();

    let id = add_qodirov(aziz, &[]);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut listed = String::new();
    while Instant::now() < deadline {
        listed = ok(&["person", "list", "--store", bobur]);
        if listed.contains(&id) {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    assert!(
        listed.contains(&id),
        "the person added on Aziz's phone never reached Bobur's:\n{listed}\nAziz's live sync said:\n{}\nBobur's:\n{}\nAziz's store lists:\n{}",
        live_aziz.output(),
        live_bobur.output(),
        ok(&["person", "list", "--store", aziz]),
    );
}

/// Persons added by separate commands on both phones while both run `device live`: more
/// writes than a document takes before it is compacted, each racing the syncs the other
/// phone's writes set off.
const ADDED_BESIDE_LIVE: usize = 70;

#[test]
fn commands_writing_beside_device_live_on_both_phones_lose_nothing() {
    let TwoPhonesLive { aziz, bobur, live_aziz, live_bobur, .. } = &two_phones_live();

    let mut ids = Vec::new();
    for i in 0..ADDED_BESIDE_LIVE {
        let store = if i % 2 == 0 { aziz } else { bobur };
        let first = format!("Jasur{i}");
        let args = ["person", "add", "--store", store, "--last", "Qodirov", "--first", &first, "--birth", "2008-04-02", "--mahalla", "Navbahor"];
        ids.push(ok(&[&args[..], &["--district", "Chilonzor"]].concat()).trim().to_string());
    }
    let missing = |store: &str| {
        let listed = ok(&["person", "list", "--store", store]);
        ids.iter().filter(|id| !listed.contains(id.as_str())).count()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline && (missing(aziz) > 0 || missing(bobur) > 0) {
        std::thread::sleep(Duration::from_millis(500));
    }
    let (on_aziz, on_bobur) = (missing(aziz), missing(bobur));
    assert!(
        on_aziz == 0 && on_bobur == 0,
        "of {ADDED_BESIDE_LIVE} persons Aziz's phone misses {on_aziz}, Bobur's {on_bobur}\nAziz's live sync said:\n{}\nBobur's:\n{}",
        live_aziz.output(),
        live_bobur.output()
    );
    for store in [aziz, bobur] {
        ok(&["audit", "verify", "--store", store]);
    }
    eprintln!("beside device live: {ADDED_BESIDE_LIVE} persons added by separate commands on two phones, all on both");
}
