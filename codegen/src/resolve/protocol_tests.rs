//! Reads the `smithy.test` traits of operations and error structures into the typed cases of
//! [`crate::ir::protocol_tests`]: only restJson1's cases, each checked against the trait's shape
//! (a case that is not one is an error naming the shape and the case), the rows of parameterized
//! malformed cases interpolated.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::ir::protocol_tests::{
    BodyAssertion, CaseInfo, MalformedBody, MalformedRequestCase, MalformedResponse, MalformedRow,
    OperationTests, RequestCase, ResponseCase, Side, TestRequest,
};
use crate::load::Traits;
use crate::resolve::REST_JSON_1;

const REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
const RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";
const MALFORMED_TESTS: &str = "smithy.test#httpMalformedRequestTests";

/// The cases of the operation `id`.
pub fn operation(id: &str, traits: &Traits) -> Result<OperationTests> {
    Ok(OperationTests {
        requests: cases(id, traits, REQUEST_TESTS, request_case)?,
        responses: cases(id, traits, RESPONSE_TESTS, response_case)?,
        malformed: cases(id, traits, MALFORMED_TESTS, malformed_case)?,
    })
}

/// The response cases of the error structure `id`.
pub fn error(id: &str, traits: &Traits) -> Result<Vec<ResponseCase>> {
    cases(id, traits, RESPONSE_TESTS, response_case)
}

/// The restJson1 cases of the trait `trait_id`, each read by `read`.
fn cases<T>(
    id: &str,
    traits: &Traits,
    trait_id: &str,
    read: fn(&Value) -> serde_json::Result<T>,
) -> Result<Vec<T>> {
    let Some(value) = traits.get_abs(trait_id) else { return Ok(Vec::new()) };
    let list = value
        .as_array()
        .ok_or_else(|| Error::model(id, format!("@{trait_id} must be a list of test cases")))?;
    let mut out = Vec::new();
    for (i, case) in list.iter().enumerate() {
        // Cases of other protocols are not this generator's to run (nor to check).
        if case.get("protocol").and_then(Value::as_str) != Some(REST_JSON_1) {
            continue;
        }
        out.push(read(case).map_err(|e| {
            let name = case.get("id").and_then(Value::as_str).map(|n| format!(" `{n}`"));
            Error::model(id, format!("@{trait_id} case {i}{}: {e}", name.unwrap_or_default()))
        })?);
    }
    Ok(out)
}

/// The fields every case has.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawInfo {
    id: String,
    protocol: String,
    #[serde(default)]
    applies_to: Option<RawSide>,
    #[serde(default)]
    documentation: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
enum RawSide {
    Client,
    Server,
}

impl From<RawInfo> for CaseInfo {
    fn from(raw: RawInfo) -> Self {
        CaseInfo {
            id: raw.id,
            protocol: raw.protocol,
            applies_to: raw.applies_to.map(|s| match s {
                RawSide::Client => Side::Client,
                RawSide::Server => Side::Server,
            }),
            documentation: raw.documentation,
            tags: raw.tags,
        }
    }
}

/// `smithy.test#HttpRequestTestCase`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRequestCase {
    #[serde(flatten)]
    info: RawInfo,
    method: String,
    uri: String,
    #[serde(default)]
    host: Option<String>,
    #[serde(default)]
    resolved_host: Option<String>,
    #[serde(default)]
    query_params: Vec<String>,
    #[serde(default)]
    forbid_query_params: Vec<String>,
    #[serde(default)]
    require_query_params: Vec<String>,
    #[serde(default)]
    headers: Map<String, Value>,
    #[serde(default)]
    forbid_headers: Vec<String>,
    #[serde(default)]
    require_headers: Vec<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    body_media_type: Option<String>,
    #[serde(default)]
    params: Option<Value>,
}

fn request_case(case: &Value) -> serde_json::Result<RequestCase> {
    let raw = RawRequestCase::deserialize(case)?;
    Ok(RequestCase {
        info: raw.info.into(),
        request: TestRequest {
            method: raw.method,
            uri: raw.uri,
            host: raw.host,
            query_params: raw.query_params,
            headers: headers(raw.headers)?,
            body: raw.body,
        },
        resolved_host: raw.resolved_host,
        forbid_query_params: raw.forbid_query_params,
        require_query_params: raw.require_query_params,
        forbid_headers: raw.forbid_headers,
        require_headers: raw.require_headers,
        body_media_type: raw.body_media_type,
        params: params(raw.params),
    })
}

/// `smithy.test#HttpResponseTestCase`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawResponseCase {
    #[serde(flatten)]
    info: RawInfo,
    code: u16,
    #[serde(default)]
    headers: Map<String, Value>,
    #[serde(default)]
    forbid_headers: Vec<String>,
    #[serde(default)]
    require_headers: Vec<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    body_media_type: Option<String>,
    #[serde(default)]
    params: Option<Value>,
}

