//! Today's worklist: follow-ups and agreed actions of conversations, and open tasks of the
//! mahalla seven, that are overdue or due within a week, most urgent first — plus
//! effectiveness checks, cooperation requests and applications ([`super::worklist_more`]).
//!
//! Rules:
//! - A conversation's `next_follow_up` is due for each of its persons until a later
//!   conversation with that person is recorded (which carries the next follow-up date).
//! - An agreed action or a seven task is due until it is marked done.
//! - Open seven tasks without a due date are listed last, so someone gives them one.
//! - Order: urgency (overdue, today, soon, no date), then the earliest date, then the higher
//!   risk score of the persons concerned, then kind and name.

use super::forms::display_name;
use super::labels::{self, text};
use super::risk::Weights;
use super::ViewContext;
use crate::error::{Error, Result};
use crate::i18n::{self, Locale};
use crate::ids::RecordId;
use crate::model::{CaseStatus, Conversation, ParentCase, Person, RecordKind};
use crate::store::{ListQuery, Store};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};

/// How many days ahead the worklist looks.
pub(super) const HORIZON_DAYS: i64 = 7;
/// Local time of day at which a reminder for a due date fires.
const REMINDER_TIME: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

view_types! { $ worklist_view_types;

    /// What kind of work an item is.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum WorkKind {
        /// Visit a person again (a conversation's next follow-up).
        FollowUp,
        /// An action agreed in a conversation.
        AgreedAction,
        /// A task of the mahalla seven in a parent case.
        SevenTask,
        /// An effectiveness follow-up (+1/+3/+6 months after a conversation) not done yet.
        EffectivenessCheck,
        /// A cooperation request addressed to this device's service (or the mahalla seven)
        /// waiting for its answer.
        RequestToAnswer,
        /// A request this inspector sent whose answer is past its date.
        RequestOverdue,
        /// An overdue request escalated to the addressee's supervisor, still unanswered (on the
        /// sender's side and on the addressee's devices).
        RequestEscalated,
        /// A request this inspector sent that was answered or declined and waits to be closed.
        RequestToClose,
        /// An application without a decision, past or near its deadline.
        ApplicationDeadline,
    }

    /// How urgent an item is.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Urgency {
        /// Past its date.
        Overdue,
        /// Due today.
        Today,
        /// Due within the next week.
        Soon,
        /// Open, with no date set.
        NoDate,
    }

    /// One row of the worklist.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct WorkItem {
        /// Kind of work.
        pub kind: WorkKind,
        /// Urgency.
        pub urgency: Urgency,
        /// The conversation, parent case, request or application the item belongs to.
        pub record_id: String,
        /// The agreed action or task inside the record, or the milestone (`m1`, `m3`, `m6`) of an
        /// effectiveness check (none for other kinds).
        pub item_id: Option<String>,
        /// The person to visit (follow-ups, checks) or concerned (requests, applications), to
        /// open their card or a new conversation.
        pub person_id: Option<String>,
        /// Who: the person's name, or the guardians of the case.
        pub title: String,
        /// Why it is listed, e.g. "Follow-up: overdue by 3 day(s)".
        pub reason: String,
        /// What: the action or task, or the last conversation.
        pub detail: String,
        /// Due date (`YYYY-MM-DD`), if any.
        pub due_on: Option<String>,
        /// Due date for display, or "no due date".
        pub due_label: String,
        /// Label of the urgency, for a badge.
        pub urgency_label: String,
        /// Days until due (negative when overdue).
        pub days_until_due: Option<i32>,
        /// Risk score of the persons concerned.
        pub risk_score: u32,
        /// The reasons of the risk score ("Previous offence (+3)").
        pub risk_reasons: Vec<String>,
        /// True when the item can be ticked off here with `complete_work_item` (actions and
        /// tasks).
        pub can_complete: bool,
    }

    /// The worklist screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Worklist {
        /// Screen title.
        pub title: String,
        /// "Overdue: 2 · Today: 1".
        pub summary: String,
        /// Items, most urgent first.
        pub items: Vec<WorkItem>,
        /// Number of overdue items.
        pub overdue_count: u32,
        /// Number of items due today.
        pub due_today_count: u32,
        /// Shown when there are no items.
        pub empty_text: String,
        /// Label of the button that ticks an item off.
        pub complete_label: String,
    }

    /// A reminder the platform should show (through the shell's notifier).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Reminder {
        /// Stable id (the same work item always has the same id), to replace or cancel it.
        pub id: String,
        /// Notification title.
        pub title: String,
        /// Notification text.
        pub body: String,
        /// When to show it (ms since the epoch): 09:00 local on the due date, or now if past.
        pub fire_at_ms: i64,
    }
}

