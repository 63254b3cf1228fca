//! The generated crate's API in the official SDK's shape (issue 12), exercised through the
//! crate's own mock client (feature `test-util`), as an application's tests would use it:
//! accessors and appending builders, the error API (`is_<variant>()`, `ProvideErrorMetadata`,
//! `RequestId`, the crate-level `Error` with `?`, each message once in a printed chain),
//! paginators (a starting token, `collect`, `try_collect`, `try_next`, `futures_core::Stream`),
//! and the mocks themselves (matchers, canned outputs, errors and HTTP responses, recorded
//! requests, sequential rules, no rule).

use std::collections::BTreeMap;

use chime_sdk_meetings::client::mock::{mock, mock_client, mock_config, RuleMode};
use chime_sdk_meetings::client::{SdkError, Sleep};
use chime_sdk_meetings::error::{DisplayErrorContext, ProvideErrorMetadata};
use chime_sdk_meetings::operation::create_meeting::CreateMeetingInput;
use chime_sdk_meetings::operation::get_meeting::{GetMeetingError, GetMeetingOutput};
use chime_sdk_meetings::operation::list_attendees::ListAttendeesOutput;
use chime_sdk_meetings::operation::tag_resource::TagResourceInput;
use chime_sdk_meetings::operation::RequestId;
use chime_sdk_meetings::types::error::NotFoundException;
use chime_sdk_meetings::types::{
    Attendee, AttendeeCapabilities, MediaCapabilities, Meeting, MeetingFeatureStatus, Tag,
};
use chime_sdk_meetings::Client;

fn meeting(id: &str) -> GetMeetingOutput {
    GetMeetingOutput::builder()
        .meeting(Meeting::builder().meeting_id(id).media_region("us-east-1").build())
        .build()
}

