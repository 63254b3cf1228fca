//! SigV4 event-stream signing (feature `client`): every message a client sends on an input
//! stream travels inside a signed envelope, a message whose headers are `:date` (a timestamp)
//! and `:chunk-signature` (32 bytes) and whose payload is the encoded inner message. Each
//! signature covers the previous one, starting from the signature of the HTTP request that
//! opened the stream; an envelope with an empty payload ends the stream.
//!
//! The signature is HMAC-SHA256, with the request's signing key, of
//!
//! ```text
//! AWS4-HMAC-SHA256-PAYLOAD
//! <:date as YYYYMMDD'T'HHMMSS'Z'>
//! <YYYYMMDD>/<region>/<service>/aws4_request
//! <previous signature, hex>
//! <SHA-256 of the encoded :date header, hex>
//! <SHA-256 of the payload, hex>
//! ```
//!
//! [`MessageSigner`] signs with AWS's own `aws-sigv4` (`event_stream::sign_message`).
//! [`MessageVerifier`] checks envelopes on the receiving side (a server, or tests): it
//! recomputes the signature from the bytes received, with `aws-sigv4`'s signing key and
//! HMAC and `sha2`'s SHA-256.

use std::error::Error as StdError;
use std::fmt;
use std::time::SystemTime;

use aws_sigv4::event_stream::{sign_empty_message, sign_message, SigningParams};
use aws_sigv4::http_request::SigningError;
use aws_sigv4::sign::v4;
use aws_sigv4::SigningOutput;
use aws_smithy_types::event_stream as aws;
use sha2::{Digest, Sha256};

use super::frame::{to_millis, FrameError, Header, HeaderValue, Limits, Message};
use crate::client::Credentials;
use crate::primitives::{DateTime, Format};

/// The header with the envelope's signing time.
pub const DATE: &str = ":date";
/// The header with the envelope's signature (32 bytes).
pub const CHUNK_SIGNATURE: &str = ":chunk-signature";
/// The `X-Amz-Content-Sha256` of the HTTP request that opens a signed input event stream.
pub const STREAMING_EVENTS_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// What an envelope adds to the message it carries: its prelude and CRC (16 bytes), `:date`
/// (1 + 5 + 1 + 8) and `:chunk-signature` (1 + 16 + 1 + 2 + 32).
const ENVELOPE_OVERHEAD: usize = 16 + 15 + 52;

/// Why a message could not be signed or an envelope was not accepted.
#[derive(Debug)]
#[non_exhaustive]
pub enum SignError {
    /// The message (or its envelope) cannot be encoded within the default [`Limits`].
    Frame(FrameError),
    /// The signer failed.
    Signing(String),
    /// The stream already ended with its final empty envelope.
    Ended,
    /// An envelope lacks `:date` or `:chunk-signature`, or one has the wrong type.
    MalformedEnvelope(&'static str),
    /// The envelope's signature is not the one its content, time and place in the stream give.
    SignatureMismatch,
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::Frame(e) => write!(f, "cannot sign the event-stream message: {e}"),
            SignError::Signing(e) => write!(f, "cannot sign the event-stream message: {e}"),
            SignError::Ended => {
                f.write_str("the signed event stream has ended (its final empty message was sent)")
            }
            SignError::MalformedEnvelope(why) => {
                write!(f, "malformed signed event-stream message: {why}")
            }
            SignError::SignatureMismatch => {
                f.write_str("the event-stream message signature does not match")
            }
        }
    }
}

impl StdError for SignError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SignError::Frame(e) => Some(e),
            _ => None,
        }
    }
}

impl From<FrameError> for SignError {
    fn from(error: FrameError) -> Self {
        SignError::Frame(error)
    }
}

/// Signs the messages of one input event stream, each chained to the one before.
#[derive(Debug)]
pub struct MessageSigner {
    credentials: Credentials,
    region: String,
    signing_name: String,
    last_signature: String,
    ended: bool,
}

impl MessageSigner {
    /// A signer for a stream whose HTTP request was signed with `request_signature` (hex), by
    /// `credentials` for `signing_name` in `region`.
    pub fn new(
        credentials: Credentials,
        region: impl Into<String>,
        signing_name: impl Into<String>,
        request_signature: impl Into<String>,
    ) -> Self {
        MessageSigner {
            credentials,
            region: region.into(),
            signing_name: signing_name.into(),
            last_signature: request_signature.into(),
            ended: false,
        }
    }

    /// The signature of the last envelope (the request's before the first).
    pub fn last_signature(&self) -> &str {
        &self.last_signature
    }

