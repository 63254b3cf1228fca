//! Helpers the generated restJson1 serializers and deserializers share.
//!
//! Everything that reads a response returns an error instead of panicking, whatever the bytes.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use super::document::{Document, Number};
use super::json::{JsonWriter, Reader};
use super::{BigDecimal, BigInteger, Blob, DateTime, Format};
use crate::error::{DeserializeError, RequestError};

/// Most characters of a received value that an error message repeats.
pub(crate) const ECHO_CHARS: usize = 100;

/// A received value as an error message quotes it: whole up to [`ECHO_CHARS`] characters, else
/// its first ones followed by `…` (a message must not grow with what the peer sends).
pub(crate) fn echo(text: &str) -> std::borrow::Cow<'_, str> {
    clip(text, ECHO_CHARS)
}

/// `text` cut to its first `max` characters, with `…` when something was cut.
pub(crate) fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", text.get(..end).unwrap_or(""))),
    }
}

/// Base64 of bytes (blobs in JSON bodies, `@mediaType` strings in headers).
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    super::blob::base64::encode(bytes)
}

// ---------------------------------------------------------------------------------------------
// Reading JSON bodies (the client's, with the pull reader) and documents (the server's)
// ---------------------------------------------------------------------------------------------

/// The JSON body as a document; an empty (or all-whitespace) body reads as `{}`.
pub(crate) fn body_document(body: &[u8]) -> Result<Document, DeserializeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Document::Object(BTreeMap::new()));
    }
    super::json::parse(body)
        .map_err(|e| DeserializeError::new(format!("the response body is not valid JSON: {e}")))
}

/// Reads a JSON body with `read` (an empty or all-whitespace body reads as `{}`), checking
/// that nothing follows the value. When reading fails, a syntax error anywhere in the body is
/// the error (as if the body were parsed whole first), else the error of `read`.
pub(crate) fn read_body<'b, T>(
    body: &'b [u8],
    read: impl FnOnce(&mut Reader<'b>) -> Result<T, DeserializeError>,
) -> Result<T, DeserializeError> {
    let bytes = if body.iter().all(u8::is_ascii_whitespace) { &b"{}"[..] } else { body };
    let mut r = Reader::new(bytes);
    match read(&mut r).and_then(|value| r.end().map(|()| value)) {
        Ok(value) => Ok(value),
        Err(e) => match super::json::parse(bytes) {
            Err(syntax) => {
                Err(DeserializeError::new(format!("the response body is not valid JSON: {syntax}")))
            }
            Ok(_) => Err(e),
        },
    }
}

fn kind(doc: &Document) -> &'static str {
    match doc {
        Document::Null => "null",
        Document::Bool(_) => "a boolean",
        Document::Number(_) => "a number",
        Document::String(_) => "a string",
        Document::Array(_) => "an array",
        Document::Object(_) => "an object",
    }
}

fn expected(what: &str, doc: &Document) -> DeserializeError {
    DeserializeError::new(format!("expected {what}, found {}", kind(doc)))
}

/// The members of a JSON object.
pub(crate) fn object(doc: &Document) -> Result<&BTreeMap<String, Document>, DeserializeError> {
    match doc {
        Document::Object(map) => Ok(map),
        other => Err(expected("an object", other)),
    }
}

/// A member of an object: `None` when absent or `null`; errors name the member.
pub(crate) fn member<T>(
    object: &BTreeMap<String, Document>,
    key: &str,
    read: impl FnOnce(&Document) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    match object.get(key) {
        None | Some(Document::Null) => Ok(None),
        Some(value) => read(value).map(Some).map_err(|e| e.in_member(key)),
    }
}

pub(crate) fn string(doc: &Document) -> Result<String, DeserializeError> {
    match doc {
        Document::String(s) => Ok(s.clone()),
        other => Err(expected("a string", other)),
    }
}

pub(crate) fn boolean(doc: &Document) -> Result<bool, DeserializeError> {
    match doc {
        Document::Bool(b) => Ok(*b),
        other => Err(expected("a boolean", other)),
    }
}

fn integer(doc: &Document, min: i64, max: i64, what: &str) -> Result<i64, DeserializeError> {
    match doc {
        Document::Number(n) => integer_of(*n, min, max, what),
        other => Err(expected(what, other)),
    }
}

