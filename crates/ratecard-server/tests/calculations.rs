//! Every calculation endpoint through the router, with numbers checked against RULES.md
//! and against the rules crate called directly.

mod common;

use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset};
use common::*;
use ratecard_rules::{Catalogue, api};
use serde_json::{Value, json};

fn instant(v: &Value) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap_or_else(|| panic!("not a string: {v}")))
        .unwrap_or_else(|e| panic!("not RFC 3339 ({e}): {v}"))
}

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("RFC 3339")
}

#[track_caller]
fn has_explanation(v: &Value) {
    let lines = v["explanation"].as_array().expect("explanation");
    assert!(!lines.is_empty(), "empty explanation in {v}");
    for line in lines {
        assert!(
            line["rule"].as_str().is_some_and(|r| r.starts_with("R-")),
            "{line}"
        );
        assert!(
            line["text"].as_str().is_some_and(|t| !t.is_empty()),
            "{line}"
        );
    }
}

async fn ok(path: &str, body: Value) -> Value {
    let app = default_app();
    let a = post_json(&app, path, &body).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{path}: {}",
        String::from_utf8_lossy(&a.body)
    );
    assert_eq!(a.header("content-type"), Some("application/json"));
    a.json()
}

/// The server's answer equals the rules crate's own answer, serialised.
async fn same_as_rules<Req, Res>(path: &str, body: Value, f: impl Fn(&Catalogue, &Req) -> Res)
where
    Req: serde::de::DeserializeOwned,
    Res: serde::Serialize,
{
    let got = ok(path, body.clone()).await;
    let req: Req = serde_json::from_value(body).expect("request");
    let catalogue = Catalogue::builtin("stable-audio").expect("builtin");
    let expected = serde_json::to_value(f(&catalogue, &req)).expect("serialise");
    assert_eq!(got, expected, "{path}");
}

#[tokio::test]
async fn renewals_follow_the_anchor_through_month_ends() {
    let body = json!({
        "subscription": {"plan": "pro", "started_at": "2028-01-31T09:00:00Z"},
        "count": 3
    });
    let v = ok("/api/v1/renewals", body.clone()).await;
    let r = v["renewals"].as_array().expect("renewals");
    assert_eq!(r.len(), 3);
    assert_eq!(instant(&r[0]), at("2028-02-29T09:00:00Z"));
    assert_eq!(instant(&r[1]), at("2028-03-31T09:00:00Z"));
    assert_eq!(instant(&r[2]), at("2028-04-30T09:00:00Z"));
    has_explanation(&v);
    same_as_rules("/api/v1/renewals", body, |c, r: &api::RenewalsRequest| {
        api::renewals(c, r).expect("ok")
    })
    .await;
}

#[tokio::test]
async fn renewals_accept_the_catalogue_by_id_and_inline() {
    let by_id = ok(
        "/api/v1/renewals",
        json!({
            "catalogue": "stable-audio",
            "subscription": {"plan": "pro", "started_at": "2028-01-31T09:00:00Z"},
            "count": 1
        }),
    )
    .await;
    let spec: Value = serde_json::from_str(
        &Catalogue::builtin("stable-audio")
            .expect("builtin")
            .to_json(),
    )
    .expect("json");
    let inline = ok(
        "/api/v1/renewals",
        json!({
            "catalogue": spec,
            "subscription": {"plan": "pro", "started_at": "2028-01-31T09:00:00Z"},
            "count": 1
        }),
    )
    .await;
    assert_eq!(by_id, inline);
}

#[tokio::test]
async fn upgrade_is_prorated_to_the_second() {
    let body = json!({
        "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
        "to_plan": "studio",
        "at": "2027-02-15T00:00:00Z"
    });
    let v = ok("/api/v1/previews/upgrade", body.clone()).await;
    // 14 of 28 days left: −round(1199/2) + round(2999/2) = −600 + 1500.
    assert_eq!(
        v["due_now"],
        json!({"amount_minor": 900, "currency": "USD"})
    );
    let lines = v["lines"].as_array().expect("lines");
    let sum: i64 = lines
        .iter()
        .filter_map(|l| l["amount_minor"].as_i64())
        .sum();
    assert_eq!(sum, 900);
    assert!(
        lines
            .iter()
            .any(|l| l["kind"] == "credit" && l["amount_minor"] == -600)
    );
    assert!(
        lines
            .iter()
            .any(|l| l["kind"] == "charge" && l["amount_minor"] == 1500)
    );
    assert_eq!(instant(&v["period"]["start"]), at("2027-02-01T00:00:00Z"));
    assert_eq!(instant(&v["period"]["end"]), at("2027-03-01T00:00:00Z"));
    assert_eq!(instant(&v["next_renewal"]), at("2027-03-01T00:00:00Z"));
    has_explanation(&v);
    same_as_rules(
        "/api/v1/previews/upgrade",
        body,
        |c, r: &api::PlanChangeRequest| api::upgrade_preview(c, r).expect("ok"),
    )
    .await;
}

