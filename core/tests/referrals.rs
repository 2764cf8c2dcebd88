//! Cooperation requests: every transition of the state machine (legal and illegal), who may
//! take each step, and delivery by sync to the addressee's devices only.

use crate::common;

use chrono::{Duration, Utc};
use common::harness::{Attempt, Network};
use common::Unchecked;
use suhbat_core::*;

fn actor(person: &str, role: Role) -> DeviceProfile {
    DeviceProfile { person: person.into(), role, scopes: vec!["Navbahor".into()] }
}

fn sent_to(to: Role) -> Referral {
    Referral::send(
        &actor("Aziz", Role::Inspector),
        to,
        "Navbahor",
        "Jasur Qodirov, 17, Navbahor 12",
        "Seen with a group selling vapes",
        Priority::Urgent,
        Utc::now(),
    )
    .expect("a valid referral")
}

/// Who takes a step to `to` on a referral to `addressee`.
fn taker(addressee: Role, to: ReferralState) -> DeviceProfile {
    match to {
        ReferralState::Sent | ReferralState::Closed => actor("Aziz", Role::Inspector),
        _ => actor("Officer", addressee),
    }
}

/// A referral to the migration service brought to `state` along legal steps.
fn at_state(state: ReferralState) -> Referral {
    let path: &[ReferralState] = match state {
        ReferralState::Sent => &[],
        ReferralState::Received => &[ReferralState::Received],
        ReferralState::Accepted => &[ReferralState::Received, ReferralState::Accepted],
        ReferralState::Declined => &[ReferralState::Received, ReferralState::Declined],
        ReferralState::Feedback => &[ReferralState::Received, ReferralState::Accepted, ReferralState::Feedback],
        ReferralState::Closed => &[ReferralState::Received, ReferralState::Accepted, ReferralState::Feedback, ReferralState::Closed],
    };
    let mut referral = sent_to(Role::Migration);
    for step in path {
        referral.advance(*step, &taker(Role::Migration, *step), "done", Utc::now()).expect("legal step");
    }
    assert_eq!(referral.state, state);
    referral
}

