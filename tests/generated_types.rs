//! Behaviour of the generated Chime crate at the type level: builders, enums (including values
//! the model does not know), redaction of sensitive members, errors, and the serde document form.

use chime_sdk_meetings::error::BuildError;
use chime_sdk_meetings::operation::create_attendee::{CreateAttendeeError, CreateAttendeeInput};
use chime_sdk_meetings::operation::create_meeting::CreateMeetingInput;
use chime_sdk_meetings::types::error::{NotFoundException, ServiceUnavailableException};
use chime_sdk_meetings::types::{
    Attendee, AttendeeCapabilities, AudioFeatures, MediaCapabilities, MeetingFeatureStatus,
    MeetingFeaturesConfiguration, Tag, TranscribeLanguageCode,
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
    assert_eq!(
        "UNAVAILABLE".parse::<MeetingFeatureStatus>(),
        Ok(MeetingFeatureStatus::Unavailable)
    );
    assert_eq!(MeetingFeatureStatus::Unavailable.to_string(), "UNAVAILABLE");

    // A value a newer service sends is kept exactly, and is not confused with a known one.
    let future = MeetingFeatureStatus::from("PARTIALLY_AVAILABLE");
    assert!(!MeetingFeatureStatus::values().contains(&future.as_str()));
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
    let input = CreateMeetingInput::builder()
        .client_request_token("token-xyz")
        .external_meeting_id("ext-9")
        .build();
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
                .audio(
                    AudioFeatures::builder()
                        .echo_reduction(MeetingFeatureStatus::Available)
                        .build(),
                )
                .build(),
        )
        .tenant_ids("t1")
        .tenant_ids("t2")
        .build();
    let json = serde_json::to_string(&input).unwrap();
    assert_eq!(
        json,
        r#"{"ClientRequestToken":"tok","MediaRegion":"us-east-1","ExternalMeetingId":"ext","MeetingFeatures":{"Audio":{"EchoReduction":"AVAILABLE"}},"TenantIds":["t1","t2"]}"#
    );
    let back: CreateMeetingInput = serde_json::from_str(&json).unwrap();
    assert_eq!(back, input);

    // Unknown keys are ignored, null means absent, unknown enum values are kept.
    let parsed: MeetingFeaturesConfiguration = serde_json::from_str(
        r#"{"Audio":{"EchoReduction":"SOMETIMES"},"Video":null,"NewThing":[1,2,{"x":null}]}"#,
    )
    .unwrap();
    assert_eq!(
        parsed.audio.as_ref().and_then(|a| a.echo_reduction.as_ref()).map(|e| e.as_str()),
        Some("SOMETIMES")
    );
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
    // The variant's error is the same failure, not a cause: no source, so a printed chain
    // shows the message once.
    assert!(std::error::Error::source(&op_error).is_none());

    let unhandled = chime_sdk_meetings::error::Unhandled::new(
        Some("Teapot".into()),
        Some("short and stout".into()),
    )
    .with_status(418)
    .with_request_id("req-1");
    let op_error = CreateAttendeeError::Unhandled(unhandled);
    assert_eq!(op_error.code(), Some("Teapot"));
    assert_eq!(
        op_error.to_string(),
        "unmodeled service error Teapot (HTTP 418): short and stout [request id req-1]"
    );
}