#[tokio::test]
async fn upgrade_with_tax_adds_a_tax_line() {
    let v = ok(
        "/api/v1/previews/upgrade",
        json!({
            "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
            "to_plan": "studio",
            "at": "2027-02-15T00:00:00Z",
            "tax_rate_bp": 2000
        }),
    )
    .await;
    // Tax is 20 % of 900.
    assert_eq!(v["due_now"]["amount_minor"], 1080);
    assert!(
        v["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .any(|l| l["kind"] == "tax" && l["amount_minor"] == 180)
    );
}

#[tokio::test]
async fn upgrade_from_free_charges_the_full_price() {
    let v = ok(
        "/api/v1/previews/upgrade",
        json!({
            "subscription": {"plan": "free", "started_at": "2027-01-05T00:00:00Z"},
            "to_plan": "pro",
            "at": "2027-02-10T12:00:00Z"
        }),
    )
    .await;
    assert_eq!(v["due_now"]["amount_minor"], 1199);
    assert!(
        v["explanation"]
            .as_array()
            .expect("explanation")
            .iter()
            .any(|l| l["rule"] == "R-UPGRADE-3"),
        "{v}"
    );
    assert_eq!(instant(&v["next_renewal"]), at("2027-03-10T12:00:00Z"));
}

#[tokio::test]
async fn downgrade_waits_for_the_period_end() {
    let body = json!({
        "subscription": {"plan": "max", "started_at": "2027-02-01T00:00:00Z"},
        "to_plan": "pro",
        "at": "2027-02-15T00:00:00Z"
    });
    let v = ok("/api/v1/previews/downgrade", body.clone()).await;
    assert_eq!(instant(&v["effective_at"]), at("2027-03-01T00:00:00Z"));
    assert_eq!(v["due_now"]["amount_minor"], 0);
    has_explanation(&v);
    same_as_rules(
        "/api/v1/previews/downgrade",
        body,
        |c, r: &api::PlanChangeRequest| api::downgrade_preview(c, r).expect("ok"),
    )
    .await;
}

#[tokio::test]
async fn cancel_moves_to_free_at_once() {
    let body = json!({
        "subscription": {"plan": "pro", "started_at": "2027-02-10T00:00:00Z"},
        "at": "2027-02-15T00:00:00Z"
    });
    let v = ok("/api/v1/previews/cancel", body.clone()).await;
    assert_eq!(instant(&v["effective_at"]), at("2027-02-15T00:00:00Z"));
    assert_eq!(v["due_now"]["amount_minor"], 0);
    assert_eq!(v["allowance_lost"]["credits"], 500);
    assert_eq!(
        instant(&v["free_period"]["end"]),
        at("2027-03-01T00:00:00Z")
    );
    has_explanation(&v);
    same_as_rules(
        "/api/v1/previews/cancel",
        body,
        |c, r: &api::CancelRequest| api::cancel_preview(c, r).expect("ok"),
    )
    .await;
}

#[tokio::test]
async fn quota_counts_credits_and_cropped_uploads() {
    let body = json!({
        "subscription": {"plan": "free", "started_at": "2027-01-01T00:00:00Z"},
        "at": "2027-03-10T00:00:00Z",
        "generations": [
            {"model": "stable-audio-2.0", "at": "2027-03-02T00:00:00Z"},
            {"model": "stable-audio-1.0", "at": "2027-03-03T00:00:00Z"},
            {"model": "stable-audio-2.0", "at": "2027-02-20T00:00:00Z"}
        ],
        "uploads": [
            {"seconds": 90, "at": "2027-03-02T00:00:00Z"},
            {"seconds": 30, "at": "2027-03-03T00:00:00Z", "copyright_flagged": true}
        ]
    });
    let v = ok("/api/v1/quota", body.clone()).await;
    assert_eq!(instant(&v["period"]["start"]), at("2027-03-01T00:00:00Z"));
    assert_eq!(instant(&v["period"]["end"]), at("2027-04-01T00:00:00Z"));
    // Only March counts: 2 + 1 of 20 credits.
    assert_eq!(
        v["credits"],
        json!({"allowance": 20, "used": 3, "remaining": 17})
    );
    assert_eq!(v["tracks_left"]["stable-audio-2.0"], 8);
    assert_eq!(v["tracks_left"]["stable-audio-1.0"], 17);
    // 90 s is cropped to 30 s; the flagged 30 s still counts: 120 − 60 = 60.
    assert_eq!(
        v["upload_seconds"],
        json!({"allowance": 120, "used": 60, "remaining": 60})
    );
    assert_eq!(v["refused"], json!([]));
    has_explanation(&v);
    same_as_rules("/api/v1/quota", body, |c, r: &api::QuotaRequest| {
        api::quota(c, r).expect("ok")
    })
    .await;
}

#[tokio::test]
async fn refund_within_48_hours_and_little_use_is_eligible() {
    let body = json!({
        "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
        "charge": {"at": "2027-02-01T00:00:00Z", "amount_minor": 1199},
        "request_at": "2027-02-02T00:00:00Z",
        "reason": "none",
        "generations": [{"model": "stable-audio-1.0", "at": "2027-02-01T10:00:00Z"}]
    });
    let v = ok("/api/v1/refunds/eligibility", body.clone()).await;
    assert_eq!(v["eligible"], true);
    assert_eq!(v["hours_since_charge"], 24);
    // 1 credit of 500 is 20 bp.
    assert_eq!(v["usage_bp"], 20);
    assert!(
        v["rules"]
            .as_array()
            .expect("rules")
            .contains(&json!("R-REFUND-3"))
    );
    // Tuesday 2 February 2027 plus 3 business days.
    assert_eq!(v["reply_by"], "2027-02-05");
    has_explanation(&v);
    same_as_rules(
        "/api/v1/refunds/eligibility",
        body,
        |c, r: &api::RefundRequest| api::refund_eligibility(c, r).expect("ok"),
    )
    .await;
}

#[tokio::test]
async fn refund_after_breach_is_not_eligible() {
    let v = ok(
        "/api/v1/refunds/eligibility",
        json!({
            "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
            "charge": {"at": "2027-02-01T00:00:00Z", "amount_minor": 1199},
            "request_at": "2027-02-01T01:00:00Z",
            "reason": "unauthorized-charge",
            "generations": [],
            "terminated_for_breach": true
        }),
    )
    .await;
    assert_eq!(v["eligible"], false);
    assert!(
        v["rules"]
            .as_array()
            .expect("rules")
            .contains(&json!("R-REFUND-7"))
    );
}

#[tokio::test]
async fn licences_follow_the_plan() {
    let check = |plan: &str, use_: &str, mau: Option<u64>| {
        let mut body = json!({"plan": plan, "use": use_});
        if let Some(m) = mau {
            body["monthly_active_users"] = json!(m);
        }
        body
    };
    let v = ok(
        "/api/v1/licences/check",
        check("pro", "streaming-release", None),
    )
    .await;
    assert_eq!(v["allowed"], true);
    assert_eq!(v["licence"], "creator");
    has_explanation(&v);
    let v = ok(
        "/api/v1/licences/check",
        check("pro", "commercial-product", Some(99_999)),
    )
    .await;
    assert_eq!(v["allowed"], true);
    let v = ok(
        "/api/v1/licences/check",
        check("pro", "commercial-product", Some(100_000)),
    )
    .await;
    assert_eq!(v["allowed"], false);
    let v = ok(
        "/api/v1/licences/check",
        check("free", "social-media", None),
    )
    .await;
    assert_eq!(v["allowed"], false);
    assert_eq!(v["licence"], "personal");
    same_as_rules(
        "/api/v1/licences/check",
        check("studio", "podcast", None),
        |c, r: &api::LicenceCheckRequest| api::licence_check(c, r).expect("ok"),
    )
    .await;
}

#[tokio::test]
async fn prepaid_spends_the_grant_that_expires_first() {
    let body = json!({
        "grants": [
            {"id": "a", "credits": 100, "granted_at": "2026-01-01T00:00:00Z"},
            {"id": "b", "credits": 50, "granted_at": "2026-06-01T00:00:00Z",
             "expires_at": "2026-07-01T00:00:00Z"}
        ],
        "spends": [{"credits": 30, "at": "2026-06-15T00:00:00Z"}],
        "at": "2026-06-20T00:00:00Z"
    });
    let v = ok("/api/v1/prepaid/balance", body.clone()).await;
    assert_eq!(v["balance"], 120);
    assert_eq!(v["expiring_next"]["credits"], 20);
    assert_eq!(
        instant(&v["expiring_next"]["expires_at"]),
        at("2026-07-01T00:00:00Z")
    );
    has_explanation(&v);
    let req: api::PrepaidRequest = serde_json::from_value(body).expect("request");
    assert_eq!(
        v,
        serde_json::to_value(api::prepaid_balance(&req).expect("ok")).expect("json")
    );
}

#[tokio::test]
async fn topups_fire_below_the_threshold_with_tax() {
    let body = json!({
        "balance_minor": 1000,
        "threshold_minor": 500,
        "topup_minor": 2000,
        "tax_rate_bp": 2000,
        "currency": "USD",
        "usage": [{"at": "2026-05-01T00:00:00Z", "amount_minor": 600}]
    });
    let v = ok("/api/v1/topups/simulate", body.clone()).await;
    let topups = v["topups"].as_array().expect("topups");
    assert_eq!(topups.len(), 1, "{v}");
    assert_eq!(topups[0]["amount_minor"], 2000);
    assert_eq!(topups[0]["tax_minor"], 400);
    assert_eq!(topups[0]["charged_minor"], 2400);
    assert_eq!(v["final_balance_minor"], 2400);
    has_explanation(&v);
    let req: api::TopUpRequest = serde_json::from_value(body).expect("request");
    assert_eq!(
        v,
        serde_json::to_value(api::topup_simulation(&req).expect("ok")).expect("json")
    );
}

#[tokio::test]
async fn terms_dates_and_liability_cap() {
    let body = json!({
        "account_created_at": "2026-01-10T00:00:00Z",
        "claim_at": "2026-06-01T00:00:00Z",
        "dispute_notified_at": "2026-06-01T00:00:00Z",
        "payments": [{"at": "2026-03-01T00:00:00Z", "amount_minor": 1199}],
        "currency": "USD"
    });
    let v = ok("/api/v1/terms/dates", body.clone()).await;
    assert_eq!(
        instant(&v["arbitration_opt_out_by"]),
        at("2026-02-09T00:00:00Z")
    );
    // The greater of USD 100 and what was paid in the six months before the claim.
    assert_eq!(v["liability_cap_minor"], 10_000);
    assert_eq!(
        instant(&v["arbitration_may_start_at"]),
        at("2026-07-31T00:00:00Z")
    );
    has_explanation(&v);
    let req: api::TermsRequest = serde_json::from_value(body).expect("request");
    assert_eq!(
        v,
        serde_json::to_value(api::terms_dates(&req).expect("ok")).expect("json")
    );
}

#[tokio::test]
async fn ledger_replays_a_history() {
    let body = json!({
        "at": "2027-02-20T00:00:00Z",
        "events": [
            {"type": "subscribe", "at": "2027-02-01T00:00:00Z", "plan": "pro"},
            {"type": "generation", "at": "2027-02-03T00:00:00Z", "model": "stable-audio-2.0"},
            {"type": "upgrade", "at": "2027-02-15T00:00:00Z", "to_plan": "studio"}
        ]
    });
    let v = ok("/api/v1/ledger", body.clone()).await;
    assert_eq!(v["state"]["plan"], "studio");
    assert_eq!(v["currency"], "USD");
    assert!(
        !v["timeline"].as_array().expect("timeline").is_empty(),
        "{v}"
    );
    same_as_rules("/api/v1/ledger", body, |c, r: &api::LedgerRequest| {
        api::ledger(c, r).expect("ok")
    })
    .await;
}

#[tokio::test]
async fn quote_combines_the_preview_and_the_new_quota() {
    let v = ok(
        "/api/v1/quote",
        json!({
            "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
            "to_plan": "studio",
            "at": "2027-02-15T00:00:00Z",
            "generations": [{"model": "stable-audio-2.0", "at": "2027-02-03T00:00:00Z"}]
        }),
    )
    .await;
    assert_eq!(v["due_now"]["amount_minor"], 900);
    assert_eq!(v["preview"]["due_now"]["amount_minor"], 900);
    // R-UPGRADE-4: the new allowance, with usage so far still counted.
    assert_eq!(
        v["quota"]["credits"],
        json!({"allowance": 1350, "used": 2, "remaining": 1348})
    );
    assert_eq!(
        v["preview"]["allowance"]["credits"], 1350,
        "the preview's allowance is the quota's"
    );
    // The anchor is unchanged (R-UPGRADE-1), so the quota's period is the preview's.
    assert_eq!(
        instant(&v["quota"]["period"]["start"]),
        at("2027-02-01T00:00:00Z")
    );
    assert_eq!(
        instant(&v["quota"]["period"]["end"]),
        at("2027-03-01T00:00:00Z")
    );
    // 1348 credits left on Studio: 674 tracks of stable-audio-2.0 (2 credits each).
    assert_eq!(v["quota"]["tracks_left"]["stable-audio-2.0"], 674);
    has_explanation(&v);
    let rules: Vec<&str> = v["explanation"]
        .as_array()
        .expect("explanation")
        .iter()
        .filter_map(|l| l["rule"].as_str())
        .collect();
    assert!(rules.contains(&"R-UPGRADE-2"), "{rules:?}");
    assert!(rules.contains(&"R-UPGRADE-4"), "{rules:?}");
}

#[tokio::test]
async fn quote_is_the_rules_crates_quote() {
    let body = json!({
        "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z", "time_zone": "Europe/Paris"},
        "to_plan": "max",
        "at": "2027-02-20T10:30:00+01:00",
        "tax_rate_bp": 2000,
        "generations": [
            {"model": "stable-audio-2.0", "at": "2027-02-03T00:00:00Z"},
            {"model": "stable-audio-1.0", "at": "2027-01-03T00:00:00Z"}
        ],
        "uploads": [{"seconds": 400, "at": "2027-02-04T00:00:00Z"}]
    });
    same_as_rules("/api/v1/quote", body, |c, r: &api::QuoteRequest| {
        api::quote(c, r).expect("ok")
    })
    .await;
}

