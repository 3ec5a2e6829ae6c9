//! JSON in and out: the extractor, where every way a body can fail to be the expected
//! JSON is a problem, and the response every JSON route answers with.

use std::cell::RefCell;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
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
///   range, an impossible date): 400 `invalid-field`, naming the path of the field in
///   `detail` and `field`, also inside an inline catalogue
///   (`catalogue.plans[0].price_minor`);
/// * an amount (a field ending in `_minor`) outside the 64-bit range: 422 `overflow`,
///   as API.md asks of an amount that overflows.
///
/// The syntax is checked over the whole body first, so a malformed body is always
/// `malformed-json` however early a field is wrong.
///
/// As an answer, it is what every JSON route returns: the same bytes and headers as
/// [`axum::Json`], serialised without growing the body from a small buffer.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppJson<T>(pub T);

impl<T, S> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = json_body(req, state).await?;
        decode(&bytes).map(AppJson)
    }
}

/// [`AppJson`] for a request that must be a JSON object, as every calculation's is: a
/// body of any other kind is 400 `invalid-field`, even one the request type could be read
/// from (serde reads a struct from an array of its fields in order, so `[]` would be a
/// whole request whose fields are all optional).
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonObject<T>(pub T);

impl<T, S> FromRequest<S> for JsonObject<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = json_body(req, state).await?;
        decode_object(&bytes).map(JsonObject)
    }
}

/// The body of a JSON request: its media type checked, read whole within the limit.
async fn json_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    if !is_json(req.headers()) {
        return Err(AppError::UnsupportedMediaType(
            "send the body as JSON with the header `Content-Type: application/json`".to_owned(),
        ));
    }
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::BodyTooLarge
        } else {
            AppError::MalformedJson(format!(
                "the request body could not be read: {}",
                rejection.body_text()
            ))
        }
    })
}

/// [`decode`] for a body that must be a JSON object (see [`JsonObject`]).
///
/// # Errors
///
/// Those of [`decode`], and [`AppError::InvalidField`] for well-formed JSON that is not
/// an object.
pub fn decode_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let value = decode(bytes)?;
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        return Ok(value);
    }
    // `decode` checked the syntax, so the body parses as a value.
    Err(not_an_object(
        &serde_json::from_slice(bytes).unwrap_or_default(),
    ))
}

/// The problem of a body that is JSON but not an object.
fn not_an_object(body: &serde_json::Value) -> AppError {
    let kind = match body {
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Object(_) => "an object",
        serde_json::Value::Null => "null",
    };
    AppError::InvalidField {
        field: None,
        detail: format!(
            "the body is {kind}; send a JSON object with the fields this endpoint takes \
             (see /api/openapi.json)"
        ),
    }
}

/// Decodes a JSON body: syntax first, then shape.
///
/// A body that is well-formed and of the right shape is decoded in one pass, without
/// recording the path of each field; any other body is decoded again by the careful
/// path, so its problem is exactly the one that path names.
///
/// # Errors
///
/// [`AppError::MalformedJson`], [`AppError::InvalidField`] (naming the field's path,
/// inside an inline catalogue too), or [`AppError::AmountOverflow`] for an amount
/// (`…_minor`) past the 64-bit range.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    if let Ok(value) = T::deserialize(&mut de)
        && de.end().is_ok()
    {
        return Ok(value);
    }
    decode_carefully(bytes)
}

/// [`decode`] for a body that failed the one-pass decoding: the syntax over the whole
/// body first, then the shape with the path of every field, for the problem.
fn decode_carefully<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
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
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        if !matches!(e.inner().classify(), serde_json::error::Category::Data) {
            // Nesting deeper than serde_json's recursion limit (128) ends up here.
            return AppError::MalformedJson(format!("the body is not valid JSON: {}", e.inner()));
        }
        shape_error(bytes, e.path(), e.inner())
    })
}

