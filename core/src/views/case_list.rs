//! The parent-case list: every case this device holds (a seven member's device holds the cases
//! of her mahallas only), filterable by SARA stage and mahalla, each with its stage, the
//! nearest task date and how many tasks are open — and, per case, the tasks given to the user.

use super::form::Choice;
use super::labels::{self, text};
use super::parent_case::{case_title, task_row, CaseTask};
use super::ViewContext;
use crate::device::DeviceProfile;
use crate::error::Result;
use crate::i18n;
use crate::ids::RecordId;
use crate::model::{CaseStatus, ParentCase, RecordKind, SaraStage, SevenTask};
use crate::store::{ListQuery, Store};
use crate::text::search_key;
use std::collections::BTreeMap;

view_types! { $ case_list_view_types;

    /// One parent case in the list.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ParentCaseRow {
        /// Record id (open it with `parent_case`).
        pub id: String,
        /// The guardians' names.
        pub title: String,
        /// The mahalla's name.
        pub mahalla: String,
        /// Current SARA stage.
        pub stage: SaraStage,
        /// Its label.
        pub stage_label: String,
        /// "Open" or "Closed".
        pub status_label: String,
        /// The case is being worked.
        pub is_open: bool,
        /// "Due: 01.10.2025" of the earliest open task with a date, or empty.
        pub due_label: String,
        /// An open task is past its date.
        pub overdue: bool,
        /// Tasks not done yet.
        pub open_tasks: u32,
        /// "Open tasks: 3".
        pub open_tasks_label: String,
        /// The open tasks given to this device's user (see [`parent_case_list`]), earliest
        /// due first.
        pub my_tasks: Vec<CaseTask>,
        /// Open fields with concurrent values.
        pub conflicts: u32,
    }

    /// A stage to filter the list by.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct StageChoice {
        /// The stage (pass it back to `parent_case_list`).
        pub stage: SaraStage,
        /// Its label.
        pub label: String,
    }

    /// The parent-case list screen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ParentCaseList {
        /// Screen title.
        pub title: String,
        /// Open cases first (those with a late task first, then by the nearest task date),
        /// then closed ones.
        pub rows: Vec<ParentCaseRow>,
        /// Number of cases with a late task.
        pub overdue_count: u32,
        /// Label of the stage filter.
        pub stage_label: String,
        /// Stages to filter by, in order.
        pub stage_choices: Vec<StageChoice>,
        /// Label of the mahalla filter.
        pub mahalla_label: String,
        /// Mahallas this device holds cases of (value: the scope key to pass back).
        pub mahalla_choices: Vec<Choice>,
        /// Label of the "any" entry of both filters.
        pub any_label: String,
        /// Title of a row's list of the user's own tasks ("My tasks").
        pub my_tasks_title: String,
        /// Shown when no case matches.
        pub empty_text: String,
    }
}

/// Whether `task` is given to the user of `profile`. A device knows its user's role (a seven
/// member's is `Seven`) but not her place in the seven (chairman, women's activist, …), so a
/// task is hers when its `assignee` names her as her device profile does — compared ignoring
/// script, case and apostrophe variants. A task with no assignee is nobody's in particular.
fn given_to(task: &SevenTask, profile: &DeviceProfile) -> bool {
    let name = search_key(&profile.person);
    !name.is_empty() && search_key(&task.assignee) == name
}

