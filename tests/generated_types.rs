//! Behaviour of the generated Chime crate at the type level: builders, enums (including values
//! the model does not know), redaction of sensitive members, errors, and the serde document form.

use chime_sdk_meetings::error::BuildError;
use chime_sdk_meetings::operation::create_attendee::{CreateAttendeeError, CreateAttendeeInput};
use chime_sdk_meetings::operation::create_meeting::CreateMeetingInput;
use chime_sdk_meetings::types::error::{NotFoundException, ServiceUnavailableException};
use chime_sdk_meetings::types::{
    Attendee, AttendeeCapabilities, AudioFeatures, MediaCapabilities, MeetingFeatureStatus, MeetingFeaturesConfiguration,
    Tag, TranscribeLanguageCode,
};

#[test]
fn builders_set_members_and_report_missing_required_ones() {
    let tag = Tag::builder().key("team").value("media").build().expect("both members set");
    assert_eq!(tag.key, "team");
    assert_eq!(tag.value, "media");

    let err: BuildError = Tag::builder().key("team").build().expect_err("Value is required");
    assert_eq!(err.member(), "Value");
    assert_eq!(err.to_string(), "cannot build `Tag`: the required member `Value` was not set");

    // Operation inputs are `@input` structures: every member is optional for clients, so
    // `build()` cannot fail and the service, not the client, judges what is missing.
    let input: CreateAttendeeInput = CreateAttendeeInput::builder().meeting_id("m-1").build();
    assert_eq!(input.meeting_id.as_deref(), Some("m-1"));
    assert_eq!(input.external_user_id, None);

    let caps = AttendeeCapabilities::builder()
        .audio(MediaCapabilities::SendReceive)
        .video(MediaCapabilities::None)
        .content(MediaCapabilities::Receive)
        .build()
        .expect("all required members set");
    assert_eq!(caps.audio, MediaCapabilities::SendReceive);
    let with_setter = AttendeeCapabilities::builder()
        .set_audio(Some(MediaCapabilities::Send))
        .set_video(None)
        .content(MediaCapabilities::Send)
        .build();
    assert_eq!(with_setter.expect_err("video unset").member(), "Video");
}

#[test]
fn enums_round_trip_known_and_unknown_values() {
    assert_eq!(MeetingFeatureStatus::from("AVAILABLE"), MeetingFeatureStatus::Available);
    assert_eq!(MeetingFeatureStatus::Available.as_str(), "AVAILABLE");
    assert_eq!(MeetingFeatureStatus::values(), &["AVAILABLE", "UNAVAILABLE"]);
    assert_eq!("UNAVAILABLE".parse::<MeetingFeatureStatus>(), Ok(MeetingFeatureStatus::Unavailable));
    assert_eq!(MeetingFeatureStatus::Unavailable.to_string(), "UNAVAILABLE");

    // A value a newer service sends is kept exactly, and is not confused with a known one.
    let future = MeetingFeatureStatus::from("PARTIALLY_AVAILABLE");
    assert!(matches!(future, MeetingFeatureStatus::Unknown(_)));
    assert_eq!(future.as_str(), "PARTIALLY_AVAILABLE");
    assert_eq!(future.to_string(), "PARTIALLY_AVAILABLE");
    assert_ne!(future, MeetingFeatureStatus::Available);
    assert_eq!(MeetingFeatureStatus::from(future.as_str()), future);

    // Values with dashes convert to UpperCamelCase variants.
    assert_eq!(TranscribeLanguageCode::from("en-US"), TranscribeLanguageCode::EnUs);
    assert!(TranscribeLanguageCode::values().contains(&"ja-JP"));
}

