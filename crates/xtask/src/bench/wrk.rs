//! wrk, the load generator of the server and store rows: installing it, running it and
//! reading what it prints.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use ratecard_bench::Stats;

use super::Plan;
use crate::util::{Result, cmd, step};

/// wrk's settings for two cores: two threads, 32 connections.
pub(super) const THREADS: &str = "2";
pub(super) const CONNECTIONS: &str = "32";
/// A request slower than this counts as a timeout.
pub(super) const TIMEOUT: &str = "2s";

/// Installs wrk from Debian's packages when it is missing.
pub(super) fn ensure() -> Result<()> {
    if cmd("wrk").arg("-v").output_ok().is_some() || on_path("wrk") {
        return Ok(());
    }
    let is_root = cmd("id")
        .arg("-u")
        .output_ok()
        .is_some_and(|uid| uid.trim() == "0");
    if !is_root {
        return Err("missing wrk; install it with: sudo apt-get install -y wrk".to_owned());
    }
    step("installing Debian packages: wrk");
    cmd("apt-get")
        .args(["update", "-qq"])
        .status_ok("apt-get update")?;
    cmd("apt-get")
        .args(["install", "-y", "-qq", "wrk"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status_ok("apt-get install wrk")
}

fn on_path(command: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(command).is_file()))
}

/// wrk's version line. `wrk -v` prints it but exits non-zero, so its status is not checked.
pub(super) fn version() -> String {
    cmd("wrk")
        .arg("-v")
        .capture("wrk -v")
        .ok()
        .and_then(|(_, out)| {
            out.lines()
                .next()
                .map(|l| l.split(" Copyright").next().unwrap_or(l).trim().to_owned())
        })
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "wrk".to_owned())
}

/// Writes the Lua script that makes wrk POST `body` as JSON.
pub(super) fn script(work: &Path, name: &str, body: &str) -> Result<PathBuf> {
    let path = work.join(format!("wrk-{name}.lua"));
    let escaped = body.replace('\\', "\\\\").replace('\'', "\\'");
    let script = format!(
        "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = '{escaped}'\n"
    );
    fs::write(&path, script).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// What wrk loads: a route of a server, with an extra header or a Lua script.
pub(super) struct Target<'a> {
    /// `HOST:PORT`.
    pub(super) addr: &'a str,
    pub(super) route: &'a str,
    /// A request header, such as `Authorization: Bearer …`.
    pub(super) header: Option<&'a str>,
    /// A script of [`script`], for a POST.
    pub(super) script: Option<&'a Path>,
}

impl Target<'_> {
    fn args(&self, seconds: u32) -> Vec<OsString> {
        let mut args: Vec<OsString> = ["-t", THREADS, "-c", CONNECTIONS, "--timeout", TIMEOUT]
            .map(OsString::from)
            .into();
        args.push(format!("-d{seconds}s").into());
        args.push("--latency".into());
        if let Some(header) = self.header {
            args.extend(["-H".into(), header.into()]);
        }
        if let Some(script) = self.script {
            args.extend(["-s".into(), script.into()]);
        }
        args.push(format!("http://{}{}", self.addr, self.route).into());
        args
    }

    /// One run of `seconds`.
    pub(super) fn run(&self, seconds: u32) -> Result<Run> {
        let (status, text) = cmd("wrk").args(self.args(seconds)).capture("wrk")?;
        if !status.success() {
            return Err(format!("wrk failed ({status}):\n{text}"));
        }
        parse(&text).map_err(|e| format!("{e}:\n{text}"))
    }

    /// One run of `seconds` in the background; [`finish`] reads it.
    pub(super) fn spawn(&self, seconds: u32) -> Result<Child> {
        Command::new("wrk")
            .args(self.args(seconds))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start wrk: {e}"))
    }
}

