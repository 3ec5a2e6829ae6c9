//! Stored accounts: the support console opens a customer by id or email instead of a
//! pasted history.
//!
//! The server keeps accounts and their events (`GET /api/v1/accounts…`, a support key in
//! `Authorization: Bearer`). The widget asks for the account and its events, builds the
//! same [`LedgerRequest`] the server would, and replays it in Wasm with
//! [`crate::model::support::replay`], the code the pasted-history path uses; so the agent
//! sees the server's `GET /api/v1/accounts/{id}/ledger` answer without asking for it.
//!
//! Everything here is plain: the URLs, what each answer (or error status) means, and the
//! request. Only the `fetch` itself lives in [`crate::fetch`].

use core::fmt;

use chrono::{DateTime, FixedOffset};
use ratecard_rules::CatalogueDocument;
use ratecard_rules::api::{LedgerEvent, LedgerRequest};
use ratecard_rules::{Catalogue, DEFAULT_CATALOGUE_ID};

use crate::model::json::{self, Document};

use crate::model::source::{CatalogueLoadError, CatalogueSource};
use crate::model::support::{Report, SupportError, replay};

/// The problem `type` of the server's 404 for an account it does not know.
pub const UNKNOWN_ACCOUNT_PROBLEM: &str = "https://ratecard.dev/problems/unknown-account";

/// The largest account answer accepted, in bytes (a long history is a few MB at most).
pub const MAX_ACCOUNT_BYTES: usize = 16 * 1024 * 1024;

/// The support key, as the host set it through the `accessToken` property or `mount()`
/// option (never an attribute). Each [`AccessToken::set`] counts, so setting the same key
/// again loads again. `Debug` never prints the key.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AccessToken {
    key: Option<String>,
    generation: u32,
}

impl AccessToken {
    /// Sets the key; `None` or a blank one clears it.
    pub fn set(&mut self, key: Option<String>) {
        self.key = key.map(|k| k.trim().to_owned()).filter(|k| !k.is_empty());
        self.generation = self.generation.wrapping_add(1);
    }

    /// The key, if one is set.
    #[must_use]
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("key", &self.key.as_ref().map(|_| "…"))
            .field("generation", &self.generation)
            .finish()
    }
}

/// Where the account endpoints are and the key that opens them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountApi {
    /// The origin that served `ratecard.js`, such as `https://prices.example`.
    pub base: String,
    /// The support key, sent as `Authorization: Bearer KEY`; without one the server
    /// answers 401, which the widget explains.
    pub key: Option<String>,
}

impl AccountApi {
    /// `GET /api/v1/accounts?q=TEXT`.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard::model::account::AccountApi;
    /// let api = AccountApi { base: "https://p.example/".into(), key: None };
    /// assert_eq!(api.search_url("ada@x.io"), "https://p.example/api/v1/accounts?q=ada%40x.io");
    /// ```
    #[must_use]
    pub fn search_url(&self, query: &str) -> String {
        format!("{}/api/v1/accounts?q={}", self.root(), encode(query.trim()))
    }

    /// `GET /api/v1/accounts/{id}`.
    #[must_use]
    pub fn account_url(&self, id: &str) -> String {
        format!("{}/api/v1/accounts/{}", self.root(), encode(id))
    }

    /// `GET /api/v1/accounts/{id}/events`.
    #[must_use]
    pub fn events_url(&self, id: &str) -> String {
        format!("{}/events", self.account_url(id))
    }

    /// The `Authorization` header's value, when there is a key.
    #[must_use]
    pub fn authorization(&self) -> Option<String> {
        self.key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(|k| format!("Bearer {k}"))
    }

    fn root(&self) -> &str {
        self.base.trim_end_matches('/')
    }
}

/// Percent-encodes everything but the unreserved characters of RFC 3986, so a query or
/// an id is one URL component whatever it holds.
#[must_use]
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountSummary {
    /// The account id.
    pub id: String,
    /// Its email, if known.
    pub email: Option<String>,
    /// Its name, if known.
    pub name: Option<String>,
    /// Its current plan, if any.
    pub plan: Option<String>,
}

/// An account as the server stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// The account id.
    pub id: String,
    /// Its email, if known.
    pub email: Option<String>,
    /// Its name, if known.
    pub name: Option<String>,
    /// The customer's IANA time zone.
    pub time_zone: String,
    /// When the account was created, as the server wrote it.
    pub created_at: Option<String>,
    /// The catalogue id; `None` means [`DEFAULT_CATALOGUE_ID`].
    pub catalogue: Option<String>,
    /// The current plan, if any.
    pub plan: Option<String>,
}

