//! The [`KeyProvider`] seam and the two providers the core ships.

use rand::RngCore;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// A raw 256-bit database key, wiped from memory when dropped. Never printed.
pub type DbKey = Zeroizing<[u8; 32]>;

/// Why a key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The platform key store failed or refused.
    #[error("key store unavailable: {0}")]
    Unavailable(String),
    /// The stored key material is damaged.
    #[error("stored key {0} is damaged")]
    Damaged(String),
    /// A key file other users can read or write: refused, with the fix in the message.
    #[error("{0}")]
    Exposed(String),
}

/// Where database keys live. Implemented by each platform shell.
pub trait KeyProvider: Send + Sync {
    /// The key for `key_id`, created at random on first use and kept from then on.
    fn get_or_create_key(&self, key_id: &str) -> Result<DbKey, KeyError>;
    /// Destroys the key for `key_id`; data encrypted with it can never be read again.
    fn destroy_key(&self, key_id: &str) -> Result<(), KeyError>;
}

fn random_key() -> DbKey {
    let mut key = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(key.as_mut());
    key
}

/// Keys held in memory only: for tests and throw-away stores.
#[derive(Default)]
pub struct MemoryKeyProvider {
    keys: Mutex<HashMap<String, DbKey>>,
}

impl MemoryKeyProvider {
    /// An empty provider.
    pub fn new() -> Self {
        Self::default()
    }
}

impl KeyProvider for MemoryKeyProvider {
    fn get_or_create_key(&self, key_id: &str) -> Result<DbKey, KeyError> {
        let mut keys = self.keys.lock().map_err(|_| KeyError::Unavailable("lock poisoned".into()))?;
        Ok(keys.entry(key_id.to_string()).or_insert_with(random_key).clone())
    }

    fn destroy_key(&self, key_id: &str) -> Result<(), KeyError> {
        let mut keys = self.keys.lock().map_err(|_| KeyError::Unavailable("lock poisoned".into()))?;
        keys.remove(key_id);
        Ok(())
    }
}

/// Keys kept as files (mode 0600, refused when others can read them) in a folder (0700): for the CLI and the hub on a server, where
/// the operating system's disk encryption and permissions guard the key. Phones use their
/// hardware-backed key stores instead.
pub struct FileKeyProvider {
    dir: PathBuf,
}

impl FileKeyProvider {
    /// Keys in `dir` (created when needed).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn path(&self, key_id: &str) -> PathBuf {
        let safe: String = key_id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
        self.dir.join(format!("{safe}.key"))
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = super::create_private_file(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

impl KeyProvider for FileKeyProvider {
    fn get_or_create_key(&self, key_id: &str) -> Result<DbKey, KeyError> {
        let path = self.path(key_id);
        let unavailable = |e: std::io::Error| KeyError::Unavailable(format!("{}: {e}", path.display()));
        match std::fs::read(&path) {
            Ok(bytes) => {
                let bytes = Zeroizing::new(bytes);
                super::check_private_file(&path).map_err(KeyError::Exposed)?;
                let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| KeyError::Damaged(key_id.to_string()))?;
                Ok(Zeroizing::new(array))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                super::create_private_dir(&self.dir).map_err(unavailable)?;
                let key = random_key();
                write_private(&path, key.as_ref()).map_err(unavailable)?;
                Ok(key)
            }
            Err(e) => Err(unavailable(e)),
        }
    }

    fn destroy_key(&self, key_id: &str) -> Result<(), KeyError> {
        let path = self.path(key_id);
        if let Ok(meta) = std::fs::metadata(&path) {
            // Overwrite before unlinking, so the key bytes do not linger in the file's blocks.
            let zeros = vec![0u8; meta.len() as usize];
            let _ = std::fs::write(&path, zeros);
        }
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(KeyError::Unavailable(format!("{}: {e}", path.display()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_provider_keeps_and_destroys_keys() {
        let keys = MemoryKeyProvider::new();
        let a = keys.get_or_create_key("a").unwrap();
        assert_eq!(*a, *keys.get_or_create_key("a").unwrap());
        assert_ne!(*a, *keys.get_or_create_key("b").unwrap());
        keys.destroy_key("a").unwrap();
        assert_ne!(*a, *keys.get_or_create_key("a").unwrap());
    }

    #[test]
    fn file_provider_persists_private_keys() {
        let dir = tempfile::tempdir().unwrap();
        let keys = FileKeyProvider::new(dir.path().join("keys"));
        let a = keys.get_or_create_key("device.db").unwrap();
        assert_eq!(*a, *FileKeyProvider::new(dir.path().join("keys")).get_or_create_key("device.db").unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("keys/device_db.key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(dir.path().join("keys/bad.key"), b"short").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path().join("keys/bad.key"), std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        assert!(matches!(keys.get_or_create_key("bad"), Err(KeyError::Damaged(_))));
        keys.destroy_key("device.db").unwrap();
        assert!(!dir.path().join("keys/device_db.key").exists());
    }
}
