//! Cooperation requests beyond the police: categories, addressees outside the police (each its
//! own audience, so only its devices receive its requests), and the escalation of an overdue
//! request to the addressee's supervisor — all through the real hub.

use crate::common;

use chrono::{Duration, Utc};
use common::harness::{Attempt, Network};
use suhbat_core::views::{self, ViewContext, WorkKind};
use suhbat_core::*;

fn finish(net: &mut Network, i: usize) -> suhbat_core::sync::SyncReport {
    match net.sync(i).unwrap() {
        Attempt::Finished(report) => report,
        Attempt::Interrupted(why) => panic!("interrupted: {why}"),
    }
}

fn referrals(store: &mut Store) -> Vec<Referral> {
    let rows = store.list(&ListQuery { kind: Some(RecordKind::Referral), limit: Some(100), ..Default::default() }).unwrap();
    let mut out: Vec<Referral> = rows.iter().map(|r| store.get::<Referral>(&RecordId::parse(&r.record_id).unwrap()).unwrap().record).collect();
    out.sort_by(|a, b| a.subject.cmp(&b.subject));
    out
}

fn subjects(store: &mut Store) -> Vec<String> {
    referrals(store).into_iter().map(|r| r.subject).collect()
}

/// A request from device 0 to `to`, sent `days_ago` days ago (routine: answer due in 10 days).
fn send(net: &mut Network, to: Role, subject: &str, category: ReferralCategory, days_ago: i64) -> Referral {
    let inspector = net.devices[0].device().profile.clone();
    let mut referral =
        Referral::send(&inspector, to, "Navbahor", subject, "Needs help from the addressee", Priority::Routine, Utc::now() - Duration::days(days_ago)).unwrap();
    referral.category = category;
    net.devices[0].put(&referral).unwrap();
    referral
}

#[test]
fn requests_to_bodies_outside_the_police_reach_only_the_addressees_devices() {
    let dir = tempfile::tempdir().unwrap();
    // 0 inspector, 1 school, 2 health facility, 3 youth union, 4 migration officer, 5 seven.
    let roles = [Role::Inspector, Role::School, Role::Health, Role::YouthUnion, Role::Migration, Role::Seven];
    let mut net = Network::new(dir.path(), &roles, 21);
    send(&mut net, Role::School, "a: pupil misses school", ReferralCategory::Juvenile, 0);
    send(&mut net, Role::Health, "b: injuries seen at the polyclinic", ReferralCategory::DomesticViolence, 0);
    send(&mut net, Role::MahallaChairman, "c: family without income", ReferralCategory::Other, 0);
    send(&mut net, Role::SocialProtection, "d: disabled mother alone", ReferralCategory::Other, 0);
    net.settle();
    assert_eq!(subjects(&mut net.devices[1]), ["a: pupil misses school"], "the school receives only its request");
    assert_eq!(subjects(&mut net.devices[2]), ["b: injuries seen at the polyclinic"], "the health facility receives only its request");
    for device in [3, 4, 5] {
        assert!(subjects(&mut net.devices[device]).is_empty(), "device {device} ({:?}) receives nothing", roles[device]);
    }
    let held = referrals(&mut net.devices[0]);
    assert_eq!(held.len(), 4, "the inspector holds every request");
    let categories: Vec<ReferralCategory> = held.iter().map(|r| r.category).collect();
    assert_eq!(categories, [ReferralCategory::Juvenile, ReferralCategory::DomesticViolence, ReferralCategory::Other, ReferralCategory::Other]);
    // Each body has its own bucket.
    let audiences: Vec<&str> = held.iter().map(|r| r.audience().as_str()).collect();
    assert_eq!(audiences, ["service-school", "service-health", "service-mahalla-chairman", "service-social-protection"]);

    // The school answers, offline, then syncs; the inspector sees the feedback and its category.
    let school = net.devices[1].device().profile.clone();
    let mut answered = referrals(&mut net.devices[1]).remove(0);
    for (step, note) in [(ReferralState::Received, ""), (ReferralState::Accepted, ""), (ReferralState::Feedback, "Class teacher visited the family")] {
        answered.advance(step, &school, note, Utc::now()).unwrap();
    }
    net.devices[1].put(&answered).unwrap();
    assert!(finish(&mut net, 1).rejected.is_empty());
    finish(&mut net, 0);
    let ctx = ViewContext::new(Locale::En);
    let detail = views::referral_detail(&mut net.devices[0], &ctx, answered.id.as_str()).unwrap();
    assert_eq!((detail.addressee_label.as_str(), detail.category_label.as_str(), detail.state_label.as_str()), ("School", "Juveniles", "Feedback given"));
    let uz = views::referral_detail(&mut net.devices[0], &ViewContext::new(Locale::UzCyrl), answered.id.as_str()).unwrap();
    assert_eq!((uz.addressee_label.as_str(), uz.category_label.as_str()), ("Мактаб", "Вояга етмаганлар"));
    // A health facility may not answer the school's request: the hub never gave it to it, and
    // the view refuses a category it does not know.
    let mut unknown = views::NewReferral { to: "school".into(), mahalla: "Navbahor".into(), subject: "x".into(), reason: "y".into(), ..Default::default() };
    unknown.category = "gossip".into();
    let Err(Error::Invalid(errors)) = views::send_referral(&mut net.devices[0], &ctx, &unknown) else { panic!("an unknown category must be refused") };
    assert_eq!(errors.0[0].field, "category");
}

