//! Helpers of the cross-language checks in `tests/tests/`: where the built library and the
//! tools are, generating bindings, running a tool and failing with its output.
//!
//! The checks need the debug builds of `suhbat-ffi` and of the `suhbat` CLI (which runs the
//! hub for the Python and Kotlin sync checks: `cargo build -p suhbat-ffi -p suhbat`) and the
//! tools that `../shared/tools/bindings-toolchain.sh` installs (`KOTLINC`, `KOTLIN_LIB`,
//! `JNA_JAR`, `TS_PYTHON`); `tests/run` provides both. A missing tool is a failure, never a
//! skip.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(".."))
}

/// The workspace target dir in effect: `CARGO_TARGET_DIR` if set, else `<repo>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => repo_root().join(dir),
        None => repo_root().join("target"),
    }
}

/// Writes a line to the test's stderr even when the harness captures output, so a passing
/// run still says what it checked.
pub fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "    {line}");
}

/// A path from an environment variable that `bindings-toolchain.sh` prints; fails when unset.
pub fn tool(var: &str) -> PathBuf {
    let value = std::env::var_os(var)
        .unwrap_or_else(|| panic!("{var} is not set: run the tests through tests/run, or eval \"$(../shared/tools/bindings-toolchain.sh)\" first"));
    let path = PathBuf::from(value);
    assert!(path.exists(), "{var}={} does not exist", path.display());
    path
}

/// The parse checker of the shared tools (beside the repository, as CI clones it).
pub fn parse_check_script() -> PathBuf {
    let path = std::env::var_os("SUHBAT_SHARED_TOOLS").map(PathBuf::from).unwrap_or_else(|| repo_root().join("../shared/tools")).join("parse-check.py");
    assert!(path.exists(), "{} is missing (the shared tools must sit beside the repository)", path.display());
    path
}

/// Sources the library was built from, as listed in cargo's dep-info file beside it.
fn built_from(lib: &Path) -> Vec<PathBuf> {
    let Ok(dep_info) = std::fs::read_to_string(lib.with_extension("d")) else { return Vec::new() };
    let Some((_, deps)) = dep_info.lines().next().and_then(|line| line.split_once(": ")) else { return Vec::new() };
    deps.replace("\\ ", "\u{0}").split_whitespace().map(|p| PathBuf::from(p.replace('\u{0}', " "))).collect()
}

/// `path` as built by `cargo build -p <package>`; fails when it is missing or older than a
/// source it was built from.
fn fresh_build(path: PathBuf, package: &str) -> PathBuf {
    let built = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| panic!("{} is missing: build it with `cargo build -p {package}` (tests/run does)", path.display()));
    for source in built_from(&path) {
        if let Ok(changed) = std::fs::metadata(&source).and_then(|m| m.modified()) {
            assert!(changed <= built, "{} changed after {} was built: rebuild it with `cargo build -p {package}`", source.display(), path.display());
        }
    }
    path
}

/// The debug build of the bindings library; fails when it is missing or older than a source
/// it was built from.
pub fn ffi_library() -> PathBuf {
    let name = format!("{}suhbat_ffi{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX);
    fresh_build(target_dir().join("debug").join(name), "suhbat-ffi")
}

/// The debug build of the `suhbat` CLI, which the Python and Kotlin checks use to run a real
/// hub (`suhbat hub serve`) and make enrolment codes; fails when it is missing or stale.
pub fn cli_binary() -> PathBuf {
    fresh_build(target_dir().join("debug").join(format!("suhbat{}", std::env::consts::EXE_SUFFIX)), "suhbat")
}

/// Runs a command; fails with its output when it cannot start or exits non-zero. Returns
/// its standard output.
pub fn run(command: &mut Command, what: &str) -> String {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: cannot start {:?}: {e}", command.get_program()));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{what} failed ({}):\n{stdout}\n{stderr}", output.status);
    stdout
}

/// Generates the bindings for `language` (`kotlin`, `swift`, `python`) from the built
/// library into `out`, in library mode and unformatted, as `uniffi-bindgen generate` does.
pub fn generate(language: &str, out: &Path) -> PathBuf {
    let lib = ffi_library();
    let target = match language {
        "kotlin" => uniffi::TargetLanguage::Kotlin,
        "swift" => uniffi::TargetLanguage::Swift,
        "python" => uniffi::TargetLanguage::Python,
        other => panic!("no bindings for {other}"),
    };
    let utf8 = |p: &Path| camino::Utf8PathBuf::from_path_buf(p.to_path_buf()).unwrap_or_else(|p| panic!("{} is not UTF-8", p.display()));
    uniffi::generate(uniffi::GenerateOptions {
        languages: vec![target],
        source: utf8(&lib),
        out_dir: utf8(out),
        // Library mode reads bindings/uniffi.toml from the crate root by itself.
        config_override: None,
        format: false,
        crate_filter: None,
        metadata_no_deps: false,
    })
    .unwrap_or_else(|e| panic!("generating {language} bindings: {e:#}"));
    out.to_path_buf()
}

/// Every file under `dir` whose name ends with one of `extensions`, skipping build output.
pub fn files_with(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(name.as_str(), "build" | ".gradle" | ".build" | "target") {
                out.extend(files_with(&path, extensions));
            }
        } else if extensions.iter().any(|ext| name.ends_with(ext)) {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// A fresh scratch directory for one check.
pub fn scratch(name: &str) -> tempfile::TempDir {
    let parent = target_dir().join("suhbat-tests");
    std::fs::create_dir_all(&parent).unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
    tempfile::Builder::new().prefix(&format!("{name}-")).tempdir_in(&parent).unwrap_or_else(|e| panic!("scratch dir: {e}"))
}
