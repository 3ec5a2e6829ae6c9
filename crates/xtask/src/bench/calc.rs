//! The calculation rows: three calculations of `crates/ratecard-bench` natively with
//! criterion (its `native.json`) and in wasm32 in headless Chromium (its
//! `RATECARD_BENCH {json}` lines), both read with [`Stats::from_json`].

use std::fs;
use std::path::Path;

use ratecard_bench::{LEDGER_ONE_YEAR, QUOTA_1000_EVENTS, Stats, UPGRADE_PREVIEW};
use serde_json::Value;

use super::report::{Budget, Row};
use super::{Plan, ratio};
use crate::tools::{Browser, Tools};
use crate::util::{Result, cmd, root, step};

/// The calculations of `crates/ratecard-bench`, by the names its two benchmarks report.
const CALCULATIONS: [(&str, &str); 3] = [
    (UPGRADE_PREVIEW, "upgrade preview"),
    (QUOTA_1000_EVENTS, "quota over 1,000 events"),
    (LEDGER_ONE_YEAR, "one-year support ledger"),
];

/// The paragraph of `BENCHMARKS.md` that says how the calculation rows are taken.
pub(super) const HOW: &str = "- **Calculations**: `crates/ratecard-bench`, natively with criterion (100 samples \
     over 5 s per calculation) and in wasm32 (release) in headless Chromium (150 batches \
     of about 10 ms per calculation, timed in rounds of one batch of each, so each \
     calculation's samples span the whole run of about 5 s).";

/// The three calculations natively and in wasm32 in Chromium.
pub(super) fn rows(plan: &Plan, tools: &Tools, browser: &Browser, work: &Path) -> Result<Vec<Row>> {
    let out = work.join("calc");
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let native = native(plan, &out);
    let wasm = wasm(plan, tools, browser);

    let mut rows = Vec::new();
    for (key, label) in CALCULATIONS {
        let native_stats = native
            .as_ref()
            .ok()
            .and_then(|json| json.get(key))
            .and_then(Stats::from_json)
            .and_then(micros);
        let wasm_stats = wasm
            .as_ref()
            .ok()
            .and_then(|text| {
                text.lines()
                    .filter_map(Stats::parse_report_line)
                    .find_map(|(name, stats)| (name == key).then_some(stats))
            })
            .and_then(micros);
        // Why a side has no figures: its run failed, or its output lacks them.
        let why = |failed: Option<&String>| {
            failed
                .cloned()
                .unwrap_or_else(|| format!("no figures for `{key}` in its output"))
        };
        let figure = format!("calc floor: {label}, native");
        rows.push(match native_stats {
            Some(stats) => Row::new(figure, "µs", Some(stats)),
            None => Row::missing(figure, "runs", &why(native.as_ref().err())),
        });
        let figure = format!("calc: {label}, wasm in Chromium");
        rows.push(match wasm_stats {
            Some(stats) => {
                let row = Row::new(figure, "µs", Some(stats));
                if key == UPGRADE_PREVIEW {
                    row.budget(Budget::AtMost(20.0), "median ≤ 20 µs")
                } else {
                    row
                }
            }
            None => Row::missing(figure, "runs", &why(wasm.as_ref().err())),
        });
        if let Some(stats) = ratio(wasm_stats, native_stats) {
            rows.push(
                Row::new(format!("calc: {label}, wasm / native"), "×", Some(stats))
                    .budget(Budget::AtMost(3.0), "≤ 3 ×")
                    .note("ratio of the medians"),
            );
        }
    }
    Ok(rows)
}

/// Runs criterion and answers its `native.json`.
fn native(plan: &Plan, out: &Path) -> Result<Value> {
    let file = out.join("native.json");
    let _ = fs::remove_file(&file);
    step("calculations: natively (criterion)");
    let mut bench = cmd("cargo")
        .args(["bench", "--package", "ratecard-bench", "--bench", "native"])
        .env("RATECARD_BENCH_OUT", out);
    if plan.smoke {
        bench = bench.env("RATECARD_BENCH_SMOKE", "1");
    }
    bench.status_ok("the native calculation benchmarks")?;
    let text =
        fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", file.display()))
}

/// Runs the wasm32 benchmark in headless Chromium and answers its standard output.
fn wasm(plan: &Plan, tools: &Tools, browser: &Browser) -> Result<String> {
    step("calculations: wasm32 in headless Chromium");
    let mut test = cmd("cargo")
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
        .path_prepend(&tools.bin_dirs);
    if plan.smoke {
        test = test.env("RATECARD_BENCH_SMOKE", "1");
    }
    let (status, text) = test.capture("the wasm calculation benchmarks")?;
    print!("{text}");
    if status.success() {
        Ok(text)
    } else {
        Err(format!("the wasm calculation benchmarks failed ({status})"))
    }
}

/// Nanoseconds as microseconds, unless a figure is not a positive number of them.
fn micros(stats: Stats) -> Option<Stats> {
    [stats.median, stats.min, stats.max]
        .iter()
        .all(|x| x.is_finite() && *x > 0.0)
        .then(|| stats.map(|ns| ns / 1000.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_must_be_positive_nanoseconds() {
        let stats = micros(Stats::one(1500.0)).expect("a figure");
        assert_eq!((stats.median, stats.samples), (1.5, 1));
        assert!(micros(Stats::one(0.0)).is_none());
        assert!(micros(Stats::one(f64::INFINITY)).is_none());
    }
}
