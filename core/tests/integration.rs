//! Every integration test of this crate in one test binary: each file beside this one is a
//! module here, so the suite links its dependencies (SQLCipher, Automerge) once, not once per file.
//! Run one file's tests with `cargo nextest run -p <crate> -E 'test(/^<file>::/)'`.

#[macro_use]
mod common;
mod as_of;
mod at_rest;
mod caps;
mod case_rules;
mod concurrent_open;
mod duplicates;
mod file_modes;
mod files;
mod follow_ups_and_events;
mod history;
mod hostile_input;
mod hub_hardening;
mod hub_restore;
mod locales;
mod loss_hunt;
mod merge;
mod name_search;
mod no_loss;
// Needs the PostgreSQL storage: `cargo nextest run -p suhbat-core --features postgres` (the
// workspace build has it, since suhbat-hub turns it on).
#[cfg(feature = "postgres")]
mod pg_two_nodes;
mod reassign;
mod received_bytes;
mod referral_bodies;
mod referrals;
mod registry;
mod search;
mod shared_file;
mod signed_history;
mod store;
mod sync;
mod sync_property;
mod temp_files;
mod validation;
mod who_saw_what;
