//! What the generated server stubs share (feature `server`): route matching, request readers,
//! rejections and response writers of the restJson1 protocol.
//!
//! Nothing here panics, whatever the request.

use std::collections::BTreeMap;

use super::document::Document;
use super::json::JsonWriter;
use super::protocol::{clip, echo};
use crate::error::{DeserializeError, ValidationErrors};

/// Most characters of a rejection's message (the message lists violations and quotes values,
/// each already cut; this bounds the whole).
pub(crate) const MAX_MESSAGE_CHARS: usize = 8192;

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

/// A segment of an `@http` URI pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Literal text.
    Literal(&'static str),
    /// A `{label}`: exactly one segment.
    Label,
    /// A greedy `{label+}`: one or more segments.
    Greedy,
}

/// The route of an operation: method, path pattern and literal query parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Route {
    pub(crate) method: &'static str,
    pub(crate) segments: &'static [Segment],
    /// `?key=value` and bare `?key` literals of the pattern.
    pub(crate) query: &'static [(&'static str, Option<&'static str>)],
}

impl Route {
    /// The labels' values (percent-decoded), in pattern order, when the request matches.
    pub(crate) fn matches(
        &self,
        method: &http::Method,
        path: &str,
        query: &[(String, String)],
    ) -> Option<Vec<String>> {
        if method.as_str() != self.method {
            return None;
        }
        self.match_path(path).filter(|_| self.match_query(query))
    }

    fn match_query(&self, query: &[(String, String)]) -> bool {
        self.query.iter().all(|(key, value)| {
            query.iter().any(|(k, v)| k == key && value.map_or(true, |value| v == value))
        })
    }

    /// The labels, when the path (without its query) fits the pattern.
    pub(crate) fn match_path(&self, path: &str) -> Option<Vec<String>> {
        let path = path.strip_prefix('/')?;
        let raw: Vec<&str> = if path.is_empty() { Vec::new() } else { path.split('/').collect() };
        // A trailing slash is not a segment of its own.
        let raw: &[&str] = match raw.split_last() {
            Some((last, rest)) if last.is_empty() && !rest.is_empty() => rest,
            _ => &raw,
        };
        let mut labels = Vec::new();
        if match_segments(self.segments, raw, &mut labels) {
            Some(labels)
        } else {
            None
        }
    }
}

fn match_segments(pattern: &[Segment], raw: &[&str], labels: &mut Vec<String>) -> bool {
    let Some((first, rest)) = pattern.split_first() else {
        return raw.is_empty();
    };
    match first {
        Segment::Literal(text) => match raw.split_first() {
            Some((segment, more)) if super::encoding::percent_decode(segment) == *text => {
                match_segments(rest, more, labels)
            }
            _ => false,
        },
        Segment::Label => match raw.split_first() {
            Some((segment, more)) if !segment.is_empty() => {
                labels.push(super::encoding::percent_decode(segment));
                if match_segments(rest, more, labels) {
                    true
                } else {
                    labels.pop();
                    false
                }
            }
            _ => false,
        },
        Segment::Greedy => {
            // As many segments as possible, at least one (not a lone empty one), leaving enough
            // for the rest; the label's text is joined only for the split that matches.
            let index = labels.len();
            for end in (1..=raw.len()).rev() {
                let (taken, more) = raw.split_at(end);
                if taken.len() == 1 && taken.first().is_some_and(|s| s.is_empty()) {
                    continue;
                }
                labels.push(String::new());
                if match_segments(rest, more, labels) {
                    if let Some(label) = labels.get_mut(index) {
                        *label = super::encoding::percent_decode(&taken.join("/"));
                    }
                    return true;
                }
                labels.truncate(index);
            }
            false
        }
    }
}

/// The request's query string as decoded `(key, value)` pairs (a bare `key` has an empty value).
pub(crate) fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (super::encoding::percent_decode(k), super::encoding::percent_decode(v))
        })
        .collect()
}

