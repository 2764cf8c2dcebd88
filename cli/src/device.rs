//! `suhbat device …`: set up a device store, enrol it with a hub, sync.

use crate::records::StoreArg;
use crate::{key_provider_for, open_store};
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use suhbat_core::sync::{FileReport, LiveConfig, SyncReport};
use suhbat_core::{DeviceProfile, Error, Role, Store};
use suhbat_hub::{HubClient, LiveRunner};

#[derive(Subcommand)]
pub(crate) enum DeviceCommand {
    /// Creates a new device store.
    Init {
        #[command(flatten)]
        store: StoreArg,
        /// The person using the device.
        #[arg(long)]
        person: String,
        /// inspector, seven, supervisor, or a service such as migration or duty_unit (the hub may assign another at enrolment).
        #[arg(long, default_value = "inspector", value_parser = parse_role)]
        role: Role,
        /// Mahallas the person works in (repeat for several).
        #[arg(long = "scope")]
        scopes: Vec<String>,
    },
    /// Shows the device profile and store sizes.
    Info(StoreArg),
    /// Joins a hub with a one-time code from `suhbat hub enrol`.
    Enrol {
        #[command(flatten)]
        store: StoreArg,
        /// The hub's address, e.g. https://10.0.0.5:8443.
        #[arg(long, required_unless_present = "invite", conflicts_with = "invite")]
        hub: Option<String>,
        /// The one-time code.
        #[arg(long, required_unless_present = "invite", conflicts_with = "invite")]
        code: Option<String>,
        /// The invitation the console's QR code holds (`suhbat-enrol:?hub=…&code=…&ca=…`):
        /// address, code and the authority's fingerprint in one; the certificate is fetched
        /// from the hub and kept only when its fingerprint matches.
        #[arg(long, conflicts_with_all = ["ca", "pin"])]
        invite: Option<String>,
        /// The hub's authority certificate (ca.pem from its data folder), for https.
        #[arg(long)]
        ca: Option<PathBuf>,
        /// The certificate's SHA-256 fingerprint as printed by the hub; checked when given.
        #[arg(long)]
        pin: Option<String>,
    },
    /// Syncs with the hub the device is enrolled with.
    Sync(StoreArg),
    /// Syncs, then keeps syncing near-real-time: a change saved in the store (by another
    /// `suhbat` command) is synced a moment later, and whatever colleagues sync comes in as soon
    /// as the hub says it waits. Failures are retried with growing pauses. Ctrl-C stops.
    Live(StoreArg),
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| format!("unknown role {text:?}; use one of {}", Role::names()))
}

