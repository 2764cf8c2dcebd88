//! Files only their owner may read: key files, stores, TLS keys. They are created with mode
//! 0600 (folders 0700) from the start, never made private after the fact, and a key file that
//! others can read is refused rather than used. Modes are a Unix matter; elsewhere these only
//! create and open.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates `path` for writing with mode 0600; fails if it exists.
pub fn create_private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Creates an empty `path` with mode 0600 when it does not exist yet (so that SQLite, which
/// gives its `-wal` and `-shm` files the mode of the database, keeps them private too).
pub fn touch_private_file(path: &Path) -> io::Result<()> {
    match create_private_file(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates the folder `path` (and missing parents) with mode 0700 when it does not exist.
/// An existing folder is left as it is.
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Refuses a secret file that users other than its owner can read or write, with a message
/// naming the file and the fix. Unix only; elsewhere always `Ok`.
pub fn check_private_file(path: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(format!(
                "{} is readable or writable by other users (mode {mode:04o}); it holds a secret key, so it is not used. Run `chmod 600 {}` and check who may have copied it",
                path.display(),
                path.display()
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn private_files_and_folders_are_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("a/b");
        create_private_dir(&folder).unwrap();
        assert_eq!(mode(&folder), 0o700);
        let file = folder.join("f");
        touch_private_file(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        touch_private_file(&file).unwrap();
        assert!(create_private_file(&file).is_err(), "never replaces a file");
        assert!(check_private_file(&file).is_ok());
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = check_private_file(&file).unwrap_err();
        assert!(refused.contains(&file.display().to_string()) && refused.contains("chmod 600"), "{refused}");
    }
}
