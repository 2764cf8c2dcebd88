//! Near-real-time sync against the real hub on 127.0.0.1 (random port, HTTPS): the long poll
//! `/v1/news` and two phones (real stores in temp dirs) each running the core's live-sync
//! loop in threads as a phone's shell does (`suhbat_hub::LiveRunner`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::LiveConfig;
use suhbat_core::*;
use suhbat_hub::{open_hub, start, HubClient, HubError, Limits, LiveRunner, RunningHub, ServeOptions};
use suhbat_tests::report;

/// A hub on a random port with `limits`, that can be stopped and started again on that port.
struct Base {
    dir: tempfile::TempDir,
    hub: Option<RunningHub>,
    url: String,
    ca_pem: Option<String>,
    keys: FileKeyProvider,
    limits: Limits,
}

impl Base {
    fn start(limits: Limits) -> Base {
        let dir = tempfile::tempdir().unwrap();
        let hub = start(ServeOptions { limits: limits.clone(), ..ServeOptions::new(dir.path().join("hub"), "127.0.0.1:0".parse().unwrap()) }).unwrap();
        let (url, ca_pem) = (hub.url.clone(), hub.ca_pem.clone());
        let keys = FileKeyProvider::new(dir.path().join("keys"));
        Base { dir, hub: Some(hub), url, ca_pem, keys, limits }
    }

    fn client(&self) -> HubClient {
        HubClient::new(&self.url, self.ca_pem.as_deref()).unwrap()
    }

    /// The hub goes away: every phone finds it unreachable.
    fn stop(&mut self) {
        if let Some(hub) = self.hub.take() {
            let addr = hub.addr;
            hub.stop().unwrap();
            assert!(std::net::TcpStream::connect(addr).is_err(), "the hub still answers");
        }
    }

    /// The hub comes back on the same address with the same data.
    fn restart(&mut self) {
        let listen = self.url.trim_start_matches("https://").parse().unwrap();
        let options = ServeOptions { limits: self.limits.clone(), ..ServeOptions::new(self.dir.path().join("hub"), listen) };
        self.hub = Some(start(options).unwrap());
    }

    /// A phone enrolled as an inspector of Navbahor, synced once.
    fn phone(&self, name: &str) -> Store {
        let mut store =
            Store::create(self.dir.path().join(format!("{name}.db")), &self.keys, DeviceProfile { person: name.into(), role: Role::Inspector, scopes: vec![] })
                .unwrap();
        let code = open_hub(&self.dir.path().join("hub"))
            .unwrap()
            .create_enrolment_code(name, Role::Inspector, &["Navbahor".into()], chrono::Duration::hours(1))
            .unwrap();
        self.client().enrol(&mut store, &code).unwrap();
        self.client().sync(&mut store, &mut |_, _| {}).unwrap();
        store
    }
}

