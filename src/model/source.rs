//! Where a catalogue comes from, and what a fetched answer means.
//!
//! The `catalogue` attribute names a built-in catalogue, a URL to a JSON file, or a
//! catalogue id on the server that served `ratecard.js`. TOML is for the server: it reads
//! TOML files from `--catalogues DIR` and serves them by id as JSON, so the widget never
//! ships a TOML parser to every visitor. Classifying the attribute,
//! building the request and reading the answer are plain functions, tested natively; only
//! the `fetch` call itself lives in the browser shell.

use core::fmt;

use ratecard_rules::{Catalogue, RuleError};

use crate::model::json;

/// The longest `catalogue` attribute accepted (a URL or an id).
pub const MAX_CATALOGUE_ATTRIBUTE_LEN: usize = 2048;

/// The largest catalogue body accepted, in bytes.
pub const MAX_CATALOGUE_BYTES: usize = 256 * 1024;

/// The text format of a catalogue file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogueFormat {
    /// JSON, read by `read_json`.
    Json,
}

/// What `catalogue` accepts, for a value that is none of it.
const EXPECTED: &str = "a built-in catalogue id, an id on the server (letters, digits, `-`, `_`, `.`), \
     or an http(s) or relative URL ending in `.json`";

/// Why a `.toml` URL is refused, with what to do instead.
pub const TOML_IN_BROWSER: &str = "a JSON catalogue: the widget reads `.json` files, and TOML \
     catalogues are served by ratecard-server (`--catalogues DIR`) by id";

/// Where the catalogue comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogueSource {
    /// A catalogue compiled into the widget, by id.
    Builtin(String),
    /// A JSON file at an `http(s)://` or page-relative URL.
    Url {
        /// The URL as given; a relative one is resolved by the browser against the page.
        url: String,
        /// The format its extension names.
        format: CatalogueFormat,
    },
    /// A catalogue id known to the server that served `ratecard.js`.
    Server(String),
}

impl CatalogueSource {
    /// Classifies a `catalogue` attribute value.
    ///
    /// # Errors
    ///
    /// The reason, as the list of accepted forms, when the value is neither a URL ending
    /// in `.json` (with an `http`/`https` scheme or none) nor an id made of letters,
    /// digits, `-`, `_` and `.`; [`TOML_IN_BROWSER`] for a URL ending in `.toml`.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard::model::source::{CatalogueFormat, CatalogueSource};
    /// assert_eq!(
    ///     CatalogueSource::classify("stable-audio"),
    ///     Ok(CatalogueSource::Builtin("stable-audio".into()))
    /// );
    /// assert_eq!(
    ///     CatalogueSource::classify("/plans.json"),
    ///     Ok(CatalogueSource::Url { url: "/plans.json".into(), format: CatalogueFormat::Json })
    /// );
    /// assert!(CatalogueSource::classify("/plans.toml").is_err());
    /// assert_eq!(
    ///     CatalogueSource::classify("acme"),
    ///     Ok(CatalogueSource::Server("acme".into()))
    /// );
    /// assert!(CatalogueSource::classify("javascript:alert(1)").is_err());
    /// ```
    pub fn classify(value: &str) -> Result<CatalogueSource, &'static str> {
        if value.len() > MAX_CATALOGUE_ATTRIBUTE_LEN || value.chars().any(char::is_control) {
            return Err(EXPECTED);
        }
        if Catalogue::builtin_ids().contains(&value) {
            return Ok(CatalogueSource::Builtin(value.to_owned()));
        }
        // The path, without a query or a fragment, names the format.
        let path = value.split(['?', '#']).next().unwrap_or_default();
        let lower = path.to_ascii_lowercase();
        let format = if lower.ends_with(".json") {
            Some(CatalogueFormat::Json)
        } else if lower.ends_with(".toml") {
            return Err(TOML_IN_BROWSER);
        } else {
            None
        };
        let scheme = value
            .split_once(':')
            .map(|(scheme, _)| scheme)
            .filter(|s| !s.contains(['/', '?', '#']));
        let is_id = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        match (format, scheme) {
            (Some(format), None) if !value.starts_with("//") => Ok(CatalogueSource::Url {
                url: value.to_owned(),
                format,
            }),
            (Some(format), Some(scheme))
                if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
            {
                Ok(CatalogueSource::Url {
                    url: value.to_owned(),
                    format,
                })
            }
            (None, None) if is_id && !value.starts_with('.') => {
                Ok(CatalogueSource::Server(value.to_owned()))
            }
            _ => Err(EXPECTED),
        }
    }

    /// Whether the catalogue is compiled in (and so available without a fetch).
    #[must_use]
    pub fn is_builtin(&self) -> bool {
        matches!(self, CatalogueSource::Builtin(_))
    }

    /// What to fetch for a remote catalogue, with `api_base` the origin that served
    /// `ratecard.js`; `None` for a built-in one.
    #[must_use]
    pub fn request(&self, api_base: &str) -> Option<CatalogueRequest> {
        match self {
            CatalogueSource::Builtin(_) => None,
            CatalogueSource::Url { url, format } => Some(CatalogueRequest {
                url: url.clone(),
                format: *format,
                server_id: None,
            }),
            CatalogueSource::Server(id) => Some(CatalogueRequest {
                url: format!("{}/api/v1/catalogues/{id}", api_base.trim_end_matches('/')),
                format: CatalogueFormat::Json,
                server_id: Some(id.clone()),
            }),
        }
    }
}

