//! The in-memory Amazon Chime SDK Meetings implementation: the documented behaviour of every
//! operation, on the generated input, output and error types. Transport-free: each operation is a
//! plain synchronous method, and the generated service trait (feature `server`) delegates to it.
//!
//! What it holds is bounded: at most [`Settings::max_meetings`] meetings (more is a
//! `LimitExceededException`), each with at most [`DEFAULT_MAX_ATTENDEES`] attendees and
//! [`MAX_TAGS`] tags; a deleted meeting takes its idempotency records with it.

// The operations return the generated operation errors, which keep the response's metadata
// (code, message, request id) beside their members, as the official SDK's do: larger than
// clippy's threshold for an `Err`, and what the service trait takes.
#![allow(clippy::result_large_err)]

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use chime_sdk_meetings::operation::{
    batch_create_attendee::*, batch_update_attendee_capabilities_except::*, create_attendee::*,
    create_meeting::*, create_meeting_with_attendees::*, delete_attendee::*, delete_meeting::*,
    get_attendee::*, get_meeting::*, list_attendees::*, list_tags_for_resource::*,
    start_meeting_transcription::*, stop_meeting_transcription::*, tag_resource::*,
    untag_resource::*, update_attendee_capabilities::*,
};
use chime_sdk_meetings::primitives::{IdempotencyTokenProvider, RandomTokens};

use crate::echo;
use chime_sdk_meetings::types::error::{
    BadRequestException, LimitExceededException, NotFoundException, ResourceNotFoundException,
    ServiceFailureException, TooManyTagsException, UnprocessableEntityException,
};
use chime_sdk_meetings::types::{
    Attendee, AttendeeCapabilities, ContentResolution, CreateAttendeeRequestItem,
    MediaCapabilities, MediaPlacement, Meeting, MeetingFeaturesConfiguration, Tag,
    TranscriptionConfiguration, VideoResolution,
};

/// Attendees a meeting admits when its `MeetingFeatures.Attendee.MaxCount` is not set, and the
/// most any meeting admits (the model's range of `MaxCount`).
pub const DEFAULT_MAX_ATTENDEES: usize = 250;
/// Meetings the service holds at most by default ([`Settings::max_meetings`]).
pub const DEFAULT_MAX_MEETINGS: usize = 1000;
/// Most attendees one `CreateMeetingWithAttendees` request may create.
pub const MAX_ATTENDEES_CREATE_MEETING: usize = 20;
/// Most attendees one `BatchCreateAttendee` request may create.
pub const MAX_ATTENDEES_BATCH: usize = 100;
/// Most tags a meeting can carry.
pub const MAX_TAGS: usize = 50;
/// `ListAttendees` page size when the request has no `MaxResults`.
pub const DEFAULT_PAGE_SIZE: usize = 10;
/// Largest `MaxResults` of `ListAttendees`.
pub const MAX_PAGE_SIZE: usize = 100;

/// Settings of the in-memory service.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The account id written into meeting ARNs (`arn:aws:chime:REGION:ACCOUNT:meeting/ID`).
    pub account_id: String,
    /// The partition of meeting ARNs (`aws`).
    pub partition: String,
    /// Most meetings held at once (default [`DEFAULT_MAX_MEETINGS`]); creating one more is a
    /// `LimitExceededException` until one is deleted.
    pub max_meetings: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            account_id: "123456789012".to_owned(),
            partition: "aws".to_owned(),
            max_meetings: DEFAULT_MAX_MEETINGS,
        }
    }
}

/// A meeting as the service keeps it.
#[derive(Clone, Debug)]
struct MeetingRecord {
    meeting: Meeting,
    /// The `ClientRequestToken` that created it (its entry in `tokens` and `replays`).
    token: String,
    /// Attendees in creation order, each with a sequence number (the pagination cursor).
    attendees: Vec<(u64, Attendee)>,
    tags: Vec<Tag>,
    transcription: Option<TranscriptionConfiguration>,
}

#[derive(Default, Debug)]
struct State {
    meetings: HashMap<String, MeetingRecord>,
    /// `ClientRequestToken` → meeting id, for the meetings that exist.
    tokens: HashMap<String, String>,
    /// The output of `CreateMeetingWithAttendees` per `ClientRequestToken`, replayed on a retry
    /// (for the meetings that exist).
    replays: HashMap<String, CreateMeetingWithAttendeesOutput>,
    next_sequence: u64,
}

/// The in-memory Chime SDK Meetings service. Clones share the same meetings (so a test can keep
/// one to inspect while a server answers with another); every operation locks one mutex for
/// its duration and never blocks while holding it.
#[derive(Clone, Debug)]
pub struct InMemoryChime {
    state: Arc<Mutex<State>>,
    settings: Arc<Settings>,
    ids: Arc<RandomTokens>,
}

impl Default for InMemoryChime {
    fn default() -> Self {
        InMemoryChime::new(Settings::default())
    }
}

/// What went wrong, before it becomes an operation's modeled error.
#[derive(Debug)]
enum Fault {
    BadRequest(String),
    NotFound(String),
    ResourceNotFound(String),
    LimitExceeded(String),
    TooManyTags(String),
    Unprocessable(String),
}

macro_rules! modeled {
    ($ty:ident, $code:literal, $msg:expr) => {
        $ty::builder().code($code).message($msg).build()
    };
}

