//! JSON documents as the widget reads them: in the browser through its own `JSON.parse`
//! and `serde-wasm-bindgen`, so the Wasm carries no JSON parser; natively (the model's
//! tests) through serde_json. Both sides answer the same questions, so the models read a
//! catalogue, an account or a history the same way on each, and the rules crate names the
//! field at fault of a catalogue through [`CatalogueDocument`].
//!
//! One difference is inherent: `JSON.parse` reads numbers as doubles, so the browser
//! refuses an integer beyond 2^53 (nine thousand billion cents) that the server reads.

use ratecard_rules::CatalogueDocument;
use serde::de::DeserializeOwned;

/// A parsed JSON document, or a part of one.
#[derive(Clone, Debug)]
pub struct Document(Inner);

#[cfg(target_arch = "wasm32")]
type Inner = wasm_bindgen::JsValue;
#[cfg(not(target_arch = "wasm32"))]
type Inner = serde_json::Value;

/// Parses `text`.
///
/// # Errors
///
/// The parser's message for text that is not JSON, which says where: the line and the
/// column, or the end of the input.
pub fn parse(text: &str) -> Result<Document, String> {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::JSON::parse(text).map(Document).map_err(|e| {
            let message = String::from(js_sys::Error::from(e).message());
            // The browser's message quotes the text near the error but does not always
            // say where it is; a pasted history can be hundreds of lines long.
            match error_position(text) {
                Some((line, column)) if !message.contains("line ") => {
                    format!("{message} (line {line} column {column})")
                }
                _ => message,
            }
        })
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::from_str(text)
            .map(Document)
            .map_err(|e| e.to_string())
    }
}

/// The string member `name` of the object `text`, such as a problem's `detail`; `None`
/// for anything else.
#[must_use]
pub fn string_member(text: &str, name: &str) -> Option<String> {
    parse(text).ok()?.member(name)?.as_string()
}

