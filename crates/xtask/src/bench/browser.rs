//! The browser rows: first render against static HTML and input to repaint in the
//! checkout view, measured by `tests/bench` in headless Chromium.

use std::fs;
use std::path::Path;

use ratecard_bench::Stats;

use super::report::{Budget, Row};
use super::{Plan, fresh_dir};
use crate::tools::Browser;
use crate::util::{Result, cmd, step};

/// First render and input to repaint, from the samples `tests/bench` writes.
pub(super) fn rows(
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
    fresh_dir(&site)?;
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
    // One `NAME VALUE` line a sample.
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

/// The paragraph of `BENCHMARKS.md` that says how the first-render rows are taken.
pub(super) fn how_first_render(plan: &Plan) -> String {
    format!(
        "- **First render**: {} cold loads of each page, each in a fresh headless Chromium \
         session with an empty profile, served by the release server on loopback; the time \
         of `performance.mark(\"ratecard:tiers-painted\")` since navigation start. The floor \
         is the same demo page with the tier table the widget rendered copied in as static \
         HTML (a declarative shadow root with the widget's styles), setting the same mark \
         after its first frame. The ratio is taken per pair of loads.",
        plan.loads
    )
}

/// The paragraph of `BENCHMARKS.md` that says how the input-to-repaint row is taken.
pub(super) fn how_repaint(plan: &Plan) -> String {
    format!(
        "- **Input to repaint**: the editable checkout; {} changes of the target plan, \
         alternating between two plans, from just before the change event to \
         `performance.now()` in the first animation frame callback that sees the new total \
         (that frame paints it).",
        plan.repaints
    )
}
