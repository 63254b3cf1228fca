//! The generated Chime crate's wire layer against botocore: every line of
//! `tests/wire/fixtures/chime-sdk-meetings/{requests,responses}.jsonl` (see
//! `tests/wire/README.md`) goes through the same in-process functions as
//! `cargo xtask wire request|response`, and the result is compared with botocore's.
//!
//! Where a line is tagged with a `botocore_quirks` value whose behaviour contradicts the Smithy
//! restJson1 specification, the Smithy behaviour is asserted instead and the deviation counted.
//! A few differences are only in how botocore *represents* a result (`""` for a missing
//! message, `Code`/`Message` left out of the error fields); those are normalised, not counted.
//!
//! Only chime-sdk-meetings is compared: the other services' fixtures need their generated
//! crates, which are not workspace members, so they cannot be called in-process.
//!
//! Run: `cargo test -p integration-tests --test wire_conformance -- --nocapture` (the summary
//! goes to stderr).

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chime_sdk_meetings::dynamic;
use chime_sdk_meetings::primitives::{is_uuid_v4, FixedTokens, RandomTokens};
use serde_json::{json, Map, Value};

const SERVICE: &str = "chime-sdk-meetings";
/// The members botocore fills in with `uuid4()` when left out (README, "Idempotency tokens").
const TOKEN_MEMBERS: &[&str] = &["ClientRequestToken", "ClientToken", "CallbackId"];
/// How many mismatches are printed in full.
const SHOWN_IN_FULL: usize = 30;

// ---------------------------------------------------------------------------------------------
// Fixtures and the model
// ---------------------------------------------------------------------------------------------

struct Line {
    number: usize,
    value: Value,
}

/// The fixture directory: `tests/wire/fixtures/chime-sdk-meetings`, or `$WIRE_FIXTURE_DIR`
/// (for freshly regenerated fixtures, or to check that the comparison catches a doctored line).
fn fixture_dir() -> std::path::PathBuf {
    std::env::var_os("WIRE_FIXTURE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| support::root().join("tests/wire/fixtures").join(SERVICE))
}

fn fixture(file: &str) -> Vec<Line> {
    let path = fixture_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Line {
            number: i + 1,
            value: serde_json::from_str(l).unwrap_or_else(|e| panic!("{file}:{}: {e}", i + 1)),
        })
        .collect()
}

/// What the conformance checks need from the Smithy model.
struct Model {
    shapes: Map<String, Value>,
    /// Operation name -> (output shape id, declared error names).
    operations: BTreeMap<String, (Option<String>, Vec<String>)>,
    /// Operation name -> input shape id.
    inputs: BTreeMap<String, String>,
}

