//! The console from the command line: `suhbat hub user add` makes an account that signs in
//! (argon2 hash, never the password), and `suhbat device enrol --invite` joins a hub with the
//! text of the console's QR code alone, refusing a hub whose certificate is not the invited one.

use crate::common::{arg, fails, ok};
use suhbat_core::sync::EnrolInvite;
use suhbat_hub::{open_hub, start, ServeOptions};

#[test]
fn hub_user_add_makes_an_account_and_device_enrol_accepts_the_console_invitation() {
    let dir = tempfile::tempdir().unwrap();
    let hub_dir = dir.path().join("hub");
    let hub = start(ServeOptions::new(hub_dir.clone(), "127.0.0.1:0".parse().unwrap())).unwrap();

    let made = ok(&["hub", "user", "add", "--data", &arg(&hub_dir), "aziz", "--role", "supervisor", "--scope", "*"]);
    let password = made.lines().find_map(|l| l.strip_prefix("password: ")).expect("a new password is printed once");
    let stored = std::fs::read_to_string(hub_dir.join("console/accounts.json")).unwrap();
    assert!(stored.contains("\"aziz\"") && stored.contains("$argon2id$") && !stored.contains(password));
    assert!(fails(&["hub", "user", "add", "--data", &arg(&hub_dir), "x", "--role", "janitor", "--scope", "*"]).contains("unknown console role"));

    let code =
        open_hub(&hub_dir).unwrap().create_enrolment_code("Dilshod", suhbat_core::Role::Inspector, &["Navbahor".into()], chrono::Duration::hours(1)).unwrap();
    let store = arg(&dir.path().join("phone.db"));
    ok(&["device", "init", "--store", &store, "--person", "Dilshod", "--scope", "Navbahor"]);
    let forged = EnrolInvite { hub_url: hub.url.clone(), code: code.clone(), ca_fingerprint: Some("AB:CD".into()) }.to_text().unwrap();
    assert!(fails(&["device", "enrol", "--store", &store, "--invite", &forged]).contains("do not enrol"));
    let invite = EnrolInvite { hub_url: hub.url.clone(), code, ca_fingerprint: hub.fingerprint.clone() }.to_text().unwrap();
    let enrolled = ok(&["device", "enrol", "--store", &store, "--invite", &invite]);
    assert!(enrolled.contains("enrolled with hub"), "{enrolled}");
    ok(&["device", "sync", "--store", &store]);
}
