//! Rules only the UI used to know, now kept by the store and the hub: a parent case moves one
//! SARA stage forward at a time and back only with a reason, and a closed case does not change.

use crate::common;

use chrono::Utc;
use common::harness::{Attempt, Network};
use common::{device, Unchecked};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::SyncReport;
use suhbat_core::*;

fn refused_field(result: Result<bool>) -> (String, &'static str) {
    match result {
        Err(Error::Invalid(errors)) => (errors.0[0].field.clone(), errors.0[0].key),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn finish(net: &mut Network, i: usize) -> SyncReport {
    match net.sync(i).unwrap() {
        Attempt::Finished(report) => report,
        Attempt::Interrupted(why) => panic!("interrupted: {why}"),
    }
}

#[test]
fn the_store_refuses_a_skipped_stage_a_move_back_without_reason_and_edits_of_a_closed_case() {
    let keys = MemoryKeyProvider::new();
    let dir = tempfile::tempdir().unwrap();
    let mut store = device(dir.path(), "aziz", &keys);
    let case = SampleData::new(11).parent_case("Navbahor", 2025);
    store.put(&case).unwrap();

    let mut skipped = case.clone();
    skipped.stage = SaraStage::Response;
    assert_eq!(refused_field(store.put(&skipped)), ("stage".into(), "validation.stage_skip"));
    assert_eq!(refused_field(store.put_many(&[skipped]).map(|n| n > 0)), ("stage".into(), "validation.stage_skip"));

    let id = case.id.to_string();
    views::set_case_stage(&mut store, &id, suhbat_core::SaraStage::Analysis, "").unwrap();
    let back = views::set_case_stage(&mut store, &id, suhbat_core::SaraStage::Scanning, "").unwrap_err();
    assert!(matches!(&back, Error::Invalid(v) if v.for_field("stage").is_some_and(|e| e.key == "validation.stage_back_needs_reason")), "{back}");
    views::set_case_stage(&mut store, &id, suhbat_core::SaraStage::Scanning, "The school's report was about another child").unwrap();
    let stored = store.get::<ParentCase>(&case.id).unwrap().record;
    assert_eq!(stored.stage, SaraStage::Scanning);
    let mut moves: Vec<_> = stored.stage_changes.values().map(|c| (c.from, c.to, c.by.as_str(), c.reason.as_str())).collect();
    moves.sort();
    assert_eq!(
        moves,
        [
            (SaraStage::Scanning, SaraStage::Analysis, "aziz", ""),
            (SaraStage::Analysis, SaraStage::Scanning, "aziz", "The school's report was about another child")
        ]
    );
    let mut history_rewritten = stored.clone();
    history_rewritten.stage_changes.values_mut().for_each(|c| c.reason.clear());
    assert!(refused_field(store.put(&history_rewritten)).0.starts_with("stage_changes/"));

    store
        .update::<ParentCase>(&case.id, |c| {
            c.status = CaseStatus::Closed;
            c.outcome = "The children are back at school.".into();
        })
        .unwrap();
    let mut closed = store.get::<ParentCase>(&case.id).unwrap().record;
    closed.notes = "A late note".into();
    assert_eq!(refused_field(store.put(&closed)), ("status".into(), "validation.case_closed"));
    let err = views::set_case_stage(&mut store, &id, suhbat_core::SaraStage::Analysis, "").unwrap_err();
    assert!(matches!(&err, Error::Invalid(v) if v.messages(Locale::En) == ["The case is closed: nothing in it can be changed"]), "{err}");
}

#[test]
fn the_hub_refuses_stage_moves_and_closed_case_edits_that_bypass_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Seven], 21);
    let case = SampleData::new(21).parent_case("Navbahor", 2026);
    net.devices[0].put(&case).unwrap();
    net.settle();

    // A stage set straight to Response, with no recorded move.
    let mut skipped = case.clone();
    skipped.stage = SaraStage::Response;
    net.devices[0].put(&Unchecked(skipped.clone())).unwrap();
    let report = finish(&mut net, 0);
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    assert!(report.rejected[0].reason.contains("stage moved from scanning to response with no recorded move"), "{}", report.rejected[0].reason);
    assert_eq!(net.devices[0].get::<ParentCase>(&case.id).unwrap().record.stage, SaraStage::Scanning, "the device took back the hub's copy");

    // The same skip with a forged record of the move.
    skipped
        .stage_changes
        .insert(new_item_id(), StageChange { from: SaraStage::Scanning, to: SaraStage::Response, reason: String::new(), by: "device0".into(), at: Utc::now() });
    net.devices[0].put(&Unchecked(skipped)).unwrap();
    let report = finish(&mut net, 0);
    assert!(report.rejected.iter().any(|r| r.reason.contains("validation.stage_skip")), "{:?}", report.rejected);

    // A move back whose recorded reason is blank.
    let mut analysis = net.devices[0].get::<ParentCase>(&case.id).unwrap().record;
    analysis.move_to_stage(SaraStage::Analysis, "", "device0", Utc::now()).unwrap();
    net.devices[0].put(&analysis).unwrap();
    assert!(finish(&mut net, 0).rejected.is_empty());
    let mut back = analysis.clone();
    back.stage = SaraStage::Scanning;
    back.stage_changes.insert(new_item_id(), StageChange { from: SaraStage::Analysis, to: SaraStage::Scanning, by: "device0".into(), ..Default::default() });
    net.devices[0].put(&Unchecked(back)).unwrap();
    let report = finish(&mut net, 0);
    assert!(report.rejected.iter().any(|r| r.reason.contains("validation.stage_back_needs_reason")), "{:?}", report.rejected);

    // Recorded moves are never rewritten.
    let mut rewritten = analysis.clone();
    rewritten.stage_changes.values_mut().for_each(|c| c.by = "someone else".into());
    net.devices[0].put(&Unchecked(rewritten)).unwrap();
    let report = finish(&mut net, 0);
    assert!(report.rejected.iter().any(|r| r.reason.contains("stage_changes/") && r.reason.contains("may not be changed")), "{:?}", report.rejected);

    // Once closed, nothing changes: the seven member's forged edit is refused.
    net.devices[0]
        .update::<ParentCase>(&case.id, |c| {
            c.status = CaseStatus::Closed;
            c.outcome = "Resolved.".into();
        })
        .unwrap();
    net.settle();
    let mut edited = net.devices[1].get::<ParentCase>(&case.id).unwrap().record;
    assert_eq!(edited.status, CaseStatus::Closed);
    edited.notes = "Written after closing".into();
    net.devices[1].put(&Unchecked(edited)).unwrap();
    let report = finish(&mut net, 1);
    assert!(report.rejected.iter().any(|r| r.reason.contains("the case is closed")), "{:?}", report.rejected);
    assert_eq!(net.hub.store().unwrap().get::<ParentCase>(&case.id).unwrap().record.notes, "");
}

