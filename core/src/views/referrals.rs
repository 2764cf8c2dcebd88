//! Cooperation requests: the list (what this device sent, or what was sent to its service),
//! the request with its stamped steps and the steps this user may take, and the actions
//! "send", "take a step" and "escalate to the addressee's supervisor".

use super::form::Choice;
use super::labels::{self, choice_label, invalid, parse_choice, text};
use super::ViewContext;
use crate::device::Role;
use crate::error::Result;
use crate::i18n;
use crate::ids::RecordId;
use crate::model::{may_escalate, may_take_step, supervisor_key, Priority, RecordKind, Referral, ReferralCategory, ReferralState};
use crate::store::{ListQuery, Store};

view_types! { $ referral_view_types;

    /// One cooperation request in a list.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ReferralRow {
        /// Record id.
        pub id: String,
        /// Who or what it is about.
        pub subject: String,
        /// The addressee ("Migration and citizenship").
        pub addressee_label: String,
        /// What it is about ("Domestic violence").
        pub category_label: String,
        /// It was escalated to the addressee's supervisor.
        pub escalated: bool,
        /// State value (`sent`, `received`, …).
        pub state: String,
        /// State label.
        pub state_label: String,
        /// Priority label.
        pub priority_label: String,
        /// "Answer due by 25.11.2026".
        pub due_label: String,
        /// The addressee's answer is late.
        pub overdue: bool,
        /// Open fields with concurrent values.
        pub conflicts: u32,
    }

    /// The cooperation requests screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ReferralList {
        /// Screen title.
        pub title: String,
        /// Requests waiting for someone first (most urgent first), then the finished ones.
        pub rows: Vec<ReferralRow>,
        /// Number of requests whose answer is late.
        pub overdue_count: u32,
        /// Shown when there are none.
        pub empty_text: String,
    }

    /// One stamped step of a request.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ReferralStep {
        /// State label.
        pub state_label: String,
        /// "Bekzod Aliyev (Migration and citizenship)".
        pub by: String,
        /// When, in local time.
        pub when: String,
        /// What they wrote.
        pub note: String,
    }

    /// A step the user may take now.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ReferralAction {
        /// The state to pass to [`advance_referral`].
        pub state: ReferralState,
        /// Button label.
        pub label: String,
        /// A note must be written (decline reason, feedback).
        pub needs_note: bool,
    }

    /// One cooperation request.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ReferralDetail {
        /// Record id.
        pub id: String,
        /// Screen title.
        pub title: String,
        /// Who or what it is about.
        pub subject: String,
        /// Why help is asked for.
        pub reason: String,
        /// The addressee.
        pub addressee_label: String,
        /// What it is about.
        pub category_label: String,
        /// Priority label.
        pub priority_label: String,
        /// State label.
        pub state_label: String,
        /// "Answer due by 25.11.2026".
        pub due_label: String,
        /// The addressee's answer is late.
        pub overdue: bool,
        /// Steps taken, in order.
        pub steps: Vec<ReferralStep>,
        /// "Escalated by Aziz Karimov on 20.11.2026 to District school education department
        /// (R. Aliyev)", or empty.
        pub escalation_label: String,
        /// The user may escalate it now (it is overdue and not escalated yet); the button says
        /// [`ReferralDetail::escalate_label`].
        pub can_escalate: bool,
        /// "Escalate to the supervisor: District school education department".
        pub escalate_label: String,
        /// Steps this user may take now.
        pub actions: Vec<ReferralAction>,
        /// Fields with concurrent values (e.g. accepted on one phone, declined on another).
        pub conflicts: u32,
    }

    /// What a new request says.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct NewReferral {
        /// Addressee: a value of [`addressee_choices`].
        pub to: String,
        /// Mahalla it concerns.
        pub mahalla: String,
        /// Who or what it is about.
        pub subject: String,
        /// Why help is asked for.
        pub reason: String,
        /// A value of [`priority_choices`].
        pub priority: String,
        /// A value of [`category_choices`]; `other` when empty.
        pub category: String,
        /// Persons on the register it concerns (ids).
        pub person_ids: Vec<String>,
        /// Parent case it belongs to (id), if any.
        pub case_id: Option<String>,
    }
}

