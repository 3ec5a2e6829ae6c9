//! The account endpoints on real databases: every scenario runs on SQLite and on
//! PostgreSQL (`RATECARD_TEST_POSTGRES_URL`, which `cargo xtask test` provides), through
//! `app().oneshot(...)` with the real store.

mod common;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use common::db::TestDb;
use common::{Answer, send};
use ratecard_server::auth::{generate_key, hash_key};
use ratecard_server::store::{Role, Store};
use ratecard_server::{AppState, Config, app};
use serde_json::{Value, json};

/// The app on a database, with an ingest and a support key.
struct Env {
    app: Router,
    store: Arc<Store>,
    ingest: String,
    support: String,
}

async fn env(db: &TestDb) -> Env {
    let store = Arc::new(Store::open(&db.url()).expect("open"));
    store.migrate().await.expect("migrate");
    let ingest = generate_key().expect("key");
    let support = generate_key().expect("key");
    assert!(
        store
            .insert_key("billing", Role::Ingest, &hash_key(&ingest))
            .await
            .expect("insert")
    );
    assert!(
        store
            .insert_key("agent-ada", Role::Support, &hash_key(&support))
            .await
            .expect("insert")
    );
    let state = AppState::builtin(Config::default())
        .expect("state")
        .with_store(Arc::clone(&store));
    Env {
        app: app(state),
        store,
        ingest,
        support,
    }
}

async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(key) = key {
        req = req.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    let body = match body {
        Some(v) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    send(app, req.body(body).expect("request")).await
}

fn account_body() -> Value {
    json!({
        "email": "Ada.Lovelace@Example.com",
        "name": "Ada Lovelace",
        "time_zone": "Europe/Berlin",
        "created_at": "2026-12-01T09:00:00+01:00"
    })
}

/// A short year: a free start, an upgrade to Pro, usage, a charge, a grant, an upgrade
/// to Studio and a refund request.
fn history() -> Value {
    json!([
        {"id": "e01", "type": "subscribe", "at": "2026-12-20T10:00:00Z", "plan": "free"},
        {"id": "e02", "type": "upload", "at": "2026-12-21T18:00:00Z", "seconds": 45},
        {"id": "e03", "type": "upgrade", "at": "2027-01-10T09:00:00Z", "to_plan": "pro"},
        {"id": "e04", "type": "generation", "at": "2027-01-12T14:00:00Z", "model": "stable-audio-2.0"},
        {"id": "e05", "type": "upload", "at": "2027-01-25T11:00:00Z", "seconds": 240, "copyright_flagged": true},
        {"id": "e06", "type": "charge", "at": "2027-01-28T08:00:00Z", "amount_minor": 499, "description": "Stem pack"},
        {"id": "welcome-bonus", "type": "grant", "at": "2027-02-01T00:00:00Z", "credits": 200},
        {"id": "e08", "type": "upgrade", "at": "2027-02-24T09:00:00Z", "to_plan": "studio"},
        {"id": "e09", "type": "generation", "at": "2027-03-10T11:00:00Z", "model": "stable-audio-2.0"},
        {"id": "e10", "type": "refund-request", "at": "2027-03-10T20:00:00Z", "reason": "accidental-purchase"}
    ])
}

async fn create_account(e: &Env, id: &str) {
    let r = call(
        &e.app,
        "PUT",
        &format!("/api/v1/accounts/{id}"),
        Some(&e.ingest),
        Some(account_body()),
    )
    .await;
    assert_eq!(
        r.status.as_u16(),
        201,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
}

async fn post_events(e: &Env, id: &str, events: Value) -> Answer {
    call(
        &e.app,
        "POST",
        &format!("/api/v1/accounts/{id}/events"),
        Some(&e.ingest),
        Some(json!({ "events": events })),
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Scenarios, each run on both databases
// ---------------------------------------------------------------------------------------

async fn keys_and_roles(db: &TestDb) {
    let e = env(db).await;
    create_account(&e, "acct_1").await;

    let r = call(&e.app, "GET", "/api/v1/accounts/acct_1", None, None).await;
    let p = r.problem(401, "unauthorized");
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("Authorization: Bearer"),
        "{p}"
    );

    let wrong = generate_key().expect("key");
    let r = call(&e.app, "GET", "/api/v1/accounts/acct_1", Some(&wrong), None).await;
    let p = r.problem(401, "unauthorized");
    assert!(
        !p.to_string().contains(&wrong),
        "a key is never echoed: {p}"
    );

    // An ingest key cannot read, a support key cannot write.
    let r = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_1",
        Some(&e.ingest),
        None,
    )
    .await;
    let p = r.problem(403, "forbidden");
    assert!(!p.to_string().contains(&e.ingest), "{p}");
    let r = call(
        &e.app,
        "PUT",
        "/api/v1/accounts/acct_2",
        Some(&e.support),
        Some(account_body()),
    )
    .await;
    r.problem(403, "forbidden");
    let r = post_events(&e, "acct_1", json!([])).await;
    assert_eq!(r.status.as_u16(), 200);

    // A revoked key is refused from the next request on.
    let r = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_1",
        Some(&e.support),
        None,
    )
    .await;
    assert_eq!(r.status.as_u16(), 200);
    assert!(e.store.revoke_key("agent-ada").await.expect("revoke"));
    let r = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_1",
        Some(&e.support),
        None,
    )
    .await;
    r.problem(401, "unauthorized");
    assert!(!e.store.revoke_key("agent-ada").await.expect("revoke twice"));

    // A taken name is refused, a revoked key's name is free again, and the new key works
    // while the revoked one stays refused; the store keeps hashes only.
    assert!(
        !e.store
            .insert_key("billing", Role::Support, "x")
            .await
            .expect("insert")
    );
    let renewed = generate_key().expect("key");
    assert!(
        e.store
            .insert_key("agent-ada", Role::Support, &hash_key(&renewed))
            .await
            .expect("insert")
    );
    let r = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_1",
        Some(&renewed),
        None,
    )
    .await;
    assert_eq!(r.status.as_u16(), 200);
    let r = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_1",
        Some(&e.support),
        None,
    )
    .await;
    r.problem(401, "unauthorized");
    let keys = e.store.keys().await.expect("keys");
    assert_eq!(keys.len(), 2);
    for k in &keys {
        assert_ne!(k.key_hash, e.ingest);
        assert_ne!(k.key_hash, e.support);
        assert_eq!(k.key_hash.len(), 64);
    }
    // The public calculation endpoints need no key.
    let r = call(&e.app, "GET", "/api/v1/catalogues", None, None).await;
    assert_eq!(r.status.as_u16(), 200);
}

