//! `cargo xtask bench`: measures the widget and the server against floors built in the
//! same run, checks each figure against its budget and writes `BENCHMARKS.md`.
//!
//! The figures, each beside its floor:
//! * the widget payload of a pricing page (`ratecard.js` and the tier table's Wasm
//!   bundle, raw, gzip -9 and brotli) against a bare Leptos counter (`benches/counter/`)
//!   built with the same profile and tools, and the size of each bundle loaded on demand;
//! * the first render of the tier table in headless Chromium, 20 cold loads, against a
//!   static HTML copy of the same table (`tests/bench/`);
//! * three calculations natively (criterion) and in wasm32 in Chromium
//!   (`crates/ratecard-bench`);
//! * input to repaint in the checkout view (`tests/bench/`);
//! * the server under wrk on loopback: the upgrade preview against the no-op
//!   `POST /api/v1/echo`, then 60 s at saturation for errors, timeouts and memory;
//! * the account store on SQLite and on PostgreSQL: ingestion in events per second, and an
//!   account's ledger read from the store against the same events posted (`bench/store.rs`).
//!
//! `--smoke` runs every part briefly to prove the harness works end to end; it never fails
//! on a budget and writes its table to `target/bench/BENCHMARKS.md`, not the committed one.

#![allow(clippy::float_arithmetic)]

mod store;

use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::postgres::TestCluster;
use crate::tools::{self, Browser, Tools};
use crate::util::{Result, cmd, root, step, target_dir};
use crate::widget;

/// The upgrade preview the server benchmark posts (the upgrade example of `API.md`).
const PREVIEW_ROUTE: &str = "/api/v1/previews/upgrade";
const ECHO_ROUTE: &str = "/api/v1/echo";
const PREVIEW_BODY: &str = r#"{"catalogue":"stable-audio","subscription":{"plan":"pro","started_at":"2026-01-31T09:00:00Z","time_zone":"Europe/London"},"to_plan":"max","at":"2026-02-10T09:00:00Z","tax_rate_bp":2000}"#;
/// The calculations of `crates/ratecard-bench`, by the names its two benchmarks report.
const CALCULATIONS: [(&str, &str); 3] = [
    ("upgrade_preview", "upgrade preview"),
    ("quota_1000_events", "quota over 1,000 events"),
    ("ledger_one_year", "one-year support ledger"),
];
/// wrk's settings for two cores: two threads, 32 connections.
const WRK_THREADS: &str = "2";
const WRK_CONNECTIONS: &str = "32";
/// A request slower than this counts as a timeout.
const WRK_TIMEOUT: &str = "2s";
/// One kilobyte, as the budgets count it.
const KB: f64 = 1000.0;

/// How long and how often each part runs.
struct Plan {
    smoke: bool,
    /// Cold loads of each page for the first render.
    loads: u32,
    /// Plan changes for input to repaint.
    repaints: u32,
    /// Rounds of the server comparison, each route once a round.
    rounds: u32,
    /// Seconds of each route in each round.
    round_seconds: u32,
    /// Seconds of the saturation run.
    load_seconds: u32,
    /// Seconds to wait after it before the last memory reading.
    settle_seconds: u32,
}

impl Plan {
    fn new(smoke: bool) -> Plan {
        if smoke {
            Plan {
                smoke,
                loads: 1,
                repaints: 4,
                rounds: 1,
                round_seconds: 2,
                load_seconds: 2,
                settle_seconds: 1,
            }
        } else {
            // Three rounds of 10 s make the 30 s per route, interleaved so that drift in
            // the machine touches both routes alike.
            Plan {
                smoke,
                loads: 20,
                repaints: 30,
                rounds: 3,
                round_seconds: 10,
                load_seconds: 60,
                settle_seconds: 10,
            }
        }
    }
}

/// The median, minimum and maximum of some samples.
#[derive(Clone, Copy)]
struct Stats {
    median: f64,
    min: f64,
    max: f64,
    count: usize,
}

impl Stats {
    fn of(samples: &[f64]) -> Option<Stats> {
        let mut sorted: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Stats {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            count: n,
        })
    }

    fn one(value: f64) -> Stats {
        Stats {
            median: value,
            min: value,
            max: value,
            count: 1,
        }
    }
}

/// How a budget judges a figure's median.
#[derive(Clone, Copy)]
enum Budget {
    /// A floor or a figure without a budget of its own.
    None,
    AtMost(f64),
    AtLeast(f64),
}

/// One line of the table.
struct Row {
    figure: String,
    unit: &'static str,
    stats: Option<Stats>,
    budget: Budget,
    budget_text: String,
    note: String,
}

impl Row {
    fn new(figure: impl Into<String>, unit: &'static str, stats: Option<Stats>) -> Row {
        Row {
            figure: figure.into(),
            unit,
            stats,
            budget: Budget::None,
            budget_text: String::new(),
            note: String::new(),
        }
    }

    fn budget(mut self, budget: Budget, text: impl Into<String>) -> Row {
        self.budget = budget;
        self.budget_text = text.into();
        self
    }

    fn note(mut self, note: impl Into<String>) -> Row {
        self.note = note.into();
        self
    }

