//! The `suhbat` binary as a user runs it: the demo, the README's record, bundle and hub
//! commands, and clear errors for bad input.

use crate::common::{add_qodirov, conversation_add};
use std::path::Path;
use std::process::{Command, Output};

fn suhbat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_suhbat")).env("SUHBAT_LANG", "en").args(args).output().expect("the suhbat binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = suhbat(args);
    assert!(out.status.success(), "suhbat {args:?} failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fails(args: &[&str]) -> String {
    let out = suhbat(args);
    assert!(!out.status.success(), "suhbat {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

#[test]
fn the_demo_runs_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(&["demo", "--dir", &path(dir.path(), "demo")]);
    for expected in [
        "enrolled as seven",
        "need-to-know",
        "both note edits survived",
        "conflict on children/",
        "no conflicts left",
        "Dilnoza's inbox is empty",
        "every step is stamped",
        "Closed",
        "the hub gave final numbers",
        "№ 2-1 (2/",
        "№ 2-2 (2/",
        "Programme: Parents' school — Aziz sees the attendance across sessions: Total  1 2 50",
        "hub stopped gracefully",
        "The base-point console (the supervisors' web page): https://127.0.0.1:",
        "sign in as supervisor with the password ",
    ] {
        assert!(out.contains(expected), "demo output lacks {expected:?}:\n{out}");
    }
    // The kept stores can be inspected afterwards, as the demo suggests.
    let list = ok(&["person", "list", "--store", &path(dir.path(), "demo/aziz.db")]);
    assert_eq!(list.lines().count(), 3, "header + two persons:\n{list}");
}

#[test]
fn readme_record_and_bundle_commands_work() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (path(dir.path(), "aziz.db"), path(dir.path(), "bobur.db"));
    ok(&["device", "init", "--store", &a, "--person", "Aziz Karimov", "--scope", "Navbahor"]);
    ok(&["device", "init", "--store", &b, "--person", "Bobur Tursunov", "--scope", "Navbahor"]);
    let person = add_qodirov(&a, &["--risk", "peer_pressure,truancy_or_idleness"]);
    let person = person.as_str();
    ok(&[
        &conversation_add(&a)[..],
        &["--person", person, "--place", "Home", "--topic", "school attendance", "--follow-up", "2030-12-20", "--notes", "Agreed to return to school."],
    ]
    .concat());
    assert!(ok(&["person", "list", "--store", &a, "--search", "Кодиров"]).contains("Qodirov Jasur"));
    let shown = ok(&["person", "show", "--store", &a, person]);
    assert!(shown.contains("\"peer_pressure\"") && shown.contains("Home"), "{shown}");
    let case = ok(&[
        "case",
        "add",
        "--store",
        &a,
        "--mahalla",
        "Navbahor",
        "--guardian",
        "Qodirov Anvar",
        "--child",
        "Qodirova Madina",
        "--concern",
        "The children miss school",
    ]);
    ok(&["case", "stage", "--store", &a, case.trim(), "analysis"]);
    let skipped = fails(&["case", "stage", "--store", &a, case.trim(), "assessment"]);
    assert!(skipped.contains("one stage at a time"), "{skipped}");
    let back = fails(&["case", "stage", "--store", &a, case.trim(), "scanning"]);
    assert!(back.contains("needs a reason"), "{back}");
    ok(&["case", "stage", "--store", &a, case.trim(), "scanning", "--reason", "Wrong family"]);
    ok(&["case", "stage", "--store", &a, case.trim(), "analysis"]);
    ok(&["case", "task", "--store", &a, case.trim(), "--role", "youth_leader", "--task", "Football club", "--due", "2030-12-01"]);

    let (summary, bundle) = (path(dir.path(), "bobur.summary"), path(dir.path(), "for-bobur.bundle"));
    ok(&["bundle", "summary", "--store", &b, "--out", &summary]);
    ok(&["bundle", "export", "--store", &a, "--since", &summary, "--out", &bundle]);
    assert!(ok(&["bundle", "import", "--store", &b, &bundle]).contains("3 records changed"));
    assert!(ok(&["case", "list", "--store", &b]).contains("analysis"));
    assert!(ok(&["conflict", "list", "--store", &b]).contains("No conflicts"));
    assert!(ok(&["audit", "verify", "--store", &a]).contains("audit chain intact"));
}

