//! `suhbat demo`: three phones work one parent case offline, then merge. No setup needed.

use anyhow::{ensure, Context, Result};
use clap::Args;
use std::path::PathBuf;
use suhbat_core::sample::SampleData;
use suhbat_core::*;

#[derive(Args)]
pub struct DemoArgs {
    /// Keep the three device stores in this folder (default: a temporary folder, removed after).
    #[arg(long)]
    dir: Option<PathBuf>,
}

struct Phone {
    name: &'static str,
    store: Store,
}

fn step(n: u32, text: &str) {
    println!("\n{n}. {text}");
}

fn ok(text: impl AsRef<str>) {
    println!("   ✓ {}", text.as_ref());
}

/// Sends `from`'s changes that `to` lacks, as a bundle file would carry them.
fn send(from: &mut Phone, to: &mut Phone) -> Result<ImportReport> {
    let summary = to.store.summary()?;
    let bundle = from.store.export_bundle(Some(&summary))?;
    let report = to.store.import_bundle(&bundle)?;
    println!("   {} → {}: bundle of {} bytes, {} record(s) changed", from.name, to.name, bundle.len(), report.records_changed);
    Ok(report)
}

fn merge_in_order(phones: &mut [Phone], order: &[(usize, usize)]) -> Result<()> {
    for &(from, to) in order {
        let (a, b) = if from < to {
            let (left, right) = phones.split_at_mut(to);
            (&mut left[from], &mut right[0])
        } else {
            let (left, right) = phones.split_at_mut(from);
            (&mut right[0], &mut left[to])
        };
        send(a, b)?;
    }
    Ok(())
}

fn same_state(phones: &mut [Phone]) -> Result<String> {
    let prints = phones.iter_mut().map(|p| p.store.fingerprint()).collect::<Result<Vec<_>, _>>()?;
    ensure!(prints.windows(2).all(|w| w[0] == w[1]), "replicas differ: {prints:?}");
    Ok(prints[0].clone())
}

pub fn run(args: DemoArgs, lang: Locale) -> Result<()> {
    let temp;
    let temp_dir_used = args.dir.is_none();
    let dir = match args.dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            dir
        }
        None => {
            temp = tempfile::tempdir()?;
            temp.path().to_path_buf()
        }
    };
    let keys = FileKeyProvider::new(dir.join(".suhbat-keys"));
    let open = |name: &'static str, person: &str, role: Role| -> Result<Phone> {
        let path = dir.join(format!("{name}.db"));
        ensure!(!path.exists(), "{} already exists; choose an empty --dir", path.display());
        let profile = DeviceProfile { person: person.into(), role, scopes: vec!["Navbahor".into()] };
        Ok(Phone { name, store: Store::create(&path, &keys, profile)? })
    };
    let mut phones = vec![
        open("aziz", "Aziz Karimov", Role::Inspector)?,
        open("bobur", "Bobur Tursunov", Role::Inspector)?,
        open("dilnoza", "Dilnoza Rahimova", Role::Seven)?,
    ];
    println!("Suhbat demo — three phones without signal, one parent case");
    println!("device stores (encrypted SQLite) in {}", dir.display());

    step(1, "At the base point Aziz registers two persons, records a conversation and opens a parent case.");
    let mut data = SampleData::new(2026);
    let jasur = data.person("Navbahor", 2026);
    let madina = data.person("Navbahor", 2026);
    let talk = data.conversation(&jasur, 2026);
    let case = data.parent_case("Navbahor", 2026);
    let child_id = case.children.keys().next().cloned().context("sample case has a child")?;
    for record in [&jasur, &madina] {
        phones[0].store.put(record)?;
    }
    phones[0].store.put(&talk)?;
    phones[0].store.put(&case)?;
    merge_in_order(&mut phones, &[(0, 1), (0, 2)])?;
    ok(format!("all phones hold the same {} records (fingerprint {})", 4, same_state(&mut phones)?));

    step(2, "Offline in the mahalla, each phone edits on its own:");
    phones[0].store.update::<ParentCase>(&case.id, |c| {
        c.stage = SaraStage::Analysis;
        c.notes.push_str("Father agreed to meet on Friday. ");
        c.children.entry(child_id.clone()).or_default().school = "School 141, 6th form".into();
    })?;
    println!("   - Aziz moves the case to SARA stage Analysis, adds to the notes, writes the child's school");
    phones[2].store.update::<ParentCase>(&case.id, |c| {
        c.tasks.insert(new_item_id(), SevenTask { role: SevenRole::YouthLeader, task: "Enrol the son in the football club".into(), due: None, done: false });
        c.notes.push_str("Mother works night shifts. ");
        c.children.entry(child_id.clone()).or_default().school = "School 23, 6th form".into();
    })?;
    println!("   - Dilnoza (mahalla seven) gives the youth leader a task, adds to the notes, writes the child's school differently");
    let second_talk = data.conversation(&madina, 2026);
    phones[1].store.put(&second_talk)?;
    println!("   - Bobur records a conversation with {}", madina.display_name());

    step(3, "Back at the base point the phones merge, each in a different order:");
    merge_in_order(&mut phones, &[(2, 0), (1, 0), (0, 1), (2, 1), (1, 2), (0, 2)])?;
    let print = same_state(&mut phones)?;
    ok(format!("every replica has the same state (fingerprint {print})"));
    let merged = phones[1].store.get::<ParentCase>(&case.id)?;
    ok(format!("stage {:?}, {} task(s) of the seven", merged.record.stage, merged.record.tasks.len()));
    ensure!(merged.record.notes.contains("Father agreed") && merged.record.notes.contains("night shifts"), "a note edit was lost");
    ok(format!("both note edits survived: {:?}", merged.record.notes.trim()));
    ensure!(merged.conflicts.len() == 1, "expected one conflict, found {}", merged.conflicts.len());
    let conflict = &merged.conflicts[0];
    println!("   ! conflict on {} — {}:", conflict.path, i18n::field_label(lang, &conflict.path));
    for v in &conflict.values {
        let who = v.author.as_ref().map(|a| format!("{} ({})", a.person, a.role)).unwrap_or_default();
        println!("       {:?} by {who}", v.display);
    }

    step(4, "Aziz calls the school and keeps Dilnoza's value; the phones merge again.");
    let chosen = conflict.values.iter().find(|v| v.display.starts_with("School 23")).context("Dilnoza's value is listed")?.value.clone();
    phones[0].store.resolve_conflict(&case.id, &conflict.path, &chosen)?;
    merge_in_order(&mut phones, &[(0, 1), (0, 2)])?;
    let print = same_state(&mut phones)?;
    for phone in phones.iter_mut() {
        ensure!(phone.store.conflicts()?.is_empty(), "{} still shows a conflict", phone.name);
    }
    ok(format!("no conflicts left on any phone; same state everywhere (fingerprint {print})"));
    let school = &phones[2].store.get::<ParentCase>(&case.id)?.record.children[&child_id].school;
    ok(format!("the child's school reads {school:?} on every phone"));
    for phone in &phones {
        let audit = phone.store.verify_audit()?;
        ensure!(audit.first_broken.is_none(), "audit chain of {} is broken", phone.name);
    }
    ok("audit chains intact on all three phones");
    if temp_dir_used {
        println!("\nDone. (Run with --dir DIR to keep the three stores and look inside with `suhbat person list --store DIR/aziz.db`.)");
    } else {
        println!("\nDone. Try: suhbat person list --store {}", dir.join("aziz.db").display());
    }
    Ok(())
}
