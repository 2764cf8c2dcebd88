//! Hub soak: `suhbat bench soak` with 2,000 simulated devices against a real HTTPS hub on the
//! loopback interface (bounded: a fixed number of devices and requests, then it stops). The
//! run itself fails on any lost change; this test prints its figures.
//!
//! `SUHBAT_SOAK_DEVICES=10000 cargo nextest run -p suhbat -E 'test(/^soak::/)' --no-capture`, or the command
//! directly (`suhbat bench soak --devices 10000 --threads 8`), runs a bigger soak.

use crate::common;

#[test]
fn two_thousand_devices_sync_with_the_hub_and_no_change_is_lost() {
    let devices = std::env::var("SUHBAT_SOAK_DEVICES").unwrap_or_else(|_| "2000".into());
    let out = common::run(&["bench", "soak", "--devices", &devices, "--threads", "4"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in stdout.lines() {
        common::report(line);
    }
    assert!(out.status.success(), "the soak failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains(", lost 0;"), "{stdout}");
}
