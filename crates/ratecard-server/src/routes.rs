//! The handlers of the JSON API that do not calculate: health, catalogues and echo.

use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use ratecard_rules::api::CatalogueSummary;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::extract::AppJson;
use crate::problem::{AppError, Problem};

/// The answer of `GET /healthz`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: String,
}

/// For load balancers: 200 whenever the process serves requests.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "meta",
    responses((status = 200, description = "The server is up", body = Health))
)]
pub async fn healthz() -> AppJson<Health> {
    AppJson(Health {
        status: "ok".to_owned(),
    })
}

/// Every catalogue the server knows: the built-in ones and those of `--catalogues`.
#[utoipa::path(
    get,
    path = "/api/v1/catalogues",
    tag = "catalogues",
    responses((status = 200, description = "The known catalogues: the built-in ones (`stable-audio` first), then those of `--catalogues`", body = [CatalogueSummary]))
)]
pub async fn list_catalogues(State(state): State<AppState>) -> AppJson<Vec<CatalogueSummary>> {
    AppJson(state.registry.iter().map(CatalogueSummary::of).collect())
}

/// One whole catalogue, in the shape a request's inline `catalogue` field takes.
#[utoipa::path(
    get,
    path = "/api/v1/catalogues/{id}",
    tag = "catalogues",
    params(("id" = String, Path, description = "A catalogue id such as `stable-audio`")),
    responses(
        (status = 200, description = "The catalogue", body = ratecard_rules::CatalogueSpec),
        (status = 404, description = "Unknown catalogue id; `detail` and `valid` list the known ids", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_catalogue(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let catalogue = state.registry.get(&id)?;
    Ok(AppJson(catalogue.as_ref()).into_response())
}

/// A no-op for benchmarks and connectivity checks: parses the JSON body and returns it
/// unchanged. It goes through the same limits, extractor and middleware as every
/// calculation, so it measures the server's overhead without any rule.
#[utoipa::path(
    post,
    path = "/api/v1/echo",
    tag = "meta",
    request_body(content = serde_json::Value, description = "Any JSON value: an object, an array, a string, a number, a boolean or null"),
    responses(
        (status = 200, description = "The same JSON value", body = serde_json::Value),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn echo(AppJson(value): AppJson<serde_json::Value>) -> AppJson<serde_json::Value> {
    AppJson(value)
}

/// Any path under `/api` that no route matches.
pub async fn api_not_found(req: Request) -> AppError {
    AppError::NotFound(req.uri().path().to_owned())
}
