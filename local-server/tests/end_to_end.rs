//! End to end over real loopback HTTP: the generated client (features `client` + `rustls`, its
//! default hyper transport, SigV4-signed requests) against the local server, which verifies each
//! signature with aws-sigv4 (`Verify::Key`). Every operation, pagination across pages, a forced
//! 503 retried then succeeding, and modeled errors surfacing as typed client errors.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chime_local_server::http::{Handler, ResponseFuture};
use chime_local_server::{InMemoryChime, Verify};
use chime_sdk_meetings::client::{Client, Config, Credentials, Region, RetryConfig};
use chime_sdk_meetings::operation::{
    create_attendee::CreateAttendeeError, create_meeting::CreateMeetingError,
    create_meeting_with_attendees::CreateMeetingWithAttendeesError,
    delete_meeting::DeleteMeetingError, get_attendee::GetAttendeeError,
    get_meeting::GetMeetingError, list_tags_for_resource::ListTagsForResourceError,
    start_meeting_transcription::StartMeetingTranscriptionError, tag_resource::TagResourceError,
};
use chime_sdk_meetings::types::{
    AttendeeCapabilities, AttendeeIdItem, CreateAttendeeRequestItem, EngineTranscribeSettings,
    MediaCapabilities as M, MeetingFeaturesConfiguration, Tag, TranscriptionConfiguration,
    VideoFeatures, VideoResolution,
};

const KEY: &str = "AKIDLOCALE2E";
const SECRET: &str = "e2e/secret";

fn verify() -> Verify {
    Verify::Key { access_key_id: KEY.into(), secret_access_key: SECRET.into() }
}

fn client(endpoint: &str, secret: &str, retry: RetryConfig) -> Client {
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials(Credentials::new(KEY, secret, None, None, "test"))
        .retry_config(retry)
        .build();
    Client::new(config)
}

fn caps(audio: M, video: M, content: M) -> AttendeeCapabilities {
    AttendeeCapabilities::builder().audio(audio).video(video).content(content).build().unwrap()
}

fn item(user: &str) -> CreateAttendeeRequestItem {
    CreateAttendeeRequestItem::builder().external_user_id(user).build().unwrap()
}

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

async fn server(service: InMemoryChime) -> chime_local_server::http::Server {
    chime_local_server::start_with("127.0.0.1:0".parse().unwrap(), verify(), service).await.unwrap()
}

