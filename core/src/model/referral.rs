//! A cooperation request (referral) to the duty unit, a sectoral service, a body outside the
//! police (school, youth union, social protection, children's rights, health facility, mahalla
//! chairman) or the mahalla seven, with its category, and its state machine: sent → received →
//! accepted / declined → feedback → closed; an overdue request can be escalated to the
//! addressee's supervisor ([`super::referral_escalation`]).
//!
//! Each step is stamped (who, with which role, when) in a map keyed by the step, so stamps
//! made on two phones merge; the current state is a plain field, so two people who move the
//! same request to different states (one accepts, one declines) see a conflict to resolve.
//! The request lives in a bucket only the addressee (and the inspectors of the territory)
//! receive: a service's own bucket, or the case team's for the mahalla seven.

use super::{set_map, Audience, Escalation, IndexFields, Record, RecordKind, ReferralCategory, Rules, ValidationErrors};
use crate::device::{DeviceProfile, Role};
use crate::ids::RecordId;
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How soon the addressee must answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Within ten days.
    #[default]
    Routine,
    /// Within three days.
    Urgent,
    /// The same day.
    Immediate,
}

impl Priority {
    /// All priorities, in display order.
    pub const ALL: [Priority; 3] = [Priority::Routine, Priority::Urgent, Priority::Immediate];

    /// Days the addressee has to give feedback.
    pub fn days_to_respond(self) -> u64 {
        match self {
            Priority::Routine => 10,
            Priority::Urgent => 3,
            Priority::Immediate => 0,
        }
    }
}

/// Where a cooperation request stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralState {
    /// Sent by the inspector.
    #[default]
    Sent,
    /// Seen by the addressee.
    Received,
    /// The addressee takes it on.
    Accepted,
    /// The addressee declines it (with a reason).
    Declined,
    /// The addressee reported what was done.
    Feedback,
    /// The sender closed it.
    Closed,
}

impl ReferralState {
    /// All states, in order.
    pub const ALL: [ReferralState; 6] =
        [ReferralState::Sent, ReferralState::Received, ReferralState::Accepted, ReferralState::Declined, ReferralState::Feedback, ReferralState::Closed];

    /// Stable text form (the key of the step's stamp).
    pub fn as_str(self) -> &'static str {
        match self {
            ReferralState::Sent => "sent",
            ReferralState::Received => "received",
            ReferralState::Accepted => "accepted",
            ReferralState::Declined => "declined",
            ReferralState::Feedback => "feedback",
            ReferralState::Closed => "closed",
        }
    }

    /// Parses the stable text form.
    pub fn parse(text: &str) -> Option<Self> {
        ReferralState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The states a request may move to from this one.
    pub fn next(self) -> &'static [ReferralState] {
        match self {
            ReferralState::Sent => &[ReferralState::Received],
            ReferralState::Received => &[ReferralState::Accepted, ReferralState::Declined],
            ReferralState::Accepted => &[ReferralState::Feedback],
            ReferralState::Declined | ReferralState::Feedback => &[ReferralState::Closed],
            ReferralState::Closed => &[],
        }
    }

    /// True while the addressee still owes an answer (the deadline applies).
    pub fn awaits_addressee(self) -> bool {
        matches!(self, ReferralState::Sent | ReferralState::Received | ReferralState::Accepted)
    }
}

/// Who took a step, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stamp {
    /// The person who took it.
    pub by: String,
    /// Their role.
    pub role: Role,
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// What they wrote with it (decline reason, feedback, closing remark).
    pub note: String,
}

impl Default for Stamp {
    fn default() -> Self {
        Stamp { by: String::new(), role: Role::Inspector, at: DateTime::<Utc>::UNIX_EPOCH, note: String::new() }
    }
}

