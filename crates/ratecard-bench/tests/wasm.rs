//! The wasm32 benchmark, run in headless Chromium by wasm-bindgen-test.
//!
//! It first checks that each calculation answers as it does natively, then warms each
//! one up, sizes a batch of iterations to about 10 ms, times [`SAMPLES`] batches of each
//! with `performance.now()`, one batch of each calculation per round, and prints one
//! `RATECARD_BENCH {json}` line per calculation, with statistics over the per-iteration
//! time of each batch. Building with
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
const SAMPLES: usize = 150;
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

/// One calculation under measurement: a batch runner, the batch size and its samples.
struct Timed<'a> {
    name: &'static str,
    /// Runs the calculation the given number of times and answers the elapsed ms.
    run: Box<dyn FnMut(u32) -> f64 + 'a>,
    /// Iterations per timed batch.
    n: u32,
    /// The per-iteration time of each timed batch, in nanoseconds.
    per_iter_ns: Vec<f64>,
}

impl<'a> Timed<'a> {
    fn new<R>(name: &'static str, mut f: impl FnMut() -> R + 'a) -> Timed<'a> {
        Timed {
            name,
            run: Box::new(move |n| batch(n, &mut f)),
            n: 1,
            per_iter_ns: Vec::new(),
        }
    }
}

/// Warms each calculation up and sizes its batch to the target time, then times the
/// batches round-robin: one batch of each calculation per round. A stretch in which the
/// browser process runs slowly (on this kind of machine they last seconds) then falls on
/// every calculation alike instead of on all the batches of one, and each calculation's
/// samples span the whole run, a window as long as criterion's natively.
// Timing is a measurement, not money, so floating point is the right tool.
#[allow(clippy::float_arithmetic)]
fn measure_all(timed: &mut [Timed<'_>]) {
    let (warm_up_ms, batch_ms, samples) = if smoke() {
        (20.0, 2.0, SMOKE_SAMPLES)
    } else {
        (300.0, 10.0, SAMPLES)
    };
    for t in timed.iter_mut() {
        // Warm-up: run until `warm_up_ms` has passed, so the engine has compiled and
        // optimised the code before anything is timed.
        let start = now_ms();
        while now_ms() - start < warm_up_ms {
            (t.run)(1);
        }
        // Calibration: double the batch until it takes at least `batch_ms`.
        while (t.run)(t.n) < batch_ms && t.n < (1 << 24) {
            t.n = t.n.saturating_mul(2);
        }
    }
    for _ in 0..samples {
        for t in timed.iter_mut() {
            let ms = (t.run)(t.n);
            t.per_iter_ns.push(ms * 1e6 / f64::from(t.n));
        }
    }
}

#[wasm_bindgen_test]
fn calculations_are_timed_in_wasm() {
    let catalogue = ratecard_bench::catalogue();
    // The timed calculations must answer exactly as they do natively.
    assert_eq!(ratecard_bench::check_expectations(&catalogue), Ok(()));

    let upgrade = ratecard_bench::upgrade_preview_request();
    let quota = ratecard_bench::quota_request();
    let ledger = ratecard_bench::ledger_request();
    let mut timed = [
        Timed::new(UPGRADE_PREVIEW, || {
            api::upgrade_preview(black_box(&catalogue), black_box(&upgrade))
        }),
        Timed::new(QUOTA_1000_EVENTS, || {
            api::quota(black_box(&catalogue), black_box(&quota))
        }),
        Timed::new(LEDGER_ONE_YEAR, || {
            api::ledger(black_box(&catalogue), black_box(&ledger))
        }),
    ];
    measure_all(&mut timed);
    for Timed {
        name, per_iter_ns, ..
    } in timed
    {
        let stats = Stats::of(&per_iter_ns).expect("finite samples");
        assert!(stats.min > 0.0, "{name}: a batch took no measurable time");
        console_log!("{}", stats.report_line(name));
    }
}
