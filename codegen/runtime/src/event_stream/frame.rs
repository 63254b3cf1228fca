//! The `application/vnd.amazon.eventstream` binary framing: [`Message`]s of typed [`Header`]s
//! and a payload, encoded one after another, each checked by two CRC-32s; and the incremental
//! [`Decoder`] with its [`Limits`].
//!
//! One message on the wire:
//!
//! ```text
//! total length (u32) | headers length (u32) | prelude CRC (u32, of the 8 bytes before)
//! headers (headers length bytes) | payload | message CRC (u32, of every byte before)
//! ```
//!
//! All integers are big-endian. A header is its name's length (`u8`), the name (UTF-8), a type
//! byte and the value: `0` true and `1` false (no value), `2` byte (`i8`), `3` short (`i16`),
//! `4` integer (`i32`), `5` long (`i64`), `6` bytes and `7` string (a `u16` length, then the
//! bytes), `8` timestamp (`i64` milliseconds since the Unix epoch), `9` UUID (16 bytes).

use std::error::Error as StdError;
use std::fmt;

use super::crc32::{self, Crc32};
use crate::primitives::DateTime;

/// The length of the prelude: total length, headers length, prelude CRC.
const PRELUDE_LEN: usize = 12;
/// The length of the trailing message CRC.
const CRC_LEN: usize = 4;
/// The shortest message: a prelude and a message CRC, with no header and no payload.
const MIN_MESSAGE_LEN: usize = PRELUDE_LEN + CRC_LEN;
/// The longest header name the format can carry (its length is a `u8`).
pub const MAX_HEADER_NAME_LEN: usize = 255;
/// The longest bytes or string header value: `i16::MAX`, as every AWS implementation has it
/// (the length field is a `u16`, but the CRT, Java, Go and Rust SDKs stop at 32767).
pub const MAX_HEADER_VALUE_LEN: usize = i16::MAX as usize;

const TYPE_TRUE: u8 = 0;
const TYPE_FALSE: u8 = 1;
const TYPE_BYTE: u8 = 2;
const TYPE_SHORT: u8 = 3;
const TYPE_INT: u8 = 4;
const TYPE_LONG: u8 = 5;
const TYPE_BYTES: u8 = 6;
const TYPE_STRING: u8 = 7;
const TYPE_TIMESTAMP: u8 = 8;
const TYPE_UUID: u8 = 9;

/// The value of a [`Header`], one of the format's nine types.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum HeaderValue {
    /// A boolean (types `0`, true, and `1`, false).
    Bool(bool),
    /// An 8-bit integer (type `2`).
    Byte(i8),
    /// A 16-bit integer (type `3`).
    Short(i16),
    /// A 32-bit integer (type `4`).
    Int(i32),
    /// A 64-bit integer (type `5`).
    Long(i64),
    /// Bytes, at most [`MAX_HEADER_VALUE_LEN`] (type `6`).
    Bytes(Vec<u8>),
    /// A string, at most [`MAX_HEADER_VALUE_LEN`] bytes of UTF-8 (type `7`).
    String(String),
    /// An instant with millisecond precision (type `8`); finer digits are dropped when
    /// encoded.
    Timestamp(DateTime),
    /// A UUID, its 16 bytes in network order (type `9`).
    Uuid([u8; 16]),
}

impl HeaderValue {
    /// The string, if this is a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            HeaderValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The name of the value's type, for messages: `boolean`, `byte`, `short`, `integer`,
    /// `long`, `bytes`, `string`, `timestamp` or `uuid`.
    pub fn type_name(&self) -> &'static str {
        match self {
            HeaderValue::Bool(_) => "boolean",
            HeaderValue::Byte(_) => "byte",
            HeaderValue::Short(_) => "short",
            HeaderValue::Int(_) => "integer",
            HeaderValue::Long(_) => "long",
            HeaderValue::Bytes(_) => "bytes",
            HeaderValue::String(_) => "string",
            HeaderValue::Timestamp(_) => "timestamp",
            HeaderValue::Uuid(_) => "uuid",
        }
    }
}

impl From<bool> for HeaderValue {
    fn from(value: bool) -> Self {
        HeaderValue::Bool(value)
    }
}

