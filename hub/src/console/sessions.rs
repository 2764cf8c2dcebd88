//! Signed-in sessions and the guard on signing in. Sessions live in the hub process's memory
//! (a restart signs everyone out): a random token in a cookie, a CSRF token for its forms,
//! ended by signing out or after [`IDLE_LIMIT`] without a request. Wrong passwords lock an
//! account for [`LOCKOUT`] after [`MAX_WRONG_PASSWORDS`] within that time; one address may
//! try at most [`MAX_ATTEMPTS_PER_MINUTE`] sign-ins a minute.

use super::accounts::ConsoleAccount;
use rand::RngCore;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A session ends after this long without a request.
pub(crate) const IDLE_LIMIT: Duration = Duration::from_secs(30 * 60);
/// Wrong passwords for one account, within [`LOCKOUT`], that lock it.
pub(crate) const MAX_WRONG_PASSWORDS: usize = 5;
/// How long wrong passwords are counted, and how long a locked account stays locked.
pub(crate) const LOCKOUT: Duration = Duration::from_secs(15 * 60);
/// Sign-in attempts one address may make in a minute.
pub(crate) const MAX_ATTEMPTS_PER_MINUTE: usize = 20;

/// A random token (hex).
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Whether two tokens are equal, in time that does not depend on where they differ.
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A signed-in account.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    /// The account, as it was when it signed in.
    pub account: ConsoleAccount,
    /// The token every form of this session carries.
    pub csrf: String,
    last_seen: Instant,
}

/// Every open session, by token.
#[derive(Default)]
pub(crate) struct Sessions {
    open: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    /// Opens a session for `account`; returns its token.
    pub(crate) fn open(&self, account: ConsoleAccount, now: Instant) -> String {
        let token = random_token();
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        open.retain(|_, s| now.saturating_duration_since(s.last_seen) < IDLE_LIMIT);
        open.insert(token.clone(), Session { account, csrf: random_token(), last_seen: now });
        token
    }

    /// The session of `token`, if it is open and was used within the idle limit (which
    /// starts again now).
    pub(crate) fn touch(&self, token: &str, now: Instant) -> Option<Session> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let session = open.get_mut(token)?;
        if now.saturating_duration_since(session.last_seen) >= IDLE_LIMIT {
            open.remove(token);
            return None;
        }
        session.last_seen = now;
        Some(session.clone())
    }

    /// Ends the session of `token`.
    pub(crate) fn close(&self, token: &str) {
        self.open.lock().unwrap_or_else(PoisonError::into_inner).remove(token);
    }
}

/// Why a sign-in attempt may not even be checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hold {
    /// Too many attempts from this address this minute.
    TooFast,
    /// The account is locked for this many more minutes.
    Locked(u64),
}

