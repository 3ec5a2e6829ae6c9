//! Native vs server: every case of the CI seed set, posted to the real `ratecard-server`
//! binary on 127.0.0.1, must get the native answer.
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, Instant};

use ratecard_parity::http::{Server, compare, post, server_bin};
use ratecard_parity::{answer, configured_set};

#[test]
fn the_server_answers_like_the_native_engine() {
    let server = Server::start(&server_bin()).unwrap_or_else(|e| panic!("{e}"));
    let deadline = Instant::now() + Duration::from_secs(120);
    let set = configured_set();
    let mut mismatches = Vec::new();
    for (i, case) in set.iter().enumerate() {
        assert!(
            Instant::now() < deadline,
            "the run took over 120 s at case {i}"
        );
        let native = answer(case);
        let body = case.request.to_string();
        let res = post(server.addr, case.endpoint, &body).unwrap_or_else(|e| {
            panic!("seed {} {}: request failed: {e}", case.seed, case.endpoint)
        });
        if let Some(diff) = compare(&native, &res) {
            mismatches.push(format!(
                "seed {} case {i} {}\nrequest: {body}\n{diff}",
                case.seed, case.endpoint
            ));
        }
    }
    drop(server);
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ:\n{}",
        mismatches.len(),
        set.len(),
        mismatches.join("\n\n")
    );
}
