#!/usr/bin/env python3
"""Random endpoint rule sets, resolved by botocore (the AWS SDK for Python): the reference for
tests/endpoint_random_rules.rs.

A seeded generator writes N rule sets whose conditions nest the rules language's operators and
functions at random (not, booleanEquals, stringEquals, isSet, isValidHostLabel,
aws.isVirtualHostableS3Bucket, getAttr, uriEncode, substring, parseURL, aws.parseArn,
aws.partition, templates, assignments), every one well-typed as Smithy's own type checker wants
(a value is proven set with isSet or assign before a function reads it). For each set, botocore's
EndpointProvider resolves a grid of parameter values; its results become the set's
smithy.rules#endpointTests cases. The Rust test generates one crate with every set's resolver and
runs the cases, so the generated code is checked against botocore on expressions nobody wrote by
hand. Every rule list ends with a rule without conditions, so the Smithy semantics (a tree that
matches must decide) and botocore's (it falls through) agree.

Writes tests/endpoints/fixtures/random-rules.jsonl: one line per rule set,
{"name", "ruleSet", "testCases"}. Run from the repository root:

    python3 tests/endpoints/random_rules.py

(uses codegen/data/partitions.json, like botocore_endpoints.py; botocore version: see
tests/wire/requirements.txt.)
"""

import json
import os
import random

import botocore
from botocore.endpoint_provider import EndpointProvider
from botocore.exceptions import EndpointResolutionError

SEED = 15
SETS = 40
CASES_PER_SET = 24

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "endpoints", "fixtures", "random-rules.jsonl")

with open(os.path.join(ROOT, "codegen", "data", "partitions.json")) as f:
    PARTITIONS = json.load(f)

# Names are letters only: botocore recognizes a template by `{[a-zA-Z#]+}`.
STRING_PARAMS = ["Region", "Endpoint", "Bucket", "Key", "Mode"]
BOOLEAN_PARAMS = ["UseFIPS", "UseDualStack", "Flag", "Force"]
BUILT_INS = {
    "Region": "AWS::Region",
    "Endpoint": "SDK::Endpoint",
    "UseFIPS": "AWS::UseFIPS",
    "UseDualStack": "AWS::UseDualStack",
}

# What parameters are set to (no braces: they would read as templates).
VALUES = [
    "", "a", "us-east-1", "us-gov-west-1", "cn-north-1", "eu-isoe-west-1", "ap-south-2", "my-bucket",
    "My.Bucket", "a.b.c", "abc", "x y", "https://example.com", "http://127.0.0.1:8080/p",
    "https://[::1]/a/b", "arn:aws:s3:us-west-2:123456789012:accesspoint/ap",
    "arn:aws-cn:kinesis:cn-north-1:1:stream/s:1", "arn:aws::::", "standard", "fips",
]
# String literals in the rules.
LITERALS = ["", "", "a", "us-east-1", "aws", "aws-cn", "https", "http", "standard", "fips", "my-bucket", "ap"]

ATTRIBUTES = {
    "partition": [
        ("name", "str"), ("dnsSuffix", "str"), ("dualStackDnsSuffix", "str"),
        ("implicitGlobalRegion", "str"), ("supportsFIPS", "bool"), ("supportsDualStack", "bool"),
    ],
    "url": [("scheme", "str"), ("authority", "str"), ("path", "str"), ("normalizedPath", "str"), ("isIp", "bool")],
    "arn": [("partition", "str"), ("service", "str"), ("region", "str"), ("accountId", "str")],
}


def call(fn, *argv):
    return {"fn": fn, "argv": list(argv)}


