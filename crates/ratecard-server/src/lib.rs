//! # ratecard-server
//!
//! The Axum JSON API over `ratecard-rules`, and the host of the built widget.
//! The calculations are stateless: each answer depends only on the request, the built-in
//! catalogues and the `--catalogues` files read at startup. The account endpoints read
//! and write the [`store`] (SQLite by default, PostgreSQL for several copies behind an
//! ordinary load balancer).
//!
//! ## Routes
//!
//! | route | answer |
//! |---|---|
//! | `GET /healthz` | 200 `{"status":"ok"}` |
//! | `GET /api/openapi.json` | the OpenAPI 3.1 document, generated from the code |
//! | `GET /api/v1/catalogues` | `[{id, name, version, currency}]` |
//! | `GET /api/v1/catalogues/{id}` | the whole catalogue; 404 for an unknown id |
//! | `POST /api/v1/…` | the calculations of API.md, the support ledger and the quote (see [`calc`]) |
//! | `POST /api/v1/echo` | a no-op for benchmarks: returns its JSON body |
//! | `/api/v1/accounts…`, `/api/v1/audit`, `/api/v1/webhooks/stripe` | stored accounts for the support console, behind bearer keys (see [`accounts`]) |
//! | anything else | a file of `--widget DIR`, or a 404 problem |
//!
//! ## Errors
//!
//! Every error is `application/problem+json` (RFC 9457); see [`problem`] for the `type`
//! URIs and their statuses. Bad input never causes a 5xx.
//!
//! ## Limits
//!
//! * **Body:** at most [`BODY_LIMIT_BYTES`] (64 KiB), enforced by tower-http's
//!   `RequestBodyLimitLayer` and axum's `DefaultBodyLimit`; more is a 413 problem.
//! * **Request time:** tower-http's `TimeoutLayer`, 10 s by default
//!   (`--request-timeout-secs`), covering the body upload and the answer; then a 408
//!   problem. A client that trickles its body cannot hold a task longer than that.
//! * **Headers:** a client must send the request headers within 10 s
//!   (`--header-timeout-secs`, hyper's `header_read_timeout`), which also closes
//!   connections left idle between requests. A client that stops reading its answers
//!   is dropped once a write has been blocked for 30 s ([`serve::WRITE_STALL_TIMEOUT`]).
//! * **Lists and counts:** every list of a request holds at most
//!   [`calc::MAX_LIST_LEN`] (10,000) items, else 400; the 64 KiB body keeps real lists
//!   far below that anyway. `count` is 1 to 120 (the rules crate answers 422 otherwise).
//!   Calculations run inline (they take microseconds); a whole ledger runs on Tokio's
//!   blocking pool, so the request timeout can always answer.
//! * **Panics:** a `CatchPanicLayer` answers a 500 problem; it should never fire.
//!
//! ## CORS and headers
//!
//! The widget's files and the public endpoints (catalogues, calculations, health) are
//! public, like Stripe.js: without `--allow-origin` every origin gets
//! `Access-Control-Allow-Origin`, so the embed snippet works on any site; with it, only
//! the listed origins do. The account endpoints ([`is_private`]) answer the listed
//! origins only, never any other, and none at all without `--allow-origin`. HTML carries a
//! strict CSP and the security headers of [`widget`].

#![deny(missing_docs)]

pub mod accounts;
pub mod auth;
pub mod calc;
pub mod config;
pub mod extract;
pub mod problem;
pub mod registry;
pub mod routes;
pub mod serve;
pub mod store;
pub mod stripe;
pub mod widget;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use crate::config::{Cli, Config};
pub use crate::problem::{AppError, Problem};
pub use crate::registry::Registry;

/// The largest request body accepted: 64 KiB.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// What every handler can reach. Cheap to clone; never mutated after startup.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The known catalogues.
    pub registry: Arc<Registry>,
    /// The validated flags.
    pub config: Arc<Config>,
    /// The account store and its audit writer; without it the account endpoints answer
    /// 503 (the calculation endpoints need none).
    pub accounts: Option<Arc<accounts::Accounts>>,
}

impl AppState {
    /// A state with the built-in catalogues and the given configuration.
    ///
    /// # Errors
    ///
    /// Only if a built-in catalogue is invalid, which the rules crate's tests rule out.
    pub fn builtin(config: Config) -> Result<AppState, registry::LoadError> {
        Ok(AppState {
            registry: Arc::new(Registry::builtin()?),
            config: Arc::new(config),
            accounts: None,
        })
    }

