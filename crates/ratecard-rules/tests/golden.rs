//! Golden cases: hand-calculated requests and answers in `tests/golden/*.json`, run through
//! the public API. The files are compiled in with `include_str!`, so the same runner proves
//! the native build and, under `wasm-bindgen-test` in a browser, the wasm32 build.
//!
//! A file holds `catalogues` (named inline catalogues a request can use as `"@name"`) and
//! `cases`. A case names the `rules` it proves, a `note` with the hand calculation, the
//! `endpoint`, the `request`, and either `error` (a [`RuleError::code`]) or `expect`: a JSON
//! subset of the answer, where arrays must match in full and instants compare as instants.
//! `explanation_rules` lists the rule ids of the explanation in order, and `text_contains`
//! sentences that must appear in it. Every rule a case names must appear in its answer.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use ratecard_rules::api::{AnswerError, Endpoint};
use ratecard_rules::{Catalogue, RuleError};
use serde_json::Value;

const FILES: &[(&str, &str)] = &[
    ("catalogue.json", include_str!("golden/catalogue.json")),
    ("cycle.json", include_str!("golden/cycle.json")),
    ("price.json", include_str!("golden/price.json")),
    ("upgrade.json", include_str!("golden/upgrade.json")),
    ("downgrade.json", include_str!("golden/downgrade.json")),
    ("quota.json", include_str!("golden/quota.json")),
    ("refund.json", include_str!("golden/refund.json")),
    ("licence.json", include_str!("golden/licence.json")),
    ("prepaid.json", include_str!("golden/prepaid.json")),
    ("topup.json", include_str!("golden/topup.json")),
    ("terms.json", include_str!("golden/terms.json")),
    ("ledger.json", include_str!("golden/ledger.json")),
    (
        "ledger_refund.json",
        include_str!("golden/ledger_refund.json"),
    ),
    ("interval.json", include_str!("golden/interval.json")),
    ("currency.json", include_str!("golden/currency.json")),
    ("display.json", include_str!("golden/display.json")),
    ("pricing.json", include_str!("golden/pricing.json")),
    ("trial.json", include_str!("golden/trial.json")),
];

fn json<T: serde::Serialize>(r: Result<T, RuleError>) -> Result<Result<Value, RuleError>, String> {
    match r {
        Ok(v) => serde_json::to_value(v)
            .map(Ok)
            .map_err(|e| format!("cannot serialise the answer: {e}")),
        Err(e) => Ok(Err(e)),
    }
}

/// Runs one request; the outer error is a broken case, the inner one the engine's answer.
fn call(endpoint: &str, request: &Value) -> Result<Result<Value, RuleError>, String> {
    if let Some(e) = Endpoint::from_name(endpoint) {
        return match e.answer(request) {
            Ok(text) => serde_json::from_str(&text)
                .map(Ok)
                .map_err(|e| format!("the answer is not JSON: {e}")),
            Err(AnswerError::Rule(e)) => Ok(Err(e)),
            Err(AnswerError::Request(e)) => Err(format!("bad request: {e}")),
            Err(AnswerError::Encode(e)) => Err(format!("cannot serialise the answer: {e}")),
        };
    }
    match endpoint {
        "catalogue" => {
            // `base` is a built-in id; `patch` is a list of [JSON pointer, new value].
            let base = request["base"].as_str().unwrap_or("stable-audio");
            let builtin = Catalogue::builtin(base).map_err(|e| e.to_string())?;
            let mut doc: Value =
                serde_json::from_str(&builtin.to_json()).map_err(|e| e.to_string())?;
            for p in request["patch"].as_array().into_iter().flatten() {
                let pointer = p[0].as_str().ok_or("patch pointer")?;
                let slot = doc
                    .pointer_mut(pointer)
                    .ok_or_else(|| format!("no {pointer} in the catalogue"))?;
                *slot = p[1].clone();
            }
            // `add` is a list of [JSON pointer to an object, new key, value].
            for a in request["add"].as_array().into_iter().flatten() {
                let pointer = a[0].as_str().ok_or("add pointer")?;
                let key = a[1].as_str().ok_or("add key")?;
                let object = doc
                    .pointer_mut(pointer)
                    .and_then(Value::as_object_mut)
                    .ok_or_else(|| format!("no object {pointer} in the catalogue"))?;
                object.insert(key.to_owned(), a[2].clone());
            }
            let text = doc.to_string();
            match request["format"].as_str() {
                Some("toml-raw") => {
                    // The patched document as TOML, unvalidated, to test the TOML loader.
                    let toml = toml::to_string(&doc).map_err(|e| e.to_string())?;
                    json(Catalogue::from_toml("golden.toml", &toml).map(|c| c.spec().clone()))
                }
                Some("toml") => {
                    let spec: ratecard_rules::CatalogueSpec =
                        serde_json::from_str(&text).map_err(|e| e.to_string())?;
                    let toml = toml_of(&spec)?;
                    json(Catalogue::from_toml("golden.toml", &toml).map(|c| c.spec().clone()))
                }
                _ => json(Catalogue::from_json("golden.json", &text).map(|c| c.spec().clone())),
            }
        }
        other => Err(format!("unknown endpoint `{other}`")),
    }
}

