//! Tests of the forms (field errors in every language, saving, defaults), the conflict list
//! and the sync status.

use super::tests::{case, ctx, fixture, person, talk};
use super::*;
use crate::model::{CaseStatus, Conversation, ParentCase, Person, SaraStage};
use crate::{DeviceProfile, Error, Locale, Role};

fn input(key: &str, value: &str) -> FieldInput {
    FieldInput { key: key.into(), value: value.into(), ..Default::default() }
}

fn field<'a>(form: &'a Form, key: &str) -> &'a FormField {
    form.fields.iter().find(|f| f.key == key).unwrap_or_else(|| panic!("no field {key}"))
}

#[test]
fn person_form_reports_field_errors_in_the_users_language() {
    let mut f = fixture("aziz");
    let c = ctx(Locale::Ru);
    let form = person_form(&mut f.store, &c, None).unwrap();
    assert!(form.is_new);
    assert_eq!(form.title, "Новое лицо");
    assert_eq!(field(&form, "registered_on").value, "2025-10-15");
    assert_eq!(field(&form, "address/mahalla").value, "Navbahor");
    assert_eq!(field(&form, "birth_date").value, "");
    assert_eq!(field(&form, "name_latn/last").section, "ФИО (латиница)");
    assert_eq!(field(&form, "risk_factors").choices.len(), 9);

    let typed = [input("name_latn/first", "Jasur"), input("birth_date", "32.01.2008"), input("address/district", " ")];
    let result = submit_form(&mut f.store, &c, FormKind::Person, &form.record_id, "", &form.version, &typed).unwrap();
    assert!(!result.saved);
    assert_eq!(result.message, "В форме есть ошибки");
    assert_eq!(field(&result.form, "name_latn/last").error.as_deref(), Some("Поле «Фамилия» обязательно"));
    assert_eq!(field(&result.form, "birth_date").error.as_deref(), Some("«Дата рождения»: неверная дата (32.01.2008)"));
    assert_eq!(field(&result.form, "address/district").error.as_deref(), Some("Поле «Район» обязательно"));
    assert_eq!(field(&result.form, "birth_date").value, "32.01.2008", "typed values are kept");
    assert_eq!(result.form.errors.len(), 3);
    assert_eq!(result.form.errors[0], "Поле «Фамилия» обязательно", "errors follow the field order");
    assert!(f.store.list(&Default::default()).unwrap().is_empty(), "nothing stored");

    let typed =
        [input("name_latn/last", "Qodirov"), input("name_latn/first", "Jasur"), input("birth_date", "02.04.2008"), input("address/district", "Chilonzor")];
    let result = submit_form(&mut f.store, &c, FormKind::Person, &form.record_id, "", &form.version, &typed).unwrap();
    assert!(result.saved, "{:?}", result.form.errors);
    assert!(!result.form.is_new);
    assert_eq!(result.form.title, "Редактирование лица");
    assert_eq!(field(&result.form, "name_cyrl/last").value, "Қодиров", "the other script is filled in");
    let found = person_list(&f.store, &c, "қодиров").unwrap();
    assert_eq!(found.rows.len(), 1);
    assert_eq!(found.rows[0].name, "Қодиров Жасур");
}

