//! A strict JSON (RFC 8259) parser into [`Document`] and a compact streaming
//! JSON writer, as the restJson1 protocol needs them.
//!
//! The parser accepts untrusted input: it never panics, validates UTF-8,
//! and limits nesting to [`MAX_DEPTH`] levels without recursing.

use super::document::{Document, Number};
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

/// The deepest nesting of arrays and objects that [`parse`] accepts.
///
/// A top-level array or object is at depth 1, so 128 nested `[` parse and
/// 129 are an error.
pub const MAX_DEPTH: usize = 128;

/// Why [`parse`] rejected its input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    offset: usize,
    message: &'static str,
}

impl JsonError {
    fn new(offset: usize, message: &'static str) -> Self {
        JsonError { offset, message }
    }

    /// The byte offset in the input at which the problem was found.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// A short description of the problem.
    pub fn message(&self) -> &str {
        self.message
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for JsonError {}

/// Parses one JSON value (RFC 8259) into a [`Document`].
///
/// - Whitespace (space, tab, line feed, carriage return) may surround the
///   value; anything else after it is an error, and so is empty input (or a
///   byte order mark).
/// - Objects become [`Document::Object`]; when a key repeats, its last value
///   wins.
/// - Strings must be valid UTF-8 without unescaped control characters; all
///   escapes are supported, `\uXXXX` surrogate pairs included. A lone
///   surrogate escape is an error.
/// - Integers that fit `u64` become [`Number::PosInt`], negative integers
///   that fit `i64` [`Number::NegInt`]. Everything else (numbers with a
///   fraction or exponent, larger integers and `-0`) becomes
///   [`Number::Float`], the nearest `f64`, which is infinite when the exponent
///   is too large. `-0` gives `Float(-0.0)`.
/// - Nesting deeper than [`MAX_DEPTH`] is an error.
///
/// # Errors
///
/// Returns a [`JsonError`] with the byte offset of the first problem.
pub fn parse(bytes: &[u8]) -> Result<Document, JsonError> {
    Parser { bytes, pos: 0 }.document()
}

/// An array or object whose elements are still being read.
enum Frame {
    Array(Vec<Document>),
    /// The entries so far and the key of the value being read.
    Object(BTreeMap<String, Document>, String),
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn error<T>(&self, message: &'static str) -> Result<T, JsonError> {
        Err(JsonError::new(self.pos, message))
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Consumes `byte` (after whitespace) or fails with `message`.
    fn expect(&mut self, byte: u8, message: &'static str) -> Result<(), JsonError> {
        self.skip_whitespace();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            self.error(message)
        }
    }

    /// Reads an object key and its `:` (after whitespace).
    fn key(&mut self) -> Result<String, JsonError> {
        self.skip_whitespace();
        if self.peek() != Some(b'"') {
            return self.error("expected a string key");
        }
        let key = self.string()?;
        self.expect(b':', "expected `:` after an object key")?;
        Ok(key)
    }

    fn document(&mut self) -> Result<Document, JsonError> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            // Read a value, or open a container and go on to its first element.
            self.skip_whitespace();
            let mut value = match self.peek() {
                None => return self.error("expected a value, found the end of the input"),
                Some(open @ (b'[' | b'{')) => {
                    if stack.len() >= MAX_DEPTH {
                        return self.error("arrays and objects are nested too deeply");
                    }
                    self.pos += 1;
                    self.skip_whitespace();
                    if open == b'[' {
                        if self.peek() == Some(b']') {
                            self.pos += 1;
                            Document::Array(Vec::new())
                        } else {
                            stack.push(Frame::Array(Vec::new()));
                            continue;
                        }
                    } else if self.peek() == Some(b'}') {
                        self.pos += 1;
                        Document::Object(BTreeMap::new())
                    } else {
                        let key = self.key()?;
                        stack.push(Frame::Object(BTreeMap::new(), key));
                        continue;
                    }
                }
                Some(b'"') => Document::String(self.string()?),
                Some(b't') => self.literal(b"true", Document::Bool(true))?,
                Some(b'f') => self.literal(b"false", Document::Bool(false))?,
                Some(b'n') => self.literal(b"null", Document::Null)?,
                Some(b'-' | b'0'..=b'9') => Document::Number(self.number()?),
                Some(_) => return self.error("expected a value"),
            };
            // Hand the value to its container, closing containers that end.
            loop {
                match stack.last_mut() {
                    None => {
                        self.skip_whitespace();
                        if self.pos < self.bytes.len() {
                            return self.error("unexpected data after the value");
                        }
                        return Ok(value);
                    }
                    Some(Frame::Array(items)) => {
                        items.push(value);
                        self.skip_whitespace();
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                break;
                            }
                            Some(b']') => {
                                self.pos += 1;
                                value = match stack.pop() {
                                    Some(Frame::Array(items)) => Document::Array(items),
                                    _ => return self.error("internal parser error"),
                                };
                            }
                            _ => return self.error("expected `,` or `]` in an array"),
                        }
                    }
                    Some(Frame::Object(entries, key)) => {
                        entries.insert(std::mem::take(key), value);
                        self.skip_whitespace();
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                *key = self.key()?;
                                break;
                            }
                            Some(b'}') => {
                                self.pos += 1;
                                value = match stack.pop() {
                                    Some(Frame::Object(entries, _)) => Document::Object(entries),
                                    _ => return self.error("internal parser error"),
                                };
                            }
                            _ => return self.error("expected `,` or `}` in an object"),
                        }
                    }
                }
            }
        }
    }

    fn literal(&mut self, word: &[u8], value: Document) -> Result<Document, JsonError> {
        let end = self.pos.saturating_add(word.len());
        if self.bytes.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(value)
        } else {
            self.error("invalid literal (expected `true`, `false` or `null`)")
        }
    }

    /// Skips ASCII digits; returns how many there were.
    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Number, JsonError> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return self.error("leading zeros are not allowed in numbers");
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.error("expected a digit"),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return self.error("expected a digit after the decimal point");
            }
            integer = false;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return self.error("expected a digit in the exponent");
            }
            integer = false;
        }
        let text = self
            .bytes
            .get(start..self.pos)
            .and_then(|text| std::str::from_utf8(text).ok())
            .unwrap_or("");
        if integer {
            if negative {
                match text.parse::<i64>() {
                    Ok(0) => return Ok(Number::Float(-0.0)),
                    Ok(value) => return Ok(Number::NegInt(value)),
                    Err(_) => {}
                }
            } else if let Ok(value) = text.parse::<u64>() {
                return Ok(Number::PosInt(value));
            }
        }
        match text.parse::<f64>() {
            Ok(value) => Ok(Number::Float(value)),
            Err(_) => Err(JsonError::new(start, "invalid number")),
        }
    }

    /// Reads a string; `self.pos` is at its opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(byte) = self.peek() {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            let run = self.bytes.get(run_start..self.pos).unwrap_or(&[]);
            match std::str::from_utf8(run) {
                Ok(text) => out.push_str(text),
                Err(e) => {
                    let offset = run_start.saturating_add(e.valid_up_to());
                    return Err(JsonError::new(offset, "invalid UTF-8 in a string"));
                }
            }
            match self.peek() {
                None => return Err(JsonError::new(open, "unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(_) => return self.error("control characters must be escaped in strings"),
            }
        }
    }

    /// Reads an escape sequence; `self.pos` is at its backslash.
    fn escape(&mut self) -> Result<char, JsonError> {
        let start = self.pos;
        self.pos += 1;
        let Some(kind) = self.peek() else {
            return Err(JsonError::new(start, "unterminated escape sequence"));
        };
        self.pos += 1;
        let c = match kind {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                let code = match unit {
                    0xD800..=0xDBFF => {
                        if self.bytes.get(self.pos..self.pos.saturating_add(2)) != Some(b"\\u") {
                            return Err(JsonError::new(start, "unpaired surrogate escape"));
                        }
                        self.pos += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(JsonError::new(start, "unpaired surrogate escape"));
                        }
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    0xDC00..=0xDFFF => {
                        return Err(JsonError::new(start, "unpaired surrogate escape"))
                    }
                    _ => unit,
                };
                match char::from_u32(code) {
                    Some(c) => c,
                    None => return Err(JsonError::new(start, "invalid escaped code point")),
                }
            }
            _ => return Err(JsonError::new(start, "invalid escape sequence")),
        };
        Ok(c)
    }

    /// Reads the four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return self.error("expected four hex digits in a `\\u` escape"),
            };
            value = (value << 4) | u32::from(digit);
            self.pos += 1;
        }
        Ok(value)
    }
}