/// Every value of a query parameter.
pub(crate) fn query_values<'q>(
    query: &'q [(String, String)],
    key: &'q str,
) -> impl Iterator<Item = &'q str> + 'q {
    query.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// The first value of a query parameter, read by `read`; errors name the parameter.
pub(crate) fn query_member<T>(
    query: &[(String, String)],
    key: &str,
    read: impl FnOnce(&str) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    match query_values(query, key).next() {
        None => Ok(None),
        Some(text) => read(text).map(Some).map_err(|e| e.in_member(key)),
    }
}

/// A list bound to a query parameter: every value, in order.
pub(crate) fn query_list<T>(
    query: &[(String, String)],
    key: &str,
    read: impl Fn(&str) -> Result<T, DeserializeError>,
) -> Result<Option<Vec<T>>, DeserializeError> {
    let values: Vec<&str> = query_values(query, key).collect();
    if values.is_empty() {
        return Ok(None);
    }
    values
        .into_iter()
        .map(read)
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
        .map_err(|e| e.in_member(key))
}

/// `@httpQueryParams` of scalars: the first value of each parameter, read by `read`.
pub(crate) fn query_params<T>(
    query: &[(String, String)],
    read: impl Fn(&str) -> Result<T, DeserializeError>,
) -> Result<Option<BTreeMap<String, T>>, DeserializeError> {
    let mut out = BTreeMap::new();
    for (k, v) in query {
        if !out.contains_key(k) {
            out.insert(k.clone(), read(v).map_err(|e| e.in_member(k))?);
        }
    }
    Ok(if out.is_empty() { None } else { Some(out) })
}

/// `@httpQueryParams` of lists: every value of each parameter, read by `read`.
pub(crate) fn query_params_lists<T>(
    query: &[(String, String)],
    read: impl Fn(&str) -> Result<T, DeserializeError>,
) -> Result<Option<BTreeMap<String, Vec<T>>>, DeserializeError> {
    let mut out: BTreeMap<String, Vec<T>> = BTreeMap::new();
    for (k, v) in query {
        out.entry(k.clone()).or_default().push(read(v).map_err(|e| e.in_member(k))?);
    }
    Ok(if out.is_empty() { None } else { Some(out) })
}

/// A header's values joined with `, ` (a repeated header is a list); `None` when absent.
pub(crate) fn header_text(
    headers: &http::HeaderMap,
    name: &str,
) -> Result<Option<String>, DeserializeError> {
    let mut out: Option<String> = None;
    for value in headers.get_all(name) {
        let text = std::str::from_utf8(value.as_bytes())
            .map_err(|_| DeserializeError::new(format!("header `{name}` is not UTF-8")))?;
        match &mut out {
            Some(joined) => {
                joined.push_str(", ");
                joined.push_str(text);
            }
            None => out = Some(text.to_string()),
        }
    }
    Ok(out)
}

/// A header-bound member, read by `read`; errors name the header.
pub(crate) fn header_member<T>(
    headers: &http::HeaderMap,
    name: &str,
    read: impl FnOnce(&str) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    match header_text(headers, name)? {
        None => Ok(None),
        Some(text) => read(&text).map(Some).map_err(|e| e.in_member(name)),
    }
}

/// The JSON body of a request as a document; an empty (or all-whitespace) body reads as `{}`.
pub(crate) fn request_document(body: &[u8]) -> Result<Document, DeserializeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Document::Object(BTreeMap::new()));
    }
    super::json::parse(body)
        .map_err(|e| DeserializeError::new(format!("the request body is not valid JSON: {e}")))
}

/// The JSON body of a request as an object; an empty body is `{}`.
pub(crate) fn body_object(body: &[u8]) -> Result<BTreeMap<String, Document>, RequestRejection> {
    match request_document(body) {
        Ok(Document::Object(map)) => Ok(map),
        Ok(_) => Err(RequestRejection::serialization("the request body must be a JSON object")),
        Err(e) => Err(RequestRejection::from(e)),
    }
}

