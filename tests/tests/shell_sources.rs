//! Checks over the two shells' sources (no device needed):
//!
//! * every screen of the core's navigation ([`Screen::ALL`]) and every form kind
//!   ([`FormKind::ALL`]) is reached from both shells by name: Kotlin `Screen.PARENT_CASES` /
//!   `FormKind.SEVEN_TASK` in `android/app`, Swift `case .parentCases` / `.form(.sevenTask`
//!   in `ios/Sources` (the names are checked against the bindings generated from the library,
//!   so a renamed variant fails here, not on a phone);
//! * each of those screens has a view of its own in both shells: in the shells' one switch over
//!   the screens (Kotlin `ScreenOf`, Swift `screen(_:)`), a view that serves several screens
//!   is handed the screen (the three reports share one table view);
//! * no shell file shows a string that is not from the core's catalog. The rule: a string
//!   literal passed straight to a text-showing call (Compose `Text(`, `contentDescription =`;
//!   SwiftUI `Text(`, `Button(`, `Label(`, `TextField(`, `Toggle(`, `Picker(`, `Menu(`,
//!   `.navigationTitle(`) or to a failure the screens show (`Exception(`, `.failed(`, …) may hold
//!   only interpolations, punctuation, digits and spaces (`""`,
//!   `"${row.label}: ${row.value}"`, `" · "`): no letter outside an interpolation. Words come
//!   from view-models or `text(key)`;
//! * every catalog key a shell names (a literal shaped like `action.new_referral`) is in the
//!   catalog, so a typo does not show a raw key.

use std::path::PathBuf;
use suhbat_core::i18n;
use suhbat_core::views::{FormKind, Screen};
use suhbat_tests::{files_with, generate, repo_root, report, scratch};

/// `parent_cases` → `PARENT_CASES` (a Kotlin enum constant).
fn kotlin_name(snake: &str) -> String {
    snake.to_uppercase()
}

/// `parent_cases` → `parentCases` (a Swift enum case).
fn swift_name(snake: &str) -> String {
    let mut out = String::new();
    for (i, part) in snake.split('_').enumerate() {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.push(first);
            } else {
                out.extend(first.to_uppercase());
            }
            out.push_str(chars.as_str());
        }
    }
    out
}

fn read_all(files: &[PathBuf]) -> Vec<(PathBuf, String)> {
    files.iter().map(|f| (f.clone(), std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())))).collect()
}

/// Whether `text` has `needle` not followed by an identifier character.
fn has_word(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| !text[at + needle.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
}

/// The stable names of every screen and every form kind.
fn names() -> (Vec<&'static str>, Vec<&'static str>) {
    (Screen::ALL.iter().map(|s| s.as_str()).collect(), FormKind::ALL.iter().map(|k| k.as_str()).collect())
}

#[test]
fn shell_sources_reach_every_screen_and_every_form_kind() {
    let root = repo_root();
    let work = scratch("shell-names");
    let generated_kotlin = read_all(&files_with(&generate("kotlin", &work.path().join("kotlin")), &[".kt"]));
    let generated_swift = read_all(&files_with(&generate("swift", &work.path().join("swift")), &[".swift"]));
    let kotlin = read_all(&files_with(&root.join("android/app/src/main/kotlin"), &[".kt"]));
    let swift = read_all(&files_with(&root.join("ios/Sources"), &[".swift"]));
    let joined = |files: &[(PathBuf, String)]| files.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("\n");
    let (generated_kotlin, generated_swift, kotlin, swift) = (joined(&generated_kotlin), joined(&generated_swift), joined(&kotlin), joined(&swift));

    let (screens, kinds) = names();
    let mut missing = Vec::new();
    for name in &screens {
        let (kt, sw) = (kotlin_name(name), swift_name(name));
        assert!(has_word(&generated_kotlin, &format!("{kt},")) || has_word(&generated_kotlin, &format!("{kt};")), "generated Kotlin has no Screen.{kt}");
        assert!(has_word(&generated_swift, &format!("case {sw}")), "generated Swift has no Screen.{sw}");
        if !has_word(&kotlin, &format!("Screen.{kt}")) {
            missing.push(format!("android: Screen.{kt}"));
        }
        // A switch over the screen: `case .parentCases:` or one of several `case .a, .parentCases:`.
        let in_case = swift.lines().any(|line| line.trim_start().starts_with("case ") && has_word(line, &format!(".{sw}")));
        if !in_case {
            missing.push(format!("ios: case .{sw}"));
        }
    }
    for name in &kinds {
        let (kt, sw) = (kotlin_name(name), swift_name(name));
        assert!(has_word(&generated_kotlin, &kt), "generated Kotlin has no FormKind.{kt}");
        assert!(has_word(&generated_swift, &format!("case {sw}")), "generated Swift has no FormKind.{sw}");
        if !has_word(&kotlin, &format!("FormKind.{kt}")) {
            missing.push(format!("android: FormKind.{kt}"));
        }
        if !has_word(&swift, &format!(".form(.{sw}")) && !has_word(&swift, &format!("FormKind.{sw}")) {
            missing.push(format!("ios: .form(.{sw}, …)"));
        }
    }
    assert!(missing.is_empty(), "not reached from the shells: {missing:?}");
    report(&format!("shells: {} screens and {} form kinds reached from Android and iOS", screens.len(), kinds.len()));
}

/// One string literal of a source file: where it starts and its text with interpolations
/// (`${…}`, `$name` in Kotlin, `\(…)` in Swift) taken out.
struct Literal {
    start: usize,
    text: String,
}

/// The string literals of Kotlin or Swift source, interpolations (which may hold strings of
/// their own) skipped. Comments are skipped; triple-quoted strings are not used by the shells'
/// views and are read as empty literals.
fn literals(source: &str) -> Vec<Literal> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if source[at..].starts_with("//") {
            at += source[at..].find('\n').unwrap_or(source.len() - at);
        } else if source[at..].starts_with("/*") {
            at += source[at..].find("*/").map_or(source.len() - at, |end| end + 2);
        } else if bytes[at] == b'"' {
            let (text, end) = literal_at(source, at);
            out.push(Literal { start: at, text });
            at = end;
        } else if bytes[at] == b'\'' && source[at..].len() >= 3 {
            // A Kotlin char literal ('"' would otherwise open a string).
            at += source[at + 1..].find('\'').map_or(1, |end| end + 2);
        } else {
            at += 1;
        }
    }
    out
}

