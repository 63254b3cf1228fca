//! The generated Chime crate's server stubs (feature `server`): the `Router` over a test
//! implementation of the service trait, and the operation structs' server-side readers
//! against botocore's requests.
//!
//! - every request botocore serialized (`tests/wire/fixtures/chime-sdk-meetings/requests.jsonl`)
//!   is routed to its operation and read back into the parameters botocore was given;
//! - the router: route + read + validate + handler + response (read back with the client's
//!   response reader), a 400 `ValidationException` listing every violation, a modeled error's
//!   status and `X-Amzn-ErrorType`, an unmodeled error, 404 for unknown routes, 400 for bad JSON,
//!   415 for a wrong `Content-Type`.

mod support;

#[path = "wire/harness.rs"]
mod harness;

use chime_sdk_meetings as svc;

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use chime_sdk_meetings::error::Unhandled;
use chime_sdk_meetings::operation::{
    batch_create_attendee::*, batch_update_attendee_capabilities_except::*, create_attendee::*,
    create_meeting::*, create_meeting_with_attendees::*, delete_attendee::*, delete_meeting::*,
    get_attendee::*, get_meeting::*, list_attendees::*, list_tags_for_resource::*,
    start_meeting_transcription::*, stop_meeting_transcription::*, tag_resource::*,
    untag_resource::*, update_attendee_capabilities::*,
};
use chime_sdk_meetings::server::{ChimeSdkMeetings, OperationName, Router};
use chime_sdk_meetings::types::error::NotFoundException;
use chime_sdk_meetings::types::{Attendee, Meeting};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// A minimal executor: the test service's futures are ready at once
// ---------------------------------------------------------------------------------------------

struct NoopWaker;

impl Wake for NoopWaker {
    fn wake(self: Arc<Self>) {}
}

fn block_on<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(NoopWaker));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The test service
// ---------------------------------------------------------------------------------------------

const MEETING: &str = "12345678-1234-1234-1234-123456789abc";

/// Answers CreateAttendee and GetMeeting; records what the handlers saw; every other operation
/// is an unmodeled error.
#[derive(Default)]
struct TestService {
    calls: AtomicUsize,
    seen: Mutex<Vec<String>>,
}

fn not_implemented() -> Unhandled {
    Unhandled::new(
        Some("NotImplemented".into()),
        Some("not implemented by the test service".into()),
    )
    .with_status(501)
}

macro_rules! not_implemented {
    ($($method:ident($input:ty) -> $output:ty, $error:ident;)*) => {
        $(
            async fn $method(&self, _input: $input) -> Result<$output, $error> {
                self.calls.fetch_add(1, Ordering::SeqCst);
                Err($error::Unhandled(not_implemented()))
            }
        )*
    };
}

impl ChimeSdkMeetings for TestService {
    async fn create_attendee(
        &self,
        input: CreateAttendeeInput,
    ) -> Result<CreateAttendeeOutput, CreateAttendeeError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let meeting = input.meeting_id.unwrap_or_default();
        let user = input.external_user_id.unwrap_or_default();
        self.seen.lock().unwrap().push(format!("{meeting}/{user}"));
        let attendee = Attendee::builder()
            .external_user_id(user)
            .attendee_id("a-1")
            .join_token("token")
            .build();
        Ok(CreateAttendeeOutput::builder().attendee(attendee).build())
    }

    async fn get_meeting(
        &self,
        input: GetMeetingInput,
    ) -> Result<GetMeetingOutput, GetMeetingError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        match input.meeting_id.as_deref() {
            Some(MEETING) => Ok(GetMeetingOutput::builder()
                .meeting(Meeting::builder().meeting_id(MEETING).media_region("us-east-1").build())
                .build()),
            _ => Err(GetMeetingError::NotFoundException(
                NotFoundException::builder().message("no such meeting").request_id("r-1").build(),
            )),
        }
    }

    not_implemented! {
        batch_create_attendee(BatchCreateAttendeeInput) -> BatchCreateAttendeeOutput, BatchCreateAttendeeError;
        batch_update_attendee_capabilities_except(BatchUpdateAttendeeCapabilitiesExceptInput) -> BatchUpdateAttendeeCapabilitiesExceptOutput, BatchUpdateAttendeeCapabilitiesExceptError;
        create_meeting(CreateMeetingInput) -> CreateMeetingOutput, CreateMeetingError;
        create_meeting_with_attendees(CreateMeetingWithAttendeesInput) -> CreateMeetingWithAttendeesOutput, CreateMeetingWithAttendeesError;
        delete_attendee(DeleteAttendeeInput) -> DeleteAttendeeOutput, DeleteAttendeeError;
        delete_meeting(DeleteMeetingInput) -> DeleteMeetingOutput, DeleteMeetingError;
        get_attendee(GetAttendeeInput) -> GetAttendeeOutput, GetAttendeeError;
        list_attendees(ListAttendeesInput) -> ListAttendeesOutput, ListAttendeesError;
        list_tags_for_resource(ListTagsForResourceInput) -> ListTagsForResourceOutput, ListTagsForResourceError;
        start_meeting_transcription(StartMeetingTranscriptionInput) -> StartMeetingTranscriptionOutput, StartMeetingTranscriptionError;
        stop_meeting_transcription(StopMeetingTranscriptionInput) -> StopMeetingTranscriptionOutput, StopMeetingTranscriptionError;
        tag_resource(TagResourceInput) -> TagResourceOutput, TagResourceError;
        untag_resource(UntagResourceInput) -> UntagResourceOutput, UntagResourceError;
        update_attendee_capabilities(UpdateAttendeeCapabilitiesInput) -> UpdateAttendeeCapabilitiesOutput, UpdateAttendeeCapabilitiesError;
    }
}

