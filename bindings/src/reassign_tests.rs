//! What the shells see of a reassignment: after a sync the device summary shows the role and
//! scopes the hub gave the device since.

use crate::error::PlatformError;
use crate::platform::KeyProvider;
use crate::Suhbat;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use suhbat_core::sync::Hub;
use suhbat_core::{DeviceProfile, MemoryKeyProvider, Role};

/// Keys in memory, as a platform's key store would keep them.
#[derive(Default)]
pub(crate) struct Keys(Mutex<HashMap<String, Vec<u8>>>);

impl KeyProvider for Keys {
    fn get_or_create_key(&self, key_id: String) -> Result<Vec<u8>, PlatformError> {
        Ok(self.0.lock().unwrap().entry(key_id).or_insert_with(|| vec![7; 32]).clone())
    }
    fn destroy_key(&self, key_id: String) -> Result<bool, PlatformError> {
        Ok(self.0.lock().unwrap().remove(&key_id).is_some())
    }
}

fn sync(app: &Arc<Suhbat>, hub: &Hub) {
    let session = app.clone().start_sync().unwrap();
    while let Some(request) = session.next_request().unwrap() {
        session.handle_response(hub.handle_sync(&request)).unwrap();
    }
}

#[test]
fn the_device_summary_follows_a_reassignment_after_sync() {
    let dir = std::env::temp_dir().join(format!("suhbat-reassign-{}-{}", std::process::id(), chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()));
    std::fs::create_dir_all(&dir).unwrap();
    let hub = Hub::open(dir.join("hub.db"), &MemoryKeyProvider::new()).unwrap();
    let profile = DeviceProfile { person: "aziz".into(), role: Role::Inspector, scopes: vec!["Navbahor".into()] };
    let app = Suhbat::create(dir.join("d.db").display().to_string(), Arc::new(Keys::default()), profile, None).unwrap();
    let code = hub.create_enrolment_code("aziz", Role::Inspector, &["Navbahor".into()], chrono::Duration::hours(1)).unwrap();
    app.complete_enrolment(hub.handle_enrol(&app.enrol_request(code).unwrap())).unwrap();
    sync(&app, &hub);

    let id = app.device().unwrap().device_id;
    assert!(hub.set_scopes(&id, &["Qatortol".into()]).unwrap());
    assert!(hub.set_role(&id, Role::Supervisor).unwrap());
    assert_eq!(app.device().unwrap().scopes, ["navbahor"], "not before the next sync");
    sync(&app, &hub);
    let device = app.device().unwrap();
    assert_eq!((device.role, device.scopes), (Role::Supervisor, vec!["qatortol".to_string()]));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn put_record_refuses_a_conversation_about_a_person_stored_nowhere_as_the_form_does() {
    let dir = std::env::temp_dir().join(format!("suhbat-refs-{}-{}", std::process::id(), chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = DeviceProfile { person: "aziz".into(), role: Role::Inspector, scopes: vec!["Navbahor".into()] };
    let app = Suhbat::create(dir.join("d.db").display().to_string(), Arc::new(Keys::default()), profile, None).unwrap();
    let mut data = suhbat_core::sample::SampleData::new(5);
    let stranger = data.person("Navbahor", 2026);
    let talk = data.conversation(&stranger, 2026);
    let json = serde_json::to_string(&talk).unwrap();
    match app.put_record(suhbat_core::RecordKind::Conversation, json.clone(), String::new()) {
        Err(crate::SuhbatError::Invalid(text)) => assert!(text.contains(stranger.id.as_str()), "{text}"),
        other => panic!("expected the conversation to be refused, got {other:?}"),
    }
    // With the person stored, the same record is taken.
    app.put_record(suhbat_core::RecordKind::Person, serde_json::to_string(&stranger).unwrap(), String::new()).unwrap();
    assert!(app.put_record(suhbat_core::RecordKind::Conversation, json, String::new()).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}