#[tokio::test]
async fn quote_prorates_the_allowance_under_an_inline_prorated_catalogue() {
    let mut spec: Value = serde_json::from_str(
        &Catalogue::builtin("stable-audio")
            .expect("builtin")
            .to_json(),
    )
    .expect("json");
    spec["id"] = json!("stable-audio-prorated");
    spec["policy"]["upgrade_allowance"] = json!("prorated");
    let body = json!({
        "catalogue": spec,
        "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
        "to_plan": "studio",
        "at": "2027-02-15T00:00:00Z",
        "generations": [{"model": "stable-audio-2.0", "at": "2027-02-03T00:00:00Z"}]
    });
    let v = ok("/api/v1/quote", body).await;
    // The price does not depend on the allowance policy (R-UPGRADE-2).
    assert_eq!(v["due_now"]["amount_minor"], 900);
    // R-UPGRADE-4, prorated: 14 of 28 days on Pro (500) and 14 on Studio (1350):
    // (500 × 14 + 1350 × 14) / 28 = 925, less the 2 credits already used.
    assert_eq!(v["preview"]["allowance"]["credits"], 925);
    assert_eq!(
        v["quota"]["credits"],
        json!({"allowance": 925, "used": 2, "remaining": 923})
    );
    assert_eq!(v["quota"]["tracks_left"]["stable-audio-2.0"], 461);
    has_explanation(&v);
    assert!(
        v["explanation"]
            .as_array()
            .expect("explanation")
            .iter()
            .any(|l| l["rule"] == "R-UPGRADE-4"
                && l["text"].as_str().is_some_and(|t| t.contains("prorated"))),
        "{v}"
    );
}

