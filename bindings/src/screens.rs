//! Screens and user actions of the `Suhbat` object: each returns a view-model computed by the
//! core in the current language, or performs one user action. Shells only render and forward.

use crate::error::SuhbatError;
use crate::suhbat::Suhbat;
use chrono::{Datelike, Utc};
use suhbat_core::sample::SampleData;
use suhbat_core::views::{self, FieldInput, FieldKind, FormKind};
use suhbat_core::{
    AccessKind, Application, Conversation, JointEvent, ParentCase, Person, Programme, Record, RecordId, RecordKind, Referral, Store, TrainingSession, Version,
};

fn parse_json<R: Record>(json: &str) -> Result<R, SuhbatError> {
    serde_json::from_str(json).map_err(|e| SuhbatError::BadInput(format!("not a {}: {e}", R::KIND)))
}

fn parse_id(id: &str) -> Result<RecordId, SuhbatError> {
    RecordId::parse(id).ok_or_else(|| SuhbatError::NotFound(format!("{id:?} is not a record id")))
}

impl Suhbat {
    /// Parses a record of type `R` from JSON and stores it.
    fn put_json<R: Record>(&self, json: &str, version: &str) -> Result<bool, SuhbatError> {
        let record: R = parse_json(json)?;
        let version = Version::parse(version).ok_or_else(|| SuhbatError::BadInput(format!("{version:?} is not a record version")))?;
        self.run(|store, _| {
            // The same checks as the forms: e.g. a conversation about a person stored nowhere
            // is refused.
            views::check_references(store, &record)?;
            store.put_at(&record, &version)
        })
    }
}

#[uniffi::export]
impl Suhbat {
    /// A text from the core's catalog by key (e.g. `action.back`), in the current language.
    pub fn text(&self, key: String) -> Result<String, SuhbatError> {
        Ok(suhbat_core::i18n::text(self.ctx()?.locale, &key))
    }

    /// The app title and tabs with their badges (overdue work, open conflicts).
    pub fn navigation(&self) -> Result<views::Navigation, SuhbatError> {
        self.run(views::navigation)
    }

    /// Today's worklist: overdue and due follow-ups, agreed actions and seven tasks, most
    /// urgent first, each with the reason it is listed.
    pub fn worklist(&self) -> Result<views::Worklist, SuhbatError> {
        self.run(views::worklist)
    }

    /// Ticks off an agreed action or a seven task of the worklist.
    pub fn complete_work_item(&self, record_id: String, item_id: String) -> Result<(), SuhbatError> {
        self.run(|store, _| views::complete_work_item(store, &record_id, &item_id))?;
        self.changed();
        Ok(())
    }

    /// Persons matching `query` in either script ("Тошкент" finds "Toshkent"); all when blank.
    pub fn person_list(&self, query: String) -> Result<views::PersonList, SuhbatError> {
        self.run(|store, ctx| views::person_list(store, ctx, &query))
    }

    /// A person's card with their conversations (latest first) and parent cases.
    pub fn person_detail(&self, person_id: String) -> Result<views::PersonDetail, SuhbatError> {
        self.run(|store, ctx| views::person_detail(store, ctx, &person_id))
    }

    /// Pairs of persons that are probably the same person (of one mahalla, or all), with the
    /// reasons.
    pub fn duplicate_list(&self, mahalla: Option<String>) -> Result<views::DuplicateList, SuhbatError> {
        self.run(|store, ctx| views::duplicate_list(store, ctx, mahalla.as_deref()))
    }

    /// Merges `duplicate_id` into `keep_id` (nothing is deleted; undo with `unmerge_person`)
    /// and returns the survivor's card, which lists the histories of both.
    pub fn merge_persons(&self, keep_id: String, duplicate_id: String) -> Result<views::PersonDetail, SuhbatError> {
        let detail = self.run(|store, ctx| views::merge_persons(store, ctx, &keep_id, &duplicate_id))?;
        self.changed();
        Ok(detail)
    }