/// Waits for a run of [`Target::spawn`] and reads it.
pub(super) fn finish(child: Child) -> Result<Run> {
    let output = child
        .wait_with_output()
        .map_err(|e| format!("wrk failed: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    parse(&text).map_err(|e| format!("{e}:\n{text}"))
}

/// `plan.rounds` rounds of `plan.round_seconds` on each of two targets, `a` then `b`
/// in each round, so that drift in the machine touches both alike; each round's figures
/// are printed under the targets' names.
pub(super) fn rounds(
    plan: &Plan,
    (a_name, a): (&str, &Target<'_>),
    (b_name, b): (&str, &Target<'_>),
) -> Result<(Vec<Run>, Vec<Run>)> {
    let (mut a_runs, mut b_runs) = (Vec::new(), Vec::new());
    for round in 1..=plan.rounds {
        let a_run = a.run(plan.round_seconds)?;
        let b_run = b.run(plan.round_seconds)?;
        println!(
            "xtask: round {round}: {a_name} {:.0} req/s (p99 {:.2} ms), {b_name} {:.0} req/s (p99 {:.2} ms)",
            a_run.requests_per_second, a_run.p99_ms, b_run.requests_per_second, b_run.p99_ms
        );
        a_runs.push(a_run);
        b_runs.push(b_run);
    }
    Ok((a_runs, b_runs))
}

/// What wrk reported for one run.
pub(super) struct Run {
    pub(super) requests_per_second: f64,
    pub(super) p99_ms: f64,
    pub(super) requests: f64,
    pub(super) non_2xx: f64,
    pub(super) socket_errors: f64,
    pub(super) timeouts: f64,
}

/// Requests per second over some runs.
pub(super) fn rps(runs: &[Run]) -> Option<Stats> {
    Stats::of(
        &runs
            .iter()
            .map(|r| r.requests_per_second)
            .collect::<Vec<_>>(),
    )
}

/// The p99 latency of each of some runs, in ms.
pub(super) fn p99(runs: &[Run]) -> Option<Stats> {
    Stats::of(&runs.iter().map(|r| r.p99_ms).collect::<Vec<_>>())
}

/// Non-2xx answers, socket errors and timeouts, over some runs.
pub(super) fn errors(runs: &[Run]) -> f64 {
    runs.iter()
        .map(|r| r.non_2xx + r.socket_errors + r.timeouts)
        .sum()
}

/// A wrk duration such as `1.23ms`, `850.00us` or `2.01s`, in ms.
fn duration_ms(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    match unit {
        "us" => Some(number / 1000.0),
        "ms" => Some(number),
        "s" => Some(number * 1000.0),
        "m" => Some(number * 60_000.0),
        _ => None,
    }
}

fn parse(output: &str) -> Result<Run> {
    let after = |prefix: &str| -> Option<&str> {
        output
            .lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(str::trim))
    };
    let requests_per_second = after("Requests/sec:")
        .and_then(|v| v.parse::<f64>().ok())
        .ok_or("wrk printed no Requests/sec")?;
    let p99_ms = after("99%")
        .and_then(duration_ms)
        .ok_or("wrk printed no 99% latency")?;
    let requests = output
        .lines()
        .find(|l| l.contains(" requests in "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .ok_or("wrk printed no request count")?;
    let non_2xx = after("Non-2xx or 3xx responses:")
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    let (mut socket_errors, mut timeouts) = (0.0, 0.0);
    if let Some(errors) = after("Socket errors:") {
        for part in errors.split(',') {
            let mut words = part.split_whitespace();
            let (Some(kind), Some(n)) = (
                words.next(),
                words.next().and_then(|n| n.parse::<f64>().ok()),
            ) else {
                continue;
            };
            if kind == "timeout" {
                timeouts += n;
            } else {
                socket_errors += n;
            }
        }
    }
    Ok(Run {
        requests_per_second,
        p99_ms,
        requests,
        non_2xx,
        socket_errors,
        timeouts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "Running 2s test @ http://127.0.0.1:40000/api/v1/echo
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.10ms  800.00us  12.00ms   80.00%
    Req/Sec    14.70k     1.00k   16.00k    70.00%
  Latency Distribution
     50%  850.00us
     75%    1.20ms
     90%    1.90ms
     99%    5.10ms
  58810 requests in 2.00s, 20.00MB read
  Socket errors: connect 0, read 2, write 1, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:  29405.00
Transfer/sec:     10.00MB
";

    #[test]
    fn output_is_parsed() {
        let run = parse(OUTPUT).expect("parses");
        assert_eq!(run.requests_per_second, 29405.0);
        assert_eq!(run.p99_ms, 5.1);
        assert_eq!(run.requests, 58810.0);
        assert_eq!(run.non_2xx, 4.0);
        assert_eq!(run.socket_errors, 3.0);
        assert_eq!(run.timeouts, 3.0);
        assert_eq!(errors(&[run]), 10.0);
    }

    #[test]
    fn durations_become_milliseconds() {
        assert_eq!(duration_ms("850.00us"), Some(0.85));
        assert_eq!(duration_ms("2.00s"), Some(2000.0));
        assert_eq!(duration_ms("1.5ms"), Some(1.5));
        assert_eq!(duration_ms("7parsecs"), None);
    }

    #[test]
    fn targets_become_arguments() {
        let target = Target {
            addr: "127.0.0.1:1",
            route: "/r",
            header: Some("Authorization: Bearer k"),
            script: Some(Path::new("/tmp/s.lua")),
        };
        let args: Vec<String> = target
            .args(3)
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            args,
            [
                "-t",
                "2",
                "-c",
                "32",
                "--timeout",
                "2s",
                "-d3s",
                "--latency",
                "-H",
                "Authorization: Bearer k",
                "-s",
                "/tmp/s.lua",
                "http://127.0.0.1:1/r"
            ]
        );
    }
}
