//! Serving the built widget, and the security headers of HTML responses.
//!
//! * Files come from `--widget DIR` through `ServeDir`, which picks the `.br` or `.gz`
//!   sibling a build placed beside a file when the client accepts it.
//! * A file whose name carries a Trunk content hash (`name-<16+ hex>.ext`, also
//!   `name-<hash>_bg.wasm`) is `Cache-Control: public, max-age=31536000, immutable`;
//!   every other file is `no-cache` (revalidated with its `ETag`/`Last-Modified`).
//!   Every file answer carries `Vary: Accept-Encoding`, since its body may be a
//!   precompressed variant.
//! * `.wasm` is sent as `application/wasm`.
//! * HTML gets a strict `Content-Security-Policy` (no `unsafe-inline`, no `unsafe-eval`,
//!   only `'wasm-unsafe-eval'`), `X-Content-Type-Options: nosniff`,
//!   `Referrer-Policy: strict-origin-when-cross-origin`, and a frame policy: CSP
//!   `frame-ancestors` from `--frame-ancestors`, plus `X-Frame-Options: DENY` when no
//!   ancestor is allowed.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use tower_http::services::ServeDir;

use crate::problem::AppError;

/// `Cache-Control` of files whose name carries a content hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` of every other widget file.
pub const NO_CACHE: &str = "no-cache";

/// The page `/` answers when no widget is built.
const NOT_BUILT: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>ratecard</title></head><body><h1>ratecard</h1>\
<p>The widget is not built, so there is nothing to show here. The API works: see \
<a href=\"/api/openapi.json\">/api/openapi.json</a> and \
<a href=\"/api/v1/catalogues\">/api/v1/catalogues</a>.</p>\
<p>Build and serve both with <code>cargo xtask serve</code>, or pass \
<code>--widget DIR</code> with Trunk's <code>dist/</code>.</p></body></html>\n";

/// The router serving the widget directory (or the not-built page) for every path that
/// no API route matched.
pub fn router(dir: Option<PathBuf>) -> Router {
    match dir {
        Some(dir) => {
            let serve = ServeDir::new(dir)
                .precompressed_br()
                .precompressed_gzip()
                .append_index_html_on_directories(true)
                .call_fallback_on_method_not_allowed(false)
                .fallback(tower::service_fn(|req: Request| async move {
                    Ok::<_, std::convert::Infallible>(missing(&req))
                }));
            Router::new()
                .fallback_service(serve)
                .layer(middleware::from_fn(cache_headers))
        }
        None => Router::new().fallback(|req: Request| async move { missing(&req) }),
    }
}

/// The answer for a path with no file: the not-built page at `/`, else a 404 problem.
fn missing(req: &Request) -> Response {
    let path = req.uri().path();
    if matches!(*req.method(), Method::GET | Method::HEAD) && (path == "/" || path == "/index.html")
    {
        return Html(NOT_BUILT).into_response();
    }
    AppError::NotFound(path.to_owned()).into_response()
}

/// Whether a file name carries a Trunk content hash: `name-<16+ lower-case hex>.ext`,
/// `name-<hash>_bg.wasm`, with an optional `.br`/`.gz` suffix.
#[must_use]
pub fn is_hashed(file_name: &str) -> bool {
    let name = file_name
        .strip_suffix(".br")
        .or_else(|| file_name.strip_suffix(".gz"))
        .unwrap_or(file_name);
    let Some((stem, _ext)) = name.rsplit_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((_, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    hash.len() >= 16
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Sets `Cache-Control` and the `.wasm` media type on successful file responses.
async fn cache_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let status = res.status();
    if !(status.is_success() || status == StatusCode::NOT_MODIFIED) {
        return res;
    }
    let file_name = path.rsplit('/').next().unwrap_or("");
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let cache = if is_hashed(file_name) && !is_html {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // The body may be the `.br` or `.gz` sibling, chosen by `Accept-Encoding`: a shared
    // cache must keep the variants apart, or it could hand brotli to a client without it.
    res.headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    if file_name.ends_with(".wasm") && status.is_success() {
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/wasm"),
        );
    }
    res
}

/// The precomputed security headers.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
    deny_framing: bool,
}

impl SecurityHeaders {
    /// The headers for a frame-ancestors list (empty: `'none'`).
    #[must_use]
    pub fn new(frame_ancestors: &[String]) -> SecurityHeaders {
        let ancestors = if frame_ancestors.is_empty() {
            "'none'".to_owned()
        } else {
            frame_ancestors.join(" ")
        };
        let csp = content_security_policy(&ancestors);
        SecurityHeaders {
            // The sources were validated to be header-safe; the fallback keeps it total.
            csp: HeaderValue::from_str(&csp).unwrap_or_else(|_| {
                HeaderValue::from_static(
                    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; frame-ancestors 'none'",
                )
            }),
            deny_framing: frame_ancestors.is_empty(),
        }
    }
}

/// The Content-Security-Policy of HTML responses.
#[must_use]
pub fn content_security_policy(frame_ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors {frame_ancestors}"
    )
}

/// Adds `X-Content-Type-Options: nosniff` to every response, and the CSP, referrer and
/// frame policies to HTML.
pub async fn security_headers(
    State(headers): State<Arc<SecurityHeaders>>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if is_html {
        h.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
        if headers.deny_framing {
            h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashes_are_recognised() {
        assert!(is_hashed("ratecard-3f4a9c0d1e2b5a6f.js"));
        assert!(is_hashed("ratecard-3f4a9c0d1e2b5a6f_bg.wasm"));
        assert!(is_hashed("ratecard-3f4a9c0d1e2b5a6f_bg.wasm.br"));
        assert!(is_hashed("widget-0123456789abcdef0123.css"));
        assert!(!is_hashed("ratecard.js"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("ratecard-3f4a9c0d.js"));
        assert!(!is_hashed("ratecard-3F4A9C0D1E2B5A6F.js"));
        assert!(!is_hashed("ratecard-3f4a9c0d1e2b5a6fzz.js"));
        assert!(!is_hashed("-"));
    }

    #[test]
    fn csp_has_no_unsafe_inline_or_eval() {
        let csp = content_security_policy("'none'");
        assert!(!csp.contains("'unsafe-inline'"));
        assert!(!csp.contains("'unsafe-eval'"));
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
        assert!(csp.ends_with("frame-ancestors 'none'"));
    }
}