fn toml_of(spec: &ratecard_rules::CatalogueSpec) -> Result<String, String> {
    // Serialise through a validated copy when possible, else the raw spec.
    match Catalogue::validate("golden", spec.clone()) {
        Ok(c) => c.to_toml().map_err(|e| e.to_string()),
        Err(_) => Err("toml cases need a valid catalogue".into()),
    }
}

/// Replaces `"@name"` catalogue references with the file's inline catalogues.
fn substitute(request: &mut Value, catalogues: &Value) -> Result<(), String> {
    if let Some(name) = request
        .get("catalogue")
        .and_then(Value::as_str)
        .and_then(|s| s.strip_prefix('@'))
    {
        let spec = catalogues
            .get(name)
            .ok_or_else(|| format!("no inline catalogue `{name}`"))?
            .clone();
        request["catalogue"] = spec;
    }
    Ok(())
}

fn is_instant(s: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    if s.len() >= 20 && s.as_bytes().get(10) == Some(&b'T') {
        chrono::DateTime::parse_from_rfc3339(s).ok()
    } else {
        None
    }
}

/// Checks that `expected` is a subset of `actual`; arrays must match element by element.
fn subset(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => subset(&format!("{path}.{k}"), ev, av, out),
                    None => out.push(format!("{path}.{k}: missing in the answer")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!(
                    "{path}: expected {} items, got {}: {}",
                    e.len(),
                    a.len(),
                    actual
                ));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset(&format!("{path}[{i}]"), ev, av, out);
            }
        }
        (Value::String(e), Value::String(a)) => match (is_instant(e), is_instant(a)) {
            (Some(te), Some(ta)) if te == ta => {}
            _ if e == a => {}
            _ => out.push(format!("{path}: expected {e:?}, got {a:?}")),
        },
        _ if expected == actual => {}
        _ => out.push(format!("{path}: expected {expected}, got {actual}")),
    }
}

/// Every string under a `rule` or `rules` key, anywhere in the answer.
fn rules_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("rule", Value::String(s)) => out.push(s.clone()),
                    ("rules", Value::Array(a)) => {
                        out.extend(a.iter().filter_map(Value::as_str).map(str::to_owned));
                    }
                    _ => rules_in(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| rules_in(x, out)),
        _ => {}
    }
}

fn texts_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("text", Value::String(s)) => out.push(s.clone()),
                    _ => texts_in(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| texts_in(x, out)),
        _ => {}
    }
}