/// A number as an integer of `min..=max` (`what` names its type in errors): integral floats
/// are accepted.
pub(crate) fn integer_of(
    n: Number,
    min: i64,
    max: i64,
    what: &str,
) -> Result<i64, DeserializeError> {
    let value = match n {
        Number::PosInt(n) => i64::try_from(n).ok(),
        Number::NegInt(n) => Some(n),
        Number::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Some(f as i64),
        Number::Float(_) => {
            return Err(DeserializeError::new(format!("expected {what}, found a number")))
        }
    };
    value
        .filter(|v| (min..=max).contains(v))
        .ok_or_else(|| DeserializeError::new(format!("number out of range for {what}")))
}

pub(crate) fn i8(doc: &Document) -> Result<i8, DeserializeError> {
    integer(doc, i8::MIN.into(), i8::MAX.into(), "a byte").map(|v| v as i8)
}

pub(crate) fn i16(doc: &Document) -> Result<i16, DeserializeError> {
    integer(doc, i16::MIN.into(), i16::MAX.into(), "a short").map(|v| v as i16)
}

pub(crate) fn i32(doc: &Document) -> Result<i32, DeserializeError> {
    integer(doc, i32::MIN.into(), i32::MAX.into(), "an integer").map(|v| v as i32)
}

pub(crate) fn i64(doc: &Document) -> Result<i64, DeserializeError> {
    integer(doc, i64::MIN, i64::MAX, "a long")
}

/// A float: a JSON number, or the strings `NaN`, `Infinity`, `-Infinity`.
pub(crate) fn f64(doc: &Document) -> Result<f64, DeserializeError> {
    match doc {
        Document::Number(n) => Ok(n.as_f64()),
        Document::String(s) => parse_f64(s),
        other => Err(expected("a number", other)),
    }
}

pub(crate) fn f32(doc: &Document) -> Result<f32, DeserializeError> {
    f64(doc).map(|v| v as f32)
}

pub(crate) fn timestamp(doc: &Document, format: Format) -> Result<DateTime, DeserializeError> {
    match doc {
        Document::Number(n) => timestamp_of(*n),
        Document::String(s) => parse_timestamp(s, format),
        other => Err(expected("a timestamp", other)),
    }
}

/// A number of epoch seconds as a timestamp.
pub(crate) fn timestamp_of(n: Number) -> Result<DateTime, DeserializeError> {
    match n {
        Number::PosInt(v) => i64::try_from(v).ok().map(DateTime::from_secs),
        Number::NegInt(v) => Some(DateTime::from_secs(v)),
        Number::Float(v) => DateTime::from_fractional_secs(v),
    }
    .ok_or_else(|| DeserializeError::new("timestamp out of range"))
}

pub(crate) fn blob(doc: &Document) -> Result<Blob, DeserializeError> {
    match doc {
        Document::String(s) => super::blob::base64::decode(s)
            .map(Blob::new)
            .map_err(|e| DeserializeError::new(format!("invalid base64: {e}"))),
        other => Err(expected("a base64 string", other)),
    }
}

pub(crate) fn document(doc: &Document) -> Result<Document, DeserializeError> {
    Ok(doc.clone())
}

fn number_text(doc: &Document) -> Result<String, DeserializeError> {
    match doc {
        Document::Number(n) => Ok(n.to_string()),
        Document::String(s) => Ok(s.clone()),
        other => Err(expected("a number", other)),
    }
}

pub(crate) fn big_integer(doc: &Document) -> Result<BigInteger, DeserializeError> {
    BigInteger::new(&number_text(doc)?).map_err(|e| DeserializeError::new(e.to_string()))
}

pub(crate) fn big_decimal(doc: &Document) -> Result<BigDecimal, DeserializeError> {
    BigDecimal::new(&number_text(doc)?).map_err(|e| DeserializeError::new(e.to_string()))
}

/// A dense list: `null` elements are skipped.
pub(crate) fn list<T>(
    doc: &Document,
    read: impl Fn(&Document) -> Result<T, DeserializeError>,
) -> Result<Vec<T>, DeserializeError> {
    match doc {
        Document::Array(items) => items.iter().filter(|d| !d.is_null()).map(&read).collect(),
        other => Err(expected("an array", other)),
    }
}