/// Counts sign-in attempts per address and wrong passwords per account.
#[derive(Default)]
pub(crate) struct LoginGuard {
    attempts: Mutex<HashMap<IpAddr, Vec<Instant>>>,
    wrong: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginGuard {
    /// Counts an attempt from `from` for `account`; says why it must be refused unchecked.
    pub(crate) fn admit(&self, from: IpAddr, account: &str, now: Instant) -> Option<Hold> {
        let mut attempts = self.attempts.lock().unwrap_or_else(PoisonError::into_inner);
        attempts.retain(|_, times| {
            times.retain(|t| now.saturating_duration_since(*t) < Duration::from_secs(60));
            !times.is_empty()
        });
        let times = attempts.entry(from).or_default();
        if times.len() >= MAX_ATTEMPTS_PER_MINUTE {
            return Some(Hold::TooFast);
        }
        times.push(now);
        drop(attempts);
        self.locked_for(account, now).map(|left| Hold::Locked(left.as_secs().div_ceil(60)))
    }

    /// How much longer `account` stays locked.
    fn locked_for(&self, account: &str, now: Instant) -> Option<Duration> {
        let wrong = self.wrong.lock().unwrap_or_else(PoisonError::into_inner);
        let recent: Vec<&Instant> = wrong.get(account)?.iter().filter(|t| now.saturating_duration_since(**t) < LOCKOUT).collect();
        let reached = recent.len().checked_sub(MAX_WRONG_PASSWORDS).and_then(|i| recent.get(i))?;
        Some(LOCKOUT.saturating_sub(now.saturating_duration_since(**reached)))
    }

    /// Notes a wrong password for `account`; true when this one locks it.
    pub(crate) fn wrong_password(&self, account: &str, now: Instant) -> bool {
        let mut wrong = self.wrong.lock().unwrap_or_else(PoisonError::into_inner);
        let times = wrong.entry(account.to_string()).or_default();
        times.retain(|t| now.saturating_duration_since(*t) < LOCKOUT);
        times.push(now);
        times.len() == MAX_WRONG_PASSWORDS
    }

    /// Forgets the wrong passwords of an account that signed in.
    pub(crate) fn signed_in(&self, account: &str) {
        self.wrong.lock().unwrap_or_else(PoisonError::into_inner).remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::accounts::{add_console_account, Accounts, ConsoleRole};

    fn account() -> ConsoleAccount {
        let dir = tempfile::tempdir().unwrap();
        add_console_account(dir.path(), "aziz", ConsoleRole::Supervisor, &["*".into()], "long enough password").unwrap();
        Accounts::of(dir.path()).find("aziz").unwrap().unwrap()
    }

    #[test]
    fn a_session_ends_after_the_idle_limit_and_on_sign_out() {
        let sessions = Sessions::default();
        let start = Instant::now();
        let token = sessions.open(account(), start);
        let almost = start + IDLE_LIMIT - Duration::from_secs(1);
        assert!(sessions.touch(&token, almost).is_some());
        assert!(sessions.touch(&token, almost + IDLE_LIMIT - Duration::from_secs(1)).is_some(), "each request restarts the idle time");
        assert!(sessions.touch(&token, almost + IDLE_LIMIT * 3).is_none());
        assert!(sessions.touch(&token, almost).is_none(), "an expired session is gone");
        let other = sessions.open(account(), start);
        sessions.close(&other);
        assert!(sessions.touch(&other, start).is_none());
        assert!(sessions.touch("not a token", start).is_none());
    }

    #[test]
    fn wrong_passwords_lock_the_account_for_the_lockout_and_then_it_opens_again() {
        let guard = LoginGuard::default();
        let from: IpAddr = "127.0.0.1".parse().unwrap();
        let start = Instant::now();
        for i in 0..MAX_WRONG_PASSWORDS {
            assert_eq!(guard.admit(from, "aziz", start), None);
            assert_eq!(guard.wrong_password("aziz", start), i + 1 == MAX_WRONG_PASSWORDS);
        }
        assert_eq!(guard.admit(from, "aziz", start + Duration::from_secs(60)), Some(Hold::Locked(14)));
        assert_eq!(guard.admit(from, "other", start + Duration::from_secs(60)), None, "only that account is locked");
        assert_eq!(guard.admit(from, "aziz", start + LOCKOUT), None);
    }

    #[test]
    fn one_address_may_try_only_so_many_sign_ins_a_minute() {
        let guard = LoginGuard::default();
        let from: IpAddr = "127.0.0.2".parse().unwrap();
        let start = Instant::now();
        for n in 0..MAX_ATTEMPTS_PER_MINUTE {
            assert_eq!(guard.admit(from, &format!("a{n}"), start), None);
        }
        assert_eq!(guard.admit(from, "b", start), Some(Hold::TooFast));
        assert_eq!(guard.admit("127.0.0.3".parse().unwrap(), "b", start), None);
        assert_eq!(guard.admit(from, "b", start + Duration::from_secs(61)), None);
    }
}
