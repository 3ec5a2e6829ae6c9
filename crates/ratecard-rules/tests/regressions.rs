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

/// Two grants whose credits add up past `u64`: the balance is an overflow error
/// (R-MONEY-4), never a total capped at `u64::MAX`. The server's bad-input sweep found it.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn prepaid_credits_past_u64_are_an_overflow() {
    let grants = format!(
        r#"{{"grants": [
            {{"id": "a", "credits": {max}, "granted_at": "2027-01-01T00:00:00Z"}},
            {{"id": "b", "credits": {max}, "granted_at": "2027-01-02T00:00:00Z"}}],
            "at": "2027-01-03T00:00:00Z"}}"#,
        max = u64::MAX
    );
    let request: api::PrepaidRequest = serde_json::from_str(&grants).expect("a valid request");
    let err = api::prepaid_balance(&request).expect_err("the total overflows");
    assert_eq!(err.code(), "overflow", "{err}");

    // One grant of `u64::MAX` alone is fine.
    let mut single = request.clone();
    single.grants.truncate(1);
    let answer = api::prepaid_balance(&single).expect("a total that fits");
    assert_eq!(answer.balance, u64::MAX);
}