impl From<i8> for HeaderValue {
    fn from(value: i8) -> Self {
        HeaderValue::Byte(value)
    }
}

impl From<i16> for HeaderValue {
    fn from(value: i16) -> Self {
        HeaderValue::Short(value)
    }
}

impl From<i32> for HeaderValue {
    fn from(value: i32) -> Self {
        HeaderValue::Int(value)
    }
}

impl From<i64> for HeaderValue {
    fn from(value: i64) -> Self {
        HeaderValue::Long(value)
    }
}

impl From<Vec<u8>> for HeaderValue {
    fn from(value: Vec<u8>) -> Self {
        HeaderValue::Bytes(value)
    }
}

impl From<String> for HeaderValue {
    fn from(value: String) -> Self {
        HeaderValue::String(value)
    }
}

impl From<&str> for HeaderValue {
    fn from(value: &str) -> Self {
        HeaderValue::String(value.to_owned())
    }
}

impl From<DateTime> for HeaderValue {
    fn from(value: DateTime) -> Self {
        HeaderValue::Timestamp(value)
    }
}

/// A named, typed header of a [`Message`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Header {
    name: String,
    value: HeaderValue,
}

impl Header {
    /// A header; its name must be at most [`MAX_HEADER_NAME_LEN`] bytes to be encoded.
    pub fn new(name: impl Into<String>, value: impl Into<HeaderValue>) -> Self {
        Header { name: name.into(), value: value.into() }
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its value.
    pub fn value(&self) -> &HeaderValue {
        &self.value
    }
}

/// One event-stream message: headers (in order, names unique) and a payload.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Message {
    headers: Vec<Header>,
    payload: Vec<u8>,
}

impl Message {
    /// A message with this payload and no header.
    pub fn new(payload: impl Into<Vec<u8>>) -> Self {
        Message { headers: Vec::new(), payload: payload.into() }
    }

    /// A message from its headers and payload.
    pub fn from_parts(headers: Vec<Header>, payload: Vec<u8>) -> Self {
        Message { headers, payload }
    }

