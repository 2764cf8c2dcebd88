//! The Kotlin side on the JVM: generated bindings + the Android app's pure-Kotlin layer
//! (`android/shared`) + the checks in `tests/kotlin`, compiled once with kotlinc and run with
//! JNA against the built library. The sync checks run a real hub with the `suhbat` CLI.

use std::path::{Path, PathBuf};
use std::process::Command;
use suhbat_tests::{cli_binary, ffi_library, files_with, generate, repo_root, report, run, scratch, tool};

fn classpath(parts: &[PathBuf]) -> String {
    std::env::join_paths(parts).map(|p| p.to_string_lossy().into_owned()).unwrap_or_else(|e| panic!("classpath: {e}"))
}

#[test]
fn kotlin_layer_runs_against_the_library_on_the_jvm() {
    let (kotlinc, kotlin_lib, jna) = (tool("KOTLINC"), tool("KOTLIN_LIB"), tool("JNA_JAR"));
    let lib = ffi_library();
    let cli = cli_binary();
    let work = scratch("kotlin");
    let generated = generate("kotlin", &work.path().join("generated"));

    let root = repo_root();
    let mut sources = files_with(&generated, &[".kt"]);
    let shared = files_with(&root.join("android/shared/src/main/kotlin"), &[".kt"]);
    let checks = files_with(&root.join("tests/kotlin"), &[".kt"]);
    assert!(!shared.is_empty() && !checks.is_empty(), "android/shared or tests/kotlin has no Kotlin sources");
    let counts = (sources.len(), shared.len(), checks.len());
    sources.extend(shared);
    sources.extend(checks);

    let libs = |names: &[&str]| names.iter().map(|n| kotlin_lib.join(n)).collect::<Vec<_>>();
    let mut compile_cp = libs(&["kotlinx-coroutines-core-jvm.jar", "kotlin-test.jar"]);
    compile_cp.push(jna.clone());
    let jar = work.path().join("checks.jar");
    run(Command::new(&kotlinc).args(["-nowarn", "-jvm-target", "17", "-cp"]).arg(classpath(&compile_cp)).arg("-d").arg(&jar).args(&sources), "kotlinc");
    report(&format!("kotlinc: compiled {} generated, {} android/shared and {} test files", counts.0, counts.1, counts.2));

    let mut run_cp = vec![jar];
    run_cp.extend(libs(&["kotlin-stdlib.jar", "kotlinx-coroutines-core-jvm.jar", "kotlin-test.jar"]));
    run_cp.push(jna);
    let lib_dir = lib.parent().unwrap_or(Path::new("."));
    let stores = work.path().join("stores");
    let out = run(
        Command::new("java")
            .arg(format!("-Djna.library.path={}", lib_dir.display()))
            .arg(format!("-Dsuhbat.cli={}", cli.display()))
            .arg("-cp")
            .arg(classpath(&run_cp))
            .arg("uz.suhbat.tests.MainKt")
            .arg(&stores),
        "Kotlin checks",
    );
    for line in out.lines().filter(|l| l.starts_with("ok ") || l.starts_with("kotlin:")) {
        report(line);
    }
    let summary = out.lines().find(|l| l.starts_with("kotlin: ")).unwrap_or_else(|| panic!("no summary from the Kotlin checks:\n{out}"));
    assert!(summary.ends_with(" 0 failed") && !summary.starts_with("kotlin: 0 passed"), "{summary}\n{out}");
}