fn request(
    method: &str,
    uri: &str,
    content_type: Option<&str>,
    body: &str,
) -> http::Request<Vec<u8>> {
    let mut builder = http::Request::builder().method(method).uri(uri);
    if let Some(ct) = content_type {
        builder = builder.header("content-type", ct);
    }
    builder.body(body.as_bytes().to_vec()).unwrap()
}

fn header<'r>(response: &'r http::Response<Vec<u8>>, name: &str) -> &'r str {
    response.headers().get(name).map(|v| v.to_str().unwrap()).unwrap_or_default()
}

fn json_body(response: &http::Response<Vec<u8>>) -> Value {
    serde_json::from_slice(response.body()).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(response.body()))
    })
}

// ---------------------------------------------------------------------------------------------
// The router
// ---------------------------------------------------------------------------------------------

#[test]
fn router_routes_reads_calls_and_writes() {
    let router = Router::new(TestService::default());
    // The request as the generated client writes it.
    let input =
        CreateAttendeeInput::builder().meeting_id(MEETING).external_user_id("alice").build();
    let request = CreateAttendee::serialize_request(
        &input,
        "https://example.com",
        &chime_sdk_meetings::primitives::RandomTokens::new(),
    )
    .unwrap();
    assert_eq!(OperationName::route(&request), Some(OperationName::CreateAttendee));
    let response = block_on(router.handle(request));
    assert_eq!(response.status(), 200, "{:?}", String::from_utf8_lossy(response.body()));
    assert_eq!(header(&response, "content-type"), "application/json");
    assert_eq!(header(&response, "content-length"), response.body().len().to_string());
    assert_eq!(router.service().seen.lock().unwrap().as_slice(), [format!("{MEETING}/alice")]);
    // The client reads the response back.
    let output = CreateAttendee::deserialize_response(&response).unwrap();
    let attendee = output.attendee.unwrap();
    assert_eq!(attendee.external_user_id.as_deref(), Some("alice"));
    assert_eq!(attendee.attendee_id.as_deref(), Some("a-1"));
}

