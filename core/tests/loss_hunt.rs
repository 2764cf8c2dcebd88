//! A property test that hunts for lost work: 3–8 phones and a hub, random user actions —
//! new persons, appended notes, forms opened before a sync and saved after it, bundles between
//! phones, a tampered phone writing outside its mahalla (refused), a cloned install, a role
//! change, the hub restored from an older backup — over a transport that drops, repeats and
//! cuts messages — and files attached to persons, moved after the records in transfers that are
//! sometimes cut. At the end every token any user typed is in the converged state or in that
//! user's kept-aside list, with a reason, and every attached file is byte for byte where its
//! record is: fetched from the hub by a colleague's phone, or still on the phone that attached
//! it when its record was kept aside. Never silently gone.
//!
//! Seeded: a failing seed is printed and appended to `tests/regressions/loss_hunt.txt`, and
//! every seed listed there runs first on each later run. `SUHBAT_LOSS_CASES=1000` runs a long
//! hunt (the CI runs 64 cases in four parallel tests); `SUHBAT_LOSS_SEED=<seed>` replays one.

use crate::common;

use common::harness::{Attempt, Faults, Network};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use suhbat_core::sample::SampleData;
use suhbat_core::sync::{FileTransfer, Hub};
use suhbat_core::views::{self, FieldInput, Form, FormKind, ViewContext};
use suhbat_core::*;

/// Cases each of the four tests runs by default (64 in all).
const DEFAULT_CASES_PER_TEST: u64 = 16;
/// User actions per case.
const STEPS: usize = 40;

/// Where failing seeds are kept (replayed first on every run).
fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/loss_hunt.txt")
}

/// A form a user opened and has not saved yet.
struct OpenForm {
    device: usize,
    person: RecordId,
    form: Form,
}

/// A file a user attached, and where it must end up.
struct AttachedFile {
    device: usize,
    person: RecordId,
    hash: String,
    bytes: Vec<u8>,
    /// The caption: a token like the others, so the reference is checked like any edit.
    token: String,
}

/// One case: the network, what each user typed, and where it must end up.
struct Hunt {
    net: Network,
    rng: StdRng,
    /// Decides the file actions, apart from `rng`, so saved seeds replay the same other actions.
    file_rng: StdRng,
    files: Vec<AttachedFile>,
    data: SampleData,
    dir: PathBuf,
    /// Persons each device created or received (candidates for edits).
    persons: Vec<RecordId>,
    forms: Vec<OpenForm>,
    /// Every token typed, by the device (install) that typed it.
    typed: Vec<(usize, String)>,
    /// For each device, the installs it is a copy of (a clone keeps aside for its origin too).
    origin: Vec<usize>,
    /// The hub store as backed up earlier, if any.
    backup: Option<PathBuf>,
    /// The device whose app was tampered to write outside its mahalla.
    tampered: Option<usize>,
    clones: usize,
    backups: usize,
    counter: usize,
    log: Vec<String>,
}

impl Hunt {
    fn new(seed: u64, dir: &Path) -> Hunt {
        let mut rng = StdRng::seed_from_u64(seed);
        let phones = rng.gen_range(3..=8);
        let roles: Vec<Role> = (0..phones).map(|_| Role::Inspector).collect();
        let mut net = Network::new(dir, &roles, seed);
        net.faults = Faults::none();
        let mut hunt = Hunt {
            net,
            rng,
            file_rng: StdRng::seed_from_u64(seed ^ 0xf11e5),
            files: Vec::new(),
            data: SampleData::new(seed),
            dir: dir.to_path_buf(),
            persons: Vec::new(),
            forms: Vec::new(),
            typed: Vec::new(),
            origin: (0..phones).collect(),
            backup: None,
            tampered: None,
            clones: 0,
            backups: 0,
            counter: 0,
            log: vec![format!("{phones} phones")],
        };
        if hunt.rng.gen_bool(0.5) {
            hunt.tamper(phones - 1);
        }
        hunt
    }

    fn token(&mut self, device: usize) -> String {
        self.counter += 1;
        let token = format!("tok{}x{}", self.counter, device);
        self.typed.push((device, token.clone()));
        token
    }

    /// Makes `device`'s app believe it may also write Qatortol (the hub knows better).
    fn tamper(&mut self, device: usize) {
        let keys = common::harness_keys(&self.net);
        let path = self.net.devices[device].path().to_path_buf();
        let placeholder = Store::create(self.dir.join(format!("placeholder{device}.db")), keys, common::profile("x", Role::Inspector)).unwrap();
        drop(std::mem::replace(&mut self.net.devices[device], placeholder));
        common::tamper_meta(&path, keys, "scopes", "navbahor,qatortol");
        self.net.devices[device] = Store::open(&path, keys).unwrap();
        self.tampered = Some(device);
        self.log.push(format!("device {device} tampered"));
    }

