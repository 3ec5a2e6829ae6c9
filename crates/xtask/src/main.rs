//! Build automation for ratecard.
//!
//! * `cargo xtask serve [--listen ADDR] [-- SERVER FLAGS]`: installs missing tools, builds
//!   the widget with Trunk (offline, release) and the server, then serves both, with a
//!   demo database of a few accounts for the support console (`demo.rs`).
//! * `cargo xtask test`: formatting, clippy (native and wasm32), every native test (the
//!   store's against a throwaway PostgreSQL cluster too), the wasm tests in headless
//!   Chromium and the end-to-end browser suite.
//! * `cargo xtask postgres`: a throwaway PostgreSQL cluster for running the store tests
//!   by hand, until Ctrl-C (`postgres.rs`).
//! * `cargo xtask dist`: installs missing tools and builds the widget into `dist/`.
//! * `cargo xtask tools`: installs missing tools only.
//! * `cargo xtask bench [--smoke]`: measures the widget and the server against their
//!   budgets and writes `BENCHMARKS.md` (see `bench/mod.rs`).
//! * `cargo xtask schemathesis`: the server fuzzed through its OpenAPI document, which
//!   `test` runs too (`schemathesis.rs`).

mod bench;
mod demo;
mod http;
mod postgres;
mod schemathesis;
mod server;
mod tools;
mod util;
mod widget;

use std::env;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::util::{Result, cmd, root};

const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

/// The fuzz targets of `fuzz/`.
const FUZZ_TARGETS: [&str; 3] = ["catalogue", "api_request", "history"];

/// How long `cargo xtask test` runs each fuzz target: a smoke run that proves the
/// targets build and survive their seeds; `cargo xtask fuzz SECONDS` runs deeper.
const FUZZ_SMOKE_SECONDS: u32 = 20;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve [--listen ADDR] [-- FLAGS]
                          build the widget and the server, then serve them (default 127.0.0.1:8787)
                          with a demo database in ratecard-data/; FLAGS after `--` go to the server
  test                    fmt, clippy (native + wasm32), native tests, wasm tests, e2e tests
  postgres                start a throwaway PostgreSQL cluster for the store tests, print its URL, until Ctrl-C
  dist                    build the widget into dist/
  tools                   install the missing build tools (wasm target, trunk, wasm-bindgen, wasm-opt)
  parity [CASES]          the same random cases natively, in wasm32 in Chromium and through the server (default 10000)
  fuzz [SECONDS]          run every cargo-fuzz target for SECONDS each (default 600; nightly)
  bench [--smoke]         measure the widget and the server against their budgets, write BENCHMARKS.md
  schemathesis            fuzz the server through its OpenAPI document (a short, seeded schemathesis run)";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") => test(),
        Some("dist") => tools::ensure_build_tools().and_then(|t| widget::build(&t).map(|_| ())),
        Some("tools") => tools::ensure_build_tools().map(|_| ()),
        Some("bench") => bench::run(&args[1..], None),
        Some("schemathesis") if args.len() == 1 => schemathesis::run(),
        Some("postgres") if args.len() == 1 => postgres::serve(),
        Some("parity") => match args.get(1).map(|s| s.parse::<u32>()) {
            None => parity(10_000),
            Some(Ok(cases)) if cases > 0 => parity(cases),
            Some(_) => Err(format!("`parity` takes a number of cases\n{USAGE}")),
        },
        Some("fuzz") => match args.get(1).map(|s| s.parse::<u32>()) {
            None => fuzz_smoke(600),
            Some(Ok(seconds)) if seconds > 0 => fuzz_smoke(seconds),
            Some(_) => Err(format!(
                "`fuzz` takes a number of seconds per target\n{USAGE}"
            )),
        },
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: &[String]) -> Result<()> {
    // Everything after `--` goes to the server as it is.
    let (ours, passed) = match args.iter().position(|a| a == "--") {
        Some(at) => (&args[..at], &args[at + 1..]),
        None => (args, &[][..]),
    };
    let listen = match ours {
        [] => DEFAULT_LISTEN.to_owned(),
        [flag, addr] if flag == "--listen" => addr.clone(),
        _ => return Err(format!("unexpected arguments {ours:?}\n{USAGE}")),
    };
    let tools = tools::ensure_build_tools()?;
    let dist = widget::build(&tools)?;
    let server_bin = build_server()?;
    // The demo fills the database the server opens: `--database` after `--`, else
    // RATECARD_DATABASE, else the server's default, `ratecard-data/ratecard.db`.
    let database = flag_value(passed, "--database")
        .or_else(|| env::var("RATECARD_DATABASE").ok())
        .unwrap_or_else(|| demo::DEFAULT_DATABASE.to_owned());
    let mut server_args: Vec<String> = vec!["--listen".into(), listen, "--widget".into()];
    server_args.push(dist.to_string_lossy().into_owned());
    if flag_value(passed, "--database").is_none() {
        server_args.extend(["--database".to_owned(), database.clone()]);
    }
    server_args.extend(passed.iter().cloned());
    util::step(&format!(
        "starting ratecard-server {}",
        server_args.join(" ")
    ));
    let server = server::RunningServer::start(&server_bin, &server_args, true)?;
    match demo::seed(&server_bin, &database, &server.addr) {
        Ok(keys) => {
            let addr = &server.addr;
            println!(
                "\nxtask: serving the widget and the API at http://{addr}/ (Ctrl-C stops)\n\n\
                 xtask: the support console:  http://{addr}/support.html\n\
                 xtask: its demo support key: {}\n\
                 xtask: an account to find:   ada@example.com (or grace, alan, katherine, hedy, edsger @example.com)\n\
                 xtask: the ingest key:       {} (kept in {}/demo-keys.json)\n",
                keys.support,
                keys.ingest,
                demo::DATA_DIR
            );
        }
        Err(e) => {
            eprintln!("xtask: warning: the demo database could not be seeded: {e}");
            println!(
                "xtask: serving the widget and the API at http://{}/ (Ctrl-C stops)",
                server.addr
            );
        }
    }
    server.wait()
}