/// The media type of a `Content-Type` value, lowercased, without parameters.
fn media_type(value: &str) -> String {
    value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Checks the request's `Content-Type` against `expected`, the media type of the operation's
/// body (`None` when it has none; `any` when it takes any, a blob payload without
/// `@mediaType`). A body that is there must be declared; a declared type must be `expected`.
pub(crate) fn check_content_type(
    headers: &http::HeaderMap,
    body: &[u8],
    expected: Option<&str>,
    any: bool,
) -> Result<(), RequestRejection> {
    let actual = headers
        .get(http::header::CONTENT_TYPE)
        .map(|v| std::str::from_utf8(v.as_bytes()).map(media_type).unwrap_or_default());
    let refuse = |what: String| Err(RequestRejection::unsupported_media_type(what));
    match (expected, actual) {
        (_, _) if any => Ok(()),
        (None, Some(actual)) if !body.is_empty() => {
            refuse(format!("the operation takes no body, got `{}`", echo(&actual)))
        }
        (None, _) => Ok(()),
        (Some(expected), None) if !body.is_empty() => {
            refuse(format!("the body must be declared as `{expected}`"))
        }
        (Some(_), None) => Ok(()),
        (Some(expected), Some(actual)) if media_type(expected) == actual => Ok(()),
        (Some(expected), Some(actual)) => {
            refuse(format!("`{}` is not the expected Content-Type `{expected}`", echo(&actual)))
        }
    }
}

/// Checks that the request's `Accept` (if any) accepts `produced`.
pub(crate) fn check_accept(
    headers: &http::HeaderMap,
    produced: &str,
) -> Result<(), RequestRejection> {
    let produced = media_type(produced);
    let (kind, _) = produced.split_once('/').unwrap_or((produced.as_str(), ""));
    let mut any = false;
    for value in headers.get_all(http::header::ACCEPT) {
        any = true;
        let Ok(text) = std::str::from_utf8(value.as_bytes()) else { continue };
        for item in text.split(',') {
            let item = media_type(item);
            if item == produced || item == "*/*" || item == format!("{kind}/*") {
                return Ok(());
            }
        }
    }
    if any {
        Err(RequestRejection::not_acceptable(format!(
            "the response is `{produced}`, which the request does not accept"
        )))
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Rejections
// ---------------------------------------------------------------------------------------------

/// Why a request was refused before it reached the service.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RejectionKind {
    /// No operation has this method and path (404 `UnknownOperationException`).
    UnknownOperation,
    /// The request could not be read: bad JSON, a value of the wrong type or out of range, a
    /// malformed header, label or query value (400 `SerializationException`).
    Serialization,
    /// The `Content-Type` is not the one the operation takes (415 `UnsupportedMediaTypeException`).
    UnsupportedMediaType,
    /// The `Accept` header excludes what the operation answers (406 `NotAcceptableException`).
    NotAcceptable,
    /// The input breaks the model's constraints (400 `ValidationException` listing the
    /// violations: the first 100, and how many there were).
    Validation(ValidationErrors),
}

/// A request refused before it reached the service; it renders itself as the restJson1 response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRejection {
    kind: RejectionKind,
    message: String,
}

impl RequestRejection {
    /// No route for this request.
    pub fn unknown_operation() -> Self {
        RequestRejection {
            kind: RejectionKind::UnknownOperation,
            message: "no operation matches the request".into(),
        }
    }

    fn new(kind: RejectionKind, message: String) -> Self {
        let message = match clip(&message, MAX_MESSAGE_CHARS) {
            std::borrow::Cow::Borrowed(_) => message,
            std::borrow::Cow::Owned(cut) => cut,
        };
        RequestRejection { kind, message }
    }

    pub(crate) fn serialization(message: impl Into<String>) -> Self {
        RequestRejection::new(RejectionKind::Serialization, message.into())
    }

    pub(crate) fn unsupported_media_type(message: impl Into<String>) -> Self {
        RequestRejection::new(RejectionKind::UnsupportedMediaType, message.into())
    }

    pub(crate) fn not_acceptable(message: impl Into<String>) -> Self {
        RequestRejection::new(RejectionKind::NotAcceptable, message.into())
    }

    /// The input breaks the model's constraints.
    pub fn validation(errors: ValidationErrors) -> Self {
        let message = validation_message(&errors);
        RequestRejection::new(RejectionKind::Validation(errors), message)
    }

    /// What kind of rejection this is.
    pub fn kind(&self) -> &RejectionKind {
        &self.kind
    }

    /// A human-readable explanation.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        match self.kind {
            RejectionKind::UnknownOperation => 404,
            RejectionKind::Serialization | RejectionKind::Validation(_) => 400,
            RejectionKind::UnsupportedMediaType => 415,
            RejectionKind::NotAcceptable => 406,
        }
    }

    /// The restJson1 error code (`X-Amzn-ErrorType`).
    pub fn error_type(&self) -> &'static str {
        match self.kind {
            RejectionKind::UnknownOperation => "UnknownOperationException",
            RejectionKind::Serialization => "SerializationException",
            RejectionKind::UnsupportedMediaType => "UnsupportedMediaTypeException",
            RejectionKind::NotAcceptable => "NotAcceptableException",
            RejectionKind::Validation(_) => "ValidationException",
        }
    }

    /// The restJson1 error response: the status, `X-Amzn-ErrorType`, and a JSON body with the
    /// message (and, for a validation error, `fieldList`: each kept violation's path and
    /// message, at most 100).
    pub fn into_response(self) -> http::Response<Vec<u8>> {
        let mut w = JsonWriter::new();
        w.begin_object();
        w.key("message");
        w.string(&self.message);
        if let RejectionKind::Validation(errors) = &self.kind {
            w.key("fieldList");
            w.begin_array();
            for e in errors.errors() {
                w.begin_object();
                w.key("message");
                w.string(&e.framework_message());
                w.key("path");
                w.string(&e.pointer());
                w.end_object();
            }
            w.end_array();
        }
        w.end_object();
        let builder = http::Response::builder()
            .status(self.status())
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(super::protocol::ERROR_TYPE, self.error_type());
        finish(builder, w.finish().into_bytes())
    }
}