#[test]
fn bad_input_gets_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let a = path(dir.path(), "a.db");
    ok(&["device", "init", "--store", &a, "--person", "A"]);
    let err =
        fails(&["person", "add", "--store", &a, "--last", "X", "--first", "Y", "--birth", "2090-01-01", "--mahalla", "Navbahor", "--district", "Chilonzor"]);
    assert!(err.contains("birth_date: Birth date (2090-01-01) cannot be in the future"), "{err}");
    let err = fails(&[
        "--lang",
        "ru",
        "person",
        "add",
        "--store",
        &a,
        "--last",
        "X",
        "--first",
        "Y",
        "--birth",
        "2000-01-01",
        "--mahalla",
        "",
        "--district",
        "Chilonzor",
    ]);
    assert!(err.contains("Махалля"), "{err}");
    assert!(fails(&["person", "show", "--store", &a, "not-an-id"]).contains("is not a record id"));
    assert!(fails(&["person", "list", "--store", &path(dir.path(), "missing.db")]).contains("does not exist"));
    let garbage = path(dir.path(), "garbage.bundle");
    std::fs::write(&garbage, b"not a bundle").unwrap();
    assert!(fails(&["bundle", "import", "--store", &a, &garbage]).contains("not a Suhbat message"));
    assert!(fails(&["device", "sync", "--store", &a]).contains("not enrolled"));
    assert!(fails(&["--lang", "xx", "demo"]).contains("unknown language"));
}

#[test]
fn records_are_saved_through_the_apps_forms_and_actions() {
    let dir = tempfile::tempdir().unwrap();
    let a = path(dir.path(), "aziz.db");
    ok(&["device", "init", "--store", &a, "--person", "Aziz Karimov", "--scope", "Navbahor", "--scope", "Yangiobod"]);
    let add = |last: &str, first: &str, extra: &[&str]| {
        let args = [&["person", "add", "--store", &a, "--last", last, "--first", first, "--birth", "2008-04-02", "--mahalla", "Yangiobod"][..], extra].concat();
        suhbat(&[&args[..], &["--district", "Chilonzor"]].concat())
    };
    // The name's other script is filled by the core's rule, whichever script was typed.
    let latin = String::from_utf8(add("Qodirov", "Jasur", &[]).stdout).unwrap();
    let shown: serde_json::Value = serde_json::from_str(ok(&["person", "show", "--store", &a, latin.trim()]).split("\n\n").next().unwrap()).unwrap();
    assert_eq!((shown["name_cyrl"]["last"].as_str(), shown["name_latn"]["last"].as_str()), (Some("Қодиров"), Some("Qodirov")), "{shown}");
    let cyrillic = String::from_utf8(add("Каримов", "Азиз", &[]).stdout).unwrap();
    let shown: serde_json::Value = serde_json::from_str(ok(&["person", "show", "--store", &a, cyrillic.trim()]).split("\n\n").next().unwrap()).unwrap();
    assert_eq!((shown["name_latn"]["first"].as_str(), shown["name_cyrl"]["first"].as_str()), (Some("Aziz"), Some("Азиз")), "{shown}");
    assert_eq!(shown["inspector"], "Aziz Karimov");

    // Bad input names the field; nothing is stored.
    let bad_risk = add("Yusupov", "Bek", &["--risk", "peer_pressure,bad_luck"]);
    let err = String::from_utf8_lossy(&bad_risk.stderr);
    assert!(!bad_risk.status.success() && err.contains("risk_factors:") && err.contains("bad_luck"), "{err}");
    let err = fails(&[&conversation_add(&a)[..], &["--person", latin.trim(), "--person", "nobody", "--place", "Home"]].concat());
    assert!(err.contains("the record was not saved") && err.contains("person_ids:") && err.contains("nobody"), "{err}");
    assert_eq!(ok(&["person", "list", "--store", &a]).lines().count(), 3, "header + two persons");

    // A conversation starts in its person's mahalla, as the app's form proposes.
    let talk = ok(&[&conversation_add(&a)[..], &["--person", latin.trim(), "--place", "Home", "--at", "2025-03-01T06:00:00Z", "--kind", "group"]].concat());
    let shown = ok(&["conversation", "show", "--store", &a, talk.trim()]);
    assert!(shown.contains("\"mahalla\": \"Yangiobod\"") && shown.contains("\"kind\": \"group\"") && shown.contains("2025-03-01T06:00:00"), "{shown}");

    let err = fails(&["case", "add", "--store", &a, "--mahalla", "Navbahor", "--guardian", "Qodirov Anvar", "--concern", " "]);
    assert!(err.contains("the record was not saved") && err.contains("concern"), "{err}");
    let case = ok(&["case", "add", "--store", &a, "--mahalla", "Navbahor", "--guardian", "Qodirov Anvar", "--concern", "Misses school"]);
    assert_eq!(ok(&["case", "stage", "--store", &a, case.trim(), "analysis"]).trim(), "stage set to Analysis");
    let err = fails(&["case", "stage", "--store", &a, case.trim(), "planning"]);
    assert!(err.contains("planning"), "{err}");
    ok(&["case", "task", "--store", &a, case.trim(), "--role", "chairman", "--task", "Call the school", "--due", "01.12.2030"]);
    let err = fails(&["case", "task", "--store", &a, case.trim(), "--role", "chairman", "--task", "Visit", "--due", "31.31.2030"]);
    assert!(err.contains("31.31.2030"), "{err}");
    let err = fails(&["case", "task", "--store", &a, case.trim(), "--role", "mayor", "--task", "Visit"]);
    assert!(err.contains("mayor"), "{err}");
    let shown = ok(&["case", "show", "--store", &a, case.trim()]);
    assert!(shown.contains("\"due\": \"2030-12-01\"") && !shown.contains("Visit"), "{shown}");
}