#[tokio::test]
async fn quote_from_free_starts_a_new_period() {
    let v = ok(
        "/api/v1/quote",
        json!({
            "subscription": {"plan": "free", "started_at": "2027-01-05T00:00:00Z"},
            "to_plan": "pro",
            "at": "2027-02-10T12:00:00Z",
            "generations": [{"model": "stable-audio-2.0", "at": "2027-02-03T00:00:00Z"}]
        }),
    )
    .await;
    assert_eq!(v["due_now"]["amount_minor"], 1199);
    assert_eq!(
        instant(&v["quota"]["period"]["start"]),
        at("2027-02-10T12:00:00Z")
    );
    assert_eq!(v["quota"]["credits"]["allowance"], 500);
    assert_eq!(v["quota"]["credits"]["used"], 0);
}

// --- intervals, currencies and trials (API.md, "Intervals, currencies and trials") ------

/// The rule ids of an answer's explanation.
fn rules_of(v: &Value) -> Vec<String> {
    v["explanation"]
        .as_array()
        .expect("explanation")
        .iter()
        .filter_map(|l| l["rule"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn change_from_monthly_to_yearly_restarts_the_calendar() {
    let body = json!({
        "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z"},
        "to_plan": "pro",
        "to_interval": "year",
        "at": "2027-02-15T00:00:00Z"
    });
    let v = ok("/api/v1/previews/change", body.clone()).await;
    assert_eq!(v["kind"], "interval-change");
    // R-INTERVAL-4: 14 of 28 days left, −round(1199 / 2) + 11990.
    assert_eq!(
        v["due_now"],
        json!({"amount_minor": 11_390, "currency": "USD"})
    );
    let lines = v["lines"].as_array().expect("lines");
    assert!(
        lines
            .iter()
            .any(|l| l["kind"] == "credit" && l["amount_minor"] == -600),
        "{v}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l["kind"] == "charge" && l["amount_minor"] == 11_990),
        "{v}"
    );
    let sum: i64 = lines
        .iter()
        .filter_map(|l| l["amount_minor"].as_i64())
        .sum();
    assert_eq!(sum, 11_390);
    // At once, with the change as the new anchor and a year to the next renewal.
    assert_eq!(instant(&v["effective_at"]), at("2027-02-15T00:00:00Z"));
    assert_eq!(instant(&v["anchor"]), at("2027-02-15T00:00:00Z"));
    assert_eq!(instant(&v["next_renewal"]), at("2028-02-15T00:00:00Z"));
    // Allowances stay monthly (R-INTERVAL-2): Pro's 500 credits and 30 minutes.
    assert_eq!(v["allowance"]["credits"], 500);
    assert_eq!(v["allowance"]["upload_seconds"], 1800);
    has_explanation(&v);
    assert!(rules_of(&v).contains(&"R-INTERVAL-4".to_owned()), "{v}");
    same_as_rules(
        "/api/v1/previews/change",
        body,
        |c, r: &api::ChangeRequest| api::change_preview(c, r).expect("ok"),
    )
    .await;
}

#[tokio::test]
async fn change_between_yearly_plans_is_prorated_over_the_year_in_the_subscription_currency() {
    let body = json!({
        "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z",
                         "interval": "year", "currency": "EUR"},
        "to_plan": "studio",
        "at": "2027-08-01T00:00:00Z"
    });
    let v = ok("/api/v1/previews/change", body.clone()).await;
    assert_eq!(v["kind"], "upgrade");
    // R-INTERVAL-5: 184 of the year's 365 days left, in euros (R-CURRENCY-1):
    // −round(10990 × 184 / 365) + round(27990 × 184 / 365) = −5540 + 14110.
    assert_eq!(
        v["due_now"],
        json!({"amount_minor": 8570, "currency": "EUR"})
    );
    // The anchor and the yearly renewal stay.
    assert_eq!(instant(&v["effective_at"]), at("2027-08-01T00:00:00Z"));
    assert_eq!(instant(&v["anchor"]), at("2027-02-01T00:00:00Z"));
    assert_eq!(instant(&v["next_renewal"]), at("2028-02-01T00:00:00Z"));
    assert_eq!(v["allowance"]["credits"], 1350);
    has_explanation(&v);
    same_as_rules(
        "/api/v1/previews/change",
        body,
        |c, r: &api::ChangeRequest| api::change_preview(c, r).expect("ok"),
    )
    .await;
}

#[tokio::test]
async fn change_from_yearly_to_monthly_waits_for_the_end_of_the_year() {
    let v = ok(
        "/api/v1/previews/change",
        json!({
            "subscription": {"plan": "max", "started_at": "2027-02-01T00:00:00Z",
                             "interval": "year"},
            "to_plan": "studio",
            "to_interval": "month",
            "at": "2027-06-10T12:00:00Z"
        }),
    )
    .await;
    // R-INTERVAL-6: nothing now, the anchor stays, effective at the end of the yearly period.
    assert_eq!(v["kind"], "downgrade");
    assert_eq!(v["due_now"]["amount_minor"], 0);
    assert_eq!(v["lines"], json!([]));
    assert_eq!(instant(&v["effective_at"]), at("2028-02-01T00:00:00Z"));
    assert_eq!(instant(&v["anchor"]), at("2027-02-01T00:00:00Z"));
    assert!(rules_of(&v).contains(&"R-INTERVAL-6".to_owned()), "{v}");

    // A change to the free plan is a cancellation.
    let v = ok(
        "/api/v1/previews/change",
        json!({
            "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z",
                             "interval": "year"},
            "to_plan": "free",
            "at": "2027-06-10T12:00:00Z"
        }),
    )
    .await;
    assert_eq!(v["kind"], "cancel");
    assert_eq!(v["due_now"]["amount_minor"], 0);
    assert_eq!(instant(&v["effective_at"]), at("2027-06-10T12:00:00Z"));
    assert_eq!(v["allowance"]["credits"], 20);
}

