//! The wasm32 benchmark, run in headless Chromium by wasm-bindgen-test.
//!
//! It first checks that each calculation answers as it does natively, then warms each
//! one up, sizes a batch of iterations to about 10 ms, times [`SAMPLES`] batches with
//! `performance.now()` and prints one `RATECARD_BENCH {json}` line per calculation, with
//! statistics over the per-iteration time of each batch. Building with
//! `RATECARD_BENCH_SMOKE=1` in the environment shrinks the run, since the browser cannot
//! read the environment at run time.
#![cfg(target_arch = "wasm32")]

use std::hint::black_box;

use ratecard_bench::{LEDGER_ONE_YEAR, QUOTA_1000_EVENTS, Stats, UPGRADE_PREVIEW};
use ratecard_rules::api;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Whether the test was built for a smoke run.
fn smoke() -> bool {
    option_env!("RATECARD_BENCH_SMOKE") == Some("1")
}

/// The number of timed batches per calculation.
const SAMPLES: usize = 50;
/// The number of timed batches per calculation in a smoke run.
const SMOKE_SAMPLES: usize = 10;

/// The time of `performance.now()`, in milliseconds.
fn now_ms() -> f64 {
    web_sys::window()
        .expect("a window")
        .performance()
        .expect("window.performance")
        .now()
}

/// Runs `f` `n` times and answers the elapsed milliseconds.
// Timing is a measurement, not money, so floating point is the right tool.
#[allow(clippy::float_arithmetic)]
fn batch<R>(n: u32, f: &mut impl FnMut() -> R) -> f64 {
    let start = now_ms();
    for _ in 0..n {
        black_box(f());
    }
    now_ms() - start
}

/// Warms `f` up, sizes a batch to the target time, and answers the statistics of the
/// per-iteration time of each timed batch, in nanoseconds.
// Timing is a measurement, not money, so floating point is the right tool.
#[allow(clippy::float_arithmetic)]
fn measure<R>(mut f: impl FnMut() -> R) -> Stats {
    let (warm_up_ms, batch_ms, samples) = if smoke() {
        (20.0, 2.0, SMOKE_SAMPLES)
    } else {
        (300.0, 10.0, SAMPLES)
    };
    // Warm-up: run until `warm_up_ms` has passed, so the engine has compiled and
    // optimised the code before anything is timed.
    let start = now_ms();
    while now_ms() - start < warm_up_ms {
        black_box(f());
    }
    // Calibration: double the batch until it takes at least `batch_ms`.
    let mut n: u32 = 1;
    while batch(n, &mut f) < batch_ms && n < (1 << 24) {
        n = n.saturating_mul(2);
    }
    let per_iter_ns: Vec<f64> = (0..samples)
        .map(|_| batch(n, &mut f) * 1e6 / f64::from(n))
        .collect();
    Stats::of(&per_iter_ns).expect("finite samples")
}

#[wasm_bindgen_test]
fn calculations_are_timed_in_wasm() {
    let catalogue = ratecard_bench::catalogue();
    // The timed calculations must answer exactly as they do natively.
    assert_eq!(ratecard_bench::check_expectations(&catalogue), Ok(()));

    let upgrade = ratecard_bench::upgrade_preview_request();
    let quota = ratecard_bench::quota_request();
    let ledger = ratecard_bench::ledger_request();
    let results = [
        (
            UPGRADE_PREVIEW,
            measure(|| api::upgrade_preview(black_box(&catalogue), black_box(&upgrade))),
        ),
        (
            QUOTA_1000_EVENTS,
            measure(|| api::quota(black_box(&catalogue), black_box(&quota))),
        ),
        (
            LEDGER_ONE_YEAR,
            measure(|| api::ledger(black_box(&catalogue), black_box(&ledger))),
        ),
    ];
    for (name, stats) in results {
        assert!(
            stats.min_ns > 0.0,
            "{name}: a batch took no measurable time"
        );
        console_log!("{}", stats.report_line(name));
    }
}
