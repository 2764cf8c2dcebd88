//! Every Swift and Kotlin file parses: the iOS app, the Android app (Gradle scripts included),
//! the Kotlin checks, and the bindings generated for both, with the shared tree-sitter check.

use std::process::Command;
use suhbat_tests::{files_with, generate, parse_check_script, repo_root, report, run, scratch, tool};

#[test]
fn swift_and_kotlin_sources_parse() {
    let python = tool("TS_PYTHON");
    let script = parse_check_script();
    let work = scratch("parse");
    let root = repo_root();
    let swift_generated = files_with(&generate("swift", &work.path().join("swift")), &[".swift"]);
    let kotlin_generated = files_with(&generate("kotlin", &work.path().join("kotlin")), &[".kt"]);
    let swift_app = files_with(&root.join("ios"), &[".swift"]);
    let kotlin_app = [files_with(&root.join("android"), &[".kt", ".kts"]), files_with(&root.join("tests/kotlin"), &[".kt"])].concat();
    for (what, files) in [("generated Swift", &swift_generated), ("generated Kotlin", &kotlin_generated), ("ios/", &swift_app), ("android/", &kotlin_app)] {
        assert!(!files.is_empty(), "no {what} files found");
    }
    let all = [swift_generated, kotlin_generated, swift_app.clone(), kotlin_app.clone()].concat();
    let out = run(Command::new(&python).arg(&script).args(&all), "tree-sitter parse check");
    let summary = out.lines().last().unwrap_or_default();
    assert_eq!(summary, format!("parse-check: {} files, 0 with errors", all.len()), "{out}");
    report(&format!(
        "tree-sitter: {} files parse ({} iOS Swift, {} Android/test Kotlin, generated Swift and Kotlin)",
        all.len(),
        swift_app.len(),
        kotlin_app.len()
    ));
}