    /// A row for a part that could not be measured: it fails its budget.
    fn missing(figure: impl Into<String>, budget_text: &str, why: &str) -> Row {
        Row::new(figure, "", None)
            .budget(Budget::AtMost(f64::NAN), budget_text)
            .note(format!("not measured: {why}"))
    }

    /// `Some(true)` for PASS, `Some(false)` for FAIL, `None` without a budget.
    fn verdict(&self) -> Option<bool> {
        let median = self.stats.map(|s| s.median);
        match self.budget {
            Budget::None => None,
            Budget::AtMost(limit) => Some(median.is_some_and(|m| m <= limit)),
            Budget::AtLeast(limit) => Some(median.is_some_and(|m| m >= limit)),
        }
    }

    fn result_text(&self) -> &'static str {
        match self.verdict() {
            None => "",
            Some(true) => "PASS",
            Some(false) => "FAIL",
        }
    }
}

fn value_text(value: f64, unit: &str) -> String {
    match unit {
        "B" => format!("{:.1} KB", value / KB),
        "×" => format!("{value:.2} ×"),
        "ms" if value < 10.0 => format!("{value:.2} ms"),
        "ms" => format!("{value:.1} ms"),
        "µs" => format!("{value:.2} µs"),
        "req/s" => format!("{value:.0} req/s"),
        "events/s" => format!("{value:.0} events/s"),
        "MB" => format!("{value:.1} MB"),
        "" => format!("{value:.0}"),
        other => format!("{value} {other}"),
    }
}

/// Runs `cargo xtask bench [--smoke]`, on `cluster` for the PostgreSQL rows when given
/// (`cargo xtask test` lends its own), else on a throwaway cluster of its own.
pub fn run(args: &[String], cluster: Option<&TestCluster>) -> Result<()> {
    let smoke = match args {
        [] => false,
        [flag] if flag == "--smoke" => true,
        _ => return Err(format!("`bench` takes only --smoke, not {args:?}")),
    };
    let started = Instant::now();
    let plan = Plan::new(smoke);
    let work = target_dir().join("bench");
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;

    let tools = tools::ensure_build_tools()?;
    let browser = tools::ensure_browser()?;
    ensure_wrk()?;
    let dist = widget::build(&tools)?;
    step("building the server (release)");
    cmd("cargo")
        .args(["build", "--release", "--package", "ratecard-server"])
        .status_ok("cargo build --release ratecard-server")?;
    let server_bin = target_dir().join("release").join("ratecard-server");

    let mut rows = Vec::new();
    rows.extend(part("payload", payload(&tools, &dist, &work)));
    rows.extend(part(
        "browser",
        browser_bench(&plan, &browser, &server_bin, &dist, &work),
    ));
    rows.extend(part(
        "calculations",
        calculations(&plan, &tools, &browser, &work),
    ));
    rows.extend(part("server", server_bench(&plan, &server_bin, &work)));
    rows.extend(store::rows(&plan, &server_bin, &work, cluster));

    let report = report(&plan, &rows, &browser, started.elapsed());
    let out = if smoke {
        work.join("BENCHMARKS.md")
    } else {
        root().join("BENCHMARKS.md")
    };
    fs::write(&out, &report).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    print_rows(&rows);
    println!(
        "xtask: bench took {:.0} s; the table is in {}",
        started.elapsed().as_secs_f64(),
        out.display()
    );
    let failed = rows.iter().filter(|r| r.verdict() == Some(false)).count();
    if smoke {
        let unmeasured: Vec<&str> = rows
            .iter()
            .filter(|r| r.stats.is_none())
            .map(|r| r.figure.as_str())
            .collect();
        if !unmeasured.is_empty() {
            return Err(format!(
                "the bench smoke run measured nothing for: {}",
                unmeasured.join(", ")
            ));
        }
        println!("xtask: bench smoke run complete (budgets are not checked in smoke mode)");
        Ok(())
    } else if failed > 0 {
        Err(format!(
            "{failed} benchmark budgets FAIL (see BENCHMARKS.md)"
        ))
    } else {
        println!("xtask: every benchmark budget passes");
        Ok(())
    }
}

/// The rows of one part, or one failing row saying why the part could not run.
fn part(name: &str, rows: Result<Vec<Row>>) -> Vec<Row> {
    match rows {
        Ok(rows) => rows,
        Err(e) => {
            eprintln!("xtask: bench: the {name} part failed: {e}");
            vec![Row::missing(name, "runs", &e)]
        }
    }
}

/// Installs wrk from Debian's packages when it is missing.
fn ensure_wrk() -> Result<()> {
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

/// Raw, gzip -9 and brotli bytes of some files together.
fn sizes(files: &[PathBuf]) -> Result<[f64; 3]> {
    let mut total = [0usize; 3];
    for file in files {
        let raw = fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        total[0] += raw.len();
        total[1] += widget::gzip_bytes(&raw)?.len();
        total[2] += widget::brotli_bytes(&raw)?.len();
    }
    Ok(total.map(|n| n as f64))
}

/// The files of `dir` whose names satisfy `keep`, sorted.
fn files_in(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(&keep))
        .collect();
    files.sort();
    Ok(files)
}

