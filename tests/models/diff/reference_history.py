#!/usr/bin/env python3
"""An independent reference for tests/diff.rs: for every consecutive pair of model/history/,
which operations gained or lost request/response members (at any depth) or modeled errors,
computed straight from the JSON AST (no Smithy library, no normalisation but the member names).

Writes tests/models/diff/history-reference.json. Run from the workspace root:
    python3 tests/models/diff/reference_history.py
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def members(shapes, shape_id):
    shape = shapes.get(shape_id, {})
    kind = shape.get("type")
    if kind in ("structure", "union"):
        return {name: m["target"] for name, m in shape.get("members", {}).items()}
    if kind in ("list", "set"):
        return {"[]": shape["member"]["target"]}
    if kind == "map":
        return {"{}": shape["value"]["target"]}
    return {}


def walk(old, new, a, b, part, out, stack):
    """Member names added/removed under the aggregates a (old) and b (new)."""
    if (a, b) in stack:
        return
    stack = stack | {(a, b)}
    ma, mb = members(old, a), members(new, b)
    for name in ma:
        if name not in mb and name not in ("[]", "{}"):
            out.add((part, "member-removed", name))
    for name in mb:
        if name not in ma and name not in ("[]", "{}"):
            out.add((part, "member-added", name))
    for name in ma:
        if name in mb:
            walk(old, new, ma[name], mb[name], part, out, stack)


def service_ops(shapes):
    (service,) = [s for s in shapes.values() if s["type"] == "service"]
    ops = [r["target"] for r in service.get("operations", [])]
    return {op.split("#")[1]: op for op in ops}


def main():
    hist = os.path.join(ROOT, "model", "history")
    files = sorted(f for f in os.listdir(hist) if f.endswith(".json"))
    result = []
    for old_name, new_name in zip(files, files[1:]):
        old = json.load(open(os.path.join(hist, old_name)))["shapes"]
        new = json.load(open(os.path.join(hist, new_name)))["shapes"]
        old_ops, new_ops = service_ops(old), service_ops(new)
        changes = set()
        for name in sorted(set(old_ops) & set(new_ops)):
            o, n = old[old_ops[name]], new[new_ops[name]]
            found = set()
            for part, key in (("request", "input"), ("response", "output")):
                if key in o and key in n:
                    walk(old, new, o[key]["target"], n[key]["target"], part, found, frozenset())
            oe = {e["target"].split("#")[1] for e in o.get("errors", [])}
            ne = {e["target"].split("#")[1] for e in n.get("errors", [])}
            found |= {("errors", "operation-error-added", e) for e in ne - oe}
            found |= {("errors", "operation-error-removed", e) for e in oe - ne}
            changes |= {(name,) + f for f in found}
        result.append(
            {
                "old": old_name,
                "new": new_name,
                "added_operations": sorted(set(new_ops) - set(old_ops)),
                "removed_operations": sorted(set(old_ops) - set(new_ops)),
                "changes": [list(c) for c in sorted(changes)],
            }
        )
    out = os.path.join(ROOT, "tests", "models", "diff", "history-reference.json")
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"wrote {out}: {len(result)} pairs", file=sys.stderr)


if __name__ == "__main__":
    main()
