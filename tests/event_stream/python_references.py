#!/usr/bin/env python3
"""Event-stream frames and signatures from the Python references, for the runtime's tests.

Three independent implementations, none of them ours:
- `smithy-aws-event-stream` (smithy-python) encodes each message described below, and decodes it;
- botocore's `EventStreamBuffer` (what boto3 reads output streams with) decodes the same bytes,
  and says which of a set of damaged frames it rejects;
- `aws-sdk-signers`' `AsyncEventSigner` signs chains of messages (fixed credentials, region,
  service, seed signature and times), the last one the final empty message.

Everything is written to `fixtures/python_references.json` beside this script; the Rust tests
(`codegen/runtime/src/tests/event_stream.rs`) build the same messages, check that our encoder
writes exactly the reference bytes, that our decoder reads what botocore and smithy-python read,
rejects what they reject, and that our signer and verifier agree with `aws-sdk-signers`.

    python3.12 -m venv /tmp/es && /tmp/es/bin/pip install botocore smithy-aws-event-stream aws-sdk-signers
    /tmp/es/bin/python tests/event_stream/python_references.py

smithy-python needs Python 3.12 or later.
"""

import asyncio
import base64
import datetime
import importlib
import hashlib
import io
import json
import os
import sys
import types
import uuid
from unittest import mock

import botocore
import botocore.eventstream as boto_es

HERE = os.path.dirname(os.path.abspath(__file__))


def load_references():
    events = importlib.import_module("smithy_aws_event_stream.events")
    exceptions = importlib.import_module("smithy_aws_event_stream.exceptions")
    signers = importlib.import_module("aws_sdk_signers.signers")
    return events, exceptions, signers


EVENTS, EXCEPTIONS, SIGNERS = load_references()
UTC = datetime.timezone.utc


def ts(millis):
    return datetime.datetime(1970, 1, 1, tzinfo=UTC) + datetime.timedelta(milliseconds=millis)


# Headers as [name, type, value] with JSON values: bytes and uuid in base64 (uuid: its 16 bytes),
# timestamps in epoch milliseconds.
def b64(data):
    return base64.b64encode(data).decode()


def message_cases():
    cases = []

    def add(name, headers, payload=b""):
        cases.append({"name": name, "headers": headers, "payload": b64(payload)})

    add("empty", [])
    add("payload only", [], b"hello, world")
    add("booleans", [["t", "bool", True], ["f", "bool", False]])
    add("bytes ints", [["min", "byte", -128], ["max", "byte", 127], ["zero", "byte", 0]])
    add("shorts", [["min", "short", -32768], ["max", "short", 32767]])
    add("ints", [["min", "int", -2**31], ["max", "int", 2**31 - 1]])
    add("longs", [["min", "long", -2**63], ["max", "long", 2**63 - 1]])
    add("blobs", [["empty", "bytes", ""], ["binary", "bytes", b64(bytes(range(256)))],
                  ["longest", "bytes", b64(bytes(i % 251 for i in range(32767)))]])
    add("strings", [["empty", "string", ""], ["unicode", "string", "h\u00e9llo \u2603 \U0001F600"],
                    ["longest", "string", "x" * 32767]])
    add("timestamps", [["epoch", "timestamp", 0], ["before", "timestamp", -1500],
                       ["now", "timestamp", 1767323045123], ["far", "timestamp", 253402300799999]])
    add("uuid", [["id", "uuid", b64(uuid.UUID("12345678-9abc-def0-1122-334455667788").bytes)]])
    add("long name", [["n" * 255, "string", "v"]])
    add("many headers", [[f"h{i:03}", "int", i] for i in range(100)])
    add("audio event", [[":message-type", "string", "event"], [":event-type", "string", "AudioEvent"],
                        [":content-type", "string", "application/octet-stream"]],
        bytes((i * 37) % 256 for i in range(3200)))
    add("json event", [[":message-type", "string", "event"], [":event-type", "string", "chunk"],
                       [":content-type", "string", "application/json"]],
        b'{"bytes":"eyJ0eXBlIjoibWVzc2FnZV9zdGFydCJ9"}')
    add("exception", [[":message-type", "string", "exception"],
                      [":exception-type", "string", "ThrottlingException"],
                      [":content-type", "string", "application/json"]], b'{"message":"slow down"}')
    add("error", [[":message-type", "string", "error"], [":error-code", "string", "InternalFailure"],
                  [":error-message", "string", "An internal error occurred."]])
    add("large payload", [["k", "long", 7]], bytes((i * 131 + 7) % 256 for i in range(70_000)))
    return cases


