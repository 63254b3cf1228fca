//! The four calls both clients make, and the canned responses both transports return (the same
//! status, headers and body bytes).

use serde_json::{json, Value};

/// Region, credentials and endpoint both clients are configured with.
pub const REGION: &str = "us-east-1";
pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const ENDPOINT: &str = "https://meetings-chime.us-east-1.amazonaws.com";

/// What the calls send.
pub const MEETING_ID: &str = "12345678-1234-1234-1234-123456789abc";
pub const MISSING_MEETING_ID: &str = "00000000-0000-0000-0000-000000000000";
pub const EXTERNAL_MEETING_ID: &str = "standup-2026-11-23";
pub const CLIENT_REQUEST_TOKEN: &str = "11111111-2222-4333-8444-555555555555";
pub const ATTENDEES_TO_CREATE: usize = 10;
pub const PAGE_SIZE: usize = 100;
pub const ERROR_MESSAGE: &str = "The requested meeting does not exist.";

/// A benchmark case: one call through the whole client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// `GetMeeting`, a 200 with a meeting of about 1 KB.
    GetMeeting,
    /// `CreateMeetingWithAttendees` with 10 attendees, answered with the meeting and them.
    CreateMeetingWithAttendees,
    /// `ListAttendees` answered with a page of 100 attendees and a next token.
    ListAttendees,
    /// `GetMeeting` answered with a modeled 404 `NotFoundException`.
    NotFound,
}

impl Case {
    pub const ALL: [Case; 4] =
        [Case::GetMeeting, Case::CreateMeetingWithAttendees, Case::ListAttendees, Case::NotFound];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Case::GetMeeting => "get-meeting",
            Case::CreateMeetingWithAttendees => "create-meeting-with-attendees",
            Case::ListAttendees => "list-attendees",
            Case::NotFound => "not-found",
        }
    }

    /// The row label of the results table.
    pub fn label(self) -> &'static str {
        match self {
            Case::GetMeeting => "GetMeeting (1 KB response)",
            Case::CreateMeetingWithAttendees => "CreateMeetingWithAttendees (10)",
            Case::ListAttendees => "ListAttendees (page of 100)",
            Case::NotFound => "GetMeeting -> 404 NotFoundException",
        }
    }

    pub fn from_name(name: &str) -> Option<Case> {
        Case::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The external user ids of the attendees `CreateMeetingWithAttendees` creates.
pub fn attendee_names() -> Vec<String> {
    (0..ATTENDEES_TO_CREATE).map(|i| format!("user-{i}@example.com")).collect()
}

/// A response both transports give for a case: built afresh for every call from these parts.
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(&'static str, &'static str)>,
    pub body: bytes::Bytes,
    /// The body as JSON: what a correct client reads (for the success cases).
    pub document: Value,
}

impl Canned {
    /// The response with `body` (each transport's own body type).
    pub fn response<B>(&self, body: B) -> http::Response<B> {
        let mut builder = http::Response::builder().status(self.status);
        for (name, value) in &self.headers {
            builder = builder.header(*name, *value);
        }
        builder.body(body).expect("the canned status and headers are valid")
    }
}

