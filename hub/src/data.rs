//! The hub's data folder: its key (`keys/`), its TLS identity (`tls/`), and either its SQLite
//! store (`hub.db`, the default for a base point) or, for a region's hub, the address of its
//! PostgreSQL database (`database.url`, written by `suhbat hub serve --database` or
//! `suhbat hub migrate`). Every node of a regional hub has a copy of the folder's `keys/`:
//! personal data in PostgreSQL is sealed with the key there.

use crate::HubError;
use std::path::{Path, PathBuf};
use suhbat_core::sync::Hub;
use suhbat_core::FileKeyProvider;

/// The file that names the hub's PostgreSQL database.
const DATABASE_FILE: &str = "database.url";

fn io(path: &Path, e: std::io::Error) -> HubError {
    HubError::Io(format!("{}: {e}", path.display()))
}

/// The key provider of a hub's data folder.
pub fn hub_keys(data_dir: &Path) -> FileKeyProvider {
    FileKeyProvider::new(data_dir.join("keys"))
}

/// The PostgreSQL database the hub in `data_dir` keeps its data in, if it is not SQLite.
pub fn database_url(data_dir: &Path) -> Result<Option<String>, HubError> {
    let path = data_dir.join(DATABASE_FILE);
    match std::fs::read_to_string(&path) {
        Ok(url) => Ok(Some(url.trim().to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(&path, e)),
    }
}

/// Makes the hub in `data_dir` keep its data in the PostgreSQL database at `url` from now on
/// (the file is readable by its owner only: the URL may hold a password).
pub fn use_database(data_dir: &Path, url: &str) -> Result<(), HubError> {
    if !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
        return Err(HubError::Io(format!("{url:?} is not a postgres:// URL")));
    }
    suhbat_core::private::create_private_dir(data_dir).map_err(|e| io(data_dir, e))?;
    let path: PathBuf = data_dir.join(DATABASE_FILE);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    use std::io::Write;
    let mut file = options.open(&path).map_err(|e| io(&path, e))?;
    file.write_all(format!("{url}\n").as_bytes()).map_err(|e| io(&path, e))
}

/// Opens (creating on first start) the hub whose data folder is `data_dir`: its PostgreSQL
/// database when the folder names one, else `hub.db` in it.
pub fn open_hub(data_dir: &Path) -> Result<Hub, HubError> {
    suhbat_core::private::create_private_dir(data_dir).map_err(|e| io(data_dir, e))?;
    let keys = hub_keys(data_dir);
    match database_url(data_dir)? {
        Some(url) => Ok(Hub::open_postgres(&url, &keys)?),
        None => Ok(Hub::open(data_dir.join("hub.db"), &keys)?),
    }
}