/// The widget payload against the counter's.
fn payload(tools: &Tools, dist: &Path, work: &Path) -> Result<Vec<Row>> {
    step("payload: building the floor, a bare Leptos counter (benches/counter)");
    let counter = root().join("benches").join("counter");
    let counter_dist = work.join("counter-dist");
    run_in(
        Command::new("cargo")
            .args(["fetch", "--manifest-path"])
            .arg(counter.join("Cargo.toml")),
        &counter,
        "cargo fetch (counter)",
    )?;
    let mut trunk = Command::new("trunk");
    trunk
        .args(["build", "--release", "--dist"])
        .arg(&counter_dist)
        .env("CARGO_TARGET_DIR", target_dir());
    prepend_path(&mut trunk, &tools.bin_dirs);
    run_in(&mut trunk, &counter, "trunk build --release (counter)")?;

    // Everything the embed downloads on a page of one view: the loader (with every
    // bundle's glue and the styles inside) and the Wasm bundle of that view. Anything
    // else in dist/ belongs to the demo pages.
    let counter_files = files_in(&counter_dist, |name| {
        name.ends_with(".js") || name.ends_with(".wasm") || name.ends_with(".css")
    })?;
    if !counter_files
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "wasm"))
    {
        return Err("the counter build has no .wasm file".to_owned());
    }
    let names = |files: &[PathBuf]| {
        files
            .iter()
            .filter_map(|f| f.file_name().and_then(|n| n.to_str()).map(str::to_owned))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let floor = sizes(&counter_files)?;
    let mut rows = Vec::new();
    // The embed as integrators paste it (`embed-snippet.html`): a tier table of a
    // built-in catalogue, which downloads the first bundle. The others are fetched only by
    // pages that need them (another view, or a catalogue from a URL or the server), and
    // are reported beside it without a budget.
    for (index, bundle) in crate::widget::BUNDLES.iter().enumerate() {
        let prefix = format!("ratecard-{}-", bundle.name);
        let files = files_in(dist, |name| {
            name == "ratecard.js" || (name.starts_with(&prefix) && name.ends_with("_bg.wasm"))
        })?;
        if files.len() != 2 {
            return Err(format!(
                "dist/ should hold ratecard.js and one {prefix}<hash>_bg.wasm, found: {}",
                names(&files)
            ));
        }
        let view = sizes(&files)?;
        if index == 0 {
            rows.push(
                Row::new("payload: widget, raw", "B", Some(Stats::one(view[0]))).note(format!(
                    "a pricing page, built-in catalogue: {}",
                    names(&files)
                )),
            );
            rows.push(Row::new(
                "payload: widget, gzip -9",
                "B",
                Some(Stats::one(view[1])),
            ));
            rows.push(
                Row::new("payload: widget, brotli", "B", Some(Stats::one(view[2])))
                    .budget(Budget::AtMost(100.0 * KB), "≤ 100 KB"),
            );
            rows.push(
                Row::new(
                    "payload: widget / counter, brotli",
                    "×",
                    Some(Stats::one(view[2] / floor[2])),
                )
                .budget(Budget::AtMost(3.0), "≤ 3 ×"),
            );
        } else {
            rows.push(
                Row::new(
                    format!("payload when needed: the {} bundle, brotli", bundle.name),
                    "B",
                    Some(Stats::one(view[2])),
                )
                .note(format!(
                    "{} instead of the first bundle; raw {:.0} B, gzip -9 {:.0} B",
                    names(&files),
                    view[0],
                    view[1]
                )),
            );
        }
    }
    rows.extend([
        Row::new(
            "payload floor: counter, raw",
            "B",
            Some(Stats::one(floor[0])),
        )
        .note(names(&counter_files)),
        Row::new(
            "payload floor: counter, gzip -9",
            "B",
            Some(Stats::one(floor[1])),
        ),
        Row::new(
            "payload floor: counter, brotli",
            "B",
            Some(Stats::one(floor[2])),
        ),
    ]);
    Ok(rows)
}

/// Runs a command in `dir` with inherited output.
fn run_in(command: &mut Command, dir: &Path, what: &str) -> Result<()> {
    let status = command
        .current_dir(dir)
        .status()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

fn prepend_path(command: &mut Command, dirs: &[PathBuf]) {
    let mut paths: Vec<PathBuf> = dirs.to_vec();
    if let Some(path) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&path));
    }
    if let Ok(joined) = std::env::join_paths(paths) {
        command.env("PATH", joined);
    }
}

