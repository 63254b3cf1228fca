#!/usr/bin/env python3
"""Reference fixtures for endpoint resolution, computed by botocore (the AWS SDK for Python).

Writes, under tests/endpoints/fixtures/:
- stdlib.jsonl: the rules-engine standard library functions (parseURL, substring, uriEncode,
  isValidHostLabel, aws.partition, aws.parseArn, aws.isVirtualHostableS3Bucket) on a fixed set
  of inputs, as botocore's RuleSetStandardLibrary evaluates them;
- <model>.jsonl: for each model given, botocore's EndpointProvider on the model's own
  smithy.rules#endpointRuleSet over a grid of parameters (every region of partitions.json,
  unknown regions, FIPS and dual-stack on and off, an endpoint override or none).

Both use the project's copy of partitions.json (codegen/data/partitions.json), so the Rust tests
compare the generated code with botocore on the same data. Run from the repository root:

    python3 tests/endpoints/botocore_endpoints.py model/chime-sdk-meetings.json

(botocore version: see tests/wire/requirements.txt; any botocore with endpoint_provider works.)
"""

import json
import os
import sys

import botocore
from botocore.endpoint_provider import EndpointProvider, RuleSetStandardLibrary

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "endpoints", "fixtures")

with open(os.path.join(ROOT, "codegen", "data", "partitions.json")) as f:
    PARTITIONS = json.load(f)

UNKNOWN_REGIONS = [
    "xx-unknown-1", "us-gov-newregion-9", "cn-newregion-2", "us-iso-newregion-3", "us-isob-newregion-4",
    "eu-isoe-newregion-5", "us-isof-newregion-6", "eusc-de-newregion-7", "mars-east-1", "us-east-1-", "",
    "US-EAST-1", "us-east-1.evil.com", "aws-global", "local",
]

HOST_LABELS = [
    "a", "abc", "a-b", "-ab", "ab-", "a.b", "a..b", ".a", "a.", "", "a" * 63, "a" * 64, "UPPER", "123",
    "my-bucket", "my.bucket.name", "192.168.0.1", "a_b", "ünïcode", "a b", "ab", "a-.b", "a.-b",
    "bucket-" + "x" * 56, "bucket-" + "x" * 57,
]

URLS = [
    "https://example.com", "http://example.com", "https://example.com/", "https://example.com/path",
    "https://example.com/path/", "https://example.com:8443", "https://example.com:8443/base/path",
    "https://127.0.0.1", "https://127.0.0.1:8080/x", "https://[::1]", "https://[fe80::1]:443/a",
    "https://example.com?query=1", "https://example.com/p?x", "ftp://example.com", "example.com",
    "https://", "not a url", "https://example.com:notaport", "https://user@example.com",
    "https://example.com/a b", "https://999.1.1.1", "https://1.2.3", "custom://host",
]

ARNS = [
    "arn:aws:s3:::bucket", "arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap",
    "arn:aws:s3-outposts:us-west-2:123456789012:outpost:op-01:accesspoint:ap",
    "arn:aws-cn:iam::123456789012:role/a/b", "arn:aws:sns:us-east-1:123456789012:topic",
    "arn:::::", "arn:aws::::res", "arn:aws:s3::", "arn:aws", "not:an:arn:x:y:z", "arn:aws:svc:r:a:",
    "arn:aws:svc:r:a:res:with:colons/and/slashes", "ARN:aws:s3:::bucket", "",
]

STRINGS = ["", "a", "abc", "abcdef", "hello world", "üñí", "abc\u00e9def", "0123456789"]

ENCODE = ["", "abc", "a b", "a/b?c=d&e", "~-_.", "üñí", "!*'();:@&=+$,/?#[]", "100%", "\t\n"]


def record(lines, fn, args, call):
    """One call; inputs botocore itself fails on (an exception, not a result) are left out."""
    try:
        result = call(*args)
    except Exception:
        return
    lines.append(json.dumps({"fn": fn, "args": args, "result": result}, sort_keys=True))


def stdlib():
    lib = RuleSetStandardLibrary(PARTITIONS)
    lines = []
    regions = sorted({r for p in PARTITIONS["partitions"] for r in p["regions"]}) + UNKNOWN_REGIONS
    for region in regions:
        record(lines, "aws.partition", [region], lib.aws_partition)
    for value in HOST_LABELS:
        for allow in (False, True):
            record(lines, "isValidHostLabel", [value, allow], lib.is_valid_host_label)
            record(lines, "aws.isVirtualHostableS3Bucket", [value, allow], lib.aws_is_virtual_hostable_s3_bucket)
    for value in URLS:
        record(lines, "parseURL", [value], lib.parse_url)
    for value in ARNS:
        record(lines, "aws.parseArn", [value], lib.aws_parse_arn)
    for value in STRINGS:
        for start in range(0, 5):
            for stop in range(0, 8):
                for reverse in (False, True):
                    record(lines, "substring", [value, start, stop, reverse], lib.substring)
    for value in ENCODE:
        record(lines, "uriEncode", [value], lib.uri_encode)
    return lines


def rule_set(model_path):
    with open(model_path) as f:
        model = json.load(f)
    for shape in model["shapes"].values():
        if shape.get("type") == "service":
            rules = shape.get("traits", {}).get("smithy.rules#endpointRuleSet")
            if rules:
                return rules
    sys.exit(f"{model_path}: no smithy.rules#endpointRuleSet")


def resolutions(model_path):
    rules = rule_set(model_path)
    provider = EndpointProvider(rules, PARTITIONS)
    names = set(rules["parameters"])
    regions = [None] + sorted({r for p in PARTITIONS["partitions"] for r in p["regions"]}) + UNKNOWN_REGIONS
    lines = []
    for region in regions:
        for fips in (False, True):
            for dual in (False, True):
                for endpoint in (None, "https://example.com", "https://example.com:8443/base"):
                    params = {"UseFIPS": fips, "UseDualStack": dual}
                    if region is not None:
                        params["Region"] = region
                    if endpoint is not None:
                        params["Endpoint"] = endpoint
                    params = {k: v for k, v in params.items() if k in names}
                    try:
                        resolved = provider.resolve_endpoint(**params)
                        expect = {"url": resolved.url, "headers": resolved.headers, "properties": resolved.properties}
                    except Exception as e:  # botocore's EndpointResolutionError
                        expect = {"error": str(e)}
                    lines.append(json.dumps({"params": params, "expect": expect}, sort_keys=True))
    return lines


def write(name, lines):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{name}: {len(lines)} lines (botocore {botocore.__version__})")


if __name__ == "__main__":
    write("stdlib.jsonl", stdlib())
    for path in sys.argv[1:]:
        write(os.path.splitext(os.path.basename(path))[0] + ".jsonl", resolutions(path))
