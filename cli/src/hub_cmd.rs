//! `suhbat hub …`: run the base-point hub and manage its devices.

use anyhow::{bail, Context, Result};
use chrono::Duration;
use clap::{Args, Subcommand};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use suhbat_core::{AuditCheckpoint, CheckpointCheck, FileKeyProvider, Role, Store};
use suhbat_hub::{open_hub, start, Limits, RateLimit, ServeOptions, TlsIdentity};

#[derive(Subcommand)]
pub(crate) enum HubCommand {
    /// Runs the hub until Ctrl-C. HTTPS with a certificate made on first start.
    Serve {
        /// Data folder (store, key, TLS identity); created when missing.
        #[arg(long)]
        data: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: SocketAddr,
        /// Serve plain HTTP (local tests only; phones must never sync over it).
        #[arg(long)]
        insecure_http: bool,
        /// Extra host name or address for the certificate (repeat), e.g. the station's LAN IP.
        #[arg(long = "host")]
        hosts: Vec<String>,
        #[command(flatten)]
        limits: LimitArgs,
        /// Keep the hub's data in this PostgreSQL database (`postgres://user@host/db`; a
        /// region's hub) instead of `hub.db` in the data folder. Remembered in the folder, so
        /// later commands need only `--data`. Several hub nodes, each with a copy of the
        /// folder's `keys/`, may serve one database at once.
        #[arg(long)]
        database: Option<String>,
    },
    /// Console accounts: who may sign in to the hub's web page (`https://HUB/console`).
    #[command(subcommand)]
    User(crate::hub_user::UserCommand),
    /// Moves a base point's hub (its data folder or `hub.db`) into an empty PostgreSQL
    /// database, keeping its id, so its phones sync on with the new hub. The data folder
    /// `--data` then serves it (`hub serve --data DIR`).
    Migrate {
        /// The base point's data folder, or its `hub.db` (with `keys/` beside it).
        #[arg(long)]
        from: PathBuf,
        /// The PostgreSQL database (`postgres://…`).
        #[arg(long)]
        to: String,
        /// Data folder of the regional hub (its sealing key is made here; default: the
        /// base point's folder).
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Replaces the hub's certificate authority by a new one that the old one certifies, so
    /// devices pinned to the old one follow at their next sync and then pin the new one. The
    /// old authority is kept in `tls/retired/`. A running hub serves the new one within six
    /// hours; restart it to serve it at once.
    RotateCert {
        /// Data folder of the hub.
        #[arg(long)]
        data: PathBuf,
        /// Extra host name or address for the new server certificate (repeat).
        #[arg(long = "host")]
        hosts: Vec<String>,
    },
    /// Creates a one-time enrolment code for a person.
    Enrol {
        /// Data folder of the hub.
        #[arg(long)]
        data: PathBuf,
        /// The person who will use the device.
        #[arg(long)]
        person: String,
        /// inspector, seven, supervisor, or a service: duty_unit, criminal_investigation, counter_extremism, investigation, operational_search, forensics, migration, traffic_safety; or a body: school, youth_union, social_protection, childrens_rights, health, mahalla_chairman.
        #[arg(long)]
        role: String,
        /// Mahalla they work in (repeat; `*` for every mahalla).
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// Hours the code stays valid.
        #[arg(long, default_value_t = 72)]
        valid_hours: i64,
    },
    /// Revokes a device: refused from now on and told to wipe its data.
    Revoke {
        /// Data folder of the hub.
        #[arg(long)]
        data: PathBuf,
        /// The device id.
        device: String,
    },
    /// Lists enrolled devices and alerts.
    Devices {
        /// Data folder of the hub.
        #[arg(long)]
        data: PathBuf,
    },
    /// Manages an enrolled device: list, revoke, move to other mahallas, change its role.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Checks the hub store's audit chain; fails if an entry was removed or edited. With
    /// `--against`, also fails if the hub was rolled back or its chain rewritten since a signed
    /// checkpoint; `--checkpoint-out` appends a new checkpoint for supervisors to keep elsewhere.
    Audit {
        /// Data folder of the hub.
        #[arg(long)]
        data: PathBuf,
        /// A file of checkpoints taken earlier (one per line) to compare the chain with (repeat).
        #[arg(long)]
        against: Vec<PathBuf>,
        /// Appends a signed checkpoint of the chain as it is now to this file.
        #[arg(long)]
        checkpoint_out: Option<PathBuf>,
    },
    /// Who accessed a record: every opening, export, print and change of it that the devices'
    /// audit chains reported at sync, oldest first, with the person and role of each device.
    Accessed {
        /// Data folder of the hub.
        #[arg(long)]
        data: PathBuf,
        /// The record's id.
        record_id: String,
        /// Prints JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Writes a consistent copy of the hub store, encrypted with the hub's key, while the hub
    /// may be serving. Keep the data folder's `keys/` safe as well: the copy opens only with it.
    Backup {
        /// Data folder of the hub.
        #[arg(long)]
        data: PathBuf,
        /// The backup file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Puts a backup back as the hub store. Stop the hub first; the replaced store is kept as
    /// `hub.db.before-restore`. Phones give back what they made since the backup when they sync.
    Restore {
        /// Data folder of the hub (with the `keys/` the backup was made with).
        #[arg(long)]
        data: PathBuf,
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
    },
}

/// Limits of `hub serve` (defaults in the README's "Hub hardening").
#[derive(Args)]
pub(crate) struct LimitArgs {
    /// Seconds a client has for the TLS handshake, for its request headers, and for its body.
    #[arg(long, default_value_t = 15)]
    request_timeout: u64,
    /// Open connections at once; more are closed at once.
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
    /// Open connections at once from one client address.
    #[arg(long, default_value_t = 64)]
    max_connections_per_address: usize,
    /// Sync and enrolment requests served at once; more are answered 503 at once.
    #[arg(long, default_value_t = 64)]
    max_requests: usize,
    /// MiB of request bodies held in memory at once (at least one largest request).
    #[arg(long, default_value_t = 256)]
    max_body_mib: usize,
    /// MiB of request bodies one client address may have in memory at once (at least one
    /// largest request).
    #[arg(long, default_value_t = 65)]
    max_body_mib_per_address: usize,
    /// Sync requests per minute from one client address (0: no limit).
    #[arg(long, default_value_t = 600)]
    sync_per_minute: u32,
    /// Sync requests one client address may make at once after a pause.
    #[arg(long, default_value_t = 120)]
    sync_burst: u32,
    /// Enrolment attempts per minute from one client address (0: no limit).
    #[arg(long, default_value_t = 6)]
    enrol_per_minute: u32,
    /// Enrolment attempts one client address may make at once after a pause.
    #[arg(long, default_value_t = 10)]
    enrol_burst: u32,
    /// Seconds the hub holds a device's long poll (`/v1/news`) before it answers "nothing new".
    #[arg(long, default_value_t = 25)]
    news_wait: u64,
    /// Long polls held at once over all devices.
    #[arg(long, default_value_t = 512)]
    max_news_waits: usize,
    /// Long polls held at once for one device.
    #[arg(long, default_value_t = 2)]
    max_news_waits_per_device: usize,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        let rate = |per_minute: u32, burst: u32| (per_minute > 0).then_some(RateLimit { burst, per_minute });
        Limits {
            request_timeout: std::time::Duration::from_secs(self.request_timeout.max(1)),
            max_connections: self.max_connections,
            max_connections_per_address: self.max_connections_per_address,
            max_requests_in_flight: self.max_requests,
            max_body_bytes_in_flight: self.max_body_mib.saturating_mul(1 << 20),
            max_body_bytes_per_address: self.max_body_mib_per_address.saturating_mul(1 << 20),
            sync_rate: rate(self.sync_per_minute, self.sync_burst),
            enrol_rate: rate(self.enrol_per_minute, self.enrol_burst),
            news_wait: std::time::Duration::from_secs(self.news_wait.max(1)),
            max_news_waits: self.max_news_waits,
            max_news_waits_per_device: self.max_news_waits_per_device,
        }
    }
}

/// A device of the hub (the data folder and the device id).
#[derive(Args)]
pub(crate) struct DeviceArg {
    /// Data folder of the hub.
    #[arg(long)]
    data: PathBuf,
    /// The device id.
    device: String,
}

#[derive(Subcommand)]
pub(crate) enum DeviceCommand {
    /// Lists enrolled devices and alerts (as `hub devices`).
    List {
        /// Data folder of the hub.
        #[arg(long)]
        data: PathBuf,
    },
    /// Revokes a device (as `hub revoke`).
    Revoke(DeviceArg),
    /// Moves a device to other mahallas; work it did before still reaches the hub.
    SetScope {
        #[command(flatten)]
        device: DeviceArg,
        /// Mahalla it works in from now on (repeat; `*` for every mahalla).
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
    },
    /// Gives a device another role, keeping its mahallas; work it did before still reaches the hub.
    SetRole {
        #[command(flatten)]
        device: DeviceArg,
        /// The new role: inspector, seven, supervisor, or a service such as migration or duty_unit.
        role: String,
    },
}

fn parse_role(role: &str) -> Result<Role> {
    Role::parse(role).with_context(|| format!("unknown role {role:?}; use one of {}", Role::names()))
}

fn print_devices(data: &Path) -> Result<()> {
    let hub = open_hub(data)?;
    println!("{:<36}  {:<24}  {:<10}  {:<20}  {:<8}  last sync", "device", "person", "role", "scopes", "status");
    for d in hub.devices()? {
        let last = d.last_sync.and_then(chrono::DateTime::from_timestamp_millis).map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
        println!(
            "{:<36}  {:<24}  {:<10}  {:<20}  {:<8}  {last}",
            d.device_id,
            d.person,
            d.role,
            d.scopes.join(","),
            if d.revoked { "revoked" } else { "active" }
        );
    }
    for alert in hub.alerts()? {
        println!("ALERT {} {}: {}", alert.kind, alert.device_id, alert.detail);
    }
    Ok(())
}

fn revoke(data: &Path, device: &str) -> Result<()> {
    let hub = open_hub(data)?;
    if !hub.revoke(device)? {
        bail!("no active device {device}");
    }
    println!("revoked {device}; it will be told to wipe its data when it next connects");
    Ok(())
}

fn run_device(cmd: DeviceCommand) -> Result<()> {
    match cmd {
        DeviceCommand::List { data } => print_devices(&data)?,
        DeviceCommand::Revoke(DeviceArg { data, device }) => revoke(&data, &device)?,
        DeviceCommand::SetScope { device: DeviceArg { data, device }, scopes } => {
            if !open_hub(&data)?.set_scopes(&device, &scopes)? {
                bail!("no active device {device}");
            }
            println!("{device} now works in {}; it learns this at its next sync, and its earlier work is still accepted", scopes.join(", "));
        }
        DeviceCommand::SetRole { device: DeviceArg { data, device }, role } => {
            let role = parse_role(&role)?;
            if !open_hub(&data)?.set_role(&device, role)? {
                bail!("no active device {device}");
            }
            println!("{device} is now {role}; it learns this at its next sync, and its earlier work is still accepted");
        }
    }
    Ok(())
}

pub(crate) fn run(cmd: HubCommand) -> Result<()> {
    match cmd {
        HubCommand::Serve { data, listen, insecure_http, hosts, limits, database } => {
            if let Some(url) = &database {
                suhbat_hub::use_database(&data, url)?;
            }
            let limits = limits.limits();
            let running = start(ServeOptions { insecure_http, hosts, stop_on_signal: true, limits, ..ServeOptions::new(data.clone(), listen) })?;
            println!("hub listening on {}", running.url);
            if let Some(fp) = &running.fingerprint {
                println!("authority certificate: {}", data.join("tls/ca.pem").display());
                println!("SHA-256 fingerprint:   {fp}");
            } else {
                println!("WARNING: plain HTTP — for local tests only");
            }
            println!("stop with Ctrl-C");
            running.wait()?;
            println!("hub stopped");
        }
        HubCommand::Enrol { data, person, role, scopes, valid_hours } => {
            let role = parse_role(&role)?;
            if valid_hours <= 0 {
                bail!("--valid-hours must be positive");
            }
            let hub = open_hub(&data)?;
            let code = hub.create_enrolment_code(&person, role, &scopes, Duration::hours(valid_hours))?;
            println!("{code}");
            eprintln!("one-time code for {person} ({role}, {}), valid {valid_hours} h", scopes.join(", "));
            let ca = data.join("tls/ca.pem");
            if ca.exists() {
                eprintln!("give the device {} too; fingerprint {}", ca.display(), suhbat_hub::ca_fingerprint(&std::fs::read_to_string(&ca)?)?);
            }
        }
        HubCommand::RotateCert { data, hosts } => {
            let tls = data.join("tls");
            let old =
                suhbat_hub::ca_fingerprint(&std::fs::read_to_string(tls.join("ca.pem")).with_context(|| format!("{} holds no authority", tls.display()))?)?;
            let new = TlsIdentity::rotate(&tls, &hosts)?;
            println!("old authority: {old} (kept in {})", tls.join("retired").display());
            println!("new authority: {}", new.fingerprint()?);
            println!("certificate for new devices: {}", tls.join("ca.pem").display());
            println!("enrolled devices follow at their next sync; restart a running hub to serve the new certificate now");
        }
        HubCommand::Revoke { data, device } => revoke(&data, &device)?,
        HubCommand::Devices { data } => print_devices(&data)?,
        HubCommand::Device(cmd) => run_device(cmd)?,
        HubCommand::User(cmd) => crate::hub_user::run(cmd)?,
        HubCommand::Audit { data, against, checkpoint_out } => audit(&data, &against, checkpoint_out.as_deref())?,
        HubCommand::Accessed { data, record_id, json } => accessed(&data, &record_id, json)?,
        HubCommand::Backup { data, out } => {
            let hub_db = existing_hub(&data)?;
            let bytes = open_hub(&data)?.store()?.backup_to(&out).with_context(|| format!("backing up {} to {}", hub_db.display(), out.display()))?;
            println!("backed up {} to {} ({bytes} bytes, encrypted with the hub's key)", hub_db.display(), out.display());
        }
        HubCommand::Migrate { from, to, data } => migrate(&from, &to, data.as_deref())?,
        HubCommand::Restore { data, from } => {
            let hub_db = existing_hub(&data)?;
            Store::restore_backup(&hub_db, &from, &FileKeyProvider::new(data.join("keys")))
                .with_context(|| format!("restoring {} from {}", hub_db.display(), from.display()))?;
            println!("restored {} from {}; start the hub and let every phone sync", hub_db.display(), from.display());
        }
    }
    Ok(())
}

/// Copies a base point's hub into PostgreSQL and points the data folder at it.
fn migrate(from: &Path, to: &str, data: Option<&Path>) -> Result<()> {
    let (hub_db, from_dir) =
        if from.is_dir() { (from.join("hub.db"), from.to_path_buf()) } else { (from.to_path_buf(), from.parent().map(Path::to_path_buf).unwrap_or_default()) };
    if !hub_db.exists() {
        bail!("{} holds no hub store (hub.db)", from.display());
    }
    let data = data.map_or_else(|| from_dir.clone(), Path::to_path_buf);
    let report = suhbat_core::sync::Hub::migrate_to_postgres(&hub_db, &suhbat_hub::hub_keys(&from_dir), to, &suhbat_hub::hub_keys(&data))
        .with_context(|| format!("moving {} to {to}", hub_db.display()))?;
    for (table, rows) in &report.tables {
        println!("  {table:<18} {rows:>8} rows");
    }
    suhbat_hub::use_database(&data, to)?;
    println!("moved {} to PostgreSQL; `suhbat hub serve --data {}` serves it (hub.db is left as it was)", hub_db.display(), data.display());
    Ok(())
}

/// Verifies the chain, compares it with kept checkpoints, and takes a new one.
fn audit(data: &Path, against: &[PathBuf], checkpoint_out: Option<&Path>) -> Result<()> {
    existing_hub(data)?;
    let hub = open_hub(data)?;
    if suhbat_hub::database_url(data)?.is_some() {
        crate::records::print_audit(&hub.verify_audit()?)?;
        if !against.is_empty() || checkpoint_out.is_some() {
            bail!("audit checkpoints are not kept for a hub on PostgreSQL yet");
        }
        return Ok(());
    }
    let store = hub.store()?;
    crate::records::print_audit(&store.verify_audit()?)?;
    let mut failures = 0;
    for file in against {
        let text = std::fs::read_to_string(file).with_context(|| format!("reading checkpoints from {}", file.display()))?;
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let checkpoint = AuditCheckpoint::parse(line).with_context(|| format!("{} line {}", file.display(), n + 1))?;
            let taken = checkpoint.taken_at().map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default();
            match store.check_audit_checkpoint(&checkpoint)? {
                CheckpointCheck::Holds { added_since } => println!("checkpoint of {taken} ({} entries) holds; {added_since} entries since", checkpoint.entries),
                CheckpointCheck::RolledBack { checkpoint_entries, now_entries } => {
                    failures += 1;
                    println!(
                        "ROLLED BACK: the checkpoint of {taken} saw {checkpoint_entries} entries, the hub has {now_entries} (an older copy was put back?)"
                    );
                }
                CheckpointCheck::Rewritten { entry } => {
                    failures += 1;
                    println!("REWRITTEN: entry {entry} is not the one the checkpoint of {taken} saw");
                }
                CheckpointCheck::NotThisStore(why) => {
                    failures += 1;
                    println!("NOT THIS HUB: {why}");
                }
            }
        }
    }
    if let Some(out) = checkpoint_out {
        let line = store.audit_checkpoint()?.to_line();
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(out).with_context(|| format!("opening {}", out.display()))?;
        writeln!(file, "{line}")?;
        println!("checkpoint appended to {}; keep a copy away from the hub", out.display());
    }
    if failures > 0 {
        bail!("{failures} checkpoint(s) do not hold: the hub store is not the one they were taken of");
    }
    Ok(())
}

/// Prints who accessed a record, from the devices' audit chains the hub holds.
fn accessed(data: &Path, record_id: &str, json: bool) -> Result<()> {
    existing_hub(data)?;
    let id = suhbat_core::RecordId::parse(record_id).with_context(|| format!("{record_id:?} is not a record id"))?;
    let entries = open_hub(data)?.record_accesses(id.as_str())?;
    if json {
        println!("{}", serde_json::to_string_pretty(&entries)?);
        return Ok(());
    }
    if entries.is_empty() {
        println!("no device has reported access to {id} (devices report at their next sync)");
        return Ok(());
    }
    for e in &entries {
        let at = chrono::DateTime::from_timestamp_millis(e.at).map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default();
        let what = match e.action.as_str() {
            "access:view" => "opened".to_string(),
            "access:export" => "exported".to_string(),
            "access:print" => "printed".to_string(),
            "change" => "changed (at a sync)".to_string(),
            other => other.to_string(),
        };
        let who = if e.person.is_empty() { "unknown device".to_string() } else { format!("{} ({})", e.person, e.role) };
        let device: String = e.device_id.chars().take(8).collect();
        let broken = if e.linked { "" } else { "  [does not link to its device's chain]" };
        println!("{at}  {who:<32} device {device}  {what}{broken}");
    }
    let opened = entries.iter().filter(|e| e.is_access()).count();
    println!("{} entries: {opened} accesses, {} changes", entries.len(), entries.len() - opened);
    Ok(())
}

/// The hub store of a data folder, which must exist.
fn existing_hub(data: &Path) -> Result<PathBuf> {
    let hub_db = data.join("hub.db");
    if !hub_db.exists() && suhbat_hub::database_url(data)?.is_none() {
        bail!("{} holds no hub store (hub.db) and names no PostgreSQL database", data.display());
    }
    Ok(hub_db)
}