/// Polls `check` every 50 ms until it holds or `bound` passes; whether it held.
fn within(bound: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + bound;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn notes(store: &Mutex<Store>, id: &RecordId) -> Option<String> {
    store.lock().unwrap().get::<Person>(id).ok().map(|p| p.record.notes)
}

fn refusal_code(result: Result<bool, HubError>) -> String {
    match result {
        Err(HubError::Store(Error::Refused { code, .. })) => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn the_long_poll_tells_of_changes_by_someone_else_and_otherwise_answers_nothing_in_time() {
    let base = Base::start(Limits { news_wait: Duration::from_secs(2), ..Limits::default() });
    let (client, mut aziz, mut bobur) = (base.client(), base.phone("aziz"), base.phone("bobur"));
    assert!(!client.wait_for_news(&bobur).unwrap(), "nothing new after a sync: the wait runs out");

    // Bobur's own change, synced, is no news for him.
    let mut data = SampleData::new(7);
    bobur.put(&data.person("Navbahor", 2026)).unwrap();
    client.sync(&mut bobur, &mut |_, _| {}).unwrap();
    assert!(!client.wait_for_news(&bobur).unwrap(), "his own synced change is no news to him");

    // Aziz's change is, whether Bobur was waiting already or asks after it arrived.
    let waiter_client = base.client();
    let waiter = std::thread::spawn(move || (waiter_client.wait_for_news(&bobur), bobur));
    aziz.put(&data.person("Navbahor", 2026)).unwrap();
    client.sync(&mut aziz, &mut |_, _| {}).unwrap();
    let (waiting, mut bobur) = waiter.join().unwrap();
    assert!(waiting.unwrap(), "a colleague's change in his mahalla is news");
    assert!(client.wait_for_news(&bobur).unwrap(), "still news until he syncs");
    client.sync(&mut bobur, &mut |_, _| {}).unwrap();
    assert!(!client.wait_for_news(&bobur).unwrap(), "no news once synced");
    report(&format!("long poll on {}: news only for changes by someone else", base.url));
}

#[test]
fn a_long_poll_replayed_or_from_a_revoked_device_is_refused() {
    let base = Base::start(Limits { news_wait: Duration::from_secs(2), ..Limits::default() });
    let (client, mut aziz, bobur) = (base.client(), base.phone("aziz"), base.phone("bobur"));
    aziz.put(&SampleData::new(8).person("Navbahor", 2026)).unwrap();
    client.sync(&mut aziz, &mut |_, _| {}).unwrap();

    let (query, request) = sync::NewsQuery::new(&bobur).unwrap();
    let answer = client.post(wire::paths::NEWS, &request, &mut |_, _| {}).unwrap();
    assert!(query.handle_answer(&bobur, &answer).unwrap());
    let replayed = client.post(wire::paths::NEWS, &request, &mut |_, _| {}).unwrap();
    assert_eq!(refusal_code(query.handle_answer(&bobur, &replayed).map_err(HubError::from)), "replay");
    let (other, _) = sync::NewsQuery::new(&bobur).unwrap();
    assert!(other.handle_answer(&bobur, &answer).is_err(), "an answer is checked against the request it answers");

    assert!(open_hub(&base.dir.path().join("hub")).unwrap().revoke(&bobur.device().device_id).unwrap());
    assert_eq!(refusal_code(client.wait_for_news(&bobur)), "revoked");
}

#[test]
fn an_edit_on_one_phone_shows_on_the_other_within_5_s_without_anyone_pressing_sync() {
    let base = Base::start(Limits::default());
    let aziz = Arc::new(Mutex::new(base.phone("aziz")));
    let bobur = Arc::new(Mutex::new(base.phone("bobur")));
    let live_aziz = LiveRunner::start(aziz.clone(), base.client(), LiveConfig::default(), |_| {});
    let live_bobur = LiveRunner::start(bobur.clone(), base.client(), LiveConfig::default(), |_| {});

    let person = SampleData::new(9).person("Navbahor", 2026);
    aziz.lock().unwrap().put(&person).unwrap();
    live_aziz.edited();
    let edited = Instant::now();
    assert!(within(Duration::from_secs(5), || notes(&bobur, &person.id).is_some()), "Aziz's new person did not reach Bobur within 5 s");
    report(&format!("a new person reached the other phone in {} ms", edited.elapsed().as_millis()));

    bobur.lock().unwrap().update::<Person>(&person.id, |p| p.notes = "Works at the bazaar now.".into()).unwrap();
    live_bobur.edited();
    let edited = Instant::now();
    let arrived = within(Duration::from_secs(5), || notes(&aziz, &person.id).as_deref() == Some("Works at the bazaar now."));
    assert!(arrived, "Bobur's change did not reach Aziz within 5 s");
    report(&format!("a change came back in {} ms", edited.elapsed().as_millis()));
    live_aziz.stop();
    live_bobur.stop();
}

#[test]
fn a_phone_without_network_loses_nothing_and_catches_up_when_the_hub_is_back() {
    let mut base = Base::start(Limits { news_wait: Duration::from_secs(5), ..Limits::default() });
    let aziz = Arc::new(Mutex::new(base.phone("aziz")));
    let bobur = Arc::new(Mutex::new(base.phone("bobur")));
    // Retries at most a second apart, so that the catch-up after the hub is back is quick.
    let config = LiveConfig { max_retry_ms: 1_000, first_retry_ms: 250, ..LiveConfig::default() };
    let live_aziz = LiveRunner::start(aziz.clone(), base.client(), config, |_| {});
    let live_bobur = LiveRunner::start(bobur.clone(), base.client(), config, |_| {});
    let mut data = SampleData::new(10);
    let known = data.person("Navbahor", 2026);
    aziz.lock().unwrap().put(&known).unwrap();
    live_aziz.edited();
    assert!(within(Duration::from_secs(20), || notes(&bobur, &known.id).is_some()));

    // The hub goes away; Aziz's phone loses its network. Both go on working.
    base.stop();
    live_aziz.network_changed(false);
    let (new_on_aziz, new_on_bobur) = (data.person("Navbahor", 2026), data.person("Navbahor", 2026));
    for n in 0..5 {
        aziz.lock().unwrap().update::<Person>(&known.id, |p| p.notes.push_str(&format!(" visit {n};"))).unwrap();
        live_aziz.edited();
    }
    aziz.lock().unwrap().put(&new_on_aziz).unwrap();
    live_aziz.edited();
    bobur.lock().unwrap().put(&new_on_bobur).unwrap();
    live_bobur.edited();
    let offline_notes = notes(&aziz, &known.id).unwrap();
    assert!(offline_notes.ends_with(" visit 0; visit 1; visit 2; visit 3; visit 4;"), "{offline_notes}");
    // Bobur's phone tries (and fails) against the unreachable hub meanwhile.
    std::thread::sleep(Duration::from_secs(2));
    assert!(live_aziz.has_unsynced_edits() && live_bobur.has_unsynced_edits(), "the edits wait on the phones");
    assert_eq!(notes(&aziz, &known.id).unwrap(), offline_notes, "nothing lost on the phone while offline");

    // The hub is back and so is Aziz's network: each phone gets the other's work, nothing lost.
    base.restart();
    live_aziz.network_changed(true);
    let caught_up = within(Duration::from_secs(20), || {
        notes(&bobur, &new_on_aziz.id).is_some() && notes(&aziz, &new_on_bobur.id).is_some() && notes(&bobur, &known.id).as_deref() == Some(&offline_notes)
    });
    assert!(caught_up, "the phones did not catch up after the hub came back");
    assert!(within(Duration::from_secs(20), || !live_aziz.has_unsynced_edits() && !live_bobur.has_unsynced_edits()));
    report("offline edits kept on the phone and synced both ways once the hub was back");
    live_aziz.stop();
    live_bobur.stop();
}