    fn step(&mut self) {
        let devices = self.net.devices.len();
        if self.file_rng.gen_bool(0.15) {
            let d = self.file_rng.gen_range(0..devices);
            self.attach_file(d);
        }
        let d = self.rng.gen_range(0..devices);
        match self.rng.gen_range(0..100) {
            0..=14 => self.add_person(d),
            15..=29 => self.append_note(d),
            30..=39 => self.open_form(d),
            40..=49 => self.submit_form(),
            50..=74 => self.sync(d),
            75..=79 => {
                let to = self.rng.gen_range(0..devices);
                self.bundle(d, to)
            }
            80..=83 if self.tampered == Some(d) => self.stray(d),
            84..=86 if self.clones < 2 => self.clone_install(d),
            87..=88 => self.change_role(d),
            89..=91 => self.backup_hub(),
            92..=93 if self.backup.is_some() => self.restore_hub(),
            94..=96 => self.net.replay_stale(),
            _ => self.sync(d),
        }
    }

    fn add_person(&mut self, d: usize) {
        let mut person = self.data.person("Navbahor", 2026);
        person.notes = self.token(d);
        self.net.devices[d].put(&person).unwrap();
        self.log.push(format!("device {d} adds person {}", person.id.short()));
        self.persons.push(person.id);
    }

    /// A person this device holds, if any.
    fn held_person(&mut self, d: usize) -> Option<RecordId> {
        let held: Vec<RecordId> = self.persons.iter().filter(|id| self.net.devices[d].get::<Person>(id).is_ok()).cloned().collect();
        (!held.is_empty()).then(|| held[self.rng.gen_range(0..held.len())].clone())
    }

    fn attach_file(&mut self, d: usize) {
        let held: Vec<RecordId> = self.persons.iter().filter(|id| self.net.devices[d].get::<Person>(id).is_ok()).cloned().collect();
        if held.is_empty() {
            return;
        }
        let person = held[self.file_rng.gen_range(0..held.len())].clone();
        let token = self.token(d);
        let len = self.file_rng.gen_range(100..700_000);
        let mut bytes = format!("%PDF-1.4\n{token}\n").into_bytes();
        bytes.extend((0..len).map(|_| self.file_rng.gen::<u8>()));
        let attached = self.net.devices[d].attach(&person, bytes.clone(), "application/pdf", AttachmentKind::Document, &token).unwrap();
        self.log.push(format!("device {d} attaches {} B ({token}) to {}", bytes.len(), person.short()));
        self.files.push(AttachedFile { device: d, person, hash: attached.hash, bytes, token });
    }

    /// Moves files for device `d`; `cut_after` drops the connection after that many answers.
    /// Returns the files moved. A failed transfer resumes at the next one.
    fn move_files(&mut self, d: usize, cut_after: Option<usize>) -> u32 {
        let device = &mut self.net.devices[d];
        let mut transfer = match FileTransfer::new(device) {
            Ok(t) => t,
            Err(e) => panic!("device {d} cannot start a file transfer: {e}"),
        };
        let mut answered = 0;
        loop {
            let request = match transfer.next_request(device) {
                Ok(Some(request)) => request,
                Ok(None) => break,
                Err(e) => panic!("device {d} file request failed: {e}"),
            };
            if cut_after == Some(answered) {
                self.log.push(format!("device {d} file transfer cut after {answered} answers"));
                break;
            }
            let answer = self.net.hub.handle_file(&request);
            if let Err(e) = transfer.handle_response(device, &answer) {
                panic!("device {d} file answer failed: {e}");
            }
            answered += 1;
        }
        let report = transfer.report();
        if report.uploaded + report.downloaded > 0 {
            self.log.push(format!("device {d} files: {} up, {} down", report.uploaded, report.downloaded));
        }
        for (hash, why) in &report.refused {
            self.log.push(format!("device {d}: file {} refused: {why}", &hash[..8]));
        }
        report.uploaded + report.downloaded
    }

    fn append_note(&mut self, d: usize) {
        let Some(id) = self.held_person(d) else { return };
        let token = self.token(d);
        self.net.devices[d].update::<Person>(&id, |p| p.notes = format!("{} {token}", p.notes)).unwrap();
        self.log.push(format!("device {d} appends {token} to {}", id.short()));
    }