/// Writes compact JSON (no whitespace) into a `String`, value by value.
///
/// Commas and colons are inserted automatically. Inside an object, call
/// [`key`](Self::key) before each value. The writer does not check how it is
/// used: misuse (a value without a key in an object, a key in an array,
/// unbalanced `end_*` calls, two top-level values) never panics but produces
/// invalid JSON.
///
/// ```ignore
/// let mut w = JsonWriter::new();
/// w.begin_object();
/// w.key("name");
/// w.string("a\"b");
/// w.key("sizes");
/// w.begin_array();
/// w.i64(1);
/// w.f64(2.5);
/// w.end_array();
/// w.end_object();
/// assert_eq!(w.finish(), r#"{"name":"a\"b","sizes":[1,2.5]}"#);
/// ```
#[derive(Clone, Debug, Default)]
pub struct JsonWriter {
    out: String,
    /// One entry per open array or object: whether it has an element yet.
    open: Vec<bool>,
    /// Whether a key was just written, so the next value needs no comma.
    after_key: bool,
}

impl JsonWriter {
    /// An empty writer.
    pub fn new() -> Self {
        JsonWriter::default()
    }

    /// Writes the comma needed before a new element, if any.
    fn separate(&mut self) {
        if self.after_key {
            self.after_key = false;
        } else if let Some(has_element) = self.open.last_mut() {
            if *has_element {
                self.out.push(',');
            }
            *has_element = true;
        }
    }