async fn accounts_are_created_updated_and_validated(db: &TestDb) {
    let e = env(db).await;
    create_account(&e, "cus_9").await;
    let mut body = account_body();
    body["name"] = json!("Ada King");
    let r = call(
        &e.app,
        "PUT",
        "/api/v1/accounts/cus_9",
        Some(&e.ingest),
        Some(body),
    )
    .await;
    assert_eq!(
        r.status.as_u16(),
        200,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["name"], "Ada King");

    let r = call(
        &e.app,
        "GET",
        "/api/v1/accounts/cus_9",
        Some(&e.support),
        None,
    )
    .await;
    assert_eq!(r.status.as_u16(), 200);
    let a = r.json();
    assert_eq!(a["id"], "cus_9");
    assert_eq!(a["email"], "Ada.Lovelace@Example.com");
    assert_eq!(a["time_zone"], "Europe/Berlin");
    assert_eq!(a["currency"], "USD");
    assert_eq!(a["plan"], Value::Null);
    assert_eq!(a["interval"], Value::Null);

    // One wrong field at a time: an unknown zone, an unknown catalogue, a field an account
    // does not have (which the problem names).
    for (field, value, status, code) in [
        ("time_zone", json!("Mars/Olympus"), 422, "unknown-id"),
        ("catalogue", json!("nope"), 404, "unknown-catalogue"),
        ("plan", json!("pro"), 400, "invalid-field"),
    ] {
        let mut bad = account_body();
        bad[field] = value;
        let r = call(
            &e.app,
            "PUT",
            "/api/v1/accounts/cus_9",
            Some(&e.ingest),
            Some(bad),
        )
        .await;
        let p = r.problem(status, code);
        if code == "invalid-field" {
            assert!(p["detail"].as_str().unwrap().contains(field), "{p}");
        }
    }

    let r = call(
        &e.app,
        "GET",
        "/api/v1/accounts/cus_404",
        Some(&e.support),
        None,
    )
    .await;
    let p = r.problem(404, "unknown-account");
    assert!(p["detail"].as_str().unwrap().contains("cus_404"), "{p}");
    let r = post_events(&e, "cus_404", history()).await;
    r.problem(404, "unknown-account");
}

