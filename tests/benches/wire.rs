//! Throughput of the generated restJson1 layer, against the limit to approach: serde_json with
//! `#[derive]`d structs of the same shape (what a hand-written client would do).
//!
//! `cargo bench -p integration-tests --bench wire`
//!
//! - request: `CreateMeetingWithAttendees` with 10 attendees, 3 tags and features set, built into
//!   an `http::Request` (URI, headers, JSON body); the baseline serializes the same data with
//!   serde_json and builds the same request.
//! - response: a `GetMeeting` 200 response (about 1 KB of JSON) read into the output; the
//!   baseline deserializes the same bytes with serde_json into derived structs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chime_sdk_meetings::operation::create_meeting_with_attendees::{
    CreateMeetingWithAttendees, CreateMeetingWithAttendeesInput,
};
use chime_sdk_meetings::operation::get_meeting::GetMeeting;
use chime_sdk_meetings::primitives::FixedTokens;
use chime_sdk_meetings::types::{
    AudioFeatures, CreateAttendeeRequestItem, MeetingFeatureStatus, MeetingFeaturesConfiguration,
    Tag,
};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct BaselineInput<'a> {
    client_request_token: &'a str,
    media_region: &'a str,
    external_meeting_id: &'a str,
    meeting_features: BaselineFeatures<'a>,
    attendees: Vec<BaselineAttendee<'a>>,
    tags: Vec<BaselineTag<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct BaselineFeatures<'a> {
    audio: BaselineAudio<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct BaselineAudio<'a> {
    echo_reduction: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct BaselineAttendee<'a> {
    external_user_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct BaselineTag<'a> {
    key: &'a str,
    value: &'a str,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BaselineOutput {
    meeting: Option<BaselineMeeting>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BaselineMeeting {
    meeting_id: Option<String>,
    meeting_host_id: Option<String>,
    external_meeting_id: Option<String>,
    media_region: Option<String>,
    media_placement: Option<BaselinePlacement>,
    meeting_features: Option<BaselineFeaturesOut>,
    primary_meeting_id: Option<String>,
    tenant_ids: Option<Vec<String>>,
    meeting_arn: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BaselinePlacement {
    audio_host_url: Option<String>,
    audio_fallback_url: Option<String>,
    signaling_url: Option<String>,
    turn_control_url: Option<String>,
    screen_data_url: Option<String>,
    screen_viewing_url: Option<String>,
    screen_sharing_url: Option<String>,
    event_ingestion_url: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BaselineFeaturesOut {
    audio: Option<BaselineAudioOut>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BaselineAudioOut {
    echo_reduction: Option<String>,
}

const RESPONSE: &str = r#"{"Meeting":{"MeetingId":"12345678-1234-1234-1234-123456789abc","MeetingHostId":"host-1","ExternalMeetingId":"standup-2026-11-23","MediaRegion":"us-east-1","MediaPlacement":{"AudioHostUrl":"audio.example.com:3478","AudioFallbackUrl":"wss://audio.example.com/fallback","SignalingUrl":"wss://signal.example.com/control/1234","TurnControlUrl":"https://turn.example.com/v2/turn_sessions","ScreenDataUrl":"wss://screen.example.com/v2/screen/1234","ScreenViewingUrl":"wss://screen.example.com/ws/connect?passcode=null&viewer_uuid=null&X-BitHub-Call-Id=1234","ScreenSharingUrl":"wss://screen.example.com/v2/screen/1234","EventIngestionUrl":"https://data.example.com/v1/client-events"},"MeetingFeatures":{"Audio":{"EchoReduction":"AVAILABLE"}},"PrimaryMeetingId":"87654321-4321-4321-4321-cba987654321","TenantIds":["tenant-a","tenant-b"],"MeetingArn":"arn:aws:chime:us-east-1:123456789012:meeting/12345678-1234-1234-1234-123456789abc"}}"#;

/// Runs `f` repeatedly for about `budget`; returns operations per second.
fn measure(budget: Duration, mut f: impl FnMut()) -> f64 {
    for _ in 0..1_000 {
        f();
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for _ in 0..100 {
            f();
        }
        n += 100;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let budget = Duration::from_millis(
        std::env::var("BENCH_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000),
    );
    let endpoint = "https://meetings-chime.us-east-1.amazonaws.com";
    let tokens = FixedTokens::counter();

    let names: Vec<String> = (0..10).map(|i| format!("user-{i}@example.com")).collect();
    let input: CreateMeetingWithAttendeesInput = CreateMeetingWithAttendeesInput::builder()
        .client_request_token("11111111-2222-4333-8444-555555555555")
        .media_region("us-east-1")
        .external_meeting_id("standup-2026-11-23")
        .meeting_features(
            MeetingFeaturesConfiguration::builder()
                .audio(
                    AudioFeatures::builder()
                        .echo_reduction(MeetingFeatureStatus::Available)
                        .build(),
                )
                .build(),
        )
        .set_attendees(Some(
            names
                .iter()
                .map(|n| CreateAttendeeRequestItem::builder().external_user_id(n).build().unwrap())
                .collect::<Vec<_>>(),
        ))
        .set_tags(Some(
            (0..3)
                .map(|i| {
                    Tag::builder()
                        .key(format!("key-{i}"))
                        .value(format!("value-{i}"))
                        .build()
                        .unwrap()
                })
                .collect::<Vec<_>>(),
        ))
        .build();
    let baseline_input = BaselineInput {
        client_request_token: "11111111-2222-4333-8444-555555555555",
        media_region: "us-east-1",
        external_meeting_id: "standup-2026-11-23",
        meeting_features: BaselineFeatures { audio: BaselineAudio { echo_reduction: "AVAILABLE" } },
        attendees: names.iter().map(|n| BaselineAttendee { external_user_id: n }).collect(),
        tags: vec![
            BaselineTag { key: "key-0", value: "value-0" },
            BaselineTag { key: "key-1", value: "value-1" },
            BaselineTag { key: "key-2", value: "value-2" },
        ],
    };

    let ours_req = measure(budget, || {
        black_box(
            CreateMeetingWithAttendees::serialize_request(black_box(&input), endpoint, &tokens)
                .unwrap(),
        );
    });
    let base_req = measure(budget, || {
        let body = serde_json::to_vec(black_box(&baseline_input)).unwrap();
        let request = http::Request::builder()
            .method("POST")
            .uri(format!("{endpoint}/meetings?operation=create-attendees"))
            .header("Content-Type", "application/json")
            .body(body)
            .unwrap();
        black_box(request);
    });

    let response =
        http::Response::builder().status(200).body(RESPONSE.as_bytes().to_vec()).unwrap();
    let ours_resp = measure(budget, || {
        black_box(GetMeeting::deserialize_response(black_box(&response)).unwrap());
    });
    let base_resp = measure(budget, || {
        black_box(serde_json::from_slice::<BaselineOutput>(black_box(response.body())).unwrap());
    });

    println!("{:<44} {:>12} {:>12} {:>8}", "", "generated/s", "serde/s", "ratio");
    println!(
        "{:<44} {:>12.0} {:>12.0} {:>8.2}",
        "request: CreateMeetingWithAttendees (10+3)",
        ours_req,
        base_req,
        ours_req / base_req
    );
    println!(
        "{:<44} {:>12.0} {:>12.0} {:>8.2}",
        "response: GetMeeting (1 KB)",
        ours_resp,
        base_resp,
        ours_resp / base_resp
    );
}
