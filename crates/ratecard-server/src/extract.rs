//! The JSON extractor: every way a body can fail to be the expected JSON is a problem.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::problem::AppError;

/// Like [`axum::Json`], but a body that cannot be read as `T` is answered with a problem:
///
/// * no `Content-Type: application/json` (or `application/*+json`): 400
///   `unsupported-media-type`;
/// * a body over the limit: 413 `body-too-large`;
/// * not JSON at all (syntax, truncation, trailing characters, nesting deeper than 128):
///   400 `malformed-json`;
/// * JSON of the wrong shape (a wrong type, a missing or unknown field, a number out of
///   range, an impossible date): 400 `invalid-field`, naming the path of the field.
///
/// The syntax is checked over the whole body first, so a malformed body is always
/// `malformed-json` however early a field is wrong.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppJson<T>(pub T);

impl<T, S> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(AppError::UnsupportedMediaType(
                "send the body as JSON with the header `Content-Type: application/json`".to_owned(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::BodyTooLarge
            } else {
                AppError::MalformedJson(format!(
                    "the request body could not be read: {}",
                    rejection.body_text()
                ))
            }
        })?;
        decode(&bytes).map(AppJson)
    }
}

/// Decodes a JSON body: syntax first, then shape.
///
/// # Errors
///
/// [`AppError::MalformedJson`] or [`AppError::InvalidField`].
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::MalformedJson(
            "the body is empty; send a JSON object".to_owned(),
        ));
    }
    if let Err(e) = serde_json::from_slice::<IgnoredAny>(bytes) {
        return Err(AppError::MalformedJson(format!(
            "the body is not valid JSON: {e}"
        )));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        if !matches!(e.inner().classify(), serde_json::error::Category::Data) {
            // Nesting deeper than serde_json's recursion limit (128) ends up here.
            AppError::MalformedJson(format!("the body is not valid JSON: {}", e.inner()))
        } else if path == "." || path.is_empty() {
            AppError::InvalidField(e.inner().to_string())
        } else {
            AppError::InvalidField(format!("`{path}`: {}", e.inner()))
        }
    })?;
    Ok(value)
}

/// Whether the request says its body is JSON: `application/json` or
/// `application/something+json`, with any parameters.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Req {
        count: u32,
        inner: Inner,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        at: String,
    }

    fn kind(r: Result<Req, AppError>) -> (&'static str, String) {
        match r {
            Err(AppError::MalformedJson(d)) => ("malformed", d),
            Err(AppError::InvalidField(d)) => ("invalid", d),
            other => ("other", format!("{other:?}")),
        }
    }

    #[test]
    fn syntax_errors_win_over_shape_errors() {
        assert_eq!(kind(decode(b"{}}")).0, "malformed");
        assert_eq!(kind(decode(b"[1,")).0, "malformed");
        assert_eq!(kind(decode(b"")).0, "malformed");
        assert_eq!(kind(decode(b"  \n")).0, "malformed");
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(matches!(
            decode::<serde_json::Value>(deep.as_bytes()),
            Err(AppError::MalformedJson(_))
        ));
    }

    #[test]
    fn shape_errors_name_the_path() {
        let (k, d) = kind(decode(br#"{"count": 1, "inner": {"at": 5}}"#));
        assert_eq!(k, "invalid");
        assert!(d.starts_with("`inner.at`:"), "{d}");
        let (k, d) = kind(decode(br#"{"count": -1, "inner": {"at": "x"}}"#));
        assert_eq!(k, "invalid");
        assert!(d.contains("count"), "{d}");
        let (k, d) = kind(decode(br#"{"count": 1}"#));
        assert_eq!(k, "invalid");
        assert!(d.contains("missing field `inner`"), "{d}");
        let (k, d) = kind(decode(br#"{"count": 1, "inner": {"at": "x"}, "zzz": 1}"#));
        assert_eq!(k, "invalid");
        assert!(d.contains("zzz"), "{d}");
    }

    #[test]
    fn json_media_types() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, v.parse().expect("header"));
            is_json(&h)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(with("application/problem+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!with("application/jsonx"));
        assert!(!is_json(&HeaderMap::new()));
    }
}