/// Maps a [`Fault`] to an operation error enum: the variants the operation models, and a
/// `ServiceFailureException` naming the fault for any the operation does not model.
macro_rules! fault_into {
    ($err:ident { $($fault:ident => $variant:ident ($code:literal)),* $(,)? }) => {
        impl From<Fault> for $err {
            fn from(fault: Fault) -> Self {
                #[allow(unreachable_patterns)]
                match fault {
                    $(Fault::$fault(m) => $err::$variant(modeled!($variant, $code, m)),)*
                    other => $err::ServiceFailureException(modeled!(
                        ServiceFailureException,
                        "ServiceFailure",
                        format!("{other:?}")
                    )),
                }
            }
        }
    };
}

fault_into!(CreateMeetingError { BadRequest => BadRequestException("BadRequest"), LimitExceeded => LimitExceededException("ResourceLimitExceeded") });
fault_into!(CreateMeetingWithAttendeesError { BadRequest => BadRequestException("BadRequest"), LimitExceeded => LimitExceededException("ResourceLimitExceeded") });
fault_into!(GetMeetingError { BadRequest => BadRequestException("BadRequest"), NotFound => NotFoundException("NotFound") });
fault_into!(DeleteMeetingError { BadRequest => BadRequestException("BadRequest"), NotFound => NotFoundException("NotFound") });
fault_into!(CreateAttendeeError { BadRequest => BadRequestException("BadRequest"), NotFound => NotFoundException("NotFound"), LimitExceeded => LimitExceededException("ResourceLimitExceeded"), Unprocessable => UnprocessableEntityException("UnprocessableEntity") });
fault_into!(BatchCreateAttendeeError { BadRequest => BadRequestException("BadRequest"), NotFound => NotFoundException("NotFound"), LimitExceeded => LimitExceededException("ResourceLimitExceeded"), Unprocessable => UnprocessableEntityException("UnprocessableEntity") });
fault_into!(GetAttendeeError { BadRequest => BadRequestException("BadRequest"), NotFound => NotFoundException("NotFound") });
fault_into!(DeleteAttendeeError { BadRequest => BadRequestException("BadRequest"), NotFound => NotFoundException("NotFound") });
fault_into!(ListAttendeesError { BadRequest => BadRequestException("BadRequest"), NotFound => NotFoundException("NotFound") });
fault_into!(UpdateAttendeeCapabilitiesError { BadRequest => BadRequestException("BadRequest"), NotFound => NotFoundException("NotFound") });
fault_into!(BatchUpdateAttendeeCapabilitiesExceptError { BadRequest => BadRequestException("BadRequest"), NotFound => NotFoundException("NotFound") });
fault_into!(StartMeetingTranscriptionError { BadRequest => BadRequestException("BadRequest"), NotFound => NotFoundException("NotFound"), LimitExceeded => LimitExceededException("ResourceLimitExceeded"), Unprocessable => UnprocessableEntityException("UnprocessableEntity") });
fault_into!(StopMeetingTranscriptionError { BadRequest => BadRequestException("BadRequest"), NotFound => NotFoundException("NotFound"), Unprocessable => UnprocessableEntityException("UnprocessableEntity") });
fault_into!(TagResourceError { BadRequest => BadRequestException("BadRequest"), ResourceNotFound => ResourceNotFoundException("ResourceNotFound"), TooManyTags => TooManyTagsException("TooManyTags"), LimitExceeded => LimitExceededException("ResourceLimitExceeded") });
fault_into!(UntagResourceError { BadRequest => BadRequestException("BadRequest"), ResourceNotFound => ResourceNotFoundException("ResourceNotFound") });
fault_into!(ListTagsForResourceError { BadRequest => BadRequestException("BadRequest"), ResourceNotFound => ResourceNotFoundException("ResourceNotFound") });

fn required<'a>(value: &'a Option<String>, name: &str) -> Result<&'a str, Fault> {
    match value.as_deref() {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(Fault::BadRequest(format!("{name} is required"))),
    }
}

/// `aws:` is a reserved prefix of external ids (case insensitive).
fn check_external_id(value: &str, name: &str) -> Result<(), Fault> {
    let reserved = value.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"));
    if reserved {
        return Err(Fault::BadRequest(format!(
            "{name} cannot begin with the reserved prefix `aws:`"
        )));
    }
    Ok(())
}

fn is_receiving(c: &MediaCapabilities) -> bool {
    matches!(c, MediaCapabilities::SendReceive | MediaCapabilities::Receive)
}

fn check_known(c: &MediaCapabilities, name: &str) -> Result<(), Fault> {
    match c {
        other if !MediaCapabilities::values().contains(&other.as_str()) => {
            Err(Fault::BadRequest(format!(
                "{name} capability `{}` is not one of SendReceive, Send, Receive, None",
                echo(other.as_str())
            )))
        }
        _ => Ok(()),
    }
}

fn video_off(features: Option<&MeetingFeaturesConfiguration>) -> bool {
    features
        .and_then(|f| f.video.as_ref())
        .and_then(|v| v.max_resolution.as_ref())
        .is_some_and(|r| *r == VideoResolution::None)
}

fn content_off(features: Option<&MeetingFeaturesConfiguration>) -> bool {
    features
        .and_then(|f| f.content.as_ref())
        .and_then(|v| v.max_resolution.as_ref())
        .is_some_and(|r| *r == ContentResolution::None)
}

