//! The generated client (`chime_sdk_meetings::client`) against test doubles: SigV4 signatures
//! equal botocore's (fixtures from `tests/client/sigv4_fixtures.py`), AWS standard-mode retries
//! (scripted transport, recording sleep), idempotency tokens kept across retries, paginators,
//! typed errors, configuration from (injected) environment variables, and the default hyper
//! transport over loopback HTTP.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use chime_sdk_meetings::client::{
    AsyncSleep, Client, Config, ConfigError, Credentials, EnvironmentCredentials, Region,
    RetryConfig, SdkError, StaticTimeSource, Transport, TransportError, TransportFuture,
};
use chime_sdk_meetings::error::DisplayErrorContext;
use chime_sdk_meetings::operation::create_attendee::CreateAttendeeError;
use chime_sdk_meetings::operation::get_meeting::GetMeetingError;
use chime_sdk_meetings::operation::list_attendees::ListAttendeesError;
use chime_sdk_meetings::types::{
    AudioFeatures, MeetingFeatureStatus, MeetingFeaturesConfiguration, Tag,
};

type Reply = Result<http::Response<Vec<u8>>, TransportError>;

/// A transport that records every request and answers from a script (then 200 `{}`).
#[derive(Clone, Default)]
struct Scripted {
    replies: Arc<Mutex<VecDeque<Reply>>>,
    requests: Arc<Mutex<Vec<http::Request<Vec<u8>>>>>,
}

impl Scripted {
    fn new(replies: Vec<Reply>) -> Self {
        Scripted { replies: Arc::new(Mutex::new(replies.into())), requests: Arc::default() }
    }

    fn requests(&self) -> Vec<http::Request<Vec<u8>>> {
        self.requests.lock().unwrap().clone()
    }

    fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

impl Transport for Scripted {
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
        self.requests.lock().unwrap().push(request);
        let reply = self
            .replies
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| Ok(response(200, &[], "{}")));
        Box::pin(async move { reply })
    }
}

/// A transport that always gives the same reply.
#[derive(Clone)]
struct Always {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    count: Arc<AtomicUsize>,
}

impl Transport for Always {
    fn send(&self, _request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
        self.count.fetch_add(1, Ordering::SeqCst);
        let reply = Ok(response(self.status, &self.headers, "{}"));
        Box::pin(async move { reply })
    }
}

/// A sleep that records the durations and returns at once.
#[derive(Clone, Debug, Default)]
struct RecordingSleep(Arc<Mutex<Vec<Duration>>>);

impl RecordingSleep {
    fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

impl AsyncSleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> chime_sdk_meetings::client::Sleep {
        self.0.lock().unwrap().push(duration);
        chime_sdk_meetings::client::Sleep::new(async {})
    }
}

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    builder.body(body.as_bytes().to_vec()).unwrap()
}

fn error_response(status: u16, code: &str, extra: &[(&str, &str)]) -> Reply {
    let mut headers = vec![("x-amzn-errortype", code), ("content-type", "application/json")];
    headers.extend_from_slice(extra);
    Ok(response(status, &headers, &format!(r#"{{"Code":"{code}","Message":"scripted {status}"}}"#)))
}

const FIXED_TIME: u64 = 1_767_323_045; // 2026-01-02T03:04:05Z

fn client(transport: impl Transport, sleep: &RecordingSleep, retry: RetryConfig) -> Client {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "test",
        ))
        .transport(transport)
        .sleep_impl(sleep.clone())
        .retry_config(retry)
        .time_source(StaticTimeSource::new(UNIX_EPOCH + Duration::from_secs(FIXED_TIME)))
        .build();
    Client::new(config)
}

fn header<'a>(request: &'a http::Request<Vec<u8>>, name: &str) -> Option<&'a str> {
    request.headers().get(name).map(|v| v.to_str().unwrap())
}

fn json(request: &http::Request<Vec<u8>>) -> serde_json::Value {
    serde_json::from_slice(request.body()).unwrap()
}

// ---------------------------------------------------------------------------------------------
// SigV4 against botocore

