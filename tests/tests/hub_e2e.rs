//! End to end against the real hub server on 127.0.0.1 (random port, HTTPS with its own
//! authority): enrolment, offline edits, syncs in turns, need-to-know, revocation, and the
//! hub's refusal of forged and out-of-scope changes.

use suhbat_core::sample::SampleData;
use suhbat_core::sync::SyncReport;
use suhbat_core::*;
use suhbat_hub::{open_hub, start, HubClient, HubError, ServeOptions};
use suhbat_tests::report;

/// Where the hub keeps its data.
#[derive(Clone, Copy, Debug)]
enum Backend {
    Sqlite,
    Postgres,
}

struct Base {
    dir: tempfile::TempDir,
    hub: suhbat_hub::RunningHub,
    client: HubClient,
    keys: FileKeyProvider,
    _cluster: Option<suhbat_core::sync::pg::cluster::TestCluster>,
}

impl Base {
    /// The real hub on `backend`; `None` (said loudly, a failure in CI) when PostgreSQL is unavailable.
    fn start(backend: Backend) -> Option<Base> {
        let dir = tempfile::tempdir().unwrap();
        let mut cluster = None;
        if let Backend::Postgres = backend {
            match suhbat_core::sync::pg::cluster::test_database() {
                Ok((url, own)) => {
                    cluster = own;
                    suhbat_hub::use_database(&dir.path().join("hub"), &url).unwrap();
                }
                Err(why) if std::env::var_os("CI").is_some() => panic!("PostgreSQL is required in CI but unavailable: {why}"),
                Err(why) => {
                    report(&format!("!!!!!!!! SKIPPED (PostgreSQL unavailable: {why}) !!!!!!!!"));
                    return None;
                }
            }
        }
        let options = ServeOptions::new(dir.path().join("hub"), "127.0.0.1:0".parse().unwrap());
        let hub = start(options).unwrap();
        assert!(hub.url.starts_with("https://127.0.0.1:"));
        let client = HubClient::new(&hub.url, hub.ca_pem.as_deref()).unwrap();
        let keys = FileKeyProvider::new(dir.path().join("keys"));
        Some(Base { dir, hub, client, keys, _cluster: cluster })
    }

    /// A new phone enrolled over HTTPS with a one-time code for `role` in `scope`.
    fn phone(&self, name: &str, role: Role, scope: &str) -> Store {
        let mut store =
            Store::create(self.dir.path().join(format!("{name}.db")), &self.keys, DeviceProfile { person: name.into(), role, scopes: vec![] }).unwrap();
        let code = open_hub(&self.dir.path().join("hub")).unwrap().create_enrolment_code(name, role, &[scope.into()], chrono::Duration::hours(1)).unwrap();
        self.client.enrol(&mut store, &code).unwrap();
        store
    }

    fn sync(&self, store: &mut Store) -> Result<SyncReport, HubError> {
        self.client.sync(store, &mut |_, _| {})
    }

    /// Rewrites a meta value of a phone's encrypted store, as a tampered app could, and reopens it.
    fn tamper(&self, store: Store, key: &str, value: &str) -> Store {
        let path = store.path().to_path_buf();
        drop(store);
        let raw = self.keys.get_or_create_key(&key_id_for(&path)).unwrap();
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(raw.as_ref()))).unwrap();
        conn.execute("UPDATE meta SET value = ?2 WHERE key = ?1", [key, value]).unwrap();
        drop(conn);
        Store::open(&path, &self.keys).unwrap()
    }
}

