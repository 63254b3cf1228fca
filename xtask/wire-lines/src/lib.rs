//! The JSON-lines conversion of `cargo xtask wire request|response`: a line of the botocore
//! fixtures (`tests/wire/fixtures/<service>/{requests,responses}.jsonl`, see
//! `tests/wire/README.md`) in, what a generated crate makes of it out, in the fixtures' format.
//!
//! `xtask` (for chime-sdk-meetings) and the fixture harness `tests/wire/harness.rs` (for every
//! service crate it is compiled with) both run these functions, so the tests run exactly the
//! code the tool runs. They reach a generated crate through its by-name API (`dynamic`), which
//! every generated crate has, as a [`Service`]; [`service!`] writes that implementation for a
//! crate.
//!
//! - [`request_line`]: `{"operation", "params"}` (the input in the document form) becomes
//!   `{"method", "path", "query", "headers", "body"}` (plus `body_text` / `body_base64` for a raw
//!   body), or `{"error": kind, "message"}` when the request cannot be built.
//! - [`response_line`]: `{"operation", "status", "headers", "body" | "body_base64"}` becomes
//!   `{"output": {...}}`, `{"error": {"shape", "code", "message", "status", "request_id",
//!   "fields"}}`, or `{"error": {"shape": null, "deserialize": message}}` for a success response
//!   that cannot be read.
//!
//! Every other top-level key of an input line (`expected`, `case`, `botocore_quirks`, ...) is
//! echoed back, and so is `operation`.

use std::fmt;

use base64::Engine as _;
use serde_json::{json, Map, Value};

#[doc(hidden)] // for `service!`
pub use {http, serde_json};

/// The endpoint requests are built for; only the path, query, headers and body are reported.
pub const ENDPOINT: &str = "https://example.com";

/// The keys of a request line that [`request_line`] reads (and does not echo).
const REQUEST_KEYS: &[&str] = &["params"];
/// The keys of a response line that [`response_line`] reads (and does not echo).
const RESPONSE_KEYS: &[&str] = &["status", "headers", "body", "body_base64"];

/// A generated crate's by-name API, as the line conversion uses it. [`service!`] implements it
/// for a crate.
pub trait Service {
    /// The crate's idempotency token provider (`dyn primitives::IdempotencyTokenProvider`).
    type Tokens: ?Sized;
    /// The crate's `dynamic::DynamicError`.
    type Error: fmt::Display;

    /// The crate's `RandomTokens`.
    fn random_tokens() -> Box<Self::Tokens>;

    /// `dynamic::serialize_request` with the parameters as a JSON value.
    fn serialize_request(
        operation: &str,
        params: &Value,
        endpoint: &str,
        tokens: &Self::Tokens,
    ) -> Result<http::Request<Vec<u8>>, Self::Error>;

    /// `dynamic::deserialize_response`, written as JSON values.
    fn deserialize_response(
        operation: &str,
        response: &http::Response<Vec<u8>>,
    ) -> Result<Outcome, Self::Error>;

    /// The kind of an error, for `{"error": kind}`: `unknown-operation`, `params`, `request`,
    /// `deserialize` (a success response that cannot be read), `output` or `other`.
    fn error_kind(error: &Self::Error) -> &'static str;
}

/// What a response was read as.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The operation's output.
    Output(Value),
    /// An error response.
    Error {
        /// The modeled error shape it was read as, if any.
        shape: Option<&'static str>,
        /// The error code.
        code: Option<String>,
        /// The message.
        message: Option<String>,
        /// The HTTP status.
        status: u16,
        /// The request id.
        request_id: Option<String>,
        /// The modeled error's members (`None` for an unmodeled error).
        fields: Option<Value>,
    },
}