#[test]
fn conflicts_are_listed_with_labels_and_resolved_by_number() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (path(dir.path(), "aziz.db"), path(dir.path(), "bobur.db"));
    ok(&["device", "init", "--store", &a, "--person", "Aziz Karimov", "--scope", "Navbahor"]);
    ok(&["device", "init", "--store", &b, "--person", "Bobur Tursunov", "--scope", "Navbahor"]);
    let case = ok(&["case", "add", "--store", &a, "--mahalla", "Navbahor", "--guardian", "Qodirov Anvar", "--concern", "Misses school"]);
    let case = case.trim();
    let exchange = |from: &str, to: &str| {
        let (summary, bundle) = (path(dir.path(), "to.summary"), path(dir.path(), "from.bundle"));
        ok(&["bundle", "summary", "--store", to, "--out", &summary]);
        ok(&["bundle", "export", "--store", from, "--since", &summary, "--out", &bundle]);
        ok(&["bundle", "import", "--store", to, &bundle]);
    };
    exchange(&a, &b);
    // Offline, Aziz moves the case on while Bobur moves it on and back.
    ok(&["case", "stage", "--store", &a, case, "analysis"]);
    ok(&["case", "stage", "--store", &b, case, "analysis"]);
    ok(&["case", "stage", "--store", &b, case, "scanning", "--reason", "Wrong family"]);
    exchange(&a, &b);
    let listed = ok(&["conflict", "list", "--store", &b]);
    assert!(listed.contains("Qodirov Anvar") && listed.contains("[stage]") && listed.contains("[1] ") && listed.contains("[2] "), "{listed}");
    assert!(listed.contains("Analysis") && listed.contains("Scanning"), "stages by their labels: {listed}");
    assert!(listed.contains(&format!("suhbat conflict resolve --store {b} {case} stage --pick N")), "{listed}");
    assert!(ok(&["case", "show", "--store", &b, case]).contains("[stage]"), "the case shows its conflict");
    assert!(fails(&["conflict", "resolve", "--store", &b, case, "stage", "--pick", "3"]).contains("pick 1 to 2"));
    assert!(fails(&["conflict", "resolve", "--store", &b, case, "notes", "--pick", "1"]).contains("no conflict at notes"));
    assert!(fails(&["conflict", "resolve", "--store", &b, case, "stage", "--value", "analysis"]).contains("is not JSON"));
    let analysis = if listed.lines().any(|l| l.starts_with("  [1] ") && l.contains("Analysis")) { "1" } else { "2" };
    ok(&["conflict", "resolve", "--store", &b, case, "stage", "--pick", analysis]);
    assert!(ok(&["conflict", "list", "--store", &b]).contains("No conflicts"));
    assert!(ok(&["case", "list", "--store", &b]).contains("analysis"));
}