impl std::fmt::Display for RequestRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error_type(), self.message)
    }
}

impl std::error::Error for RequestRejection {}

/// A required member (a nested structure's, whose field cannot be absent) is missing.
pub(crate) fn missing_required(member: &str) -> DeserializeError {
    DeserializeError::broken_constraint(
        "is required but not set",
        "Member must not be null".to_string(),
        None,
    )
    .in_member(member)
}

/// A list or map of a request, refused before its elements are read when it has more than
/// `max` (its `@length` maximum) of them: reading and checking a million elements the model
/// limits to ten costs seconds and gigabytes for nothing.
pub(crate) fn at_most(
    doc: &Document,
    min: Option<u64>,
    max: u64,
) -> Result<&Document, DeserializeError> {
    let len = match doc {
        Document::Array(items) => items.len(),
        Document::Object(members) => members.len(),
        _ => return Ok(doc),
    };
    let len = u64::try_from(len).unwrap_or(u64::MAX);
    if len <= max {
        return Ok(doc);
    }
    Err(DeserializeError::broken_constraint(
        format!("length {len} is above the maximum of {max}"),
        super::constraints::length_constraint(min, Some(max)),
        Some(len),
    ))
}

impl From<DeserializeError> for RequestRejection {
    /// A value that cannot be read is a `SerializationException`; a constraint found broken
    /// while reading (a missing required member, a list over its `@length`) a
    /// `ValidationException` at its path.
    fn from(e: DeserializeError) -> Self {
        if let Some((constraint, length)) = e.constraint() {
            let violation = crate::error::ValidationError::new(
                e.path(),
                e.message().to_string(),
                constraint.to_string(),
                length,
            );
            return RequestRejection::validation(ValidationErrors::new(vec![violation], 1));
        }
        let message = e.to_string();
        let message = message.strip_prefix("cannot read the response: ").unwrap_or(&message);
        RequestRejection::serialization(format!("cannot read the request: {message}"))
    }
}

