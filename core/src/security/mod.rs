//! Key custody. The store never chooses where its key lives: the platform does, through
//! [`KeyProvider`] (Android Keystore, iOS Keychain, a file for the CLI, memory for tests).

mod keys;

pub use keys::{DbKey, FileKeyProvider, KeyError, KeyProvider, MemoryKeyProvider};