    /// Starts an object (`{`).
    pub fn begin_object(&mut self) {
        self.separate();
        self.out.push('{');
        self.open.push(false);
    }

    /// Writes an object key and its `:`; the next call writes its value.
    pub fn key(&mut self, key: &str) {
        self.separate();
        write_string(&mut self.out, key);
        self.out.push(':');
        self.after_key = true;
    }

    /// Ends the current object (`}`).
    pub fn end_object(&mut self) {
        self.open.pop();
        self.after_key = false;
        self.out.push('}');
    }

    /// Starts an array (`[`).
    pub fn begin_array(&mut self) {
        self.separate();
        self.out.push('[');
        self.open.push(false);
    }

    /// Ends the current array (`]`).
    pub fn end_array(&mut self) {
        self.open.pop();
        self.after_key = false;
        self.out.push(']');
    }

    /// Writes a string. `"`, `\` and control characters below U+0020 are
    /// escaped (`\n`, `\t`, `\r`, `\b`, `\f` or `\u00XX`); everything else,
    /// `/` and non-ASCII characters included, is written as is.
    pub fn string(&mut self, value: &str) {
        self.separate();
        write_string(&mut self.out, value);
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.separate();
        self.out.push_str(if value { "true" } else { "false" });
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.separate();
        self.out.push_str("null");
    }

    /// Writes a signed integer.
    pub fn i64(&mut self, value: i64) {
        self.separate();
        let _ = write!(self.out, "{value}");
    }

    /// Writes an unsigned integer.
    pub fn u64(&mut self, value: u64) {
        self.separate();
        let _ = write!(self.out, "{value}");
    }

    /// Writes a double.
    ///
    /// Finite values use the shortest text that reads back as the same
    /// `f64`: plain decimal notation when `1e-6 <= |value| < 1e21` (`0.1`,
    /// `1.5`, `100`; integral values have no `.0`), exponent notation
    /// otherwise (`1e21`, `1e-7`, `1.7976931348623157e308`), as JavaScript
    /// prints numbers. Zero is `0`, negative zero `-0`. Per the Smithy JSON
    /// protocols, NaN is written as the string `"NaN"` and infinities as
    /// `"Infinity"` and `"-Infinity"`.
    pub fn f64(&mut self, value: f64) {
        self.separate();
        write_f64(&mut self.out, value);
    }

    /// Writes a float, like [`f64`](Self::f64) but with the shortest text for
    /// the `f32` (`0.1f32` is written as `0.1`).
    pub fn f32(&mut self, value: f32) {
        self.separate();
        if value.is_nan() || value.is_infinite() {
            write_non_finite(&mut self.out, f64::from(value));
        } else {
            let abs = value.abs();
            if abs == 0.0 || (1e-6..1e21).contains(&abs) {
                let _ = write!(self.out, "{value}");
            } else {
                let _ = write!(self.out, "{value:e}");
            }
        }
    }

    /// Writes number text as is, for big numbers.
    ///
    /// `text` may be JSON number syntax with extra leading zeros (`-?[0-9]+`,
    /// then an optional `.` fraction and `e`/`E` exponent, as a `BigDecimal`
    /// holds it); the leading zeros are dropped (`007.50` is written as
    /// `7.50`). Anything else is not a number and is written as a JSON
    /// string instead, so the output stays valid JSON.
    pub fn raw_number(&mut self, text: &str) {
        self.separate();
        match normalize_number(text) {
            Some(number) => self.out.push_str(&number),
            None => write_string(&mut self.out, text),
        }
    }

    /// Writes bytes as a base64 string (standard alphabet, padded), the JSON
    /// form of a Smithy `blob`.
    pub fn blob(&mut self, bytes: &[u8]) {
        self.separate();
        write_string(&mut self.out, &super::blob::base64::encode(bytes));
    }

