//! The one network call the widget makes: `GET` a catalogue with the browser's `fetch`.
//!
//! What the answer means is decided by [`CatalogueRequest::interpret`], a plain function;
//! this module only moves bytes.

use ratecard_rules::Catalogue;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCredentials, RequestInit, RequestMode, Response};

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
    let (status, body) = get_text(&request.url).await.map_err(network)?;
    request.interpret(status, &body)
}

/// `GET url` without credentials; the status and the body as text.
async fn get_text(url: &str) -> Result<(u16, String), String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(describe)?;
    let response: Response = response.dyn_into().map_err(describe)?;
    let text = response.text().map_err(describe)?;
    let body = JsFuture::from(text).await.map_err(describe)?;
    Ok((response.status(), body.as_string().unwrap_or_default()))
}

/// A JavaScript error as one line of text.
fn describe(error: wasm_bindgen::JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
