//! The in-memory service's documented behaviour, called directly (no HTTP): ids, idempotency,
//! capability rules from the seeds, limits, not-found, tags, pagination, transcription.

// The service's methods return the generated operation errors, larger than clippy's threshold
// for an `Err` (they keep the response's metadata, as the official SDK's do).
#![allow(clippy::result_large_err)]

use chime_local_server::{InMemoryChime, Settings};
use chime_sdk_meetings::operation::{
    batch_create_attendee::*, batch_update_attendee_capabilities_except::*, create_attendee::*,
    create_meeting::*, create_meeting_with_attendees::*, delete_attendee::*, delete_meeting::*,
    get_attendee::*, get_meeting::*, list_attendees::*, list_tags_for_resource::*,
    start_meeting_transcription::*, stop_meeting_transcription::*, tag_resource::*,
    untag_resource::*, update_attendee_capabilities::*,
};
use chime_sdk_meetings::primitives::is_uuid_v4;
use chime_sdk_meetings::types::{
    AttendeeCapabilities, AttendeeFeatures, AttendeeIdItem, ContentFeatures, ContentResolution,
    CreateAttendeeRequestItem, EngineTranscribeSettings, MediaCapabilities as M,
    MeetingFeaturesConfiguration, Tag, TranscriptionConfiguration, VideoFeatures, VideoResolution,
};

fn caps(audio: M, video: M, content: M) -> AttendeeCapabilities {
    AttendeeCapabilities::builder().audio(audio).video(video).content(content).build().unwrap()
}

fn item(user: &str) -> CreateAttendeeRequestItem {
    CreateAttendeeRequestItem::builder().external_user_id(user).build().unwrap()
}

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

fn meeting(
    svc: &InMemoryChime,
    token: &str,
    features: Option<MeetingFeaturesConfiguration>,
) -> String {
    let out = svc
        .create_meeting(
            CreateMeetingInput::builder()
                .client_request_token(token)
                .media_region("us-east-1")
                .external_meeting_id("ext-meeting")
                .set_meeting_features(features)
                .build(),
        )
        .unwrap();
    out.meeting.unwrap().meeting_id.unwrap()
}

fn features(
    video: Option<VideoResolution>,
    content: Option<ContentResolution>,
) -> MeetingFeaturesConfiguration {
    MeetingFeaturesConfiguration::builder()
        .set_video(video.map(|v| VideoFeatures::builder().max_resolution(v).build()))
        .set_content(content.map(|c| ContentFeatures::builder().max_resolution(c).build()))
        .build()
}

fn attend(
    svc: &InMemoryChime,
    meeting: &str,
    user: &str,
    c: Option<AttendeeCapabilities>,
) -> Result<CreateAttendeeOutput, CreateAttendeeError> {
    svc.create_attendee(
        CreateAttendeeInput::builder()
            .meeting_id(meeting)
            .external_user_id(user)
            .set_capabilities(c)
            .build(),
    )
}

#[test]
fn meetings_have_ids_arns_and_media_placement() {
    let svc = InMemoryChime::default();
    let out = svc
        .create_meeting(
            CreateMeetingInput::builder()
                .client_request_token("t1")
                .media_region("eu-west-2")
                .external_meeting_id("standup")
                .set_tenant_ids(Some(vec!["tenant-1".to_owned()]))
                .build(),
        )
        .unwrap();
    let m = out.meeting.unwrap();
    let id = m.meeting_id.clone().unwrap();
    assert!(is_uuid_v4(&id), "{id}");
    assert_eq!(m.media_region.as_deref(), Some("eu-west-2"));
    assert_eq!(m.external_meeting_id.as_deref(), Some("standup"));
    assert_eq!(m.tenant_ids.as_deref(), Some(&["tenant-1".to_owned()][..]));
    assert_eq!(
        m.meeting_arn.unwrap(),
        format!("arn:aws:chime:eu-west-2:123456789012:meeting/{id}")
    );
    let p = m.media_placement.unwrap();
    for url in [&p.audio_host_url, &p.audio_fallback_url, &p.signaling_url, &p.event_ingestion_url]
    {
        assert!(url.as_deref().is_some_and(|u| u.contains("eu-west-2")), "{url:?}");
    }
    assert!(p.signaling_url.unwrap().ends_with(&id));
    let got = svc.get_meeting(GetMeetingInput::builder().meeting_id(&id).build()).unwrap();
    assert_eq!(got.meeting.unwrap().meeting_id.as_deref(), Some(id.as_str()));
}

