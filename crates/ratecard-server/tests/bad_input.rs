//! The bad-input suite: every class of bad request gets a 4xx problem with a stable
//! type, and nothing a client sends gets a 5xx.
//!
//! The tests at the top drive the router in process (`oneshot`). The module
//! [`over_the_socket`] at the bottom sweeps the same classes, and more, against the real
//! `ratecard-server` binary on a loopback socket with raw HTTP/1.1 bytes: malformed,
//! truncated and deeply nested JSON, invalid UTF-8, wrong types, missing fields, unknown
//! catalogues, plans, models, currencies and time zones, absurd amounts and dates, long
//! strings and lists, wrong content types, bodies over 64 KiB, lying lengths, garbage
//! request lines, and unknown methods and paths. Each case asserts its exact status and
//! problem `type`, and after the sweep, and during a storm of 64 bad clients, the same
//! process still answers good requests.

mod common;

use axum::body::Body;
use axum::http::{Request, header};
use common::*;
use ratecard_rules::Catalogue;
use serde_json::{Value, json};

/// Every POST endpoint and a valid body for it.
fn valid_bodies() -> Vec<(&'static str, Value)> {
    let sub = json!({"plan": "pro", "started_at": "2027-02-01T00:00:00Z"});
    vec![
        ("/api/v1/renewals", json!({"subscription": sub, "count": 3})),
        (
            "/api/v1/previews/upgrade",
            json!({"subscription": sub, "to_plan": "studio", "at": "2027-02-15T00:00:00Z"}),
        ),
        (
            "/api/v1/previews/downgrade",
            json!({"subscription": {"plan": "max", "started_at": "2027-02-01T00:00:00Z"},
                   "to_plan": "pro", "at": "2027-02-15T00:00:00Z"}),
        ),
        (
            "/api/v1/previews/cancel",
            json!({"subscription": sub, "at": "2027-02-15T00:00:00Z"}),
        ),
        (
            "/api/v1/quota",
            json!({"subscription": sub, "at": "2027-02-15T00:00:00Z",
                   "generations": [{"model": "stable-audio-2.0", "at": "2027-02-03T00:00:00Z"}],
                   "uploads": []}),
        ),
        (
            "/api/v1/refunds/eligibility",
            json!({"subscription": sub,
                   "charge": {"at": "2027-02-01T00:00:00Z", "amount_minor": 1199},
                   "request_at": "2027-02-02T00:00:00Z", "reason": "none", "generations": []}),
        ),
        (
            "/api/v1/licences/check",
            json!({"plan": "pro", "use": "podcast"}),
        ),
        (
            "/api/v1/prepaid/balance",
            json!({"grants": [{"id": "a", "credits": 10, "granted_at": "2026-01-01T00:00:00Z"}],
                   "spends": [], "at": "2026-02-01T00:00:00Z"}),
        ),
        (
            "/api/v1/topups/simulate",
            json!({"balance_minor": 1000, "threshold_minor": 500, "topup_minor": 2000,
                   "usage": [{"at": "2026-05-01T00:00:00Z", "amount_minor": 600}]}),
        ),
        (
            "/api/v1/terms/dates",
            json!({"account_created_at": "2026-01-10T00:00:00Z", "payments": []}),
        ),
        (
            "/api/v1/ledger",
            json!({"at": "2027-02-20T00:00:00Z",
                   "events": [{"type": "subscribe", "at": "2027-02-01T00:00:00Z", "plan": "pro"}]}),
        ),
        (
            "/api/v1/quote",
            json!({"subscription": sub, "to_plan": "studio", "at": "2027-02-15T00:00:00Z"}),
        ),
        (
            "/api/v1/previews/change",
            json!({"subscription": sub, "to_plan": "pro", "to_interval": "year",
                   "at": "2027-02-15T00:00:00Z"}),
        ),
        (
            "/api/v1/trials/start",
            json!({"plan": "pro", "at": "2027-02-01T00:00:00Z", "time_zone": "UTC",
                   "had_paid_or_trial": false}),
        ),
        ("/api/v1/pricing", json!({"region": "FR"})),
    ]
}

/// The endpoint whose every field is optional, so that `{}` is a valid request.
const ALL_OPTIONAL: &str = "/api/v1/pricing";

#[tokio::test]
async fn every_valid_body_is_accepted() {
    let app = default_app();
    for (path, body) in valid_bodies() {
        let a = post_json(&app, path, &body).await;
        assert_eq!(
            a.status.as_u16(),
            200,
            "{path}: {}",
            String::from_utf8_lossy(&a.body)
        );
    }
}

#[tokio::test]
async fn malformed_json_is_400_on_every_endpoint() {
    let app = default_app();
    for (path, _) in valid_bodies() {
        for raw in ["{", "{\"subscription\": }", "[", "nul", "{}}", "\u{0}"] {
            post_raw(&app, path, raw)
                .await
                .problem(400, "malformed-json");
        }
    }
}

#[tokio::test]
async fn wrong_shapes_are_400_invalid_field_on_every_endpoint() {
    let app = default_app();
    for (path, body) in valid_bodies() {
        // Not an object at all.
        for v in [json!([]), json!(42), json!("x"), json!(null)] {
            let p = post_json(&app, path, &v)
                .await
                .problem(400, "invalid-field");
            assert!(
                p["detail"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("the body is ") && d.contains("JSON object")),
                "{p}"
            );
        }
        // An empty object misses required fields.
        let a = post_json(&app, path, &json!({})).await;
        if path == ALL_OPTIONAL {
            assert_eq!(
                a.status.as_u16(),
                200,
                "{path}: {}",
                String::from_utf8_lossy(&a.body)
            );
        } else {
            a.problem(400, "invalid-field");
        }
        // An unknown field.
        let mut extra = body.clone();
        extra["surprise"] = json!(1);
        let p = post_json(&app, path, &extra)
            .await
            .problem(400, "invalid-field");
        assert!(
            p["detail"].as_str().is_some_and(|d| d.contains("surprise")),
            "{p}"
        );
        // Each top-level field in turn: removed (unless optional) and given a wrong type.
        for key in body.as_object().expect("object").keys() {
            let mut wrong = body.clone();
            wrong[key.as_str()] = json!({"wrong": ["type"]});
            let a = post_json(&app, path, &wrong).await;
            a.problem(400, "invalid-field");
        }
    }
}

#[tokio::test]
async fn wrong_types_name_the_field() {
    let app = default_app();
    let p = post_json(
        &app,
        "/api/v1/renewals",
        &json!({"subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                "count": "three"}),
    )
    .await
    .problem(400, "invalid-field");
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("count")),
        "{p}"
    );
    let p = post_json(
        &app,
        "/api/v1/renewals",
        &json!({"subscription": {"plan": "pro"}, "count": 3}),
    )
    .await
    .problem(400, "invalid-field");
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("started_at")),
        "{p}"
    );
    // Impossible calendar dates and non-RFC 3339 instants are malformed fields.
    for started_at in [
        "2027-02-30T00:00:00Z",
        "2027-13-01T00:00:00Z",
        "yesterday",
        "2027-02-01",
        "",
    ] {
        let p = post_json(
            &app,
            "/api/v1/renewals",
            &json!({"subscription": {"plan": "pro", "started_at": started_at}, "count": 3}),
        )
        .await
        .problem(400, "invalid-field");
        assert_eq!(p["field"], "subscription.started_at", "{p}");
        let detail = p["detail"].as_str().unwrap_or_default();
        assert!(
            detail.starts_with("`subscription.started_at`: ")
                && detail.contains(&format!("`{started_at}` is not a valid instant or date"))
                && detail.contains("RFC 3339"),
            "{p}"
        );
    }
    // Negative and fractional counts, negative credits.
    for count in [json!(-1), json!(1.5), json!(1e30)] {
        post_json(
            &app,
            "/api/v1/renewals",
            &json!({"subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                    "count": count}),
        )
        .await
        .problem(400, "invalid-field");
    }
    post_json(
        &app,
        "/api/v1/licences/check",
        &json!({"plan": "pro", "use": "world-domination"}),
    )
    .await
    .problem(400, "invalid-field");
}

#[tokio::test]
async fn unknown_catalogue_ids_are_404_on_every_catalogue_endpoint() {
    let app = default_app();
    for (path, mut body) in valid_bodies() {
        if matches!(
            path,
            "/api/v1/prepaid/balance" | "/api/v1/topups/simulate" | "/api/v1/terms/dates"
        ) {
            continue;
        }
        body["catalogue"] = json!("no-such-catalogue");
        let p = post_json(&app, path, &body)
            .await
            .problem(404, "unknown-catalogue");
        let detail = p["detail"].as_str().expect("detail");
        assert!(
            detail.contains("no-such-catalogue") && detail.contains("stable-audio"),
            "{detail}"
        );
    }
}

#[tokio::test]
async fn unknown_plan_model_and_zone_are_422_listing_the_valid_ids() {
    let app = default_app();
    let p = post_json(
        &app,
        "/api/v1/previews/upgrade",
        &json!({"subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                "to_plan": "platinum", "at": "2027-02-15T00:00:00Z"}),
    )
    .await
    .problem(422, "unknown-id");
    assert_eq!(
        p["detail"],
        "unknown plan `platinum`; valid plans: free, pro, studio, max"
    );
    assert_eq!(p["valid"], json!(["free", "pro", "studio", "max"]));

    let p = post_json(
        &app,
        "/api/v1/quota",
        &json!({"subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                "at": "2027-02-15T00:00:00Z",
                "generations": [{"model": "stable-audio-9", "at": "2027-02-03T00:00:00Z"}]}),
    )
    .await
    .problem(422, "unknown-id");
    let detail = p["detail"].as_str().expect("detail");
    assert!(
        detail.contains("stable-audio-9") && detail.contains("stable-audio-2.0"),
        "{detail}"
    );

    let p = post_json(
        &app,
        "/api/v1/renewals",
        &json!({"subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z",
                                 "time_zone": "Mars/Olympus_Mons"}, "count": 3}),
    )
    .await
    .problem(422, "unknown-id");
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("Mars/Olympus_Mons")),
        "{p}"
    );

    post_json(
        &app,
        "/api/v1/licences/check",
        &json!({"plan": "gold", "use": "podcast"}),
    )
    .await
    .problem(422, "unknown-id");
}

