//! The botocore wire-fixture harness, shared by the tests that run a generated crate's wire
//! layer against `tests/wire/fixtures/<service>/{requests,responses}.jsonl` (see
//! `tests/wire/README.md`):
//!
//! - `tests/wire_conformance.rs` (chime-sdk-meetings, in the workspace),
//! - `tests/botocore.rs` of each crate `tests/corpus.rs` generates from
//!   `tests/models/other-services/<service>.json` (the eight other services).
//!
//! It is one source file, included with `#[path = ".../harness.rs"] mod harness;` into a
//! module whose parent has the generated crate in scope as `svc`
//! (`use chime_sdk_meetings as svc;`). Everything here goes through the crate's by-name API
//! (`svc::dynamic`), which every generated crate has, so nothing depends on the service.
//!
//! The parts:
//!
//! 1. **Line conversion**: a fixture line in, our side's result out, in the fixtures' format
//!    ([`request_line`], [`response_line`]). That is the `wire-lines` crate
//!    (`xtask/wire-lines/`), which `cargo xtask wire request|response` runs too: the tests run
//!    exactly the tool's code, and the tool compiles nothing of this file.
//! 2. **Comparison** of that result with botocore's `expected`, walking the Smithy model so
//!    that what the spec adds (`@default` values, client error correction) is told apart from
//!    real differences, and representation-only differences are normalised. botocore ships
//!    its own model of the service, which may be another version: operations and member types
//!    the Smithy model lacks make a line skipped, members it lacks are left out of the
//!    comparison ([`Model::reconcile`]); both are counted in the summary.
//! 3. **Quirks**: where a line carries a `botocore_quirks` tag whose behaviour contradicts the
//!    Smithy restJson1 spec, the spec's result is asserted instead (and counted).
//! 4. **Known failures**: generator bugs that are reported but not yet fixed, listed in
//!    [`KNOWN_FAILURES`] with the reason; matching lines are counted, not failed, and an entry
//!    that no longer matches anything fails the run (so the list cannot go stale).
//! 5. **The test bodies** ([`Service::requests_test`], [`Service::responses_test`],
//!    [`Service::coverage_test`]) with their summary.

// Each includer uses a different subset.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::svc;
use super::svc::dynamic;
use super::svc::primitives::{is_uuid_v4, IdempotencyTokenProvider};

use wire_lines::build_response;

wire_lines::service!(
    /// The crate under test, as the line conversion reaches it.
    pub struct Svc for svc
);

// =============================================================================================
// 1. Line conversion
// =============================================================================================

/// Builds the request of one input line with random idempotency tokens.
pub fn request_line(line: &Value) -> Value {
    wire_lines::request_line::<Svc>(line)
}

/// Builds the request of one input line, filling unset idempotency tokens from `tokens`.
pub fn request_line_with(line: &Value, tokens: &(dyn IdempotencyTokenProvider + 'static)) -> Value {
    wire_lines::request_line_with::<Svc>(line, tokens)
}

/// Reads the response of one input line.
pub fn response_line(line: &Value) -> Value {
    wire_lines::response_line::<Svc>(line)
}

// =============================================================================================
// Fixtures and the model
// =============================================================================================

/// The members botocore fills in with `uuid4()` when left out (README, "Idempotency tokens").
pub const TOKEN_MEMBERS: &[&str] = &["ClientRequestToken", "ClientToken", "CallbackId"];
/// How many mismatches are printed in full (`$WIRE_SHOWN_IN_FULL` changes it).
fn shown_in_full() -> usize {
    std::env::var("WIRE_SHOWN_IN_FULL").ok().and_then(|n| n.parse().ok()).unwrap_or(30)
}

/// Operations whose requests the fixtures leave out (README, "Skipped"): the input payload is
/// `@streaming`, and botocore adds tree-hash checksum headers through a customization.
pub const SKIPPED_REQUESTS: &[(&str, &str)] =
    &[("glacier", "UploadArchive"), ("glacier", "UploadMultipartPart")];

/// One fixture line.
pub struct Line {
    /// 1-based line number in the file.
    pub number: usize,
    pub value: Value,
}

/// Reads a JSON-lines fixture file.
pub fn read_fixture(path: &Path) -> Vec<Line> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Line {
            number: i + 1,
            value: serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1)),
        })
        .collect()
}

/// What the conformance checks need from the Smithy model (JSON AST).
pub struct Model {
    pub shapes: Map<String, Value>,
    /// Operation name -> (output shape id, declared error names).
    pub operations: BTreeMap<String, (Option<String>, Vec<String>)>,
    /// Operation name -> input shape id.
    pub inputs: BTreeMap<String, String>,
    /// Error shape name -> shape id (every `@error` structure of the model).
    pub errors: BTreeMap<String, String>,
}

impl Model {
    pub fn load(path: &Path) -> Model {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ast: Value = serde_json::from_str(&text).expect("the model is JSON");
        let shapes = ast["shapes"].as_object().expect("the model has shapes").clone();
        let mut operations = BTreeMap::new();
        let mut inputs = BTreeMap::new();
        let mut errors = BTreeMap::new();
        for (id, shape) in &shapes {
            let name = id.rsplit('#').next().unwrap_or(id).to_string();
            if shape["type"] == "structure" && shape["traits"].get("smithy.api#error").is_some() {
                errors.insert(name.clone(), id.clone());
            }
            if shape["type"] != "operation" {
                continue;
            }
            let output = shape["output"]["target"].as_str().map(str::to_string);
            let declared = shape["errors"]
                .as_array()
                .map(|errors| {
                    errors
                        .iter()
                        .filter_map(|e| e["target"].as_str())
                        .map(|t| t.rsplit('#').next().unwrap_or(t).to_string())
                        .collect()
                })
                .unwrap_or_default();
            if let Some(input) = shape["input"]["target"].as_str() {
                inputs.insert(name.clone(), input.to_string());
            }
            operations.insert(name, (output, declared));
        }
        Model { shapes, operations, inputs, errors }
    }

    pub fn shape(&self, id: &str) -> Option<&Value> {
        self.shapes.get(id)
    }

    pub fn declared_errors(&self, operation: &str) -> &[String] {
        self.operations.get(operation).map(|(_, e)| e.as_slice()).unwrap_or(&[])
    }

    /// The shape type of a target, prelude shapes included (`string`, `blob`, `structure`, ...).
    pub fn kind(&self, target: &str) -> String {
        match target.strip_prefix("smithy.api#") {
            Some(prelude) => prelude.to_ascii_lowercase(),
            None => self.shape(target).and_then(|s| s["type"].as_str()).unwrap_or("").to_string(),
        }
    }

    /// The output shape id of an operation.
    pub fn output(&self, operation: &str) -> Option<&str> {
        self.operations.get(operation).and_then(|(o, _)| o.as_deref())
    }

    /// The `@httpPayload` member of a structure: (member name, target shape id).
    pub fn payload_member(&self, structure: &str) -> Option<(&str, &str)> {
        self.shape(structure)?["members"].as_object()?.iter().find_map(|(name, member)| {
            member["traits"].get("smithy.api#httpPayload")?;
            Some((name.as_str(), member["target"].as_str()?))
        })
    }

    /// The `@httpPayload` member of an operation's input: (member name, target shape id).
    pub fn input_payload(&self, operation: &str) -> Option<(&str, &str)> {
        self.payload_member(self.inputs.get(operation)?)
    }

    /// The `@httpPayload` member of an operation's output: (member name, target shape id).
    pub fn output_payload(&self, operation: &str) -> Option<(&str, &str)> {
        self.payload_member(self.output(operation)?)
    }

