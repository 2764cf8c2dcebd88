//! Key custody and device identity. The store never chooses where its key lives: the platform
//! does, through [`KeyProvider`] (Android Keystore, iOS Keychain, a file for the CLI, memory
//! for tests). Each install signs its changes with its own Ed25519 [`DeviceKey`].

mod identity;
mod keys;
mod private_file;

pub use identity::{verify, verify_change, DeviceKey};
pub use keys::{DbKey, FileKeyProvider, KeyError, KeyProvider, MemoryKeyProvider};
pub use private_file::{check_private_file, create_private_dir, create_private_file, touch_private_file};