#[test]
fn moves_made_on_two_phones_at_once_all_reach_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Inspector, Role::Seven], 23);
    let case = SampleData::new(23).parent_case("Navbahor", 2026);
    net.devices[0].put(&case).unwrap();
    net.settle();
    // Offline: one phone moves the case to Analysis; another walks it on to Response; a third
    // (which saw neither) moves it to Analysis too and back with a reason.
    let moves: [&[(SaraStage, &str)]; 3] = [
        &[(SaraStage::Analysis, "")],
        &[(SaraStage::Analysis, ""), (SaraStage::Response, "")],
        &[(SaraStage::Analysis, ""), (SaraStage::Scanning, "Wrong family")],
    ];
    for (i, steps) in moves.iter().enumerate() {
        let mut copy = net.devices[i].get::<ParentCase>(&case.id).unwrap().record;
        for (stage, reason) in *steps {
            copy.move_to_stage(*stage, reason, &format!("device{i}"), Utc::now()).unwrap();
            net.devices[i].put(&copy).unwrap();
        }
    }
    for i in [0, 1, 2, 0, 1, 2] {
        let report = finish(&mut net, i);
        assert!(report.rejected.is_empty(), "device {i}: {:?}", report.rejected);
    }
    let merged = net.devices[0].get::<ParentCase>(&case.id).unwrap();
    assert_eq!(merged.record.stage_changes.len(), 5, "every recorded move is kept");
    assert_eq!(net.devices[2].get::<ParentCase>(&case.id).unwrap().record, merged.record);
}