    /// The top-level input member bound by `binding` (`smithy.api#httpQuery` or
    /// `smithy.api#httpHeader`) to the wire name `name` (headers ignore case).
    pub fn input_binding(
        &self,
        operation: &str,
        binding: &str,
        name: &str,
    ) -> Option<(&str, &Value)> {
        let input = self.shape(self.inputs.get(operation)?)?;
        input["members"].as_object()?.iter().find_map(|(member, def)| {
            let bound = def["traits"][binding].as_str()?;
            let same = if binding == "smithy.api#httpHeader" {
                bound.eq_ignore_ascii_case(name)
            } else {
                bound == name
            };
            same.then_some((member.as_str(), def))
        })
    }

    /// Removes from `value` (in the document form: member names) the members shape `shape` of
    /// this model does not have, recording their paths in `unknown`, and records in
    /// `mismatched` where a value has a JSON type its target cannot take. Both come from
    /// another version of the service's model (botocore ships its own).
    pub fn strip_unknown(
        &self,
        shape: &str,
        value: &mut Value,
        path: &str,
        unknown: &mut Vec<String>,
        mismatched: &mut Vec<String>,
    ) {
        let kind = self.kind(shape);
        let def = self.shape(shape);
        let ok = match (kind.as_str(), &mut *value) {
            (_, Value::Null) | ("document", _) => true,
            ("unit", Value::Object(map)) => map.is_empty(),
            ("structure" | "union", Value::Object(map)) => {
                let keys: Vec<String> = map.keys().cloned().collect();
                for key in keys {
                    // botocore's name for an unknown union member (README, "Unions").
                    // The crate keeps no name for it: in the document form the union is `{}`.
                    if kind == "union" && key == "SDK_UNKNOWN_MEMBER" {
                        map.remove(&key);
                        continue;
                    }
                    let sub = format!("{path}.{key}");
                    match def
                        .and_then(|d| d["members"].get(&key))
                        .and_then(|m| m["target"].as_str())
                    {
                        Some(target) => self.strip_unknown(
                            target,
                            map.get_mut(&key).expect("a key"),
                            &sub,
                            unknown,
                            mismatched,
                        ),
                        None => {
                            map.remove(&key);
                            unknown.push(sub);
                        }
                    }
                }
                true
            }
            ("list" | "set", Value::Array(items)) => {
                if let Some(target) = def.and_then(|d| d["member"]["target"].as_str()) {
                    for v in items {
                        self.strip_unknown(target, v, &format!("{path}[]"), unknown, mismatched);
                    }
                }
                true
            }
            ("map", Value::Object(map)) => {
                if let Some(target) = def.and_then(|d| d["value"]["target"].as_str()) {
                    for v in map.values_mut() {
                        self.strip_unknown(target, v, &format!("{path}{{}}"), unknown, mismatched);
                    }
                }
                true
            }
            ("string" | "enum" | "blob" | "timestamp", Value::String(_)) => true,
            ("boolean", Value::Bool(_)) => true,
            ("float" | "double", Value::String(s)) => {
                ["NaN", "Infinity", "-Infinity"].contains(&s.as_str())
            }
            (
                "byte" | "short" | "integer" | "long" | "float" | "double" | "intenum"
                | "biginteger" | "bigdecimal",
                Value::Number(_),
            ) => true,
            _ => false,
        };
        if !ok {
            mismatched.push(format!("{path} ({kind} here, {} in the line)", json_type(value)));
        }
    }

    /// A fixture line made comparable with this model: botocore's model of the service may be
    /// another version. Members this model lacks are removed from the input (`params`, and
    /// from botocore's request body under the same names) or from botocore's output and error
    /// fields, and listed (the line is still compared); an operation this model lacks or a
    /// member of another type makes the line incomparable (`Err` with the reason).
    pub fn reconcile(&self, line: &Value) -> Result<(Value, Vec<String>), String> {
        let operation = line["operation"].as_str().unwrap_or("?");
        if !self.operations.contains_key(operation) {
            return Err("operation not in the Smithy model".into());
        }
        let mut line = line.clone();
        let (mut unknown, mut mismatched) = (Vec::new(), Vec::new());
        if line.get("params").is_some() {
            if let Some(input) = self.inputs.get(operation) {
                self.strip_unknown(
                    input,
                    &mut line["params"],
                    "params",
                    &mut unknown,
                    &mut mismatched,
                );
            }
            for path in &unknown {
                let segments: Vec<&str> = path.split('.').skip(1).collect();
                remove_path(&mut line["expected"]["body"], &segments);
            }
        } else if line["expected"].get("output").is_some() {
            if let Some(shape) = self.output(operation) {
                self.strip_unknown(
                    shape,
                    &mut line["expected"]["output"],
                    "output",
                    &mut unknown,
                    &mut mismatched,
                );
            }
        } else if let Some(shape) =
            line["expected"]["error"]["code"].as_str().and_then(|code| self.errors.get(code))
        {
            if line["expected"]["error"].get("fields").is_some() {
                self.strip_unknown(
                    shape,
                    &mut line["expected"]["error"]["fields"],
                    "error.fields",
                    &mut unknown,
                    &mut mismatched,
                );
            }
        }
        if !mismatched.is_empty() {
            mismatched.sort();
            mismatched.dedup();
            return Err(format!(
                "member types differ from the Smithy model: {}",
                mismatched.join(", ")
            ));
        }
        unknown.sort();
        unknown.dedup();
        Ok((line, unknown))
    }

    /// The `Content-Type` the spec has a request send for a set blob or string payload:
    /// the target's `@mediaType`, else `application/octet-stream` (blob) or `text/plain`
    /// (string).
    pub fn raw_payload_content_type(&self, target: &str) -> Option<String> {
        if let Some(media) =
            self.shape(target).and_then(|s| s["traits"]["smithy.api#mediaType"].as_str())
        {
            return Some(media.to_string());
        }
        match self.kind(target).as_str() {
            "blob" => Some("application/octet-stream".into()),
            "string" => Some("text/plain".into()),
            _ => None,
        }
    }
}

// =============================================================================================
// 2. Comparison
// =============================================================================================

/// One difference on one line.
pub struct Mismatch {
    pub file: &'static str,
    pub line: usize,
    pub operation: String,
    pub case: String,
    pub what: String,
    pub expected: Value,
    pub actual: Value,
}

/// The result of comparing one fixture file.
#[derive(Default)]
pub struct Report {
    pub compared: usize,
    pub passed: usize,
    /// Lines whose every mismatch is a [`KNOWN_FAILURES`] entry (reason -> lines).
    pub known_failing: BTreeMap<&'static str, usize>,
    /// Lines where a `botocore_quirks` tag made the test assert the spec, not botocore.
    pub quirk_deviations: BTreeMap<String, usize>,
    /// Tagged lines where botocore's behaviour is what the spec requires (tag -> lines).
    pub quirk_agreements: BTreeMap<String, usize>,
    /// Other differences from botocore that the Smithy spec requires (not tagged in the fixtures).
    pub spec_deviations: BTreeMap<String, usize>,
    /// Headers our requests send that botocore's do not (name -> lines).
    pub extra_headers: BTreeMap<String, usize>,
    /// The mismatches of the lines that fail.
    pub mismatches: Vec<Mismatch>,
    /// The [`KNOWN_FAILURES`] entries (by index) that matched at least one mismatch.
    pub known_used: BTreeSet<usize>,
    /// Lines not compared, by reason (not counted in `compared`).
    pub skipped: BTreeMap<String, usize>,
    /// Lines compared without the members botocore's model has and the Smithy model lacks
    /// (operation and members -> lines).
    pub stripped: BTreeMap<String, usize>,
}

