//! Online backups of a store file, encrypted with the store's own key, and putting one back.
//!
//! A backup is SQLite's `VACUUM INTO`: one read transaction, so the copy is consistent even
//! while the store (or another process, such as a serving hub) keeps writing. SQLCipher
//! encrypts the copy with the key of the store it is made from; the copy never exists in
//! plaintext. The key is found by the store's file name ([`key_id_for`]), so a backup is opened
//! by putting it back under that name ([`Store::restore_backup`]).

use super::{db, key_id_for, Store};
use crate::error::{Error, Result};
use crate::security::KeyProvider;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The first bytes of a plaintext SQLite file.
const PLAINTEXT_HEADER: &[u8] = b"SQLite format 3\0";

fn io_error(kind: std::io::ErrorKind, message: String) -> Error {
    Error::Io(std::io::Error::new(kind, message))
}

/// A file beside `path` with `suffix` appended to its name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

/// Whether a file starts like a plaintext SQLite database.
fn is_plaintext(path: &Path) -> Result<bool> {
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path)?;
    let read = file.read(&mut header)?;
    Ok(read == header.len() && header == PLAINTEXT_HEADER)
}

/// Removes a store file's WAL and shared-memory files, if any.
fn remove_sidecars(path: &Path) -> Result<()> {
    for suffix in ["-wal", "-shm", "-journal"] {
        remove_if_present(&with_suffix(path, suffix))?;
    }
    Ok(())
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.into()),
    }
}

impl Store {
    /// Writes a consistent, encrypted copy of this store to `out` (which must not exist yet),
    /// while the store may go on being used. Returns the size of the copy in bytes.
    pub fn backup_to(&self, out: &Path) -> Result<u64> {
        self.writable()?;
        if out.exists() {
            return Err(io_error(std::io::ErrorKind::AlreadyExists, format!("{} already exists", out.display())));
        }
        let target = out.to_str().ok_or_else(|| io_error(std::io::ErrorKind::InvalidInput, format!("{} is not a UTF-8 path", out.display())))?;
        // VACUUM INTO fills an empty file as it is, so the copy is owner-only from the start.
        crate::security::create_private_file(out)?;
        if let Err(e) = self.conn.execute("VACUUM INTO ?1", [target]) {
            let _ = std::fs::remove_file(out);
            return Err(e.into());
        }
        if is_plaintext(out)? {
            // Never leave a readable copy behind, whatever the SQLite build did.
            std::fs::remove_file(out)?;
            return Err(Error::Corrupt("the backup came out unencrypted; it was deleted".into()));
        }
        Ok(std::fs::metadata(out)?.len())
    }

    /// Puts the backup `from` (made by [`backup_to`](Self::backup_to)) in place of the store
    /// file `path`. No process may have `path` open (stop the hub first). The backup is checked
    /// before anything is replaced: it must open with the key of `path` and pass SQLCipher's
    /// page check; the old file is kept as `<path>.before-restore`.
    pub fn restore_backup(path: &Path, from: &Path, keys: &dyn KeyProvider) -> Result<()> {
        let key = keys.get_or_create_key(&key_id_for(path)).map_err(|e| Error::KeyStore(e.to_string()))?;
        let staged = with_suffix(path, ".restoring");
        remove_sidecars(&staged)?;
        remove_if_present(&staged)?;
        std::io::copy(&mut std::fs::File::open(from)?, &mut crate::security::create_private_file(&staged)?)?;
        let checked = db::open(&staged, &key).and_then(|conn| {
            let problems = db::integrity_problems(&conn)?;
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            if problems.is_empty() {
                Ok(())
            } else {
                Err(Error::Corrupt(problems.join("; ")))
            }
        });
        if let Err(e) = checked {
            let _ = std::fs::remove_file(&staged);
            let _ = remove_sidecars(&staged);
            return Err(e);
        }
        remove_sidecars(&staged)?;
        // The old file with its WAL, kept under a name SQLite pairs the same way.
        let kept = with_suffix(path, ".before-restore");
        remove_sidecars(&kept)?;
        for suffix in ["", "-wal"] {
            let old = with_suffix(path, suffix);
            if old.exists() {
                std::fs::rename(&old, with_suffix(&kept, suffix))?;
            }
        }
        remove_sidecars(path)?;
        std::fs::rename(&staged, path)?;
        Ok(())
    }
}