/// What a request can be about.
pub fn category_choices(ctx: &ViewContext) -> Vec<Choice> {
    labels::choices(ctx.locale, "referral_category", &ReferralCategory::ALL)
}

/// The supervising body of a request's addressee, with the name it was escalated to if any.
fn supervisor_label(ctx: &ViewContext, referral: &Referral, to: &str) -> String {
    let body = text(ctx.locale, supervisor_key(referral.to));
    if to.trim().is_empty() {
        body
    } else {
        format!("{body} ({})", to.trim())
    }
}

/// Addressees a request can be sent to: the duty unit, the sectoral services, the bodies
/// outside the police, the seven.
pub fn addressee_choices(ctx: &ViewContext) -> Vec<Choice> {
    let addressees: Vec<Role> = Role::SERVICES.into_iter().chain([Role::Seven]).collect();
    labels::choices(ctx.locale, "role", &addressees)
}

/// Priorities of a request.
pub fn priority_choices(ctx: &ViewContext) -> Vec<Choice> {
    labels::choices(ctx.locale, "priority", &Priority::ALL)
}

fn due_label(ctx: &ViewContext, referral: &Referral) -> String {
    i18n::render(ctx.locale, "referral.due", &[("date", labels::date(ctx.locale, referral.respond_by))])
}

/// Every request this device holds: sent by this inspector, or addressed to this service.
pub fn referral_list(store: &mut Store, ctx: &ViewContext) -> Result<ReferralList> {
    let today = ctx.today();
    let rows = store.list(&ListQuery { kind: Some(RecordKind::Referral), limit: Some(u32::MAX), ..Default::default() })?;
    let mut referrals = Vec::new();
    for row in rows {
        let Some(id) = RecordId::parse(&row.record_id) else { continue };
        referrals.push((store.get::<Referral>(&id)?.record, row.conflicts));
    }
    referrals.sort_by_key(|(r, _)| (r.state == ReferralState::Closed, !r.is_overdue(today), r.respond_by, std::cmp::Reverse(r.priority)));
    let rows: Vec<ReferralRow> = referrals
        .into_iter()
        .map(|(r, conflicts)| ReferralRow {
            id: r.id.to_string(),
            subject: r.subject.clone(),
            addressee_label: choice_label(ctx.locale, "role", &r.to),
            category_label: choice_label(ctx.locale, "referral_category", &r.category),
            escalated: r.escalation.is_some(),
            state: r.state.as_str().into(),
            state_label: choice_label(ctx.locale, "referral_state", &r.state),
            priority_label: choice_label(ctx.locale, "priority", &r.priority),
            due_label: due_label(ctx, &r),
            overdue: r.is_overdue(today),
            conflicts,
        })
        .collect();
    Ok(ReferralList {
        title: text(ctx.locale, "screen.referrals"),
        overdue_count: rows.iter().filter(|r| r.overdue).count() as u32,
        rows,
        empty_text: text(ctx.locale, "referral.none"),
    })
}