#[test]
fn reports_print_as_table_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let a = path(dir.path(), "aziz.db");
    ok(&["device", "init", "--store", &a, "--person", "Aziz Karimov", "--scope", "Navbahor"]);
    let person = add_qodirov(&a, &["--registered", "2025-01-10"]);
    for at in ["2025-03-05T06:00:00Z", "2025-03-20T06:00:00Z", "2025-04-02T06:00:00Z"] {
        ok(&[&conversation_add(&a)[..], &["--person", person.trim(), "--place", "Home, gate \"2\"", "--at", at]].concat());
    }
    let range = ["--from", "2025-03-01", "--to", "2025-04-30"];
    let store = ["--store", a.as_str()];

    let csv_file = path(dir.path(), "district.csv");
    let wrote = ok(&[&["report", "district"][..], &store, &range, &["--format", "csv", "--out", &csv_file]].concat());
    assert!(wrote.contains("wrote District report to"), "{wrote}");
    let csv = std::fs::read_to_string(&csv_file).unwrap();
    assert!(
        csv.starts_with(
            "Conversations by kind and month\r\nMonth,Individual,Group,Explanatory,Total\r\n2025-03,2,0,0,2\r\n2025-04,1,0,0,1\r\nTotal,3,0,0,3\r\n"
        ),
        "{csv}"
    );
    // Follow-ups were scheduled with each conversation: +1 month of the March ones fall in April.
    assert!(csv.contains("\r\nAfter 1 month,2,0,2,0,0,"), "{csv}");

    let json = ok(&[&["report", "effectiveness"][..], &store, &range, &["--format", "json", "--mahalla", "Navbahor"]].concat());
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["title"], "Prevention effectiveness");
    assert_eq!(json["sections"][0]["rows"][0][0], "Aziz Karimov");
    assert_eq!(json["sections"][0]["rows"][0][1], 2, "two follow-ups due: {json}");
    assert_eq!(json["sections"][0]["rows"][0][5], 0, "none done on time");

    let table = ok(&[&["--lang", "ru", "report", "trends", "--months", "6"][..], &store].concat());
    assert!(table.starts_with("Рост происшествий\nПоследние 6 мес.:"), "{table}");
    assert_eq!(fails(&[&["report", "trends", "--months", "2"][..], &store].concat()), "error: Number of months must be between 6 and 36\n");
    assert!(fails(&[&["report", "district", "--from", "2025-05-01", "--to", "2025-04-01"][..], &store].concat()).contains("cannot be before"));
}

#[test]
fn duplicate_persons_can_be_merged_and_unmerged() {
    let dir = tempfile::tempdir().unwrap();
    let a = path(dir.path(), "aziz.db");
    ok(&["device", "init", "--store", &a, "--person", "Aziz Karimov", "--scope", "Navbahor"]);
    let add = |last: &str, first: &str| {
        ok(&[
            "person",
            "add",
            "--store",
            &a,
            "--last",
            last,
            "--first",
            first,
            "--birth",
            "2008-04-02",
            "--mahalla",
            "Navbahor",
            "--district",
            "Chilonzor",
            "--registered",
            "2025-01-10",
        ])
        .trim()
        .to_string()
    };
    let keep = add("Qodirov", "Jasur");
    let dup = add("Қодиров", "Жасур");
    add("Karimov", "Jasur");
    for (person, place) in [(&keep, "School"), (&dup, "Home")] {
        ok(&[&conversation_add(&a)[..], &["--person", person, "--place", place, "--at", "2025-03-01T06:00:00Z"]].concat());
    }
    let json: serde_json::Value = serde_json::from_str(&ok(&["--lang", "en", "person", "duplicates", "--store", &a, "--json"])).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{json}");
    assert_eq!(rows[0]["reasons"], serde_json::json!(["Same name and birth date"]));
    let pair = [rows[0]["keep"]["id"].as_str().unwrap(), rows[0]["duplicate"]["id"].as_str().unwrap()];
    assert!(pair.contains(&keep.as_str()) && pair.contains(&dup.as_str()), "{json}");
    let text = ok(&["--lang", "ru", "person", "duplicates", "--store", &a]);
    assert!(text.contains("Совпадают имя и дата рождения") && text.contains("suhbat person merge"), "{text}");

    assert!(ok(&["person", "merge", "--store", &a, &keep, &dup]).contains("2 conversation(s)"));
    let list = ok(&["person", "list", "--store", &a]);
    assert!(!list.contains(&dup) && list.contains(&keep), "{list}");
    assert!(ok(&["person", "list", "--store", &a, "--include-merged"]).lines().any(|l| l.contains(&dup) && l.contains("merged")));
    assert!(ok(&["--lang", "en", "person", "duplicates", "--store", &a]).contains("No duplicates found"));
    assert!(ok(&["person", "show", "--store", &a, &keep]).contains("Home"), "the survivor shows the duplicate's conversation");
    assert!(fails(&["person", "merge", "--store", &a, &keep, &keep]).contains("cannot merge"));
    assert!(fails(&["person", "unmerge", "--store", &a, &keep]).contains("is not merged"));

    let unmerged = ok(&["person", "unmerge", "--store", &a, &dup]);
    assert!(unmerged.contains(&format!("unmerged {dup} (Qodirov Jasur) from {keep}")), "{unmerged}");
    assert_eq!(ok(&["person", "list", "--store", &a]).lines().count(), 4, "header + three persons");
}

#[test]
fn bench_search_prints_its_table() {
    let out = ok(&["bench", "search", "--persons", "120", "--runs", "3"]);
    for expected in ["| query", "name, Cyrillic:", "mahalla + birth year:", "first search after opening the store", "duplicate detection", "≤ 50 ms"] {
        assert!(out.contains(expected), "bench output lacks {expected:?}:\n{out}");
    }
}
