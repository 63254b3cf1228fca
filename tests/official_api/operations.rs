// Every operation of the service, called as the official crate's fluent builders document
// them: setters named after the members (a list setter appends one element, `set_` takes the
// whole list), `send().await`, and the outputs read through their accessors.
use aws_sdk_chimesdkmeetings::types::{
    AttendeeCapabilities, AttendeeFeatures, AttendeeIdItem, AudioFeatures, ContentFeatures,
    ContentResolution, CreateAttendeeRequestItem, EngineTranscribeSettings, MediaCapabilities,
    MeetingFeatureStatus, MeetingFeaturesConfiguration, NotificationsConfiguration, Tag,
    TranscribeLanguageCode, TranscriptionConfiguration, VideoFeatures, VideoResolution,
};
use aws_sdk_chimesdkmeetings::Client;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

async fn meetings(client: &Client) -> Result<(), BoxError> {
    let created = client
        .create_meeting()
        .client_request_token("token-1")
        .media_region("us-east-1")
        .external_meeting_id("standup")
        .meeting_host_id("host")
        .notifications_configuration(
            NotificationsConfiguration::builder().sns_topic_arn("arn:aws:sns:us-east-1:1:t").build(),
        )
        .meeting_features(
            MeetingFeaturesConfiguration::builder()
                .audio(AudioFeatures::builder().echo_reduction(MeetingFeatureStatus::Available).build())
                .video(VideoFeatures::builder().max_resolution(VideoResolution::Hd).build())
                .content(ContentFeatures::builder().max_resolution(ContentResolution::Fhd).build())
                .attendee(AttendeeFeatures::builder().max_count(10).build())
                .build(),
        )
        .tenant_ids("tenant-1")
        .tenant_ids("tenant-2")
        .tags(Tag::builder().key("team").value("media").build()?)
        .send()
        .await?;
    let meeting = created.meeting().expect("a meeting");
    let meeting_id = meeting.meeting_id().unwrap_or_default();
    let audio_host = meeting.media_placement().and_then(|p| p.audio_host_url());
    let tenants: &[String] = meeting.tenant_ids();

    let with_attendees = client
        .create_meeting_with_attendees()
        .client_request_token("token-2")
        .media_region("us-east-1")
        .external_meeting_id("retro")
        .attendees(CreateAttendeeRequestItem::builder().external_user_id("alice").build()?)
        .attendees(CreateAttendeeRequestItem::builder().external_user_id("bob").build()?)
        .send()
        .await?;
    for attendee in with_attendees.attendees() {
        let join_token = attendee.join_token();
    }
    for error in with_attendees.errors() {
        let (user, code, message) = (error.external_user_id(), error.error_code(), error.error_message());
    }

    let got = client.get_meeting().meeting_id(meeting_id).send().await?;
    let region = got.meeting().and_then(|m| m.media_region());

    client.delete_meeting().meeting_id(meeting_id).send().await?;
    Ok(())
}

async fn attendees(client: &Client, meeting_id: &str) -> Result<(), BoxError> {
    let capabilities = AttendeeCapabilities::builder()
        .audio(MediaCapabilities::SendReceive)
        .video(MediaCapabilities::Receive)
        .content(MediaCapabilities::None)
        .build()?;
    let created = client
        .create_attendee()
        .meeting_id(meeting_id)
        .external_user_id("carol")
        .capabilities(capabilities.clone())
        .send()
        .await?;
    let attendee_id = created.attendee().and_then(|a| a.attendee_id()).unwrap_or_default();

    let batch = client
        .batch_create_attendee()
        .meeting_id(meeting_id)
        .attendees(CreateAttendeeRequestItem::builder().external_user_id("dave").build()?)
        .set_attendees(Some(vec![
            CreateAttendeeRequestItem::builder().external_user_id("erin").build()?,
        ]))
        .send()
        .await?;
    let created_ids: Vec<&str> = batch.attendees().iter().filter_map(|a| a.attendee_id()).collect();

    let got = client.get_attendee().meeting_id(meeting_id).attendee_id(attendee_id).send().await?;
    let audio: Option<&MediaCapabilities> =
        got.attendee().and_then(|a| a.capabilities()).map(|c| c.audio());

    let updated = client
        .update_attendee_capabilities()
        .meeting_id(meeting_id)
        .attendee_id(attendee_id)
        .capabilities(capabilities.clone())
        .send()
        .await?;

    client
        .batch_update_attendee_capabilities_except()
        .meeting_id(meeting_id)
        .excluded_attendee_ids(AttendeeIdItem::builder().attendee_id(attendee_id).build()?)
        .capabilities(capabilities)
        .send()
        .await?;

    let listed = client.list_attendees().meeting_id(meeting_id).max_results(10).send().await?;
    let next: Option<&str> = listed.next_token();

    client.delete_attendee().meeting_id(meeting_id).attendee_id(attendee_id).send().await?;
    Ok(())
}

async fn transcription_and_tags(client: &Client, meeting_id: &str, arn: &str) -> Result<(), BoxError> {
    client
        .start_meeting_transcription()
        .meeting_id(meeting_id)
        .transcription_configuration(
            TranscriptionConfiguration::builder()
                .engine_transcribe_settings(
                    EngineTranscribeSettings::builder()
                        .language_code(TranscribeLanguageCode::EnUs)
                        .build(),
                )
                .build(),
        )
        .send()
        .await?;
    client.stop_meeting_transcription().meeting_id(meeting_id).send().await?;

    client
        .tag_resource()
        .resource_arn(arn)
        .tags(Tag::builder().key("env").value("prod").build()?)
        .send()
        .await?;
    let tags = client.list_tags_for_resource().resource_arn(arn).send().await?;
    for tag in tags.tags() {
        let (key, value): (&str, &str) = (tag.key(), tag.value());
    }
    client.untag_resource().resource_arn(arn).tag_keys("env").send().await?;
    Ok(())
}

// The fluent builders read back what was set, and hand over their input.
fn builders_read_back(client: &Client) {
    let call = client.create_meeting().media_region("eu-west-1").tenant_ids("t");
    let region: &Option<String> = call.get_media_region();
    let tenants: &Option<Vec<String>> = call.get_tenant_ids();
    let input = call.as_input().clone().build();
}
