#!/usr/bin/env python3
"""Generate restJson1 wire fixtures from botocore, the reference AWS Python SDK core.

This is an *independent reference* for the Rust wire layer: every request and
response expectation below is produced by botocore itself (its bundled service
models, its serializer, its response parser and its client event hooks), never
by hand.

Usage (from the repository root)::

    python3 -m venv target/wire-venv
    target/wire-venv/bin/pip install -r tests/wire/requirements.txt
    target/wire-venv/bin/python tests/wire/botocore_fixtures.py            # chime-sdk-meetings
    target/wire-venv/bin/python tests/wire/botocore_fixtures.py --all      # + the extra services
    target/wire-venv/bin/python tests/wire/botocore_fixtures.py ivs glacier  # any rest-json service

Options:
    SERVICE ...        botocore service names (default: chime-sdk-meetings).
    --all              chime-sdk-meetings plus EXTRA_SERVICES below.
    --out DIR          output root (default: tests/wire/fixtures next to this file).
    --cases N          random request inputs per operation (default 20).
    --check            regenerate into a temporary directory and compare byte for
                       byte with the committed fixtures (exit 1 on difference).

For each service it writes ``<out>/<service>/requests.jsonl`` and
``<out>/<service>/responses.jsonl``; the line formats are documented in
tests/wire/README.md.  Output is deterministic: all randomness comes from
``random.Random`` instances seeded from SEED, the service and the operation
name; botocore's own uuid4() calls (idempotency tokens) are redirected to a
seeded generator that still yields RFC 4122 version-4 UUIDs.

Nothing is sent over the network: a ``before-send`` hook captures the
prepared request (and raises) or hands botocore a canned ``AWSResponse``.
"""

import argparse
import base64
import calendar
import datetime
import filecmp
import json
import os
import random
import re
import sys
import tempfile
import time
import uuid

# --- make botocore's behaviour independent of the caller's environment -------
for _k in list(os.environ):
    if _k.startswith("AWS_") or _k in ("_X_AMZN_TRACE_ID",):
        del os.environ[_k]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
os.environ["TZ"] = "UTC"
if hasattr(time, "tzset"):
    time.tzset()

try:  # Python >= 3.11
    import re._parser as sre_parse  # type: ignore
    import re._constants as sre_c  # type: ignore
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore
    import sre_constants as sre_c  # type: ignore

import botocore
import botocore.parsers
import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError
from botocore.response import StreamingBody

SEED = 20210715
DEFAULT_SERVICE = "chime-sdk-meetings"
EXTRA_SERVICES = [
    "apigatewaymanagementapi",
    "appconfigdata",
    "rds-data",
    "ivs",
    "dataexchange",
    "glacier",
    "chime-sdk-identity",
    "chime-sdk-messaging",
]
SUCCESS_PER_OP = 5
TOKEN_AUTOFILL_CASES = 3
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 4

# Endpoints for services whose endpoint cannot be derived from the region alone.
ENDPOINT_URLS = {
    "apigatewaymanagementapi": "https://abcdef1234.execute-api.us-east-1.amazonaws.com",
}

# Headers that belong to signing / telemetry and are dropped from fixtures.
DROPPED_HEADERS = {
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "authorization",
    "user-agent",
    "x-amz-user-agent",
}

UNICODE_TOKENS = ["é", "漢字", "🎉", "ü", "ß", "Ω"]
URI_SPECIAL_TOKENS = [" ", "/", "?", "#", "%", "+", "&", "=", "~", "é", "漢字", "🎉",
                      "%20", ":", "@", "!", "$", "'", "(", ")", "*", ",", ";", "[", "]"]
BODY_SPECIAL_TOKENS = ["é", "漢字", "🎉", " ", "\"", "\\", "\n", "\t", "/", "<", ">", "&",
                       "\u2028", "\u0001", "'"]
HEADER_SPECIAL_TOKENS = [" ", "/", "=", ";", ":", "-", "_", ".", "~", "(", ")", "*"]
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
PRINTABLE_ASCII = "".join(chr(c) for c in range(0x21, 0x7F))


class Captured(Exception):
    """Raised from the before-send hook once the prepared request is recorded."""

    def __init__(self, request):
        super().__init__("captured")
        self.request = request


class GenerationError(Exception):
    pass


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------


