//! Throughput of the generated restJson1 layer, against the limit to approach: serde_json with
//! `#[derive]`d structs of the same shape (what a hand-written client would do).
//!
//! `cargo bench -p integration-tests --bench protocol` (`BENCH_MS`: each side's time per case,
//! 2,000 by default; `BENCH_ROUNDS`: the rounds it is cut into, 15). Both sides of a case run in
//! turn in every round, so a host that slows down for a while slows both: the table gives the
//! median calls/s of each side and the median and quartiles of the rounds' ratios.
//! `BENCH_ONLY=<case>/<ours|serde> BENCH_CALLS=N` makes N calls of one side and prints nothing,
//! for counting instructions (`scripts/wire-instructions.sh`).
//!
//! - request: `CreateMeetingWithAttendees` with 10 attendees, 3 tags and features set, built into
//!   an `http::Request` (URI, headers, JSON body); the baseline serializes the same data with
//!   serde_json and builds the same request.
//! - response: a `GetMeeting` 200 response (about 1 KB of JSON) read into the output; the
//!   baseline deserializes the same bytes with serde_json into derived structs.
//! - list: a `ListAttendees` 200 response, a page of 100 attendees with their capabilities
//!   (about 24 KB), against derived structs of the same shape.
//! - error: a `GetMeeting` 404 response naming `NotFoundException` in its body (`__type`), read
//!   into the modeled error; the baseline reads the same body into a derived struct with the
//!   type, code, message and request id; a second baseline also gives what the generated
//!   error's metadata holds (code, message and the header's request id, copied).
//! - error as AWS sends it: the same 404 with the code in `X-Amzn-ErrorType`
//!   (`NotFoundException:http://internal.amazon.com/coral/...`) and a body without `__type`
//!   (`Code`, `Message`, `RequestId`), against the same two baselines.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chime_sdk_meetings::error::ResponseError;
use chime_sdk_meetings::operation::create_meeting_with_attendees::{
    CreateMeetingWithAttendees, CreateMeetingWithAttendeesInput,
};
use chime_sdk_meetings::operation::get_meeting::{GetMeeting, GetMeetingError};
use chime_sdk_meetings::operation::list_attendees::ListAttendees;
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

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BaselineList {
    attendees: Option<Vec<BaselineAttendeeOut>>,
    next_token: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BaselineAttendeeOut {
    external_user_id: Option<String>,
    attendee_id: Option<String>,
    join_token: Option<String>,
    capabilities: Option<BaselineCapabilities>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BaselineCapabilities {
    audio: String,
    video: String,
    content: String,
}

/// What a serde_json client tells its caller about the same error response (the second
/// error baseline): the body's members, and beside them the code (the header's, else the
/// body's `__type`, cut to the shape's name), the message and the header's request id, each its
/// own `String`, as the generated error's metadata keeps them.
#[allow(dead_code)]
struct BaselineErrorWithMeta {
    error: BaselineError,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

fn baseline_error_with_meta(response: &http::Response<Vec<u8>>) -> BaselineErrorWithMeta {
    const ERROR_TYPE: http::HeaderName = http::HeaderName::from_static("x-amzn-errortype");
    const REQUEST_ID: http::HeaderName = http::HeaderName::from_static("x-amzn-requestid");
    let headers = response.headers();
    let header = |name: &http::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let error: BaselineError = serde_json::from_slice(response.body()).unwrap();
    // Cut as every restJson1 client must (AWS's header carries a `:http://...` suffix): before
    // the first `:`, after the last `#`, trimmed.
    let code = header(&ERROR_TYPE).or(error.type_.as_deref()).map(|raw| {
        let name = raw.split(':').next().unwrap_or(raw);
        name.rsplit('#').next().unwrap_or(name).trim().to_string()
    });
    BaselineErrorWithMeta {
        code,
        message: error.message.clone(),
        request_id: header(&REQUEST_ID).map(str::to_string),
        error,
    }
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct BaselineError {
    #[serde(rename = "__type")]
    type_: Option<String>,
    #[serde(rename = "Code")]
    code: Option<String>,
    #[serde(rename = "Message")]
    message: Option<String>,
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
}

/// A page of `n` attendees, as `ListAttendees` returns it.
fn list_response(n: usize) -> String {
    let attendees: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"ExternalUserId":"user-{i}@example.com","AttendeeId":"a{i:07}-1234-1234-1234-123456789abc","JoinToken":"am9pbi10b2tlbi1mb3ItYXR0ZW5kZWUtbnVtYmVyLXt9LXdpdGgtcGFkZGluZw-{i}","Capabilities":{{"Audio":"SendReceive","Video":"SendReceive","Content":"Receive"}}}}"#
            )
        })
        .collect();
    format!(r#"{{"Attendees":[{}],"NextToken":"page-2-token"}}"#, attendees.join(","))
}