/// The literal opening at `start` (a `"`): its text without interpolations, and where it ends.
fn literal_at(source: &str, start: usize) -> (String, usize) {
    let bytes = source.as_bytes();
    let mut text = String::new();
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => return (text, at + 1),
            b'\\' if bytes.get(at + 1) == Some(&b'(') => at = skip_nested(source, at + 2, b'(', b')'),
            b'\\' => at += 2,
            b'$' if bytes.get(at + 1) == Some(&b'{') => at = skip_nested(source, at + 2, b'{', b'}'),
            b'$' if bytes.get(at + 1).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') => {
                at += 1;
                while bytes.get(at).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
                    at += 1;
                }
            }
            b'\n' => return (text, at),
            _ => {
                let c = source[at..].chars().next().unwrap_or(' ');
                text.push(c);
                at += c.len_utf8();
            }
        }
    }
    (text, at)
}

/// Past the `close` matching an interpolation opened just before `at`, skipping strings inside.
fn skip_nested(source: &str, mut at: usize, open: u8, close: u8) -> usize {
    let bytes = source.as_bytes();
    let mut depth = 1;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                at = literal_at(source, at).1;
                continue;
            }
            c if c == open => depth += 1,
            c if c == close => {
                depth -= 1;
                if depth == 0 {
                    return at + 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    at
}

/// Calls whose string argument the user reads: what views show, and the messages of failures
/// the screens show (a sync that failed on the network says why).
const KOTLIN_SHOWN: &[&str] = &["Text(", "contentDescription =", "IOException(", "Outcome.Failed(", "Result.failure("];
const SWIFT_SHOWN: &[&str] =
    &["Text(", "Button(", "Label(", "TextField(", "Toggle(", "Picker(", "Menu(", ".navigationTitle(", ".failed(", "CoreFailure(message:", "ErrorText(message:"];

/// Every source file of both shells: the Android app and its shared layer, the iOS kit and app.
fn view_files() -> Vec<(PathBuf, &'static [&'static str])> {
    let root = repo_root();
    let kotlin = [files_with(&root.join("android/app/src/main/kotlin"), &[".kt"]), files_with(&root.join("android/shared/src/main/kotlin"), &[".kt"])].concat();
    let swift = [files_with(&root.join("ios/Sources"), &[".swift"]), files_with(&root.join("ios/App"), &[".swift"])].concat();
    assert!(kotlin.iter().any(|f| f.ends_with("ui/AppRoot.kt")) && swift.iter().any(|f| f.ends_with("Views/RootView.swift")), "no shell view files found");
    kotlin.into_iter().map(|f| (f, KOTLIN_SHOWN)).chain(swift.into_iter().map(|f| (f, SWIFT_SHOWN))).collect()
}