    /// The same state with an account store, whose audit writer starts now. Must be
    /// called inside a Tokio runtime.
    #[must_use]
    pub fn with_store(mut self, store: Arc<store::Store>) -> AppState {
        self.accounts = Some(Arc::new(accounts::Accounts::new(store)));
        self
    }
}

/// Declares the bearer scheme the account endpoints use.
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API key from `ratecard-server keys create`: role `ingest` to write \
                         accounts and events, `support` to read them",
                    ))
                    .build(),
            ),
        );
    }
}

/// States the range of every unsigned integer: utoipa writes `u32` as format `u-int32`
/// (`u-int64` for `u64`) with `minimum: 0` only, so a client or a fuzzer cannot tell
/// how large a value the server takes. This writes the conventional `uint32`/`uint64`
/// and a `maximum` of the type's largest value, unless the field states a smaller one.
struct UnsignedRanges;

impl utoipa::Modify for UnsignedRanges {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        if let Some(components) = openapi.components.as_mut() {
            for schema in components.schemas.values_mut() {
                unsigned_ranges(schema);
            }
        }
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                for parameter in operation.parameters.iter_mut().flatten() {
                    if let Some(schema) = parameter.schema.as_mut() {
                        unsigned_ranges(schema);
                    }
                }
                let bodies = operation
                    .request_body
                    .iter_mut()
                    .flat_map(|body| body.content.values_mut());
                let answers = operation
                    .responses
                    .responses
                    .values_mut()
                    .filter_map(|answer| match answer {
                        RefOr::T(response) => Some(response.content.values_mut()),
                        RefOr::Ref(_) => None,
                    })
                    .flatten();
                for content in bodies.chain(answers) {
                    if let Some(schema) = content.schema.as_mut() {
                        unsigned_ranges(schema);
                    }
                }
            }
        }
    }
}

fn unsigned_ranges(schema: &mut utoipa::openapi::RefOr<utoipa::openapi::Schema>) {
    use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, KnownFormat, SchemaFormat};
    use utoipa::openapi::{RefOr, Schema};
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(object) => {
            let widest = match &object.format {
                Some(SchemaFormat::KnownFormat(KnownFormat::UInt8)) => {
                    Some(("uint8", u64::from(u8::MAX)))
                }
                Some(SchemaFormat::KnownFormat(KnownFormat::UInt16)) => {
                    Some(("uint16", u64::from(u16::MAX)))
                }
                Some(SchemaFormat::KnownFormat(KnownFormat::UInt32)) => {
                    Some(("uint32", u64::from(u32::MAX)))
                }
                Some(SchemaFormat::KnownFormat(KnownFormat::UInt64)) => Some(("uint64", u64::MAX)),
                _ => None,
            };
            if let Some((name, max)) = widest {
                object.format = Some(SchemaFormat::Custom(name.to_owned()));
                if object.maximum.is_none() {
                    object.maximum = usize::try_from(max).ok().map(utoipa::Number::UInt);
                }
            }
            for property in object.properties.values_mut() {
                unsigned_ranges(property);
            }
            if let Some(extra) = object.additional_properties.as_deref_mut()
                && let AdditionalProperties::RefOr(extra) = extra
            {
                unsigned_ranges(extra);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                unsigned_ranges(items);
            }
        }
        Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(unsigned_ranges),
        Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(unsigned_ranges),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(unsigned_ranges),
        _ => {}
    }
}

/// `LedgerEvent` refuses unknown fields (`deny_unknown_fields`), which utoipa writes as
/// `additionalProperties: false` for a struct but cannot write on the variants of an
/// internally tagged enum: this closes each variant's object.
fn close_ledger_events(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{AdditionalProperties, Schema};
    let Some(RefOr::T(Schema::OneOf(events))) = doc
        .components
        .as_mut()
        .and_then(|components| components.schemas.get_mut("LedgerEvent"))
    else {
        return;
    };
    for variant in &mut events.items {
        if let RefOr::T(Schema::Object(object)) = variant {
            object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        }
    }
}

/// The top of the OpenAPI document; the paths come from `#[utoipa::path]` on each handler.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "ratecard API",
        description = "Terms and pricing rules over HTTP. Amounts are integers in minor units; \
                       instants are RFC 3339; every error is application/problem+json (RFC 9457). \
                       Bodies are limited to 64 KiB.",
        license(name = "MIT OR Apache-2.0")
    ),
    tags(
        (name = "meta", description = "Health, the document itself and the benchmark echo"),
        (name = "catalogues", description = "Plans, models and licences"),
        (name = "calculations", description = "The rules of RULES.md"),
        (name = "accounts", description = "Stored accounts for the support console: ingestion, Stripe's webhook, reads and the audit trail"),
    ),
    components(schemas(Problem)),
    modifiers(&BearerScheme)
)]
struct ApiDoc;