/// The body of the same error as AWS sends it: the code is in `X-Amzn-ErrorType`.
const AWS_ERROR_RESPONSE: &str = r#"{"Code":"NotFound","Message":"The meeting 12345678-1234-1234-1234-123456789abc was not found.","RequestId":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}"#;
const AWS_ERROR_TYPE: &str =
    "NotFoundException:http://internal.amazon.com/coral/com.amazonaws.chimesdkmeetings/";

const ERROR_RESPONSE: &str = r#"{"__type":"NotFoundException","Code":"NotFound","Message":"The meeting 12345678-1234-1234-1234-123456789abc was not found.","RequestId":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}"#;

const RESPONSE: &str = r#"{"Meeting":{"MeetingId":"12345678-1234-1234-1234-123456789abc","MeetingHostId":"host-1","ExternalMeetingId":"standup-2026-11-23","MediaRegion":"us-east-1","MediaPlacement":{"AudioHostUrl":"audio.example.com:3478","AudioFallbackUrl":"wss://audio.example.com/fallback","SignalingUrl":"wss://signal.example.com/control/1234","TurnControlUrl":"https://turn.example.com/v2/turn_sessions","ScreenDataUrl":"wss://screen.example.com/v2/screen/1234","ScreenViewingUrl":"wss://screen.example.com/ws/connect?passcode=null&viewer_uuid=null&X-BitHub-Call-Id=1234","ScreenSharingUrl":"wss://screen.example.com/v2/screen/1234","EventIngestionUrl":"https://data.example.com/v1/client-events"},"MeetingFeatures":{"Audio":{"EchoReduction":"AVAILABLE"}},"PrimaryMeetingId":"87654321-4321-4321-4321-cba987654321","TenantIds":["tenant-a","tenant-b"],"MeetingArn":"arn:aws:chime:us-east-1:123456789012:meeting/12345678-1234-1234-1234-123456789abc"}}"#;

/// The two sides of a case measured in rounds: in each round both run for the same time, one
/// after the other (which goes first alternates), so a host that slows down for a while slows
/// both. The figures are medians over the rounds, the ratio the median of the rounds' ratios.
struct Paired {
    ours: f64,
    base: f64,
    ratio: f64,
    /// The first and third quartiles of the rounds' ratios.
    quartiles: (f64, f64),
}

/// Measures `ours` against `base` in `rounds` rounds taking `budget` per side in all.
fn paired(
    budget: Duration,
    rounds: usize,
    mut ours: impl FnMut(),
    mut base: impl FnMut(),
) -> Paired {
    for _ in 0..1_000 {
        ours();
        base();
    }
    let slice = budget / rounds as u32;
    let (mut rates, mut base_rates, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (a, b) = if round % 2 == 0 {
            let a = rate(slice, &mut ours);
            (a, rate(slice, &mut base))
        } else {
            let b = rate(slice, &mut base);
            (rate(slice, &mut ours), b)
        };
        rates.push(a);
        base_rates.push(b);
        ratios.push(a / b);
    }
    Paired {
        ours: quantile(&mut rates, 0.5),
        base: quantile(&mut base_rates, 0.5),
        ratio: quantile(&mut ratios, 0.5),
        quartiles: (quantile(&mut ratios, 0.25), quantile(&mut ratios, 0.75)),
    }
}