#[test]
fn router_answers_a_validation_exception_listing_every_violation() {
    let router = Router::new(TestService::default());
    // A meeting id that breaks its pattern, an external user id below its minimum length, and an
    // unknown enum value nested in the capabilities.
    let body = r#"{"ExternalUserId": "a", "Capabilities": {"Audio": "Shout", "Video": "None", "Content": "None"}}"#;
    let response = block_on(router.handle(request(
        "POST",
        "/meetings/not-a-guid/attendees",
        Some("application/json"),
        body,
    )));
    assert_eq!(response.status(), 400);
    assert_eq!(header(&response, "x-amzn-errortype"), "ValidationException");
    let body = json_body(&response);
    let pattern = "^[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}$";
    let first = format!("Value at '/MeetingId' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}");
    let second = "Value with length 1 at '/ExternalUserId' failed to satisfy constraint: Member must have length between 2 and 64, inclusive";
    let third = "Value at '/Capabilities/Audio' failed to satisfy constraint: Member must satisfy enum value set: [SendReceive, Send, Receive, None]";
    assert_eq!(
        body,
        json!({
            "message": format!("3 validation errors detected. {first}; {second}; {third}"),
            "fieldList": [
                {"path": "/MeetingId", "message": first},
                {"path": "/ExternalUserId", "message": second},
                {"path": "/Capabilities/Audio", "message": third},
            ]
        })
    );
    // Missing required members (the label is present, the body member is not).
    let response = block_on(router.handle(request(
        "POST",
        &format!("/meetings/{MEETING}/attendees"),
        Some("application/json"),
        "{}",
    )));
    assert_eq!(response.status(), 400);
    assert_eq!(
        json_body(&response)["fieldList"],
        json!([{"path": "/ExternalUserId", "message": "Value at '/ExternalUserId' failed to satisfy constraint: Member must not be null"}])
    );
    assert_eq!(
        router.service().calls.load(Ordering::SeqCst),
        0,
        "the handler must not run on invalid input"
    );
}

#[test]
fn router_writes_modeled_and_unmodeled_errors() {
    let router = Router::new(TestService::default());
    let response = block_on(router.handle(request(
        "GET",
        "/meetings/00000000-0000-0000-0000-000000000000",
        None,
        "",
    )));
    assert_eq!(response.status(), 404, "NotFoundException is @httpError(404)");
    assert_eq!(header(&response, "x-amzn-errortype"), "NotFoundException");
    assert_eq!(json_body(&response)["Message"], "no such meeting");
    match GetMeeting::deserialize_response(&response) {
        Err(chime_sdk_meetings::error::ResponseError::Service(
            GetMeetingError::NotFoundException(e),
        )) => {
            assert_eq!(e.message.as_deref(), Some("no such meeting"));
            assert_eq!(e.request_id.as_deref(), Some("r-1"));
        }
        other => panic!("expected NotFoundException, got {other:?}"),
    }
    // The found meeting.
    let response =
        block_on(router.handle(request("GET", &format!("/meetings/{MEETING}"), None, "")));
    assert_eq!(response.status(), 200);
    let meeting = GetMeeting::deserialize_response(&response).unwrap().meeting.unwrap();
    assert_eq!(meeting.media_region.as_deref(), Some("us-east-1"));
    // An unmodeled error keeps its status and code.
    let response =
        block_on(router.handle(request("DELETE", &format!("/meetings/{MEETING}"), None, "")));
    assert_eq!(response.status(), 501);
    assert_eq!(header(&response, "x-amzn-errortype"), "NotImplemented");
}

#[test]
fn router_rejects_unknown_routes_bad_json_and_wrong_content_types() {
    let router = Router::new(TestService::default());
    for (method, uri) in
        [("GET", "/nope"), ("PATCH", &format!("/meetings/{MEETING}") as &str), ("GET", "/")]
    {
        let response = block_on(router.handle(request(method, uri, None, "")));
        assert_eq!(response.status(), 404, "{method} {uri}");
        assert_eq!(header(&response, "x-amzn-errortype"), "UnknownOperationException");
        assert!(json_body(&response)["message"].is_string());
    }
    for body in ["{", "[1]", "{\"ExternalUserId\": 5}", "{\"ExternalUserId\": \"ab\"} x"] {
        let response = block_on(router.handle(request(
            "POST",
            &format!("/meetings/{MEETING}/attendees"),
            Some("application/json"),
            body,
        )));
        assert_eq!(response.status(), 400, "{body}");
        assert_eq!(header(&response, "x-amzn-errortype"), "SerializationException", "{body}");
    }
    let response = block_on(router.handle(request(
        "POST",
        &format!("/meetings/{MEETING}/attendees"),
        Some("text/xml"),
        "<a/>",
    )));
    assert_eq!(response.status(), 415);
    assert_eq!(header(&response, "x-amzn-errortype"), "UnsupportedMediaTypeException");
    assert_eq!(router.service().calls.load(Ordering::SeqCst), 0);
}

