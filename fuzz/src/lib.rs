//! The world the fuzz targets run in: a hub and a device enrolled with it, in a temp folder
//! that lives as long as the fuzzing process, created once.

use std::sync::{Mutex, OnceLock};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::Hub;
use suhbat_core::{DeviceProfile, MemoryKeyProvider, Role, Store};

/// A hub, an enrolled device with a few records, and a second unenrolled store.
pub struct World {
    /// The hub.
    pub hub: Hub,
    /// A device enrolled with the hub (Navbahor inspector) holding a few records.
    pub device: Store,
    /// A device that is not enrolled anywhere (bundle imports).
    pub loner: Store,
}

/// The shared world, created on first use.
pub fn world() -> &'static Mutex<World> {
    static WORLD: OnceLock<Mutex<World>> = OnceLock::new();
    WORLD.get_or_init(|| {
        let dir = Box::leak(Box::new(tempfile::tempdir().expect("temp dir")));
        let keys: &'static MemoryKeyProvider = Box::leak(Box::new(MemoryKeyProvider::new()));
        let hub = Hub::open(dir.path().join("hub.db"), keys).expect("hub");
        let profile = DeviceProfile { person: "fuzz".into(), role: Role::Inspector, scopes: vec![] };
        let mut device = Store::create(dir.path().join("device.db"), keys, profile.clone()).expect("device");
        let code = hub.create_enrolment_code("Fuzz", Role::Inspector, &["Navbahor".into()], chrono::Duration::days(3650)).expect("code");
        device.complete_enrolment(&hub.handle_enrol(&device.enrol_request(&code))).expect("enrolment");
        let mut data = SampleData::new(1);
        for _ in 0..3 {
            device.put(&data.person("Navbahor", 2026)).expect("put");
        }
        let loner = Store::create(dir.path().join("loner.db"), keys, profile).expect("loner");
        Mutex::new(World { hub, device, loner })
    })
}

/// Runs `f` on the world (recovering it if an earlier input panicked while holding the lock,
/// which the fuzzer reports anyway).
pub fn with_world<T>(f: impl FnOnce(&mut World) -> T) -> T {
    let mut guard = world().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    f(&mut guard)
}
