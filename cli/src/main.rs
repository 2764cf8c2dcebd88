//! `suhbat`: the command line of Suhbat — the demo, device stores for scripting, benchmarks.

#![forbid(unsafe_code)]

mod bench;
mod bench_attack;
mod bench_files;
mod bench_notes;
mod bench_search;
mod bench_soak;
mod bench_sync;
mod crash_writer;
mod demo;
mod demo_practice;
mod demo_work;
mod device;
mod files;
mod hub_cmd;
mod hub_user;
mod output;
mod practice;
mod records;
mod report;
mod work;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use suhbat_core::{FileKeyProvider, Locale, Store};

/// Suhbat: offline-first field work for prevention inspectors.
#[derive(Parser)]
#[command(name = "suhbat", version, about, long_about = None)]
struct Cli {
    /// Language of messages: uz-Latn (default), uz-Cyrl, ru, en. The demo, whose story is told
    /// in English, shows the app's own texts in English unless a language is given.
    #[arg(long, global = true, env = "SUHBAT_LANG", value_parser = parse_locale)]
    lang: Option<Locale>,
    #[command(subcommand)]
    command: Command,
}

fn parse_locale(text: &str) -> Result<Locale, String> {
    Locale::parse(text).ok_or_else(|| format!("unknown language {text:?}; use uz-Latn, uz-Cyrl, ru or en"))
}

#[derive(Subcommand)]
enum Command {
    /// Runs the whole story on three simulated phones: offline edits, merges, a conflict.
    Demo(demo::DemoArgs),
    /// Sets up a device store, enrols it with a hub, syncs.
    #[command(subcommand)]
    Device(device::DeviceCommand),
    /// Runs the base-point hub and manages its devices.
    #[command(subcommand)]
    Hub(hub_cmd::HubCommand),
    /// Persons on the prevention register.
    #[command(subcommand)]
    Person(records::PersonCommand),
    /// Preventive conversations.
    #[command(subcommand)]
    Conversation(records::ConversationCommand),
    /// Parent cases worked with the mahalla seven.
    #[command(subcommand)]
    Case(records::CaseCommand),
    /// Cooperation requests to the duty unit, sectoral services and the mahalla seven.
    #[command(subcommand)]
    Referral(work::ReferralCommand),
    /// The applications registry: Form 1 book, Form 2 journal, alphabetical book.
    #[command(subcommand)]
    Registry(work::RegistryCommand),
    /// Joint events (seminars, social-assistance events) and who attended.
    #[command(subcommand)]
    Event(work::EventCommand),
    /// Follow-up results of conversations (+1/+3/+6 months), through the apps' form.
    #[command(subcommand)]
    Followup(records::FollowupCommand),
    /// Any record kind's form, as the apps show it: show it, or fill and save it (scripting).
    #[command(subcommand)]
    Form(records::FormCommand),
    /// Joint programmes with families over several sessions (a parents' school) and attendance.
    #[command(subcommand)]
    Programme(practice::ProgrammeCommand),
    /// Training of inspectors and members of the seven, and what each person had.
    #[command(subcommand)]
    Training(practice::TrainingCommand),
    /// Lists open conflicts, or resolves one.
    #[command(subcommand)]
    Conflict(records::ConflictCommand),
    /// Your work the hub refused, kept aside with the reasons: list it, or discard an entry.
    #[command(subcommand)]
    KeptAside(records::KeptAsideCommand),
    /// Merge bundles: exchange changes between two stores without a hub.
    #[command(subcommand)]
    Bundle(records::BundleCommand),
    /// Attached files: attach a photo, audio note, signature or PDF to a record, list them,
    /// get one (downloaded from the hub when it is not here), pin one for offline use.
    #[command(subcommand)]
    File(files::FileCommand),
    /// The audit chain of a store.
    #[command(subcommand)]
    Audit(records::AuditCommand),
    /// Reports: district, effectiveness, rising incidents (table, CSV or JSON).
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Benchmarks that print measured figures next to the design targets.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

/// Where the CLI keeps store keys: a private folder beside the store file.
pub(crate) fn key_provider_for(store: &Path) -> FileKeyProvider {
    let dir = store.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    FileKeyProvider::new(dir.join(".suhbat-keys"))
}

/// Opens the store at `path` with its key from the key folder.
pub(crate) fn open_store(path: &PathBuf) -> Result<Store> {
    Store::open(path, &key_provider_for(path)).with_context(|| format!("opening store {}", path.display()))
}

fn main() {
    let cli = Cli::parse();
    let demo_lang = cli.lang.unwrap_or(Locale::En);
    let lang = cli.lang.unwrap_or_default();
    let result = match cli.command {
        Command::Demo(args) => demo::run(args, demo_lang),
        Command::Device(cmd) => device::run(cmd),
        Command::Hub(cmd) => hub_cmd::run(cmd),
        Command::Person(cmd) => records::person(cmd, lang),
        Command::Conversation(cmd) => records::conversation(cmd, lang),
        Command::Case(cmd) => records::case(cmd, lang),
        Command::Referral(cmd) => work::referral(cmd, lang),
        Command::Registry(cmd) => work::registry(cmd, lang),
        Command::Event(cmd) => work::event(cmd, lang),
        Command::Followup(cmd) => records::followup(cmd, lang),
        Command::Form(cmd) => records::form(cmd, lang),
        Command::Programme(cmd) => practice::programme(cmd, lang),
        Command::Training(cmd) => practice::training(cmd, lang),
        Command::Conflict(cmd) => records::conflict(cmd, lang),
        Command::KeptAside(cmd) => records::kept_aside(cmd, lang),
        Command::Bundle(cmd) => records::bundle(cmd),
        Command::Audit(cmd) => records::audit(cmd),
        Command::File(cmd) => files::run(cmd, lang),
        Command::Report(cmd) => report::run(cmd, lang),
        Command::Bench(cmd) => bench::run(cmd),
    };
    if let Err(e) = result {
        eprintln!("error: {}", output::describe(&e, lang));
        std::process::exit(1);
    }
}
