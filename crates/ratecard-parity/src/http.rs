//! A loopback HTTP client (ureq), and a guard around a spawned server binary.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{LazyLock, mpsc};
use std::time::Duration;

use ureq::Agent;

/// The time limit of every request, from connecting to the last byte of the answer.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// One agent for every request, so connections are reused; a 4xx or 5xx is an answer,
/// not an error.
static AGENT: LazyLock<Agent> = LazyLock::new(|| {
    Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(TIMEOUT))
        .build()
        .into()
});

/// A status and a body.
#[derive(Debug)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: String,
}

/// POSTs a JSON body to `http://addr{path}`.
///
/// # Errors
///
/// Any transport error, a timeout, or a body that is not UTF-8.
pub fn post(addr: SocketAddr, path: &str, body: &str) -> Result<Response, ureq::Error> {
    let mut res = AGENT
        .post(format!("http://{addr}{path}"))
        .content_type("application/json")
        .send(body)?;
    Ok(Response {
        status: res.status().as_u16(),
        body: res.body_mut().read_to_string()?,
    })
}

/// The real server binary, killed when dropped.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// The folder of its account store, which parity never uses; removed when dropped.
    _store: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server binary: `RATECARD_SERVER_BIN`, else `<workspace>/target/debug/ratecard-server`.
#[must_use]
pub fn server_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("RATECARD_SERVER_BIN") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        PathBuf::from,
    );
    target.join("debug").join("ratecard-server")
}

impl Server {
    /// Starts `bin --listen 127.0.0.1:0` and reads its address from the first stdout line.
    ///
    /// # Errors
    ///
    /// A message naming the binary if it is missing, fails to start, or does not announce
    /// its address within 20 s.
    pub fn start(bin: &Path) -> Result<Server, String> {
        if !bin.is_file() {
            return Err(format!(
                "no server binary at {}: run `cargo build -p ratecard-server` or set RATECARD_SERVER_BIN",
                bin.display()
            ));
        }
        let store = tempfile::tempdir().map_err(|e| format!("no temporary folder: {e}"))?;
        let mut child = Command::new(bin)
            .args(["--listen", "127.0.0.1:0"])
            .arg("--database")
            .arg(format!("sqlite://{}/parity.db", store.path().display()))
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let first = lines.next().and_then(Result::ok);
            let _ = tx.send(first);
            // Keep draining so the server never blocks on a full pipe.
            for _ in lines {}
        });
        let line = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(Some(line)) => line,
            other => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the server did not announce its address: {other:?}"
                ));
            }
        };
        let addr = line
            .strip_prefix("ratecard-server listening on http://")
            .and_then(|a| a.trim().parse().ok());
        match addr {
            Some(addr) => Ok(Server {
                child,
                addr,
                _store: store,
            }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("unexpected first line from the server: {line:?}"))
            }
        }
    }
}

/// Compares the server's answer with the native one. `None` when they agree.
#[must_use]
pub fn compare(native: &str, res: &Response) -> Option<String> {
    if res.status == 200 {
        let theirs = crate::canonical(&res.body);
        let ours = crate::canonical(native);
        if theirs == ours {
            None
        } else {
            Some(crate::first_difference(&ours, &theirs))
        }
    } else if (400..500).contains(&res.status) {
        let ty = serde_json::from_str::<serde_json::Value>(&res.body)
            .ok()
            .and_then(|v| v["type"].as_str().map(str::to_owned))
            .unwrap_or_default();
        match native.strip_prefix("error:") {
            Some(code) if ty.ends_with(&format!("/{code}")) => None,
            _ => Some(format!(
                "native `{}` but the server answered {} {}",
                &native[..native.len().min(200)],
                res.status,
                res.body
            )),
        }
    } else {
        Some(format!("status {}: {}", res.status, res.body))
    }
}
