//! Checks shared by the generated protocol tests (`tests/protocol_*.rs`): what a request or a
//! response must look like according to a `smithy.test` case, compared with what the crate
//! produced. Every check collects all the differences and panics with all of them.
//!
//! Written by hand, copied verbatim by the generator next to the tests it emits.
#![allow(dead_code)] // each test binary uses a different subset

use std::fmt::{Debug, Write as _};

use serde_json::Value;

/// The idempotency token the protocol tests expect clients to fill in.
pub const TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// The expected body of a request or response.
#[derive(Clone, Copy, Debug)]
pub enum Body<'a> {
    /// Compared as JSON values (an empty text means an empty body).
    Json(&'a str),
    /// Compared byte for byte.
    Bytes(&'a [u8]),
}

/// What a `smithy.test#httpRequestTests` case says about the request.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExpectedRequest<'a> {
    pub method: &'a str,
    pub uri: &'a str,
    pub resolved_host: Option<&'a str>,
    /// `key=value` (or `key`) pairs, percent-encoded; each must be present.
    pub query_params: &'a [&'a str],
    pub forbid_query_params: &'a [&'a str],
    pub require_query_params: &'a [&'a str],
    pub headers: &'a [(&'a str, &'a str)],
    pub forbid_headers: &'a [&'a str],
    pub require_headers: &'a [&'a str],
    pub body: Option<Body<'a>>,
}

/// What a response case says about the response (used by the server-side tests).
#[derive(Clone, Copy, Debug, Default)]
pub struct ExpectedResponse<'a> {
    pub code: u16,
    pub headers: &'a [(&'a str, &'a str)],
    pub forbid_headers: &'a [&'a str],
    pub require_headers: &'a [&'a str],
    pub body: Option<Body<'a>>,
}

/// An HTTP response built from a case's `code`, `headers` and `body`.
pub fn response(code: u16, headers: &[(&str, &str)], body: &[u8]) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(code);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.to_vec()).expect("the case's response is valid HTTP")
}

/// An HTTP request built from a case's `method`, `uri`, query, `headers` and `body`.
pub fn request(
    method: &str,
    uri: &str,
    query: &[&str],
    headers: &[(&str, &str)],
    body: &[u8],
) -> http::Request<Vec<u8>> {
    let mut target = uri.to_owned();
    if !query.is_empty() {
        target.push('?');
        target.push_str(&query.join("&"));
    }
    let mut builder = http::Request::builder().method(method).uri(target);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.to_vec()).expect("the case's request is valid HTTP")
}

/// Panics unless `expected == actual`.
#[track_caller]
pub fn assert_same<T: PartialEq + Debug>(expected: &T, actual: &T) {
    if expected != actual {
        panic!("the values differ\nexpected: {expected:#?}\n  actual: {actual:#?}");
    }
}

/// Like [`assert_same`] for values holding a byte stream (a `@streaming` blob, neither
/// `PartialEq` nor `Clone`): equal when their `Debug` texts are the same and their streams
/// (`bytes` gives them, in memory) hold the same bytes.
#[track_caller]
pub fn assert_same_stream<T: Debug>(expected: &T, actual: &T, bytes: fn(&T) -> Option<&[u8]>) {
    if format!("{expected:?}") != format!("{actual:?}") || bytes(expected) != bytes(actual) {
        panic!("the values differ\nexpected: {expected:#?}\n  actual: {actual:#?}");
    }
}

/// Like [`assert_same`] for values holding NaN (which is never `==` to itself): equal when
/// `==` says so, or when their `Debug` texts (which print every float exactly, NaN as `NaN`)
/// are the same.
#[track_caller]
pub fn assert_same_with_nan<T: PartialEq + Debug>(expected: &T, actual: &T) {
    if expected != actual && format!("{expected:?}") != format!("{actual:?}") {
        panic!("the values differ\nexpected: {expected:#?}\n  actual: {actual:#?}");
    }
}