/// Persons and their latest conversations, loaded once per worklist.
pub(super) struct Lookup<'a> {
    pub(super) store: &'a mut Store,
    weights: Weights,
    persons: HashMap<RecordId, Option<Person>>,
    latest: HashMap<RecordId, Option<(DateTime<Utc>, RecordId)>>,
}

impl Lookup<'_> {
    fn person(&mut self, id: &RecordId) -> Result<Option<&Person>> {
        if !self.persons.contains_key(id) {
            let person = match self.store.get::<Person>(id) {
                Ok(stored) => Some(stored.record),
                Err(Error::NotFound(_)) => None,
                Err(e) => return Err(e),
            };
            self.persons.insert(id.clone(), person);
        }
        Ok(self.persons.get(id).and_then(Option::as_ref))
    }

    /// The latest conversation with a person: (start, id).
    fn latest_conversation(&mut self, person: &RecordId) -> Result<Option<(DateTime<Utc>, RecordId)>> {
        if let Some(found) = self.latest.get(person) {
            return Ok(found.clone());
        }
        let query = ListQuery { kind: Some(RecordKind::Conversation), linked_to: Some(person.to_string()), limit: Some(u32::MAX), ..Default::default() };
        let mut latest = None;
        for row in self.store.list(&query)? {
            let Some(id) = RecordId::parse(&row.record_id) else { continue };
            let talk = self.store.get::<Conversation>(&id)?.record;
            latest = latest.max(Some((talk.started_at, id)));
        }
        self.latest.insert(person.clone(), latest.clone());
        Ok(latest)
    }

    /// Names (in the locale's script) and the combined risk of some persons.
    pub(super) fn describe(&mut self, locale: Locale, ids: &BTreeSet<RecordId>) -> Result<(String, u32, Vec<String>)> {
        let mut names = Vec::new();
        let mut factors = BTreeSet::new();
        for id in ids {
            match self.person(id)? {
                Some(person) => {
                    names.push(display_name(locale, person));
                    factors.extend(person.risk_factors.iter().copied());
                }
                None => names.push(id.short().to_string()),
            }
        }
        let (score, reasons) = self.weights.score(locale, &factors);
        Ok((names.join(", "), score, reasons))
    }
}

/// Builds one item; `due` decides its urgency.
pub(super) struct Draft {
    pub(super) kind: WorkKind,
    pub(super) record_id: String,
    pub(super) item_id: Option<String>,
    pub(super) person_id: Option<String>,
    pub(super) title: String,
    pub(super) detail: String,
    pub(super) due: Option<NaiveDate>,
    pub(super) risk: (u32, Vec<String>),
}

impl Draft {
    pub(super) fn finish(self, ctx: &ViewContext) -> WorkItem {
        let locale = ctx.locale;
        let days = self.due.map(|d| (d - ctx.today()).num_days());
        let (urgency, when) = match days {
            None => (Urgency::NoDate, text(locale, "worklist.when.no_date")),
            Some(d) if d < 0 => (Urgency::Overdue, i18n::render(locale, "worklist.when.overdue", &[("days", (-d).to_string())])),
            Some(0) => (Urgency::Today, text(locale, "worklist.when.today")),
            Some(d) => (Urgency::Soon, i18n::render(locale, "worklist.when.soon", &[("days", d.to_string())])),
        };
        let kind_key = match self.kind {
            WorkKind::FollowUp => "worklist.kind.follow_up",
            WorkKind::AgreedAction => "worklist.kind.agreed_action",
            WorkKind::SevenTask => "worklist.kind.seven_task",
            WorkKind::EffectivenessCheck => "worklist.kind.effectiveness_check",
            WorkKind::RequestToAnswer => "worklist.kind.request_to_answer",
            WorkKind::RequestOverdue => "worklist.kind.request_overdue",
            WorkKind::RequestEscalated => "worklist.kind.request_escalated",
            WorkKind::RequestToClose => "worklist.kind.request_to_close",
            WorkKind::ApplicationDeadline => "worklist.kind.application_deadline",
        };
        let urgency_key = match urgency {
            Urgency::Overdue => "urgency.overdue",
            Urgency::Today => "urgency.today",
            Urgency::Soon => "urgency.soon",
            Urgency::NoDate => "urgency.no_date",
        };
        WorkItem {
            kind: self.kind,
            urgency,
            can_complete: self.item_id.is_some() && matches!(self.kind, WorkKind::AgreedAction | WorkKind::SevenTask),
            record_id: self.record_id,
            item_id: self.item_id,
            person_id: self.person_id,
            title: self.title,
            reason: i18n::render(locale, "worklist.reason", &[("kind", text(locale, kind_key)), ("when", when)]),
            detail: self.detail,
            due_on: self.due.map(|d| d.to_string()),
            due_label: self.due.map(|d| labels::date(locale, d)).unwrap_or_else(|| text(locale, "worklist.when.no_date")),
            urgency_label: text(locale, urgency_key),
            days_until_due: days.map(|d| d.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32),
            risk_score: self.risk.0,
            risk_reasons: self.risk.1,
        }
    }
}

