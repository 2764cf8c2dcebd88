//! Replicas merging through bundles: every order converges, concurrent note edits both
//! survive, concurrent scalar edits become a conflict with both values and authors, and a
//! resolution clears the conflict everywhere.

use crate::common;

use common::{device, send, state};
use suhbat_core::sample::SampleData;
use suhbat_core::*;

/// All permutations of 0..n.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for perm in permutations(n - 1) {
        for i in 0..=perm.len() {
            let mut p = perm.clone();
            p.insert(i, n - 1);
            out.push(p);
        }
    }
    out
}

struct Scenario {
    _dir: tempfile::TempDir,
    stores: Vec<Store>,
    case_id: RecordId,
    bundles: Vec<Vec<u8>>,
}

/// Three devices share a case, then each edits it offline. Returns each device's changes as a
/// bundle against the shared starting point.
fn three_devices_edit_one_case(keys: &MemoryKeyProvider) -> Scenario {
    let dir = tempfile::tempdir().unwrap();
    let mut a = device(dir.path(), "aziz", keys);
    let mut b = device(dir.path(), "dilnoza", keys);
    let mut c = device(dir.path(), "malika", keys);
    let case = SampleData::new(7).parent_case("Navbahor", 2025);
    let case_id = case.id.clone();
    a.put(&case).unwrap();
    send(&mut a, &mut b);
    send(&mut a, &mut c);
    let base = a.summary().unwrap();

    a.update::<ParentCase>(&case_id, |k| {
        k.move_to_stage(SaraStage::Analysis, "", "aziz", chrono::Utc::now()).unwrap();
        k.notes = "Father agreed to meet. ".to_string();
        k.outcome = "set by aziz".into();
    })
    .unwrap();
    b.update::<ParentCase>(&case_id, |k| {
        k.tasks.insert(
            new_item_id(),
            SevenTask { role: SevenRole::WomensActivist, task: "Visit the mother".into(), due: None, done: false, ..Default::default() },
        );
        k.notes = "Mother works nights.".to_string();
        k.outcome = "set by dilnoza".into();
    })
    .unwrap();
    c.update::<ParentCase>(&case_id, |k| {
        k.tasks.insert(
            new_item_id(),
            SevenTask { role: SevenRole::YouthLeader, task: "Enrol the son in football".into(), due: None, done: false, ..Default::default() },
        );
        k.sara.analysis = "Income fell after the father lost his job.".into();
    })
    .unwrap();
    let bundles = vec![a.export_bundle(Some(&base)).unwrap(), b.export_bundle(Some(&base)).unwrap(), c.export_bundle(Some(&base)).unwrap()];
    Scenario { _dir: dir, stores: vec![a, b, c], case_id, bundles }
}

#[test]
fn three_replicas_converge_in_every_order() {
    let keys = MemoryKeyProvider::new();
    let mut reference = None;
    for order in permutations(3) {
        let mut s = three_devices_edit_one_case(&keys);
        // Every store applies every bundle, in this order (its own is a no-op).
        for store in s.stores.iter_mut() {
            for &i in &order {
                store.import_bundle(&s.bundles[i]).unwrap();
            }
        }
        let states: Vec<_> = s.stores.iter_mut().map(state).collect();
        assert_eq!(states[0], states[1], "order {order:?}");
        assert_eq!(states[1], states[2], "order {order:?}");
        let case = s.stores[0].get::<ParentCase>(&s.case_id).unwrap();
        // Values must agree across scenarios too. (Where two concurrent insertions at the same
        // place in the notes land depends on the random actor ids, so only their presence is
        // compared.)
        assert!(case.record.notes.contains("Father agreed to meet.") && case.record.notes.contains("Mother works nights."));
        let value = (case.record.stage, case.record.tasks.len(), case.record.sara.analysis.clone(), case.conflicts.len());
        if let Some(previous) = &reference {
            assert_eq!(previous, &value);
        }
        reference = Some(value);
    }
}

#[test]
fn concurrent_edits_merge_and_true_conflicts_are_listed() {
    let keys = MemoryKeyProvider::new();
    let mut s = three_devices_edit_one_case(&keys);
    for store in s.stores.iter_mut() {
        for bundle in &s.bundles {
            store.import_bundle(bundle).unwrap();
        }
    }
    let a = &mut s.stores[0];
    let case = a.get::<ParentCase>(&s.case_id).unwrap();
    assert_eq!(case.record.stage, SaraStage::Analysis, "stage change kept");
    assert_eq!(case.record.tasks.len(), 2, "both tasks kept");
    assert!(case.record.notes.contains("Father agreed to meet."), "{}", case.record.notes);
    assert!(case.record.notes.contains("Mother works nights."), "{}", case.record.notes);
    assert_eq!(case.record.sara.analysis, "Income fell after the father lost his job.");

    assert_eq!(case.conflicts.len(), 1, "{:?}", case.conflicts);
    let conflict = &case.conflicts[0];
    assert_eq!(conflict.path, "outcome");
    let mut people: Vec<_> = conflict.values.iter().map(|v| (v.display.clone(), v.author.clone().unwrap().person)).collect();
    people.sort();
    assert_eq!(people, [("set by aziz".to_string(), "aziz".to_string()), ("set by dilnoza".to_string(), "dilnoza".to_string())]);
    assert!(conflict.values.iter().all(|v| v.at.is_some()));
    assert_eq!(case.record.outcome, conflict.values[0].display, "the record shows the first listed value");
    assert_eq!(a.conflicts().unwrap().len(), 1);
    assert_eq!(a.list(&ListQuery::default()).unwrap()[0].conflicts, 1);
}

