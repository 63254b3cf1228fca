//! The generated client (`chime_sdk_meetings`, feature `client`) over an in-memory
//! [`Transport`] that answers every request with the case's canned response.

use std::hint::black_box;
use std::sync::{Arc, Mutex};

use chime_sdk_meetings::byte_stream::ByteStream;
use chime_sdk_meetings::client::{
    Client, Config, Credentials, Region, RetryConfig, SdkError, StreamingTransportFuture,
    Transport, TransportFuture,
};
use chime_sdk_meetings::operation::get_meeting::GetMeetingError;
use chime_sdk_meetings::types::{
    AudioFeatures, CreateAttendeeRequestItem, MeetingFeatureStatus, MeetingFeaturesConfiguration,
};

use crate::cases::{self, Canned, Case, Outcome, Sent};
use crate::document::ours as document;

/// Answers with the canned response; with `sent`, also records each request.
struct CannedTransport {
    canned: Canned,
    sent: Option<Arc<Mutex<Vec<Sent>>>>,
}

impl Transport for CannedTransport {
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
        self.record(&request, request.body());
        let response = self.canned.response(self.canned.body.to_vec());
        Box::pin(std::future::ready(Ok(response)))
    }

    /// The client sends every request here. The canned body is handed over as one shared
    /// `Bytes` chunk, without a copy, as hyper hands over a body that arrived in one piece (and
    /// as the official crate's test client hands over its `SdkBody`).
    fn send_streaming(&self, request: http::Request<ByteStream>) -> StreamingTransportFuture<'_> {
        self.record(&request, request.body().bytes().unwrap_or_default());
        let body = ByteStream::from_body(OneChunk(Some(self.canned.body.clone())));
        Box::pin(std::future::ready(Ok(self.canned.response(body))))
    }
}

impl CannedTransport {
    fn record<B>(&self, request: &http::Request<B>, body: &[u8]) {
        if let Some(sent) = &self.sent {
            sent.lock().unwrap().push(Sent::new(request, body));
        }
    }
}

/// A body of one chunk, already in memory.
struct OneChunk(Option<bytes::Bytes>);

impl http_body::Body for OneChunk {
    type Data = bytes::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, Self::Error>>> {
        std::task::Poll::Ready(self.0.take().map(|chunk| Ok(http_body::Frame::data(chunk))))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.0.as_ref().map_or(0, |chunk| chunk.len() as u64))
    }
}

/// A client for `case`: fixed credentials and region, the endpoint URL set, retries off.
pub fn client(case: Case, sent: Option<Arc<Mutex<Vec<Sent>>>>) -> Client {
    let config = Config::builder()
        .region(Region::new(cases::REGION))
        .credentials(Credentials::new(
            cases::ACCESS_KEY_ID,
            cases::SECRET_ACCESS_KEY,
            None,
            None,
            "benchmark",
        ))
        .endpoint_url(cases::ENDPOINT)
        .transport(CannedTransport { canned: cases::canned(case), sent })
        .retry_config(RetryConfig::disabled())
        .try_build()
        .expect("a complete configuration");
    Client::from_conf(config)
}

/// One call of `case`, the result dropped (after a check that it is the expected kind).
pub async fn call(client: &Client, case: Case) {
    match case {
        Case::GetMeeting => {
            let out = client.get_meeting().meeting_id(cases::MEETING_ID).send().await;
            black_box(out.expect("GetMeeting succeeds"));
        }
        Case::CreateMeetingWithAttendees => {
            let out = create_meeting_with_attendees(client).await;
            black_box(out.expect("CreateMeetingWithAttendees succeeds"));
        }
        Case::ListAttendees => {
            let out = client
                .list_attendees()
                .meeting_id(cases::MEETING_ID)
                .max_results(cases::PAGE_SIZE as i32)
                .send()
                .await;
            black_box(out.expect("ListAttendees succeeds"));
        }
        Case::NotFound => {
            let err = client.get_meeting().meeting_id(cases::MISSING_MEETING_ID).send().await;
            let err = err.expect_err("GetMeeting fails");
            assert!(matches!(err, SdkError::ServiceError(_)));
            black_box(err);
        }
    }
}

async fn create_meeting_with_attendees(
    client: &Client,
) -> Result<
    chime_sdk_meetings::operation::create_meeting_with_attendees::CreateMeetingWithAttendeesOutput,
    SdkError<
        chime_sdk_meetings::operation::create_meeting_with_attendees::CreateMeetingWithAttendeesError,
    >,
>{
    let attendees: Vec<CreateAttendeeRequestItem> = cases::attendee_names()
        .into_iter()
        .map(|name| CreateAttendeeRequestItem::builder().external_user_id(name).build())
        .collect::<Result<_, _>>()
        .expect("attendees have their required member");
    let features = MeetingFeaturesConfiguration::builder()
        .audio(AudioFeatures::builder().echo_reduction(MeetingFeatureStatus::Available).build())
        .build();
    client
        .create_meeting_with_attendees()
        .client_request_token(cases::CLIENT_REQUEST_TOKEN)
        .media_region(cases::REGION)
        .external_meeting_id(cases::EXTERNAL_MEETING_ID)
        .meeting_features(features)
        .set_attendees(Some(attendees))
        .send()
        .await
}

/// One call of `case`, its result in the common form.
pub async fn outcome(client: &Client, case: Case) -> Outcome {
    match case {
        Case::GetMeeting => match client.get_meeting().meeting_id(cases::MEETING_ID).send().await {
            Ok(out) => Outcome::Output(document::get_meeting(&out)),
            Err(e) => Outcome::Other(format!("{e:?}")),
        },
        Case::CreateMeetingWithAttendees => match create_meeting_with_attendees(client).await {
            Ok(out) => Outcome::Output(document::create_meeting_with_attendees(&out)),
            Err(e) => Outcome::Other(format!("{e:?}")),
        },
        Case::ListAttendees => {
            let out = client
                .list_attendees()
                .meeting_id(cases::MEETING_ID)
                .max_results(cases::PAGE_SIZE as i32)
                .send()
                .await;
            match out {
                Ok(out) => Outcome::Output(document::list_attendees(&out)),
                Err(e) => Outcome::Other(format!("{e:?}")),
            }
        }
        Case::NotFound => {
            match client.get_meeting().meeting_id(cases::MISSING_MEETING_ID).send().await {
                Err(SdkError::ServiceError(e)) => match e.err() {
                    GetMeetingError::NotFoundException(e) => Outcome::Error {
                        shape: "NotFoundException",
                        members: document::not_found(&e.code, &e.message, &e.request_id),
                    },
                    other => Outcome::Other(format!("{other:?}")),
                },
                other => Outcome::Other(format!("{other:?}")),
            }
        }
    }
}
