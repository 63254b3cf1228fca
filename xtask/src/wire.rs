//! `cargo xtask wire request|response`: the generated chime-sdk-meetings crate's wire layer,
//! driven by JSON lines, for comparing it with other SDKs (see `tests/wire/README.md`).
//!
//! Both commands read one JSON object per line on stdin and print one JSON object per line.
//! Every top-level key of an input line that the command does not read itself (`expected`,
//! `case`, `token_autofilled`, `botocore_quirks`, ...) is echoed back, and so is `operation`.
//!
//! - `request`: `{"operation", "params"}` (the input in the document form: model member names,
//!   as boto3 takes them) becomes `{"method", "path", "query", "headers", "body"}`, in the
//!   format of `expected` in `tests/wire/fixtures/*/requests.jsonl`, or `{"error": kind,
//!   "message"}` when the request cannot be built.
//! - `response`: `{"operation", "status", "headers", "body" | "body_base64"}` becomes
//!   `{"output": {...}}`, `{"error": {"shape", "code", "message", "status", "request_id",
//!   "fields"}}`, or `{"error": {"shape": null, "deserialize": message}}` for a success
//!   response that cannot be read.
//!
//! The line functions ([`request_line`], [`response_line`]) are public so that the
//! conformance tests run exactly this code in-process.

use std::io::{BufRead, Write};

use chime_sdk_meetings::dynamic::{self, DynamicError, Outcome};
use chime_sdk_meetings::primitives::{FixedTokens, IdempotencyTokenProvider, RandomTokens};
use serde_json::{json, Map, Value};

/// The endpoint requests are built for; only the path, query, headers and body are reported.
pub const ENDPOINT: &str = "https://example.com";

pub use crate::Tokens;

impl Tokens {
    /// A provider of these tokens.
    pub fn provider(self) -> Box<dyn IdempotencyTokenProvider> {
        match self {
            Tokens::Random => Box::new(RandomTokens::new()),
            Tokens::Fixed => Box::new(FixedTokens::counter()),
        }
    }
}

/// The keys of a request line that [`request_line`] reads (and does not echo).
const REQUEST_KEYS: &[&str] = &["params"];
/// The keys of a response line that [`response_line`] reads (and does not echo).
const RESPONSE_KEYS: &[&str] = &["status", "headers", "body", "body_base64"];

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// Builds the request of one input line with random idempotency tokens.
pub fn request_line(line: &Value) -> Value {
    request_line_with(line, &RandomTokens::new())
}

/// Builds the request of one input line, filling unset idempotency tokens from `tokens`.
pub fn request_line_with(line: &Value, tokens: &dyn IdempotencyTokenProvider) -> Value {
    let result = match line_operation(line) {
        Err(message) => error_value("invalid-line", message),
        Ok(operation) => {
            let empty = Value::Object(Map::new());
            let params = match line.get("params") {
                None | Some(Value::Null) => &empty,
                Some(params) => params,
            };
            match dynamic::serialize_request(operation, params, ENDPOINT, tokens) {
                Ok(request) => describe_request(&request),
                Err(e) => error_value(dynamic_error_kind(&e), e.to_string()),
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
    let content_type = headers.get("content-type").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
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
                    Ok(text) if content_type.starts_with("text/") || (json_type && !content_type.is_empty()) => {
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

/// Reads the response of one input line.
pub fn response_line(line: &Value) -> Value {
    let result = match line_operation(line).and_then(|op| build_response(line).map(|r| (op, r))) {
        Err(message) => error_value("invalid-line", message),
        Ok((operation, response)) => describe_outcome(operation, &response),
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
pub fn describe_outcome(operation: &str, response: &http::Response<Vec<u8>>) -> Value {
    match dynamic::deserialize_response(operation, response, || serde_json::value::Serializer) {
        Ok(Outcome::Output(output)) => json!({ "output": output }),
        Ok(Outcome::Error { report, fields }) => json!({
            "error": {
                "shape": report.shape,
                "code": report.code,
                "message": report.message,
                "status": report.status,
                "request_id": report.request_id,
                "fields": fields.unwrap_or_else(|| Value::Object(Map::new())),
            }
        }),
        Err(DynamicError::Response(e)) => json!({ "error": { "shape": null, "deserialize": e.to_string() } }),
        Err(e) => error_value(dynamic_error_kind(&e), e.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// The commands
// ---------------------------------------------------------------------------------------------

/// `cargo xtask wire request`: one output line per non-blank input line.
pub fn run_requests(input: &mut dyn BufRead, stdout: &mut dyn Write, stderr: &mut dyn Write, tokens: Tokens) -> i32 {
    let provider = tokens.provider();
    run_lines(input, stdout, stderr, |line| request_line_with(line, provider.as_ref()))
}

/// `cargo xtask wire response`: one output line per non-blank input line.
pub fn run_responses(input: &mut dyn BufRead, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    run_lines(input, stdout, stderr, response_line)
}

/// Exit code 0 when every line was a JSON object, 1 otherwise (each bad line still gets an
/// `{"error": "invalid-line"}` line, so the output stays aligned with the input).
fn run_lines(
    input: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    mut process: impl FnMut(&Value) -> Value,
) -> i32 {
    let mut status = 0;
    let mut number = 0usize;
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        match input.read_until(b'\n', &mut buffer) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                let _ = writeln!(stderr, "error: reading stdin: {e}");
                return 1;
            }
        }
        number += 1;
        let text = String::from_utf8_lossy(&buffer);
        if text.trim().is_empty() {
            continue;
        }
        let output = match serde_json::from_str::<Value>(&text) {
            Ok(line @ Value::Object(_)) => process(&line),
            Ok(_) => {
                status = 1;
                let _ = writeln!(stderr, "line {number}: not a JSON object");
                error_value("invalid-line", "the line is not a JSON object".into())
            }
            Err(e) => {
                status = 1;
                let _ = writeln!(stderr, "line {number}: {e}");
                error_value("invalid-line", format!("the line is not JSON: {e}"))
            }
        };
        if writeln!(stdout, "{output}").is_err() {
            let _ = writeln!(stderr, "error: cannot write to stdout");
            return 1;
        }
    }
    let _ = stdout.flush();
    status
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

/// The kind of a [`DynamicError`], for `{"error": kind}`.
pub fn dynamic_error_kind(error: &DynamicError) -> &'static str {
    match error {
        DynamicError::UnknownOperation(_) => "unknown-operation",
        DynamicError::Params(_) => "params",
        DynamicError::Request(_) => "request",
        DynamicError::Response(_) => "deserialize",
        DynamicError::Output(_) => "output",
        _ => "other",
    }
}

fn error_value(kind: &str, message: String) -> Value {
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
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard padded base64.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(BASE64[(n >> shift & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64, padding optional, whitespace ignored; `None` when invalid.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .take_while(|&b| b != b'=')
        .map(|b| BASE64.iter().position(|&c| c == b).map(|p| p as u8))
        .collect::<Option<_>>()?;
    if digits.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut n = 0u32;
        for (i, d) in chunk.iter().enumerate() {
            n |= u32::from(*d) << (18 - 6 * i as u32);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i as u32)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for len in 0..10 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            assert_eq!(base64_decode(&base64_encode(&bytes)).as_deref(), Some(&bytes[..]));
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
    }

    #[test]
    fn percent_decoding_is_unquote() {
        assert_eq!(percent_decode("a%20b+c%2B%F0%9F%8E%89%zz%4"), "a b+c+🎉%zz%4");
    }
}