/// First render and input to repaint, measured by `tests/bench` in headless Chromium.
fn browser_bench(
    plan: &Plan,
    browser: &Browser,
    server_bin: &Path,
    dist: &Path,
    work: &Path,
) -> Result<Vec<Row>> {
    step(&format!(
        "browser: first render ({} cold loads a page) and input to repaint",
        plan.loads
    ));
    // The benchmark adds its pages to a copy of the build, never to dist/ itself.
    let site = work.join("site");
    if site.exists() {
        fs::remove_dir_all(&site).map_err(|e| format!("cannot clear {}: {e}", site.display()))?;
    }
    copy_dir(dist, &site)?;
    let samples_file = work.join("browser-samples.txt");
    let _ = fs::remove_file(&samples_file);
    cmd("cargo")
        .args([
            "test",
            "--package",
            "ratecard",
            "--features",
            "bench",
            "--test",
            "bench",
        ])
        .env("RATECARD_SERVER_BIN", server_bin)
        .env("RATECARD_DIST", &site)
        .env("RATECARD_BENCH_OUT", &samples_file)
        .env("RATECARD_BENCH_LOADS", plan.loads.to_string())
        .env("RATECARD_BENCH_REPAINTS", plan.repaints.to_string())
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env("CHROMIUM", &browser.chromium)
        // The server's per-request log lines would drown the benchmark's own output.
        .env("RUST_LOG", "warn")
        .status_ok("the browser benchmarks (tests/bench)")?;
    let text = fs::read_to_string(&samples_file)
        .map_err(|e| format!("cannot read {}: {e}", samples_file.display()))?;
    let series = |name: &str| -> Vec<f64> {
        text.lines()
            .filter_map(|line| line.split_once(' '))
            .filter(|(key, _)| *key == name)
            .filter_map(|(_, value)| value.trim().parse::<f64>().ok())
            .collect()
    };
    let widget = series("first_render_widget_ms");
    let floor = series("first_render_static_ms");
    let ratios: Vec<f64> = widget.iter().zip(&floor).map(|(w, s)| w / s).collect();
    let repaint = series("input_to_repaint_ms");
    Ok(vec![
        Row::new("first render: widget", "ms", Stats::of(&widget))
            .note("navigation start to `ratecard:tiers-painted`, fresh session per load"),
        Row::new(
            "first render floor: static HTML table",
            "ms",
            Stats::of(&floor),
        ),
        Row::new(
            "first render: widget / static, per load",
            "×",
            Stats::of(&ratios),
        )
        .budget(Budget::AtMost(2.0), "median ≤ 2 ×"),
        Row::new(
            "input to repaint: target plan → new total",
            "ms",
            Stats::of(&repaint),
        )
        .budget(Budget::AtMost(16.0), "median ≤ 16 ms")
        .note("change event to the first animation frame showing the new due-now total"),
    ])
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            fs::copy(&path, &dest).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The numbers of one calculation's samples: median, min and max in ns.
fn calc_stats(object: &str) -> Option<Stats> {
    let number = |key: &str| -> Option<f64> {
        let at = object.find(&format!("\"{key}\""))?;
        let rest = object[at + key.len() + 2..]
            .trim_start()
            .strip_prefix(':')?;
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E' | ' ')))
            .unwrap_or(rest.len());
        rest[..end].trim().parse::<f64>().ok()
    };
    let stats = Stats {
        median: number("median_ns")?,
        min: number("min_ns")?,
        max: number("max_ns")?,
        count: number("samples").map_or(0, |n| n as usize),
    };
    [stats.median, stats.min, stats.max]
        .iter()
        .all(|x| x.is_finite() && *x > 0.0)
        .then_some(stats)
}

/// The object that follows `"name":` in a JSON text, as text.
fn object_after<'a>(json: &'a str, name: &str) -> Option<&'a str> {
    let at = json.find(&format!("\"{name}\""))?;
    let rest = &json[at..];
    let open = rest.find('{')?;
    let close = rest[open..].find('}')?;
    Some(&rest[open..=open + close])
}

fn to_micros(stats: Stats) -> Stats {
    Stats {
        median: stats.median / 1000.0,
        min: stats.min / 1000.0,
        max: stats.max / 1000.0,
        count: stats.count,
    }
}