#[test]
fn validate_reports_every_violation_with_its_path() {
    use chime_sdk_meetings::operation::create_meeting_with_attendees::CreateMeetingWithAttendeesInput;
    use chime_sdk_meetings::types::CreateAttendeeRequestItem;

    // A valid input passes.
    let ok = CreateAttendeeInput::builder()
        .meeting_id("12345678-1234-1234-1234-123456789abc")
        .external_user_id("alice")
        .build();
    assert_eq!(ok.validate(), Ok(()));

    // Missing required members, a bad pattern, a length below the minimum and an enum value the
    // model does not know, nested in a list: all reported, each with its member path.
    let bad = CreateAttendeeInput::builder()
        .meeting_id("not-a-guid")
        .external_user_id("a")
        .capabilities(
            AttendeeCapabilities::builder()
                .audio(MediaCapabilities::from("Shout"))
                .video(MediaCapabilities::None)
                .content(MediaCapabilities::None)
                .build()
                .unwrap(),
        )
        .build();
    let errors = bad.validate().unwrap_err();
    let found: Vec<(String, String)> =
        errors.errors().iter().map(|e| (e.path().to_string(), e.message().to_string())).collect();
    assert_eq!(
        found,
        [
            (
                "MeetingId".to_string(),
                "does not match the pattern `^[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}$`".to_string()
            ),
            ("ExternalUserId".to_string(), "length 1 is below the minimum of 2".to_string()),
            ("Capabilities.Audio".to_string(), "`Shout` is not one of the enum's known values".to_string()),
        ]
    );
    let missing = CreateAttendeeInput::builder().build().validate().unwrap_err();
    assert_eq!(missing.to_string(), "2 constraint violation(s): `MeetingId` is required but not set; `ExternalUserId` is required but not set");

    let nested = CreateMeetingWithAttendeesInput::builder()
        .attendees(
            CreateAttendeeRequestItem::builder().external_user_id("ok-user").build().unwrap(),
        )
        .attendees(CreateAttendeeRequestItem::builder().external_user_id("x").build().unwrap())
        .build();
    let errors = nested.validate().unwrap_err();
    assert!(
        errors.errors().iter().any(|e| e.path() == "Attendees[1].ExternalUserId"
            && e.message().contains("below the minimum")),
        "{errors}"
    );
}

#[test]
fn requests_are_not_refused_for_constraints_only_for_missing_labels() {
    use chime_sdk_meetings::operation::create_attendee::CreateAttendee;
    use chime_sdk_meetings::primitives::FixedTokens;

    let tokens = FixedTokens::counter();
    // Constraint violations do not stop a request (the service judges them)...
    let input =
        CreateAttendeeInput::builder().meeting_id("not-a-guid").external_user_id("a").build();
    let request = CreateAttendee::serialize_request(
        &input,
        "https://meetings-chime.us-east-1.amazonaws.com",
        &tokens,
    )
    .unwrap();
    assert_eq!(request.method(), "POST");
    assert_eq!(
        request.uri(),
        "https://meetings-chime.us-east-1.amazonaws.com/meetings/not-a-guid/attendees"
    );
    assert_eq!(request.body().as_slice(), br#"{"ExternalUserId":"a"}"#);
    // ...but a missing or empty label does, before anything is sent.
    for input in [
        CreateAttendeeInput::builder().build(),
        CreateAttendeeInput::builder().meeting_id("").build(),
    ] {
        let err =
            CreateAttendee::serialize_request(&input, "https://example.com", &tokens).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot build the request: the URI label `MeetingId` is missing or empty"
        );
    }
}

#[test]
fn idempotency_tokens_are_filled_once_per_logical_call() {
    use chime_sdk_meetings::operation::create_meeting::CreateMeeting;
    use chime_sdk_meetings::primitives::FixedTokens;

    let tokens = FixedTokens::counter();
    let mut input =
        CreateMeetingInput::builder().media_region("us-east-1").external_meeting_id("ext").build();
    input.fill_idempotency_tokens(&tokens);
    let first = CreateMeeting::serialize_request(&input, "https://example.com", &tokens).unwrap();
    let retry = CreateMeeting::serialize_request(&input, "https://example.com", &tokens).unwrap();
    assert_eq!(tokens.made(), 1, "one token for the logical call, reused by the retry");
    assert_eq!(first.body(), retry.body());
    let body: serde_json::Value = serde_json::from_slice(first.body()).unwrap();
    assert_eq!(body["ClientRequestToken"], "00000000-0000-4000-8000-000000000001");
    // A token the caller set is never replaced.
    let mut own = CreateMeetingInput::builder().client_request_token("mine").build();
    own.fill_idempotency_tokens(&tokens);
    assert_eq!(own.client_request_token.as_deref(), Some("mine"));
    assert_eq!(tokens.made(), 1);
}
