#!/usr/bin/env python3
"""Writes the synthetic models of the diff tests (tests/diff.rs): `base.json`, and one variant
per change class, each `base.json` with one edit. Re-run after editing: python3 make_variants.py
"""
import copy
import json
import os

NS = "example.diff#"


def ref(name):
    return {"target": NS + name}


BASE = {
    "smithy": "2.0",
    "shapes": {
        NS + "Things": {
            "type": "service",
            "version": "2024-01-01",
            "operations": [ref("GetThing"), ref("PutThing")],
            "traits": {
                "aws.protocols#restJson1": {},
                "aws.api#service": {"sdkId": "Things"},
                "smithy.api#title": "Things Service",
                "smithy.api#documentation": "<p>Keeps things.</p>",
            },
        },
        NS + "GetThing": {
            "type": "operation",
            "input": ref("GetThingInput"),
            "output": ref("GetThingOutput"),
            "errors": [ref("NotFound")],
            "traits": {
                "smithy.api#http": {"method": "GET", "uri": "/things/{Id}"},
                "smithy.api#readonly": {},
                "smithy.api#documentation": "<p>Gets a thing.</p>",
            },
        },
        NS + "GetThingInput": {
            "type": "structure",
            "members": {"Id": {"target": NS + "ThingId", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}}},
            "traits": {"smithy.api#input": {}},
        },
        NS + "GetThingOutput": {
            "type": "structure",
            "members": {"Thing": ref("Thing")},
            "traits": {"smithy.api#output": {}},
        },
        NS + "PutThing": {
            "type": "operation",
            "input": ref("PutThingInput"),
            "output": ref("PutThingOutput"),
            "traits": {"smithy.api#http": {"method": "POST", "uri": "/things"}},
        },
        NS + "PutThingInput": {
            "type": "structure",
            "members": {
                "Name": {"target": NS + "Name", "traits": {"smithy.api#documentation": "<p>The name.</p>"}},
                "Color": ref("Color"),
                "Count": ref("Count"),
                "Tags": ref("TagList"),
            },
            "traits": {"smithy.api#input": {}},
        },
        NS + "PutThingOutput": {
            "type": "structure",
            "members": {"Id": ref("ThingId")},
            "traits": {"smithy.api#output": {}},
        },
        NS + "Thing": {
            "type": "structure",
            "members": {
                "Id": {"target": NS + "ThingId", "traits": {"smithy.api#required": {}}},
                "Name": ref("Name"),
                "Color": ref("Color"),
                "Count": ref("Count"),
                "Tags": ref("TagList"),
            },
        },
        NS + "TagList": {"type": "list", "member": ref("Tag")},
        NS + "Tag": {
            "type": "structure",
            "members": {
                "Key": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
                "Value": {"target": "smithy.api#String"},
            },
        },
        NS + "ThingId": {"type": "string", "traits": {"smithy.api#pattern": "^[a-z0-9]+$"}},
        NS + "Name": {"type": "string", "traits": {"smithy.api#length": {"min": 1, "max": 64}}},
        NS + "Count": {"type": "integer", "traits": {"smithy.api#range": {"min": 0, "max": 10}}},
        NS + "Color": {
            "type": "enum",
            "members": {
                "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}},
                "GREEN": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "green"}},
            },
        },
        NS + "NotFound": {
            "type": "structure",
            "members": {"message": {"target": "smithy.api#String"}},
            "traits": {"smithy.api#error": "client", "smithy.api#httpError": 404},
        },
    },
}


def variant(edit):
    model = copy.deepcopy(BASE)
    edit(model["shapes"])
    return model


def s(shapes, name):
    return shapes[NS + name]