/// Why account data cannot be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountError {
    /// 401: no key, or an unknown or revoked one.
    Unauthorised,
    /// 403: a key of another role, such as an ingest key.
    Forbidden,
    /// 404: the server has no such account.
    UnknownAccount {
        /// The id asked for.
        id: String,
    },
    /// 503: the account store is down.
    Unavailable,
    /// Any other error status.
    Status {
        /// The HTTP status code.
        status: u16,
    },
    /// No answer at all: offline, server down, or CORS refused.
    Network {
        /// What the browser said.
        detail: String,
    },
    /// An answer that is not what the API promises.
    Invalid {
        /// What is wrong with it.
        detail: String,
    },
    /// The account's catalogue cannot be loaded.
    Catalogue(CatalogueLoadError),
    /// The stored history cannot be replayed.
    History(SupportError),
}

impl fmt::Display for AccountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountError::Unauthorised => f.write_str(
                "The support key was refused (401): sign in again with a valid key.",
            ),
            AccountError::Forbidden => f.write_str(
                "This key may not read accounts (403): it is not a support key. Sign in with a support key.",
            ),
            AccountError::UnknownAccount { id } => write!(
                f,
                "There is no account `{id}` (404): check the id, or search by email."
            ),
            AccountError::Unavailable => f.write_str(
                "The account store is unavailable (503): try again in a moment.",
            ),
            AccountError::Status { status } => write!(
                f,
                "The server answered HTTP {status} when asked for account data."
            ),
            AccountError::Network { detail } => write!(
                f,
                "The server could not be reached (it is down, this computer is offline, or the server does not allow this page's origin): {detail}"
            ),
            AccountError::Invalid { detail } => {
                write!(f, "The server's account data cannot be read: {detail}")
            }
            AccountError::Catalogue(e) => {
                write!(f, "The account's catalogue cannot be loaded: {e}")
            }
            AccountError::History(e) => f.write_str(&e.message(crate::i18n::Lang::En)),
        }
    }
}

/// The error of a non-2xx answer; `account` is the id asked for, when the request was
/// about one account (a 404 then means the server does not know it).
#[must_use]
pub fn status_error(status: u16, body: &str, account: Option<&str>) -> AccountError {
    match (status, account) {
        (401, _) => AccountError::Unauthorised,
        (403, _) => AccountError::Forbidden,
        (404, Some(id)) => {
            // A 404 with another problem type (no such route, say) is only a status.
            let problem_type = json::string_member(body, "type");
            match problem_type {
                Some(t) if !t.ends_with("/unknown-account") => AccountError::Status { status },
                _ => AccountError::UnknownAccount { id: id.to_owned() },
            }
        }
        (503, _) => AccountError::Unavailable,
        _ => AccountError::Status { status },
    }
}

/// The JSON body of a 2xx answer, or the error its status means.
fn json_body(status: u16, body: &str, account: Option<&str>) -> Result<Document, AccountError> {
    if !(200..300).contains(&status) {
        return Err(status_error(status, body, account));
    }
    if body.len() > MAX_ACCOUNT_BYTES {
        return Err(AccountError::Invalid {
            detail: format!("the answer is larger than {} MiB", MAX_ACCOUNT_BYTES >> 20),
        });
    }
    json::parse(body).map_err(|detail| AccountError::Invalid { detail })
}

fn invalid(detail: impl Into<String>) -> AccountError {
    AccountError::Invalid {
        detail: detail.into(),
    }
}

/// An optional string field: absent and `null` are `None`; anything but a string is an
/// error naming the field.
fn optional_string(object: &Document, field: &str) -> Result<Option<String>, AccountError> {
    let Some(value) = object.member(field).filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    match value.as_string() {
        Some(s) => Ok(Some(s)),
        None => Err(invalid(format!(
            "`{field}` is {}, not a string",
            value.to_json()
        ))),
    }
}

fn required_string(object: &Document, field: &str) -> Result<String, AccountError> {
    optional_string(object, field)?.ok_or_else(|| invalid(format!("`{field}` is missing")))
}

