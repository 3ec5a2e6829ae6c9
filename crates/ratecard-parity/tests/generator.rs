//! Properties of the generator: deterministic, every endpoint covered, inputs mostly valid.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use ratecard_parity::{CI_CASES, ENDPOINTS, answer, cases, seed_set};

#[test]
fn the_generator_is_deterministic() {
    assert_eq!(cases(7, 40), cases(7, 40));
    assert_ne!(cases(7, 40), cases(8, 40));
}

#[test]
fn the_ci_seed_set_covers_every_endpoint_and_mostly_computes() {
    let set = seed_set(CI_CASES);
    assert_eq!(set.len(), CI_CASES);
    let mut per_endpoint: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for case in &set {
        let body = case.request.to_string();
        assert!(
            body.len() < 60 * 1024,
            "a request over the 64 KiB limit: {}",
            case.endpoint
        );
        let a = answer(case);
        assert!(
            !a.starts_with("decode-error"),
            "{} {body}: {a}",
            case.endpoint
        );
        let e = per_endpoint.entry(case.endpoint).or_default();
        e.0 += 1;
        if a.starts_with("error:") {
            *errors.entry(format!("{} {a}", case.endpoint)).or_default() += 1;
        } else {
            e.1 += 1;
        }
    }
    for ep in ENDPOINTS {
        assert!(per_endpoint.contains_key(ep), "{ep} is not covered");
    }
    let ok: usize = per_endpoint.values().map(|v| v.1).sum();
    assert!(
        ok * 100 >= set.len() * 95,
        "only {ok} of {} cases compute; errors: {errors:#?}",
        set.len()
    );
}

#[test]
fn the_comparison_notices_a_difference() {
    use ratecard_parity::http::{Response, compare};
    let ok = |body: &str| Response {
        status: 200,
        body: body.to_owned(),
    };
    assert!(compare(r#"{"a":1,"b":[2]}"#, &ok(r#"{"b":[2],"a":1}"#)).is_none());
    let diff = compare(r#"{"a":1}"#, &ok(r#"{"a":2}"#)).expect("a difference");
    assert!(diff.contains("first difference at byte 5"), "{diff}");
    let problem = Response {
        status: 422,
        body: r#"{"type":"https://ratecard.dev/problems/impossible"}"#.to_owned(),
    };
    assert!(compare("error:impossible", &problem).is_none());
    assert!(compare("error:overflow", &problem).is_some());
    assert!(compare(r#"{"a":1}"#, &problem).is_some());
}