impl Report {
    pub fn known_failing_lines(&self) -> usize {
        self.known_failing.values().sum()
    }

    pub fn failed_lines(&self) -> usize {
        self.compared - self.passed - self.known_failing_lines()
    }

    pub fn summary(&self, title: &str) -> String {
        let mut s = String::new();
        let skipped: usize = self.skipped.values().sum();
        let _ = writeln!(
            s,
            "== {title}: {} lines compared, {} passed, {} known-failing, {} failed ({skipped} skipped)",
            self.compared,
            self.passed,
            self.known_failing_lines(),
            self.failed_lines()
        );
        if !self.skipped.is_empty() {
            let _ = writeln!(s, "   not compared (reason: lines):");
            for (reason, n) in &self.skipped {
                let _ = writeln!(s, "     {reason}: {n}");
            }
        }
        if !self.stripped.is_empty() {
            let _ = writeln!(s, "   compared without members only botocore's model has (operation: members: lines):");
            for (what, n) in &self.stripped {
                let _ = writeln!(s, "     {what}: {n}");
            }
        }
        if !self.known_failing.is_empty() {
            let _ = writeln!(
                s,
                "   known failures (generator bugs, tests/wire/harness.rs KNOWN_FAILURES: lines):"
            );
            for (reason, n) in &self.known_failing {
                let _ = writeln!(s, "     {reason}: {n}");
            }
        }
        if !self.quirk_deviations.is_empty() {
            let _ =
                writeln!(s, "   spec asserted instead of botocore (botocore_quirks tag: lines):");
            for (tag, n) in &self.quirk_deviations {
                let _ = writeln!(s, "     {tag}: {n}");
            }
        }
        if !self.quirk_agreements.is_empty() {
            let _ = writeln!(
                s,
                "   tagged, but botocore does what the spec requires (botocore_quirks tag: lines):"
            );
            for (tag, n) in &self.quirk_agreements {
                let _ = writeln!(s, "     {tag}: {n}");
            }
        }
        if !self.spec_deviations.is_empty() {
            let _ =
                writeln!(s, "   other spec-required differences from botocore (untagged: lines):");
            for (tag, n) in &self.spec_deviations {
                let _ = writeln!(s, "     {tag}: {n}");
            }
        }
        if !self.extra_headers.is_empty() {
            let _ = writeln!(
                s,
                "   headers we send that botocore does not (name: lines): {:?}",
                self.extra_headers
            );
        }
        s
    }

    pub fn fail_if_mismatched(&self, title: &str) {
        if self.mismatches.is_empty() {
            return;
        }
        let mut s = format!(
            "{title}: {} mismatches on {} of {} lines\n",
            self.mismatches.len(),
            self.failed_lines(),
            self.compared
        );
        let shown = shown_in_full();
        for (i, m) in self.mismatches.iter().enumerate() {
            if i < shown {
                let _ = writeln!(
                    s,
                    "\n[{}] {}:{} {} ({}): {}\n    expected: {}\n    actual:   {}",
                    i + 1,
                    m.file,
                    m.line,
                    m.operation,
                    m.case,
                    m.what,
                    m.expected,
                    m.actual
                );
            } else {
                let _ = writeln!(
                    s,
                    "[{}] {}:{} {} ({}): {}",
                    i + 1,
                    m.file,
                    m.line,
                    m.operation,
                    m.case,
                    m.what
                );
            }
        }
        panic!("{s}");
    }

    /// Records one line's differences: passed, known-failing (every difference matches a
    /// [`KNOWN_FAILURES`] entry for this service and file), or failed.
    fn record(&mut self, service: &str, mut mismatches: Vec<Mismatch>) {
        if mismatches.is_empty() {
            self.passed += 1;
            return;
        }
        let matched: Vec<Option<usize>> =
            mismatches.iter().map(|m| known_failure(service, m)).collect();
        self.known_used.extend(matched.iter().flatten());
        if let Some(Some(first)) = matched.iter().all(Option::is_some).then(|| matched[0]) {
            *self.known_failing.entry(KNOWN_FAILURES[first].reason).or_default() += 1;
        } else {
            self.mismatches.append(&mut mismatches);
        }
    }

    /// Fails when more than a quarter of the lines were not compared: botocore's model and the
    /// Smithy model are then too far apart for the comparison to mean much.
    pub fn fail_if_mostly_skipped(&self, title: &str) {
        let skipped: usize = self.skipped.values().sum();
        assert!(
            skipped * 4 <= skipped + self.compared,
            "{title}: {skipped} of {} lines skipped: update the Smithy model or the pinned botocore",
            skipped + self.compared
        );
    }