/// `N validation error(s) detected. <each violation>; ...` (Smithy's ValidationException):
/// the violations kept, as many as fit in [`MAX_MESSAGE_CHARS`], then `; and K more`.
fn validation_message(errors: &ValidationErrors) -> String {
    let n = errors.total();
    let mut message = format!("{n} validation error{} detected. ", if n == 1 { "" } else { "s" });
    // Room for the count of the others at the end.
    let budget = MAX_MESSAGE_CHARS - 64;
    let mut listed = 0;
    for e in errors.errors() {
        let text = e.framework_message();
        let separator = if listed == 0 { "" } else { "; " };
        if message.len() + separator.len() + text.len() > budget {
            break;
        }
        message.push_str(separator);
        message.push_str(&text);
        listed += 1;
    }
    let more = n.saturating_sub(listed);
    if more > 0 {
        message.push_str(&format!("{}and {more} more", if listed == 0 { "" } else { "; " }));
    }
    message
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/// Finishes a response; an invalid header (a value a handler put there that HTTP cannot carry)
/// turns it into a 500 `InternalFailure` rather than a panic.
pub(crate) fn finish(builder: http::response::Builder, body: Vec<u8>) -> http::Response<Vec<u8>> {
    let builder = builder.header(http::header::CONTENT_LENGTH, body.len());
    match builder.body(body) {
        Ok(response) => response,
        Err(_) => internal_failure(),
    }
}

/// 500 `InternalFailure`.
pub(crate) fn internal_failure() -> http::Response<Vec<u8>> {
    let body = br#"{"message":"internal failure"}"#.to_vec();
    let length = http::HeaderValue::from(body.len());
    let mut response = http::Response::new(body);
    response.headers_mut().insert(http::header::CONTENT_LENGTH, length);
    *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
    response
        .headers_mut()
        .insert(super::protocol::ERROR_TYPE, http::HeaderValue::from_static("InternalFailure"));
    response
}

/// Sets `Content-Type` unless a member bound to that header already did.
pub(crate) fn default_content_type(
    builder: http::response::Builder,
    value: &str,
) -> http::response::Builder {
    if builder.headers_ref().is_some_and(|h| h.contains_key(http::header::CONTENT_TYPE)) {
        builder
    } else {
        builder.header(http::header::CONTENT_TYPE, value)
    }
}

/// Whether the response already has a header.
pub(crate) fn has_header(builder: &http::response::Builder, name: &str) -> bool {
    builder
        .headers_ref()
        .is_some_and(|headers| headers.contains_key(name.to_ascii_lowercase().as_str()))
}

/// The response of an unmodeled error: its status (500 when none or invalid), its code.
pub(crate) fn unhandled_response(error: &crate::error::Unhandled) -> http::Response<Vec<u8>> {
    let status = error.status().filter(|s| (400..600).contains(s)).unwrap_or(500);
    let code = error.code().unwrap_or("InternalFailure").to_string();
    let mut w = JsonWriter::new();
    w.begin_object();
    if let Some(message) = error.message() {
        w.key("message");
        w.string(message);
    }
    w.end_object();
    let builder = http::Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(super::protocol::ERROR_TYPE, code);
    finish(builder, w.finish().into_bytes())
}

/// A label-bound member: the label at `index`, read by `read`; errors name the member.
pub(crate) fn label_member<T>(
    labels: &[String],
    index: usize,
    member: &str,
    read: impl FnOnce(&str) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    match labels.get(index) {
        None => Ok(None),
        Some(text) => read(text).map(Some).map_err(|e| e.in_member(member)),
    }
}

/// Text of a timestamp for a header; a date outside what the format can express is written as
/// epoch seconds rather than failing the response.
pub(crate) fn timestamp_text(value: &super::DateTime, format: super::Format) -> String {
    value.fmt(format).unwrap_or_else(|_| value.secs().to_string())
}

// ---------------------------------------------------------------------------------------------
// Strict readers: what a server refuses that a client tolerates
// ---------------------------------------------------------------------------------------------

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

/// A float: a JSON number, or exactly `"NaN"`, `"Infinity"`, `"-Infinity"` (no other string).
pub(crate) fn strict_f64(doc: &Document) -> Result<f64, DeserializeError> {
    match doc {
        Document::String(s) if matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") => {
            super::protocol::f64(doc)
        }
        Document::Number(_) => super::protocol::f64(doc),
        other => Err(DeserializeError::new(format!("expected a number, found {}", kind(other)))),
    }
}

