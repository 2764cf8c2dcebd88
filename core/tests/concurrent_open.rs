//! Many stores created and opened at once from many threads of one process (as phones' apps
//! and the tests do): every one opens.

use suhbat_core::*;

#[test]
fn stores_open_concurrently_in_one_process() {
    let dir = tempfile::tempdir().unwrap();
    let keys = std::sync::Arc::new(MemoryKeyProvider::new());
    let mut opened = 0;
    for round in 0..10 {
        let handles: Vec<_> = (0..16)
            .map(|i| {
                let path = dir.path().join(format!("r{round}-d{i}.db"));
                let keys = keys.clone();
                std::thread::spawn(move || {
                    let profile = DeviceProfile { person: format!("p{i}"), role: Role::Inspector, scopes: vec!["Navbahor".into()] };
                    Store::create(&path, keys.as_ref(), profile).map(|_| ()).map_err(|e| e.to_string())
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap().unwrap_or_else(|e| panic!("round {round}: {e}"));
            opened += 1;
        }
    }
    println!("{opened} stores created from 16 threads at a time");
}