async fn events_are_idempotent_and_all_or_nothing(db: &TestDb) {
    let e = env(db).await;
    create_account(&e, "acct_ada").await;
    let all = history();
    let first: Vec<Value> = all.as_array().unwrap()[..6].to_vec();
    let r = post_events(&e, "acct_ada", json!(first)).await;
    assert_eq!(
        r.status.as_u16(),
        200,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json(), json!({"stored": 6, "duplicates": 0}));

    // The whole history again: the first six are duplicates.
    let r = post_events(&e, "acct_ada", all.clone()).await;
    assert_eq!(r.json(), json!({"stored": 4, "duplicates": 6}));
    let r = post_events(&e, "acct_ada", all.clone()).await;
    assert_eq!(r.json(), json!({"stored": 0, "duplicates": 10}));

    // A batch with one bad event stores none of it, and names it.
    let batch = json!([
        {"id": "n1", "type": "generation", "at": "2027-03-11T10:00:00Z", "model": "stable-audio-1.0"},
        {"id": "n2", "type": "generation", "at": "2027-03-11T10:01:00Z", "model": "stable-audio-1.0"},
        {"id": "n3", "type": "generation", "at": "2027-03-11T10:02:00Z", "model": "stable-audio-9"}
    ]);
    let r = post_events(&e, "acct_ada", batch).await;
    let p = r.problem(422, "invalid-event");
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("events[2] (id `n3`)"), "{detail}");
    assert!(detail.contains("stable-audio-9"), "{detail}");
    assert_eq!(p["field"], "events[2]");
    let batch = json!([
        {"id": "n1", "type": "generation", "at": "2027-03-11T10:00:00Z", "model": "stable-audio-1.0"},
        {"id": "n2", "type": "generation", "at": "not a date", "model": "stable-audio-1.0"}
    ]);
    let r = post_events(&e, "acct_ada", batch).await;
    let p = r.problem(422, "invalid-event");
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("events[1] (id `n2`)"),
        "{p}"
    );
    let batch =
        json!([{"type": "generation", "at": "2027-03-11T10:00:00Z", "model": "stable-audio-1.0"}]);
    post_events(&e, "acct_ada", batch)
        .await
        .problem(422, "invalid-event");

    let r = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_ada/events",
        Some(&e.support),
        None,
    )
    .await;
    let events = r.json()["events"].as_array().unwrap().clone();
    assert_eq!(
        events.len(),
        10,
        "nothing of the refused batches was stored"
    );
    // In time order, each with its id; a grant keeps its id as its label.
    let ids: Vec<&str> = events.iter().map(|v| v["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(events[6]["type"], "grant");
    assert_eq!(events[6]["credits"], 200);
}

async fn events_are_listed_in_time_order(db: &TestDb) {
    let e = env(db).await;
    create_account(&e, "acct_t").await;
    // Sent out of order, across two batches.
    let r = post_events(
        &e,
        "acct_t",
        json!([
            {"id": "late", "type": "generation", "at": "2027-02-01T00:00:00Z", "model": "stable-audio-1.0"},
            {"id": "start", "type": "subscribe", "at": "2027-01-05T00:00:00Z", "plan": "pro"}
        ]),
    )
    .await;
    assert_eq!(
        r.status.as_u16(),
        200,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let r = post_events(
        &e,
        "acct_t",
        json!([{"id": "mid", "type": "generation", "at": "2027-01-20T00:00:00+09:00", "model": "stable-audio-2.0"}]),
    )
    .await;
    assert_eq!(r.status.as_u16(), 200);
    let r = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_t/events",
        Some(&e.support),
        None,
    )
    .await;
    let ids: Vec<String> = r.json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["start", "mid", "late"]);
}

