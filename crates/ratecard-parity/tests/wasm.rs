//! Native vs wasm32: the cases `build.rs` generated and answered natively are recomputed
//! in headless Chromium, and every answer must be byte-identical.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const CASES: &str = include_str!(concat!(env!("OUT_DIR"), "/parity_cases.tsv"));

#[wasm_bindgen_test]
fn wasm_answers_like_native() {
    let mut n = 0usize;
    let mut mismatches = Vec::new();
    for line in CASES.lines() {
        let (seed, endpoint, request, native) =
            ratecard_parity::parse_line(line).expect("a well-formed line");
        let value: serde_json::Value = serde_json::from_str(request).expect("request JSON");
        let ours = ratecard_parity::answer_for(endpoint, &value);
        n += 1;
        if ours != native {
            mismatches.push(format!(
                "seed {seed} {endpoint}\nrequest: {request}\n{}",
                ratecard_parity::first_difference(native, &ours)
            ));
        }
    }
    assert_eq!(
        n,
        ratecard_parity::configured_cases(),
        "build.rs and the test disagree on the seed set"
    );
    assert!(
        mismatches.is_empty(),
        "{} of {n} cases differ (left native, right wasm32):\n{}",
        mismatches.len(),
        mismatches.join("\n\n")
    );
}