/// Calls of `f` per second, run for about `time`.
fn rate(time: Duration, f: &mut impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < time {
        for _ in 0..100 {
            f();
        }
        n += 100;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// The `q` quantile of `values` (nearest rank).
fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse().ok());
    let budget = Duration::from_millis(env("BENCH_MS").unwrap_or(2_000));
    let rounds = env("BENCH_ROUNDS").unwrap_or(15).max(1) as usize;
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

    let response =
        http::Response::builder().status(200).body(RESPONSE.as_bytes().to_vec()).unwrap();
    let list = http::Response::builder().status(200).body(list_response(100).into_bytes()).unwrap();
    let error = http::Response::builder()
        .status(404)
        .header("x-amzn-requestid", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
        .body(ERROR_RESPONSE.as_bytes().to_vec())
        .unwrap();
    let aws_error = http::Response::builder()
        .status(404)
        .header("x-amzn-requestid", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
        .header("x-amzn-errortype", AWS_ERROR_TYPE)
        .body(AWS_ERROR_RESPONSE.as_bytes().to_vec())
        .unwrap();
    let read_error = |response: &http::Response<Vec<u8>>| {
        let result = GetMeeting::deserialize_response(black_box(response));
        assert!(matches!(
            result,
            Err(ResponseError::Service(GetMeetingError::NotFoundException(_)))
        ));
        black_box(result.err());
    };
    let serde_error = |response: &http::Response<Vec<u8>>| {
        black_box(serde_json::from_slice::<BaselineError>(black_box(response.body())).unwrap());
    };
    let serde_error_meta = |response: &http::Response<Vec<u8>>| {
        black_box(baseline_error_with_meta(black_box(response)));
    };

    // Each case: its name (for `BENCH_ONLY`), its row, our side and serde_json's.
    type Side<'a> = Box<dyn FnMut() + 'a>;
    let cases: Vec<(&str, &str, Side, Side)> = vec![
        (
            "request",
            "request: CreateMeetingWithAttendees (10+3)",
            Box::new(|| {
                black_box(
                    CreateMeetingWithAttendees::serialize_request(
                        black_box(&input),
                        endpoint,
                        &tokens,
                    )
                    .unwrap(),
                );
            }),
            Box::new(|| {
                let body = serde_json::to_vec(black_box(&baseline_input)).unwrap();
                let request = http::Request::builder()
                    .method("POST")
                    .uri(format!("{endpoint}/meetings?operation=create-attendees"))
                    .header("Content-Type", "application/json")
                    .body(body)
                    .unwrap();
                black_box(request);
            }),
        ),
        (
            "response",
            "response: GetMeeting (1 KB)",
            Box::new(|| {
                black_box(GetMeeting::deserialize_response(black_box(&response)).unwrap());
            }),
            Box::new(|| {
                black_box(
                    serde_json::from_slice::<BaselineOutput>(black_box(response.body())).unwrap(),
                );
            }),
        ),
        (
            "list",
            "list: ListAttendees (100 attendees)",
            Box::new(|| {
                black_box(ListAttendees::deserialize_response(black_box(&list)).unwrap());
            }),
            Box::new(|| {
                black_box(serde_json::from_slice::<BaselineList>(black_box(list.body())).unwrap());
            }),
        ),
        (
            "error",
            "error: GetMeeting 404 NotFoundException",
            Box::new(|| read_error(&error)),
            Box::new(|| serde_error(&error)),
        ),
        (
            "error-meta",
            "error, serde side with the metadata",
            Box::new(|| read_error(&error)),
            Box::new(|| serde_error_meta(&error)),
        ),
        (
            "aws-error",
            "error as AWS sends it (X-Amzn-ErrorType)",
            Box::new(|| read_error(&aws_error)),
            Box::new(|| serde_error(&aws_error)),
        ),
        (
            "aws-error-meta",
            "error as AWS sends it, serde with the metadata",
            Box::new(|| read_error(&aws_error)),
            Box::new(|| serde_error_meta(&aws_error)),
        ),
    ];

    // `BENCH_ONLY=<case>/<ours|serde> BENCH_CALLS=N`: N calls of one side, nothing printed
    // (for instruction counts: `scripts/wire-instructions.sh`).
    if let Ok(only) = std::env::var("BENCH_ONLY") {
        let calls: u64 = env("BENCH_CALLS").unwrap_or(1_000);
        let (name, side) = only.split_once('/').expect("BENCH_ONLY=<case>/<ours|serde>");
        let (_, _, mut ours, mut base) = cases
            .into_iter()
            .find(|(case, ..)| *case == name)
            .unwrap_or_else(|| panic!("BENCH_ONLY: no case `{name}`"));
        let f = match side {
            "ours" => &mut ours,
            "serde" => &mut base,
            _ => panic!("BENCH_ONLY: the side is `ours` or `serde`, not `{side}`"),
        };
        for _ in 0..calls {
            f();
        }
        return;
    }

    println!("{rounds} rounds of {} ms per side", budget.as_millis() / rounds as u128);
    println!(
        "{:<48} {:>12} {:>12} {:>7} {:>13}",
        "", "generated/s", "serde/s", "ratio", "quartiles"
    );
    for (_, label, ours, base) in cases {
        let p = paired(budget, rounds, ours, base);
        println!(
            "{label:<48} {:>12.0} {:>12.0} {:>7.2} {:>6.2}-{:<6.2}",
            p.ours, p.base, p.ratio, p.quartiles.0, p.quartiles.1
        );
    }
}
