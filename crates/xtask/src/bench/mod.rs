//! `cargo xtask bench`: measures the widget and the server against floors built in the
//! same run, checks each figure against its budget and writes `BENCHMARKS.md`.
//!
//! The figures, each beside its floor, one family a file:
//! * `payload.rs`: the widget payload of a pricing page (`ratecard.js` and the tier
//!   table's Wasm bundle, raw, gzip -9 and brotli) against a bare Leptos counter
//!   (`benches/counter/`) built with the same profile and tools, and the size of each
//!   bundle loaded on demand;
//! * `browser.rs`: the first render of the tier table in headless Chromium, 20 cold loads,
//!   against a static HTML copy of the same table, and input to repaint in the checkout
//!   view (`tests/bench/`);
//! * `calc.rs`: three calculations natively (criterion) and in wasm32 in Chromium
//!   (`crates/ratecard-bench`);
//! * `server.rs`: the server under wrk on loopback (`wrk.rs`): the upgrade preview against
//!   the no-op `POST /api/v1/echo`, then 60 s at saturation for errors, timeouts and memory;
//! * `store.rs`: the account store on SQLite and on PostgreSQL: ingestion in events per
//!   second, and an account's ledger read from the store against the same events posted.
//!
//! `report.rs` turns the rows into the table. `--smoke` runs every part briefly to prove
//! the harness works end to end; it never fails on a budget and writes its table to
//! `target/bench/BENCHMARKS.md`, not the committed one.

#![allow(clippy::float_arithmetic)]

mod browser;
mod calc;
mod payload;
mod report;
mod server;
mod store;
mod wrk;

use std::fs;
use std::time::Instant;

use ratecard_bench::Stats;

use self::report::Row;
use crate::postgres::TestCluster;
use crate::tools;
use crate::util::{Result, cmd, root, step, target_dir};
use crate::widget;

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
    wrk::ensure()?;
    let dist = widget::build(&tools)?;
    step("building the server (release)");
    cmd("cargo")
        .args(["build", "--release", "--package", "ratecard-server"])
        .status_ok("cargo build --release ratecard-server")?;
    let server_bin = target_dir().join("release").join("ratecard-server");

    let mut rows = Vec::new();
    rows.extend(part("payload", payload::rows(&tools, &dist, &work)));
    rows.extend(part(
        "browser",
        browser::rows(&plan, &browser, &server_bin, &dist, &work),
    ));
    rows.extend(part(
        "calculations",
        calc::rows(&plan, &tools, &browser, &work),
    ));
    rows.extend(part("server", server::rows(&plan, &server_bin, &work)));
    rows.extend(store::rows(&plan, &server_bin, &work, cluster));

    let report = report::markdown(&plan, &rows, &browser, started.elapsed());
    let out = if smoke {
        work.join("BENCHMARKS.md")
    } else {
        root().join("BENCHMARKS.md")
    };
    fs::write(&out, &report).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    report::print_rows(&rows);
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

/// The ratio of two medians, as a figure of one sample; `None` unless both were measured.
fn ratio(over: Option<Stats>, under: Option<Stats>) -> Option<Stats> {
    let (over, under) = over.zip(under)?;
    Some(Stats::one(over.median / under.median))
}

/// Empties `dir`, creating it if need be.
fn fresh_dir(dir: &std::path::Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}