#[test]
fn an_overdue_request_is_escalated_with_a_stamp_and_a_worklist_item_on_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    // 0 inspector, 1 school, 2 supervisor, 3 health facility.
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::School, Role::Supervisor, Role::Health], 22);
    let late = send(&mut net, Role::School, "a: pupil misses school", ReferralCategory::Juvenile, 12);
    let fresh = send(&mut net, Role::School, "b: new pupil", ReferralCategory::Juvenile, 1);
    net.settle();
    let ctx = ViewContext::new(Locale::En);

    // The school cannot escalate; a request not overdue cannot be escalated.
    let Err(Error::Invalid(errors)) = views::escalate_referral(&mut net.devices[1], &ctx, late.id.as_str(), "", "") else {
        panic!("the school may not escalate")
    };
    assert_eq!(errors.messages(Locale::En), ["School may not escalate a request: an inspector or a supervisor does"]);
    let Err(Error::Invalid(errors)) = views::escalate_referral(&mut net.devices[0], &ctx, fresh.id.as_str(), "", "") else { panic!("not overdue") };
    assert_eq!(errors.0[0].key, "referral.not_overdue");
    let before = views::referral_detail(&mut net.devices[0], &ctx, late.id.as_str()).unwrap();
    assert!(before.can_escalate && before.escalation_label.is_empty());
    assert_eq!(before.escalate_label, "Escalate to the supervisor: District school education department");
    let item = views::worklist(&mut net.devices[0], &ctx).unwrap().items.into_iter().find(|i| i.record_id == late.id.as_str()).unwrap();
    assert_eq!(item.kind, WorkKind::RequestOverdue);

    // The inspector escalates it; a second escalation is refused.
    views::escalate_referral(&mut net.devices[0], &ctx, late.id.as_str(), "R. Aliyeva", "No answer in 12 days").unwrap();
    let Err(Error::Invalid(errors)) = views::escalate_referral(&mut net.devices[0], &ctx, late.id.as_str(), "", "") else { panic!("escalated twice") };
    assert_eq!(errors.0[0].key, "referral.already_escalated");
    let report = finish(&mut net, 0);
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    net.settle();

    // The stamp reaches the school and the supervisor: who, when, to whom.
    for device in [1, 2] {
        let held = net.devices[device].get::<Referral>(&late.id).unwrap().record;
        let stamp = held.escalation.expect("escalation stamp synced");
        assert_eq!((stamp.by.as_str(), stamp.role, stamp.to.as_str(), stamp.note.as_str()), ("device0", Role::Inspector, "R. Aliyeva", "No answer in 12 days"));
        let detail = views::referral_detail(&mut net.devices[device], &ctx, late.id.as_str()).unwrap();
        assert!(detail.escalation_label.starts_with("Escalated by device0 on "), "{}", detail.escalation_label);
        assert!(detail.escalation_label.ends_with(" to District school education department (R. Aliyeva)"), "{}", detail.escalation_label);
        assert!(!detail.can_escalate);
        let items = views::worklist(&mut net.devices[device], &ctx).unwrap().items;
        let item = items.iter().find(|i| i.record_id == late.id.as_str()).unwrap_or_else(|| panic!("no worklist item on device {device}"));
        assert_eq!(item.kind, WorkKind::RequestEscalated, "device {device}");
        assert!(item.reason.starts_with("Escalated request: overdue by "), "{}", item.reason);
        let other = items.iter().find(|i| i.record_id == fresh.id.as_str()).map(|i| i.kind);
        assert_eq!(other, if device == 1 { Some(WorkKind::RequestToAnswer) } else { None }, "device {device}");
    }
    assert!(referrals(&mut net.devices[3]).is_empty(), "the health facility receives nothing");
    let list = views::referral_list(&mut net.devices[1], &ctx).unwrap();
    assert_eq!(list.rows.iter().map(|r| r.escalated).collect::<Vec<_>>(), [true, false]);

    // The stamp, once made, stays: rewriting it is refused on the phone.
    let mut rewritten = net.devices[0].get::<Referral>(&late.id).unwrap().record;
    if let Some(stamp) = rewritten.escalation.as_mut() {
        stamp.to = "Somebody else".into();
    }
    let Err(Error::Invalid(errors)) = net.devices[0].put(&rewritten) else { panic!("a rewritten escalation must be refused") };
    assert_eq!(errors.0[0].key, "validation.stamp_fixed");
}

#[test]
fn the_hub_refuses_an_escalation_forged_by_the_addressee() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Network::new(dir.path(), &[Role::Inspector, Role::School], 23);
    let late = send(&mut net, Role::School, "a: pupil misses school", ReferralCategory::Juvenile, 12);
    net.settle();
    // The school writes an escalation stamped as an inspector's, bypassing `escalate`.
    let mut forged = net.devices[1].get::<Referral>(&late.id).unwrap().record;
    forged.escalation = Some(Escalation { by: "device1".into(), role: Role::Inspector, at: Utc::now(), to: String::new(), note: "pretend".into() });
    net.devices[1].put(&forged).unwrap();
    let report = finish(&mut net, 1);
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    assert!(report.rejected[0].reason.contains("may escalate"), "{}", report.rejected[0].reason);
    finish(&mut net, 0);
    assert_eq!(net.devices[0].get::<Referral>(&late.id).unwrap().record.escalation, None, "the forged stamp never reaches the inspector");
}
