//! Unit tests of the rules on changing a stored record: SARA stage moves, closed cases and
//! referral stamps.

use super::*;
use crate::device::DeviceProfile;
use crate::i18n::Locale;
use chrono::Utc;

fn open_case() -> ParentCase {
    crate::sample::SampleData::new(3).parent_case("Navbahor", 2025)
}

fn keys(result: Result<(), ValidationErrors>) -> Vec<(String, &'static str)> {
    result.err().map(|e| e.0.into_iter().map(|f| (f.field, f.key)).collect()).unwrap_or_default()
}

#[test]
fn a_case_moves_forward_one_stage_at_a_time_and_back_only_with_a_reason() {
    let old = open_case();
    let mut new = old.clone();
    new.move_to_stage(SaraStage::Analysis, "", "aziz", Utc::now()).unwrap();
    assert_eq!(new.stage_changes.len(), 1);
    assert_eq!(ParentCase::check_transition(&old, &new), Ok(()));

    let err = new.clone().move_to_stage(SaraStage::Assessment, "", "aziz", Utc::now()).unwrap_err();
    assert_eq!(err.messages(Locale::En), ["SARA stage: a case moves one stage at a time, not from “Analysis” to “Assessment”"]);
    assert_eq!(err.messages(Locale::Ru), ["«Этап SARA»: этапы проходятся по одному, из «Анализ» нельзя перейти в «Оценка»"]);
    let err = new.clone().move_to_stage(SaraStage::Scanning, " ", "aziz", Utc::now()).unwrap_err();
    assert_eq!(err.0[0].key, "validation.stage_back_needs_reason");
    let mut back = new.clone();
    back.move_to_stage(SaraStage::Scanning, "The school's report was wrong", "aziz", Utc::now()).unwrap();
    assert_eq!(ParentCase::check_transition(&new, &back), Ok(()));
    let same = new.clone();
    assert_eq!(same.clone().move_to_stage(SaraStage::Analysis, "", "aziz", Utc::now()), Ok(()));
}

#[test]
fn a_stage_set_without_the_move_rules_is_refused_with_field_errors() {
    let old = open_case();
    let mut skipped = old.clone();
    skipped.stage = SaraStage::Response;
    assert_eq!(keys(ParentCase::check_transition(&old, &skipped)), [("stage".to_string(), "validation.stage_skip")]);
    let mut unrecorded = old.clone();
    unrecorded.stage = SaraStage::Analysis;
    assert_eq!(keys(ParentCase::check_transition(&old, &unrecorded)), [("stage".to_string(), "validation.stage_unrecorded")]);

    let mut at_response = old.clone();
    at_response.move_to_stage(SaraStage::Analysis, "", "aziz", Utc::now()).unwrap();
    at_response.move_to_stage(SaraStage::Response, "", "aziz", Utc::now()).unwrap();
    let mut back = at_response.clone();
    back.stage = SaraStage::Scanning;
    assert_eq!(keys(ParentCase::check_transition(&at_response, &back)), [("stage".to_string(), "validation.stage_back_needs_reason")]);

    let mut rewritten = at_response.clone();
    let item = rewritten.stage_changes.keys().next().cloned().unwrap();
    rewritten.stage_changes.get_mut(&item).unwrap().by = "someone else".into();
    assert_eq!(keys(ParentCase::check_transition(&at_response, &rewritten)), [(format!("stage_changes/{item}"), "validation.stage_history_fixed")]);
    let mut removed = at_response.clone();
    removed.stage_changes.clear();
    assert_eq!(keys(ParentCase::check_transition(&at_response, &removed)).len(), 2);
}

#[test]
fn nothing_changes_on_a_closed_case() {
    let mut closed = open_case();
    closed.status = CaseStatus::Closed;
    closed.outcome = "The children are back at school.".into();
    let mut edited = closed.clone();
    edited.notes = "one more note".into();
    assert_eq!(keys(ParentCase::check_transition(&closed, &edited)), [("status".to_string(), "validation.case_closed")]);
    let mut reopened = closed.clone();
    reopened.status = CaseStatus::Open;
    assert_eq!(keys(ParentCase::check_transition(&closed, &reopened)), [("status".to_string(), "validation.case_closed")]);
    assert_eq!(ParentCase::check_transition(&closed, &closed.clone()), Ok(()));
    let err = closed.clone().move_to_stage(SaraStage::Analysis, "", "aziz", Utc::now()).unwrap_err();
    assert_eq!(err.messages(Locale::En), ["The case is closed: nothing in it can be changed"]);
    // Closing itself is a change of an open case.
    let open = open_case();
    let mut closing = open.clone();
    closing.status = CaseStatus::Closed;
    closing.outcome = "Resolved.".into();
    assert_eq!(ParentCase::check_transition(&open, &closing), Ok(()));
}

#[test]
fn a_referral_stamp_once_made_is_never_rewritten_or_removed() {
    let inspector = DeviceProfile { person: "Aziz".into(), role: crate::device::Role::Inspector, scopes: vec!["Navbahor".into()] };
    let officer = DeviceProfile { person: "Officer".into(), role: crate::device::Role::Migration, scopes: vec!["Navbahor".into()] };
    let sent = Referral::send(&inspector, crate::device::Role::Migration, "Navbahor", "Jasur", "Check documents", Priority::Routine, Utc::now()).unwrap();
    let mut received = sent.clone();
    received.advance(ReferralState::Received, &officer, "", Utc::now()).unwrap();
    assert_eq!(Referral::check_transition(&sent, &received), Ok(()));

    let mut renoted = received.clone();
    renoted.steps.get_mut("sent").unwrap().note = "never sent".into();
    let err = Referral::check_transition(&received, &renoted).unwrap_err();
    assert_eq!(err.0[0].field, "steps/sent");
    assert_eq!(err.messages(Locale::En), ["The step “Sent” is already stamped: its stamp cannot be changed or removed"]);
    let mut unstamped = received.clone();
    unstamped.steps.remove("received");
    unstamped.state = ReferralState::Sent;
    assert_eq!(keys(Referral::check_transition(&received, &unstamped)), [("steps/received".to_string(), "validation.stamp_fixed")]);
}