def rfc3339(dt):
    """datetime -> RFC 3339 string in UTC with a 'Z' suffix.

    No fractional part when the value has whole seconds, 3 digits when it has
    millisecond precision, 6 digits otherwise.
    """
    if dt.tzinfo is not None:
        dt = dt.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    s = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if dt.microsecond % 1000 == 0 and dt.microsecond:
        s += ".%03d" % (dt.microsecond // 1000)
    elif dt.microsecond:
        s += ".%06d" % dt.microsecond
    return s + "Z"


def b64(data):
    return base64.b64encode(data).decode("ascii")


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def shape_ts_format(shape, default):
    return (shape.serialization.get("timestampFormat")
            or shape.metadata.get("timestampFormat") or default).lower()


# ---------------------------------------------------------------------------
# regex-driven string generation (patterns are optional: botocore never checks them)
# ---------------------------------------------------------------------------

_CATEGORY_CHARS = {
    sre_c.CATEGORY_DIGIT: "0123456789",
    sre_c.CATEGORY_NOT_DIGIT: "abcXYZ-_",
    sre_c.CATEGORY_SPACE: " ",
    sre_c.CATEGORY_NOT_SPACE: ALNUM,
    sre_c.CATEGORY_WORD: ALNUM + "_",
    sre_c.CATEGORY_NOT_WORD: "-.:/ ",
}


class _Unsupported(Exception):
    pass


def _pick_from_in(items, rng):
    negate = items and items[0][0] == sre_c.NEGATE
    if negate:
        pool = [c for c in ALNUM + "-_.:/" if not _in_matches(items[1:], ord(c))]
        if not pool:
            raise _Unsupported("negated class")
        return rng.choice(pool)
    op, av = rng.choice(items)
    if op == sre_c.LITERAL:
        return chr(av)
    if op == sre_c.RANGE:
        lo, hi = av
        ascii_lo, ascii_hi = max(lo, 0x20), min(hi, 0x7E)
        if ascii_lo <= ascii_hi and (rng.random() < 0.85 or hi <= 0x7E):
            return chr(rng.randint(ascii_lo, ascii_hi))
        for _ in range(20):
            c = rng.randint(max(lo, 0x20), min(hi, 0x2FFFF))
            if not (0xD800 <= c <= 0xDFFF) and not (0x7F <= c <= 0x9F) and c not in (0xFFFE, 0xFFFF):
                return chr(c)
        raise _Unsupported("range")
    if op == sre_c.CATEGORY:
        return rng.choice(_CATEGORY_CHARS[av])
    raise _Unsupported(str(op))


def _in_matches(items, code):
    for op, av in items:
        if op == sre_c.LITERAL and av == code:
            return True
        if op == sre_c.RANGE and av[0] <= code <= av[1]:
            return True
        if op == sre_c.CATEGORY and chr(code) in _CATEGORY_CHARS.get(av, ""):
            return True
    return False


def _gen_regex(parsed, rng, budget):
    out = []
    for op, av in parsed:
        if op == sre_c.LITERAL:
            out.append(chr(av))
        elif op == sre_c.NOT_LITERAL:
            out.append(rng.choice([c for c in ALNUM if ord(c) != av]))
        elif op == sre_c.ANY:
            out.append(rng.choice(ALNUM))
        elif op == sre_c.IN:
            out.append(_pick_from_in(av, rng))
        elif op == sre_c.BRANCH:
            out.append(_gen_regex(rng.choice(av[1]), rng, budget))
        elif op == sre_c.SUBPATTERN:
            out.append(_gen_regex(av[-1], rng, budget))
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            hi = min(hi, lo + budget)
            n = rng.randint(lo, hi)
            out.extend(_gen_regex(sub, rng, budget) for _ in range(n))
        elif op == sre_c.AT:
            pass
        elif op == sre_c.CATEGORY:
            out.append(rng.choice(_CATEGORY_CHARS[av]))
        else:
            raise _Unsupported(str(op))
    return "".join(out)


_PATTERN_CACHE = {}


def string_from_pattern(pattern, rng, lo, hi):
    """Return a string matching `pattern` with lo <= len <= hi, or None."""
    if pattern not in _PATTERN_CACHE:
        try:
            _PATTERN_CACHE[pattern] = (re.compile(pattern), sre_parse.parse(pattern))
        except (re.error, OverflowError, ValueError):
            _PATTERN_CACHE[pattern] = None
    entry = _PATTERN_CACHE[pattern]
    if entry is None:
        return None
    compiled, parsed = entry
    for attempt in range(25):
        budget = rng.randint(max(1, lo), max(1, lo) + 12) if attempt % 2 == 0 else rng.randint(0, 8)
        try:
            s = _gen_regex(parsed, rng, budget)
        except _Unsupported:
            return None
        if lo <= len(s) <= hi and compiled.search(s):
            return s
    return None


# ---------------------------------------------------------------------------
# random inputs (requests)
# ---------------------------------------------------------------------------


class InputGen:
    """Random valid inputs for a botocore input shape.

    Every generator returns a pair ``(json_value, botocore_value)``: the JSON
    form recorded in the fixture (timestamps as RFC 3339 strings, blobs as
    base64) and the Python value handed to botocore (datetime, bytes).
    """

    def __init__(self, rng, mode):
        self.rng = rng
        # mode: "min" (required only), "max" (everything), "random"
        self.mode = mode
        self.quirks = set()

    def include_optional(self, depth):
        if self.mode == "min":
            return False
        if self.mode == "max":
            return depth < MAX_DEPTH
        return depth < MAX_DEPTH and self.rng.random() < (0.6 if depth <= 1 else 0.4)

    # -- scalars -----------------------------------------------------------
    def string(self, shape, ctx):
        rng = self.rng
        if shape.enum:
            v = rng.choice(shape.enum)
            return v, v
        lo = int(shape.metadata.get("min", 0))
        hi = int(shape.metadata.get("max", 10**6))
        if ctx in ("uri", "hostlabel"):
            lo = max(lo, 1)
        if ctx == "hostlabel":
            s = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                        for _ in range(rng.randint(max(lo, 1), max(lo, min(hi, 12)))))
            return s, s
        pattern = shape.metadata.get("pattern")
        p_pattern = {"uri": 0.35, "querystring": 0.4, "header": 0.6}.get(ctx, 0.7)
        if pattern and rng.random() < p_pattern:
            s = string_from_pattern(pattern, rng, lo, hi)
            if s is not None and (ctx != "header" or _header_safe(s)) and s not in (".", ".."):
                return s, s
        s = self.free_string(lo, hi, ctx)
        return s, s

    def free_string(self, lo, hi, ctx):
        rng = self.rng
        target = rng.randint(lo, max(lo, min(hi, lo + 16)))
        if ctx == "header":
            tokens, base = HEADER_SPECIAL_TOKENS, ALNUM
        elif ctx in ("uri", "querystring", "querykey"):
            tokens, base = URI_SPECIAL_TOKENS, ALNUM
        else:
            tokens, base = BODY_SPECIAL_TOKENS, ALNUM
        chars = []
        while len(chars) < target:
            if rng.random() < 0.3:
                tok = rng.choice(tokens)
                if len(chars) + len(tok) <= target:
                    chars.extend(tok)
                    continue
            chars.append(rng.choice(base))
        s = "".join(chars)
        if ctx == "header":
            s = s.strip(" ") or "h"
            while len(s) < lo:
                s += "h"
        if ctx == "uri" and s in (".", ".."):
            s = s + "x"
        return s

    def integer(self, shape):
        rng = self.rng
        lo = shape.metadata.get("min")
        hi = shape.metadata.get("max")
        big = shape.type_name == "long"
        lo_v = int(lo) if lo is not None else (-1000 if rng.random() < 0.15 else 0)
        if hi is not None:
            hi_v = int(hi)
        else:
            hi_v = lo_v + (2**40 if big and rng.random() < 0.3 else 10000)
        r = rng.random()
        if r < 0.15:
            v = lo_v
        elif r < 0.3:
            v = hi_v
        else:
            v = rng.randint(lo_v, hi_v)
        return v, v

    def floating(self, shape):
        rng = self.rng
        lo = float(shape.metadata.get("min", -1000.0 if rng.random() < 0.2 else 0.0))
        hi = float(shape.metadata.get("max", lo + 10000.0))
        v = round(rng.uniform(lo, hi), rng.choice([0, 1, 2, 3]))
        v = min(max(v, lo), hi)
        return v, v

    def timestamp(self):
        rng = self.rng
        secs = rng.randint(946684800, 2051222400)  # 2000-01-01 .. 2035-01-01
        ms = rng.choice([0, 0, rng.randint(1, 999)])
        dt = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc).replace(
            microsecond=ms * 1000)
        return rfc3339(dt), dt

    def blob(self, shape):
        rng = self.rng
        lo = int(shape.metadata.get("min", 0))
        hi = int(shape.metadata.get("max", 10**6))
        n = rng.randint(lo, max(lo, min(hi, lo + 24)))
        data = bytes(rng.getrandbits(8) for _ in range(n))
        return b64(data), data

    # -- dispatcher --------------------------------------------------------
    def value(self, shape, ctx="body", depth=0):
        t = shape.type_name
        if t == "string":
            return self.string(shape, ctx)
        if t in ("integer", "long"):
            return self.integer(shape)
        if t in ("float", "double"):
            return self.floating(shape)
        if t == "boolean":
            v = self.rng.random() < 0.5
            return v, v
        if t == "timestamp":
            j, b = self.timestamp()
            if b.microsecond:
                fmt = shape_ts_format(shape, "iso8601" if ctx in ("uri", "querystring") else
                                      "rfc822" if ctx == "header" else "unixtimestamp")
                if fmt == "iso8601":
                    self.quirks.add("timestamp-iso8601-microseconds")
            return j, b
        if t == "blob":
            return self.blob(shape)
        if t == "list":
            return self.list(shape, ctx, depth)
        if t == "map":
            return self.map(shape, ctx, depth)
        if t == "structure":
            return self.structure(shape, depth)
        raise GenerationError("unsupported type %s" % t)

    def list(self, shape, ctx, depth):
        rng = self.rng
        lo = int(shape.metadata.get("min", 0))
        hi = int(shape.metadata.get("max", 10**6))
        if depth >= MAX_DEPTH:
            n = lo
        elif lo == 0 and rng.random() < 0.25:
            n = 0
        else:
            n = rng.randint(max(lo, 1), max(lo, 1, min(hi, 3)))
        member_ctx = ctx
        pairs = [self.value(shape.member, member_ctx, depth + 1) for _ in range(n)]
        return [p[0] for p in pairs], [p[1] for p in pairs]

    def map(self, shape, ctx, depth):
        rng = self.rng
        lo = int(shape.metadata.get("min", 0))
        hi = int(shape.metadata.get("max", 10**6))
        if depth >= MAX_DEPTH:
            n = lo
        elif lo == 0 and rng.random() < 0.25:
            n = 0
        else:
            n = rng.randint(max(lo, 1), max(lo, 1, min(hi, 3)))
        key_ctx = {"querystring": "querykey", "headers": "headerkey"}.get(ctx, "body")
        jm, bm = {}, {}
        attempts = 0
        while len(jm) < n and attempts < 50:
            attempts += 1
            if key_ctx == "headerkey":
                k = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789-")
                            for _ in range(rng.randint(1, 10))).strip("-") or "k"
            elif key_ctx == "querykey":
                k = self.free_string(1, 12, "querystring")
            else:
                k, _ = self.string(shape.key, "body")
            if k in jm:
                continue
            vctx = {"querystring": "querystring", "headers": "header"}.get(ctx, "body")
            jv, bv = self.value(shape.value, vctx, depth + 1)
            jm[k], bm[k] = jv, bv
        return jm, bm

    def structure(self, shape, depth, top_level=False, idempotent_skip=()):
        rng = self.rng
        if shape.is_document_type:
            doc = self.document(depth)
            return doc, doc
        members = shape.members
        required = set(shape.required_members)
        jm, bm = {}, {}
        if shape.is_tagged_union:
            names = list(members)
            name = rng.choice(names)
            jv, bv = self.value(members[name], "body", depth + 1)
            return {name: jv}, {name: bv}
        for name, member in members.items():
            if name in idempotent_skip:
                continue
            ctx = "body"
            if top_level:
                loc = member.serialization.get("location")
                if member.serialization.get("hostLabel"):
                    ctx = "hostlabel"
                elif loc:
                    ctx = loc
            if name not in required and not self.include_optional(depth):
                continue
            jv, bv = self.value(member, ctx, depth + 1)
            jm[name], bm[name] = jv, bv
        return jm, bm

    def document(self, depth):
        rng = self.rng
        kinds = ["str", "num", "bool", "null", "list", "obj"] if depth < 3 else ["str", "num", "bool"]
        k = rng.choice(kinds)
        if k == "str":
            return self.free_string(0, 8, "body")
        if k == "num":
            return rng.choice([rng.randint(-100, 100), round(rng.uniform(-10, 10), 2)])
        if k == "bool":
            return rng.random() < 0.5
        if k == "null":
            return None
        if k == "list":
            return [self.document(depth + 1) for _ in range(rng.randint(0, 3))]
        return {self.free_string(1, 6, "body"): self.document(depth + 1)
                for _ in range(rng.randint(0, 3))}


