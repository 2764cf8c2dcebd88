//! Joint programmes: the list, adding a programme, its target families and sessions, recording
//! which families attended a session, and the report per programme (attendance per session
//! and per family, across the sessions).

use super::form::Choice;
use super::labels::{self, choice_label, invalid, parse_choice, parse_date_field, text};
use super::report::{self, section, Cell, Report};
use super::ViewContext;
use crate::error::{Error, Result};
use crate::i18n;
use crate::ids::{new_item_id, RecordId};
use crate::model::{OrganiserKind, Programme, ProgrammeOrganiser, ProgrammeSession, RecordKind, TargetFamily};
use crate::store::{ListQuery, Store};
use crate::text::name_key;

view_types! { $ programme_view_types;

    /// One programme in the list.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ProgrammeRow {
        /// Record id.
        pub id: String,
        /// Title.
        pub title: String,
        /// "01.09.2025 – 31.12.2025".
        pub period_label: String,
        /// Organisers' names.
        pub organisers: String,
        /// "Families: 6 · sessions: 4".
        pub summary: String,
    }

    /// The programmes screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ProgrammeList {
        /// Screen title.
        pub title: String,
        /// Programmes, latest first.
        pub rows: Vec<ProgrammeRow>,
        /// Shown when empty.
        pub empty_text: String,
    }

    /// An organiser of a new programme.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct NewProgrammeOrganiser {
        /// Name of the person or organisation.
        pub name: String,
        /// A value of [`organiser_kind_choices`].
        pub kind: String,
    }

    /// What a new programme says.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct NewProgramme {
        /// Title.
        pub title: String,
        /// Mahalla.
        pub mahalla: String,
        /// First day.
        pub starts_on: String,
        /// Last day (may be empty).
        pub ends_on: String,
        /// Organisers (at least one).
        pub organisers: Vec<NewProgrammeOrganiser>,
    }
}

/// Who may organise a programme.
pub fn organiser_kind_choices(ctx: &ViewContext) -> Vec<Choice> {
    labels::choices(ctx.locale, "organiser_kind", &OrganiserKind::ALL)
}

fn programme_id(id: &str) -> Result<RecordId> {
    RecordId::parse(id).ok_or_else(|| Error::NotFound(id.to_string()))
}

/// Every programme, latest first.
pub fn programme_list(store: &mut Store, ctx: &ViewContext) -> Result<ProgrammeList> {
    let locale = ctx.locale;
    let mut programmes: Vec<Programme> = report::load_where(store, ListQuery::default())?;
    programmes.sort_by_key(|p| std::cmp::Reverse((p.starts_on, p.id.to_string())));
    let rows = programmes
        .iter()
        .map(|p| ProgrammeRow {
            id: p.id.to_string(),
            title: p.title.clone(),
            period_label: format!("{} – {}", labels::date(locale, p.starts_on), p.ends_on.map(|d| labels::date(locale, d)).unwrap_or_default()),
            organisers: p.organisers.values().map(|o| o.name.clone()).collect::<Vec<_>>().join(", "),
            summary: i18n::render(locale, "programme.summary", &[("families", p.families.len().to_string()), ("sessions", p.sessions.len().to_string())]),
        })
        .collect();
    Ok(ProgrammeList { title: text(locale, "screen.programmes"), rows, empty_text: text(locale, "programme.none") })
}

/// Adds a programme; returns its id.
pub fn add_programme(store: &mut Store, new: &NewProgramme) -> Result<String> {
    let organisers = new
        .organisers
        .iter()
        .map(|o| Ok((new_item_id(), ProgrammeOrganiser { name: o.name.trim().to_string(), kind: parse_choice("kind", &o.kind)? })))
        .collect::<Result<_>>()?;
    let programme = Programme {
        title: new.title.trim().to_string(),
        mahalla: new.mahalla.trim().to_string(),
        starts_on: parse_date_field("starts_on", &new.starts_on)?,
        ends_on: match new.ends_on.trim() {
            "" => None,
            typed => Some(parse_date_field("ends_on", typed)?),
        },
        organisers,
        ..Programme::default()
    };
    store.put(&programme)?;
    Ok(programme.id.to_string())
}

/// The id of a stored record of `kind` typed for `field`, or a translatable error.
fn stored_of_kind(store: &mut Store, field: &str, id: &str, kind: RecordKind) -> Result<RecordId> {
    RecordId::parse(id).filter(|rid| store.get_raw(rid).is_ok_and(|raw| raw.kind == kind)).ok_or_else(|| invalid(field, "validation.invalid_choice", id))
}

/// Adds a target family, optionally with its parent case (a stored case's id). Returns its
/// item id.
pub fn add_programme_family(store: &mut Store, id: &str, name: &str, case_id: Option<&str>) -> Result<String> {
    let rid = programme_id(id)?;
    let case_id = case_id.map(|c| stored_of_kind(store, "case_id", c, RecordKind::ParentCase)).transpose()?;
    let item = new_item_id();
    let family = TargetFamily { name: name.trim().to_string(), case_id };
    store.update::<Programme>(&rid, |p| {
        p.families.insert(item.clone(), family);
    })?;
    Ok(item)
}

