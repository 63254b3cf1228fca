//! `cargo xtask wire request|response`: the generated chime-sdk-meetings crate's protocol layer,
//! driven by JSON lines, for comparing it with other SDKs (see `tests/wire/README.md`).
//!
//! Both commands read one JSON object per line on stdin and print one JSON object per line.
//! Every top-level key of an input line that the command does not read itself (`expected`,
//! `case`, `token_autofilled`, `botocore_quirks`, ...) is echoed back, and so is `operation`.
//!
//! - `request`: `{"operation", "params"}` (the input in the document form: model member names,
//!   as boto3 takes them) becomes `{"method", "path", "query", "headers", "body"}`, in the
//!   format of `expected` in `tests/wire/fixtures/*/requests.jsonl`, or `{"error": kind,
//!   "message"}` when the request cannot be built.
//! - `response`: `{"operation", "status", "headers", "body" | "body_base64"}` becomes
//!   `{"output": {...}}`, `{"error": {"shape", "code", "message", "status", "request_id",
//!   "fields"}}`, or `{"error": {"shape": null, "deserialize": message}}` for a success
//!   response that cannot be read.
//!
//! The line conversion is the `wire-lines` crate (`xtask/wire-lines/`), reaching the Chime
//! crate through its by-name API; the botocore fixture harness (`tests/wire/harness.rs`, used by
//! `tests/wire_conformance.rs` for Chime and by each service crate `tests/corpus.rs` writes) runs
//! the same functions, so the tests run exactly this code, and this binary links no test file.

use std::io::{BufRead, Write};

use chime_sdk_meetings::primitives::{FixedTokens, IdempotencyTokenProvider, RandomTokens};
use serde_json::Value;

wire_lines::service!(
    /// The generated Chime SDK Meetings crate, as the line conversion reaches it.
    pub struct Chime for chime_sdk_meetings
);

/// Builds the request of one input line with random idempotency tokens.
pub fn request_line(line: &Value) -> Value {
    wire_lines::request_line::<Chime>(line)
}

/// Builds the request of one input line, filling unset idempotency tokens from `tokens`.
pub fn request_line_with(line: &Value, tokens: &(dyn IdempotencyTokenProvider + 'static)) -> Value {
    wire_lines::request_line_with::<Chime>(line, tokens)
}

/// Reads the response of one input line.
pub fn response_line(line: &Value) -> Value {
    wire_lines::response_line::<Chime>(line)
}

pub use crate::Tokens;

impl Tokens {
    /// A provider of these tokens.
    pub fn provider(self) -> Box<dyn IdempotencyTokenProvider> {
        match self {
            Tokens::Random => Box::new(RandomTokens::new()),
            Tokens::Fixed => Box::new(FixedTokens::counter()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The commands
// ---------------------------------------------------------------------------------------------

/// `cargo xtask wire request`: one output line per non-blank input line.
pub fn run_requests(
    input: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    tokens: Tokens,
) -> i32 {
    let provider = tokens.provider();
    run_lines(input, stdout, stderr, |line| request_line_with(line, provider.as_ref()))
}

/// `cargo xtask wire response`: one output line per non-blank input line.
pub fn run_responses(
    input: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    run_lines(input, stdout, stderr, response_line)
}

/// Exit code 0 when every line was a JSON object, 1 otherwise (each bad line still gets an
/// `{"error": "invalid-line"}` line, so the output stays aligned with the input).
fn run_lines(
    input: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    mut process: impl FnMut(&Value) -> Value,
) -> i32 {
    let mut status = 0;
    let mut number = 0usize;
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        match input.read_until(b'\n', &mut buffer) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                let _ = writeln!(stderr, "error: reading stdin: {e}");
                return 1;
            }
        }
        number += 1;
        let text = String::from_utf8_lossy(&buffer);
        if text.trim().is_empty() {
            continue;
        }
        let output = match serde_json::from_str::<Value>(&text) {
            Ok(line @ Value::Object(_)) => process(&line),
            Ok(_) => {
                status = 1;
                let _ = writeln!(stderr, "line {number}: not a JSON object");
                wire_lines::error_value("invalid-line", "the line is not a JSON object".into())
            }
            Err(e) => {
                status = 1;
                let _ = writeln!(stderr, "line {number}: {e}");
                wire_lines::error_value("invalid-line", format!("the line is not JSON: {e}"))
            }
        };
        if writeln!(stdout, "{output}").is_err() {
            let _ = writeln!(stderr, "error: cannot write to stdout");
            return 1;
        }
    }
    let _ = stdout.flush();
    status
}