VARIANTS = {
    # Thing loses its Color member.
    "removed-member": lambda m: s(m, "Thing")["members"].pop("Color"),
    # PutThingInput gains a required Owner (no default).
    "added-required-member": lambda m: s(m, "PutThingInput")["members"].update(
        {"Owner": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}
    ),
    # PutThingInput gains an optional Owner.
    "added-optional-member": lambda m: s(m, "PutThingInput")["members"].update({"Owner": {"target": "smithy.api#String"}}),
    # Thing.Name now targets an integer.
    "changed-target": lambda m: s(m, "Thing")["members"].update({"Name": ref("Count")}),
    # Color gains BLUE (and, read backwards, loses it).
    "enum-value-added": lambda m: s(m, "Color")["members"].update(
        {"BLUE": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "blue"}}}
    ),
    # Color's RED keeps its value under another member name: the Rust variant is renamed.
    "enum-value-renamed": lambda m: s(m, "Color").update(
        {
            "members": {
                "CRIMSON": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}},
                "GREEN": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "green"}},
            }
        }
    ),
    # Name's @length 1..64 → 1..128 (and, read backwards, tightened).
    "length-loosened": lambda m: s(m, "Name")["traits"].update({"smithy.api#length": {"min": 1, "max": 128}}),
    # Count's @range 0..10 → 1..10: tightened.
    "range-tightened": lambda m: s(m, "Count")["traits"].update({"smithy.api#range": {"min": 1, "max": 10}}),
    # ThingId's @pattern changed.
    "pattern-changed": lambda m: s(m, "ThingId")["traits"].update({"smithy.api#pattern": "^[a-z]+$"}),
    # A DeleteThing operation (and, read backwards, removed).
    "operation-added": lambda m: (
        s(m, "Things")["operations"].append(ref("DeleteThing")),
        m.update(
            {
                NS + "DeleteThing": {
                    "type": "operation",
                    "input": ref("DeleteThingInput"),
                    "output": {"target": "smithy.api#Unit"},
                    "traits": {"smithy.api#http": {"method": "DELETE", "uri": "/things/{Id}"}},
                },
                NS + "DeleteThingInput": {
                    "type": "structure",
                    "members": {"Id": {"target": NS + "ThingId", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}}},
                    "traits": {"smithy.api#input": {}},
                },
            }
        ),
    ),
    # Only documentation changes (operation, member, service).
    "docs-only": lambda m: (
        s(m, "GetThing")["traits"].update({"smithy.api#documentation": "<p>Gets one thing.</p>"}),
        s(m, "PutThingInput")["members"]["Name"]["traits"].update({"smithy.api#documentation": "<p>The thing's name.</p>"}),
        s(m, "Things")["traits"].update({"smithy.api#documentation": "<p>Keeps all things.</p>"}),
    ),
    # PutThingInput.Name becomes required: no Rust type changes (inputs are all Option), but a
    # call without it is now refused.
    "input-member-required": lambda m: s(m, "PutThingInput")["members"]["Name"]["traits"].update({"smithy.api#required": {}}),
    # Tag.Value (not an input) becomes required: `Option<String>` → `String`.
    "nested-member-required": lambda m: s(m, "Tag")["members"]["Value"].update({"traits": {"smithy.api#required": {}}}),
    # PutThing can now fail with NotFound.
    "operation-error-added": lambda m: s(m, "PutThing").update({"errors": [ref("NotFound")]}),
    # An endpoint rule set appears on the service.
    "endpoint-rules": lambda m: s(m, "Things")["traits"].update(
        {"smithy.rules#endpointRuleSet": {"version": "1.0", "parameters": {}, "rules": []}}
    ),
    # The GetThing URI changes: the wire format changes under the same Rust code.
    "http-uri-changed": lambda m: s(m, "GetThing")["traits"].update({"smithy.api#http": {"method": "GET", "uri": "/thing/{Id}"}}),
}


def idl1():
    """The base model written in IDL 1.0: an `@enum` string, a boxed integer, no @input/@output."""
    model = copy.deepcopy(BASE)
    model["smithy"] = "1.0"
    shapes = model["shapes"]
    shapes[NS + "Color"] = {
        "type": "string",
        "traits": {"smithy.api#enum": [{"value": "red", "name": "RED"}, {"value": "green", "name": "GREEN"}]},
    }
    shapes[NS + "Count"]["traits"]["smithy.api#box"] = {}
    for name in ["GetThingInput", "GetThingOutput", "PutThingInput", "PutThingOutput"]:
        shapes[NS + name]["traits"].pop("smithy.api#input", None)
        shapes[NS + name]["traits"].pop("smithy.api#output", None)
        if not shapes[NS + name]["traits"]:
            del shapes[NS + name]["traits"]
    return model


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    files = {"base": BASE, "base-idl1": idl1()}
    files.update({name: variant(edit) for name, edit in VARIANTS.items()})
    for name, model in files.items():
        with open(os.path.join(here, f"{name}.json"), "w") as f:
            json.dump(model, f, indent=2, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