fn capabilities(
    audio: MediaCapabilities,
    video: MediaCapabilities,
    content: MediaCapabilities,
) -> Option<AttendeeCapabilities> {
    // All three required members are set, so `build` succeeds.
    AttendeeCapabilities::builder().audio(audio).video(video).content(content).build().ok()
}

/// The capabilities an attendee gets when the request names none: send and receive on every
/// channel, except what the meeting's features turn off. With video off and content on, video
/// is `Receive` (content `SendReceive` needs video to be at least `Receive`).
fn default_capabilities(
    features: Option<&MeetingFeaturesConfiguration>,
) -> Option<AttendeeCapabilities> {
    let content = if content_off(features) {
        MediaCapabilities::None
    } else {
        MediaCapabilities::SendReceive
    };
    let video = if !video_off(features) {
        MediaCapabilities::SendReceive
    } else if is_receiving(&content) {
        MediaCapabilities::Receive
    } else {
        MediaCapabilities::None
    };
    capabilities(MediaCapabilities::SendReceive, video, content)
}

/// The documented capability rules:
/// - content `SendReceive` or `Receive` needs video `SendReceive` or `Receive`;
/// - with `MeetingFeatures.Video.MaxResolution` `None`, any video capability but `None` is rejected;
/// - with `MeetingFeatures.Content.MaxResolution` `None`, any content capability but `None` is rejected.
fn check_capabilities(
    c: &AttendeeCapabilities,
    features: Option<&MeetingFeaturesConfiguration>,
) -> Result<(), Fault> {
    check_known(&c.audio, "Audio")?;
    check_known(&c.video, "Video")?;
    check_known(&c.content, "Content")?;
    if is_receiving(&c.content) && !is_receiving(&c.video) {
        return Err(Fault::BadRequest(format!(
            "Content capability {} requires a Video capability of SendReceive or Receive, not {}",
            c.content.as_str(),
            c.video.as_str()
        )));
    }
    if video_off(features) && c.video != MediaCapabilities::None {
        return Err(Fault::BadRequest(format!(
            "the meeting's MeetingFeatures.Video.MaxResolution is None: Video capability {} is not allowed",
            c.video.as_str()
        )));
    }
    if content_off(features) && c.content != MediaCapabilities::None {
        return Err(Fault::BadRequest(format!(
            "the meeting's MeetingFeatures.Content.MaxResolution is None: Content capability {} is not allowed",
            c.content.as_str()
        )));
    }
    Ok(())
}

fn check_tags(tags: &[Tag]) -> Result<(), Fault> {
    for tag in tags {
        if tag.key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
            return Err(Fault::BadRequest(format!(
                "tag key `{}` uses the reserved prefix `aws:`",
                echo(&tag.key)
            )));
        }
    }
    Ok(())
}

/// Tags merged by key (a later value replaces an earlier one), in first-seen key order.
fn merge_tags(existing: &mut Vec<Tag>, new: &[Tag]) {
    for tag in new {
        match existing.iter_mut().find(|t| t.key == tag.key) {
            Some(t) => t.value.clone_from(&tag.value),
            None => existing.push(tag.clone()),
        }
    }
}

fn max_attendees(features: Option<&MeetingFeaturesConfiguration>) -> usize {
    features
        .and_then(|f| f.attendee.as_ref())
        .and_then(|a| a.max_count)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(DEFAULT_MAX_ATTENDEES)
        .min(DEFAULT_MAX_ATTENDEES)
}

/// An opaque `NextToken` for the attendee after sequence number `seq`.
fn page_token(meeting_id: &str, seq: u64) -> String {
    format!("{seq:x}.{}", meeting_id.get(..8).unwrap_or(meeting_id))
}

fn parse_page_token(token: &str, meeting_id: &str) -> Option<u64> {
    let (seq, meeting) = token.split_once('.')?;
    if meeting != meeting_id.get(..8).unwrap_or(meeting_id) {
        return None;
    }
    u64::from_str_radix(seq, 16).ok()
}

/// The fields of a meeting-creating request, shared by `CreateMeeting` and
/// `CreateMeetingWithAttendees`.
struct NewMeeting<'a> {
    client_request_token: &'a Option<String>,
    media_region: &'a Option<String>,
    meeting_host_id: &'a Option<String>,
    external_meeting_id: &'a Option<String>,
    meeting_features: &'a Option<MeetingFeaturesConfiguration>,
    primary_meeting_id: &'a Option<String>,
    tenant_ids: &'a Option<Vec<String>>,
    tags: &'a Option<Vec<Tag>>,
}