#[test]
fn client_request_token_is_idempotent() {
    let svc = InMemoryChime::default();
    let a = meeting(&svc, "same-token", None);
    let b = meeting(&svc, "same-token", None);
    let c = meeting(&svc, "other-token", None);
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(svc.meeting_count(), 2);

    let req = CreateMeetingWithAttendeesInput::builder()
        .client_request_token("cmwa")
        .media_region("us-east-1")
        .external_meeting_id("x1")
        .set_attendees(Some(vec![item("alice"), item("bob")]))
        .build();
    let first = svc.create_meeting_with_attendees(req.clone()).unwrap();
    let again = svc.create_meeting_with_attendees(req).unwrap();
    assert_eq!(first, again);
    assert_eq!(first.attendees.as_ref().unwrap().len(), 2);
    assert_eq!(svc.meeting_count(), 3);
}

#[test]
fn external_user_id_is_idempotent_within_a_meeting() {
    let svc = InMemoryChime::default();
    let m1 = meeting(&svc, "t1", None);
    let m2 = meeting(&svc, "t2", None);
    let a = attend(&svc, &m1, "alice", None).unwrap().attendee.unwrap();
    let again = attend(&svc, &m1, "alice", None).unwrap().attendee.unwrap();
    let elsewhere = attend(&svc, &m2, "alice", None).unwrap().attendee.unwrap();
    assert_eq!(a, again);
    assert_ne!(a.attendee_id, elsewhere.attendee_id);
    assert!(is_uuid_v4(a.attendee_id.as_deref().unwrap()));
    assert!(a.join_token.as_deref().is_some_and(|t| t.len() >= 32));
    assert_ne!(a.join_token, elsewhere.join_token);
    // Default capabilities: everything SendReceive.
    assert_eq!(a.capabilities.unwrap(), caps(M::SendReceive, M::SendReceive, M::SendReceive));
    // Batch: the existing attendee comes back, the new one is created.
    let out = svc
        .batch_create_attendee(
            BatchCreateAttendeeInput::builder()
                .meeting_id(&m1)
                .set_attendees(Some(vec![item("alice"), item("carol")]))
                .build(),
        )
        .unwrap();
    let atts = out.attendees.unwrap();
    assert_eq!(atts[0].attendee_id, a.attendee_id);
    assert_eq!(out.errors, None);
    assert_eq!(svc.summary()[&m1], 2);
}

#[test]
fn content_receive_needs_video_receive() {
    let svc = InMemoryChime::default();
    let m = meeting(&svc, "t", None);
    for (video, content) in [
        (M::None, M::SendReceive),
        (M::Send, M::SendReceive),
        (M::None, M::Receive),
        (M::Send, M::Receive),
    ] {
        let e = attend(&svc, &m, "u1", Some(caps(M::SendReceive, video.clone(), content.clone())))
            .unwrap_err();
        let CreateAttendeeError::BadRequestException(e) = e else {
            panic!("{video:?}/{content:?}: {e:?}")
        };
        assert!(e.message().unwrap().contains("Video capability"), "{e}");
    }
    // Allowed: video Receive with content SendReceive; video SendReceive with content Send; content None or Send with any video.
    for (i, (video, content)) in [
        (M::Receive, M::SendReceive),
        (M::SendReceive, M::Receive),
        (M::None, M::Send),
        (M::Send, M::None),
        (M::Receive, M::None),
    ]
    .into_iter()
    .enumerate()
    {
        let a = attend(
            &svc,
            &m,
            &format!("ok{i}"),
            Some(caps(M::Send, video.clone(), content.clone())),
        )
        .unwrap()
        .attendee
        .unwrap();
        assert_eq!(a.capabilities.unwrap(), caps(M::Send, video, content));
    }
}

