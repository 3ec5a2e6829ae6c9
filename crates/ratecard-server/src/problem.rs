//! Errors as RFC 9457 `application/problem+json`.
//!
//! Every error the server sends, from a handler, an extractor, a tower-http layer or the
//! router itself, leaves as a [`Problem`] with a stable `type` URI. The URI is
//! [`PROBLEM_BASE`] followed by a kebab-case code: the [`RuleError::code`] of the rules
//! engine, or one of the request-level codes below.
//!
//! | code | status | when |
//! |---|---|---|
//! | `malformed-json` | 400 | the body is not JSON |
//! | `invalid-field` | 400 | JSON of the wrong shape: a wrong type, a missing or unknown field, a value out of range, an impossible date; `field` is its path in the request, inside an inline catalogue too |
//! | `unsupported-media-type` | 400 | a JSON body sent without `Content-Type: application/json` |
//! | `not-found` | 404 | no such route or file |
//! | `unknown-catalogue` | 404 | a catalogue id the server does not know |
//! | `method-not-allowed` | 405 | a route that exists, called with the wrong method |
//! | `timeout` | 408 | the request took longer than the request timeout (a slow client) |
//! | `body-too-large` | 413 | a body over 64 KiB |
//! | `overflow` | 422 | an amount (a field ending in `_minor`) outside the 64-bit range, or a calculation that overflows |
//! | `invalid-catalogue` | 422 | an inline catalogue that fails validation; `field` is the path in the catalogue |
//! | `unknown-id`, `impossible`, `unknown-currency`, `currency-mismatch`, `invalid-fraction`, … | 422 | well-formed but impossible ([`RuleError`]) |
//! | `unauthorized` | 401 | an account endpoint without a key, or with an unknown or revoked one |
//! | `forbidden` | 403 | a key whose role does not allow the endpoint |
//! | `unknown-account` | 404 | no stored account has this id |
//! | `invalid-event` | 422 | an event of a batch that cannot be stored; `detail` names it by index and `id`, nothing of the batch is stored |
//! | `invalid-signature` | 400 | a Stripe webhook whose `Stripe-Signature` is missing, wrong or stale |
//! | `unmappable-stripe-event` | 422 | a signed Stripe event that cannot become account events (an unknown price, no customer) |
//! | `store-unavailable` | 503 | the account store cannot be reached or written; retry |
//! | `webhook-not-configured` | 503 | a Stripe webhook while the server has no `--stripe-webhook-secret` |
//! | `internal` | 500 | a bug (a caught panic); never caused by bad input |

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ratecard_rules::RuleError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The prefix of every problem `type` URI.
pub const PROBLEM_BASE: &str = "https://ratecard.dev/problems/";

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The source name an inline catalogue is validated under
/// ([`AppState::resolve`](crate::AppState::resolve)).
pub const INLINE_SOURCE: &str = "request";

/// An RFC 9457 problem details object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A stable URI naming the kind of problem, such as
    /// `https://ratecard.dev/problems/unknown-id`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short, stable summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request, in words a person can act on.
    pub detail: String,
    /// For an unknown id or catalogue: the ids that are valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid: Option<Vec<String>>,
    /// The field at fault, as a dotted path: for `invalid-field` and `overflow`, its path
    /// in the request (`subscription.started_at`, `catalogue.plans[0].price_minor`); for
    /// `invalid-catalogue`, its path in the catalogue (`plans[0].price_minor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Everything a request can fail with. Handlers return `Result<_, AppError>` and use `?`.
#[derive(Debug)]
pub enum AppError {
    /// An error of the rules engine.
    Rule(RuleError),
    /// The body is not valid JSON.
    MalformedJson(String),
    /// The JSON does not have the shape the endpoint expects, or a value is out of range.
    InvalidField {
        /// The path of the field at fault in the request, such as
        /// `subscription.started_at`, when known.
        field: Option<String>,
        /// What is wrong, naming the field.
        detail: String,
    },
    /// An amount in minor units (a field ending in `_minor`) too large for a 64-bit integer.
    AmountOverflow {
        /// The path of the amount in the request, such as `payments[0].amount_minor`.
        field: String,
        /// What is wrong, naming the field.
        detail: String,
    },
    /// The body was not sent as `application/json`.
    UnsupportedMediaType(String),
    /// The body is larger than the limit.
    BodyTooLarge,
    /// The request took longer than the request timeout.
    Timeout,
    /// No route or file at this path.
    NotFound(String),
    /// The route exists but not for this method.
    MethodNotAllowed(String),
    /// An account endpoint without a valid key.
    Unauthorized(String),
    /// A key whose role does not allow the endpoint.
    Forbidden(String),
    /// No stored account has this id.
    UnknownAccount(String),
    /// An event of an ingested batch that cannot be stored.
    InvalidEvent {
        /// Its index in the batch.
        index: usize,
        /// Its `id`, when it has one.
        id: Option<String>,
        /// What is wrong.
        detail: String,
    },
    /// A Stripe webhook whose signature does not verify.
    InvalidSignature(String),
    /// A signed Stripe event that cannot become account events.
    UnmappableStripeEvent(String),
    /// The account store cannot answer right now.
    StoreUnavailable,
    /// A Stripe webhook arrived but no secret is configured.
    WebhookNotConfigured,
    /// A bug: a handler panicked. Never caused by bad input.
    Internal,
}

impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> Self {
        match e {
            crate::store::StoreError::Unavailable(detail) => {
                tracing::warn!(%detail, "account store unavailable");
                AppError::StoreUnavailable
            }
            crate::store::StoreError::Bug(detail) => {
                tracing::error!(%detail, "account store bug");
                AppError::Internal
            }
        }
    }
}

impl From<RuleError> for AppError {
    fn from(e: RuleError) -> Self {
        AppError::Rule(e)
    }
}

/// The status, the code of the `type` URI and the title of a rules-engine error.
fn rule_kind(e: &RuleError) -> (StatusCode, &'static str, &'static str) {
    let code = e.code();
    match e {
        RuleError::UnknownCatalogue { .. } => (StatusCode::NOT_FOUND, code, "Unknown catalogue"),
        RuleError::UnknownId { .. } => (StatusCode::UNPROCESSABLE_ENTITY, code, "Unknown id"),
        RuleError::InvalidCatalogue { .. } => {
            (StatusCode::UNPROCESSABLE_ENTITY, code, "Invalid catalogue")
        }
        RuleError::Overflow { .. } => (StatusCode::UNPROCESSABLE_ENTITY, code, "Amount overflows"),
        RuleError::Impossible { .. } => {
            (StatusCode::UNPROCESSABLE_ENTITY, code, "Impossible request")
        }
        RuleError::UnknownCurrency { .. } => {
            (StatusCode::UNPROCESSABLE_ENTITY, code, "Unknown currency")
        }
        RuleError::CurrencyMismatch { .. } => {
            (StatusCode::UNPROCESSABLE_ENTITY, code, "Currency mismatch")
        }
        RuleError::InvalidFraction { .. } => {
            (StatusCode::UNPROCESSABLE_ENTITY, code, "Invalid fraction")
        }
    }
}

impl AppError {
    /// The HTTP status of this error.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.to_problem().status_code()
    }

    /// The problem details sent for this error.
    #[must_use]
    pub fn to_problem(&self) -> Problem {
        let simple = |status: StatusCode, code: &str, title: &str, detail: String| Problem {
            type_uri: type_uri(code),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            valid: None,
            field: None,
        };
        match self {
            AppError::Rule(e) => {
                let (status, code, title) = rule_kind(e);
                let mut p = simple(status, code, title, e.to_string());
                match e {
                    RuleError::UnknownCatalogue { valid, .. }
                    | RuleError::UnknownId { valid, .. } => p.valid = Some(valid.clone()),
                    RuleError::InvalidCatalogue {
                        source,
                        field,
                        problem,
                    } => {
                        if source == INLINE_SOURCE {
                            // Name the field as the request spells it.
                            p.detail = format!(
                                "the inline catalogue is invalid: `catalogue.{field}`: {problem}; \
                                 fix that field, or send a catalogue id instead"
                            );
                        }
                        p.field = Some(field.clone());
                    }
                    _ => {}
                }
                p
            }
            AppError::MalformedJson(d) => simple(
                StatusCode::BAD_REQUEST,
                "malformed-json",
                "Malformed JSON",
                d.clone(),
            ),
            AppError::InvalidField { field, detail } => Problem {
                field: field.clone(),
                ..simple(
                    StatusCode::BAD_REQUEST,
                    "invalid-field",
                    "Invalid field",
                    detail.clone(),
                )
            },
            AppError::AmountOverflow { field, detail } => Problem {
                field: Some(field.clone()),
                ..simple(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    RuleError::Overflow { what: "" }.code(),
                    "Amount overflows",
                    detail.clone(),
                )
            },
            AppError::UnsupportedMediaType(d) => simple(
                StatusCode::BAD_REQUEST,
                "unsupported-media-type",
                "Unsupported media type",
                d.clone(),
            ),
            AppError::BodyTooLarge => simple(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                "Body too large",
                format!(
                    "the request body is larger than {} bytes (64 KiB); send less data per request",
                    crate::BODY_LIMIT_BYTES
                ),
            ),
            AppError::Timeout => simple(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "Request timeout",
                "the request was not received and answered within the request timeout; \
                 send the whole body promptly and retry"
                    .to_owned(),
            ),
            AppError::NotFound(path) => simple(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                format!(
                    "nothing at `{path}`; the API lives under /api/v1 and is described at /api/openapi.json"
                ),
            ),
            AppError::MethodNotAllowed(method) => simple(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
                format!(
                    "this route does not accept {method}; see the `Allow` header and /api/openapi.json"
                ),
            ),
            AppError::Unauthorized(detail) => simple(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Unauthorized",
                detail.clone(),
            ),
            AppError::Forbidden(detail) => simple(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Forbidden",
                detail.clone(),
            ),
            AppError::UnknownAccount(id) => simple(
                StatusCode::NOT_FOUND,
                "unknown-account",
                "Unknown account",
                format!("no account `{id}` is stored; create it with `PUT /api/v1/accounts/{id}`"),
            ),
            AppError::InvalidEvent { index, id, detail } => Problem {
                field: Some(format!("events[{index}]")),
                ..simple(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-event",
                    "Invalid event",
                    match id {
                        Some(id) => format!(
                            "events[{index}] (id `{id}`): {detail}; nothing of the batch was stored"
                        ),
                        None => {
                            format!("events[{index}]: {detail}; nothing of the batch was stored")
                        }
                    },
                )
            },
            AppError::InvalidSignature(detail) => simple(
                StatusCode::BAD_REQUEST,
                "invalid-signature",
                "Invalid signature",
                format!("{detail}; nothing was stored"),
            ),
            AppError::UnmappableStripeEvent(detail) => simple(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unmappable-stripe-event",
                "Unmappable Stripe event",
                format!("{detail}; nothing was stored"),
            ),
            AppError::StoreUnavailable => simple(
                StatusCode::SERVICE_UNAVAILABLE,
                "store-unavailable",
                "Store unavailable",
                "the account store cannot be reached or written right now; nothing was changed, \
                 retry shortly"
                    .to_owned(),
            ),
            AppError::WebhookNotConfigured => simple(
                StatusCode::SERVICE_UNAVAILABLE,
                "webhook-not-configured",
                "Webhook not configured",
                "this server has no Stripe webhook secret; start it with \
                 `--stripe-webhook-secret` (or RATECARD_STRIPE_WEBHOOK_SECRET)"
                    .to_owned(),
            ),
            AppError::Internal => simple(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                "the server hit a bug while answering; it has been logged".to_owned(),
            ),
        }
    }
}

