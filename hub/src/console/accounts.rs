//! Console accounts: supervisors, heads of base points and members of a mahalla seven, each
//! with its mahallas. Kept in `console/accounts.json` in the hub's data folder (readable by
//! its owner only), passwords as argon2id hashes.

use crate::HubError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use suhbat_core::access::ALL_SCOPES;
use suhbat_core::scope_key;

/// The shortest password an account may have.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// What a console account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsoleRole {
    /// A district supervisor: every page, in its mahallas.
    Supervisor,
    /// The head of a base point: every page, in its mahallas.
    Head,
    /// A member of a mahalla seven: no register pages, no devices.
    Seven,
}

impl ConsoleRole {
    /// Parses `supervisor`, `head` or `seven`.
    pub fn parse(text: &str) -> Option<ConsoleRole> {
        match text {
            "supervisor" => Some(ConsoleRole::Supervisor),
            "head" => Some(ConsoleRole::Head),
            "seven" => Some(ConsoleRole::Seven),
            _ => None,
        }
    }

    /// The stable text form: `supervisor`, `head` or `seven`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsoleRole::Supervisor => "supervisor",
            ConsoleRole::Head => "head",
            ConsoleRole::Seven => "seven",
        }
    }

    /// The catalog key of the role's name.
    pub(crate) fn label_key(self) -> &'static str {
        match self {
            ConsoleRole::Supervisor => "role.supervisor",
            ConsoleRole::Head => "console.role.head",
            ConsoleRole::Seven => "role.seven",
        }
    }

    /// Whether the role may see the registers, the district and the devices.
    pub(crate) fn sees_registers(self) -> bool {
        matches!(self, ConsoleRole::Supervisor | ConsoleRole::Head)
    }
}

/// One console account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConsoleAccount {
    /// The name it signs in with.
    pub name: String,
    /// What it may do.
    pub role: ConsoleRole,
    /// Its mahallas (stored keys), or `*` for every one.
    pub scopes: Vec<String>,
    /// The argon2id hash of its password (PHC string).
    password_hash: String,
}

impl ConsoleAccount {
    /// Whether the account sees a mahalla (given by its stored key).
    pub(crate) fn sees_scope(&self, key: &str) -> bool {
        self.scopes.iter().any(|s| s == ALL_SCOPES || s == key)
    }

    /// Whether the password is this account's.
    fn password_matches(&self, password: &str) -> bool {
        PasswordHash::new(&self.password_hash).is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
    }
}

#[derive(Default, Serialize, Deserialize)]
struct AccountsFile {
    accounts: Vec<ConsoleAccount>,
}

/// The accounts file of a hub's data folder.
#[derive(Clone, Debug)]
pub(crate) struct Accounts {
    path: PathBuf,
}

fn io(path: &Path, e: impl std::fmt::Display) -> HubError {
    HubError::Io(format!("{}: {e}", path.display()))
}

impl Accounts {
    /// The accounts of the hub whose data folder is `data_dir`.
    pub(crate) fn of(data_dir: &Path) -> Accounts {
        Accounts { path: data_dir.join("console").join("accounts.json") }
    }

    fn load(&self) -> Result<AccountsFile, HubError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| io(&self.path, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(AccountsFile::default()),
            Err(e) => Err(io(&self.path, e)),
        }
    }

    fn save(&self, file: &AccountsFile) -> Result<(), HubError> {
        let dir = self.path.parent().ok_or_else(|| io(&self.path, "no folder"))?;
        suhbat_core::private::create_private_dir(dir).map_err(|e| io(dir, e))?;
        let text = serde_json::to_vec_pretty(file).map_err(|e| io(&self.path, e))?;
        let temp = self.path.with_extension("json.new");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        use std::io::Write;
        let mut out = options.open(&temp).map_err(|e| io(&temp, e))?;
        out.write_all(&text).and_then(|()| out.sync_all()).map_err(|e| io(&temp, e))?;
        std::fs::rename(&temp, &self.path).map_err(|e| io(&self.path, e))
    }

    /// The account `name` when `password` is its password.
    pub(crate) fn check(&self, name: &str, password: &str) -> Result<Option<ConsoleAccount>, HubError> {
        Ok(self.find(name)?.filter(|a| a.password_matches(password)))
    }

    /// The account called `name`.
    pub(crate) fn find(&self, name: &str) -> Result<Option<ConsoleAccount>, HubError> {
        Ok(self.load()?.accounts.into_iter().find(|a| a.name == name))
    }
}

/// A new random password (16 letters and digits, ~95 bits) for an account made by a command.
pub fn new_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..16).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

/// Creates a console account in the hub whose data folder is `data_dir`, or gives an existing
/// one a new role, mahallas and password.
pub fn add_console_account(data_dir: &Path, name: &str, role: ConsoleRole, scopes: &[String], password: &str) -> Result<(), HubError> {
    let name = name.trim();
    if name.is_empty() || name.chars().any(|c| c.is_control() || c == ':') {
        return Err(HubError::Io(format!("{name:?} is not a usable account name")));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(HubError::Io(format!("the password needs at least {MIN_PASSWORD_CHARS} characters")));
    }
    let scopes: Vec<String> = scopes.iter().filter(|s| !s.trim().is_empty()).map(|s| if s == ALL_SCOPES { s.clone() } else { scope_key(s) }).collect();
    if scopes.is_empty() {
        return Err(HubError::Io("an account needs at least one mahalla (or * for every one)".into()));
    }
    let salt = SaltString::generate(&mut OsRng);
    let password_hash =
        Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| HubError::Io(format!("hashing the password: {e}")))?.to_string();
    let accounts = Accounts::of(data_dir);
    let mut file = accounts.load()?;
    file.accounts.retain(|a| a.name != name);
    file.accounts.push(ConsoleAccount { name: name.to_string(), role, scopes, password_hash });
    accounts.save(&file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_checked_against_its_argon2_hash_and_never_stored_plain() {
        let dir = tempfile::tempdir().unwrap();
        add_console_account(dir.path(), "nodira", ConsoleRole::Head, &["Navbahor".into()], "correct horse battery").unwrap();
        let accounts = Accounts::of(dir.path());
        assert!(accounts.check("nodira", "correct horse battery").unwrap().is_some());
        assert!(accounts.check("nodira", "wrong horse battery").unwrap().is_none());
        assert!(accounts.check("nobody", "correct horse battery").unwrap().is_none());
        let stored = std::fs::read_to_string(dir.path().join("console/accounts.json")).unwrap();
        assert!(!stored.contains("correct horse") && stored.contains("$argon2id$"));
        assert!(add_console_account(dir.path(), "x", ConsoleRole::Head, &["*".into()], "short").is_err());
    }
}