#[derive(serde::Deserialize)]
struct SigningCase {
    name: String,
    region: String,
    access_key: String,
    secret_key: String,
    session_token: Option<String>,
    time: u64,
    request: FixtureRequest,
    expected: std::collections::BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
struct FixtureRequest {
    method: String,
    url: String,
    headers: std::collections::BTreeMap<String, String>,
    body: String,
}

/// Makes the call a fixture case names, through the client, and returns the request it sent.
async fn send_case(case: &SigningCase) -> http::Request<Vec<u8>> {
    let transport = Scripted::new(vec![]);
    let config = Config::builder()
        .region(Region::new(case.region.clone()))
        .credentials(Credentials::new(
            case.access_key.clone(),
            case.secret_key.clone(),
            case.session_token.clone(),
            None,
            "test",
        ))
        .transport(transport.clone())
        .retry_config(RetryConfig::disabled())
        .time_source(StaticTimeSource::new(UNIX_EPOCH + Duration::from_secs(case.time)))
        .build();
    let client = Client::new(config);
    match case.name.as_str() {
        "create_attendee" => {
            client
                .create_attendee()
                .meeting_id("m-1")
                .external_user_id("alice")
                .send()
                .await
                .unwrap();
        }
        "list_attendees_session_token" => {
            client
                .list_attendees()
                .meeting_id("m-1")
                .max_results(5)
                .next_token("a/b+c==")
                .send()
                .await
                .unwrap();
        }
        "delete_meeting_encoded_label" => {
            client.delete_meeting().meeting_id("id with space/é").send().await.unwrap();
        }
        "create_meeting_unicode_eu_west_1" => {
            client
                .create_meeting()
                .client_request_token("tok-1")
                .media_region("eu-west-1")
                .external_meeting_id("Réunion ☕")
                .meeting_features(
                    MeetingFeaturesConfiguration::builder()
                        .audio(
                            AudioFeatures::builder()
                                .echo_reduction(MeetingFeatureStatus::Available)
                                .build(),
                        )
                        .build(),
                )
                .send()
                .await
                .unwrap();
        }
        "tag_resource_literal_query" => {
            client
                .tag_resource()
                .resource_arn("arn:aws:chime:us-east-1:123456789012:meeting/m-1")
                .tags(Tag::builder().key("k").value("v w").build().unwrap())
                .send()
                .await
                .unwrap();
        }
        other => panic!("no call for fixture case {other}"),
    }
    let mut requests = transport.requests();
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

const SIGNATURE_HEADERS: &[&str] = &["authorization", "x-amz-date", "x-amz-security-token"];

#[tokio::test]
async fn sigv4_signatures_equal_botocores() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/client/sigv4_fixtures.json"))
            .unwrap();
    #[derive(serde::Deserialize)]
    struct Fixtures {
        cases: Vec<SigningCase>,
    }
    let cases = serde_json::from_str::<Fixtures>(&text).unwrap().cases;
    assert_eq!(cases.len(), 5);
    for case in &cases {
        let request = send_case(case).await;
        // The request is the one botocore signed...
        assert_eq!(request.method().as_str(), case.request.method, "{}", case.name);
        assert_eq!(request.uri().to_string(), case.request.url, "{}", case.name);
        assert_eq!(
            std::str::from_utf8(request.body()).unwrap(),
            case.request.body,
            "{}",
            case.name
        );
        let unsigned: std::collections::BTreeMap<String, String> = request
            .headers()
            .iter()
            .filter(|(k, _)| !SIGNATURE_HEADERS.contains(&k.as_str()) && k.as_str() != "user-agent")
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
            .collect();
        assert_eq!(unsigned, case.request.headers, "{}", case.name);
        // ...and the signature headers are botocore's.
        for name in SIGNATURE_HEADERS {
            assert_eq!(
                header(&request, name),
                case.expected.get(*name).map(String::as_str),
                "{}: {name}",
                case.name
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Retries

#[tokio::test]
async fn a_503_then_200_succeeds_on_the_second_attempt_with_the_same_idempotency_token() {
    let transport = Scripted::new(vec![
        error_response(503, "ServiceUnavailableException", &[]),
        Ok(response(200, &[], r#"{"Meeting":{"MeetingId":"m-1"}}"#)),
    ]);
    let sleep = RecordingSleep::default();
    let made = Arc::new(AtomicUsize::new(0));
    let tokens = {
        let made = made.clone();
        move || format!("token-{}", made.fetch_add(1, Ordering::SeqCst))
    };
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .transport(transport.clone())
        .sleep_impl(sleep.clone())
        .idempotency_token_provider(tokens)
        .build();
    let client = Client::new(config);
    let output = client
        .create_meeting()
        .media_region("us-east-1")
        .external_meeting_id("x")
        .send()
        .await
        .unwrap();
    assert_eq!(output.meeting.unwrap().meeting_id.as_deref(), Some("m-1"));
    let requests = transport.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(json(&requests[0])["ClientRequestToken"], "token-0");
    assert_eq!(json(&requests[1])["ClientRequestToken"], "token-0");
    assert_eq!(made.load(Ordering::SeqCst), 1, "one token per logical call");
    assert_eq!(header(&requests[0], "amz-sdk-request"), Some("attempt=1; max=3"));
    assert_eq!(header(&requests[1], "amz-sdk-request"), Some("attempt=2; max=3"));
    // One wait, within the first backoff (full jitter of 1 s).
    let waits = sleep.waits();
    assert_eq!(waits.len(), 1);
    assert!(waits[0] <= Duration::from_secs(1), "{waits:?}");
    // A second logical call gets a new token.
    client
        .create_meeting()
        .media_region("us-east-1")
        .external_meeting_id("y")
        .send()
        .await
        .unwrap();
    assert_eq!(json(&transport.requests()[2])["ClientRequestToken"], "token-1");
}

#[tokio::test]
async fn throttling_is_retried() {
    for (status, code) in [
        (429, "ThrottlingException"),
        (400, "ThrottlingException"),
        (429, "SomethingElse"),
        (400, "TooManyRequestsException"),
    ] {
        let transport =
            Scripted::new(vec![error_response(status, code, &[]), Ok(response(200, &[], "{}"))]);
        let sleep = RecordingSleep::default();
        let client = client(transport.clone(), &sleep, RetryConfig::standard());
        client.get_meeting().meeting_id("m-1").send().await.unwrap();
        assert_eq!(transport.count(), 2, "{status} {code}");
    }
}

#[tokio::test]
async fn transient_statuses_and_connection_errors_are_retried() {
    for status in [500, 502, 503, 504] {
        let transport = Scripted::new(vec![
            error_response(status, "Whatever", &[]),
            Ok(response(200, &[], "{}")),
        ]);
        let client = client(transport.clone(), &RecordingSleep::default(), RetryConfig::standard());
        client.get_meeting().meeting_id("m-1").send().await.unwrap();
        assert_eq!(transport.count(), 2, "{status}");
    }
    let transport = Scripted::new(vec![
        Err(TransportError::io("connection reset")),
        Err(TransportError::timeout("slow")),
        Ok(response(200, &[], "{}")),
    ]);
    let client = client(transport.clone(), &RecordingSleep::default(), RetryConfig::standard());
    client.get_meeting().meeting_id("m-1").send().await.unwrap();
    assert_eq!(transport.count(), 3);
    // A transport failure that is neither is not retried.
    let transport = Scripted::new(vec![Err(TransportError::other("bad request line"))]);
    let client =
        self::client(transport.clone(), &RecordingSleep::default(), RetryConfig::standard());
    let err = client.get_meeting().meeting_id("m-1").send().await.unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert_eq!(transport.count(), 1);
}

#[tokio::test]
async fn modeled_non_retryable_errors_are_not_retried() {
    for (status, code) in [
        (400, "BadRequestException"),
        (404, "NotFoundException"),
        (403, "ForbiddenException"),
        (401, "UnauthorizedException"),
    ] {
        let transport = Scripted::new(vec![error_response(status, code, &[])]);
        let sleep = RecordingSleep::default();
        let client = client(transport.clone(), &sleep, RetryConfig::standard());
        let err = client
            .create_attendee()
            .meeting_id("m-1")
            .external_user_id("u")
            .send()
            .await
            .unwrap_err();
        assert_eq!(transport.count(), 1, "{code}");
        assert!(sleep.waits().is_empty());
        assert_eq!(err.as_service_error().and_then(|e| e.code()), Some(code));
    }
}

#[tokio::test]
async fn max_attempts_are_respected_and_the_last_error_is_returned() {
    for attempts in [1, 2, 3, 5] {
        let always = Always {
            status: 503,
            headers: vec![("x-amzn-errortype", "ServiceUnavailableException")],
            count: Arc::default(),
        };
        let sleep = RecordingSleep::default();
        let client =
            client(always.clone(), &sleep, RetryConfig::standard().with_max_attempts(attempts));
        let err = client.get_meeting().meeting_id("m-1").send().await.unwrap_err();
        assert_eq!(always.count.load(Ordering::SeqCst), attempts as usize);
        assert_eq!(sleep.waits().len(), attempts as usize - 1);
        assert!(
            matches!(err.as_service_error(), Some(GetMeetingError::ServiceUnavailableException(_))),
            "{err:?}"
        );
        assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(503));
    }
}

/// The last attempt sends the request itself (no copy is kept once no attempt can follow): the
/// same request as the first attempt, bar the attempt header and the signature.
#[tokio::test]
async fn the_last_attempt_sends_what_the_first_sent() {
    let transport = Scripted::new(vec![
        error_response(503, "ServiceUnavailableException", &[]),
        Ok(response(200, &[], r#"{"Meeting":{"MeetingId":"m-1"}}"#)),
    ]);
    let sleep = RecordingSleep::default();
    let retry = RetryConfig::standard().with_max_attempts(2);
    let client = client(transport.clone(), &sleep, retry);
    let call = client.create_meeting().media_region("us-east-1").external_meeting_id("x");
    call.client_request_token("token-0123456789").send().await.unwrap();
    let requests = transport.requests();
    assert_eq!(requests.len(), 2);
    let (first, last) = (&requests[0], &requests[1]);
    assert_eq!((first.method(), first.uri()), (last.method(), last.uri()));
    assert_eq!(first.body(), last.body());
    assert!(first.body().len() > 40, "{:?}", String::from_utf8_lossy(first.body()));
    let others = |r: &http::Request<Vec<u8>>| {
        let mut headers: Vec<(String, String)> = r
            .headers()
            .iter()
            .filter(|(name, _)| !["authorization", "amz-sdk-request"].contains(&name.as_str()))
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_string()))
            .collect();
        headers.sort();
        headers
    };
    assert_eq!(others(first), others(last));
    assert!(others(last).iter().any(|(name, _)| name == "x-amz-date"), "{:?}", others(last));
    assert_eq!(header(last, "amz-sdk-request"), Some("attempt=2; max=2"));
    assert!(header(last, "authorization").is_some());
}

#[tokio::test]
async fn backoff_is_exponential_with_full_jitter_and_capped() {
    let always = Always { status: 500, headers: vec![], count: Arc::default() };
    let sleep = RecordingSleep::default();
    let retry = RetryConfig::standard()
        .with_max_attempts(8)
        .with_initial_backoff(Duration::from_millis(100))
        .with_max_backoff(Duration::from_millis(1000));
    let client = client(always, &sleep, retry);
    client.get_meeting().meeting_id("m-1").send().await.unwrap_err();
    let waits = sleep.waits();
    assert_eq!(waits.len(), 7);
    for (i, wait) in waits.iter().enumerate() {
        let cap = Duration::from_millis((100 * 2_u64.pow(i as u32)).min(1000));
        assert!(*wait <= cap, "wait {i}: {wait:?} > {cap:?}");
    }
    // Jitter: not all waits are their cap.
    assert!(waits
        .iter()
        .enumerate()
        .any(|(i, w)| *w != Duration::from_millis((100 * 2_u64.pow(i as u32)).min(1000))));
}

#[tokio::test]
async fn retry_after_headers_are_honoured_and_capped() {
    // `Retry-After` in seconds (Chime binds it on ServiceUnavailableException).
    let transport = Scripted::new(vec![
        error_response(503, "ServiceUnavailableException", &[("retry-after", "7")]),
        Ok(response(200, &[], "{}")),
    ]);
    let sleep = RecordingSleep::default();
    client(transport.clone(), &sleep, RetryConfig::standard())
        .get_meeting()
        .meeting_id("m")
        .send()
        .await
        .unwrap();
    assert_eq!(sleep.waits(), vec![Duration::from_secs(7)]);
    // `x-amz-retry-after` in milliseconds, on a throttling error.
    let transport = Scripted::new(vec![
        error_response(429, "ThrottlingException", &[("x-amz-retry-after", "1500")]),
        Ok(response(200, &[], "{}")),
    ]);
    let sleep = RecordingSleep::default();
    client(transport, &sleep, RetryConfig::standard())
        .get_meeting()
        .meeting_id("m")
        .send()
        .await
        .unwrap();
    assert_eq!(sleep.waits(), vec![Duration::from_millis(1500)]);
    // An HTTP date, relative to the client's clock.
    let transport = Scripted::new(vec![
        error_response(
            503,
            "ServiceUnavailableException",
            &[("retry-after", "Fri, 02 Jan 2026 03:04:08 GMT")],
        ),
        Ok(response(200, &[], "{}")),
    ]);
    let sleep = RecordingSleep::default();
    client(transport, &sleep, RetryConfig::standard())
        .get_meeting()
        .meeting_id("m")
        .send()
        .await
        .unwrap();
    assert_eq!(sleep.waits(), vec![Duration::from_secs(3)]);
    // Never longer than the maximum backoff.
    let transport = Scripted::new(vec![
        error_response(503, "ServiceUnavailableException", &[("retry-after", "3600")]),
        Ok(response(200, &[], "{}")),
    ]);
    let sleep = RecordingSleep::default();
    client(transport, &sleep, RetryConfig::standard())
        .get_meeting()
        .meeting_id("m")
        .send()
        .await
        .unwrap();
    assert_eq!(sleep.waits(), vec![Duration::from_secs(20)]);
}

#[tokio::test]
async fn disabled_retries_make_one_attempt() {
    let always = Always { status: 503, headers: vec![], count: Arc::default() };
    let sleep = RecordingSleep::default();
    let client = client(always.clone(), &sleep, RetryConfig::disabled());
    client.get_meeting().meeting_id("m-1").send().await.unwrap_err();
    assert_eq!(always.count.load(Ordering::SeqCst), 1);
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn the_retry_quota_stops_retries_when_exhausted_and_is_shared_by_clones() {
    // 500 tokens, 5 per retry: 100 retries, then calls make a single attempt.
    let always = Always { status: 500, headers: vec![], count: Arc::default() };
    let sleep = RecordingSleep::default();
    let client = client(always.clone(), &sleep, RetryConfig::standard().with_max_attempts(2));
    let clone = client.clone();
    for i in 0..100 {
        let c = if i % 2 == 0 { &client } else { &clone };
        c.get_meeting().meeting_id("m").send().await.unwrap_err();
    }
    assert_eq!(always.count.load(Ordering::SeqCst), 200);
    clone.get_meeting().meeting_id("m").send().await.unwrap_err();
    assert_eq!(always.count.load(Ordering::SeqCst), 201, "quota exhausted: no retry");
    // Without the quota, retries go on.
    let always = Always { status: 500, headers: vec![], count: Arc::default() };
    let config = self::client(always.clone(), &sleep, RetryConfig::standard().with_max_attempts(2))
        .config()
        .to_builder()
        .retry_quota(false)
        .build();
    let client = Client::from_conf(config);
    for _ in 0..101 {
        client.get_meeting().meeting_id("m").send().await.unwrap_err();
    }
    assert_eq!(always.count.load(Ordering::SeqCst), 202);
}

// ---------------------------------------------------------------------------------------------
// Typed errors and responses

#[tokio::test]
async fn modeled_errors_surface_as_typed_service_errors() {
    let transport = Scripted::new(vec![Ok(response(
        404,
        &[("x-amzn-errortype", "NotFoundException"), ("x-amzn-requestid", "req-1")],
        r#"{"Code":"NotFound","Message":"no such meeting","RequestId":"req-1"}"#,
    ))]);
    let client = client(transport, &RecordingSleep::default(), RetryConfig::standard());
    let err = client.get_meeting().meeting_id("nope").send().await.unwrap_err();
    let SdkError::ServiceError(service) = &err else { panic!("{err:?}") };
    let GetMeetingError::NotFoundException(e) = service.err() else { panic!("{err:?}") };
    assert_eq!(e.message.as_deref(), Some("no such meeting"));
    assert_eq!(service.raw().status().as_u16(), 404);
    // Display is the kind of failure; the chain (DisplayErrorContext) has the message, once.
    assert_eq!(err.to_string(), "service error (HTTP 404)");
    let chain = DisplayErrorContext(&err).to_string();
    assert_eq!(chain, "service error (HTTP 404): NotFoundException: no such meeting");
    // Unmodeled codes are `Unhandled`, with the code kept.
    let transport = Scripted::new(vec![error_response(409, "SomeNewException", &[])]);
    let client = self::client(transport, &RecordingSleep::default(), RetryConfig::standard());
    let err =
        client.create_attendee().meeting_id("m").external_user_id("u").send().await.unwrap_err();
    let CreateAttendeeError::Unhandled(e) = err.into_service_error() else { panic!() };
    assert_eq!(e.code(), Some("SomeNewException"));
}

#[tokio::test]
async fn an_unreadable_success_is_a_response_error_and_construction_errors_send_nothing() {
    let transport = Scripted::new(vec![Ok(response(200, &[], "{not json"))]);
    let client = client(transport.clone(), &RecordingSleep::default(), RetryConfig::standard());
    let err = client.get_meeting().meeting_id("m").send().await.unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert_eq!(transport.count(), 1);
    // A missing URI label: nothing is sent.
    let err = client.get_meeting().send().await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert_eq!(transport.count(), 1);
}

#[tokio::test]
async fn with_methods_take_a_whole_input() {
    use chime_sdk_meetings::operation::get_meeting::GetMeetingInput;
    let transport =
        Scripted::new(vec![Ok(response(200, &[], r#"{"Meeting":{"MeetingId":"m-9"}}"#))]);
    let client = client(transport.clone(), &RecordingSleep::default(), RetryConfig::standard());
    let out = client
        .get_meeting_with(GetMeetingInput::builder().meeting_id("m-9").build())
        .await
        .unwrap();
    assert_eq!(out.meeting.unwrap().meeting_id.as_deref(), Some("m-9"));
    let request = &transport.requests()[0];
    assert_eq!(
        request.uri().to_string(),
        "https://meetings-chime.us-east-1.amazonaws.com/meetings/m-9"
    );
    assert!(header(request, "authorization").unwrap().starts_with(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/us-east-1/chime/aws4_request, SignedHeaders="
    ));
}

// ---------------------------------------------------------------------------------------------
// Paginators

fn page(ids: &[&str], next: Option<&str>) -> Reply {
    let attendees: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({"AttendeeId": id, "ExternalUserId": format!("user-{id}")}))
        .collect();
    let mut body = serde_json::json!({ "Attendees": attendees });
    if let Some(next) = next {
        body["NextToken"] = next.into();
    }
    Ok(response(200, &[("content-type", "application/json")], &body.to_string()))
}

fn query(request: &http::Request<Vec<u8>>) -> String {
    request.uri().query().unwrap_or("").to_string()
}

#[tokio::test]
async fn paginator_chains_next_tokens_and_flattens_items() {
    let transport = Scripted::new(vec![
        page(&["a1", "a2"], Some("p2")),
        page(&["a3"], Some("p3")),
        page(&["a4", "a5"], None),
    ]);
    let client = client(transport.clone(), &RecordingSleep::default(), RetryConfig::standard());
    let mut items =
        client.list_attendees().meeting_id("m-1").into_paginator().page_size(2).items().send();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        ids.push(item.unwrap().attendee_id.unwrap());
    }
    assert_eq!(ids, ["a1", "a2", "a3", "a4", "a5"]);
    let queries: Vec<String> = transport.requests().iter().map(query).collect();
    assert_eq!(
        queries,
        ["max-results=2", "next-token=p2&max-results=2", "next-token=p3&max-results=2"]
    );
    assert!(items.next().await.is_none(), "stays done");
}

#[tokio::test]
async fn paginator_pages_stop_on_an_absent_empty_or_repeated_token_and_on_errors() {
    for (last, expected_pages) in [(None, 2), (Some(""), 2), (Some("p2"), 2)] {
        let transport = Scripted::new(vec![
            page(&["a1"], Some("p2")),
            page(&["a2"], last),
            page(&["never"], None),
        ]);
        let client = client(transport.clone(), &RecordingSleep::default(), RetryConfig::standard());
        let mut pages = client.list_attendees().meeting_id("m-1").into_paginator().send();
        let mut count = 0;
        while let Some(page) = pages.next().await {
            page.unwrap();
            count += 1;
        }
        assert_eq!(count, expected_pages, "{last:?}");
        assert_eq!(transport.count(), expected_pages);
    }
    // An error ends the stream after being returned.
    let transport = Scripted::new(vec![
        page(&["a1"], Some("p2")),
        error_response(404, "NotFoundException", &[]),
    ]);
    let client = client(transport.clone(), &RecordingSleep::default(), RetryConfig::standard());
    let mut items = client.list_attendees().meeting_id("m-1").into_paginator().items().send();
    assert_eq!(items.next().await.unwrap().unwrap().attendee_id.as_deref(), Some("a1"));
    let err = items.next().await.unwrap().unwrap_err();
    assert!(matches!(err.as_service_error(), Some(ListAttendeesError::NotFoundException(_))));
    assert!(items.next().await.is_none());
}

// ---------------------------------------------------------------------------------------------
// Configuration

fn env(
    vars: &'static [(&'static str, &'static str)],
) -> impl Fn(&str) -> Option<String> + Send + Sync + Clone + 'static {
    move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
}

#[tokio::test]
async fn config_from_environment_variables() {
    let transport = Scripted::new(vec![]);
    let config = Config::builder()
        .load_env_with(env(&[
            ("AWS_REGION", "eu-central-1"),
            ("AWS_DEFAULT_REGION", "ignored-1"),
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_SESSION_TOKEN", "session-env"),
            ("AWS_ENDPOINT_URL", "http://general.example"),
            ("AWS_ENDPOINT_URL_CHIME_SDK_MEETINGS", "http://127.0.0.1:9/base"),
            ("AWS_MAX_ATTEMPTS", "4"),
        ]))
        .transport(transport.clone())
        .sleep_impl(RecordingSleep::default())
        .build();
    assert_eq!(config.region(), Some(&Region::new("eu-central-1")));
    assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:9/base"));
    assert_eq!(config.retry_config().unwrap().max_attempts(), 4);
    Client::new(config).get_meeting().meeting_id("m").send().await.unwrap();
    let request = &transport.requests()[0];
    assert_eq!(request.uri().to_string(), "http://127.0.0.1:9/base/meetings/m");
    assert!(header(request, "authorization").unwrap().contains("Credential=AKIDENV/20"));
    assert!(header(request, "authorization").unwrap().contains("/eu-central-1/chime/aws4_request"));
    assert_eq!(header(request, "x-amz-security-token"), Some("session-env"));

    let config = Config::builder()
        .load_env_with(env(&[("AWS_DEFAULT_REGION", "ap-south-1")]))
        .transport(Scripted::new(vec![]))
        .build();
    assert_eq!(config.region(), Some(&Region::new("ap-south-1")));
    // No credentials in the environment: the call fails before sending.
    let err = Client::new(config).get_meeting().meeting_id("m").send().await.unwrap_err();
    assert!(matches!(err, SdkError::CredentialsFailure(_)), "{err:?}");

    let err = Config::builder().load_env_with(env(&[])).try_build().unwrap_err();
    assert_eq!(
        err,
        ConfigError::MissingRegion { searched: vec!["AWS_REGION", "AWS_DEFAULT_REGION"] }
    );
    assert!(err.to_string().contains("looked for AWS_REGION, AWS_DEFAULT_REGION"), "{err}");
    let err = Config::builder()
        .load_env_with(env(&[("AWS_REGION", "us-east-1")]))
        .try_build()
        .unwrap_err();
    assert_eq!(
        err,
        ConfigError::MissingCredentials {
            searched: vec!["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
        }
    );
    let message = err.to_string();
    for expected in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "aws-config"] {
        assert!(message.contains(expected), "{message}");
    }
    assert_eq!(
        Config::builder().region(Region::new("us-east-1")).try_build().unwrap_err(),
        ConfigError::MissingCredentials { searched: vec![] }
    );
    let creds = EnvironmentCredentials::with_lookup(env(&[
        ("AWS_ACCESS_KEY_ID", "A"),
        ("AWS_SECRET_ACCESS_KEY", "S"),
    ]))
    .load()
    .unwrap();
    assert_eq!(
        (creds.access_key_id(), creds.secret_access_key(), creds.session_token()),
        ("A", "S", None)
    );
    let debug = format!(
        "{:?}",
        Credentials::new("AKID", "hunter2", Some("sessiontok".into()), None, "test")
    );
    assert!(
        debug.contains("AKID") && !debug.contains("hunter2") && !debug.contains("sessiontok"),
        "{debug}"
    );
}

#[tokio::test]
async fn fips_and_dual_stack_reach_the_endpoint_resolver() {
    let transport = Scripted::new(vec![]);
    let config = Config::builder()
        .region(Region::new("us-west-2"))
        .credentials(Credentials::new("A", "S", None, None, "test"))
        .use_fips(true)
        .transport(transport.clone())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::new(config).get_meeting().meeting_id("m").send().await.unwrap();
    let host = transport.requests()[0].uri().host().unwrap().to_string();
    assert!(host.contains("fips") && host.ends_with("us-west-2.amazonaws.com"), "{host}");
}

#[test]
fn futures_are_send_and_the_client_is_shareable() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<Client>();
    let client = client(Scripted::new(vec![]), &RecordingSleep::default(), RetryConfig::standard());
    // Every way of sending: the futures are `Send` (declared, and proven once in the runtime).
    let fut = client.get_meeting().meeting_id("m").send();
    assert_send(&fut);
    let fut = client.create_meeting().media_region("us-east-1").send();
    assert_send(&fut);
    let fut = client.get_meeting().meeting_id("m").customize().send();
    assert_send(&fut);
    let input = chime_sdk_meetings::operation::get_meeting::GetMeetingInput::builder()
        .meeting_id("m")
        .build();
    let fut = client.get_meeting_with(input);
    assert_send(&fut);
    let stream = client.list_attendees().meeting_id("m").into_paginator().send();
    assert_send(&stream);
    let stream = client.list_attendees().meeting_id("m").into_paginator().items().send();
    assert_send(&stream);
}

// ---------------------------------------------------------------------------------------------
// The default transport over loopback HTTP

/// Serves `replies` (status, body), one per connection, and returns the raw requests read.
async fn loopback(
    replies: Vec<(u16, &'static str)>,
) -> (String, tokio::task::JoinHandle<Vec<String>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let mut seen = Vec::new();
        for (status, body) in replies {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0_u8; 4096];
            loop {
                let n = socket.read(&mut chunk).await.unwrap();
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + length || n == 0 {
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
            seen.push(String::from_utf8_lossy(&buf).to_string());
            let error = if status >= 400 {
                "x-amzn-errortype: ServiceUnavailableException\r\n"
            } else {
                ""
            };
            let reply = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{error}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            socket.write_all(reply.as_bytes()).await.unwrap();
            socket.shutdown().await.ok();
        }
        seen
    });
    (url, server)
}

#[tokio::test]
async fn the_default_hyper_transport_talks_http_over_loopback() {
    let (url, server) = loopback(vec![
        (503, "{}"),
        (200, r#"{"Attendee":{"AttendeeId":"a-1","ExternalUserId":"alice"}}"#),
    ])
    .await;
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials(Credentials::new("AKID", "SECRET", Some("TOKEN".into()), None, "test"))
        .endpoint_url(url)
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(10)))
        .build();
    let client = Client::new(config);
    let out =
        client.create_attendee().meeting_id("m-1").external_user_id("alice").send().await.unwrap();
    assert_eq!(out.attendee.unwrap().attendee_id.as_deref(), Some("a-1"));
    let seen = server.await.unwrap();
    assert_eq!(seen.len(), 2);
    for raw in &seen {
        assert!(raw.starts_with("POST /meetings/m-1/attendees HTTP/1.1\r\n"), "{raw}");
        let lower = raw.to_ascii_lowercase();
        assert!(lower.contains("\r\nauthorization: aws4-hmac-sha256 credential=akid/"), "{raw}");
        assert!(lower.contains("\r\nx-amz-security-token: token\r\n"), "{raw}");
        assert!(raw.ends_with(r#"{"ExternalUserId":"alice"}"#), "{raw}");
    }
}

#[tokio::test]
async fn the_default_transport_reports_refused_connections_as_retryable_io_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let sleep = RecordingSleep::default();
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .endpoint_url(url)
        .sleep_impl(sleep.clone())
        .build();
    let err = Client::new(config).get_meeting().meeting_id("m").send().await.unwrap_err();
    let SdkError::DispatchFailure(e) = &err else { panic!("{err:?}") };
    assert_eq!(e.kind(), chime_sdk_meetings::client::TransportErrorKind::Io);
    assert_eq!(sleep.waits().len(), 2, "retried up to 3 attempts");
}

// ---------------------------------------------------------------------------------------------
// Dependencies

/// The crate names in `cargo tree` of the generated crate with `features`.
fn dependency_names(features: &str) -> Vec<String> {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-p",
            "chime-sdk-meetings",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--features",
            features,
        ])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("cargo tree");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    let mut names: Vec<String> =
        text.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn the_client_feature_pulls_no_http_client_and_no_async_runtime_and_rustls_uses_ring() {
    let client = dependency_names("client");
    // SigV4 by the client's own signer, on `hmac` and `sha2` (`aws-sigv4` only for event streams).
    assert!(client.contains(&"hmac".to_string()) && client.contains(&"sha2".to_string()));
    for absent in [
        "aws-sigv4",
        "hyper",
        "hyper-util",
        "hyper-rustls",
        "rustls",
        "ring",
        "mio",
        "socket2",
        "h2",
        "reqwest",
        "async-std",
    ] {
        assert!(!client.iter().any(|n| n == absent), "`client` pulls {absent}: {client:?}");
    }
    let rustls = dependency_names("rustls");
    for present in ["hyper", "hyper-util", "hyper-rustls", "rustls", "ring", "tokio"] {
        assert!(rustls.iter().any(|n| n == present), "`rustls` lacks {present}: {rustls:?}");
    }
    for absent in ["aws-lc-rs", "aws-lc-sys", "openssl", "native-tls"] {
        assert!(!rustls.iter().any(|n| n == absent), "`rustls` pulls {absent}: {rustls:?}");
    }
}