/// The line and the column (both from 1, the column in characters) of the first byte
/// where `text` stops being JSON, or `None` for text that is JSON. The browser's parser
/// decides what is JSON; this scan only says where its refusal is.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn error_position(text: &str) -> Option<(usize, usize)> {
    let mut scan = Scan {
        bytes: text.as_bytes(),
        at: 0,
    };
    let valid = scan.value(0).is_some() && {
        scan.space();
        scan.at == scan.bytes.len()
    };
    if valid {
        return None;
    }
    let before = &text[..text.floor_char_boundary(scan.at)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

/// A recursive-descent scan of JSON text that stops at the first byte it cannot accept.
struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// Nesting deeper than this is refused, as a parser's stack would.
const MAX_DEPTH: usize = 512;

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    fn word(&mut self, word: &[u8]) -> Option<()> {
        for &byte in word {
            self.eat(byte)?;
        }
        Some(())
    }

    fn digits(&mut self) -> Option<()> {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        (self.at > start).then_some(())
    }

    fn number(&mut self) -> Option<()> {
        let _ = self.eat(b'-');
        if self.eat(b'0').is_none() {
            self.digits()?;
        }
        if self.eat(b'.').is_some() {
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.digits()?;
        }
        Some(())
    }

    fn string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => {
                    self.at += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.at += 1,
                        b'u' => {
                            self.at += 1;
                            for _ in 0..4 {
                                self.peek().filter(u8::is_ascii_hexdigit)?;
                                self.at += 1;
                            }
                        }
                        _ => return None,
                    }
                }
                0..0x20 => return None,
                _ => self.at += 1,
            }
        }
    }

    /// A list of `item`s between `open` and `close`, separated by commas.
    fn list(
        &mut self,
        open: u8,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<()> {
        self.eat(open)?;
        self.space();
        if self.eat(close).is_some() {
            return Some(());
        }
        loop {
            item(self)?;
            self.space();
            if self.eat(close).is_some() {
                return Some(());
            }
            self.eat(b',')?;
            self.space();
        }
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        self.space();
        match self.peek()? {
            b'{' if depth < MAX_DEPTH => self.list(b'{', b'}', |scan| {
                scan.string()?;
                scan.space();
                scan.eat(b':')?;
                scan.value(depth + 1)
            }),
            b'[' if depth < MAX_DEPTH => self.list(b'[', b']', |scan| scan.value(depth + 1)),
            b'"' => self.string(),
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'n' => self.word(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }
}

impl Document {
    /// The string this value is, if it is one.
    #[must_use]
    pub fn as_string(&self) -> Option<String> {
        #[cfg(target_arch = "wasm32")]
        {
            self.0.as_string()
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.0.as_str().map(str::to_owned)
        }
    }

    /// Whether this value is `null`.
    #[must_use]
    pub fn is_null(&self) -> bool {
        self.0.is_null()
    }

    /// This value written as JSON, for a message about it.
    #[must_use]
    pub fn to_json(&self) -> String {
        #[cfg(target_arch = "wasm32")]
        {
            js_sys::JSON::stringify(&self.0)
                .ok()
                .and_then(|text| text.as_string())
                .unwrap_or_else(|| "a value".to_owned())
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.0.to_string()
        }
    }

    /// This object without its member `name` (anything else unchanged).
    #[cfg(target_arch = "wasm32")]
    #[must_use]
    pub fn without(self, name: &str) -> Document {
        if self.is_object() {
            let object: &js_sys::Object = wasm_bindgen::JsCast::unchecked_ref(&self.0);
            // Deleting an own data property of a parsed object cannot fail.
            let _ = js_sys::Reflect::delete_property(object, &name.into());
        }
        self
    }

    /// This object without its member `name` (anything else unchanged).
    #[cfg(not(target_arch = "wasm32"))]
    #[must_use]
    pub fn without(mut self, name: &str) -> Document {
        if let serde_json::Value::Object(fields) = &mut self.0 {
            fields.remove(name);
        }
        self
    }
}

impl CatalogueDocument for Document {
    fn member(&self, name: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        #[cfg(target_arch = "wasm32")]
        {
            let key = wasm_bindgen::JsValue::from_str(name);
            let object: &js_sys::Object = wasm_bindgen::JsCast::unchecked_ref(&self.0);
            // A member inherited from `Object.prototype` is not the document's own.
            if !js_sys::Object::has_own(object, &key) {
                return None;
            }
            js_sys::Reflect::get(&self.0, &key).ok().map(Document)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.0.get(name).cloned().map(Document)
        }
    }

    fn items(&self) -> Option<Vec<Self>> {
        #[cfg(target_arch = "wasm32")]
        {
            js_sys::Array::is_array(&self.0).then(|| {
                let array: &js_sys::Array = wasm_bindgen::JsCast::unchecked_ref(&self.0);
                array.iter().map(Document).collect()
            })
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.0
                .as_array()
                .map(|items| items.iter().cloned().map(Document).collect())
        }
    }

    fn is_object(&self) -> bool {
        #[cfg(target_arch = "wasm32")]
        {
            self.0.is_object() && !js_sys::Array::is_array(&self.0)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.0.is_object()
        }
    }

    fn read<T: DeserializeOwned>(&self) -> Result<T, String> {
        #[cfg(target_arch = "wasm32")]
        {
            // The error is a JavaScript `Error`; its message is the serde message alone.
            serde_wasm_bindgen::from_value(self.0.clone()).map_err(|e| {
                let error = js_sys::Error::from(wasm_bindgen::JsValue::from(e));
                String::from(error.message())
            })
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            T::deserialize(&self.0).map_err(|e| e.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_string_member_is_read_and_anything_else_is_none() {
        let problem = r#"{"type": "about:blank", "detail": "no catalogue `x`", "status": 404}"#;
        assert_eq!(
            string_member(problem, "detail").as_deref(),
            Some("no catalogue `x`")
        );
        assert_eq!(string_member(problem, "status"), None);
        assert_eq!(string_member(problem, "title"), None);
        assert_eq!(string_member("not json", "detail"), None);
        assert_eq!(string_member(r#"["detail"]"#, "detail"), None);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn text_that_is_not_json_is_an_error_that_says_where() {
        let err = parse("{\"plans\": x}").expect_err("not a value");
        assert!(err.contains("line 1"), "{err}");
    }

    #[test]
    fn the_position_of_a_syntax_error_is_its_line_and_column() {
        assert_eq!(
            error_position(r#"{"a": [1, 2.5e-3, true, null, "\u00e9\n"]}"#),
            None
        );
        assert_eq!(error_position(" [] "), None);
        assert_eq!(error_position("{\"at\": x}"), Some((1, 8)));
        assert_eq!(
            error_position("{\n  \"a\": 1,\n  \"b\": 01\n}"),
            Some((3, 9))
        );
        assert_eq!(error_position("[1,]"), Some((1, 4)));
        assert_eq!(error_position("{\"é\": tru}"), Some((1, 10)));
        assert_eq!(error_position("\"open"), Some((1, 6)));
        assert_eq!(error_position("[1] 2"), Some((1, 5)));
        assert_eq!(error_position(""), Some((1, 1)));
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(error_position(&deep), Some((1, MAX_DEPTH + 1)));
    }

    /// `JSON.parse` reads numbers as doubles, so in the browser an integer beyond 2^53
    /// may have lost its last digits: it is refused rather than read rounded. serde_json
    /// reads it exactly, as the server does.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn an_integer_beyond_2_53_is_refused_in_the_browser_rather_than_rounded() {
        let exact = parse("9007199254740991").expect("JSON");
        assert_eq!(exact.read::<i64>(), Ok(9_007_199_254_740_991));
        let beyond = parse("9007199254740993").expect("JSON");
        #[cfg(target_arch = "wasm32")]
        assert!(beyond.read::<i64>().is_err());
        #[cfg(not(target_arch = "wasm32"))]
        assert_eq!(beyond.read::<i64>(), Ok(9_007_199_254_740_993));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn members_items_and_removal() {
        let doc =
            parse(r#"{"id": "e1", "type": "charge", "list": [1, null], "n": 2}"#).expect("JSON");
        assert!(doc.is_object());
        assert_eq!(
            doc.member("id").and_then(|v| v.as_string()).as_deref(),
            Some("e1")
        );
        assert_eq!(doc.member("n").and_then(|v| v.as_string()), None);
        assert_eq!(doc.member("n").map(|v| v.to_json()).as_deref(), Some("2"));
        let items = doc.member("list").and_then(|v| v.items()).expect("a list");
        assert_eq!(items.len(), 2);
        assert!(items[1].is_null() && !items[0].is_null());
        assert!(doc.member("id").expect("id").items().is_none());
        let without = doc.without("id");
        assert!(without.member("id").is_none());
        assert!(without.member("type").is_some());
        assert_eq!(
            without.member("n").and_then(|n| n.read::<u32>().ok()),
            Some(2)
        );
    }
}