fn line_of(source: &str, at: usize) -> usize {
    source[..at].matches('\n').count() + 1
}

/// The literals of `file` passed straight to a call the user reads.
fn shown_literals(source: &str, calls: &[&str]) -> Vec<Literal> {
    literals(source)
        .into_iter()
        .filter(|lit| {
            let before = source[..lit.start].trim_end();
            calls.iter().any(|call| before.ends_with(call.trim_end()))
        })
        .collect()
}

#[test]
fn shell_views_show_no_string_that_is_not_from_the_catalog() {
    let mut offending = Vec::new();
    let mut checked = 0;
    for (file, calls) in view_files() {
        let source = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for lit in shown_literals(&source, calls) {
            checked += 1;
            // A catalog key handed straight on (`.failed(phoneText("sync.interrupted"))`) is the catalog's.
            if lit.text.chars().any(char::is_alphabetic) && !(looks_like_key(&lit.text) && i18n::has(&lit.text)) {
                offending.push(format!("{}:{}: \"{}\"", file.display(), line_of(&source, lit.start), lit.text));
            }
        }
    }
    assert!(offending.is_empty(), "user-facing strings not from the core's catalog:\n{}", offending.join("\n"));
    report(&format!("shells: {checked} literals shown by views, none with words of their own"));
}

#[test]
fn shell_views_catch_a_string_of_their_own() {
    // The check above must be able to fail: a word typed into a view is found, a format is not.
    let kotlin = r#"Text("Saved") ; Text("${row.label}: ${row.value}") ; Text(t("action.save"))"#;
    let shown: Vec<String> = shown_literals(kotlin, KOTLIN_SHOWN).into_iter().map(|l| l.text).collect();
    assert_eq!(shown, vec!["Saved".to_string(), ": ".to_string()]);
    let swift = r#"Button("Send") { } ; Text("\(t("field.deadline")): \(row.deadlineLabel)")"#;
    let shown: Vec<String> = shown_literals(swift, SWIFT_SHOWN).into_iter().map(|l| l.text).collect();
    assert_eq!(shown, vec!["Send".to_string(), ": ".to_string()]);
    // A network failure's message is read too.
    let failure = r#"throw IOException("hub answered HTTP ${code}") ; return .failed("interrupted", retry: true)"#;
    let shown: Vec<String> = shown_literals(failure, KOTLIN_SHOWN).into_iter().chain(shown_literals(failure, SWIFT_SHOWN)).map(|l| l.text).collect();
    assert_eq!(shown, vec!["hub answered HTTP ".to_string(), "interrupted".to_string()]);
}

/// A literal shaped like a catalog key: `action.new_referral`, `screen.setup` (SF Symbol names,
/// `systemName:`/`systemImage:` arguments and the `case .x: return "…"` of an icon switch, are
/// dotted too and are not keys).
fn looks_like_key(text: &str) -> bool {
    let mut parts = text.split('.');
    let first = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && first.starts_with(|c: char| c.is_ascii_lowercase())
        && [first].iter().chain(rest.iter()).all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
}

#[test]
fn shell_catalog_keys_exist() {
    let root = repo_root();
    let files = [files_with(&root.join("android/app/src/main/kotlin"), &[".kt"]), files_with(&root.join("ios/Sources"), &[".swift"])].concat();
    let mut unknown = Vec::new();
    let mut keys = 0;
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let symbol = |lit: &Literal| ["systemName:", "systemImage:", ": return"].iter().any(|arg| source[..lit.start].trim_end().ends_with(arg));
        for lit in literals(&source).into_iter().filter(|l| looks_like_key(&l.text) && !symbol(l)) {
            keys += 1;
            if !i18n::has(&lit.text) && !is_not_a_key(&lit.text) {
                unknown.push(format!("{}:{}: {}", file.display(), line_of(&source, lit.start), lit.text));
            }
        }
    }
    assert!(keys > 0, "no catalog keys found in the shells");
    assert!(unknown.is_empty(), "catalog keys the core does not have:\n{}", unknown.join("\n"));
    report(&format!("shells: {keys} catalog keys named, all in the catalog"));
}

/// Dotted literals that are not catalog keys: Android/iOS identifiers (packages, bundle ids,
/// work names, file names).
fn is_not_a_key(text: &str) -> bool {
    text.starts_with("uz.")
        || text.starts_with("com.")
        || text.starts_with("android.")
        || text.ends_with(".json")
        || text.ends_with(".db")
        || text.ends_with(".sqlite")
}

