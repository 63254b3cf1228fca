//! Outputs of both clients as JSON in the wire's member names, so they can be compared with
//! each other and with the canned body. Both crates name the types and fields alike
//! (`types::Meeting::meeting_id`, ...), so one macro writes the conversion for each; a member
//! a client fails to read shows up as a difference.

use serde_json::{Map, Value};

pub(crate) fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.to_string(), value);
    }
}

pub(crate) fn text(value: &Option<String>) -> Option<Value> {
    value.as_ref().map(|s| Value::String(s.clone()))
}

macro_rules! document_form {
    ($module:ident, $krate:ident) => {
        pub mod $module {
            use super::{put, text};
            use serde_json::{Map, Value};
            use $krate::operation::create_meeting_with_attendees::CreateMeetingWithAttendeesOutput;
            use $krate::operation::get_meeting::GetMeetingOutput;
            use $krate::operation::list_attendees::ListAttendeesOutput;
            use $krate::types::{
                Attendee, CreateAttendeeError, MediaPlacement, Meeting,
                MeetingFeaturesConfiguration,
            };

            fn placement(p: &MediaPlacement) -> Value {
                let mut m = Map::new();
                put(&mut m, "AudioHostUrl", text(&p.audio_host_url));
                put(&mut m, "AudioFallbackUrl", text(&p.audio_fallback_url));
                put(&mut m, "SignalingUrl", text(&p.signaling_url));
                put(&mut m, "TurnControlUrl", text(&p.turn_control_url));
                put(&mut m, "ScreenDataUrl", text(&p.screen_data_url));
                put(&mut m, "ScreenViewingUrl", text(&p.screen_viewing_url));
                put(&mut m, "ScreenSharingUrl", text(&p.screen_sharing_url));
                put(&mut m, "EventIngestionUrl", text(&p.event_ingestion_url));
                Value::Object(m)
            }

            fn features(f: &MeetingFeaturesConfiguration) -> Value {
                let status = |key: &str, value: Option<&str>| {
                    let mut m = Map::new();
                    put(&mut m, key, value.map(|v| Value::String(v.to_string())));
                    Value::Object(m)
                };
                let mut m = Map::new();
                put(
                    &mut m,
                    "Audio",
                    f.audio.as_ref().map(|a| {
                        status("EchoReduction", a.echo_reduction.as_ref().map(|e| e.as_str()))
                    }),
                );
                put(
                    &mut m,
                    "Video",
                    f.video.as_ref().map(|v| {
                        status("MaxResolution", v.max_resolution.as_ref().map(|r| r.as_str()))
                    }),
                );
                put(
                    &mut m,
                    "Content",
                    f.content.as_ref().map(|c| {
                        status("MaxResolution", c.max_resolution.as_ref().map(|r| r.as_str()))
                    }),
                );
                put(
                    &mut m,
                    "Attendee",
                    f.attendee.as_ref().map(|a| {
                        let mut m = Map::new();
                        put(&mut m, "MaxCount", a.max_count.map(Value::from));
                        Value::Object(m)
                    }),
                );
                Value::Object(m)
            }

            fn meeting(x: &Meeting) -> Value {
                let mut m = Map::new();
                put(&mut m, "MeetingId", text(&x.meeting_id));
                put(&mut m, "MeetingHostId", text(&x.meeting_host_id));
                put(&mut m, "ExternalMeetingId", text(&x.external_meeting_id));
                put(&mut m, "MediaRegion", text(&x.media_region));
                put(&mut m, "MediaPlacement", x.media_placement.as_ref().map(placement));
                put(&mut m, "MeetingFeatures", x.meeting_features.as_ref().map(features));
                put(&mut m, "PrimaryMeetingId", text(&x.primary_meeting_id));
                put(
                    &mut m,
                    "TenantIds",
                    x.tenant_ids
                        .as_ref()
                        .map(|ids| ids.iter().cloned().map(Value::String).collect()),
                );
                put(&mut m, "MeetingArn", text(&x.meeting_arn));
                Value::Object(m)
            }

            fn attendee(a: &Attendee) -> Value {
                let mut m = Map::new();
                put(&mut m, "ExternalUserId", text(&a.external_user_id));
                put(&mut m, "AttendeeId", text(&a.attendee_id));
                put(&mut m, "JoinToken", text(&a.join_token));
                put(
                    &mut m,
                    "Capabilities",
                    a.capabilities.as_ref().map(|c| {
                        let mut m = Map::new();
                        m.insert("Audio".into(), c.audio.as_str().into());
                        m.insert("Video".into(), c.video.as_str().into());
                        m.insert("Content".into(), c.content.as_str().into());
                        Value::Object(m)
                    }),
                );
                Value::Object(m)
            }

            fn create_error(e: &CreateAttendeeError) -> Value {
                let mut m = Map::new();
                put(&mut m, "ExternalUserId", text(&e.external_user_id));
                put(&mut m, "ErrorCode", text(&e.error_code));
                put(&mut m, "ErrorMessage", text(&e.error_message));
                Value::Object(m)
            }

            pub fn get_meeting(o: &GetMeetingOutput) -> Value {
                let mut m = Map::new();
                put(&mut m, "Meeting", o.meeting.as_ref().map(meeting));
                Value::Object(m)
            }

            pub fn create_meeting_with_attendees(o: &CreateMeetingWithAttendeesOutput) -> Value {
                let mut m = Map::new();
                put(&mut m, "Meeting", o.meeting.as_ref().map(meeting));
                put(
                    &mut m,
                    "Attendees",
                    o.attendees.as_ref().map(|list| list.iter().map(attendee).collect()),
                );
                put(
                    &mut m,
                    "Errors",
                    o.errors.as_ref().map(|list| list.iter().map(create_error).collect()),
                );
                Value::Object(m)
            }

            pub fn list_attendees(o: &ListAttendeesOutput) -> Value {
                let mut m = Map::new();
                put(
                    &mut m,
                    "Attendees",
                    o.attendees.as_ref().map(|list| list.iter().map(attendee).collect()),
                );
                put(&mut m, "NextToken", text(&o.next_token));
                Value::Object(m)
            }

            /// A `NotFoundException`'s members.
            pub fn not_found(
                code: &Option<String>,
                message: &Option<String>,
                request_id: &Option<String>,
            ) -> Value {
                let mut m = Map::new();
                put(&mut m, "Code", text(code));
                put(&mut m, "Message", text(message));
                put(&mut m, "RequestId", text(request_id));
                Value::Object(m)
            }
        }
    };
}

document_form!(ours, chime_sdk_meetings);
document_form!(official, aws_sdk_chimesdkmeetings);
