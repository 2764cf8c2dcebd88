//! Every integration test of this crate in one test binary: each file beside this one is a
//! module here, so the suite links its dependencies (SQLCipher, Automerge) once, not once per file.
//! Run one file's tests with `cargo nextest run -p <crate> -E 'test(/^<file>::/)'`.

#[macro_use]
mod common;
mod console;
mod console_glance;
mod console_pages;
mod console_postgres;
mod health;
mod limits;
mod panics;
mod tls_rotation;
