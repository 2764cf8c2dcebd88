//! The wider work from the command line: cooperation requests, the applications registry,
//! joint events, and messages in the chosen language (uz-Latn by default).

use crate::common::add_qodirov;
use std::path::Path;
use std::process::{Command, Output};

fn suhbat(lang: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_suhbat"));
    command.env_remove("SUHBAT_LANG");
    if let Some(lang) = lang {
        command.args(["--lang", lang]);
    }
    command.args(args).output().expect("the suhbat binary runs")
}

fn ok_in(lang: Option<&str>, args: &[&str]) -> String {
    let out = suhbat(lang, args);
    assert!(out.status.success(), "suhbat {args:?} failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ok(args: &[&str]) -> String {
    ok_in(Some("en"), args)
}

fn fails_in(lang: Option<&str>, args: &[&str]) -> String {
    let out = suhbat(lang, args);
    assert!(!out.status.success(), "suhbat {args:?} should fail:\n{}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

#[test]
fn referral_steps_from_the_command_line_in_four_languages() {
    let dir = tempfile::tempdir().unwrap();
    let a = path(dir.path(), "aziz.db");
    ok(&["device", "init", "--store", &a, "--person", "Aziz Karimov", "--scope", "Navbahor"]);
    let id = ok(&[
        "referral",
        "send",
        "--store",
        &a,
        "--to",
        "duty_unit",
        "--mahalla",
        "Navbahor",
        "--subject",
        "Fight near the bazaar",
        "--reason",
        "Weekly fights at night",
        "--priority",
        "immediate",
    ]);
    let id = id.trim();
    // Default language: uz-Latn.
    assert!(ok_in(None, &["referral", "list", "--store", &a]).contains("Navbatchilik qismi"));
    assert!(ok_in(Some("uz-Cyrl"), &["referral", "list", "--store", &a]).contains("Навбатчилик қисми"));
    assert!(ok_in(Some("ru"), &["referral", "show", "--store", &a, id]).contains("Дежурная часть"));
    let shown = ok(&["referral", "show", "--store", &a, id]);
    assert!(shown.contains("Sent · Aziz Karimov (Inspector)") && !shown.contains("→ Mark received"), "an inspector cannot answer for the duty unit:\n{shown}");
    let err = fails_in(Some("en"), &["referral", "step", "--store", &a, id, "received"]);
    assert!(err.contains("Inspector may not move a request to “Received”"), "{err}");
    let err = fails_in(Some("en"), &["referral", "step", "--store", &a, id, "closed"]);
    assert!(err.contains("A request cannot go from “Sent” to “Closed”"), "{err}");
    let err = fails_in(None, &["referral", "step", "--store", &a, id, "closed"]);
    assert!(err.contains("So‘rovni «Yuborildi» holatidan «Yopildi» holatiga o‘tkazib bo‘lmaydi"), "{err}");
    assert!(fails_in(Some("en"), &["referral", "send", "--store", &a, "--to", "police", "--mahalla", "N", "--subject", "s", "--reason", "r"])
        .contains("not an allowed value (police)"));

    // The duty unit's officer answers on a copy of the store (as if it had synced).
    let d = path(dir.path(), "duty.db");
    ok(&["device", "init", "--store", &d, "--person", "Davron", "--role", "duty_unit", "--scope", "Navbahor"]);
    let (summary, bundle) = (path(dir.path(), "duty.summary"), path(dir.path(), "to-duty.bundle"));
    ok(&["bundle", "summary", "--store", &d, "--out", &summary]);
    ok(&["bundle", "export", "--store", &a, "--since", &summary, "--out", &bundle]);
    ok(&["bundle", "import", "--store", &d, &bundle]);
    ok(&["referral", "step", "--store", &d, id, "received"]);
    assert!(fails_in(Some("en"), &["referral", "step", "--store", &d, id, "declined"]).contains("note: Note is required"));
    ok(&["referral", "step", "--store", &d, id, "declined", "--note", "Handled by the patrol service"]);
    let shown = ok(&["referral", "show", "--store", &d, id]);
    assert!(shown.contains("Declined · Davron (Duty unit) — Handled by the patrol service"), "{shown}");
}

#[test]
fn registry_and_events_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let a = path(dir.path(), "aziz.db");
    ok(&["device", "init", "--store", &a, "--person", "Aziz Karimov", "--scope", "Navbahor"]);
    let first = ok(&[
        "registry",
        "add",
        "--store",
        &a,
        "--book",
        "form1",
        "--applicant",
        "Каримов Анвар",
        "--mahalla",
        "Navbahor",
        "--summary",
        "Theft of a bicycle",
        "--received",
        "2026-01-10",
    ]);
    let (first_id, first_number) = first.trim().split_once(' ').unwrap();
    assert!(first_number.starts_with("1/2026/") && first_number.ends_with("-1"), "{first_number}");
    ok(&[
        "registry",
        "add",
        "--store",
        &a,
        "--book",
        "form1",
        "--applicant",
        "Aliyeva Zarina",
        "--mahalla",
        "Navbahor",
        "--summary",
        "Lost documents",
        "--received",
        "2026-01-11",
    ]);
    ok(&[
        "registry",
        "add",
        "--store",
        &a,
        "--book",
        "form1",
        "--applicant",
        "Shodiyev Ilhom",
        "--mahalla",
        "Navbahor",
        "--summary",
        "Threats by phone",
        "--received",
        "2026-01-12",
    ]);
    let book = ok(&["registry", "list", "--store", &a, "--book", "form1", "--year", "2026"]);
    assert!(book.contains("Form 1 book · 2026") && book.contains("(provisional number)"), "{book}");
    let overdue = ok(&["registry", "overdue", "--store", &a]);
    assert_eq!(overdue.lines().filter(|l| l.contains("Decision overdue")).count(), 3, "{overdue}");
    ok(&["registry", "decide", "--store", &a, first_id, "--decision", "satisfied", "--text", "Bicycle found and returned", "--on", "2026-01-12"]);
    assert_eq!(ok(&["registry", "overdue", "--store", &a]).lines().filter(|l| l.contains("Decision overdue")).count(), 2);
    let abc = ok(&["registry", "alphabetical", "--store", &a, "--year", "2026"]);
    let letters: Vec<&str> = abc.lines().filter(|l| !l.starts_with(' ')).skip(1).collect();
    assert_eq!(letters, ["A", "K", "SH"], "Cyrillic Каримов files under K, Shodiyev under the digraph:\n{abc}");
    assert!(abc.contains("Satisfied"), "{abc}");
    let err = fails_in(Some("en"), &["registry", "decide", "--store", &a, first_id, "--decision", "maybe", "--text", "x"]);
    assert!(err.contains("not an allowed value (maybe)"), "{err}");

    let person = add_qodirov(&a, &[]);
    let event = ok(&[
        "event",
        "add",
        "--store",
        &a,
        "--kind",
        "seminar",
        "--title",
        "Law and the family",
        "--date",
        "2026-02-01",
        "--place",
        "Mahalla centre",
        "--mahalla",
        "Navbahor",
        "--organiser",
        "Aziz Karimov/Police",
        "--organiser",
        "Nodira Yusupova/Women's council",
    ]);
    ok(&["event", "attend", "--store", &a, event.trim(), "--person", person.trim(), "--guest", "School psychologist"]);
    let list = ok(&["event", "list", "--store", &a]);
    assert!(list.contains("Law and the family") && list.contains("Attended: 2"), "{list}");
    let err = fails_in(Some("en"), &["event", "attend", "--store", &a, event.trim(), "--person", event.trim()]);
    assert!(err.contains("not an allowed value"), "an event is not a person: {err}");
    assert!(fails_in(
        Some("en"),
        &["event", "add", "--store", &a, "--title", "T", "--date", "01/02/2026", "--place", "P", "--mahalla", "N", "--organiser", "X"]
    )
    .contains("not a valid date"));
}