#[tokio::test]
async fn a_trial_starts_free_and_charges_at_its_end() {
    let body = json!({
        "plan": "pro",
        "at": "2027-03-25T09:00:00+01:00",
        "time_zone": "Europe/Berlin",
        "had_paid_or_trial": false,
        "tax_rate_bp": 2000
    });
    let v = ok("/api/v1/trials/start", body.clone()).await;
    assert_eq!(v["trial"], true);
    // Seven days later at the same local time, across the change to summer time.
    assert_eq!(
        instant(&v["trial_ends_at"]),
        at("2027-04-01T09:00:00+02:00")
    );
    // Pro's first monthly price plus 20 % tax, at the trial's end.
    assert_eq!(
        instant(&v["first_charge"]["at"]),
        at("2027-04-01T09:00:00+02:00")
    );
    assert_eq!(v["first_charge"]["amount_minor"], 1199 + 240);
    assert_eq!(v["first_charge"]["currency"], "USD");
    has_explanation(&v);
    assert!(rules_of(&v).contains(&"R-TRIAL-1".to_owned()), "{v}");
    same_as_rules(
        "/api/v1/trials/start",
        body,
        |c, r: &api::TrialStartRequest| api::trial_start(c, r).expect("ok"),
    )
    .await;
}

#[tokio::test]
async fn no_trial_for_an_account_that_had_one_or_a_plan_without_one() {
    for (plan, had) in [("pro", true), ("studio", false)] {
        let v = ok(
            "/api/v1/trials/start",
            json!({
                "plan": plan,
                "interval": "year",
                "currency": "GBP",
                "at": "2027-03-25T09:00:00Z",
                "time_zone": "Europe/London",
                "had_paid_or_trial": had
            }),
        )
        .await;
        assert_eq!(v["trial"], false, "{plan}: {v}");
        assert!(v.get("trial_ends_at").is_none(), "{plan}: {v}");
        // Paying at once, the yearly price in pounds.
        assert_eq!(
            instant(&v["first_charge"]["at"]),
            at("2027-03-25T09:00:00Z")
        );
        let yearly = if plan == "pro" { 9990 } else { 24_990 };
        assert_eq!(v["first_charge"]["amount_minor"], yearly, "{plan}");
        assert_eq!(v["first_charge"]["currency"], "GBP");
        has_explanation(&v);
    }
}