#[test]
fn max_resolution_none_rejects_media_capabilities() {
    let svc = InMemoryChime::default();
    let video_off = meeting(&svc, "v", Some(features(Some(VideoResolution::None), None)));
    for video in [M::SendReceive, M::Send, M::Receive] {
        let e =
            attend(&svc, &video_off, "u", Some(caps(M::SendReceive, video, M::None))).unwrap_err();
        assert!(matches!(e, CreateAttendeeError::BadRequestException(_)), "{e:?}");
    }
    attend(&svc, &video_off, "u", Some(caps(M::SendReceive, M::None, M::Send))).unwrap();
    // Defaults with video off and content on: video Receive, content SendReceive (seed).
    let d = attend(&svc, &video_off, "d", None).unwrap().attendee.unwrap();
    assert_eq!(d.capabilities.unwrap(), caps(M::SendReceive, M::Receive, M::SendReceive));

    let content_off = meeting(&svc, "c", Some(features(None, Some(ContentResolution::None))));
    for content in [M::SendReceive, M::Send, M::Receive] {
        let e =
            attend(&svc, &content_off, "u", Some(caps(M::SendReceive, M::SendReceive, content)))
                .unwrap_err();
        assert!(matches!(e, CreateAttendeeError::BadRequestException(_)), "{e:?}");
    }
    let d = attend(&svc, &content_off, "d", None).unwrap().attendee.unwrap();
    assert_eq!(d.capabilities.unwrap(), caps(M::SendReceive, M::SendReceive, M::None));

    let both_off = meeting(
        &svc,
        "b",
        Some(features(Some(VideoResolution::None), Some(ContentResolution::None))),
    );
    let d = attend(&svc, &both_off, "d", None).unwrap().attendee.unwrap();
    assert_eq!(d.capabilities.unwrap(), caps(M::SendReceive, M::None, M::None));

    // The same rules on updates.
    let a = attend(&svc, &video_off, "x", Some(caps(M::Receive, M::None, M::None)))
        .unwrap()
        .attendee
        .unwrap();
    let e = svc
        .update_attendee_capabilities(
            UpdateAttendeeCapabilitiesInput::builder()
                .meeting_id(&video_off)
                .attendee_id(a.attendee_id.clone().unwrap())
                .capabilities(caps(M::SendReceive, M::Receive, M::None))
                .build(),
        )
        .unwrap_err();
    assert!(matches!(e, UpdateAttendeeCapabilitiesError::BadRequestException(_)), "{e:?}");
    let e = svc
        .batch_update_attendee_capabilities_except(
            BatchUpdateAttendeeCapabilitiesExceptInput::builder()
                .meeting_id(&video_off)
                .set_excluded_attendee_ids(Some(vec![]))
                .capabilities(caps(M::SendReceive, M::Send, M::None))
                .build(),
        )
        .unwrap_err();
    assert!(
        matches!(e, BatchUpdateAttendeeCapabilitiesExceptError::BadRequestException(_)),
        "{e:?}"
    );
}