/// The three calculations natively and in wasm32 in Chromium (`crates/ratecard-bench`).
fn calculations(plan: &Plan, tools: &Tools, browser: &Browser, work: &Path) -> Result<Vec<Row>> {
    let out = work.join("calc");
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let native_file = out.join("native.json");
    let _ = fs::remove_file(&native_file);
    let smoke = if plan.smoke { "1" } else { "0" };

    step("calculations: natively (criterion)");
    let mut native_cmd = Command::new("cargo");
    native_cmd
        .args(["bench", "--package", "ratecard-bench", "--bench", "native"])
        .env("RATECARD_BENCH_OUT", &out);
    if plan.smoke {
        native_cmd.env("RATECARD_BENCH_SMOKE", smoke);
    }
    let native = run_in(
        &mut native_cmd,
        &root(),
        "the native calculation benchmarks",
    )
    .and_then(|()| {
        fs::read_to_string(&native_file)
            .map_err(|e| format!("cannot read {}: {e}", native_file.display()))
    });

    step("calculations: wasm32 in headless Chromium");
    let mut wasm_cmd = Command::new("cargo");
    wasm_cmd
        .args([
            "test",
            "--package",
            "ratecard-bench",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "wasm",
            "--",
            // The runner shows the test's console lines only with --nocapture.
            "--nocapture",
        ])
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            root().join("webdriver.json"),
        )
        .env("WASM_BINDGEN_TEST_TIMEOUT", "600")
        .current_dir(root())
        .stderr(Stdio::inherit());
    if plan.smoke {
        wasm_cmd.env("RATECARD_BENCH_SMOKE", smoke);
    }
    prepend_path(&mut wasm_cmd, &tools.bin_dirs);
    let wasm = wasm_cmd
        .output()
        .map_err(|e| format!("cannot start the wasm calculation benchmarks: {e}"))
        .and_then(|output| {
            let text = String::from_utf8_lossy(&output.stdout).into_owned();
            print!("{text}");
            if output.status.success() {
                Ok(text)
            } else {
                Err(format!(
                    "the wasm calculation benchmarks failed ({})",
                    output.status
                ))
            }
        });

    let mut rows = Vec::new();
    for (key, label) in CALCULATIONS {
        let native_stats = native
            .as_ref()
            .ok()
            .and_then(|json| object_after(json, key).and_then(calc_stats).map(to_micros));
        let wasm_stats = wasm.as_ref().ok().and_then(|text| {
            text.lines()
                .filter_map(|line| line.trim().strip_prefix("RATECARD_BENCH "))
                .find(|json| json.contains(&format!("\"name\":\"{key}\"")))
                .and_then(calc_stats)
                .map(to_micros)
        });
        let why = |side: &Result<String>| match side {
            Ok(_) => format!("no figures for `{key}` in its output"),
            Err(e) => e.clone(),
        };
        rows.push(match native_stats {
            Some(stats) => Row::new(format!("calc floor: {label}, native"), "µs", Some(stats)),
            None => Row::missing(
                format!("calc floor: {label}, native"),
                "runs",
                &why(&native),
            ),
        });
        let mut wasm_row = match wasm_stats {
            Some(stats) => Row::new(
                format!("calc: {label}, wasm in Chromium"),
                "µs",
                Some(stats),
            ),
            None => Row::missing(
                format!("calc: {label}, wasm in Chromium"),
                "runs",
                &why(&wasm),
            ),
        };
        if key == "upgrade_preview" && wasm_stats.is_some() {
            wasm_row = wasm_row.budget(Budget::AtMost(20.0), "median ≤ 20 µs");
        }
        rows.push(wasm_row);
        if let (Some(n), Some(w)) = (native_stats, wasm_stats) {
            rows.push(
                Row::new(
                    format!("calc: {label}, wasm / native"),
                    "×",
                    Some(Stats::one(w.median / n.median)),
                )
                .budget(Budget::AtMost(3.0), "≤ 3 ×")
                .note("ratio of the medians"),
            );
        }
    }
    Ok(rows)
}

