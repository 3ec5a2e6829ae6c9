//! The server rows: the release server under wrk on loopback, the upgrade preview against
//! the no-op `POST /api/v1/echo`, then a run at saturation for errors, timeouts and memory.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use ratecard_bench::Stats;

use super::report::{Budget, Row};
use super::wrk::{self, CONNECTIONS, THREADS, TIMEOUT, Target};
use super::{Plan, ratio};
use crate::http::Client;
use crate::util::{Result, step};

/// The upgrade preview the server benchmark posts (the upgrade example of `API.md`).
const PREVIEW_ROUTE: &str = "/api/v1/previews/upgrade";
const ECHO_ROUTE: &str = "/api/v1/echo";
const PREVIEW_BODY: &str = r#"{"catalogue":"stable-audio","subscription":{"plan":"pro","started_at":"2026-01-31T09:00:00Z","time_zone":"Europe/London"},"to_plan":"max","at":"2026-02-10T09:00:00Z","tax_rate_bp":2000}"#;

/// The running release server, whose memory is read from `/proc`.
struct Server {
    child: Child,
    addr: String,
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start(bin: &Path) -> Result<Server> {
        let mut child = Command::new(bin)
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("the server has no stdout")?;
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let read = reader.read_line(&mut line);
        let addr = line
            .trim()
            .strip_prefix("ratecard-server listening on http://")
            .map(str::to_owned);
        match (read, addr) {
            (Ok(_), Some(addr)) => Ok(Server {
                child,
                addr,
                _stdout: reader,
            }),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("the server's first line was {line:?}"))
            }
        }
    }

    /// Resident memory in MB, from `/proc/<pid>/status`.
    fn rss_mb(&self) -> Result<f64> {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .map_err(|e| format!("cannot read the server's /proc status: {e}"))?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .ok_or_else(|| "no VmRSS in the server's /proc status".to_owned())
    }

    /// `samples` readings of [`Server::rss_mb`], `pause` apart.
    fn rss_readings(&self, samples: usize, pause: Duration) -> Result<Vec<f64>> {
        let mut readings = Vec::with_capacity(samples);
        for _ in 0..samples {
            readings.push(self.rss_mb()?);
            sleep(pause);
        }
        Ok(readings)
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The preview against the echo route, then the saturation run with memory readings.
pub(super) fn rows(plan: &Plan, server_bin: &Path, work: &Path) -> Result<Vec<Row>> {
    let server = Server::start(server_bin)?;
    let result = runs(plan, &server, work);
    server.stop();
    result
}

fn runs(plan: &Plan, server: &Server, work: &Path) -> Result<Vec<Row>> {
    // Both routes must answer 200 before anything is timed. The client, and so its
    // connection, is gone before the first memory reading.
    {
        let client = Client::new(&server.addr);
        for route in [PREVIEW_ROUTE, ECHO_ROUTE] {
            let answer = client
                .post(route, PREVIEW_BODY)?
                .expect(&format!("POST {route}"), &[200])?;
            if route == PREVIEW_ROUTE && !answer.body.contains("\"due_now\"") {
                return Err(format!("POST {route} has no due_now: {}", answer.body));
            }
        }
    }
    sleep(Duration::from_secs(1));
    let idle = server.rss_readings(3, Duration::from_millis(500))?;
    let preview_script = wrk::script(work, "preview", PREVIEW_BODY)?;
    let echo_script = wrk::script(work, "echo", PREVIEW_BODY)?;
    let preview = Target {
        addr: &server.addr,
        route: PREVIEW_ROUTE,
        header: None,
        script: Some(&preview_script),
    };
    let echo = Target {
        addr: &server.addr,
        route: ECHO_ROUTE,
        header: None,
        script: Some(&echo_script),
    };

    step(&format!(
        "server: {} rounds of {} s per route (wrk -t{THREADS} -c{CONNECTIONS})",
        plan.rounds, plan.round_seconds
    ));
    let (echo_runs, preview_runs) = wrk::rounds(plan, ("echo", &echo), ("preview", &preview))?;
    let compare_errors = wrk::errors(&echo_runs) + wrk::errors(&preview_runs);

    step(&format!(
        "server: {} s at saturation on the preview route, memory before, during and after",
        plan.load_seconds
    ));
    let mut child = preview.spawn(plan.load_seconds)?;
    let load_started = Instant::now();
    let mut during: Vec<(f64, f64)> = Vec::new();
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        during.push((load_started.elapsed().as_secs_f64(), server.rss_mb()?));
        sleep(Duration::from_millis(250));
    }
    let load = wrk::finish(child)?;
    // "After the full load": the readings of the run's last 5 seconds (its whole length in
    // a smoke run).
    let tail_from = f64::from(plan.load_seconds.saturating_sub(5));
    let at_end: Vec<f64> = during
        .iter()
        .filter(|(t, _)| *t >= tail_from)
        .map(|(_, rss)| *rss)
        .collect();
    sleep(Duration::from_secs(u64::from(plan.settle_seconds)));
    let settled = server.rss_readings(3, Duration::from_millis(300))?;
    let idle_stats = Stats::of(&idle);
    let end_stats = Stats::of(&at_end);
    let settled_stats = Stats::of(&settled);
    let secs = plan.round_seconds * plan.rounds;
    Ok(vec![
        Row::new(
            format!("server floor: echo (no-op), {secs} s"),
            "req/s",
            wrk::rps(&echo_runs),
        )
        .note("the floor; median over rounds"),
        Row::new(
            format!("server: upgrade preview, {secs} s"),
            "req/s",
            wrk::rps(&preview_runs),
        ),
        Row::new(
            "server: preview / echo, req/s",
            "×",
            ratio(wrk::rps(&preview_runs), wrk::rps(&echo_runs)),
        )
        .budget(Budget::AtLeast(0.7), "≥ 0.7 ×"),
        Row::new("server: upgrade preview p99", "ms", wrk::p99(&preview_runs))
            .budget(Budget::AtMost(5.0), "≤ 5 ms"),
        Row::new("server floor: echo p99", "ms", wrk::p99(&echo_runs)),
        Row::new(
            "server: errors in the comparison runs",
            "",
            Some(Stats::one(compare_errors)),
        )
        .budget(Budget::AtMost(0.0), "0"),
        Row::new(
            format!("load {} s: requests", plan.load_seconds),
            "",
            Some(Stats::one(load.requests)),
        )
        .note(format!(
            "{:.0} req/s on the preview route",
            load.requests_per_second
        )),
        Row::new(
            format!("load {} s: errors (non-2xx + socket)", plan.load_seconds),
            "",
            Some(Stats::one(load.non_2xx + load.socket_errors)),
        )
        .budget(Budget::AtMost(0.0), "0"),
        Row::new(
            format!("load {} s: timeouts (> {TIMEOUT})", plan.load_seconds),
            "",
            Some(Stats::one(load.timeouts)),
        )
        .budget(Budget::AtMost(0.0), "0"),
        Row::new("memory floor: RSS at idle", "MB", idle_stats).note("before any load"),
        Row::new("memory: RSS at the end of the load", "MB", end_stats)
            .note("readings in the load's last 5 s"),
        Row::new(
            "memory: RSS after load / at idle",
            "×",
            ratio(end_stats, idle_stats),
        )
        .budget(Budget::AtMost(1.5), "≤ 1.5 ×"),
        Row::new(
            format!("memory: RSS {} s after the load", plan.settle_seconds),
            "MB",
            settled_stats,
        ),
        Row::new(
            "memory: flat afterwards (after / end of load)",
            "×",
            ratio(settled_stats, end_stats),
        )
        .budget(Budget::AtMost(1.05), "≤ 1.05 ×"),
    ])
}

/// The paragraph of `BENCHMARKS.md` that says how the server rows are taken.
pub(super) fn how(plan: &Plan) -> String {
    format!(
        "- **Server**: wrk on loopback against the release server, the echo and preview \
         routes interleaved, {} rounds of {} s each; then {} s at saturation on the preview \
         route, with RSS from `/proc/<pid>/status` before, during and {} s after.",
        plan.rounds, plan.round_seconds, plan.load_seconds, plan.settle_seconds
    )
}
