//! A strict JSON (RFC 8259) parser into [`Document`], a pull [`Reader`] over
//! the same grammar that the generated client readers drive member by member
//! (no tree in between), and a compact streaming JSON writer, as the restJson1
//! protocol needs them.
//!
//! Both readers accept untrusted input: they never panic, validate UTF-8,
//! and limit nesting to [`MAX_DEPTH`] levels without recursing.

use super::document::{Document, Number};
use super::{BigDecimal, BigInteger, Blob, DateTime, Format};
use crate::error::DeserializeError;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

/// The deepest nesting of arrays and objects that [`parse`] accepts.
///
/// A top-level array or object is at depth 1, so 128 nested `[` parse and
/// 129 are an error.
pub const MAX_DEPTH: usize = 128;

/// The most a list reader reserves ahead, in bytes, from a guess at how many elements follow
/// those it has read ([`room_guess`]).
const RESERVE_MAX_BYTES: usize = 64 * 1024;

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
    let mut parser = Parser::new(bytes);
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < bytes.len() {
        return parser.error("unexpected data after the value");
    }
    Ok(value)
}

/// An array or object whose elements are still being read.
enum Frame {
    Array(Vec<Document>),
    /// The entries so far and the key of the value being read.
    Object(BTreeMap<String, Document>, String),
}

struct Parser<'a> {
    bytes: &'a [u8],
    /// The input as text when it is valid UTF-8, checked once: strings are then cut from it
    /// without checking each again. `None`: each string is checked as it is read (and the
    /// first invalid one is the error).
    text: Option<&'a str>,
    pos: usize,
}

/// The offset of the first `"`, `\` or control character (below U+0020) in `bytes`, sixteen
/// bytes at a time (two words tested, one branch), then the last bytes a word at a time.
///
/// In each 64-bit word, a byte equal to `c` is a zero byte of `word ^ (c * ONES)`, and
/// `(v - ONES) & !v & HIGH` flags zero bytes, `(word - 0x20 * ONES) & !word & HIGH` bytes
/// below 0x20: a flag is exact in the lowest byte flagged (a borrow only reaches bytes above a
/// true one), which is the only one used. So a word may overlap bytes already found plain: they
/// flag nothing.
#[inline]
fn special_byte(bytes: &[u8]) -> Option<usize> {
    let mut pairs = bytes.chunks_exact(16);
    let mut offset = 0;
    for pair in &mut pairs {
        let (low, high) = pair.split_at(8);
        let (low, high) = (special_flags(low), special_flags(high));
        if low | high != 0 {
            let (flags, at) = if low != 0 { (low, 0) } else { (high, 8) };
            return Some(offset + at + first_flagged(flags));
        }
        offset += 16;
    }
    // Under sixteen bytes left: their first word, then the input's last word (which overlaps
    // it, or bytes already found plain). An input under a word is looked at byte by byte (the
    // writer's short strings: copying them into a padded word costs more).
    let tail = pairs.remainder();
    if tail.is_empty() {
        return None;
    }
    if let Some(word) = tail.get(..8) {
        let flags = special_flags(word);
        if flags != 0 {
            return Some(offset + first_flagged(flags));
        }
    }
    match bytes.len().checked_sub(8) {
        Some(start) => {
            let flags = special_flags(bytes.get(start..).unwrap_or_default());
            (flags != 0).then(|| start + first_flagged(flags))
        }
        None => tail.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20),
    }
}

/// The flags of the special bytes of an eight-byte `word` (read little-endian), as
/// [`special_byte`] computes them.
#[inline]
fn special_flags(word: &[u8]) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    ((quote.wrapping_sub(ONES) & !quote)
        | (backslash.wrapping_sub(ONES) & !backslash)
        | (word.wrapping_sub(ONES * 0x20) & !word))
        & HIGH
}