/// The most specific route wins: `POST /meetings?operation=create-attendees` is
/// CreateMeetingWithAttendees, plain `POST /meetings` is CreateMeeting.
#[test]
fn literal_query_parameters_select_the_route() {
    let route = |uri: &str, method: &str| OperationName::route(&request(method, uri, None, ""));
    assert_eq!(
        route("/meetings?operation=create-attendees", "POST"),
        Some(OperationName::CreateMeetingWithAttendees)
    );
    assert_eq!(route("/meetings", "POST"), Some(OperationName::CreateMeeting));
    assert_eq!(
        route(&format!("/meetings/{MEETING}/attendees?operation=batch-create"), "POST"),
        Some(OperationName::BatchCreateAttendee)
    );
    assert_eq!(
        route(&format!("/meetings/{MEETING}/attendees"), "POST"),
        Some(OperationName::CreateAttendee)
    );
    assert_eq!(
        route(&format!("/meetings/{MEETING}/attendees"), "GET"),
        Some(OperationName::ListAttendees)
    );
    assert_eq!(route("/meetings/a%2Fb/attendees/x", "GET"), Some(OperationName::GetAttendee));
    assert_eq!(OperationName::GetAttendee.name(), "GetAttendee");
}

// ---------------------------------------------------------------------------------------------
// botocore's requests, read back
// ---------------------------------------------------------------------------------------------

