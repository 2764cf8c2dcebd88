//! The parent case screen: SARA stages with their content, the seven's tasks and notes, and
//! the actions on them (move to a stage, add or tick a task, edit a text).

use super::case_list::StageChoice;
use super::case_practice::CasePractice;
use super::form::Choice;
use super::labels::{self, invalid, text};
use super::persons::DetailRow;
use super::ViewContext;
use crate::error::{Error, Result};
use crate::i18n;
use crate::ids::{new_item_id, RecordId};
use crate::model::{CaseStatus, Child, Guardian, ParentCase, SaraStage, SevenRole, SevenTask};
use crate::store::Store;
use chrono::{NaiveDate, Utc};

view_types! { $ parent_case_view_types;

    /// One SARA stage of a case.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct StageView {
        /// Stage value (`scanning`, `analysis`, `response`, `assessment`).
        pub key: String,
        /// Stage label.
        pub label: String,
        /// What was written at this stage.
        pub content: String,
        /// The case is at this stage.
        pub is_current: bool,
        /// The case has passed this stage.
        pub is_done: bool,
    }

    /// One task of the mahalla seven.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CaseTask {
        /// Task id inside the case.
        pub id: String,
        /// Who does it.
        pub role_label: String,
        /// The member of the seven it is given to, by name (empty: the role's member).
        pub assignee: String,
        /// What to do.
        pub task: String,
        /// "Due: 01.10.2025", or empty.
        pub due_label: String,
        /// Done.
        pub done: bool,
        /// Not done and past its date.
        pub overdue: bool,
    }

    /// The parent case screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ParentCaseView {
        /// Case id.
        pub id: String,
        /// The version of the case shown (opaque); send it back with [`set_case_text`] so a
        /// text saved from this screen is spliced into what the user saw, never over it.
        pub version: String,
        /// Screen title.
        pub title: String,
        /// Guardians' names.
        pub heading: String,
        /// "Opened 01.09.2025 · Aziz Karimov".
        pub subtitle: String,
        /// "Open" or "Closed".
        pub status_label: String,
        /// The case is being worked.
        pub is_open: bool,
        /// Label of the current stage.
        pub stage_label: String,
        /// "Current stage".
        pub stage_title: String,
        /// All four stages in order.
        pub stages: Vec<StageView>,
        /// The stage after the current one, for the "Next stage" button.
        pub next_stage: Option<StageChoice>,
        /// Label of the "Next stage: …" button (empty at the last stage).
        pub advance_label: String,
        /// The stage before the current one, for the "Back to: …" button (a reason is required).
        pub previous_stage: Option<StageChoice>,
        /// Label of the "Back to: …" button (empty at the first stage).
        pub back_label: String,
        /// Label of the reason field shown when moving back.
        pub back_reason_label: String,
        /// The concern that opened the case.
        pub concern: String,
        /// Kinds of help in the response plan.
        pub assistance: Vec<String>,
        /// Guardians ("name (relation)").
        pub guardians: Vec<DetailRow>,
        /// Children (name and situation).
        pub children: Vec<DetailRow>,
        /// Section titles: concern, guardians, children, tasks, notes, outcome.
        pub section_titles: Vec<String>,
        /// Tasks: open ones first (earliest due first), then done ones.
        pub tasks: Vec<CaseTask>,
        /// Shown when there are no tasks.
        pub no_tasks_text: String,
        /// Roles to pick for a new task.
        pub role_choices: Vec<Choice>,
        /// Label of the "Add task" button.
        pub add_task_label: String,
        /// Label of the new task's text field.
        pub task_label: String,
        /// Label and format hint of the new task's due date.
        pub due_hint: String,
        /// Label of the button that saves an edited text.
        pub save_label: String,
        /// Notes.
        pub notes: String,
        /// Closing outcome.
        pub outcome: String,
        /// Open conflicts on this case.
        pub conflicts: u32,
        /// "Legal basis".
        pub legal_basis_title: String,
        /// The legal ground: the acts' labels, then the details in words.
        pub legal_basis: Vec<String>,
        /// The checklist of indicators, the help given and the outcome measures.
        pub practice: CasePractice,
    }
}

/// One task of a case as a screen shows it.
pub(crate) fn task_row(ctx: &ViewContext, id: &str, t: &SevenTask) -> CaseTask {
    let locale = ctx.locale;
    CaseTask {
        id: id.to_string(),
        role_label: labels::choice_label(locale, "seven_role", &t.role),
        assignee: t.assignee.clone(),
        task: t.task.clone(),
        due_label: t.due.map(|d| i18n::render(locale, "case.task_due", &[("date", labels::date(locale, d))])).unwrap_or_default(),
        done: t.done,
        overdue: !t.done && t.due.is_some_and(|d| d < ctx.today()),
    }
}

