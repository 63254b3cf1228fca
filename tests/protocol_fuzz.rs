//! A bounded, deterministic no-panic property test of the generated Chime crate's by-name API
//! (`chime_sdk_meetings::dynamic`).
//!
//! - `deserialize_response`, for every operation, gets thousands of responses: random statuses,
//!   random and hostile headers (garbage and non-UTF-8 `X-Amzn-ErrorType`, `Retry-After`,
//!   request ids), and bodies made of random bytes, truncated and mutated fixture bodies,
//!   10 000-level nesting, huge numbers, wrong types for every member of the output and of
//!   every error shape, unicode escapes and lone surrogates.
//! - `serialize_request`, for every operation, gets random JSON params; a wrong type for any
//!   member must be `DynamicError::Params`.
//!
//! Every case runs under `catch_unwind`; the test fails listing the inputs that panicked (and
//! any broken invariant: a 2xx read as an error, an error whose status is not the response's,
//! a wrong-typed input accepted). The random numbers come from a seeded xorshift, so a run is
//! reproducible; `WIRE_FUZZ_CASES` (responses per operation, default 8000; a quarter of that for requests) and
//! `WIRE_FUZZ_SEED` change the run.
//!
//! Run: `cargo test -p integration-tests --test protocol_fuzz -- --nocapture`.

mod support;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, Once};

use chime_sdk_meetings::dynamic::{self, DynamicError, Outcome};
use chime_sdk_meetings::primitives::FixedTokens;
use serde_json::{json, Map, Value};