#[tokio::test]
async fn instants_before_the_start_are_422_impossible() {
    let app = default_app();
    let sub = json!({"plan": "pro", "started_at": "2027-02-01T00:00:00Z"});
    for (path, body) in [
        (
            "/api/v1/previews/upgrade",
            json!({"subscription": sub, "to_plan": "studio", "at": "2027-01-15T00:00:00Z"}),
        ),
        (
            "/api/v1/previews/downgrade",
            json!({"subscription": {"plan": "max", "started_at": "2027-02-01T00:00:00Z"},
                   "to_plan": "pro", "at": "2027-01-15T00:00:00Z"}),
        ),
        (
            "/api/v1/previews/cancel",
            json!({"subscription": sub, "at": "2027-01-15T00:00:00Z"}),
        ),
        (
            "/api/v1/quota",
            json!({"subscription": sub, "at": "2027-01-15T00:00:00Z"}),
        ),
    ] {
        post_json(&app, path, &body)
            .await
            .problem(422, "impossible");
    }
}

#[tokio::test]
async fn absurd_counts_are_rejected() {
    let app = default_app();
    for count in [0, 121, 1_000_000, u32::MAX] {
        let a = post_json(
            &app,
            "/api/v1/renewals",
            &json!({"subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                    "count": count}),
        )
        .await;
        a.problem(422, "impossible");
    }
    // The bounds themselves are fine.
    for count in [1, 120] {
        let a = post_json(
            &app,
            "/api/v1/renewals",
            &json!({"subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                    "count": count}),
        )
        .await;
        assert_eq!(a.status.as_u16(), 200);
        assert_eq!(a.json()["renewals"].as_array().map(Vec::len), Some(count));
    }
}

#[tokio::test]
async fn overflowing_amounts_are_422() {
    let app = default_app();
    // An inline catalogue with an i64::MAX price, and 20 % tax on it.
    let mut spec: Value = serde_json::from_str(
        &Catalogue::builtin("stable-audio")
            .expect("builtin")
            .to_json(),
    )
    .expect("json");
    spec["plans"][2]["price_minor"] = json!(i64::MAX);
    // Its prices in dollars follow: `price_minor` is the monthly one, and a yearly price
    // is not below it (R-INTERVAL-1).
    for price in spec["plans"][2]["prices"]
        .as_array_mut()
        .expect("studio has prices")
    {
        if price["currency"] == "USD" {
            price["amount_minor"] = json!(i64::MAX);
        }
    }
    let a = post_json(
        &app,
        "/api/v1/previews/upgrade",
        &json!({"catalogue": spec,
                "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                "to_plan": "studio", "at": "2027-02-01T00:00:00Z", "tax_rate_bp": 2000}),
    )
    .await;
    a.problem(422, "overflow");

    // A top-up whose tax overflows.
    let a = post_json(
        &app,
        "/api/v1/topups/simulate",
        &json!({"balance_minor": 0, "threshold_minor": 1, "topup_minor": i64::MAX,
                "tax_rate_bp": 2000,
                "usage": [{"at": "2026-05-01T00:00:00Z", "amount_minor": 1}]}),
    )
    .await;
    a.problem(422, "overflow");

    // Payments that add up past i64::MAX.
    let a = post_json(
        &app,
        "/api/v1/terms/dates",
        &json!({"account_created_at": "2026-01-10T00:00:00Z",
                "claim_at": "2026-06-01T00:00:00Z",
                "payments": [{"at": "2026-03-01T00:00:00Z", "amount_minor": i64::MAX},
                             {"at": "2026-03-02T00:00:00Z", "amount_minor": i64::MAX}]}),
    )
    .await;
    a.problem(422, "overflow");

    // Amounts past the 64-bit range are overflowing amounts too, naming the field.
    for (raw, field) in [
        (
            r#"{"balance_minor": 99999999999999999999, "threshold_minor": 1, "topup_minor": 1, "usage": []}"#,
            "balance_minor",
        ),
        (
            r#"{"balance_minor": 0, "threshold_minor": 1, "topup_minor": 9223372036854775808, "usage": []}"#,
            "topup_minor",
        ),
        (
            r#"{"balance_minor": 0, "threshold_minor": 1, "topup_minor": 1,
                "usage": [{"at": "2026-05-01T00:00:00Z", "amount_minor": -1e25}]}"#,
            "usage[0].amount_minor",
        ),
    ] {
        let p = post_raw(&app, "/api/v1/topups/simulate", raw)
            .await
            .problem(422, "overflow");
        assert_eq!(p["field"], field, "{p}");
        assert!(
            p["detail"].as_str().is_some_and(
                |d| d.starts_with(&format!("`{field}`: ")) && d.contains("9223372036854775807")
            ),
            "{p}"
        );
    }
    let p = post_raw(
        &app,
        "/api/v1/terms/dates",
        r#"{"account_created_at": "2026-01-10T00:00:00Z",
            "payments": [{"at": "2026-03-01T00:00:00Z", "amount_minor": 18446744073709551616}]}"#,
    )
    .await
    .problem(422, "overflow");
    assert_eq!(p["field"], "payments[0].amount_minor", "{p}");
    // A fractional amount is a wrong type, not an overflow.
    let p = post_raw(
        &app,
        "/api/v1/topups/simulate",
        r#"{"balance_minor": 1.5, "threshold_minor": 1, "topup_minor": 1, "usage": []}"#,
    )
    .await
    .problem(400, "invalid-field");
    assert_eq!(p["field"], "balance_minor", "{p}");
}

#[tokio::test]
async fn invalid_inline_catalogues_are_422_naming_the_field() {
    let app = default_app();
    let mut spec: Value = serde_json::from_str(
        &Catalogue::builtin("stable-audio")
            .expect("builtin")
            .to_json(),
    )
    .expect("json");
    spec["plans"][1]["price_minor"] = json!(-5);
    let p = post_json(
        &app,
        "/api/v1/renewals",
        &json!({"catalogue": spec,
                "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                "count": 1}),
    )
    .await
    .problem(422, "invalid-catalogue");
    assert_eq!(p["field"], "plans[1].price_minor");
    assert_eq!(
        p["detail"],
        "the inline catalogue is invalid: `catalogue.plans[1].price_minor`: \
         a price cannot be negative, got -5; fix that field, or send a catalogue id instead",
        "{p}"
    );

    // The same through another endpoint, with another validation failure.
    let mut spec2: Value = serde_json::from_str(
        &Catalogue::builtin("stable-audio")
            .expect("builtin")
            .to_json(),
    )
    .expect("json");
    spec2["plans"][2]["licence"] = json!("galactic");
    let p = post_json(
        &app,
        "/api/v1/quote",
        &json!({"catalogue": spec2,
                "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                "to_plan": "studio", "at": "2027-02-15T00:00:00Z"}),
    )
    .await
    .problem(422, "invalid-catalogue");
    assert_eq!(p["field"], "plans[2].licence");
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("`catalogue.plans[2].licence`") && d.contains("galactic")),
        "{p}"
    );
}

#[tokio::test]
async fn shape_errors_inside_an_inline_catalogue_name_the_inner_path() {
    let app = default_app();
    let spec: Value = serde_json::from_str(
        &Catalogue::builtin("stable-audio")
            .expect("builtin")
            .to_json(),
    )
    .expect("json");
    type Edit = fn(&mut Value);
    let cases: [(Edit, &str, &str); 6] = [
        (
            |c| c["plans"][0]["price_minor"] = json!("free"),
            "catalogue.plans[0].price_minor",
            "expected i64",
        ),
        (
            |c| c["plans"][1]["colour"] = json!("red"),
            "catalogue.plans[1].colour",
            "unknown field `colour`",
        ),
        (
            |c| {
                c["plans"][3]
                    .as_object_mut()
                    .expect("plan")
                    .remove("licence");
            },
            "catalogue.plans[3]",
            "missing field `licence`",
        ),
        (
            |c| c["models"][1]["credits"] = json!(-1),
            "catalogue.models[1].credits",
            "-1",
        ),
        (
            |c| c["policy"]["upgrade_allowance"] = json!("half"),
            "catalogue.policy.upgrade_allowance",
            "`full` or `prorated`",
        ),
        (
            |c| c["currency"] = json!("XXX"),
            "catalogue.currency",
            "XXX",
        ),
    ];
    for (edit, field, says) in cases {
        let mut c = spec.clone();
        edit(&mut c);
        let p = post_json(
            &app,
            "/api/v1/renewals",
            &json!({"catalogue": c,
                    "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                    "count": 1}),
        )
        .await
        .problem(400, "invalid-field");
        assert_eq!(p["field"], field, "{p}");
        let detail = p["detail"].as_str().unwrap_or_default();
        assert!(
            detail.starts_with(&format!("`{field}`: ")) && detail.contains(says),
            "{p}"
        );
        assert!(!detail.contains(" at line "), "{p}");
    }
    // An inline price past the 64-bit range is an overflowing amount.
    let mut c = spec.clone();
    c["plans"][2]["price_minor"] = json!(u64::MAX);
    let p = post_json(
        &app,
        "/api/v1/renewals",
        &json!({"catalogue": c,
                "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                "count": 1}),
    )
    .await
    .problem(422, "overflow");
    assert_eq!(p["field"], "catalogue.plans[2].price_minor", "{p}");
    // A catalogue that is neither an id nor an object.
    let p = post_json(
        &app,
        "/api/v1/renewals",
        &json!({"catalogue": 7,
                "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                "count": 1}),
    )
    .await
    .problem(400, "invalid-field");
    assert_eq!(p["field"], "catalogue", "{p}");
}

#[tokio::test]
async fn intervals_other_than_month_or_year_are_400() {
    let app = default_app();
    let weekly = json!({"plan": "pro", "started_at": "2027-02-01T00:00:00Z", "interval": "week"});
    for (path, body, field) in [
        (
            "/api/v1/previews/upgrade",
            json!({"subscription": weekly, "to_plan": "studio", "at": "2027-02-15T00:00:00Z"}),
            "subscription.interval",
        ),
        (
            "/api/v1/renewals",
            json!({"subscription": weekly, "count": 3}),
            "subscription.interval",
        ),
        (
            "/api/v1/previews/change",
            json!({"subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                   "to_plan": "studio", "to_interval": "week", "at": "2027-02-15T00:00:00Z"}),
            "to_interval",
        ),
        (
            "/api/v1/trials/start",
            json!({"plan": "pro", "interval": "week", "at": "2027-02-01T00:00:00Z",
                   "time_zone": "UTC", "had_paid_or_trial": false}),
            "interval",
        ),
    ] {
        let p = post_json(&app, path, &body)
            .await
            .problem(400, "invalid-field");
        assert_eq!(p["field"], field, "{path}: {p}");
        let detail = p["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains(&format!("`{field}`"))
                && detail.contains("week")
                && detail.contains("`month`")
                && detail.contains("`year`"),
            "{path}: {p}"
        );
    }
}

#[tokio::test]
async fn currencies_the_catalogue_does_not_price_in_are_422_listing_its_currencies() {
    let app = default_app();
    let sub = json!({"plan": "pro", "started_at": "2027-02-01T00:00:00Z", "currency": "CHF"});
    for (path, body) in [
        ("/api/v1/pricing", json!({"currency": "CHF"})),
        (
            "/api/v1/pricing",
            json!({"catalogue": "stable-audio", "currency": "CHF", "region": "DE"}),
        ),
        (
            "/api/v1/trials/start",
            json!({"plan": "pro", "currency": "CHF", "at": "2027-02-01T00:00:00Z",
                   "time_zone": "Europe/Zurich", "had_paid_or_trial": false}),
        ),
        (
            "/api/v1/previews/change",
            json!({"subscription": sub, "to_plan": "studio", "at": "2027-02-15T00:00:00Z"}),
        ),
        (
            "/api/v1/previews/upgrade",
            json!({"subscription": sub, "to_plan": "studio", "at": "2027-02-15T00:00:00Z"}),
        ),
    ] {
        let p = post_json(&app, path, &body)
            .await
            .problem(422, "unknown-id");
        let detail = p["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains("`CHF`") && detail.contains("USD, EUR, GBP, JPY"),
            "{path}: {p}"
        );
        assert_eq!(
            p["valid"],
            json!(["USD", "EUR", "GBP", "JPY"]),
            "{path}: {p}"
        );
    }
    // A code that is no ISO 4217 currency at all is a malformed field instead.
    let p = post_json(&app, "/api/v1/pricing", &json!({"currency": "XYZ"}))
        .await
        .problem(400, "invalid-field");
    assert_eq!(p["field"], "currency", "{p}");
}

#[tokio::test]
async fn an_inline_catalogue_missing_a_price_is_422_naming_the_field() {
    let app = default_app();
    let mut spec: Value = serde_json::from_str(
        &Catalogue::builtin("stable-audio")
            .expect("builtin")
            .to_json(),
    )
    .expect("json");
    // Studio (plans[2]) loses its yearly price in euros.
    let prices = spec["plans"][2]["prices"]
        .as_array_mut()
        .expect("studio has prices");
    let before = prices.len();
    prices.retain(|p| !(p["interval"] == "year" && p["currency"] == "EUR"));
    assert_eq!(prices.len(), before - 1);
    for (path, body) in [
        (
            "/api/v1/pricing",
            json!({"catalogue": spec, "region": "US"}),
        ),
        (
            "/api/v1/previews/change",
            json!({"catalogue": spec,
                   "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                   "to_plan": "pro", "to_interval": "year", "at": "2027-02-15T00:00:00Z"}),
        ),
    ] {
        let p = post_json(&app, path, &body)
            .await
            .problem(422, "invalid-catalogue");
        assert_eq!(p["field"], "plans[2].prices", "{path}: {p}");
        let detail = p["detail"].as_str().unwrap_or_default();
        assert!(
            detail.starts_with("the inline catalogue is invalid: `catalogue.plans[2].prices`: ")
                && detail.contains("year")
                && detail.contains("EUR"),
            "{path}: {p}"
        );
    }

    // A yearly price below the monthly one (R-INTERVAL-1), and a second recommended plan.
    let mut cheap: Value = serde_json::from_str(
        &Catalogue::builtin("stable-audio")
            .expect("builtin")
            .to_json(),
    )
    .expect("json");
    let (i, _) = cheap["plans"][1]["prices"]
        .as_array()
        .expect("prices")
        .iter()
        .enumerate()
        .find(|(_, p)| p["interval"] == "year" && p["currency"] == "GBP")
        .expect("a GBP yearly price");
    cheap["plans"][1]["prices"][i]["amount_minor"] = json!(500);
    let p = post_json(&app, "/api/v1/pricing", &json!({"catalogue": cheap}))
        .await
        .problem(422, "invalid-catalogue");
    assert_eq!(
        p["field"],
        format!("plans[1].prices[{i}].amount_minor"),
        "{p}"
    );
    let mut two: Value = serde_json::from_str(
        &Catalogue::builtin("stable-audio")
            .expect("builtin")
            .to_json(),
    )
    .expect("json");
    two["plans"][3]["recommended"] = json!(true);
    let p = post_json(&app, "/api/v1/pricing", &json!({"catalogue": two}))
        .await
        .problem(422, "invalid-catalogue");
    assert_eq!(p["field"], "plans[3].recommended", "{p}");
}

#[tokio::test]
async fn a_spend_beyond_the_balance_is_422() {
    let app = default_app();
    let a = post_json(
        &app,
        "/api/v1/prepaid/balance",
        &json!({"grants": [{"id": "a", "credits": 10, "granted_at": "2026-01-01T00:00:00Z"}],
                "spends": [{"credits": 11, "at": "2026-01-02T00:00:00Z"}],
                "at": "2026-02-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(
        a.status.as_u16(),
        422,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    a.problem(
        422,
        a.json()["type"]
            .as_str()
            .and_then(|t| t.rsplit('/').next())
            .unwrap_or("?"),
    );
}

#[tokio::test]
async fn oversized_bodies_and_lists_are_413() {
    let app = default_app();
    let events: Vec<Value> = (0..3000)
        .map(|_| json!({"model": "stable-audio-2.0", "at": "2027-02-03T00:00:00Z"}))
        .collect();
    for (path, _) in valid_bodies() {
        let body = json!({
            "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
            "at": "2027-02-15T00:00:00Z",
            "generations": events,
        });
        post_json(&app, path, &body)
            .await
            .problem(413, "body-too-large");
        let padded = format!("{{\"pad\": \"{}\"}}", "x".repeat(65 * 1024));
        post_raw(&app, path, padded)
            .await
            .problem(413, "body-too-large");
    }
}

#[tokio::test]
async fn wrong_methods_routes_and_content_types() {
    let app = default_app();
    for (path, body) in valid_bodies() {
        get(&app, path).await.problem(405, "method-not-allowed");
        let a = send(
            &app,
            Request::put(path)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
        .await;
        a.problem(405, "method-not-allowed");
        let a = send(
            &app,
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("count=3"))
                .expect("request"),
        )
        .await;
        a.problem(400, "unsupported-media-type");
        // A charset parameter is fine.
        let a = send(
            &app,
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
        .await;
        assert_eq!(a.status.as_u16(), 200, "{path}");
    }
    for path in [
        "/api/v1/renewal",
        "/api/v1/previews",
        "/api/v1/previews/upgrade/x",
    ] {
        post_json(&app, path, &json!({}))
            .await
            .problem(404, "not-found");
    }
}

/// A scatter of odd requests: none may answer 5xx, and every error is a typed problem.
#[tokio::test]
async fn no_probe_gets_a_5xx() {
    let app = default_app();
    let far = [
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "1970-01-01T00:00:00+14:00",
        "2027-03-28T01:30:00+01:00",
    ];
    let zones = [
        "UTC",
        "Europe/London",
        "Pacific/Kiritimati",
        "America/St_Johns",
        "Etc/GMT+12",
        "",
    ];
    let mut probes: Vec<(&str, Value)> = Vec::new();
    for start in far {
        for t in far {
            for zone in zones {
                let sub = json!({"plan": "pro", "started_at": start, "time_zone": zone});
                probes.push((
                    "/api/v1/renewals",
                    json!({"subscription": sub, "count": 120}),
                ));
                probes.push((
                    "/api/v1/previews/upgrade",
                    json!({"subscription": sub, "to_plan": "max", "at": t, "tax_rate_bp": u32::MAX}),
                ));
                probes.push((
                    "/api/v1/previews/downgrade",
                    json!({"subscription": {"plan": "max", "started_at": start, "time_zone": zone},
                           "to_plan": "free", "at": t}),
                ));
                probes.push((
                    "/api/v1/previews/cancel",
                    json!({"subscription": sub, "at": t}),
                ));
                probes.push((
                    "/api/v1/quota",
                    json!({"subscription": sub, "at": t,
                           "uploads": [{"seconds": u32::MAX, "at": t}],
                           "generations": [{"model": "stable-audio-2.0", "at": start}]}),
                ));
                probes.push((
                    "/api/v1/refunds/eligibility",
                    json!({"subscription": sub, "charge": {"at": t, "amount_minor": i64::MIN},
                           "request_at": start, "reason": "accidental-purchase", "generations": []}),
                ));
                probes.push((
                    "/api/v1/quote",
                    json!({"subscription": sub, "to_plan": "studio", "at": t}),
                ));
            }
            probes.push((
                "/api/v1/prepaid/balance",
                json!({"grants": [{"id": "a", "credits": u64::MAX, "granted_at": start, "expires_at": t},
                                  {"id": "a", "credits": u64::MAX, "granted_at": t}],
                       "spends": [{"credits": u64::MAX, "at": t}], "at": start, "expiry_months": u32::MAX}),
            ));
            probes.push((
                "/api/v1/topups/simulate",
                json!({"balance_minor": i64::MIN, "threshold_minor": i64::MAX, "topup_minor": 1,
                       "tax_rate_bp": u32::MAX,
                       "usage": [{"at": t, "amount_minor": i64::MAX}, {"at": start, "amount_minor": i64::MIN}]}),
            ));
            probes.push((
                "/api/v1/terms/dates",
                json!({"account_created_at": start, "claim_at": t, "dispute_notified_at": t,
                       "payments": [{"at": t, "amount_minor": i64::MIN}], "currency": "JPY"}),
            ));
            probes.push((
                "/api/v1/ledger",
                json!({"at": t, "time_zone": "Asia/Kathmandu", "tax_rate_bp": 10_000,
                "events": [
                    {"type": "subscribe", "at": start, "plan": "free"},
                    {"type": "upgrade", "at": start, "to_plan": "max"},
                    {"type": "grant", "at": start, "credits": u64::MAX},
                    {"type": "charge", "at": t, "amount_minor": i64::MAX},
                    {"type": "charge", "at": t, "amount_minor": i64::MAX},
                    {"type": "refund-request", "at": t},
                    {"type": "cancel", "at": t, "close_account": true},
                    {"type": "downgrade", "at": t, "to_plan": "pro"}
                ]}),
            ));
        }
    }
    // A top-up of 1 against a huge usage must not loop once per minor unit.
    probes.push((
        "/api/v1/topups/simulate",
        json!({"balance_minor": 0, "threshold_minor": i64::MAX, "topup_minor": 1,
               "usage": [{"at": "2026-01-01T00:00:00Z", "amount_minor": i64::MAX}]}),
    ));
    probes.push((
        "/api/v1/topups/simulate",
        json!({"balance_minor": 0, "threshold_minor": 1_000_000_000_000i64, "topup_minor": 1,
               "usage": []}),
    ));
    let started = std::time::Instant::now();
    let mut statuses = std::collections::BTreeMap::new();
    for (path, body) in &probes {
        let a = post_json(&app, path, body).await;
        assert!(
            a.status.as_u16() < 500,
            "{path} answered {} to {body}: {}",
            a.status,
            String::from_utf8_lossy(&a.body)
        );
        if a.status.as_u16() >= 400 {
            assert_eq!(a.header("content-type"), Some("application/problem+json"));
            let p = a.json();
            assert!(
                p["type"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("https://ratecard.dev/problems/")),
                "{p}"
            );
        }
        *statuses.entry(a.status.as_u16()).or_insert(0u32) += 1;
    }
    eprintln!(
        "{} probes in {:?}: {statuses:?}",
        probes.len(),
        started.elapsed()
    );
}

#[tokio::test]
async fn errors_inside_ledger_events_name_the_member() {
    let app = default_app();
    let cases = [
        (
            json!({"type": "subscribe", "at": "2027-02-01T00:00:00Z", "plan": 5}),
            400,
            "invalid-field",
            "events[0].plan",
            "integer `5`",
        ),
        (
            json!({"type": "subscribe", "at": "2027-02-31T00:00:00Z", "plan": "pro"}),
            400,
            "invalid-field",
            "events[0].at",
            "`2027-02-31T00:00:00Z` is not a valid instant or date",
        ),
        (
            json!({"type": "grant", "at": "2027-02-01T00:00:00Z", "credits": 5, "expires_at": "soon"}),
            400,
            "invalid-field",
            "events[0].expires_at",
            "`soon` is not a valid instant or date",
        ),
        (
            json!({"type": "upload", "at": "2027-02-01T00:00:00Z", "seconds": 3,
                   "copyright_flagged": "yes"}),
            400,
            "invalid-field",
            "events[0].copyright_flagged",
            "expected a boolean",
        ),
        (
            json!({"type": "charge", "at": "2027-02-01T00:00:00Z",
                   "amount_minor": 1e20}),
            422,
            "overflow",
            "events[0].amount_minor",
            "64-bit",
        ),
        (
            json!({"type": "teleport", "at": "2027-02-01T00:00:00Z"}),
            400,
            "invalid-field",
            "events[0].type",
            "unknown variant `teleport`",
        ),
    ];
    for (event, status, code, field, says) in cases {
        let p = post_json(
            &app,
            "/api/v1/ledger",
            &json!({"at": "2027-02-20T00:00:00Z", "events": [event]}),
        )
        .await
        .problem(status, code);
        assert_eq!(p["field"], field, "{p}");
        assert!(
            p["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with(&format!("`{field}`: ")) && d.contains(says)),
            "{p}"
        );
    }
}

#[tokio::test]
async fn an_object_in_place_of_a_value_is_named_and_not_a_member_inside_it() {
    let app = default_app();
    let cases = [
        (
            json!({"plan": {"x": {}}, "at": "2027-02-01T00:00:00Z"}),
            "plan",
            "invalid type: map, expected a string",
        ),
        (
            json!({"plan": "pro", "at": {"when": {}}}),
            "at",
            "invalid type: map",
        ),
    ];
    for (body, field, says) in cases {
        let p = post_json(&app, "/api/v1/trials/start", &body)
            .await
            .problem(400, "invalid-field");
        assert_eq!(p["field"], field, "{p}");
        assert!(
            p["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with(&format!("`{field}`: {says}"))),
            "{p}"
        );
    }
}

/// The same promise over a real socket: the `ratecard-server` binary on 127.0.0.1:0,
/// spoken to with raw HTTP/1.1 bytes, so that the sweep can send what no HTTP client
/// library would (garbage request lines, lying lengths, invalid UTF-8).
mod over_the_socket {
    use std::io::{Read, Write};
    use std::net::{Shutdown, SocketAddr, TcpStream};
    use std::process::Child;
    use std::sync::{Arc, Barrier, mpsc};
    use std::time::{Duration, Instant};

    use serde_json::{Value, json};

    /// The prefix of every problem `type` URI the server sends.
    const PROBLEM_BASE: &str = "https://ratecard.dev/problems/";

    /// The request timeout the servers of this module run with, in seconds, so that a
    /// body that never arrives is answered quickly.
    const REQUEST_TIMEOUT_SECS: u64 = 2;

    /// A running server; killed when dropped, so no test leaks a process.
    struct Server {
        child: Child,
        addr: SocketAddr,
        _db: tempfile::TempDir,
    }

    impl Server {
        fn start(args: &[&str]) -> Server {
            let (child, addr, db) = crate::common::process::spawn(args, &[]);
            let server = Server {
                child,
                addr,
                _db: db,
            };
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                if let Ok(Reply::Answer(r)) = server.send(&get("/healthz"), false)
                    && r.status == 200
                {
                    break;
                }
                assert!(Instant::now() < deadline, "/healthz never answered");
                std::thread::sleep(Duration::from_millis(50));
            }
            server
        }

        /// Starts the server with the short request timeout of this module.
        fn start_for_sweep() -> Server {
            let timeout = REQUEST_TIMEOUT_SECS.to_string();
            Server::start(&["--request-timeout-secs", &timeout])
        }

        /// Sends raw bytes on a fresh connection and reads until the server closes it.
        /// With `half_close`, the client shuts its writing side once everything is sent,
        /// so the server sees the end of the stream.
        fn send(&self, bytes: &[u8], half_close: bool) -> std::io::Result<Reply> {
            let mut stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(5))?;
            stream.set_read_timeout(Some(Duration::from_secs(15)))?;
            stream.set_write_timeout(Some(Duration::from_secs(15)))?;
            // The writer runs on its own thread: the server may answer (413) and close
            // before it has read the whole body, and the reader must not wait for it.
            let mut writer = stream.try_clone()?;
            let bytes = bytes.to_vec();
            let written = std::thread::spawn(move || {
                let _ = writer.write_all(&bytes);
                if half_close {
                    let _ = writer.shutdown(Shutdown::Write);
                }
            });
            let mut raw = Vec::new();
            let mut buf = [0u8; 16 * 1024];
            loop {
                match stream.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => raw.extend_from_slice(&buf[..n]),
                    // A reset after the answer arrived (the server closed with part of a
                    // too-large body unread) still leaves the answer in `raw`.
                    Err(e) if !raw.is_empty() && e.kind() != std::io::ErrorKind::WouldBlock => {
                        break;
                    }
                    Err(e) => return Err(e),
                }
            }
            let _ = written.join();
            Ok(Reply::parse(&raw))
        }

        /// Sends a request and expects an HTTP answer.
        fn answer(&self, bytes: &[u8]) -> Response {
            match self.send(bytes, false).expect("request") {
                Reply::Answer(r) => r,
                Reply::Closed => panic!("the server closed the connection without an answer"),
            }
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// What came back on a connection.
    #[derive(Debug)]
    enum Reply {
        /// An HTTP response.
        Answer(Response),
        /// The server closed the connection without sending a byte.
        Closed,
    }

    #[derive(Debug)]
    struct Response {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    impl Reply {
        fn parse(raw: &[u8]) -> Reply {
            if raw.is_empty() {
                return Reply::Closed;
            }
            let split = raw
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
            let head = String::from_utf8_lossy(&raw[..split]).into_owned();
            let mut lines = head.split("\r\n");
            let status_line = lines.next().unwrap_or_default();
            assert!(
                status_line.starts_with("HTTP/1.1 "),
                "not an HTTP/1.1 status line: {status_line:?}"
            );
            let status = status_line
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("no status in {status_line:?}"));
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .collect();
            let mut body = raw[split + 4..].to_vec();
            let chunked = headers
                .iter()
                .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
            if chunked {
                body = crate::common::process::dechunk(&body);
            }
            Reply::Answer(Response {
                status,
                headers,
                body,
            })
        }
    }

    impl Response {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        }

        fn text(&self) -> String {
            String::from_utf8_lossy(&self.body).into_owned()
        }
    }

    /// A complete request with `Connection: close`, the given headers, a correct
    /// `Content-Length` and the body.
    fn request(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
        let mut head =
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut out = head.into_bytes();
        out.extend_from_slice(body);
        out
    }

    /// A GET without a body.
    fn get(path: &str) -> Vec<u8> {
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").into_bytes()
    }

    /// A POST of `body` as `application/json`.
    fn post(path: &str, body: impl AsRef<[u8]>) -> Vec<u8> {
        request(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            body.as_ref(),
        )
    }

    /// A POST of a JSON value.
    fn post_value(path: &str, body: &Value) -> Vec<u8> {
        post(path, body.to_string())
    }

    /// A POST whose `Content-Length` header says `length`, whatever the body holds.
    fn post_lying(path: &str, length: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
        )
        .into_bytes();
        out.extend_from_slice(body);
        out
    }

    /// A POST of `body` as `application/json` in one chunk of the chunked encoding.
    fn post_chunked(path: &str, size_line: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
             Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{size_line}\r\n"
        )
        .into_bytes();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\r\n0\r\n\r\n");
        out
    }

    /// What a case must get back.
    #[derive(Debug)]
    enum Expect {
        /// A problem+json answer of this status and `type` code, whose `detail` contains
        /// every string of `says`, and whose `field` is `field` when that is given.
        Problem {
            status: u16,
            code: &'static str,
            says: Vec<String>,
            field: Option<&'static str>,
        },
        /// hyper's own answer to bytes that are not HTTP: this status with an empty body,
        /// and the connection closed.
        Bare { status: u16 },
    }

    /// One bad request of the sweep.
    struct Case {
        name: String,
        bytes: Vec<u8>,
        half_close: bool,
        expect: Expect,
        /// A header the answer must carry, such as `allow: POST` on a 405.
        header: Option<(&'static str, &'static str)>,
    }

    impl Case {
        fn new(name: impl Into<String>, bytes: Vec<u8>, expect: Expect) -> Case {
            Case {
                name: name.into(),
                bytes,
                half_close: false,
                expect,
                header: None,
            }
        }

        fn half_closed(mut self) -> Case {
            self.half_close = true;
            self
        }

        fn with_header(mut self, name: &'static str, value: &'static str) -> Case {
            self.header = Some((name, value));
            self
        }

        /// Runs the case and returns what was wrong with the answer, if anything.
        fn check(&self, server: &Server) -> Result<(), String> {
            let reply = server
                .send(&self.bytes, self.half_close)
                .map_err(|e| format!("the request failed: {e}"))?;
            let Reply::Answer(r) = reply else {
                return Err("the server closed the connection without an answer".to_owned());
            };
            if let Some((name, value)) = self.header
                && r.header(name) != Some(value)
            {
                return Err(format!(
                    "header `{name}` is {:?}, expected {value:?}",
                    r.header(name)
                ));
            }
            match &self.expect {
                Expect::Bare { status } => {
                    if r.status != *status || !r.body.is_empty() {
                        return Err(format!(
                            "expected a bare {status}, got {} with body {:?}",
                            r.status,
                            r.text()
                        ));
                    }
                    if r.header("connection") != Some("close") {
                        return Err(format!(
                            "expected `connection: close`, got {:?}",
                            r.header("connection")
                        ));
                    }
                    Ok(())
                }
                Expect::Problem {
                    status,
                    code,
                    says,
                    field,
                } => check_problem(&r, *status, code, says, *field),
            }
        }
    }

    /// Checks that `r` is an RFC 9457 problem of this status and code whose `detail`
    /// says every string of `says` and whose `field` is `field` when given.
    fn check_problem(
        r: &Response,
        status: u16,
        code: &str,
        says: &[String],
        field: Option<&str>,
    ) -> Result<(), String> {
        let shown = || {
            let text = r.text();
            let cut: String = text.chars().take(400).collect();
            format!("{} {cut}", r.status)
        };
        if r.status != status {
            return Err(format!("expected status {status}, got {}", shown()));
        }
        if r.header("content-type") != Some("application/problem+json") {
            return Err(format!(
                "expected `application/problem+json`, got {:?}: {}",
                r.header("content-type"),
                shown()
            ));
        }
        let p: Value = serde_json::from_slice(&r.body)
            .map_err(|e| format!("the body is not JSON ({e}): {}", shown()))?;
        if p["type"] != format!("{PROBLEM_BASE}{code}") {
            return Err(format!("expected type `{code}`, got {}", shown()));
        }
        if p["title"].as_str().is_none_or(str::is_empty) {
            return Err(format!("no title: {}", shown()));
        }
        if p["status"] != status {
            return Err(format!("the `status` member is not {status}: {}", shown()));
        }
        let detail = p["detail"].as_str().unwrap_or_default();
        if detail.is_empty() {
            return Err(format!("no detail: {}", shown()));
        }
        for s in says {
            if !detail.contains(s.as_str()) {
                return Err(format!("the detail does not say {s:?}: {}", shown()));
            }
        }
        if let Some(field) = field
            && p["field"] != field
        {
            return Err(format!("expected field `{field}`: {}", shown()));
        }
        Ok(())
    }

    /// A problem expectation.
    fn problem(status: u16, code: &'static str, says: &[&str]) -> Expect {
        Expect::Problem {
            status,
            code,
            says: says.iter().map(|s| (*s).to_owned()).collect(),
            field: None,
        }
    }

    /// A problem expectation that names the field at fault, in `field` and in `detail`.
    fn problem_at(status: u16, code: &'static str, field: &'static str, says: &[&str]) -> Expect {
        let mut all: Vec<String> = vec![format!("`{field}`")];
        all.extend(says.iter().map(|s| (*s).to_owned()));
        Expect::Problem {
            status,
            code,
            says: all,
            field: Some(field),
        }
    }

    fn malformed(says: &[&str]) -> Expect {
        problem(400, "malformed-json", says)
    }

    fn invalid_at(field: &'static str, says: &[&str]) -> Expect {
        problem_at(400, "invalid-field", field, says)
    }

    /// A subscription to `pro` from 1 February 2027.
    fn sub() -> Value {
        json!({"plan": "pro", "started_at": "2027-02-01T00:00:00Z"})
    }

    /// The valid upgrade of `socket.rs`: pro to studio half way through February 2027.
    fn good_upgrade() -> Value {
        json!({"subscription": sub(), "to_plan": "studio", "at": "2027-02-15T00:00:00Z"})
    }

    /// Adds a case to the sweep.
    fn add(cases: &mut Vec<Case>, name: &str, bytes: Vec<u8>, expect: Expect) {
        cases.push(Case::new(name, bytes, expect));
    }

    /// The whole sweep: every POST endpoint, every class of bad input.
    #[allow(clippy::too_many_lines)]
    fn cases() -> Vec<Case> {
        let mut c: Vec<Case> = Vec::new();
        let not_json = &["the body is not valid JSON"];

        // Malformed and truncated JSON, on every endpoint.
        add(
            &mut c,
            "renewals: truncated object",
            post("/api/v1/renewals", r#"{"subscription": "#),
            malformed(not_json),
        );
        add(
            &mut c,
            "upgrade: trailing comma",
            post("/api/v1/previews/upgrade", r#"{"to_plan": "studio",}"#),
            malformed(not_json),
        );
        add(
            &mut c,
            "downgrade: a bare word",
            post("/api/v1/previews/downgrade", "nul"),
            malformed(not_json),
        );
        add(
            &mut c,
            "cancel: trailing characters",
            post("/api/v1/previews/cancel", "{}}"),
            malformed(&["trailing characters"]),
        );
        add(
            &mut c,
            "quota: empty body",
            post("/api/v1/quota", ""),
            malformed(&["the body is empty"]),
        );
        add(
            &mut c,
            "refunds: single quotes",
            post("/api/v1/refunds/eligibility", "{'reason': 'none'}"),
            malformed(not_json),
        );
        add(
            &mut c,
            "licences: a missing comma",
            post(
                "/api/v1/licences/check",
                r#"{"plan": "pro" "use": "podcast"}"#,
            ),
            malformed(not_json),
        );
        add(
            &mut c,
            "prepaid: truncated array",
            post("/api/v1/prepaid/balance", "[1,2"),
            malformed(&["EOF while parsing a list"]),
        );
        add(
            &mut c,
            "topups: a number with a leading zero",
            post("/api/v1/topups/simulate", r#"{"balance_minor": 01}"#),
            malformed(not_json),
        );
        add(
            &mut c,
            "terms: truncated after a member",
            post(
                "/api/v1/terms/dates",
                r#"{"account_created_at": "2026-01-10T00:00:00Z""#,
            ),
            malformed(not_json),
        );
        add(
            &mut c,
            "ledger: a lone surrogate escape",
            post("/api/v1/ledger", r#"{"at": "\ud800"}"#),
            malformed(not_json),
        );
        add(
            &mut c,
            "quote: a NUL byte",
            post("/api/v1/quote", "\u{0}"),
            malformed(not_json),
        );
        add(
            &mut c,
            "echo: a number past f64",
            post("/api/v1/echo", r#"{"a": 1e400}"#),
            malformed(&["number out of range"]),
        );

        // Deeply nested JSON.
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        add(
            &mut c,
            "echo: 10,000 nested arrays",
            post("/api/v1/echo", &deep),
            malformed(&["recursion limit exceeded"]),
        );
        // In a typed field, the first inner array is already the wrong type, so the
        // shape error names it before the depth matters.
        add(
            &mut c,
            "quota: 10,000 nested arrays in `generations`",
            post("/api/v1/quota", format!(r#"{{"generations": {deep}}}"#)),
            invalid_at("generations[0][0]", &["invalid type: sequence"]),
        );

        // Invalid UTF-8.
        add(
            &mut c,
            "echo: invalid UTF-8 in a string",
            post("/api/v1/echo", b"{\"a\": \"\xff\xfe\"}"),
            malformed(&["invalid unicode code point"]),
        );
        add(
            &mut c,
            "renewals: invalid UTF-8 in the plan",
            post(
                "/api/v1/renewals",
                b"{\"subscription\": {\"plan\": \"pro\xc3\x28\", \"started_at\": \"2027-02-01T00:00:00Z\"}, \"count\": 3}",
            ),
            malformed(&["invalid unicode code point"]),
        );
        add(
            &mut c,
            "topups: invalid UTF-8 outside any string",
            post("/api/v1/topups/simulate", b"\xff\xfe{}"),
            malformed(not_json),
        );

        // Wrong types.
        add(
            &mut c,
            "renewals: a string count",
            post_value(
                "/api/v1/renewals",
                &json!({"subscription": sub(), "count": "three"}),
            ),
            invalid_at("count", &["expected u32"]),
        );
        add(
            &mut c,
            "upgrade: a numeric to_plan",
            post_value(
                "/api/v1/previews/upgrade",
                &json!({"subscription": sub(), "to_plan": 42, "at": "2027-02-15T00:00:00Z"}),
            ),
            invalid_at("to_plan", &["integer `42`"]),
        );
        add(
            &mut c,
            "cancel: a string subscription",
            post_value(
                "/api/v1/previews/cancel",
                &json!({"subscription": "pro", "at": "2027-02-15T00:00:00Z"}),
            ),
            invalid_at("subscription", &["expected struct Subscription"]),
        );
        add(
            &mut c,
            "quota: an object for a list",
            post_value(
                "/api/v1/quota",
                &json!({"subscription": sub(), "at": "2027-02-15T00:00:00Z", "generations": {}}),
            ),
            invalid_at("generations", &["invalid type: map"]),
        );
        add(
            &mut c,
            "refunds: an unknown reason",
            post_value(
                "/api/v1/refunds/eligibility",
                &json!({"subscription": sub(),
                        "charge": {"at": "2027-02-01T00:00:00Z", "amount_minor": 1199},
                        "request_at": "2027-02-02T00:00:00Z", "reason": "because"}),
            ),
            invalid_at("reason", &["because", "accidental-purchase"]),
        );
        add(
            &mut c,
            "licences: an unknown use",
            post_value(
                "/api/v1/licences/check",
                &json!({"plan": "pro", "use": "world-domination"}),
            ),
            invalid_at("use", &["world-domination"]),
        );
        add(
            &mut c,
            "prepaid: negative credits",
            post_value(
                "/api/v1/prepaid/balance",
                &json!({"grants": [{"id": "a", "credits": -10, "granted_at": "2026-01-01T00:00:00Z"}],
                        "at": "2026-02-01T00:00:00Z"}),
            ),
            invalid_at("grants[0].credits", &["-10"]),
        );
        add(
            &mut c,
            "topups: a string amount",
            post_value(
                "/api/v1/topups/simulate",
                &json!({"balance_minor": "1000", "threshold_minor": 500, "topup_minor": 2000,
                        "usage": []}),
            ),
            invalid_at("balance_minor", &["expected i64"]),
        );
        add(
            &mut c,
            "terms: a string for the payments",
            post_value(
                "/api/v1/terms/dates",
                &json!({"account_created_at": "2026-01-10T00:00:00Z", "payments": "none"}),
            ),
            invalid_at("payments", &["expected a sequence"]),
        );
        add(
            &mut c,
            "ledger: an unknown event type",
            post_value(
                "/api/v1/ledger",
                &json!({"at": "2027-02-20T00:00:00Z",
                        "events": [{"type": "teleport", "at": "2027-02-01T00:00:00Z"}]}),
            ),
            invalid_at("events[0].type", &["unknown variant `teleport`"]),
        );
        add(
            &mut c,
            "quote: negative upload seconds",
            post_value(
                "/api/v1/quote",
                &json!({"subscription": sub(), "to_plan": "studio", "at": "2027-02-15T00:00:00Z",
                        "uploads": [{"seconds": -1, "at": "2027-02-03T00:00:00Z"}]}),
            ),
            invalid_at("uploads[0].seconds", &["-1"]),
        );
        add(
            &mut c,
            "licences: an array for the body",
            post("/api/v1/licences/check", "[]"),
            problem(400, "invalid-field", &["the body is an array"]),
        );
        add(
            &mut c,
            "downgrade: an unknown field",
            post_value(
                "/api/v1/previews/downgrade",
                &json!({"subscription": {"plan": "max", "started_at": "2027-02-01T00:00:00Z"},
                        "to_plan": "pro", "at": "2027-02-15T00:00:00Z", "surprise": 1}),
            ),
            problem(400, "invalid-field", &["unknown field `surprise`"]),
        );
        add(
            &mut c,
            "renewals: a duplicate field",
            post(
                "/api/v1/renewals",
                r#"{"subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z",
                    "started_at": "2027-02-02T00:00:00Z"}, "count": 3}"#,
            ),
            invalid_at("subscription", &["duplicate field `started_at`"]),
        );

        // Missing required fields; the detail names the one that is missing.
        let missing = |name: &str| format!("missing field `{name}`");
        for (path, body, name) in [
            (
                "/api/v1/previews/upgrade",
                json!({"subscription": sub(), "at": "2027-02-15T00:00:00Z"}),
                "to_plan",
            ),
            (
                "/api/v1/quote",
                json!({"subscription": sub(), "at": "2027-02-15T00:00:00Z"}),
                "to_plan",
            ),
            ("/api/v1/renewals", json!({"count": 3}), "subscription"),
            (
                "/api/v1/refunds/eligibility",
                json!({"subscription": sub(), "request_at": "2027-02-02T00:00:00Z"}),
                "charge",
            ),
            (
                "/api/v1/terms/dates",
                json!({"payments": []}),
                "account_created_at",
            ),
            ("/api/v1/prepaid/balance", json!({"grants": []}), "at"),
            (
                "/api/v1/topups/simulate",
                json!({"balance_minor": 0, "topup_minor": 1, "usage": []}),
                "threshold_minor",
            ),
            ("/api/v1/ledger", json!({"events": []}), "at"),
            ("/api/v1/licences/check", json!({"plan": "pro"}), "use"),
        ] {
            c.push(Case::new(
                format!("{path}: `{name}` missing"),
                post_value(path, &body),
                Expect::Problem {
                    status: 400,
                    code: "invalid-field",
                    says: vec![missing(name)],
                    field: None,
                },
            ));
        }
        add(
            &mut c,
            "quota: `started_at` missing in the subscription",
            post_value(
                "/api/v1/quota",
                &json!({"subscription": {"plan": "pro"}, "at": "2027-02-15T00:00:00Z"}),
            ),
            invalid_at("subscription", &["missing field `started_at`"]),
        );

        // Unknown ids: a catalogue is 404, a plan, a model or a time zone 422.
        let valid_catalogues = &["no-such-catalogue", "stable-audio"];
        add(
            &mut c,
            "renewals: an unknown catalogue",
            post_value(
                "/api/v1/renewals",
                &json!({"catalogue": "no-such-catalogue", "subscription": sub(), "count": 3}),
            ),
            problem(404, "unknown-catalogue", valid_catalogues),
        );
        add(
            &mut c,
            "ledger: an unknown catalogue",
            post_value(
                "/api/v1/ledger",
                &json!({"catalogue": "no-such-catalogue", "at": "2027-02-20T00:00:00Z",
                        "events": [{"type": "subscribe", "at": "2027-02-01T00:00:00Z", "plan": "pro"}]}),
            ),
            problem(404, "unknown-catalogue", valid_catalogues),
        );
        add(
            &mut c,
            "licences: an unknown catalogue",
            post_value(
                "/api/v1/licences/check",
                &json!({"catalogue": "no-such-catalogue", "plan": "pro", "use": "podcast"}),
            ),
            problem(404, "unknown-catalogue", valid_catalogues),
        );
        add(
            &mut c,
            "upgrade: an unknown target plan",
            post_value(
                "/api/v1/previews/upgrade",
                &json!({"subscription": sub(), "to_plan": "platinum", "at": "2027-02-15T00:00:00Z"}),
            ),
            problem(422, "unknown-id", &["platinum", "free, pro, studio, max"]),
        );
        add(
            &mut c,
            "cancel: an unknown current plan",
            post_value(
                "/api/v1/previews/cancel",
                &json!({"subscription": {"plan": "gold", "started_at": "2027-02-01T00:00:00Z"},
                        "at": "2027-02-15T00:00:00Z"}),
            ),
            problem(422, "unknown-id", &["gold", "studio"]),
        );
        add(
            &mut c,
            "quota: an unknown model",
            post_value(
                "/api/v1/quota",
                &json!({"subscription": sub(), "at": "2027-02-15T00:00:00Z",
                        "generations": [{"model": "stable-audio-9", "at": "2027-02-03T00:00:00Z"}]}),
            ),
            problem(422, "unknown-id", &["stable-audio-9", "stable-audio-2.0"]),
        );
        add(
            &mut c,
            "licences: an unknown plan",
            post_value(
                "/api/v1/licences/check",
                &json!({"plan": "gold", "use": "podcast"}),
            ),
            problem(422, "unknown-id", &["gold", "pro"]),
        );
        // The rest of each body is valid, so the zone is the only thing wrong.
        let zoned = |zone: &str| json!({"plan": "max", "started_at": "2027-02-01T00:00:00Z", "time_zone": zone});
        let at = "2027-02-15T00:00:00Z";
        for (path, zone, body) in [
            (
                "/api/v1/renewals",
                "Mars/Olympus_Mons",
                json!({"subscription": zoned("Mars/Olympus_Mons"), "count": 3}),
            ),
            (
                "/api/v1/previews/downgrade",
                "../../etc/passwd",
                json!({"subscription": zoned("../../etc/passwd"), "to_plan": "pro", "at": at}),
            ),
            (
                "/api/v1/previews/cancel",
                "",
                json!({"subscription": zoned(""), "at": at}),
            ),
            (
                "/api/v1/quote",
                "Europe/London\u{0}",
                json!({"subscription": zoned("Europe/London\u{0}"), "to_plan": "pro", "at": at}),
            ),
        ] {
            c.push(Case::new(
                format!("{path}: time zone {zone:?}"),
                post_value(path, &body),
                problem(422, "unknown-id", &["unknown time zone", "IANA"]),
            ));
        }
        add(
            &mut c,
            "ledger: an unknown time zone",
            post_value(
                "/api/v1/ledger",
                &json!({"at": "2027-02-20T00:00:00Z", "time_zone": "Nowhere/City",
                        "events": [{"type": "subscribe", "at": "2027-02-01T00:00:00Z", "plan": "pro"}]}),
            ),
            problem(422, "unknown-id", &["Nowhere/City"]),
        );
        // An unknown currency fails while the body is decoded, so it is a field error.
        add(
            &mut c,
            "topups: an unknown currency",
            post_value(
                "/api/v1/topups/simulate",
                &json!({"balance_minor": 0, "threshold_minor": 1, "topup_minor": 1,
                        "usage": [], "currency": "ZZZ"}),
            ),
            invalid_at("currency", &["unknown currency `ZZZ`", "USD"]),
        );
        add(
            &mut c,
            "terms: a lower-case unknown currency",
            post_value(
                "/api/v1/terms/dates",
                &json!({"account_created_at": "2026-01-10T00:00:00Z", "payments": [],
                        "currency": "zzz"}),
            ),
            invalid_at("currency", &["unknown currency `zzz`"]),
        );

        // Intervals, currencies and trials: an interval that is not `month` or `year` is
        // a field error; a real currency the catalogue does not price in is 422.
        let usd_eur_gbp_jpy = &["`CHF`", "USD, EUR, GBP, JPY"];
        add(
            &mut c,
            "change: a weekly target interval",
            post_value(
                "/api/v1/previews/change",
                &json!({"subscription": sub(), "to_plan": "studio", "to_interval": "week",
                        "at": "2027-02-15T00:00:00Z"}),
            ),
            invalid_at("to_interval", &["unknown variant `week`"]),
        );
        add(
            &mut c,
            "change: a subscription in Swiss francs",
            post_value(
                "/api/v1/previews/change",
                &json!({"subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z",
                                         "currency": "CHF"},
                        "to_plan": "studio", "at": "2027-02-15T00:00:00Z"}),
            ),
            problem(422, "unknown-id", usd_eur_gbp_jpy),
        );
        add(
            &mut c,
            "trials: a daily interval",
            post_value(
                "/api/v1/trials/start",
                &json!({"plan": "pro", "interval": "day", "at": "2027-02-01T00:00:00Z",
                        "time_zone": "UTC", "had_paid_or_trial": false}),
            ),
            invalid_at("interval", &["unknown variant `day`"]),
        );
        add(
            &mut c,
            "trials: a string for had_paid_or_trial",
            post_value(
                "/api/v1/trials/start",
                &json!({"plan": "pro", "at": "2027-02-01T00:00:00Z", "time_zone": "UTC",
                        "had_paid_or_trial": "no"}),
            ),
            invalid_at("had_paid_or_trial", &["expected a boolean"]),
        );
        add(
            &mut c,
            "pricing: Swiss francs",
            post_value(
                "/api/v1/pricing",
                &json!({"currency": "CHF", "region": "CH"}),
            ),
            problem(422, "unknown-id", usd_eur_gbp_jpy),
        );
        add(
            &mut c,
            "pricing: a negative tax rate",
            post_value("/api/v1/pricing", &json!({"tax_inclusive_rate_bp": -2000})),
            invalid_at("tax_inclusive_rate_bp", &["-2000"]),
        );

        // Negative, zero, huge and overflowing amounts.
        add(
            &mut c,
            "topups: a top-up of zero",
            post_value(
                "/api/v1/topups/simulate",
                &json!({"balance_minor": 0, "threshold_minor": 1, "topup_minor": 0,
                        "usage": [{"at": "2026-01-01T00:00:00Z", "amount_minor": 5}]}),
            ),
            problem(422, "impossible", &["got 0"]),
        );
        add(
            &mut c,
            "topups: a negative top-up",
            post_value(
                "/api/v1/topups/simulate",
                &json!({"balance_minor": 0, "threshold_minor": 1, "topup_minor": -5,
                        "usage": [{"at": "2026-01-01T00:00:00Z", "amount_minor": 5}]}),
            ),
            problem(422, "impossible", &["got -5"]),
        );
        add(
            &mut c,
            "refunds: a negative charge",
            post_value(
                "/api/v1/refunds/eligibility",
                &json!({"subscription": sub(),
                        "charge": {"at": "2027-02-01T00:00:00Z", "amount_minor": -1199},
                        "request_at": "2027-02-02T00:00:00Z"}),
            ),
            problem(422, "impossible", &["negative", "-1199"]),
        );
        add(
            &mut c,
            "refunds: a charge of 1e30",
            post(
                "/api/v1/refunds/eligibility",
                r#"{"subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                    "charge": {"at": "2027-02-01T00:00:00Z", "amount_minor": 1e30},
                    "request_at": "2027-02-02T00:00:00Z"}"#,
            ),
            problem_at(422, "overflow", "charge.amount_minor", &["64-bit"]),
        );
        add(
            &mut c,
            "terms: a payment of 99999999999999999999",
            post(
                "/api/v1/terms/dates",
                r#"{"account_created_at": "2026-01-10T00:00:00Z",
                    "payments": [{"at": "2026-03-01T00:00:00Z", "amount_minor": 99999999999999999999}]}"#,
            ),
            problem_at(422, "overflow", "payments[0].amount_minor", &["64-bit"]),
        );
        add(
            &mut c,
            "ledger: a charge of 99999999999999999999",
            post(
                "/api/v1/ledger",
                r#"{"at": "2027-02-20T00:00:00Z",
                    "events": [{"type": "charge", "at": "2027-02-01T00:00:00Z",
                                "amount_minor": 99999999999999999999}]}"#,
            ),
            problem_at(422, "overflow", "events[0].amount_minor", &["64-bit"]),
        );
        add(
            &mut c,
            "topups: a balance of i64::MAX + 1",
            post(
                "/api/v1/topups/simulate",
                r#"{"balance_minor": 9223372036854775808, "threshold_minor": 1,
                    "topup_minor": 1, "usage": []}"#,
            ),
            problem_at(422, "overflow", "balance_minor", &["9223372036854775807"]),
        );
        add(
            &mut c,
            "topups: tax on an i64::MAX top-up",
            post_value(
                "/api/v1/topups/simulate",
                &json!({"balance_minor": 0, "threshold_minor": 1, "topup_minor": i64::MAX,
                        "tax_rate_bp": 2000,
                        "usage": [{"at": "2026-05-01T00:00:00Z", "amount_minor": 1}]}),
            ),
            problem(422, "overflow", &["overflow"]),
        );
        add(
            &mut c,
            "terms: payments that add up past i64::MAX",
            post_value(
                "/api/v1/terms/dates",
                &json!({"account_created_at": "2026-01-10T00:00:00Z",
                        "claim_at": "2026-06-01T00:00:00Z",
                        "payments": [{"at": "2026-03-01T00:00:00Z", "amount_minor": i64::MAX},
                                     {"at": "2026-03-02T00:00:00Z", "amount_minor": i64::MAX}]}),
            ),
            problem(422, "overflow", &["overflow"]),
        );
        // Two grants of u64::MAX credits hold more than a 64-bit balance can say; the
        // answer must be an overflow, not a balance clamped to u64::MAX.
        add(
            &mut c,
            "prepaid: grants that add up past u64::MAX",
            post_value(
                "/api/v1/prepaid/balance",
                &json!({"grants": [{"id": "a", "credits": u64::MAX, "granted_at": "2026-01-01T00:00:00Z"},
                                   {"id": "b", "credits": u64::MAX, "granted_at": "2026-01-01T00:00:00Z"}],
                        "at": "2026-02-01T00:00:00Z"}),
            ),
            problem(422, "overflow", &["overflow"]),
        );
        add(
            &mut c,
            "prepaid: a spend beyond the balance",
            post_value(
                "/api/v1/prepaid/balance",
                &json!({"grants": [{"id": "a", "credits": 10, "granted_at": "2026-01-01T00:00:00Z"}],
                        "spends": [{"credits": 11, "at": "2026-01-02T00:00:00Z"}],
                        "at": "2026-02-01T00:00:00Z"}),
            ),
            problem(422, "impossible", &["11 credits", "balance of 10"]),
        );
        add(
            &mut c,
            "upgrade: a negative tax rate",
            post_value(
                "/api/v1/previews/upgrade",
                &json!({"subscription": sub(), "to_plan": "studio",
                        "at": "2027-02-15T00:00:00Z", "tax_rate_bp": -1}),
            ),
            invalid_at("tax_rate_bp", &["-1"]),
        );
        add(
            &mut c,
            "renewals: a count of zero",
            post_value(
                "/api/v1/renewals",
                &json!({"subscription": sub(), "count": 0}),
            ),
            problem(422, "impossible", &["count must be 1 to 120, got 0"]),
        );
        add(
            &mut c,
            "renewals: a count of 121",
            post_value(
                "/api/v1/renewals",
                &json!({"subscription": sub(), "count": 121}),
            ),
            problem(422, "impossible", &["got 121"]),
        );
        add(
            &mut c,
            "renewals: a count of 1e30",
            post(
                "/api/v1/renewals",
                r#"{"subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
                    "count": 1e30}"#,
            ),
            invalid_at("count", &["expected u32"]),
        );
        add(
            &mut c,
            "quota: upload seconds past u32",
            post_value(
                "/api/v1/quota",
                &json!({"subscription": sub(), "at": "2027-02-15T00:00:00Z",
                        "uploads": [{"seconds": 99_999_999_999u64, "at": "2027-02-03T00:00:00Z"}]}),
            ),
            invalid_at("uploads[0].seconds", &["99999999999"]),
        );

        // Absurd dates and instants.
        add(
            &mut c,
            "renewals: the year 99999",
            post_value(
                "/api/v1/renewals",
                &json!({"subscription": {"plan": "pro", "started_at": "99999-01-01T00:00:00Z"},
                        "count": 3}),
            ),
            invalid_at("subscription.started_at", &["not a valid instant or date"]),
        );
        add(
            &mut c,
            "terms: 30 February as a date",
            post_value(
                "/api/v1/terms/dates",
                &json!({"account_created_at": "2027-02-30", "payments": []}),
            ),
            invalid_at(
                "account_created_at",
                &["`2027-02-30` is not a valid instant"],
            ),
        );
        add(
            &mut c,
            "refunds: 30 February as an instant",
            post_value(
                "/api/v1/refunds/eligibility",
                &json!({"subscription": sub(),
                        "charge": {"at": "2027-02-30T00:00:00Z", "amount_minor": 1199},
                        "request_at": "2027-03-02T00:00:00Z"}),
            ),
            invalid_at("charge.at", &["input is out of range"]),
        );
        add(
            &mut c,
            "prepaid: an empty instant",
            post_value(
                "/api/v1/prepaid/balance",
                &json!({"grants": [], "spends": [], "at": ""}),
            ),
            invalid_at("at", &["`` is not a valid instant"]),
        );
        add(
            &mut c,
            "upgrade: month 13",
            post_value(
                "/api/v1/previews/upgrade",
                &json!({"subscription": sub(), "to_plan": "studio", "at": "2027-13-01T00:00:00Z"}),
            ),
            invalid_at("at", &["not a valid instant or date"]),
        );
        add(
            &mut c,
            "refunds: `yesterday` as an instant",
            post_value(
                "/api/v1/refunds/eligibility",
                &json!({"subscription": sub(),
                        "charge": {"at": "2027-02-01T00:00:00Z", "amount_minor": 1199},
                        "request_at": "yesterday"}),
            ),
            invalid_at("request_at", &["`yesterday` is not a valid instant"]),
        );
        add(
            &mut c,
            "upgrade: an instant before the subscription started",
            post_value(
                "/api/v1/previews/upgrade",
                &json!({"subscription": sub(), "to_plan": "studio", "at": "2027-01-15T00:00:00Z"}),
            ),
            problem(422, "impossible", &["2027"]),
        );

        // Very long strings, within the 64 KiB body limit.
        let long = "p".repeat(60_000);
        add(
            &mut c,
            "licences: a 60,000-character plan",
            post_value(
                "/api/v1/licences/check",
                &json!({"plan": long, "use": "podcast"}),
            ),
            problem(422, "unknown-id", &["unknown plan `ppp"]),
        );
        add(
            &mut c,
            "renewals: a 60,000-character catalogue id",
            post_value(
                "/api/v1/renewals",
                &json!({"catalogue": long, "subscription": sub(), "count": 3}),
            ),
            problem(404, "unknown-catalogue", &["unknown catalogue `ppp"]),
        );
        add(
            &mut c,
            "downgrade: a 60,000-character time zone",
            post_value(
                "/api/v1/previews/downgrade",
                &json!({"subscription": {"plan": "max", "started_at": "2027-02-01T00:00:00Z",
                                         "time_zone": long},
                        "to_plan": "pro", "at": "2027-02-15T00:00:00Z"}),
            ),
            problem(422, "unknown-id", &["unknown time zone `ppp"]),
        );

        // Lists longer than the 10,000 items a request may carry. Real items cannot fit
        // 10,001 times in 64 KiB, so the body limit answers first; bare numbers do fit,
        // and the first is already the wrong type.
        let spend = r#"{"credits":1,"at":"2026-01-02T00:00:00Z"}"#;
        let spends = vec![spend; 10_001].join(",");
        add(
            &mut c,
            "prepaid: 10,001 spends",
            post(
                "/api/v1/prepaid/balance",
                format!(r#"{{"spends": [{spends}], "at": "2026-02-01T00:00:00Z"}}"#),
            ),
            problem(413, "body-too-large", &["64 KiB"]),
        );
        let zeros = vec!["0"; 10_001].join(",");
        add(
            &mut c,
            "prepaid: 10,001 bare numbers as spends",
            post(
                "/api/v1/prepaid/balance",
                format!(r#"{{"spends": [{zeros}], "at": "2026-02-01T00:00:00Z"}}"#),
            ),
            invalid_at("spends[0]", &["expected struct Spend"]),
        );

        // Wrong and missing content types.
        let body = good_upgrade().to_string();
        for (label, headers) in [
            ("no content type", vec![]),
            ("text/plain", vec![("Content-Type", "text/plain")]),
            (
                "a form",
                vec![("Content-Type", "application/x-www-form-urlencoded")],
            ),
            (
                "application/jsonx",
                vec![("Content-Type", "application/jsonx")],
            ),
        ] {
            c.push(Case::new(
                format!("upgrade: {label}"),
                request(
                    "POST",
                    "/api/v1/previews/upgrade",
                    &headers,
                    body.as_bytes(),
                ),
                problem(
                    400,
                    "unsupported-media-type",
                    &["Content-Type: application/json"],
                ),
            ));
        }

        // Bodies over 64 KiB, with a length and chunked.
        let too_large = &["larger than 65536 bytes"];
        add(
            &mut c,
            "upgrade: a 70 KiB body",
            post(
                "/api/v1/previews/upgrade",
                format!(r#"{{"pad": "{}"}}"#, "x".repeat(70 * 1024)),
            ),
            problem(413, "body-too-large", too_large),
        );
        add(
            &mut c,
            "echo: one byte over 64 KiB",
            post(
                "/api/v1/echo",
                format!(r#""{}""#, "x".repeat(64 * 1024 - 1)),
            ),
            problem(413, "body-too-large", too_large),
        );
        let big = format!(r#""{}""#, "x".repeat(70 * 1024));
        add(
            &mut c,
            "ledger: a chunked 70 KiB body",
            post_chunked(
                "/api/v1/ledger",
                &format!("{:x}", big.len()),
                big.as_bytes(),
            ),
            problem(413, "body-too-large", too_large),
        );
        add(
            &mut c,
            "quota: a chunk size that is not hexadecimal",
            post_chunked("/api/v1/quota", "ZZ", b"abc"),
            malformed(&["could not be read"]),
        );

        // Lying lengths.
        add(
            &mut c,
            "echo: a Content-Length shorter than the body",
            post_lying("/api/v1/echo", "5", br#"{"a": 1, "b": 2}"#),
            malformed(&["EOF while parsing"]),
        );
        add(
            &mut c,
            "renewals: a Content-Length that is not a number",
            post_lying("/api/v1/renewals", "abc", b"{}"),
            Expect::Bare { status: 400 },
        );
        add(
            &mut c,
            "quote: two different Content-Lengths",
            {
                let mut bytes = b"POST /api/v1/quote HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                    Connection: close\r\nContent-Type: application/json\r\n\
                    Content-Length: 2\r\nContent-Length: 3\r\n\r\n"
                    .to_vec();
                bytes.extend_from_slice(b"{}");
                bytes
            },
            Expect::Bare { status: 400 },
        );
        c.push(
            Case::new(
                "echo: a Content-Length longer than the body, then the end of the stream",
                post_lying("/api/v1/echo", "100", br#"{"a": 1}"#),
                malformed(&["the request body could not be read"]),
            )
            .half_closed(),
        );
        c.push(Case::new(
            "terms: a Content-Length longer than the body, and the connection held open",
            post_lying("/api/v1/terms/dates", "100", br#"{"a": 1}"#),
            problem(408, "timeout", &["request timeout"]),
        ));

        // Garbage where the request line belongs: hyper answers a bare 400 and closes.
        add(
            &mut c,
            "a garbage request line",
            b"HELLO THERE\r\n\r\n".to_vec(),
            Expect::Bare { status: 400 },
        );
        add(
            &mut c,
            "binary garbage",
            b"\x00\x01\x02\xff\xfe garbage\r\n\r\n".to_vec(),
            Expect::Bare { status: 400 },
        );
        add(
            &mut c,
            "an unknown HTTP version",
            b"GET /healthz HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
            Expect::Bare { status: 400 },
        );

        // Unknown paths and methods.
        add(
            &mut c,
            "an unknown API path",
            post("/api/v1/nope", "{}"),
            problem(404, "not-found", &["/api/v1/nope"]),
        );
        add(
            &mut c,
            "a path under a route",
            post("/api/v1/previews/upgrade/x", "{}"),
            problem(404, "not-found", &["/api/v1/previews/upgrade/x"]),
        );
        add(
            &mut c,
            "an unknown path outside the API",
            post("/nope", "{}"),
            problem(404, "not-found", &["/nope"]),
        );
        add(
            &mut c,
            "an unknown catalogue by GET",
            get("/api/v1/catalogues/no-such-catalogue"),
            problem(404, "unknown-catalogue", valid_catalogues),
        );
        for (method, path) in [
            ("GET", "/api/v1/renewals"),
            ("PUT", "/api/v1/previews/upgrade"),
            ("DELETE", "/api/v1/quota"),
            ("PATCH", "/api/v1/refunds/eligibility"),
            ("BREW", "/api/v1/ledger"),
            ("GET", "/api/v1/echo"),
        ] {
            c.push(
                Case::new(
                    format!("{method} {path}"),
                    request(method, path, &[("Content-Type", "application/json")], b"{}"),
                    problem(405, "method-not-allowed", &[method]),
                )
                .with_header("allow", "POST"),
            );
        }
        c.push(Case::new(
            "POST /healthz",
            post("/healthz", "{}"),
            problem(405, "method-not-allowed", &["POST"]),
        ));
        c
    }

    /// Checks that a valid upgrade preview is answered 200 with the amount of
    /// `socket.rs` (900 minor units) and lines that add up to it.
    fn check_good_upgrade(server: &Server) -> Result<(), String> {
        let r = server.answer(&post_value("/api/v1/previews/upgrade", &good_upgrade()));
        if r.status != 200 || r.header("content-type") != Some("application/json") {
            return Err(format!("the upgrade answered {} {}", r.status, r.text()));
        }
        let v: Value = serde_json::from_slice(&r.body).map_err(|e| format!("not JSON: {e}"))?;
        if v["due_now"]["amount_minor"] != 900 || v["due_now"]["currency"] != "USD" {
            return Err(format!("the upgrade is due {}", v["due_now"]));
        }
        let sum: i64 = v["lines"]
            .as_array()
            .map(|lines| {
                lines
                    .iter()
                    .filter_map(|l| l["amount_minor"].as_i64())
                    .sum()
            })
            .unwrap_or(i64::MIN);
        if sum != 900 {
            return Err(format!("the lines add up to {sum}: {}", v["lines"]));
        }
        Ok(())
    }

    /// Checks that `GET /healthz` answers 200 `{"status":"ok"}`.
    fn check_health(server: &Server) -> Result<(), String> {
        let r = server.answer(&get("/healthz"));
        let ok = serde_json::from_slice::<Value>(&r.body).ok() == Some(json!({"status": "ok"}));
        if r.status != 200 || !ok {
            return Err(format!("/healthz answered {} {}", r.status, r.text()));
        }
        Ok(())
    }

    #[test]
    fn the_sweep_covers_enough_cases_and_every_post_endpoint() {
        let cases = cases();
        assert!(cases.len() >= 40, "only {} cases", cases.len());
        for path in [
            "/api/v1/renewals",
            "/api/v1/previews/upgrade",
            "/api/v1/previews/downgrade",
            "/api/v1/previews/cancel",
            "/api/v1/quota",
            "/api/v1/refunds/eligibility",
            "/api/v1/licences/check",
            "/api/v1/prepaid/balance",
            "/api/v1/topups/simulate",
            "/api/v1/terms/dates",
            "/api/v1/ledger",
            "/api/v1/quote",
            "/api/v1/previews/change",
            "/api/v1/trials/start",
            "/api/v1/pricing",
            "/api/v1/echo",
        ] {
            let line = format!("POST {path} HTTP/1.1\r\n");
            let n = cases
                .iter()
                .filter(|c| c.bytes.starts_with(line.as_bytes()))
                .count();
            assert!(n >= 2, "{path} has {n} bad-input cases");
        }
    }

    /// Every case of the sweep against one server, which must then still be healthy.
    /// Every failure is collected first, so one run reports them all.
    #[test]
    fn every_bad_request_gets_its_4xx_and_the_server_stays_up() {
        let server = Server::start_for_sweep();
        // The server is healthy before the sweep, so a failure below is the sweep's.
        check_health(&server).expect("healthy before the sweep");
        check_good_upgrade(&server).expect("a valid upgrade before the sweep");

        let started = Instant::now();
        let cases = cases();
        let mut failures = Vec::new();
        for case in &cases {
            if let Err(why) = case.check(&server) {
                failures.push(format!("{}: {why}", case.name));
            }
        }
        let took = started.elapsed();

        // The same process answers as before.
        if let Err(why) = check_health(&server) {
            failures.push(format!("after the sweep: {why}"));
        }
        if let Err(why) = check_good_upgrade(&server) {
            failures.push(format!("after the sweep: {why}"));
        }
        assert!(
            failures.is_empty(),
            "{} of {} cases failed (in {took:?}):\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
    }

    /// 64 clients at once send bad requests: half a body that never ends (held until the
    /// request timeout), half malformed JSON. While the first half still hold their
    /// connections, a valid request is answered promptly, and every bad one gets its 4xx.
    #[test]
    fn sixty_four_concurrent_bad_clients_do_not_block_a_good_one() {
        let server = Arc::new(Server::start_for_sweep());
        const CLIENTS: usize = 64;
        let barrier = Arc::new(Barrier::new(CLIENTS + 1));
        let (quick_tx, quick_rx) = mpsc::channel();
        let mut slow = Vec::new();
        for i in 0..CLIENTS {
            let server = Arc::clone(&server);
            let barrier = Arc::clone(&barrier);
            let quick_tx = quick_tx.clone();
            slow.push(std::thread::spawn(move || {
                let held = i % 2 == 0;
                let bytes = if held {
                    post_lying("/api/v1/quota", "1000", br#"{"subscription": "#)
                } else {
                    post("/api/v1/quota", r#"{"subscription": "#)
                };
                barrier.wait();
                let started = Instant::now();
                let reply = server.send(&bytes, false);
                let took = started.elapsed();
                if !held {
                    let _ = quick_tx.send(());
                }
                (held, reply, took)
            }));
        }
        drop(quick_tx);
        barrier.wait();
        // Once every quick client has its answer, the held ones are still waiting for
        // bodies that never come.
        for _ in 0..CLIENTS / 2 {
            quick_rx
                .recv_timeout(Duration::from_secs(10))
                .expect("every quick bad client is answered");
        }
        let started = Instant::now();
        check_good_upgrade(&server).expect("the good request during the storm");
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(1),
            "the good request took {took:?} behind 64 bad clients"
        );
        check_health(&server).expect("healthy during the storm");

        for handle in slow {
            let (held, reply, took) = handle.join().expect("client thread");
            let reply = reply.expect("the bad client's request");
            let Reply::Answer(r) = reply else {
                panic!("a bad client was closed without an answer");
            };
            if held {
                check_problem(&r, 408, "timeout", &[], None).expect("a held client");
                assert!(
                    took >= Duration::from_secs(REQUEST_TIMEOUT_SECS - 1)
                        && took < Duration::from_secs(REQUEST_TIMEOUT_SECS + 8),
                    "a held client was answered after {took:?}"
                );
            } else {
                check_problem(
                    &r,
                    400,
                    "malformed-json",
                    &["the body is not valid JSON".to_owned()],
                    None,
                )
                .expect("a quick client");
            }
        }
        check_good_upgrade(&server).expect("the good request after the storm");
    }
}