/// The problem for JSON of the wrong shape: the field's path in the request, what is
/// wrong with it, and a hint where one helps.
fn shape_error(
    bytes: &[u8],
    path: &serde_path_to_error::Path,
    error: &serde_json::Error,
) -> AppError {
    let mut segments: Vec<Segment> = path.iter().filter_map(Segment::of).collect();
    let mut message = without_position(error);
    // The syntax was checked already, so the body parses as a value.
    let body: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
    // An inline catalogue is decoded in one piece by the rules crate, which loses the
    // path inside it: decode it again on its own to name the inner field.
    if let [Segment::Key(key)] = segments.as_slice()
        && key == "catalogue"
        && let Some(spec @ serde_json::Value::Object(_)) = body.get("catalogue")
        && let Err(inner) =
            serde_path_to_error::deserialize::<_, ratecard_rules::CatalogueSpec>(spec.clone())
    {
        segments.extend(inner.path().iter().filter_map(Segment::of));
        message = without_position(inner.inner());
    }
    let field = render(&segments);
    let value = lookup(&body, &segments);
    if segments
        .last()
        .is_some_and(|s| matches!(s, Segment::Key(k) if k.ends_with("_minor")))
        && let Some(n) = value.filter(|v| is_past_i64(v))
    {
        return AppError::AmountOverflow {
            detail: format!(
                "`{field}`: {} is outside the range of amounts in minor units, {} to {}; \
                 amounts are 64-bit integers",
                n,
                i64::MIN,
                i64::MAX
            ),
            field,
        };
    }
    if let Some(serde_json::Value::String(text)) = value
        && CHRONO_MESSAGES.iter().any(|m| message.contains(m))
    {
        let shown: String = text.chars().take(64).collect();
        message = format!(
            "`{shown}` is not a valid instant or date ({message}); instants are RFC 3339 \
             such as `2027-02-01T00:00:00Z`, and dates are `YYYY-MM-DD`"
        );
    }
    if field.is_empty() && !body.is_object() {
        return not_an_object(&body);
    }
    if field.is_empty() {
        return AppError::InvalidField {
            field: None,
            detail: message,
        };
    }
    AppError::InvalidField {
        detail: format!("`{field}`: {message}"),
        field: Some(field),
    }
}

/// The messages of chrono's parse errors, which say little on their own.
const CHRONO_MESSAGES: [&str; 5] = [
    "input is out of range",
    "input is not enough for unique date and time",
    "input contains invalid characters",
    "premature end of input",
    "trailing input",
];

/// One step of a path into the request.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

impl Segment {
    fn of(s: &serde_path_to_error::Segment) -> Option<Segment> {
        match s {
            serde_path_to_error::Segment::Map { key } => Some(Segment::Key(key.clone())),
            serde_path_to_error::Segment::Seq { index } => Some(Segment::Index(*index)),
            _ => None,
        }
    }
}

/// `a.b[2].c`.
fn render(segments: &[Segment]) -> String {
    let mut out = String::new();
    for s in segments {
        match s {
            Segment::Key(k) if out.is_empty() => out.push_str(k),
            Segment::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// The value at a path, if it is there.
fn lookup<'a>(value: &'a serde_json::Value, segments: &[Segment]) -> Option<&'a serde_json::Value> {
    segments.iter().try_fold(value, |v, s| match s {
        Segment::Key(k) => v.get(k.as_str()),
        Segment::Index(i) => v.get(*i),
    })
}

/// Whether a JSON number is an integer too large for `i64` either way.
fn is_past_i64(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Number(n) => {
            if n.is_i64() {
                false
            } else if n.is_u64() {
                true
            } else {
                // Integers past u64 parse as floats; a smaller float (`1.5`, `1e3`) is a
                // wrong type, not an overflow.
                // 2^63, exactly: the first magnitude past `i64::MAX`.
                const PAST_I64: f64 = 9_223_372_036_854_775_808.0;
                n.as_f64().is_some_and(|f| f.abs() >= PAST_I64)
            }
        }
        _ => false,
    }
}