#[test]
fn debug_redacts_sensitive_members() {
    let attendee = Attendee::builder()
        .attendee_id("a-1")
        .external_user_id("alice@example.com")
        .join_token("secret-join-token-123")
        .build();
    let printed = format!("{attendee:?}");
    assert!(!printed.contains("secret-join-token-123"), "{printed}");
    assert!(!printed.contains("alice@example.com"), "{printed}");
    assert!(printed.contains("*** Sensitive Data Redacted ***"), "{printed}");
    assert!(printed.contains("a-1"), "non-sensitive members stay visible: {printed}");
    // Builders redact too.
    let builder = Attendee::builder().join_token("secret-join-token-123");
    assert!(!format!("{builder:?}").contains("secret-join-token-123"));
    // Pretty-printed nested values as well.
    let input = CreateMeetingInput::builder().client_request_token("token-xyz").external_meeting_id("ext-9").build();
    let pretty = format!("{input:#?}");
    assert!(!pretty.contains("token-xyz") && !pretty.contains("ext-9"), "{pretty}");
}

#[test]
fn serde_document_form_uses_model_member_names_and_omits_absent_members() {
    let input = CreateMeetingInput::builder()
        .client_request_token("tok")
        .media_region("us-east-1")
        .external_meeting_id("ext")
        .meeting_features(
            MeetingFeaturesConfiguration::builder()
                .audio(AudioFeatures::builder().echo_reduction(MeetingFeatureStatus::Available).build())
                .build(),
        )
        .tenant_ids(vec!["t1".to_string(), "t2".to_string()])
        .build();
    let json = serde_json::to_string(&input).unwrap();
    assert_eq!(
        json,
        r#"{"ClientRequestToken":"tok","MediaRegion":"us-east-1","ExternalMeetingId":"ext","MeetingFeatures":{"Audio":{"EchoReduction":"AVAILABLE"}},"TenantIds":["t1","t2"]}"#
    );
    let back: CreateMeetingInput = serde_json::from_str(&json).unwrap();
    assert_eq!(back, input);

    // Unknown keys are ignored, null means absent, unknown enum values are kept.
    let parsed: MeetingFeaturesConfiguration =
        serde_json::from_str(r#"{"Audio":{"EchoReduction":"SOMETIMES"},"Video":null,"NewThing":[1,2,{"x":null}]}"#).unwrap();
    assert_eq!(parsed.audio.as_ref().and_then(|a| a.echo_reduction.as_ref()).map(|e| e.as_str()), Some("SOMETIMES"));
    assert_eq!(parsed.video, None);

    // A missing required member is a deserialization error naming it.
    let err = serde_json::from_str::<Tag>(r#"{"Key":"k"}"#).unwrap_err();
    assert!(err.to_string().contains("`Value`"), "{err}");
    // Wrong types are errors, not panics.
    assert!(serde_json::from_str::<Tag>(r#"{"Key":1,"Value":"v"}"#).is_err());
    assert!(serde_json::from_str::<Tag>(r#"[]"#).is_err());
}

#[test]
fn errors_display_their_code_and_message() {
    let not_found = NotFoundException::builder().message("no such meeting").build();
    assert_eq!(not_found.to_string(), "NotFoundException: no such meeting");
    assert_eq!(not_found.message(), Some("no such meeting"));
    assert_eq!(NotFoundException::CODE, "NotFoundException");
    assert_eq!(not_found.http_status(), Some(404));
    assert!(!not_found.is_server_fault());

    let unavailable = ServiceUnavailableException::builder().retry_after_seconds("30").build();
    assert!(unavailable.is_server_fault());
    assert_eq!(unavailable.http_status(), Some(503));

    let op_error = CreateAttendeeError::NotFoundException(not_found);
    assert_eq!(op_error.code(), Some("NotFoundException"));
    assert_eq!(op_error.to_string(), "NotFoundException: no such meeting");
    let source = std::error::Error::source(&op_error).expect("the modeled error is the source");
    assert_eq!(source.to_string(), "NotFoundException: no such meeting");

    let mut unhandled = chime_sdk_meetings::error::Unhandled::new(Some("Teapot".into()), Some("short and stout".into()));
    unhandled.status = Some(418);
    unhandled.request_id = Some("req-1".into());
    let op_error = CreateAttendeeError::Unhandled(unhandled);
    assert_eq!(op_error.code(), Some("Teapot"));
    assert_eq!(op_error.to_string(), "unmodeled service error Teapot (HTTP 418): short and stout [request id req-1]");
}