impl InMemoryChime {
    /// A service with no meetings.
    pub fn new(settings: Settings) -> Self {
        InMemoryChime {
            state: Arc::new(Mutex::new(State::default())),
            settings: Arc::new(settings),
            ids: Arc::new(RandomTokens::new()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the maps half-updated in a way later
        // operations would misread (every update is a single insert or remove), so keep going.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn new_id(&self) -> String {
        self.ids.make_token()
    }

    fn join_token(&self) -> String {
        // Opaque, URL-safe, unguessable: two random UUIDs without their dashes.
        format!("{}{}", self.new_id(), self.new_id()).replace('-', "")
    }

    fn meeting_arn(&self, region: &str, meeting_id: &str) -> String {
        format!(
            "arn:{}:chime:{region}:{}:meeting/{meeting_id}",
            self.settings.partition, self.settings.account_id
        )
    }

    fn media_placement(region: &str, meeting_id: &str) -> MediaPlacement {
        let host = format!("m1.{region}.app.chime.local");
        let short = meeting_id.get(..8).unwrap_or(meeting_id);
        MediaPlacement::builder()
            .audio_host_url(format!("{short}.k.{host}:3478"))
            .audio_fallback_url(format!("wss://haxrp.{host}:443/calls/{meeting_id}"))
            .signaling_url(format!("wss://signal.{host}/control/{meeting_id}"))
            .turn_control_url(format!("https://2713.cell.{region}.meetings.chime.local"))
            .screen_data_url(format!("wss://bitpw.{host}:443/v2/screen/{meeting_id}"))
            .screen_viewing_url(format!("wss://bitpw.{host}:443/ws/connect?passcode=null&viewer_uuid=null&X-BitHub-Call-Id={meeting_id}"))
            .screen_sharing_url(format!("wss://bitpw.{host}:443/v2/screen/{meeting_id}"))
            .event_ingestion_url(format!("https://data.svc.{region}.ingest.chime.local/v1/client-events"))
            .build()
    }

    fn make_meeting(
        &self,
        state: &mut State,
        req: &NewMeeting<'_>,
    ) -> Result<(String, bool), Fault> {
        let token = required(req.client_request_token, "ClientRequestToken")?;
        let region = required(req.media_region, "MediaRegion")?;
        let external = required(req.external_meeting_id, "ExternalMeetingId")?;
        check_external_id(external, "ExternalMeetingId")?;
        let tags = req.tags.as_deref().unwrap_or_default();
        if tags.len() > MAX_TAGS {
            return Err(Fault::BadRequest(format!("at most {MAX_TAGS} tags, got {}", tags.len())));
        }
        check_tags(tags)?;
        if let Some(primary) = req.primary_meeting_id.as_deref() {
            if !state.meetings.contains_key(primary) {
                return Err(Fault::BadRequest(format!(
                    "PrimaryMeetingId {primary} does not exist"
                )));
            }
        }
        if let Some(id) = state.tokens.get(token) {
            if state.meetings.contains_key(id) {
                // The same ClientRequestToken: the same meeting.
                return Ok((id.clone(), false));
            }
        }
        if state.meetings.len() >= self.settings.max_meetings {
            return Err(Fault::LimitExceeded(format!(
                "the service holds its maximum of {} meetings: delete one first",
                self.settings.max_meetings
            )));
        }
        let id = self.new_id();
        let meeting = Meeting::builder()
            .meeting_id(id.clone())
            .set_meeting_host_id(req.meeting_host_id.clone())
            .external_meeting_id(external)
            .media_region(region)
            .media_placement(Self::media_placement(region, &id))
            .set_meeting_features(req.meeting_features.clone())
            .set_primary_meeting_id(req.primary_meeting_id.clone())
            .set_tenant_ids(req.tenant_ids.clone())
            .meeting_arn(self.meeting_arn(region, &id))
            .build();
        let mut record = MeetingRecord {
            meeting,
            token: token.to_owned(),
            attendees: Vec::new(),
            tags: Vec::new(),
            transcription: None,
        };
        merge_tags(&mut record.tags, tags);
        state.meetings.insert(id.clone(), record);
        state.tokens.insert(token.to_owned(), id.clone());
        Ok((id, true))
    }

    /// Creates (or, for an `ExternalUserId` already in the meeting, returns) one attendee.
    fn add_attendee(
        &self,
        state: &mut State,
        meeting_id: &str,
        external_user_id: &str,
        caps: Option<&AttendeeCapabilities>,
    ) -> Result<Attendee, Fault> {
        check_external_id(external_user_id, "ExternalUserId")?;
        let record = state
            .meetings
            .get(meeting_id)
            .ok_or_else(|| Fault::NotFound(format!("meeting {} not found", echo(meeting_id))))?;
        let features = record.meeting.meeting_features.as_ref();
        if let Some(c) = caps {
            check_capabilities(c, features)?;
        }
        if let Some((_, existing)) = record
            .attendees
            .iter()
            .find(|(_, a)| a.external_user_id.as_deref() == Some(external_user_id))
        {
            return Ok(existing.clone());
        }
        let limit = max_attendees(features);
        if record.attendees.len() >= limit {
            return Err(Fault::LimitExceeded(format!(
                "meeting {meeting_id} already has its maximum of {limit} attendees"
            )));
        }
        let capabilities = caps.cloned().or_else(|| default_capabilities(features));
        let attendee = Attendee::builder()
            .external_user_id(external_user_id)
            .attendee_id(self.new_id())
            .join_token(self.join_token())
            .set_capabilities(capabilities)
            .build();
        state.next_sequence += 1;
        let seq = state.next_sequence;
        if let Some(record) = state.meetings.get_mut(meeting_id) {
            record.attendees.push((seq, attendee.clone()));
        }
        Ok(attendee)
    }

    /// Attendees created one by one: the failures become `Errors` entries, not a failed request.
    fn add_attendees(
        &self,
        state: &mut State,
        meeting_id: &str,
        items: &[CreateAttendeeRequestItem],
    ) -> (Vec<Attendee>, Vec<chime_sdk_meetings::types::CreateAttendeeError>) {
        let mut attendees = Vec::new();
        let mut errors = Vec::new();
        for item in items {
            match self.add_attendee(
                state,
                meeting_id,
                &item.external_user_id,
                item.capabilities.as_ref(),
            ) {
                Ok(a) => attendees.push(a),
                Err(fault) => {
                    let (code, message) = match fault {
                        Fault::LimitExceeded(m) => ("LimitExceeded", m),
                        Fault::NotFound(m) => ("NotFound", m),
                        Fault::BadRequest(m)
                        | Fault::ResourceNotFound(m)
                        | Fault::TooManyTags(m)
                        | Fault::Unprocessable(m) => ("BadRequest", m),
                    };
                    errors.push(
                        chime_sdk_meetings::types::CreateAttendeeError::builder()
                            .external_user_id(item.external_user_id.clone())
                            .error_code(code)
                            .error_message(message)
                            .build(),
                    );
                }
            }
        }
        (attendees, errors)
    }

    fn record<'s>(
        state: &'s State,
        meeting_id: &Option<String>,
    ) -> Result<&'s MeetingRecord, Fault> {
        let id = required(meeting_id, "MeetingId")?;
        state
            .meetings
            .get(id)
            .ok_or_else(|| Fault::NotFound(format!("meeting {} not found", echo(id))))
    }