/// The value of `--flag VALUE` or `--flag=VALUE` among `args`.
fn flag_value(args: &[String], flag: &str) -> Option<String> {
    args.iter().enumerate().find_map(|(i, arg)| {
        if arg == flag {
            args.get(i + 1).cloned()
        } else {
            arg.strip_prefix(flag)
                .and_then(|rest| rest.strip_prefix('='))
                .map(str::to_owned)
        }
    })
}

/// Builds the server binary with the release profile and returns its path.
fn build_server() -> Result<PathBuf> {
    cmd("cargo")
        .args(["build", "--release", "--package", "ratecard-server"])
        .status_ok("cargo build ratecard-server")?;
    Ok(util::target_dir().join("release").join("ratecard-server"))
}

/// The deep parity run: `cases` generated inputs answered natively, through the real
/// server on loopback, and in wasm32 inside headless Chromium, compared byte for byte.
fn parity(cases: u32) -> Result<()> {
    let cases = cases.to_string();
    let browser = tools::ensure_browser()?;
    let tools = tools::ensure_build_tools()?;
    cmd("cargo")
        .args(["build", "--package", "ratecard-server"])
        .status_ok("cargo build ratecard-server")?;
    util::step(&format!("parity: {cases} cases, native against the server"));
    cmd("cargo")
        .args(["test", "--package", "ratecard-parity", "--test", "server"])
        .env("RATECARD_PARITY_CASES", &cases)
        .status_ok("parity against the server")?;
    util::step(&format!(
        "parity: {cases} cases, native against wasm32 in Chromium"
    ));
    cmd("cargo")
        .args([
            "test",
            "--package",
            "ratecard-parity",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "wasm",
        ])
        .env("RATECARD_PARITY_CASES", &cases)
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            root().join("webdriver.json"),
        )
        .env("WASM_BINDGEN_TEST_TIMEOUT", "600")
        .path_prepend(&tools.bin_dirs)
        .status_ok("parity in wasm32")
}

/// Runs every fuzz target for `seconds`, from the committed seeds, on the nightly toolchain.
/// New inputs go to `target/fuzz-corpus/`, never into the committed corpus.
fn fuzz_smoke(seconds: u32) -> Result<()> {
    util::step(&format!(
        "fuzzing each target for {seconds} s (cargo +nightly fuzz)"
    ));
    tools::ensure_cargo_fuzz()?;
    for target in FUZZ_TARGETS {
        let work = util::target_dir().join("fuzz-corpus").join(target);
        std::fs::create_dir_all(&work)
            .map_err(|e| format!("cannot create {}: {e}", work.display()))?;
        cmd("cargo")
            .args(["+nightly", "fuzz", "run", target])
            .arg(&work)
            .arg(root().join("fuzz").join("corpus").join(target))
            .args([
                "--",
                &format!("-max_total_time={seconds}"),
                "-rss_limit_mb=4096",
                "-print_final_stats=1",
                "-print_funcs=0",
            ])
            .status_ok(&format!("fuzz target {target}"))?;
    }
    Ok(())
}

