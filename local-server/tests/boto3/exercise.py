"""boto3 against the local Chime SDK Meetings server: every operation, pagination, modeled
errors and the seeds' capability rules. Run by local-server/tests/boto3.rs as
`python exercise.py ENDPOINT ACCESS_KEY SECRET`; prints one JSON summary line, exits non-zero on
the first failed check."""
import json
import sys

import boto3
import botocore
from botocore.config import Config

endpoint, key, secret = sys.argv[1:4]


def client(secret_key=secret):
    return boto3.client(
        "chime-sdk-meetings",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id=key,
        aws_secret_access_key=secret_key,
        config=Config(retries={"max_attempts": 1}),
    )


c = client()
summary = {"boto3": boto3.__version__, "botocore": botocore.__version__, "operations": []}


def op(name):
    summary["operations"].append(name)


def expect_error(code, fn, **kwargs):
    try:
        fn(**kwargs)
    except botocore.exceptions.ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}: {e}"
        return e.response
    raise AssertionError(f"expected {code}, the call succeeded")


# CreateMeeting, idempotent on ClientRequestToken (boto3 fills the token when absent).
m = c.create_meeting(ClientRequestToken="boto3-token-1", MediaRegion="eu-west-1", ExternalMeetingId="boto3",
                     Tags=[{"Key": "team", "Value": "rtc"}])["Meeting"]
op("CreateMeeting")
again = c.create_meeting(ClientRequestToken="boto3-token-1", MediaRegion="eu-west-1", ExternalMeetingId="boto3")["Meeting"]
assert again["MeetingId"] == m["MeetingId"]
auto = c.create_meeting(MediaRegion="eu-west-1", ExternalMeetingId="boto3-auto")["Meeting"]
assert auto["MeetingId"] != m["MeetingId"]
mid = m["MeetingId"]
assert m["MediaPlacement"]["SignalingUrl"].endswith(mid)
assert m["MeetingArn"].endswith(":meeting/" + mid)

# GetMeeting, and NotFoundException as a modeled exception class.
assert c.get_meeting(MeetingId=mid)["Meeting"]["ExternalMeetingId"] == "boto3"
op("GetMeeting")
try:
    c.get_meeting(MeetingId="11111111-2222-4333-8444-555555555555")
    raise AssertionError("no NotFoundException")
except c.exceptions.NotFoundException as e:
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404

# CreateAttendee: idempotent on ExternalUserId; the seeds' capability rule.
a = c.create_attendee(MeetingId=mid, ExternalUserId="alice")["Attendee"]
op("CreateAttendee")
assert c.create_attendee(MeetingId=mid, ExternalUserId="alice")["Attendee"]["AttendeeId"] == a["AttendeeId"]
try:
    c.create_attendee(MeetingId=mid, ExternalUserId="bob",
                      Capabilities={"Audio": "SendReceive", "Video": "None", "Content": "SendReceive"})
    raise AssertionError("no BadRequestException")
except c.exceptions.BadRequestException as e:
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400

# BatchCreateAttendee, GetAttendee, ListAttendees through boto3's own paginator.
out = c.batch_create_attendee(MeetingId=mid, Attendees=[{"ExternalUserId": f"user-{i}"} for i in range(11)])
op("BatchCreateAttendee")
assert len(out["Attendees"]) == 11 and not out.get("Errors")
assert c.get_attendee(MeetingId=mid, AttendeeId=a["AttendeeId"])["Attendee"]["ExternalUserId"] == "alice"
op("GetAttendee")
# (botocore ships no paginator for ListAttendees: follow NextToken by hand.)
pages, token = [], None
while True:
    page = c.list_attendees(MeetingId=mid, MaxResults=5, **({"NextToken": token} if token else {}))
    pages.append(page)
    token = page.get("NextToken")
    if not token:
        break
op("ListAttendees")
assert [len(p["Attendees"]) for p in pages] == [5, 5, 2], [len(p["Attendees"]) for p in pages]
summary["pages"] = len(pages)

# Capabilities updates.
u = c.update_attendee_capabilities(MeetingId=mid, AttendeeId=a["AttendeeId"],
                                   Capabilities={"Audio": "Receive", "Video": "Receive", "Content": "None"})
