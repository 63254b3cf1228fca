//! The official `aws-sdk-chimesdkmeetings` client over its test HTTP client
//! (`aws_smithy_http_client::test_util::infallible_client_fn`) answering every request with the
//! case's canned response.
//!
//! Configured like ours: the same region, static credentials and endpoint URL, retries off.
//! Also off, because ours has no equivalent that would cost anything here: stalled-stream
//! protection (it wraps bodies in a throughput monitor driven by the async sleep) and timeouts
//! (none are set by default for operations; `TimeoutConfig::disabled()` makes it explicit).

use std::hint::black_box;
use std::sync::{Arc, Mutex};

use aws_sdk_chimesdkmeetings::config::retry::RetryConfig;
use aws_sdk_chimesdkmeetings::config::timeout::TimeoutConfig;
use aws_sdk_chimesdkmeetings::config::{
    BehaviorVersion, Credentials, Region, StalledStreamProtectionConfig,
};
use aws_sdk_chimesdkmeetings::error::SdkError;
use aws_sdk_chimesdkmeetings::operation::get_meeting::GetMeetingError;
use aws_sdk_chimesdkmeetings::types::{
    AudioFeatures, CreateAttendeeRequestItem, MeetingFeatureStatus, MeetingFeaturesConfiguration,
};
use aws_sdk_chimesdkmeetings::Client;
use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_types::body::SdkBody;

use crate::cases::{self, Case, Outcome, Sent};
use crate::document::official as document;

/// A client for `case`; with `sent`, every request is recorded.
pub fn client(case: Case, sent: Option<Arc<Mutex<Vec<Sent>>>>) -> Client {
    let canned = cases::canned(case);
    let http_client = infallible_client_fn(move |request: http::Request<SdkBody>| {
        if let Some(sent) = &sent {
            let body = request.body().bytes().unwrap_or_default();
            sent.lock().unwrap().push(Sent::new(&request, body));
        }
        canned.response(SdkBody::from(canned.body.clone()))
    });
    let config = aws_sdk_chimesdkmeetings::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(cases::REGION))
        .credentials_provider(Credentials::new(
            cases::ACCESS_KEY_ID,
            cases::SECRET_ACCESS_KEY,
            None,
            None,
            "benchmark",
        ))
        .endpoint_url(cases::ENDPOINT)
        .http_client(http_client)
        .retry_config(RetryConfig::disabled())
        .timeout_config(TimeoutConfig::disabled())
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
        .build();
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

type CreateResult = Result<
    aws_sdk_chimesdkmeetings::operation::create_meeting_with_attendees::CreateMeetingWithAttendeesOutput,
    SdkError<
        aws_sdk_chimesdkmeetings::operation::create_meeting_with_attendees::CreateMeetingWithAttendeesError,
        aws_sdk_chimesdkmeetings::config::http::HttpResponse,
    >,
>;

async fn create_meeting_with_attendees(client: &Client) -> CreateResult {
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