fn not_found(request_id: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(404)
        .header("x-amzn-errortype", "NotFoundException")
        .header("x-amzn-requestid", request_id)
        .header("content-type", "application/json")
        .body(br#"{"Message":"The meeting m-9 does not exist."}"#.to_vec())
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Accessors and builders

#[test]
fn accessors_borrow_and_lists_are_slices() {
    let out = meeting("m-1");
    let m: Option<&Meeting> = out.meeting();
    assert_eq!(m.and_then(|m| m.meeting_id()), Some("m-1"));
    assert_eq!(m.and_then(|m| m.primary_meeting_id()), None);
    // An absent list is an empty slice; a present one its elements.
    let empty = ListAttendeesOutput::builder().build();
    let attendees: &[Attendee] = empty.attendees();
    assert!(attendees.is_empty());
    let two = ListAttendeesOutput::builder()
        .attendees(Attendee::builder().attendee_id("a").build())
        .attendees(Attendee::builder().attendee_id("b").build())
        .build();
    let ids: Vec<_> = two.attendees().iter().filter_map(|a| a.attendee_id()).collect();
    assert_eq!(ids, ["a", "b"]);
    // A required member is a reference.
    let caps = AttendeeCapabilities::builder()
        .audio(MediaCapabilities::SendReceive)
        .video(MediaCapabilities::Receive)
        .content(MediaCapabilities::None)
        .build()
        .unwrap();
    let audio: &MediaCapabilities = caps.audio();
    assert_eq!(audio, &MediaCapabilities::SendReceive);
    // Numbers are copies.
    let input = chime_sdk_meetings::operation::list_attendees::ListAttendeesInput::builder()
        .max_results(7)
        .build();
    let max: Option<i32> = input.max_results();
    assert_eq!(max, Some(7));
}

#[test]
fn list_setters_append_set_replaces_and_get_reads_back() {
    let builder = CreateMeetingInput::builder().tenant_ids("t1").tenant_ids("t2");
    assert_eq!(builder.get_tenant_ids(), &Some(vec!["t1".to_string(), "t2".to_string()]));
    let builder = builder.set_tenant_ids(Some(vec!["only".into()]));
    assert_eq!(builder.get_tenant_ids().as_deref(), Some(&["only".to_string()][..]));
    let builder = builder.set_tenant_ids(None).media_region("eu-west-1");
    assert_eq!(builder.get_tenant_ids(), &None);
    assert_eq!(builder.get_media_region().as_deref(), Some("eu-west-1"));
    let input = TagResourceInput::builder()
        .tags(Tag::builder().key("a").value("1").build().unwrap())
        .tags(Tag::builder().key("b").value("2").build().unwrap())
        .build();
    let keys: Vec<&str> = input.tags().iter().map(|t| t.key()).collect();
    assert_eq!(keys, ["a", "b"]);
}

#[test]
fn fluent_builders_have_the_same_setters_and_getters() {
    let client = mock_client(&[]);
    let call = client
        .create_meeting()
        .tenant_ids("t1")
        .tenant_ids("t2")
        .media_region("us-east-1")
        .set_external_meeting_id(Some("ext".into()));
    assert_eq!(call.get_tenant_ids(), &Some(vec!["t1".to_string(), "t2".to_string()]));
    assert_eq!(call.get_external_meeting_id().as_deref(), Some("ext"));
    assert_eq!(call.as_input().get_media_region().as_deref(), Some("us-east-1"));
}

// ---------------------------------------------------------------------------------------------
// Errors

/// A call's future is moved whole (into the caller's future, into the runtime) before its
/// first poll, so its size is copied at each move: it must hold the orchestration once. Before
/// the timeout race took its work pinned, the orchestration was held twice (GetMeeting's
/// `send()` future 8,976 bytes, 4,440 after, in a release build with `client` alone).
#[test]
fn a_calls_future_holds_the_orchestration_once() {
    let client = mock_client(&[]);
    let get = client.get_meeting().meeting_id("m-1").send();
    let create = client.create_meeting_with_attendees().media_region("us-east-1").send();
    let sizes = [std::mem::size_of_val(&get), std::mem::size_of_val(&create)];
    assert!(sizes.iter().all(|&size| size < 8 * 1024), "send() futures of {sizes:?} bytes");
}

/// An error's metadata takes its message from `message`, else `Message`, else `errorMessage`,
/// whatever key the error's own message member is bound to (Chime's: `Message`); the member
/// falls back to the metadata's message when its own key is absent.
#[test]
fn an_errors_message_member_and_metadata_message_follow_their_own_keys() {
    use chime_sdk_meetings::operation::get_meeting::GetMeeting;
    let read = |body: &str| {
        let response = http::Response::builder().status(404).body(body.as_bytes().to_vec());
        match GetMeeting::deserialize_response(&response.unwrap()) {
            Err(chime_sdk_meetings::error::ResponseError::Service(
                GetMeetingError::NotFoundException(e),
            )) => (e.message().map(str::to_string), e.meta().message().map(str::to_string)),
            other => panic!("not a NotFoundException: {other:?}"),
        }
    };
    let some = |s: &str| Some(s.to_string());
    let cases = [
        (r#"{"__type":"NotFoundException","Message":"upper"}"#, some("upper"), some("upper")),
        (
            r#"{"__type":"NotFoundException","Message":"upper","message":"lower"}"#,
            some("upper"),
            some("lower"),
        ),
        (
            r#"{"message":"lower","__type":"NotFoundException","Message":"up\u0070er"}"#,
            some("upper"),
            some("lower"),
        ),
        (r#"{"__type":"NotFoundException","errorMessage":"em"}"#, some("em"), some("em")),
        (
            r#"{"__type":"NotFoundException","Message":null,"errorMessage":"em"}"#,
            some("em"),
            some("em"),
        ),
        (
            r#"{"Message":"first","__type":"NotFoundException","Message":"last"}"#,
            some("last"),
            some("last"),
        ),
        (r#"{"__type":"NotFoundException","Message":"caf\u00e9"}"#, some("café"), some("café")),
        (r#"{"__type":"NotFoundException"}"#, None, None),
    ];
    for (body, member, meta) in cases {
        assert_eq!(read(body), (member, meta), "{body}");
    }
}

#[tokio::test]
async fn errors_tell_their_variant_code_message_and_request_id() {
    let rule = mock(Client::get_meeting).then_http_response(|| not_found("req-404"));
    let client = mock_client(&[&rule]);
    let err = client.get_meeting().meeting_id("m-9").send().await.unwrap_err();
    // SdkError: the metadata of the service's error, and the response's request id.
    assert_eq!(ProvideErrorMetadata::code(&err), Some("NotFoundException"));
    assert_eq!(ProvideErrorMetadata::message(&err), Some("The meeting m-9 does not exist."));
    assert_eq!(err.request_id(), Some("req-404"));
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(404));
    // The operation's error.
    let service = err.as_service_error().expect("a service error");
    assert!(service.is_not_found_exception());
    assert!(!service.is_forbidden_exception());
    assert_eq!(service.meta().request_id(), Some("req-404"));
    assert_eq!(service.request_id(), Some("req-404"));
    assert_eq!(service.code(), Some("NotFoundException"));
    let GetMeetingError::NotFoundException(e) = err.into_service_error() else {
        panic!("a NotFoundException")
    };
    assert_eq!(e.message(), Some("The meeting m-9 does not exist."));
    // The trait reads the response's request id; the inherent accessor is the member the body
    // carried (Chime's errors model a `RequestId` member), absent here.
    assert_eq!(RequestId::request_id(&e), Some("req-404"));
    assert_eq!(e.request_id(), None);
    assert_eq!(e.meta().request_id(), Some("req-404"));
    assert_eq!(ProvideErrorMetadata::code(&e), Some("NotFoundException"));
}

#[tokio::test]
async fn outputs_keep_the_request_id_of_their_response() {
    let rule = mock(Client::get_meeting).then_http_response(|| {
        http::Response::builder()
            .status(200)
            .header("x-amzn-requestid", "req-200")
            .header("content-type", "application/json")
            .body(br#"{"Meeting":{"MeetingId":"m-1"}}"#.to_vec())
            .unwrap()
    });
    let client = mock_client(&[&rule]);
    let out = client.get_meeting().meeting_id("m-1").send().await.unwrap();
    assert_eq!(out.request_id(), Some("req-200"));
    assert_eq!(out.meeting().and_then(|m| m.meeting_id()), Some("m-1"));
    // A canned output has no response, hence no request id.
    let canned = mock(Client::get_meeting).then_output(|| meeting("m-2"));
    let out = mock_client(&[&canned]).get_meeting().meeting_id("m-2").send().await.unwrap();
    assert_eq!(out.request_id(), None);
}

#[tokio::test]
async fn each_message_appears_once_in_a_printed_source_chain() {
    let rule = mock(Client::get_meeting).then_http_response(|| not_found("req-1"));
    let client = mock_client(&[&rule]);
    let err = client.get_meeting().meeting_id("m-9").send().await.unwrap_err();
    let chain = DisplayErrorContext(&err).to_string();
    assert_eq!(
        chain,
        "service error (HTTP 404): NotFoundException: The meeting m-9 does not exist."
    );
    assert_eq!(chain.matches("does not exist").count(), 1);
    // Through the crate-level Error too.
    let crate_error = chime_sdk_meetings::Error::from(err);
    let chain = DisplayErrorContext(&crate_error).to_string();
    assert_eq!(chain.matches("does not exist").count(), 1, "{chain}");
}

#[tokio::test]
async fn into_service_error_turns_other_failures_into_unhandled() {
    // No rule answers: a dispatch failure, which into_service_error() gives as the operation
    // error's Unhandled, its message the failure's (as the official SDK's does).
    let err = mock_client(&[]).get_meeting().meeting_id("m-1").send().await.unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    let GetMeetingError::Unhandled(unhandled) = err.into_service_error() else {
        panic!("an Unhandled")
    };
    let message = unhandled.message().unwrap_or_default();
    assert!(message.starts_with("dispatch failure: "), "{message}");
    assert!(message.contains("no mock rule"), "{message}");
    assert_eq!(unhandled.code(), None);
}

async fn meeting_region(client: &Client, id: &str) -> Result<String, chime_sdk_meetings::Error> {
    let out = client.get_meeting().meeting_id(id).send().await?;
    Ok(out.meeting().and_then(|m| m.media_region()).unwrap_or_default().to_string())
}

#[tokio::test]
async fn question_mark_converts_every_sdk_error_into_the_crate_error() {
    let found = mock(Client::get_meeting)
        .match_requests(|input| input.meeting_id() == Some("m-1"))
        .then_output(|| meeting("m-1"));
    let missing = mock(Client::get_meeting).then_http_response(|| not_found("req-2"));
    let client = mock_client(&[&found, &missing]);
    assert_eq!(meeting_region(&client, "m-1").await.unwrap(), "us-east-1");
    let err = meeting_region(&client, "m-2").await.unwrap_err();
    let chime_sdk_meetings::Error::NotFoundException(e) = &err else { panic!("{err:?}") };
    assert_eq!(e.message(), Some("The meeting m-9 does not exist."));
    assert_eq!(ProvideErrorMetadata::code(&err), Some("NotFoundException"));
    assert_eq!(err.request_id(), Some("req-2"));
    // A failure that is no service error is the crate Error's catch-all, with its message.
    let nothing = mock_client(&[]);
    let err = meeting_region(&nothing, "m-1").await.unwrap_err();
    assert!(matches!(err, chime_sdk_meetings::Error::Unhandled(_)), "{err:?}");
    assert!(DisplayErrorContext(&err).to_string().contains("no mock rule"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Enums

#[test]
fn an_unknown_enum_value_reads_back_but_is_no_known_variant() {
    let value = MeetingFeatureStatus::from("PARTIALLY_AVAILABLE");
    assert_eq!(value.as_str(), "PARTIALLY_AVAILABLE");
    let known = match &value {
        MeetingFeatureStatus::Available | MeetingFeatureStatus::Unavailable => true,
        // The forward-compatible arm: a wildcard, reading the raw value.
        other => other.as_str().is_empty(),
    };
    assert!(!known);
}

// ---------------------------------------------------------------------------------------------
// Paginators

fn attendees_page(ids: &[&str], next: Option<&str>) -> ListAttendeesOutput {
    let mut page = ListAttendeesOutput::builder().set_next_token(next.map(str::to_string));
    for id in ids {
        page = page.attendees(Attendee::builder().attendee_id(*id).build());
    }
    page.build()
}

/// Three pages keyed by the token they are asked with.
fn three_pages() -> Vec<chime_sdk_meetings::client::mock::Rule> {
    let pages: BTreeMap<Option<&'static str>, (Vec<&'static str>, Option<&'static str>)> =
        BTreeMap::from([
            (None, (vec!["a1", "a2"], Some("p2"))),
            (Some("p2"), (vec!["a3"], Some("p3"))),
            (Some("p3"), (vec!["a4"], None)),
        ]);
    pages
        .into_iter()
        .map(|(token, (ids, next))| {
            mock(Client::list_attendees)
                .match_requests(move |input| input.next_token() == token)
                .then_output(move || attendees_page(&ids, next))
        })
        .collect()
}

#[tokio::test]
async fn pages_collect_and_items_try_collect() {
    let rules = three_pages();
    let client = mock_client(&rules.iter().collect::<Vec<_>>());
    let pages: Vec<_> =
        client.list_attendees().meeting_id("m").into_paginator().send().collect().await;
    assert_eq!(pages.len(), 3);
    let items = client
        .list_attendees()
        .meeting_id("m")
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = items.iter().filter_map(|a| a.attendee_id()).collect();
    assert_eq!(ids, ["a1", "a2", "a3", "a4"]);
    assert_eq!(rules.iter().map(|r| r.num_calls()).collect::<Vec<_>>(), [2, 2, 2]);
}

#[tokio::test]
async fn a_starting_token_resumes_the_listing() {
    let rules = three_pages();
    let client = mock_client(&rules.iter().collect::<Vec<_>>());
    let mut pages =
        client.list_attendees().meeting_id("m").next_token("p2").into_paginator().send();
    let first = pages.try_next().await.unwrap().unwrap();
    assert_eq!(first.attendees()[0].attendee_id(), Some("a3"));
    let second = pages.try_next().await.unwrap().unwrap();
    assert_eq!(second.attendees()[0].attendee_id(), Some("a4"));
    assert!(pages.try_next().await.unwrap().is_none());
    assert_eq!(rules[0].num_calls(), 0, "the first page was never asked for");
    // The request carried the saved token.
    let sent = &rules[1].requests()[0];
    assert!(sent.uri().query().unwrap_or_default().contains("next-token=p2"), "{}", sent.uri());
}

#[tokio::test]
async fn pagination_streams_are_futures_core_streams() {
    use futures_core::Stream;
    let rules = three_pages();
    let client = mock_client(&rules.iter().collect::<Vec<_>>());
    let mut items = client.list_attendees().meeting_id("m").into_paginator().items().send();
    let mut ids = Vec::new();
    while let Some(item) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut items).poll_next(cx)).await
    {
        ids.push(item.unwrap().attendee_id.unwrap());
    }
    assert_eq!(ids, ["a1", "a2", "a3", "a4"]);
    fn is_stream<S: Stream + Send + Unpin>(_: &S) {}
    is_stream(&items);
}

#[tokio::test]
async fn an_error_ends_the_pages_after_being_returned() {
    let first = mock(Client::list_attendees)
        .match_requests(|input| input.next_token().is_none())
        .then_output(|| attendees_page(&["a1"], Some("p2")));
    let gone = mock(Client::list_attendees).then_http_response(|| not_found("req-3"));
    let client = mock_client(&[&first, &gone]);
    let result =
        client.list_attendees().meeting_id("m").into_paginator().items().send().try_collect().await;
    let err = result.unwrap_err();
    assert!(err.as_service_error().is_some_and(|e| e.is_not_found_exception()), "{err:?}");
    assert_eq!((first.num_calls(), gone.num_calls()), (1, 1));
}

// ---------------------------------------------------------------------------------------------
// The mocks

#[tokio::test]
async fn mocks_record_the_signed_requests_and_answer_canned_errors() {
    let ok = mock(Client::get_meeting)
        .match_requests(|input| input.meeting_id() == Some("m-1"))
        .then_output(|| meeting("m-1"));
    let missing = mock(Client::get_meeting).then_error(|| {
        GetMeetingError::NotFoundException(NotFoundException::builder().message("canned").build())
    });
    let client = mock_client(&[&ok, &missing]);
    let out = client.get_meeting().meeting_id("m-1").send().await.unwrap();
    assert_eq!(out.meeting().and_then(|m| m.meeting_id()), Some("m-1"));
    let err = client.get_meeting().meeting_id("other").send().await.unwrap_err();
    assert_eq!(ProvideErrorMetadata::message(&err), Some("canned"));
    assert!(matches!(err, SdkError::ServiceError(_)));
    assert_eq!((ok.num_calls(), missing.num_calls()), (1, 1));
    // The request the client made: the real one, signed.
    let sent = &ok.requests()[0];
    assert_eq!(sent.method(), "GET");
    assert_eq!(sent.uri().path(), "/meetings/m-1");
    let auth = sent.headers()["authorization"].to_str().unwrap();
    assert!(auth.contains("/us-east-1/chime/aws4_request"), "{auth}");
}

#[tokio::test]
async fn sequential_rules_answer_in_order_and_retries_see_canned_errors() {
    use chime_sdk_meetings::client::RetryConfig;
    let throttled = mock(Client::get_meeting).then_http_response(|| {
        http::Response::builder()
            .status(429)
            .header("x-amzn-errortype", "ThrottlingException")
            .body(b"{}".to_vec())
            .unwrap()
    });
    let ok = mock(Client::get_meeting).then_output(|| meeting("m-1"));
    let config = mock_config(RuleMode::Sequential, &[&throttled, &ok])
        .retry_config(RetryConfig::standard())
        .sleep_impl(NoSleep)
        .build();
    let client = Client::from_conf(config);
    client.get_meeting().meeting_id("m-1").send().await.unwrap();
    assert_eq!((throttled.num_calls(), ok.num_calls()), (1, 1), "retried once");
    // The rules are used up: a third call has no answer.
    let err = client.get_meeting().meeting_id("m-1").send().await.unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
}

#[derive(Debug)]
struct NoSleep;

impl chime_sdk_meetings::client::AsyncSleep for NoSleep {
    fn sleep(&self, _: std::time::Duration) -> Sleep {
        Sleep::new(async {})
    }
}