    fn open_form(&mut self, d: usize) {
        let Some(id) = self.held_person(d) else { return };
        let form = views::person_form(&mut self.net.devices[d], &ViewContext::new(Locale::En), Some(id.as_str())).unwrap();
        self.log.push(format!("device {d} opens the form of {}", id.short()));
        self.forms.push(OpenForm { device: d, person: id, form });
    }

    fn submit_form(&mut self) {
        if self.forms.is_empty() {
            return;
        }
        let open = self.forms.swap_remove(self.rng.gen_range(0..self.forms.len()));
        let token = self.token(open.device);
        let house = format!("h{}", self.counter);
        let inputs: Vec<FieldInput> = open
            .form
            .fields
            .iter()
            .map(|f| {
                let value = match f.key.as_str() {
                    "notes" => format!("{} {token}", f.value),
                    "address/house" => house.clone(),
                    _ => f.value.clone(),
                };
                FieldInput { key: f.key.clone(), value, selected: f.selected.clone(), items: f.items.clone() }
            })
            .collect();
        let ctx = ViewContext::new(Locale::En);
        let saved =
            views::submit_form(&mut self.net.devices[open.device], &ctx, FormKind::Person, open.person.as_str(), "", &open.form.version, &inputs).unwrap();
        assert!(saved.saved, "form of {} not saved: {:?}", open.person, saved.form.errors);
        self.log.push(format!("device {} saves the form of {} with {token}", open.device, open.person.short()));
    }

    fn sync(&mut self, d: usize) {
        self.net.faults = if self.rng.gen_bool(0.3) { Faults::rough() } else { Faults::none() };
        let outcome = self.net.sync(d);
        self.net.faults = Faults::none();
        match outcome {
            Ok(Attempt::Finished(report)) => {
                self.log.push(format!("device {d} syncs: {} rejected, {} kept aside", report.rejected.len(), report.kept_aside.len()));
                // Files after the records; sometimes the connection drops half-way.
                let cut = self.file_rng.gen_bool(0.3).then(|| self.file_rng.gen_range(0..6));
                self.move_files(d, cut);
            }
            Ok(Attempt::Interrupted(why)) => self.log.push(format!("device {d} sync interrupted: {why}")),
            // A sync that needs more rounds resumes next time.
            Err(Error::Protocol(why)) => self.log.push(format!("device {d} sync stopped: {why}")),
            Err(other) => panic!("device {d} sync failed: {other}"),
        }
    }

    fn bundle(&mut self, from: usize, to: usize) {
        if from == to {
            return;
        }
        let summary = self.net.devices[to].summary().unwrap();
        let bundle = self.net.devices[from].export_bundle(Some(&summary)).unwrap();
        match self.net.devices[to].import_bundle(&bundle) {
            Ok(_) => self.log.push(format!("bundle {from} -> {to}")),
            // Two copies of one install wrote the same change numbers: the bundle is refused
            // whole (the user is told), both phones keep their work, the hub sorts it out.
            Err(e @ Error::ClonedInstall { .. }) => self.log.push(format!("bundle {from} -> {to} refused: {e}")),
            Err(other) => panic!("bundle {from} -> {to} failed: {other}"),
        }
    }

    fn stray(&mut self, d: usize) {
        let mut person = self.data.person("Qatortol", 2026);
        person.notes = self.token(d);
        match self.net.devices[d].put(&person) {
            Ok(_) => self.log.push(format!("device {d} writes a stray person in Qatortol")),
            // Refused on the phone itself (the hub's answer restored its true scopes): the user
            // is told at once, nothing was stored.
            Err(Error::NotPermitted { .. }) => {
                self.typed.pop();
            }
            Err(other) => panic!("stray write failed: {other}"),
        }
    }

    fn clone_install(&mut self, d: usize) {
        let source = self.net.devices[d].path().to_path_buf();
        self.net.devices[d].compact().unwrap();
        self.clones += 1;
        let dir = self.dir.join(format!("clone{}", self.clones));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join(source.file_name().unwrap());
        std::fs::copy(&source, &target).unwrap();
        let clone = Store::open(&target, common::harness_keys(&self.net)).unwrap();
        self.net.devices.push(clone);
        self.origin.push(self.origin[d]);
        self.log.push(format!("device {d} cloned as device {}", self.net.devices.len() - 1));
    }

    fn change_role(&mut self, d: usize) {
        let id = self.net.devices[d].device().device_id.clone();
        let role = if self.rng.gen_bool(0.5) { Role::Supervisor } else { Role::Inspector };
        self.net.hub.set_role(&id, role).unwrap();
        self.log.push(format!("device {d} becomes {role}"));
    }

