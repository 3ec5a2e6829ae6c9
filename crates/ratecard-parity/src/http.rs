//! A minimal HTTP/1.1 client for loopback, and a guard around a spawned server binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Connect, read and write timeouts of every request.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// A status and a body.
#[derive(Debug)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The body, de-chunked.
    pub body: String,
}

/// POSTs a JSON body to `http://addr{path}` with `Connection: close`.
///
/// # Errors
///
/// Any I/O error, a timeout, or an unparsable answer.
pub fn post(addr: SocketAddr, path: &str, body: &str) -> std::io::Result<Response> {
    let mut s = TcpStream::connect_timeout(&addr, TIMEOUT)?;
    s.set_read_timeout(Some(TIMEOUT))?;
    s.set_write_timeout(Some(TIMEOUT))?;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes())?;
    s.write_all(body.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    parse(&raw).ok_or_else(|| {
        std::io::Error::other(format!(
            "unparsable answer: {}",
            String::from_utf8_lossy(&raw[..raw.len().min(300)])
        ))
    })
}

fn parse(raw: &[u8]) -> Option<Response> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut body = raw[split + 4..].to_vec();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let eol = rest.windows(2).position(|w| w == b"\r\n")?;
            let size_txt = std::str::from_utf8(&rest[..eol]).ok()?;
            let size = usize::from_str_radix(size_txt.split(';').next()?.trim(), 16).ok()?;
            rest = &rest[eol + 2..];
            if size == 0 {
                break;
            }
            out.extend_from_slice(rest.get(..size)?);
            rest = rest.get(size + 2..)?;
        }
        body = out;
    }
    Some(Response {
        status,
        body: String::from_utf8(body).ok()?,
    })
}

/// The real server binary, killed when dropped.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
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
        let mut child = Command::new(bin)
            .args(["--listen", "127.0.0.1:0"])
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
            Some(addr) => Ok(Server { child, addr }),
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