fn refusal(result: Result<SyncReport, HubError>) -> (String, bool) {
    match result {
        Err(HubError::Store(Error::Refused { code, wipe, .. })) => (code, wipe),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn three_phones_sync_through_the_real_hub(backend: Backend) {
    let Some(base) = Base::start(backend) else { return };
    let mut aziz = base.phone("aziz", Role::Inspector, "Navbahor");
    let mut bobur = base.phone("bobur", Role::Inspector, "Navbahor");
    let mut dilnoza = base.phone("dilnoza", Role::Seven, "Navbahor");
    let mut data = SampleData::new(42);
    let persons: Vec<Person> = (0..20).map(|_| data.person("Navbahor", 2026)).collect();
    let case = data.parent_case("Navbahor", 2026);
    aziz.put_many(&persons).unwrap();
    aziz.put(&case).unwrap();
    for store in [&mut aziz, &mut bobur, &mut dilnoza] {
        base.sync(store).unwrap();
    }

    // Offline edits on all three phones, then syncs in turns (a case moves one SARA stage at a time).
    aziz.update::<ParentCase>(&case.id, |c| c.move_to_stage(SaraStage::Analysis, "", "aziz", chrono::Utc::now()).unwrap()).unwrap();
    dilnoza
        .update::<ParentCase>(&case.id, |c| {
            c.tasks.insert(new_item_id(), SevenTask { role: SevenRole::SocialWorker, task: "Apply for benefits".into(), ..Default::default() });
        })
        .unwrap();
    bobur.update::<Person>(&persons[3].id, |p| p.notes.push_str(" Moved to his aunt.")).unwrap();
    bobur.put(&data.conversation(&persons[3], 2026)).unwrap();
    for _ in 0..2 {
        for store in [&mut dilnoza, &mut bobur, &mut aziz] {
            let r = base.sync(store).unwrap();
            assert!(r.rounds <= sync::MAX_ROUNDS);
        }
    }
    assert_eq!(aziz.fingerprint().unwrap(), bobur.fingerprint().unwrap(), "inspectors hold identical replicas");
    let views: Vec<serde_json::Value> = [&mut aziz, &mut bobur, &mut dilnoza].into_iter().map(|s| s.get_raw(&case.id).unwrap().value).collect();
    assert!(views.windows(2).all(|w| w[0] == w[1]), "the case is identical on all phones");
    let merged = dilnoza.get::<ParentCase>(&case.id).unwrap().record;
    assert_eq!((merged.stage, merged.tasks.len()), (SaraStage::Analysis, 1));
    report(&format!("3 phones over {} converged; case identical everywhere", base.hub.url));

    // Need-to-know: the seven member never received a register document.
    let seven_docs = dilnoza.summary().unwrap();
    assert!(seven_docs.docs.keys().all(|d| d.starts_with("case-team/")), "{:?}", seven_docs.docs.keys());
    assert_eq!(dilnoza.list(&ListQuery::default()).unwrap().len(), 1);
    assert!(matches!(dilnoza.get::<Person>(&persons[0].id), Err(Error::NotFound(_))));
    report(&format!("seven member holds only {:?}", seven_docs.docs.keys().collect::<Vec<_>>()));

    // A quiet sync costs one small round trip.
    let quiet = base.sync(&mut bobur).unwrap();
    assert_eq!((quiet.rounds, quiet.docs_received), (1, 0));
    report(&format!("no-op sync: {} B up, {} B down", quiet.bytes_sent, quiet.bytes_received));

    // Revocation: refused and told to wipe.
    assert!(open_hub(&base.dir.path().join("hub")).unwrap().revoke(&bobur.device().device_id).unwrap());
    let (code, wipe) = refusal(base.sync(&mut bobur));
    assert_eq!((code.as_str(), wipe), ("revoked", true));
    bobur.wipe(&base.keys).unwrap();
    assert!(!base.dir.path().join("bobur.db").exists());
    report("revoked phone refused with a wipe order; wiped");
}

fn the_hub_rejects_forged_and_out_of_scope_changes(backend: Backend) {
    let Some(base) = Base::start(backend) else { return };
    let mut aziz = base.phone("aziz", Role::Inspector, "Navbahor");
    let person = SampleData::new(1).person("Navbahor", 2026);
    aziz.put(&person).unwrap();
    base.sync(&mut aziz).unwrap();

    // A tampered phone writes with Aziz's actor id but cannot sign as Aziz.
    let mut mallory = base.phone("mallory", Role::Inspector, "Navbahor");
    base.sync(&mut mallory).unwrap();
    let mut mallory = base.tamper(mallory, "actor", &aziz.device().actor.clone());
    mallory.update::<Person>(&person.id, |p| p.notes = "forged by mallory".into()).unwrap();
    // Its requests name the actor it writes with: Aziz's, so the hub refuses them whole.
    let refusal = base.sync(&mut mallory).unwrap_err().to_string();
    assert!(refusal.contains("actor id belongs to another device"), "{refusal}");
    report(&format!("forged actor refused: {refusal}"));
    base.sync(&mut aziz).unwrap();
    assert_ne!(aziz.get::<Person>(&person.id).unwrap().record.notes, "forged by mallory");

    // A tampered phone widens its own scope and writes another mahalla.
    let eve = base.phone("eve", Role::Inspector, "Navbahor");
    let mut eve = base.tamper(eve, "scopes", "navbahor,qatortol");
    eve.put(&SampleData::new(2).person("Qatortol", 2026)).unwrap();
    let r = base.sync(&mut eve).unwrap();
    assert!(r.rejected[0].reason.contains("may not write register/qatortol/2026"), "{}", r.rejected[0].reason);
    // The document leaves the phone, but the refused work is not dropped silently: it is kept
    // aside for the user, with the hub's reason.
    assert_eq!((r.revoked.as_slice(), r.kept.as_slice()), (&["register/qatortol/2026".to_string()][..], &[][..]));
    assert_eq!(r.kept_aside.len(), 1, "{:?}", r.kept_aside);
    let aside = eve.kept_aside().unwrap();
    assert_eq!(aside.len(), 1);
    assert!(aside[0].reason.contains("may not write register/qatortol/2026"), "{}", aside[0].reason);
    report(&format!("out-of-scope write rejected: {}", r.rejected[0].reason));

    // A seven member's app pretending to be an inspector.
    let seven = base.phone("seven", Role::Seven, "Navbahor");
    let mut seven = base.tamper(seven, "role", "inspector");
    seven.put(&SampleData::new(3).person("Navbahor", 2026)).unwrap();
    let r = base.sync(&mut seven).unwrap();
    assert!(r.rejected[0].reason.contains("role seven"), "{}", r.rejected[0].reason);
    report(&format!("register write by a seven member rejected: {}", r.rejected[0].reason));

    // A stranger with a made-up code is refused.
    let keys = MemoryKeyProvider::new();
    let mut stranger =
        Store::create(base.dir.path().join("stranger.db"), &keys, DeviceProfile { person: "x".into(), role: Role::Inspector, scopes: vec![] }).unwrap();
    assert!(matches!(base.client.enrol(&mut stranger, "AAAA-BBBB-CC"), Err(HubError::Store(Error::Refused { .. }))));
    report("wrong enrolment code refused");
}

/// Each end-to-end test on both of the hub's storages: `NAME::sqlite` and `NAME::postgres`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name(super::Backend::Sqlite)
                }
                #[test]
                fn postgres() {
                    super::$name(super::Backend::Postgres)
                }
            }
        )*
    };
}

on_both_backends!(three_phones_sync_through_the_real_hub, the_hub_rejects_forged_and_out_of_scope_changes);