/// Every documented route, with its OpenAPI entry.
fn api_router() -> OpenApiRouter<AppState> {
    accounts::routes(calc::routes(
        OpenApiRouter::with_openapi(ApiDoc::openapi())
            .routes(routes!(routes::healthz))
            .routes(routes!(routes::list_catalogues))
            .routes(routes!(routes::get_catalogue))
            .routes(routes!(routes::echo)),
    ))
}

/// The OpenAPI 3.1 document of every endpoint.
#[must_use]
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = api_router().split_for_parts();
    // After the routes, which bring most of the schemas.
    utoipa::Modify::modify(&UnsignedRanges, &mut doc);
    close_ledger_events(&mut doc);
    doc.paths.add_path_operation(
        "/api/openapi.json",
        vec![utoipa::openapi::HttpMethod::Get],
        utoipa::openapi::path::OperationBuilder::new()
            .tag("meta")
            .summary(Some("This OpenAPI 3.1 document"))
            .response(
                "200",
                utoipa::openapi::ResponseBuilder::new().description("The OpenAPI document"),
            )
            .build(),
    );
    doc
}

/// The OpenAPI document as pretty JSON, as committed in `openapi.json`.
#[must_use]
pub fn openapi_json() -> String {
    let mut text = openapi().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}

/// The whole application: the API, the widget, and every layer.
pub fn app(state: AppState) -> Router {
    let config = Arc::clone(&state.config);
    let doc = Arc::new(openapi_json());
    let (api, _) = api_router().split_for_parts();
    let routes = api
        .route(
            "/api/openapi.json",
            get(move || {
                let doc = Arc::clone(&doc);
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        doc.as_str().to_owned(),
                    )
                }
            }),
        )
        .route("/api", any(routes::api_not_found))
        .route("/api/", any(routes::api_not_found))
        .route("/api/{*rest}", any(routes::api_not_found))
        .with_state(state)
        .merge(widget::router(config.widget_dir.clone()));
    harden(routes, &config)
}

/// Wraps a router in the production layers: request log, CORS, security headers, panic
/// catcher, problem+json for every error, request timeout and body limit.
/// [`app`] uses it; tests use it to wrap routes of their own.
pub fn harden(routes: Router, config: &Config) -> Router {
    let security = Arc::new(widget::SecurityHeaders::new(&config.frame_ancestors));
    let listed = config.allow_origins.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, parts| {
            listed.contains(origin) || (listed.is_empty() && !is_private(parts.uri.path()))
        }))
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::OPTIONS,
        ])
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT, header::AUTHORIZATION])
        .max_age(Duration::from_secs(600));
    routes
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(middleware::from_fn(problem::problem_fallback))
        .layer(CatchPanicLayer::custom(on_panic))
        .layer(middleware::from_fn_with_state(
            security,
            widget::security_headers,
        ))
        .layer(cors)
        .layer(middleware::from_fn(log_request))
}

/// Whether a path belongs to the account endpoints, which only `--allow-origin` origins
/// may call from a browser.
///
/// # Example
///
/// ```
/// assert!(ratecard_server::is_private("/api/v1/accounts/acct_1/ledger"));
/// assert!(ratecard_server::is_private("/api/v1/audit"));
/// assert!(!ratecard_server::is_private("/api/v1/ledger"));
/// assert!(!ratecard_server::is_private("/ratecard.js"));
/// ```
#[must_use]
pub fn is_private(path: &str) -> bool {
    ["/api/v1/accounts", "/api/v1/audit", "/api/v1/webhooks"]
        .iter()
        .any(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

/// The answer when a handler panicked: a 500 problem. Should never happen.
fn on_panic(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned());
    tracing::error!(panic = %message, "a handler panicked");
    AppError::Internal.into_response()
}

/// One log line per request: method, path, status, latency and, for an error, the
/// problem type.
async fn log_request(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let res = next.run(req).await;
    let latency_us = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
    let status = res.status().as_u16();
    match res.extensions().get::<problem::LoggedProblem>() {
        Some(problem::LoggedProblem(p)) if status >= 500 => tracing::error!(
            %method, %path, status, latency_us, problem = %p.type_uri, detail = %p.detail, "request"
        ),
        Some(problem::LoggedProblem(p)) => tracing::info!(
            %method, %path, status, latency_us, problem = %p.type_uri, detail = %p.detail, "request"
        ),
        None => tracing::info!(%method, %path, status, latency_us, "request"),
    }
    res
}