def _header_safe(s):
    return all(0x20 <= ord(c) < 0x7F for c in s) and s == s.strip(" ")


# ---------------------------------------------------------------------------
# random wire outputs (responses)
# ---------------------------------------------------------------------------


class OutputGen:
    """Random *wire* representations (JSON body values / header strings)."""

    def __init__(self, rng, extras=True):
        self.rng = rng
        self.extras = extras
        self.ingen = InputGen(rng, "random")

    def json_value(self, shape, depth=0):
        rng = self.rng
        t = shape.type_name
        if t == "string":
            if shape.enum and self.extras and rng.random() < 0.15:
                return "UNKNOWN_FUTURE_VALUE_%d" % rng.randint(1, 99)
            return self.ingen.string(shape, "body")[0]
        if t in ("integer", "long"):
            return self.ingen.integer(shape)[0]
        if t in ("float", "double"):
            return self.ingen.floating(shape)[0]
        if t == "boolean":
            return rng.random() < 0.5
        if t == "timestamp":
            _, dt = self.ingen.timestamp()
            fmt = shape_ts_format(shape, "unixtimestamp")
            return wire_timestamp(dt, fmt)
        if t == "blob":
            return self.ingen.blob(shape)[0]
        if t == "list":
            n = 0 if depth >= MAX_DEPTH else rng.choice([0, 1, 1, 2, 3])
            return [self.json_value(shape.member, depth + 1) for _ in range(n)]
        if t == "map":
            n = 0 if depth >= MAX_DEPTH else rng.choice([0, 1, 2])
            out = {}
            for _ in range(n):
                k = self.ingen.string(shape.key, "body")[0]
                out[k] = self.json_value(shape.value, depth + 1)
            return out
        if t == "structure":
            return self.json_struct(shape, depth)
        raise GenerationError("unsupported type %s" % t)

    def json_struct(self, shape, depth, body_members=None):
        rng = self.rng
        if shape.is_document_type:
            return self.ingen.document(depth)
        members = shape.members
        if shape.is_tagged_union:
            if self.extras and rng.random() < 0.15:
                return {"SomeFutureMember%d" % rng.randint(1, 9): {"x": 1}}
            name = rng.choice(list(members))
            out = {members[name].serialization.get("name", name):
                   self.json_value(members[name], depth + 1)}
            if self.extras and rng.random() < 0.2:
                out = dict([("__type", "com.example#Ignored")] + list(out.items()))
            return out
        out = {}
        for name, member in members.items():
            if body_members is not None and name not in body_members:
                continue
            wire = member.serialization.get("name", name)
            p = 0.8 if depth < 2 else 0.5
            if depth >= MAX_DEPTH:
                p = 0.0
            r = rng.random()
            if r < p:
                out[wire] = self.json_value(member, depth + 1)
            elif self.extras and r < p + 0.1:
                out[wire] = None
        if self.extras and rng.random() < 0.3:
            out["unknownExtraField%d" % rng.randint(1, 99)] = rng.choice(
                [1, "x", {"nested": [1, 2, {"deep": None}]}, [True, False], None])
        return out

    def header_value(self, shape):
        rng = self.rng
        t = shape.type_name
        if t == "string":
            if shape.metadata.get("jsonvalue") or shape.serialization.get("jsonvalue"):
                return b64(json.dumps({"k": rng.randint(0, 9)}).encode())
            if shape.enum:
                return rng.choice(shape.enum)
            lo = int(shape.metadata.get("min", 1))
            return self.ingen.free_string(max(lo, 1), max(lo, 1) + 10, "header")
        if t in ("integer", "long"):
            return str(self.ingen.integer(shape)[0])
        if t in ("float", "double"):
            return str(self.ingen.floating(shape)[0])
        if t == "boolean":
            return rng.choice(["true", "false"])
        if t == "timestamp":
            _, dt = self.ingen.timestamp()
            return wire_timestamp(dt.replace(microsecond=0), shape_ts_format(shape, "rfc822"))
        if t == "list":
            return ", ".join(self.header_value(shape.member) for _ in range(rng.randint(1, 3)))
        raise GenerationError("unsupported header type %s" % t)