#[test]
fn conversation_form_starts_from_the_person_and_checks_every_rule() {
    let mut f = fixture("aziz");
    let p = person(&mut f.store, "Qodirov", &[]);
    let c = ctx(Locale::En);
    let form = conversation_form(&mut f.store, &c, None, Some(p.id.as_str())).unwrap();
    let persons = field(&form, "person_ids");
    assert_eq!(persons.selected, [p.id.to_string()]);
    assert_eq!(persons.choices[0].label, "Qodirov Jasur");
    assert_eq!(field(&form, "started_at").value, "2025-10-15 12:00");
    assert_eq!(field(&form, "kind").value, "individual");
    assert_eq!(field(&form, "kind").choices[2].label, "Explanatory");
    assert_eq!(field(&form, "participants").choices[0].label, "Parent");

    let mut typed = vec![
        input("kind", "chat"),
        input("place", ""),
        input("next_follow_up", "2025-09-01"),
        input("gps", "91, 69.2"),
        FieldInput {
            key: "agreed_actions".into(),
            items: vec![FormItem { text: " ".into(), date: "2025-10-20".into(), ..Default::default() }],
            ..Default::default()
        },
        FieldInput { key: "person_ids".into(), selected: vec![p.id.to_string(), "0190a6f0-0000-7000-8000-000000000000".into()], ..Default::default() },
    ];
    let result = submit_form(&mut f.store, &c, FormKind::Conversation, &form.record_id, "", &form.version, &typed).unwrap();
    assert!(!result.saved);
    let error = |key: &str| field(&result.form, key).error.clone().unwrap_or_default();
    assert_eq!(error("person_ids"), "person: no such person (0190a6f0-0000-7000-8000-000000000000)");
    assert!(error("kind").ends_with(": not an allowed value (chat)"));
    assert_eq!(error("place"), "Place is required");
    assert!(error("next_follow_up").starts_with("Next follow-up date (2025-09-01) cannot be before"));
    assert_eq!(error("gps"), "Latitude must be between -90 and 90");
    assert_eq!(error("agreed_actions"), "Text is required");

    typed = vec![
        FieldInput { key: "person_ids".into(), selected: vec![p.id.to_string()], ..Default::default() },
        input("place", "School 141"),
        input("consent_by", "parent"),
        input("consent_note", "The mother agreed"),
        input("next_follow_up", "20.10.2025"),
        input("gps", "41.3, 69.2"),
        FieldInput { key: "topics".into(), selected: vec!["school attendance".into()], ..Default::default() },
        FieldInput {
            key: "agreed_actions".into(),
            items: vec![FormItem { text: "Attend school".into(), date: "2025-10-16".into(), ..Default::default() }],
            ..Default::default()
        },
    ];
    let result = submit_form(&mut f.store, &c, FormKind::Conversation, &form.record_id, "", &form.version, &typed).unwrap();
    assert!(result.saved, "{:?}", result.form.errors);
    let stored: Conversation = f.store.get(&crate::RecordId::parse(&form.record_id).unwrap()).unwrap().record;
    assert_eq!(stored.person_ids.len(), 1);
    assert_eq!(stored.inspector, "aziz");
    assert_eq!(stored.agreed_actions.values().next().map(|a| a.text.as_str()), Some("Attend school"));
    let list = worklist(&mut f.store, &c).unwrap();
    assert_eq!(list.items.iter().map(|i| i.reason.as_str()).collect::<Vec<_>>(), ["Agreed action: due in 1 day(s)", "Follow-up: due in 5 day(s)"]);

    // Editing keeps what the form does not show, and the history shows the conversation.
    let edit = conversation_form(&mut f.store, &c, Some(&form.record_id), None).unwrap();
    assert!(!edit.is_new);
    assert_eq!(field(&edit, "agreed_actions").items[0].date, "2025-10-16");
    let detail = person_detail(&mut f.store, &c, p.id.as_str()).unwrap();
    assert_eq!(detail.history[0].place, "School 141");
}