/// Reads the answer of `GET /api/v1/accounts?q=`.
///
/// # Errors
///
/// The status's [`AccountError`], or [`AccountError::Invalid`] for a body that is not
/// `{"accounts": [{id, email, name, plan}, …]}`.
pub fn interpret_search(status: u16, body: &str) -> Result<Vec<AccountSummary>, AccountError> {
    let value = json_body(status, body, None)?;
    let list = value
        .member("accounts")
        .and_then(|a| a.items())
        .ok_or_else(|| invalid("`accounts` is not a list"))?;
    list.iter()
        .map(|a| {
            Ok(AccountSummary {
                id: required_string(a, "id")?,
                email: optional_string(a, "email")?,
                name: optional_string(a, "name")?,
                plan: optional_string(a, "plan")?,
            })
        })
        .collect()
}

/// Reads the answer of `GET /api/v1/accounts/{id}`.
///
/// # Errors
///
/// The status's [`AccountError`] (a 404 is [`AccountError::UnknownAccount`]), or
/// [`AccountError::Invalid`] for a body without `id` or `time_zone`.
pub fn interpret_account(id: &str, status: u16, body: &str) -> Result<Account, AccountError> {
    let a = json_body(status, body, Some(id))?;
    Ok(Account {
        id: required_string(&a, "id")?,
        email: optional_string(&a, "email")?,
        name: optional_string(&a, "name")?,
        time_zone: required_string(&a, "time_zone")?,
        created_at: optional_string(&a, "created_at")?,
        catalogue: optional_string(&a, "catalogue")?,
        plan: optional_string(&a, "plan")?,
    })
}

/// Reads the answer of `GET /api/v1/accounts/{id}/events`: each stored event is a ledger
/// event plus its `id`. A grant keeps `id` (it is the grant's label, as in the ledger);
/// every other type drops it before it is read as a [`LedgerEvent`].
///
/// # Errors
///
/// The status's [`AccountError`], or [`AccountError::Invalid`] naming the event (by
/// index and id) that is not a ledger event.
pub fn interpret_events(
    id: &str,
    status: u16,
    body: &str,
) -> Result<Vec<LedgerEvent>, AccountError> {
    let value = json_body(status, body, Some(id))?;
    let events = value
        .member("events")
        .and_then(|e| e.items())
        .ok_or_else(|| invalid("`events` is not a list"))?;
    events
        .into_iter()
        .enumerate()
        .map(|(index, event)| {
            let event_id = event
                .member("id")
                .and_then(|id| id.as_string())
                .unwrap_or_default();
            let is_grant =
                event.member("type").and_then(|t| t.as_string()).as_deref() == Some("grant");
            let event = if is_grant { event } else { event.without("id") };
            event
                .read::<LedgerEvent>()
                .map_err(|e| invalid(format!("event {index} (`{event_id}`): {e}")))
        })
        .collect()
}

/// Where the account's catalogue comes from: its id as the `catalogue` attribute would
/// read it (a built-in id is built in; any other id is fetched from the server).
///
/// # Errors
///
/// [`AccountError::Invalid`] for an id the attribute would refuse.
pub fn catalogue_source(account: &Account) -> Result<CatalogueSource, AccountError> {
    let id = account.catalogue.as_deref().unwrap_or(DEFAULT_CATALOGUE_ID);
    CatalogueSource::classify(id)
        .map_err(|expected| invalid(format!("catalogue `{id}`: expected {expected}")))
}

/// The ledger request for an account: its events, its zone, the instant and the tax rate.
/// The catalogue is resolved by the caller (see [`catalogue_source`]) and passed to
/// [`explain_account`], so the request itself names none.
#[must_use]
pub fn ledger_request(
    account: &Account,
    events: Vec<LedgerEvent>,
    at: DateTime<FixedOffset>,
    tax_rate_bp: Option<u32>,
) -> LedgerRequest {
    LedgerRequest {
        catalogue: None,
        time_zone: account.time_zone.clone(),
        at,
        tax_rate_bp,
        events,
    }
}

/// The tax rate the account report uses: the `tax-rate-bp` attribute, none when 0.
#[must_use]
pub fn tax_rate(bp: u32) -> Option<u32> {
    (bp > 0).then_some(bp)
}

/// An opened account and its replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenedAccount {
    /// The account's fields.
    pub account: Account,
    /// The replay of its events.
    pub report: Report,
}

/// Replays an account's events in the rules crate, as the server's
/// `GET /api/v1/accounts/{id}/ledger?at=` does.
///
/// # Errors
///
/// [`AccountError::History`] when the rules refuse the history.
pub fn explain_account(
    catalogue: &Catalogue,
    account: Account,
    events: Vec<LedgerEvent>,
    at: DateTime<FixedOffset>,
    tax_rate_bp: Option<u32>,
) -> Result<OpenedAccount, AccountError> {
    let request = ledger_request(&account, events, at, tax_rate_bp);
    let report = replay(catalogue, request).map_err(AccountError::History)?;
    Ok(OpenedAccount { account, report })
}

