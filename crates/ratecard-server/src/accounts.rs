//! The account endpoints of API.md ("Accounts"): ingestion by the billing system and by
//! Stripe's webhook, and the support console's reads, every one behind a bearer key of
//! the right role (see [`auth`](crate::auth)) and recorded in the audit trail.
//!
//! | route | role | answer |
//! |---|---|---|
//! | `PUT /api/v1/accounts/{id}` | ingest | the account; 201 created, 200 updated |
//! | `POST /api/v1/accounts/{id}/events` | ingest | `{stored, duplicates}`; all or nothing |
//! | `GET /api/v1/accounts?q=TEXT` | support | `{accounts: [{id, email, name, plan}]}` |
//! | `GET /api/v1/accounts/{id}` | support | the account with its current plan |
//! | `GET /api/v1/accounts/{id}/events` | support | `{events: [...]}` in time order |
//! | `GET /api/v1/accounts/{id}/ledger?at=` | support | what `POST /api/v1/ledger` answers for the stored history |
//! | `GET /api/v1/audit?account=ID` | support | who read or wrote which account, newest first |
//! | `POST /api/v1/webhooks/stripe` | Stripe's signature | `{applied}` |
//!
//! The stored ledger is computed by the very function `POST /api/v1/ledger` calls, from
//! a [`LedgerRequest`] built out of the stored events, so the two always agree.
//!
//! Writes are audited in their own transaction. Reads are audited through [`AuditLog`],
//! which batches the entries into the store in the background so that a read never
//! waits for a disk flush; `GET /api/v1/audit` flushes it first, so the trail it shows
//! includes every read answered before it.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, Utc};
use ratecard_rules::api::{self, CatalogueRef, LedgerEvent, LedgerRequest, LedgerResponse};
use ratecard_rules::{Catalogue, Currency, Interval, Zone};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use utoipa::openapi::{self, ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{IntoResponses, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::authorize;
use crate::extract::AppJson;
use crate::problem::{AppError, PROBLEM_JSON, Problem};
use crate::store::{
    AccountFields, AccountRow, AuditAction, AuditEntry, MAX_ID_LEN, Role, Store, StoredEvent,
    StripeWrite,
};

/// The store and the audit writer: what the account endpoints need beyond [`AppState`].
#[derive(Debug)]
pub struct Accounts {
    /// The store.
    pub store: Arc<Store>,
    /// The audit writer for reads.
    pub audit: AuditLog,
}

impl Accounts {
    /// Wraps a store and starts its audit writer. Must be called inside a Tokio runtime.
    #[must_use]
    pub fn new(store: Arc<Store>) -> Accounts {
        let audit = AuditLog::start(Arc::clone(&store));
        Accounts { store, audit }
    }
}

// ---------------------------------------------------------------------------------------
// The audit writer
// ---------------------------------------------------------------------------------------

enum AuditMessage {
    Entry(AuditEntry),
    Flush(oneshot::Sender<()>),
}

/// Writes read audit entries to the store in batches, in the background.
#[derive(Debug, Clone)]
pub struct AuditLog {
    tx: mpsc::Sender<AuditMessage>,
}

impl std::fmt::Debug for AuditMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditMessage::Entry(e) => e.fmt(f),
            AuditMessage::Flush(_) => f.write_str("Flush"),
        }
    }
}

/// How many read entries may wait for the writer; past that, new ones are logged and
/// dropped rather than slowing the reads down.
const AUDIT_QUEUE: usize = 10_000;

impl AuditLog {
    /// Starts the writer task. Must be called inside a Tokio runtime.
    #[must_use]
    pub fn start(store: Arc<Store>) -> AuditLog {
        let (tx, mut rx) = mpsc::channel::<AuditMessage>(AUDIT_QUEUE);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = Vec::new();
                let mut waiting = Vec::new();
                let mut next = Some(first);
                while let Some(message) = next {
                    match message {
                        AuditMessage::Entry(e) => batch.push(e),
                        AuditMessage::Flush(done) => waiting.push(done),
                    }
                    next = if batch.len() < 512 {
                        rx.try_recv().ok()
                    } else {
                        None
                    };
                }
                let mut tries = 0;
                while let Err(e) = store.record_audit(&batch).await {
                    tries += 1;
                    if tries >= 3 {
                        tracing::error!(error = %e, lost = batch.len(), "audit entries could not be written");
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                for done in waiting {
                    let _ = done.send(());
                }
            }
        });
        AuditLog { tx }
    }

    /// Queues an entry.
    pub fn record(&self, entry: AuditEntry) {
        if self.tx.try_send(AuditMessage::Entry(entry)).is_err() {
            tracing::error!("the audit queue is full; an audit entry was dropped");
        }
    }

    /// Waits until every entry queued before this call is written (or given up on).
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(AuditMessage::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Wire types
// ---------------------------------------------------------------------------------------

/// `PUT /api/v1/accounts/{id}`: the account's fields.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountInput {
    /// The customer's email, which support agents search by.
    #[serde(default)]
    pub email: Option<String>,
    /// The customer's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The customer's IANA time zone, such as `Europe/Berlin`.
    pub time_zone: String,
    /// When the account was created (R-TERMS-2 counts from it).
    pub created_at: DateTime<FixedOffset>,
    /// A catalogue id the server knows; `stable-audio` when absent.
    #[serde(default)]
    pub catalogue: Option<String>,
}

