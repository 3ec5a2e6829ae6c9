//! Regression tests for inputs the fuzzers found (`fuzz/regressions/`).

use ratecard_rules::{Catalogue, api};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// A history in 1800 in New York, where the zone's offset was local mean time with
/// seconds: every instant of the answer must read back as the instant computed.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn ledger_instants_survive_a_local_mean_time_offset() {
    let request: api::LedgerRequest = serde_json::from_str(include_str!(
        "../../../fuzz/regressions/history-lmt-offset-seconds.json"
    ))
    .expect("the reproducer is a valid ledger request");
    let catalogue = Catalogue::builtin("stable-audio").expect("the default catalogue");
    let answer = api::ledger(&catalogue, &request).expect("the history computes");
    assert!(!answer.timeline.is_empty());
    let json = serde_json::to_string(&answer).expect("serialises");
    let read_back: api::LedgerResponse = serde_json::from_str(&json).expect("reads back");
    for (computed, written) in answer.timeline.iter().zip(&read_back.timeline) {
        assert_eq!(computed.at, written.at, "an instant moved when written");
    }
    assert_eq!(answer.timeline.len(), read_back.timeline.len());
}