#[tokio::test]
async fn every_operation_signed_and_verified() {
    let service = InMemoryChime::default();
    let server = server(service.clone()).await;
    let c = client(&server.endpoint_url(), SECRET, RetryConfig::standard());

    // CreateMeeting (the client fills ClientRequestToken), GetMeeting.
    let meeting = c
        .create_meeting()
        .media_region("us-west-2")
        .external_meeting_id("e2e")
        .set_tags(Some(vec![tag("team", "rtc")]))
        .send()
        .await
        .unwrap()
        .meeting
        .unwrap();
    let mid = meeting.meeting_id.clone().unwrap();
    let arn = meeting.meeting_arn.clone().unwrap();
    assert!(arn.ends_with(&mid));
    let got = c.get_meeting().meeting_id(&mid).send().await.unwrap().meeting.unwrap();
    assert_eq!(got, meeting);

    // CreateAttendee, idempotent on ExternalUserId; GetAttendee.
    let alice = c
        .create_attendee()
        .meeting_id(&mid)
        .external_user_id("alice")
        .send()
        .await
        .unwrap()
        .attendee
        .unwrap();
    let again = c
        .create_attendee()
        .meeting_id(&mid)
        .external_user_id("alice")
        .send()
        .await
        .unwrap()
        .attendee
        .unwrap();
    assert_eq!(alice, again);
    let aid = alice.attendee_id.clone().unwrap();
    assert_eq!(
        c.get_attendee().meeting_id(&mid).attendee_id(&aid).send().await.unwrap().attendee.unwrap(),
        alice
    );

    // BatchCreateAttendee, ListAttendees.
    let batch = c
        .batch_create_attendee()
        .meeting_id(&mid)
        .set_attendees(Some(vec![item("bob"), item("carol")]))
        .send()
        .await
        .unwrap();
    assert_eq!(batch.attendees.unwrap().len(), 2);
    assert_eq!(batch.errors, None);
    let listed = c.list_attendees().meeting_id(&mid).send().await.unwrap();
    let names: Vec<_> =
        listed.attendees.unwrap().into_iter().map(|a| a.external_user_id.unwrap()).collect();
    assert_eq!(names, ["alice", "bob", "carol"]);

    // UpdateAttendeeCapabilities, BatchUpdateAttendeeCapabilitiesExcept.
    let updated = c
        .update_attendee_capabilities()
        .meeting_id(&mid)
        .attendee_id(&aid)
        .capabilities(caps(M::Receive, M::Receive, M::None))
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.attendee.unwrap().capabilities.unwrap(),
        caps(M::Receive, M::Receive, M::None)
    );
    c.batch_update_attendee_capabilities_except()
        .meeting_id(&mid)
        .set_excluded_attendee_ids(Some(vec![AttendeeIdItem::builder()
            .attendee_id(&aid)
            .build()
            .unwrap()]))
        .capabilities(caps(M::Send, M::None, M::None))
        .send()
        .await
        .unwrap();
    let all = c
        .list_attendees()
        .meeting_id(&mid)
        .max_results(10)
        .send()
        .await
        .unwrap()
        .attendees
        .unwrap();
    let audio: Vec<_> =
        all.iter().map(|a| a.capabilities.as_ref().unwrap().audio.clone()).collect();
    assert_eq!(audio, [M::Receive, M::Send, M::Send]);

    // TagResource, UntagResource, ListTagsForResource.
    c.tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(vec![tag("env", "dev")]))
        .send()
        .await
        .unwrap();
    c.untag_resource()
        .resource_arn(&arn)
        .set_tag_keys(Some(vec!["team".to_owned()]))
        .send()
        .await
        .unwrap();
    let tags = c.list_tags_for_resource().resource_arn(&arn).send().await.unwrap().tags.unwrap();
    assert_eq!(tags, [tag("env", "dev")]);

    // StartMeetingTranscription, StopMeetingTranscription.
    let config = TranscriptionConfiguration::builder()
        .engine_transcribe_settings(
            EngineTranscribeSettings::builder().language_code("en-US").build(),
        )
        .build();
    c.start_meeting_transcription()
        .meeting_id(&mid)
        .transcription_configuration(config.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(service.transcription(&mid), Some(config.clone()));
    c.stop_meeting_transcription().meeting_id(&mid).send().await.unwrap();
    assert_eq!(service.transcription(&mid), None);

    // CreateMeetingWithAttendees, with a token given: a retry of the same call replays it.
    let with = c
        .create_meeting_with_attendees()
        .client_request_token("e2e-cmwa-token")
        .media_region("us-east-1")
        .external_meeting_id("e2e-2")
        .set_attendees(Some(vec![item("xavier"), item("yolanda")]))
        .send()
        .await
        .unwrap();
    let replay = c
        .create_meeting_with_attendees()
        .client_request_token("e2e-cmwa-token")
        .media_region("us-east-1")
        .external_meeting_id("e2e-2")
        .set_attendees(Some(vec![item("xavier"), item("yolanda")]))
        .send()
        .await
        .unwrap();
    assert_eq!(with, replay);
    assert_eq!(with.attendees.as_ref().unwrap().len(), 2);

    // DeleteAttendee, DeleteMeeting, then NotFound.
    c.delete_attendee().meeting_id(&mid).attendee_id(&aid).send().await.unwrap();
    let e = c.get_attendee().meeting_id(&mid).attendee_id(&aid).send().await.unwrap_err();
    assert!(matches!(e.as_service_error(), Some(GetAttendeeError::NotFoundException(_))), "{e:?}");
    c.delete_meeting().meeting_id(&mid).send().await.unwrap();
    let e = c.delete_meeting().meeting_id(&mid).send().await.unwrap_err();
    assert!(
        matches!(e.as_service_error(), Some(DeleteMeetingError::NotFoundException(_))),
        "{e:?}"
    );
    assert_eq!(service.meeting_count(), 1);

    // The same client with the wrong secret: the server recomputes the signature and refuses.
    let bad = client(&server.endpoint_url(), "not-the-secret", RetryConfig::disabled());
    let e = bad.get_meeting().meeting_id(&mid).send().await.unwrap_err();
    let Some(GetMeetingError::Unhandled(u)) = e.as_service_error() else { panic!("{e:?}") };
    assert_eq!((u.code(), u.status()), (Some("InvalidSignatureException"), Some(403)));
    server.shutdown().await;
}