/// An account as the support console reads it.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct Account {
    /// The account id: the billing system's, or the Stripe customer id (`cus_…`).
    pub id: String,
    /// The customer's email.
    pub email: Option<String>,
    /// The customer's name.
    pub name: Option<String>,
    /// The customer's IANA time zone.
    pub time_zone: String,
    /// When the account was created, RFC 3339.
    pub created_at: String,
    /// The catalogue id; `null` means `stable-audio`.
    pub catalogue: Option<String>,
    /// The plan in force now (R-CYCLE, R-DOWNGRADE-1, R-CANCEL-1), `null` before any
    /// subscription.
    pub plan: Option<String>,
    /// The billing interval of the plan in force: `month` or `year` (R-INTERVAL-1),
    /// `null` without a plan.
    pub interval: Option<String>,
    /// The currency of every amount of the account: its subscription's, for good
    /// (R-CURRENCY-1); the catalogue's default before any subscription.
    pub currency: String,
}

/// One search result.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct AccountSummary {
    /// The account id.
    pub id: String,
    /// The customer's email.
    pub email: Option<String>,
    /// The customer's name.
    pub name: Option<String>,
    /// The plan in force now.
    pub plan: Option<String>,
}

/// The answer of `GET /api/v1/accounts?q=`.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct SearchResults {
    /// At most 50 accounts, by id.
    pub accounts: Vec<AccountSummary>,
}

/// `POST /api/v1/accounts/{id}/events`: a batch of ledger events with ids.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    /// Ledger events as in `POST /api/v1/ledger`, each with an `id` unique within the
    /// account (for a `grant`, the `id` is also its label).
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<Value>,
}

/// The answer of `POST /api/v1/accounts/{id}/events`.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, ToSchema)]
pub struct EventsStored {
    /// Events stored now.
    pub stored: u64,
    /// Events whose id was stored before (or repeated in the batch): not stored again.
    pub duplicates: u64,
}

/// The answer of `GET /api/v1/accounts/{id}/events`.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct EventList {
    /// The stored events in time order, each with its `id`.
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<Value>,
}

/// The query of `GET /api/v1/accounts`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct SearchQuery {
    /// The start of an id, or part of an email.
    pub q: String,
}

/// The query of `GET /api/v1/accounts/{id}/ledger`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct LedgerQuery {
    /// The instant to report the state at, RFC 3339; now when absent.
    #[serde(default)]
    pub at: Option<DateTime<FixedOffset>>,
    /// The tax rate in basis points for charges the ledger computes (R-MONEY-3).
    #[serde(default)]
    pub tax_rate_bp: Option<u32>,
}

/// The query of `GET /api/v1/audit`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct AuditQuery {
    /// Only this account's entries; every account's when absent.
    #[serde(default)]
    pub account: Option<String>,
}

/// One line of the audit trail.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct AuditLine {
    /// When.
    pub at: DateTime<Utc>,
    /// The name of the key (`stripe-webhook` for Stripe deliveries).
    pub key: String,
    /// `read` or `write`.
    pub action: String,
    /// The account concerned; `null` for a search.
    pub account: Option<String>,
    /// The HTTP method.
    pub method: String,
    /// The path and query.
    pub path: String,
    /// The status answered.
    pub status: u16,
}

/// The answer of `GET /api/v1/audit`.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct AuditTrail {
    /// At most 500 entries, newest first.
    pub entries: Vec<AuditLine>,
}

