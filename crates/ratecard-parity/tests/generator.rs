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

/// The request's subscription, or the subscription the ledger's events describe.
fn subscriptions(request: &serde_json::Value) -> Vec<&serde_json::Value> {
    let mut out: Vec<&serde_json::Value> = request.get("subscription").into_iter().collect();
    for e in request["events"].as_array().into_iter().flatten() {
        if e["type"] == "subscribe" {
            out.push(e);
        }
    }
    out
}

#[test]
fn the_ci_seed_set_exercises_intervals_currencies_and_trials() {
    let set = seed_set(CI_CASES);
    // What the generated requests carry, and how many of those compute.
    let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut note = |what: &'static str, computes: bool| {
        let e = seen.entry(what).or_default();
        e.0 += 1;
        e.1 += usize::from(computes);
    };
    for case in &set {
        let computes = !answer(case).starts_with("error:");
        let r = &case.request;
        for s in subscriptions(r) {
            if s["interval"] == "year" {
                note("a yearly subscription", computes);
            }
            if s.get("currency").is_some_and(|c| c != "USD") {
                note("a subscription in another currency", computes);
            }
            if s.get("trial_ends_at").is_some() || s["trial"] == true {
                note("a subscription in its trial", computes);
            }
        }
        let events = r["events"].as_array().into_iter().flatten();
        for e in events {
            if e["type"] == "interval-change" {
                note("an interval-change event", computes);
            }
            if e.get("to_interval").is_some() {
                note("a plan change with to_interval", computes);
            }
        }
        if let Some(c) = r.get("catalogue").filter(|c| c.is_object()) {
            if c["currencies"].as_array().is_some_and(|l| l.len() > 1) {
                note("an inline catalogue in several currencies", computes);
            }
            if c.get("currency_by_region").is_some() {
                note("an inline catalogue with currency_by_region", computes);
            }
            let plans = c["plans"].as_array().into_iter().flatten();
            let mut yearly = false;
            let mut trial = false;
            let mut recommended = false;
            for p in plans {
                let prices = p["prices"].as_array().into_iter().flatten();
                yearly |= prices.into_iter().any(|x| x["interval"] == "year");
                trial |= p.get("trial_days").is_some();
                recommended |= p["recommended"] == true;
            }
            if yearly {
                note("an inline catalogue with yearly prices", computes);
            }
            if trial {
                note("an inline catalogue with trial_days", computes);
            }
            if recommended {
                note("an inline catalogue with a recommended plan", computes);
            }
        }
        if r.get("to_interval").is_some() {
            note("a change request with to_interval", computes);
        }
        if r.get("region").is_some() {
            note("a pricing request with a region", computes);
        }
        if r.get("tax_inclusive_rate_bp").is_some() {
            note("a pricing request including tax", computes);
        }
    }
    for what in [
        "a yearly subscription",
        "a subscription in another currency",
        "a subscription in its trial",
        "an interval-change event",
        "a plan change with to_interval",
        "an inline catalogue in several currencies",
        "an inline catalogue with currency_by_region",
        "an inline catalogue with yearly prices",
        "an inline catalogue with trial_days",
        "an inline catalogue with a recommended plan",
        "a change request with to_interval",
        "a pricing request with a region",
        "a pricing request including tax",
    ] {
        let (n, ok) = seen.get(what).copied().unwrap_or_default();
        assert!(n >= 3, "only {n} cases with {what}: {seen:#?}");
        assert!(ok * 100 >= n * 80, "{what}: only {ok} of {n} compute");
    }
}