def to_python_headers(headers):
    out = {}
    for name, kind, value in headers:
        out[name] = {
            "bool": lambda v: bool(v),
            "byte": EVENTS.Byte,
            "short": EVENTS.Short,
            "int": int,
            "long": EVENTS.Long,
            "bytes": base64.b64decode,
            "string": str,
            "timestamp": ts,
            "uuid": lambda v: uuid.UUID(bytes=base64.b64decode(v)),
        }[kind](value)
    return out


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def json_value(value):
    """A decoded header value as JSON, whatever the decoder returned: bool, int, str (its
    SHA-256 if longer than 64 characters); bytes in base64 (their SHA-256 if longer than 64),
    timestamps in epoch milliseconds and UUIDs in base64, tagged."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return value if len(value) <= 64 else {"string_sha256": sha256(value.encode())}
    if isinstance(value, (bytes, bytearray)):
        if len(value) > 64:
            return {"bytes_sha256": sha256(bytes(value))}
        return {"bytes": b64(bytes(value))}
    if isinstance(value, datetime.datetime):
        delta = value - datetime.datetime(1970, 1, 1, tzinfo=UTC)
        return {"timestamp_ms": (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000}
    if isinstance(value, uuid.UUID):
        return {"uuid": b64(value.bytes)}
    raise TypeError(type(value))


def botocore_decode(data):
    """botocore's messages for `data`, or the name of the exception it raised."""
    buffer = boto_es.EventStreamBuffer()
    try:
        buffer.add_data(data)
        messages = [{"headers": {k: json_value(v) for k, v in m.headers.items()},
                     "payload_sha256": sha256(m.payload)} for m in buffer]
    except Exception as e:  # ParserError, and KeyError or struct.error on some malformed headers
        return {"error": type(e).__name__}
    # Bytes left in the buffer: a truncated frame (botocore waits for more data).
    if buffer._data:
        return {"messages": messages, "incomplete": len(buffer._data)}
    return {"messages": messages}


def smithy_decode(data):
    source = io.BytesIO(data)
    messages = []
    try:
        while True:
            event = EVENTS.Event.decode(source)
            if event is None:
                break
            messages.append({"headers": {k: json_value(v) for k, v in event.message.headers.items()},
                             "payload_sha256": sha256(event.message.payload)})
    except Exception as e:  # smithy's exceptions, struct.error on short reads
        return {"error": type(e).__name__}
    return {"messages": messages}


def crc32(data):
    import binascii
    return binascii.crc32(data) & 0xFFFFFFFF


def frame(headers_bytes, payload, total=None, headers_len=None):
    """A frame with valid CRCs around arbitrary header bytes (lengths may lie)."""
    import struct
    total = total if total is not None else 16 + len(headers_bytes) + len(payload)
    headers_len = headers_len if headers_len is not None else len(headers_bytes)
    prelude = struct.pack("!II", total, headers_len)
    prelude += struct.pack("!I", crc32(prelude))
    body = prelude + headers_bytes + payload
    return body + struct.pack("!I", crc32(body))


def damaged_frames(valid):
    out = []

    def add(name, data):
        out.append({"name": name, "bytes": b64(data), "botocore": botocore_decode(data),
                    "smithy": smithy_decode(data)})

    flipped = bytearray(valid)
    flipped[-6] ^= 0x01
    add("payload bit flipped (message CRC)", bytes(flipped))
    flipped = bytearray(valid)
    flipped[2] ^= 0x01
    add("total length bit flipped (prelude CRC)", bytes(flipped))
    add("truncated inside the payload", valid[:-5])
    add("truncated inside the prelude", valid[:7])
    add("unknown header type 10", frame(b"\x01a\x0a", b"x"))
    add("header value past the headers", frame(b"\x01a\x07\x00\x09abc", b"payload"))
    add("headers length beyond the message", frame(b"", b"abcdefgh", headers_len=100))
    add("empty header name", frame(b"\x00\x00", b""))
    add("duplicate header", frame(b"\x01a\x00\x01a\x01", b""))
    add("string not UTF-8", frame(b"\x01a\x07\x00\x02\xff\xfe", b""))
    add("total length under 16", frame(b"", b"", total=8))
    add("headers over 128 KiB", frame(b"\x01a\x06\x7f\xff" + b"z" * 32767, b"", headers_len=131073))
    return out