/// Implements [`Service`] for a generated crate: `wire_lines::service!(pub struct Chime for
/// chime_sdk_meetings);` declares the unit struct `Chime` whose implementation calls
/// `chime_sdk_meetings::dynamic`. The crate must be built with its `serde` feature.
#[macro_export]
macro_rules! service {
    ($(#[$meta:meta])* $vis:vis struct $name:ident for $svc:ident) => {
        $(#[$meta])*
        $vis struct $name;

        impl $crate::Service for $name {
            type Tokens = dyn $svc::primitives::IdempotencyTokenProvider;
            type Error = $svc::dynamic::DynamicError;

            fn random_tokens() -> Box<Self::Tokens> {
                Box::new($svc::primitives::RandomTokens::new())
            }

            fn serialize_request(
                operation: &str,
                params: &$crate::serde_json::Value,
                endpoint: &str,
                tokens: &Self::Tokens,
            ) -> Result<$crate::http::Request<Vec<u8>>, Self::Error> {
                $svc::dynamic::serialize_request(operation, params, endpoint, tokens)
            }

            fn deserialize_response(
                operation: &str,
                response: &$crate::http::Response<Vec<u8>>,
            ) -> Result<$crate::Outcome, Self::Error> {
                let serializer = || $crate::serde_json::value::Serializer;
                Ok(match $svc::dynamic::deserialize_response(operation, response, serializer)? {
                    $svc::dynamic::Outcome::Output(output) => $crate::Outcome::Output(output),
                    $svc::dynamic::Outcome::Error { report, fields } => $crate::Outcome::Error {
                        shape: report.shape,
                        code: report.code,
                        message: report.message,
                        status: report.status,
                        request_id: report.request_id,
                        fields,
                    },
                })
            }

            fn error_kind(error: &Self::Error) -> &'static str {
                use $svc::dynamic::DynamicError;
                #[allow(unreachable_patterns)] // `DynamicError` may grow
                match error {
                    DynamicError::UnknownOperation(_) => "unknown-operation",
                    DynamicError::Params(_) => "params",
                    DynamicError::Request(_) => "request",
                    DynamicError::Response(_) => "deserialize",
                    DynamicError::Output(_) => "output",
                    _ => "other",
                }
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// Builds the request of one input line with random idempotency tokens.
pub fn request_line<S: Service>(line: &Value) -> Value {
    request_line_with::<S>(line, &*S::random_tokens())
}

/// Builds the request of one input line, filling unset idempotency tokens from `tokens`:
/// `{"method", "path", "query", "headers", "body"}` (plus `body_text` / `body_base64` for a
/// raw body), or `{"error": kind, "message"}` when the request cannot be built. Every key of
/// `line` but `params` is echoed.
pub fn request_line_with<S: Service>(line: &Value, tokens: &S::Tokens) -> Value {
    let result = match line_operation(line) {
        Err(message) => error_value("invalid-line", message),
        Ok(operation) => {
            let empty = Value::Object(Map::new());
            let params = match line.get("params") {
                None | Some(Value::Null) => &empty,
                Some(params) => params,
            };
            match S::serialize_request(operation, params, ENDPOINT, tokens) {
                Ok(request) => describe_request(&request),
                Err(e) => error_value(S::error_kind(&e), e.to_string()),
            }
        }
    };
    with_echo(result, line, REQUEST_KEYS)
}

/// The method, path, sorted decoded query, headers and body of a request.
pub fn describe_request(request: &http::Request<Vec<u8>>) -> Value {
    let uri = request.uri();
    let mut query: Vec<(String, String)> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect();
    query.sort();

    let mut headers = Map::new();
    for name in request.headers().keys() {
        let values: Vec<String> = request
            .headers()
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        headers.insert(name.as_str().to_ascii_lowercase(), Value::String(values.join(", ")));
    }

    let mut out = Map::new();
    out.insert("method".into(), Value::String(request.method().as_str().to_string()));
    out.insert("path".into(), Value::String(uri.path().to_string()));
    out.insert(
        "query".into(),
        Value::Array(query.into_iter().map(|(k, v)| json!([k, v])).collect()),
    );
    let content_type =
        headers.get("content-type").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
    out.insert("headers".into(), Value::Object(headers));
    let body = request.body();
    if body.is_empty() {
        out.insert("body".into(), Value::Null);
    } else {
        let json_type = content_type.is_empty()
            || content_type.starts_with("application/json")
            || content_type.split(';').next().unwrap_or("").trim().ends_with("+json");
        match serde_json::from_slice::<Value>(body) {
            Ok(parsed) if json_type => {
                out.insert("body".into(), parsed);
            }
            _ => {
                // A raw payload (or a body that should be JSON and is not): the fixtures'
                // convention is `body: null` plus the bytes as text or base64.
                out.insert("body".into(), Value::Null);
                match std::str::from_utf8(body) {
                    Ok(text)
                        if content_type.starts_with("text/")
                            || (json_type && !content_type.is_empty()) =>
                    {
                        out.insert("body_text".into(), Value::String(text.to_string()));
                    }
                    _ => {
                        out.insert("body_base64".into(), Value::String(base64_encode(body)));
                    }
                }
            }
        }
    }
    Value::Object(out)
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/// Reads the response of one input line: `{"output": {...}}`, `{"error": {"shape", "code",
/// "message", "status", "request_id", "fields"}}`, or `{"error": {"shape": null,
/// "deserialize": message}}` for a success response that cannot be read. Every key of `line`
/// but the response itself is echoed.
pub fn response_line<S: Service>(line: &Value) -> Value {
    let result = match line_operation(line).and_then(|op| build_response(line).map(|r| (op, r))) {
        Err(message) => error_value("invalid-line", message),
        Ok((operation, response)) => describe_outcome::<S>(operation, &response),
    };
    with_echo(result, line, RESPONSE_KEYS)
}

/// The HTTP response a line describes.
pub fn build_response(line: &Value) -> Result<http::Response<Vec<u8>>, String> {
    let status = match line.get("status") {
        None => 200,
        Some(value) => value
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .ok_or_else(|| format!("`status` must be an HTTP status code, not {value}"))?,
    };
    let body = match (line.get("body_base64"), line.get("body")) {
        (Some(Value::String(b64)), _) => {
            base64_decode(b64).ok_or_else(|| "`body_base64` is not valid base64".to_string())?
        }
        (Some(other), _) if !other.is_null() => return Err("`body_base64` must be a string".into()),
        (_, Some(Value::String(text))) => text.clone().into_bytes(),
        (_, None | Some(Value::Null)) => Vec::new(),
        (_, Some(_)) => return Err("`body` must be a string (the raw body text)".into()),
    };
    let mut builder = http::Response::builder()
        .status(http::StatusCode::from_u16(status).map_err(|e| format!("status {status}: {e}"))?);
    match line.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(headers)) => {
            for (name, value) in headers {
                let values = match value {
                    Value::Array(items) => items.iter().map(header_text).collect::<Vec<_>>(),
                    single => vec![header_text(single)],
                };
                for text in values {
                    let name = http::HeaderName::from_bytes(name.as_bytes())
                        .map_err(|e| format!("header name `{name}`: {e}"))?;
                    let value = http::HeaderValue::from_str(&text)
                        .map_err(|e| format!("header `{name}` value {text:?}: {e}"))?;
                    builder = builder.header(name, value);
                }
            }
        }
        Some(_) => return Err("`headers` must be an object".into()),
    }
    builder.body(body).map_err(|e| e.to_string())
}

/// What the generated crate makes of a response, as a JSON value.
pub fn describe_outcome<S: Service>(operation: &str, response: &http::Response<Vec<u8>>) -> Value {
    match S::deserialize_response(operation, response) {
        Ok(Outcome::Output(output)) => json!({ "output": output }),
        Ok(Outcome::Error { shape, code, message, status, request_id, fields }) => json!({
            "error": {
                "shape": shape,
                "code": code,
                "message": message,
                "status": status,
                "request_id": request_id,
                "fields": fields.unwrap_or_else(|| Value::Object(Map::new())),
            }
        }),
        Err(e) if S::error_kind(&e) == "deserialize" => {
            json!({ "error": { "shape": null, "deserialize": e.to_string() } })
        }
        Err(e) => error_value(S::error_kind(&e), e.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn line_operation(line: &Value) -> Result<&str, String> {
    match line.get("operation") {
        Some(Value::String(op)) => Ok(op),
        Some(other) => Err(format!("`operation` must be a string, not {other}")),
        None => Err("the line has no `operation`".into()),
    }
}

/// `{"error": kind, "message": message}`.
pub fn error_value(kind: &str, message: String) -> Value {
    json!({ "error": kind, "message": message })
}

/// `result` plus `operation` and every key of `line` not in `consumed` (the result's own keys
/// win over echoed ones).
fn with_echo(result: Value, line: &Value, consumed: &[&str]) -> Value {
    let Value::Object(mut out) = result else { return result };
    if let Value::Object(input) = line {
        for (key, value) in input {
            if consumed.contains(&key.as_str()) || out.contains_key(key) {
                continue;
            }
            out.insert(key.clone(), value.clone());
        }
    }
    Value::Object(out)
}

fn header_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `%XX` decoding (not `+` to space, like Python's `unquote`); bad escapes stay as they are,
/// invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Standard padded base64.
pub fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Standard base64 as the fixtures hold it: padding optional, whitespace ignored; `None` when
/// invalid.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    engine.decode(compact).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for len in 0..10 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            assert_eq!(base64_decode(&base64_encode(&bytes)).as_deref(), Some(&bytes[..]));
            let unpadded = base64_encode(&bytes).trim_end_matches('=').to_string();
            assert_eq!(base64_decode(&unpadded).as_deref(), Some(&bytes[..]));
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_decode(" Zm9v\nYmFy\r\n").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(base64_decode("Zm9v!"), None);
    }

    #[test]
    fn percent_decoding_is_unquote() {
        assert_eq!(percent_decode("a%20b+c%2B%F0%9F%8E%89%zz%4"), "a b+c+🎉%zz%4");
        assert_eq!(percent_decode("%FF%41"), "\u{FFFD}A");
    }

    #[test]
    fn responses_from_lines() {
        let line = json!({
            "status": 201,
            "headers": {"x-a": ["1", "2"], "x-b": 3},
            "body_base64": "e30=",
        });
        let response = build_response(&line).unwrap();
        assert_eq!(response.status(), 201);
        let a: Vec<_> = response.headers().get_all("x-a").iter().collect();
        assert_eq!(a, ["1", "2"]);
        assert_eq!(response.headers()["x-b"], "3");
        assert_eq!(response.body(), b"{}");
        assert_eq!(build_response(&json!({"body": "raw"})).unwrap().body(), b"raw");
        for bad in [
            json!({"status": 1000}),
            json!({"body_base64": "!"}),
            json!({"body_base64": 1}),
            json!({"body": 1}),
            json!({"headers": []}),
        ] {
            assert!(build_response(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn requests_are_described_in_the_fixtures_format() {
        let request = http::Request::builder()
            .method("POST")
            .uri("https://example.com/a%20b/c?z=1&a=%2F&flag")
            .header("Content-Type", "application/octet-stream")
            .header("X-Multi", "1")
            .header("X-Multi", "2")
            .body(vec![0xff, 0x00])
            .unwrap();
        assert_eq!(
            describe_request(&request),
            json!({
                "method": "POST",
                "path": "/a%20b/c",
                "query": [["a", "/"], ["flag", ""], ["z", "1"]],
                "headers": {"content-type": "application/octet-stream", "x-multi": "1, 2"},
                "body": null,
                "body_base64": "/wA=",
            })
        );
        let json_request = http::Request::builder()
            .uri("https://example.com/")
            .header("content-type", "application/json")
            .body(br#"{"a":1}"#.to_vec())
            .unwrap();
        assert_eq!(describe_request(&json_request)["body"], json!({"a": 1}));
    }

    #[test]
    fn unread_keys_are_echoed() {
        let out = with_echo(
            json!({"output": 1}),
            &json!({"operation": "X", "case": 7, "output": 2, "params": {}}),
            REQUEST_KEYS,
        );
        assert_eq!(out, json!({"output": 1, "operation": "X", "case": 7}));
        assert_eq!(line_operation(&json!({})), Err("the line has no `operation`".to_string()));
    }
}
