//! `suhbat hub rotate-cert`: a phone enrolled before the rotation (pinning the old authority)
//! still syncs, because the hub serves the new authority certified by the old one, and then
//! pins the new authority in its store. A phone pinned to an unrelated authority is refused.

use crate::common;

use common::Base;
use suhbat_hub::{ca_fingerprint, Endpoints, HubClient, Limits, ServeOptions, TlsIdentity, HUB_CA_SETTING};

#[test]
fn a_phone_pinned_before_a_rotation_follows_it_and_a_stranger_is_refused() {
    let base = Base::start(Limits::default(), false, Endpoints::default());
    let mut phone = base.phone("aziz");
    let old_pin = phone.setting(HUB_CA_SETTING).unwrap().unwrap();
    base.client().sync(&mut phone, &mut |_, _| {}).unwrap();
    let Base { dir, hub, .. } = base;
    hub.stop().unwrap();

    let rotated = TlsIdentity::rotate(&dir.path().join("hub/tls"), &[]).unwrap();
    assert_ne!(rotated.ca_pem, old_pin);
    let hub = suhbat_hub::start(ServeOptions::new(dir.path().join("hub"), "127.0.0.1:0".parse().unwrap())).unwrap();
    assert_eq!(hub.ca_pem.as_deref(), Some(rotated.ca_pem.as_str()));

    // The phone still trusts only the old authority.
    let client = HubClient::new(&hub.url, Some(&old_pin)).unwrap();
    client.sync(&mut phone, &mut |_, _| {}).expect("a phone pinned to the old authority syncs after the rotation");
    let new_pin = phone.setting(HUB_CA_SETTING).unwrap().unwrap();
    assert_eq!(ca_fingerprint(&new_pin).unwrap(), rotated.fingerprint().unwrap(), "and now pins the new authority");
    HubClient::new(&hub.url, Some(&new_pin)).unwrap().sync(&mut phone, &mut |_, _| {}).expect("the new pin works on its own");

    let stranger = TlsIdentity::load_or_create(&dir.path().join("elsewhere/tls"), &[]).unwrap();
    let refused = HubClient::new(&hub.url, Some(&stranger.ca_pem)).unwrap().sync(&mut phone, &mut |_, _| {});
    assert!(refused.is_err(), "a phone pinned to an unrelated authority is refused");
    assert_eq!(phone.setting(HUB_CA_SETTING).unwrap().unwrap(), new_pin, "and its pin is untouched");
    hub.stop().unwrap();
}