def wire_timestamp(dt, fmt):
    if fmt == "unixtimestamp":
        secs = calendar.timegm(dt.utctimetuple())
        if dt.microsecond:
            return secs + dt.microsecond // 1000 / 1000.0
        return secs
    if fmt == "iso8601":
        return rfc3339(dt)
    if fmt == "rfc822":
        from email.utils import formatdate
        return formatdate(calendar.timegm(dt.utctimetuple()), usegmt=True)
    raise GenerationError(fmt)


# ---------------------------------------------------------------------------
# normalisation of botocore's parsed values into JSON
# ---------------------------------------------------------------------------


def normalize(value, shape):
    if value is None:
        return None
    if isinstance(value, StreamingBody):
        value = value.read()
    if shape is None:
        return _normalize_unknown(value)
    t = shape.type_name
    if t == "structure" and not shape.is_document_type and isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out[k] = normalize(v, shape.members.get(k)) if k in shape.members else _normalize_unknown(v)
        return out
    if t == "list" and isinstance(value, list):
        return [normalize(v, shape.member) for v in value]
    if t == "map" and isinstance(value, dict):
        return {k: normalize(v, shape.value) for k, v in value.items()}
    if t == "blob":
        if isinstance(value, str):
            value = value.encode("utf-8")
        return b64(value)
    return _normalize_unknown(value)


def _normalize_unknown(value):
    if isinstance(value, datetime.datetime):
        return rfc3339(value)
    if isinstance(value, (bytes, bytearray)):
        return b64(bytes(value))
    if isinstance(value, StreamingBody):
        return b64(value.read())
    if isinstance(value, dict):
        return {k: _normalize_unknown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalize_unknown(v) for v in value]
    return value