#[tokio::test]
async fn pagination_across_pages() {
    let server = server(InMemoryChime::default()).await;
    let c = client(&server.endpoint_url(), SECRET, RetryConfig::standard());
    let mid = c
        .create_meeting()
        .media_region("us-east-1")
        .external_meeting_id("pages")
        .send()
        .await
        .unwrap()
        .meeting
        .unwrap()
        .meeting_id
        .unwrap();
    let mut created = Vec::new();
    for chunk in 0..3 {
        let items: Vec<_> = (0..9).map(|i| item(&format!("user-{chunk}-{i}"))).collect();
        let out = c
            .batch_create_attendee()
            .meeting_id(&mid)
            .set_attendees(Some(items))
            .send()
            .await
            .unwrap();
        created.extend(out.attendees.unwrap().into_iter().map(|a| a.attendee_id.unwrap()));
    }
    assert_eq!(created.len(), 27);
    let mut pages = c.list_attendees().meeting_id(&mid).into_paginator().page_size(5).send();
    let mut sizes = Vec::new();
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        let ids: Vec<String> =
            page.attendees.unwrap().into_iter().map(|a| a.attendee_id.unwrap()).collect();
        sizes.push(ids.len());
        seen.extend(ids);
    }
    assert_eq!(sizes, [5, 5, 5, 5, 5, 2]);
    assert_eq!(seen, created, "every attendee once, in creation order");
    server.shutdown().await;
}

/// Wraps the router: the first `failures` requests get a 503 `ServiceUnavailableException`;
/// records each request's body.
struct Flaky<H> {
    inner: H,
    failures: usize,
    seen: Arc<AtomicUsize>,
    bodies: Arc<Mutex<Vec<String>>>,
}

impl<H: Handler> Handler for Flaky<H> {
    fn handle(&self, request: http::Request<Vec<u8>>) -> ResponseFuture {
        let n = self.seen.fetch_add(1, Ordering::SeqCst);
        self.bodies.lock().unwrap().push(String::from_utf8_lossy(request.body()).into_owned());
        if n < self.failures {
            return Box::pin(async {
                http::Response::builder()
                    .status(503)
                    .header("content-type", "application/json")
                    .header("x-amzn-errortype", "ServiceUnavailableException")
                    .body(br#"{"Message":"try again"}"#.to_vec())
                    .unwrap()
            });
        }
        self.inner.handle(request)
    }
}

async fn flaky_server(
    failures: usize,
) -> (chime_local_server::http::Server, Arc<AtomicUsize>, Arc<Mutex<Vec<String>>>, InMemoryChime) {
    let service = InMemoryChime::default();
    let seen = Arc::new(AtomicUsize::new(0));
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let handler = Flaky {
        inner: chime_local_server::handler(service.clone()),
        failures,
        seen: seen.clone(),
        bodies: bodies.clone(),
    };
    let server = chime_local_server::http::bind(
        "127.0.0.1:0".parse().unwrap(),
        chime_local_server::options(verify()),
        handler,
    )
    .await
    .unwrap();
    (server, seen, bodies, service)
}

#[tokio::test]
async fn a_503_is_retried_then_succeeds() {
    let (server, seen, bodies, service) = flaky_server(1).await;
    let retry = RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20));
    let c = client(&server.endpoint_url(), SECRET, retry);
    let out = c
        .create_meeting()
        .media_region("us-east-1")
        .external_meeting_id("retried")
        .send()
        .await
        .unwrap();
    assert!(out.meeting.unwrap().meeting_id.is_some());
    assert_eq!(seen.load(Ordering::SeqCst), 2, "one 503, one success");
    assert_eq!(service.meeting_count(), 1);
    // Both attempts carried the same idempotency token (and both passed the signature check,
    // which runs before the handler).
    let bodies = bodies.lock().unwrap().clone();
    let token = |b: &str| {
        serde_json::from_str::<serde_json::Value>(b).unwrap()["ClientRequestToken"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(token(&bodies[0]), token(&bodies[1]));
    server.shutdown().await;

    // With retries off the 503 is the typed, modeled error.
    let (server, seen, _, _) = flaky_server(1).await;
    let c = client(&server.endpoint_url(), SECRET, RetryConfig::disabled());
    let e = c
        .create_meeting()
        .media_region("us-east-1")
        .external_meeting_id("x")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(e.as_service_error(), Some(CreateMeetingError::ServiceUnavailableException(_))),
        "{e:?}"
    );
    assert_eq!(seen.load(Ordering::SeqCst), 1);
    server.shutdown().await;

    // More 503s than attempts: the client gives up after its 3 attempts.
    let (server, seen, _, _) = flaky_server(10).await;
    let retry = RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5));
    let c = client(&server.endpoint_url(), SECRET, retry);
    let e = c
        .get_meeting()
        .meeting_id("11111111-2222-4333-8444-555555555555")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(e.as_service_error(), Some(GetMeetingError::ServiceUnavailableException(_))),
        "{e:?}"
    );
    assert_eq!(seen.load(Ordering::SeqCst), 3);
    server.shutdown().await;
}