#[test]
fn attendee_limits() {
    let svc = InMemoryChime::default();
    let many: Vec<_> = (0..21).map(|i| item(&format!("user-{i}"))).collect();
    let e = svc
        .create_meeting_with_attendees(
            CreateMeetingWithAttendeesInput::builder()
                .client_request_token("t21")
                .media_region("us-east-1")
                .external_meeting_id("big")
                .set_attendees(Some(many.clone()))
                .build(),
        )
        .unwrap_err();
    let CreateMeetingWithAttendeesError::BadRequestException(e) = e else { panic!("{e:?}") };
    assert!(e.message().unwrap().contains("between 1 and 20"), "{e}");
    assert_eq!(svc.meeting_count(), 0, "nothing is created");
    let ok = svc
        .create_meeting_with_attendees(
            CreateMeetingWithAttendeesInput::builder()
                .client_request_token("t20")
                .media_region("us-east-1")
                .external_meeting_id("big")
                .set_attendees(Some(many[..20].to_vec()))
                .build(),
        )
        .unwrap();
    assert_eq!(ok.attendees.unwrap().len(), 20);

    // A meeting's MaxCount: the rest are per-attendee errors in a batch, LimitExceeded alone.
    let features = MeetingFeaturesConfiguration::builder()
        .attendee(AttendeeFeatures::builder().max_count(3).build())
        .build();
    let m = meeting(&svc, "small", Some(features));
    let out = svc
        .batch_create_attendee(
            BatchCreateAttendeeInput::builder()
                .meeting_id(&m)
                .set_attendees(Some(many[..5].to_vec()))
                .build(),
        )
        .unwrap();
    assert_eq!(out.attendees.unwrap().len(), 3);
    let errors = out.errors.unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].external_user_id.as_deref(), Some("user-3"));
    assert_eq!(errors[0].error_code.as_deref(), Some("LimitExceeded"));
    let e = attend(&svc, &m, "late", None).unwrap_err();
    assert!(matches!(e, CreateAttendeeError::LimitExceededException(_)), "{e:?}");
    // Reserved prefix: an error entry in a batch, BadRequest alone.
    let m2 = meeting(&svc, "m2", None);
    let out = svc
        .batch_create_attendee(
            BatchCreateAttendeeInput::builder()
                .meeting_id(&m2)
                .set_attendees(Some(vec![item("AWS:bot"), item("fine")]))
                .build(),
        )
        .unwrap();
    assert_eq!(out.attendees.unwrap().len(), 1);
    assert_eq!(out.errors.unwrap()[0].error_code.as_deref(), Some("BadRequest"));
    assert!(matches!(
        attend(&svc, &m2, "aws:x", None).unwrap_err(),
        CreateAttendeeError::BadRequestException(_)
    ));
    let e = svc
        .batch_create_attendee(
            BatchCreateAttendeeInput::builder()
                .meeting_id(&m2)
                .set_attendees(Some((0..101).map(|i| item(&format!("b{i}"))).collect::<Vec<_>>()))
                .build(),
        )
        .unwrap_err();
    assert!(matches!(e, BatchCreateAttendeeError::BadRequestException(_)), "{e:?}");
}

#[test]
fn unknown_and_deleted_ids_are_not_found() {
    let svc = InMemoryChime::default();
    let unknown = "11111111-2222-4333-8444-555555555555";
    assert!(matches!(
        svc.get_meeting(GetMeetingInput::builder().meeting_id(unknown).build()),
        Err(GetMeetingError::NotFoundException(_))
    ));
    assert!(matches!(
        attend(&svc, unknown, "u", None),
        Err(CreateAttendeeError::NotFoundException(_))
    ));
    let m = meeting(&svc, "t", None);
    let a = attend(&svc, &m, "alice", None).unwrap().attendee.unwrap().attendee_id.unwrap();
    let get = |id: &str| {
        svc.get_attendee(GetAttendeeInput::builder().meeting_id(&m).attendee_id(id).build())
    };
    assert!(get(&a).is_ok());
    assert!(matches!(get(unknown), Err(GetAttendeeError::NotFoundException(_))));
    svc.delete_attendee(DeleteAttendeeInput::builder().meeting_id(&m).attendee_id(&a).build())
        .unwrap();
    assert!(matches!(get(&a), Err(GetAttendeeError::NotFoundException(_))));
    assert!(matches!(
        svc.delete_attendee(DeleteAttendeeInput::builder().meeting_id(&m).attendee_id(&a).build()),
        Err(DeleteAttendeeError::NotFoundException(_))
    ));
    svc.delete_meeting(DeleteMeetingInput::builder().meeting_id(&m).build()).unwrap();
    let e = svc.get_meeting(GetMeetingInput::builder().meeting_id(&m).build()).unwrap_err();
    let GetMeetingError::NotFoundException(e) = e else { panic!("{e:?}") };
    assert_eq!(e.http_status(), Some(404));
    assert!(matches!(
        svc.delete_meeting(DeleteMeetingInput::builder().meeting_id(&m).build()),
        Err(DeleteMeetingError::NotFoundException(_))
    ));
    assert!(matches!(
        svc.list_attendees(ListAttendeesInput::builder().meeting_id(&m).build()),
        Err(ListAttendeesError::NotFoundException(_))
    ));
    // A deleted meeting's token makes a new meeting.
    let again = meeting(&svc, "t", None);
    assert_ne!(again, m);
}