# ---------------------------------------------------------------------------
# botocore client plumbing
# ---------------------------------------------------------------------------


class _Raw:
    """Minimal urllib3-like raw body for AWSResponse / StreamingBody."""

    def __init__(self, data):
        self._data = data
        self._pos = 0

    def stream(self, *a, **kw):
        data, self._pos = self._data[self._pos:], len(self._data)
        if data:
            yield data

    def read(self, amt=None):
        if amt is None:
            data, self._pos = self._data[self._pos:], len(self._data)
        else:
            data = self._data[self._pos:self._pos + amt]
            self._pos += len(data)
        return data

    def close(self):
        pass


class _UuidSource:
    """Deterministic replacement for uuid.uuid4 (still valid version-4 UUIDs)."""

    def __init__(self):
        self.rng = random.Random(SEED)

    def reseed(self, key):
        self.rng = random.Random("%d:uuid:%s" % (SEED, key))

    def __call__(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


UUIDS = _UuidSource()
uuid.uuid4 = UUIDS  # botocore.handlers.generate_idempotent_uuid calls uuid.uuid4()


class ServiceHarness:
    def __init__(self, service):
        self.service = service
        session = botocore.session.Session()
        session.set_config_variable("region", "us-east-1")
        self.model = session.get_service_model(service)
        if self.model.protocol != "rest-json":
            raise SystemExit("%s: protocol is %s, not rest-json" % (service, self.model.protocol))
        self.client = session.create_client(
            service,
            region_name="us-east-1",
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
            endpoint_url=ENDPOINT_URLS.get(service),
            config=Config(retries={"total_max_attempts": 1, "mode": "standard"},
                          parameter_validation=True),
        )
        self.parser = botocore.parsers.create_parser("rest-json")
        self._canned = None
        self.client.meta.events.register_first("before-send", self._before_send)

    def _before_send(self, request, **kwargs):
        if self._canned is None:
            raise Captured(request)
        status, headers, body = self._canned
        return AWSResponse(request.url, status, headers, _Raw(body))

    def method(self, op_name):
        return getattr(self.client, botocore.xform_name(op_name))

    def capture(self, op_name, params, key):
        self._canned = None
        UUIDS.reseed(key)
        try:
            self.method(op_name)(**params)
        except Captured as c:
            return c.request
        raise GenerationError("request was not captured")

    def respond(self, op_name, params, status, headers, body, key):
        self._canned = (status, headers, body)
        UUIDS.reseed(key)
        try:
            return "ok", self.method(op_name)(**params)
        except ClientError as e:
            return "error", e.response
        finally:
            self._canned = None


# ---------------------------------------------------------------------------
# requests
# ---------------------------------------------------------------------------


def model_header_names(shape):
    names, prefixes = set(), []
    if shape is None:
        return names, prefixes
    for name, m in shape.members.items():
        loc = m.serialization.get("location")
        if loc == "header":
            names.add(m.serialization.get("name", name).lower())
        elif loc == "headers":
            prefixes.append(m.serialization.get("name", "").lower())
    return names, prefixes


def split_url(url):
    rest = url.split("://", 1)[1]
    slash = rest.find("/")
    path_q = rest[slash:] if slash >= 0 else "/"
    path, _, query = path_q.partition("?")
    pairs = []
    if query:
        from urllib.parse import unquote
        for part in query.split("&"):
            if part == "":
                continue
            k, eq, v = part.partition("=")
            pairs.append([unquote(k), unquote(v)])
    pairs.sort()
    return path, pairs


def request_expected(request, op_model):
    path, query = split_url(request.url)
    names, prefixes = model_header_names(op_model.input_shape)
    headers = {}
    for k, v in request.headers.items():
        lk = k.lower()
        if isinstance(v, bytes):
            v = v.decode("utf-8")
        if lk in DROPPED_HEADERS or lk.startswith("amz-sdk-"):
            continue
        keep = (lk == "content-type" or lk.startswith("x-amz-") or lk.startswith("x-amzn-")
                or lk in names or any(lk.startswith(p) for p in prefixes if p))
        if keep:
            headers[lk] = v
    headers = dict(sorted(headers.items()))
    body = request.body
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode("utf-8")
    body = body or b""
    expected = {"method": request.method, "path": path, "query": query, "headers": headers}
    shape = op_model.input_shape
    payload = shape.serialization.get("payload") if shape is not None else None
    raw_payload = payload is not None and shape.members[payload].type_name in ("blob", "string")
    if raw_payload:
        expected["body"] = None
        if shape.members[payload].type_name == "string":
            expected["body_text"] = body.decode("utf-8")
        else:
            expected["body_base64"] = b64(body)
    else:
        expected["body"] = json.loads(body.decode("utf-8")) if body else None
    return expected


def is_streaming_payload(shape):
    if shape is None:
        return False
    payload = shape.serialization.get("payload")
    if payload is None:
        return False
    m = shape.members[payload]
    return bool(m.serialization.get("streaming") or m.metadata.get("streaming")
                or m.serialization.get("eventstream"))


def generate_requests(h, op_name, n_cases, skipped):
    op = h.model.operation_model(op_name)
    shape = op.input_shape
    lines = []
    if is_streaming_payload(shape) or op.has_event_stream_input:
        skipped.append("%s %s requests: streaming/event-stream input payload" % (h.service, op_name))
        return lines
    token_members = [n for n, m in (shape.members.items() if shape else []) if m.metadata.get("idempotencyToken")]
    plans = [("normal", i) for i in range(n_cases)]
    if token_members:
        plans += [("autofill", i) for i in range(TOKEN_AUTOFILL_CASES)]
    for kind, i in plans:
        key = "%s:%s:req:%s:%d" % (h.service, op_name, kind, i)
        rng = random.Random("%d:%s" % (SEED, key))
        mode = "min" if i == 0 else "max" if i == 1 else "random"
        last_err = None
        for attempt in range(10):
            gen = InputGen(rng, mode)
            if shape is None:
                pj, pb = {}, {}
            else:
                pj, pb = gen.structure(shape, 0, top_level=True,
                                       idempotent_skip=token_members if kind == "autofill" else ())
                if kind == "normal":
                    for t in token_members:
                        if t not in pj:
                            tv = str(uuid.UUID(int=rng.getrandbits(128), version=4)) \
                                if rng.random() < 0.7 else gen.string(shape.members[t], "body")[0]
                            pj[t] = pb[t] = tv
            try:
                request = h.capture(op_name, pb, key)
            except ParamValidationError as e:  # generator bug: retry, then fail loudly
                last_err = e
                continue
            line = {"operation": op_name, "params": pj, "expected": request_expected(request, op)}
            if kind == "autofill":
                line["token_autofilled"] = True
            quirks = set(gen.quirks)
            payload = shape.serialization.get("payload") if shape is not None else None
            if payload and shape.members[payload].type_name in ("blob", "string") \
                    and "content-type" not in line["expected"]["headers"]:
                quirks.add("raw-payload-without-content-type")
            if payload and shape.members[payload].type_name == "structure" and payload not in pj:
                quirks.add("unset-structure-payload-sends-empty-object")
            if quirks:
                line["botocore_quirks"] = sorted(quirks)
            lines.append(line)
            break
        else:
            raise GenerationError("%s %s: could not build a valid input: %s" % (h.service, op_name, last_err))
    return lines


# ---------------------------------------------------------------------------
# responses
# ---------------------------------------------------------------------------


def minimal_params(h, op_name):
    shape = h.model.operation_model(op_name).input_shape
    if shape is None:
        return {}
    rng = random.Random("%d:%s:%s:respinput" % (SEED, h.service, op_name))
    gen = InputGen(rng, "min")
    _, pb = gen.structure(shape, 0, top_level=True)
    return pb


def _lower_keys(d):
    return {k.lower(): v for k, v in d.items()}


def success_cases(h, op_name, rng):
    op = h.model.operation_model(op_name)
    shape = op.output_shape
    status = op.http.get("responseCode", 200)
    cases = []
    for i in range(SUCCESS_PER_OP):
        og = OutputGen(rng, extras=(i != 0))  # case 0 is "clean"
        headers = {"x-amzn-RequestId": str(uuid.UUID(int=rng.getrandbits(128), version=4))}
        body_text = ""
        kind = "success"
        if shape is not None:
            body_members = [n for n, m in shape.members.items() if not m.serialization.get("location")]
            for name, m in shape.members.items():
                loc = m.serialization.get("location")
                if loc == "header" and (i == 1 or rng.random() < 0.6):
                    headers[m.serialization.get("name", name)] = og.header_value(m)
                elif loc == "headers":
                    prefix = m.serialization.get("name", "")
                    for _ in range(rng.randint(0, 2)):
                        headers[prefix + og.ingen.free_string(1, 8, "header").replace(" ", "-").replace("/", "-").replace(":", "-").replace("(", "").replace(")", "")] = \
                            og.ingen.free_string(1, 10, "header")
            payload = shape.serialization.get("payload")
            if payload is not None:
                pm = shape.members[payload]
                if pm.type_name in ("blob", "string"):
                    body_text = og.ingen.free_string(0, 40, "body")
                    kind = "success-raw-payload"
                elif i == 4:
                    body_text = ""
                    kind = "success-empty-payload"
                else:
                    body_text = json.dumps(og.json_struct(pm, 1) if pm.type_name == "structure"
                                           else og.json_value(pm, 1), ensure_ascii=(i % 2 == 0))
                    if "content-type" not in _lower_keys(headers):
                        headers["Content-Type"] = "application/json"
            elif body_members:
                if i == 4:
                    body_text = "{}"
                    kind = "success-empty-object"
                else:
                    body_text = json.dumps(og.json_struct(shape, 0, body_members=body_members),
                                           ensure_ascii=(i % 2 == 0))
                if "content-type" not in _lower_keys(headers):
                    headers["Content-Type"] = "application/json"
            else:
                kind = "success-no-body-members"
                body_text = "" if i % 2 == 0 else "{}"
                if body_text:
                    headers["Content-Type"] = "application/json"
        else:
            kind = "success-no-output"
            body_text = "" if i % 2 == 0 else "{}"
        cases.append((kind, status, headers, body_text))
    return cases


ERROR_VARIANTS = [
    "header", "header-suffix", "header-namespaced",
    "body-code", "body-type", "body-type-namespaced", "body-type-suffix",
]


def modeled_error_cases(h, op_name, rng):
    op = h.model.operation_model(op_name)
    namespace = _error_namespace(h)
    cases = []
    for ei, eshape in enumerate(op.error_shapes):
        code = eshape.error_code or eshape.name
        status = eshape.metadata.get("error", {}).get("httpStatusCode", 400)
        for j, conveyance in enumerate(("header", "body-code", "body-type")):
            subvariants = [v for v in ERROR_VARIANTS if v.startswith(conveyance)]
            variant = subvariants[(ei + len(op_name)) % len(subvariants)]
            og = OutputGen(rng, extras=False)
            headers = {}
            if rng.random() < 0.85:
                headers["x-amzn-RequestId"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            body = {}
            if variant == "header":
                headers["X-Amzn-ErrorType"] = code
            elif variant == "header-suffix":
                headers["X-Amzn-ErrorType"] = code + ":http://internal.amazon.com/coral/%s/" % namespace
            elif variant == "header-namespaced":
                headers["X-Amzn-ErrorType"] = "%s#%s:http://internal.amazon.com/coral/%s/" % (namespace, code, namespace)
            elif variant == "body-code":
                body["code"] = code
            elif variant == "body-type":
                body["__type"] = code
            elif variant == "body-type-namespaced":
                body["__type"] = "%s#%s" % (namespace, code)
            elif variant == "body-type-suffix":
                body["__type"] = "%s:http://internal.amazon.com/coral/%s/" % (code, namespace)
            # message key
            msg = "%s happened (%s)" % (code, og.ingen.free_string(3, 12, "body"))
            msg_key = ["message", "Message"][(ei + j) % 2]
            if not (j == 2 and ei % 3 == 0):  # sometimes no message at all
                body[msg_key] = msg
            # modeled body members and header members
            for name, m in eshape.members.items():
                loc = m.serialization.get("location")
                if name.lower() in ("message", "code"):
                    continue
                if loc == "header":
                    hname = m.serialization.get("name", name)
                    if hname.lower() in _lower_keys(headers):
                        continue  # e.g. ivs binds x-amzn-ErrorType to a member: keep the real one
                    if hname.lower() == "x-amzn-errortype":
                        continue  # never invent a conflicting error type
                    if rng.random() < 0.8:
                        hv = og.header_value(m)
                        if hname.lower() == "retry-after":
                            hv = str(rng.randint(1, 120))
                        headers[hname] = hv
                elif loc is None and rng.random() < 0.6:
                    body[m.serialization.get("name", name)] = og.json_value(m, 1)
            headers["Content-Type"] = "application/json"
            cases.append(("modeled-error:%s:%s" % (code, variant), status, headers,
                          json.dumps(body, ensure_ascii=(j != 1))))
    if op.error_shapes:
        eshape = op.error_shapes[len(op_name) % len(op.error_shapes)]
        code = eshape.error_code or eshape.name
        estatus = eshape.metadata.get("error", {}).get("httpStatusCode", 400)
        # Chime-like shape: the header carries the type, the body carries Code/Message members.
        body = {"Code": code.replace("Exception", ""), "Message": "service says no"}
        headers = {"x-amzn-RequestId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                   "x-amzn-ErrorType": code, "Content-Type": "application/json"}
        cases.append(("modeled-error:%s:header+body-Code" % code, estatus, headers, json.dumps(body)))
        # Only a capitalised "Code" in the body: botocore treats it as the error code,
        # the restJson1 spec only looks at the header, "code" and "__type".
        body = {"Code": code, "Message": "capitalised Code only"}
        headers = {"x-amzn-RequestId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                   "Content-Type": "application/json"}
        cases.append(("modeled-error:%s:body-Code-only" % code, estatus, headers, json.dumps(body)))
        # Both "code" and "__type" in the body, disagreeing: "code" wins (spec and botocore agree).
        other = op.error_shapes[(len(op_name) + 1) % len(op.error_shapes)]
        body = {"__type": other.error_code or other.name, "code": code, "message": "code beats __type"}
        cases.append(("modeled-error:%s:body-code+__type" % code, estatus,
                      {"Content-Type": "application/json"}, json.dumps(body)))
    # An error shape the service models but this operation does not declare:
    # botocore looks error codes up service-wide and still fills modeled fields.
    declared = {e.name for e in op.error_shapes}
    undeclared = [h.model.shape_for(n) for n in h.model.shape_names
                  if n not in declared and h.model.shape_for(n).metadata.get("exception")]
    undeclared = [e for e in undeclared if any(
        m.serialization.get("location") is None and n.lower() not in ("code", "message")
        for n, m in e.members.items())]
    if undeclared:
        eshape = undeclared[len(op_name) % len(undeclared)]
        code = eshape.error_code or eshape.name
        og = OutputGen(rng, extras=False)
        body = {"message": "not declared on %s" % op_name}
        for name, m in eshape.members.items():
            if m.serialization.get("location") is None and name.lower() not in ("code", "message"):
                body[m.serialization.get("name", name)] = og.json_value(m, 1)
        cases.append(("modeled-error:%s:undeclared-for-operation" % code,
                      eshape.metadata.get("error", {}).get("httpStatusCode", 400),
                      {"X-Amzn-ErrorType": code, "Content-Type": "application/json"}, json.dumps(body)))
    return cases


def _error_namespace(h):
    # e.g. com.amazonaws.chimesdkmeetings (Smithy namespace style)
    sid = h.model.service_id.replace(" ", "").lower()
    return "com.amazonaws.%s" % sid


UNMODELED_STATUSES = [400, 403, 404, 429, 500, 502, 503]


def unmodeled_error_cases(h, op_name, op_index, rng):
    cases = []
    for si, status in enumerate(UNMODELED_STATUSES):
        kind = ["empty", "html", "json-unknown"][(si + op_index) % 3]
        headers = {}
        if (si + op_index) % 4 != 3:
            headers["x-amzn-RequestId"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if kind == "empty":
            body = ""
        elif kind == "html":
            body = "<html><body>Bad Gateway</body></html>"
            headers["Content-Type"] = "text/html"
        else:
            if (si + op_index) % 2:
                body = json.dumps({"__type": "com.amazonaws.unknown#SomethingUnexpectedException",
                                   "message": "unexpected %d" % status})
            else:
                headers["X-Amzn-ErrorType"] = "SomethingUnexpectedException:http://internal.amazon.com/"
                body = json.dumps({"Message": "unexpected %d" % status, "extra": [1, 2]})
            headers["Content-Type"] = "application/json"
        cases.append(("unmodeled-error:%s" % kind, status, headers, body))
    return cases


# Cases where botocore is (knowingly) more lenient than / different from the
# Smithy restJson1 spec; the Rust side may tag-skip them.
def response_quirks(kind, status, headers, body_text, expected):
    q = []
    if kind.startswith("unmodeled-error") or kind.startswith("modeled-error"):
        err = expected.get("error", {})
        if err.get("code") == str(status):
            q.append("error-code-from-status")
        if status >= 500 and (body_text.strip() == "" or body_text.strip().startswith("<html>")):
            q.append("generic-5xx-reason-phrase-message")
        if status < 500 and body_text.strip().startswith("<html>"):
            q.append("unparseable-body-as-message")
    if kind.endswith("undeclared-for-operation") and expected.get("error", {}).get("fields"):
        q.append("undeclared-error-modeled-fields")
    if kind.endswith("body-Code-only"):
        q.append("body-Code-as-error-code")
    return q


def generate_responses(h, op_name, op_index, skipped):
    op = h.model.operation_model(op_name)
    rng = random.Random("%d:%s:%s:responses" % (SEED, h.service, op_name))
    params = minimal_params(h, op_name)
    lines = []
    cases = []
    if op.has_event_stream_output or is_streaming_payload(op.output_shape):
        skipped.append("%s %s success responses: streaming/event-stream output payload" % (h.service, op_name))
    else:
        cases += success_cases(h, op_name, rng)
    cases += modeled_error_cases(h, op_name, rng)
    cases += unmodeled_error_cases(h, op_name, op_index, rng)
    for ci, (kind, status, headers, body_text) in enumerate(cases):
        key = "%s:%s:resp:%d" % (h.service, op_name, ci)
        if len(_lower_keys(headers)) != len(headers):
            raise GenerationError("%s %s: duplicate header names %r" % (h.service, op_name, headers))
        body_bytes = body_text.encode("utf-8")
        outcome, parsed = h.respond(op_name, params, status, dict(headers), body_bytes, key)
        direct = _direct_parse(h, op, status, headers, body_bytes)
        line = {"operation": op_name, "case": kind, "status": status, "headers": headers, "body": body_text}
        if outcome == "ok":
            out = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
            expected = {"output": normalize(out, op.output_shape)}
            check = {k: v for k, v in direct.items() if k != "ResponseMetadata"}
            if normalize(check, op.output_shape) != expected["output"]:
                raise GenerationError("%s %s: client and direct parser disagree" % (h.service, op_name))
        else:
            err = parsed.get("Error", {})
            meta = parsed.get("ResponseMetadata", {})
            eshape = h.model.shape_for_error_code(err.get("Code")) if err.get("Code") else None
            fields = {k: v for k, v in parsed.items() if k not in ("Error", "ResponseMetadata")
                      and k.lower() not in ("code", "message")}
            expected = {"error": {
                "code": err.get("Code"),
                "message": err.get("Message"),
                "status": meta.get("HTTPStatusCode"),
                "request_id": meta.get("RequestId"),
                "fields": normalize(fields, eshape),
            }}
            dfields = {k: v for k, v in direct.items() if k not in ("Error", "ResponseMetadata")
                       and k.lower() not in ("code", "message")}
            if (direct.get("Error", {}).get("Code"), direct.get("Error", {}).get("Message")) != \
                    (err.get("Code"), err.get("Message")) or normalize(dfields, eshape) != expected["error"]["fields"]:
                raise GenerationError("%s %s: client and direct parser disagree on error" % (h.service, op_name))
        line["expected"] = expected
        quirks = response_quirks(kind, status, headers, body_text, expected)
        if quirks:
            line["botocore_quirks"] = quirks
        lines.append(line)
    return lines


def _direct_parse(h, op, status, headers, body_bytes):
    """Parse with a bare rest-json parser, exactly like botocore's endpoint does."""
    from botocore.awsrequest import HeadersDict
    response = {"status_code": status, "headers": HeadersDict(headers), "body": body_bytes,
                "context": {"operation_name": op.name}}
    parsed = h.parser.parse(response, op.output_shape)
    if status >= 300:
        code = parsed.get("Error", {}).get("Code")
        eshape = h.model.shape_for_error_code(code) if code else None
        if eshape is not None:
            parsed.update(h.parser.parse(response, eshape))
    return parsed


# ---------------------------------------------------------------------------
# driver
# ---------------------------------------------------------------------------


def generate_service(service, out_root, n_cases):
    h = ServiceHarness(service)
    skipped = []
    req_lines, resp_lines = [], []
    for op_index, op_name in enumerate(sorted(h.model.operation_names)):
        req_lines += generate_requests(h, op_name, n_cases, skipped)
        resp_lines += generate_responses(h, op_name, op_index, skipped)
    out_dir = os.path.join(out_root, service)
    os.makedirs(out_dir, exist_ok=True)
    sizes = {}
    for name, lines in (("requests.jsonl", req_lines), ("responses.jsonl", resp_lines)):
        path = os.path.join(out_dir, name)
        data = "".join(dumps(line) + "\n" for line in lines).encode("utf-8")
        if len(data) > MAX_FILE_BYTES:
            raise GenerationError("%s is %d bytes (> %d)" % (path, len(data), MAX_FILE_BYTES))
        with open(path, "wb") as f:
            f.write(data)
        sizes[name] = (len(lines), len(data))
    return sizes, skipped


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("services", nargs="*")
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--out", default=os.path.join(here, "fixtures"))
    ap.add_argument("--cases", type=int, default=20)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    services = list(args.services) or [DEFAULT_SERVICE]
    if args.all:
        services = [DEFAULT_SERVICE] + [s for s in EXTRA_SERVICES if s != DEFAULT_SERVICE]
    out_root = args.out
    tmp = None
    if args.check:
        tmp = tempfile.mkdtemp(prefix="wire-fixtures-")
        out_root = tmp
    print("botocore %s" % botocore.__version__)
    status = 0
    for service in services:
        sizes, skipped = generate_service(service, out_root, args.cases)
        for name, (n, size) in sizes.items():
            print("%-26s %-16s %5d lines %8d bytes" % (service, name, n, size))
        for s in skipped:
            print("  skipped: %s" % s)
        if args.check:
            for name in sizes:
                a = os.path.join(tmp, service, name)
                b = os.path.join(args.out, service, name)
                if not os.path.exists(b) or not filecmp.cmp(a, b, shallow=False):
                    print("DIFFERS: %s" % b)
                    status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