    /// Fails when a [`KNOWN_FAILURES`] entry for this service and file matched nothing: the
    /// bug is fixed (or the fixture changed), and the entry must go.
    pub fn fail_if_known_failures_stale(&self, service: &str, file: &str) {
        let stale: Vec<String> = KNOWN_FAILURES
            .iter()
            .enumerate()
            .filter(|(i, k)| k.service == service && k.file == file && !self.known_used.contains(i))
            .map(|(_, k)| format!("  {k:?}"))
            .collect();
        assert!(
            stale.is_empty(),
            "{service}/{file}: KNOWN_FAILURES entries that match no line any more (fixed? remove them from tests/wire/harness.rs):\n{}",
            stale.join("\n")
        );
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`) and object key order is
/// ignored.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// An RFC 3339 timestamp with its fraction's trailing zeros removed (`.520Z` -> `.52Z`,
/// `.000Z` -> `Z`): the same instant, whatever number of digits a side writes. Other text is
/// returned unchanged.
pub fn canonical_rfc3339(text: &str) -> String {
    let Some(dot) = text.rfind('.') else { return text.to_string() };
    let Some(fraction) = text[dot + 1..].strip_suffix('Z') else { return text.to_string() };
    if fraction.is_empty()
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || !text[..dot].ends_with(|c: char| c.is_ascii_digit())
    {
        return text.to_string();
    }
    let trimmed = fraction.trim_end_matches('0');
    if trimmed.is_empty() {
        format!("{}Z", &text[..dot])
    } else {
        format!("{}.{trimmed}Z", &text[..dot])
    }
}

/// Whether `value` is the document form of the value Smithy's client error correction gives a
/// missing `@required` member targeting `shape` (a zero value: `""`, `0`, `false`, `[]`, `{}`,
/// epoch 0, and an unknown (empty) enum value).
fn is_error_correction_default(model: &Model, shape: &str, value: &Value) -> bool {
    match model.kind(shape).as_str() {
        "string" | "enum" | "blob" => value == "",
        "boolean" | "primitiveboolean" => value == false,
        "byte" | "short" | "integer" | "long" | "float" | "double" | "intenum" | "biginteger"
        | "bigdecimal" | "primitivebyte" | "primitiveshort" | "primitiveinteger"
        | "primitivelong" | "primitivefloat" | "primitivedouble" => value.as_f64() == Some(0.0),
        "timestamp" => value == "1970-01-01T00:00:00Z" || value.as_f64() == Some(0.0),
        "list" | "set" => value.as_array().is_some_and(Vec::is_empty),
        "map" => value.as_object().is_some_and(Map::is_empty),
        // `{}`, with its own `@required` members error-corrected in turn (a typed structure
        // cannot leave them out).
        "structure" => value.as_object().is_some_and(|members| {
            let def = model.shape(shape);
            members.iter().all(|(key, v)| {
                def.and_then(|d| member_for(d, key)).is_some_and(|m| {
                    m["traits"].get("smithy.api#required").is_some()
                        && m["target"]
                            .as_str()
                            .is_some_and(|t| is_error_correction_default(model, t, v))
                })
            })
        }),
        "document" => value.is_null(),
        _ => false,
    }
}

/// Why a member may be in our result and not in botocore's, per the Smithy spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Allowed {
    /// A missing `@required` output member: client error correction fills in its zero value.
    ErrorCorrection,
    /// A member with a `@default` value: "All effective default values SHOULD be serialized"
    /// (requests), and a deserializer fills the default in (outputs). botocore ignores
    /// `@default`.
    DefaultValue,
}

impl Allowed {
    pub fn describe(self) -> &'static str {
        match self {
            Allowed::ErrorCorrection => {
                "required output member missing from the body: client error correction fills in its zero value, botocore leaves it out"
            }
            Allowed::DefaultValue => {
                "@default member: serialized / filled in with its default value (Smithy: all effective defaults SHOULD be serialized), botocore leaves it out"
            }
        }
    }
}

/// The member of structure `def` that a JSON key names (its `@jsonName`, else its name).
fn member_for<'a>(def: &'a Value, key: &str) -> Option<&'a Value> {
    let members = def["members"].as_object()?;
    members
        .iter()
        .find(|(name, m)| {
            m["traits"]["smithy.api#jsonName"].as_str().unwrap_or(name.as_str()) == key
        })
        .or_else(|| members.get_key_value(key))
        .map(|(_, m)| m)
}

/// A difference: (what, botocore's or the spec's value, ours).
pub type Diff = (String, Value, Value);

/// What a `@default` top-level input member sent although the line does not set it is.
pub const TOP_LEVEL_DEFAULT: &str = "top-level @default input member sent although not set";

/// Compares a value of shape `shape` (an output, an error's members or a request body, or part
/// of one) with botocore's, walking the model so that members the Smithy spec adds are told
/// apart from real extras.
pub fn compare_shaped(
    model: &Model,
    shape: Option<&str>,
    ours: &Value,
    botocore: &Value,
    path: &str,
    diffs: &mut Vec<Diff>,
    allowed: &mut BTreeSet<Allowed>,
) {
    compare_value(model, shape, ours, botocore, path, false, diffs, allowed);
}

/// [`compare_shaped`] for a request body that is the operation's input structure itself: its
/// members are top-level input members, which a client does not fill with their `@default`
/// (Smithy: top-level input members are client-optional; protocol test
/// `RestJsonClientSkipsTopLevelDefaultValuesInInput`), so a default there is a difference.
pub fn compare_input_body(
    model: &Model,
    input: Option<&str>,
    ours: &Value,
    botocore: &Value,
    diffs: &mut Vec<Diff>,
    allowed: &mut BTreeSet<Allowed>,
) {
    compare_value(model, input, ours, botocore, "body", true, diffs, allowed);
}

#[allow(clippy::too_many_arguments)]
fn compare_value(
    model: &Model,
    shape: Option<&str>,
    ours: &Value,
    botocore: &Value,
    path: &str,
    input_top: bool,
    diffs: &mut Vec<Diff>,
    allowed: &mut BTreeSet<Allowed>,
) {
    let def = shape.and_then(|s| model.shape(s));
    let kind = shape.map(|s| model.kind(s)).unwrap_or_default();
    match (kind.as_str(), ours, botocore) {
        ("structure" | "union", Value::Object(o), Value::Object(b)) => {
            let keys: BTreeSet<&String> = o.keys().chain(b.keys()).collect();
            for key in keys {
                let member = def.and_then(|d| member_for(d, key));
                let target = member.and_then(|m| m["target"].as_str());
                let sub = format!("{path}.{key}");
                match (o.get(key.as_str()), b.get(key.as_str())) {
                    (Some(x), Some(y)) => {
                        compare_value(model, target, x, y, &sub, false, diffs, allowed)
                    }
                    (Some(x), None) => {
                        let traits = member.map(|m| &m["traits"]);
                        let required =
                            traits.is_some_and(|t| t.get("smithy.api#required").is_some());
                        let default = traits.and_then(|t| t.get("smithy.api#default"));
                        if input_top && default.is_some_and(|d| json_eq(d, x)) {
                            diffs.push((
                                format!("{sub}: {TOP_LEVEL_DEFAULT} (body)"),
                                Value::Null,
                                x.clone(),
                            ));
                        } else if default.is_some_and(|d| json_eq(d, x)) {
                            allowed.insert(Allowed::DefaultValue);
                        } else if required
                            && target.is_some_and(|t| is_error_correction_default(model, t, x))
                        {
                            allowed.insert(Allowed::ErrorCorrection);
                        } else {
                            diffs.push((
                                format!("{sub}: we have a member botocore does not"),
                                Value::Null,
                                x.clone(),
                            ));
                        }
                    }
                    (None, Some(y)) => {
                        diffs.push((format!("{sub}: missing"), y.clone(), Value::Null))
                    }
                    (None, None) => unreachable!(),
                }
            }
        }
        ("list" | "set", Value::Array(o), Value::Array(b)) if o.len() == b.len() => {
            let target = def.and_then(|d| d["member"]["target"].as_str());
            for (i, (x, y)) in o.iter().zip(b).enumerate() {
                compare_value(model, target, x, y, &format!("{path}[{i}]"), false, diffs, allowed);
            }
        }
        ("map", Value::Object(o), Value::Object(b))
            if o.len() == b.len() && o.keys().all(|k| b.contains_key(k)) =>
        {
            let target = def.and_then(|d| d["value"]["target"].as_str());
            for (k, x) in o {
                compare_value(
                    model,
                    target,
                    x,
                    &b[k],
                    &format!("{path}.{k}"),
                    false,
                    diffs,
                    allowed,
                );
            }
        }
        // The document form of a timestamp is RFC 3339; the number of fraction digits is
        // representation, not value (botocore writes 0, 3 or 6).
        ("timestamp", Value::String(o), Value::String(b)) => {
            if canonical_rfc3339(o) != canonical_rfc3339(b) {
                diffs.push((format!("{path}: differs"), botocore.clone(), ours.clone()));
            }
        }
        _ => {
            if !json_eq(ours, botocore) {
                diffs.push((format!("{path}: differs"), botocore.clone(), ours.clone()));
            }
        }
    }
}

pub fn case_of(line: &Value) -> String {
    line["case"].as_str().map(str::to_string).unwrap_or_else(|| "-".into())
}

pub fn quirks_of(line: &Value) -> Vec<String> {
    line["botocore_quirks"]
        .as_array()
        .map(|tags| tags.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

// =============================================================================================
// 3. Quirks: requests
// =============================================================================================

/// Every RFC 3339 fraction in `text` (`…:SS.ffffffZ`, after a digit) without its trailing
/// zeros: `.095000Z` -> `.095Z`, `.260Z` -> `.26Z`, `.000Z` -> `Z`. Smithy's `date-time` is
/// RFC 3339 "with optional fractional precision"; how many digits a side writes is
/// representation, the instant is the value.
fn canonical_fractions(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'.' && i > 0 && bytes[i - 1].is_ascii_digit() {
            let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if (1..=9).contains(&digits) && bytes.get(i + 1 + digits) == Some(&b'Z') {
                let fraction = text[i + 1..i + 1 + digits].trim_end_matches('0');
                if !fraction.is_empty() {
                    out.push('.');
                    out.push_str(fraction);
                }
                i += 1 + digits;
                continue;
            }
        }
        let ch = text[i..].chars().next().expect("in bounds");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn map_strings(value: &Value, f: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::String(s) => Value::String(f(s)),
        Value::Array(items) => Value::Array(items.iter().map(|v| map_strings(v, f)).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), map_strings(v, f))).collect())
        }
        other => other.clone(),
    }
}

/// What the Smithy spec has the client send for a request line: botocore's `expected`, with
/// the tagged botocore quirks replaced by the spec behaviour (each counted in `report`), and
/// representation-only differences normalised.
fn spec_expected_request(
    model: &Model,
    line: &Value,
    operation: &str,
    report: &mut Report,
) -> Value {
    let mut expected = line["expected"].clone();
    // An empty raw body is no body: botocore's fixtures write `body_text: ""` for an unset
    // string payload (README, "Raw payloads").
    for key in ["body_text", "body_base64"] {
        if expected.get(key).is_some_and(|v| v == "") {
            expected.as_object_mut().expect("object").remove(key);
        }
    }
    for tag in quirks_of(line) {
        match tag.as_str() {
            // botocore writes 6 fraction digits (`.095000Z`); Smithy's `date-time` example is
            // `1985-04-12T23:20:50.52Z`. Both sides' fractions are compared without trailing
            // zeros (see `check_requests`), i.e. as instants.
            "timestamp-iso8601-microseconds" => {
                let spec = map_strings(&expected, &canonical_fractions);
                count_quirk(report, &tag, spec != expected);
                expected = spec;
            }
            // A set blob / string payload is sent with its media type (`@mediaType`, else
            // `application/octet-stream` / `text/plain`); an unset one sends no body and
            // no Content-Type.
            "raw-payload-without-content-type" => {
                let payload = model.input_payload(operation);
                let set = payload.is_some_and(|(member, _)| {
                    line["params"].get(member).is_some_and(|v| !v.is_null())
                });
                let content_type =
                    payload.and_then(|(_, target)| model.raw_payload_content_type(target));
                let headers = expected["headers"].as_object_mut();
                let mut changed = false;
                if let (true, Some(content_type), Some(headers)) = (set, content_type, headers) {
                    changed =
                        headers.insert("content-type".into(), json!(content_type.clone())).as_ref()
                            != Some(&json!(content_type));
                }
                count_quirk(report, &tag, changed);
            }
            // Smithy's own protocol test `RestJsonHttpWithEmptyStructurePayload` expects
            // exactly this: an unset structure payload is sent as `{}` with
            // `Content-Type: application/json`. botocore agrees with the spec here.
            "unset-structure-payload-sends-empty-object" => count_quirk(report, &tag, false),
            other => {
                *report
                    .spec_deviations
                    .entry(format!("unknown botocore_quirks tag `{other}` (botocore asserted)"))
                    .or_default() += 1;
            }
        }
    }
    expected
}

fn count_quirk(report: &mut Report, tag: &str, changed: bool) {
    let counter = if changed { &mut report.quirk_deviations } else { &mut report.quirk_agreements };
    *counter.entry(tag.to_string()).or_default() += 1;
}

// =============================================================================================
// 3. Quirks: responses
// =============================================================================================

/// The response header `name` of a fixture line (names keep their case there).
fn line_header<'a>(line: &'a Value, name: &str) -> Option<&'a str> {
    line["headers"]
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
}

fn line_body_object(line: &Value) -> Option<Map<String, Value>> {
    match serde_json::from_str::<Value>(line["body"].as_str()?) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// The error code the restJson1 spec reads: the `X-Amzn-Errortype` header, else the body's
/// `code`, else its `__type`; cut at the first `:`, then after the last `#`.
fn spec_error_code(line: &Value) -> Option<String> {
    let body = line_body_object(line);
    let field = |key: &str| {
        body.as_ref().and_then(|b| b.get(key)).and_then(Value::as_str).map(str::to_string)
    };
    let raw = line_header(line, "x-amzn-errortype")
        .map(str::to_string)
        .or_else(|| field("code"))
        .or_else(|| field("__type"))?;
    let cut = raw.split(':').next().unwrap_or("");
    let code = cut.rsplit('#').next().unwrap_or("");
    (!code.is_empty()).then(|| code.to_string())
}

/// The message an error body carries (`message`, `Message`, `errorMessage`), if it is JSON.
fn spec_error_message(line: &Value) -> Option<String> {
    let body = line_body_object(line)?;
    ["message", "Message", "errorMessage"]
        .iter()
        .find_map(|k| body.get(*k).and_then(Value::as_str).map(str::to_string))
}

/// `""` and a missing message are the same thing (botocore writes `''` when there is none).
fn norm_message(v: &Value) -> Value {
    match v {
        Value::String(s) if s.is_empty() => Value::Null,
        other => other.clone(),
    }
}

/// Error fields without the members named like the code or message (botocore leaves those
/// out, ignoring case).
fn norm_fields(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| {
                    !k.eq_ignore_ascii_case("code") && !k.eq_ignore_ascii_case("message")
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// What the Smithy spec has the client report for an error line: botocore's result, with the
/// tagged botocore quirks replaced by the spec behaviour (each counted in `report`).
fn spec_expected_error(model: &Model, line: &Value, operation: &str, report: &mut Report) -> Value {
    let botocore = &line["expected"]["error"];
    let mut code = botocore["code"].clone();
    let mut message = norm_message(&botocore["message"]);
    let mut request_id = botocore["request_id"].clone();
    let mut fields = botocore["fields"].clone();
    for tag in quirks_of(line) {
        match tag.as_str() {
            // The spec reads the code only from X-Amzn-Errortype, body `code` and `__type`:
            // no capitalised `Code`, and no HTTP status standing in for a code.
            "error-code-from-status" | "body-Code-as-error-code" => {
                let spec = json!(spec_error_code(line));
                count_quirk(report, &tag, spec != code);
                code = spec;
            }
            // A body that is not JSON has no message; the raw body is not one.
            "unparseable-body-as-message" => {
                let spec = norm_message(&json!(spec_error_message(line)));
                count_quirk(report, &tag, spec != message);
                message = spec;
            }
            // No message in the body means no message (not the reason phrase), and the
            // request id still comes from `x-amzn-RequestId`.
            "generic-5xx-reason-phrase-message" => {
                let spec_message = norm_message(&json!(spec_error_message(line)));
                let spec_request_id = json!(line_header(line, "x-amzn-requestid"));
                count_quirk(report, &tag, spec_message != message || spec_request_id != request_id);
                message = spec_message;
                request_id = spec_request_id;
            }
            // An error the operation does not declare is unmodeled for that operation: no
            // modeled members are read (checked below, as for every unmodeled error).
            "undeclared-error-modeled-fields" => {
                count_quirk(report, &tag, fields.as_object().is_some_and(|f| !f.is_empty()));
            }
            other => {
                *report
                    .spec_deviations
                    .entry(format!("unknown botocore_quirks tag `{other}` (botocore asserted)"))
                    .or_default() += 1;
            }
        }
    }
    let shape = match code.as_str() {
        Some(c) if model.declared_errors(operation).iter().any(|e| e == c) => json!(c),
        _ => Value::Null,
    };
    if shape.is_null() {
        fields = json!({});
    }
    json!({
        "shape": shape,
        "code": code,
        "message": message,
        "status": botocore["status"],
        "request_id": request_id,
        "fields": norm_fields(&fields),
    })
}

// =============================================================================================
// 4. Known failures
// =============================================================================================

/// A generator bug that makes some lines fail, reported and not fixed yet. A mismatch matches
/// when the service and file are equal, `operation` is `"*"` or equal, and `case` and `what`
/// are substrings of the line's case and of the mismatch's description.
#[derive(Debug)]
pub struct KnownFailure {
    pub service: &'static str,
    /// `requests.jsonl` or `responses.jsonl`.
    pub file: &'static str,
    pub operation: &'static str,
    pub case: &'static str,
    pub what: &'static str,
    /// The generator bug, with the Smithy rule it breaks.
    pub reason: &'static str,
}

/// The generator bugs the botocore fixtures show that are not fixed yet. A line fails unless
/// every one of its mismatches matches an entry here; an entry that matches no line fails the
/// run, so the list shrinks as the bugs are fixed.
pub const KNOWN_FAILURES: &[KnownFailure] = &[
    KnownFailure {
        service: "glacier",
        file: "requests.jsonl",
        operation: "*",
        case: "",
        what: "header `x-amz-glacier-version`",
        reason: "glacier: the `X-Amz-Glacier-Version: 2012-06-01` header (the service's API version) is not sent; \
                 the AWS customization test `GlacierVersionHeader` (com.amazonaws.glacier#UploadArchive) requires it on every request",
    },
];

fn known_failure(service: &str, m: &Mismatch) -> Option<usize> {
    KNOWN_FAILURES.iter().position(|k| {
        k.service == service
            && k.file == m.file
            && (k.operation == "*" || k.operation == m.operation)
            && m.case.contains(k.case)
            && m.what.contains(k.what)
    })
}

// =============================================================================================
// Checking one file
// =============================================================================================

/// Records a line that is not compared, with the reason.
fn skip(report: &mut Report, operation: &str, why: &str) {
    *report.skipped.entry(format!("{operation}: {why}")).or_default() += 1;
}

/// Removes what a path of [`Model::strip_unknown`] names (segments split at `.`; `[]` is every
/// list element, `{}` every map value) from `value`, where it is there.
fn remove_path(value: &mut Value, segments: &[&str]) {
    let Some((first, rest)) = segments.split_first() else { return };
    let mut name = *first;
    let mut markers = Vec::new();
    while let Some(stripped) = name.strip_suffix("[]").or_else(|| name.strip_suffix("{}")) {
        markers.push(&name[stripped.len()..]);
        name = stripped;
    }
    markers.reverse();
    let Value::Object(map) = value else { return };
    if rest.is_empty() && markers.is_empty() {
        map.remove(name);
        return;
    }
    if let Some(child) = map.get_mut(name) {
        descend(child, &markers, rest);
    }
}

fn descend(value: &mut Value, markers: &[&str], rest: &[&str]) {
    match markers.split_first() {
        None => remove_path(value, rest),
        Some((&"[]", more)) => {
            if let Value::Array(items) = value {
                for item in items {
                    descend(item, more, rest);
                }
            }
        }
        Some((_, more)) => {
            if let Value::Object(map) = value {
                for item in map.values_mut() {
                    descend(item, more, rest);
                }
            }
        }
    }
}

/// The line to compare (see [`Model::reconcile`]), or `None` when it is skipped (recorded in
/// `report`).
fn reconciled(model: &Model, line: &Value, report: &mut Report) -> Option<Value> {
    let operation = line["operation"].as_str().unwrap_or("?");
    match model.reconcile(line) {
        Err(why) => {
            skip(report, operation, &format!("botocore's model differs: {why}"));
            None
        }
        Ok((line, unknown)) => {
            if !unknown.is_empty() {
                let key = format!("{operation}: {}", unknown.join(", "));
                *report.stripped.entry(key).or_default() += 1;
            }
            Some(line)
        }
    }
}

fn query_pairs(value: &Value) -> Vec<(String, String)> {
    value
        .as_array()
        .map(|pairs| {
            pairs
                .iter()
                .map(|p| {
                    (
                        p[0].as_str().unwrap_or("").to_string(),
                        p[1].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The text a `@default` value has in a query string or header.
fn default_text(default: &Value) -> String {
    match default {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether `name: value` (query or header, per `binding`) is a top-level input member's
/// `@default` that the line does not set.
fn is_unset_default(
    model: &Model,
    operation: &str,
    params: &Value,
    binding: &str,
    name: &str,
    value: &str,
) -> Option<String> {
    let (member, def) = model.input_binding(operation, binding, name)?;
    let default = def["traits"].get("smithy.api#default")?;
    (params.get(member).is_none() && default_text(default) == value).then(|| member.to_string())
}

/// Compares every request line with botocore's; returns the report and the operations seen.
pub fn check_requests(service: &str, model: &Model, lines: &[Line]) -> (Report, BTreeSet<String>) {
    let mut report = Report::default();
    let mut operations = BTreeSet::new();
    for line in lines {
        let operation = line.value["operation"].as_str().unwrap_or("?").to_string();
        let Some(value) = reconciled(model, &line.value, &mut report) else { continue };
        let value = &value;
        operations.insert(operation.clone());
        report.compared += 1;
        let mut ours = request_line(value);
        let expected = spec_expected_request(model, value, &operation, &mut report);
        if quirks_of(value).iter().any(|t| t == "timestamp-iso8601-microseconds") {
            ours = map_strings(&ours, &canonical_fractions);
        }
        let params = &value["params"];
        let mut diffs: Vec<Diff> = Vec::new();

        if ours.get("error").is_some() {
            diffs.push(("the request could not be built".into(), expected.clone(), ours.clone()));
        } else {
            for key in ["method", "path"] {
                if !json_eq(&ours[key], &expected[key]) {
                    diffs.push((key.into(), expected[key].clone(), ours[key].clone()));
                }
            }
            // Query pairs, as multisets (both sides are sorted).
            let mut extra = query_pairs(&ours["query"]);
            let mut missing = Vec::new();
            for pair in query_pairs(&expected["query"]) {
                match extra.iter().position(|p| *p == pair) {
                    Some(i) => {
                        extra.remove(i);
                    }
                    None => missing.push(pair),
                }
            }
            for (k, v) in extra {
                let what = match is_unset_default(
                    model,
                    &operation,
                    params,
                    "smithy.api#httpQuery",
                    &k,
                    &v,
                ) {
                    Some(member) => format!("query `{k}={v}`: {TOP_LEVEL_DEFAULT} (`{member}`)"),
                    None => format!("query: we send `{k}={v}`, botocore does not"),
                };
                diffs.push((what, expected["query"].clone(), ours["query"].clone()));
            }
            for (k, v) in missing {
                diffs.push((
                    format!("query: botocore sends `{k}={v}`, we do not"),
                    expected["query"].clone(),
                    ours["query"].clone(),
                ));
            }

            let empty = Map::new();
            let our_headers = ours["headers"].as_object().unwrap_or(&empty);
            let expected_headers = expected["headers"].as_object().unwrap_or(&empty);
            for (name, want) in expected_headers {
                let got =
                    our_headers.get(&name.to_ascii_lowercase()).cloned().unwrap_or(Value::Null);
                if got != *want {
                    diffs.push((format!("header `{name}`"), want.clone(), got));
                }
            }
            for (name, got) in our_headers {
                if !expected_headers.keys().any(|e| e.eq_ignore_ascii_case(name)) {
                    *report.extra_headers.entry(name.clone()).or_default() += 1;
                    // No extra header is allowed: botocore records every header the Smithy
                    // spec has a request send (Content-Type, x-amz*, and bound headers), and
                    // the generator adds no signing or user-agent headers.
                    let text = got.as_str().unwrap_or("");
                    let what = match is_unset_default(
                        model,
                        &operation,
                        params,
                        "smithy.api#httpHeader",
                        name,
                        text,
                    ) {
                        Some(member) => {
                            format!("header `{name}: {text}`: {TOP_LEVEL_DEFAULT} (`{member}`)")
                        }
                        None => format!("extra header `{name}`"),
                    };
                    diffs.push((what, Value::Null, got.clone()));
                }
            }

            let mut our_body = ours["body"].clone();
            let mut expected_body = expected["body"].clone();
            if value["token_autofilled"] == true {
                for member in TOKEN_MEMBERS {
                    if params.get(*member).is_some() {
                        continue;
                    }
                    let Some(want) =
                        expected_body.get(*member).and_then(Value::as_str).map(str::to_string)
                    else {
                        continue;
                    };
                    let got = our_body.get(*member).and_then(Value::as_str).map(str::to_string);
                    match got {
                        Some(got) if is_uuid_v4(&got) && is_uuid_v4(&want) => {
                            our_body[*member] = json!("<uuid-v4>");
                            expected_body[*member] = json!("<uuid-v4>");
                        }
                        got => diffs.push((
                            format!(
                                "autofilled token `{member}` is not a UUID v4 (botocore's: {})",
                                is_uuid_v4(&want)
                            ),
                            json!(want),
                            json!(got),
                        )),
                    }
                }
            }
            let mut allowed = BTreeSet::new();
            // The body is the input structure's body members, or the payload member's value.
            match model.input_payload(&operation) {
                Some((_, target)) => compare_shaped(
                    model,
                    Some(target),
                    &our_body,
                    &expected_body,
                    "body",
                    &mut diffs,
                    &mut allowed,
                ),
                None => {
                    let input = model.inputs.get(&operation).map(String::as_str);
                    compare_input_body(
                        model,
                        input,
                        &our_body,
                        &expected_body,
                        &mut diffs,
                        &mut allowed,
                    )
                }
            }
            for a in allowed {
                *report.spec_deviations.entry(a.describe().into()).or_default() += 1;
            }
            for key in ["body_text", "body_base64"] {
                if expected.get(key) != ours.get(key) {
                    diffs.push((
                        key.into(),
                        expected.get(key).cloned().unwrap_or(Value::Null),
                        ours.get(key).cloned().unwrap_or(Value::Null),
                    ));
                }
            }
        }

        let case = if value["token_autofilled"] == true {
            "token_autofilled".to_string()
        } else {
            case_of(value)
        };
        let mismatches = diffs
            .into_iter()
            .map(|(what, expected, actual)| Mismatch {
                file: "requests.jsonl",
                line: line.number,
                operation: operation.clone(),
                case: case.clone(),
                what,
                expected,
                actual,
            })
            .collect();
        report.record(service, mismatches);
    }
    (report, operations)
}

/// Output normalisations before the comparison, on both sides (`ours`, `botocore`):
///
/// - `@httpPrefixHeaders` maps: header names are case-insensitive (RFC 9110); botocore keeps
///   the case the response had, an `http::HeaderMap` lowercases. Keys are compared lowercased.
/// - An empty body with a blob, string or structure `@httpPayload` output member: botocore
///   reports `""` (its stream, read) or `{}`; the spec leaves the member unset (protocol tests
///   `RestJsonHttpPayloadTraitsWithNoBlobBody`, `RestJsonHttpPayloadWithStructureAndEmptyResponseBody`).
///   Counted as a spec-required difference.
fn normalise_output(
    model: &Model,
    operation: &str,
    line: &Value,
    ours: &mut Value,
    botocore: &mut Value,
    report: &mut Report,
) {
    let Some(shape) = model.output(operation).and_then(|s| model.shape(s)) else { return };
    if let Some(members) = shape["members"].as_object() {
        for (name, member) in members {
            if member["traits"].get("smithy.api#httpPrefixHeaders").is_none() {
                continue;
            }
            for side in [&mut *ours, &mut *botocore] {
                if let Some(Value::Object(map)) = side.get_mut(name.as_str()) {
                    *map = std::mem::take(map)
                        .into_iter()
                        .map(|(k, v)| (k.to_ascii_lowercase(), v))
                        .collect();
                }
            }
        }
    }
    let has_body = |key: &str| matches!(line[key].as_str(), Some(b) if !b.is_empty());
    let body_empty = !has_body("body") && !has_body("body_base64");
    if let (true, Some((member, _))) = (body_empty, model.output_payload(operation)) {
        let empty_value = botocore
            .get(member)
            .is_some_and(|v| v == "" || v.as_object().is_some_and(Map::is_empty));
        if empty_value && ours.get(member).is_none() {
            botocore.as_object_mut().expect("an output object").remove(member);
            *report
                .spec_deviations
                .entry("empty body with an @httpPayload output member: botocore reports \"\" or {}, Smithy leaves the member unset".into())
                .or_default() += 1;
        }
    }
}

/// Compares every response line with botocore's; returns the report, the operations seen and
/// the (operation, error shape) pairs our side read as modeled errors.
pub fn check_responses(
    service: &str,
    model: &Model,
    lines: &[Line],
) -> (Report, BTreeSet<String>, BTreeSet<(String, String)>) {
    let mut report = Report::default();
    let mut operations = BTreeSet::new();
    let mut modeled_seen = BTreeSet::new();
    for line in lines {
        let operation = line.value["operation"].as_str().unwrap_or("?").to_string();
        let Some(value) = reconciled(model, &line.value, &mut report) else { continue };
        let value = &value;
        if let Err(e) = build_response(value) {
            // botocore takes any dict as headers; an HTTP stack cannot carry, e.g., a header
            // name with `;` in it.
            skip(&mut report, &operation, &format!("not an HTTP response ({e})"));
            continue;
        }
        operations.insert(operation.clone());
        report.compared += 1;
        let ours = response_line(value);
        let expected = &value["expected"];
        let mut diffs: Vec<Diff> = Vec::new();

        if let Some(botocore_output) = expected.get("output") {
            match ours.get("output") {
                Some(output) => {
                    let (mut output, mut botocore_output) =
                        (output.clone(), botocore_output.clone());
                    normalise_output(
                        model,
                        &operation,
                        value,
                        &mut output,
                        &mut botocore_output,
                        &mut report,
                    );
                    let mut allowed = BTreeSet::new();
                    compare_shaped(
                        model,
                        model.output(&operation),
                        &output,
                        &botocore_output,
                        "output",
                        &mut diffs,
                        &mut allowed,
                    );
                    for a in allowed {
                        *report.spec_deviations.entry(a.describe().into()).or_default() += 1;
                    }
                }
                None => {
                    let ours_says = ours["message"]
                        .as_str()
                        .or(ours["error"]["deserialize"].as_str())
                        .unwrap_or("");
                    diffs.push((
                        format!("expected an output; ours: {ours_says}"),
                        botocore_output.clone(),
                        ours.clone(),
                    ))
                }
            }
        } else if expected.get("error").is_some() {
            let want = spec_expected_error(model, value, &operation, &mut report);
            match ours.get("error") {
                Some(got @ Value::Object(_)) if got.get("deserialize").is_none() => {
                    if let Some(shape) = got["shape"].as_str() {
                        modeled_seen.insert((operation.clone(), shape.to_string()));
                    }
                    let got = json!({
                        "shape": got["shape"],
                        "code": got["code"],
                        "message": norm_message(&got["message"]),
                        "status": got["status"],
                        "request_id": got["request_id"],
                        "fields": norm_fields(&got["fields"]),
                    });
                    for key in ["shape", "code", "message", "status", "request_id"] {
                        if !json_eq(&got[key], &want[key]) {
                            diffs.push((
                                format!("error.{key}"),
                                want[key].clone(),
                                got[key].clone(),
                            ));
                        }
                    }
                    // The members of a modeled error are compared like an output.
                    let error_shape = want["shape"]
                        .as_str()
                        .and_then(|name| model.errors.get(name))
                        .map(String::as_str);
                    let mut allowed = BTreeSet::new();
                    compare_shaped(
                        model,
                        error_shape,
                        &got["fields"],
                        &want["fields"],
                        "error.fields",
                        &mut diffs,
                        &mut allowed,
                    );
                    for a in allowed {
                        *report.spec_deviations.entry(a.describe().into()).or_default() += 1;
                    }
                }
                _ => diffs.push(("expected an error".into(), want, ours.clone())),
            }
        } else {
            diffs.push((
                "the fixture line has neither output nor error".into(),
                expected.clone(),
                Value::Null,
            ));
        }

        let mismatches = diffs
            .into_iter()
            .map(|(what, expected, actual)| Mismatch {
                file: "responses.jsonl",
                line: line.number,
                operation: operation.clone(),
                case: case_of(value),
                what,
                expected,
                actual,
            })
            .collect();
        report.record(service, mismatches);
    }
    (report, operations, modeled_seen)
}

// =============================================================================================
// 5. The tests
// =============================================================================================

/// One service's fixtures and model, with the crate `svc` generated from that model.
pub struct Service {
    /// The botocore service name (the fixture directory's name).
    pub name: String,
    pub fixture_dir: PathBuf,
    pub model: Model,
}

impl Service {
    pub fn new(name: &str, fixture_dir: PathBuf, model: &Path) -> Service {
        Service { name: name.to_string(), fixture_dir, model: Model::load(model) }
    }

    /// The service `name`, with its fixtures in `$BOTOCORE_FIXTURES/<name>` and its model at
    /// `$BOTOCORE_MODELS/<name>.json` (set by `tests/corpus.rs` for the crates it generates).
    pub fn from_env(name: &str) -> Service {
        let var = |key: &str| {
            std::env::var_os(key)
                .map(PathBuf::from)
                .unwrap_or_else(|| panic!("${key} is not set: run this test through `cargo test -p integration-tests --test corpus`"))
        };
        Service::new(
            name,
            var("BOTOCORE_FIXTURES").join(name),
            &var("BOTOCORE_MODELS").join(format!("{name}.json")),
        )
    }

    pub fn fixture(&self, file: &str) -> Vec<Line> {
        read_fixture(&self.fixture_dir.join(file))
    }

    /// Every operation of the crate (`svc::dynamic::OPERATIONS`).
    pub fn all_operations() -> BTreeSet<String> {
        dynamic::OPERATIONS.iter().map(|s| s.to_string()).collect()
    }

    /// Every request line matches botocore (or the spec, or a known failure), and every
    /// operation whose requests the fixtures do not skip has lines.
    pub fn requests_test(&self, min_lines: usize) -> Report {
        let lines = self.fixture("requests.jsonl");
        let (report, operations) = check_requests(&self.name, &self.model, &lines);
        let title = format!("{}/requests.jsonl", self.name);
        eprint!("{}", report.summary(&title));
        report.fail_if_mismatched(&title);
        report.fail_if_known_failures_stale(&self.name, "requests.jsonl");
        let mut want = Self::all_operations();
        for (service, operation) in SKIPPED_REQUESTS {
            if *service == self.name {
                want.remove(*operation);
            }
        }
        assert_eq!(operations, want, "{title} must cover every operation (but the skipped ones)");
        assert!(report.compared >= min_lines, "{title}: only {} lines", report.compared);
        report.fail_if_mostly_skipped(&title);
        report
    }

    /// Every response line matches botocore (or the spec, or a known failure), and every
    /// operation has lines.
    pub fn responses_test(&self, min_lines: usize) -> Report {
        let lines = self.fixture("responses.jsonl");
        let (report, operations, _) = check_responses(&self.name, &self.model, &lines);
        let title = format!("{}/responses.jsonl", self.name);
        eprint!("{}", report.summary(&title));
        report.fail_if_mismatched(&title);
        report.fail_if_known_failures_stale(&self.name, "responses.jsonl");
        assert_eq!(operations, Self::all_operations(), "{title} must cover every operation");
        assert!(report.compared >= min_lines, "{title}: only {} lines", report.compared);
        report.fail_if_mostly_skipped(&title);
        report
    }

    /// The model's operations are the crate's; the operations with an idempotency token are
    /// the ones with token-autofill lines; every declared error of every operation has
    /// fixture lines and is read as that modeled error (unless a known failure says why not).
    pub fn coverage_test(&self) {
        let model = &self.model;
        let model_operations: BTreeSet<String> = model.operations.keys().cloned().collect();
        assert_eq!(
            model_operations,
            Self::all_operations(),
            "dynamic::OPERATIONS must list the model's operations"
        );

        let requests = self.fixture("requests.jsonl");
        let responses = self.fixture("responses.jsonl");

        let autofilled: BTreeSet<&str> = requests
            .iter()
            .filter(|l| l.value["token_autofilled"] == true)
            .filter_map(|l| l.value["operation"].as_str())
            .collect();
        for (operation, input) in &model.inputs {
            if SKIPPED_REQUESTS.contains(&(self.name.as_str(), operation.as_str())) {
                continue;
            }
            let has_token =
                model.shape(input).and_then(|i| i["members"].as_object()).is_some_and(|m| {
                    m.values().any(|v| v["traits"].get("smithy.api#idempotencyToken").is_some())
                });
            assert_eq!(
                has_token,
                autofilled.contains(operation.as_str()),
                "{operation}: token_autofilled lines iff it has an idempotency token"
            );
        }

        let in_fixtures: BTreeSet<(String, String)> = responses
            .iter()
            .filter_map(|l| {
                let case = l.value["case"].as_str()?;
                let code = case.strip_prefix("modeled-error:")?.split(':').next()?;
                Some((l.value["operation"].as_str()?.to_string(), code.to_string()))
            })
            .collect();
        let (_, _, modeled_seen) = check_responses(&self.name, model, &responses);
        let mut missing = Vec::new();
        for (operation, (_, errors)) in &model.operations {
            for error in errors {
                let pair = (operation.clone(), error.clone());
                if !in_fixtures.contains(&pair) {
                    missing.push(format!("{operation}/{error}: no fixture line"));
                }
                if !modeled_seen.contains(&pair) {
                    missing.push(format!("{operation}/{error}: never read as that modeled error"));
                }
            }
        }
        let declared: usize = model.operations.values().map(|(_, e)| e.len()).sum();
        eprintln!(
            "== {}: coverage: {} operations, {declared} declared (operation, error) pairs, {} autofill operations",
            self.name,
            model.operations.len(),
            autofilled.len()
        );
        assert!(
            missing.is_empty(),
            "{}: modeled errors not covered:\n{}",
            self.name,
            missing.join("\n")
        );
    }
}

#[cfg(test)]
mod harness_tests {
    use super::*;

    #[test]
    fn timestamp_normalisation() {
        assert_eq!(canonical_rfc3339("2015-03-09T00:45:29.520Z"), "2015-03-09T00:45:29.52Z");
        assert_eq!(canonical_rfc3339("2015-03-09T00:45:29.000Z"), "2015-03-09T00:45:29Z");
        assert_eq!(canonical_rfc3339("2015-03-09T00:45:29Z"), "2015-03-09T00:45:29Z");
        assert_eq!(canonical_rfc3339("a.b"), "a.b");
        assert_eq!(
            canonical_fractions(
                "x=2015-03-09T00%3A45%3A29.095000Z&é=.123000Z 1.1234567890Z 1.000Z 1.20Z"
            ),
            "x=2015-03-09T00%3A45%3A29.095Z&é=.123000Z 1.1234567890Z 1Z 1.2Z"
        );
    }
}