#[test]
fn tags_on_meeting_arns() {
    let svc = InMemoryChime::default();
    let out = svc
        .create_meeting(
            CreateMeetingInput::builder()
                .client_request_token("t")
                .media_region("us-east-1")
                .external_meeting_id("tagged")
                .set_tags(Some(vec![tag("team", "a"), tag("env", "dev")]))
                .build(),
        )
        .unwrap();
    let arn = out.meeting.unwrap().meeting_arn.unwrap();
    let list = || {
        svc.list_tags_for_resource(ListTagsForResourceInput::builder().resource_arn(&arn).build())
            .unwrap()
            .tags
            .unwrap()
    };
    assert_eq!(list(), vec![tag("team", "a"), tag("env", "dev")]);
    svc.tag_resource(
        TagResourceInput::builder()
            .resource_arn(&arn)
            .set_tags(Some(vec![tag("team", "b"), tag("cost", "1")]))
            .build(),
    )
    .unwrap();
    assert_eq!(list(), vec![tag("team", "b"), tag("env", "dev"), tag("cost", "1")]);
    svc.untag_resource(
        UntagResourceInput::builder()
            .resource_arn(&arn)
            .set_tag_keys(Some(vec!["env".to_owned(), "absent".to_owned()]))
            .build(),
    )
    .unwrap();
    assert_eq!(list(), vec![tag("team", "b"), tag("cost", "1")]);
    let too_many: Vec<Tag> = (0..49).map(|i| tag(&format!("k{i}"), "v")).collect();
    let e = svc
        .tag_resource(
            TagResourceInput::builder().resource_arn(&arn).set_tags(Some(too_many)).build(),
        )
        .unwrap_err();
    assert!(matches!(e, TagResourceError::TooManyTagsException(_)), "{e:?}");
    assert_eq!(list().len(), 2, "a refused TagResource changes nothing");
    let missing = arn.replace(&arn[arn.len() - 4..], "0000");
    let e = svc
        .list_tags_for_resource(ListTagsForResourceInput::builder().resource_arn(&missing).build())
        .unwrap_err();
    assert!(matches!(e, ListTagsForResourceError::ResourceNotFoundException(_)), "{e:?}");
    let e = svc
        .tag_resource(
            TagResourceInput::builder()
                .resource_arn("arn:aws:s3:::bucket")
                .set_tags(Some(vec![tag("a", "b")]))
                .build(),
        )
        .unwrap_err();
    assert!(matches!(e, TagResourceError::BadRequestException(_)), "{e:?}");
    let e = svc
        .tag_resource(
            TagResourceInput::builder()
                .resource_arn(&arn)
                .set_tags(Some(vec![tag("aws:x", "b")]))
                .build(),
        )
        .unwrap_err();
    assert!(matches!(e, TagResourceError::BadRequestException(_)), "{e:?}");
}

#[test]
fn list_attendees_pages() {
    let svc = InMemoryChime::default();
    let m = meeting(&svc, "t", None);
    let mut created = Vec::new();
    for i in 0..23 {
        created.push(
            attend(&svc, &m, &format!("user-{i:02}"), None)
                .unwrap()
                .attendee
                .unwrap()
                .attendee_id
                .unwrap(),
        );
    }
    let page = |max: Option<i32>, token: Option<String>| {
        svc.list_attendees(
            ListAttendeesInput::builder()
                .meeting_id(&m)
                .set_max_results(max)
                .set_next_token(token)
                .build(),
        )
    };
    // Default page size 10.
    let first = page(None, None).unwrap();
    assert_eq!(first.attendees.unwrap().len(), 10);
    assert!(first.next_token.is_some());
    // MaxResults 5: 5 pages, the last with 3 and no token.
    let mut seen = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let out = page(Some(5), token).unwrap();
        pages += 1;
        let ids: Vec<String> =
            out.attendees.unwrap().into_iter().map(|a| a.attendee_id.unwrap()).collect();
        assert!(ids.len() <= 5);
        seen.extend(ids);
        token = out.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(seen, created);
    // Exactly one full page: no token.
    let out = page(Some(100), None).unwrap();
    assert_eq!(out.attendees.unwrap().len(), 23);
    assert_eq!(out.next_token, None);
    // A deletion between pages does not skip anyone.
    let p1 = page(Some(3), None).unwrap();
    svc.delete_attendee(
        DeleteAttendeeInput::builder().meeting_id(&m).attendee_id(&created[1]).build(),
    )
    .unwrap();
    let p2 = page(Some(3), p1.next_token).unwrap();
    assert_eq!(p2.attendees.unwrap()[0].attendee_id.as_deref(), Some(created[3].as_str()));
    // Bad MaxResults and tokens.
    for bad in [0, 101, -1] {
        assert!(
            matches!(page(Some(bad), None), Err(ListAttendeesError::BadRequestException(_))),
            "{bad}"
        );
    }
    assert!(matches!(
        page(None, Some("garbage".into())),
        Err(ListAttendeesError::BadRequestException(_))
    ));
    let other = meeting(&svc, "other", None);
    let foreign =
        svc.list_attendees(ListAttendeesInput::builder().meeting_id(&other).build()).unwrap();
    assert_eq!(foreign.attendees.unwrap().len(), 0);
    let token_of_m = page(Some(1), None).unwrap().next_token.unwrap();
    let e = svc
        .list_attendees(
            ListAttendeesInput::builder().meeting_id(&other).next_token(token_of_m).build(),
        )
        .unwrap_err();
    assert!(matches!(e, ListAttendeesError::BadRequestException(_)), "{e:?}");
}