/// A cooperation request to a police service, a body outside the police or the mahalla seven.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Referral {
    /// Record id.
    pub id: RecordId,
    /// The addressee: a service or body role ([`Role::SERVICES`]), or [`Role::Seven`] for the
    /// mahalla seven.
    pub to: Role,
    /// What it is about (requests made before categories existed are [`ReferralCategory::Other`]).
    pub category: ReferralCategory,
    /// Mahalla it concerns (the record's scope).
    pub mahalla: String,
    /// Who or what it is about, in words the addressee can act on (the addressee cannot see
    /// the prevention register).
    pub subject: String,
    /// Why help is asked for.
    pub reason: String,
    /// How soon.
    pub priority: Priority,
    /// Persons on the register it concerns (links for the inspector's views).
    #[serde(with = "set_map")]
    pub person_ids: BTreeSet<RecordId>,
    /// Parent case it belongs to, if any.
    pub case_id: Option<RecordId>,
    /// Answer expected by this date.
    pub respond_by: NaiveDate,
    /// Current state.
    pub state: ReferralState,
    /// Stamp of every step taken, keyed by the state's text form.
    pub steps: BTreeMap<String, Stamp>,
    /// The escalation to the addressee's supervisor, once an overdue request was escalated.
    pub escalation: Option<Escalation>,
    /// Files attached to it (photos, audio notes, signatures, PDFs), by content hash.
    pub attachments: super::Attachments,
}

impl Default for Referral {
    fn default() -> Self {
        Referral {
            attachments: Default::default(),
            id: RecordId::new(),
            to: Role::DutyUnit,
            category: ReferralCategory::Other,
            escalation: None,
            mahalla: String::new(),
            subject: String::new(),
            reason: String::new(),
            priority: Priority::default(),
            person_ids: BTreeSet::new(),
            case_id: None,
            respond_by: NaiveDate::MIN,
            state: ReferralState::Sent,
            steps: BTreeMap::new(),
        }
    }
}

/// Who may move a request to `to`: the addressee answers, the sender's side sends and closes.
pub fn may_take_step(role: Role, addressee: Role, to: ReferralState) -> bool {
    match to {
        ReferralState::Sent | ReferralState::Closed => matches!(role, Role::Inspector | Role::Supervisor),
        _ => role == addressee,
    }
}

impl Referral {
    /// A new request sent now by `sender`, answer due by the priority's deadline.
    pub fn send(
        sender: &DeviceProfile,
        to: Role,
        mahalla: &str,
        subject: &str,
        reason: &str,
        priority: Priority,
        now: DateTime<Utc>,
    ) -> Result<Referral, ValidationErrors> {
        let mut referral = Referral {
            to,
            mahalla: mahalla.to_string(),
            subject: subject.to_string(),
            reason: reason.to_string(),
            priority,
            respond_by: now.date_naive() + Days::new(priority.days_to_respond()),
            ..Referral::default()
        };
        if !may_take_step(sender.role, to, ReferralState::Sent) {
            return Err(step_refused(sender.role, ReferralState::Sent));
        }
        referral.steps.insert(ReferralState::Sent.as_str().into(), Stamp { by: sender.person.clone(), role: sender.role, at: now, note: String::new() });
        referral.validate(now)?;
        Ok(referral)
    }

    /// Moves the request to `to`, stamped with `actor` and `now`. Refuses, with a translatable
    /// message, a step the state machine does not allow from the current state, a step the
    /// actor's role may not take, and a decline or feedback without a note.
    pub fn advance(&mut self, to: ReferralState, actor: &DeviceProfile, note: &str, now: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let mut rules = Rules::default();
        if !self.state.next().contains(&to) {
            rules.fail(
                "state",
                "referral.illegal_transition",
                vec![("from", format!("referral_state.{}", self.state.as_str())), ("to", format!("referral_state.{}", to.as_str()))],
            );
            return rules.finish();
        }
        if !may_take_step(actor.role, self.to, to) {
            return Err(step_refused(actor.role, to));
        }
        if matches!(to, ReferralState::Declined | ReferralState::Feedback) {
            rules.required("note", note);
            rules.finish()?;
        }
        self.state = to;
        self.steps.insert(to.as_str().into(), Stamp { by: actor.person.clone(), role: actor.role, at: now, note: note.trim().to_string() });
        Ok(())
    }

