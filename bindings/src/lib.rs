//! UniFFI bindings of the Suhbat core (filled in by the bindings work).

uniffi::setup_scaffolding!();
