//! The payload rows: what the embed downloads, raw, gzip -9 and brotli, against a bare
//! Leptos counter (`benches/counter/`) built with the same profile and tools.

use std::fs;
use std::path::{Path, PathBuf};

use ratecard_bench::Stats;

use super::report::{Budget, KB, Row};
use crate::tools::Tools;
use crate::util::{Result, cmd, root, step, target_dir};
use crate::widget;

/// The paragraph of `BENCHMARKS.md` that says how the payload rows are taken.
pub(super) const HOW: &str = "- **Payload**: the files each kind of page downloads: `ratecard.js` (which \
     inlines every bundle's wasm-bindgen glue and the styles) and the one Wasm bundle the \
     loader picks for it; raw, gzip -9 and brotli q11. A pricing page with a built-in \
     catalogue, as in `embed-snippet.html`, downloads the tier table's bundle; a \
     subscriber's tier table the plan-change bundle; a catalogue from a URL or the server \
     the JSON reader's; the checkout and support views their own. Every page has a \
     budget of 100 KB of brotli, and the pricing page one of twice the floor. A zone \
     file, fetched once by a page that computes with a time zone, is listed beside \
     them. The floor is `benches/counter`, a bare Leptos counter built by the same \
     Trunk, wasm-bindgen, wasm-opt and `wasm-release` profile, counting its JS and Wasm.";

/// The widget payload against the counter's.
pub(super) fn rows(tools: &Tools, dist: &Path, work: &Path) -> Result<Vec<Row>> {
    step("payload: building the floor, a bare Leptos counter (benches/counter)");
    let counter = root().join("benches").join("counter");
    let counter_dist = work.join("counter-dist");
    cmd("cargo")
        .args(["fetch", "--manifest-path"])
        .arg(counter.join("Cargo.toml"))
        .dir(&counter)
        .status_ok("cargo fetch (counter)")?;
    crate::widget::size_build(cmd("trunk"), "")
        .args(["build", "--release", "--dist"])
        .arg(&counter_dist)
        .env("CARGO_TARGET_DIR", target_dir())
        .path_prepend(&tools.bin_dirs)
        .dir(&counter)
        .status_ok("trunk build --release (counter)")?;

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
    let floor = sizes(&counter_files)?;
    let mut rows = Vec::new();
    // Each kind of page downloads `ratecard.js` and one bundle. The first bundle is the
    // embed as integrators paste it (`embed-snippet.html`): a tier table of a built-in
    // catalogue, whose budget is also relative to the counter.
    for (index, bundle) in widget::BUNDLES.iter().enumerate() {
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
                .budget(Budget::AtMost(2.0), "≤ 2 ×"),
            );
        } else {
            rows.push(
                Row::new(
                    format!("payload: a page with the {} bundle, brotli", bundle.name),
                    "B",
                    Some(Stats::one(view[2])),
                )
                .budget(Budget::AtMost(100.0 * KB), "≤ 100 KB")
                .note(format!(
                    "{} ({}); raw {:.0} B, gzip -9 {:.0} B",
                    names(&files),
                    bundle.page,
                    view[0],
                    view[1]
                )),
            );
        }
    }
    // A page that computes with a time zone (checkout, support, a subscriber's tier
    // table) fetches that zone's file once; the Wasm carries only the index.
    for zone in ["America/New_York", "Europe/Berlin"] {
        let file = ratecard_rules::zone_file_name(zone).map_err(|e| e.to_string())?;
        let size = sizes(&[dist.join("zones").join(&file)])?;
        rows.push(
            Row::new(
                format!("payload when needed: the {zone} zone, brotli"),
                "B",
                Some(Stats::one(size[2])),
            )
            .note(format!(
                "zones/{file}, fetched lazily; raw {:.0} B",
                size[0]
            )),
        );
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

/// The file names of `files`, joined with ` + `.
fn names(files: &[PathBuf]) -> String {
    files
        .iter()
        .filter_map(|f| f.file_name().and_then(|n| n.to_str()).map(str::to_owned))
        .collect::<Vec<_>>()
        .join(" + ")
}
