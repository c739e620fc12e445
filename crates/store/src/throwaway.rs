//! A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` and
//! `pg_ctl` from `PATH` or `/usr/lib/postgresql/*/bin`, run as a non-root
//! user (`postgres` when the caller is root), on a free port, removed when
//! dropped. `DYAD_TEST_POSTGRES_URL` (a URL to a server whose user may create
//! databases) is used instead when set.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::atomic::{AtomicUsize, Ordering},
};

/// Where a test finds PostgreSQL, or why it cannot.
#[derive(Debug)]
pub struct PostgresCluster {
    /// URL of the server without a database name, e.g. `postgres://dyad@127.0.0.1:5433`.
    base_url: String,
    /// The cluster this process runs; `None` for an external server.
    owned: Option<Owned>,
}

/// A cluster started here: its directory, binaries, user and server options.
#[derive(Debug)]
struct Owned {
    dir: PathBuf,
    bin: PathBuf,
    user: Option<String>,
    options: String,
}

impl Owned {
    fn pg_ctl(&self, action: &str) -> Result<(), String> {
        let mut command = as_user(&self.user, &self.bin.join("pg_ctl"));
        command
            .args(["-w", "-t", "60", "-D"])
            .arg(self.dir.join("data"));
        match action {
            "start" => command
                .args(["-o", &self.options, "-l"])
                .arg(self.dir.join("log")),
            _ => command.args(["-m", "immediate"]),
        };
        run(command.arg(action))
    }
}

/// What to tell a developer whose machine has no PostgreSQL.
pub const INSTALL_HINT: &str = "PostgreSQL not found: install it (Debian/Ubuntu: \
    `apt-get install -y postgresql`), or set DYAD_TEST_POSTGRES_URL=postgres://USER@HOST:PORT \
    to use a running server, or set DYAD_SKIP_POSTGRES_TESTS=1 to skip these tests knowingly";

impl PostgresCluster {
    /// Starts a cluster (or takes `DYAD_TEST_POSTGRES_URL`).
    pub fn start() -> Result<Self, String> {
        if let Ok(url) = std::env::var("DYAD_TEST_POSTGRES_URL") {
            return Ok(Self {
                base_url: url.trim_end_matches('/').to_string(),
                owned: None,
            });
        }
        let bin = find_binaries().ok_or_else(|| INSTALL_HINT.to_string())?;
        let dir = fresh_dir()?;
        let user = is_root().then(|| "postgres".to_string());
        if let Some(user) = &user {
            run(Command::new("chown").arg("-R").arg(user).arg(&dir))?;
        }
        let data = dir.join("data");
        run(as_user(&user, &bin.join("initdb"))
            .args([
                "-U",
                "dyad",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data))?;
        let port = free_port()?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            dir.display()
        );
        let owned = Owned {
            dir,
            bin,
            user,
            options,
        };
        owned.pg_ctl("start")?;
        Ok(Self {
            base_url: format!("postgres://dyad@127.0.0.1:{port}"),
            owned: Some(owned),
        })
    }

    /// Stops the server at once, as a crash or an outage would (a cluster
    /// started here only).
    pub fn stop(&self) -> Result<(), String> {
        self.owned
            .as_ref()
            .ok_or("an external server is not stopped by tests")?
            .pg_ctl("stop")
    }

    /// Starts the stopped server again, same data, same port.
    pub fn restart(&self) -> Result<(), String> {
        self.owned
            .as_ref()
            .ok_or("an external server is not restarted by tests")?
            .pg_ctl("start")
    }

    /// URL of database `name` on this server.
    pub fn url(&self, name: &str) -> String {
        format!("{}/{name}", self.base_url)
    }

    /// Creates an empty database `name` and returns its URL.
    pub async fn create_database(&self, name: &str) -> Result<String, String> {
        let (client, connection) =
            tokio_postgres::connect(&self.url("postgres"), tokio_postgres::NoTls)
                .await
                .map_err(|e| format!("cannot connect to {}: {e}", self.base_url))?;
        tokio::spawn(connection);
        for statement in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            client
                .batch_execute(&statement)
                .await
                .map_err(|e| format!("cannot create database {name}: {e:?}"))?;
        }
        Ok(self.url(name))
    }
}

impl Drop for PostgresCluster {
    fn drop(&mut self) {
        if let Some(owned) = self.owned.take() {
            let _ = owned.pg_ctl("stop");
            let _ = std::fs::remove_dir_all(&owned.dir);
        }
    }
}

fn find_binaries() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|p| p.join("initdb").is_file() && p.join("pg_ctl").is_file())
    });
    on_path.or_else(|| {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| Some(e.ok()?.path().join("bin")))
            .filter(|bin| bin.join("initdb").is_file())
            .collect();
        versions.sort();
        versions.pop()
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn as_user(user: &Option<String>, program: &Path) -> Command {
    match user {
        Some(user) => {
            let mut command = Command::new("runuser");
            command.args(["-u", user, "--"]).arg(program);
            command
        }
        None => Command::new(program),
    }
}

fn run(command: &mut Command) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// A new, empty directory of its own: the process id and a per-process
/// counter keep clusters started at the same instant apart, and
/// `create_dir` fails rather than share one left behind.
fn fresh_dir() -> Result<PathBuf, String> {
    static STARTED: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!(
        "dyad-pg-{}-{}-{nanos}",
        std::process::id(),
        STARTED.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}