    /// True when the addressee's answer is past its date on `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.state.awaits_addressee() && self.respond_by < today
    }

    /// The stamp of a step, if it was taken.
    pub fn stamp(&self, state: ReferralState) -> Option<&Stamp> {
        self.steps.get(state.as_str())
    }

    /// Days from sending to feedback (or to the decline), if both are stamped.
    pub fn turnaround_days(&self) -> Option<i64> {
        let sent = self.stamp(ReferralState::Sent)?.at;
        let answered = self.stamp(ReferralState::Feedback).or_else(|| self.stamp(ReferralState::Declined))?.at;
        Some((answered - sent).num_days())
    }
}

fn step_refused(role: Role, to: ReferralState) -> ValidationErrors {
    let mut rules = Rules::default();
    rules.fail("state", "referral.step_not_allowed", vec![("role", format!("role.{}", role.as_str())), ("to", format!("referral_state.{}", to.as_str()))]);
    rules.finish().err().unwrap_or_default()
}

impl Record for Referral {
    const KIND: RecordKind = RecordKind::Referral;
    const TEXT_FIELDS: &'static [&'static str] = &[];

    fn id(&self) -> &RecordId {
        &self.id
    }

    fn validate(&self, _now: DateTime<Utc>) -> Result<(), ValidationErrors> {
        let mut rules = Rules::default();
        if !(self.to.is_service() || self.to == Role::Seven) {
            rules.fail("to", "referral.bad_addressee", vec![("role", format!("role.{}", self.to.as_str()))]);
        }
        rules.required("mahalla", &self.mahalla);
        rules.required("subject", &self.subject);
        rules.required("reason", &self.reason);
        rules.max_len("subject", &self.subject, 500);
        rules.max_len("reason", &self.reason, 5_000);
        match self.stamp(ReferralState::Sent) {
            Some(sent) => rules.not_before("respond_by", &self.respond_by, "sent_on", &sent.at.date_naive()),
            None => rules.required("steps/sent", ""),
        }
        if self.stamp(self.state).is_none() {
            rules.fail("state", "referral.unstamped_state", vec![("state", format!("referral_state.{}", self.state.as_str()))]);
        }
        for (key, stamp) in &self.steps {
            if ReferralState::parse(key).is_none() {
                rules.fail(format!("steps/{key}"), "referral.unknown_step", vec![]);
            }
            rules.max_len(format!("steps/{key}/note"), &stamp.note, 5_000);
        }
        self.check_escalation(&mut rules);
        rules.finish()
    }

    /// A step's stamp, and the escalation's, once made, is never changed or removed.
    fn check_transition(old: &Self, new: &Self) -> Result<(), ValidationErrors> {
        let mut rules = Rules::default();
        for (key, stamp) in &old.steps {
            if new.steps.get(key) != Some(stamp) {
                let step = ReferralState::parse(key).map_or_else(|| key.clone(), |s| format!("referral_state.{}", s.as_str()));
                rules.fail(format!("steps/{key}"), "validation.stamp_fixed", vec![("step", step)]);
            }
        }
        if old.escalation.is_some() && new.escalation != old.escalation {
            rules.fail("escalation", "validation.stamp_fixed", vec![("step", "referral.escalated".to_string())]);
        }
        rules.finish()
    }

    fn mahalla(&self) -> &str {
        &self.mahalla
    }

    fn audience(&self) -> Audience {
        if self.to == Role::Seven {
            Audience::CaseTeam
        } else {
            Audience::Service(self.to)
        }
    }

    fn period_year(&self) -> i32 {
        self.stamp(ReferralState::Sent).map_or(self.respond_by.year(), |s| s.at.year())
    }

    fn index_fields(&self) -> IndexFields {
        IndexFields {
            title: self.subject.clone(),
            search_text: format!("{} {} {}", self.reason, self.mahalla, self.to.as_str()),
            birth_year: None,
            due_on: self.state.awaits_addressee().then_some(self.respond_by),
            status: self.state.as_str().into(),
            links: self.person_ids.iter().cloned().chain(self.case_id.clone()).collect(),
        }
    }
}
