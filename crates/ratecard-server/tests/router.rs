//! Router tests without a socket: `app(...).oneshot(...)` for the routes that do not
//! calculate, and for the layers (CORS, security headers, limits, widget serving).

mod common;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::get as get_route;
use common::*;
use ratecard_rules::Catalogue;
use ratecard_server::{Config, config::parse_origin, harden};
use serde_json::{Value, json};

#[tokio::test]
async fn healthz_is_ok() {
    let app = default_app();
    let a = get(&app, "/healthz").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json(), json!({"status": "ok"}));
}

#[tokio::test]
async fn catalogues_lists_every_builtin() {
    let app = default_app();
    let a = get(&app, "/api/v1/catalogues").await;
    assert_eq!(a.status, StatusCode::OK);
    let list = a.json();
    let list = list.as_array().expect("an array");
    assert_eq!(list[0]["id"], "stable-audio", "the default comes first");
    for id in Catalogue::builtin_ids() {
        let entry = list
            .iter()
            .find(|e| e["id"] == *id)
            .unwrap_or_else(|| panic!("{id} missing from {list:?}"));
        let c = Catalogue::builtin(id).expect("builtin");
        assert_eq!(entry["name"], c.spec().name);
        assert_eq!(entry["version"], c.spec().version);
        assert_eq!(entry["currency"], c.currency().code());
        assert_eq!(entry.as_object().map(|o| o.len()), Some(4), "{entry}");
    }
    let stable = list
        .iter()
        .find(|e| e["id"] == "stable-audio")
        .expect("stable-audio");
    assert_eq!(stable["currency"], "USD");
}

#[tokio::test]
async fn catalogue_by_id_is_the_rules_crate_serialisation() {
    let app = default_app();
    let a = get(&app, "/api/v1/catalogues/stable-audio").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("content-type"), Some("application/json"));
    let expected: Value = serde_json::from_str(
        &Catalogue::builtin("stable-audio")
            .expect("builtin")
            .to_json(),
    )
    .expect("json");
    let got = a.json();
    assert_eq!(got, expected);
    for field in ["id", "name", "version", "effective_from", "currency"] {
        assert!(got.get(field).is_some(), "{field} missing");
    }
    let pro = got["plans"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["id"] == "pro"))
        .expect("pro plan");
    assert_eq!(pro["price_minor"], 1199);
    for field in [
        "id",
        "name",
        "price_minor",
        "credits_per_period",
        "upload_seconds_per_period",
        "upload_crop_seconds",
        "licence",
    ] {
        assert!(pro.get(field).is_some(), "plans[].{field} missing");
    }
    let models: Vec<&str> = got["models"]
        .as_array()
        .expect("models")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert_eq!(
        models,
        ["stable-audio-1.0", "stable-audio-1.1", "stable-audio-2.0"]
    );
}

#[tokio::test]
async fn every_builtin_catalogue_is_served_and_round_trips() {
    let app = default_app();
    for id in Catalogue::builtin_ids() {
        let a = get(&app, &format!("/api/v1/catalogues/{id}")).await;
        assert_eq!(a.status, StatusCode::OK, "{id}");
        // What the server sends is a valid catalogue file.
        let text = String::from_utf8(a.body.to_vec()).expect("utf-8");
        let back = Catalogue::from_json("response", &text).expect("valid");
        assert_eq!(back, Catalogue::builtin(id).expect("builtin"));
    }
}

#[tokio::test]
async fn unknown_catalogue_is_a_404_problem_listing_the_valid_ids() {
    let app = default_app();
    let a = get(&app, "/api/v1/catalogues/platinum").await;
    let p = a.problem(404, "unknown-catalogue");
    let detail = p["detail"].as_str().expect("detail");
    assert!(detail.contains("`platinum`"), "{detail}");
    assert!(detail.contains("stable-audio"), "{detail}");
    assert!(
        p["valid"]
            .as_array()
            .expect("valid")
            .contains(&json!("stable-audio"))
    );
}

#[tokio::test]
async fn openapi_is_served_as_3_1_and_names_every_route() {
    let app = default_app();
    let a = get(&app, "/api/openapi.json").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("content-type"), Some("application/json"));
    let doc = a.json();
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    for path in [
        "/healthz",
        "/api/openapi.json",
        "/api/v1/catalogues",
        "/api/v1/catalogues/{id}",
        "/api/v1/echo",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} not documented");
    }
    assert!(doc["components"]["schemas"].get("Problem").is_some());
}

#[tokio::test]
async fn echo_returns_its_body() {
    let app = default_app();
    let body = json!({"a": [1, 2, {"b": null}], "c": "d"});
    let a = post_json(&app, "/api/v1/echo", &body).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json(), body);
}

