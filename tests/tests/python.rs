//! The generated Python module against the built library: `tests/python/test_bindings.py`,
//! including enrolment and sync through a real hub run with the `suhbat` CLI.

use std::process::Command;
use suhbat_tests::{cli_binary, ffi_library, generate, repo_root, report, scratch};

#[test]
fn python_module_runs_the_scenario() {
    let lib = ffi_library();
    let cli = cli_binary();
    let work = scratch("python");
    let module_dir = generate("python", &work.path().join("module"));
    let name = lib.file_name().unwrap_or_else(|| panic!("{} has no file name", lib.display()));
    std::fs::copy(&lib, module_dir.join(name)).unwrap_or_else(|e| panic!("copying {}: {e}", lib.display()));
    let python = std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into());
    let script = repo_root().join("tests/python/test_bindings.py");
    let output = Command::new(&python)
        .arg(&script)
        .env("SUHBAT_PY_BINDINGS", &module_dir)
        .env("SUHBAT_CLI", &cli)
        .output()
        .unwrap_or_else(|e| panic!("cannot start {python:?}: {e}"));
    // unittest reports on stderr.
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "Python tests failed:\n{}\n{log}", String::from_utf8_lossy(&output.stdout));
    for line in log.lines().filter(|l| l.ends_with(" ... ok")) {
        report(&format!("python: ok   {}", line.split(' ').next().unwrap_or(line)));
    }
    let ran = log.lines().find(|l| l.starts_with("Ran ")).unwrap_or_else(|| panic!("no unittest summary:\n{log}"));
    assert!(ran != "Ran 0 tests", "{ran}");
    report(&format!("python: {ran}"));
}
