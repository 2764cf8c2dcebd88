//! A throwaway PostgreSQL server for tests and benches, made of the real parts: Debian's
//! `postgresql` binaries, `initdb` into a fresh folder, `pg_ctl start` on 127.0.0.1 at a free
//! port (socket in the same folder), stopped and removed when dropped. Under root the server
//! runs as the `postgres` user (PostgreSQL refuses to run as root).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where `initdb` and `pg_ctl` are: `$SUHBAT_PG_BIN`, else the newest `/usr/lib/postgresql/*/bin`.
pub fn bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SUHBAT_PG_BIN").map(PathBuf::from) {
        return dir.join("initdb").exists().then_some(dir);
    }
    let mut found: Vec<PathBuf> =
        std::fs::read_dir("/usr/lib/postgresql").ok()?.flatten().map(|e| e.path().join("bin")).filter(|b| b.join("initdb").exists()).collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().ok().is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A running throwaway cluster.
pub struct TestCluster {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    port: u16,
}

static NEXT: AtomicU64 = AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{prefix}{}_{}_{nanos}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("finding a free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

impl TestCluster {
    /// Makes and starts a cluster; `fsync` off for tests (nothing in it outlives the run).
    pub fn start(fsync: bool) -> Result<TestCluster, String> {
        let bin = bin_dir().ok_or("PostgreSQL binaries not found (install the Debian package postgresql, or set SUHBAT_PG_BIN)")?;
        let dir = std::env::temp_dir().join(unique("suhbat-pg-"));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let as_postgres = is_root();
        let mut cluster = TestCluster { dir, bin, as_postgres, port: 0 };
        if as_postgres {
            cluster.run("chown", &["-R", "postgres:postgres", &cluster.dir.display().to_string()], false)?;
        }
        let data = cluster.data().display().to_string();
        cluster.run("initdb", &["-D", &data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"], true)?;
        // The port may be taken between finding it and the server binding it: try a few.
        let mut last = String::new();
        for _ in 0..5 {
            cluster.port = free_port()?;
            let options = format!(
                "-k {} -p {} -c listen_addresses=127.0.0.1 -c fsync={} -c max_connections=200",
                cluster.dir.display(),
                cluster.port,
                if fsync { "on" } else { "off" }
            );
            let log = cluster.dir.join("server.log").display().to_string();
            match cluster.run("pg_ctl", &["-D", &data, "-l", &log, "-o", &options, "-w", "-t", "60", "start"], true) {
                Ok(()) => return Ok(cluster),
                Err(e) => last = format!("{e}; server log: {}", std::fs::read_to_string(cluster.dir.join("server.log")).unwrap_or_default()),
            }
        }
        Err(last)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn run(&self, program: &str, args: &[&str], pg_binary: bool) -> Result<(), String> {
        let program_path = if pg_binary { self.bin.join(program) } else { PathBuf::from(program) };
        let mut command = if self.as_postgres && pg_binary {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program_path);
            c
        } else {
            Command::new(&program_path)
        };
        let out = command.args(args).current_dir(Path::new("/")).output().map_err(|e| format!("{program}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("{program} failed: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
        }
    }

    /// The URL of database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// A new empty database; returns its URL.
    pub fn create_database(&self) -> Result<String, String> {
        create_database(&self.url("postgres"))
    }
}

/// A new empty database on the server of `admin_url` (a URL of an existing database); returns its URL.
pub fn create_database(admin_url: &str) -> Result<String, String> {
    let name = unique("suhbat_t");
    let mut client = postgres::Client::connect(admin_url, postgres::NoTls).map_err(|e| format!("connecting to {admin_url}: {e}"))?;
    client.batch_execute(&format!("CREATE DATABASE {name}")).map_err(|e| format!("creating database {name}: {e}"))?;
    let base = admin_url.rsplit_once('/').map_or(admin_url, |(base, _)| base);
    Ok(format!("{base}/{name}"))
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        let data = self.data().display().to_string();
        let _ = self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"], true);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A database for one test or bench: on the server named by `$SUHBAT_TEST_PG_URL` (the test
/// command starts one for the whole run), else on a cluster of its own (kept in the returned
/// guard). An error says why PostgreSQL is unavailable.
pub fn test_database() -> Result<(String, Option<TestCluster>), String> {
    if let Ok(admin) = std::env::var("SUHBAT_TEST_PG_URL") {
        return create_database(&admin).map(|url| (url, None));
    }
    let cluster = TestCluster::start(false)?;
    let url = cluster.create_database()?;
    Ok((url, Some(cluster)))
}
