//! The widget's network calls, with the browser's `fetch` through `gloo-net`: a catalogue
//! the host points to, and (in the support bundle) the stored accounts of the support
//! console.
//!
//! What an answer means is decided by plain functions ([`CatalogueRequest::interpret`],
//! [`crate::model::account`]); this module only moves bytes.

use ratecard_rules::Catalogue;
#[cfg(any(feature = "plan-change", feature = "support"))]
use wasm_bindgen::JsCast as _;
#[cfg(any(feature = "plan-change", feature = "support"))]
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCredentials, RequestMode};

use crate::model::source::{CatalogueLoadError, CatalogueRequest};

/// Fetches and reads a remote catalogue.
///
/// # Errors
///
/// [`CatalogueLoadError::Network`] when the browser gets no answer (offline, server down,
/// CORS refused), or whatever [`CatalogueRequest::interpret`] makes of the answer.
pub async fn fetch_catalogue(request: CatalogueRequest) -> Result<Catalogue, CatalogueLoadError> {
    let network = |detail: String| CatalogueLoadError::Network {
        url: request.url.clone(),
        detail,
    };
    let (status, body) = get_text(&request.url, None).await.map_err(network)?;
    request.interpret(status, &body)
}

/// Where the zone files are: a URL ending in `/`, such as
/// `https://prices.example/zones/`. `ratecard.js` passes the folder beside itself when it
/// mounts the first widget; every widget on the page shares it.
#[cfg(any(feature = "plan-change", feature = "support"))]
static ZONES_BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Sets the folder of the zone files for the page (see [`ensure_zone`]); the first call
/// wins, since every widget on a page is served by the same `ratecard.js`.
#[cfg(any(feature = "plan-change", feature = "support"))]
pub fn set_zones_base(url: String) {
    let _ = ZONES_BASE.set(url);
}

/// Makes sure the rules have the data of the time zone `name`: the widget's Wasm carries
/// only the zone index, and fetches a zone's record, a file of about 200 bytes in the
/// folder [`set_zones_base`] named (beside `ratecard.js`), the first time a calculation
/// needs it.
/// [`ratecard_rules::install_zone`] checks it against the digest in the index.
///
/// Nothing is fetched for a zone already at hand or for a name the index does not hold:
/// the calculation then reports the unknown zone in the rules' own words.
///
/// # Errors
///
/// Why the file could not be had: no answer, an error status, or bytes that fail the
/// check.
#[cfg(any(feature = "plan-change", feature = "support"))]
pub async fn ensure_zone(name: &str) -> Result<(), String> {
    let Ok(Some(file)) = ratecard_rules::zone_file_needed(name) else {
        return Ok(());
    };
    let base = ZONES_BASE.get().map_or("/zones/", String::as_str);
    let url = format!("{base}{file}");
    // The browser's `fetch` itself, not gloo-net: a tier table for a subscriber needs no
    // other request, and its bundle stays without gloo-net's request builder.
    let failed = |error: wasm_bindgen::JsValue| {
        error.dyn_ref::<js_sys::Error>().map_or_else(
            || format!("{url}: no answer"),
            |e| format!("{url}: {}", e.message()),
        )
    };
    let window = web_sys::window().ok_or_else(|| "no window".to_owned())?;
    let init = web_sys::RequestInit::new();
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    let answer = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(failed)?;
    let response: web_sys::Response = answer.dyn_into().map_err(failed)?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(failed)?)
        .await
        .map_err(failed)?;
    let record = js_sys::Uint8Array::new(&buffer).to_vec();
    ratecard_rules::install_zone(name, &record).map_err(|e| e.to_string())
}

/// `GET url` without cookies, with an `Authorization` header when given; the status and
/// the body as text. An error is the browser's reason for getting no answer.
async fn get_text(url: &str, authorization: Option<&str>) -> Result<(u16, String), String> {
    let mut request = gloo_net::http::Request::get(url)
        .mode(RequestMode::Cors)
        .credentials(RequestCredentials::Omit);
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let response = request.send().await.map_err(describe)?;
    let body = response.text().await.map_err(describe)?;
    Ok((response.status(), body))
}

/// A gloo error as one line of text: a JavaScript error's message (such as "Failed to
/// fetch"), without gloo's wrapping.
fn describe(error: gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(e) => e.message,
        other => other.to_string(),
    }
}

#[cfg(feature = "support")]
pub use accounts::{open_account, search_accounts};

/// The account endpoints of the support console.
#[cfg(feature = "support")]
mod accounts {
    use chrono::{DateTime, FixedOffset};

    use super::{fetch_catalogue, get_text};
    use crate::model::account::{
        self, AccountApi, AccountError, AccountSummary, OpenedAccount, catalogue_source,
    };

    /// `GET url` with the support key; a failure to get any answer is a network error.
    async fn get(api: &AccountApi, url: &str) -> Result<(u16, String), AccountError> {
        get_text(url, api.authorization().as_deref())
            .await
            .map_err(|detail| AccountError::Network { detail })
    }

    /// Searches accounts by id prefix or email (`GET /api/v1/accounts?q=`).
    ///
    /// # Errors
    ///
    /// Any [`AccountError`]: no answer, an error status, or an unreadable body.
    pub async fn search_accounts(
        api: &AccountApi,
        query: &str,
    ) -> Result<Vec<AccountSummary>, AccountError> {
        let (status, body) = get(api, &api.search_url(query)).await?;
        account::interpret_search(status, &body)
    }

    /// Loads an account and its events, resolves its catalogue (built in, or fetched from
    /// the server like the `catalogue` attribute) and replays it at `at`.
    ///
    /// # Errors
    ///
    /// Any [`AccountError`].
    pub async fn open_account(
        api: &AccountApi,
        id: &str,
        at: DateTime<FixedOffset>,
        tax_rate_bp: Option<u32>,
    ) -> Result<OpenedAccount, AccountError> {
        let (status, body) = get(api, &api.account_url(id)).await?;
        let account = account::interpret_account(id, status, &body)?;
        let (status, body) = get(api, &api.events_url(id)).await?;
        let events = account::interpret_events(id, status, &body)?;
        super::ensure_zone(&account.time_zone)
            .await
            .map_err(|detail| AccountError::Network { detail })?;
        let catalogue = match catalogue_source(&account)?.request(&api.base) {
            None => {
                let id = account
                    .catalogue
                    .as_deref()
                    .unwrap_or(ratecard_rules::DEFAULT_CATALOGUE_ID);
                ratecard_rules::Catalogue::builtin(id).map_err(|e| AccountError::Invalid {
                    detail: e.to_string(),
                })?
            }
            Some(request) => fetch_catalogue(request)
                .await
                .map_err(AccountError::Catalogue)?,
        };
        account::explain_account(&catalogue, account, events, at, tax_rate_bp)
    }
}