/// How many more elements to make room for in a list of which `read` elements took
/// `read_bytes` of the input, `rest` bytes left after them, each element `size` bytes in
/// memory: as many as `rest` holds written like those read (each after a comma), at least
/// one, at most [`RESERVE_MAX_BYTES`]' worth.
pub(crate) fn room_guess(read: usize, read_bytes: usize, rest: usize, size: usize) -> usize {
    let each = read_bytes / read.max(1);
    let more = (rest / each.saturating_add(1)).saturating_add(1);
    let cap = RESERVE_MAX_BYTES / size.max(1);
    more.min(cap).max(1)
}

/// The index of the lowest byte flagged in a word's non-zero `flags`.
#[inline]
fn first_flagged(flags: u64) -> usize {
    (flags.trailing_zeros() / 8) as usize
}

impl<'a> Parser<'a> {
    /// A parser at the start of `bytes`.
    fn new(bytes: &'a [u8]) -> Self {
        Parser { bytes, text: std::str::from_utf8(bytes).ok(), pos: 0 }
    }

    /// A parser at byte `pos` of `text`, already known to be UTF-8.
    fn of_text(text: &'a str, pos: usize) -> Self {
        Parser { bytes: text.as_bytes(), text: Some(text), pos }
    }

    /// The text of bytes `start..end`, which hold no `"`, `\` or control character, when
    /// they are UTF-8 (cut from the input checked once when it is; both ends are next to ASCII
    /// bytes, so they are character boundaries).
    #[inline]
    fn checked_run(&self, start: usize, end: usize) -> Option<&'a str> {
        match self.text {
            Some(text) => text.get(start..end),
            None => std::str::from_utf8(self.bytes.get(start..end)?).ok(),
        }
    }

    /// [`checked_run`](Self::checked_run), or the error naming where the UTF-8 goes wrong.
    #[inline]
    fn run(&self, start: usize, end: usize) -> Result<&'a str, JsonError> {
        self.checked_run(start, end).ok_or_else(|| {
            let run = self.bytes.get(start..end).unwrap_or(&[]);
            let valid = std::str::from_utf8(run).err().map_or(0, |e| e.valid_up_to());
            JsonError::new(start.saturating_add(valid), "invalid UTF-8 in a string")
        })
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn error<T>(&self, message: &'static str) -> Result<T, JsonError> {
        Err(JsonError::new(self.pos, message))
    }

    /// Whether the bytes at `at` are `text`; if so the parser moves past them.
    #[inline]
    fn take_at(&mut self, at: usize, text: &[u8]) -> bool {
        if self.bytes.get(at..at.saturating_add(text.len())) != Some(text) {
            return false;
        }
        self.pos = at + text.len();
        true
    }

    #[inline]
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

    /// Reads one value, inside `depth` open arrays and objects (its own nesting counts from
    /// there towards [`MAX_DEPTH`]); what follows it is left unread.
    fn value(&mut self, depth: usize) -> Result<Document, JsonError> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            // Read a value, or open a container and go on to its first element.
            self.skip_whitespace();
            let mut value = match self.peek() {
                None => return self.error("expected a value, found the end of the input"),
                Some(open @ (b'[' | b'{')) => {
                    if stack.len().saturating_add(depth) >= MAX_DEPTH {
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
                    None => return Ok(value),
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
        let text = self.run(start, self.pos).unwrap_or("");
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

    /// Reads a string, borrowed from the input unless it has escapes; `self.pos` is at its
    /// opening quote.
    #[inline]
    fn text(&mut self) -> Result<Cow<'a, str>, JsonError> {
        match self.plain() {
            Some(text) => Ok(Cow::Borrowed(text)),
            None => self.string().map(Cow::Owned),
        }
    }

    /// The string at `self.pos` (its opening quote) when it has no escape, read past its
    /// closing quote; otherwise `None`, nothing consumed ([`string`](Self::string) reads it).
    #[inline]
    fn plain(&mut self) -> Option<&'a str> {
        let start = self.pos.saturating_add(1);
        let rest = self.bytes.get(start..)?;
        let len = special_byte(rest)?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        let end = start + len;
        let text = self.checked_run(start, end)?;
        self.pos = end + 1;
        Some(text)
    }

    /// Skips one value, checked as [`parse`] checks it but kept nowhere, inside `depth` open
    /// arrays and objects.
    fn skip(&mut self, depth: usize) -> Result<(), JsonError> {
        // One bit per open array or object, the innermost lowest: set for an object.
        let mut open: u128 = 0;
        let mut len: usize = 0;
        loop {
            self.skip_whitespace();
            match self.peek() {
                None => return self.error("expected a value, found the end of the input"),
                Some(first @ (b'[' | b'{')) => {
                    if len.saturating_add(depth) >= MAX_DEPTH {
                        return self.error("arrays and objects are nested too deeply");
                    }
                    self.pos += 1;
                    self.skip_whitespace();
                    let object = first == b'{';
                    if self.peek() == Some(if object { b'}' } else { b']' }) {
                        self.pos += 1;
                    } else {
                        open = (open << 1) | u128::from(object);
                        len += 1;
                        if object {
                            self.skip_key()?;
                        }
                        continue;
                    }
                }
                Some(b'"') => {
                    self.text()?;
                }
                Some(b't') => {
                    self.literal(b"true", Document::Null)?;
                }
                Some(b'f') => {
                    self.literal(b"false", Document::Null)?;
                }
                Some(b'n') => {
                    self.literal(b"null", Document::Null)?;
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.number()?;
                }
                Some(_) => return self.error("expected a value"),
            }
            // A value ended: go on to the next element, closing containers that end.
            loop {
                if len == 0 {
                    return Ok(());
                }
                self.skip_whitespace();
                let object = open & 1 == 1;
                match (self.peek(), object) {
                    (Some(b','), _) => {
                        self.pos += 1;
                        if object {
                            self.skip_key()?;
                        }
                        break;
                    }
                    (Some(b']'), false) | (Some(b'}'), true) => {
                        self.pos += 1;
                        open >>= 1;
                        len -= 1;
                    }
                    (_, false) => return self.error("expected `,` or `]` in an array"),
                    (_, true) => return self.error("expected `,` or `}` in an object"),
                }
            }
        }
    }

    /// Skips an object key and its `:` (after whitespace).
    fn skip_key(&mut self) -> Result<(), JsonError> {
        self.object_key().map(drop)
    }

    /// Reads an object key and its `:` (after whitespace), borrowed when it has no escapes.
    #[inline]
    fn object_key(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.skip_whitespace();
        if self.peek() != Some(b'"') {
            return self.error("expected a string key");
        }
        let key = match self.plain() {
            Some(key) => Cow::Borrowed(key),
            None => Cow::Owned(self.string()?),
        };
        self.expect(b':', "expected `:` after an object key")?;
        Ok(key)
    }

    /// Reads a string; `self.pos` is at its opening quote.
    #[inline(never)]
    fn string(&mut self) -> Result<String, JsonError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            let rest = self.bytes.get(run_start..).unwrap_or(&[]);
            self.pos = special_byte(rest).map_or(self.bytes.len(), |len| run_start + len);
            out.push_str(self.run(run_start, self.pos)?);
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

/// A pull reader over one JSON value: the generated readers drive it member by member and read
/// each value straight into its Rust type, with no [`Document`] in between.
///
/// It accepts exactly what [`parse`] accepts and never panics: strings are checked for UTF-8
/// and unescaped only when they have escapes, nesting is limited to [`MAX_DEPTH`] (counted as
/// [`parse`] counts it), members nobody reads are checked and skipped without being kept.
/// Errors are [`DeserializeError`]s: the syntax ones say where the JSON is invalid, the others
/// which type was expected and what was found.
pub(crate) struct Reader<'a> {
    parser: Parser<'a>,
    /// Arrays and objects open around the next value.
    depth: usize,
    /// Whether the innermost open array or object has not had an element yet.
    first: bool,
}