#[tokio::test]
async fn unknown_routes_are_404_problems() {
    let app = default_app();
    for uri in [
        "/api/v1/nope",
        "/api",
        "/api/v2/renewals",
        "/nope.html",
        "/a/b/c",
    ] {
        get(&app, uri).await.problem(404, "not-found");
    }
    post_json(&app, "/api/v1/nope", &json!({}))
        .await
        .problem(404, "not-found");
}

#[tokio::test]
async fn wrong_method_is_a_405_problem_with_allow() {
    let app = default_app();
    let a = send(
        &app,
        Request::delete("/api/v1/catalogues")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    a.problem(405, "method-not-allowed");
    assert!(a.header("allow").is_some_and(|v| v.contains("GET")));
    get(&app, "/api/v1/echo")
        .await
        .problem(405, "method-not-allowed");
    post_json(&app, "/healthz", &json!({}))
        .await
        .problem(405, "method-not-allowed");
}

#[tokio::test]
async fn oversized_bodies_are_413_problems() {
    let app = default_app();
    // With a Content-Length.
    let big = format!("{{\"x\":\"{}\"}}", "a".repeat(65 * 1024));
    post_raw(&app, "/api/v1/echo", big.clone())
        .await
        .problem(413, "body-too-large");
    // Streamed, without a Content-Length.
    let chunks: Vec<Vec<u8>> = big.as_bytes().chunks(4096).map(<[u8]>::to_vec).collect();
    let a = send(
        &app,
        Request::post("/api/v1/echo")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::new(Chunks(chunks.into_iter())))
            .expect("request"),
    )
    .await;
    a.problem(413, "body-too-large");
    // Exactly at the limit is fine.
    let pad = 64 * 1024 - "{\"x\":\"\"}".len();
    let fits = format!("{{\"x\":\"{}\"}}", "a".repeat(pad));
    assert_eq!(fits.len(), 64 * 1024);
    let a = post_raw(&app, "/api/v1/echo", fits).await;
    assert_eq!(a.status, StatusCode::OK);
}

/// A body sent in chunks with no known length, like `Transfer-Encoding: chunked`.
struct Chunks(std::vec::IntoIter<Vec<u8>>);

impl http_body::Body for Chunks {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let next = self.get_mut().0.next();
        std::task::Poll::Ready(next.map(|c| Ok(http_body::Frame::data(c.into()))))
    }
}

#[tokio::test]
async fn malformed_json_and_wrong_content_type_are_400_problems() {
    let app = default_app();
    post_raw(&app, "/api/v1/echo", "{\"a\": ")
        .await
        .problem(400, "malformed-json");
    post_raw(&app, "/api/v1/echo", "")
        .await
        .problem(400, "malformed-json");
    post_raw(&app, "/api/v1/echo", "{} trailing")
        .await
        .problem(400, "malformed-json");
    let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    post_raw(&app, "/api/v1/echo", deep)
        .await
        .problem(400, "malformed-json");
    let a = send(
        &app,
        Request::post("/api/v1/echo")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("{}"))
            .expect("request"),
    )
    .await;
    a.problem(400, "unsupported-media-type");
    let a = send(
        &app,
        Request::post("/api/v1/echo")
            .body(Body::from("{}"))
            .expect("request"),
    )
    .await;
    a.problem(400, "unsupported-media-type");
}