#[test]
fn resolving_clears_the_conflict_on_every_replica() {
    let keys = MemoryKeyProvider::new();
    let mut s = three_devices_edit_one_case(&keys);
    for store in s.stores.iter_mut() {
        for bundle in &s.bundles {
            store.import_bundle(bundle).unwrap();
        }
    }
    let chosen = serde_json::json!("set by dilnoza");
    let mut c = s.stores.pop().unwrap();
    c.resolve_conflict(&s.case_id, "outcome", &chosen).unwrap();
    assert!(c.conflicts().unwrap().is_empty());
    assert!(matches!(c.resolve_conflict(&s.case_id, "outcome", &chosen), Err(Error::NoSuchConflict { .. })));
    for other in s.stores.iter_mut() {
        send(&mut c, other);
    }
    s.stores.push(c);
    for store in s.stores.iter_mut() {
        let case = store.get::<ParentCase>(&s.case_id).unwrap();
        assert!(case.conflicts.is_empty());
        assert_eq!(case.record.outcome, "set by dilnoza");
        assert!(store.conflicts().unwrap().is_empty());
    }
}

#[test]
fn editing_other_fields_keeps_a_conflict_open() {
    let keys = MemoryKeyProvider::new();
    let mut s = three_devices_edit_one_case(&keys);
    for bundle in &s.bundles {
        s.stores[0].import_bundle(bundle).unwrap();
    }
    let a = &mut s.stores[0];
    let after = a.update::<ParentCase>(&s.case_id, |k| k.move_to_stage(SaraStage::Response, "", "aziz", chrono::Utc::now()).unwrap()).unwrap();
    assert_eq!(after.conflicts.len(), 1, "an unrelated edit must not silently pick a winner");
    let after = a.update::<ParentCase>(&s.case_id, |k| k.outcome = "a third value".into()).unwrap();
    assert!(after.conflicts.is_empty(), "typing a new value resolves it");
}

#[test]
fn records_created_offline_on_two_devices_both_arrive() {
    let keys = MemoryKeyProvider::new();
    let dir = tempfile::tempdir().unwrap();
    let mut a = device(dir.path(), "a", &keys);
    let mut b = device(dir.path(), "b", &keys);
    let mut data = SampleData::new(9);
    for _ in 0..20 {
        a.put(&data.person("Navbahor", 2025)).unwrap();
        b.put(&data.person("Navbahor", 2025)).unwrap();
    }
    send(&mut a, &mut b);
    send(&mut b, &mut a);
    assert_eq!(state(&mut a), state(&mut b));
    assert_eq!(a.list(&ListQuery { limit: Some(1000), ..Default::default() }).unwrap().len(), 40);
    // Nothing left to send either way.
    let report = send(&mut a, &mut b);
    assert_eq!(report.docs_received, 0);
}

#[test]
fn removed_items_and_set_values_merge_as_removals() {
    let keys = MemoryKeyProvider::new();
    let dir = tempfile::tempdir().unwrap();
    let mut a = device(dir.path(), "a", &keys);
    let mut b = device(dir.path(), "b", &keys);
    let person = SampleData::new(10).person("Navbahor", 2025);
    let id = person.id.clone();
    a.put(&person).unwrap();
    send(&mut a, &mut b);
    a.update::<Person>(&id, |p| {
        p.family.clear();
        p.risk_factors.insert(RiskFactor::SubstanceUse);
    })
    .unwrap();
    b.update::<Person>(&id, |p| {
        p.risk_factors.insert(RiskFactor::PeerPressure);
    })
    .unwrap();
    send(&mut a, &mut b);
    send(&mut b, &mut a);
    let merged = a.get::<Person>(&id).unwrap().record;
    assert!(merged.family.is_empty());
    assert!(merged.risk_factors.contains(&RiskFactor::SubstanceUse) && merged.risk_factors.contains(&RiskFactor::PeerPressure));
    assert_eq!(state(&mut a), state(&mut b));
}

#[test]
fn bundles_carry_only_what_the_receiver_may_hold() {
    let keys = MemoryKeyProvider::new();
    let dir = tempfile::tempdir().unwrap();
    let mut inspector = device(dir.path(), "aziz", &keys);
    let profile = DeviceProfile { person: "dilnoza".into(), role: Role::Seven, scopes: vec!["Navbahor".into()] };
    let mut seven = Store::create(dir.path().join("dilnoza.db"), &keys, profile).unwrap();
    let mut data = SampleData::new(12);
    inspector.put(&data.person("Navbahor", 2025)).unwrap();
    let case = data.parent_case("Navbahor", 2025);
    inspector.put(&case).unwrap();
    let report = send(&mut inspector, &mut seven);
    assert_eq!((report.docs_received, report.docs_skipped), (2, 1));
    let held = seven.summary().unwrap();
    assert_eq!(held.docs.keys().collect::<Vec<_>>(), ["case-team/navbahor/2025"]);
    assert!(seven.get::<ParentCase>(&case.id).is_ok());
}