#[test]
fn every_transition_is_allowed_or_refused_with_a_message() {
    let legal = [
        (ReferralState::Sent, ReferralState::Received),
        (ReferralState::Received, ReferralState::Accepted),
        (ReferralState::Received, ReferralState::Declined),
        (ReferralState::Accepted, ReferralState::Feedback),
        (ReferralState::Feedback, ReferralState::Closed),
        (ReferralState::Declined, ReferralState::Closed),
    ];
    let mut checked = 0;
    for from in ReferralState::ALL {
        for to in ReferralState::ALL {
            let mut referral = at_state(from);
            let before = referral.clone();
            let result = referral.advance(to, &taker(Role::Migration, to), "note", Utc::now());
            if legal.contains(&(from, to)) {
                result.unwrap_or_else(|e| panic!("{from:?} → {to:?} should be legal: {e}"));
                assert_eq!(referral.state, to);
                let stamp = referral.stamp(to).expect("step stamped");
                assert_eq!(stamp.role, taker(Role::Migration, to).role);
                referral.validate(Utc::now()).expect("a legal step leaves a valid record");
            } else {
                let errors = result.expect_err(&format!("{from:?} → {to:?} must be refused"));
                assert_eq!(errors.0[0].key, "referral.illegal_transition");
                assert_eq!(referral, before, "a refused step changes nothing");
                let uz = errors.messages(Locale::UzLatn)[0].clone();
                assert!(!uz.contains("referral_state."), "states are shown by name: {uz}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 36);
    let message = at_state(ReferralState::Sent).advance(ReferralState::Closed, &actor("Aziz", Role::Inspector), "", Utc::now()).unwrap_err();
    assert_eq!(message.messages(Locale::En)[0], "A request cannot go from “Sent” to “Closed”");
    assert_eq!(message.messages(Locale::Ru)[0], "Запрос нельзя перевести из состояния «Отправлен» в «Закрыт»");
}

#[test]
fn only_the_addressee_answers_and_only_the_sender_side_closes() {
    let now = Utc::now();
    let mut referral = sent_to(Role::Migration);
    for wrong in [Role::Inspector, Role::Forensics, Role::Seven, Role::Supervisor] {
        let errors = referral.advance(ReferralState::Received, &actor("X", wrong), "", now).unwrap_err();
        assert_eq!(errors.0[0].key, "referral.step_not_allowed", "{wrong:?}");
    }
    assert_eq!(
        referral.advance(ReferralState::Received, &actor("X", Role::Forensics), "", now).unwrap_err().messages(Locale::En)[0],
        "Forensics may not move a request to “Received”"
    );
    let officer = actor("Bekzod", Role::Migration);
    referral.advance(ReferralState::Received, &officer, "", now).unwrap();
    let no_reason = referral.advance(ReferralState::Declined, &officer, "  ", now).unwrap_err();
    assert_eq!(no_reason.0[0].field, "note");
    referral.advance(ReferralState::Declined, &officer, "Not a migration matter", now).unwrap();
    assert_eq!(referral.advance(ReferralState::Closed, &officer, "", now).unwrap_err().0[0].key, "referral.step_not_allowed");
    referral.advance(ReferralState::Closed, &actor("Aziz", Role::Inspector), "", now).unwrap();
    assert_eq!(referral.stamp(ReferralState::Declined).unwrap().note, "Not a migration matter");

    let refused = Referral::send(&actor("Bekzod", Role::Migration), Role::Forensics, "Navbahor", "s", "r", Priority::Routine, now).unwrap_err();
    assert_eq!(refused.0[0].key, "referral.step_not_allowed");
    let bad_addressee = Referral::send(&actor("Aziz", Role::Inspector), Role::Supervisor, "Navbahor", "s", "r", Priority::Routine, now).unwrap_err();
    assert_eq!(bad_addressee.0[0].key, "referral.bad_addressee");
}

#[test]
fn deadlines_follow_the_priority_and_make_requests_overdue() {
    let now = Utc::now();
    let today = now.date_naive();
    let routine = Referral::send(&actor("Aziz", Role::Inspector), Role::DutyUnit, "Navbahor", "s", "r", Priority::Routine, now).unwrap();
    assert_eq!(routine.respond_by, today + Duration::days(10));
    let mut immediate = Referral::send(&actor("Aziz", Role::Inspector), Role::DutyUnit, "Navbahor", "s", "r", Priority::Immediate, now).unwrap();
    assert!(!immediate.is_overdue(today));
    assert!(immediate.is_overdue(today + Duration::days(1)));
    let duty = actor("Duty", Role::DutyUnit);
    immediate.advance(ReferralState::Received, &duty, "", now).unwrap();
    immediate.advance(ReferralState::Accepted, &duty, "", now).unwrap();
    assert!(immediate.is_overdue(today + Duration::days(1)), "accepted but no feedback yet");
    immediate.advance(ReferralState::Feedback, &duty, "Patrol visited, family warned", now).unwrap();
    assert!(!immediate.is_overdue(today + Duration::days(30)));
    assert_eq!(immediate.turnaround_days(), Some(0));
}

fn finish(net: &mut Network, i: usize) -> suhbat_core::sync::SyncReport {
    match net.sync(i).unwrap() {
        Attempt::Finished(report) => report,
        Attempt::Interrupted(why) => panic!("interrupted: {why}"),
    }
}

fn referral_ids(store: &Store) -> Vec<String> {
    store.list(&ListQuery { kind: Some(RecordKind::Referral), ..Default::default() }).unwrap().into_iter().map(|r| r.record_id).collect()
}

#[test]
fn a_referral_round_trip_reaches_only_the_addressee() {
    let dir = tempfile::tempdir().unwrap();
    // 0 inspector, 1 migration officer, 2 forensics officer, 3 seven member, 4 duty unit.
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Migration, Role::Forensics, Role::Seven, Role::DutyUnit], 7);
    let inspector = net.devices[0].device().profile.clone();
    let referral =
        Referral::send(&inspector, Role::Migration, "Navbahor", "Jasur Qodirov", "Passport expired, works abroad", Priority::Urgent, Utc::now()).unwrap();
    let to_seven = Referral::send(&inspector, Role::Seven, "Navbahor", "Karimovs' family", "Children miss school", Priority::Routine, Utc::now()).unwrap();
    net.devices[0].put(&referral).unwrap();
    net.devices[0].put(&to_seven).unwrap();
    net.settle();
    assert_eq!(referral_ids(&net.devices[1]), vec![referral.id.to_string()], "the migration service receives its request");
    assert!(referral_ids(&net.devices[2]).is_empty(), "forensics receives nothing");
    assert!(referral_ids(&net.devices[4]).is_empty(), "the duty unit receives nothing");
    assert_eq!(referral_ids(&net.devices[3]), vec![to_seven.id.to_string()], "the seven receives only its own request");

    // The migration officer answers, offline, then syncs.
    let officer = net.devices[1].device().profile.clone();
    let mut answered = net.devices[1].get::<Referral>(&referral.id).unwrap().record;
    for (step, note) in [(ReferralState::Received, ""), (ReferralState::Accepted, ""), (ReferralState::Feedback, "Residence registered, fine explained")] {
        answered.advance(step, &officer, note, Utc::now()).unwrap();
        net.devices[1].put(&answered).unwrap();
    }
    let report = finish(&mut net, 1);
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    finish(&mut net, 0);
    let mut back = net.devices[0].get::<Referral>(&referral.id).unwrap().record;
    assert_eq!(back.state, ReferralState::Feedback);
    let feedback = back.stamp(ReferralState::Feedback).unwrap();
    assert_eq!((feedback.by.as_str(), feedback.role, feedback.note.as_str()), ("device1", Role::Migration, "Residence registered, fine explained"));
    back.advance(ReferralState::Closed, &inspector, "Thanks", Utc::now()).unwrap();
    net.devices[0].put(&back).unwrap();
    net.settle();
    let closed = net.devices[1].get::<Referral>(&referral.id).unwrap().record;
    assert_eq!(closed.state, ReferralState::Closed);
    assert_eq!(closed.steps.len(), 5);
}

#[test]
fn the_hub_refuses_a_step_forged_by_the_wrong_role() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Migration], 3);
    let inspector = net.devices[0].device().profile.clone();
    let mut referral = Referral::send(&inspector, Role::Migration, "Navbahor", "Jasur", "Check documents", Priority::Routine, Utc::now()).unwrap();
    // The inspector writes the addressee's steps itself, bypassing `advance`.
    let stamp = Stamp { by: "device0".into(), role: Role::Migration, at: Utc::now(), note: "pretend".into() };
    referral.steps.insert("received".into(), stamp.clone());
    referral.steps.insert("accepted".into(), stamp);
    referral.state = ReferralState::Accepted;
    net.devices[0].put(&referral).unwrap();
    let report = finish(&mut net, 0);
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    assert!(report.rejected[0].reason.contains("may take the step"), "{}", report.rejected[0].reason);
    finish(&mut net, 1);
    assert!(referral_ids(&net.devices[1]).is_empty(), "the forged request never reaches the service");

    // A step the author may take, but stamped with someone else's role, is refused too.
    let mut sent = Referral::send(&inspector, Role::Migration, "Navbahor", "Jasur", "Check documents", Priority::Routine, Utc::now()).unwrap();
    sent.steps.get_mut("sent").unwrap().role = Role::Supervisor;
    net.devices[0].put(&sent).unwrap();
    let report = finish(&mut net, 0);
    assert!(report.rejected.iter().any(|r| r.reason.contains("stamped with role supervisor")), "{:?}", report.rejected);
}