/// The running release server.
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

    /// POSTs `body` once and returns the status line and the body.
    fn post(&self, route: &str, body: &str) -> Result<(String, String)> {
        let mut stream =
            TcpStream::connect(&self.addr).map_err(|e| format!("cannot connect: {e}"))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| e.to_string())?;
        let request = format!(
            "POST {route} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| format!("cannot send: {e}"))?;
        let mut answer = String::new();
        stream
            .read_to_string(&mut answer)
            .map_err(|e| format!("cannot read the answer: {e}"))?;
        let status = answer.lines().next().unwrap_or_default().to_owned();
        let body = answer
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        Ok((status, body))
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What wrk reported for one run.
struct WrkRun {
    requests_per_second: f64,
    p99_ms: f64,
    requests: f64,
    non_2xx: f64,
    socket_errors: f64,
    timeouts: f64,
}

/// Writes the Lua script that makes wrk POST `body` as JSON.
fn wrk_script(work: &Path, name: &str, body: &str) -> Result<PathBuf> {
    let path = work.join(format!("wrk-{name}.lua"));
    let escaped = body.replace('\\', "\\\\").replace('\'', "\\'");
    let script = format!(
        "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = '{escaped}'\n"
    );
    fs::write(&path, script).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

fn wrk_command(server: &Server, route: &str, script: &Path, seconds: u32) -> Command {
    let mut command = Command::new("wrk");
    command
        .args([
            "-t",
            WRK_THREADS,
            "-c",
            WRK_CONNECTIONS,
            "--timeout",
            WRK_TIMEOUT,
        ])
        .arg(format!("-d{seconds}s"))
        .arg("--latency")
        .arg("-s")
        .arg(script)
        .arg(format!("http://{}{route}", server.addr))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    command
}

/// A wrk duration such as `1.23ms`, `850.00us` or `2.01s`, in ms.
fn wrk_duration_ms(text: &str) -> Option<f64> {
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

fn parse_wrk(output: &str) -> Result<WrkRun> {
    let after = |prefix: &str| -> Option<&str> {
        output
            .lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(str::trim))
    };
    let requests_per_second = after("Requests/sec:")
        .and_then(|v| v.parse::<f64>().ok())
        .ok_or("wrk printed no Requests/sec")?;
    let p99_ms = after("99%")
        .and_then(wrk_duration_ms)
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
    Ok(WrkRun {
        requests_per_second,
        p99_ms,
        requests,
        non_2xx,
        socket_errors,
        timeouts,
    })
}

fn run_wrk(server: &Server, route: &str, script: &Path, seconds: u32) -> Result<WrkRun> {
    let output = wrk_command(server, route, script, seconds)
        .output()
        .map_err(|e| format!("cannot start wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        return Err(format!("wrk failed ({}):\n{text}", output.status));
    }
    parse_wrk(&text).map_err(|e| format!("{e}:\n{text}"))
}

/// The preview against the echo route, then the saturation run with memory readings.
fn server_bench(plan: &Plan, server_bin: &Path, work: &Path) -> Result<Vec<Row>> {
    let server = Server::start(server_bin)?;
    let result = server_runs(plan, &server, work);
    server.stop();
    result
}

fn server_runs(plan: &Plan, server: &Server, work: &Path) -> Result<Vec<Row>> {
    // Both routes must answer 200 before anything is timed.
    for route in [PREVIEW_ROUTE, ECHO_ROUTE] {
        let (status, body) = server.post(route, PREVIEW_BODY)?;
        if !status.contains(" 200 ") {
            return Err(format!("POST {route} answered {status:?}: {body}"));
        }
        if route == PREVIEW_ROUTE && !body.contains("\"due_now\"") {
            return Err(format!("POST {route} has no due_now: {body}"));
        }
    }
    sleep(Duration::from_secs(1));
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(server.rss_mb()?);
        sleep(Duration::from_millis(500));
    }
    let preview_script = wrk_script(work, "preview", PREVIEW_BODY)?;
    let echo_script = wrk_script(work, "echo", PREVIEW_BODY)?;

    step(&format!(
        "server: {} rounds of {} s per route (wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS})",
        plan.rounds, plan.round_seconds
    ));
    let (mut echo, mut preview) = (Vec::new(), Vec::new());
    for round in 1..=plan.rounds {
        let e = run_wrk(server, ECHO_ROUTE, &echo_script, plan.round_seconds)?;
        let p = run_wrk(server, PREVIEW_ROUTE, &preview_script, plan.round_seconds)?;
        println!(
            "xtask: round {round}: echo {:.0} req/s (p99 {:.2} ms), preview {:.0} req/s (p99 {:.2} ms)",
            e.requests_per_second, e.p99_ms, p.requests_per_second, p.p99_ms
        );
        echo.push(e);
        preview.push(p);
    }
    let rps = |runs: &[WrkRun]| {
        Stats::of(
            &runs
                .iter()
                .map(|r| r.requests_per_second)
                .collect::<Vec<_>>(),
        )
    };
    let p99 = |runs: &[WrkRun]| Stats::of(&runs.iter().map(|r| r.p99_ms).collect::<Vec<_>>());
    let compare_errors: f64 = echo
        .iter()
        .chain(&preview)
        .map(|r| r.non_2xx + r.socket_errors + r.timeouts)
        .sum();
    let ratio = match (rps(&preview), rps(&echo)) {
        (Some(p), Some(e)) => Some(Stats::one(p.median / e.median)),
        _ => None,
    };

    step(&format!(
        "server: {} s at saturation on the preview route, memory before, during and after",
        plan.load_seconds
    ));
    let mut child = wrk_command(server, PREVIEW_ROUTE, &preview_script, plan.load_seconds)
        .spawn()
        .map_err(|e| format!("cannot start wrk: {e}"))?;
    let load_started = Instant::now();
    let mut during: Vec<(f64, f64)> = Vec::new();
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        during.push((load_started.elapsed().as_secs_f64(), server.rss_mb()?));
        sleep(Duration::from_millis(250));
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("wrk failed: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let load = parse_wrk(&text).map_err(|e| format!("{e}:\n{text}"))?;
    // "After the full load": the readings of the run's last 5 seconds (its whole length in
    // a smoke run).
    let tail_from = f64::from(plan.load_seconds.saturating_sub(5));
    let at_end: Vec<f64> = during
        .iter()
        .filter(|(t, _)| *t >= tail_from)
        .map(|(_, rss)| *rss)
        .collect();
    sleep(Duration::from_secs(u64::from(plan.settle_seconds)));
    let mut settled = Vec::new();
    for _ in 0..3 {
        settled.push(server.rss_mb()?);
        sleep(Duration::from_millis(300));
    }
    let idle_stats = Stats::of(&idle);
    let end_stats = Stats::of(&at_end);
    let settled_stats = Stats::of(&settled);
    let growth = match (end_stats, idle_stats) {
        (Some(end), Some(idle)) => Some(Stats::one(end.median / idle.median)),
        _ => None,
    };
    let flat = match (settled_stats, end_stats) {
        (Some(after), Some(end)) => Some(Stats::one(after.median / end.median)),
        _ => None,
    };
    let secs = plan.round_seconds * plan.rounds;
    Ok(vec![
        Row::new(
            format!("server floor: echo (no-op), {secs} s"),
            "req/s",
            rps(&echo),
        )
        .note("the floor; median over rounds"),
        Row::new(
            format!("server: upgrade preview, {secs} s"),
            "req/s",
            rps(&preview),
        ),
        Row::new("server: preview / echo, req/s", "×", ratio)
            .budget(Budget::AtLeast(0.7), "≥ 0.7 ×"),
        Row::new("server: upgrade preview p99", "ms", p99(&preview))
            .budget(Budget::AtMost(5.0), "≤ 5 ms"),
        Row::new("server floor: echo p99", "ms", p99(&echo)),
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
            format!("load {} s: timeouts (> {WRK_TIMEOUT})", plan.load_seconds),
            "",
            Some(Stats::one(load.timeouts)),
        )
        .budget(Budget::AtMost(0.0), "0"),
        Row::new("memory floor: RSS at idle", "MB", idle_stats).note("before any load"),
        Row::new("memory: RSS at the end of the load", "MB", end_stats)
            .note("readings in the load's last 5 s"),
        Row::new("memory: RSS after load / at idle", "×", growth)
            .budget(Budget::AtMost(1.5), "≤ 1.5 ×"),
        Row::new(
            format!("memory: RSS {} s after the load", plan.settle_seconds),
            "MB",
            settled_stats,
        ),
        Row::new("memory: flat afterwards (after / end of load)", "×", flat)
            .budget(Budget::AtMost(1.05), "≤ 1.05 ×"),
    ])
}

/// One line of text from a command, or "unknown".
fn first_line(program: &str, args: &[&str]) -> String {
    cmd(program)
        .args(args)
        .output_ok()
        .and_then(|out| out.lines().next().map(str::trim).map(str::to_owned))
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The commit measured, marked when the working tree has uncommitted changes.
fn commit() -> String {
    let head = first_line("git", &["rev-parse", "HEAD"]);
    let dirty = cmd("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output_ok()
        .is_some_and(|out| !out.trim().is_empty());
    if dirty {
        format!("{head} (with uncommitted changes)")
    } else {
        head
    }
}

/// `wrk -v` prints its version but exits non-zero, so its status is not checked.
fn wrk_version() -> String {
    Command::new("wrk")
        .arg("-v")
        .output()
        .ok()
        .and_then(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .map(|l| l.split(" Copyright").next().unwrap_or(l).trim().to_owned())
        })
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "wrk".to_owned())
}

fn machine(browser: &Browser) -> Vec<(&'static str, String)> {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or_else(
            || "unknown".to_owned(),
            |kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0),
        );
    let chromium = browser.chromium.to_string_lossy().into_owned();
    vec![
        ("CPU", format!("{model}, {cores} cores available")),
        ("memory", memory),
        ("kernel", first_line("uname", &["-sr"])),
        ("rustc", first_line("rustc", &["-V"])),
        ("browser", first_line(&chromium, &["--version"])),
        (
            "load generator",
            format!(
                "{} (-t{WRK_THREADS} -c{WRK_CONNECTIONS}, loopback)",
                wrk_version()
            ),
        ),
        ("commit", commit()),
        ("date", first_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"])),
    ]
}

fn row_cells(row: &Row) -> [String; 7] {
    let show = |pick: fn(&Stats) -> f64| {
        row.stats
            .map_or_else(|| "—".to_owned(), |s| value_text(pick(&s), row.unit))
    };
    [
        row.figure.clone(),
        show(|s| s.median),
        show(|s| s.min),
        show(|s| s.max),
        row.stats
            .map_or_else(|| "0".to_owned(), |s| s.count.to_string()),
        if row.budget_text.is_empty() {
            if row.figure.contains("floor") {
                "floor".to_owned()
            } else {
                "—".to_owned()
            }
        } else {
            row.budget_text.clone()
        },
        row.result_text().to_owned(),
    ]
}

fn report(plan: &Plan, rows: &[Row], browser: &Browser, took: Duration) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask bench{}`; do not edit by hand. Each figure is measured beside a floor \
         built in the same run, and each budget is checked against the median. \
         1 KB = 1000 bytes. The run took {:.0} s.\n",
        if plan.smoke { " --smoke" } else { "" },
        took.as_secs_f64()
    );
    if plan.smoke {
        let _ = writeln!(
            md,
            "**A smoke run**: every part ran briefly to prove the harness works; its figures \
             are not meaningful and its budgets are not checked.\n"
        );
    }
    let _ = writeln!(md, "## Machine\n\n| | |\n|---|---|");
    for (key, value) in machine(browser) {
        let _ = writeln!(md, "| {key} | {value} |");
    }
    let _ = writeln!(
        md,
        "\n## Results\n\n| figure | median | min | max | samples | budget | result |\n|---|---|---|---|---|---|---|"
    );
    for row in rows {
        let cells = row_cells(row);
        let _ = writeln!(md, "| {} |", cells.join(" | "));
    }
    let notes: Vec<&Row> = rows.iter().filter(|r| !r.note.is_empty()).collect();
    if !notes.is_empty() {
        let _ = writeln!(md, "\n## Notes\n");
        for row in notes {
            let _ = writeln!(md, "- **{}**: {}", row.figure, row.note.replace('\n', " "));
        }
    }
    let _ = writeln!(
        md,
        "\n## How each figure is taken\n\n\
         - **Payload**: the files the embed downloads on a pricing page with a built-in \
         catalogue, as in `embed-snippet.html`: `ratecard.js` (which inlines every \
         bundle's wasm-bindgen glue and the styles) and the tier table's Wasm bundle; raw, \
         gzip -9 and brotli q11. The other bundles (the JSON reader for remote catalogues, \
         the checkout view, the support view) are downloaded only by pages that need them, \
         in place of the first, and are listed without a budget. The \
         floor is `benches/counter`, a bare Leptos counter built by the same Trunk, \
         wasm-bindgen, wasm-opt and `wasm-release` profile, counting its JS and Wasm.\n\
         - **First render**: {} cold loads of each page, each in a fresh headless Chromium \
         session with an empty profile, served by the release server on loopback; the time \
         of `performance.mark(\"ratecard:tiers-painted\")` since navigation start. The floor \
         is the same demo page with the tier table the widget rendered copied in as static \
         HTML (a declarative shadow root with the widget's styles), setting the same mark \
         after its first frame. The ratio is taken per pair of loads.\n\
         - **Calculations**: `crates/ratecard-bench`, natively with criterion (100 samples \
         over 5 s per calculation) and in wasm32 (release) in headless Chromium (150 batches \
         of about 10 ms per calculation, timed in rounds of one batch of each, so each \
         calculation's samples span the whole run of about 5 s).\n\
         - **Input to repaint**: the editable checkout; {} changes of the target plan, \
         alternating between two plans, from just before the change event to \
         `performance.now()` in the first animation frame callback that sees the new total \
         (that frame paints it).\n\
         - **Server**: wrk on loopback against the release server, the echo and preview \
         routes interleaved, {} rounds of {} s each; then {} s at saturation on the preview \
         route, with RSS from `/proc/<pid>/status` before, during and {} s after.",
        plan.loads,
        plan.repaints,
        plan.rounds,
        plan.round_seconds,
        plan.load_seconds,
        plan.settle_seconds
    );
    let _ = writeln!(md, "{}", store::how(plan));
    md
}

