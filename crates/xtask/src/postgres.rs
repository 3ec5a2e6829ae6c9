//! A throwaway PostgreSQL cluster for the store tests and benchmarks.
//!
//! [`TestCluster::start`] makes a fresh cluster in a temporary folder under `/tmp` (whose
//! parents the `postgres` user can traverse), with trust authentication on a free
//! loopback port and its socket in the same folder, and creates the database
//! `ratecard_test`. PostgreSQL refuses to run as root, so as root every server program
//! runs as the `postgres` user (`runuser`, or `su` without it), which owns the folder.
//!
//! The cluster is stopped (`pg_ctl -m fast stop`) and its folder deleted when the guard
//! is dropped, on success and error paths alike, and also on Ctrl-C or SIGTERM: a handler
//! stops every live cluster before xtask exits, since `pg_ctl` starts the server in a
//! session of its own that a Ctrl-C at the terminal does not reach.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};

use crate::tools::Postgres;
use crate::util::Result;

/// The database the store tests get, as `RATECARD_TEST_POSTGRES_URL`.
pub const TEST_DATABASE: &str = "ratecard_test";

/// How many times a start is tried, each on a newly chosen free port, in case another
/// program takes the port between choosing it and the server binding it.
const START_ATTEMPTS: u32 = 3;

/// A running throwaway cluster; stopped and deleted on drop.
pub struct TestCluster {
    id: u64,
    port: u16,
    dir: Option<tempfile::TempDir>,
    runner: Runner,
    pg_ctl: PathBuf,
    createdb: PathBuf,
    /// `psql`, to drop databases, when it is installed beside the other programs.
    psql: Option<PathBuf>,
    pub version: String,
}

/// How the server programs are started: as the current user, or as `postgres` when the
/// current user is root.
#[derive(Clone)]
enum Runner {
    Me,
    Runuser,
    Su,
}

impl Runner {
    fn command(&self, program: &Path, args: &[String]) -> Command {
        match self {
            Runner::Me => {
                let mut command = Command::new(program);
                command.args(args);
                command
            }
            Runner::Runuser => {
                let mut command = Command::new("runuser");
                command
                    .args(["-u", "postgres", "--"])
                    .arg(program)
                    .args(args);
                command
            }
            Runner::Su => {
                let line = std::iter::once(program.to_string_lossy().into_owned())
                    .chain(args.iter().cloned())
                    .map(|word| shell_quote(&word))
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut command = Command::new("su");
                command.args(["postgres", "-s", "/bin/sh", "-c", &line]);
                command
            }
        }
    }
}