class Generator:
    def __init__(self, rng):
        self.rng = rng
        self.names = 0
        self.rule_ids = 0

    def name(self):
        """A fresh variable name, letters only (BoundA, BoundB, ..., BoundAb...)."""
        n, letters = self.names, ""
        self.names += 1
        while True:
            letters += chr(ord("a") + n % 26)
            n //= 26
            if n == 0:
                break
        return "Bound" + letters.capitalize()

    # Scope: name -> (type, optional).
    def set_vars(self, scope, ty):
        return [n for n, (t, optional) in scope.items() if t == ty and not optional]

    def string(self, scope, depth):
        rng = self.rng
        kinds = ["literal", "var", "var", "attr", "template"]
        if depth > 0:
            kinds += ["uriEncode"]
        kind = rng.choice(kinds)
        strings = self.set_vars(scope, "str")
        records = [(n, t) for t in ATTRIBUTES for n in self.set_vars(scope, t)]
        if kind == "var" and strings:
            return {"ref": rng.choice(strings)}
        if kind == "attr" and records:
            name, ty = rng.choice(records)
            attributes = [a for a, t in ATTRIBUTES[ty] if t == "str"]
            return call("getAttr", {"ref": name}, rng.choice(attributes))
        if kind == "template" and (strings or records):
            return self.template(scope, "t")
        if kind == "uriEncode":
            return call("uriEncode", self.string(scope, depth - 1))
        return rng.choice(LITERALS)

    def template(self, scope, prefix):
        """A template string interpolating set strings and string attributes of records."""
        rng = self.rng
        strings = self.set_vars(scope, "str")
        records = [(n, t) for t in ATTRIBUTES for n in self.set_vars(scope, t)]
        parts = [prefix]
        for _ in range(rng.randint(1, 2)):
            if strings and (not records or rng.random() < 0.6):
                parts.append("{%s}" % rng.choice(strings))
            elif records:
                name, ty = rng.choice(records)
                attributes = [a for a, t in ATTRIBUTES[ty] if t == "str"]
                parts.append("{%s#%s}" % (name, rng.choice(attributes)))
            parts.append(rng.choice(["-", ".", "/", ""]))
        return "".join(parts)

    def boolean_operand(self, scope, depth):
        """A boolean: an expression, or sometimes a literal (booleanEquals simplifies those)."""
        if self.rng.random() < 0.25:
            return self.rng.choice([True, False])
        return self.boolean(scope, depth)

    def optional_call(self, scope, depth):
        """A function call whose result may be unset."""
        rng = self.rng
        s = self.string(scope, depth - 1)
        kind = rng.choice(["parseURL", "aws.parseArn", "aws.partition", "substring"])
        if kind == "substring":
            start = rng.randint(0, 3)
            return call("substring", s, start, start + rng.randint(0, 3), self.boolean_operand(scope, 0))
        return call(kind, s)

    def boolean(self, scope, depth, need_call=False):
        rng = self.rng
        booleans = self.set_vars(scope, "bool")
        records = [(n, t) for t in ("partition", "url") for n in self.set_vars(scope, t)]
        kinds = ["isSet", "stringEquals", "isValidHostLabel", "aws.isVirtualHostableS3Bucket"]
        if depth > 0:
            kinds += ["not", "not", "booleanEquals", "booleanEquals", "stringEquals"]
        if booleans and not need_call:
            kinds += ["var", "var"]
        if records:
            kinds += ["attr"]
        kind = rng.choice(kinds)
        if kind == "var":
            return {"ref": rng.choice(booleans)}
        if kind == "attr":
            name, ty = rng.choice(records)
            return call("getAttr", {"ref": name}, rng.choice([a for a, t in ATTRIBUTES[ty] if t == "bool"]))
        if kind == "not":
            return call("not", self.boolean(scope, depth - 1))
        if kind == "booleanEquals":
            return call("booleanEquals", self.boolean_operand(scope, depth - 1), self.boolean_operand(scope, depth - 1))
        if kind == "stringEquals":
            a, b = self.string(scope, depth - 1), self.string(scope, depth - 1)
            if rng.random() < 0.3:
                b = ""
            return call("stringEquals", *rng.sample([a, b], 2))
        if kind == "isSet":
            every = list(scope)
            if depth > 0 and rng.random() < 0.4:
                return call("isSet", self.optional_call(scope, depth))
            return call("isSet", {"ref": rng.choice(every)})
        return call(kind, self.string(scope, depth - 1), self.boolean_operand(scope, depth - 1))

    def condition(self, scope):
        """A condition; updates `scope` with what it proves set or binds."""
        rng = self.rng
        optional = [n for n, (_, o) in scope.items() if o]
        kind = rng.choice(["boolean", "boolean", "boolean", "narrow", "assign-record", "assign-record", "assign-value"])
        if kind == "narrow" and optional:
            name = rng.choice(optional)
            scope[name] = (scope[name][0], False)
            return call("isSet", {"ref": name})
        if kind == "assign-record":
            arns = self.set_vars(scope, "arn")
            if arns and rng.random() < 0.3:
                c = call("getAttr", {"ref": rng.choice(arns)}, "resourceId[%d]" % rng.randint(0, 2))
                ty = "str"
            else:
                c = self.optional_call(scope, 2)
                ty = {"parseURL": "url", "aws.parseArn": "arn", "aws.partition": "partition", "substring": "str"}[c["fn"]]
            name = self.name()
            c["assign"] = name
            scope[name] = (ty, False)
            return c
        if kind == "assign-value":
            name = self.name()
            if rng.random() < 0.5:
                c = call("uriEncode", self.string(scope, 1))
                scope[name] = ("str", False)
            else:
                c = self.boolean(scope, 2, need_call=True)
                scope[name] = ("bool", False)
            c["assign"] = name
            return c
        return self.boolean(scope, 3, need_call=True)

    def rule(self, scope, depth, unconditional):
        rng = self.rng
        scope = dict(scope)
        conditions = [] if unconditional else [self.condition(scope) for _ in range(rng.randint(1, 3))]
        self.rule_ids += 1
        rule_id = self.rule_ids
        kind = rng.choices(["endpoint", "error", "tree"], [6, 2, 2 if depth > 0 else 0])[0]
        if kind == "tree":
            return {"type": "tree", "conditions": conditions, "rules": self.rules(scope, depth - 1)}
        if kind == "error":
            message = self.template(scope, "error %d: " % rule_id) if rng.random() < 0.5 else "error %d" % rule_id
            if "{" not in message:
                message = "error %d" % rule_id
            return {"type": "error", "conditions": conditions, "error": message}
        url = "https://rule%d.example.com" % rule_id
        if rng.random() < 0.6 and (self.set_vars(scope, "str") or any(self.set_vars(scope, t) for t in ATTRIBUTES)):
            url += "/" + self.template(scope, "p")
        endpoint = {"url": url}
        if rng.random() < 0.3:
            endpoint["headers"] = {"x-rule": [str(rule_id)], "x-value": [self.value_string(scope)]}
        if rng.random() < 0.3:
            endpoint["properties"] = {
                "rule": rule_id,
                "value": self.value_string(scope),
                "list": [True, self.value_string(scope)],
                "nested": {"value": self.value_string(scope)},
            }
        return {"type": "endpoint", "conditions": conditions, "endpoint": endpoint}

    def value_string(self, scope):
        if self.set_vars(scope, "str") or any(self.set_vars(scope, t) for t in ATTRIBUTES):
            return self.template(scope, "v")
        return "v"

    def rules(self, scope, depth):
        count = self.rng.randint(2, 4)
        return [self.rule(scope, depth, i == count - 1) for i in range(count)]

    def rule_set(self):
        rng = self.rng
        parameters = {}
        for name in rng.sample(STRING_PARAMS, rng.randint(2, 4)):
            p = {"type": "String", "documentation": "The %s." % name}
            if rng.random() < 0.35:
                p.update(required=True, default=rng.choice(LITERALS[2:]))
            else:
                p["required"] = False
            if name in BUILT_INS:
                p["builtIn"] = BUILT_INS[name]
            parameters[name] = p
        for name in rng.sample(BOOLEAN_PARAMS, rng.randint(1, 3)):
            p = {"type": "Boolean", "documentation": "The %s flag." % name}
            if rng.random() < 0.7:
                p.update(required=True, default=rng.choice([True, False]))
            else:
                p["required"] = False
            if name in BUILT_INS:
                p["builtIn"] = BUILT_INS[name]
            parameters[name] = p
        scope = {
            n: ("str" if p["type"] == "String" else "bool", "default" not in p) for n, p in parameters.items()
        }
        self.names = 0
        self.rule_ids = 0
        return {"version": "1.0", "parameters": parameters, "rules": self.rules(scope, 2)}

    def grid(self, parameters):
        rng = self.rng
        seen, cases = set(), []
        for _ in range(CASES_PER_SET * 4):
            params = {}
            for name, p in parameters.items():
                if rng.random() < 0.25:
                    continue  # unset, or the default
                params[name] = rng.choice(VALUES) if p["type"] == "String" else rng.choice([True, False])
            key = json.dumps(params, sort_keys=True)
            if key not in seen:
                seen.add(key)
                cases.append(params)
            if len(cases) == CASES_PER_SET:
                break
        return cases