async fn the_stored_ledger_is_the_ledger_endpoint(db: &TestDb) {
    let e = env(db).await;
    create_account(&e, "acct_l").await;
    let r = post_events(&e, "acct_l", history()).await;
    assert_eq!(
        r.status.as_u16(),
        200,
        "{}",
        String::from_utf8_lossy(&r.body)
    );

    for (at, tax) in [
        ("2027-03-11T12:00:00Z", None),
        ("2027-02-01T00:00:00Z", Some(1900)),
        ("2027-03-10T20:30:00+01:00", Some(2000)),
    ] {
        let events = call(
            &e.app,
            "GET",
            "/api/v1/accounts/acct_l/events",
            Some(&e.support),
            None,
        )
        .await
        .json()["events"]
            .clone();
        let events: Vec<Value> = events
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let mut v = v.clone();
                if v["type"] != "grant" {
                    v.as_object_mut().unwrap().remove("id");
                }
                v
            })
            .collect();
        let mut req = json!({"time_zone": "Europe/Berlin", "at": at, "events": events});
        let mut query = format!("at={}", at.replace('+', "%2B"));
        if let Some(bp) = tax {
            req["tax_rate_bp"] = json!(bp);
            query.push_str(&format!("&tax_rate_bp={bp}"));
        }
        let posted = common::post_json(&e.app, "/api/v1/ledger", &req).await;
        assert_eq!(
            posted.status.as_u16(),
            200,
            "{}",
            String::from_utf8_lossy(&posted.body)
        );
        let stored = call(
            &e.app,
            "GET",
            &format!("/api/v1/accounts/acct_l/ledger?{query}"),
            Some(&e.support),
            None,
        )
        .await;
        assert_eq!(
            stored.status.as_u16(),
            200,
            "{}",
            String::from_utf8_lossy(&stored.body)
        );
        assert_eq!(
            stored.body, posted.body,
            "GET ledger at {at} differs from POST /api/v1/ledger"
        );
    }
    // The refund request is judged as the ledger judges it, with the rules cited.
    let l = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_l/ledger?at=2027-03-11T12:00:00Z",
        Some(&e.support),
        None,
    )
    .await
    .json();
    assert!(l["state"]["refund"].is_object(), "{l}");
    assert!(l["explanation"].to_string().contains("R-REFUND"), "{l}");
    assert_eq!(l["state"]["plan"], "studio");

    // Without `at`, now; a bad `at` is a 400 problem.
    let r = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_l/ledger",
        Some(&e.support),
        None,
    )
    .await;
    assert_eq!(r.status.as_u16(), 200);
    let r = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_l/ledger?at=yesterday",
        Some(&e.support),
        None,
    )
    .await;
    r.problem(400, "invalid-field");

    // The account reports the plan in force now: none yet for a history that starts
    // in December 2026, Max for one that upgraded in 2025.
    let a = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_l",
        Some(&e.support),
        None,
    )
    .await
    .json();
    assert_eq!(a["plan"], Value::Null, "{a}");
    create_account(&e, "acct_2025").await;
    let r = post_events(
        &e,
        "acct_2025",
        json!([
            {"id": "s", "type": "subscribe", "at": "2025-01-05T10:00:00Z", "plan": "pro"},
            {"id": "u", "type": "upgrade", "at": "2025-03-01T10:00:00Z", "to_plan": "max"}
        ]),
    )
    .await;
    assert_eq!(r.status.as_u16(), 200);
    let a = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_2025",
        Some(&e.support),
        None,
    )
    .await
    .json();
    assert_eq!(a["plan"], "max", "{a}");
    assert_eq!(a["interval"], "month");
}

/// An account subscribed per year in euros reads back with its interval and currency
/// (R-INTERVAL-1, R-CURRENCY-1), also once a change back to monthly has taken effect.
async fn accounts_show_their_interval_and_currency(db: &TestDb) {
    let e = env(db).await;
    create_account(&e, "acct_y").await;
    let r = post_events(
        &e,
        "acct_y",
        json!([
            {"id": "s", "type": "subscribe", "at": "2025-01-05T10:00:00Z", "plan": "pro",
             "interval": "year", "currency": "EUR"},
            {"id": "c", "type": "interval-change", "at": "2025-03-01T10:00:00Z",
             "to_plan": "studio", "to_interval": "month"}
        ]),
    )
    .await;
    assert_eq!(
        r.status.as_u16(),
        200,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let a = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_y",
        Some(&e.support),
        None,
    )
    .await
    .json();
    // The yearly period ended on 5 January 2026: monthly Studio since, still in euros.
    assert_eq!(a["plan"], "studio", "{a}");
    assert_eq!(a["interval"], "month", "{a}");
    assert_eq!(a["currency"], "EUR", "{a}");
    let at_start = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_y/ledger?at=2025-06-01T00:00:00Z",
        Some(&e.support),
        None,
    )
    .await
    .json();
    assert_eq!(at_start["state"]["plan"], "pro", "{at_start}");
    assert_eq!(at_start["state"]["interval"], "year", "{at_start}");
    assert_eq!(at_start["currency"], "EUR", "{at_start}");

    create_account(&e, "acct_y2").await;
    let r = post_events(
        &e,
        "acct_y2",
        json!([{"id": "s", "type": "subscribe", "at": "2026-06-05T10:00:00Z", "plan": "max",
                "interval": "year", "currency": "JPY"}]),
    )
    .await;
    assert_eq!(
        r.status.as_u16(),
        200,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let a = call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_y2",
        Some(&e.support),
        None,
    )
    .await
    .json();
    assert_eq!(a["plan"], "max", "{a}");
    assert_eq!(a["interval"], "year", "{a}");
    assert_eq!(a["currency"], "JPY", "{a}");
}