#[test]
fn a_stamp_once_made_is_never_rewritten_or_removed() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::Migration], 4);
    let inspector = net.devices[0].device().profile.clone();
    let referral = Referral::send(&inspector, Role::Migration, "Navbahor", "Jasur", "Check documents", Priority::Routine, Utc::now()).unwrap();
    net.devices[0].put(&referral).unwrap();
    net.settle();
    let officer = net.devices[1].device().profile.clone();
    let mut received = net.devices[1].get::<Referral>(&referral.id).unwrap().record;
    received.advance(ReferralState::Received, &officer, "", Utc::now()).unwrap();
    net.devices[1].put(&received).unwrap();
    net.settle();

    // The store refuses to rewrite or drop a stamp, with a field error.
    let mut backdated = net.devices[0].get::<Referral>(&referral.id).unwrap().record;
    backdated.steps.get_mut("sent").unwrap().at -= Duration::days(5);
    match net.devices[0].put(&backdated) {
        Err(Error::Invalid(errors)) => assert_eq!(errors.for_field("steps/sent").map(|e| e.key), Some("validation.stamp_fixed")),
        other => panic!("expected a validation error, got {other:?}"),
    }
    let mut unreceived = received.clone();
    unreceived.steps.remove("received");
    unreceived.state = ReferralState::Sent;
    assert!(matches!(net.devices[1].put(&unreceived), Err(Error::Invalid(e)) if e.for_field("steps/received").is_some()));

    // A tampered app that bypasses the store is refused by the hub, and takes the hub's copy back.
    net.devices[0].put(&Unchecked(backdated)).unwrap();
    let report = finish(&mut net, 0);
    assert!(report.rejected.iter().any(|r| r.reason.contains("steps/sent was recorded already")), "{:?}", report.rejected);
    assert_eq!(net.devices[0].get::<Referral>(&referral.id).unwrap().record.steps, received.steps);
    net.devices[1].put(&Unchecked(unreceived)).unwrap();
    let report = finish(&mut net, 1);
    assert!(report.rejected.iter().any(|r| r.reason.contains("steps/received was recorded already")), "{:?}", report.rejected);
    assert_eq!(net.devices[1].get::<Referral>(&referral.id).unwrap().record.state, ReferralState::Received);
}

#[test]
fn concurrent_accept_and_decline_is_a_conflict_with_both_stamps_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::CriminalInvestigation, Role::CriminalInvestigation], 5);
    let inspector = net.devices[0].device().profile.clone();
    let referral =
        Referral::send(&inspector, Role::CriminalInvestigation, "Navbahor", "Group at the market", "Fights at night", Priority::Urgent, Utc::now()).unwrap();
    net.devices[0].put(&referral).unwrap();
    net.settle();
    for (i, step, note) in [(1, ReferralState::Accepted, ""), (2, ReferralState::Declined, "Not ours")] {
        let officer = net.devices[i].device().profile.clone();
        let mut copy = net.devices[i].get::<Referral>(&referral.id).unwrap().record;
        copy.advance(ReferralState::Received, &officer, "", Utc::now()).unwrap();
        copy.advance(step, &officer, note, Utc::now()).unwrap();
        net.devices[i].put(&copy).unwrap();
    }
    net.settle();
    let stored = net.devices[0].get::<Referral>(&referral.id).unwrap();
    assert!(stored.record.stamp(ReferralState::Accepted).is_some() && stored.record.stamp(ReferralState::Declined).is_some());
    assert!(stored.conflicts.iter().any(|c| c.path == "state" && c.values.len() == 2), "{:?}", stored.conflicts);
}
