//! Effectiveness monitoring: the +1/+3/+6-month follow-ups of conversations summed up per
//! inspector and per mahalla — how many fell due, were done (on time) or are overdue, how
//! behaviour changed, who offended again, who is busy with study, work, a club or volunteering,
//! and how well people know the law explained to them — and the action that records a
//! follow-up's result.
//!
//! A follow-up belongs to a period by its due date. Each follow-up reports the re-offences
//! since the conversation, so the *new* re-offences of a follow-up are its count minus the count
//! of the latest earlier follow-up done ([`new_reoffences`]): summing them never counts one
//! offence twice.

use super::labels::{in_script, text};
use super::report::{self, mahalla_name, percent, Cell, Period, ReportSection};
use super::ViewContext;
use crate::doc::scope_key;
use crate::error::{Error, Result};
use crate::ids::RecordId;
use crate::model::{BehaviourChange, Conversation, FollowUp, LegalKnowledge, Milestone, SocialActivity};
use crate::store::Store;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

view_types! { $ effectiveness_view_types;

    /// The follow-up figures of one inspector, one mahalla, one milestone or all.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct EffectivenessRow {
        /// Who or what the row is about.
        pub name: String,
        /// Follow-ups due in the period.
        pub due: u32,
        /// Of those, done.
        pub done: u32,
        /// Of those, not done and past their date.
        pub overdue: u32,
        /// Of those, done by their date.
        pub done_on_time: u32,
        /// `done_on_time` in percent of `due` (none when nothing was due).
        pub on_time_percent: Option<u32>,
        /// Done follow-ups that found the behaviour improved.
        pub improved: u32,
        /// … unchanged.
        pub unchanged: u32,
        /// … worsened.
        pub worsened: u32,
        /// Persons who offended again.
        pub reoffended_persons: u32,
        /// New re-offences reported.
        pub reoffences: u32,
        /// Done follow-ups that found the person busy with study, work, a club or volunteering.
        pub with_activity: u32,
        /// `with_activity` in percent of `done` (none when nothing was done).
        pub activity_percent: Option<u32>,
        /// Done follow-ups that found legal knowledge good.
        pub legal_good: u32,
        /// … partial.
        pub legal_partial: u32,
        /// … low.
        pub legal_low: u32,
    }

    /// The effectiveness monitoring screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Effectiveness {
        /// Screen title.
        pub title: String,
        /// The period (and mahalla) shown.
        pub subtitle: String,
        /// Column headers for the rows, first the name column.
        pub columns: Vec<String>,
        /// Title of the per-inspector table.
        pub inspector_title: String,
        /// One row per inspector, by name.
        pub by_inspector: Vec<EffectivenessRow>,
        /// Title of the per-mahalla table.
        pub mahalla_title: String,
        /// One row per mahalla, by name.
        pub by_mahalla: Vec<EffectivenessRow>,
        /// All follow-ups of the period.
        pub total: EffectivenessRow,
        /// Shown when no follow-up fell due in the period.
        pub empty_text: String,
    }
}

/// Catalog keys of the effectiveness columns after the name column.
const COLUMN_KEYS: [&str; 15] = [
    "effectiveness.due",
    "effectiveness.done",
    "effectiveness.overdue",
    "effectiveness.done_on_time",
    "effectiveness.on_time_percent",
    "behaviour.improved",
    "behaviour.unchanged",
    "behaviour.worsened",
    "effectiveness.reoffended_persons",
    "effectiveness.reoffences",
    "effectiveness.with_activity",
    "effectiveness.activity_percent",
    "effectiveness.legal_good",
    "effectiveness.legal_partial",
    "effectiveness.legal_low",
];

/// The column headers: `name_key`'s label, then the figures.
pub(crate) fn columns(ctx: &ViewContext, name_key: &str) -> Vec<String> {
    std::iter::once(name_key).chain(COLUMN_KEYS).map(|k| text(ctx.locale, k)).collect()
}

impl EffectivenessRow {
    /// The row as report cells, in the order of the columns.
    pub fn cells(&self) -> Vec<Cell> {
        let n = |v: u32| Cell::number(v);
        let share = |p: Option<u32>| p.map_or(Cell::Empty, Cell::number);
        vec![
            Cell::text(self.name.clone()),
            n(self.due),
            n(self.done),
            n(self.overdue),
            n(self.done_on_time),
            share(self.on_time_percent),
            n(self.improved),
            n(self.unchanged),
            n(self.worsened),
            n(self.reoffended_persons),
            n(self.reoffences),
            n(self.with_activity),
            share(self.activity_percent),
            n(self.legal_good),
            n(self.legal_partial),
            n(self.legal_low),
        ]
    }
}