#[test]
fn conflicts_list_each_value_with_its_author_and_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let keys = crate::MemoryKeyProvider::new();
    let device = |name: &str, role| {
        let profile = DeviceProfile { person: name.into(), role, scopes: vec!["Navbahor".into()] };
        Store::create(dir.path().join(format!("{name}.db")), &keys, profile).unwrap()
    };
    let (mut a, mut b) = (device("Aziz", Role::Inspector), device("Dilnoza", Role::Supervisor));
    let k = case(&mut a, "Rahimov Bekzod", CaseStatus::Open, vec![]);
    let p = person(&mut a, "Qodirov", &[]);
    let t = talk(&mut a, &p, "2025-09-01", None, &[]);
    let send = |from: &mut Store, to: &mut Store| {
        let bundle = from.export_bundle(Some(&to.summary().unwrap())).unwrap();
        to.import_bundle(&bundle).unwrap();
    };
    send(&mut a, &mut b);
    let now = chrono::Utc::now();
    a.update::<ParentCase>(&k.id, |c| c.move_to_stage(SaraStage::Analysis, "", "Aziz", now).unwrap()).unwrap();
    for stage in [SaraStage::Analysis, SaraStage::Response] {
        b.update::<ParentCase>(&k.id, |c| c.move_to_stage(stage, "", "Dilnoza", now).unwrap()).unwrap();
    }
    a.update::<Conversation>(&t.id, |c| c.place = "Home".into()).unwrap();
    b.update::<Conversation>(&t.id, |c| c.place = "School".into()).unwrap();
    send(&mut b, &mut a);

    let list = conflict_list(&mut a, &ctx(Locale::UzLatn)).unwrap();
    assert_eq!(list.rows.len(), 2);
    let stage = list.rows.iter().find(|r| r.path == "stage").unwrap();
    assert_eq!(stage.record_kind, "Ota-ona ishi");
    assert_eq!(stage.record_title, "Rahimov Bekzod");
    let mut shown: Vec<(&str, &str)> = stage.options.iter().map(|o| (o.display.as_str(), o.author.as_str())).collect();
    shown.sort();
    assert_eq!(shown, [("Javob choralari", "Dilnoza (Rahbar)"), ("Tahlil", "Aziz (Inspektor)")]);
    assert!(stage.options.iter().all(|o| o.at.len() == "15.10.2025 12:00".len()));
    assert_eq!(stage.options.iter().filter(|o| o.is_current).count(), 1);
    let place = list.rows.iter().find(|r| r.path == "place").unwrap();
    assert_eq!(place.field_label, "Joy");
    assert_eq!(place.record_kind, "Suhbat");

    let keep = stage.options.iter().find(|o| o.display == "Tahlil").unwrap();
    resolve_conflict(&mut a, &stage.record_id, &stage.path, &keep.value_json).unwrap();
    let left = conflict_list(&mut a, &ctx(Locale::En)).unwrap();
    assert_eq!(left.rows.iter().map(|r| r.field_label.as_str()).collect::<Vec<_>>(), ["Place"]);
    assert_eq!(a.get::<ParentCase>(&k.id).unwrap().record.stage, SaraStage::Analysis);
    assert!(matches!(resolve_conflict(&mut a, &stage.record_id, "stage", "not json"), Err(Error::Malformed(_))));
    assert!(matches!(resolve_conflict(&mut a, &stage.record_id, "stage", "\"analysis\""), Err(Error::NoSuchConflict { .. })));
}

