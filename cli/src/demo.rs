//! `suhbat demo`: a hub on 127.0.0.1 and three phones work one parent case offline, then sync
//! at the base point; a cooperation request makes a round trip to the migration service's
//! phone; two inspectors register applications offline at once and the hub numbers them; at
//! the end two phones exchange a bundle without the hub.

use anyhow::{ensure, Context, Result};
use chrono::Utc;
use clap::Args;
use std::path::PathBuf;
use suhbat_core::sample::SampleData;
use suhbat_core::*;
use suhbat_hub::HubClient;

#[derive(Args)]
pub(crate) struct DemoArgs {
    /// Keep the hub and the three device stores in this folder (default: a temporary folder).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// At the end, keep the hub (and its web console) running until Ctrl-C.
    #[arg(long)]
    serve: bool,
}

pub(crate) struct Phone {
    pub name: &'static str,
    pub store: Store,
}

pub(crate) fn step(n: u32, text: &str) {
    println!("\n{n}. {text}");
}

pub(crate) fn ok(text: impl AsRef<str>) {
    println!("   ✓ {}", text.as_ref());
}

pub(crate) fn sync(phone: &mut Phone, client: &HubClient) -> Result<()> {
    let r = client.sync(&mut phone.store, &mut |_, _| {}).with_context(|| format!("{} syncing", phone.name))?;
    println!(
        "   {:<8} ⇄ hub: {} round trip(s), {} B up, {} B down, {} record(s) changed{}",
        phone.name,
        r.rounds,
        r.bytes_sent,
        r.bytes_received,
        r.records_changed,
        if r.records_in_conflict > 0 { format!(", {} in conflict", r.records_in_conflict) } else { String::new() }
    );
    Ok(())
}

fn case_everywhere(phones: &mut [Phone], id: &RecordId) -> Result<serde_json::Value> {
    let views = phones.iter_mut().map(|p| p.store.get_raw(id).map(|r| r.value)).collect::<Result<Vec<_>, _>>()?;
    ensure!(views.windows(2).all(|w| w[0] == w[1]), "the case differs between phones");
    Ok(views[0].clone())
}

