//! Small helpers for running commands.

use std::env;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

/// Every failure is a message for the person at the terminal.
pub type Result<T> = std::result::Result<T, String>;

/// The workspace root.
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .map_or(manifest.clone(), Path::to_path_buf)
}

/// The Cargo target directory.
pub fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// Prints a step heading.
pub fn step(what: &str) {
    println!("\nxtask: ==> {what}");
}

/// A command that runs in the workspace root.
pub fn cmd(program: impl AsRef<OsStr>) -> Cmd {
    let mut command = Command::new(program);
    command.current_dir(root());
    Cmd(command)
}

/// A `Command` with the few conveniences xtask needs.
pub struct Cmd(Command);

impl Cmd {
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Cmd {
        self.0.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.0.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Cmd {
        self.0.env(key, value);
        self
    }

    /// Runs the command in `dir` instead of the workspace root.
    pub fn dir(mut self, dir: impl AsRef<Path>) -> Cmd {
        self.0.current_dir(dir);
        self
    }

    /// Puts `dirs` in front of `PATH`.
    pub fn path_prepend(mut self, dirs: &[PathBuf]) -> Cmd {
        let mut paths: Vec<PathBuf> = dirs.to_vec();
        if let Some(path) = env::var_os("PATH") {
            paths.extend(env::split_paths(&path));
        }
        if let Ok(joined) = env::join_paths(paths) {
            self.0.env("PATH", joined);
        }
        self
    }

    /// Runs the command with inherited output and fails unless it exits 0.
    pub fn status_ok(mut self, what: &str) -> Result<()> {
        let status = self
            .0
            .status()
            .map_err(|e| format!("{what}: cannot start {:?}: {e}", self.0.get_program()))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{what} failed ({status})"))
        }
    }

    /// Runs the command with standard error on the terminal and returns its exit status
    /// and its standard output, whatever the status.
    pub fn capture(mut self, what: &str) -> Result<(ExitStatus, String)> {
        let output = self
            .0
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("{what}: cannot start {:?}: {e}", self.0.get_program()))?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        Ok((output.status, stdout))
    }

    /// Runs the command quietly and returns its standard output if it exits 0.
    pub fn output_ok(mut self) -> Option<String> {
        let output = self.0.stderr(Stdio::null()).output().ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }
}
