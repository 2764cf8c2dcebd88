//! A panic inside the hub fails that one request (500) and nothing else: the hub goes on
//! answering health and real syncs, instead of 503 for ever after a poisoned lock.

use crate::common;

use common::Base;
use suhbat_core::sync::Hub;
use suhbat_core::wire::paths;
use suhbat_hub::{Endpoints, Limits};

/// The real sync handler, except that the body `panic` panics while the hub lock is held (as
/// `sent_at = i64::MIN` once did inside `Hub::handle_sync`).
fn sync_that_can_panic(hub: &Hub, body: &[u8]) -> Vec<u8> {
    if body == b"panic" {
        panic!("deliberate panic inside the hub lock");
    }
    Hub::handle_sync(hub, body)
}

#[test]
fn a_panic_fails_one_request_and_the_hub_goes_on() {
    let base = Base::start(Limits::default(), false, Endpoints { sync: sync_that_can_panic, ..Endpoints::default() });
    let client = base.client();
    let mut phone = base.phone("aziz");
    client.sync(&mut phone, &mut |_, _| {}).unwrap();
    for _ in 0..3 {
        let failed = client.post(paths::SYNC, b"panic", &mut |_, _| {}).unwrap_err().to_string();
        assert!(failed.contains("500"), "the panicking request gets 500: {failed}");
    }
    assert_eq!(client.get(paths::HEALTH).unwrap(), r#"{"status":"ok"}"#);
    client.sync(&mut phone, &mut |_, _| {}).expect("a real sync after the panics");
    let mut late = base.phone("bobur");
    client.sync(&mut late, &mut |_, _| {}).expect("and an enrolment and a sync of a new phone");
}
