//! Training of inspectors and members of the seven: the list of sessions, adding one,
//! recording who attended, and the per-person record (what training a person had).

use super::form::Choice;
use super::labels::{self, choice_label, parse_choice, parse_date_field, text};
use super::report;
use super::ViewContext;
use crate::error::{Error, Result};
use crate::i18n;
use crate::ids::{new_item_id, RecordId};
use crate::model::{SevenRole, Trainee, TrainingSession, TrainingTopic};
use crate::store::{ListQuery, Store};
use crate::text::name_key;
use std::collections::BTreeSet;

view_types! { $ training_view_types;

    /// One training session in the list.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct TrainingRow {
        /// Record id.
        pub id: String,
        /// Topic label.
        pub topic_label: String,
        /// Title or details.
        pub title: String,
        /// Day held.
        pub date_label: String,
        /// Who trained.
        pub trainer: String,
        /// "Attended: 7".
        pub attendance_label: String,
    }

    /// The training sessions screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct TrainingList {
        /// Screen title.
        pub title: String,
        /// Sessions, latest first.
        pub rows: Vec<TrainingRow>,
        /// Shown when empty.
        pub empty_text: String,
    }

    /// What a new training session says.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct NewTraining {
        /// A value of [`training_topic_choices`].
        pub topic: String,
        /// Title or details (required for "other").
        pub title: String,
        /// Day held (`YYYY-MM-DD` or `DD.MM.YYYY`).
        pub held_on: String,
        /// Mahalla.
        pub mahalla: String,
        /// Who trained.
        pub trainer: String,
    }

    /// Someone who attended a training session.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct NewTrainee {
        /// Full name.
        pub name: String,
        /// A role of the seven (`inspector`, `chairman`, `womens_activist`, …).
        pub role: String,
    }

    /// One training a person had.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct PersonTrainingRow {
        /// Day held.
        pub date_label: String,
        /// Topic label.
        pub topic_label: String,
        /// Title or details.
        pub title: String,
        /// The role they attended in.
        pub role_label: String,
    }

    /// What training a person had.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct PersonTraining {
        /// "Training of Karimova Nodira".
        pub title: String,
        /// Their sessions, latest first.
        pub rows: Vec<PersonTrainingRow>,
        /// Topics they were trained in, in catalog order.
        pub topics_had: Vec<String>,
        /// Topics of the catalog they were not trained in yet.
        pub topics_missing: Vec<String>,
        /// Shown when they had none.
        pub empty_text: String,
    }
}

/// The topics of training (the catalog's list).
pub fn training_topic_choices(ctx: &ViewContext) -> Vec<Choice> {
    labels::choices(ctx.locale, "training_topic", &TrainingTopic::ALL)
}

fn all_sessions(store: &mut Store) -> Result<Vec<TrainingSession>> {
    let mut sessions: Vec<TrainingSession> = report::load_where(store, ListQuery::default())?;
    sessions.sort_by_key(|s| std::cmp::Reverse((s.held_on, s.id.to_string())));
    Ok(sessions)
}

/// Every training session, latest first.
pub fn training_list(store: &mut Store, ctx: &ViewContext) -> Result<TrainingList> {
    let locale = ctx.locale;
    let rows = all_sessions(store)?
        .iter()
        .map(|s| TrainingRow {
            id: s.id.to_string(),
            topic_label: choice_label(locale, "training_topic", &s.topic),
            title: s.title.clone(),
            date_label: labels::date(locale, s.held_on),
            trainer: s.trainer.clone(),
            attendance_label: i18n::render(locale, "event.attendance", &[("count", s.attendees.len().to_string())]),
        })
        .collect();
    Ok(TrainingList { title: text(locale, "screen.training"), rows, empty_text: text(locale, "training.none") })
}

/// Adds a training session; returns its id.
pub fn add_training(store: &mut Store, new: &NewTraining) -> Result<String> {
    let session = TrainingSession {
        topic: parse_choice("topic", &new.topic)?,
        title: new.title.trim().to_string(),
        held_on: parse_date_field("held_on", &new.held_on)?,
        mahalla: new.mahalla.trim().to_string(),
        trainer: new.trainer.trim().to_string(),
        ..TrainingSession::default()
    };
    store.put(&session)?;
    Ok(session.id.to_string())
}

/// Records who attended a session. A name already on it (in either script) is not added twice.
pub fn record_training_attendance(store: &mut Store, id: &str, attendees: &[NewTrainee]) -> Result<()> {
    let rid = RecordId::parse(id).ok_or_else(|| Error::NotFound(id.to_string()))?;
    let trainees = attendees
        .iter()
        .map(|a| Ok(Trainee { name: a.name.trim().to_string(), role: parse_choice::<SevenRole>("role", &a.role)? }))
        .collect::<Result<Vec<_>>>()?;
    store.update::<TrainingSession>(&rid, |session| {
        for trainee in trainees {
            if !session.attendees.values().any(|t| name_key(&t.name) == name_key(&trainee.name)) {
                session.attendees.insert(new_item_id(), trainee);
            }
        }
    })?;
    Ok(())
}

/// What training the person named `name` had (matched in either script, any case).
pub fn person_training(store: &mut Store, ctx: &ViewContext, name: &str) -> Result<PersonTraining> {
    let locale = ctx.locale;
    let key = name_key(name);
    let mut rows = Vec::new();
    let mut had = BTreeSet::new();
    for session in all_sessions(store)? {
        if let Some(trainee) = session.attendees.values().find(|t| name_key(&t.name) == key) {
            had.insert(session.topic);
            rows.push(PersonTrainingRow {
                date_label: labels::date(locale, session.held_on),
                topic_label: choice_label(locale, "training_topic", &session.topic),
                title: session.title.clone(),
                role_label: choice_label(locale, "seven_role", &trainee.role),
            });
        }
    }
    let topics = |wanted: bool| {
        TrainingTopic::ALL
            .iter()
            .filter(|t| **t != TrainingTopic::Other && had.contains(t) == wanted)
            .map(|t| choice_label(locale, "training_topic", t))
            .collect()
    };
    Ok(PersonTraining {
        title: i18n::render(locale, "training.of_person", &[("name", name.trim().to_string())]),
        rows,
        topics_had: topics(true),
        topics_missing: topics(false),
        empty_text: text(locale, "training.none_for_person"),
    })
}