impl Model {
    fn load() -> Model {
        let path = support::root().join("model/chime-sdk-meetings.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ast: Value = serde_json::from_str(&text).expect("the model is JSON");
        let shapes = ast["shapes"].as_object().expect("the model has shapes").clone();
        let mut operations = BTreeMap::new();
        let mut inputs = BTreeMap::new();
        for (id, shape) in &shapes {
            if shape["type"] != "operation" {
                continue;
            }
            let name = id.rsplit('#').next().unwrap().to_string();
            let output = shape["output"]["target"].as_str().map(str::to_string);
            let errors = shape["errors"]
                .as_array()
                .map(|errors| {
                    errors
                        .iter()
                        .filter_map(|e| e["target"].as_str())
                        .map(|t| t.rsplit('#').next().unwrap().to_string())
                        .collect()
                })
                .unwrap_or_default();
            if let Some(input) = shape["input"]["target"].as_str() {
                inputs.insert(name.clone(), input.to_string());
            }
            operations.insert(name, (output, errors));
        }
        Model { shapes, operations, inputs }
    }

    fn shape(&self, id: &str) -> Option<&Value> {
        self.shapes.get(id)
    }

    fn declared_errors(&self, operation: &str) -> &[String] {
        self.operations.get(operation).map(|(_, e)| e.as_slice()).unwrap_or(&[])
    }
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

struct Mismatch {
    file: &'static str,
    line: usize,
    operation: String,
    case: String,
    what: String,
    expected: Value,
    actual: Value,
}

#[derive(Default)]
struct Report {
    compared: usize,
    passed: usize,
    /// Lines where a `botocore_quirks` tag made the test assert the spec, not botocore.
    quirk_deviations: BTreeMap<String, usize>,
    /// Other differences from botocore that the Smithy spec requires (not tagged in the fixtures).
    spec_deviations: BTreeMap<String, usize>,
    /// Headers our requests send that botocore's do not (name -> lines).
    extra_headers: BTreeMap<String, usize>,
    mismatches: Vec<Mismatch>,
}

impl Report {
    fn summary(&self, title: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "== {title}: {} lines compared, {} passed, {} failed", self.compared, self.passed, self.compared - self.passed);
        if !self.quirk_deviations.is_empty() {
            let _ = writeln!(s, "   spec asserted instead of botocore (botocore_quirks tag: lines):");
            for (tag, n) in &self.quirk_deviations {
                let _ = writeln!(s, "     {tag}: {n}");
            }
        }
        if !self.spec_deviations.is_empty() {
            let _ = writeln!(s, "   other spec-required differences from botocore (untagged: lines):");
            for (tag, n) in &self.spec_deviations {
                let _ = writeln!(s, "     {tag}: {n}");
            }
        }
        if !self.extra_headers.is_empty() {
            let _ = writeln!(s, "   headers we send that botocore does not (name: lines): {:?}", self.extra_headers);
        }
        s
    }

    fn fail_if_mismatched(&self, title: &str) {
        if self.mismatches.is_empty() {
            return;
        }
        let mut s = format!("{title}: {} mismatches on {} of {} lines\n", self.mismatches.len(), self.compared - self.passed, self.compared);
        for (i, m) in self.mismatches.iter().enumerate() {
            if i < SHOWN_IN_FULL {
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
                let _ = writeln!(s, "[{}] {}:{} {} ({}): {}", i + 1, m.file, m.line, m.operation, m.case, m.what);
            }
        }
        panic!("{s}");
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`) and object key order is
/// ignored.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
            (Some(x), Some(y), _, _) => x == y,
            (_, _, Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// Whether `value` is the document form of the value Smithy's client error correction gives a
/// missing `@required` member targeting `shape` (a zero value: `""`, `0`, `false`, `[]`, `{}`,
/// epoch 0, and an unknown (empty) enum value).
fn is_error_correction_default(model: &Model, shape: &str, value: &Value) -> bool {
    let kind = match shape.strip_prefix("smithy.api#") {
        Some(prelude) => prelude.to_ascii_lowercase(),
        None => model.shape(shape).and_then(|s| s["type"].as_str()).unwrap_or("").to_string(),
    };
    match kind.as_str() {
        "string" | "enum" | "blob" => value == "",
        "boolean" | "primitiveboolean" => value == false,
        "byte" | "short" | "integer" | "long" | "float" | "double" | "intenum" | "biginteger" | "bigdecimal"
        | "primitivebyte" | "primitiveshort" | "primitiveinteger" | "primitivelong" | "primitivefloat"
        | "primitivedouble" => value.as_f64() == Some(0.0),
        "timestamp" => value == "1970-01-01T00:00:00Z" || value.as_f64() == Some(0.0),
        "list" | "set" => value.as_array().is_some_and(Vec::is_empty),
        "map" | "structure" => value.as_object().is_some_and(Map::is_empty),
        "document" => value.is_null(),
        _ => false,
    }
}

/// Why a member may be in our result and not in botocore's, per the Smithy spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Allowed {
    /// A missing `@required` output member: client error correction fills in its zero value.
    ErrorCorrection,
    /// A member with a `@default` value: "All effective default values SHOULD be serialized"
    /// (requests), and a deserializer fills the default in (outputs). botocore ignores
    /// `@default`.
    DefaultValue,
}

impl Allowed {
    fn describe(self) -> &'static str {
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
        .find(|(name, m)| m["traits"]["smithy.api#jsonName"].as_str().unwrap_or(name.as_str()) == key)
        .or_else(|| members.get_key_value(key))
        .map(|(_, m)| m)
}

/// Compares a value of shape `shape` (an output or a request body, or part of one) with
/// botocore's, walking the model so that members the Smithy spec adds are told apart from
/// real extras.
fn compare_shaped(
    model: &Model,
    shape: Option<&str>,
    ours: &Value,
    botocore: &Value,
    path: &str,
    diffs: &mut Vec<(String, Value, Value)>,
    allowed: &mut BTreeSet<Allowed>,
) {
    let def = shape.and_then(|s| model.shape(s));
    let kind = def.and_then(|d| d["type"].as_str()).unwrap_or("");
    match (kind, ours, botocore) {
        ("structure" | "union", Value::Object(o), Value::Object(b)) => {
            let keys: BTreeSet<&String> = o.keys().chain(b.keys()).collect();
            for key in keys {
                let member = def.and_then(|d| member_for(d, key));
                let target = member.and_then(|m| m["target"].as_str());
                let sub = format!("{path}.{key}");
                match (o.get(key.as_str()), b.get(key.as_str())) {
                    (Some(x), Some(y)) => compare_shaped(model, target, x, y, &sub, diffs, allowed),
                    (Some(x), None) => {
                        let traits = member.map(|m| &m["traits"]);
                        let required = traits.is_some_and(|t| t.get("smithy.api#required").is_some());
                        let default = traits.and_then(|t| t.get("smithy.api#default"));
                        if default.is_some_and(|d| json_eq(d, x)) {
                            allowed.insert(Allowed::DefaultValue);
                        } else if required && target.is_some_and(|t| is_error_correction_default(model, t, x)) {
                            allowed.insert(Allowed::ErrorCorrection);
                        } else {
                            diffs.push((format!("{sub}: we have a member botocore does not"), Value::Null, x.clone()));
                        }
                    }
                    (None, Some(y)) => diffs.push((format!("{sub}: missing"), y.clone(), Value::Null)),
                    (None, None) => unreachable!(),
                }
            }
        }
        ("list" | "set", Value::Array(o), Value::Array(b)) if o.len() == b.len() => {
            let target = def.and_then(|d| d["member"]["target"].as_str());
            for (i, (x, y)) in o.iter().zip(b).enumerate() {
                compare_shaped(model, target, x, y, &format!("{path}[{i}]"), diffs, allowed);
            }
        }
        ("map", Value::Object(o), Value::Object(b)) if o.len() == b.len() && o.keys().all(|k| b.contains_key(k)) => {
            let target = def.and_then(|d| d["value"]["target"].as_str());
            for (k, x) in o {
                compare_shaped(model, target, x, &b[k], &format!("{path}.{k}"), diffs, allowed);
            }
        }
        _ => {
            if !json_eq(ours, botocore) {
                diffs.push((format!("{path}: differs"), botocore.clone(), ours.clone()));
            }
        }
    }
}

fn case_of(line: &Value) -> String {
    line["case"].as_str().map(str::to_string).unwrap_or_else(|| "-".into())
}

fn quirks_of(line: &Value) -> Vec<String> {
    line["botocore_quirks"]
        .as_array()
        .map(|tags| tags.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

fn check_requests(model: &Model, lines: &[Line]) -> (Report, BTreeSet<String>) {
    let mut report = Report::default();
    let mut operations = BTreeSet::new();
    for line in lines {
        let value = &line.value;
        let operation = value["operation"].as_str().unwrap_or("?").to_string();
        operations.insert(operation.clone());
        report.compared += 1;
        let ours = xtask::wire::request_line(value);
        let expected = &value["expected"];
        let mut diffs: Vec<(String, Value, Value)> = Vec::new();

        if ours.get("error").is_some() {
            diffs.push(("the request could not be built".into(), expected.clone(), ours.clone()));
        } else {
            for key in ["method", "path", "query"] {
                if !json_eq(&ours[key], &expected[key]) {
                    diffs.push((key.into(), expected[key].clone(), ours[key].clone()));
                }
            }
            let empty = Map::new();
            let our_headers = ours["headers"].as_object().unwrap_or(&empty);
            let expected_headers = expected["headers"].as_object().unwrap_or(&empty);
            for (name, want) in expected_headers {
                let got = our_headers.get(&name.to_ascii_lowercase()).cloned().unwrap_or(Value::Null);
                if got != *want {
                    diffs.push((format!("header `{name}`"), want.clone(), got));
                }
            }
            for name in our_headers.keys() {
                if !expected_headers.keys().any(|e| e.eq_ignore_ascii_case(name)) {
                    *report.extra_headers.entry(name.clone()).or_default() += 1;
                    // No extra header is allowed: botocore records every header the Smithy
                    // spec has a request send (Content-Type, x-amz*, and bound headers), and
                    // the generator adds no signing or user-agent headers.
                    diffs.push((format!("extra header `{name}`"), Value::Null, our_headers[name].clone()));
                }
            }

            let mut our_body = ours["body"].clone();
            let mut expected_body = expected["body"].clone();
            if value["token_autofilled"] == true {
                for member in TOKEN_MEMBERS {
                    if value["params"].get(*member).is_some() {
                        continue;
                    }
                    let Some(want) = expected_body.get(*member).and_then(Value::as_str).map(str::to_string) else { continue };
                    let got = our_body.get(*member).and_then(Value::as_str).map(str::to_string);
                    match got {
                        Some(got) if is_uuid_v4(&got) && is_uuid_v4(&want) => {
                            our_body[*member] = json!("<uuid-v4>");
                            expected_body[*member] = json!("<uuid-v4>");
                        }
                        got => diffs.push((
                            format!("autofilled token `{member}` is not a UUID v4 (botocore's: {})", is_uuid_v4(&want)),
                            json!(want),
                            json!(got),
                        )),
                    }
                }
            }
            let mut allowed = BTreeSet::new();
            let input = model.inputs.get(&operation).map(String::as_str);
            compare_shaped(model, input, &our_body, &expected_body, "body", &mut diffs, &mut allowed);
            for a in allowed {
                *report.spec_deviations.entry(a.describe().into()).or_default() += 1;
            }
            for key in ["body_text", "body_base64"] {
                if expected.get(key) != ours.get(key) {
                    diffs.push((key.into(), expected.get(key).cloned().unwrap_or(Value::Null), ours.get(key).cloned().unwrap_or(Value::Null)));
                }
            }
        }

        if diffs.is_empty() {
            report.passed += 1;
        }
        for (what, expected, actual) in diffs {
            report.mismatches.push(Mismatch {
                file: "requests.jsonl",
                line: line.number,
                operation: operation.clone(),
                case: if value["token_autofilled"] == true { "token_autofilled".into() } else { "-".into() },
                what,
                expected,
                actual,
            });
        }
    }
    (report, operations)
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/// The response header `name` of a fixture line (names keep their case there).
fn line_header<'a>(line: &'a Value, name: &str) -> Option<&'a str> {
    line["headers"].as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str())
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
    let field = |key: &str| body.as_ref().and_then(|b| b.get(key)).and_then(Value::as_str).map(str::to_string);
    let raw = line_header(line, "x-amzn-errortype").map(str::to_string).or_else(|| field("code")).or_else(|| field("__type"))?;
    let cut = raw.split(':').next().unwrap_or("");
    let code = cut.rsplit('#').next().unwrap_or("");
    (!code.is_empty()).then(|| code.to_string())
}

/// The message an error body carries (`message`, `Message`, `errorMessage`), if it is JSON.
fn spec_error_message(line: &Value) -> Option<String> {
    let body = line_body_object(line)?;
    ["message", "Message", "errorMessage"].iter().find_map(|k| body.get(*k).and_then(Value::as_str).map(str::to_string))
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
                .filter(|(k, _)| !k.eq_ignore_ascii_case("code") && !k.eq_ignore_ascii_case("message"))
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
    let mut deviated = |tag: &str, changed: bool| {
        if changed {
            *report.quirk_deviations.entry(tag.to_string()).or_default() += 1;
        }
    };
    for tag in quirks_of(line) {
        match tag.as_str() {
            // The spec reads the code only from X-Amzn-Errortype, body `code` and `__type`:
            // no capitalised `Code`, and no HTTP status standing in for a code.
            "error-code-from-status" | "body-Code-as-error-code" => {
                let spec = json!(spec_error_code(line));
                deviated(&tag, spec != code);
                code = spec;
            }
            // A body that is not JSON has no message; the raw body is not one.
            "unparseable-body-as-message" => {
                let spec = norm_message(&json!(spec_error_message(line)));
                deviated(&tag, spec != message);
                message = spec;
            }
            // No message in the body means no message (not the reason phrase), and the
            // request id still comes from `x-amzn-RequestId`.
            "generic-5xx-reason-phrase-message" => {
                let spec_message = norm_message(&json!(spec_error_message(line)));
                let spec_request_id = json!(line_header(line, "x-amzn-requestid"));
                deviated(&tag, spec_message != message || spec_request_id != request_id);
                message = spec_message;
                request_id = spec_request_id;
            }
            // An error the operation does not declare is unmodeled for that operation: no
            // modeled members are read (checked below, as for every unmodeled error).
            "undeclared-error-modeled-fields" => {
                deviated(&tag, fields.as_object().is_some_and(|f| !f.is_empty()));
            }
            other => {
                *report.spec_deviations.entry(format!("unknown botocore_quirks tag `{other}` (botocore asserted)")).or_default() += 1;
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

fn check_responses(model: &Model, lines: &[Line]) -> (Report, BTreeSet<String>, BTreeSet<(String, String)>) {
    let mut report = Report::default();
    let mut operations = BTreeSet::new();
    // (operation, error shape) pairs our side read as modeled errors.
    let mut modeled_seen = BTreeSet::new();
    for line in lines {
        let value = &line.value;
        let operation = value["operation"].as_str().unwrap_or("?").to_string();
        operations.insert(operation.clone());
        report.compared += 1;
        let ours = xtask::wire::response_line(value);
        let expected = &value["expected"];
        let mut diffs: Vec<(String, Value, Value)> = Vec::new();

        if let Some(botocore_output) = expected.get("output") {
            match ours.get("output") {
                Some(output) => {
                    let mut allowed = BTreeSet::new();
                    let shape = model.operations.get(&operation).and_then(|(o, _)| o.as_deref());
                    compare_shaped(model, shape, output, botocore_output, "output", &mut diffs, &mut allowed);
                    for a in allowed {
                        *report.spec_deviations.entry(a.describe().into()).or_default() += 1;
                    }
                }
                None => diffs.push(("expected an output".into(), botocore_output.clone(), ours["error"].clone())),
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
                    for key in ["shape", "code", "message", "status", "request_id", "fields"] {
                        if !json_eq(&got[key], &want[key]) {
                            diffs.push((format!("error.{key}"), want[key].clone(), got[key].clone()));
                        }
                    }
                }
                _ => diffs.push(("expected an error".into(), want, ours.clone())),
            }
        } else {
            diffs.push(("the fixture line has neither output nor error".into(), expected.clone(), Value::Null));
        }

        if diffs.is_empty() {
            report.passed += 1;
        }
        for (what, expected, actual) in diffs {
            report.mismatches.push(Mismatch {
                file: "responses.jsonl",
                line: line.number,
                operation: operation.clone(),
                case: case_of(value),
                what,
                expected,
                actual,
            });
        }
    }
    (report, operations, modeled_seen)
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

fn all_operations() -> BTreeSet<String> {
    dynamic::OPERATIONS.iter().map(|s| s.to_string()).collect()
}

#[test]
fn requests_match_botocore() {
    let model = Model::load();
    let lines = fixture("requests.jsonl");
    let (report, operations) = check_requests(&model, &lines);
    eprintln!("{}", report.summary(&format!("{SERVICE}/requests.jsonl")));
    report.fail_if_mismatched(&format!("{SERVICE}/requests.jsonl"));
    assert_eq!(operations, all_operations(), "requests.jsonl must cover every operation");
    assert!(report.compared >= 300, "only {} request lines", report.compared);
}

#[test]
fn responses_match_botocore() {
    let model = Model::load();
    let lines = fixture("responses.jsonl");
    let (report, operations, _) = check_responses(&model, &lines);
    eprintln!("{}", report.summary(&format!("{SERVICE}/responses.jsonl")));
    report.fail_if_mismatched(&format!("{SERVICE}/responses.jsonl"));
    assert_eq!(operations, all_operations(), "responses.jsonl must cover every operation");
    assert!(report.compared >= 600, "only {} response lines", report.compared);
}

#[test]
fn fixtures_cover_every_operation_and_modeled_error() {
    let model = Model::load();
    let model_operations: BTreeSet<String> = model.operations.keys().cloned().collect();
    assert_eq!(model_operations, all_operations(), "dynamic::OPERATIONS must list the model's operations");

    let requests = fixture("requests.jsonl");
    let responses = fixture("responses.jsonl");

    // Every operation with an idempotency token has token-autofill lines.
    let autofilled: BTreeSet<&str> = requests
        .iter()
        .filter(|l| l.value["token_autofilled"] == true)
        .filter_map(|l| l.value["operation"].as_str())
        .collect();
    for (id, shape) in &model.shapes {
        if shape["type"] != "operation" {
            continue;
        }
        let name = id.rsplit('#').next().unwrap();
        let input = shape["input"]["target"].as_str().and_then(|t| model.shape(t));
        let has_token = input
            .and_then(|i| i["members"].as_object())
            .is_some_and(|m| m.values().any(|v| v["traits"].get("smithy.api#idempotencyToken").is_some()));
        assert_eq!(has_token, autofilled.contains(name), "{name}: token_autofilled lines iff it has an idempotency token");
    }

    // Every declared error of every operation is in the fixtures and read as that shape.
    let in_fixtures: BTreeSet<(String, String)> = responses
        .iter()
        .filter_map(|l| {
            let case = l.value["case"].as_str()?;
            let code = case.strip_prefix("modeled-error:")?.split(':').next()?;
            Some((l.value["operation"].as_str()?.to_string(), code.to_string()))
        })
        .collect();
    let (_, _, modeled_seen) = check_responses(&model, &responses);
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
    eprintln!("== coverage: {} operations, {declared} declared (operation, error) pairs, {} autofill operations", model.operations.len(), autofilled.len());
    assert!(missing.is_empty(), "modeled errors not covered:\n{}", missing.join("\n"));
}

/// `--tokens fixed` numbers the tokens across lines; explicit tokens are sent as given.
#[test]
fn token_providers_fill_only_unset_tokens() {
    let line = json!({"operation": "CreateMeeting", "params": {"MediaRegion": "us-east-1", "ExternalMeetingId": "x"}, "case": 7});
    let fixed = FixedTokens::counter();
    let first = xtask::wire::request_line_with(&line, &fixed);
    let second = xtask::wire::request_line_with(&line, &fixed);
    assert_eq!(first["body"]["ClientRequestToken"], "00000000-0000-4000-8000-000000000001");
    assert_eq!(second["body"]["ClientRequestToken"], "00000000-0000-4000-8000-000000000002");
    assert_eq!(first["case"], 7, "other keys are echoed");
    assert_eq!(first["operation"], "CreateMeeting");

    let random = xtask::wire::request_line_with(&line, &RandomTokens::new());
    assert!(is_uuid_v4(random["body"]["ClientRequestToken"].as_str().unwrap()), "{random}");

    let explicit = json!({"operation": "CreateMeeting", "params": {"ClientRequestToken": "mine", "MediaRegion": "r", "ExternalMeetingId": "x"}});
    assert_eq!(xtask::wire::request_line_with(&explicit, &fixed)["body"]["ClientRequestToken"], "mine");
    assert_eq!(fixed.made(), 2, "an explicit token takes none from the provider");
}

#[test]
fn bad_lines_become_error_lines() {
    let unknown = xtask::wire::request_line(&json!({"operation": "Nope", "params": {}, "expected": 1}));
    assert_eq!(unknown["error"], "unknown-operation", "{unknown}");
    assert_eq!(unknown["expected"], 1);
    let params = xtask::wire::request_line(&json!({"operation": "GetMeeting", "params": {"MeetingId": 5}}));
    assert_eq!(params["error"], "params", "{params}");
    let label = xtask::wire::request_line(&json!({"operation": "GetMeeting", "params": {}}));
    assert_eq!(label["error"], "request", "{label}");
    let no_op = xtask::wire::response_line(&json!({"status": 200}));
    assert_eq!(no_op["error"], "invalid-line", "{no_op}");
    let unreadable = xtask::wire::response_line(&json!({"operation": "GetMeeting", "status": 200, "body": "{\"Meeting\": 5}", "case": "c"}));
    assert!(unreadable["error"]["shape"].is_null() && unreadable["error"]["deserialize"].is_string(), "{unreadable}");
    assert_eq!(unreadable["case"], "c");
    let binary = xtask::wire::response_line(&json!({"operation": "GetMeeting", "status": 200, "body_base64": "e30="}));
    assert_eq!(binary["output"], json!({}), "{binary}");
}
