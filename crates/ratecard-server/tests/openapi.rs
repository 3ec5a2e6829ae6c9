//! The committed `openapi.json` must equal the document generated from the code.
//! Run with `UPDATE_OPENAPI=1` to regenerate it after changing an endpoint or a type.

use std::path::Path;

#[test]
fn committed_openapi_json_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let generated = ratecard_server::openapi_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write openapi.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: regenerate it with \
         `UPDATE_OPENAPI=1 cargo test -p ratecard-server --test openapi` and commit it",
        path.display()
    );
}

#[test]
fn the_document_is_openapi_3_1_with_every_api_md_endpoint() {
    let doc: serde_json::Value =
        serde_json::from_str(&ratecard_server::openapi_json()).expect("valid JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, method) in [
        ("/healthz", "get"),
        ("/api/openapi.json", "get"),
        ("/api/v1/catalogues", "get"),
        ("/api/v1/catalogues/{id}", "get"),
        ("/api/v1/renewals", "post"),
        ("/api/v1/previews/upgrade", "post"),
        ("/api/v1/previews/downgrade", "post"),
        ("/api/v1/previews/cancel", "post"),
        ("/api/v1/quota", "post"),
        ("/api/v1/refunds/eligibility", "post"),
        ("/api/v1/licences/check", "post"),
        ("/api/v1/prepaid/balance", "post"),
        ("/api/v1/topups/simulate", "post"),
        ("/api/v1/terms/dates", "post"),
        ("/api/v1/ledger", "post"),
        ("/api/v1/quote", "post"),
        ("/api/v1/previews/change", "post"),
        ("/api/v1/trials/start", "post"),
        ("/api/v1/pricing", "post"),
        ("/api/v1/echo", "post"),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is not documented");
        if method == "post" && path != "/api/v1/echo" {
            for status in ["200", "400", "404", "413", "422"] {
                assert!(
                    op["responses"].get(status).is_some(),
                    "{path} does not document {status}"
                );
            }
            assert!(
                op["responses"]["422"]["content"]
                    .get("application/problem+json")
                    .is_some(),
                "{path}: errors are problem+json"
            );
        }
    }
    let schemas = &doc["components"]["schemas"];
    for name in [
        "Problem",
        "RenewalsRequest",
        "UpgradePreview",
        "QuotaResponse",
        "LedgerRequest",
        "CatalogueSpec",
        "ChangeRequest",
        "ChangePreview",
        "TrialStartRequest",
        "TrialStart",
        "PricingRequest",
        "PricingTable",
        "Interval",
        "PriceSpec",
    ] {
        assert!(schemas.get(name).is_some(), "schema {name} missing");
    }
}

#[test]
fn every_calculation_endpoint_of_the_rules_crate_is_documented() {
    let doc: serde_json::Value =
        serde_json::from_str(&ratecard_server::openapi_json()).expect("valid JSON");
    for endpoint in ratecard_rules::api::Endpoint::ALL {
        let op = &doc["paths"][endpoint.path()]["post"];
        assert!(
            op.is_object(),
            "POST {} ({}) is not documented",
            endpoint.path(),
            endpoint.name()
        );
        assert_eq!(
            op["tags"],
            serde_json::json!(["calculations"]),
            "{}",
            endpoint.path()
        );
    }
    // The new fields of catalogues and subscriptions are in the schemas.
    let schemas = &doc["components"]["schemas"];
    for (schema, field) in [
        ("CatalogueSpec", "currencies"),
        ("CatalogueSpec", "currency_by_region"),
        ("PlanSpec", "prices"),
        ("PlanSpec", "trial_days"),
        ("PlanSpec", "recommended"),
        ("Subscription", "interval"),
        ("Subscription", "currency"),
        ("Subscription", "trial_ends_at"),
    ] {
        assert!(
            schemas[schema]["properties"].get(field).is_some(),
            "{schema}.{field} is not documented"
        );
    }
    assert_eq!(
        schemas["Interval"]["enum"],
        serde_json::json!(["month", "year"])
    );
}
