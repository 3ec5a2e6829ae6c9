//! With the `openapi` feature, every wire type has a schema the server can publish.

#![cfg(feature = "openapi")]

use ratecard_rules::api;
use utoipa::PartialSchema;

#[test]
fn wire_types_have_schemas() {
    let schemas = [
        serde_json::to_value(api::UpgradePreview::schema()).unwrap(),
        serde_json::to_value(api::LedgerRequest::schema()).unwrap(),
        serde_json::to_value(api::QuotaResponse::schema()).unwrap(),
        serde_json::to_value(ratecard_rules::CatalogueSpec::schema()).unwrap(),
    ];
    let upgrade = schemas[0].to_string();
    assert!(upgrade.contains("due_now"));
    assert!(
        !upgrade.contains("reasons"),
        "the Rust-only reasons stay off the wire"
    );
    let currency = serde_json::to_value(ratecard_rules::Currency::schema()).unwrap();
    assert!(currency.to_string().contains("BHD"));
}