/// A float (`f32`): as [`strict_f64`], and within `f32`'s range.
pub(crate) fn strict_f32(doc: &Document) -> Result<f32, DeserializeError> {
    let value = strict_f64(doc)?;
    if value.is_finite() && value.abs() > f64::from(f32::MAX) {
        return Err(DeserializeError::new("number out of range for a float"));
    }
    Ok(value as f32)
}

/// A base64 blob.
pub(crate) fn strict_blob(doc: &Document) -> Result<super::Blob, DeserializeError> {
    match doc {
        // Padded base64 only: a length that is not a multiple of four is not base64.
        Document::String(s) if s.len() % 4 == 0 => super::protocol::parse_blob(s),
        Document::String(_) => {
            Err(DeserializeError::new("invalid base64: its length is not a multiple of 4"))
        }
        other => {
            Err(DeserializeError::new(format!("expected a base64 string, found {}", kind(other))))
        }
    }
}

/// A timestamp in exactly its format: epoch seconds as a JSON number, the others as strings.
pub(crate) fn strict_timestamp(
    doc: &Document,
    format: super::Format,
) -> Result<super::DateTime, DeserializeError> {
    match (format, doc) {
        (super::Format::EpochSeconds, Document::Number(_)) => {
            super::protocol::timestamp(doc, format)
        }
        (super::Format::EpochSeconds, other) => Err(DeserializeError::new(format!(
            "expected epoch seconds as a number, found {}",
            kind(other)
        ))),
        (_, Document::String(s)) => strict_parse_timestamp(s, format),
        (_, other) => Err(DeserializeError::new(format!(
            "expected a timestamp string, found {}",
            kind(other)
        ))),
    }
}

/// A timestamp's text in exactly its format; a `date-time` must be in UTC (`Z`, no offset).
pub(crate) fn strict_parse_timestamp(
    s: &str,
    format: super::Format,
) -> Result<super::DateTime, DeserializeError> {
    if matches!(format, super::Format::DateTime) && !s.ends_with(['Z', 'z']) {
        return Err(DeserializeError::new(format!(
            "`{}` is not a UTC date-time (RFC 3339 with `Z`)",
            echo(s)
        )));
    }
    super::protocol::parse_timestamp(s, format)
}

/// A dense list: a `null` element is an error.
pub(crate) fn strict_list<T>(
    doc: &Document,
    read: impl Fn(&Document) -> Result<T, DeserializeError>,
) -> Result<Vec<T>, DeserializeError> {
    match doc {
        Document::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, d)| {
                if d.is_null() {
                    Err(DeserializeError::new("null in a list that cannot hold nulls")
                        .in_member(&i.to_string()))
                } else {
                    read(d).map_err(|e| e.in_member(&i.to_string()))
                }
            })
            .collect(),
        other => Err(DeserializeError::new(format!("expected an array, found {}", kind(other)))),
    }
}

/// A dense map: a `null` value is an error.
pub(crate) fn strict_map<K: Ord, V>(
    doc: &Document,
    key: impl Fn(&str) -> K,
    read: impl Fn(&Document) -> Result<V, DeserializeError>,
) -> Result<BTreeMap<K, V>, DeserializeError> {
    let mut out = BTreeMap::new();
    for (k, v) in super::protocol::object(doc)? {
        if v.is_null() {
            return Err(DeserializeError::new("null in a map that cannot hold nulls").in_member(k));
        }
        out.insert(key(k), read(v).map_err(|e| e.in_member(k))?);
    }
    Ok(out)
}