fn run_case(case: &Value, catalogues: &Value) -> Result<(), String> {
    let endpoint = case["endpoint"].as_str().ok_or("no endpoint")?;
    let mut request = case["request"].clone();
    substitute(&mut request, catalogues)?;
    let answer = call(endpoint, &request)?;
    let mut problems = Vec::new();
    match (case.get("error"), answer) {
        (Some(code), Err(e)) => {
            if Some(e.code()) != code.as_str() {
                problems.push(format!("expected error {code}, got {}: {e}", e.code()));
            }
            if let Some(part) = case.get("error_contains").and_then(Value::as_str)
                && !e.to_string().contains(part)
            {
                problems.push(format!("error `{e}` does not contain {part:?}"));
            }
        }
        (Some(code), Ok(v)) => problems.push(format!("expected error {code}, got {v}")),
        (None, Err(e)) => problems.push(format!("unexpected error {}: {e}", e.code())),
        (None, Ok(actual)) => {
            if let Some(expected) = case.get("expect") {
                subset("answer", expected, &actual, &mut problems);
            }
            if let Some(expected) = case.get("explanation_rules") {
                let got: Vec<Value> = actual["explanation"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|l| l["rule"].clone())
                    .collect();
                if expected.as_array() != Some(&got) {
                    problems.push(format!(
                        "explanation rules: expected {expected}, got {}",
                        Value::Array(got)
                    ));
                }
            }
            let mut found = Vec::new();
            rules_in(&actual, &mut found);
            // A catalogue is data, not a calculation: it carries no explanation.
            let rules_to_find = if endpoint == "catalogue" {
                None
            } else {
                case["rules"].as_array()
            };
            for rule in rules_to_find.into_iter().flatten() {
                let rule = rule.as_str().unwrap_or_default();
                if !found.iter().any(|f| f == rule) {
                    problems.push(format!("rule {rule} does not appear in the answer"));
                }
            }
            let mut texts = Vec::new();
            texts_in(&actual, &mut texts);
            for part in case["text_contains"].as_array().into_iter().flatten() {
                let part = part.as_str().unwrap_or_default();
                if !texts.iter().any(|t| t.contains(part)) {
                    problems.push(format!("no explanation contains {part:?}; got {texts:#?}"));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n    "))
    }
}

fn run_file(name: &str) {
    let text = FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("no golden file {name}"));
    let doc: Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{name} is not valid JSON: {e}"));
    let catalogues = doc.get("catalogues").cloned().unwrap_or(Value::Null);
    let cases = doc["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{name} has no cases"));
    assert!(!cases.is_empty(), "{name} has no cases");
    let mut failures = Vec::new();
    for case in cases {
        let case_name = case["name"].as_str().unwrap_or("(unnamed)");
        assert!(
            case["rules"].as_array().is_some_and(|r| !r.is_empty()),
            "{name}: case `{case_name}` names no rules"
        );
        assert!(
            case["note"].as_str().is_some_and(|n| !n.is_empty()),
            "{name}: case `{case_name}` has no note of its hand calculation"
        );
        if let Err(e) = run_case(case, &catalogues) {
            failures.push(format!("  {name} / {case_name}:\n    {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

macro_rules! golden {
    ($($test:ident => $file:literal),* $(,)?) => {$(
        #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
        #[cfg_attr(not(target_arch = "wasm32"), test)]
        fn $test() {
            run_file($file);
        }
    )*};
}

golden! {
    golden_catalogue => "catalogue.json",
    golden_cycle => "cycle.json",
    golden_price => "price.json",
    golden_upgrade => "upgrade.json",
    golden_downgrade => "downgrade.json",
    golden_quota => "quota.json",
    golden_refund => "refund.json",
    golden_licence => "licence.json",
    golden_prepaid => "prepaid.json",
    golden_topup => "topup.json",
    golden_terms => "terms.json",
    golden_ledger => "ledger.json",
    golden_ledger_refund => "ledger_refund.json",
    golden_interval => "interval.json",
    golden_currency => "currency.json",
    golden_display => "display.json",
    golden_pricing => "pricing.json",
    golden_trial => "trial.json",
}

/// Every rule id of the rule book is proved by a golden case and named in the source.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_rule_is_covered() {
    // Every module but `rule_id.rs`, which lists every id by definition.
    const SOURCES: &[&str] = &[
        include_str!("../src/api.rs"),
        include_str!("../src/calendar.rs"),
        include_str!("../src/catalogue/mod.rs"),
        include_str!("../src/catalogue/builtin.rs"),
        include_str!("../src/catalogue/spec.rs"),
        include_str!("../src/catalogue/validate.rs"),
        include_str!("../src/currency.rs"),
        include_str!("../src/error.rs"),
        include_str!("../src/explain.rs"),
        include_str!("../src/interval.rs"),
        include_str!("../src/ledger.rs"),
        include_str!("../src/licence.rs"),
        include_str!("../src/money.rs"),
        include_str!("../src/plan_change.rs"),
        include_str!("../src/prepaid.rs"),
        include_str!("../src/pricing.rs"),
        include_str!("../src/quota.rs"),
        include_str!("../src/quote.rs"),
        include_str!("../src/reason.rs"),
        include_str!("../src/refund.rs"),
        include_str!("../src/subscription.rs"),
        include_str!("../src/terms.rs"),
        include_str!("../src/topup.rs"),
        include_str!("../src/trial.rs"),
    ];
    let mut tagged = Vec::new();
    for (name, text) in FILES {
        let doc: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for case in doc["cases"].as_array().into_iter().flatten() {
            for r in case["rules"].as_array().into_iter().flatten() {
                tagged.push(r.as_str().unwrap_or_default().to_owned());
            }
        }
    }
    let mut missing = Vec::new();
    for id in ratecard_rules::RuleId::ALL {
        if !tagged.iter().any(|t| t == id) {
            missing.push(format!("{id}: no golden case"));
        }
        let variant = format!("RuleId::{id:?}");
        if !SOURCES
            .iter()
            .any(|s| s.contains(id.as_str()) || s.contains(&variant))
        {
            missing.push(format!("{id}: not named in the source"));
        }
    }
    for t in &tagged {
        assert!(
            t.parse::<ratecard_rules::RuleId>().is_ok(),
            "a golden case names `{t}`, which is not a rule of the rule book"
        );
    }
    assert!(
        missing.is_empty(),
        "uncovered rules:\n{}",
        missing.join("\n")
    );
}