/// serde_json's message without its ` at line L column C` suffix, which points into a
/// body the client already has and, for an inline catalogue, at the wrong place.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if e.line() == 0 {
        return text;
    }
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&suffix)
        .map_or(text.clone(), str::to_owned)
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
    // `to_str` admits visible ASCII only, so comparing ASCII case-insensitively is
    // comparing the lowercased value.
    let essence = value.split(';').next().unwrap_or("").trim();
    let suffix = essence.len().checked_sub("+json".len());
    essence.eq_ignore_ascii_case("application/json")
        || (essence
            .get(.."application/".len())
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("application/"))
            && suffix
                .and_then(|at| essence.get(at..))
                .is_some_and(|end| end.eq_ignore_ascii_case("+json")))
}

/// A serialised answer starts in this buffer, one per thread, and leaves it as one
/// allocation of its exact length: no chain of reallocations as the answer grows (axum's
/// `Json` starts at 128 bytes), and a small answer stays small.
const SCRATCH_BYTES: usize = 16 * 1024;

/// A buffer that grew past this for a large answer is dropped afterwards, so that one
/// large answer does not pin its memory to a worker thread.
const SCRATCH_KEEP_BYTES: usize = 256 * 1024;

thread_local! {
    static SCRATCH: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(SCRATCH_BYTES));
}

/// Serialises a value as compact JSON, as [`serde_json::to_vec`] does.
///
/// # Errors
///
/// Only for a value that cannot be JSON, such as a map with non-string keys; no type the
/// server answers with is one.
pub fn to_json_bytes<T: Serialize + ?Sized>(value: &T) -> Result<Bytes, serde_json::Error> {
    let write = |buf: &mut Vec<u8>| {
        buf.clear();
        let written = serde_json::to_writer(&mut *buf, value).map(|()| Bytes::copy_from_slice(buf));
        if buf.capacity() > SCRATCH_KEEP_BYTES {
            *buf = Vec::with_capacity(SCRATCH_BYTES);
        }
        written
    };
    // The buffer is busy only if serialising a value serialised another answer, and gone
    // only while the thread exits; a fresh buffer does then.
    SCRATCH
        .try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut buf) => write(&mut buf),
            Err(_) => write(&mut Vec::with_capacity(SCRATCH_BYTES)),
        })
        .unwrap_or_else(|_| write(&mut Vec::with_capacity(SCRATCH_BYTES)))
}

