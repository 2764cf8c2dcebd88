//! `suhbat device live` between two phones through the real hub over HTTPS: a person added on
//! one phone by another `suhbat` command reaches the other phone with nobody running
//! `device sync`.

use crate::common::*;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// `suhbat device live` on `store`, in the background; stopped when dropped.
struct Live(Child);

impl Live {
    fn start(store: &str) -> Live {
        Live(suhbat().args(["device", "live", "--store", store]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("suhbat device live starts"))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn device_live_sends_a_change_saved_by_another_command_and_brings_in_what_colleagues_sync() {
    let dir = tempfile::tempdir().unwrap();
    let setup = enrolled_device(dir.path(), "aziz", "Marker");
    let aziz = arg(&setup.store);
    let bobur = another_phone(dir.path(), &setup, "bobur");
    let _live_aziz = Live::start(&aziz);
    let _live_bobur = Live::start(&bobur);

    let id = add_qodirov(&aziz, &[]);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut listed = String::new();
    while Instant::now() < deadline {
        listed = ok(&["person", "list", "--store", &bobur]);
        if listed.contains(&id) {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    assert!(listed.contains(&id), "the person added on Aziz's phone never reached Bobur's:\n{listed}");
}