async def signature_chains():
    from aws_sdk_signers import AWSCredentialIdentity
    chains = []
    specs = [
        {
            "name": "transcribe audio, whole seconds",
            "access_key": "AKIDEXAMPLE",
            "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "region": "us-east-1",
            "service": "transcribe",
            "seed": "4b1d3a5e0f3cc0a37e6bd1fa37d1a2b98e4b5f1c8d0ea0c9c85a5ad2a1bde0ad",
            "times_ms": [1767323045000, 1767323046000, 1767323046000, 1767323050000],
            "messages": ["audio event", "json event", "empty"],
        },
        {
            "name": "lex, sub-second dates",
            "access_key": "AKIAIOSFODNN7EXAMPLE",
            "secret_key": "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            "region": "eu-west-2",
            "service": "lex",
            "seed": "0000000000000000000000000000000000000000000000000000000000000000",
            "times_ms": [1784113445250, 1784113445999, 1784113446001],
            "messages": ["exception", "strings"],
        },
    ]
    by_name = {c["name"]: c for c in message_cases()}
    for spec in specs:
        identity = AWSCredentialIdentity(access_key_id=spec["access_key"],
                                         secret_access_key=spec["secret_key"])
        signer = SIGNERS.AsyncEventSigner(initial_signature=spec["seed"].encode(),
                                          event_encoder_cls=EVENTS.EventHeaderEncoder)
        properties = {"region": spec["region"], "service": spec["service"]}
        envelopes = []
        names = spec["messages"] + [None]
        for name, millis in zip(names, spec["times_ms"]):
            fixed = ts(millis)

            # The signer reads the clock as `datetime.datetime.now(datetime.UTC)`; its module's
            # `datetime` name is replaced by one whose clock stands at `fixed`.
            clock = types.SimpleNamespace(
                datetime=types.SimpleNamespace(now=lambda tz=None, fixed=fixed: fixed), UTC=UTC)
            with mock.patch.object(SIGNERS, "datetime", clock):
                if name is None:
                    signed = await signer.sign_empty(event=EVENTS.EventMessage(), identity=identity,
                                                     properties=dict(properties))
                else:
                    case = by_name[name]
                    message = EVENTS.EventMessage(headers=to_python_headers(case["headers"]),
                                                  payload=base64.b64decode(case["payload"]))
                    signed = await signer.sign(event=message, identity=identity,
                                               properties=dict(properties))
            envelope = EVENTS.EventMessage(headers=signed.headers, payload=signed.payload).encode()
            envelopes.append({"message": name, "time_ms": millis,
                              "signature": signed.headers[":chunk-signature"].hex(),
                              "envelope": b64(envelope)})
        chains.append({**{k: v for k, v in spec.items() if k not in ("messages", "times_ms")},
                       "envelopes": envelopes})
    return chains


def main():
    import importlib.metadata as md
    cases = message_cases()
    for case in cases:
        encoded = EVENTS.EventMessage(headers=to_python_headers(case["headers"]),
                                      payload=base64.b64decode(case["payload"])).encode()
        # Frames over 4 KiB are given by their length and SHA-256.
        if len(encoded) <= 4096:
            case["bytes"] = b64(encoded)
        case["bytes_len"] = len(encoded)
        case["bytes_sha256"] = sha256(encoded)
        case["botocore"] = botocore_decode(encoded)
        case["smithy"] = smithy_decode(encoded)
    valid = base64.b64decode(next(c for c in cases if c["name"] == "json event")["bytes"])
    out = {
        "generator": "tests/event_stream/python_references.py",
        "botocore": botocore.__version__,
        "smithy-aws-event-stream": md.version("smithy-aws-event-stream"),
        "aws-sdk-signers": md.version("aws-sdk-signers"),
        "python": sys.version.split()[0],
        "messages": cases,
        "damaged": damaged_frames(valid),
        "signatures": asyncio.run(signature_chains()),
    }
    target = os.path.join(HERE, "fixtures/python_references.json")
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"{len(cases)} messages, {len(out['damaged'])} damaged frames, "
          f"{len(out['signatures'])} signature chains written to {os.path.relpath(target)}")


if __name__ == "__main__":
    main()