#[test]
fn sync_status_counts_changes_since_the_last_sync() {
    let mut f = fixture("aziz");
    let p = person(&mut f.store, "Qodirov", &[]);
    talk(&mut f.store, &p, "2025-09-01", None, &[]);
    let c = ctx(Locale::En);
    let never = sync_status(&mut f.store, &c, &SyncState::default()).unwrap();
    assert_eq!((never.last_sync_label.as_str(), never.pending_changes, never.phase_label.as_str()), ("Never synced", 2, "Ready"));
    assert_eq!(never.pending_label, "Changes not yet sent: 2");

    record_sync(&mut f.store, Utc::now()).unwrap();
    let synced = SyncState::default();
    std::thread::sleep(std::time::Duration::from_millis(5));
    assert_eq!(sync_status(&mut f.store, &c, &synced).unwrap().pending_changes, 0);
    f.store.update::<Person>(&p.id, |p| p.notes = "Moved to a new flat.".into()).unwrap();
    let status = sync_status(&mut f.store, &c, &synced).unwrap();
    assert_eq!(status.pending_changes, 1);
    assert!(status.last_sync_label.starts_with("Last sync: "));
    assert_eq!(status.last_sync_at_ms, last_sync(&f.store).unwrap().map(|t| t.timestamp_millis()));

    assert!(status.last_report_lines.is_empty() && !status.enrolled);

    let progress = SyncProgress { round: 1, max_rounds: 3, docs_sent: 2, docs_received: 5, bytes_sent: 3000, bytes_received: 40 * 1024, done: false };
    let running = SyncState { phase: SyncPhase::Running, progress: Some(progress), ..synced.clone() };
    let status = sync_status(&mut f.store, &ctx(Locale::UzCyrl), &running).unwrap();
    assert_eq!(status.phase_label, "Синхронланмоқда…");
    assert_eq!(status.progress_label.as_deref(), Some("1-босқич (кўпи билан 3) · юборилган ҳужжатлар 2, олинган 5 · 3 КБ юборилди, 40 КБ олинди"));

    let report = crate::sync::SyncReport {
        rounds: 1,
        docs_sent: 1,
        docs_received: 2,
        records_changed: 4,
        records_in_conflict: 1,
        rejected: vec![crate::sync::Rejection {
            doc_id: "register/navbahor/2025".into(),
            change: None,
            record: None,
            kind: crate::sync::RejectionKind::Refused,
            reason: "not signed".into(),
        }],
        kept_aside: vec![],
        replayed: 0,
        revoked: vec!["register/qatortol/2025".into()],
        kept: vec![],
        bytes_sent: 1024,
        bytes_received: 2048,
    };
    let done = SyncState { last_report: Some(report), ..synced };
    let status = sync_status(&mut f.store, &c, &done).unwrap();
    assert_eq!(
        status.last_report_lines,
        [
            "Last sync: 1 documents sent, 2 received; 4 records changed, 1 in conflict; 1 KB up, 2 KB down",
            "Refused by the base point (register/navbahor/2025): not signed",
            "Removed from this device: register/qatortol/2025",
        ]
    );

    // Refused work: the sync screen says what was replayed and what was kept aside.
    let mut report = done.last_report.clone().unwrap();
    report.rejected.clear();
    report.revoked.clear();
    report.replayed = 2;
    report.kept_aside = vec![crate::KeptAside {
        seq: 1,
        at: 0,
        doc_id: "register/navbahor/2025".into(),
        record_id: "x".into(),
        kind: "person".into(),
        fields: vec!["notes".into()],
        value: serde_json::json!({"notes": "typed"}),
        reason: "revoked".into(),
    }];
    let status = sync_status(&mut f.store, &c, &SyncState { last_report: Some(report), ..done }).unwrap();
    assert_eq!(
        status.last_report_lines[1..],
        ["2 change(s) of this device made again on the hub's copy (nothing lost)", "1 record(s) of your work the hub refused are kept aside: see Kept aside"]
    );
}

#[test]
fn a_name_typed_in_the_other_scripts_fields_is_kept_in_its_own_script() {
    let mut f = fixture("aziz");
    let c = ctx(Locale::En);
    let mut save = |typed: Vec<FieldInput>| {
        let form = person_form(&mut f.store, &c, None).unwrap();
        let mut inputs = form.inputs();
        inputs.retain(|i| !typed.iter().any(|t| t.key == i.key));
        inputs.extend(typed);
        let result = submit_form(&mut f.store, &c, FormKind::Person, &form.record_id, "", &form.version, &inputs).unwrap();
        assert!(result.saved, "{:?}", result.form.errors);
        let id = crate::RecordId::parse(&result.form.record_id).unwrap();
        f.store.get::<Person>(&id).unwrap().record
    };
    let district = input("address/district", "Chilonzor");
    let cyrillic_in_latin =
        save(vec![input("name_latn/last", "Қодиров"), input("name_latn/first", "Жасур"), input("birth_date", "2008-04-02"), district.clone()]);
    assert_eq!((cyrillic_in_latin.name_cyrl.full(), cyrillic_in_latin.name_latn.full()), ("Қодиров Жасур".into(), "Qodirov Jasur".into()));
    let latin_in_cyrillic =
        save(vec![input("name_cyrl/last", "Karimov"), input("name_cyrl/first", "Aziz"), input("birth_date", "2008-04-02"), district.clone()]);
    assert_eq!((latin_in_cyrillic.name_latn.full(), latin_in_cyrillic.name_cyrl.full()), ("Karimov Aziz".into(), "Каримов Азиз".into()));
    let mut typed = vec![input("name_latn/last", "Қодиров"), input("name_latn/first", "Жасур"), input("name_cyrl/last", "Қодиров")];
    typed.extend([input("name_cyrl/first", "Жасур"), input("birth_date", "2008-04-02"), district]);
    let both = save(typed);
    assert_eq!(both.name_latn.last, "Қодиров", "a name typed in both fields is kept as typed");
}