#[tokio::test]
async fn modeled_errors_are_typed_on_the_client() {
    let server = server(InMemoryChime::default()).await;
    let c = client(&server.endpoint_url(), SECRET, RetryConfig::disabled());
    let unknown = "11111111-2222-4333-8444-555555555555";
    let e = c.get_meeting().meeting_id(unknown).send().await.unwrap_err();
    let Some(GetMeetingError::NotFoundException(nf)) = e.as_service_error() else {
        panic!("{e:?}")
    };
    assert!(nf.message().unwrap().contains(unknown));
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(404));
    let e =
        c.create_attendee().meeting_id(unknown).external_user_id("user").send().await.unwrap_err();
    assert!(matches!(e.into_service_error(), CreateAttendeeError::NotFoundException(_)));
    let e = c
        .list_tags_for_resource()
        .resource_arn(format!("arn:aws:chime:us-east-1:123456789012:meeting/{unknown}"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            e.as_service_error(),
            Some(ListTagsForResourceError::ResourceNotFoundException(_))
        ),
        "{e:?}"
    );

    let m = c
        .create_meeting()
        .media_region("us-east-1")
        .external_meeting_id("errors")
        .send()
        .await
        .unwrap()
        .meeting
        .unwrap();
    let mid = m.meeting_id.unwrap();
    let arn = m.meeting_arn.unwrap();
    let e = c
        .tag_resource()
        .resource_arn(&arn)
        .set_tags(Some((0..51).map(|i| tag(&format!("k{i}"), "v")).collect::<Vec<_>>()))
        .send()
        .await
        .unwrap_err();
    // 51 tags break the model's @length (max 50): the router's ValidationException, unmodeled for
    // Chime, so `Unhandled` with its code and status.
    let Some(TagResourceError::Unhandled(u)) = e.as_service_error() else { panic!("{e:?}") };
    assert_eq!((u.code(), u.status()), (Some("ValidationException"), Some(400)));
    // 50 tags are fine; one more key on the meeting is the modeled TooManyTagsException.
    c.tag_resource()
        .resource_arn(&arn)
        .set_tags(Some((0..50).map(|i| tag(&format!("k{i}"), "v")).collect::<Vec<_>>()))
        .send()
        .await
        .unwrap();
    let e = c
        .tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(vec![tag("one-more", "v")]))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(e.as_service_error(), Some(TagResourceError::TooManyTagsException(_))),
        "{e:?}"
    );
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(400));
    let config = TranscriptionConfiguration::builder()
        .engine_transcribe_settings(
            EngineTranscribeSettings::builder().language_code("en-US").build(),
        )
        .build();
    c.start_meeting_transcription()
        .meeting_id(&mid)
        .transcription_configuration(config.clone())
        .send()
        .await
        .unwrap();
    let e = c
        .start_meeting_transcription()
        .meeting_id(&mid)
        .transcription_configuration(config)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            e.as_service_error(),
            Some(StartMeetingTranscriptionError::UnprocessableEntityException(_))
        ),
        "{e:?}"
    );
    // A route the model does not have.
    let raw = c.get_meeting().meeting_id("not-a-uuid").send().await.unwrap_err();
    let Some(GetMeetingError::Unhandled(u)) = raw.as_service_error() else { panic!("{raw:?}") };
    assert_eq!((u.code(), u.status()), (Some("ValidationException"), Some(400)));
    server.shutdown().await;
}

