//! The native benchmark: criterion times the three calculations, then, when
//! `RATECARD_BENCH_OUT` is set, this writes `$RATECARD_BENCH_OUT/native.json` from
//! criterion's raw samples (`<id>/new/sample.json`), as the crate docs describe.
//!
//! `RATECARD_BENCH_SMOKE=1` shrinks the run to ten samples with short warm-up and
//! measurement times, so the whole run takes a few seconds.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

/// Criterion does not build for wasm32; the wasm32 figures come from `tests/wasm.rs`.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    use criterion::Criterion;
    use ratecard_bench::{LEDGER_ONE_YEAR, QUOTA_1000_EVENTS, Stats, UPGRADE_PREVIEW};
    use ratecard_rules::api;

    /// The benchmark ids, in the order they run; `native.json` holds one key per id.
    const IDS: [&str; 3] = [UPGRADE_PREVIEW, QUOTA_1000_EVENTS, LEDGER_ONE_YEAR];

    /// Runs criterion on the three calculations, then writes `native.json` if asked.
    pub fn main() {
        let smoke = std::env::var("RATECARD_BENCH_SMOKE").is_ok_and(|v| v == "1");
        let out = std::env::var_os("RATECARD_BENCH_OUT").map(PathBuf::from);
        let catalogue = ratecard_bench::catalogue();
        if let Err(e) = ratecard_bench::check_expectations(&catalogue) {
            panic!("the benchmark inputs do not compute as expected: {e}");
        }

        let mut c = Criterion::default();
        if let Some(out) = &out {
            // Criterion keeps its data in a directory of ours, emptied first, so the samples
            // read below are this run's and never an earlier run's.
            let dir = out.join("criterion");
            if dir.exists() {
                std::fs::remove_dir_all(&dir).expect("remove the old criterion data");
            }
            std::fs::create_dir_all(&dir).expect("create the criterion directory");
            c = c.output_directory(&dir);
        }
        if smoke {
            c = c
                .sample_size(10)
                .warm_up_time(Duration::from_millis(200))
                .measurement_time(Duration::from_millis(500));
        }
        let mut c = c.configure_from_args();

        let req = ratecard_bench::upgrade_preview_request();
        c.bench_function(UPGRADE_PREVIEW, |b| {
            b.iter(|| api::upgrade_preview(black_box(&catalogue), black_box(&req)));
        });
        let req = ratecard_bench::quota_request();
        c.bench_function(QUOTA_1000_EVENTS, |b| {
            b.iter(|| api::quota(black_box(&catalogue), black_box(&req)));
        });
        let req = ratecard_bench::ledger_request();
        c.bench_function(LEDGER_ONE_YEAR, |b| {
            b.iter(|| api::ledger(black_box(&catalogue), black_box(&req)));
        });
        c.final_summary();

        if let Some(out) = out {
            write_native_json(&out);
        }
    }

    /// Writes `native.json` from criterion's samples of each benchmark that ran. In criterion's
    /// test mode (`cargo test --benches`) nothing is sampled, so nothing is written.
    fn write_native_json(out: &Path) {
        let mut report = serde_json::Map::new();
        for id in IDS {
            let path = out
                .join("criterion")
                .join(id)
                .join("new")
                .join("sample.json");
            let Ok(text) = std::fs::read_to_string(&path) else {
                eprintln!("ratecard-bench: no samples for {id} at {}", path.display());
                continue;
            };
            let stats = stats_of_sample_file(&text).unwrap_or_else(|e| {
                panic!("{}: unreadable criterion samples: {e}", path.display())
            });
            report.insert(id.to_owned(), stats.to_json());
        }
        if report.is_empty() {
            eprintln!("ratecard-bench: no benchmark was sampled, so native.json is not written");
            return;
        }
        let path = out.join("native.json");
        let text = serde_json::to_string_pretty(&serde_json::Value::Object(report))
            .expect("the report serialises");
        std::fs::write(&path, text + "\n").expect("write native.json");
        eprintln!("ratecard-bench: wrote {}", path.display());
    }

    /// The statistics of criterion's `sample.json`: `iters[i]` iterations took `times[i]`
    /// nanoseconds, so each sample's mean is `times[i] / iters[i]`.
    // Timing statistics are measurements, not money, so floating point is the right tool.
    #[allow(clippy::float_arithmetic)]
    fn stats_of_sample_file(text: &str) -> Result<Stats, String> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let numbers = |field: &str| -> Result<Vec<f64>, String> {
            v.get(field)
                .and_then(serde_json::Value::as_array)
                .ok_or_else(|| format!("no `{field}` array"))?
                .iter()
                .map(|x| {
                    x.as_f64()
                        .ok_or_else(|| format!("a non-number in `{field}`"))
                })
                .collect()
        };
        let iters = numbers("iters")?;
        let times = numbers("times")?;
        if iters.len() != times.len() || iters.iter().any(|&n| n <= 0.0) {
            return Err("`iters` and `times` do not pair up".to_owned());
        }
        let per_iter: Vec<f64> = times.iter().zip(&iters).map(|(t, n)| t / n).collect();
        Stats::of(&per_iter).ok_or_else(|| "no finite samples".to_owned())
    }
}
