//! The golden cases of the rules crate (`crates/ratecard-rules/tests/golden/*.json`) sent
//! through HTTP. The rules crate's own test proves each answer against its hand
//! calculation; this one proves that the server gives byte-for-byte the same answer as
//! the rules crate called directly, and that every expected error becomes a problem with
//! the matching `type` and status.

mod common;

use std::path::Path;

use axum::http::StatusCode;
use common::*;
use ratecard_rules::RuleError;
use ratecard_rules::api::{AnswerError, Endpoint};
use serde_json::Value;

/// What the rules crate answers directly: `Err(None)` when the request does not even
/// parse (the server must say 400), `Err(Some(e))` for an engine error.
fn direct(endpoint: Endpoint, request: &Value) -> Result<Value, Option<RuleError>> {
    match endpoint.answer(request) {
        Ok(text) => Ok(serde_json::from_str(&text).expect("an answer is JSON")),
        Err(AnswerError::Request(_)) => Err(None),
        Err(AnswerError::Rule(e)) => Err(Some(e)),
        Err(AnswerError::Encode(e)) => panic!("an answer does not serialise: {e}"),
    }
}

/// The status the server must give an engine error.
fn status_of(e: &RuleError) -> u16 {
    match e {
        RuleError::UnknownCatalogue { .. } => 404,
        _ => 422,
    }
}

#[tokio::test]
async fn golden_cases_give_the_same_answers_over_http() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ratecard-rules/tests/golden");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let app = default_app();
    let mut ran = 0;
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        let text = std::fs::read_to_string(file).expect("read");
        let Ok(doc) = serde_json::from_str::<Value>(&text) else {
            // A file being written by someone else right now.
            eprintln!("skipping {name}: not valid JSON yet");
            continue;
        };
        let catalogues = doc.get("catalogues").cloned().unwrap_or(Value::Null);
        for case in doc["cases"].as_array().into_iter().flatten() {
            let case_name = case["name"].as_str().unwrap_or("(unnamed)");
            // Cases that are not requests (`catalogue`) have no endpoint.
            let Some(endpoint) = case["endpoint"].as_str().and_then(Endpoint::from_name) else {
                continue;
            };
            let path = endpoint.path();
            let mut request = case["request"].clone();
            if let Some(inline) = request
                .get("catalogue")
                .and_then(Value::as_str)
                .and_then(|s| s.strip_prefix('@'))
            {
                request["catalogue"] = catalogues[inline].clone();
            }
            ran += 1;
            let a = post_json(&app, path, &request).await;
            let body = String::from_utf8_lossy(&a.body).into_owned();
            let fail = |why: String| format!("{name} / {case_name} ({path}): {why}");
            match direct(endpoint, &request) {
                Ok(expected) => {
                    if a.status != StatusCode::OK {
                        failures.push(fail(format!("status {}: {body}", a.status)));
                    } else if a.json() != expected {
                        failures.push(fail(format!(
                            "the server's answer differs from the rules crate's:\n  http:   {body}\n  direct: {expected}"
                        )));
                    }
                }
                Err(None) => {
                    if a.status != StatusCode::BAD_REQUEST
                        || a.json()["type"] != "https://ratecard.dev/problems/invalid-field"
                    {
                        failures.push(fail(format!("expected 400 invalid-field, got {body}")));
                    }
                }
                Err(Some(e)) => {
                    let want = format!("https://ratecard.dev/problems/{}", e.code());
                    let got = a.json();
                    let detail = got["detail"].as_str().unwrap_or_default();
                    // An inline catalogue's field is named as the request spells it.
                    let detail_ok = match &e {
                        RuleError::InvalidCatalogue { field, problem, .. } => {
                            detail.contains(&format!("`catalogue.{field}`"))
                                && detail.contains(problem.as_str())
                                && got["field"] == field.as_str()
                        }
                        _ => detail == e.to_string(),
                    };
                    if a.status.as_u16() != status_of(&e)
                        || a.header("content-type") != Some("application/problem+json")
                        || got["type"] != want.as_str()
                        || !detail_ok
                    {
                        failures.push(fail(format!(
                            "expected {} {want} ({e}), got {} {body}",
                            status_of(&e),
                            a.status
                        )));
                    }
                    if let Some(code) = case.get("error").and_then(Value::as_str)
                        && code != e.code()
                    {
                        eprintln!(
                            "note: {name} / {case_name} expects {code}, the engine says {}",
                            e.code()
                        );
                    }
                }
            }
        }
    }
    eprintln!(
        "{ran} golden cases from {} files went through HTTP",
        files.len()
    );
    assert!(ran > 0, "no golden case found under {}", dir.display());
    assert!(
        failures.is_empty(),
        "{} golden case(s) differ over HTTP:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