fn print_rows(rows: &[Row]) {
    println!("\nxtask: benchmark results (median / min / max, budget, result)");
    for row in rows {
        let cells = row_cells(row);
        println!(
            "  {:<4} {:<52} {:>12} {:>12} {:>12}  {}",
            cells[6], cells[0], cells[1], cells[2], cells[3], cells[5]
        );
        if row.stats.is_none() && !row.note.is_empty() {
            println!("       {}", row.note.lines().next().unwrap_or_default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRK_OUTPUT: &str = "Running 2s test @ http://127.0.0.1:40000/api/v1/echo
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
    fn wrk_output_is_parsed() {
        let run = parse_wrk(WRK_OUTPUT).expect("parses");
        assert_eq!(run.requests_per_second, 29405.0);
        assert_eq!(run.p99_ms, 5.1);
        assert_eq!(run.requests, 58810.0);
        assert_eq!(run.non_2xx, 4.0);
        assert_eq!(run.socket_errors, 3.0);
        assert_eq!(run.timeouts, 3.0);
    }

    #[test]
    fn wrk_durations_become_milliseconds() {
        assert_eq!(wrk_duration_ms("850.00us"), Some(0.85));
        assert_eq!(wrk_duration_ms("2.00s"), Some(2000.0));
        assert_eq!(wrk_duration_ms("1.5ms"), Some(1.5));
        assert_eq!(wrk_duration_ms("7parsecs"), None);
    }

    #[test]
    fn stats_take_the_median_of_even_and_odd_counts() {
        let odd = Stats::of(&[3.0, 1.0, 2.0]).expect("samples");
        assert_eq!(
            (odd.median, odd.min, odd.max, odd.count),
            (2.0, 1.0, 3.0, 3)
        );
        let even = Stats::of(&[4.0, 1.0, 2.0, 3.0]).expect("samples");
        assert_eq!(even.median, 2.5);
        assert!(Stats::of(&[]).is_none());
    }

    #[test]
    fn calculation_figures_are_read_from_both_benchmarks() {
        let native = r#"{"upgrade_preview": {"median_ns": 1000.5, "min_ns": 900, "max_ns": 2000, "samples": 100},
            "quota_1000_events": {"median_ns": 5, "min_ns": 4, "max_ns": 6, "samples": 10}}"#;
        let stats = object_after(native, "quota_1000_events")
            .and_then(calc_stats)
            .expect("quota figures");
        assert_eq!(
            (stats.median, stats.min, stats.max, stats.count),
            (5.0, 4.0, 6.0, 10)
        );
        let wasm = r#"{"name":"upgrade_preview","median_ns":21796.8,"min_ns":19375.0,"max_ns":27187.4,"samples":10}"#;
        let stats = calc_stats(wasm).expect("wasm figures");
        assert_eq!(stats.median, 21796.8);
        assert!(object_after(native, "ledger_one_year").is_none());
    }

    #[test]
    fn budgets_judge_the_median() {
        let row = |median: f64, budget: Budget| {
            Row::new("x", "", Some(Stats::one(median))).budget(budget, "b")
        };
        assert_eq!(row(3.0, Budget::AtMost(3.0)).verdict(), Some(true));
        assert_eq!(row(3.1, Budget::AtMost(3.0)).verdict(), Some(false));
        assert_eq!(row(0.69, Budget::AtLeast(0.7)).verdict(), Some(false));
        assert_eq!(row(1.0, Budget::None).verdict(), None);
        assert_eq!(Row::missing("x", "runs", "why").verdict(), Some(false));
    }
}