const DEFAULT_CASES: usize = 8000;
const DEFAULT_SEED: u64 = 0x5EED_C41E_2021_0715;
const NESTING: usize = 10_000;
/// How many failures are shown in full.
const SHOWN: usize = 25;

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        XorShift(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = self.below(max + 1);
        (0..len).map(|_| self.next() as u8).collect()
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn seed() -> u64 {
    std::env::var("WIRE_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_SEED)
}

// ---------------------------------------------------------------------------------------------
// The model and the fixtures
// ---------------------------------------------------------------------------------------------

struct Model {
    shapes: Map<String, Value>,
}

struct OperationInfo {
    input: Option<String>,
    output: Option<String>,
    errors: Vec<String>,
}

impl Model {
    fn load() -> Model {
        let path = support::root().join("model/chime-sdk-meetings.json");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ast: Value = serde_json::from_str(&text).expect("the model is JSON");
        Model { shapes: ast["shapes"].as_object().expect("shapes").clone() }
    }

    fn operation(&self, name: &str) -> OperationInfo {
        let (_, shape) = self
            .shapes
            .iter()
            .find(|(id, s)| s["type"] == "operation" && id.rsplit('#').next() == Some(name))
            .unwrap_or_else(|| panic!("the model has no operation {name}"));
        OperationInfo {
            input: shape["input"]["target"].as_str().map(str::to_string),
            output: shape["output"]["target"].as_str().map(str::to_string),
            errors: shape["errors"]
                .as_array()
                .map(|e| {
                    e.iter().filter_map(|t| t["target"].as_str()).map(str::to_string).collect()
                })
                .unwrap_or_default(),
        }
    }

    fn kind(&self, shape: &str) -> String {
        match shape.strip_prefix("smithy.api#") {
            Some(prelude) => prelude.to_ascii_lowercase(),
            None => {
                self.shapes.get(shape).and_then(|s| s["type"].as_str()).unwrap_or("").to_string()
            }
        }
    }

    /// A value of `shape` with every member set, up to a depth: in the document form (member
    /// names, every member), or as a JSON body (`wire`: `@jsonName`s, only body members).
    fn skeleton(&self, shape: &str, depth: usize, wire: bool) -> Value {
        let def = self.shapes.get(shape);
        match self.kind(shape).as_str() {
            "string" => json!("s"),
            "enum" => def
                .and_then(|d| d["members"].as_object())
                .and_then(|m| m.values().next())
                .and_then(|m| m["traits"]["smithy.api#enumValue"].as_str())
                .map(|v| json!(v))
                .unwrap_or(json!("x")),
            "boolean" => json!(true),
            "byte" | "short" | "integer" | "long" | "intenum" | "biginteger" => json!(1),
            "float" | "double" | "bigdecimal" => json!(1.5),
            "timestamp" => json!(0),
            "blob" => json!("AA=="),
            "document" => json!({"d": [1]}),
            "list" | "set" if depth > 0 => {
                let target =
                    def.and_then(|d| d["member"]["target"].as_str()).unwrap_or("smithy.api#String");
                json!([self.skeleton(target, depth - 1, wire)])
            }
            "map" if depth > 0 => {
                let target =
                    def.and_then(|d| d["value"]["target"].as_str()).unwrap_or("smithy.api#String");
                json!({ "k": self.skeleton(target, depth - 1, wire) })
            }
            "structure" | "union" if depth > 0 => {
                let mut out = Map::new();
                for (name, member) in
                    def.and_then(|d| d["members"].as_object()).into_iter().flatten()
                {
                    let traits = &member["traits"];
                    let bound = [
                        "httpHeader",
                        "httpResponseCode",
                        "httpLabel",
                        "httpQuery",
                        "httpQueryParams",
                        "httpPrefixHeaders",
                    ]
                    .iter()
                    .any(|t| traits.get(format!("smithy.api#{t}")).is_some());
                    if wire && bound {
                        continue;
                    }
                    let key = if wire {
                        traits["smithy.api#jsonName"].as_str().unwrap_or(name)
                    } else {
                        name
                    };
                    out.insert(
                        key.to_string(),
                        self.skeleton(member["target"].as_str().unwrap_or(""), depth - 1, wire),
                    );
                    if self.kind(shape) == "union" {
                        break;
                    }
                }
                Value::Object(out)
            }
            _ => json!({}),
        }
    }

    /// Values that are not of `shape`'s type in the document form (null is left out: it means
    /// "unset" for an optional member).
    fn wrong_values(&self, shape: &str) -> Vec<Value> {
        match self.kind(shape).as_str() {
            "string" | "enum" => vec![json!(5), json!(true), json!([]), json!({})],
            "boolean" => vec![json!(1), json!("true"), json!([]), json!({})],
            "byte" | "short" | "integer" | "long" | "intenum" => {
                vec![json!("1"), json!(true), json!([1]), json!({}), json!(1.5)]
            }
            "float" | "double" => vec![json!("x"), json!(true), json!([]), json!({})],
            "list" | "set" => vec![json!("x"), json!(1), json!(true), json!({})],
            "map" | "structure" | "union" => vec![json!("x"), json!(1), json!(false), json!([])],
            "timestamp" => vec![json!(true), json!([]), json!({}), json!("not a date")],
            "blob" => vec![json!(true), json!({}), json!(7)],
            _ => Vec::new(),
        }
    }

    /// Every (path, wrong value) of `doc`, a skeleton of `shape`: the document with that one
    /// member replaced.
    fn wrong_type_variants(&self, shape: &str, doc: &Value) -> Vec<Value> {
        let mut out = Vec::new();
        self.collect_wrong(shape, doc, &mut Vec::new(), doc, &mut out);
        out
    }

    fn collect_wrong(
        &self,
        shape: &str,
        here: &Value,
        path: &mut Vec<PathStep>,
        root: &Value,
        out: &mut Vec<Value>,
    ) {
        let def = self.shapes.get(shape);
        match (self.kind(shape).as_str(), here) {
            ("structure" | "union", Value::Object(map)) => {
                let members = def.and_then(|d| d["members"].as_object());
                for (key, value) in map {
                    let Some(member) = members.and_then(|m| {
                        m.get(key).or_else(|| {
                            m.values().find(|mm| {
                                mm["traits"]["smithy.api#jsonName"].as_str() == Some(key.as_str())
                            })
                        })
                    }) else {
                        continue;
                    };
                    let target = member["target"].as_str().unwrap_or("");
                    path.push(PathStep::Key(key.clone()));
                    for wrong in self.wrong_values(target) {
                        out.push(replace_at(root, path, wrong));
                    }
                    self.collect_wrong(target, value, path, root, out);
                    path.pop();
                }
            }
            ("list" | "set", Value::Array(items)) => {
                let target = def.and_then(|d| d["member"]["target"].as_str()).unwrap_or("");
                for (i, item) in items.iter().enumerate() {
                    path.push(PathStep::Index(i));
                    for wrong in self.wrong_values(target) {
                        out.push(replace_at(root, path, wrong));
                    }
                    self.collect_wrong(target, item, path, root, out);
                    path.pop();
                }
            }
            ("map", Value::Object(map)) => {
                let target = def.and_then(|d| d["value"]["target"].as_str()).unwrap_or("");
                for (key, value) in map {
                    path.push(PathStep::Key(key.clone()));
                    for wrong in self.wrong_values(target) {
                        out.push(replace_at(root, path, wrong));
                    }
                    self.collect_wrong(target, value, path, root, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// The member names of a structure (the keys of its document form).
    fn member_names(&self, shape: &str) -> Vec<String> {
        self.shapes
            .get(shape)
            .and_then(|d| d["members"].as_object())
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }
}

#[derive(Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn replace_at(root: &Value, path: &[PathStep], value: Value) -> Value {
    let mut out = root.clone();
    let mut here = &mut out;
    for step in path {
        here = match step {
            PathStep::Key(k) => &mut here[k.as_str()],
            PathStep::Index(i) => &mut here[*i],
        };
    }
    *here = value;
    out
}

fn fixture_lines(file: &str) -> Vec<Value> {
    let path = support::root().join("tests/wire/fixtures/chime-sdk-meetings").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("fixture line is JSON"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Failures
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Failures {
    cases: usize,
    /// What the cases came to (to see that the fuzzing reaches every path).
    outcomes: BTreeMap<&'static str, usize>,
    list: Vec<String>,
    by_kind: BTreeMap<String, usize>,
}

impl Failures {
    fn add(&mut self, kind: &str, detail: String) {
        *self.by_kind.entry(kind.to_string()).or_default() += 1;
        self.list.push(format!("{kind}: {detail}"));
    }

    fn finish(&self, what: &str) {
        eprintln!(
            "== {what}: {} cases, {} failures {:?}\n   outcomes: {:?}",
            self.cases,
            self.list.len(),
            self.by_kind,
            self.outcomes
        );
        if self.list.is_empty() {
            return;
        }
        let mut message = format!(
            "{what}: {} failures in {} cases {:?}\n",
            self.list.len(),
            self.cases,
            self.by_kind
        );
        for (i, f) in self.list.iter().take(SHOWN).enumerate() {
            message.push_str(&format!("\n[{}] {f}\n", i + 1));
        }
        if self.list.len() > SHOWN {
            message.push_str(&format!("\n... and {} more\n", self.list.len() - SHOWN));
        }
        panic!("{message}");
    }
}

/// Where the last caught panic happened (recorded by the hook [`quiet_panics`] installs).
static PANIC_LOCATION: Mutex<Option<String>> = Mutex::new(None);

/// The panic message of a caught panic, with where it happened.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "<non-string panic payload>".into());
    match PANIC_LOCATION.lock().ok().and_then(|l| l.clone()) {
        Some(location) => format!("{message} (at {location})"),
        None => message,
    }
}

thread_local! {
    /// Whether this thread is inside [`guarded`].
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps the panic hook from printing the (possibly thousands of) panics caught by
/// [`guarded`], which the tests report themselves; other panics, such as a test's final
/// failure, still go to the default hook. (The hook is process-wide and installed once.)
fn quiet_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(std::cell::Cell::get) {
                if let Ok(mut last) = PANIC_LOCATION.lock() {
                    *last = info.location().map(|l| l.to_string());
                }
            } else {
                default(info);
            }
        }));
    });
}

/// Runs one fuzz case, catching a panic.
fn guarded<R>(case: impl FnOnce() -> R) -> std::thread::Result<R> {
    GUARDED.with(|g| g.set(true));
    let result = catch_unwind(AssertUnwindSafe(case));
    GUARDED.with(|g| g.set(false));
    result
}

fn shorten(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut s: String = text.chars().take(300).collect::<String>().escape_debug().to_string();
    if text.chars().count() > 300 {
        s.push_str(&format!("... ({} bytes)", bytes.len()));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

const STATUSES: &[u16] = &[200, 201, 204, 400, 404, 429, 500, 503];
const ERROR_NAMES: &[&str] = &[
    "BadRequestException",
    "ConflictException",
    "ForbiddenException",
    "LimitExceededException",
    "NotFoundException",
    "ResourceNotFoundException",
    "ServiceFailureException",
    "ServiceUnavailableException",
    "ThrottlingException",
    "TooManyTagsException",
    "UnauthorizedException",
    "UnprocessableEntityException",
];

/// Bytes a header value may hold (`HeaderValue::from_bytes` accepts them): visible ASCII,
/// space, tab and obs-text (0x80..=0xFF, not UTF-8 on its own).
fn header_bytes(rng: &mut XorShift, max: usize) -> Vec<u8> {
    let len = rng.below(max + 1);
    (0..len)
        .map(|_| match rng.below(4) {
            0 => 0x80 + rng.below(0x80) as u8,
            1 => b'\t',
            _ => 0x20 + rng.below(0x5F) as u8,
        })
        .collect()
}

fn garbage_header(rng: &mut XorShift) -> http::HeaderValue {
    let fixed: &[&[u8]] = &[
        b"",
        b":",
        b"#",
        b"#:",
        b":#",
        b"a#",
        b"#b:c",
        b"\xff\xfe",
        b"\xc3\x28",
        b"com.amazonaws.chimesdkmeetings#",
        b"NotFoundException:",
        b"-1",
        b"99999999999999999999999999",
        b"1.5",
        b"Wed, 21 Oct 2015 07:28:00 GMT",
        b"  17  ",
        b"\xe6\xbc\xa2\xe5\xad\x97",
    ];
    let bytes: Vec<u8> = if rng.chance(40) {
        rng.pick(fixed).to_vec()
    } else if rng.chance(30) {
        let mut name = rng.pick(ERROR_NAMES).as_bytes().to_vec();
        name.extend(header_bytes(rng, 12));
        if rng.chance(50) {
            let mut ns = b"com.amazonaws.chimesdkmeetings#".to_vec();
            ns.extend(name);
            name = ns;
        }
        name
    } else {
        header_bytes(rng, 40)
    };
    http::HeaderValue::from_bytes(&bytes).unwrap_or_else(|_| http::HeaderValue::from_static("x"))
}

fn random_headers(rng: &mut XorShift) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    let names = [
        "x-amzn-errortype",
        "x-amzn-requestid",
        "retry-after",
        "content-type",
        "x-amz-request-id",
        "x-amzn-query-error",
    ];
    for name in names {
        if rng.chance(45) {
            let value = if name == "x-amzn-errortype" && rng.chance(40) {
                http::HeaderValue::from_static(rng.pick_str(ERROR_NAMES))
            } else if name == "content-type" && rng.chance(60) {
                http::HeaderValue::from_static("application/json")
            } else {
                garbage_header(rng)
            };
            headers.append(name, value.clone());
            if rng.chance(10) {
                // A repeated header.
                headers.append(name, garbage_header(rng));
            }
        }
    }
    if rng.chance(10) {
        let name = format!("x-random-{}", rng.below(1000));
        headers.insert(http::HeaderName::from_bytes(name.as_bytes()).unwrap(), garbage_header(rng));
    }
    headers
}

fn deep_nesting(rng: &mut XorShift) -> Vec<u8> {
    let n = NESTING;
    let mut s = String::new();
    let wrap = rng.chance(50);
    if wrap {
        let prefix = rng.pick_str(&[
            "{\"Meeting\": ",
            "{\"Attendees\": ",
            "{\"Tags\": ",
            "{\"message\": ",
            "{\"Attendee\": {\"Capabilities\": ",
        ]);
        s.push_str(prefix);
    }
    match rng.below(5) {
        0 => {
            s.push_str(&"[".repeat(n));
            s.push_str(&"]".repeat(n));
        }
        1 => {
            s.push_str(&"{\"a\":".repeat(n));
            s.push('1');
            s.push_str(&"}".repeat(n));
        }
        2 => s.push_str(&"[{\"x\":".repeat(n / 2)),
        3 => {
            s.push_str(&"[".repeat(n));
        }
        _ => {
            for i in 0..n {
                s.push_str(if i % 2 == 0 { "[" } else { "{\"k\":" });
            }
            s.push_str("null");
            for i in (0..n).rev() {
                s.push(if i % 2 == 0 { ']' } else { '}' });
            }
        }
    }
    if wrap {
        s.push('}');
        if s.starts_with("{\"Attendee\"") {
            s.push('}');
        }
    }
    s.into_bytes()
}

fn huge_number(rng: &mut XorShift) -> String {
    let digits: String = (0..400)
        .map(|i| if i == 0 { '9' } else { char::from(b'0' + rng.below(10) as u8) })
        .collect();
    rng.pick(&[
        "1e999999".to_string(),
        "-1e999999".to_string(),
        "1e-999999".to_string(),
        digits.clone(),
        format!("-{digits}"),
        format!("{digits}.5e10"),
        "18446744073709551616".to_string(),
        "-9223372036854775809".to_string(),
        "0.0000000000000000000000000000001e-400".to_string(),
        "-0".to_string(),
        "1E+2".to_string(),
    ])
    .clone()
}

/// A body carrying a huge number in a member of the output (or a bare one).
fn huge_number_body(rng: &mut XorShift, skeleton: &Value) -> Vec<u8> {
    let number = huge_number(rng);
    let mut doc = skeleton.clone();
    let paths = leaf_paths(&doc);
    if !paths.is_empty() && rng.chance(80) {
        let path = rng.pick(&paths).clone();
        doc = replace_at(&doc, &path, json!("@@NUMBER@@"));
        doc.to_string().replace("\"@@NUMBER@@\"", &number).into_bytes()
    } else {
        number.into_bytes()
    }
}

fn leaf_paths(doc: &Value) -> Vec<Vec<PathStep>> {
    fn walk(v: &Value, path: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    path.push(PathStep::Key(k.clone()));
                    out.push(path.clone());
                    walk(x, path, out);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    path.push(PathStep::Index(i));
                    out.push(path.clone());
                    walk(x, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut Vec::new(), &mut out);
    out
}

const STRING_ATTACKS: &[&str] = &[
    r#""\ud800""#,
    r#""\udc00""#,
    r#""\udc00\ud800""#,
    r#""\ud83c\udf89""#,
    r#""\ud83c""#,
    r#""\ud83cx""#,
    r#""\ud83c\u0041""#,
    r#""\u0000""#,
    r#""\u00""#,
    r#""\uZZZZ""#,
    r#""\u""#,
    r#""\x41""#,
    r#""\"#,
    "\"\u{2028}\u{2029}\u{feff}\"",
    "\"\t\"",
    "\"\u{1}\"",
    "\"\\/\\b\\f\\n\\r\\t\"",
];

/// Raw byte tricks inside a string value.
const BYTE_ATTACKS: &[&[u8]] = &[
    b"\"\xff\"",
    b"\"\xc0\x80\"",
    b"\"\xed\xa0\x80\"",
    b"\"\xf4\x90\x80\x80\"",
    b"\"\xe2\x82\"",
    b"\xef\xbb\xbf{}",
    b"\"\x00\"",
];

fn unicode_body(rng: &mut XorShift, skeleton: &Value) -> Vec<u8> {
    let paths = leaf_paths(skeleton);
    let attack: Vec<u8> = if rng.chance(60) {
        rng.pick(STRING_ATTACKS).as_bytes().to_vec()
    } else {
        rng.pick(BYTE_ATTACKS).to_vec()
    };
    if rng.chance(15) {
        // As an object key.
        let mut out = b"{".to_vec();
        out.extend_from_slice(&attack);
        out.extend_from_slice(b": 1}");
        return out;
    }
    let doc = if paths.is_empty() || rng.chance(10) {
        json!({"message": "@@X@@", "__type": "@@X@@"})
    } else {
        let path = rng.pick(&paths).clone();
        replace_at(skeleton, &path, json!("@@X@@"))
    };
    let text = doc.to_string();
    let marker = "\"@@X@@\"";
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find(marker) {
        out.extend_from_slice(&rest.as_bytes()[..i]);
        out.extend_from_slice(&attack);
        rest = &rest[i + marker.len()..];
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

fn mutate(rng: &mut XorShift, body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    match rng.below(6) {
        0 => {
            // Truncate.
            let at = rng.below(out.len() + 1);
            out.truncate(at);
        }
        _ => {
            let edits = 1 + rng.below(4);
            for _ in 0..edits {
                if out.is_empty() {
                    out.push(b'{');
                }
                let at = rng.below(out.len());
                match rng.below(5) {
                    0 => out[at] = rng.next() as u8,
                    1 => out[at] = *rng.pick(b"{}[]\",:\\0123456789-+.eEtfn \t\n"),
                    2 => {
                        out.remove(at);
                    }
                    3 => {
                        let piece = *rng.pick(&[
                            "null", "\"", "\\u", "{", "]", "1e999", ",", ":", "\u{ffff}", "-",
                        ]);
                        for (i, b) in piece.bytes().enumerate() {
                            out.insert((at + i).min(out.len()), b);
                        }
                    }
                    _ => {
                        let len = rng.below(8).min(out.len() - at);
                        let chunk = out[at..at + len].to_vec();
                        for (i, b) in chunk.into_iter().enumerate() {
                            out.insert((at + i).min(out.len()), b);
                        }
                    }
                }
            }
        }
    }
    out
}

/// The error bodies: a code somewhere, and the error's members (or wrong types for them).
fn error_body(rng: &mut XorShift, model: &Model, error: &str) -> Vec<u8> {
    let name = error.rsplit('#').next().unwrap_or(error);
    let mut doc = model.skeleton(error, 4, true);
    let variants = model.wrong_type_variants(error, &doc);
    if !variants.is_empty() && rng.chance(60) {
        doc = rng.pick(&variants).clone();
    }
    if let Value::Object(map) = &mut doc {
        match rng.below(6) {
            0 => {
                map.insert("__type".into(), json!(name));
            }
            1 => {
                map.insert("code".into(), json!(name));
            }
            2 => {
                map.insert(
                    "__type".into(),
                    json!(format!("com.amazonaws.chimesdkmeetings#{name}:http://x")),
                );
            }
            3 => {
                map.insert(
                    "code".into(),
                    rng.pick(&[json!(5), json!(null), json!([name]), json!({"x": name})]).clone(),
                );
            }
            4 => {
                map.insert(
                    "__type".into(),
                    rng.pick(&[json!(true), json!(""), json!("#"), json!(":")]).clone(),
                );
            }
            _ => {}
        }
        if rng.chance(30) {
            map.insert(
                rng.pick(&["message", "Message", "errorMessage"]).to_string(),
                rng.pick(&[json!(5), json!(null), json!(["m"]), json!({}), json!("ok")]).clone(),
            );
        }
    }
    let text = doc.to_string();
    if rng.chance(15) {
        mutate(rng, text.as_bytes())
    } else {
        text.into_bytes()
    }
}

struct ResponseCase {
    status: u16,
    headers: http::HeaderMap,
    body: Vec<u8>,
    source: &'static str,
}

fn response_case(
    rng: &mut XorShift,
    model: &Model,
    info: &OperationInfo,
    output_skeleton: &Value,
    output_variants: &[Value],
    fixture_bodies: &[Vec<u8>],
    index: usize,
) -> ResponseCase {
    let status = if rng.chance(80) { *rng.pick(STATUSES) } else { 100 + rng.below(500) as u16 };
    let mut headers = random_headers(rng);
    // Walk the wrong-type variants in order first, so every member gets each wrong type.
    let (body, source) = if index < output_variants.len() {
        (output_variants[index].to_string().into_bytes(), "wrong type for an output member")
    } else {
        match rng.below(9) {
            0 => (rng.bytes(256), "random bytes"),
            1 | 2 if !fixture_bodies.is_empty() => {
                let base = rng.pick(fixture_bodies).clone();
                (mutate(rng, &base), "mutated fixture body")
            }
            3 => (deep_nesting(rng), "deep nesting"),
            4 => (huge_number_body(rng, output_skeleton), "huge number"),
            5 => (unicode_body(rng, output_skeleton), "unicode escapes / bad UTF-8"),
            6 if !info.errors.is_empty() => {
                let error = rng.pick(&info.errors).clone();
                if rng.chance(50) {
                    let name = error.rsplit('#').next().unwrap_or(&error).to_string();
                    headers.insert("x-amzn-errortype", http::HeaderValue::from_str(&name).unwrap());
                }
                (error_body(rng, model, &error), "error body")
            }
            7 if !output_variants.is_empty() => (
                rng.pick(output_variants).to_string().into_bytes(),
                "wrong type for an output member",
            ),
            _ if !fixture_bodies.is_empty() => (rng.pick(fixture_bodies).clone(), "fixture body"),
            _ => (rng.bytes(64), "random bytes"),
        }
    };
    ResponseCase { status, headers, body, source }
}

fn check_response(operation: &str, case: &ResponseCase, failures: &mut Failures) {
    let mut builder = http::Response::builder().status(case.status);
    for (name, value) in &case.headers {
        builder = builder.header(name, value);
    }
    let response = builder.body(case.body.clone()).expect("a valid response");
    let describe = || {
        format!(
            "{operation} status {} ({})\n    headers: {:?}\n    body: {}",
            case.status,
            case.source,
            case.headers,
            shorten(&case.body)
        )
    };
    let result = guarded(|| {
        dynamic::deserialize_response(operation, &response, || serde_json::value::Serializer)
    });
    match result {
        Err(payload) => failures.add(
            "panic in deserialize_response",
            format!("{}\n    panic: {}", describe(), panic_text(&*payload)),
        ),
        Ok(result) => {
            let outcome = match &result {
                Ok(Outcome::Output(_)) => "output",
                Ok(Outcome::Error { fields: Some(_), .. }) => "modeled error",
                Ok(Outcome::Error { fields: None, .. }) => "unmodeled error",
                Err(DynamicError::Response(_)) => "deserialize error",
                Err(_) => "other error",
            };
            *failures.outcomes.entry(outcome).or_default() += 1;
            let success = (200..300).contains(&case.status);
            match result {
                Ok(Outcome::Output(_)) if !success => {
                    failures.add("non-2xx read as an output", describe())
                }
                Ok(Outcome::Output(_)) => {}
                Ok(Outcome::Error { report, .. }) => {
                    if success {
                        failures.add("2xx read as an error", describe());
                    } else if report.status != case.status {
                        failures.add(
                            "error status differs from the response's",
                            format!("{} (report: {})", describe(), report.status),
                        );
                    }
                }
                Err(DynamicError::Response(_)) if success => {}
                Err(e) => failures
                    .add("unexpected DynamicError", format!("{}\n    error: {e:?}", describe())),
            }
        }
    }
}

#[test]
fn deserialize_response_never_panics() {
    quiet_panics();
    let cases = env_usize("WIRE_FUZZ_CASES", DEFAULT_CASES);
    let model = Model::load();
    let fixtures = fixture_lines("responses.jsonl");
    let mut rng = XorShift::new(seed());
    let mut failures = Failures::default();
    for operation in dynamic::OPERATIONS {
        let info = model.operation(operation);
        let output_skeleton =
            info.output.as_deref().map(|o| model.skeleton(o, 6, true)).unwrap_or(json!({}));
        let output_variants = info
            .output
            .as_deref()
            .map(|o| model.wrong_type_variants(o, &output_skeleton))
            .unwrap_or_default();
        let fixture_bodies: Vec<Vec<u8>> = fixtures
            .iter()
            .filter(|l| l["operation"] == *operation)
            .filter_map(|l| l["body"].as_str())
            .filter(|b| !b.is_empty())
            .map(|b| b.as_bytes().to_vec())
            .chain(std::iter::once(output_skeleton.to_string().into_bytes()))
            .collect();
        for index in 0..cases {
            let case = response_case(
                &mut rng,
                &model,
                &info,
                &output_skeleton,
                &output_variants,
                &fixture_bodies,
                index,
            );
            failures.cases += 1;
            check_response(operation, &case, &mut failures);
        }
        // The skeleton output itself must read, and each wrong type must be a deserialize error.
        for (i, body) in std::iter::once(output_skeleton.to_string())
            .chain(output_variants.iter().map(Value::to_string))
            .enumerate()
        {
            let response =
                http::Response::builder().status(200).body(body.clone().into_bytes()).unwrap();
            failures.cases += 1;
            match guarded(|| {
                dynamic::deserialize_response(operation, &response, || {
                    serde_json::value::Serializer
                })
            }) {
                Err(payload) => failures.add(
                    "panic in deserialize_response",
                    format!("{operation} 200 body {body}\n    panic: {}", panic_text(&*payload)),
                ),
                Ok(Ok(Outcome::Output(_))) if i == 0 => {}
                Ok(Err(DynamicError::Response(_))) if i > 0 => {}
                Ok(other) => failures.add(
                    if i == 0 {
                        "a complete valid output was not read"
                    } else {
                        "a wrong-typed output member was accepted"
                    },
                    format!("{operation} 200 body {body}\n    result: {other:?}"),
                ),
            }
        }
        // Every member of every declared error, given each wrong type (the error is then read
        // as unmodeled, never a panic).
        for error in &info.errors {
            let name = error.rsplit('#').next().unwrap_or(error);
            let status = model.shapes[error.as_str()]["traits"]["smithy.api#httpError"]
                .as_u64()
                .unwrap_or(400) as u16;
            let skeleton = model.skeleton(error, 4, true);
            for body in
                std::iter::once(skeleton.clone()).chain(model.wrong_type_variants(error, &skeleton))
            {
                let mut headers = http::HeaderMap::new();
                headers.insert("x-amzn-errortype", http::HeaderValue::from_str(name).unwrap());
                if rng.chance(50) {
                    headers.insert("retry-after", garbage_header(&mut rng));
                }
                let case = ResponseCase {
                    status,
                    headers,
                    body: body.to_string().into_bytes(),
                    source: "wrong type for an error member",
                };
                failures.cases += 1;
                check_response(operation, &case, &mut failures);
            }
        }
    }
    failures.finish("deserialize_response");
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

fn random_value(rng: &mut XorShift, depth: usize, keys: &[String]) -> Value {
    let choice = if depth == 0 { rng.below(6) } else { rng.below(9) };
    match choice {
        0 => Value::Null,
        1 => json!(rng.chance(50)),
        2 => json!(rng.next() as i64),
        3 => json!(f64::from_bits(rng.next())),
        4 => {
            let s: String = (0..rng.below(12))
                .map(|_| {
                    *rng.pick(&[
                        'a', '/', '?', '#', '%', ' ', '+', '&', '=', 'é', '🎉', '\u{0}', '\n',
                        '\u{7f}', '"', '\\', 'Z',
                    ])
                })
                .collect();
            json!(s)
        }
        5 => json!(huge_number(rng).parse::<f64>().unwrap_or(0.0)),
        6 | 7 => {
            let mut map = Map::new();
            for _ in 0..rng.below(6) {
                let key = if !keys.is_empty() && rng.chance(70) {
                    rng.pick(keys).clone()
                } else {
                    format!("k{}", rng.below(50))
                };
                map.insert(key, random_value(rng, depth - 1, keys));
            }
            Value::Object(map)
        }
        _ => Value::Array((0..rng.below(5)).map(|_| random_value(rng, depth - 1, keys)).collect()),
    }
}

fn request_panics(
    operation: &str,
    params: &Value,
    failures: &mut Failures,
    expect_params_error: bool,
) {
    let tokens = FixedTokens::counter();
    failures.cases += 1;
    let result =
        guarded(|| dynamic::serialize_request(operation, params, "https://example.com", &tokens));
    let outcome = match &result {
        Err(_) => "panic",
        Ok(Ok(_)) => "request",
        Ok(Err(DynamicError::Params(_))) => "params error",
        Ok(Err(DynamicError::Request(_))) => "request error",
        Ok(Err(_)) => "other error",
    };
    *failures.outcomes.entry(outcome).or_default() += 1;
    match result {
        Err(payload) => failures.add(
            "panic in serialize_request",
            format!("{operation} params {params}\n    panic: {}", panic_text(&*payload)),
        ),
        Ok(Err(DynamicError::Params(_))) => {}
        Ok(Err(DynamicError::Request(_))) if !expect_params_error => {}
        Ok(Ok(_)) if !expect_params_error => {}
        Ok(other) => failures.add(
            if expect_params_error {
                "a wrong-typed input member was not a Params error"
            } else {
                "unexpected DynamicError"
            },
            format!(
                "{operation} params {params}\n    result: {:?}",
                other.map(|r| format!("{} {}", r.method(), r.uri()))
            ),
        ),
    }
}

#[test]
fn serialize_request_never_panics() {
    quiet_panics();
    let cases = env_usize("WIRE_FUZZ_CASES", DEFAULT_CASES) / 4;
    let model = Model::load();
    let fixtures = fixture_lines("requests.jsonl");
    let mut rng = XorShift::new(seed() ^ 0xA5A5);
    let mut failures = Failures::default();
    for operation in dynamic::OPERATIONS {
        let info = model.operation(operation);
        let input = info.input.clone().unwrap_or_default();
        let keys = model.member_names(&input);
        // Every member of a full input, given each wrong type: always a Params error.
        let skeleton = model.skeleton(&input, 6, false);
        request_panics(operation, &skeleton, &mut failures, false);
        for variant in model.wrong_type_variants(&input, &skeleton) {
            request_panics(operation, &variant, &mut failures, true);
        }
        let valid: Vec<&Value> = fixtures
            .iter()
            .filter(|l| l["operation"] == *operation)
            .map(|l| &l["params"])
            .collect();
        for _ in 0..cases {
            let params = match rng.below(4) {
                0 => random_value(&mut rng, 4, &keys),
                1 if !valid.is_empty() => {
                    // A valid input with one member (at any depth) replaced by random JSON.
                    let base = (*rng.pick(&valid)).clone();
                    let paths = leaf_paths(&base);
                    if paths.is_empty() {
                        base
                    } else {
                        let path = rng.pick(&paths).clone();
                        let replacement = random_value(&mut rng, 2, &keys);
                        replace_at(&base, &path, replacement)
                    }
                }
                2 => {
                    let mut map = Map::new();
                    for key in &keys {
                        if rng.chance(60) {
                            map.insert(key.clone(), random_value(&mut rng, 3, &keys));
                        }
                    }
                    Value::Object(map)
                }
                _ => (*rng.pick(&valid)).clone(),
            };
            request_panics(operation, &params, &mut failures, false);
        }
        // 10 000 levels of nesting in a member, through a streaming deserializer.
        for key in keys.iter().take(4) {
            for deep in [
                format!("{}{}", "[".repeat(NESTING), "]".repeat(NESTING)),
                "{\"a\":".repeat(NESTING),
            ] {
                let text = format!("{{\"{key}\": {deep}}}");
                let tokens = FixedTokens::counter();
                failures.cases += 1;
                let result = guarded(|| {
                    let mut de = serde_json::Deserializer::from_str(&text);
                    dynamic::serialize_request(operation, &mut de, "https://example.com", &tokens)
                        .map(|_| ())
                });
                match result {
                    Err(payload) => failures.add(
                        "panic in serialize_request",
                        format!("{operation} deep `{key}`\n    panic: {}", panic_text(&*payload)),
                    ),
                    Ok(Err(DynamicError::Params(_))) => {}
                    Ok(other) => failures.add(
                        "deep nesting was not a Params error",
                        format!("{operation} deep `{key}`: {other:?}"),
                    ),
                }
            }
        }
    }
    failures.finish("serialize_request");
}

/// The harness itself: a panic inside the by-name API is caught by `catch_unwind` (it does not
/// abort the process), so the property tests can report the input.
#[test]
fn panics_inside_the_api_are_caught() {
    quiet_panics();
    let response = http::Response::builder().status(200).body(b"{}".to_vec()).unwrap();
    let caught = guarded(|| {
        dynamic::deserialize_response(
            "GetMeeting",
            &response,
            || -> serde_json::value::Serializer { panic!("from the serializer factory") },
        )
    });
    let payload = caught.expect_err("the factory panics");
    let text = panic_text(&*payload);
    assert!(text.starts_with("from the serializer factory (at tests/protocol_fuzz.rs:"), "{text}");
}
