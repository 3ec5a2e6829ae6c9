//! The bad-input suite: every class of bad request gets a 4xx problem with a stable
//! type, and nothing a client sends gets a 5xx.

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
    ]
}

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
        post_json(&app, path, &json!({}))
            .await
            .problem(400, "invalid-field");
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