/// The prices a pricing table shows for plan `id`, by interval.
fn shown<'v>(v: &'v Value, id: &str, interval: &str) -> &'v Value {
    let plan = v["plans"]
        .as_array()
        .expect("plans")
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no plan {id} in {v}"));
    plan["prices"]
        .as_array()
        .expect("prices")
        .iter()
        .find(|p| p["interval"] == interval)
        .unwrap_or_else(|| panic!("no {interval} price for {id} in {v}"))
}

#[tokio::test]
async fn pricing_shows_the_regions_currency_and_the_yearly_saving() {
    let body = json!({"region": "DE"});
    let v = ok("/api/v1/pricing", body.clone()).await;
    assert_eq!(v["currency"], "EUR");
    let ids: Vec<&str> = v["plans"]
        .as_array()
        .expect("plans")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(ids, ["free", "pro", "studio", "max"]);
    let plans = v["plans"].as_array().expect("plans");
    assert_eq!(plans[0]["trial_days"], Value::Null);
    assert_eq!(plans[1]["trial_days"], 7);
    let recommended: Vec<&Value> = plans.iter().filter(|p| p["recommended"] == true).collect();
    assert_eq!(recommended.len(), 1);
    assert_eq!(recommended[0]["id"], "studio");
    // The free plan is sold per month only, at 0, with no saving.
    assert_eq!(plans[0]["prices"].as_array().map(Vec::len), Some(1));
    let free = shown(&v, "free", "month");
    assert_eq!(
        (free["amount_minor"].as_i64(), free["shown_minor"].as_i64()),
        (Some(0), Some(0))
    );
    // R-INTERVAL-3: Pro per year in euros, its monthly equivalent and the whole-percent
    // saving against twelve monthly payments, floor(100 × (13188 − 10990) / 13188) = 16.
    let month = shown(&v, "pro", "month");
    assert_eq!(month["amount_minor"], 1099);
    assert_eq!(month["shown_minor"], 1099);
    assert!(month.get("saving_percent").is_none(), "{month}");
    let year = shown(&v, "pro", "year");
    assert_eq!(year["amount_minor"], 10_990);
    assert_eq!(year["shown_minor"], 10_990);
    assert_eq!(year["per_month_minor"], 916);
    assert_eq!(year["saving_percent"], 16);
    has_explanation(&v);
    assert!(rules_of(&v).contains(&"R-CURRENCY-2".to_owned()), "{v}");
    same_as_rules("/api/v1/pricing", body, |c, r: &api::PricingRequest| {
        api::pricing(c, r).expect("ok")
    })
    .await;
}