    fn backup_hub(&mut self) {
        self.backups += 1;
        let path = self.dir.join(format!("hub-backup-{}.db", self.backups));
        self.net.hub.store().unwrap().backup_to(&path).unwrap();
        self.backup = Some(path);
        self.log.push("hub backed up".into());
    }

    fn restore_hub(&mut self) {
        let keys = common::harness_keys(&self.net);
        let hub_path = self.dir.join("hub.db");
        let Some(backup) = self.backup.clone() else { return };
        drop(std::mem::replace(&mut self.net.hub.hub, Hub::open(self.dir.join("interim-hub.db"), keys).unwrap()));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", hub_path.display()));
        }
        std::fs::copy(&backup, &hub_path).unwrap();
        self.net.hub.hub = Hub::open(&hub_path, keys).unwrap();
        self.log.push("hub restored from the backup".into());
    }

    /// Syncs every device without faults until a whole pass brings nothing new.
    fn settle(&mut self) {
        self.net.replay_stale();
        let mut settled = false;
        for _ in 0..12 {
            let mut moved = 0;
            for d in 0..self.net.devices.len() {
                match self.net.sync(d) {
                    Ok(Attempt::Finished(report)) => {
                        if !report.rejected.is_empty() || report.replayed > 0 || !report.kept_aside.is_empty() {
                            let kinds: Vec<String> = report.rejected.iter().map(|r| format!("{:?}: {}", r.kind, r.reason)).collect();
                            self.log.push(format!(
                                "settle: device {d} replayed {}, kept aside {}, rejected {kinds:?}",
                                report.replayed,
                                report.kept_aside.len()
                            ));
                        }
                        moved += report.docs_sent + report.docs_received + report.replayed + report.kept_aside.len()
                    }
                    Ok(Attempt::Interrupted(why)) => panic!("fault-free sync interrupted: {why}"),
                    Err(Error::Protocol(_)) => moved += 1,
                    Err(other) => panic!("device {d} sync failed while settling: {other}"),
                }
            }
            if moved == 0 {
                settled = true;
                break;
            }
        }
        assert!(settled, "the devices did not settle in 12 passes");
        for _ in 0..6 {
            let moved: u32 = (0..self.net.devices.len()).map(|d| self.move_files(d, None)).sum();
            if moved == 0 {
                return;
            }
        }
        panic!("the files did not settle in 6 passes");
    }

    /// Every token is in the converged state or kept aside by the install that typed it.
    fn check(&mut self) -> Result<(), String> {
        let converged = everything(&mut self.net.hub.store().unwrap());
        let mut kept: BTreeMap<usize, String> = BTreeMap::new();
        for d in 0..self.net.devices.len() {
            let entries = self.net.devices[d].kept_aside().unwrap();
            if entries.iter().any(|e| e.reason.is_empty()) {
                return Err(format!("device {d} kept something aside without a reason"));
            }
            let text: String = entries.iter().map(|e| format!("{} ", e.value)).collect();
            kept.entry(self.origin[d]).or_default().push_str(&text);
        }
        for (d, token) in &self.typed {
            let origin = self.origin[*d];
            if !converged.contains(token.as_str()) && !kept.get(&origin).is_some_and(|k| k.contains(token.as_str())) {
                return Err(format!("token {token} typed on device {d} is lost"));
            }
        }
        self.check_files(&converged, &kept)?;
        // Every phone shows what the hub has (fingerprints of the register agree).
        let hub_view = everything(&mut self.net.hub.store().unwrap());
        for d in 0..self.net.devices.len() {
            let mine = everything(&mut self.net.devices[d]);
            for (_, token) in self.typed.iter().filter(|(_, t)| hub_view.contains(t.as_str())) {
                if !mine.contains(token.as_str()) {
                    return Err(format!("device {d} does not show {token}, which the hub has"));
                }
            }
        }
        Ok(())
    }
}