fn meeting() -> Value {
    json!({
        "MeetingId": MEETING_ID,
        "MeetingHostId": "host-1",
        "ExternalMeetingId": EXTERNAL_MEETING_ID,
        "MediaRegion": REGION,
        "MediaPlacement": {
            "AudioHostUrl": "4a3ac2a5cd2b4fa1.k.m1.ue1.app.chime.aws:3478",
            "AudioFallbackUrl": "wss://wss.k.m1.ue1.app.chime.aws:443/calls/12345678-1234-1234-1234-123456789abc",
            "SignalingUrl": "wss://signal.m1.ue1.app.chime.aws/control/12345678-1234-1234-1234-123456789abc",
            "TurnControlUrl": "https://2713.cell.us-east-1.meetings.chime.aws/v2/turn_sessions",
            "ScreenDataUrl": "wss://bitpw.m1.ue1.app.chime.aws:443/v2/screen/12345678-1234-1234-1234-123456789abc",
            "ScreenViewingUrl": "wss://bitpw.m1.ue1.app.chime.aws:443/ws/connect?passcode=null&viewer_uuid=null&X-BitHub-Call-Id=12345678-1234-1234-1234-123456789abc",
            "ScreenSharingUrl": "wss://bitpw.m1.ue1.app.chime.aws:443/v2/screen/12345678-1234-1234-1234-123456789abc",
            "EventIngestionUrl": "https://data.svc.ue1.ingest.chime.aws/v1/client-events"
        },
        "MeetingFeatures": {
            "Audio": {"EchoReduction": "AVAILABLE"},
            "Video": {"MaxResolution": "HD"},
            "Content": {"MaxResolution": "FHD"},
            "Attendee": {"MaxCount": 250}
        },
        "PrimaryMeetingId": "87654321-4321-4321-4321-cba987654321",
        "TenantIds": ["tenant-a", "tenant-b"],
        "MeetingArn": format!("arn:aws:chime:us-east-1:123456789012:meeting/{MEETING_ID}")
    })
}

fn attendee(i: usize, external_user_id: &str) -> Value {
    json!({
        "ExternalUserId": external_user_id,
        "AttendeeId": format!("a7e0{i:04}-1b2c-4d5e-8f90-123456789abc"),
        "JoinToken": format!("ZmZkNWQ3ZjMtZGQ0Ny00N2U3LWE0MTgtNjQxMzYxYWE3NzVkOmMwNDA5YjU5{i:08}"),
        "Capabilities": {"Audio": "SendReceive", "Video": "SendReceive", "Content": "Receive"}
    })
}

fn success(document: Value) -> Canned {
    let body = serde_json::to_vec(&document).expect("JSON values serialize");
    Canned {
        status: 200,
        headers: vec![
            ("content-type", "application/json"),
            ("x-amzn-requestid", "5f3c1e64-0d2a-4b8e-9c71-2a7d4e6b8f01"),
        ],
        body: body.into(),
        document,
    }
}

/// The canned response of `case`.
pub fn canned(case: Case) -> Canned {
    match case {
        Case::GetMeeting => success(json!({ "Meeting": meeting() })),
        Case::CreateMeetingWithAttendees => {
            let attendees: Vec<Value> =
                attendee_names().iter().enumerate().map(|(i, n)| attendee(i, n)).collect();
            success(json!({ "Meeting": meeting(), "Attendees": attendees, "Errors": [] }))
        }
        Case::ListAttendees => {
            let attendees: Vec<Value> =
                (0..PAGE_SIZE).map(|i| attendee(i, &format!("user-{i}@example.com"))).collect();
            success(json!({ "Attendees": attendees, "NextToken": "bmV4dC1wYWdlLXRva2VuLTEwMA==" }))
        }
        Case::NotFound => {
            let document = json!({
                "Code": "NotFound",
                "Message": ERROR_MESSAGE,
                "RequestId": "0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9"
            });
            Canned {
                status: 404,
                headers: vec![
                    ("content-type", "application/json"),
                    ("x-amzn-requestid", "0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9"),
                    ("x-amzn-errortype", "NotFoundException"),
                ],
                body: serde_json::to_vec(&document).expect("JSON values serialize").into(),
                document,
            }
        }
    }
}

/// A request as a transport saw it, reduced to what both clients must agree on.
#[derive(Debug)]
pub struct Sent {
    pub method: String,
    pub uri: String,
    pub body: Vec<u8>,
    pub authorization: Option<String>,
    pub amz_date: Option<String>,
}

impl Sent {
    pub fn new<B>(request: &http::Request<B>, body: &[u8]) -> Sent {
        let header = |name: &str| {
            request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
        };
        Sent {
            method: request.method().to_string(),
            uri: request.uri().to_string(),
            body: body.to_vec(),
            authorization: header("authorization"),
            amz_date: header("x-amz-date"),
        }
    }
}

/// What a call returned, in one form for both clients: the output in the JSON document form
/// (member names as keys), or the modeled error's name and members.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Output(Value),
    Error { shape: &'static str, members: Value },
    Other(String),
}