#[tokio::test]
async fn pricing_in_the_currency_asked_for_and_including_tax() {
    // The host page's currency wins over the region's (R-CURRENCY-2).
    let v = ok(
        "/api/v1/pricing",
        json!({"currency": "JPY", "region": "GB"}),
    )
    .await;
    assert_eq!(v["currency"], "JPY");
    let year = shown(&v, "max", "year");
    assert_eq!(year["amount_minor"], 135_000);
    assert_eq!(year["per_month_minor"], 11_250);
    // A region the catalogue does not map sees the default currency.
    let v = ok("/api/v1/pricing", json!({"region": "US"})).await;
    assert_eq!(v["currency"], "USD");
    // R-DISPLAY-1: shown with 20 % tax; the saving is still from the tax-exclusive prices.
    let v = ok("/api/v1/pricing", json!({"tax_inclusive_rate_bp": 2000})).await;
    assert_eq!(v["currency"], "USD");
    let month = shown(&v, "pro", "month");
    assert_eq!(month["amount_minor"], 1199);
    assert_eq!(month["shown_minor"], 1199 + 240);
    let year = shown(&v, "pro", "year");
    assert_eq!(year["amount_minor"], 11_990);
    assert_eq!(year["shown_minor"], 11_990 + 2398);
    // round(14388 / 12) = 1199.
    assert_eq!(year["per_month_minor"], 1199);
    assert_eq!(year["saving_percent"], 16);
    assert!(rules_of(&v).contains(&"R-DISPLAY-1".to_owned()), "{v}");
}