/// The answer of every JSON route: `200 OK`, `Content-Type: application/json` and the
/// value as compact JSON, byte for byte what [`axum::Json`] would send.
impl<T: Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        match to_json_bytes(&self.0) {
            Ok(body) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response(),
            Err(error) => {
                // A bug in a wire type; `axum::Json` would answer a plain 500, which the
                // problem middleware turns into this same problem.
                tracing::error!(%error, "an answer could not be serialised");
                AppError::Internal.into_response()
            }
        }
    }
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
            Err(AppError::InvalidField { detail, .. }) => ("invalid", detail),
            other => ("other", format!("{other:?}")),
        }
    }

    #[test]
    fn syntax_errors_win_over_shape_errors() {
        assert_eq!(kind(decode(b"{}}")).0, "malformed");
        assert_eq!(kind(decode(b"[1,")).0, "malformed");
        assert_eq!(kind(decode(b"")).0, "malformed");
        assert_eq!(kind(decode(b"  \n")).0, "malformed");
        // A body of the right shape followed by more is still malformed.
        let whole = br#"{"count": 1, "inner": {"at": "x"}}"#;
        assert!(decode::<Req>(whole).is_ok());
        assert!(decode::<Req>(&[whole.as_slice(), b"  \n"].concat()).is_ok());
        assert_eq!(
            kind(decode(&[whole.as_slice(), b" {}"].concat())).0,
            "malformed"
        );
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(matches!(
            decode::<serde_json::Value>(deep.as_bytes()),
            Err(AppError::MalformedJson(_))
        ));
    }

    #[test]
    fn a_request_is_an_object_even_when_its_fields_could_come_from_an_array() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Optional {
            #[serde(default)]
            region: Option<String>,
        }
        // serde reads a struct from the array of its fields, in order.
        assert!(decode::<Optional>(b"[]").is_ok());
        assert!(decode::<Optional>(br#"["DE"]"#).is_ok());
        for (body, kind) in [
            (b"[]".as_slice(), "an array"),
            (br#" ["DE"]"#, "an array"),
            (b"null", "null"),
        ] {
            match decode_object::<Optional>(body) {
                Err(AppError::InvalidField {
                    field: None,
                    detail,
                }) => {
                    assert!(
                        detail.starts_with(&format!("the body is {kind};")),
                        "{detail}"
                    );
                }
                other => panic!("{}: {other:?}", String::from_utf8_lossy(body)),
            }
        }
        assert!(decode_object::<Optional>(b" \n{}").is_ok());
        assert!(decode_object::<Optional>(br#"{"region": "DE"}"#).is_ok());
        // Malformed JSON and shape errors stay what `decode` says.
        assert_eq!(kind(decode_object(b"[1,")).0, "malformed");
        let (k, d) = kind(decode_object(br#"{"count": "x"}"#));
        assert_eq!(k, "invalid");
        assert!(d.starts_with("`count`:"), "{d}");
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
    fn amounts_past_i64_are_recognised() {
        let past = |raw: &str| is_past_i64(&serde_json::from_str(raw).expect("number"));
        assert!(!past("9223372036854775807"));
        assert!(!past("-9223372036854775808"));
        assert!(!past("1.5"));
        assert!(!past("\"9223372036854775808\""));
        assert!(past("9223372036854775808"));
        assert!(past("18446744073709551616"));
        assert!(past("-1e25"));
    }

    #[test]
    fn paths_render_like_the_request() {
        let segments = [
            Segment::Key("catalogue".into()),
            Segment::Key("plans".into()),
            Segment::Index(0),
            Segment::Key("price_minor".into()),
        ];
        assert_eq!(render(&segments), "catalogue.plans[0].price_minor");
        assert_eq!(render(&[]), "");
        let body = serde_json::json!({"catalogue": {"plans": [{"price_minor": 5}]}});
        assert_eq!(lookup(&body, &segments), Some(&serde_json::json!(5)));
        assert_eq!(
            lookup(&body, &segments[..1]).map(|v| v.is_object()),
            Some(true)
        );
        assert_eq!(lookup(&body, &[Segment::Index(3)]), None);
    }

    #[test]
    fn answers_are_what_serde_json_writes() {
        let small = serde_json::json!({"a": [1, -2.5, "é\n\u{2212}", null], "b": {"c": true}});
        let expected = serde_json::to_vec(&small).expect("JSON");
        assert_eq!(to_json_bytes(&small).expect("JSON"), expected);
        // A large answer grows the buffer past what is kept; the next one is still right.
        let large = "x".repeat(2 * SCRATCH_KEEP_BYTES);
        assert_eq!(
            to_json_bytes(&large).expect("JSON"),
            serde_json::to_vec(&large).expect("JSON")
        );
        assert_eq!(to_json_bytes(&small).expect("JSON"), expected);
    }

    #[test]
    fn answers_carry_the_json_media_type() {
        let res = AppJson(serde_json::json!({"status": "ok"})).into_response();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers().get(header::CONTENT_TYPE),
            Some(&HeaderValue::from_static("application/json"))
        );
        // A map whose keys are not strings cannot be JSON: a 500 problem, never a panic.
        let unserialisable: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let res = AppJson(unserialisable).into_response();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            res.headers().get(header::CONTENT_TYPE),
            Some(&HeaderValue::from_static(crate::problem::PROBLEM_JSON))
        );
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
