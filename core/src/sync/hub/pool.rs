//! A small blocking connection pool: at most `max` connections, made on demand, handed out
//! one per transaction and taken back when the transaction ends.

use crate::error::{Error, Result};
use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex};

/// Connections of one kind, made by `make`.
pub(crate) struct Pool<C> {
    state: Mutex<PoolState<C>>,
    returned: Condvar,
    max: usize,
    make: Box<dyn Fn() -> Result<C> + Send + Sync>,
}

struct PoolState<C> {
    idle: Vec<C>,
    made: usize,
}

/// A connection taken from a pool; it goes back when dropped (unless [`discard`](Pooled::discard)ed).
pub(crate) struct Pooled<'p, C> {
    pool: &'p Pool<C>,
    conn: Option<C>,
}

fn poisoned() -> Error {
    Error::Io(std::io::Error::other("the connection pool's lock is poisoned"))
}

impl<C> Pool<C> {
    /// A pool of at most `max` connections.
    pub(super) fn new(max: usize, make: impl Fn() -> Result<C> + Send + Sync + 'static) -> Self {
        Pool { state: Mutex::new(PoolState { idle: Vec::new(), made: 0 }), returned: Condvar::new(), max: max.max(1), make: Box::new(make) }
    }

    /// An idle connection, a new one while fewer than `max` exist, or the next one returned.
    pub(super) fn get(&self) -> Result<Pooled<'_, C>> {
        let mut state = self.state.lock().map_err(|_| poisoned())?;
        loop {
            if let Some(conn) = state.idle.pop() {
                return Ok(Pooled { pool: self, conn: Some(conn) });
            }
            if state.made < self.max {
                state.made += 1;
                drop(state);
                return match (self.make)() {
                    Ok(conn) => Ok(Pooled { pool: self, conn: Some(conn) }),
                    Err(e) => {
                        self.forget_one();
                        Err(e)
                    }
                };
            }
            state = self.returned.wait(state).map_err(|_| poisoned())?;
        }
    }

    fn forget_one(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.made = state.made.saturating_sub(1);
        }
        self.returned.notify_one();
    }
}

impl<C> Pooled<'_, C> {
    /// Drops the connection instead of returning it (it broke).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(super) fn discard(mut self) {
        self.conn = None;
        self.pool.forget_one();
    }
}

impl<C> Deref for Pooled<'_, C> {
    type Target = C;
    fn deref(&self) -> &C {
        // Present from creation until drop or discard, which consume the guard.
        self.conn.as_ref().unwrap_or_else(|| unreachable!("a pooled connection is present until dropped"))
    }
}

impl<C> DerefMut for Pooled<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        self.conn.as_mut().unwrap_or_else(|| unreachable!("a pooled connection is present until dropped"))
    }
}

impl<C> Drop for Pooled<'_, C> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            if let Ok(mut state) = self.pool.state.lock() {
                state.idle.push(conn);
            }
            self.pool.returned.notify_one();
        }
    }
}