    /// Writes a whole document.
    ///
    /// Numbers are written like [`u64`](Self::u64), [`i64`](Self::i64) and
    /// [`f64`](Self::f64), except that a finite [`Number::Float`] written
    /// without a fraction or exponent gets `.0` (`1.0`, `-0.0`, while `1e21`
    /// stays as is), so that [`parse`] reads every document without
    /// non-finite floats back unchanged. Non-finite floats become the strings
    /// `"NaN"`, `"Infinity"` and `"-Infinity"`. Deep documents are written
    /// without recursion.
    pub fn document(&mut self, document: &Document) {
        enum Open<'d> {
            Array(std::slice::Iter<'d, Document>),
            Object(std::collections::btree_map::Iter<'d, String, Document>),
        }
        let mut stack: Vec<Open<'_>> = Vec::new();
        let mut next = Some(document);
        loop {
            if let Some(document) = next.take() {
                match document {
                    Document::Null => self.null(),
                    Document::Bool(value) => self.bool(*value),
                    Document::String(value) => self.string(value),
                    Document::Number(Number::PosInt(value)) => self.u64(*value),
                    Document::Number(Number::NegInt(value)) => self.i64(*value),
                    Document::Number(Number::Float(value)) => {
                        let start = self.out.len();
                        self.f64(*value);
                        let text = self.out.get(start..).unwrap_or("");
                        if value.is_finite() && !text.contains(['.', 'e']) {
                            self.out.push_str(".0");
                        }
                    }
                    Document::Array(items) => {
                        self.begin_array();
                        stack.push(Open::Array(items.iter()));
                    }
                    Document::Object(entries) => {
                        self.begin_object();
                        stack.push(Open::Object(entries.iter()));
                    }
                }
            }
            match stack.last_mut() {
                None => return,
                Some(Open::Array(items)) => match items.next() {
                    Some(item) => next = Some(item),
                    None => {
                        stack.pop();
                        self.end_array();
                    }
                },
                Some(Open::Object(entries)) => match entries.next() {
                    Some((key, value)) => {
                        self.key(key);
                        next = Some(value);
                    }
                    None => {
                        stack.pop();
                        self.end_object();
                    }
                },
            }
        }
    }

    /// The JSON written so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    /// Returns the JSON written.
    pub fn finish(self) -> String {
        self.out
    }
}

fn write_string(out: &mut String, value: &str) {
    out.push('"');
    let mut rest = value;
    while let Some(index) = rest.find(|c: char| c == '"' || c == '\\' || c < '\u{20}') {
        let (plain, tail) = rest.split_at(index);
        out.push_str(plain);
        let mut chars = tail.chars();
        match chars.next() {
            Some('"') => out.push_str("\\\""),
            Some('\\') => out.push_str("\\\\"),
            Some('\n') => out.push_str("\\n"),
            Some('\t') => out.push_str("\\t"),
            Some('\r') => out.push_str("\\r"),
            Some('\u{8}') => out.push_str("\\b"),
            Some('\u{c}') => out.push_str("\\f"),
            Some(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            None => {}
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out.push('"');
}

fn write_non_finite(out: &mut String, value: f64) {
    out.push_str(if value.is_nan() {
        "\"NaN\""
    } else if value > 0.0 {
        "\"Infinity\""
    } else {
        "\"-Infinity\""
    });
}

fn write_f64(out: &mut String, value: f64) {
    if !value.is_finite() {
        write_non_finite(out, value);
        return;
    }
    let abs = value.abs();
    if abs == 0.0 || (1e-6..1e21).contains(&abs) {
        let _ = write!(out, "{value}");
    } else {
        let _ = write!(out, "{value:e}");
    }
}

/// `text` without superfluous leading zeros if it is a number in the form
/// `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn normalize_number(text: &str) -> Option<std::borrow::Cow<'_, str>> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let negative = bytes.first() == Some(&b'-');
    if negative {
        pos += 1;
    }
    let digits = |pos: &mut usize| {
        let start = *pos;
        while let Some(b'0'..=b'9') = bytes.get(*pos) {
            *pos += 1;
        }
        *pos - start
    };
    let int_start = pos;
    if digits(&mut pos) == 0 {
        return None;
    }
    let int_end = pos;
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        if digits(&mut pos) == 0 {
            return None;
        }
    }
    if let Some(b'e' | b'E') = bytes.get(pos) {
        pos += 1;
        if let Some(b'+' | b'-') = bytes.get(pos) {
            pos += 1;
        }
        if digits(&mut pos) == 0 {
            return None;
        }
    }
    if pos != bytes.len() {
        return None;
    }
    // Keep at least one integer digit.
    let zeros = bytes
        .get(int_start..int_end.saturating_sub(1))
        .map_or(0, |lead| lead.iter().take_while(|&&b| b == b'0').count());
    if zeros == 0 {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    let rest = text.get(int_start + zeros..)?;
    Some(std::borrow::Cow::Owned(if negative { format!("-{rest}") } else { rest.to_owned() }))
}