#[test]
fn capabilities_updates() {
    let svc = InMemoryChime::default();
    let m = meeting(&svc, "t", None);
    let ids: Vec<String> = (0..4)
        .map(|i| {
            attend(&svc, &m, &format!("u{i}"), None).unwrap().attendee.unwrap().attendee_id.unwrap()
        })
        .collect();
    let out = svc
        .update_attendee_capabilities(
            UpdateAttendeeCapabilitiesInput::builder()
                .meeting_id(&m)
                .attendee_id(&ids[0])
                .capabilities(caps(M::Receive, M::Receive, M::None))
                .build(),
        )
        .unwrap();
    assert_eq!(out.attendee.unwrap().capabilities.unwrap(), caps(M::Receive, M::Receive, M::None));
    svc.batch_update_attendee_capabilities_except(
        BatchUpdateAttendeeCapabilitiesExceptInput::builder()
            .meeting_id(&m)
            .set_excluded_attendee_ids(Some(vec![AttendeeIdItem::builder()
                .attendee_id(&ids[1])
                .build()
                .unwrap()]))
            .capabilities(caps(M::None, M::None, M::None))
            .build(),
    )
    .unwrap();
    let get = |id: &str| {
        svc.get_attendee(GetAttendeeInput::builder().meeting_id(&m).attendee_id(id).build())
            .unwrap()
            .attendee
            .unwrap()
            .capabilities
            .unwrap()
    };
    assert_eq!(get(&ids[0]), caps(M::None, M::None, M::None));
    assert_eq!(get(&ids[1]), caps(M::SendReceive, M::SendReceive, M::SendReceive));
    assert_eq!(get(&ids[3]), caps(M::None, M::None, M::None));
    let e = svc
        .update_attendee_capabilities(
            UpdateAttendeeCapabilitiesInput::builder()
                .meeting_id(&m)
                .attendee_id("11111111-2222-4333-8444-555555555555")
                .capabilities(caps(M::None, M::None, M::None))
                .build(),
        )
        .unwrap_err();
    assert!(matches!(e, UpdateAttendeeCapabilitiesError::NotFoundException(_)), "{e:?}");
}

#[test]
fn transcription_start_and_stop() {
    let svc = InMemoryChime::default();
    let m = meeting(&svc, "t", None);
    let config = TranscriptionConfiguration::builder()
        .engine_transcribe_settings(
            EngineTranscribeSettings::builder().language_code("en-US").build(),
        )
        .build();
    let start = || {
        svc.start_meeting_transcription(
            StartMeetingTranscriptionInput::builder()
                .meeting_id(&m)
                .transcription_configuration(config.clone())
                .build(),
        )
    };
    let stop = || {
        svc.stop_meeting_transcription(
            StopMeetingTranscriptionInput::builder().meeting_id(&m).build(),
        )
    };
    assert_eq!(svc.transcription(&m), None);
    start().unwrap();
    assert_eq!(svc.transcription(&m), Some(config.clone()));
    assert!(matches!(
        start(),
        Err(StartMeetingTranscriptionError::UnprocessableEntityException(_))
    ));
    stop().unwrap();
    assert_eq!(svc.transcription(&m), None);
    assert!(matches!(stop(), Err(StopMeetingTranscriptionError::UnprocessableEntityException(_))));
    let e = svc
        .start_meeting_transcription(
            StartMeetingTranscriptionInput::builder()
                .meeting_id(&m)
                .transcription_configuration(TranscriptionConfiguration::builder().build())
                .build(),
        )
        .unwrap_err();
    assert!(matches!(e, StartMeetingTranscriptionError::BadRequestException(_)), "{e:?}");
}