pub(super) fn rows(store: &Store, kind: RecordKind) -> Result<Vec<crate::store::IndexRow>> {
    store.list(&ListQuery { kind: Some(kind), limit: Some(u32::MAX), ..Default::default() })
}

/// Items from conversations: follow-ups not yet superseded and open agreed actions.
fn conversation_items(lookup: &mut Lookup<'_>, ctx: &ViewContext, horizon: NaiveDate, out: &mut Vec<WorkItem>) -> Result<()> {
    let locale = ctx.locale;
    for row in rows(lookup.store, RecordKind::Conversation)? {
        let (Some(due), Some(id)) = (row.due_on, RecordId::parse(&row.record_id)) else { continue };
        if due > horizon {
            continue;
        }
        let talk = lookup.store.get::<Conversation>(&id)?.record;
        let last_talk =
            i18n::render(locale, "worklist.last_talk", &[("date", labels::date(locale, ctx.local(talk.started_at).date())), ("place", talk.place.clone())]);
        if let Some(follow_up) = talk.next_follow_up.filter(|d| *d <= horizon) {
            for person in &talk.person_ids {
                let latest = lookup.latest_conversation(person)?;
                if latest.is_some_and(|(_, latest_id)| latest_id != talk.id) {
                    continue;
                }
                let (title, score, reasons) = lookup.describe(locale, &BTreeSet::from([person.clone()]))?;
                out.push(
                    Draft {
                        kind: WorkKind::FollowUp,
                        record_id: talk.id.to_string(),
                        item_id: None,
                        person_id: Some(person.to_string()),
                        title,
                        detail: last_talk.clone(),
                        due: Some(follow_up),
                        risk: (score, reasons),
                    }
                    .finish(ctx),
                );
            }
        }
        for (item_id, action) in &talk.agreed_actions {
            let Some(due) = action.due.filter(|d| !action.done && *d <= horizon) else { continue };
            let (title, score, reasons) = lookup.describe(locale, &talk.person_ids)?;
            out.push(
                Draft {
                    kind: WorkKind::AgreedAction,
                    record_id: talk.id.to_string(),
                    item_id: Some(item_id.clone()),
                    person_id: talk.person_ids.first().map(|p| p.to_string()),
                    title,
                    detail: action.text.clone(),
                    due: Some(due),
                    risk: (score, reasons),
                }
                .finish(ctx),
            );
        }
    }
    Ok(())
}

/// Items from open parent cases: open seven tasks due by the horizon or without a date.
fn case_items(lookup: &mut Lookup<'_>, ctx: &ViewContext, horizon: NaiveDate, out: &mut Vec<WorkItem>) -> Result<()> {
    let locale = ctx.locale;
    for row in rows(lookup.store, RecordKind::ParentCase)? {
        let Some(id) = RecordId::parse(&row.record_id) else { continue };
        let case = lookup.store.get::<ParentCase>(&id)?.record;
        if case.status == CaseStatus::Closed {
            continue;
        }
        let linked: BTreeSet<RecordId> = case.guardians.values().filter_map(|g| g.person_id.clone()).collect();
        let risk = lookup.describe(locale, &linked)?;
        let title = labels::in_script(locale, &case.guardians.values().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", "));
        for (task_id, task) in case.open_tasks() {
            if task.due.is_some_and(|d| d > horizon) {
                continue;
            }
            let role = labels::choice_label(locale, "seven_role", &task.role);
            out.push(
                Draft {
                    kind: WorkKind::SevenTask,
                    record_id: case.id.to_string(),
                    item_id: Some(task_id.clone()),
                    person_id: None,
                    title: title.clone(),
                    detail: i18n::render(locale, "worklist.task", &[("role", role), ("task", task.task.clone())]),
                    due: task.due,
                    risk: (risk.1, risk.2.clone()),
                }
                .finish(ctx),
            );
        }
    }
    Ok(())
}