#[tokio::test]
async fn the_upgrade_preview_accepts_a_yearly_subscription() {
    let body = json!({
        "subscription": {"plan": "pro", "started_at": "2027-02-01T00:00:00Z",
                         "interval": "year"},
        "to_plan": "studio",
        "at": "2027-08-01T00:00:00Z"
    });
    let v = ok("/api/v1/previews/upgrade", body.clone()).await;
    // R-INTERVAL-5: 184 of 365 days left of the yearly period, in dollars:
    // −round(11990 × 184 / 365) + round(29990 × 184 / 365) = −6044 + 15118.
    assert_eq!(
        v["due_now"],
        json!({"amount_minor": 9074, "currency": "USD"})
    );
    // The period is the billing period, a year; the next renewal is the yearly one.
    assert_eq!(instant(&v["period"]["start"]), at("2027-02-01T00:00:00Z"));
    assert_eq!(instant(&v["period"]["end"]), at("2028-02-01T00:00:00Z"));
    assert_eq!(instant(&v["next_renewal"]), at("2028-02-01T00:00:00Z"));
    has_explanation(&v);
    same_as_rules(
        "/api/v1/previews/upgrade",
        body.clone(),
        |c, r: &api::PlanChangeRequest| api::upgrade_preview(c, r).expect("ok"),
    )
    .await;
    // The change preview of the same change charges the same.
    let change = ok("/api/v1/previews/change", body).await;
    assert_eq!(change["kind"], "upgrade");
    assert_eq!(change["due_now"], v["due_now"]);
}

#[tokio::test]
async fn renewals_of_a_yearly_plan_and_of_a_trial() {
    let v = ok(
        "/api/v1/renewals",
        json!({
            "subscription": {"plan": "pro", "started_at": "2028-02-29T09:00:00Z",
                             "interval": "year"},
            "count": 4
        }),
    )
    .await;
    // R-INTERVAL-1: steps of 12 months from the anchor.
    let r: Vec<DateTime<FixedOffset>> = v["renewals"]
        .as_array()
        .expect("renewals")
        .iter()
        .map(instant)
        .collect();
    assert_eq!(
        r,
        [
            at("2029-02-28T09:00:00Z"),
            at("2030-02-28T09:00:00Z"),
            at("2031-02-28T09:00:00Z"),
            at("2032-02-29T09:00:00Z"),
        ]
    );
    // R-TRIAL-3: a trial's end is its first renewal, and the anchor from then on.
    let v = ok(
        "/api/v1/renewals",
        json!({
            "subscription": {"plan": "pro", "started_at": "2027-01-24T10:00:00Z",
                             "trial_ends_at": "2027-01-31T10:00:00Z"},
            "count": 2
        }),
    )
    .await;
    assert_eq!(instant(&v["renewals"][0]), at("2027-01-31T10:00:00Z"));
    assert_eq!(instant(&v["renewals"][1]), at("2027-02-28T10:00:00Z"));
}
