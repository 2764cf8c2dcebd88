//! The C header that Swift generation emits (the `SuhbatFFIC` module of the iOS app) compiles
//! with gcc, declares what the Swift bindings call, and agrees with the built library.

use std::process::Command;
use suhbat_tests::{ffi_library, files_with, generate, report, run, scratch};

/// Clang's nullability qualifiers, which gcc does not know.
const CLANG_ONLY: [&str; 3] = ["-D_Nullable=", "-D_Nonnull=", "-D_Null_unspecified="];

#[test]
fn generated_header_compiles_and_matches_the_library() {
    let lib = ffi_library();
    let work = scratch("header");
    let swift = generate("swift", &work.path().join("swift"));
    let headers = files_with(&swift, &[".h"]);
    assert_eq!(headers.len(), 1, "expected one header, got {headers:?}");
    let header = &headers[0];
    let name = header.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let text = std::fs::read_to_string(header).unwrap_or_else(|e| panic!("{}: {e}", header.display()));

    let called = [
        "uniffi_suhbat_ffi_fn_constructor_suhbat_open_or_create",
        "uniffi_suhbat_ffi_fn_method_suhbat_worklist",
        "uniffi_suhbat_ffi_fn_method_suhbat_submit_form",
        "uniffi_suhbat_ffi_fn_init_callback_vtable_keyprovider",
        "uniffi_suhbat_ffi_fn_init_callback_vtable_notifier",
        "uniffi_suhbat_ffi_fn_func_wipe_store",
    ];
    for symbol in called {
        assert!(text.contains(&format!("{symbol}(")), "{name} does not declare {symbol}");
    }

    // Syntax and types of the whole header, with warnings as errors.
    let check = work.path().join("check.c");
    let uses: Vec<String> = called.iter().map(|s| format!("    (void (*)(void)){s},")).collect();
    std::fs::write(&check, format!("#include \"{name}\"\n\nvoid (*const used[])(void) = {{\n{}\n}};\n", uses.join("\n")))
        .unwrap_or_else(|e| panic!("{}: {e}", check.display()));
    let include = swift.display().to_string();
    run(
        Command::new("gcc").args(["-fsyntax-only", "-std=c11", "-Wall", "-Wextra", "-Werror"]).args(CLANG_ONLY).args(["-I", &include]).arg(&check),
        "gcc -fsyntax-only on the generated header",
    );

    // The header's contract version is the library's: link against it and ask.
    let probe = work.path().join("probe.c");
    std::fs::write(
        &probe,
        format!("#include <stdio.h>\n#include \"{name}\"\nint main(void) {{ printf(\"%u\\n\", ffi_suhbat_ffi_uniffi_contract_version()); return 0; }}\n"),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", probe.display()));
    let lib_dir = lib.parent().map(|d| d.display().to_string()).unwrap_or_default();
    let exe = work.path().join("probe");
    run(
        Command::new("gcc").args(["-std=c11", "-Wall", "-Werror"]).args(CLANG_ONLY).args(["-I", &include]).arg(&probe).arg("-o").arg(&exe).args([
            "-L",
            &lib_dir,
            "-lsuhbat_ffi",
        ]),
        "linking a probe against the library",
    );
    let version = run(Command::new(&exe).env("LD_LIBRARY_PATH", &lib_dir), "the probe");
    let bindings: String = files_with(&swift, &[".swift"]).iter().filter_map(|f| std::fs::read_to_string(f).ok()).collect();
    let expected = format!("let bindings_contract_version = {}", version.trim());
    assert!(bindings.contains(&expected), "the library's contract version {} differs from the Swift bindings'", version.trim());
    report(&format!("gcc: {name} compiles (-Wall -Wextra -Werror), declares {} entry points, contract version {}", called.len(), version.trim()));
}