    /// The signed envelope of `message`, at `time` (whole seconds: the sub-second part is
    /// dropped, as the signature's timestamp has none).
    pub fn sign(&mut self, message: &Message, time: SystemTime) -> Result<Message, SignError> {
        // What our decoder would reject is not signed: the message, or its envelope.
        let len = message.encoded_len(&Limits::default())? + ENVELOPE_OVERHEAD;
        let max = Limits::default().max_message_len();
        if len > max as usize {
            return Err(SignError::Frame(FrameError::MessageTooLong { len: len as u64, max }));
        }
        let inner = to_aws(message)?;
        self.signed(time, |last, params| sign_message(&inner, last, params))
    }

    /// The final, empty, signed envelope, at `time`; nothing can be signed after it.
    pub fn sign_end(&mut self, time: SystemTime) -> Result<Message, SignError> {
        // A closure: the function item ties its two references to one lifetime.
        #[allow(clippy::redundant_closure)]
        let envelope = self.signed(time, |last, params| sign_empty_message(last, params))?;
        self.ended = true;
        Ok(envelope)
    }

    /// Runs `sign` with the last signature and the signing parameters at `time`, and keeps
    /// the new signature.
    fn signed(
        &mut self,
        time: SystemTime,
        sign: impl FnOnce(&str, &SigningParams<'_>) -> Result<SigningOutput<aws::Message>, SigningError>,
    ) -> Result<Message, SignError> {
        if self.ended {
            return Err(SignError::Ended);
        }
        let identity = aws_credential_types::Credentials::new(
            self.credentials.access_key_id(),
            self.credentials.secret_access_key(),
            self.credentials.session_token().map(str::to_owned),
            self.credentials.expiry(),
            "generated-client",
        )
        .into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(&self.signing_name)
            .time(time)
            .settings(())
            .build()
            .map_err(|e| SignError::Signing(e.to_string()))?;
        let (signed, signature) = sign(&self.last_signature, &params)
            .map_err(|e| SignError::Signing(e.to_string()))?
            .into_parts();
        let envelope = from_aws(&signed)?;
        envelope.encoded_len(&Limits::default())?;
        self.last_signature = signature;
        Ok(envelope)
    }
}

/// What a verified envelope held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The envelope's `:date`: the caller decides how far from its clock it may be.
    pub date: DateTime,
    /// The inner message; `None` for the final empty envelope.
    pub message: Option<Message>,
}

/// Checks the signed envelopes of one input event stream, in order, as a server receives them.
pub struct MessageVerifier {
    secret_access_key: String,
    region: String,
    signing_name: String,
    last_signature: String,
    ended: bool,
}

impl fmt::Debug for MessageVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageVerifier")
            .field("region", &self.region)
            .field("signing_name", &self.signing_name)
            .field("last_signature", &self.last_signature)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl MessageVerifier {
    /// A verifier for a stream whose HTTP request carried `request_signature` (hex, already
    /// checked), signed with `credentials` for `signing_name` in `region`.
    pub fn new(
        credentials: &Credentials,
        region: impl Into<String>,
        signing_name: impl Into<String>,
        request_signature: impl Into<String>,
    ) -> Self {
        MessageVerifier {
            secret_access_key: credentials.secret_access_key().to_owned(),
            region: region.into(),
            signing_name: signing_name.into(),
            last_signature: request_signature.into(),
            ended: false,
        }
    }

    /// Whether the final empty envelope has been verified.
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// Checks the next envelope's signature and returns what it carries: the inner message
    /// (decoded within the default [`Limits`]) or, for the final empty envelope, none.
    pub fn verify(&mut self, envelope: &Message) -> Result<Verified, SignError> {
        if self.ended {
            return Err(SignError::Ended);
        }
        let date = match envelope.header(DATE) {
            Some(HeaderValue::Timestamp(date)) => *date,
            Some(_) => return Err(SignError::MalformedEnvelope("`:date` is not a timestamp")),
            None => return Err(SignError::MalformedEnvelope("no `:date` header")),
        };
        let sent = match envelope.header(CHUNK_SIGNATURE) {
            Some(HeaderValue::Bytes(bytes)) if bytes.len() == 32 => hex(bytes),
            Some(_) => {
                return Err(SignError::MalformedEnvelope(
                    "`:chunk-signature` is not 32 bytes of type bytes",
                ))
            }
            None => return Err(SignError::MalformedEnvelope("no `:chunk-signature` header")),
        };
        if envelope.headers().len() != 2 {
            return Err(SignError::MalformedEnvelope(
                "headers other than `:date` and `:chunk-signature`",
            ));
        }
        let seconds = DateTime::from_secs(date.secs());
        let stamp = seconds
            .fmt(Format::DateTime)
            .ok()
            .filter(|s| s.len() == 20)
            .ok_or(SignError::MalformedEnvelope("`:date` is outside the years 0000 to 9999"))?;
        // `2026-01-02T03:04:05Z` → `20260102T030405Z`
        let stamp: String = stamp.chars().filter(|c| *c != '-' && *c != ':').collect();
        let time = SystemTime::try_from(seconds)
            .map_err(|_| SignError::MalformedEnvelope("`:date` is not a time this platform has"))?;
        let mut date_header = Vec::new();
        Message::from_parts(vec![Header::new(DATE, date)], Vec::new())
            .encode_into(&mut date_header, &Limits::default())?;
        // The header alone: the encoded message minus its prelude and CRC.
        let date_header = &date_header[12..date_header.len() - 4];
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{stamp}\n{}/{}/{}/aws4_request\n{}\n{}\n{}",
            &stamp[..8],
            self.region,
            self.signing_name,
            self.last_signature,
            hex(&Sha256::digest(date_header)),
            hex(&Sha256::digest(envelope.payload())),
        );
        let key = v4::generate_signing_key(
            &self.secret_access_key,
            time,
            &self.region,
            &self.signing_name,
        );
        let expected = v4::calculate_signature(key, string_to_sign.as_bytes());
        if !constant_time_eq(expected.as_bytes(), sent.as_bytes()) {
            return Err(SignError::SignatureMismatch);
        }
        self.last_signature = expected;
        if envelope.payload().is_empty() {
            self.ended = true;
            return Ok(Verified { date, message: None });
        }
        let message = Message::decode(envelope.payload())?;
        Ok(Verified { date, message: Some(message) })
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xF)]));
    }
    out
}

