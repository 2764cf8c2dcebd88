//! Every integration test of this crate in one test binary: each file beside this one is a
//! module here, so the suite links its dependencies (SQLCipher, Automerge) once, not once per file.
//! Run one file's tests with `cargo nextest run -p <crate> -E 'test(/^<file>::/)'`.

#[macro_use]
mod common;
mod as_of;
mod cli;
mod console_cli;
mod crash;
mod files;
mod forms;
mod hardening;
mod history;
mod live;
mod practice;
mod reassign;
mod scripting;
mod security;
mod soak;
mod who_saw_what;
mod work;