/// A `@sparse` list: `null` elements are kept as `None`.
pub(crate) fn sparse_list<T>(
    doc: &Document,
    read: impl Fn(&Document) -> Result<T, DeserializeError>,
) -> Result<Vec<Option<T>>, DeserializeError> {
    match doc {
        Document::Array(items) => {
            items.iter().map(|d| if d.is_null() { Ok(None) } else { read(d).map(Some) }).collect()
        }
        other => Err(expected("an array", other)),
    }
}

/// A dense map: entries whose value is `null` are dropped.
pub(crate) fn map<K: Ord, V>(
    doc: &Document,
    key: impl Fn(&str) -> K,
    read: impl Fn(&Document) -> Result<V, DeserializeError>,
) -> Result<BTreeMap<K, V>, DeserializeError> {
    let mut out = BTreeMap::new();
    for (k, v) in object(doc)? {
        if !v.is_null() {
            out.insert(key(k), read(v).map_err(|e| e.in_member(k))?);
        }
    }
    Ok(out)
}

/// A `@sparse` map: `null` values are kept as `None`.
pub(crate) fn sparse_map<K: Ord, V>(
    doc: &Document,
    key: impl Fn(&str) -> K,
    read: impl Fn(&Document) -> Result<V, DeserializeError>,
) -> Result<BTreeMap<K, Option<V>>, DeserializeError> {
    let mut out = BTreeMap::new();
    for (k, v) in object(doc)? {
        let value = if v.is_null() { None } else { Some(read(v).map_err(|e| e.in_member(k))?) };
        out.insert(key(k), value);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Scalars in headers, labels and query strings
// ---------------------------------------------------------------------------------------------

pub(crate) fn parse_f64(s: &str) -> Result<f64, DeserializeError> {
    match s {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        other => other
            .trim()
            .parse()
            .map_err(|_| DeserializeError::new(format!("`{}` is not a number", echo(other)))),
    }
}

pub(crate) fn parse_f32(s: &str) -> Result<f32, DeserializeError> {
    parse_f64(s).map(|v| v as f32)
}

pub(crate) fn parse_int<T: std::str::FromStr>(s: &str) -> Result<T, DeserializeError> {
    s.trim()
        .parse()
        .map_err(|_| DeserializeError::new(format!("`{}` is not an integer in range", echo(s))))
}

pub(crate) fn parse_bool(s: &str) -> Result<bool, DeserializeError> {
    match s.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(DeserializeError::new(format!("`{}` is not a boolean", echo(other)))),
    }
}

pub(crate) fn parse_timestamp(s: &str, format: Format) -> Result<DateTime, DeserializeError> {
    DateTime::from_str(s.trim(), format).map_err(|e| DeserializeError::new(e.to_string()))
}

pub(crate) fn parse_blob(s: &str) -> Result<Blob, DeserializeError> {
    super::blob::base64::decode(s.trim())
        .map(Blob::new)
        .map_err(|e| DeserializeError::new(format!("invalid base64: {e}")))
}

/// A `@mediaType` string header: base64 of the UTF-8 text.
pub(crate) fn parse_media_type_string(s: &str) -> Result<String, DeserializeError> {
    let bytes = parse_blob(s)?.into_inner();
    String::from_utf8(bytes)
        .map_err(|_| DeserializeError::new("header is not base64 of UTF-8 text"))
}

/// Text of a float for a header, label or query value.
pub(crate) fn f64_text(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        value.to_string()
    }
}

pub(crate) fn f32_text(value: f32) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        f64_text(f64::from(value))
    }
}

/// The decimal text of an integer, on the stack: a label or query value without an allocation.
/// The digits are `std`'s (`Display`); only the buffer is this type's.
pub(crate) struct IntegerText {
    /// Room for the longest `i64`, `-9223372036854775808`.
    bytes: [u8; 20],
    len: usize,
}

impl IntegerText {
    pub(crate) fn new(value: i64) -> Self {
        let mut text = IntegerText { bytes: [0; 20], len: 0 };
        // Every `i64` fits: the error is not reached.
        let _ = fmt::Write::write_fmt(&mut text, format_args!("{value}"));
        text
    }
}