#[tokio::test]
async fn cors_allows_listed_origins_only() {
    let app = app_with(Config {
        allow_origins: vec![parse_origin("https://shop.example").expect("origin")],
        ..Config::default()
    });
    let req = |origin: &str| {
        Request::get("/api/v1/catalogues")
            .header(header::ORIGIN, origin)
            .body(Body::empty())
            .expect("request")
    };
    let a = send(&app, req("https://shop.example")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    let a = send(&app, req("https://evil.example")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("access-control-allow-origin"), None);

    // A preflight for a JSON POST.
    let preflight = |origin: &str| {
        Request::options("/api/v1/echo")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
            .body(Body::empty())
            .expect("request")
    };
    let a = send(&app, preflight("https://shop.example")).await;
    assert!(a.status.is_success(), "{}", a.status);
    assert_eq!(
        a.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    assert!(
        a.header("access-control-allow-methods")
            .is_some_and(|m| m.contains("POST"))
    );
    let a = send(&app, preflight("https://evil.example")).await;
    assert_eq!(a.header("access-control-allow-origin"), None);

    // Errors carry CORS headers too, so the embedding page can read the problem.
    let a = send(
        &app,
        Request::get("/api/v1/catalogues/nope")
            .header(header::ORIGIN, "https://shop.example")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    a.problem(404, "unknown-catalogue");
    assert_eq!(
        a.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
}

#[tokio::test]
async fn without_allow_origin_public_routes_answer_every_origin_and_accounts_none() {
    let app = default_app();
    let get = |path: &str| {
        Request::get(path)
            .header(header::ORIGIN, "https://shop.example")
            .body(Body::empty())
            .expect("request")
    };
    let a = send(&app, get("/api/v1/catalogues")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    for path in [
        "/api/v1/accounts?q=a",
        "/api/v1/accounts/x/ledger",
        "/api/v1/audit",
    ] {
        let a = send(&app, get(path)).await;
        assert_eq!(a.header("access-control-allow-origin"), None, "{path}");
    }
    let preflight = Request::options("/api/v1/accounts/x")
        .header(header::ORIGIN, "https://shop.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
        .body(Body::empty())
        .expect("request");
    let a = send(&app, preflight).await;
    assert_eq!(a.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn with_allow_origin_the_account_routes_answer_the_listed_origins_only() {
    let app = app_with(Config {
        allow_origins: vec![parse_origin("https://console.example").expect("origin")],
        ..Config::default()
    });
    let preflight = |origin: &str| {
        Request::options("/api/v1/accounts/x")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "PUT")
            .header(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                "authorization,content-type",
            )
            .body(Body::empty())
            .expect("request")
    };
    let a = send(&app, preflight("https://console.example")).await;
    assert_eq!(
        a.header("access-control-allow-origin"),
        Some("https://console.example")
    );
    assert!(
        a.header("access-control-allow-headers")
            .is_some_and(|h| h.contains("authorization"))
    );
    assert!(
        a.header("access-control-allow-methods")
            .is_some_and(|h| h.contains("PUT"))
    );
    let a = send(&app, preflight("https://shop.example")).await;
    assert_eq!(a.header("access-control-allow-origin"), None);
}

/// Whether any `Vary` header of the answer names `name`.
fn vary_has(a: &Answer, name: &str) -> bool {
    a.headers.get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.split(',').any(|n| n.trim().eq_ignore_ascii_case(name)))
    })
}

fn widget_dir() -> tempfile::TempDir {
    let tmp = temp_dir("widget");
    let dir = tmp.path();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>w</title><script type=module src=/ratecard-0123456789abcdef.js></script>",
    )
    .expect("write");
    std::fs::write(dir.join("ratecard-0123456789abcdef.js"), "export {};").expect("write");
    std::fs::write(
        dir.join("ratecard-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .expect("write");
    std::fs::write(
        dir.join("ratecard-0123456789abcdef_bg.wasm.br"),
        b"brotli bytes",
    )
    .expect("write");
    std::fs::write(dir.join("ratecard.js"), "// loader").expect("write");
    std::fs::write(dir.join("ratecard.js.gz"), b"gzip bytes").expect("write");
    std::fs::write(dir.join("style-fedcba9876543210.css"), "body{}").expect("write");
    tmp
}

#[tokio::test]
async fn widget_html_has_a_strict_csp_and_security_headers() {
    let tmp = widget_dir();
    let dir = tmp.path().to_path_buf();
    let app = app_with(Config {
        widget_dir: Some(dir.clone()),
        ..Config::default()
    });
    for uri in ["/", "/index.html"] {
        let a = get(&app, uri).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}");
        assert!(
            a.header("content-type")
                .is_some_and(|c| c.starts_with("text/html"))
        );
        let csp = a.header("content-security-policy").expect("CSP");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(!csp.contains("'unsafe-eval'"), "{csp}");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(a.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(
            a.header("referrer-policy"),
            Some("strict-origin-when-cross-origin")
        );
        assert_eq!(a.header("x-frame-options"), Some("DENY"));
        assert_eq!(a.header("cache-control"), Some("no-cache"));
    }
}

#[tokio::test]
async fn frame_ancestors_are_configurable() {
    let tmp = widget_dir();
    let dir = tmp.path().to_path_buf();
    let app = app_with(Config {
        widget_dir: Some(dir.clone()),
        frame_ancestors: vec!["https://shop.example".into(), "'self'".into()],
        ..Config::default()
    });
    let a = get(&app, "/").await;
    let csp = a.header("content-security-policy").expect("CSP");
    assert!(
        csp.contains("frame-ancestors https://shop.example 'self'"),
        "{csp}"
    );
    assert_eq!(a.header("x-frame-options"), None);
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_precompressed() {
    let tmp = widget_dir();
    let dir = tmp.path().to_path_buf();
    let app = app_with(Config {
        widget_dir: Some(dir.clone()),
        allow_origins: vec![parse_origin("https://shop.example").expect("origin")],
        ..Config::default()
    });
    let a = get(&app, "/ratecard-0123456789abcdef.js").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(
        a.header("content-type")
            .is_some_and(|c| c.contains("javascript"))
    );
    assert_eq!(a.header("content-security-policy"), None);

    let a = get(&app, "/style-fedcba9876543210.css").await;
    assert_eq!(
        a.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    // Brotli when accepted, with the wasm media type.
    let a = send(
        &app,
        Request::get("/ratecard-0123456789abcdef_bg.wasm")
            .header(header::ACCEPT_ENCODING, "gzip, br")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("content-encoding"), Some("br"));
    assert_eq!(a.header("content-type"), Some("application/wasm"));
    assert_eq!(&a.body[..], b"brotli bytes");
    assert!(vary_has(&a, "accept-encoding"), "{:?}", a.headers);
    assert_eq!(
        a.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    // Identity when not.
    let a = get(&app, "/ratecard-0123456789abcdef_bg.wasm").await;
    assert_eq!(a.header("content-encoding"), None);
    assert_eq!(a.header("content-type"), Some("application/wasm"));
    assert_eq!(&a.body[..], b"\0asm\x01\0\0\0");

    // The unhashed loader: revalidated, gzip when accepted, and CORS for embeds.
    let a = send(
        &app,
        Request::get("/ratecard.js")
            .header(header::ACCEPT_ENCODING, "gzip")
            .header(header::ORIGIN, "https://shop.example")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("cache-control"), Some("no-cache"));
    assert_eq!(a.header("content-encoding"), Some("gzip"));
    assert_eq!(
        a.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    // Caches keep the encodings and the origins apart.
    assert!(vary_has(&a, "accept-encoding"), "{:?}", a.headers);
    assert!(vary_has(&a, "origin"), "{:?}", a.headers);

    // A missing asset is a problem, and not cached.
    let a = get(&app, "/ratecard-ffffffffffffffff.js").await;
    a.problem(404, "not-found");
    assert_eq!(a.header("cache-control"), None);
}

#[tokio::test]
async fn without_a_widget_the_root_says_so_and_the_api_works() {
    let tmp = temp_dir("no-widget");
    let missing = tmp.path().join("dist");
    for config in [
        Config::default(),
        Config {
            widget_dir: Some(missing),
            ..Config::default()
        },
    ] {
        let app = app_with(config);
        let a = get(&app, "/").await;
        assert_eq!(a.status, StatusCode::OK);
        let text = String::from_utf8_lossy(&a.body);
        assert!(text.contains("widget is not built"), "{text}");
        assert!(a.header("content-security-policy").is_some());
        assert_eq!(get(&app, "/healthz").await.status, StatusCode::OK);
        get(&app, "/ratecard.js").await.problem(404, "not-found");
    }
}

#[tokio::test]
async fn a_panic_is_a_500_problem() {
    let routes = Router::new().route(
        "/boom",
        get_route(|| async {
            #[allow(clippy::panic)]
            if true {
                panic!("deliberate test panic");
            }
            "unreachable"
        }),
    );
    let app = harden(routes, &Config::default());
    get(&app, "/boom").await.problem(500, "internal");
}

#[tokio::test]
async fn a_slow_body_times_out_with_a_408_problem() {
    let app = app_with(Config {
        request_timeout: Duration::from_millis(200),
        ..Config::default()
    });
    let started = std::time::Instant::now();
    let a = send(
        &app,
        Request::post("/api/v1/echo")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::new(NeverEnding))
            .expect("request"),
    )
    .await;
    a.problem(408, "timeout");
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// A body that sends nothing and never ends: a client that stalls mid-upload.
struct NeverEnding;

impl http_body::Body for NeverEnding {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Pending
    }
}

#[test]
fn origins_and_frame_ancestors_are_validated() {
    assert!(parse_origin("https://shop.example").is_ok());
    assert!(parse_origin("http://127.0.0.1:8080").is_ok());
    assert!(parse_origin("https://shop.example/").is_err());
    assert!(parse_origin("shop.example").is_err());
    assert!(parse_origin("https://shop.example\r\nx: y").is_err());
    use ratecard_server::config::parse_frame_ancestors as fa;
    assert_eq!(fa(&["'none'".into()]), Ok(vec![]));
    assert!(fa(&["'none'".into(), "'self'".into()]).is_err());
    assert!(fa(&["https://a.example; script-src *".into()]).is_err());
    assert_eq!(
        fa(&["https://*.example.com".into()]),
        Ok(vec!["https://*.example.com".to_owned()])
    );
}

#[tokio::test]
async fn other_layer_errors_are_problems_too() {
    let app = default_app();
    // A path segment that is not UTF-8 fails axum's `Path` extractor with a plain 400.
    let a = get(&app, "/api/v1/catalogues/%FF%FE").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.header("content-type"), Some("application/problem+json"));
    let p = a.json();
    assert_eq!(p["status"], 400);
    assert_eq!(p["type"], "about:blank");
    assert!(p["detail"].as_str().is_some_and(|d| !d.is_empty()), "{p}");
}