/// One catalogue fetch: where, and how to read the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueRequest {
    /// The URL to `GET`; also the source name in validation messages.
    pub url: String,
    /// How to parse a successful body.
    pub format: CatalogueFormat,
    /// The id asked of the server's API, when it is one.
    pub server_id: Option<String>,
}

/// Why a remote catalogue cannot be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogueLoadError {
    /// The request never got an answer: offline, server down, DNS, or CORS refused.
    Network {
        /// The URL asked.
        url: String,
        /// What the browser said.
        detail: String,
    },
    /// The server answered with an error status.
    Status {
        /// The URL asked.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// The server does not know the id; `detail` is its problem's explanation.
    UnknownId {
        /// The id asked for.
        id: String,
        /// The server's `detail`.
        detail: String,
    },
    /// The body is not a catalogue: the rules crate's message naming field and problem.
    Invalid(String),
    /// The body is larger than [`MAX_CATALOGUE_BYTES`].
    TooLarge {
        /// The URL asked.
        url: String,
    },
}

impl fmt::Display for CatalogueLoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogueLoadError::Network { url, detail } => write!(
                f,
                "the catalogue at {url} could not be fetched (the server is unreachable, or does not allow this page's origin): {detail}"
            ),
            CatalogueLoadError::Status { url, status } => write!(
                f,
                "the catalogue at {url} could not be loaded: the server answered HTTP {status} ({})",
                status_reason(*status)
            ),
            CatalogueLoadError::UnknownId { id, detail } => {
                write!(f, "the server has no catalogue `{id}`: {detail}")
            }
            CatalogueLoadError::Invalid(detail) => write!(f, "invalid catalogue: {detail}"),
            CatalogueLoadError::TooLarge { url } => write!(
                f,
                "the catalogue at {url} is larger than {} KiB",
                MAX_CATALOGUE_BYTES / 1024
            ),
        }
    }
}

/// A short name for the common error statuses.
fn status_reason(status: u16) -> &'static str {
    match status {
        400 => "bad request",
        401 => "unauthorised",
        403 => "forbidden",
        404 => "not found",
        408 => "timeout",
        410 => "gone",
        429 => "too many requests",
        500 => "server error",
        502 => "bad gateway",
        503 => "unavailable",
        504 => "gateway timeout",
        _ if status >= 500 => "server error",
        _ => "error",
    }
}

/// Reads a JSON catalogue through [`json::parse`]: in the browser, `JSON.parse` and
/// `serde-wasm-bindgen` instead of a JSON parser in the Wasm.
///
/// # Errors
///
/// [`RuleError::InvalidCatalogue`] naming the field at fault, or `(document)` for text
/// that is not JSON.
fn read_json(url: &str, body: &str) -> Result<Catalogue, RuleError> {
    let doc = json::parse(body).map_err(|problem| RuleError::InvalidCatalogue {
        source: url.to_owned(),
        field: "(document)".to_owned(),
        problem,
    })?;
    Catalogue::from_document(url, &doc)
}

