//! Helpers shared by the server's test suites.
#![allow(dead_code)]

pub mod db;
pub mod process;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use ratecard_server::{AppState, Config, app};
use serde_json::Value;
use tower::ServiceExt;

/// The app with the built-in catalogues and default flags.
pub fn default_app() -> Router {
    app(AppState::builtin(Config::default()).expect("built-in catalogues"))
}

/// The app with the given flags.
pub fn app_with(config: Config) -> Router {
    app(AppState::builtin(config).expect("built-in catalogues"))
}

/// A response, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts this is a problem with the given status and type code, and returns it.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> Value {
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "not a problem: {} {}",
            self.status,
            String::from_utf8_lossy(&self.body)
        );
        let p = self.json();
        assert_eq!(
            self.status.as_u16(),
            status,
            "status of {}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(p["status"], status, "status field of {p}");
        assert_eq!(
            p["type"],
            format!("https://ratecard.dev/problems/{code}"),
            "type of {p}"
        );
        assert!(p["title"].as_str().is_some_and(|t| !t.is_empty()), "{p}");
        assert!(p["detail"].as_str().is_some_and(|t| !t.is_empty()), "{p}");
        p
    }
}

pub async fn send(app: &Router, req: Request<Body>) -> Answer {
    let res = app.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .expect("body collects")
        .to_bytes();
    Answer {
        status,
        headers,
        body,
    }
}

pub async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

pub async fn post_json(app: &Router, uri: &str, body: &Value) -> Answer {
    post_raw(app, uri, body.to_string()).await
}

pub async fn post_raw(app: &Router, uri: &str, body: impl Into<Body>) -> Answer {
    send(
        app,
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.into())
            .expect("request"),
    )
    .await
}

/// A fresh empty directory under the system temp dir, kept until the caller removes it.
/// (A test that holds a `tempfile::TempDir` instead loses nothing when it fails.)
pub fn temp_dir(label: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("ratecard-server-test-{label}-"))
        .tempdir()
        .expect("temp dir")
}