/// The answer of `POST /api/v1/webhooks/stripe`.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct WebhookReceipt {
    /// Stripe's event id.
    pub id: String,
    /// Stripe's event type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// `false` when this event id was applied before, or its type is ignored.
    pub applied: bool,
    /// The account events stored.
    pub stored: u64,
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

impl AppState {
    /// The store, or 503 when the server runs without one.
    fn accounts(&self) -> Result<&Accounts, AppError> {
        self.accounts.as_deref().ok_or(AppError::StoreUnavailable)
    }

    fn account_catalogue(&self, row: &AccountRow) -> Result<Arc<Catalogue>, AppError> {
        Ok(self.resolve(row.catalogue.clone().map(CatalogueRef::Id))?)
    }
}

/// Who calls an account endpoint: the method, path and headers that the key check and the
/// audit trail read. Taking it from a request never fails.
#[derive(Debug)]
pub struct Caller {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Caller {
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            headers: parts.headers.clone(),
        })
    }
}

impl Caller {
    /// Checks the caller's bearer key for `role` against the store: 503 without a store or
    /// when it cannot answer, 401 or 403 for a refused key.
    async fn authorize<'a>(
        &'a self,
        state: &'a AppState,
        role: Role,
    ) -> Result<Session<'a>, AppError> {
        let accounts = state.accounts()?;
        let key = authorize(&accounts.store, &self.headers, role).await?;
        Ok(Session {
            store: &accounts.store,
            audit: &accounts.audit,
            key: key.name,
            caller: self,
        })
    }

    /// The audit entry of this request by the key named `key`, with the status a success
    /// answers.
    fn audit_entry(&self, key: &str, action: AuditAction, account: Option<&str>) -> AuditEntry {
        AuditEntry {
            at: Utc::now(),
            key: key.to_owned(),
            action,
            account: account.map(str::to_owned),
            method: self.method.to_string(),
            path: self
                .uri
                .path_and_query()
                .map_or_else(|| self.uri.path().to_owned(), ToString::to_string),
            status: StatusCode::OK.as_u16(),
        }
    }
}

/// A caller whose key was accepted, and the store it may use.
struct Session<'a> {
    store: &'a Store,
    audit: &'a AuditLog,
    /// The name of the key.
    key: String,
    caller: &'a Caller,
}

impl Session<'_> {
    /// The audit entry of a write to `account`, stored in the write's own transaction.
    fn write_entry(&self, account: &str) -> AuditEntry {
        self.caller
            .audit_entry(&self.key, AuditAction::Write, Some(account))
    }

    /// Queues the audit entry of a read of `account`, or of no one account (a search).
    fn record_read(&self, account: Option<&str>) {
        self.audit.record(
            self.caller
                .audit_entry(&self.key, AuditAction::Read, account),
        );
    }
}

/// Checks an account id: 1 to 200 characters, none of them a control character.
fn check_account_id(id: &str) -> Result<(), AppError> {
    if id.is_empty() || id.chars().count() > MAX_ID_LEN || id.chars().any(char::is_control) {
        return Err(AppError::InvalidField {
            field: Some("id".to_owned()),
            detail: format!(
                "an account id has 1 to {MAX_ID_LEN} characters and no control characters"
            ),
        });
    }
    Ok(())
}

/// The ledger request for a stored history: what `POST /api/v1/ledger` would be sent.
fn ledger_request(
    row: &AccountRow,
    events: &[StoredEvent],
    at: DateTime<FixedOffset>,
    tax_rate_bp: Option<u32>,
) -> LedgerRequest {
    LedgerRequest {
        catalogue: row.catalogue.clone().map(CatalogueRef::Id),
        time_zone: row.time_zone.clone(),
        at,
        tax_rate_bp,
        events: events.iter().map(|e| e.event.clone()).collect(),
    }
}

/// Where an account stands at an instant, from its replayed history.
struct Standing {
    /// The plan in force, if any.
    plan: Option<String>,
    /// How that plan is billed (R-INTERVAL-1).
    interval: Option<Interval>,
    /// The currency of the account's amounts: its subscription's (R-CURRENCY-1).
    currency: Currency,
}

/// Where the account stands at `now`, replaying the stored history.
fn standing(
    catalogue: &Catalogue,
    row: &AccountRow,
    events: &[StoredEvent],
    now: DateTime<FixedOffset>,
) -> Standing {
    match api::ledger(catalogue, &ledger_request(row, events, now, None)) {
        Ok(answer) => Standing {
            plan: answer.state.plan,
            interval: answer.state.interval,
            currency: answer.currency,
        },
        Err(e) => {
            tracing::warn!(account = %row.id, error = %e, "a stored history does not replay");
            Standing {
                plan: None,
                interval: None,
                currency: catalogue.currency(),
            }
        }
    }
}