/// The seeds' corner cases, over HTTP.
#[tokio::test]
async fn seeds_corner_cases() {
    let server = server(InMemoryChime::default()).await;
    let c = client(&server.endpoint_url(), SECRET, RetryConfig::disabled());
    let mid = c
        .create_meeting()
        .media_region("us-east-1")
        .external_meeting_id("seeds")
        .send()
        .await
        .unwrap()
        .meeting
        .unwrap()
        .meeting_id
        .unwrap();

    // Content SendReceive or Receive needs video SendReceive or Receive: BadRequestException (400).
    for (video, content) in [(M::None, M::SendReceive), (M::Send, M::Receive)] {
        let e = c
            .create_attendee()
            .meeting_id(&mid)
            .external_user_id("user")
            .capabilities(caps(M::SendReceive, video, content))
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(400));
        assert!(
            matches!(e.as_service_error(), Some(CreateAttendeeError::BadRequestException(_))),
            "{e:?}"
        );
    }
    // Video Receive with content SendReceive is allowed; content not receiving with video Receive too.
    c.create_attendee()
        .meeting_id(&mid)
        .external_user_id("ok1")
        .capabilities(caps(M::None, M::Receive, M::SendReceive))
        .send()
        .await
        .unwrap();
    c.create_attendee()
        .meeting_id(&mid)
        .external_user_id("ok2")
        .capabilities(caps(M::None, M::Receive, M::Send))
        .send()
        .await
        .unwrap();

    // MaxResolution None rejects media capabilities; defaults follow the seed.
    let features = MeetingFeaturesConfiguration::builder()
        .video(VideoFeatures::builder().max_resolution(VideoResolution::None).build())
        .build();
    let out = c
        .create_meeting_with_attendees()
        .media_region("us-east-1")
        .external_meeting_id("no-video")
        .meeting_features(features)
        .set_attendees(Some(vec![
            item("viewer"),
            CreateAttendeeRequestItem::builder()
                .external_user_id("camera")
                .capabilities(caps(M::SendReceive, M::Send, M::None))
                .build()
                .unwrap(),
        ]))
        .send()
        .await
        .unwrap();
    let attendees = out.attendees.unwrap();
    assert_eq!(attendees.len(), 1);
    assert_eq!(
        attendees[0].capabilities.clone().unwrap(),
        caps(M::SendReceive, M::Receive, M::SendReceive)
    );
    let errors = out.errors.unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].external_user_id.as_deref(), Some("camera"));
    assert_eq!(errors[0].error_code.as_deref(), Some("BadRequest"));
    let no_video = out.meeting.unwrap().meeting_id.unwrap();
    let e = c
        .create_attendee()
        .meeting_id(&no_video)
        .external_user_id("late")
        .capabilities(caps(M::SendReceive, M::Receive, M::None))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(e.as_service_error(), Some(CreateAttendeeError::BadRequestException(_))),
        "{e:?}"
    );

    // CreateMeetingWithAttendees takes 1 to 20 attendees: 21 is a 400 ValidationException naming
    // the member, and no meeting is created.
    let e = c
        .create_meeting_with_attendees()
        .media_region("us-east-1")
        .external_meeting_id("too-many")
        .set_attendees(Some((0..21).map(|i| item(&format!("user-{i:02}"))).collect::<Vec<_>>()))
        .send()
        .await
        .unwrap_err();
    let Some(CreateMeetingWithAttendeesError::Unhandled(u)) = e.as_service_error() else {
        panic!("{e:?}")
    };
    assert_eq!((u.code(), u.status()), (Some("ValidationException"), Some(400)));
    assert!(u.message().unwrap().contains("Attendees"), "{u:?}");
    let out = c
        .create_meeting_with_attendees()
        .media_region("us-east-1")
        .external_meeting_id("twenty")
        .set_attendees(Some((0..20).map(|i| item(&format!("user-{i:02}"))).collect::<Vec<_>>()))
        .send()
        .await
        .unwrap();
    assert_eq!(out.attendees.unwrap().len(), 20);
    server.shutdown().await;
}