impl fmt::Write for IntegerText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = self.bytes.get_mut(self.len..self.len + s.len()).ok_or(fmt::Error)?;
        room.copy_from_slice(s.as_bytes());
        self.len += s.len();
        Ok(())
    }
}

impl AsRef<str> for IntegerText {
    fn as_ref(&self) -> &str {
        // Only whole `str`s are written in: always UTF-8.
        std::str::from_utf8(self.bytes.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

/// Text of a timestamp; years outside 0001..=9999 cannot be written as dates.
pub(crate) fn timestamp_text(value: &DateTime, format: Format) -> Result<String, RequestError> {
    value.fmt(format).map_err(|e| RequestError::invalid_value(e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Writing JSON
// ---------------------------------------------------------------------------------------------

pub(crate) fn write_timestamp(w: &mut JsonWriter, value: &DateTime, format: Format) {
    match format {
        Format::EpochSeconds => {
            if value.subsec_nanos() == 0 {
                w.i64(value.secs());
            } else {
                w.f64(value.as_secs_f64());
            }
        }
        other => match value.fmt(other) {
            Ok(text) => w.string(&text),
            // Out of the range a date can express: epoch seconds still say when it is.
            Err(_) => w.i64(value.secs()),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// The query string of a request, written at the end of its URI in the order parameters are
/// added, percent-encoded as they are added (no string of its own).
pub(crate) struct Query<'u> {
    uri: &'u mut String,
    /// Where the query string starts in `uri` (its `?` once there is a parameter).
    start: usize,
}

impl<'u> Query<'u> {
    /// A query string appended to `uri`.
    pub(crate) fn new(uri: &'u mut String) -> Self {
        let start = uri.len();
        Query { uri, start }
    }

    /// Starts a parameter: `?` before the first, `&` before the others, then the key.
    fn key(&mut self, key: &str) {
        self.uri.push(if self.uri.len() == self.start { '?' } else { '&' });
        super::encoding::percent_encode_into(self.uri, key, false);
    }

    /// A literal from the URI pattern (`?operation=create`, or a bare `?flag`).
    pub(crate) fn literal(&mut self, key: &str, value: Option<&str>) {
        self.key(key);
        if let Some(value) = value {
            self.uri.push('=');
            super::encoding::percent_encode_into(self.uri, value, false);
        }
    }

    /// A parameter with its value's text.
    pub(crate) fn push(&mut self, key: &str, value: impl AsRef<str>) {
        self.literal(key, Some(value.as_ref()));
    }
}

/// The start of a request's URI: the endpoint without a trailing `/`, with room for the rest.
pub(crate) fn uri_start(endpoint: &str) -> String {
    let endpoint = endpoint.trim_end_matches('/');
    let mut uri = String::with_capacity(endpoint.len() + 128);
    uri.push_str(endpoint);
    uri
}

/// Appends a URI label's text, percent-encoded: missing or empty labels stop the request
/// before anything is sent.
pub(crate) fn push_label(
    uri: &mut String,
    value: Option<impl AsRef<str>>,
    member: &'static str,
    greedy: bool,
) -> Result<(), RequestError> {
    match value.as_ref().map(AsRef::as_ref) {
        Some(text) if !text.is_empty() => {
            super::encoding::percent_encode_into(uri, text, greedy);
            Ok(())
        }
        _ => Err(RequestError::missing_label(member)),
    }
}

/// The endpoint with `prefix` before its host (`https://example.com` → `https://api.example.com`).
pub(crate) fn with_host_prefix(endpoint: &str, prefix: &str) -> String {
    match endpoint.find("://") {
        Some(i) => format!("{}{}{}", &endpoint[..i + 3], prefix, &endpoint[i + 3..]),
        None => format!("{prefix}{endpoint}"),
    }
}

/// Joins the items of a list-valued header.
pub(crate) fn header_list(items: impl IntoIterator<Item = String>, quote: bool) -> String {
    items
        .into_iter()
        .map(|item| if quote { super::encoding::quote_header_list_item(&item) } else { item })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether the request already has a header (names compare case-insensitively).
pub(crate) fn has_header(builder: &http::request::Builder, name: &str) -> bool {
    builder
        .headers_ref()
        .is_some_and(|headers| headers.contains_key(name.to_ascii_lowercase().as_str()))
}

/// Sets `Content-Type` unless a member bound to that header already did.
pub(crate) fn default_content_type(
    builder: http::request::Builder,
    value: &str,
) -> http::request::Builder {
    let set = builder.headers_ref().is_some_and(|h| h.contains_key(http::header::CONTENT_TYPE));
    if set {
        builder
    } else if value == "application/json" {
        // The usual one, without copying it.
        let json = http::HeaderValue::from_static("application/json");
        builder.header(http::header::CONTENT_TYPE, json)
    } else {
        builder.header(http::header::CONTENT_TYPE, value)
    }
}

/// Finishes a request, turning an invalid header name or value into an error.
pub(crate) fn finish_request(
    builder: http::request::Builder,
    body: Vec<u8>,
) -> Result<http::Request<Vec<u8>>, RequestError> {
    builder.body(body).map_err(|e| RequestError::invalid_value(e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/// A header's text; `None` when absent, an error when it is not visible ASCII/UTF-8.
pub(crate) fn header<'h>(
    headers: &'h http::HeaderMap,
    name: &str,
) -> Result<Option<&'h str>, DeserializeError> {
    match headers.get(name) {
        None => Ok(None),
        Some(value) => std::str::from_utf8(value.as_bytes())
            .map(Some)
            .map_err(|_| DeserializeError::new(format!("header `{name}` is not UTF-8"))),
    }
}

/// The header naming an error's code.
pub(crate) const ERROR_TYPE: http::HeaderName = http::HeaderName::from_static("x-amzn-errortype");

/// The header of a response's request id (names built once: a lookup by a `&str` parses it).
pub(crate) const REQUEST_ID: http::HeaderName = http::HeaderName::from_static("x-amzn-requestid");

/// A header's text; `None` when absent or not UTF-8.
fn text_header<'h>(headers: &'h http::HeaderMap, name: &http::HeaderName) -> Option<&'h str> {
    headers.get(name).and_then(|value| std::str::from_utf8(value.as_bytes()).ok())
}

/// Up to this many headers, [`error_headers`] looks through them in one pass rather than
/// hashing each name it wants.
const FEW_HEADERS: usize = 16;

/// The texts of an error response's `X-Amzn-ErrorType` and `x-amzn-requestid` headers (each
/// the first value, as [`http::HeaderMap::get`] gives it; `None` when absent or not UTF-8).
/// A response carries few headers, mostly standard ones (whose names differ from these at
/// their first comparison): one pass over them costs less than hashing the two names.
fn error_headers(headers: &http::HeaderMap) -> (Option<&str>, Option<&str>) {
    if headers.len() > FEW_HEADERS {
        return (text_header(headers, &ERROR_TYPE), text_header(headers, &REQUEST_ID));
    }
    let (mut code, mut request_id) = (None, None);
    for (name, value) in headers {
        let slot = if *name == ERROR_TYPE {
            &mut code
        } else if *name == REQUEST_ID {
            &mut request_id
        } else {
            continue;
        };
        if slot.is_none() {
            *slot = Some(std::str::from_utf8(value.as_bytes()).ok());
        }
    }
    (code.flatten(), request_id.flatten())
}

/// A header-bound member.
pub(crate) fn header_member<T>(
    headers: &http::HeaderMap,
    name: &str,
    read: impl FnOnce(&str) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    match header(headers, name)? {
        None => Ok(None),
        Some(text) => read(text).map(Some).map_err(|e| e.in_member(name)),
    }
}

/// A list-valued header: items split on commas outside quotes (`http_dates` for http-date
/// timestamps, which contain a comma themselves).
pub(crate) fn header_list_items(text: &str, http_dates: bool) -> Vec<String> {
    if http_dates {
        super::encoding::split_http_date_list(text)
    } else {
        super::encoding::split_header_list(text)
    }
}

/// Headers whose name starts with `prefix` (case-insensitively), keyed by the rest of the name.
pub(crate) fn prefix_headers(
    headers: &http::HeaderMap,
    prefix: &str,
) -> Result<Option<BTreeMap<String, String>>, DeserializeError> {
    let prefix = prefix.to_ascii_lowercase();
    let mut out = BTreeMap::new();
    for (name, value) in headers {
        if let Some(rest) = name.as_str().strip_prefix(prefix.as_str()) {
            let text = std::str::from_utf8(value.as_bytes())
                .map_err(|_| DeserializeError::new(format!("header `{name}` is not UTF-8")))?;
            out.insert(rest.to_string(), text.to_string());
        }
    }
    Ok(if out.is_empty() { None } else { Some(out) })
}

/// What an error response says about itself: its status, the error code (`X-Amzn-ErrorType`,
/// then the body's `code`, then `__type`, sanitized), the message (`message`, `Message` or
/// `errorMessage`) and the request id (`x-amzn-requestid`).
///
/// The texts of the body are gathered while the modeled error reads its members, in the same
/// pass over the bytes ([`note`](Self::note) before each member's value, then
/// [`finish`](Self::finish)): [`read_error`] reads the body once when the code comes from the
/// header or is the body's first code text, and again only when the whole body names another
/// code, cannot be read, or names no modeled error.
pub(crate) struct ErrorParts<'b> {
    pub(crate) status: u16,
    /// The `X-Amzn-ErrorType` header, when it is text.
    header_code: Option<&'b str>,
    /// The `x-amzn-requestid` header, when it is text.
    request_id: Option<&'b str>,
    /// The body when it is a JSON object (or not known yet not to be), else `{}` (an empty body,
    /// or one that is not JSON, such as an HTML error page, has no members). JSON is UTF-8:
    /// checked once here for every reader of the body.
    body: &'b str,
    texts: ErrorTexts,
    code: Option<Cow<'b, str>>,
    /// Where the message's text starts in the body, and the key it is under (read when asked
    /// for: a modeled error usually has it already, as its message member).
    message_at: Option<(usize, &'static str)>,
    /// The code the first look found, sanitized, and where its text starts in the body (`None`
    /// when it is the header's): the code settled on at the end is usually that one, and is
    /// then neither read nor sanitized again.
    first: Option<(Option<usize>, Cow<'b, str>)>,
}

/// The keys of an error body whose texts say what the error is, numbered as
/// [`ErrorParts::note_and_skip`] takes them (the generator's `ERROR_TEXT_KEYS`, in the same
/// order, follows the members' keys of each modeled error's reader).
pub(crate) const TEXT_KEYS: [&str; 5] = ["code", "__type", "message", "Message", "errorMessage"];

/// Where the text members of an error body that say what the error is start in the body (the
/// offset of the string's opening quote), each `None` when absent or not a string; when a key
/// repeats, its last value counts.
#[derive(Clone, Copy, Default)]
struct ErrorTexts {
    code: Option<usize>,
    type_: Option<usize>,
    message: Option<usize>,
    message_upper: Option<usize>,
    error_message: Option<usize>,
}

/// The error code `raw` sanitized (after `#`, before `:`); `None` when nothing is left.
fn error_code(raw: Cow<'_, str>) -> Option<Cow<'_, str>> {
    let code = match raw {
        Cow::Borrowed(text) => Cow::Borrowed(super::encoding::sanitize_error_code(text)),
        Cow::Owned(text) => Cow::Owned(super::encoding::sanitize_error_code(&text).to_string()),
    };
    Some(code).filter(|c| !c.is_empty())
}

/// Reads an error response: `modeled` reads the modeled error a code names (`None` when the
/// code names none), and `unhandled` wraps an error that is not modeled or whose members cannot
/// be read.
///
/// The code is first taken from the `X-Amzn-ErrorType` header, else from the first `code` or
/// `__type` string in the body (a look at the start of the body, which stops there), and the
/// modeled error it names reads the body, noting the texts as it goes. When that error read
/// the whole body and the code its texts give is the one it was read for, that is the answer: one
/// pass over the body. Otherwise the texts of the whole body are read, and the modeled error
/// of their code (if any) is read again.
pub(crate) fn read_error<'b, E>(
    status: u16,
    headers: &'b http::HeaderMap,
    body: &'b [u8],
    mut modeled: impl FnMut(&str, &mut ErrorParts<'b>) -> Option<Result<E, DeserializeError>>,
    unhandled: impl FnOnce(crate::error::Unhandled) -> E,
) -> E {
    let mut parts = ErrorParts::new(status, headers, body);
    if let Some(guess) = parts.first_code() {
        match modeled(&guess, &mut parts) {
            Some(Ok(error)) if parts.code.as_deref() == Some(guess.as_ref()) => return error,
            _ => {}
        }
    }
    parts.read_texts();
    let code = parts.code.clone();
    match code.and_then(|code| modeled(&code, &mut parts)) {
        Some(Ok(error)) => error,
        _ => unhandled(parts.unhandled()),
    }
}

impl<'b> ErrorParts<'b> {
    fn new(status: u16, headers: &'b http::HeaderMap, body: &'b [u8]) -> Self {
        let (header_code, request_id) = error_headers(headers);
        ErrorParts {
            status,
            header_code,
            request_id,
            body: std::str::from_utf8(body).unwrap_or("{}"),
            texts: ErrorTexts::default(),
            code: None,
            message_at: None,
            first: None,
        }
    }

    /// Reads the whole error response's code, message and request id (for callers that only
    /// report the error).
    pub(crate) fn read(status: u16, headers: &'b http::HeaderMap, body: &'b [u8]) -> Self {
        let mut parts = ErrorParts::new(status, headers, body);
        parts.read_texts();
        parts
    }

    /// The code as a first look tells: the header's, else the first `code` or `__type` string
    /// at the start of the body (the whole body may name another: a later `code` wins over
    /// `__type`, a repeated key's last value counts).
    fn first_code(&mut self) -> Option<Cow<'b, str>> {
        if let Some(code) = self.header_code {
            let code = error_code(Cow::Borrowed(code))?;
            self.first = Some((None, code.clone()));
            return Some(code);
        }
        let mut r = self.reader();
        r.begin_object().ok()?;
        while let Some(key) = r.next_key().ok()? {
            if matches!(key.as_ref(), "code" | "__type") && r.peek_byte().ok()? == b'"' {
                let at = r.offset();
                let code = error_code(r.text().ok()?)?;
                self.first = Some((Some(at), code.clone()));
                return Some(code);
            }
            r.skip_value().ok()?;
        }
        None
    }

    /// Reads the texts of the whole body (a body that is not a JSON object has none, and is
    /// then read as `{}`).
    fn read_texts(&mut self) {
        if self.skim().is_err() {
            self.body = "{}";
            self.texts = ErrorTexts::default();
            self.first = None;
            self.settle();
        }
    }

    /// Reads the body's object, noting its texts and skipping every value.
    fn skim(&mut self) -> Result<(), DeserializeError> {
        let r = &mut self.reader();
        r.begin_object()?;
        while let Some(key) = r.next_key()? {
            self.note(&key, r)?;
            r.skip_value()?;
        }
        self.finish(r)
    }

    /// Notes where the text of `key` starts if it is one that says what the error is (one of
    /// [`TEXT_KEYS`]); `r` is at the key's value (not read yet). A modeled error's reader calls
    /// it before the value of each of its members whose key is one of them, with the key a
    /// constant: the lookup then folds away.
    #[inline]
    pub(crate) fn note(&mut self, key: &str, r: &mut Reader<'b>) -> Result<(), DeserializeError> {
        match TEXT_KEYS.iter().position(|known| *known == key) {
            Some(number) => self.note_text(number, r),
            None => Ok(()),
        }
    }

    /// Notes the value of `TEXT_KEYS[number]` as [`note`](Self::note) does and skips it; for a
    /// larger `number` (a key the modeled error does not know) only skips it. A modeled error's
    /// reader calls it for every value that is not one of its members'.
    pub(crate) fn note_and_skip(
        &mut self,
        number: usize,
        r: &mut Reader<'b>,
    ) -> Result<(), DeserializeError> {
        self.note_text(number, r)?;
        r.skip_value()
    }

    /// Notes where the string value of `TEXT_KEYS[number]` starts (`None` when the value is
    /// not a string); nothing for a larger `number`.
    #[inline]
    fn note_text(&mut self, number: usize, r: &mut Reader<'b>) -> Result<(), DeserializeError> {
        let slot = match number {
            0 => &mut self.texts.code,
            1 => &mut self.texts.type_,
            2 => &mut self.texts.message,
            3 => &mut self.texts.message_upper,
            4 => &mut self.texts.error_message,
            _ => return Ok(()),
        };
        *slot = if r.peek_byte()? == b'"' { Some(r.offset()) } else { None };
        Ok(())
    }

    /// Ends reading the body with `r` (nothing may follow the object) and takes the code and
    /// message from the header and the texts noted.
    pub(crate) fn finish(&mut self, r: &mut Reader<'b>) -> Result<(), DeserializeError> {
        r.end()?;
        self.settle();
        Ok(())
    }

    /// The code and message from the header and the texts noted.
    fn settle(&mut self) {
        let texts = self.texts;
        // The first source present gives the code, even when nothing is left of it sanitized.
        self.code = if self.header_code.is_some() {
            self.code_from(None)
        } else if texts.code.is_some() {
            self.code_from(texts.code)
        } else if texts.type_.is_some() {
            self.code_from(texts.type_)
        } else {
            None
        };
        self.message_at = texts
            .message
            .map(|at| (at, "message"))
            .or(texts.message_upper.map(|at| (at, "Message")))
            .or(texts.error_message.map(|at| (at, "errorMessage")));
    }

    /// The sanitized code of the body's text at `at`, or of the header when `at` is `None`:
    /// the first look's when it looked there.
    fn code_from(&self, at: Option<usize>) -> Option<Cow<'b, str>> {
        if let Some((first_at, code)) = &self.first {
            if *first_at == at {
                return Some(code.clone());
            }
        }
        let raw = match at {
            None => Cow::Borrowed(self.header_code?),
            Some(offset) => self.text_at(offset)?,
        };
        error_code(raw)
    }

    /// The string that starts at `offset` in the body (it was read once already).
    fn text_at(&self, offset: usize) -> Option<Cow<'b, str>> {
        Reader::at(self.body, offset).text().ok()
    }

    /// The error code, sanitized.
    pub(crate) fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The message.
    pub(crate) fn message(&self) -> Option<String> {
        let (at, _) = self.message_at?;
        self.text_at(at).map(Cow::into_owned)
    }

    /// The request id.
    pub(crate) fn request_id(&self) -> Option<String> {
        self.request_id.map(str::to_string)
    }

    /// The error as an unmodeled one.
    pub(crate) fn unhandled(&self) -> crate::error::Unhandled {
        let unhandled =
            crate::error::Unhandled::new(self.code().map(str::to_string), self.message())
                .with_status(self.status);
        match self.request_id() {
            Some(id) => unhandled.with_request_id(id),
            None => unhandled,
        }
    }

    /// The metadata of the modeled error `shape` (its name) read from these parts: the code
    /// is the shape's name, not copied, when it is the code read (as it is once read_error has
    /// settled on it). `member` is the error's message member when the body has it: its key
    /// and the value read; when the message comes from that key, the value is the message's
    /// text, copied rather than read again.
    #[allow(dead_code)] // used only by crates with error structures
    #[inline]
    pub(crate) fn meta(
        &self,
        shape: &'static str,
        member: Option<(&str, Option<&str>)>,
    ) -> crate::error::ResponseMeta {
        let code = self.code().map(|code| match code == shape {
            true => Cow::Borrowed(shape),
            false => Cow::Owned(code.to_string()),
        });
        let message = match (self.message_at, member) {
            (Some((_, from)), Some((key, Some(value)))) if from == key => {
                Some(Cow::Borrowed(value))
            }
            (Some((at, _)), _) => self.text_at(at),
            (None, _) => None,
        };
        let meta =
            crate::error::ErrorMetadata::from_parts(code, message.as_deref(), self.request_id);
        crate::error::ResponseMeta(meta)
    }

    /// A reader over the body, for a modeled error (`{}` when the body is not a JSON object).
    pub(crate) fn reader(&self) -> Reader<'b> {
        Reader::at(self.body, 0)
    }
}