    fn record_mut<'s>(
        state: &'s mut State,
        meeting_id: &Option<String>,
    ) -> Result<&'s mut MeetingRecord, Fault> {
        let id = required(meeting_id, "MeetingId")?;
        state
            .meetings
            .get_mut(id)
            .ok_or_else(|| Fault::NotFound(format!("meeting {} not found", echo(id))))
    }

    /// The meeting a `ResourceARN` names (only meeting ARNs are taggable).
    fn record_by_arn<'s>(
        state: &'s mut State,
        arn: &Option<String>,
    ) -> Result<&'s mut MeetingRecord, Fault> {
        let arn = required(arn, "ResourceARN")?;
        let id = arn
            .strip_prefix("arn:")
            .and_then(|rest| rest.rsplit_once(":meeting/"))
            .map(|(_, id)| id)
            .ok_or_else(|| {
                Fault::BadRequest(format!("ResourceARN {} is not a meeting ARN", echo(arn)))
            })?;
        match state.meetings.get_mut(id) {
            Some(r) if r.meeting.meeting_arn.as_deref() == Some(arn) => Ok(r),
            _ => Err(Fault::ResourceNotFound(format!("resource {} not found", echo(arn)))),
        }
    }

    // ---- operations -------------------------------------------------------------------------

    /// `CreateMeeting`: a new meeting, or the existing one for a repeated `ClientRequestToken`.
    pub fn create_meeting(
        &self,
        input: CreateMeetingInput,
    ) -> Result<CreateMeetingOutput, CreateMeetingError> {
        let mut state = self.state();
        let req = NewMeeting {
            client_request_token: &input.client_request_token,
            media_region: &input.media_region,
            meeting_host_id: &input.meeting_host_id,
            external_meeting_id: &input.external_meeting_id,
            meeting_features: &input.meeting_features,
            primary_meeting_id: &input.primary_meeting_id,
            tenant_ids: &input.tenant_ids,
            tags: &input.tags,
        };
        let (id, _) = self.make_meeting(&mut state, &req)?;
        let meeting = state.meetings.get(&id).map(|r| r.meeting.clone());
        Ok(CreateMeetingOutput::builder().set_meeting(meeting).build())
    }

    /// `CreateMeetingWithAttendees`: a meeting and up to 20 attendees; per-attendee failures are
    /// listed in `Errors`. A repeated `ClientRequestToken` replays the first response.
    pub fn create_meeting_with_attendees(
        &self,
        input: CreateMeetingWithAttendeesInput,
    ) -> Result<CreateMeetingWithAttendeesOutput, CreateMeetingWithAttendeesError> {
        let items = input.attendees.as_deref().unwrap_or_default();
        if items.is_empty() || items.len() > MAX_ATTENDEES_CREATE_MEETING {
            return Err(Fault::BadRequest(format!(
                "Attendees must have between 1 and {MAX_ATTENDEES_CREATE_MEETING} items, got {}",
                items.len()
            ))
            .into());
        }
        let mut state = self.state();
        let req = NewMeeting {
            client_request_token: &input.client_request_token,
            media_region: &input.media_region,
            meeting_host_id: &input.meeting_host_id,
            external_meeting_id: &input.external_meeting_id,
            meeting_features: &input.meeting_features,
            primary_meeting_id: &input.primary_meeting_id,
            tenant_ids: &input.tenant_ids,
            tags: &input.tags,
        };
        let (id, created) = self.make_meeting(&mut state, &req)?;
        let token = input.client_request_token.clone().unwrap_or_default();
        if !created {
            if let Some(replay) = state.replays.get(&token) {
                return Ok(replay.clone());
            }
        }
        let (attendees, errors) = self.add_attendees(&mut state, &id, items);
        let meeting = state.meetings.get(&id).map(|r| r.meeting.clone());
        let output = CreateMeetingWithAttendeesOutput::builder()
            .set_meeting(meeting)
            .set_attendees(Some(attendees))
            .set_errors((!errors.is_empty()).then_some(errors))
            .build();
        state.replays.insert(token, output.clone());
        Ok(output)
    }

    /// `GetMeeting`.
    pub fn get_meeting(&self, input: GetMeetingInput) -> Result<GetMeetingOutput, GetMeetingError> {
        let state = self.state();
        let record = Self::record(&state, &input.meeting_id)?;
        Ok(GetMeetingOutput::builder().meeting(record.meeting.clone()).build())
    }

    /// `DeleteMeeting`: the meeting, its attendees and their join tokens are gone.
    pub fn delete_meeting(
        &self,
        input: DeleteMeetingInput,
    ) -> Result<DeleteMeetingOutput, DeleteMeetingError> {
        let mut state = self.state();
        let id = required(&input.meeting_id, "MeetingId")?.to_owned();
        let Some(record) = state.meetings.remove(&id) else {
            return Err(Fault::NotFound(format!("meeting {} not found", echo(&id))).into());
        };
        if state.tokens.get(&record.token) == Some(&id) {
            state.tokens.remove(&record.token);
            state.replays.remove(&record.token);
        }
        Ok(DeleteMeetingOutput::builder().build())
    }

    /// `CreateAttendee`: an `ExternalUserId` already in the meeting gets the same attendee back.
    pub fn create_attendee(
        &self,
        input: CreateAttendeeInput,
    ) -> Result<CreateAttendeeOutput, CreateAttendeeError> {
        let mut state = self.state();
        let meeting_id = required(&input.meeting_id, "MeetingId")?;
        let user = required(&input.external_user_id, "ExternalUserId")?;
        let attendee =
            self.add_attendee(&mut state, meeting_id, user, input.capabilities.as_ref())?;
        Ok(CreateAttendeeOutput::builder().attendee(attendee).build())
    }

    /// `BatchCreateAttendee`: up to 100 attendees; per-attendee failures are listed in `Errors`.
    pub fn batch_create_attendee(
        &self,
        input: BatchCreateAttendeeInput,
    ) -> Result<BatchCreateAttendeeOutput, BatchCreateAttendeeError> {
        let mut state = self.state();
        Self::record(&state, &input.meeting_id)?;
        let meeting_id = required(&input.meeting_id, "MeetingId")?;
        let items = input.attendees.as_deref().unwrap_or_default();
        if items.is_empty() || items.len() > MAX_ATTENDEES_BATCH {
            return Err(Fault::BadRequest(format!(
                "Attendees must have between 1 and {MAX_ATTENDEES_BATCH} items, got {}",
                items.len()
            ))
            .into());
        }
        let (attendees, errors) = self.add_attendees(&mut state, meeting_id, items);
        Ok(BatchCreateAttendeeOutput::builder()
            .set_attendees(Some(attendees))
            .set_errors((!errors.is_empty()).then_some(errors))
            .build())
    }

    /// `GetAttendee`.
    pub fn get_attendee(
        &self,
        input: GetAttendeeInput,
    ) -> Result<GetAttendeeOutput, GetAttendeeError> {
        let state = self.state();
        let record = Self::record(&state, &input.meeting_id)?;
        let attendee_id = required(&input.attendee_id, "AttendeeId")?;
        let attendee = record
            .attendees
            .iter()
            .find(|(_, a)| a.attendee_id.as_deref() == Some(attendee_id))
            .map(|(_, a)| a.clone())
            .ok_or_else(|| Fault::NotFound(format!("attendee {} not found", echo(attendee_id))))?;
        Ok(GetAttendeeOutput::builder().attendee(attendee).build())
    }

    /// `DeleteAttendee`: the attendee and its join token are gone.
    pub fn delete_attendee(
        &self,
        input: DeleteAttendeeInput,
    ) -> Result<DeleteAttendeeOutput, DeleteAttendeeError> {
        let mut state = self.state();
        let record = Self::record_mut(&mut state, &input.meeting_id)?;
        let attendee_id = required(&input.attendee_id, "AttendeeId")?;
        let before = record.attendees.len();
        record.attendees.retain(|(_, a)| a.attendee_id.as_deref() != Some(attendee_id));
        if record.attendees.len() == before {
            return Err(Fault::NotFound(format!("attendee {} not found", echo(attendee_id))).into());
        }
        Ok(DeleteAttendeeOutput::builder().build())
    }

    /// `ListAttendees`: attendees in creation order, `MaxResults` (1 to 100, default 10) per
    /// page, `NextToken` when more remain. A token keeps its place when attendees are deleted.
    pub fn list_attendees(
        &self,
        input: ListAttendeesInput,
    ) -> Result<ListAttendeesOutput, ListAttendeesError> {
        let state = self.state();
        let record = Self::record(&state, &input.meeting_id)?;
        let meeting_id = required(&input.meeting_id, "MeetingId")?;
        let page = match input.max_results {
            None => DEFAULT_PAGE_SIZE,
            Some(n) => match usize::try_from(n) {
                Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
                _ => {
                    return Err(Fault::BadRequest(format!(
                        "MaxResults must be between 1 and {MAX_PAGE_SIZE}, got {n}"
                    ))
                    .into())
                }
            },
        };
        let after = match input.next_token.as_deref() {
            None | Some("") => 0,
            Some(t) => parse_page_token(t, meeting_id).ok_or_else(|| {
                Fault::BadRequest("NextToken is not valid for this meeting".to_owned())
            })?,
        };
        let rest: Vec<&(u64, Attendee)> =
            record.attendees.iter().filter(|(seq, _)| *seq > after).collect();
        let items: Vec<Attendee> = rest.iter().take(page).map(|(_, a)| a.clone()).collect();
        let next = if rest.len() > page {
            rest.get(page - 1).map(|(seq, _)| page_token(meeting_id, *seq))
        } else {
            None
        };
        Ok(ListAttendeesOutput::builder().set_attendees(Some(items)).set_next_token(next).build())
    }

    /// `UpdateAttendeeCapabilities`, under the capability rules.
    pub fn update_attendee_capabilities(
        &self,
        input: UpdateAttendeeCapabilitiesInput,
    ) -> Result<UpdateAttendeeCapabilitiesOutput, UpdateAttendeeCapabilitiesError> {
        let mut state = self.state();
        let record = Self::record_mut(&mut state, &input.meeting_id)?;
        let attendee_id = required(&input.attendee_id, "AttendeeId")?;
        let caps = input
            .capabilities
            .as_ref()
            .ok_or_else(|| Fault::BadRequest("Capabilities is required".to_owned()))?;
        check_capabilities(caps, record.meeting.meeting_features.as_ref())?;
        let (_, attendee) = record
            .attendees
            .iter_mut()
            .find(|(_, a)| a.attendee_id.as_deref() == Some(attendee_id))
            .ok_or_else(|| Fault::NotFound(format!("attendee {} not found", echo(attendee_id))))?;
        attendee.capabilities = Some(caps.clone());
        Ok(UpdateAttendeeCapabilitiesOutput::builder().attendee(attendee.clone()).build())
    }

    /// `BatchUpdateAttendeeCapabilitiesExcept`: every attendee but the excluded ones gets the
    /// capabilities (checked once, before anything changes).
    pub fn batch_update_attendee_capabilities_except(
        &self,
        input: BatchUpdateAttendeeCapabilitiesExceptInput,
    ) -> Result<
        BatchUpdateAttendeeCapabilitiesExceptOutput,
        BatchUpdateAttendeeCapabilitiesExceptError,
    > {
        let mut state = self.state();
        let record = Self::record_mut(&mut state, &input.meeting_id)?;
        let caps = input
            .capabilities
            .as_ref()
            .ok_or_else(|| Fault::BadRequest("Capabilities is required".to_owned()))?;
        check_capabilities(caps, record.meeting.meeting_features.as_ref())?;
        let excluded: Vec<&str> =
            input.excluded_attendee_ids.iter().flatten().map(|i| i.attendee_id.as_str()).collect();
        for (_, attendee) in record.attendees.iter_mut() {
            if !excluded.contains(&attendee.attendee_id.as_deref().unwrap_or_default()) {
                attendee.capabilities = Some(caps.clone());
            }
        }
        Ok(BatchUpdateAttendeeCapabilitiesExceptOutput::builder().build())
    }

    /// `StartMeetingTranscription`: one transcription at a time per meeting.
    pub fn start_meeting_transcription(
        &self,
        input: StartMeetingTranscriptionInput,
    ) -> Result<StartMeetingTranscriptionOutput, StartMeetingTranscriptionError> {
        let mut state = self.state();
        let record = Self::record_mut(&mut state, &input.meeting_id)?;
        let config = input.transcription_configuration.ok_or_else(|| {
            Fault::BadRequest("TranscriptionConfiguration is required".to_owned())
        })?;
        let engines = usize::from(config.engine_transcribe_settings.is_some())
            + usize::from(config.engine_transcribe_medical_settings.is_some());
        if engines != 1 {
            return Err(Fault::BadRequest(
                "TranscriptionConfiguration needs exactly one of EngineTranscribeSettings and EngineTranscribeMedicalSettings"
                    .to_owned(),
            )
            .into());
        }
        if record.transcription.is_some() {
            return Err(Fault::Unprocessable(
                "the meeting's transcription is already started".to_owned(),
            )
            .into());
        }
        record.transcription = Some(config);
        Ok(StartMeetingTranscriptionOutput::builder().build())
    }

    /// `StopMeetingTranscription`.
    pub fn stop_meeting_transcription(
        &self,
        input: StopMeetingTranscriptionInput,
    ) -> Result<StopMeetingTranscriptionOutput, StopMeetingTranscriptionError> {
        let mut state = self.state();
        let record = Self::record_mut(&mut state, &input.meeting_id)?;
        if record.transcription.take().is_none() {
            return Err(Fault::Unprocessable(
                "the meeting has no transcription started".to_owned(),
            )
            .into());
        }
        Ok(StopMeetingTranscriptionOutput::builder().build())
    }

    /// `TagResource`: tags merged by key; more than 50 on the meeting is `TooManyTagsException`.
    pub fn tag_resource(
        &self,
        input: TagResourceInput,
    ) -> Result<TagResourceOutput, TagResourceError> {
        let mut state = self.state();
        let record = Self::record_by_arn(&mut state, &input.resource_arn)?;
        let tags = input.tags.as_deref().unwrap_or_default();
        check_tags(tags)?;
        let mut merged = record.tags.clone();
        merge_tags(&mut merged, tags);
        if merged.len() > MAX_TAGS {
            return Err(
                Fault::TooManyTags(format!("a meeting can have at most {MAX_TAGS} tags")).into()
            );
        }
        record.tags = merged;
        Ok(TagResourceOutput::builder().build())
    }

    /// `UntagResource`.
    pub fn untag_resource(
        &self,
        input: UntagResourceInput,
    ) -> Result<UntagResourceOutput, UntagResourceError> {
        let mut state = self.state();
        let record = Self::record_by_arn(&mut state, &input.resource_arn)?;
        let keys = input.tag_keys.unwrap_or_default();
        record.tags.retain(|t| !keys.contains(&t.key));
        Ok(UntagResourceOutput::builder().build())
    }

    /// `ListTagsForResource`.
    pub fn list_tags_for_resource(
        &self,
        input: ListTagsForResourceInput,
    ) -> Result<ListTagsForResourceOutput, ListTagsForResourceError> {
        let mut state = self.state();
        let record = Self::record_by_arn(&mut state, &input.resource_arn)?;
        Ok(ListTagsForResourceOutput::builder().set_tags(Some(record.tags.clone())).build())
    }

    // ---- inspection (for tests and tools) ---------------------------------------------------

    /// The transcription configuration a meeting is running, if any.
    pub fn transcription(&self, meeting_id: &str) -> Option<TranscriptionConfiguration> {
        self.state().meetings.get(meeting_id).and_then(|r| r.transcription.clone())
    }

    /// How many meetings exist.
    pub fn meeting_count(&self) -> usize {
        self.state().meetings.len()
    }

    /// How many idempotency records the service keeps (`ClientRequestToken`s and replayable
    /// `CreateMeetingWithAttendees` outputs): only those of meetings that exist.
    pub fn idempotency_records(&self) -> usize {
        let state = self.state();
        state.tokens.len() + state.replays.len()
    }

    /// Every meeting id with its attendee count, ordered by id.
    pub fn summary(&self) -> BTreeMap<String, usize> {
        self.state().meetings.iter().map(|(id, r)| (id.clone(), r.attendees.len())).collect()
    }
}