/// What a search result shows: the name, the email and the plan that are known.
#[must_use]
pub fn summary_label(summary: &AccountSummary) -> String {
    [
        summary.name.as_deref(),
        summary.email.as_deref(),
        summary.plan.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn api() -> AccountApi {
        AccountApi {
            base: "http://127.0.0.1:8787/".into(),
            key: Some(" rk_support_1 ".into()),
        }
    }

    const ACCOUNT: &str = r#"{"id": "cus_1", "email": "ada@example.com", "name": null,
        "time_zone": "Europe/Berlin", "created_at": "2026-12-20T10:00:00Z",
        "catalogue": null, "plan": "studio", "interval": "month", "currency": "USD"}"#;

    /// The sample history as the server stores it: each event with an id.
    fn stored_events() -> String {
        let sample: Value =
            serde_json::from_str(crate::model::support::SAMPLE_HISTORY).expect("the sample");
        let events: Vec<Value> = sample["events"]
            .as_array()
            .expect("events")
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut e = e.clone();
                if e["type"] != "grant" {
                    e["id"] = format!("e{i}").into();
                }
                e
            })
            .collect();
        serde_json::json!({ "events": events }).to_string()
    }

    #[test]
    fn setting_the_key_again_counts_and_debug_hides_it() {
        let mut token = AccessToken::default();
        token.set(Some(" rk_1 ".into()));
        let first = token.clone();
        token.set(Some("rk_1".into()));
        assert_eq!(token.key(), Some("rk_1"));
        assert_ne!(token, first, "the same key set again is a change");
        assert!(!format!("{token:?}").contains("rk_1"));
        token.set(Some("  ".into()));
        assert_eq!(token.key(), None);
    }

    #[test]
    fn urls_encode_the_query_and_the_id() {
        let api = api();
        assert_eq!(
            api.search_url(" a b&c=d "),
            "http://127.0.0.1:8787/api/v1/accounts?q=a%20b%26c%3Dd"
        );
        assert_eq!(
            api.account_url("cus/../x"),
            "http://127.0.0.1:8787/api/v1/accounts/cus%2F..%2Fx"
        );
        assert_eq!(
            api.events_url("cus_1"),
            "http://127.0.0.1:8787/api/v1/accounts/cus_1/events"
        );
        assert_eq!(encode("ü"), "%C3%BC");
        assert_eq!(api.authorization().as_deref(), Some("Bearer rk_support_1"));
        let none = AccountApi {
            key: Some("  ".into()),
            ..api
        };
        assert_eq!(none.authorization(), None);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn each_error_status_has_its_own_message() {
        let problem =
            |t: &str| format!(r#"{{"type":"{t}","title":"x","status":404,"detail":"d"}}"#);
        assert_eq!(status_error(401, "", None), AccountError::Unauthorised);
        assert_eq!(status_error(403, "", Some("a")), AccountError::Forbidden);
        assert_eq!(
            status_error(404, &problem(UNKNOWN_ACCOUNT_PROBLEM), Some("a")),
            AccountError::UnknownAccount { id: "a".into() }
        );
        assert_eq!(
            status_error(404, &problem("about:blank/not-found"), Some("a")),
            AccountError::Status { status: 404 }
        );
        assert_eq!(
            status_error(404, "", None),
            AccountError::Status { status: 404 }
        );
        assert_eq!(status_error(503, "", None), AccountError::Unavailable);
        assert_eq!(
            status_error(500, "", None),
            AccountError::Status { status: 500 }
        );
        let texts: Vec<String> = [
            AccountError::Unauthorised,
            AccountError::Forbidden,
            AccountError::UnknownAccount { id: "a".into() },
            AccountError::Unavailable,
            AccountError::Network {
                detail: "Failed to fetch".into(),
            },
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            texts[0],
            "The support key was refused (401): sign in again with a valid key."
        );
        assert!(texts[1].contains("(403)"));
        assert!(texts[2].contains("`a` (404)"));
        assert!(texts[3].contains("(503)"));
        assert!(texts[4].ends_with("Failed to fetch"));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn search_results_allow_null_fields() {
        let body = r#"{"accounts": [
            {"id": "cus_1", "email": "ada@example.com", "name": "Ada", "plan": "pro"},
            {"id": "cus_2", "email": null, "name": null, "plan": null}]}"#;
        let found = interpret_search(200, body).expect("a list");
        assert_eq!(found.len(), 2);
        assert_eq!(summary_label(&found[0]), "Ada · ada@example.com · pro");
        assert_eq!(found[1].email, None);
        assert_eq!(summary_label(&found[1]), "");
        assert_eq!(interpret_search(401, "{}"), Err(AccountError::Unauthorised));
        assert!(matches!(
            interpret_search(200, r#"{"accounts": [{"email": "x"}]}"#),
            Err(AccountError::Invalid { .. })
        ));
        assert!(matches!(
            interpret_search(200, "<html>"),
            Err(AccountError::Invalid { .. })
        ));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn an_account_reads_its_fields() {
        let account = interpret_account("cus_1", 200, ACCOUNT).expect("an account");
        assert_eq!(account.id, "cus_1");
        assert_eq!(account.name, None);
        assert_eq!(account.time_zone, "Europe/Berlin");
        assert_eq!(account.plan.as_deref(), Some("studio"));
        assert_eq!(
            catalogue_source(&account),
            Ok(CatalogueSource::Builtin("stable-audio".into()))
        );
        let acme = Account {
            catalogue: Some("acme-2027".into()),
            ..account.clone()
        };
        assert_eq!(
            catalogue_source(&acme),
            Ok(CatalogueSource::Server("acme-2027".into()))
        );
        let bad = Account {
            catalogue: Some("javascript:x".into()),
            ..account
        };
        assert!(catalogue_source(&bad).is_err());
        assert_eq!(
            interpret_account("nobody", 404, ""),
            Err(AccountError::UnknownAccount {
                id: "nobody".into()
            })
        );
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn stored_events_drop_their_ids_except_a_grants() {
        let events = interpret_events("cus_1", 200, &stored_events()).expect("events");
        let sample = crate::model::support::parse_history(crate::model::support::SAMPLE_HISTORY)
            .expect("the sample parses");
        assert_eq!(events, sample.events);
        let grant = r#"{"events": [{"id": "welcome", "type": "grant",
            "at": "2027-02-01T00:00:00Z", "credits": 5}]}"#;
        let events = interpret_events("cus_1", 200, grant).expect("a grant");
        assert!(
            matches!(&events[0], LedgerEvent::Grant { id: Some(id), .. } if id == "welcome"),
            "{events:?}"
        );
        let wrong = r#"{"events": [{"id": "e1", "type": "subscribe",
            "at": "2027-02-01T00:00:00Z", "plan": "pro", "seats": 3}]}"#;
        let err = interpret_events("cus_1", 200, wrong).expect_err("an unknown field");
        assert!(err.to_string().contains("event 0 (`e1`)"), "{err}");
        assert_eq!(
            interpret_events("cus_1", 503, ""),
            Err(AccountError::Unavailable)
        );
    }

    #[test]
    fn the_account_replays_like_the_pasted_sample() {
        let catalogue = Catalogue::builtin("stable-audio").expect("built in");
        let account = interpret_account("cus_1", 200, ACCOUNT).expect("an account");
        let events = interpret_events("cus_1", 200, &stored_events()).expect("events");
        let at = "2027-03-11T12:00:00Z".parse().expect("an instant");
        let opened =
            explain_account(&catalogue, account, events, at, tax_rate(1900)).expect("replays");
        let pasted = crate::model::support::explain_history(
            &catalogue,
            crate::model::support::SAMPLE_HISTORY,
        )
        .expect("the sample replays");
        assert_eq!(opened.report.response, pasted.response);
        assert_eq!(opened.report.request.time_zone, "Europe/Berlin");
        let refund = opened.report.response.state.refund.expect("a refund state");
        assert!(refund.eligible);
        assert_eq!(tax_rate(0), None);
    }

    #[test]
    fn a_history_the_rules_refuse_is_a_history_error() {
        let catalogue = Catalogue::builtin("stable-audio").expect("built in");
        let account = interpret_account("cus_1", 200, ACCOUNT).expect("an account");
        let events = interpret_events(
            "cus_1",
            200,
            r#"{"events": [{"id": "e1", "type": "subscribe", "at": "2027-02-01T00:00:00Z", "plan": "gold"}]}"#,
        )
        .expect("events");
        let at = "2027-03-01T00:00:00Z".parse().expect("an instant");
        let err = explain_account(&catalogue, account, events, at, None).expect_err("gold");
        assert!(matches!(err, AccountError::History(_)), "{err:?}");
        assert!(err.to_string().contains("gold"), "{err}");
    }
}