/// An event as the API shows it: the ledger event with its `id`.
fn event_json(e: &StoredEvent) -> Value {
    let mut v = serde_json::to_value(&e.event).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.insert("id".to_owned(), Value::String(e.id.clone()));
    }
    v
}

/// Reads one event of a batch: an object with an `id` and the fields of a ledger event.
fn read_event(index: usize, value: Value) -> Result<StoredEvent, AppError> {
    let invalid = |id: Option<String>, detail: String| AppError::InvalidEvent { index, id, detail };
    let Value::Object(mut map) = value else {
        return Err(invalid(None, "an event is a JSON object".to_owned()));
    };
    let id = match map.get("id") {
        Some(Value::String(id)) => id.clone(),
        Some(_) => return Err(invalid(None, "`id` is a string".to_owned())),
        None => {
            return Err(invalid(
                None,
                "every event needs an `id`, unique within the account, so a retry does not store it twice"
                    .to_owned(),
            ));
        }
    };
    if id.is_empty() || id.chars().count() > MAX_ID_LEN || id.chars().any(char::is_control) {
        return Err(invalid(
            None,
            format!("`id` has 1 to {MAX_ID_LEN} characters and no control characters"),
        ));
    }
    // A grant's `id` is its label in the ledger; no other event has one.
    if map.get("type").and_then(Value::as_str) != Some("grant") {
        map.remove("id");
    }
    let event: LedgerEvent = serde_path_to_error::deserialize(Value::Object(map)).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            invalid(Some(id.clone()), inner.to_string())
        } else {
            invalid(Some(id.clone()), format!("`{path}`: {inner}"))
        }
    })?;
    Ok(StoredEvent { id, event })
}

/// Checks that the stored history with `new` appended replays under the rules, and
/// names the first new event the rules refuse.
fn check_history(
    catalogue: &Catalogue,
    row: &AccountRow,
    stored: &[StoredEvent],
    new: &[StoredEvent],
) -> Result<(), AppError> {
    let replay = |n: usize| {
        let events: Vec<StoredEvent> = stored.iter().chain(&new[..n]).cloned().collect();
        let Some(last) = events.iter().map(|e| e.event.at()).max() else {
            return Ok(());
        };
        api::ledger(catalogue, &ledger_request(row, &events, last, None)).map(|_| ())
    };
    let Err(whole) = replay(new.len()) else {
        return Ok(());
    };
    for (i, e) in new.iter().enumerate() {
        if let Err(err) = replay(i + 1) {
            return Err(AppError::InvalidEvent {
                index: i,
                id: Some(e.id.clone()),
                detail: format!("the rules refuse the history with this event: {err}"),
            });
        }
    }
    Err(AppError::InvalidEvent {
        index: new.len().saturating_sub(1),
        id: new.last().map(|e| e.id.clone()),
        detail: format!("the rules refuse the history with this batch: {whole}"),
    })
}

async fn load_account(store: &Store, id: &str) -> Result<AccountRow, AppError> {
    store
        .account(id)
        .await?
        .ok_or_else(|| AppError::UnknownAccount(id.to_owned()))
}

fn account_view(row: AccountRow, standing: Standing) -> Account {
    let Standing {
        plan,
        interval,
        currency,
    } = standing;
    Account {
        interval: plan
            .as_ref()
            .map(|_| interval.unwrap_or_default().as_str().to_owned()),
        currency: currency.code().to_owned(),
        id: row.id,
        email: row.email,
        name: row.name,
        time_zone: row.time_zone,
        created_at: row.created_at,
        catalogue: row.catalogue,
        plan,
    }
}

fn now() -> DateTime<FixedOffset> {
    Utc::now().fixed_offset()
}

// ---------------------------------------------------------------------------------------
// The refusals the account endpoints share, as the OpenAPI document lists them
// ---------------------------------------------------------------------------------------

/// The 401 of every key check.
const NO_KEY: (u16, &str) = (401, "No key, or an unknown or revoked one");

/// Documents each `(status, description)` as a problem answer.
fn problems(refusals: &[(u16, &str)]) -> BTreeMap<String, RefOr<openapi::Response>> {
    refusals
        .iter()
        .map(|&(status, description)| {
            let content = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(Problem::name())))
                .build();
            let response = ResponseBuilder::new()
                .description(description)
                .content(PROBLEM_JSON, content)
                .build();
            (status.to_string(), RefOr::T(response))
        })
        .collect()
}