/// The generated service trait: each operation runs the synchronous method of the same name.
impl chime_sdk_meetings::server::ChimeSdkMeetings for InMemoryChime {
    async fn batch_create_attendee(
        &self,
        input: BatchCreateAttendeeInput,
    ) -> Result<BatchCreateAttendeeOutput, BatchCreateAttendeeError> {
        InMemoryChime::batch_create_attendee(self, input)
    }
    async fn batch_update_attendee_capabilities_except(
        &self,
        input: BatchUpdateAttendeeCapabilitiesExceptInput,
    ) -> Result<
        BatchUpdateAttendeeCapabilitiesExceptOutput,
        BatchUpdateAttendeeCapabilitiesExceptError,
    > {
        InMemoryChime::batch_update_attendee_capabilities_except(self, input)
    }
    async fn create_attendee(
        &self,
        input: CreateAttendeeInput,
    ) -> Result<CreateAttendeeOutput, CreateAttendeeError> {
        InMemoryChime::create_attendee(self, input)
    }
    async fn create_meeting(
        &self,
        input: CreateMeetingInput,
    ) -> Result<CreateMeetingOutput, CreateMeetingError> {
        InMemoryChime::create_meeting(self, input)
    }
    async fn create_meeting_with_attendees(
        &self,
        input: CreateMeetingWithAttendeesInput,
    ) -> Result<CreateMeetingWithAttendeesOutput, CreateMeetingWithAttendeesError> {
        InMemoryChime::create_meeting_with_attendees(self, input)
    }
    async fn delete_attendee(
        &self,
        input: DeleteAttendeeInput,
    ) -> Result<DeleteAttendeeOutput, DeleteAttendeeError> {
        InMemoryChime::delete_attendee(self, input)
    }
    async fn delete_meeting(
        &self,
        input: DeleteMeetingInput,
    ) -> Result<DeleteMeetingOutput, DeleteMeetingError> {
        InMemoryChime::delete_meeting(self, input)
    }
    async fn get_attendee(
        &self,
        input: GetAttendeeInput,
    ) -> Result<GetAttendeeOutput, GetAttendeeError> {
        InMemoryChime::get_attendee(self, input)
    }
    async fn get_meeting(
        &self,
        input: GetMeetingInput,
    ) -> Result<GetMeetingOutput, GetMeetingError> {
        InMemoryChime::get_meeting(self, input)
    }
    async fn list_attendees(
        &self,
        input: ListAttendeesInput,
    ) -> Result<ListAttendeesOutput, ListAttendeesError> {
        InMemoryChime::list_attendees(self, input)
    }
    async fn list_tags_for_resource(
        &self,
        input: ListTagsForResourceInput,
    ) -> Result<ListTagsForResourceOutput, ListTagsForResourceError> {
        InMemoryChime::list_tags_for_resource(self, input)
    }
    async fn start_meeting_transcription(
        &self,
        input: StartMeetingTranscriptionInput,
    ) -> Result<StartMeetingTranscriptionOutput, StartMeetingTranscriptionError> {
        InMemoryChime::start_meeting_transcription(self, input)
    }
    async fn stop_meeting_transcription(
        &self,
        input: StopMeetingTranscriptionInput,
    ) -> Result<StopMeetingTranscriptionOutput, StopMeetingTranscriptionError> {
        InMemoryChime::stop_meeting_transcription(self, input)
    }
    async fn tag_resource(
        &self,
        input: TagResourceInput,
    ) -> Result<TagResourceOutput, TagResourceError> {
        InMemoryChime::tag_resource(self, input)
    }
    async fn untag_resource(
        &self,
        input: UntagResourceInput,
    ) -> Result<UntagResourceOutput, UntagResourceError> {
        InMemoryChime::untag_resource(self, input)
    }
    async fn update_attendee_capabilities(
        &self,
        input: UpdateAttendeeCapabilitiesInput,
    ) -> Result<UpdateAttendeeCapabilitiesOutput, UpdateAttendeeCapabilitiesError> {
        InMemoryChime::update_attendee_capabilities(self, input)
    }
}