/// `word` in single quotes for `sh`.
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// Runs a command quietly in `dir`; its output is returned for an error message.
fn run_quiet(mut command: Command, dir: &Path, what: &str) -> Result<Output> {
    let output = command
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: cannot start {:?}: {e}", command.get_program()))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// What the Ctrl-C handler needs to stop a cluster.
struct Live {
    id: u64,
    runner: Runner,
    pg_ctl: PathBuf,
    root: PathBuf,
}

impl Live {
    fn stop(&self) -> Result<()> {
        let data = self.root.join("data");
        let args = ["-D", &data.to_string_lossy(), "-m", "fast", "-w", "stop"].map(str::to_owned);
        run_quiet(
            self.runner.command(&self.pg_ctl, &args),
            &self.root,
            "pg_ctl stop",
        )
        .map(|_| ())
    }
}

static LIVE: Mutex<Vec<Live>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(1);
static HANDLER: Once = Once::new();

/// On Ctrl-C or SIGTERM: stop every live cluster, delete its folder and exit with 130.
/// Commands running in the foreground got the signal themselves.
fn install_handler() {
    HANDLER.call_once(|| {
        let installed = ctrlc::set_handler(|| {
            let live = match LIVE.lock() {
                Ok(mut live) => std::mem::take(&mut *live),
                Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
            };
            for cluster in &live {
                eprintln!(
                    "\nxtask: interrupted: stopping the PostgreSQL cluster in {}",
                    cluster.root.display()
                );
                if let Err(e) = cluster.stop() {
                    eprintln!("xtask: {e}");
                }
                let _ = fs::remove_dir_all(&cluster.root);
            }
            std::process::exit(130);
        });
        if let Err(e) = installed {
            eprintln!("xtask: warning: cannot handle Ctrl-C ({e}); an interrupted run may leave a PostgreSQL server running");
        }
    });
}

fn is_root() -> bool {
    crate::util::cmd("id")
        .arg("-u")
        .output_ok()
        .is_some_and(|uid| uid.trim() == "0")
}

/// The uid and gid of the `postgres` user.
fn postgres_user() -> Result<(u32, u32)> {
    let id = |flag: &str| {
        crate::util::cmd("id")
            .args([flag, "postgres"])
            .output_ok()
            .and_then(|n| n.trim().parse::<u32>().ok())
    };
    match (id("-u"), id("-g")) {
        (Some(uid), Some(gid)) => Ok((uid, gid)),
        _ => Err(
            "running as root, PostgreSQL needs the `postgres` user, which does not exist; \
             Debian's postgresql package creates it (apt-get install -y postgresql)"
                .to_owned(),
        ),
    }
}

/// A loopback port nobody listens on right now.
fn free_port() -> Result<u16> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot find a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

impl TestCluster {
    /// Makes, starts and fills a throwaway cluster: `initdb`, `pg_ctl start` on a free
    /// loopback port, `createdb ratecard_test`.
    pub fn start(pg: &Postgres) -> Result<TestCluster> {
        install_handler();
        let root_user = is_root();
        let runner = if !root_user {
            Runner::Me
        } else if crate::util::cmd("runuser")
            .arg("--version")
            .output_ok()
            .is_some()
        {
            Runner::Runuser
        } else {
            Runner::Su
        };
        // Under /tmp, not under $TMPDIR, which may sit in root's home where the postgres
        // user cannot go.
        let parent = if root_user {
            PathBuf::from("/tmp")
        } else {
            std::env::temp_dir()
        };
        let dir = tempfile::Builder::new()
            .prefix("ratecard-pg-")
            .tempdir_in(&parent)
            .map_err(|e| format!("cannot make a folder in {}: {e}", parent.display()))?;
        let root = dir.path().to_path_buf();
        if root_user {
            let (uid, gid) = postgres_user()?;
            std::os::unix::fs::chown(&root, Some(uid), Some(gid))
                .map_err(|e| format!("cannot give {} to postgres: {e}", root.display()))?;
        }
        let data = root.join("data");
        let initdb_args = [
            "-D",
            &data.to_string_lossy(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]
        .map(str::to_owned);
        run_quiet(
            runner.command(&pg.bin_dir.join("initdb"), &initdb_args),
            &root,
            "initdb",
        )?;
        let psql = Some(pg.bin_dir.join("psql")).filter(|p| p.is_file());
        let mut cluster = TestCluster {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            port: 0,
            dir: Some(dir),
            runner,
            pg_ctl: pg.bin_dir.join("pg_ctl"),
            createdb: pg.createdb.clone(),
            psql,
            version: pg.version.clone(),
        };
        let mut last_error = String::new();
        for _ in 0..START_ATTEMPTS {
            let port = free_port()?;
            let options = format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=on",
                root.display()
            );
            let args = [
                "-w",
                "-t",
                "60",
                "-D",
                &data.to_string_lossy(),
                "-o",
                &options,
                "-l",
                &root.join("log").to_string_lossy(),
                "start",
            ]
            .map(str::to_owned);
            match run_quiet(
                cluster.runner.command(&cluster.pg_ctl, &args),
                &root,
                "pg_ctl start",
            ) {
                Ok(_) => {
                    cluster.port = port;
                    break;
                }
                Err(e) => {
                    let log = fs::read_to_string(root.join("log")).unwrap_or_default();
                    last_error = format!("{e}\nserver log:\n{log}");
                }
            }
        }
        if cluster.port == 0 {
            return Err(last_error);
        }
        if let Ok(mut live) = LIVE.lock() {
            live.push(Live {
                id: cluster.id,
                runner: cluster.runner.clone(),
                pg_ctl: cluster.pg_ctl.clone(),
                root: root.clone(),
            });
        }
        cluster.create_database(TEST_DATABASE)?;
        Ok(cluster)
    }

    /// The loopback port the cluster listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The folder of the cluster (its data, socket and log).
    pub fn dir(&self) -> &Path {
        self.dir.as_ref().map_or(Path::new("/"), |d| d.path())
    }

    /// The URL of `database` for the superuser `postgres` (trust authentication).
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// The URL of `ratecard_test`, for `RATECARD_TEST_POSTGRES_URL`.
    pub fn test_url(&self) -> String {
        self.url(TEST_DATABASE)
    }

    /// Creates an empty database and returns its URL.
    pub fn create_database(&self, name: &str) -> Result<String> {
        let port = self.port.to_string();
        let mut command = Command::new(&self.createdb);
        command.args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", name]);
        run_quiet(command, self.dir(), &format!("createdb {name}"))?;
        Ok(self.url(name))
    }

    /// Drops a database if it exists (with `psql`; a no-op without it).
    pub fn drop_database(&self, name: &str) -> Result<()> {
        let Some(psql) = &self.psql else {
            return Ok(());
        };
        let mut command = Command::new(psql);
        command
            .args(["-q", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(self.url("postgres"))
            .arg("-c")
            .arg(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        run_quiet(command, self.dir(), &format!("dropping database {name}")).map(|_| ())
    }

    /// Stops the server and deletes the folder, reporting a failure to stop.
    pub fn stop(mut self) -> Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<()> {
        let Some(dir) = self.dir.take() else {
            return Ok(());
        };
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|l| l.id != self.id);
        }
        let stopped = if self.port == 0 {
            Ok(())
        } else {
            Live {
                id: self.id,
                runner: self.runner.clone(),
                pg_ctl: self.pg_ctl.clone(),
                root: dir.path().to_path_buf(),
            }
            .stop()
        };
        let path = dir.path().to_path_buf();
        dir.close()
            .map_err(|e| format!("cannot delete {}: {e}", path.display()))?;
        stopped
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        if let Err(e) = self.shutdown() {
            eprintln!("xtask: stopping the PostgreSQL cluster: {e}");
        }
    }
}

/// `cargo xtask postgres`: a throwaway cluster for running the store tests by hand,
/// until Ctrl-C.
pub fn serve() -> Result<()> {
    let pg = crate::tools::ensure_postgres()?;
    crate::util::step(&format!(
        "starting a throwaway PostgreSQL cluster ({})",
        pg.version
    ));
    let cluster = TestCluster::start(&pg)?;
    let url = cluster.test_url();
    println!(
        "xtask: PostgreSQL is listening on 127.0.0.1:{} with the empty database {TEST_DATABASE} \
         (superuser postgres, no password; files in {})",
        cluster.port(),
        cluster.dir().display()
    );
    println!("xtask: run the store tests against it from another terminal:\n");
    println!("  export RATECARD_TEST_POSTGRES_URL={url}");
    println!("  RATECARD_REQUIRE_POSTGRES=1 cargo test -p ratecard-server\n");
    println!("xtask: or run the server on it:\n");
    println!("  cargo run -p ratecard-server -- --database {url}\n");
    println!("xtask: Ctrl-C stops the server and deletes its files");
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}