/// The JSON type a value's first byte announces, as errors name it.
fn kind_of(first: u8) -> Option<&'static str> {
    Some(match first {
        b'{' => "an object",
        b'[' => "an array",
        b'"' => "a string",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        b'-' | b'0'..=b'9' => "a number",
        _ => return None,
    })
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { parser: Parser::new(bytes), depth: 0, first: false }
    }

    /// A reader at byte `offset` of `text` (input already known to be UTF-8: a value found
    /// there before, or a body checked once for several readers).
    pub(crate) fn at(text: &'a str, offset: usize) -> Self {
        Reader { parser: Parser::of_text(text, offset), depth: 0, first: false }
    }

    /// The byte offset of the reader in its input (after [`peek_byte`](Self::peek_byte), the
    /// first byte of the next value).
    pub(crate) fn offset(&self) -> usize {
        self.parser.pos
    }

    fn syntax(error: JsonError) -> DeserializeError {
        DeserializeError::new(format!("the response body is not valid JSON: {error}"))
    }

    /// The first byte of the next value, after whitespace.
    #[inline]
    fn peek(&mut self) -> Result<u8, DeserializeError> {
        self.parser.skip_whitespace();
        match self.parser.peek() {
            Some(byte) => Ok(byte),
            None => Err(Self::syntax(JsonError::new(
                self.parser.pos,
                "expected a value, found the end of the input",
            ))),
        }
    }

    /// The first byte of the next value (after whitespace), to choose how to read it.
    pub(crate) fn peek_byte(&mut self) -> Result<u8, DeserializeError> {
        self.peek()
    }

    /// The error for a value that is not `what`.
    fn expected<T>(&mut self, what: &str) -> Result<T, DeserializeError> {
        let first = self.peek()?;
        match kind_of(first) {
            Some(kind) => Err(DeserializeError::new(format!("expected {what}, found {kind}"))),
            None => Err(Self::syntax(JsonError::new(self.parser.pos, "expected a value"))),
        }
    }

    /// Checks that nothing but whitespace follows the value read.
    pub(crate) fn end(&mut self) -> Result<(), DeserializeError> {
        self.parser.skip_whitespace();
        if self.parser.pos < self.parser.bytes.len() {
            return Err(Self::syntax(JsonError::new(
                self.parser.pos,
                "unexpected data after the value",
            )));
        }
        Ok(())
    }

    /// Consumes the next value if it is `null`; whether it was.
    #[inline]
    pub(crate) fn null(&mut self) -> Result<bool, DeserializeError> {
        if self.peek()? != b'n' {
            return Ok(false);
        }
        self.parser.literal(b"null", Document::Null).map_err(Self::syntax)?;
        Ok(true)
    }

    /// Skips the next value (checked, not kept).
    pub(crate) fn skip_value(&mut self) -> Result<(), DeserializeError> {
        self.parser.skip(self.depth).map_err(Self::syntax)
    }

    /// Opens an array or object whose first byte is `open`.
    fn open(&mut self, open: u8, what: &str) -> Result<(), DeserializeError> {
        if self.peek()? != open {
            return self.expected(what);
        }
        if self.depth >= MAX_DEPTH {
            return Err(Self::syntax(JsonError::new(
                self.parser.pos,
                "arrays and objects are nested too deeply",
            )));
        }
        self.parser.pos += 1;
        self.depth += 1;
        self.first = true;
        Ok(())
    }

    /// Moves to the next element of the innermost array or object (`close` ends it); whether
    /// there is one.
    #[inline]
    fn next(&mut self, close: u8, message: &'static str) -> Result<bool, DeserializeError> {
        self.parser.skip_whitespace();
        let first = std::mem::replace(&mut self.first, false);
        match self.parser.peek() {
            Some(byte) if byte == close => {
                self.parser.pos += 1;
                self.depth = self.depth.saturating_sub(1);
                Ok(false)
            }
            Some(b',') if !first => {
                self.parser.pos += 1;
                Ok(true)
            }
            _ if first => Ok(true),
            _ => Err(Self::syntax(JsonError::new(self.parser.pos, message))),
        }
    }

    /// Opens an object; then [`next_key`](Self::next_key) until `None`.
    pub(crate) fn begin_object(&mut self) -> Result<(), DeserializeError> {
        self.open(b'{', "an object")
    }

    /// The key of the next member of the object (its value is next), or `None` at its end.
    #[inline]
    pub(crate) fn next_key(&mut self) -> Result<Option<Cow<'a, str>>, DeserializeError> {
        if !self.next(b'}', "expected `,` or `}` in an object")? {
            return Ok(None);
        }
        self.parser.object_key().map(Some).map_err(Self::syntax)
    }

    /// Whether the next member of the object is the one whose key is `key`, as services write
    /// it: `key` is the key's bytes on the wire, quoted, with its colon (`b"\"Name\":"`),
    /// right after the object's `{` or the `,` that ends the member before, no whitespace
    /// between. If so it is taken (its value is next); if not, nothing is consumed, and
    /// [`next_member`](Self::next_member) reads what is there, however it is written.
    ///
    /// Generated readers try the key the model lists next this way before calling
    /// `next_member`: inlined, with `key` a constant, the comparison is a few word compares in
    /// the reader itself.
    #[inline]
    pub(crate) fn key_in_place(&mut self, key: &[u8]) -> bool {
        let bytes = self.parser.bytes;
        let pos = self.parser.pos;
        let at = if self.first {
            pos
        } else if bytes.get(pos) == Some(&b',') {
            pos + 1
        } else {
            return false;
        };
        let taken = self.parser.take_at(at, key);
        if taken {
            self.first = false;
        }
        taken
    }

    /// Whether the next value is the string whose JSON text is `value` (quoted, as services
    /// write a known enum value: `b"\"Name\""`), with no whitespace before it. If so it is
    /// taken; if not, nothing is consumed and the value is read as any other.
    #[inline]
    pub(crate) fn value_in_place(&mut self, value: &[u8]) -> bool {
        self.parser.take_at(self.parser.pos, value)
    }

    /// Whether the object ends here: its `}` right after the last member's value (or the `{`),
    /// no whitespace between. If so it is taken, as [`next_member`](Self::next_member) takes
    /// it when it returns `None`; if not, nothing is consumed.
    #[inline]
    pub(crate) fn end_in_place(&mut self) -> bool {
        if self.parser.bytes.get(self.parser.pos) != Some(&b'}') {
            return false;
        }
        self.parser.pos += 1;
        self.depth = self.depth.saturating_sub(1);
        self.first = false;
        true
    }

    /// The next member of an object whose known keys are `keys`: `Some(i)` for `keys[i]`,
    /// `Some(keys.len())` for a key it does not know (its value is next, to skip), `None` at
    /// the object's end.
    ///
    /// `next` is the index expected next, updated as keys are found: a service writes members
    /// in the model's order, so the key is usually `keys[next]`, recognized by comparing the
    /// bytes in place (no scan for its end, no string). Any other key, or one written with
    /// escapes, is read as [`next_key`](Self::next_key) reads it and looked up among `keys`; the
    /// key after it is expected next, and an unknown key leaves the expectation as it was.
    #[inline]
    pub(crate) fn next_member(
        &mut self,
        keys: &[&str],
        next: &mut usize,
    ) -> Result<Option<usize>, DeserializeError> {
        self.next_member_among(keys, keys.len(), next)
    }

    /// [`next_member`](Self::next_member) where only `keys[..ordered]` are members, in the
    /// model's order; the keys after them are other keys the caller wants told apart (an error
    /// body's code and message keys, noted whether or not they are members). Finding one of
    /// those leaves the expectation as it was, as an unknown key does.
    #[inline]
    pub(crate) fn next_member_among(
        &mut self,
        keys: &[&str],
        ordered: usize,
        next: &mut usize,
    ) -> Result<Option<usize>, DeserializeError> {
        if !self.next(b'}', "expected `,` or `}` in an object")? {
            return Ok(None);
        }
        self.parser.skip_whitespace();
        if let Some(expected) = keys.get(..ordered).and_then(|members| members.get(*next)) {
            let start = self.parser.pos.saturating_add(1);
            let end = start.saturating_add(expected.len());
            let bytes = self.parser.bytes;
            if self.parser.peek() == Some(b'"')
                && bytes.get(end) == Some(&b'"')
                && bytes.get(start..end) == Some(expected.as_bytes())
            {
                if bytes.get(end + 1) == Some(&b':') {
                    self.parser.pos = end + 2;
                } else {
                    self.parser.pos = end + 1;
                    self.parser
                        .expect(b':', "expected `:` after an object key")
                        .map_err(Self::syntax)?;
                }
                let index = *next;
                *next = index + 1;
                return Ok(Some(index));
            }
        }
        let key = self.parser.object_key().map_err(Self::syntax)?;
        match keys.iter().position(|known| *known == key) {
            Some(index) => {
                if index < ordered {
                    *next = index + 1;
                }
                Ok(Some(index))
            }
            // A key the model does not know (a member added since, say) leaves the expected
            // one expected.
            None => Ok(Some(keys.len())),
        }
    }

    /// Opens an array; then [`next_element`](Self::next_element) until `false`.
    pub(crate) fn begin_array(&mut self) -> Result<(), DeserializeError> {
        self.open(b'[', "an array")
    }

    /// Whether the array has another element (which is next).
    #[inline]
    pub(crate) fn next_element(&mut self) -> Result<bool, DeserializeError> {
        self.next(b']', "expected `,` or `]` in an array")
    }

    /// A member's value: `None` when `null`; errors name the member.
    #[inline]
    pub(crate) fn member<T>(
        &mut self,
        key: &str,
        read: impl FnOnce(&mut Self) -> Result<T, DeserializeError>,
    ) -> Result<Option<T>, DeserializeError> {
        if self.null()? {
            return Ok(None);
        }
        read(self).map(Some).map_err(|e| e.in_member(key))
    }

    /// A string, borrowed from the input when it has no escapes.
    #[inline]
    pub(crate) fn text(&mut self) -> Result<Cow<'a, str>, DeserializeError> {
        if self.peek()? != b'"' {
            return self.expected("a string");
        }
        self.parser.text().map_err(Self::syntax)
    }

    #[inline]
    pub(crate) fn string(&mut self) -> Result<String, DeserializeError> {
        if self.peek()? != b'"' {
            return self.expected("a string");
        }
        match self.parser.plain() {
            Some(text) => Ok(text.to_owned()),
            None => self.parser.string().map_err(Self::syntax),
        }
    }

    pub(crate) fn boolean(&mut self) -> Result<bool, DeserializeError> {
        let (word, value): (&[u8], bool) = match self.peek()? {
            b't' => (b"true", true),
            b'f' => (b"false", false),
            _ => return self.expected("a boolean"),
        };
        self.parser.literal(word, Document::Null).map_err(Self::syntax)?;
        Ok(value)
    }

    /// A JSON number, or `None` (nothing consumed) when the next value is something else.
    fn number(&mut self) -> Result<Option<Number>, DeserializeError> {
        match self.peek()? {
            b'-' | b'0'..=b'9' => self.parser.number().map(Some).map_err(Self::syntax),
            _ => Ok(None),
        }
    }

    fn integer(&mut self, min: i64, max: i64, what: &str) -> Result<i64, DeserializeError> {
        match self.number()? {
            Some(n) => super::protocol::integer_of(n, min, max, what),
            None => self.expected(what),
        }
    }

    pub(crate) fn i8(&mut self) -> Result<i8, DeserializeError> {
        self.integer(i8::MIN.into(), i8::MAX.into(), "a byte").map(|v| v as i8)
    }

    pub(crate) fn i16(&mut self) -> Result<i16, DeserializeError> {
        self.integer(i16::MIN.into(), i16::MAX.into(), "a short").map(|v| v as i16)
    }

    pub(crate) fn i32(&mut self) -> Result<i32, DeserializeError> {
        self.integer(i32::MIN.into(), i32::MAX.into(), "an integer").map(|v| v as i32)
    }

    pub(crate) fn i64(&mut self) -> Result<i64, DeserializeError> {
        self.integer(i64::MIN, i64::MAX, "a long")
    }

    /// A float: a JSON number, or the strings `NaN`, `Infinity`, `-Infinity`.
    pub(crate) fn f64(&mut self) -> Result<f64, DeserializeError> {
        if let Some(n) = self.number()? {
            return Ok(n.as_f64());
        }
        match self.peek()? {
            b'"' => super::protocol::parse_f64(&self.text()?),
            _ => self.expected("a number"),
        }
    }

    pub(crate) fn f32(&mut self) -> Result<f32, DeserializeError> {
        self.f64().map(|v| v as f32)
    }

    /// A timestamp: epoch seconds as a number, else a string in `format`.
    pub(crate) fn timestamp(&mut self, format: Format) -> Result<DateTime, DeserializeError> {
        if let Some(n) = self.number()? {
            return super::protocol::timestamp_of(n);
        }
        match self.peek()? {
            b'"' => super::protocol::parse_timestamp(&self.text()?, format),
            _ => self.expected("a timestamp"),
        }
    }

    /// A blob: a base64 string.
    pub(crate) fn blob(&mut self) -> Result<Blob, DeserializeError> {
        if self.peek()? != b'"' {
            return self.expected("a base64 string");
        }
        let text = self.text()?;
        super::blob::base64::decode(&text)
            .map(Blob::new)
            .map_err(|e| DeserializeError::new(format!("invalid base64: {e}")))
    }

    /// The text of a big number: a JSON number (as [`Number`] prints it) or a string.
    fn number_text(&mut self) -> Result<String, DeserializeError> {
        if let Some(n) = self.number()? {
            return Ok(n.to_string());
        }
        match self.peek()? {
            b'"' => self.string(),
            _ => self.expected("a number"),
        }
    }

    pub(crate) fn big_integer(&mut self) -> Result<BigInteger, DeserializeError> {
        BigInteger::new(&self.number_text()?).map_err(|e| DeserializeError::new(e.to_string()))
    }

    pub(crate) fn big_decimal(&mut self) -> Result<BigDecimal, DeserializeError> {
        BigDecimal::new(&self.number_text()?).map_err(|e| DeserializeError::new(e.to_string()))
    }

    /// A document: the value as it is.
    pub(crate) fn document(&mut self) -> Result<Document, DeserializeError> {
        self.parser.value(self.depth).map_err(Self::syntax)
    }

    /// A dense list: `null` elements are skipped.
    pub(crate) fn list<T>(
        &mut self,
        mut read: impl FnMut(&mut Self) -> Result<T, DeserializeError>,
    ) -> Result<Vec<T>, DeserializeError> {
        self.begin_array()?;
        let start = self.parser.pos;
        let mut out = Vec::new();
        let mut guessed = false;
        while self.next_element()? {
            if !self.null()? {
                let element = read(self)?;
                self.make_room(&mut out, start, &mut guessed);
                out.push(element);
            }
        }
        Self::fit(&mut out);
        Ok(out)
    }

    /// A `@sparse` list: `null` elements are kept as `None`.
    pub(crate) fn sparse_list<T>(
        &mut self,
        mut read: impl FnMut(&mut Self) -> Result<T, DeserializeError>,
    ) -> Result<Vec<Option<T>>, DeserializeError> {
        self.begin_array()?;
        let start = self.parser.pos;
        let mut out = Vec::new();
        let mut guessed = false;
        while self.next_element()? {
            let element = if self.null()? { None } else { Some(read(self)?) };
            self.make_room(&mut out, start, &mut guessed);
            out.push(element);
        }
        Self::fit(&mut out);
        Ok(out)
    }

    /// Before a list grows for the first time beyond the few elements its first allocation
    /// holds (the element just read, from an array whose first byte after the `[` is `start`,
    /// is about to be pushed onto a full `out`), makes room for as many elements as the rest of
    /// the input would hold if they were written like those read. A page of records, which
    /// services write alike, then takes one more allocation instead of one per doubling; a
    /// list of a few elements is untouched. The guess is capped at [`RESERVE_MAX_BYTES`]'
    /// worth, and [`fit`](Self::fit) gives back what a guess too large left over.
    #[inline]
    fn make_room<T>(&mut self, out: &mut Vec<T>, start: usize, guessed: &mut bool) {
        if *guessed || out.len() < out.capacity() || out.is_empty() {
            return;
        }
        *guessed = true;
        self.parser.skip_whitespace();
        if self.parser.peek() == Some(b']') {
            out.reserve_exact(1);
            return;
        }
        let read = out.len().saturating_add(1);
        let read_bytes = self.parser.pos.saturating_sub(start);
        let rest = self.parser.bytes.len().saturating_sub(self.parser.pos);
        out.reserve_exact(room_guess(read, read_bytes, rest, std::mem::size_of::<T>()));
    }

    /// Gives back the room a list's allocation left unused when it is more than doubling
    /// would have left (a guess from the elements read is only a guess: in a list of lists,
    /// each inner list guesses from the whole input after it).
    fn fit<T>(out: &mut Vec<T>) {
        if out.capacity() / 2 > out.len() {
            out.shrink_to_fit();
        }
    }

    /// A dense map: entries whose value is `null` are dropped; when a key repeats, its last
    /// value wins.
    pub(crate) fn map<K: Ord, V>(
        &mut self,
        key: impl Fn(&str) -> K,
        mut read: impl FnMut(&mut Self) -> Result<V, DeserializeError>,
    ) -> Result<BTreeMap<K, V>, DeserializeError> {
        self.begin_object()?;
        let mut out = BTreeMap::new();
        while let Some(k) = self.next_key()? {
            if self.null()? {
                out.remove(&key(&k));
            } else {
                let value = read(self).map_err(|e| e.in_member(&k))?;
                out.insert(key(&k), value);
            }
        }
        Ok(out)
    }

    /// A `@sparse` map: `null` values are kept as `None`.
    pub(crate) fn sparse_map<K: Ord, V>(
        &mut self,
        key: impl Fn(&str) -> K,
        mut read: impl FnMut(&mut Self) -> Result<V, DeserializeError>,
    ) -> Result<BTreeMap<K, Option<V>>, DeserializeError> {
        self.begin_object()?;
        let mut out = BTreeMap::new();
        while let Some(k) = self.next_key()? {
            let value =
                if self.null()? { None } else { Some(read(self).map_err(|e| e.in_member(&k))?) };
            out.insert(key(&k), value);
        }
        Ok(out)
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
    /// Whether the next element needs a comma before it: the innermost open array or object
    /// has one already. No stack is needed: an array or object that ends is itself an element
    /// of the one around it, which therefore has one.
    comma: bool,
    /// Whether a key was just written, so the next value needs no comma.
    after_key: bool,
}

impl JsonWriter {
    /// An empty writer (with room for a small body, as most request bodies are).
    pub fn new() -> Self {
        JsonWriter { out: String::with_capacity(256), ..JsonWriter::default() }
    }

    /// Writes the comma needed before a new element, if any.
    fn separate(&mut self) {
        if self.after_key {
            self.after_key = false;
        } else if self.comma {
            self.out.push(',');
        }
        self.comma = true;
    }

    /// Starts an object (`{`).
    pub fn begin_object(&mut self) {
        self.separate();
        self.out.push('{');
        self.comma = false;
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
        self.after_key = false;
        self.comma = true;
        self.out.push('}');
    }

    /// Starts an array (`[`).
    pub fn begin_array(&mut self) {
        self.separate();
        self.out.push('[');
        self.comma = false;
    }

    /// Ends the current array (`]`).
    pub fn end_array(&mut self) {
        self.after_key = false;
        self.comma = true;
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
    // The characters to escape are ASCII, so a byte search finds them at character boundaries.
    while let Some(index) = special_byte(rest.as_bytes()) {
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