    /// The same message with one more header (after the others).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<HeaderValue>) -> Self {
        self.headers.push(Header::new(name, value));
        self
    }

    /// Appends a header.
    pub fn push_header(&mut self, header: Header) {
        self.headers.push(header);
    }

    /// The headers, in order.
    pub fn headers(&self) -> &[Header] {
        &self.headers
    }

    /// The value of the header named `name`.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers.iter().find(|h| h.name == name).map(|h| &h.value)
    }

    /// The payload.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The headers and the payload.
    pub fn into_parts(self) -> (Vec<Header>, Vec<u8>) {
        (self.headers, self.payload)
    }

    /// The length of the encoded message, if it can be encoded within `limits`.
    pub fn encoded_len(&self, limits: &Limits) -> Result<usize, FrameError> {
        let headers_len = headers_len(&self.headers, limits)?;
        let total = MIN_MESSAGE_LEN as u64 + headers_len as u64 + self.payload.len() as u64;
        if total > u64::from(limits.max_message_len) {
            return Err(FrameError::MessageTooLong { len: total, max: limits.max_message_len });
        }
        Ok(total as usize)
    }

    /// The message encoded, within the default [`Limits`].
    pub fn encode(&self) -> Result<Vec<u8>, FrameError> {
        let mut out = Vec::new();
        self.encode_into(&mut out, &Limits::default())?;
        Ok(out)
    }

    /// Appends the encoded message to `out`; fails, writing nothing, if the message is not
    /// valid (a header name or value too long, names repeated, a timestamp
    /// beyond `i64` milliseconds) or does not fit `limits`.
    pub fn encode_into(&self, out: &mut Vec<u8>, limits: &Limits) -> Result<(), FrameError> {
        let total = self.encoded_len(limits)?;
        let mut timestamps = Vec::new();
        for header in &self.headers {
            if let HeaderValue::Timestamp(t) = &header.value {
                timestamps.push(to_millis(t).ok_or(FrameError::TimestampOutOfRange)?);
            }
        }
        let start = out.len();
        out.reserve(total);
        let headers_len = total - MIN_MESSAGE_LEN - self.payload.len();
        // Both lengths were checked against `u32` limits above.
        out.extend_from_slice(&(total as u32).to_be_bytes());
        out.extend_from_slice(&(headers_len as u32).to_be_bytes());
        let prelude_crc = crc32::checksum(&out[start..]);
        out.extend_from_slice(&prelude_crc.to_be_bytes());
        let mut timestamps = timestamps.into_iter();
        for header in &self.headers {
            // The name and value lengths were checked by `headers_len`.
            out.push(header.name.len() as u8);
            out.extend_from_slice(header.name.as_bytes());
            match &header.value {
                HeaderValue::Bool(true) => out.push(TYPE_TRUE),
                HeaderValue::Bool(false) => out.push(TYPE_FALSE),
                HeaderValue::Byte(v) => {
                    out.push(TYPE_BYTE);
                    out.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Short(v) => {
                    out.push(TYPE_SHORT);
                    out.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Int(v) => {
                    out.push(TYPE_INT);
                    out.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Long(v) => {
                    out.push(TYPE_LONG);
                    out.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Bytes(v) => {
                    out.push(TYPE_BYTES);
                    out.extend_from_slice(&(v.len() as u16).to_be_bytes());
                    out.extend_from_slice(v);
                }
                HeaderValue::String(v) => {
                    out.push(TYPE_STRING);
                    out.extend_from_slice(&(v.len() as u16).to_be_bytes());
                    out.extend_from_slice(v.as_bytes());
                }
                HeaderValue::Timestamp(_) => {
                    out.push(TYPE_TIMESTAMP);
                    let millis = timestamps.next().unwrap_or_default();
                    out.extend_from_slice(&millis.to_be_bytes());
                }
                HeaderValue::Uuid(v) => {
                    out.push(TYPE_UUID);
                    out.extend_from_slice(v);
                }
            }
        }
        out.extend_from_slice(&self.payload);
        let message_crc = crc32::checksum(&out[start..]);
        out.extend_from_slice(&message_crc.to_be_bytes());
        Ok(())
    }

    /// Decodes exactly one message, within the default [`Limits`]: `frame` must hold the whole
    /// message and nothing after it.
    pub fn decode(frame: &[u8]) -> Result<Message, FrameError> {
        let mut decoder = Decoder::new();
        let mut input = frame;
        match decoder.decode(&mut input)? {
            Some(message) if input.is_empty() => Ok(message),
            Some(_) => Err(FrameError::TrailingBytes { len: input.len() }),
            None => Err(decoder
                .finish()
                .err()
                .unwrap_or(FrameError::Truncated { have: frame.len(), need: MIN_MESSAGE_LEN })),
        }
    }
}

/// Milliseconds since the epoch (rounded toward negative infinity), if they fit an `i64`.
pub(crate) fn to_millis(t: &DateTime) -> Option<i64> {
    let millis = i128::from(t.secs()) * 1000 + i128::from(t.subsec_nanos() / 1_000_000);
    i64::try_from(millis).ok()
}

/// The encoded length of `headers`, checking every header and `limits`.
fn headers_len(headers: &[Header], limits: &Limits) -> Result<usize, FrameError> {
    if headers.len() > limits.max_header_count {
        return Err(FrameError::TooManyHeaders { max: limits.max_header_count });
    }
    let mut len = 0usize;
    for (i, header) in headers.iter().enumerate() {
        check_name(header.name.as_bytes())?;
        if headers[..i].iter().any(|h| h.name == header.name) {
            return Err(FrameError::DuplicateHeader { name: header.name.clone() });
        }
        let value_len = match &header.value {
            HeaderValue::Bool(_) => 0,
            HeaderValue::Byte(_) => 1,
            HeaderValue::Short(_) => 2,
            HeaderValue::Int(_) => 4,
            HeaderValue::Long(_) | HeaderValue::Timestamp(_) => 8,
            HeaderValue::Bytes(v) => 2 + check_value_len(&header.name, v.len())?,
            HeaderValue::String(v) => 2 + check_value_len(&header.name, v.len())?,
            HeaderValue::Uuid(_) => 16,
        };
        len += 1 + header.name.len() + 1 + value_len;
    }
    if len > limits.max_headers_len as usize {
        return Err(FrameError::HeadersTooLong { len: len as u64, max: limits.max_headers_len });
    }
    Ok(len)
}

fn check_name(name: &[u8]) -> Result<(), FrameError> {
    if name.len() > MAX_HEADER_NAME_LEN {
        return Err(FrameError::InvalidHeaderName { len: name.len() });
    }
    Ok(())
}

fn check_value_len(name: &str, len: usize) -> Result<usize, FrameError> {
    if len > MAX_HEADER_VALUE_LEN {
        return Err(FrameError::HeaderValueTooLong { name: name.to_owned(), len });
    }
    Ok(len)
}

/// The bounds a [`Decoder`] enforces on each message (and [`Message::encode_into`] keeps to).
///
/// The defaults are the AWS Common Runtime's: a message of at most 16 MiB in all (prelude,
/// headers, payload and CRC), headers of at most 128 KiB; and at most 256 headers (AWS's own
/// messages carry fewer than ten).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    max_message_len: u32,
    max_headers_len: u32,
    max_header_count: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

impl Limits {
    /// The default limits.
    pub const DEFAULT: Limits = Limits {
        max_message_len: 16 * 1024 * 1024,
        max_headers_len: 128 * 1024,
        max_header_count: 256,
    };

    /// These limits with messages of at most `len` bytes in all (prelude and CRC included);
    /// at least 16, the length of an empty message.
    pub fn with_max_message_len(mut self, len: u32) -> Self {
        self.max_message_len = len.max(MIN_MESSAGE_LEN as u32);
        self
    }

    /// These limits with headers of at most `len` bytes in all.
    pub fn with_max_headers_len(mut self, len: u32) -> Self {
        self.max_headers_len = len;
        self
    }

    /// These limits with at most `count` headers per message.
    pub fn with_max_header_count(mut self, count: usize) -> Self {
        self.max_header_count = count;
        self
    }

    /// The longest message, in bytes, prelude and CRC included.
    pub fn max_message_len(&self) -> u32 {
        self.max_message_len
    }

    /// The longest headers section, in bytes.
    pub fn max_headers_len(&self) -> u32 {
        self.max_headers_len
    }

    /// The most headers in one message.
    pub fn max_header_count(&self) -> usize {
        self.max_header_count
    }
}

/// Why bytes are not a valid event-stream message, or a message cannot be encoded.
///
/// A [`Decoder`] that returned one stays failed: the frame boundaries are lost.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// The prelude's total length is over the limit.
    MessageTooLong {
        /// The length of the message.
        len: u64,
        /// The limit.
        max: u32,
    },
    /// The prelude's total length is under 16, the length of an empty message.
    MessageTooShort {
        /// The total length the prelude gives.
        len: u32,
    },
    /// The headers section is over the limit.
    HeadersTooLong {
        /// Its length.
        len: u64,
        /// The limit.
        max: u32,
    },
    /// The prelude's headers length does not fit in its total length.
    HeadersLengthMismatch {
        /// The headers length.
        headers_len: u32,
        /// The total length.
        total_len: u32,
    },
    /// More headers than the limit.
    TooManyHeaders {
        /// The limit.
        max: usize,
    },
    /// The prelude's CRC is not the CRC of its first 8 bytes.
    PreludeChecksumMismatch {
        /// The CRC of the bytes.
        computed: u32,
        /// The CRC the prelude carries.
        sent: u32,
    },
    /// The message's CRC is not the CRC of its bytes.
    MessageChecksumMismatch {
        /// The CRC of the bytes.
        computed: u32,
        /// The CRC the message carries.
        sent: u32,
    },
    /// The input ended inside a message.
    Truncated {
        /// The bytes of the message received.
        have: usize,
        /// The bytes the message needs (the prelude's total length, or 12 before the
        /// prelude is complete).
        need: usize,
    },
    /// Bytes follow the one message [`Message::decode`] was given.
    TrailingBytes {
        /// How many.
        len: usize,
    },
    /// A header name is longer than [`MAX_HEADER_NAME_LEN`] (and cannot be encoded).
    InvalidHeaderName {
        /// Its length.
        len: usize,
    },
    /// A header name or string value is not UTF-8.
    InvalidUtf8 {
        /// The header's name (lossily decoded if it is the name that is not UTF-8).
        name: String,
    },
    /// A header's type byte is not one of the ten known types.
    InvalidHeaderType {
        /// The header's name.
        name: String,
        /// The type byte.
        type_byte: u8,
    },
    /// A bytes or string header value is longer than [`MAX_HEADER_VALUE_LEN`].
    HeaderValueTooLong {
        /// The header's name.
        name: String,
        /// The value's length.
        len: usize,
    },
    /// A header runs past the end of the headers section.
    HeaderOverrun {
        /// The offset of the header in the headers section.
        offset: usize,
    },
    /// Two headers have the same name.
    DuplicateHeader {
        /// The name.
        name: String,
    },
    /// A timestamp header is beyond the `i64` milliseconds the format carries.
    TimestampOutOfRange,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("event-stream message: ")?;
        match self {
            FrameError::MessageTooLong { len, max } => {
                write!(f, "{len} bytes long, over the limit of {max}")
            }
            FrameError::MessageTooShort { len } => {
                write!(f, "the prelude gives a total length of {len}, under the minimum of 16")
            }
            FrameError::HeadersTooLong { len, max } => {
                write!(f, "headers of {len} bytes, over the limit of {max}")
            }
            FrameError::HeadersLengthMismatch { headers_len, total_len } => write!(
                f,
                "headers of {headers_len} bytes do not fit in a message of {total_len} bytes"
            ),
            FrameError::TooManyHeaders { max } => write!(f, "more than {max} headers"),
            FrameError::PreludeChecksumMismatch { computed, sent } => write!(
                f,
                "prelude CRC mismatch (computed {computed:#010x}, the message has {sent:#010x})"
            ),
            FrameError::MessageChecksumMismatch { computed, sent } => write!(
                f,
                "message CRC mismatch (computed {computed:#010x}, the message has {sent:#010x})"
            ),
            FrameError::Truncated { have, need } => {
                write!(f, "truncated: the input ended after {have} of its {need} bytes")
            }
            FrameError::TrailingBytes { len } => write!(f, "{len} bytes after its end"),
            FrameError::InvalidHeaderName { len } => {
                write!(f, "a header name of {len} bytes (at most 255 allowed)")
            }
            FrameError::InvalidUtf8 { name } => {
                write!(f, "the name or string value of header `{name}` is not UTF-8")
            }
            FrameError::InvalidHeaderType { name, type_byte } => {
                write!(f, "header `{name}` has the unknown type {type_byte}")
            }
            FrameError::HeaderValueTooLong { name, len } => write!(
                f,
                "the value of header `{name}` is {len} bytes long, over the limit of {MAX_HEADER_VALUE_LEN}"
            ),
            FrameError::HeaderOverrun { offset } => write!(
                f,
                "the header at offset {offset} runs past the end of the headers section"
            ),
            FrameError::DuplicateHeader { name } => write!(f, "header `{name}` appears twice"),
            FrameError::TimestampOutOfRange => {
                f.write_str("a timestamp header beyond the range of i64 milliseconds")
            }
        }
    }
}

impl StdError for FrameError {}

/// An incremental decoder: bytes in, in chunks of any size, [`Message`]s out.
///
/// It holds at most one message (at most [`Limits::max_message_len`] bytes, allocated as the
/// bytes arrive, not as the prelude announces them), checks the prelude (its CRC, then the
/// lengths against the [`Limits`]) before buffering the rest, and the message CRC before
/// reading any header.
///
/// ```ignore
/// // (Not compiled: the crate's name differs in each generated crate; the runtime's unit tests
/// // feed the decoder chunks cut anywhere.)
/// use crate::event_stream::{Decoder, Message};
/// let frame = Message::new(b"hello".to_vec()).with_header("a", 1i32).encode().unwrap();
/// let mut decoder = Decoder::new();
/// let mut messages = Vec::new();
/// for chunk in frame.chunks(5) {
///     let mut input = chunk;
///     while let Some(message) = decoder.decode(&mut input).unwrap() {
///         messages.push(message);
///     }
/// }
/// decoder.finish().unwrap(); // nothing left over
/// assert_eq!(messages[0].payload(), b"hello");
/// ```
#[derive(Debug, Default)]
pub struct Decoder {
    limits: Limits,
    /// The current message's bytes so far.
    buffer: Vec<u8>,
    /// Its total length, once the prelude is read and checked.
    total_len: Option<usize>,
    /// The error that ended the stream.
    failed: Option<FrameError>,
}

impl Decoder {
    /// A decoder with the default [`Limits`].
    pub fn new() -> Self {
        Decoder::default()
    }

    /// A decoder with these limits.
    pub fn with_limits(limits: Limits) -> Self {
        Decoder { limits, ..Decoder::default() }
    }

    /// Takes bytes from the front of `input` (advancing it) until a message is complete, and
    /// returns it; returns `None` once `input` is used up with the message still incomplete.
    /// Call again with what is left of `input` for the next message. Bytes after the end of
    /// a message are left in `input`.
    pub fn decode(&mut self, input: &mut &[u8]) -> Result<Option<Message>, FrameError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        match self.step(input) {
            Ok(message) => Ok(message),
            Err(error) => {
                self.buffer = Vec::new();
                self.total_len = None;
                self.failed = Some(error.clone());
                Err(error)
            }
        }
    }

    /// Whether the input may end here: fails if it ended inside a message (or the decoder
    /// failed before).
    pub fn finish(&self) -> Result<(), FrameError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        if self.buffer.is_empty() {
            return Ok(());
        }
        Err(FrameError::Truncated {
            have: self.buffer.len(),
            need: self.total_len.unwrap_or(PRELUDE_LEN),
        })
    }

    /// The bytes of the incomplete message held.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// The capacity of the buffer (for the runtime's tests of its growth).
    #[allow(dead_code)]
    pub(crate) fn capacity(&self) -> usize {
        self.buffer.capacity()
    }

    /// The limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn step(&mut self, input: &mut &[u8]) -> Result<Option<Message>, FrameError> {
        let total_len = match self.total_len {
            Some(total_len) => total_len,
            None => {
                self.take(input, PRELUDE_LEN);
                if self.buffer.len() < PRELUDE_LEN {
                    return Ok(None);
                }
                let total_len = self.check_prelude()?;
                self.total_len = Some(total_len);
                total_len
            }
        };
        self.take(input, total_len);
        if self.buffer.len() < total_len {
            return Ok(None);
        }
        self.total_len = None;
        let frame = std::mem::take(&mut self.buffer);
        read_message(frame, &self.limits).map(Some)
    }

    /// Moves bytes from `input` to the buffer until it holds `until` bytes, growing it no
    /// further than that.
    fn take(&mut self, input: &mut &[u8], until: usize) {
        let count = until.saturating_sub(self.buffer.len()).min(input.len());
        if count == 0 {
            return;
        }
        let needed = self.buffer.len() + count;
        if needed > self.buffer.capacity() {
            // Double as bytes arrive (at least 4 KiB), never past the message's length.
            let target = needed.max(self.buffer.capacity() * 2).max(4096).min(until);
            self.buffer.reserve_exact(target - self.buffer.len());
        }
        let (taken, rest) = input.split_at(count);
        self.buffer.extend_from_slice(taken);
        *input = rest;
    }

    /// Checks the buffered prelude and returns the message's total length.
    fn check_prelude(&self) -> Result<usize, FrameError> {
        let prelude = &self.buffer[..PRELUDE_LEN];
        let total_len = be_u32(&prelude[0..4]);
        let headers_len = be_u32(&prelude[4..8]);
        let sent = be_u32(&prelude[8..12]);
        let computed = crc32::checksum(&prelude[..8]);
        if computed != sent {
            return Err(FrameError::PreludeChecksumMismatch { computed, sent });
        }
        if (total_len as usize) < MIN_MESSAGE_LEN {
            return Err(FrameError::MessageTooShort { len: total_len });
        }
        if total_len > self.limits.max_message_len {
            return Err(FrameError::MessageTooLong {
                len: u64::from(total_len),
                max: self.limits.max_message_len,
            });
        }
        if headers_len > self.limits.max_headers_len {
            return Err(FrameError::HeadersTooLong {
                len: u64::from(headers_len),
                max: self.limits.max_headers_len,
            });
        }
        if headers_len as usize > total_len as usize - MIN_MESSAGE_LEN {
            return Err(FrameError::HeadersLengthMismatch { headers_len, total_len });
        }
        Ok(total_len as usize)
    }
}