/// The header's value(s), joined by `, ` when repeated; `None` when absent.
fn header_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// `sans_io_request`: the message is a request built without a body length, whose
/// `Content-Length` the HTTP client sets (so a required one is not looked for).
fn check_headers(
    headers: &http::HeaderMap,
    expected: &[(&str, &str)],
    forbid: &[&str],
    require: &[&str],
    sans_io_request: bool,
    problems: &mut Vec<String>,
) {
    for (name, value) in expected {
        match header_value(headers, name) {
            Some(actual) if actual == *value => {}
            Some(actual) => {
                problems.push(format!("header {name}: expected {value:?}, got {actual:?}"))
            }
            None => problems.push(format!("header {name}: expected {value:?}, missing")),
        }
    }
    for name in forbid {
        if let Some(actual) = header_value(headers, name) {
            problems.push(format!("header {name}: forbidden, got {actual:?}"));
        }
    }
    for name in require {
        let exempt = sans_io_request && name.eq_ignore_ascii_case("content-length");
        if !exempt && header_value(headers, name).is_none() {
            problems.push(format!("header {name}: required, missing"));
        }
    }
}

fn check_body(expected: Option<Body<'_>>, actual: &[u8], problems: &mut Vec<String>) {
    match expected {
        None => {}
        Some(Body::Bytes(bytes)) if bytes != actual => problems.push(format!(
            "body: expected {:?}, got {:?}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(actual)
        )),
        Some(Body::Bytes(_)) => {}
        Some(Body::Json(text)) if text.trim().is_empty() && !actual.is_empty() => {
            problems
                .push(format!("body: expected empty, got {:?}", String::from_utf8_lossy(actual)));
        }
        Some(Body::Json(text)) if text.trim().is_empty() => {}
        Some(Body::Json(text)) => {
            let expected: Value = match serde_json::from_str(text) {
                Ok(value) => value,
                Err(e) => {
                    return problems.push(format!("body: the case's JSON does not parse: {e}"))
                }
            };
            match serde_json::from_slice::<Value>(actual) {
                Ok(actual) => json_diff(&expected, &actual, "body", problems),
                Err(e) => problems.push(format!(
                    "body: not JSON ({e}): {:?}, expected {expected}",
                    String::from_utf8_lossy(actual)
                )),
            }
        }
    }
}

/// Every difference between two JSON values, one line each, named by path; numbers compare
/// by value (`1` and `1.0` are the same number).
pub fn json_diff(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => {
            let same = match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => a.as_f64() == b.as_f64(),
            };
            if !same {
                out.push(format!("{path}: expected {a}, got {b}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!(
                    "{path}: expected {} items {expected}, got {} items {actual}",
                    a.len(),
                    b.len()
                ));
                return;
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                json_diff(x, y, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, x) in a {
                match b.get(key) {
                    Some(y) => json_diff(x, y, &format!("{path}.{key}"), out),
                    None => out.push(format!("{path}.{key}: expected {x}, missing")),
                }
            }
            for (key, y) in b {
                if !a.contains_key(key) {
                    out.push(format!("{path}.{key}: not expected, got {y}"));
                }
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!("{path}: expected {expected}, got {actual}")),
    }
}

/// Percent-decodes `text` (invalid escapes are kept as they are, invalid UTF-8 becomes U+FFFD).
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

fn show_request(request: &http::Request<Vec<u8>>) -> String {
    let mut out = format!("    {} {}\n", request.method(), request.uri());
    for (name, value) in request.headers() {
        let _ = writeln!(out, "    {name}: {}", String::from_utf8_lossy(value.as_bytes()));
    }
    let body = String::from_utf8_lossy(request.body());
    let shown: String = body.chars().take(300).collect();
    let more = if shown.len() < body.len() {
        format!(" ... ({} bytes)", body.len())
    } else {
        String::new()
    };
    let _ = writeln!(out, "    body: {shown:?}{more}");
    out
}

fn show_response(response: &http::Response<Vec<u8>>) -> String {
    let mut out = format!("    {}\n", response.status());
    for (name, value) in response.headers() {
        let _ = writeln!(out, "    {name}: {}", String::from_utf8_lossy(value.as_bytes()));
    }
    let _ = writeln!(out, "    body: {:?}", String::from_utf8_lossy(response.body()));
    out
}

