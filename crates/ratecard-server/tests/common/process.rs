//! Starting the real binary on a loopback socket and reading its raw answers, for the
//! suites that speak to it.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Starts `ratecard-server` on 127.0.0.1:0 with `args` and `env`, and reads the address
/// it bound from its first line of output. The caller owns the child and kills it.
/// Unless `args` name a `--database`, the server stores into a SQLite file in the
/// returned temporary folder, which goes when the folder value is dropped.
///
/// # Panics
///
/// If the binary does not start, or does not print its address within 30 s (after
/// killing it).
pub fn spawn(args: &[&str], env: &[(&str, &str)]) -> (Child, SocketAddr, tempfile::TempDir) {
    let db = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_ratecard-server"));
    command.args(["--listen", "127.0.0.1:0"]);
    if !args.contains(&"--database") {
        command
            .arg("--database")
            .arg(format!("sqlite://{}/ratecard.db", db.path().display()));
    }
    let mut child = command
        .args(args)
        .envs(env.iter().copied())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(line) => line,
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server did not print its address");
        }
    };
    let addr = line
        .trim()
        .strip_prefix("ratecard-server listening on http://")
        .and_then(|a| a.parse().ok());
    let Some(addr) = addr else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("unexpected first line: {line:?}");
    };
    (child, addr, db)
}

/// The body of a `Transfer-Encoding: chunked` answer, its chunks joined: for the raw-socket
/// clients of `bad_input.rs`, which read answers to requests no HTTP library would send.
pub fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = body.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&body[..eol])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&body[start..start + size]);
        body = &body[start + size + 2..];
    }
    out
}