async fn search_finds_by_id_prefix_and_email(db: &TestDb) {
    let e = env(db).await;
    for (id, email) in [
        ("cus_A1", "ada@example.com"),
        ("cus_A2", "grace.hopper@navy.example"),
        ("acct_3", "linus_t@example.org"),
        ("acct_4", "linusXt@example.org"),
    ] {
        let mut body = account_body();
        body["email"] = json!(email);
        let r = call(
            &e.app,
            "PUT",
            &format!("/api/v1/accounts/{id}"),
            Some(&e.ingest),
            Some(body),
        )
        .await;
        assert_eq!(r.status.as_u16(), 201);
    }
    let find = |q: &'static str| {
        let app = e.app.clone();
        let key = e.support.clone();
        async move {
            let r = call(
                &app,
                "GET",
                &format!("/api/v1/accounts?q={q}"),
                Some(&key),
                None,
            )
            .await;
            assert_eq!(
                r.status.as_u16(),
                200,
                "{}",
                String::from_utf8_lossy(&r.body)
            );
            r.json()["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(find("cus_").await, ["cus_A1", "cus_A2"]);
    assert_eq!(find("HOPPER").await, ["cus_A2"]);
    assert_eq!(
        find("example").await,
        ["acct_3", "acct_4", "cus_A1", "cus_A2"]
    );
    // `_` and `%` are literal, not wildcards.
    assert_eq!(find("linus_t").await, ["acct_3"]);
    assert_eq!(find("%25").await, Vec::<String>::new());
    assert_eq!(find("nobody").await, Vec::<String>::new());
    let r = call(&e.app, "GET", "/api/v1/accounts", Some(&e.support), None).await;
    r.problem(400, "invalid-field");
}

async fn the_audit_trail_names_keys_and_accounts(db: &TestDb) {
    let e = env(db).await;
    create_account(&e, "acct_a").await;
    post_events(&e, "acct_a", history()).await;
    call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_a/ledger",
        Some(&e.support),
        None,
    )
    .await;
    call(
        &e.app,
        "GET",
        "/api/v1/accounts/acct_a",
        Some(&e.support),
        None,
    )
    .await;
    let r = call(
        &e.app,
        "GET",
        "/api/v1/audit?account=acct_a",
        Some(&e.support),
        None,
    )
    .await;
    assert_eq!(
        r.status.as_u16(),
        200,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let entries = r.json()["entries"].as_array().unwrap().clone();
    let lines: Vec<(String, String, String)> = entries
        .iter()
        .map(|x| {
            (
                x["key"].as_str().unwrap().to_owned(),
                x["action"].as_str().unwrap().to_owned(),
                x["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // Newest first: the audit read itself, the account read, the ledger read, the
    // events write and the account write.
    assert_eq!(
        lines,
        [
            (
                "agent-ada".into(),
                "read".into(),
                "/api/v1/audit?account=acct_a".into()
            ),
            (
                "agent-ada".into(),
                "read".into(),
                "/api/v1/accounts/acct_a".into()
            ),
            (
                "agent-ada".into(),
                "read".into(),
                "/api/v1/accounts/acct_a/ledger".into()
            ),
            (
                "billing".into(),
                "write".into(),
                "/api/v1/accounts/acct_a/events".into()
            ),
            (
                "billing".into(),
                "write".into(),
                "/api/v1/accounts/acct_a".into()
            ),
        ]
    );
    assert!(entries.iter().all(|x| x["account"] == "acct_a"));
    // Refused requests change nothing and are not attributed to a key.
    let r = call(&e.app, "GET", "/api/v1/audit", Some(&e.ingest), None).await;
    r.problem(403, "forbidden");
}

async fn parallel_batches_neither_lose_nor_duplicate(db: &TestDb) {
    let e = env(db).await;
    create_account(&e, "acct_p").await;
    let r = post_events(
        &e,
        "acct_p",
        json!([{"id": "sub", "type": "subscribe", "at": "2027-01-01T00:00:00Z", "plan": "max"}]),
    )
    .await;
    assert_eq!(r.status.as_u16(), 200);
    // Eight clients, each posting 5 batches of 20 events; clients overlap pairwise, so
    // every event id is sent twice.
    let mut tasks = Vec::new();
    for client in 0..8_u32 {
        let app = e.app.clone();
        let key = e.ingest.clone();
        tasks.push(tokio::spawn(async move {
            let mut stored = 0;
            let mut duplicates = 0;
            for batch in 0..5_u32 {
                let owner = client / 2;
                let events: Vec<Value> = (0..20_u32)
                    .map(|i| {
                        let n = owner * 100 + batch * 20 + i;
                        json!({
                            "id": format!("g{n}"),
                            "type": "generation",
                            "at": format!("2027-01-{:02}T{:02}:{:02}:00Z", 2 + n % 20, n % 24, n % 60),
                            "model": "stable-audio-1.0"
                        })
                    })
                    .collect();
                let r = call(
                    &app,
                    "POST",
                    "/api/v1/accounts/acct_p/events",
                    Some(&key),
                    Some(json!({ "events": events })),
                )
                .await;
                assert_eq!(r.status.as_u16(), 200, "{}", String::from_utf8_lossy(&r.body));
                let v = r.json();
                stored += v["stored"].as_u64().unwrap();
                duplicates += v["duplicates"].as_u64().unwrap();
            }
            (stored, duplicates)
        }));
    }
    let mut stored = 0;
    let mut duplicates = 0;
    for t in tasks {
        let (s, d) = t.await.expect("task");
        stored += s;
        duplicates += d;
    }
    assert_eq!(stored, 400, "each of the 400 distinct events stored once");
    assert_eq!(duplicates, 400, "each second copy counted as a duplicate");
    let events = e.store.events("acct_p").await.expect("events");
    assert_eq!(events.len(), 401);
    let mut ids: Vec<&str> = events.iter().map(|x| x.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 401);
}

macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = TestDb::sqlite();
                    super::$name(&db).await;
                }
            )*
        }
        mod postgres {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = TestDb::postgres(stringify!($name)).await else {
                        return;
                    };
                    super::$name(&db).await;
                    db.drop_database().await;
                }
            )*
        }
    };
}