op("UpdateAttendeeCapabilities")
assert u["Attendee"]["Capabilities"] == {"Audio": "Receive", "Video": "Receive", "Content": "None"}
c.batch_update_attendee_capabilities_except(MeetingId=mid, ExcludedAttendeeIds=[{"AttendeeId": a["AttendeeId"]}],
                                            Capabilities={"Audio": "Send", "Video": "None", "Content": "None"})
op("BatchUpdateAttendeeCapabilitiesExcept")
now = {x["ExternalUserId"]: x["Capabilities"]["Audio"]
       for x in c.list_attendees(MeetingId=mid, MaxResults=100)["Attendees"]}
assert now["alice"] == "Receive" and now["user-0"] == "Send", now

# Tags on the meeting ARN.
arn = m["MeetingArn"]
c.tag_resource(ResourceARN=arn, Tags=[{"Key": "env", "Value": "dev"}])
op("TagResource")
c.untag_resource(ResourceARN=arn, TagKeys=["team"])
op("UntagResource")
assert c.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "env", "Value": "dev"}]
op("ListTagsForResource")
expect_error("ResourceNotFoundException", c.list_tags_for_resource,
             ResourceARN=arn.replace(mid, "11111111-2222-4333-8444-555555555555"))

# Transcription.
c.start_meeting_transcription(MeetingId=mid, TranscriptionConfiguration={
    "EngineTranscribeSettings": {"LanguageCode": "en-US"}})
op("StartMeetingTranscription")
c.stop_meeting_transcription(MeetingId=mid)
op("StopMeetingTranscription")
expect_error("UnprocessableEntityException", c.stop_meeting_transcription, MeetingId=mid)

# CreateMeetingWithAttendees with MaxResolution None for video: the seeds' rules and defaults.
w = c.create_meeting_with_attendees(
    MediaRegion="us-east-1", ExternalMeetingId="boto3-cmwa",
    MeetingFeatures={"Video": {"MaxResolution": "None"}},
    Attendees=[{"ExternalUserId": "viewer"},
               {"ExternalUserId": "sender", "Capabilities": {"Audio": "SendReceive", "Video": "SendReceive", "Content": "None"}}])
op("CreateMeetingWithAttendees")
assert [x["ExternalUserId"] for x in w["Attendees"]] == ["viewer"]
assert w["Attendees"][0]["Capabilities"] == {"Audio": "SendReceive", "Video": "Receive", "Content": "SendReceive"}
assert [e["ExternalUserId"] for e in w["Errors"]] == ["sender"]
# More than 20 attendees: refused by the model's constraint (boto3 validates lists' lengths
# client-side, so turn that off to reach the server).
raw = boto3.client("chime-sdk-meetings", region_name="us-east-1", endpoint_url=endpoint,
                   aws_access_key_id=key, aws_secret_access_key=secret,
                   config=Config(retries={"max_attempts": 1}, parameter_validation=False))
resp = expect_error("ValidationException", raw.create_meeting_with_attendees, MediaRegion="us-east-1",
                    ExternalMeetingId="too-many", ClientRequestToken="too-many-token",
                    Attendees=[{"ExternalUserId": f"u{i:02}"} for i in range(21)])
assert resp["ResponseMetadata"]["HTTPStatusCode"] == 400

# Deletes, then NotFound.
c.delete_attendee(MeetingId=mid, AttendeeId=a["AttendeeId"])
op("DeleteAttendee")
expect_error("NotFoundException", c.get_attendee, MeetingId=mid, AttendeeId=a["AttendeeId"])
c.delete_meeting(MeetingId=mid)
op("DeleteMeeting")
expect_error("NotFoundException", c.get_meeting, MeetingId=mid)

# A wrong secret: the server recomputes the signature and refuses it.
resp = expect_error("InvalidSignatureException", client("not-the-secret").get_meeting, MeetingId=auto["MeetingId"])
assert resp["ResponseMetadata"]["HTTPStatusCode"] == 403

summary["meeting_id"] = auto["MeetingId"]
print(json.dumps(summary))