#[test]
fn form_inputs_submit_the_form_as_proposed() {
    let dir = tempfile::tempdir().unwrap();
    let profile = DeviceProfile { person: "aziz".into(), role: Role::Inspector, scopes: vec!["Navbahor".into(), "Yangiobod".into()] };
    let mut store = Store::create(dir.path().join("aziz.db"), &crate::MemoryKeyProvider::new(), profile).unwrap();
    let mut p = person(&mut store, "Qodirov", &[]);
    p.address.mahalla = "Yangiobod".into();
    store.put(&p).unwrap();
    let c = ctx(Locale::En);
    let form = conversation_form(&mut store, &c, None, Some(p.id.as_str())).unwrap();
    let mut inputs = form.inputs();
    assert_eq!(inputs.len(), form.fields.len());
    inputs.iter_mut().filter(|i| i.key == "place").for_each(|i| i.value = "School".into());
    inputs.iter_mut().filter(|i| i.key == "consent_by").for_each(|i| i.value = "guardian".into());
    inputs.iter_mut().filter(|i| i.key == "consent_note").for_each(|i| i.value = "The grandmother agreed".into());
    let result = submit_form(&mut store, &c, FormKind::Conversation, &form.record_id, "", &form.version, &inputs).unwrap();
    assert!(result.saved, "{:?}", result.form.errors);
    let talk = store.get::<Conversation>(&crate::RecordId::parse(&form.record_id).unwrap()).unwrap().record;
    assert_eq!((talk.place.as_str(), talk.mahalla.as_str()), ("School", "Yangiobod"), "the person's mahalla, as the form proposed");
    assert_eq!(talk.person_ids.iter().collect::<Vec<_>>(), [&p.id]);
    assert_eq!(talk.started_at, c.now);
    assert!(!talk.follow_ups.is_empty(), "follow-ups are scheduled as the conversation is first saved");
}

#[test]
fn open_case_stores_a_case_by_this_user_today_or_says_what_is_missing() {
    let mut f = fixture("aziz");
    let c = ctx(Locale::En);
    let id = open_case(&mut f.store, &c, "Navbahor", &["Qodirov Anvar".into()], &["Qodirova Madina".into()], "The children miss school").unwrap();
    let case = f.store.get::<ParentCase>(&crate::RecordId::parse(&id).unwrap()).unwrap().record;
    assert_eq!((case.opened_on, case.inspector.as_str(), case.stage), (c.today(), "aziz", SaraStage::Scanning));
    assert_eq!(case.guardians.values().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["Qodirov Anvar"]);
    assert_eq!(case.children.values().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["Qodirova Madina"]);
    let Err(Error::Invalid(broken)) = open_case(&mut f.store, &c, "Navbahor", &[], &[], " ") else { panic!("a case without guardian or concern is stored") };
    let fields: Vec<&str> = broken.0.iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"guardians") && fields.contains(&"concern"), "{fields:?}");
}