    /// Undoes a merge and returns the duplicate's card as it was before.
    pub fn unmerge_person(&self, duplicate_id: String) -> Result<views::PersonDetail, SuhbatError> {
        let detail = self.run(|store, ctx| views::unmerge_person(store, ctx, &duplicate_id))?;
        self.changed();
        Ok(detail)
    }

    /// The form to register a person (`person_id` null) or to edit one.
    pub fn person_form(&self, person_id: Option<String>) -> Result<views::Form, SuhbatError> {
        self.run(|store, ctx| views::person_form(store, ctx, person_id.as_deref()))
    }

    /// The form for a new conversation (`conversation_id` null; optionally with a person) or
    /// to edit one.
    pub fn conversation_form(&self, conversation_id: Option<String>, person_id: Option<String>) -> Result<views::Form, SuhbatError> {
        self.run(|store, ctx| views::conversation_form(store, ctx, conversation_id.as_deref(), person_id.as_deref()))
    }

    /// The form of any record kind: a new record (`record_id` null; `about` names the record
    /// it starts from, e.g. the person of a new conversation or the case of a new request), or
    /// the stored record `record_id`. A form of a part of a record (a seven task, a follow-up
    /// `m1`/`m3`/`m6`, a decision) needs the record and edits its part `item_id` (a new part
    /// when null).
    /// A new conversation (a visit) starts at the phone's position when the location provider
    /// (`set_location_provider`) has a recent, accurate fix.
    pub fn form(&self, kind: FormKind, record_id: Option<String>, item_id: Option<String>, about: Option<String>) -> Result<views::Form, SuhbatError> {
        let fix = if kind == FormKind::Conversation && record_id.is_none() { self.latest_fix()? } else { None };
        self.run(|store, ctx| views::form_at(store, ctx, kind, record_id.as_deref(), item_id.as_deref(), about.as_deref(), fix.as_ref()))
    }

    /// What a field linking to persons or parent cases offers for `query` (any script).
    pub fn link_choices(&self, field: FieldKind, query: String) -> Result<Vec<views::Choice>, SuhbatError> {
        self.run(|store, ctx| views::link_choices(store, ctx, field, &query))
    }

    /// Saves a form's values (`record_id`, `item_id` and `version` as the form gave them).
    /// `version` is the form's `version` as it was read: only what the user changed on that
    /// version is saved, so whatever a sync brought meanwhile is kept (merged, or shown as a
    /// conflict). Broken rules do not throw: they come back in the result's form, each on its
    /// field, in the current language. Blocking (disk): call off the main thread.
    pub fn submit_form(
        &self,
        kind: FormKind,
        record_id: String,
        item_id: String,
        version: String,
        values: Vec<FieldInput>,
    ) -> Result<views::FormResult, SuhbatError> {
        let result = self.run(|store, ctx| views::submit_form(store, ctx, kind, &record_id, &item_id, &version, &values))?;
        if result.saved {
            self.changed();
        }
        Ok(result)
    }

    /// The parent cases this device holds (a seven member's: those of her mahallas), only those
    /// at `stage` and in `mahalla` (a scope key from the list's choices, or a name) when given;
    /// each with its stage, nearest task date, open tasks and the user's own tasks (by name).
    pub fn parent_case_list(&self, stage: Option<suhbat_core::SaraStage>, mahalla: Option<String>) -> Result<views::ParentCaseList, SuhbatError> {
        self.run(|store, ctx| views::parent_case_list(store, ctx, stage, mahalla.as_deref()))
    }

    /// The parent case screen: SARA stages, tasks of the mahalla seven, notes.
    pub fn parent_case(&self, case_id: String) -> Result<views::ParentCaseView, SuhbatError> {
        self.run(|store, ctx| views::parent_case(store, ctx, &case_id))
    }