/// How a write is refused for its key: none, an unknown or revoked one, or one without the
/// `ingest` role.
struct IngestRefusals;

impl IntoResponses for IngestRefusals {
    fn responses() -> BTreeMap<String, RefOr<openapi::Response>> {
        problems(&[NO_KEY, (403, "A key without the `ingest` role")])
    }
}

/// How a read is refused: for its key, as a write is but for the `support` role, or for a
/// store that cannot answer.
struct SupportRefusals;

impl IntoResponses for SupportRefusals {
    fn responses() -> BTreeMap<String, RefOr<openapi::Response>> {
        problems(&[
            NO_KEY,
            (403, "A key without the `support` role"),
            (503, "The store is unavailable"),
        ])
    }
}

/// How a read of one account is refused: as any read ([`SupportRefusals`]), or for an
/// account that does not exist.
struct AccountRefusals;

impl IntoResponses for AccountRefusals {
    fn responses() -> BTreeMap<String, RefOr<openapi::Response>> {
        let mut refusals = SupportRefusals::responses();
        refusals.extend(problems(&[(404, "No such account")]));
        refusals
    }
}

// ---------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------

/// Creates or updates an account (ingest key).
#[utoipa::path(
    put,
    path = "/api/v1/accounts/{id}",
    tag = "accounts",
    params(("id" = String, Path, description = "The account id, such as the billing system's or a Stripe customer id")),
    request_body = AccountInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = Account),
        (status = 201, description = "Created", body = Account),
        (status = 400, description = "Malformed JSON or fields", body = Problem, content_type = "application/problem+json"),
        IngestRefusals,
        (status = 404, description = "An unknown catalogue id", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown time zone", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The store is unavailable; nothing changed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn put_account(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AppJson(input): AppJson<AccountInput>,
) -> Result<Response, AppError> {
    let session = caller.authorize(&state, Role::Ingest).await?;
    check_account_id(&id)?;
    Zone::named(&input.time_zone)?;
    if let Some(catalogue) = &input.catalogue {
        state.registry.get(catalogue)?;
    }
    if let Some(email) = &input.email
        && (email.len() > 320 || !email.contains('@'))
    {
        return Err(AppError::InvalidField {
            field: Some("email".to_owned()),
            detail: "`email` is an email address, such as `ada@example.com`".to_owned(),
        });
    }
    let fields = AccountFields {
        email: input.email,
        name: input.name,
        time_zone: input.time_zone,
        created_at: input.created_at,
        catalogue: input.catalogue,
    };
    // The audit row is written with the account, in one transaction; its status is the
    // one a successful write answers (201 or 200 is decided inside).
    let audit = session.write_entry(&id);
    let created = session.store.put_account(&id, &fields, &audit).await?;
    let row = load_account(session.store, &id).await?;
    let catalogue = state.account_catalogue(&row)?;
    let events = session.store.events(&id).await?;
    let current = standing(&catalogue, &row, &events, now());
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, AppJson(account_view(row, current))).into_response())
}