impl Hunt {
    /// Every attached file is where its record is: a file whose reference reached the hub comes
    /// to a colleague's phone byte for byte when opened there; one whose record was kept aside
    /// is still whole on the install that attached it.
    fn check_files(&mut self, converged: &str, kept: &BTreeMap<usize, String>) -> Result<(), String> {
        let files = std::mem::take(&mut self.files);
        for f in &files {
            let short = &f.hash[..8];
            if converged.contains(f.token.as_str()) {
                let names = |store: &mut Store| store.get_raw(&f.person).is_ok_and(|r| r.value["attachments"].get(&f.hash).is_some());
                let Some(other) = (0..self.net.devices.len()).find(|&x| self.origin[x] != self.origin[f.device] && names(&mut self.net.devices[x])) else {
                    continue;
                };
                // Opened: fetched at the next transfer — or, when the hub lost it (a backup put
                // back), asked for at the hub, sent again by a phone that has it at its next
                // sync, and fetched after that.
                if self.net.devices[other].file(&f.hash).map_err(|e| format!("device {other} cannot open file {short}: {e}"))?.is_none() {
                    self.move_files(other, None);
                }
                if self.net.devices[other].file(&f.hash).map_err(|e| e.to_string())?.is_none() {
                    self.settle();
                }
                let got = self.net.devices[other].file(&f.hash).map_err(|e| e.to_string())?;
                if got.as_deref() != Some(f.bytes.as_slice()) {
                    return Err(format!("file {short} attached on device {} ({}) cannot be fetched whole by device {other}", f.device, f.token));
                }
            } else if kept.get(&self.origin[f.device]).is_some_and(|k| k.contains(f.token.as_str())) {
                let held = (0..self.net.devices.len())
                    .filter(|&x| self.origin[x] == self.origin[f.device])
                    .any(|x| self.net.devices[x].file_state(&f.hash).ok().flatten().is_some_and(|s| s.complete));
                if !held {
                    return Err(format!("file {short} of a record kept aside on device {} is gone", f.device));
                }
            }
        }
        self.files = files;
        Ok(())
    }
}

/// All record values and conflicting values of a store, as one text.
fn everything(store: &mut Store) -> String {
    let rows = store.list(&ListQuery { limit: Some(1_000_000), include_merged: true, ..Default::default() }).unwrap();
    let mut out = String::new();
    for row in rows {
        let raw = store.get_raw(&RecordId::parse(&row.record_id).unwrap()).unwrap();
        out.push_str(&raw.value.to_string());
        for conflict in raw.conflicts {
            for value in conflict.values {
                out.push_str(&value.value.to_string());
            }
        }
    }
    out
}

/// Runs one case; `Err` with the case's log when something was lost.
fn hunt(seed: u64) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let mut hunt = Hunt::new(seed, dir.path());
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        for _ in 0..STEPS {
            hunt.step();
        }
        hunt.settle();
        hunt.check()
    }));
    let outcome = match run {
        Ok(result) => result,
        Err(panic) => Err(panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default()),
    };
    outcome.map_err(|why| format!("seed {seed}: {why}\n  steps: {}", hunt.log.join("\n         ")))
}

fn saved_seeds() -> Vec<u64> {
    std::fs::read_to_string(regressions()).unwrap_or_default().lines().filter_map(|l| l.split('#').next()?.trim().parse().ok()).collect()
}

fn save_seed(seed: u64, why: &str) {
    use std::io::Write;
    let path = regressions();
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(&path) {
        let first_line = why.lines().next().unwrap_or_default();
        let _ = writeln!(file, "{seed} # {first_line}");
    }
}

/// Runs the saved seeds (first test only), then `cases` new ones from `first_seed`.
fn run(part: u64) {
    if let Some(seed) = std::env::var("SUHBAT_LOSS_SEED").ok().and_then(|s| s.parse().ok()) {
        if part == 0 {
            hunt(seed).unwrap_or_else(|why| panic!("{why}"));
        }
        return;
    }
    let cases: u64 = std::env::var("SUHBAT_LOSS_CASES").ok().and_then(|s| s.parse().ok()).map_or(DEFAULT_CASES_PER_TEST, |all: u64| all.div_ceil(4));
    let mut seeds: Vec<u64> = if part == 0 { saved_seeds() } else { vec![] };
    seeds.extend((0..cases).map(|i| 0x5eed_0000 + part * 1_000_000 + i));
    let started = std::time::Instant::now();
    let mut failures = Vec::new();
    for &seed in &seeds {
        if let Err(why) = hunt(seed) {
            if !saved_seeds().contains(&seed) {
                save_seed(seed, &why);
            }
            failures.push(why);
        }
    }
    println!("loss hunt part {part}: {} cases, {} lost work, in {:?}", seeds.len(), failures.len(), started.elapsed());
    assert!(failures.is_empty(), "{} of {} cases lost work:\n{}", failures.len(), seeds.len(), failures.join("\n\n"));
}

#[test]
fn no_user_edit_is_ever_silently_lost_part_0() {
    run(0);
}

#[test]
fn no_user_edit_is_ever_silently_lost_part_1() {
    run(1);
}

#[test]
fn no_user_edit_is_ever_silently_lost_part_2() {
    run(2);
}

#[test]
fn no_user_edit_is_ever_silently_lost_part_3() {
    run(3);
}