/// Every open item due by the horizon, most urgent first.
fn items(store: &mut Store, ctx: &ViewContext) -> Result<Vec<WorkItem>> {
    let horizon = ctx.today() + Duration::days(HORIZON_DAYS);
    let weights = Weights::load(store)?;
    let mut lookup = Lookup { store, weights, persons: HashMap::new(), latest: HashMap::new() };
    let mut out = Vec::new();
    conversation_items(&mut lookup, ctx, horizon, &mut out)?;
    case_items(&mut lookup, ctx, horizon, &mut out)?;
    super::worklist_more::more_items(&mut lookup, ctx, horizon, &mut out)?;
    out.sort_by(|a, b| {
        let key = |i: &WorkItem| (i.urgency, i.days_until_due, Reverse(i.risk_score), i.kind);
        key(a)
            .cmp(&key(b))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| (&a.record_id, &a.item_id, &a.person_id).cmp(&(&b.record_id, &b.item_id, &b.person_id)))
    });
    Ok(out)
}

/// The visits overdue today: each person's next follow-up visit (set by their latest
/// conversation) whose day has passed, as the worklist lists them.
pub(super) fn overdue_visits(store: &mut Store, ctx: &ViewContext) -> Result<Vec<WorkItem>> {
    let weights = Weights::load(store)?;
    let mut lookup = Lookup { store, weights, persons: HashMap::new(), latest: HashMap::new() };
    let mut out = Vec::new();
    conversation_items(&mut lookup, ctx, ctx.today(), &mut out)?;
    out.retain(|item| item.kind == WorkKind::FollowUp && item.urgency == Urgency::Overdue);
    Ok(out)
}

/// Today's worklist.
pub fn worklist(store: &mut Store, ctx: &ViewContext) -> Result<Worklist> {
    let locale = ctx.locale;
    let items = items(store, ctx)?;
    let count = |u: Urgency| items.iter().filter(|i| i.urgency == u).count() as u32;
    let (overdue, today) = (count(Urgency::Overdue), count(Urgency::Today));
    Ok(Worklist {
        title: text(locale, "screen.worklist"),
        summary: i18n::render(locale, "worklist.summary", &[("overdue", overdue.to_string()), ("today", today.to_string())]),
        items,
        overdue_count: overdue,
        due_today_count: today,
        empty_text: text(locale, "worklist.empty"),
        complete_label: text(locale, "action.mark_done"),
    })
}

/// Number of overdue items (for the tab badge).
pub(crate) fn overdue_count(store: &mut Store, ctx: &ViewContext) -> Result<u32> {
    Ok(items(store, ctx)?.iter().filter(|i| i.urgency == Urgency::Overdue).count() as u32)
}

/// Reminders for every dated item of the worklist, for the platform's notifier.
pub fn reminders(store: &mut Store, ctx: &ViewContext) -> Result<Vec<Reminder>> {
    let locale = ctx.locale;
    Ok(items(store, ctx)?
        .into_iter()
        .filter_map(|item| {
            let due: NaiveDate = item.due_on.as_deref()?.parse().ok()?;
            let fire_at = ctx.utc(due.and_time(REMINDER_TIME)).max(ctx.now);
            let who = item.item_id.as_deref().or(item.person_id.as_deref()).unwrap_or_default();
            Some(Reminder {
                id: format!("{}/{who}", item.record_id),
                title: i18n::render(locale, "reminder.title", &[("who", item.title.clone())]),
                body: format!("{} — {}", item.reason, item.detail),
                fire_at_ms: fire_at.timestamp_millis(),
            })
        })
        .collect())
}

/// Ticks off an agreed action of a conversation or a task of a parent case.
pub fn complete_work_item(store: &mut Store, record_id: &str, item_id: &str) -> Result<()> {
    let not_found = || Error::NotFound(format!("{record_id}/{item_id}"));
    let id = RecordId::parse(record_id).ok_or_else(not_found)?;
    match store.get_raw(&id)?.kind {
        RecordKind::Conversation => {
            let talk = store.get::<Conversation>(&id)?.record;
            if !talk.agreed_actions.contains_key(item_id) {
                return Err(not_found());
            }
            store.update::<Conversation>(&id, |t| {
                if let Some(action) = t.agreed_actions.get_mut(item_id) {
                    action.done = true;
                }
            })?;
        }
        RecordKind::ParentCase => super::parent_case::set_case_task_done(store, record_id, item_id, true)?,
        RecordKind::Person | RecordKind::Referral | RecordKind::Application | RecordKind::JointEvent | RecordKind::Programme | RecordKind::Training => {
            return Err(not_found())
        }
    }
    Ok(())
}