/// Adds a session on `held_on` with its topic; `event_id` links the joint event recorded for it
/// in the register (a stored joint event's id). Returns its item id.
pub fn add_programme_session(store: &mut Store, id: &str, held_on: &str, topic: &str, event_id: Option<&str>) -> Result<String> {
    let rid = programme_id(id)?;
    let event_id = event_id.map(|e| stored_of_kind(store, "event_id", e, RecordKind::JointEvent)).transpose()?;
    let session = ProgrammeSession { held_on: parse_date_field("held_on", held_on)?, topic: topic.trim().to_string(), event_id, ..Default::default() };
    let item = new_item_id();
    store.update::<Programme>(&rid, |p| {
        p.sessions.insert(item.clone(), session);
    })?;
    Ok(item)
}

/// Records the target families (by item id or by name, in either script) who attended a
/// session; adds to those recorded.
pub fn record_programme_attendance(store: &mut Store, id: &str, session: &str, families: &[String]) -> Result<()> {
    let rid = programme_id(id)?;
    let programme = store.get::<Programme>(&rid)?.record;
    if !programme.sessions.contains_key(session) {
        return Err(Error::NotFound(format!("{id}/{session}")));
    }
    let items = families
        .iter()
        .map(|typed| {
            let by_name = || programme.families.iter().find(|(_, f)| name_key(&f.name) == name_key(typed)).map(|(item, _)| item.clone());
            programme
                .families
                .get_key_value(typed.trim())
                .map(|(item, _)| item.clone())
                .or_else(by_name)
                .ok_or_else(|| invalid("attended", "programme.unknown_family", typed))
        })
        .collect::<Result<Vec<String>>>()?;
    store
        .update::<Programme>(&rid, |p| {
            if let Some(s) = p.sessions.get_mut(session) {
                s.attended.extend(items);
            }
        })
        .map(|_| ())
}

/// The report of one programme: attendance per session, then per family across the sessions
/// held (sessions up to today), with totals.
pub fn programme_report(store: &mut Store, ctx: &ViewContext, id: &str) -> Result<Report> {
    let locale = ctx.locale;
    let programme = store.get::<Programme>(&programme_id(id)?)?.record;
    let families = programme.families.len() as u32;
    let held: Vec<(&String, &ProgrammeSession)> = programme.sessions_in_order().into_iter().filter(|(_, s)| s.held_on <= ctx.today()).collect();
    let mut session_rows: Vec<Vec<Cell>> = held
        .iter()
        .map(|(_, s)| {
            let attended = s.attended.len() as u32;
            vec![
                Cell::text(labels::date(locale, s.held_on)),
                Cell::text(s.topic.clone()),
                Cell::number(attended),
                Cell::number(families),
                Cell::percent(attended, families),
            ]
        })
        .collect();
    let attendances: u32 = held.iter().map(|(_, s)| s.attended.len() as u32).sum();
    let possible = families * held.len() as u32;
    session_rows.push(vec![
        Cell::text(text(locale, "report.total")),
        Cell::Empty,
        Cell::number(attendances),
        Cell::number(possible),
        Cell::percent(attendances, possible),
    ]);
    let mut family_rows: Vec<Vec<Cell>> = programme
        .families
        .iter()
        .map(|(item, family)| {
            let attended = held.iter().filter(|(_, s)| s.attended.contains(item)).count() as u32;
            vec![Cell::text(family.name.clone()), Cell::number(attended), Cell::number(held.len() as u32), Cell::percent(attended, held.len() as u32)]
        })
        .collect();
    family_rows.sort_by(|a, b| a[0].display().cmp(&b[0].display()));
    let every_session = programme.families.keys().filter(|item| !held.is_empty() && held.iter().all(|(_, s)| s.attended.contains(*item))).count() as u32;
    family_rows.push(vec![
        Cell::text(text(locale, "programme.every_session")),
        Cell::number(every_session),
        Cell::number(families),
        Cell::percent(every_session, families),
    ]);
    let organisers =
        programme.organisers.values().map(|o| format!("{} ({})", o.name, choice_label(locale, "organiser_kind", &o.kind))).collect::<Vec<_>>().join(", ");
    Ok(Report {
        title: i18n::render(locale, "programme.report_title", &[("title", programme.title.clone())]),
        subtitle: format!(
            "{} – {} · {} · {}",
            labels::date(locale, programme.starts_on),
            programme.ends_on.map(|d| labels::date(locale, d)).unwrap_or_default(),
            labels::scope_name(&programme.mahalla),
            organisers
        ),
        sections: vec![
            section(
                ctx,
                "programme.sessions",
                &["programme.date", "programme.topic", "programme.families_attended", "programme.target_families", "programme.share"],
                session_rows,
            ),
            section(ctx, "programme.families", &["programme.family", "programme.sessions_attended", "programme.sessions_held", "programme.share"], family_rows),
        ],
    })
}