fn be_u32(bytes: &[u8]) -> u32 {
    let mut array = [0u8; 4];
    array.copy_from_slice(&bytes[..4]);
    u32::from_be_bytes(array)
}

/// Reads the whole `frame`, whose prelude is checked.
fn read_message(mut frame: Vec<u8>, limits: &Limits) -> Result<Message, FrameError> {
    let total_len = frame.len();
    let body_end = total_len - CRC_LEN;
    let sent = be_u32(&frame[body_end..]);
    let mut crc = Crc32::new();
    crc.update(&frame[..body_end]);
    let computed = crc.finish();
    if computed != sent {
        return Err(FrameError::MessageChecksumMismatch { computed, sent });
    }
    let headers_end = PRELUDE_LEN + be_u32(&frame[4..8]) as usize;
    let headers = read_headers(&frame[PRELUDE_LEN..headers_end], limits)?;
    // The payload, in place: drop the CRC, then the prelude and headers.
    frame.truncate(body_end);
    frame.drain(..headers_end);
    Ok(Message { headers, payload: frame })
}

/// A cursor over the headers section.
struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
    /// Where the current header starts (for errors).
    header_start: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize) -> Result<&'a [u8], FrameError> {
        let end = self.position.checked_add(count).filter(|&end| end <= self.bytes.len());
        let end = end.ok_or(FrameError::HeaderOverrun { offset: self.header_start })?;
        let taken = &self.bytes[self.position..end];
        self.position = end;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], FrameError> {
        let mut array = [0u8; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }
}

