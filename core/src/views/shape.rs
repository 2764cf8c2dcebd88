//! How view-model types are declared: once, in the core, in a form the bindings can replay.
//!
//! `view_types! { $ replay_name; <type definitions> }` defines the types here and exports a
//! macro `replay_name!(callback)` that hands the very same definitions, doc comments
//! included, to a callback macro. The bindings' callback adds `#[uniffi::remote]` to each,
//! so UniFFI mirrors the core's view-models without a second copy of them (and the core
//! itself carries no UniFFI attribute). The leading `$` is passed in because a macro cannot
//! write `$` into the macro it defines on stable Rust.

macro_rules! view_types {
    ($d:tt $replay:ident; $($item:tt)*) => {
        $($item)*

        #[doc = concat!("Hands the definitions of the view-models declared with `", stringify!($replay), "` to a callback macro (used by the bindings to mirror them).")]
        #[macro_export]
        macro_rules! $replay {
            ($d callback:ident) => {
                $d callback! { $($item)* }
            };
        }
    };
}
