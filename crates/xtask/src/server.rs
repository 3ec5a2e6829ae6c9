//! Running `ratecard-server` as a child process: started with some flags, ready once it
//! prints `ratecard-server listening on http://ADDR`, killed when dropped.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::util::{Result, root};

/// How long a server may take to migrate its database and listen.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// A running server; killed on drop.
pub struct RunningServer {
    child: Child,
    /// `HOST:PORT`.
    pub addr: String,
}

impl RunningServer {
    /// Starts `bin` with `args` in the workspace root. With `echo`, the server's output
    /// goes to the terminal; without, it is discarded.
    pub fn start(bin: &Path, args: &[String], echo: bool) -> Result<RunningServer> {
        let mut child = Command::new(bin)
            .args(args)
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(if echo {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("the server has no stdout")?;
        let (tx, rx) = mpsc::channel::<String>();
        // Every line after the first is copied to the terminal or dropped, so the server
        // never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut found = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if !found
                    && let Some(addr) = line
                        .trim()
                        .strip_prefix("ratecard-server listening on http://")
                {
                    found = true;
                    let _ = tx.send(addr.to_owned());
                }
                if echo {
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(out, "{line}");
                }
            }
        });
        match rx.recv_timeout(START_TIMEOUT) {
            Ok(addr) => Ok(RunningServer { child, addr }),
            Err(_) => {
                let status = child.try_wait().ok().flatten();
                let _ = child.kill();
                let _ = child.wait();
                Err(match status {
                    Some(status) => format!("the server exited ({status}) before listening"),
                    None => format!(
                        "the server did not print its address within {} s",
                        START_TIMEOUT.as_secs()
                    ),
                })
            }
        }
    }

    /// Waits until the server exits; fails unless it exits 0.
    pub fn wait(mut self) -> Result<()> {
        let status = self
            .child
            .wait()
            .map_err(|e| format!("waiting for the server: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("ratecard-server failed ({status})"))
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
