//! `uniffi-bindgen` for this workspace (same uniffi version as the library): generates the
//! Kotlin and Swift bindings from the built library, `cargo run -p suhbat-ffi --bin uniffi-bindgen -- generate --library …`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