impl CatalogueRequest {
    /// Reads the server's answer: a catalogue, or why not.
    ///
    /// # Errors
    ///
    /// [`CatalogueLoadError::UnknownId`] for the server's 404 problem about an id,
    /// [`CatalogueLoadError::Status`] for any other non-2xx, and
    /// [`CatalogueLoadError::Invalid`] when the body is not a valid catalogue.
    pub fn interpret(&self, status: u16, body: &str) -> Result<Catalogue, CatalogueLoadError> {
        if body.len() > MAX_CATALOGUE_BYTES {
            return Err(CatalogueLoadError::TooLarge {
                url: self.url.clone(),
            });
        }
        if !(200..300).contains(&status) {
            if let (Some(id), 404) = (&self.server_id, status)
                && let Some(detail) = json::string_member(body, "detail")
            {
                return Err(CatalogueLoadError::UnknownId {
                    id: id.clone(),
                    detail,
                });
            }
            return Err(CatalogueLoadError::Status {
                url: self.url.clone(),
                status,
            });
        }
        match self.format {
            CatalogueFormat::Json => read_json(&self.url, body),
        }
        .map_err(|e| CatalogueLoadError::Invalid(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ratecard.js` starts the bundle without the JSON reader for these ids only, so its
    /// list must be exactly the built-in catalogues.
    #[test]
    fn the_loader_knows_every_builtin_catalogue() {
        assert_eq!(
            crate::model::loader_list("BUILTIN_CATALOGUES"),
            Catalogue::builtin_ids()
        );
    }

    fn stable_audio_json() -> String {
        Catalogue::builtin("stable-audio")
            .expect("built in")
            .to_json()
    }

    #[test]
    fn built_in_ids_stay_built_in() {
        for id in Catalogue::builtin_ids() {
            assert_eq!(
                CatalogueSource::classify(id),
                Ok(CatalogueSource::Builtin((*id).to_owned()))
            );
        }
    }

    #[test]
    fn urls_are_classified_by_scheme_and_extension() {
        for (value, format) in [
            ("https://cdn.example/plans.json", CatalogueFormat::Json),
            ("http://127.0.0.1:9/plans.JSON", CatalogueFormat::Json),
            ("/catalogues/acme.json?v=3", CatalogueFormat::Json),
            ("./acme.json#top", CatalogueFormat::Json),
            ("acme.json", CatalogueFormat::Json),
            ("../up/acme.json", CatalogueFormat::Json),
        ] {
            assert_eq!(
                CatalogueSource::classify(value),
                Ok(CatalogueSource::Url {
                    url: value.into(),
                    format
                }),
                "{value}"
            );
        }
    }

    #[test]
    fn other_ids_go_to_the_server() {
        for id in ["hostile", "acme-2027", "acme_v1.2"] {
            assert_eq!(
                CatalogueSource::classify(id),
                Ok(CatalogueSource::Server(id.into()))
            );
        }
    }

    #[test]
    fn absurd_values_are_refused() {
        let long = "a".repeat(MAX_CATALOGUE_ATTRIBUTE_LEN + 1);
        for value in [
            "javascript:alert(1)",
            "javascript:alert(1).json",
            "data:application/json,{}.json",
            "ftp://example.com/plans.json",
            "//evil.example/plans.json",
            "https://example.com/plans.yaml",
            "../../etc/passwd",
            "<img src=x>",
            "a b",
            "tab\there",
            ".hidden",
            long.as_str(),
        ] {
            assert!(
                CatalogueSource::classify(value).is_err(),
                "{value} should be refused"
            );
        }
    }

    #[test]
    fn a_server_id_is_asked_of_the_scripts_origin() {
        let request = CatalogueSource::Server("hostile".into())
            .request("http://127.0.0.1:8787/")
            .expect("a remote catalogue");
        assert_eq!(
            request.url,
            "http://127.0.0.1:8787/api/v1/catalogues/hostile"
        );
        assert_eq!(request.format, CatalogueFormat::Json);
        assert!(
            CatalogueSource::Builtin("stable-audio".into())
                .request("http://x")
                .is_none()
        );
    }

    #[test]
    fn a_json_answer_becomes_a_catalogue() {
        let request = CatalogueSource::classify("https://cdn.example/plans.json")
            .expect("a url")
            .request("")
            .expect("remote");
        let catalogue = request
            .interpret(200, &stable_audio_json())
            .expect("a valid catalogue");
        assert_eq!(
            catalogue.spec(),
            Catalogue::builtin("stable-audio").expect("built in").spec()
        );
    }

    #[test]
    fn a_status_is_named() {
        let request = CatalogueSource::classify("/missing.json")
            .expect("a url")
            .request("")
            .expect("remote");
        let err = request.interpret(404, "Not Found").expect_err("a 404");
        assert_eq!(
            err,
            CatalogueLoadError::Status {
                url: "/missing.json".into(),
                status: 404
            }
        );
        assert!(err.to_string().contains("HTTP 404 (not found)"), "{err}");
        let err = request.interpret(503, "").expect_err("a 503");
        assert!(err.to_string().contains("HTTP 503"), "{err}");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn an_unknown_server_id_reports_the_servers_detail() {
        let request = CatalogueSource::Server("platinum".into())
            .request("http://127.0.0.1:1")
            .expect("remote");
        let problem = r#"{"type":"https://ratecard.dev/problems/unknown-catalogue","title":"Unknown catalogue","status":404,"detail":"unknown catalogue `platinum`; valid catalogues: stable-audio"}"#;
        let err = request.interpret(404, problem).expect_err("unknown");
        assert!(
            err.to_string()
                .contains("the server has no catalogue `platinum`: unknown catalogue `platinum`; valid catalogues: stable-audio"),
            "{err}"
        );
        // A 404 that is not a problem document is only a status.
        assert!(matches!(
            request.interpret(404, "<html>"),
            Err(CatalogueLoadError::Status { status: 404, .. })
        ));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_wrong_content_names_the_field_and_problem() {
        let request = CatalogueSource::classify("https://cdn.example/plans.json")
            .expect("a url")
            .request("")
            .expect("remote");
        let not_json = request.interpret(200, "<!doctype html>").expect_err("html");
        assert!(
            not_json
                .to_string()
                .starts_with("invalid catalogue: https://cdn.example/plans.json:"),
            "{not_json}"
        );
        let wrong_shape = request
            .interpret(200, r#"{"plans": "none"}"#)
            .expect_err("wrong shape");
        assert!(matches!(wrong_shape, CatalogueLoadError::Invalid(_)));
        let wrong_type =
            stable_audio_json().replacen("\"price_minor\": 1199", "\"price_minor\": \"11.99\"", 1);
        let err = request
            .interpret(200, &wrong_type)
            .expect_err("a string price");
        assert!(
            err.to_string().starts_with(
                "invalid catalogue: https://cdn.example/plans.json: `plans[1].price_minor`:"
            ),
            "{err}"
        );
        let negative =
            stable_audio_json().replacen("\"price_minor\": 1199", "\"price_minor\": -1199", 1);
        assert_ne!(negative, stable_audio_json());
        let err = request
            .interpret(200, &negative)
            .expect_err("negative price");
        assert!(err.to_string().contains("price_minor"), "{err}");

        for toml in [
            "plans.toml",
            "https://cdn.example/plans.TOML?v=2",
            "../acme.toml#top",
        ] {
            assert_eq!(
                CatalogueSource::classify(toml),
                Err(TOML_IN_BROWSER),
                "{toml}"
            );
        }
    }

    #[test]
    fn an_oversized_body_is_refused() {
        let request = CatalogueSource::classify("big.json")
            .expect("a url")
            .request("")
            .expect("remote");
        let body = " ".repeat(MAX_CATALOGUE_BYTES + 1);
        assert!(matches!(
            request.interpret(200, &body),
            Err(CatalogueLoadError::TooLarge { .. })
        ));
    }
}