fn response_case(case: &Value) -> serde_json::Result<ResponseCase> {
    let raw = RawResponseCase::deserialize(case)?;
    Ok(ResponseCase {
        info: raw.info.into(),
        code: raw.code,
        headers: headers(raw.headers)?,
        forbid_headers: raw.forbid_headers,
        require_headers: raw.require_headers,
        body: raw.body,
        body_media_type: raw.body_media_type,
        params: params(raw.params),
    })
}

/// `smithy.test#HttpMalformedRequestTestCase`, once its parameters are interpolated.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMalformedRow {
    request: RawMalformedRequest,
    response: RawMalformedResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMalformedRequest {
    method: String,
    uri: String,
    #[serde(default)]
    host: Option<String>,
    #[serde(default)]
    query_params: Vec<String>,
    #[serde(default)]
    headers: Map<String, Value>,
    #[serde(default)]
    body: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMalformedResponse {
    code: u16,
    #[serde(default)]
    headers: Map<String, Value>,
    #[serde(default)]
    body: Option<RawMalformedBody>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMalformedBody {
    media_type: String,
    assertion: RawAssertion,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum RawAssertion {
    Contents(String),
    MessageRegex(String),
}

fn malformed_case(case: &Value) -> serde_json::Result<MalformedRequestCase> {
    let info = RawInfo::deserialize(case)?;
    let parameterized = case.get("testParameters").is_some();
    let mut rows = Vec::new();
    for row in expand(case)? {
        let raw = RawMalformedRow::deserialize(&row)?;
        rows.push(MalformedRow {
            request: TestRequest {
                method: raw.request.method,
                uri: raw.request.uri,
                host: raw.request.host,
                query_params: raw.request.query_params,
                headers: headers(raw.request.headers)?,
                body: raw.request.body,
            },
            response: MalformedResponse {
                code: raw.response.code,
                headers: headers(raw.response.headers)?,
                body: raw.response.body.map(|b| MalformedBody {
                    media_type: b.media_type,
                    assertion: match b.assertion {
                        RawAssertion::Contents(c) => BodyAssertion::Contents(c),
                        RawAssertion::MessageRegex(r) => BodyAssertion::MessageRegex(r),
                    },
                }),
            },
        });
    }
    Ok(MalformedRequestCase { info: info.into(), parameterized, rows })
}

/// A case's `headers` object, in order; every value a string.
fn headers(map: Map<String, Value>) -> serde_json::Result<Vec<(String, String)>> {
    map.into_iter()
        .map(|(name, value)| match value {
            Value::String(v) => Ok((name, v)),
            other => Err(serde::de::Error::custom(format!(
                "the value of header `{name}` must be a string, not {other}"
            ))),
        })
        .collect()
}

/// `params`, `{}` when absent.
fn params(params: Option<Value>) -> Value {
    params.unwrap_or_else(|| Value::Object(Map::new()))
}

/// The rows of a malformed case: every string of the case (keys included) interpolated with
/// one row of `testParameters`: `$name:S` becomes the value as a JSON string literal, `$name:L`
/// the value as is, and `$$` a literal `$`. A case without `testParameters` is its only row
/// (still interpolated, for its `$$`).
fn expand(case: &Value) -> serde_json::Result<Vec<Value>> {
    let Some(params) = case.get("testParameters") else {
        return Ok(vec![substitute(case, &[])]);
    };
    let params: Map<String, Value> = Map::deserialize(params)?;
    let mut columns = Vec::new();
    for (name, values) in params {
        let values = Vec::<String>::deserialize(&values)?;
        columns.push((name, values));
    }
    let rows = columns.iter().map(|(_, values)| values.len()).max().unwrap_or(0);
    Ok((0..rows)
        .map(|row| {
            let values: Vec<(String, String)> = columns
                .iter()
                .map(|(name, values)| (name.clone(), values.get(row).cloned().unwrap_or_default()))
                .collect();
            substitute(case, &values)
        })
        .collect())
}

fn substitute_str(text: &str, values: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
            continue;
        }
        for (name, value) in values {
            if let Some(tail) = after.strip_prefix(name.as_str()) {
                if let Some(tail) = tail.strip_prefix(":S") {
                    out.push_str(&Value::String(value.clone()).to_string());
                    rest = tail;
                    continue 'scan;
                }
                if let Some(tail) = tail.strip_prefix(":L") {
                    out.push_str(value);
                    rest = tail;
                    continue 'scan;
                }
            }
        }
        out.push('$');
        rest = after;
    }
    out.push_str(rest);
    out
}

fn substitute(value: &Value, values: &[(String, String)]) -> Value {
    match value {
        Value::String(s) => Value::String(substitute_str(s, values)),
        Value::Array(items) => Value::Array(items.iter().map(|v| substitute(v, values)).collect()),
        Value::Object(map) => Value::Object(
            map.iter().map(|(k, v)| (substitute_str(k, values), substitute(v, values))).collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn traits(trait_id: &str, cases: Value) -> Traits {
        Traits([(trait_id.to_string(), cases)].into_iter().collect())
    }

    #[test]
    fn malformed_rows() {
        let case = json!({
            "id": "X",
            "request": { "body": "{\"v\": $v:S}", "uri": "/a/$v:L" },
            "testParameters": { "v": ["1", "x\"y"] }
        });
        let rows = expand(&case).expect("rows");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["request"]["body"], "{\"v\": \"1\"}");
        assert_eq!(rows[1]["request"]["body"], "{\"v\": \"x\\\"y\"}");
        assert_eq!(rows[1]["request"]["uri"], "/a/x\"y");
        assert_eq!(expand(&json!({"id": "Y"})).expect("one row").len(), 1);
        let values = [("v".to_owned(), "a".to_owned()), ("vv".to_owned(), "b".to_owned())];
        assert_eq!(substitute_str("^[a-m]+$$ $v:L $vv:S $x $", &values), "^[a-m]+$ a \"b\" $x $");
    }

    #[test]
    fn cases_are_typed_and_filtered() {
        let t = traits(
            MALFORMED_TESTS,
            json!([
                {
                    "id": "M", "protocol": REST_JSON_1, "tags": ["t"],
                    "request": { "method": "POST", "uri": "/m", "headers": { "X-$h:L": "$v:S" } },
                    "response": {
                        "code": 400,
                        "headers": { "X-Amzn-Errortype": "ValidationException" },
                        "body": { "mediaType": "application/json", "assertion": { "messageRegex": "^a$$" } }
                    },
                    "testParameters": { "h": ["A", "B"], "v": ["1"] }
                },
                { "id": "Other", "protocol": "aws.protocols#restXml", "whatever": 1 }
            ]),
        );
        let tests = operation("ex#Op", &t).expect("read");
        assert!(tests.requests.is_empty() && tests.responses.is_empty());
        let [case] = tests.malformed.as_slice() else { panic!("one case: {tests:?}") };
        assert!(case.parameterized);
        assert_eq!(case.info.tags, ["t"]);
        assert_eq!(case.rows.len(), 2);
        assert_eq!(case.rows[0].request.headers, [("X-A".to_string(), "\"1\"".to_string())]);
        assert_eq!(case.rows[1].request.headers, [("X-B".to_string(), "\"\"".to_string())]);
        let body = case.rows[0].response.body.as_ref().expect("body");
        assert_eq!(body.assertion, BodyAssertion::MessageRegex("^a$".into()));
    }

    #[test]
    fn request_and_response_cases() {
        let t = traits(
            REQUEST_TESTS,
            json!([{
                "id": "R", "protocol": REST_JSON_1, "method": "GET", "uri": "/r",
                "headers": { "B": "2", "A": "1" }, "appliesTo": "client"
            }]),
        );
        let tests = operation("ex#Op", &t).expect("read");
        let case = &tests.requests[0];
        assert_eq!(case.info.applies_to, Some(Side::Client));
        assert!(case.info.applies(Side::Client) && !case.info.applies(Side::Server));
        // The case's order, not sorted.
        assert_eq!(case.request.headers[0].0, "B");
        assert_eq!(case.params, json!({}));
        let t = traits(
            RESPONSE_TESTS,
            json!([{ "id": "E", "protocol": REST_JSON_1, "code": 404, "params": { "a": 1 } }]),
        );
        let cases = error("ex#Err", &t).expect("read");
        assert_eq!(cases[0].code, 404);
        assert_eq!(cases[0].params, json!({ "a": 1 }));
    }

    #[test]
    fn a_case_that_is_not_one_names_its_shape() {
        for (trait_id, case) in [
            (REQUEST_TESTS, json!({ "id": "NoUri", "protocol": REST_JSON_1, "method": "GET" })),
            (RESPONSE_TESTS, json!({ "id": "BigCode", "protocol": REST_JSON_1, "code": 70000 })),
            (
                REQUEST_TESTS,
                json!({ "id": "H", "protocol": REST_JSON_1, "method": "GET", "uri": "/",
                        "headers": { "A": 1 } }),
            ),
        ] {
            let error = operation("ex#Op", &traits(trait_id, json!([case])))
                .expect_err("not a case")
                .to_string();
            assert!(error.starts_with("invalid model: shape `ex#Op`: @smithy.test#"), "{error}");
            assert!(error.contains(case["id"].as_str().unwrap_or_default()), "{error}");
        }
        let error = operation("ex#Op", &traits(REQUEST_TESTS, json!({}))).expect_err("a list");
        assert!(error.to_string().contains("must be a list of test cases"), "{error}");
    }
}