/// Appends ledger events to an account (ingest key): idempotent by event id, all or
/// nothing.
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{id}/events",
    tag = "accounts",
    params(("id" = String, Path, description = "The account id")),
    request_body = EventBatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Stored; events whose id was stored before are counted as duplicates", body = EventsStored),
        (status = 400, description = "Malformed JSON, or a batch over 10,000 events", body = Problem, content_type = "application/problem+json"),
        IngestRefusals,
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An event that cannot be stored, named by index and id (`invalid-event`); nothing of the batch is stored", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The store is unavailable; nothing was stored", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn post_events(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AppJson(batch): AppJson<EventBatch>,
) -> Result<AppJson<EventsStored>, AppError> {
    let session = caller.authorize(&state, Role::Ingest).await?;
    crate::calc::check_lists(&[("events", batch.events.len())])?;
    let new = batch
        .events
        .into_iter()
        .enumerate()
        .map(|(i, v)| read_event(i, v))
        .collect::<Result<Vec<_>, _>>()?;
    let row = load_account(session.store, &id).await?;
    let catalogue = state.account_catalogue(&row)?;
    let stored = session.store.events(&id).await?;
    if stored.len() + new.len() > api::MAX_LIST_ITEMS {
        return Err(AppError::InvalidEvent {
            index: 0,
            id: new.first().map(|e| e.id.clone()),
            detail: format!(
                "the account would hold more than {} events, the most a ledger replays",
                api::MAX_LIST_ITEMS
            ),
        });
    }
    // Only events whose ids are new need the rules' check: a duplicate is not stored.
    let known: std::collections::HashSet<&str> = stored.iter().map(|e| e.id.as_str()).collect();
    let mut seen = std::collections::HashSet::new();
    let fresh: Vec<StoredEvent> = new
        .iter()
        .filter(|e| !known.contains(e.id.as_str()) && seen.insert(e.id.clone()))
        .cloned()
        .collect();
    if let Err(e) = check_history(&catalogue, &row, &stored, &fresh) {
        // Name the event by its index in the batch as sent.
        return Err(match e {
            AppError::InvalidEvent {
                id: Some(event_id),
                detail,
                ..
            } => AppError::InvalidEvent {
                index: new.iter().position(|n| n.id == event_id).unwrap_or(0),
                id: Some(event_id),
                detail,
            },
            other => other,
        });
    }
    let audit = session.write_entry(&id);
    let appended = session
        .store
        .append_events(&id, &new, &audit)
        .await?
        .ok_or_else(|| AppError::UnknownAccount(id.clone()))?;
    Ok(AppJson(EventsStored {
        stored: appended.stored,
        duplicates: appended.duplicates,
    }))
}

