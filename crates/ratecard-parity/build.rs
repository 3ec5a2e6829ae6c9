//! Generates the parity seed set NATIVELY, with the native answers, into
//! `OUT_DIR/parity_cases.tsv` for `tests/wasm.rs` to recompute in the browser.
//! `RATECARD_PARITY_CASES=N` sets its size (default 300, the CI set) and
//! `RATECARD_PARITY_SEED=S` its first seed (default 1).

#[path = "src/generator.rs"]
#[allow(dead_code)]
mod generator;

use std::fmt::Write as _;

fn main() {
    println!("cargo:rerun-if-changed=src/generator.rs");
    println!("cargo:rerun-if-env-changed=RATECARD_PARITY_CASES");
    println!("cargo:rerun-if-env-changed=RATECARD_PARITY_SEED");
    let first = std::env::var("RATECARD_PARITY_SEED")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1);
    let total = std::env::var("RATECARD_PARITY_CASES")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(generator::CI_CASES);
    let mut out = String::new();
    for case in generator::seed_set_from(first, total) {
        let answer = generator::answer(&case);
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}",
            case.seed, case.endpoint, case.request, answer
        );
    }
    let dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(format!("{dir}/parity_cases.tsv"), out).expect("write parity_cases.tsv");
}
