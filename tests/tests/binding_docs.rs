//! Every public method of the bindings carries its Rust doc comment into the generated Kotlin
//! and Swift, where app developers read it.

use suhbat_tests::{files_with, generate, report, scratch};

/// Lines of the block that starts with `header` and ends with a `}` in column 0.
fn block<'a>(lines: &'a [&'a str], header: &str) -> &'a [&'a str] {
    let start = lines.iter().position(|l| l.starts_with(header)).unwrap_or_else(|| panic!("no `{header}` in the generated code"));
    let len = lines[start..].iter().position(|l| *l == "}").unwrap_or_else(|| panic!("`{header}` never ends"));
    &lines[start..start + len]
}

/// The declarations among `lines` (those containing `marker`) that lack a doc comment ending
/// on the line before them; also returns how many declarations there are.
fn undocumented(lines: &[&str], marker: &str) -> (Vec<String>, usize) {
    let mut missing = Vec::new();
    let mut count = 0;
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.contains(marker)) {
        count += 1;
        let before = lines[..i].iter().rev().find(|l| !l.trim().is_empty()).map(|l| l.trim()).unwrap_or_default();
        // The generator sometimes ends the comment on the declaration's own line.
        let closes_here = line.trim_start().starts_with("*/");
        if !closes_here && !before.ends_with("*/") && !before.starts_with("///") {
            missing.push(line.trim().to_string());
        }
    }
    (missing, count)
}

fn source(dir: &std::path::Path, ext: &str) -> String {
    let files = files_with(dir, &[ext]);
    assert_eq!(files.len(), 1, "expected one generated {ext} file, got {files:?}");
    std::fs::read_to_string(&files[0]).unwrap_or_else(|e| panic!("{}: {e}", files[0].display()))
}

fn check(language: &str, text: &str, blocks: &[(&str, &str)], free: &[&str]) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut missing = Vec::new();
    let mut total = 0;
    for (header, marker) in blocks {
        let (m, n) = undocumented(block(&lines, header), marker);
        assert!(n > 0, "no `{marker}` in `{header}`");
        missing.extend(m);
        total += n;
    }
    for declaration in free {
        let (m, n) = undocumented(&lines, declaration);
        assert!(n > 0, "no `{declaration}` in the generated {language}");
        missing.extend(m);
        total += n;
    }
    assert!(missing.is_empty(), "{language} declarations without docs:\n{}", missing.join("\n"));
    total
}

#[test]
fn every_binding_method_is_documented_in_kotlin_and_swift() {
    let work = scratch("docs");
    let kotlin = source(&generate("kotlin", &work.path().join("kotlin")), ".kt");
    let swift = source(&generate("swift", &work.path().join("swift")), ".swift");
    let kt = check(
        "Kotlin",
        &kotlin,
        &[
            ("public interface SuhbatInterface", "fun `"),
            ("public interface SyncSessionInterface", "fun `"),
            ("public interface KeyProvider", "fun `"),
            ("public interface Notifier", "fun `"),
        ],
        &[
            "fun `create`(",
            "fun `open`(",
            "fun `openOrCreate`(",
            "fun `wipeStore`(",
            "fun `catalogText`(",
            "fun `localeForTag`(",
            "fun `caFingerprint`(",
            "fun `caCertificateDer`(",
        ],
    );
    let sw = check(
        "Swift",
        &swift,
        &[
            ("public protocol SuhbatProtocol", "func "),
            ("public protocol SyncSessionProtocol", "func "),
            ("public protocol KeyProvider", "func "),
            ("public protocol Notifier", "func "),
        ],
        &[
            "public static func create(",
            "public static func `open`(",
            "public static func openOrCreate(",
            "public func wipeStore(",
            "public func catalogText(",
            "public func localeForTag(",
            "public func caFingerprint(",
            "public func caCertificateDer(",
        ],
    );
    assert!(kt >= 30 && sw >= 30, "too few declarations found (Kotlin {kt}, Swift {sw}): did the generator change?");
    report(&format!("docs: {kt} Kotlin and {sw} Swift declarations of the bindings carry their doc comments"));
}