    /// Moves a parent case to a SARA stage (the case view's `next_stage` or `previous_stage`):
    /// forward one stage at a time, back only with a `reason` (empty when moving forward).
    /// Throws `Invalid` for a skipped stage, a move back without a reason or a closed case.
    pub fn set_case_stage(&self, case_id: String, stage: suhbat_core::SaraStage, reason: String) -> Result<(), SuhbatError> {
        self.run(|store, _| views::set_case_stage(store, &case_id, stage, &reason))
    }

    /// Adds a task for a member of the seven (`due` a date or empty). Returns the task id.
    /// Throws `Invalid` when the task breaks a rule.
    pub fn add_case_task(&self, case_id: String, role: suhbat_core::SevenRole, task: String, due: String) -> Result<String, SuhbatError> {
        let id = self.run(|store, _| views::add_case_task(store, &case_id, role, &task, &due))?;
        self.changed();
        Ok(id)
    }

    /// Marks a task of a parent case done or open again.
    pub fn set_case_task_done(&self, case_id: String, task_id: String, done: bool) -> Result<(), SuhbatError> {
        self.run(|store, _| views::set_case_task_done(store, &case_id, &task_id, done))?;
        self.changed();
        Ok(())
    }

    /// Saves a text of a parent case as the user edited it: `concern`, `notes`, `outcome`, or a
    /// stage's content (`scanning`, `analysis`, `response`, `assessment`). `version` is the
    /// case view's `version` the text was edited on: only the user's changes are spliced in.
    pub fn set_case_text(&self, case_id: String, field: String, value: String, version: String) -> Result<(), SuhbatError> {
        self.run(|store, _| views::set_case_text(store, &case_id, &field, &value, &version))?;
        self.changed();
        Ok(())
    }

    /// Every field that two people changed differently, each value with its author and time.
    pub fn conflicts(&self) -> Result<views::ConflictList, SuhbatError> {
        self.run(views::conflict_list)
    }

    /// A record's history: every value each field had with who set it and when (newest
    /// first), and who wrote each passage of its text fields.
    pub fn record_history(&self, record_id: String) -> Result<views::RecordHistoryView, SuhbatError> {
        self.run(|store, ctx| views::record_history(store, ctx, &record_id))
    }

    /// Records that the user printed a record (who saw what). Opening a record's screens and
    /// exporting bundles are recorded by the core itself.
    pub fn record_printed(&self, record_id: String) -> Result<(), SuhbatError> {
        self.run(|store, _| store.record_access(&parse_record_id(&record_id)?, AccessKind::Print))
    }

    /// Records that the user shared a record out of the app (a file, the share sheet).
    pub fn record_shared(&self, record_id: String) -> Result<(), SuhbatError> {
        self.run(|store, _| store.record_access(&parse_record_id(&record_id)?, AccessKind::Export))
    }

    /// A record as it stood at a local date (`2026-03-03`, the end of that day) or date and
    /// time (`2026-03-03 14:30`). Throws `BadInput` (translated) for anything else.
    pub fn record_as_of(&self, record_id: String, at: String) -> Result<views::RecordAsOf, SuhbatError> {
        self.run(|store, ctx| views::record_as_of(store, ctx, &record_id, &at))
    }

    /// Gives a field an earlier value again (`path` and `value_json` from a history entry), as
    /// a new change that syncs like any edit. Returns false when it already had that value.
    pub fn restore_field(&self, record_id: String, path: String, value_json: String) -> Result<bool, SuhbatError> {
        let changed = self.run(|store, _| views::restore_field(store, &record_id, &path, &value_json))?;
        self.changed();
        Ok(changed)
    }

    /// This user's work the hub refused, kept aside with the reasons: re-enter it through the
    /// record's form, or discard it.
    pub fn kept_aside(&self) -> Result<views::KeptAsideList, SuhbatError> {
        self.run(views::kept_aside_list)
    }