pub(crate) fn run(args: DemoArgs, lang: Locale) -> Result<()> {
    let temp;
    let dir = match args.dir {
        Some(dir) => dir,
        None => {
            temp = tempfile::tempdir()?;
            temp.path().to_path_buf()
        }
    };
    suhbat_core::private::create_private_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
    println!("Suhbat demo — a base-point hub and four phones without signal");
    step(1, "The hub starts at the base point (HTTPS on 127.0.0.1, its own certificate authority).");
    let hub_dir = dir.join("hub");
    let hub =
        suhbat_hub::start(suhbat_hub::ServeOptions { stop_on_signal: args.serve, ..suhbat_hub::ServeOptions::new(hub_dir.clone(), "127.0.0.1:0".parse()?) })?;
    ok(format!("listening on {}, certificate fingerprint {}…", hub.url, hub.fingerprint.as_deref().unwrap_or("").get(..23).unwrap_or("")));
    let client = HubClient::new(&hub.url, hub.ca_pem.as_deref())?;

    step(2, "The supervisor makes one-time codes; each phone enrols with its own key.");
    const PEOPLE: [(&str, &str, Role); 4] = [
        ("aziz", "Aziz Karimov", Role::Inspector),
        ("bobur", "Bobur Tursunov", Role::Inspector),
        ("dilnoza", "Dilnoza Rahimova", Role::Seven),
        ("bekzod", "Bekzod Aliyev", Role::Migration),
    ];
    let keys = FileKeyProvider::new(dir.join(".suhbat-keys"));
    let mut phones = Vec::new();
    for (name, person, role) in PEOPLE {
        let path = dir.join(format!("{name}.db"));
        ensure!(!path.exists(), "{} already exists; choose an empty --dir", path.display());
        let mut store = Store::create(&path, &keys, DeviceProfile { person: person.into(), role, scopes: vec![] })?;
        let code = suhbat_hub::open_hub(&hub_dir)?.create_enrolment_code(person, role, &["Navbahor".into()], chrono::Duration::hours(1))?;
        let enrolment = client.enrol(&mut store, &code)?;
        ok(format!("{person} enrolled as {} for {}", enrolment.role, enrolment.scopes.join(", ")));
        phones.push(Phone { name, store });
    }

    step(3, "Aziz registers two persons, records a conversation and opens a parent case; everyone syncs.");
    let mut data = SampleData::new(2026);
    let jasur = data.person("Navbahor", 2026);
    let madina = data.person("Navbahor", 2026);
    let talk = data.conversation(&jasur, 2026);
    let case = data.parent_case("Navbahor", 2026);
    let child_id = case.children.keys().next().cloned().context("sample case has a child")?;
    phones[0].store.put_many(&[jasur.clone(), madina.clone()])?;
    phones[0].store.put(&talk)?;
    phones[0].store.put(&case)?;
    for phone in phones.iter_mut() {
        sync(phone, &client)?;
    }
    let counts: Vec<usize> = phones.iter().map(|p| p.store.list(&ListQuery::default()).map(|r| r.len())).collect::<Result<_, _>>()?;
    ok(format!(
        "inspectors hold {} records each; the seven member holds {} (the case only — need-to-know); the migration officer holds {}",
        counts[1], counts[2], counts[3]
    ));
    ensure!(counts[2] == 1 && counts[0] == counts[1] && counts[3] == 0, "unexpected record counts {counts:?}");

    step(4, "Offline in the mahalla, each phone edits on its own:");
    let mut edited = phones[0].store.get::<ParentCase>(&case.id)?.record;
    let aziz = phones[0].store.device().profile.person.clone();
    edited.move_to_stage(SaraStage::Analysis, "", &aziz, Utc::now())?;
    edited.notes.push_str("Father agreed to meet on Friday. ");
    edited.children.entry(child_id.clone()).or_default().school = "School 141, 6th form".into();
    phones[0].store.put(&edited)?;
    println!("   - Aziz moves the case to SARA stage Analysis, adds to the notes, writes the child's school");
    phones[2].store.update::<ParentCase>(&case.id, |c| {
        c.tasks.insert(
            new_item_id(),
            SevenTask { role: SevenRole::YouthLeader, task: "Enrol the son in the football club".into(), due: None, done: false, ..Default::default() },
        );
        c.notes.push_str("Mother works night shifts. ");
        c.children.entry(child_id.clone()).or_default().school = "School 23, 6th form".into();
    })?;
    println!("   - Dilnoza (mahalla seven) gives the youth leader a task, adds to the notes, writes the school differently");
    phones[1].store.put(&data.conversation(&madina, 2026))?;
    println!("   - Bobur records a conversation with {}", madina.display_name());

    step(5, "Back at the base point the phones sync in turn over the station Wi-Fi:");
    for i in [2, 1, 0, 2, 1] {
        sync(&mut phones[i], &client)?;
    }
    let (inspectors, _) = phones.split_at_mut(2);
    let prints = [inspectors[0].store.fingerprint()?, inspectors[1].store.fingerprint()?];
    ensure!(prints[0] == prints[1], "the inspectors' replicas differ");
    ok(format!("both inspectors hold identical replicas (fingerprint {})", prints[0]));
    case_everywhere(&mut phones[..3], &case.id)?;
    let merged = phones[2].store.get::<ParentCase>(&case.id)?;
    ok(format!("the case is identical on all three phones: stage {:?}, {} task(s) of the seven", merged.record.stage, merged.record.tasks.len()));
    ensure!(merged.record.notes.contains("Father agreed") && merged.record.notes.contains("night shifts"), "a note edit was lost");
    ok(format!("both note edits survived: {:?}", merged.record.notes.trim()));
    ensure!(merged.conflicts.len() == 1, "expected one conflict, found {}", merged.conflicts.len());
    let conflict = &merged.conflicts[0];
    println!("   ! conflict on {} — {}:", conflict.path, i18n::field_label(lang, &conflict.path));
    for v in &conflict.values {
        let who = v.author.as_ref().map(|a| format!("{} ({})", a.person, a.role)).unwrap_or_default();
        println!("       {:?} by {who}", v.display);
    }

    step(6, "Aziz calls the school and keeps Dilnoza's value; the phones sync again.");
    let chosen = conflict.values.iter().find(|v| v.display.starts_with("School 23")).context("Dilnoza's value is listed")?.value.clone();
    phones[0].store.resolve_conflict(&case.id, &conflict.path, &chosen)?;
    for i in [0, 1, 2] {
        sync(&mut phones[i], &client)?;
    }
    for phone in phones.iter_mut() {
        ensure!(phone.store.conflicts()?.is_empty(), "{} still shows a conflict", phone.name);
    }
    let school = &case_everywhere(&mut phones[..3], &case.id)?["children"][&child_id]["school"];
    ok(format!("no conflicts left on any phone; the child's school reads {school} everywhere"));

    crate::demo_work::referral_round_trip(&mut phones, &client, &jasur, lang)?;
    crate::demo_work::registry_entries(&mut phones, &client, lang)?;
    crate::demo_practice::parents_school(&mut phones, &client, lang)?;

    step(9, "No hub in reach? Two phones exchange a bundle directly (cable or QR) instead.");
    let extra = data.conversation(&jasur, 2026);
    phones[1].store.put(&extra)?;
    let summary = phones[0].store.summary()?;
    let bundle = phones[1].store.export_bundle(Some(&summary))?;
    let report = phones[0].store.import_bundle(&bundle)?;
    ok(format!("bobur → aziz: bundle of {} bytes, {} record(s) changed", bundle.len(), report.records_changed));
    ensure!(phones[0].store.get::<Conversation>(&extra.id).is_ok(), "the bundle did not carry the conversation");
    for phone in &phones {
        ensure!(phone.store.verify_audit()?.first_broken.is_none(), "audit chain of {} is broken", phone.name);
    }
    ok("audit chains intact on all four phones");
    let password = suhbat_hub::new_password();
    suhbat_hub::add_console_account(&hub_dir, "supervisor", suhbat_hub::ConsoleRole::Supervisor, &[suhbat_core::access::ALL_SCOPES.into()], &password)?;
    println!("\nThe base-point console (the supervisors' web page): {}/console", hub.url);
    println!("   sign in as supervisor with the password {password} (made for this run only)");
    println!(
        "   the browser must trust the hub's authority: {} (fingerprint {})",
        hub_dir.join("tls/ca.pem").display(),
        hub.fingerprint.as_deref().unwrap_or("")
    );
    if args.serve {
        println!("   the hub keeps running; stop it with Ctrl-C");
        hub.wait()?;
        ok("hub stopped");
    } else {
        hub.stop()?;
        ok("hub stopped gracefully (run with --serve to keep it and its console running)");
    }
    println!("\nDone. Keep the files with --dir DIR, then try: suhbat person list --store DIR/aziz.db");
    Ok(())
}
