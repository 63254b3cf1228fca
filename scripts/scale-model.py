#!/usr/bin/env python3
"""A synthetic restJson1 model with N operations, for measuring the generator at scale.

    python3 scripts/scale-model.py 5000 > /tmp/scale.json
    /usr/bin/time -v cargo xtask codegen --model /tmp/scale.json --out /tmp/scale

Each operation has its own input (a label, a constrained string, an integer, a shared tag list),
output and item structure, and shares one error: the shape of codegen/tests/scale.rs's model.
`--docs` adds about 6 KB of HTML documentation to every operation and structure (the
documentation converter's share).
"""

import json
import sys


def model(n, docs):
    shapes = {}
    operations = []
    doc = (
        "<p>" + " ".join(f"word{i} <code>c{i}</code>" for i in range(200)) + "</p>"
        if docs
        else None
    )
    for i in range(n):
        op = f"ex#Op{i}"
        operations.append({"target": op})
        shapes[op] = {
            "type": "operation",
            "input": {"target": f"ex#Op{i}Input"},
            "output": {"target": f"ex#Op{i}Output"},
            "errors": [{"target": "ex#NotFound"}],
            "traits": {
                "smithy.api#http": {"method": "POST", "uri": f"/items{i}/{{Id}}", "code": 200},
                "smithy.api#documentation": doc or f"<p>Operation number {i}.</p>",
            },
        }
        shapes[f"ex#Op{i}Input"] = {
            "type": "structure",
            "members": {
                "Id": {
                    "target": "smithy.api#String",
                    "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}},
                },
                "Name": {"target": "ex#Name"},
                "Count": {"target": "smithy.api#Integer"},
                "Tags": {"target": "ex#TagList"},
            },
            "traits": {"smithy.api#input": {}},
        }
        shapes[f"ex#Op{i}Output"] = {
            "type": "structure",
            "members": {"Item": {"target": f"ex#Item{i}"}},
            "traits": {"smithy.api#output": {}},
        }
        shapes[f"ex#Item{i}"] = {
            "type": "structure",
            "members": {
                "Id": {"target": "smithy.api#String"},
                "Size": {"target": "smithy.api#Long"},
            },
        }
        if doc:
            for suffix in ("Input", "Output"):
                shapes[f"ex#Op{i}{suffix}"]["traits"]["smithy.api#documentation"] = doc
            shapes[f"ex#Item{i}"]["traits"] = {"smithy.api#documentation": doc}
    shapes.update(
        {
            "ex#Name": {"type": "string", "traits": {"smithy.api#length": {"min": 1, "max": 64}}},
            "ex#TagList": {"type": "list", "member": {"target": "ex#Tag"}},
            "ex#Tag": {
                "type": "structure",
                "members": {
                    "Key": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
                    "Value": {"target": "smithy.api#String"},
                },
            },
            "ex#NotFound": {
                "type": "structure",
                "members": {"Message": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#error": "client", "smithy.api#httpError": 404},
            },
            "ex#Svc": {
                "type": "service",
                "version": "2024-01-01",
                "operations": operations,
                "traits": {"aws.protocols#restJson1": {}, "aws.api#service": {"sdkId": "Scale"}},
            },
        }
    )
    return {"smithy": "2.0", "shapes": shapes}


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1 or not args[0].isdigit():
        sys.exit("usage: scale-model.py N [--docs]")
    json.dump(model(int(args[0]), "--docs" in sys.argv), sys.stdout)