#[tokio::test]
async fn unsigned_and_foreign_requests_are_refused() {
    let server = server(InMemoryChime::default()).await;
    // A request without SigV4, straight over TCP.
    let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(b"GET /meetings/11111111-2222-4333-8444-555555555555 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 403"), "{response}");
    assert!(
        response
            .to_ascii_lowercase()
            .contains("x-amzn-errortype: missingauthenticationtokenexception"),
        "{response}"
    );
    // Only loopback addresses are served.
    let err =
        chime_local_server::start("0.0.0.0:0".parse().unwrap(), Verify::AnyKey).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_keep_idempotency() {
    let service = InMemoryChime::default();
    let server = server(service.clone()).await;
    let c = client(&server.endpoint_url(), SECRET, RetryConfig::disabled());
    let mid = c
        .create_meeting()
        .media_region("us-east-1")
        .external_meeting_id("busy")
        .send()
        .await
        .unwrap()
        .meeting
        .unwrap()
        .meeting_id
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..24 {
        let (c, mid) = (c.clone(), mid.clone());
        // 8 distinct users, each created 3 times at once.
        tasks.push(tokio::spawn(async move {
            let user = format!("user-{}", i % 8);
            let a = c
                .create_attendee()
                .meeting_id(&mid)
                .external_user_id(&user)
                .send()
                .await
                .unwrap()
                .attendee
                .unwrap();
            (user, a.attendee_id.unwrap())
        }));
    }
    let mut by_user = std::collections::BTreeMap::new();
    for t in tasks {
        let (user, id) = t.await.unwrap();
        let first = by_user.entry(user).or_insert_with(|| id.clone());
        assert_eq!(*first, id, "the same ExternalUserId gets the same attendee");
    }
    assert_eq!(by_user.len(), 8);
    assert_eq!(service.summary()[&mid], 8);
    server.shutdown().await;
}

/// Hostile requests (any method, path, query, headers and body, with a well-formed signature
/// header) never take the server down: each gets an HTTP answer, and a normal call still works.
#[tokio::test]
async fn arbitrary_requests_get_answers() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server =
        chime_local_server::start("127.0.0.1:0".parse().unwrap(), Verify::AnyKey).await.unwrap();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];
    let paths = [
        "/meetings",
        "/meetings/",
        "/meetings/%ZZ",
        "/meetings/11111111-2222-4333-8444-555555555555/attendees",
        "/tags",
        "/tags/delete",
        "/",
        "/meetings/a/b/c/d",
    ];
    let queries = [
        "",
        "?operation=create-attendees",
        "?arn=",
        "?max-results=abc",
        "?next-token=%00",
        "?operation=batch-create&operation=x",
    ];
    let bodies: [&[u8]; 6] = [
        b"",
        b"{",
        b"[]",
        b"{\"Attendees\": 5}",
        b"\xff\xfe\x00garbage",
        b"{\"MediaRegion\":\"x\",\"ExternalMeetingId\":\"\\ud800\"}",
    ];
    for _ in 0..120 {
        let method = methods[next() as usize % methods.len()];
        let path = paths[next() as usize % paths.len()];
        let query = queries[next() as usize % queries.len()];
        let body = bodies[next() as usize % bodies.len()];
        let mut request = format!(
            "{method} {path}{query} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-amz-date: 20260301T000000Z\r\nauthorization: AWS4-HMAC-SHA256 Credential=AK/20260301/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature={}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            "0".repeat(64),
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        let mut stream = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
        stream.write_all(&request).await.unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.unwrap();
        let head = String::from_utf8_lossy(&response[..response.len().min(12)]).into_owned();
        assert!(head.starts_with("HTTP/1.1 "), "{method} {path}{query}: {head:?}");
        let status: u16 = head[9..12].parse().unwrap();
        assert!((200..600).contains(&status), "{status}");
        assert!(status != 500, "{method} {path}{query} {body:?}: a 500");
    }
    let c = client(&server.endpoint_url(), SECRET, RetryConfig::disabled());
    c.create_meeting()
        .media_region("us-east-1")
        .external_meeting_id("still-up")
        .send()
        .await
        .unwrap();
    server.shutdown().await;
}

/// `serve_blocking`, what `cargo xtask serve` runs: it reports its address once listening and
/// then answers (the thread runs until the test process ends).
#[test]
fn serve_blocking_reports_its_address_and_serves() {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = chime_local_server::serve_blocking(
            "127.0.0.1:0".parse().unwrap(),
            chime_local_server::options(verify()),
            |addr| {
                tx.send(addr).unwrap();
            },
        );
        panic!("serve_blocking returned: {result:?}");
    });
    let addr = rx.recv_timeout(Duration::from_secs(30)).expect("listening");
    assert!(addr.ip().is_loopback() && addr.port() != 0);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let c = client(&format!("http://{addr}"), SECRET, RetryConfig::disabled());
        let m = c
            .create_meeting()
            .media_region("us-east-1")
            .external_meeting_id("blocking")
            .send()
            .await
            .unwrap();
        assert!(m.meeting.unwrap().meeting_id.is_some());
    });
    // Port taken: an error, not a hang.
    let err = chime_local_server::serve_blocking(
        addr,
        chime_local_server::options(Verify::AnyKey),
        |_| panic!("not ready"),
    )
    .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
}
