//! Key custody and device identity. The store never chooses where its key lives: the platform
//! does, through [`KeyProvider`] (Android Keystore, iOS Keychain, a file for the CLI, memory
//! for tests). Each install signs its changes with its own Ed25519 [`DeviceKey`].

mod identity;
mod keys;

pub use identity::{verify, verify_change, DeviceKey};
pub use keys::{DbKey, FileKeyProvider, KeyError, KeyProvider, MemoryKeyProvider};
