//! `--as-of` of `suhbat person list` and `suhbat report …` through the real binary and a real
//! store file: the list and the district report as they stood at a time between two edits.

use crate::common::*;
use chrono::{Duration, Utc};

/// The local time (the CLI's UTC+5) to the second, as `--as-of` takes it.
fn local_now() -> String {
    (Utc::now() + Duration::minutes(300)).format("%Y-%m-%d %H:%M:%S").to_string()
}

fn pause() {
    std::thread::sleep(std::time::Duration::from_millis(1100));
}

/// A report as JSON, without the lines of the past.
fn report_json(args: &[&str]) -> serde_json::Value {
    let mut value: serde_json::Value = serde_json::from_str(&ok(args)).unwrap();
    value.as_object_mut().unwrap().remove("as_of");
    value
}

#[test]
fn person_list_and_reports_as_of_a_time_show_the_records_then() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("aziz.db").display().to_string();
    ok(&["device", "init", "--store", &store, "--person", "Aziz Karimov", "--scope", "Navbahor"]);
    let first = add_qodirov(&store, &[]);
    ok(&[&conversation_add(&store)[..], &["--person", &first, "--place", "Home", "--at", "2026-03-01T06:00:00Z"]].concat());
    let district = ["report", "district", "--store", &store, "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json"];
    pause();
    let then = local_now();
    let district_then = report_json(&district);
    pause();
    // After `then`: the first person renamed, a second person with a conversation.
    ok(&["person", "restore", "--store", &store, &first, "name_latn/last", "\"Qodirova\""]);
    let second = ok(&[
        "person",
        "add",
        "--store",
        &store,
        "--last",
        "Karimova",
        "--first",
        "Dilnoza",
        "--birth",
        "2009-05-06",
        "--mahalla",
        "Navbahor",
        "--district",
        "Chilonzor",
    ]);
    ok(&[&conversation_add(&store)[..], &["--person", second.trim(), "--place", "School", "--at", "2026-04-01T06:00:00Z"]].concat());

    let list = ok(&["person", "list", "--store", &store, "--as-of", &then]);
    let (title, clocks) = (format!("As of {}", &then[..16]), "Times are by the clocks of the devices that made the changes.");
    assert!(list.starts_with(&format!("{title}\n{clocks}\n")), "the lines of the past first: {list}");
    assert!(list.contains("Qodirov Jasur") && !list.contains("Qodirova") && !list.contains("Karimova"), "the list as it stood then: {list}");
    let now = ok(&["person", "list", "--store", &store]);
    assert!(now.contains("Qodirova Jasur") && now.contains("Karimova") && !now.contains("As of"), "{now}");
    let json: serde_json::Value = serde_json::from_str(&ok(&["person", "list", "--store", &store, "--as-of", &then, "--json"])).unwrap();
    assert_eq!((json["as_of"][0].as_str(), json["rows"].as_array().map(Vec::len)), (Some(title.as_str()), Some(1)), "{json}");

    let as_of = [&district[..], &["--as-of", &then]].concat();
    assert_eq!(report_json(&as_of), district_then, "the district report as it could be made then");
    assert_ne!(report_json(&district), district_then, "today's has the later conversation");
    let table = ok(&["report", "district", "--store", &store, "--from", "2026-01-01", "--to", "2026-12-31", "--as-of", &then]);
    assert!(table.starts_with(&format!("{title}\n{clocks}\n")), "{table}");
    let csv = run(&["report", "effectiveness", "--store", &store, "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv", "--as-of", &then]);
    assert!(csv.status.success() && String::from_utf8_lossy(&csv.stderr).contains(&title), "CSV stays a table; the lines go beside it");
    assert!(!String::from_utf8_lossy(&csv.stdout).contains("As of"));
    let trends = ok(&["report", "trends", "--store", &store, "--as-of", "2000-01-01"]);
    assert!(trends.starts_with("As of 2000-01-01 23:59\n"), "{trends}");

    let err = fails(&["--lang", "ru", "report", "district", "--store", &store, "--as-of", "3 March"]);
    assert!(err.contains("YYYY-MM-DD") && err.contains("дата"), "{err}");
}