/// The new re-offences a follow-up reports: its count minus that of the latest earlier
/// milestone done (counts are since the conversation).
pub fn new_reoffences(talk: &Conversation, milestone: Milestone) -> u32 {
    let Some(follow_up) = talk.follow_up(milestone).filter(|f| f.is_done() && f.reoffended) else { return 0 };
    let before = Milestone::ALL
        .into_iter()
        .filter(|m| *m < milestone)
        .filter_map(|m| talk.follow_up(m))
        .filter(|f| f.is_done() && f.reoffended)
        .map(|f| f.reoffences)
        .max()
        .unwrap_or(0);
    follow_up.reoffences.saturating_sub(before)
}

/// Whether a follow-up is not done and its day has passed.
pub(crate) fn is_overdue(follow_up: &FollowUp, today: NaiveDate) -> bool {
    follow_up.done_on.is_none() && follow_up.due < today
}

/// Running counts of follow-ups.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tally {
    due: u32,
    done: u32,
    overdue: u32,
    on_time: u32,
    behaviour: BTreeMap<BehaviourChange, u32>,
    reoffended: BTreeSet<RecordId>,
    reoffences: u32,
    with_activity: u32,
    legal: BTreeMap<LegalKnowledge, u32>,
}

impl Tally {
    /// Counts one follow-up of `talk` due in the period, as seen on `today`.
    pub(crate) fn add(&mut self, talk: &Conversation, milestone: Milestone, follow_up: &FollowUp, today: NaiveDate) {
        self.due += 1;
        let Some(done_on) = follow_up.done_on else {
            self.overdue += u32::from(is_overdue(follow_up, today));
            return;
        };
        self.done += 1;
        self.on_time += u32::from(done_on <= follow_up.due);
        if let Some(b) = follow_up.behaviour {
            *self.behaviour.entry(b).or_default() += 1;
        }
        if follow_up.reoffended {
            self.reoffended.extend(talk.person_ids.iter().cloned());
        }
        self.reoffences += new_reoffences(talk, milestone);
        self.with_activity += u32::from(!follow_up.activities.is_empty());
        if let Some(k) = follow_up.legal_knowledge {
            *self.legal.entry(k).or_default() += 1;
        }
    }

    /// The counts as a row named `name`.
    pub(crate) fn row(&self, name: String) -> EffectivenessRow {
        let behaviour = |b| self.behaviour.get(&b).copied().unwrap_or(0);
        let legal = |k| self.legal.get(&k).copied().unwrap_or(0);
        EffectivenessRow {
            name,
            due: self.due,
            done: self.done,
            overdue: self.overdue,
            done_on_time: self.on_time,
            on_time_percent: percent(self.on_time, self.due),
            improved: behaviour(BehaviourChange::Improved),
            unchanged: behaviour(BehaviourChange::Unchanged),
            worsened: behaviour(BehaviourChange::Worsened),
            reoffended_persons: self.reoffended.len() as u32,
            reoffences: self.reoffences,
            with_activity: self.with_activity,
            activity_percent: percent(self.with_activity, self.done),
            legal_good: legal(LegalKnowledge::Good),
            legal_partial: legal(LegalKnowledge::Partial),
            legal_low: legal(LegalKnowledge::Low),
        }
    }
}

/// Every follow-up of `talks` due in `period`, with its conversation and milestone.
pub(crate) fn follow_ups_due<'a>(talks: &'a [Conversation], period: &'a Period) -> impl Iterator<Item = (&'a Conversation, Milestone, &'a FollowUp)> + 'a {
    talks
        .iter()
        .flat_map(move |talk| Milestone::ALL.into_iter().filter_map(move |m| talk.follow_up(m).filter(|f| period.contains(f.due)).map(|f| (talk, m, f))))
}