/// Finds accounts by the start of their id or part of their email (support key).
#[utoipa::path(
    get,
    path = "/api/v1/accounts",
    tag = "accounts",
    params(("q" = String, Query, description = "The start of an account id, or part of an email (any case)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "At most 50 accounts, by id", body = SearchResults),
        (status = 400, description = "No `q`", body = Problem, content_type = "application/problem+json"),
        SupportRefusals,
    )
)]
pub async fn search_accounts(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<AppJson<SearchResults>, AppError> {
    let session = caller.authorize(&state, Role::Support).await?;
    let Query(query) = query.map_err(|_| AppError::InvalidField {
        field: Some("q".to_owned()),
        detail: "search with `?q=TEXT`: the start of an account id, or part of an email".to_owned(),
    })?;
    let q = query.q.trim();
    let rows = if q.is_empty() {
        Vec::new()
    } else {
        session.store.search(q).await?
    };
    let at = now();
    let mut found = Vec::with_capacity(rows.len());
    for row in rows {
        let catalogue = state.account_catalogue(&row)?;
        let events = session.store.events(&row.id).await?;
        let plan = standing(&catalogue, &row, &events, at).plan;
        found.push(AccountSummary {
            id: row.id,
            email: row.email,
            name: row.name,
            plan,
        });
    }
    session.record_read(None);
    Ok(AppJson(SearchResults { accounts: found }))
}

/// One account with its current plan (support key).
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{id}",
    tag = "accounts",
    params(("id" = String, Path, description = "The account id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = Account),
        AccountRefusals,
    )
)]
pub async fn get_account(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<AppJson<Account>, AppError> {
    let session = caller.authorize(&state, Role::Support).await?;
    let row = load_account(session.store, &id).await?;
    let catalogue = state.account_catalogue(&row)?;
    let events = session.store.events(&id).await?;
    let current = standing(&catalogue, &row, &events, now());
    session.record_read(Some(&id));
    Ok(AppJson(account_view(row, current)))
}

/// The stored events of an account in time order (support key).
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{id}/events",
    tag = "accounts",
    params(("id" = String, Path, description = "The account id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The events, each with its `id`", body = EventList),
        AccountRefusals,
    )
)]
pub async fn get_events(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<AppJson<EventList>, AppError> {
    let session = caller.authorize(&state, Role::Support).await?;
    load_account(session.store, &id).await?;
    let events = session.store.events(&id).await?;
    session.record_read(Some(&id));
    Ok(AppJson(EventList {
        events: events.iter().map(event_json).collect(),
    }))
}

/// The stored history explained: the same answer as `POST /api/v1/ledger` for the
/// account's events, catalogue and zone (support key).
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{id}/ledger",
    tag = "accounts",
    params(
        ("id" = String, Path, description = "The account id"),
        ("at" = Option<String>, Query, description = "The instant to report at, RFC 3339; now when absent"),
        ("tax_rate_bp" = Option<u32>, Query, description = "The tax rate in basis points for the charges the ledger computes"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ledger", body = LedgerResponse),
        (status = 400, description = "A malformed `at` or `tax_rate_bp`", body = Problem, content_type = "application/problem+json"),
        AccountRefusals,
        (status = 422, description = "The rules refuse the history at that instant", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_ledger(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<LedgerQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<AppJson<LedgerResponse>, AppError> {
    let session = caller.authorize(&state, Role::Support).await?;
    let Query(query) = query.map_err(|e| AppError::InvalidField {
        field: None,
        detail: format!(
            "the query is `?at=RFC3339&tax_rate_bp=N`, both optional: {}",
            e.body_text()
        ),
    })?;
    let row = load_account(session.store, &id).await?;
    let catalogue = state.account_catalogue(&row)?;
    let events = session.store.events(&id).await?;
    let req = ledger_request(
        &row,
        &events,
        query.at.unwrap_or_else(now),
        query.tax_rate_bp,
    );
    let answer = tokio::task::spawn_blocking(move || api::ledger(&catalogue, &req))
        .await
        .map_err(|_| AppError::Internal)??;
    session.record_read(Some(&id));
    Ok(AppJson(answer))
}

/// Who read or wrote which account, and when, newest first (support key).
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "accounts",
    params(("account" = Option<String>, Query, description = "Only this account's entries")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "At most 500 entries, newest first", body = AuditTrail),
        SupportRefusals,
    )
)]
pub async fn get_audit(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<AppJson<AuditTrail>, AppError> {
    let session = caller.authorize(&state, Role::Support).await?;
    let Query(query) = query.map_err(|e| AppError::InvalidField {
        field: Some("account".to_owned()),
        detail: format!("the query is `?account=ID`, optional: {}", e.body_text()),
    })?;
    // Reading the trail is itself a read, recorded first so it shows in the answer.
    session.record_read(query.account.as_deref());
    session.audit.flush().await;
    let entries = session.store.audit(query.account.as_deref()).await?;
    Ok(AppJson(AuditTrail {
        entries: entries
            .into_iter()
            .map(|e| AuditLine {
                at: e.at,
                key: e.key,
                action: match e.action {
                    AuditAction::Read => "read",
                    AuditAction::Write => "write",
                }
                .to_owned(),
                account: e.account,
                method: e.method,
                path: e.path,
                status: e.status,
            })
            .collect(),
    }))
}

/// The name the audit trail gives Stripe's deliveries.
pub const STRIPE_KEY_NAME: &str = "stripe-webhook";

/// Stripe's webhook: verified by its signature, mapped to account events, applied once
/// per Stripe event id.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/stripe",
    tag = "accounts",
    request_body(content = Object, description = "A Stripe event, exactly as Stripe sends it"),
    params(("Stripe-Signature" = String, Header, description = "`t=UNIX,v1=HEX[,v1=HEX…]`: HMAC-SHA256 of `{t}.{body}` with the endpoint's signing secret")),
    responses(
        (status = 200, description = "Received: applied, or a repeat or an ignored type (`applied: false`)", body = WebhookReceipt),
        (status = 400, description = "A missing, wrong or stale signature, or a body that is not a Stripe event; nothing stored", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A signed event that cannot become account events (an unknown price id, no customer); nothing stored", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "No webhook secret configured, or the store is unavailable; Stripe retries", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn stripe_webhook(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<AppJson<WebhookReceipt>, AppError> {
    let accounts = state.accounts()?;
    let Some(secret) = &state.config.stripe_webhook_secret else {
        return Err(AppError::WebhookNotConfigured);
    };
    let signature = caller
        .headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            AppError::InvalidSignature("the `Stripe-Signature` header is missing".to_owned())
        })?;
    crate::stripe::verify_signature(signature, &body, secret.expose(), Utc::now().timestamp())
        .map_err(|e| AppError::InvalidSignature(e.to_string()))?;
    let refs: Vec<&Catalogue> = state.registry.iter().collect();
    let delivery = crate::stripe::map_delivery(&body, &refs).map_err(|e| {
        if matches!(e.field.as_str(), "(body)" | "id" | "type" | "created") {
            AppError::InvalidField {
                field: Some(e.field.clone()),
                detail: format!("not a Stripe event: {e}"),
            }
        } else {
            AppError::UnmappableStripeEvent(e.to_string())
        }
    })?;
    let events: Vec<StoredEvent> = delivery
        .events
        .iter()
        .map(|(id, event)| StoredEvent {
            id: id.clone(),
            event: event.clone(),
        })
        .collect();
    let count = events.len() as u64;
    let write = StripeWrite {
        stripe_event_id: delivery.event_id.clone(),
        event_type: delivery.event_type.clone(),
        account: delivery.customer.clone(),
        // Only the event types ratecard maps create an account; any other type that
        // names a customer is acknowledged and left alone.
        new_account: (delivery.customer.is_some()
            && crate::stripe::MAPPED_TYPES.contains(&delivery.event_type.as_str()))
        .then(|| AccountFields {
            email: delivery.email.clone(),
            name: None,
            time_zone: "UTC".to_owned(),
            created_at: delivery.created,
            catalogue: delivery.catalogue.clone(),
        }),
        events,
    };
    if let Some(account) = &delivery.customer
        && count > 0
    {
        // The history with these events must replay, as for the ingest endpoint.
        let row = accounts
            .store
            .account(account)
            .await?
            .unwrap_or(AccountRow {
                id: account.clone(),
                email: None,
                name: None,
                time_zone: "UTC".to_owned(),
                created_at: delivery.created.to_rfc3339(),
                catalogue: delivery.catalogue.clone(),
            });
        let catalogue = state.account_catalogue(&row)?;
        delivery
            .check_currency(&catalogue)
            .map_err(|e| AppError::UnmappableStripeEvent(e.to_string()))?;
        let stored = accounts.store.events(account).await?;
        let known: std::collections::HashSet<&str> = stored.iter().map(|e| e.id.as_str()).collect();
        let fresh: Vec<StoredEvent> = write
            .events
            .iter()
            .filter(|e| !known.contains(e.id.as_str()))
            .cloned()
            .collect();
        check_history(&catalogue, &row, &stored, &fresh).map_err(|e| match e {
            AppError::InvalidEvent { detail, .. } => AppError::UnmappableStripeEvent(format!(
                "Stripe event `{}` ({}): {detail}",
                delivery.event_id, delivery.event_type
            )),
            other => other,
        })?;
    }
    let audit = caller.audit_entry(
        STRIPE_KEY_NAME,
        AuditAction::Write,
        delivery.customer.as_deref(),
    );
    let applied = accounts.store.apply_stripe(&write, &audit).await?;
    Ok(AppJson(WebhookReceipt {
        id: delivery.event_id,
        event_type: delivery.event_type,
        applied: applied && count > 0,
        stored: if applied { count } else { 0 },
    }))
}

/// Adds the account routes.
pub fn routes(router: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    router
        .routes(routes!(search_accounts))
        .routes(routes!(put_account, get_account))
        .routes(routes!(post_events, get_events))
        .routes(routes!(get_ledger))
        .routes(routes!(get_audit))
        .routes(routes!(stripe_webhook))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_event_needs_an_id() {
        let e = read_event(
            3,
            json!({"type": "subscribe", "at": "2027-01-01T00:00:00Z", "plan": "pro"}),
        )
        .unwrap_err()
        .to_problem();
        assert_eq!(e.status, 422);
        assert!(
            e.detail.starts_with("events[3]: every event needs an `id`"),
            "{}",
            e.detail
        );
    }

    #[test]
    fn a_bad_event_is_named_by_index_id_and_field() {
        let e = read_event(
            1,
            json!({"id": "e-2", "type": "upload", "at": "2027-01-01T00:00:00Z", "seconds": -4}),
        )
        .unwrap_err()
        .to_problem();
        assert_eq!(e.status, 422);
        assert_eq!(e.field.as_deref(), Some("events[1]"));
        assert!(e.detail.contains("events[1] (id `e-2`)"), "{}", e.detail);
        assert!(e.detail.contains("`-4`"), "{}", e.detail);
        assert!(
            e.detail.contains("nothing of the batch was stored"),
            "{}",
            e.detail
        );
    }

    #[test]
    fn a_grant_keeps_its_id_as_its_label() {
        let e = read_event(
            0,
            json!({"id": "welcome", "type": "grant", "at": "2027-01-01T00:00:00Z", "credits": 10}),
        )
        .expect("grant");
        assert_eq!(e.id, "welcome");
        assert!(matches!(e.event, LedgerEvent::Grant { id: Some(ref l), .. } if l == "welcome"));
        assert_eq!(event_json(&e)["id"], "welcome");
        let s = read_event(
            0,
            json!({"id": "s1", "type": "subscribe", "at": "2027-01-01T00:00:00Z", "plan": "pro"}),
        )
        .expect("subscribe");
        assert_eq!(event_json(&s)["id"], "s1");
        assert_eq!(event_json(&s)["plan"], "pro");
    }
}