/// How a case is named: its guardians' names, in the locale's script.
pub(crate) fn case_title(ctx: &ViewContext, case: &ParentCase) -> String {
    labels::in_script(ctx.locale, &case.guardians.values().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", "))
}

fn case_id(id: &str) -> Result<RecordId> {
    RecordId::parse(id).ok_or_else(|| Error::NotFound(id.to_string()))
}

fn load(store: &mut Store, id: &str) -> Result<(RecordId, ParentCase, u32)> {
    let rid = case_id(id)?;
    let stored = store.get::<ParentCase>(&rid)?;
    Ok((rid, stored.record, stored.conflicts.len() as u32))
}

/// The parent case screen.
pub fn parent_case(store: &mut Store, ctx: &ViewContext, id: &str) -> Result<ParentCaseView> {
    let locale = ctx.locale;
    let (rid, case, conflicts) = load(store, id)?;
    store.record_access(&rid, crate::AccessKind::View)?;
    let version = store.version_of(&rid)?.to_string();
    let stage_index = labels::STAGES.iter().position(|s| *s == case.stage).unwrap_or(0);
    let content = |stage: SaraStage| match stage {
        SaraStage::Scanning => case.sara.scanning.clone(),
        SaraStage::Analysis => case.sara.analysis.clone(),
        SaraStage::Response => case.sara.response.plan.clone(),
        SaraStage::Assessment => case.sara.assessment.clone(),
    };
    let stages = labels::STAGES
        .iter()
        .enumerate()
        .map(|(i, stage)| StageView {
            key: labels::slug(stage),
            label: labels::choice_label(locale, "stage", stage),
            content: content(*stage),
            is_current: i == stage_index,
            is_done: i < stage_index,
        })
        .collect();
    let stage_choice = |i: usize| labels::STAGES.get(i).map(|s| StageChoice { stage: *s, label: labels::choice_label(locale, "stage", s) });
    let next_stage = stage_choice(stage_index + 1);
    let previous_stage = stage_index.checked_sub(1).and_then(stage_choice);
    let action_label =
        |key: &str, stage: &Option<StageChoice>| stage.as_ref().map(|s| i18n::render(locale, key, &[("stage", s.label.clone())])).unwrap_or_default();
    let mut tasks: Vec<(&String, &SevenTask)> = case.tasks.iter().collect();
    tasks.sort_by_key(|(id, t)| (t.done, t.due.is_none(), t.due, *id));
    let date = |d: Option<NaiveDate>| d.map(|d| labels::date(locale, d));
    Ok(ParentCaseView {
        id: case.id.to_string(),
        version,
        title: text(locale, "screen.parent_case"),
        heading: case_title(ctx, &case),
        subtitle: i18n::render(locale, "case.opened", &[("date", labels::date(locale, case.opened_on)), ("inspector", case.inspector.clone())]),
        status_label: labels::choice_label(locale, "case_status", &case.status),
        is_open: case.status == CaseStatus::Open,
        stage_label: labels::choice_label(locale, "stage", &case.stage),
        stage_title: text(locale, "case.current_stage"),
        stages,
        advance_label: action_label("action.advance_stage", &next_stage),
        next_stage,
        back_label: action_label("action.back_stage", &previous_stage),
        previous_stage,
        back_reason_label: text(locale, "case.back_reason"),
        concern: case.concern.clone(),
        assistance: labels::labels_of(locale, "assistance", case.sara.response.assistance.iter()),
        guardians: case.guardians.values().map(|g| DetailRow { label: labels::or_dash(locale, &g.relation), value: g.name.clone() }).collect(),
        children: case
            .children
            .values()
            .map(|c| DetailRow {
                label: c.name.clone(),
                value: [date(c.birth_date).unwrap_or_default(), c.school.clone(), c.situation.clone()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · "),
            })
            .collect(),
        section_titles: ["field.concern", "section.guardians", "field.children", "field.tasks", "field.notes", "field.outcome"]
            .iter()
            .map(|k| labels::capitalize(&text(locale, k)))
            .collect(),
        tasks: tasks.into_iter().map(|(id, t)| task_row(ctx, id, t)).collect(),
        no_tasks_text: text(locale, "case.no_tasks"),
        role_choices: labels::choices(locale, "seven_role", &labels::SEVEN_ROLES),
        add_task_label: text(locale, "action.add_task"),
        task_label: labels::field_label(locale, "task"),
        due_hint: format!("{} — {}", labels::field_label(locale, "due"), text(locale, "hint.date")),
        save_label: text(locale, "action.save"),
        notes: case.notes.clone(),
        outcome: case.outcome.clone(),
        conflicts,
        legal_basis_title: text(locale, "section.legal_basis"),
        legal_basis: super::case_practice::legal_basis_lines(locale, &case.legal_basis),
        practice: super::case_practice::case_practice(locale, &case),
    })
}

/// Opens a parent case in `mahalla` for the guardians named (at least one) and their children,
/// with the concern that opens it: today, by this device's user, at the scanning stage. A case
/// that breaks its rules (no guardian, a blank name, no concern) is not stored. Returns its id.
pub fn open_case(store: &mut Store, ctx: &ViewContext, mahalla: &str, guardians: &[String], children: &[String], concern: &str) -> Result<String> {
    let case = ParentCase {
        mahalla: mahalla.to_string(),
        guardians: guardians.iter().map(|name| (new_item_id(), Guardian { name: name.clone(), ..Default::default() })).collect(),
        children: children.iter().map(|name| (new_item_id(), Child { name: name.clone(), ..Default::default() })).collect(),
        concern: concern.to_string(),
        opened_on: ctx.today(),
        inspector: store.device().profile.person.clone(),
        ..Default::default()
    };
    store.put(&case)?;
    Ok(case.id.to_string())
}

/// Moves a case to a SARA stage: forward one stage at a time, back only with a `reason`; a
/// closed case does not move. The move is recorded with this device's user and the time.
pub fn set_case_stage(store: &mut Store, id: &str, stage: SaraStage, reason: &str) -> Result<()> {
    let (_, mut case, _) = load(store, id)?;
    let by = store.device().profile.person.clone();
    case.move_to_stage(stage, reason, &by, Utc::now())?;
    store.put(&case).map(|_| ())
}

/// Adds a task for a member of the seven; `due` is `YYYY-MM-DD`, `DD.MM.YYYY` or empty.
/// Returns the new task's id. A blank task or a bad date breaks the case's rules.
pub fn add_case_task(store: &mut Store, id: &str, role: SevenRole, task: &str, due: &str) -> Result<String> {
    let rid = case_id(id)?;
    let due = match due.trim() {
        "" => None,
        typed => Some(labels::parse_date(typed).ok_or_else(|| invalid("due", "validation.invalid_date", typed))?),
    };
    let task_id = new_item_id();
    let task = SevenTask { role, task: task.to_string(), due, done: false, ..Default::default() };
    store.update::<ParentCase>(&rid, |c| {
        c.tasks.insert(task_id.clone(), task);
    })?;
    Ok(task_id)
}

/// Marks a task done or open again.
pub fn set_case_task_done(store: &mut Store, id: &str, task_id: &str, done: bool) -> Result<()> {
    let (rid, case, _) = load(store, id)?;
    if !case.tasks.contains_key(task_id) {
        return Err(Error::NotFound(format!("{id}/{task_id}")));
    }
    store
        .update::<ParentCase>(&rid, |c| {
            if let Some(task) = c.tasks.get_mut(task_id) {
                task.done = done;
            }
        })
        .map(|_| ())
}

/// Saves one of the case's texts as the user edited it: `concern`, `notes`, `outcome`, or a
/// stage's content (`scanning`, `analysis`, `response`, `assessment`). `version` is
/// [`ParentCaseView::version`] of the screen the text was edited on: only the characters the
/// user changed are spliced in, so sentences another person added meanwhile stay.
pub fn set_case_text(store: &mut Store, id: &str, field: &str, value: &str, version: &str) -> Result<()> {
    let rid = case_id(id)?;
    let version = super::forms::parse_version(version)?;
    let value = value.to_string();
    let target: fn(&mut ParentCase) -> &mut String = match field {
        "concern" => |c| &mut c.concern,
        "notes" => |c| &mut c.notes,
        "outcome" => |c| &mut c.outcome,
        "scanning" => |c| &mut c.sara.scanning,
        "analysis" => |c| &mut c.sara.analysis,
        "response" => |c| &mut c.sara.response.plan,
        "assessment" => |c| &mut c.sara.assessment,
        other => return Err(Error::NotFound(format!("{id}/{other}"))),
    };
    store.update_at::<ParentCase>(&rid, &version, |c| *target(c) = value).map(|_| ())
}