on_both_databases!(
    keys_and_roles,
    accounts_are_created_updated_and_validated,
    events_are_idempotent_and_all_or_nothing,
    events_are_listed_in_time_order,
    the_stored_ledger_is_the_ledger_endpoint,
    accounts_show_their_interval_and_currency,
    search_finds_by_id_prefix_and_email,
    the_audit_trail_names_keys_and_accounts,
    parallel_batches_neither_lose_nor_duplicate,
);

#[tokio::test]
async fn without_a_store_the_account_endpoints_answer_503_and_the_rest_works() {
    // A SQLite path whose folder cannot be created: the server still starts.
    let dir = tempfile::tempdir().expect("temp dir");
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, b"not a folder").expect("write");
    let url = format!("sqlite://{}/sub/ratecard.db", blocker.display());
    assert!(Store::open(&url).is_err());
    // The same with a database that cannot be opened at start: a folder in the file's place.
    let url = format!("sqlite://{}", dir.path().display());
    let store = Arc::new(Store::open(&url).expect("open lazily"));
    assert!(store.migrate().await.is_err());
    let app = app(AppState::builtin(Config::default())
        .expect("state")
        .with_store(store));
    let r = call(&app, "GET", "/api/v1/accounts/x", Some("rck_0"), None).await;
    let p = r.problem(503, "store-unavailable");
    assert_eq!(r.header("retry-after"), Some("5"));
    assert!(
        !p.to_string().contains(&dir.path().display().to_string()),
        "no paths leak: {p}"
    );
    let r = common::get(&app, "/api/v1/catalogues").await;
    assert_eq!(r.status.as_u16(), 200);
}
