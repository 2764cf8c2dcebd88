//! Every integration test of this crate in one test binary: each file beside this one is a
//! module here, so the suite links its dependencies (SQLCipher, Automerge) once, not once per file.
//! Run one file's tests with `cargo nextest run -p <crate> -E 'test(/^<file>::/)'`.

mod binding_docs;
mod c_header;
mod hub_e2e;
mod kotlin;
mod live_sync;
mod parse_check;
mod python;
mod shell_sources;