fn encode_query(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Removes from `read` the `false` members that `params` leaves out: the model's IDL 1.0
/// booleans without `@box` have an implicit `false` default, which the typed input holds and
/// writes.
fn strip_implicit_defaults(read: &mut Value, params: &Value) {
    if let (Value::Object(read), Value::Object(params)) = (read, params) {
        read.retain(|k, v| params.contains_key(k) || *v != Value::Bool(false));
        for (k, v) in read.iter_mut() {
            if let Some(p) = params.get(k) {
                strip_implicit_defaults(v, p);
            }
        }
    }
}

/// Every request botocore serialized for the fixtures is routed to its operation and read back
/// into the parameters botocore was given (idempotency tokens botocore filled in are extra).
#[test]
fn botocore_requests_are_read_back_into_their_params() {
    let path = support::root().join("tests/wire/fixtures/chime-sdk-meetings/requests.jsonl");
    let lines = harness::read_fixture(&path);
    assert!(lines.len() > 300, "{} lines", lines.len());
    let mut failures = Vec::new();
    for line in &lines {
        let value = &line.value;
        let operation = value["operation"].as_str().unwrap();
        let expected = &value["expected"];
        let mut uri = expected["path"].as_str().unwrap().to_string();
        let query: Vec<String> = expected["query"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|pair| {
                format!(
                    "{}={}",
                    encode_query(pair[0].as_str().unwrap()),
                    encode_query(pair[1].as_str().unwrap())
                )
            })
            .collect();
        if !query.is_empty() {
            uri = format!("{uri}?{}", query.join("&"));
        }
        let mut builder =
            http::Request::builder().method(expected["method"].as_str().unwrap()).uri(uri.as_str());
        for (name, v) in expected["headers"].as_object().into_iter().flatten() {
            builder = builder.header(name.as_str(), v.as_str().unwrap());
        }
        let body = match &expected["body"] {
            Value::Null => Vec::new(),
            Value::String(s) => s.as_bytes().to_vec(),
            other => serde_json::to_vec(other).unwrap(),
        };
        let request = builder.body(body).unwrap();
        // Constraints are not checked: the fixture inputs are random (boto3 does not check them either).
        match chime_sdk_meetings::dynamic::server_deserialize_request(
            &request,
            serde_json::value::Serializer,
            false,
        ) {
            Err(response) => failures.push(format!(
                "line {}: {operation} rejected: {} {}",
                line.number,
                response.status(),
                String::from_utf8_lossy(response.body())
            )),
            Ok((routed, input)) => {
                if routed != operation {
                    failures.push(format!("line {}: {operation} routed to {routed}", line.number));
                    continue;
                }
                let mut input = input;
                let params = value["params"].as_object().unwrap();
                if let Value::Object(read) = &mut input {
                    // botocore fills idempotency tokens the params leave out.
                    read.retain(|k, _| {
                        params.contains_key(k) || !harness::TOKEN_MEMBERS.contains(&k.as_str())
                    });
                }
                strip_implicit_defaults(&mut input, &value["params"]);
                if input != value["params"] {
                    failures.push(format!(
                        "line {}: {operation}\n  params: {}\n  read:   {input}",
                        line.number, value["params"]
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} requests:\n{}",
        failures.len(),
        lines.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// No panics, whatever the request
// ---------------------------------------------------------------------------------------------

/// A seeded xorshift64* (the run is reproducible).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Mutated botocore requests and random ones (paths, query strings, headers, bodies) through the
/// router and the dynamic reader: every answer is a well-formed response, never a panic; a
/// request that is refused is refused with a 4xx.
#[test]
fn router_never_panics() {
    let cases: usize =
        std::env::var("SERVER_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let path = support::root().join("tests/wire/fixtures/chime-sdk-meetings/requests.jsonl");
    let lines = harness::read_fixture(&path);
    let router = Router::new(TestService::default());
    let mut rng = Rng(0x05EE_D0F5_E4E4);
    let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];
    let segments = [
        "meetings",
        "attendees",
        "tags",
        "transcription",
        MEETING,
        "%",
        "%2F",
        "%ZZ",
        "",
        "..",
        "a+b",
        "🎉",
    ];
    let queries = [
        "",
        "operation=create-attendees",
        "operation=batch-create",
        "max-results=-1",
        "max-results=99999999999",
        "next-token=%",
        "operation",
        "a=b&a=c",
        "=&&=",
    ];
    let content_types = [
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "",
        "application/x-amz-json-1.1",
        "*/*",
    ];
    let bodies = [
        "",
        "{",
        "{}",
        "[]",
        "null",
        "{\"ExternalUserId\": null}",
        "{\"Attendees\": [null, 1, {}]}",
        "{\"Tags\": [{\"Key\": 1}]}",
        "{\"MaxResults\": 1e400}",
        "\"\\ud800\"",
        "{\"a\":{\"a\":{\"a\":{\"a\":{}}}}}",
    ];
    let mut statuses = BTreeMap::new();
    for i in 0..cases {
        let request = if i % 2 == 0 && !lines.is_empty() {
            // A botocore request with one thing changed.
            let line = &lines[rng.below(lines.len())].value["expected"];
            let mut body = match &line["body"] {
                Value::Null => Vec::new(),
                other => serde_json::to_vec(other).unwrap(),
            };
            let mut uri = line["path"].as_str().unwrap().to_string();
            match rng.below(4) {
                0 if !body.is_empty() => {
                    let at = rng.below(body.len());
                    body[at] = rng.next() as u8;
                }
                1 if !body.is_empty() => body.truncate(rng.below(body.len())),
                2 => uri.push_str(&format!("/{}", rng.pick(&segments))),
                _ => uri = format!("{uri}?{}", rng.pick(&queries)),
            }
            let mut builder = http::Request::builder().method(line["method"].as_str().unwrap());
            builder = builder.uri(uri.as_str());
            if rng.below(3) > 0 {
                builder = builder.header("content-type", rng.pick(&content_types));
            }
            match builder.body(body) {
                Ok(r) => r,
                Err(_) => continue,
            }
        } else {
            let depth = rng.below(5);
            let mut uri = String::new();
            for _ in 0..depth {
                uri.push('/');
                uri.push_str(rng.pick(&segments));
            }
            if uri.is_empty() {
                uri.push('/');
            }
            let query = rng.pick(&queries);
            if !query.is_empty() {
                uri = format!("{uri}?{query}");
            }
            let mut builder = http::Request::builder().method(rng.pick(&methods)).uri(uri.as_str());
            if rng.below(2) == 0 {
                builder = builder.header("content-type", rng.pick(&content_types));
            }
            if rng.below(4) == 0 {
                builder = builder.header("accept", rng.pick(&content_types));
            }
            match builder.body(rng.pick(&bodies).as_bytes().to_vec()) {
                Ok(r) => r,
                Err(_) => continue,
            }
        };
        if let Err(response) = chime_sdk_meetings::dynamic::server_deserialize_request(
            &request,
            serde_json::value::Serializer,
            true,
        ) {
            assert!(
                response.status().is_client_error(),
                "{} {}: {}",
                request.method(),
                request.uri(),
                response.status()
            );
        }
        let response = block_on(router.handle(request));
        assert!(
            !header(&response, "x-amzn-errortype").is_empty() || response.status().is_success()
        );
        *statuses.entry(response.status().as_u16()).or_insert(0usize) += 1;
    }
    // The fuzz reached the handlers and every kind of refusal.
    for status in [200, 400, 404, 415, 501] {
        assert!(statuses.contains_key(&status), "no {status} in {statuses:?}");
    }
}