/// One request with its steps and the steps this device's user may take.
pub fn referral_detail(store: &mut Store, ctx: &ViewContext, id: &str) -> Result<ReferralDetail> {
    let rid = RecordId::parse(id).ok_or_else(|| crate::error::Error::NotFound(id.to_string()))?;
    let stored = store.get::<Referral>(&rid)?;
    store.record_access(&rid, crate::AccessKind::View)?;
    let r = stored.record;
    let role = store.device().profile.role;
    let locale = ctx.locale;
    // In the order taken; steps stamped in the same instant in the state machine's order.
    let mut steps: Vec<(ReferralState, &crate::model::Stamp)> = r.steps.iter().filter_map(|(k, s)| Some((ReferralState::parse(k)?, s))).collect();
    steps.sort_by_key(|(state, stamp)| (stamp.at, *state));
    let steps = steps
        .into_iter()
        .map(|(state, stamp)| ReferralStep {
            state_label: choice_label(locale, "referral_state", &state),
            by: format!("{} ({})", stamp.by, choice_label(locale, "role", &stamp.role)),
            when: labels::datetime(ctx, stamp.at),
            note: stamp.note.clone(),
        })
        .collect();
    let actions = r
        .state
        .next()
        .iter()
        .filter(|next| may_take_step(role, r.to, **next))
        .map(|next| ReferralAction {
            state: *next,
            label: text(locale, &format!("referral.action.{}", next.as_str())),
            needs_note: matches!(next, ReferralState::Declined | ReferralState::Feedback),
        })
        .collect();
    let escalation_label = r.escalation.as_ref().map_or_else(String::new, |e| {
        i18n::render(locale, "referral.escalation", &[("by", e.by.clone()), ("date", labels::datetime(ctx, e.at)), ("to", supervisor_label(ctx, &r, &e.to))])
    });
    Ok(ReferralDetail {
        id: r.id.to_string(),
        title: text(locale, "screen.referral"),
        subject: r.subject.clone(),
        reason: r.reason.clone(),
        addressee_label: choice_label(locale, "role", &r.to),
        category_label: choice_label(locale, "referral_category", &r.category),
        escalation_label,
        can_escalate: may_escalate(role) && r.escalation.is_none() && r.is_overdue(ctx.today()),
        escalate_label: format!("{}: {}", text(locale, "referral.action.escalate"), supervisor_label(ctx, &r, "")),
        priority_label: choice_label(locale, "priority", &r.priority),
        state_label: choice_label(locale, "referral_state", &r.state),
        due_label: due_label(ctx, &r),
        overdue: r.is_overdue(ctx.today()),
        steps,
        actions,
        conflicts: stored.conflicts.len() as u32,
    })
}

/// Sends a new request from this device's user; returns its id. It reaches the addressee's
/// devices at their next sync.
pub fn send_referral(store: &mut Store, ctx: &ViewContext, new: &NewReferral) -> Result<String> {
    let to: Role = parse_choice("to", &new.to)?;
    let priority: Priority = if new.priority.trim().is_empty() { Priority::default() } else { parse_choice("priority", &new.priority)? };
    let sender = store.device().profile.clone();
    let category: ReferralCategory = if new.category.trim().is_empty() { ReferralCategory::Other } else { parse_choice("category", &new.category)? };
    let mut referral = Referral::send(&sender, to, &new.mahalla, &new.subject, &new.reason, priority, ctx.now)?;
    referral.category = category;
    for id in &new.person_ids {
        referral.person_ids.insert(RecordId::parse(id).ok_or_else(|| invalid("person_ids", "validation.invalid_choice", id))?);
    }
    if let Some(case) = new.case_id.as_deref().filter(|c| !c.trim().is_empty()) {
        referral.case_id = Some(RecordId::parse(case).ok_or_else(|| invalid("case_id", "validation.invalid_choice", case))?);
    }
    store.put(&referral)?;
    Ok(referral.id.to_string())
}

/// Moves a request to `state` as this device's user, with `note` (required to decline and to
/// give feedback). Refuses steps the state machine or the user's role do not allow.
pub fn advance_referral(store: &mut Store, ctx: &ViewContext, id: &str, to: ReferralState, note: &str) -> Result<()> {
    let rid = RecordId::parse(id).ok_or_else(|| crate::error::Error::NotFound(id.to_string()))?;
    let actor = store.device().profile.clone();
    let mut referral = store.get::<Referral>(&rid)?.record;
    referral.advance(to, &actor, note, ctx.now)?;
    store.put(&referral)?;
    Ok(())
}

/// Escalates an overdue request to its addressee's supervisor as this device's user: `to` names
/// the person there (may be empty), `note` says why. Refuses a user not on the sender's side, a
/// request not overdue and a second escalation. The addressee's devices and the supervisors see
/// it in their worklist after the next sync.
pub fn escalate_referral(store: &mut Store, ctx: &ViewContext, id: &str, to: &str, note: &str) -> Result<()> {
    let rid = RecordId::parse(id).ok_or_else(|| crate::error::Error::NotFound(id.to_string()))?;
    let actor = store.device().profile.clone();
    let mut referral = store.get::<Referral>(&rid)?.record;
    referral.escalate(&actor, to, note, ctx.now, ctx.today())?;
    store.put(&referral)?;
    Ok(())
}