fn read_headers(bytes: &[u8], limits: &Limits) -> Result<Vec<Header>, FrameError> {
    let mut headers: Vec<Header> = Vec::new();
    let mut reader = Reader { bytes, position: 0, header_start: 0 };
    while reader.position < bytes.len() {
        if headers.len() == limits.max_header_count {
            return Err(FrameError::TooManyHeaders { max: limits.max_header_count });
        }
        reader.header_start = reader.position;
        let [name_len] = reader.array::<1>()?;
        let name = reader.take(usize::from(name_len))?;
        let name = std::str::from_utf8(name)
            .map_err(|_| FrameError::InvalidUtf8 { name: String::from_utf8_lossy(name).into() })?
            .to_owned();
        let [type_byte] = reader.array::<1>()?;
        let value = match type_byte {
            TYPE_TRUE => HeaderValue::Bool(true),
            TYPE_FALSE => HeaderValue::Bool(false),
            TYPE_BYTE => HeaderValue::Byte(i8::from_be_bytes(reader.array()?)),
            TYPE_SHORT => HeaderValue::Short(i16::from_be_bytes(reader.array()?)),
            TYPE_INT => HeaderValue::Int(i32::from_be_bytes(reader.array()?)),
            TYPE_LONG => HeaderValue::Long(i64::from_be_bytes(reader.array()?)),
            TYPE_BYTES | TYPE_STRING => {
                let len = usize::from(u16::from_be_bytes(reader.array()?));
                let len = check_value_len(&name, len)?;
                let value = reader.take(len)?;
                if type_byte == TYPE_BYTES {
                    HeaderValue::Bytes(value.to_vec())
                } else {
                    match std::str::from_utf8(value) {
                        Ok(s) => HeaderValue::String(s.to_owned()),
                        Err(_) => return Err(FrameError::InvalidUtf8 { name }),
                    }
                }
            }
            TYPE_TIMESTAMP => {
                HeaderValue::Timestamp(DateTime::from_millis(i64::from_be_bytes(reader.array()?)))
            }
            TYPE_UUID => HeaderValue::Uuid(reader.array()?),
            _ => return Err(FrameError::InvalidHeaderType { name, type_byte }),
        };
        if headers.iter().any(|h| h.name == name) {
            return Err(FrameError::DuplicateHeader { name });
        }
        headers.push(Header { name, value });
    }
    Ok(headers)
}