/// Runs one sync session with a progress bar for large answers.
fn sync_with_progress(store: &mut Store, client: &HubClient) -> Result<SyncReport> {
    let mut bar: Option<ProgressBar> = None;
    let report = client.sync(store, &mut |done, total| {
        if let Some(total) = total.filter(|t| *t > 256 * 1024) {
            let bar = bar.get_or_insert_with(|| {
                let bar = ProgressBar::new(total);
                bar.set_style(
                    ProgressStyle::with_template("  receiving {bar:30} {bytes}/{total_bytes} {bytes_per_sec}").unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar
            });
            bar.set_length(total);
            bar.set_position(done);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(report?)
}

/// Moves attached files after a sync, with a progress bar when there is anything to move.
pub(crate) fn files_with_progress(store: &mut Store, client: &HubClient) -> Result<FileReport> {
    let mut bar: Option<ProgressBar> = None;
    let report = client.transfer_files(store, &mut |p| {
        let bar = bar.get_or_insert_with(|| {
            let bar = ProgressBar::new(p.bytes_total);
            bar.set_style(
                ProgressStyle::with_template("  files {msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec}").unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        bar.set_length(p.bytes_total);
        bar.set_position(p.bytes_done);
        bar.set_message(format!("{}/{}", p.files_done, p.files_total));
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(report?)
}

/// How often `device live` looks for changes other `suhbat` commands saved in the store.
const LOOK_FOR_EDITS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// `device live`: the core's live sync in the hub crate's runner, told of changes other
/// commands saved in the store file (the store counts other connections' commits) until the
/// process is stopped. The store itself catches up with those commits before it reads or writes.
fn live(store: Store, client: HubClient) -> Result<()> {
    let store = Arc::new(Mutex::new(store));
    let runner = LiveRunner::start(store.clone(), client, LiveConfig::default(), |result| match result {
        Ok(report) => print_report(report),
        Err(e) => eprintln!("sync failed (retried later): {e}"),
    });
    println!("live sync on; Ctrl-C stops");
    let outside_writes = || -> Result<u64> { Ok(store.lock().map_err(|_| anyhow::anyhow!("the store lock was poisoned"))?.outside_writes()?) };
    // Counted from the store's opening: a write made before the first look is one too.
    let mut seen = 0;
    loop {
        std::thread::sleep(LOOK_FOR_EDITS_EVERY);
        let now = outside_writes()?;
        if now != seen {
            seen = now;
            runner.edited();
        }
    }
}

/// The client for the hub this store is enrolled with.
pub(crate) fn client_for(store: &Store) -> Result<HubClient> {
    let url = store.setting("hub_url")?.context("this device is not enrolled; run `suhbat device enrol` first")?;
    let ca = store.setting(suhbat_hub::HUB_CA_SETTING)?;
    Ok(HubClient::new(&url, ca.as_deref())?)
}

pub(crate) fn run(cmd: DeviceCommand) -> Result<()> {
    match cmd {
        DeviceCommand::Init { store, person, role, scopes } => {
            let keys = key_provider_for(&store.store);
            let created = Store::create(&store.store, &keys, DeviceProfile { person, role, scopes })
                .with_context(|| format!("creating store {}", store.store.display()))?;
            println!("created {} for device {}", store.store.display(), created.device().device_id);
        }
        DeviceCommand::Info(store) => {
            let s = open_store(&store.store)?;
            let d = s.device();
            let stats = s.stats()?;
            println!("device   {}\nperson   {}\nrole     {}\nscopes   {}", d.device_id, d.profile.person, d.profile.role, d.profile.scopes.join(", "));
            println!("hub      {}", s.setting("hub_url")?.unwrap_or_else(|| "(not enrolled)".into()));
            println!("records  {}\nbuckets  {}\nbytes    {} in documents, {} on disk", stats.records, stats.docs, stats.doc_bytes, stats.file_bytes);
        }
        DeviceCommand::Enrol { store, hub, code, ca, pin, invite } => {
            let mut s = open_store(&store.store)?;
            let (hub, code, ca_pem) = match invite {
                Some(text) => {
                    let invite = suhbat_core::sync::EnrolInvite::parse(&text)?;
                    let pem = match &invite.ca_fingerprint {
                        Some(fingerprint) => Some(HubClient::authority_with_fingerprint(&invite.hub_url, fingerprint)?),
                        None => None,
                    };
                    if let Some(fingerprint) = &invite.ca_fingerprint {
                        println!("the hub's certificate matches the invitation's fingerprint {fingerprint}");
                    }
                    (invite.hub_url, invite.code, pem)
                }
                None => {
                    let pem = match &ca {
                        Some(path) => Some(std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?),
                        None => None,
                    };
                    (hub.context("--hub is needed without --invite")?, code.context("--code is needed without --invite")?, pem)
                }
            };
            if let (Some(pem), Some(_)) = (&ca_pem, &ca) {
                let fingerprint = suhbat_hub::ca_fingerprint(pem)?;
                match &pin {
                    Some(expected) if !expected.eq_ignore_ascii_case(&fingerprint) => {
                        bail!("the certificate's fingerprint {fingerprint} does not match --pin {expected}; do not enrol")
                    }
                    Some(_) => println!("certificate fingerprint matches the pin"),
                    None => println!("hub certificate fingerprint {fingerprint} — compare it with the one the hub printed"),
                }
            }
            let client = HubClient::new(&hub, ca_pem.as_deref())?;
            let enrolment = client.enrol(&mut s, &code)?;
            s.set_setting("hub_url", &hub)?;
            if let Some(pem) = &ca_pem {
                s.set_setting(suhbat_hub::HUB_CA_SETTING, pem)?;
            }
            println!("enrolled with hub {} as {} ({}) for {}", enrolment.hub_id, enrolment.person, enrolment.role, enrolment.scopes.join(", "));
        }
        DeviceCommand::Live(store) => {
            let s = open_store(&store.store)?;
            let client = client_for(&s)?;
            live(s, client)?;
        }
        DeviceCommand::Sync(store) => {
            let mut s = open_store(&store.store)?;
            let client = client_for(&s)?;
            match sync_with_progress(&mut s, &client) {
                Ok(report) => {
                    print_report(&report);
                    // The records are in; attached files follow, with their own progress.
                    let files = files_with_progress(&mut s, &client)?;
                    crate::files::print_file_report(&files);
                    // The upkeep a phone's background job runs after a sync.
                    if s.tidy()? {
                        println!("  store compacted: {} KB", s.stats()?.file_bytes / 1024);
                    }
                }
                Err(e) => {
                    let refusal = e.chain().find_map(|c| match c.downcast_ref::<suhbat_hub::HubError>() {
                        Some(suhbat_hub::HubError::Store(inner)) => Some(inner),
                        _ => c.downcast_ref::<Error>(),
                    });
                    if let Some(Error::Refused { wipe: true, message, .. }) = refusal {
                        let message = message.clone();
                        s.wipe(&key_provider_for(&store.store))?;
                        bail!("the hub refused this device ({message}); as ordered, its data was wiped");
                    }
                    return Err(e);
                }
            }
        }
    }
    Ok(())
}

/// Prints what a sync did.
pub(crate) fn print_report(r: &SyncReport) {
    println!(
        "synced in {} round trip(s): {} document(s) sent, {} received, {} record(s) changed, {} in conflict, {} B up, {} B down",
        r.rounds, r.docs_sent, r.docs_received, r.records_changed, r.records_in_conflict, r.bytes_sent, r.bytes_received
    );
    for rejection in &r.rejected {
        println!("  rejected in {}: {}", rejection.doc_id, rejection.reason);
    }
    for doc in &r.revoked {
        println!("  removed (no longer in this device's scope): {doc}");
    }
    for doc in &r.kept {
        println!("  kept (no longer in this device's scope, but holds changes the hub has not accepted): {doc}");
    }
    if r.replayed > 0 {
        println!("  {} change(s) of this device made again on the hub's copy (nothing lost)", r.replayed);
    }
    if !r.kept_aside.is_empty() {
        println!("  {} record(s) of your work the hub refused are kept aside: see `suhbat kept-aside list`", r.kept_aside.len());
    }
}