/// The parent-case list, only the cases at `stage` and in `mahalla` (a name or scope key) when
/// given. Each row lists the open tasks given to this device's user (matched by name, see
/// [`ParentCaseRow::my_tasks`]): on a seven member's phone, her own tasks per case.
pub fn parent_case_list(store: &mut Store, ctx: &ViewContext, stage: Option<SaraStage>, mahalla: Option<&str>) -> Result<ParentCaseList> {
    let locale = ctx.locale;
    let today = ctx.today();
    let profile = store.device().profile.clone();
    let all = store.list(&ListQuery { kind: Some(RecordKind::ParentCase), limit: Some(u32::MAX), ..Default::default() })?;
    let mahallas: BTreeMap<String, String> = all.iter().map(|r| (r.scope.clone(), labels::scope_name(&r.scope))).collect();
    let wanted_scope = mahalla.map(crate::doc::scope_key).filter(|s| !s.is_empty());
    let mut cases = Vec::new();
    for row in all.iter().filter(|r| wanted_scope.as_ref().is_none_or(|s| *s == r.scope)) {
        let Some(id) = RecordId::parse(&row.record_id) else { continue };
        let case = store.get::<ParentCase>(&id)?.record;
        if stage.is_none_or(|s| s == case.stage) {
            cases.push((case, row.scope.clone(), row.conflicts));
        }
    }
    let mut rows: Vec<(ParentCaseRow, Option<chrono::NaiveDate>)> = cases
        .into_iter()
        .map(|(case, scope, conflicts)| {
            let open = case.open_tasks();
            let is_open = case.status == CaseStatus::Open;
            let next_due = open.iter().filter_map(|(_, t)| t.due).min().filter(|_| is_open);
            let row = ParentCaseRow {
                id: case.id.to_string(),
                title: case_title(ctx, &case),
                mahalla: mahallas.get(&scope).cloned().unwrap_or_else(|| labels::scope_name(&scope)),
                stage: case.stage,
                stage_label: labels::choice_label(locale, "stage", &case.stage),
                status_label: labels::choice_label(locale, "case_status", &case.status),
                is_open,
                due_label: next_due.map(|d| i18n::render(locale, "case.task_due", &[("date", labels::date(locale, d))])).unwrap_or_default(),
                overdue: next_due.is_some_and(|d| d < today),
                open_tasks: open.len() as u32,
                open_tasks_label: i18n::render(locale, "case.open_tasks", &[("count", open.len().to_string())]),
                my_tasks: open.iter().filter(|(_, t)| given_to(t, &profile)).map(|(id, t)| task_row(ctx, id, t)).collect(),
                conflicts,
            };
            (row, next_due)
        })
        .collect();
    rows.sort_by(|(a, a_due), (b, b_due)| {
        let key = |r: &ParentCaseRow, due: &Option<chrono::NaiveDate>| (!r.is_open, !r.overdue, due.is_none(), *due);
        key(a, a_due).cmp(&key(b, b_due)).then_with(|| a.title.cmp(&b.title))
    });
    let rows: Vec<ParentCaseRow> = rows.into_iter().map(|(row, _)| row).collect();
    Ok(ParentCaseList {
        title: text(locale, "screen.parent_cases"),
        overdue_count: rows.iter().filter(|r| r.overdue).count() as u32,
        rows,
        stage_label: labels::capitalize(&text(locale, "field.stage")),
        stage_choices: SaraStage::ALL.iter().map(|s| StageChoice { stage: *s, label: labels::choice_label(locale, "stage", s) }).collect(),
        mahalla_label: labels::capitalize(&text(locale, "field.mahalla")),
        mahalla_choices: mahallas.into_iter().map(|(value, label)| Choice { value, label }).collect(),
        any_label: text(locale, "case.filter_any"),
        my_tasks_title: text(locale, "case.my_tasks"),
        empty_text: text(locale, "case.none"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::new_item_id;
    use crate::views::tests::{ctx, day};
    use crate::{Locale, MemoryKeyProvider, Role};

    fn task(assignee: &str, text: &str, due: Option<&str>, done: bool) -> (String, SevenTask) {
        (new_item_id(), SevenTask { assignee: assignee.into(), task: text.into(), due: due.map(day), done, ..Default::default() })
    }

    fn put_case(store: &mut Store, mahalla: &str, guardian: &str, stage: SaraStage, tasks: Vec<(String, SevenTask)>) -> String {
        let case = ParentCase {
            mahalla: mahalla.into(),
            guardians: [(new_item_id(), crate::model::Guardian { name: guardian.into(), ..Default::default() })].into(),
            concern: "Truancy".into(),
            opened_on: day("2025-09-01"),
            stage,
            tasks: tasks.into_iter().collect(),
            ..Default::default()
        };
        store.put(&case).unwrap();
        case.id.to_string()
    }

    #[test]
    fn a_seven_member_lists_her_cases_with_her_own_tasks_filtered_by_stage_and_mahalla() {
        let dir = tempfile::tempdir().unwrap();
        let profile = DeviceProfile { person: "Malika Karimova".into(), role: Role::Seven, scopes: vec!["Navbahor".into(), "Olmazor".into()] };
        let mut store = Store::create(dir.path().join("malika.db"), &MemoryKeyProvider::new(), profile).unwrap();
        let late = put_case(
            &mut store,
            "Navbahor",
            "Qodirov Anvar",
            SaraStage::Analysis,
            vec![
                // Her name as another phone typed it, in Cyrillic: still hers.
                task("Малика Каримова", "Visit the mother", Some("2025-10-10"), false),
                task("Malika Karimova", "Call the school", Some("2025-10-01"), true),
                task("Dilnoza Yusupova", "Find a football club", Some("2025-10-20"), false),
            ],
        );
        let calm = put_case(&mut store, "Olmazor", "Karimov Bekzod", SaraStage::Scanning, vec![task("", "Talk to the neighbours", Some("2025-11-01"), false)]);
        let list = parent_case_list(&mut store, &ctx(Locale::En), None, None).unwrap();
        assert_eq!(list.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [late.as_str(), calm.as_str()], "the case with a late task first");
        let row = &list.rows[0];
        assert_eq!(
            (row.title.as_str(), row.mahalla.as_str(), row.stage, row.stage_label.as_str()),
            ("Qodirov Anvar", "Navbahor", SaraStage::Analysis, "Analysis")
        );
        assert_eq!((row.open_tasks, row.open_tasks_label.as_str(), row.due_label.as_str(), row.overdue), (2, "Open tasks: 2", "Due: 2025-10-10", true));
        assert_eq!(row.my_tasks.iter().map(|t| t.task.as_str()).collect::<Vec<_>>(), ["Visit the mother"], "only her open tasks");
        assert!(row.my_tasks[0].overdue);
        assert!(list.rows[1].my_tasks.is_empty(), "a task with no assignee is nobody's in particular");
        assert_eq!(list.overdue_count, 1);
        assert_eq!(list.mahalla_choices.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["Navbahor", "Olmazor"]);

        let scanning = parent_case_list(&mut store, &ctx(Locale::Ru), Some(SaraStage::Scanning), None).unwrap();
        assert_eq!(scanning.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [calm.as_str()]);
        assert_eq!((scanning.title.as_str(), scanning.rows[0].stage_label.as_str()), ("Дела родителей", "Выявление"));
        let olmazor_key = &list.mahalla_choices[1].value;
        let in_olmazor = parent_case_list(&mut store, &ctx(Locale::En), None, Some(olmazor_key)).unwrap();
        assert_eq!(in_olmazor.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [calm.as_str()]);
        let by_name = parent_case_list(&mut store, &ctx(Locale::En), Some(SaraStage::Analysis), Some("Olmazor")).unwrap();
        assert!(by_name.rows.is_empty());
        assert_eq!(by_name.empty_text, "No parent cases");
    }
}
