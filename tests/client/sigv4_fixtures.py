#!/usr/bin/env python3
"""SigV4 reference signatures for tests/client.rs, computed by botocore.

Each case is a request exactly as the generated client sends it (method, URL, headers other
than User-Agent, body); botocore's SigV4Auth signs it with fixed credentials at a fixed time,
and the Authorization, X-Amz-Date and X-Amz-Security-Token headers it produces are written to
sigv4_fixtures.json beside this script. The Rust test sends the same calls through the client,
checks that its request is this one, and that its signature headers are botocore's.

    python3 tests/client/sigv4_fixtures.py   # rewrites tests/client/sigv4_fixtures.json
"""

import datetime
import json
import os
from unittest import mock

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

JAN_2 = 1767323045  # 2026-01-02T03:04:05Z
JUL_15 = 1784113445  # 2026-07-15T11:04:05Z
US = "https://meetings-chime.us-east-1.amazonaws.com"
EU = "https://meetings-chime.eu-west-1.amazonaws.com"
JSON = {"content-type": "application/json"}


def attempt(headers):
    return {**headers, "amz-sdk-request": "attempt=1; max=1"}


CASES = [
    {
        "name": "create_attendee",
        "region": "us-east-1",
        "access_key": "AKIDEXAMPLE",
        "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "session_token": None,
        "time": JAN_2,
        "request": {
            "method": "POST",
            "url": US + "/meetings/m-1/attendees",
            "headers": attempt(JSON),
            "body": '{"ExternalUserId":"alice"}',
        },
    },
    {
        "name": "list_attendees_session_token",
        "region": "us-east-1",
        "access_key": "ASIAEXAMPLETEMP",
        "secret_key": "tempSecret/With+Symbols=",
        "session_token": "FwoGZXIvYXdzEXAMPLE//session+token==",
        "time": JAN_2,
        "request": {
            "method": "GET",
            "url": US + "/meetings/m-1/attendees?next-token=a%2Fb%2Bc%3D%3D&max-results=5",
            "headers": attempt({}),
            "body": "",
        },
    },
    {
        "name": "delete_meeting_encoded_label",
        "region": "us-east-1",
        "access_key": "AKIDEXAMPLE",
        "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "session_token": None,
        "time": JUL_15,
        "request": {
            "method": "DELETE",
            "url": US + "/meetings/id%20with%20space%2F%C3%A9",
            "headers": attempt({}),
            "body": "",
        },
    },
    {
        "name": "create_meeting_unicode_eu_west_1",
        "region": "eu-west-1",
        "access_key": "AKIDEXAMPLE",
        "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "session_token": "short-token",
        "time": JUL_15,
        "request": {
            "method": "POST",
            "url": EU + "/meetings",
            "headers": attempt(JSON),
            "body": json.dumps(
                {
                    "ClientRequestToken": "tok-1",
                    "MediaRegion": "eu-west-1",
                    "ExternalMeetingId": "Réunion ☕",
                    "MeetingFeatures": {"Audio": {"EchoReduction": "AVAILABLE"}},
                },
                separators=(",", ":"),
                ensure_ascii=False,
            ),
        },
    },
    {
        "name": "tag_resource_literal_query",
        "region": "us-east-1",
        "access_key": "AKIDEXAMPLE",
        "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "session_token": None,
        "time": JAN_2,
        "request": {
            "method": "POST",
            "url": US + "/tags?operation=tag-resource",
            "headers": attempt(JSON),
            "body": json.dumps(
                {"ResourceARN": "arn:aws:chime:us-east-1:123456789012:meeting/m-1", "Tags": [{"Key": "k", "Value": "v w"}]},
                separators=(",", ":"),
            ),
        },
    },
]

SIGNING_NAME = "chime"  # the model's aws.auth#sigv4 name


def sign(case):
    req = case["request"]
    request = AWSRequest(method=req["method"], url=req["url"], headers=dict(req["headers"]), data=req["body"].encode("utf-8"))
    credentials = Credentials(case["access_key"], case["secret_key"], case["session_token"])
    when = datetime.datetime.fromtimestamp(case["time"], tz=datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
        botocore.auth.SigV4Auth(credentials, SIGNING_NAME, case["region"]).add_auth(request)
    expected = {"authorization": request.headers["Authorization"], "x-amz-date": request.headers["X-Amz-Date"]}
    if case["session_token"]:
        expected["x-amz-security-token"] = request.headers["X-Amz-Security-Token"]
    return {**case, "expected": expected}


def main():
    out = [sign(case) for case in CASES]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sigv4_fixtures.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"generator": "tests/client/sigv4_fixtures.py", "botocore": botocore.__version__, "cases": out}, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"{path}: {len(out)} cases (botocore {botocore.__version__})")


if __name__ == "__main__":
    main()
