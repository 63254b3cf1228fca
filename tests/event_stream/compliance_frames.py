#!/usr/bin/env python3
"""The event-stream cases of the official AWS protocol compliance suite, as JSON.

The suite's `@eventStreamTests` live only in the Smithy IDL files
(`../shared/protocol-tests/restJson1/event-stream.smithy`; the JSON AST copy predates them). This
script reads the trait values out of the IDL with a small Smithy node-value parser and writes every
event of every case to `fixtures/compliance_frames.json` beside it: the test id, its operation,
`appliesTo`, whether a failure is expected, and per event its direction, the `params` (the modeled
event, for the generator-side tests), the typed headers, the body and the frame `bytes` (base64).

The runtime's tests (`codegen/runtime/src/tests/event_stream.rs`) decode each frame and compare
its headers and payload with the case, and encode the headers and payload back to the same bytes.

    python3 tests/event_stream/compliance_frames.py [path/to/event-stream.smithy]
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "../../../shared/protocol-tests/restJson1/event-stream.smithy")


class Parser:
    """Smithy IDL node values: objects, arrays, strings, text blocks, numbers, keywords and
    shape ids. Commas are whitespace; `//` starts a comment."""

    def __init__(self, text, pos):
        self.text = text
        self.pos = pos

    def skip(self):
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c in " \t\r\n,":
                self.pos += 1
            elif self.text.startswith("//", self.pos):
                self.pos = self.text.index("\n", self.pos)
            else:
                break

    def value(self):
        self.skip()
        c = self.text[self.pos]
        if c == "{":
            return self.obj()
        if c == "[":
            return self.arr()
        if self.text.startswith('"""', self.pos):
            return self.text_block()
        if c == '"':
            return self.string()
        m = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?").match(self.text, self.pos)
        if m:
            self.pos = m.end()
            return float(m.group()) if ("." in m.group() or "e" in m.group().lower()) else int(m.group())
        m = re.compile(r"[A-Za-z_][A-Za-z0-9_.#$]*").match(self.text, self.pos)
        self.pos = m.end()
        return {"true": True, "false": False, "null": None}.get(m.group(), m.group())

    def key(self):
        self.skip()
        if self.text[self.pos] == '"':
            return self.string()
        m = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(self.text, self.pos)
        self.pos = m.end()
        return m.group()

    def obj(self):
        self.pos += 1
        out = {}
        while True:
            self.skip()
            if self.text[self.pos] == "}":
                self.pos += 1
                return out
            k = self.key()
            self.skip()
            assert self.text[self.pos] == ":", self.text[self.pos : self.pos + 40]
            self.pos += 1
            out[k] = self.value()

    def arr(self):
        self.pos += 1
        out = []
        while True:
            self.skip()
            if self.text[self.pos] == "]":
                self.pos += 1
                return out
            out.append(self.value())

    def string(self):
        self.pos += 1
        out = []
        while True:
            c = self.text[self.pos]
            if c == '"':
                self.pos += 1
                return "".join(out)
            if c == "\\":
                e = self.text[self.pos + 1]
                if e == "u":
                    out.append(chr(int(self.text[self.pos + 2 : self.pos + 6], 16)))
                    self.pos += 6
                    continue
                out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "/": "/"}[e])
                self.pos += 2
                continue
            out.append(c)
            self.pos += 1

    def text_block(self):
        # Smithy text blocks: the first line break is dropped, then the incidental indentation
        # (the least of the non-blank lines and the closing line) is removed from every line.
        end = self.text.index('"""', self.pos + 3)
        raw = self.text[self.pos + 3 : end]
        self.pos = end + 3
        assert raw.startswith("\n")
        lines = raw[1:].split("\n")
        indents = [len(l) - len(l.lstrip(" ")) for l in lines if l.strip()]
        if lines[-1].strip() == "":
            indents.append(len(lines[-1]))
        cut = min(indents) if indents else 0
        return "\n".join(l[cut:].rstrip(" ") for l in lines)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    text = open(path, encoding="utf-8").read()
    cases = []
    for m in re.finditer(r"@eventStreamTests\(", text):
        parser = Parser(text, m.end())
        tests = parser.value()
        op = re.compile(r"operation\s+(\w+)").search(text, parser.pos).group(1)
        for test in tests:
            for index, event in enumerate(test.get("events", [])):
                cases.append(
                    {
                        "id": test["id"],
                        "operation": op,
                        "applies_to": test.get("appliesTo"),
                        "failure": "failure" in test.get("expectation", {}),
                        "event": index,
                        "type": event["type"],
                        "params": event.get("params"),
                        "headers": event.get("headers", {}),
                        "body": event.get("body"),
                        "body_media_type": event.get("bodyMediaType"),
                        "bytes": event["bytes"],
                    }
                )
    out = {
        "generator": "tests/event_stream/compliance_frames.py",
        "source": "smithy-aws-protocol-tests restJson1/event-stream.smithy (commit 0f7323128b)",
        "cases": cases,
    }
    target = os.path.join(HERE, "fixtures/compliance_frames.json")
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{len(cases)} events written to {os.path.relpath(target)}")


if __name__ == "__main__":
    main()