/// The branches of a shell's switch over the screens: the screens of each branch and the call
/// that draws them (`ReportScreen(repo, screen)`).
fn screen_branches(kotlin: bool, source: &str) -> Vec<(Vec<String>, String)> {
    let (start, end) = if kotlin { ("fun ScreenOf(", "\n}\n") } else { ("private func screen(", "\n    }\n") };
    let from = source.find(start).unwrap_or_else(|| panic!("no {start} in the shell"));
    let body = &source[from..from + source[from..].find(end).unwrap_or(source.len() - from)];
    let mut branches = Vec::new();
    let mut lines = body.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        if kotlin {
            if let Some((screens, call)) = line.split_once(" -> ").filter(|(s, _)| s.starts_with("Screen.")) {
                branches.push((screens.split(", ").map(|s| s.trim_start_matches("Screen.").to_string()).collect(), call.to_string()));
            }
        } else if let Some(screens) = line.strip_prefix("case .").and_then(|l| l.strip_suffix(':')) {
            let call = lines.next().unwrap_or_default().to_string();
            branches.push((screens.split(", .").map(str::to_string).collect(), call));
        }
    }
    branches
}

#[test]
fn every_screen_has_a_view_of_its_own_in_both_shells() {
    let root = repo_root();
    let shells =
        [(true, root.join("android/app/src/main/kotlin/uz/suhbat/app/ui/AppRoot.kt")), (false, root.join("ios/Sources/SuhbatKit/Views/RootView.swift"))];
    let mut wrong = Vec::new();
    for (kotlin, file) in shells {
        let source = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let branches = screen_branches(kotlin, &source);
        let view = |call: &str| call.split('(').next().unwrap_or_default().to_string();
        let name_of = |screen: Screen| if kotlin { kotlin_name(screen.as_str()) } else { swift_name(screen.as_str()) };
        for screen in Screen::ALL {
            let name = name_of(screen);
            let Some((_, call)) = branches.iter().find(|(screens, _)| screens.contains(&name)) else {
                wrong.push(format!("{}: no branch for {name}", file.display()));
                continue;
            };
            // The screens the view draws.
            let sharing = branches.iter().filter(|(_, other)| view(other) == view(call)).flat_map(|(s, _)| s).count();
            let told_which = has_word(call, "screen");
            if sharing > 1 && !told_which {
                wrong.push(format!("{}: {name} is drawn by {} with other screens, without being told which", file.display(), view(call)));
            }
        }
    }
    assert!(wrong.is_empty(), "screens without a view of their own:\n{}", wrong.join("\n"));
    report(&format!("shells: each of {} screens has its own view on Android and iOS", Screen::ALL.len()));
}

#[test]
fn a_screen_drawn_by_another_screens_view_is_caught() {
    let kotlin = "fun ScreenOf(x) {\n    when (screen) {\n        Screen.WORKLIST -> WorklistScreen(repo)\n        Screen.TRENDS, Screen.EFFECTIVENESS -> ReportScreen(repo, screen)\n        Screen.DUPLICATES -> WorklistScreen(repo)\n    }\n}\n";
    let branches = screen_branches(true, kotlin);
    assert_eq!(branches.len(), 3);
    assert_eq!(branches[1].0, ["TRENDS", "EFFECTIVENESS"]);
    assert!(has_word(&branches[1].1, "screen") && !has_word(&branches[2].1, "screen"));
    let swift = "    private func screen(_ screen: Screen) -> some View {\n        switch screen {\n        case .worklist:\n            WorklistView(repository: repository)\n        case .trends, .effectiveness:\n            ReportView(repository: repository, screen: screen)\n        }\n    }\n";
    let branches = screen_branches(false, swift);
    assert_eq!(
        branches.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>(),
        [vec!["worklist".to_string()], vec!["trends".to_string(), "effectiveness".to_string()]]
    );
}

#[test]
fn shell_name_conversion_matches_the_bindings_style() {
    assert_eq!(kotlin_name(Screen::ParentCases.as_str()), "PARENT_CASES");
    assert_eq!(swift_name(Screen::ParentCases.as_str()), "parentCases");
    assert_eq!(swift_name(FormKind::SevenTask.as_str()), "sevenTask");
    assert!(has_word("Screen.TRENDS)", "Screen.TRENDS") && !has_word("Screen.TRENDSX", "Screen.TRENDS"));
}