    /// Discards an entry of the kept-aside list (`seq` from its row). Returns whether it existed.
    pub fn discard_kept_aside(&self, seq: i64) -> Result<bool, SuhbatError> {
        self.run(|store, _| views::discard_kept_aside(store, seq))
    }

    /// Keeps one value of a conflicting field (`value_json` from the conflict's options).
    pub fn resolve_conflict(&self, record_id: String, path: String, value_json: String) -> Result<(), SuhbatError> {
        self.run(|store, _| views::resolve_conflict(store, &record_id, &path, &value_json))
    }

    /// Stores a record given as JSON (the core's serde form), after checking its rules;
    /// for scripts and imports. `version` is [`record_version`](Self::record_version) as it was
    /// when the JSON was read (empty for a new record): only what differs from the record at
    /// that version is written, so nothing that arrived meanwhile is overwritten. Returns false
    /// when nothing changed. Throws `Invalid` with the broken rules in the current language.
    pub fn put_record(&self, kind: RecordKind, json: String, version: String) -> Result<bool, SuhbatError> {
        let changed = match kind {
            RecordKind::Person => self.put_json::<Person>(&json, &version),
            RecordKind::Conversation => self.put_json::<Conversation>(&json, &version),
            RecordKind::ParentCase => self.put_json::<ParentCase>(&json, &version),
            RecordKind::Referral => self.put_json::<Referral>(&json, &version),
            RecordKind::Application => self.put_json::<Application>(&json, &version),
            RecordKind::JointEvent => self.put_json::<JointEvent>(&json, &version),
            RecordKind::Programme => self.put_json::<Programme>(&json, &version),
            RecordKind::Training => self.put_json::<TrainingSession>(&json, &version),
        }?;
        self.changed();
        Ok(changed)
    }

    /// The version of a stored record now (empty when it is not stored): keep it with what you
    /// read and pass it to [`put_record`](Self::put_record).
    pub fn record_version(&self, record_id: String) -> Result<String, SuhbatError> {
        let id = parse_id(&record_id)?;
        self.run(|store, _| Ok(store.version_of(&id)?.to_string()))
    }

    /// A record as JSON (winning values), for scripts.
    pub fn get_record(&self, record_id: String) -> Result<String, SuhbatError> {
        let id = parse_id(&record_id)?;
        self.run(|store, _| Ok(store.get_raw(&id)?.value.to_string()))
    }

    /// Adds `persons` generated sample persons with a conversation each, and a parent case
    /// for every fifth, in the device's first mahalla (for demos). Returns records added.
    pub fn add_sample_data(&self, seed: u64, persons: u32) -> Result<u32, SuhbatError> {
        let added = self.run(|store, _| add_samples(store, seed, persons))?;
        self.changed();
        Ok(added)
    }
}

fn add_samples(store: &mut Store, seed: u64, persons: u32) -> suhbat_core::Result<u32> {
    let mahalla = store.device().profile.scopes.first().map(|s| views::scope_name(s)).unwrap_or_else(|| "Navbahor".into());
    // Last year, so that no sample date is in the future.
    let year = Utc::now().year() - 1;
    let mut data = SampleData::new(seed);
    let (mut people, mut talks, mut cases) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..persons {
        let person = data.person(&mahalla, year);
        talks.push(data.conversation(&person, year));
        people.push(person);
        if i % 5 == 0 {
            cases.push(data.parent_case(&mahalla, year));
        }
    }
    let added = store.put_many(&people)? + store.put_many(&talks)? + store.put_many(&cases)?;
    Ok(u32::try_from(added).unwrap_or(u32::MAX))
}

/// A record id from the shell; `NotFound` when it is not one.
fn parse_record_id(id: &str) -> suhbat_core::Result<RecordId> {
    RecordId::parse(id).ok_or_else(|| suhbat_core::Error::NotFound(id.to_string()))
}
