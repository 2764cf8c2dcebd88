//! Worklist items beyond conversations and cases:
//! - **effectiveness checks**: +1/+3/+6-month follow-ups of conversations not done yet, due by
//!   the horizon (overdue ones first, like every item);
//! - **cooperation requests**: on a service's (or the mahalla seven's) device, every request
//!   addressed to it that still waits for its answer — whatever its date, since a new request
//!   must be seen at once — due by its `respond_by`; on an inspector's device, the requests the
//!   inspector sent whose answer is overdue, and those answered or declined that wait to be
//!   closed (a supervisor sees everyone's); a request escalated to the addressee's supervisor
//!   is listed as escalated, on both sides, until it is answered;
//! - **applications** without a decision whose deadline is past or within the horizon.

use super::labels::{self, choice_label};
use super::report;
use super::worklist::{rows, Draft, Lookup, WorkItem, WorkKind};
use super::ViewContext;
use crate::device::Role;
use crate::error::Result;
use crate::i18n;
use crate::model::{supervisor_key, Application, Conversation, Milestone, Record, Referral, ReferralState};
use crate::store::{IndexRow, Store};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// Records whose index row says something is due by `horizon` (a conversation's earliest open
/// follow-up, action or check; an undecided application's deadline): only those documents are
/// read.
fn due_by<R: Record>(store: &mut Store, horizon: NaiveDate) -> Result<Vec<R>> {
    let due: Vec<IndexRow> = rows(store, R::KIND)?.into_iter().filter(|r| r.due_on.is_some_and(|d| d <= horizon)).collect();
    report::records(store, &due)
}

/// Effectiveness checks of conversations not done and due by the horizon.
fn effectiveness_items(lookup: &mut Lookup<'_>, ctx: &ViewContext, horizon: NaiveDate, out: &mut Vec<WorkItem>) -> Result<()> {
    let locale = ctx.locale;
    for talk in due_by::<Conversation>(lookup.store, horizon)? {
        for milestone in Milestone::ALL {
            let Some(follow_up) = talk.follow_up(milestone).filter(|f| !f.is_done() && f.due <= horizon) else { continue };
            let (title, score, reasons) = lookup.describe(locale, &talk.person_ids)?;
            let params = [
                ("milestone", labels::text(locale, &format!("milestone.{}", milestone.key()))),
                ("date", labels::date(locale, ctx.local(talk.started_at).date())),
                ("place", talk.place.clone()),
            ];
            out.push(
                Draft {
                    kind: WorkKind::EffectivenessCheck,
                    record_id: talk.id.to_string(),
                    item_id: Some(milestone.key().to_string()),
                    person_id: talk.person_ids.first().map(|p| p.to_string()),
                    title,
                    detail: i18n::render(locale, "worklist.check", &params),
                    due: Some(follow_up.due),
                    risk: (score, reasons),
                }
                .finish(ctx),
            );
        }
    }
    Ok(())
}

/// Which requests are this device's work, and as what kind of item.
fn request_kind(role: Role, person: &str, request: &Referral, today: NaiveDate) -> Option<WorkKind> {
    match role {
        Role::Inspector | Role::Supervisor => {
            let mine = role == Role::Supervisor || request.stamp(ReferralState::Sent).is_some_and(|s| s.by == person);
            if !mine {
                None
            } else if request.is_overdue(today) {
                Some(if request.escalation.is_some() { WorkKind::RequestEscalated } else { WorkKind::RequestOverdue })
            } else if matches!(request.state, ReferralState::Feedback | ReferralState::Declined) {
                Some(WorkKind::RequestToClose)
            } else {
                None
            }
        }
        addressee => (request.to == addressee && request.state.awaits_addressee()).then_some(if request.escalation.is_some() {
            WorkKind::RequestEscalated
        } else {
            WorkKind::RequestToAnswer
        }),
    }
}