/// The `type` URI for a code.
#[must_use]
pub fn type_uri(code: &str) -> String {
    format!("{PROBLEM_BASE}{code}")
}

impl Problem {
    /// The status as a [`StatusCode`].
    #[must_use]
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        res.extensions_mut().insert(LoggedProblem(self));
        res
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = self.to_problem().into_response();
        match self {
            AppError::Unauthorized(_) => {
                res.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            AppError::StoreUnavailable => {
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            _ => {}
        }
        res
    }
}

/// Attached to every problem response so the request log can name the problem without
/// parsing the body.
#[derive(Clone, Debug)]
pub struct LoggedProblem(pub Problem);

/// Middleware that turns every error response that is not already problem+json (axum's
/// 405, tower-http's 413 and 408, `ServeDir`'s 404, a caught panic) into one.
/// Headers such as `Allow` and the CORS headers are kept.
pub async fn problem_fallback(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    if is_problem {
        return res;
    }
    let error = match status {
        StatusCode::NOT_FOUND => AppError::NotFound(path),
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed(method.to_string()),
        StatusCode::PAYLOAD_TOO_LARGE => AppError::BodyTooLarge,
        StatusCode::REQUEST_TIMEOUT => AppError::Timeout,
        s if s.is_server_error() => AppError::Internal,
        s => {
            // Any other error from a layer or an extractor (such as a path that is not
            // valid UTF-8): keep its status and its text, as an `about:blank` problem.
            let reason = s.canonical_reason().unwrap_or("Error");
            let (mut parts, body) = res.into_parts();
            let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
            let text = String::from_utf8_lossy(&text).trim().to_owned();
            let problem = Problem {
                type_uri: "about:blank".to_owned(),
                title: reason.to_owned(),
                status: s.as_u16(),
                detail: if text.is_empty() {
                    format!("{reason}: {method} {path}")
                } else {
                    text
                },
                valid: None,
                field: None,
            };
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.remove(header::CONTENT_ENCODING);
            parts.headers.remove(header::CACHE_CONTROL);
            parts
                .headers
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
            let body = serde_json::to_vec(&problem).unwrap_or_default();
            parts.extensions.insert(LoggedProblem(problem));
            return Response::from_parts(parts, Body::from(body));
        }
    };
    let (mut parts, _) = res.into_parts();
    let replacement = error.into_response();
    let (new_parts, body) = replacement.into_parts();
    parts.status = new_parts.status;
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    parts.headers.remove(header::CACHE_CONTROL);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    parts.extensions.extend(new_parts.extensions);
    Response::from_parts(parts, body)
}