/// The differences between `request` and what the case expects (empty when it matches).
pub fn request_problems(
    request: &http::Request<Vec<u8>>,
    expected: &ExpectedRequest<'_>,
) -> Vec<String> {
    let mut problems = Vec::new();
    if request.method().as_str() != expected.method {
        problems.push(format!("method: expected {}, got {}", expected.method, request.method()));
    }
    if request.uri().path() != expected.uri {
        problems.push(format!("uri: expected {}, got {}", expected.uri, request.uri().path()));
    }
    if let Some(resolved) = expected.resolved_host {
        let actual = request.uri().host().unwrap_or_default();
        if actual != resolved {
            problems.push(format!("host: expected {resolved}, got {actual}"));
        }
    }
    let query = request.uri().query().unwrap_or_default();
    let pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    let mut decoded: Vec<String> = pairs.iter().map(|p| percent_decode(p)).collect();
    let keys: Vec<String> =
        pairs.iter().map(|p| percent_decode(p.split('=').next().unwrap_or_default())).collect();
    for wanted in expected.query_params {
        let wanted_decoded = percent_decode(wanted);
        match decoded.iter().position(|p| *p == wanted_decoded) {
            Some(i) => {
                decoded.remove(i);
            }
            None => problems.push(format!("query: expected `{wanted}` in `{query}`")),
        }
    }
    for forbidden in expected.forbid_query_params {
        if keys.iter().any(|k| k == forbidden) {
            problems.push(format!("query: `{forbidden}` is forbidden, got `{query}`"));
        }
    }
    for required in expected.require_query_params {
        if !keys.iter().any(|k| k == required) {
            problems.push(format!("query: `{required}` is required, got `{query}`"));
        }
    }
    check_headers(
        request.headers(),
        expected.headers,
        expected.forbid_headers,
        expected.require_headers,
        true,
        &mut problems,
    );
    check_body(expected.body, request.body(), &mut problems);
    problems
}

/// Panics, listing every difference, unless `request` is what the case expects.
#[track_caller]
pub fn check_request(request: &http::Request<Vec<u8>>, expected: &ExpectedRequest<'_>) {
    let problems = request_problems(request, expected);
    if !problems.is_empty() {
        panic!(
            "the request differs from the case:\n  {}\nrequest sent:\n{}",
            problems.join("\n  "),
            show_request(request)
        );
    }
}

/// The differences between `response` and what the case expects (empty when it matches).
pub fn response_problems(
    response: &http::Response<Vec<u8>>,
    expected: &ExpectedResponse<'_>,
) -> Vec<String> {
    let mut problems = Vec::new();
    if response.status().as_u16() != expected.code {
        problems.push(format!(
            "status: expected {}, got {}",
            expected.code,
            response.status().as_u16()
        ));
    }
    check_headers(
        response.headers(),
        expected.headers,
        expected.forbid_headers,
        expected.require_headers,
        false,
        &mut problems,
    );
    check_body(expected.body, response.body(), &mut problems);
    problems
}

/// Panics, listing every difference, unless `response` is what the case expects.
#[track_caller]
pub fn check_response(response: &http::Response<Vec<u8>>, expected: &ExpectedResponse<'_>) {
    let problems = response_problems(response, expected);
    if !problems.is_empty() {
        panic!(
            "the response differs from the case:\n  {}\nresponse:\n{}",
            problems.join("\n  "),
            show_response(response)
        );
    }
}

/// Panics, listing every difference, unless the rejection `response` is what a malformed-request
/// case expects: its status, headers, body (`contents`) and, when given, a `messageRegex` the
/// body's `message` must match.
#[track_caller]
pub fn check_malformed(
    response: &http::Response<Vec<u8>>,
    expected: &ExpectedResponse<'_>,
    message_regex: Option<&str>,
) {
    let mut problems = response_problems(response, expected);
    if let Some(pattern) = message_regex {
        let message = serde_json::from_slice::<Value>(response.body())
            .ok()
            .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default();
        if !regex_match(pattern, &message) {
            problems.push(format!("message: {message:?} does not match {pattern:?}"));
        }
    }
    if !problems.is_empty() {
        panic!(
            "the rejection differs from the case:\n  {}\nresponse:\n{}",
            problems.join("\n  "),
            show_response(response)
        );
    }
}

/// Whether `text` matches the `messageRegex` `pattern` (anywhere, unless anchored); a pattern
/// that is not a valid regular expression matches nothing.
pub fn regex_match(pattern: &str, text: &str) -> bool {
    regex::Regex::new(pattern).is_ok_and(|regex| regex.is_match(text))
}

/// Runs a future to completion on the current thread (the router's futures need no I/O).
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    struct Noop;
    impl std::task::Wake for Noop {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    let waker = std::task::Waker::from(std::sync::Arc::new(Noop));
    let mut context = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::yield_now();
    }
}