/// Equality whose time does not depend on where the inputs differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Our message as `aws-smithy-types`' (for `aws-sigv4`).
fn to_aws(message: &Message) -> Result<aws::Message, SignError> {
    let mut headers = Vec::with_capacity(message.headers().len());
    for header in message.headers() {
        let value = match header.value() {
            HeaderValue::Bool(v) => aws::HeaderValue::Bool(*v),
            HeaderValue::Byte(v) => aws::HeaderValue::Byte(*v),
            HeaderValue::Short(v) => aws::HeaderValue::Int16(*v),
            HeaderValue::Int(v) => aws::HeaderValue::Int32(*v),
            HeaderValue::Long(v) => aws::HeaderValue::Int64(*v),
            HeaderValue::Bytes(v) => aws::HeaderValue::ByteArray(v.clone().into()),
            HeaderValue::String(v) => aws::HeaderValue::String(v.clone().into()),
            HeaderValue::Timestamp(v) => {
                let millis =
                    to_millis(v).ok_or(SignError::Frame(FrameError::TimestampOutOfRange))?;
                aws::HeaderValue::Timestamp(aws_smithy_types::DateTime::from_millis(millis))
            }
            HeaderValue::Uuid(v) => aws::HeaderValue::Uuid(u128::from_be_bytes(*v)),
        };
        headers.push(aws::Header::new(header.name().to_owned(), value));
    }
    Ok(aws::Message::new_from_parts(headers, message.payload().to_vec()))
}

/// `aws-smithy-types`' message as ours (the envelopes `aws-sigv4` returns).
fn from_aws(message: &aws::Message) -> Result<Message, SignError> {
    let mut headers = Vec::with_capacity(message.headers().len());
    for header in message.headers() {
        let value = match header.value() {
            aws::HeaderValue::Bool(v) => HeaderValue::Bool(*v),
            aws::HeaderValue::Byte(v) => HeaderValue::Byte(*v),
            aws::HeaderValue::Int16(v) => HeaderValue::Short(*v),
            aws::HeaderValue::Int32(v) => HeaderValue::Int(*v),
            aws::HeaderValue::Int64(v) => HeaderValue::Long(*v),
            aws::HeaderValue::ByteArray(v) => HeaderValue::Bytes(v.to_vec()),
            aws::HeaderValue::String(v) => HeaderValue::String(v.as_str().to_owned()),
            aws::HeaderValue::Timestamp(v) => {
                let millis =
                    v.to_millis().map_err(|_| SignError::Frame(FrameError::TimestampOutOfRange))?;
                HeaderValue::Timestamp(DateTime::from_millis(millis))
            }
            aws::HeaderValue::Uuid(v) => HeaderValue::Uuid(v.to_be_bytes()),
            _ => {
                return Err(SignError::Signing("the signer returned an unknown header type".into()))
            }
        };
        headers.push(Header::new(header.name().as_str(), value));
    }
    Ok(Message::from_parts(headers, message.payload().to_vec()))
}
