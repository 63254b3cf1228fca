//! The protocol compliance cases of the model (`smithy.test#httpRequestTests`,
//! `httpResponseTests` and `httpMalformedRequestTests`), read once by
//! [`crate::resolve::protocol_tests`]: typed, restJson1's only, the rows of a parameterized
//! malformed case interpolated. [`crate::emit::protocol_tests`] turns them into Rust tests.
//!
//! `params` stay JSON: they are test data (the node value of an input, output or error), which
//! the emitter walks along the members' [`Value`](crate::ir::Value)s.

/// The side a case is for (`appliesTo`); a case without one is for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

/// The cases an operation carries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OperationTests {
    /// `smithy.test#httpRequestTests`: the request its input serializes to.
    pub requests: Vec<RequestCase>,
    /// `smithy.test#httpResponseTests`: the output a response deserializes to.
    pub responses: Vec<ResponseCase>,
    /// `smithy.test#httpMalformedRequestTests`: requests a server must refuse.
    pub malformed: Vec<MalformedRequestCase>,
}

impl OperationTests {
    /// Whether the operation carries no case.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty() && self.responses.is_empty() && self.malformed.is_empty()
    }
}

/// What every case has: its id, protocol, side, documentation and tags.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseInfo {
    /// The case id (unique within the model).
    pub id: String,
    /// The protocol's shape id (`aws.protocols#restJson1`).
    pub protocol: String,
    /// `appliesTo`: `None` when the case is for clients and servers.
    pub applies_to: Option<Side>,
    pub documentation: Option<String>,
    pub tags: Vec<String>,
}

impl CaseInfo {
    /// Whether the case runs on `side`.
    pub fn applies(&self, side: Side) -> bool {
        self.applies_to.is_none_or(|s| s == side)
    }
}

/// A `smithy.test#httpRequestTests` case: `params` (the input) and the request it is.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestCase {
    pub info: CaseInfo,
    /// The request.
    pub request: TestRequest,
    /// `resolvedHost`: the host the client sends to (the endpoint's host with a host prefix).
    pub resolved_host: Option<String>,
    /// `forbidQueryParams`: names that must not be in the query string.
    pub forbid_query_params: Vec<String>,
    /// `requireQueryParams`: names that must be in the query string (with any value).
    pub require_query_params: Vec<String>,
    /// `forbidHeaders`: header names that must be absent.
    pub forbid_headers: Vec<String>,
    /// `requireHeaders`: header names that must be present (with any value).
    pub require_headers: Vec<String>,
    /// `bodyMediaType`: how to compare the body (`application/json`: as JSON).
    pub body_media_type: Option<String>,
    /// The input, as a node value (an object; `{}` when the case gives none).
    pub params: serde_json::Value,
}

/// A request of a case: what a client must send, or what a server is given.
#[derive(Debug, Clone, PartialEq)]
pub struct TestRequest {
    pub method: String,
    /// The path, without the query string.
    pub uri: String,
    /// `host`: the endpoint's host a client is configured with.
    pub host: Option<String>,
    /// `queryParams`: `name=value` pairs, percent-encoded as on the wire.
    pub query_params: Vec<String>,
    /// Header names and values, in the case's order.
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// A `smithy.test#httpResponseTests` case: a response and `params` (the output or error) it is.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseCase {
    pub info: CaseInfo,
    /// The status code.
    pub code: u16,
    /// Header names and values, in the case's order.
    pub headers: Vec<(String, String)>,
    pub forbid_headers: Vec<String>,
    pub require_headers: Vec<String>,
    pub body: Option<String>,
    pub body_media_type: Option<String>,
    /// The output or error, as a node value (an object; `{}` when the case gives none).
    pub params: serde_json::Value,
}

/// A `smithy.test#httpMalformedRequestTests` case: requests a server must refuse, one per row
/// of its `testParameters`.
#[derive(Debug, Clone, PartialEq)]
pub struct MalformedRequestCase {
    pub info: CaseInfo,
    /// Whether the case has `testParameters` (its tests are then numbered by row).
    pub parameterized: bool,
    /// The request and expected response of each row, `$name:S`/`$name:L`/`$$` interpolated;
    /// the case itself when it has no `testParameters`.
    pub rows: Vec<MalformedRow>,
}

/// One request of a malformed case and the refusal expected.
#[derive(Debug, Clone, PartialEq)]
pub struct MalformedRow {
    pub request: TestRequest,
    pub response: MalformedResponse,
}

/// The response a server must give to a malformed request.
#[derive(Debug, Clone, PartialEq)]
pub struct MalformedResponse {
    pub code: u16,
    /// Header names and values that must be present.
    pub headers: Vec<(String, String)>,
    pub body: Option<MalformedBody>,
}

/// What the body of a refusal must be.
#[derive(Debug, Clone, PartialEq)]
pub struct MalformedBody {
    /// `mediaType` (`application/json`: compared as JSON).
    pub media_type: String,
    pub assertion: BodyAssertion,
}

/// How the body of a refusal is checked.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyAssertion {
    /// The exact body.
    Contents(String),
    /// A regular expression the error message must match.
    MessageRegex(String),
}

/// Whether a media type is JSON (`application/json`, or a `+json` suffix).
pub fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.ends_with("+json")
}
