//! The hub's two storages in tests: SQLite (`hub.db` in the test's temp dir) and PostgreSQL (a
//! fresh database on a real server: the one `tests/run` starts, named by `SUHBAT_TEST_PG_URL`,
//! or a throwaway cluster of the test's own). Hub tests run on both through [`on_both_backends!`].
#![allow(dead_code)]

use std::ops::{Deref, DerefMut};
use std::path::Path;
use suhbat_core::sync::Hub;
use suhbat_core::KeyProvider;

/// Where the hub keeps its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// A hub with whatever keeps its database alive (a PostgreSQL cluster of the test's own).
pub(crate) struct TestHub {
    pub hub: Hub,
    #[cfg(feature = "postgres")]
    cluster: Option<suhbat_core::sync::pg::cluster::TestCluster>,
    /// The PostgreSQL database's URL (for a second hub node on it).
    pub url: Option<String>,
}

impl Deref for TestHub {
    type Target = Hub;
    fn deref(&self) -> &Hub {
        &self.hub
    }
}

impl DerefMut for TestHub {
    fn deref_mut(&mut self) -> &mut Hub {
        &mut self.hub
    }
}

/// Says loudly that a PostgreSQL test could not run; in CI (`CI` set) that is a failure.
pub(crate) fn unavailable(why: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("PostgreSQL is required in CI but unavailable: {why}");
    }
    super::report(&format!("!!!!!!!! SKIPPED (PostgreSQL unavailable: {why}) !!!!!!!!"));
}

/// A hub on `backend`, or `None` (said loudly) when it is unavailable here.
pub(crate) fn open_hub(backend: Backend, dir: &Path, keys: &dyn KeyProvider) -> Option<TestHub> {
    match backend {
        Backend::Sqlite => Some(TestHub {
            hub: Hub::open(dir.join("hub.db"), keys).unwrap(),
            #[cfg(feature = "postgres")]
            cluster: None,
            url: None,
        }),
        Backend::Postgres => postgres_hub(keys),
    }
}

#[cfg(feature = "postgres")]
fn postgres_hub(keys: &dyn KeyProvider) -> Option<TestHub> {
    match suhbat_core::sync::pg::cluster::test_database() {
        Ok((url, cluster)) => Some(TestHub { hub: Hub::open_postgres(&url, keys).unwrap(), cluster, url: Some(url) }),
        Err(why) => {
            unavailable(&why);
            None
        }
    }
}

#[cfg(not(feature = "postgres"))]
fn postgres_hub(_keys: &dyn KeyProvider) -> Option<TestHub> {
    unavailable("suhbat-core was built without its postgres feature (run the workspace, or add --features postgres)");
    None
}

/// Runs each named test body (a `fn(Backend)`) on both storages, as the tests
/// `NAME::sqlite` and `NAME::postgres`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name($crate::common::backends::Backend::Sqlite)
                }
                #[test]
                fn postgres() {
                    super::$name($crate::common::backends::Backend::Postgres)
                }
            }
        )*
    };
}