def resolve(provider, params):
    try:
        e = provider.resolve_endpoint(**params)
    except EndpointResolutionError as error:
        return {"error": str(error)}
    endpoint = {"url": e.url}
    if e.headers:
        endpoint["headers"] = e.headers
    if e.properties:
        endpoint["properties"] = e.properties
    return {"endpoint": endpoint}


def main():
    rng = random.Random(SEED)
    generator = Generator(rng)
    lines, outcomes = [], {"endpoint": 0, "error": 0}
    for i in range(SETS):
        rule_set = generator.rule_set()
        provider = EndpointProvider(json.loads(json.dumps(rule_set)), json.loads(json.dumps(PARTITIONS)))
        cases = []
        for n, params in enumerate(generator.grid(rule_set["parameters"])):
            expect = resolve(provider, dict(params))
            outcomes[next(iter(expect))] += 1
            cases.append({"documentation": "case %d" % n, "params": params, "expect": expect})
        lines.append(json.dumps({"name": "set%02d" % i, "ruleSet": rule_set, "testCases": cases}, sort_keys=True))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(
        f"{os.path.relpath(OUT, ROOT)}: {SETS} rule sets, {outcomes['endpoint']} endpoints and "
        f"{outcomes['error']} errors (seed {SEED}, botocore {botocore.__version__})"
    )


if __name__ == "__main__":
    main()