/// What the service holds is bounded: `Settings::max_meetings` meetings (one more is a
/// `LimitExceededException` until one is deleted), at most 250 attendees each whatever the
/// request says, and a deleted meeting's idempotency records go with it (a create/delete loop
/// does not grow the state).
#[test]
fn the_state_is_bounded() {
    let svc = InMemoryChime::new(Settings { max_meetings: 3, ..Settings::default() });
    let ids: Vec<String> = (0..3).map(|i| meeting(&svc, &format!("cap-{i}"), None)).collect();
    let create = |token: &str| {
        svc.create_meeting(
            CreateMeetingInput::builder()
                .client_request_token(token)
                .media_region("us-east-1")
                .external_meeting_id("one-too-many")
                .build(),
        )
    };
    let e = create("cap-3").unwrap_err();
    assert!(matches!(e, CreateMeetingError::LimitExceededException(_)), "{e:?}");
    assert!(e.to_string().contains("maximum of 3 meetings"), "{e}");
    // A repeated token still answers with its meeting (nothing new is held).
    assert_eq!(create("cap-0").unwrap().meeting.unwrap().meeting_id.unwrap(), ids[0]);
    // CreateMeetingWithAttendees is held to the same cap.
    let e = svc
        .create_meeting_with_attendees(
            CreateMeetingWithAttendeesInput::builder()
                .client_request_token("cap-with")
                .media_region("us-east-1")
                .external_meeting_id("x")
                .set_attendees(Some(vec![item("u1")]))
                .build(),
        )
        .unwrap_err();
    assert!(matches!(e, CreateMeetingWithAttendeesError::LimitExceededException(_)), "{e:?}");
    svc.delete_meeting(DeleteMeetingInput::builder().meeting_id(&ids[0]).build()).unwrap();
    create("cap-3").unwrap();
    assert_eq!(svc.meeting_count(), 3);

    // Create and delete many meetings: the records do not accumulate.
    let svc = InMemoryChime::new(Settings { max_meetings: 2, ..Settings::default() });
    for i in 0..200 {
        let out = svc
            .create_meeting_with_attendees(
                CreateMeetingWithAttendeesInput::builder()
                    .client_request_token(format!("loop-{i}"))
                    .media_region("us-east-1")
                    .external_meeting_id("loop")
                    .set_attendees(Some(vec![item("u1")]))
                    .build(),
            )
            .unwrap();
        let id = out.meeting.unwrap().meeting_id.unwrap();
        svc.delete_meeting(DeleteMeetingInput::builder().meeting_id(&id).build()).unwrap();
    }
    assert_eq!(svc.meeting_count(), 0);
    assert_eq!(svc.idempotency_records(), 0);
    // A token of a deleted meeting makes a new one.
    let first = meeting(&svc, "reused", None);
    svc.delete_meeting(DeleteMeetingInput::builder().meeting_id(&first).build()).unwrap();
    assert_ne!(meeting(&svc, "reused", None), first);

    // MaxCount beyond the model's 250 (a direct call skips the router's validation) is held
    // to 250.
    let svc = InMemoryChime::default();
    let big = MeetingFeaturesConfiguration::builder()
        .attendee(AttendeeFeatures::builder().max_count(1_000_000).build())
        .build();
    let id = meeting(&svc, "big", Some(big));
    for i in 0..250 {
        attend(&svc, &id, &format!("user-{i}"), None).unwrap();
    }
    let e = attend(&svc, &id, "user-250", None).unwrap_err();
    assert!(matches!(e, CreateAttendeeError::LimitExceededException(_)), "{e:?}");
}