fn test() -> Result<()> {
    let root = root();
    util::step("cargo fmt --check");
    cmd("cargo")
        .args(["fmt", "--all", "--check"])
        .status_ok("cargo fmt --check (run `cargo fmt --all` to fix)")?;

    let tools = tools::ensure_build_tools()?;

    util::step("clippy, native");
    cmd("cargo")
        .args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])
        .status_ok("clippy (native)")?;
    util::step("clippy, wasm32");
    cmd("cargo")
        .args([
            "clippy",
            "--package",
            "ratecard",
            "--package",
            "ratecard-rules",
            "--target",
            "wasm32-unknown-unknown",
            "--lib",
            "--tests",
            "--",
            "-D",
            "warnings",
        ])
        .status_ok("clippy (wasm32)")?;
    // Each Wasm bundle leaves some views out (see `widget::BUNDLES`): every combination
    // must build without warnings too.
    for bundle in &widget::BUNDLES {
        util::step(&format!("clippy, wasm32, the {} bundle", bundle.name));
        cmd("cargo")
            .args([
                "clippy",
                "--package",
                "ratecard",
                "--target",
                "wasm32-unknown-unknown",
                "--bin",
                "ratecard",
                "--no-default-features",
                "--features",
                bundle.features,
                "--",
                "-D",
                "warnings",
            ])
            .status_ok("clippy (wasm32 bundle)")?;
    }

    // The store tests run against SQLite and against this cluster; it stays up for the
    // bench smoke run and is stopped (and its files deleted) at the end, or on any error.
    let pg = tools::ensure_postgres()?;
    util::step(&format!(
        "PostgreSQL for the store tests: a throwaway cluster ({})",
        pg.version
    ));
    let cluster = postgres::TestCluster::start(&pg)?;
    println!(
        "xtask: PostgreSQL listens on 127.0.0.1:{} (files in {})",
        cluster.port(),
        cluster.dir().display()
    );

    util::step(&format!(
        "native tests (RATECARD_TEST_POSTGRES_URL={}, RATECARD_REQUIRE_POSTGRES=1)",
        cluster.test_url()
    ));
    cmd("cargo")
        .args(["test", "--workspace"])
        .env("RATECARD_TEST_POSTGRES_URL", cluster.test_url())
        .env("RATECARD_REQUIRE_POSTGRES", "1")
        .status_ok("native tests")?;

    util::step("the rules crate as the widget's Wasm builds it: zones fetched, not compiled in");
    cmd("cargo")
        .args([
            "test",
            "--package",
            "ratecard-rules",
            "--no-default-features",
            "--lib",
            "zone::file_tests",
        ])
        .status_ok("zone file tests")?;

    // The debug server the native tests built, fuzzed through its OpenAPI document.
    schemathesis::run()?;

    let browser = tools::ensure_browser()?;

    util::step("wasm tests in headless Chromium");
    cmd("cargo")
        .args([
            "test",
            "--package",
            "ratecard-rules",
            "--package",
            "ratecard",
            "--package",
            "ratecard-parity",
            "--target",
            "wasm32-unknown-unknown",
            "--lib",
            "--tests",
        ])
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            root.join("webdriver.json"),
        )
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        .path_prepend(&tools.bin_dirs)
        .status_ok("wasm tests")?;

    fuzz_smoke(FUZZ_SMOKE_SECONDS)?;

    util::step("end-to-end tests");
    let dist = widget::build(&tools)?;
    // The debug server, already built by the native tests, keeps the suite quick.
    cmd("cargo")
        .args(["build", "--package", "ratecard-server"])
        .status_ok("cargo build ratecard-server")?;
    let server = util::target_dir().join("debug").join("ratecard-server");
    let axe = tools::ensure_axe()?;
    cmd("cargo")
        .args([
            "test",
            "--package",
            "ratecard",
            "--features",
            "e2e",
            "--test",
            "e2e",
        ])
        .env("RATECARD_SERVER_BIN", &server)
        .env("RATECARD_DIST", &dist)
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env("CHROMIUM", &browser.chromium)
        .env("AXE_CORE_JS", &axe)
        .status_ok("end-to-end tests")?;

    util::step("benchmark harness, smoke run (budgets are checked by `cargo xtask bench`)");
    bench::run(&["--smoke".to_owned()], Some(&cluster))?;
    util::step("stopping the PostgreSQL cluster");
    cluster.stop()?;
    println!("xtask: every check passed");
    Ok(())
}