/// Rows of tallies grouped by a key, in key order, each named by `name`.
fn grouped(
    talks: &[Conversation],
    period: &Period,
    today: NaiveDate,
    key: impl Fn(&Conversation) -> String,
    name: impl Fn(&str) -> String,
) -> Vec<EffectivenessRow> {
    let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
    for (talk, milestone, follow_up) in follow_ups_due(talks, period) {
        groups.entry(key(talk)).or_default().add(talk, milestone, follow_up, today);
    }
    let mut rows: Vec<EffectivenessRow> = groups.iter().map(|(k, t)| t.row(name(k))).collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    rows
}

/// Follow-up figures of the conversations held in `mahalla` (all when none), for follow-ups
/// due from `from` to `to`, per inspector and per mahalla.
pub fn effectiveness(store: &mut Store, ctx: &ViewContext, from: NaiveDate, to: NaiveDate, mahalla: Option<&str>) -> Result<Effectiveness> {
    let period = Period::new(from, to)?;
    let talks = report::load::<Conversation>(store, mahalla)?;
    Ok(summarise(ctx, &period, mahalla, &talks))
}

/// The effectiveness view of some conversations (shared with the district report).
pub(crate) fn summarise(ctx: &ViewContext, period: &Period, mahalla: Option<&str>, talks: &[Conversation]) -> Effectiveness {
    let locale = ctx.locale;
    let today = ctx.today();
    let no_inspector = text(locale, "effectiveness.no_inspector");
    let by_inspector =
        grouped(talks, period, today, |t| t.inspector.trim().to_string(), |k| if k.is_empty() { no_inspector.clone() } else { in_script(locale, k) });
    let by_mahalla = grouped(talks, period, today, |t| scope_key(&t.mahalla), |k| mahalla_name(ctx, k));
    let mut total = Tally::default();
    for (talk, milestone, follow_up) in follow_ups_due(talks, period) {
        total.add(talk, milestone, follow_up, today);
    }
    Effectiveness {
        title: text(locale, "effectiveness.title"),
        subtitle: period.label(ctx, mahalla),
        columns: columns(ctx, "effectiveness.name"),
        inspector_title: text(locale, "effectiveness.by_inspector"),
        by_inspector,
        mahalla_title: text(locale, "effectiveness.by_mahalla"),
        by_mahalla,
        total: total.row(text(locale, "report.total")),
        empty_text: text(locale, "effectiveness.empty"),
    }
}

impl Effectiveness {
    /// The per-inspector and per-mahalla tables as report sections, each ending with the total.
    pub fn sections(&self, ctx: &ViewContext) -> Vec<ReportSection> {
        let table = |title: &str, name_key: &str, rows: &[EffectivenessRow]| ReportSection {
            title: title.to_string(),
            columns: columns(ctx, name_key),
            rows: rows.iter().chain([&self.total]).map(EffectivenessRow::cells).collect(),
        };
        vec![table(&self.inspector_title, "field.inspector", &self.by_inspector), table(&self.mahalla_title, "field.mahalla", &self.by_mahalla)]
    }
}

/// Records the result of a conversation's follow-up (+1, +3 or +6 months) as done on `done_on`
/// by this device's user. The conversation's rules check it: a done follow-up needs the
/// behaviour change and legal knowledge, a number of re-offences needs `reoffended`, and it
/// cannot be dated in the future or before the conversation. Follow-ups missing on an older
/// conversation are scheduled first.
#[allow(clippy::too_many_arguments)] // One argument per indicator, as the follow-up form has them.
pub fn record_follow_up(
    store: &mut Store,
    conversation_id: &str,
    milestone: Milestone,
    done_on: NaiveDate,
    behaviour: Option<BehaviourChange>,
    reoffended: bool,
    reoffences: u32,
    activities: &[SocialActivity],
    legal_knowledge: Option<LegalKnowledge>,
    note: &str,
) -> Result<()> {
    let id = RecordId::parse(conversation_id).ok_or_else(|| Error::NotFound(conversation_id.to_string()))?;
    let by = store.device().profile.person.clone();
    store.update::<Conversation>(&id, |talk| {
        talk.schedule_follow_ups();
        if let Some(follow_up) = talk.follow_ups.get_mut(milestone.key()) {
            follow_up.done_on = Some(done_on);
            follow_up.by = by;
            follow_up.behaviour = behaviour;
            follow_up.reoffended = reoffended;
            follow_up.reoffences = reoffences;
            follow_up.activities = activities.iter().copied().collect();
            follow_up.legal_knowledge = legal_knowledge;
            follow_up.note = note.trim().to_string();
        }
    })?;
    Ok(())
}