/// "Escalated by … on … to …" for an escalated request.
fn escalation_detail(ctx: &ViewContext, request: &Referral) -> String {
    let Some(escalation) = &request.escalation else { return String::new() };
    let body = labels::text(ctx.locale, supervisor_key(request.to));
    let to = if escalation.to.is_empty() { body } else { format!("{body} ({})", escalation.to) };
    i18n::render(ctx.locale, "referral.escalation", &[("by", escalation.by.clone()), ("date", labels::datetime(ctx, escalation.at)), ("to", to)])
}

/// Cooperation requests this device has to answer, chase or close.
fn request_items(lookup: &mut Lookup<'_>, ctx: &ViewContext, out: &mut Vec<WorkItem>) -> Result<()> {
    let locale = ctx.locale;
    let profile = lookup.store.device().profile.clone();
    for request in report::load::<Referral>(lookup.store, None)? {
        let Some(kind) = request_kind(profile.role, &profile.person, &request, ctx.today()) else { continue };
        let (_, score, reasons) = lookup.describe(locale, &request.person_ids)?;
        let answer = request.stamp(ReferralState::Feedback).or_else(|| request.stamp(ReferralState::Declined));
        let detail = match (kind, answer) {
            (WorkKind::RequestEscalated, _) => escalation_detail(ctx, &request),
            (WorkKind::RequestToClose, Some(stamp)) => i18n::render(
                locale,
                "worklist.request_answered",
                &[
                    ("state", choice_label(locale, "referral_state", &request.state)),
                    ("date", labels::date(locale, ctx.local(stamp.at).date())),
                    ("note", stamp.note.clone()),
                ],
            ),
            _ => i18n::render(
                locale,
                "worklist.request",
                &[
                    ("to", choice_label(locale, "role", &request.to)),
                    ("state", choice_label(locale, "referral_state", &request.state)),
                    ("reason", request.reason.clone()),
                ],
            ),
        };
        out.push(
            Draft {
                kind,
                record_id: request.id.to_string(),
                item_id: None,
                person_id: request.person_ids.first().map(|p| p.to_string()),
                title: request.subject.clone(),
                detail,
                due: (kind != WorkKind::RequestToClose).then_some(request.respond_by),
                risk: (score, reasons),
            }
            .finish(ctx),
        );
    }
    Ok(())
}

/// Applications without a decision whose deadline is past or by the horizon.
fn application_items(lookup: &mut Lookup<'_>, ctx: &ViewContext, horizon: NaiveDate, out: &mut Vec<WorkItem>) -> Result<()> {
    let locale = ctx.locale;
    for application in due_by::<Application>(lookup.store, horizon)? {
        if application.is_decided() || application.deadline > horizon {
            continue;
        }
        let persons: BTreeSet<_> = application.person_id.iter().cloned().collect();
        let (_, score, reasons) = lookup.describe(locale, &persons)?;
        out.push(
            Draft {
                kind: WorkKind::ApplicationDeadline,
                record_id: application.id.to_string(),
                item_id: None,
                person_id: application.person_id.as_ref().map(|p| p.to_string()),
                title: format!("{} · {}", application.number_label(), application.applicant),
                detail: i18n::render(
                    locale,
                    "worklist.application",
                    &[("book", choice_label(locale, "book", &application.book)), ("summary", application.summary.clone())],
                ),
                due: Some(application.deadline),
                risk: (score, reasons),
            }
            .finish(ctx),
        );
    }
    Ok(())
}

/// Adds the effectiveness checks, requests and applications that are this device's work.
pub(super) fn more_items(lookup: &mut Lookup<'_>, ctx: &ViewContext, horizon: NaiveDate, out: &mut Vec<WorkItem>) -> Result<()> {
    let role = lookup.store.device().profile.role;
    if matches!(role, Role::Inspector | Role::Supervisor) {
        effectiveness_items(lookup, ctx, horizon, out)?;
        application_items(lookup, ctx, horizon, out)?;
    }
    request_items(lookup, ctx, out)
}
