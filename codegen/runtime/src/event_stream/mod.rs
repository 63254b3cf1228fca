//! AWS event streams (`@streaming` unions): the `application/vnd.amazon.eventstream` framing
//! ([`Message`], [`Header`], [`HeaderValue`], the incremental [`Decoder`] and its [`Limits`]),
//! what the headers mean ([`Kind`], [`Message::kind`], and the constructors of events,
//! exceptions and errors); with the `client` or `server` feature, [`MessageReader`], the
//! messages of a body ([`ByteStream`](crate::byte_stream::ByteStream)) as they arrive;
//! [`EventStream`], the value of an event-stream member (its events received or sent one at a
//! time), with [`EventStreamError`]; with the `server` feature, the bodies of a streaming
//! server ([`EventStreamBody`], [`open_request_messages`] and its [`EnvelopeVerifier`]); and,
//! with the `client` feature, SigV4 event-stream signing ([`MessageSigner`], and
//! [`MessageVerifier`] for the receiving side).
//!
//! The framing is written here, CRC-32 included, so that it costs a generated crate no
//! dependency; the signing uses AWS's `aws-sigv4`.

pub(crate) mod crc32;
mod frame;
mod message;
#[cfg(any(feature = "client", feature = "server"))]
mod reader;
#[cfg(feature = "server")]
mod server;
#[cfg(feature = "client")]
mod sign;
mod stream;

pub use self::frame::{
    Decoder, FrameError, Header, HeaderValue, Limits, Message, MAX_HEADER_NAME_LEN,
    MAX_HEADER_VALUE_LEN,
};
pub use self::message::{
    Kind, MessageError, CONTENT_TYPE, ERROR_CODE, ERROR_MESSAGE, EVENT_TYPE, EXCEPTION_TYPE,
    INITIAL_REQUEST, INITIAL_RESPONSE, MESSAGE_TYPE,
};
#[cfg(any(feature = "client", feature = "server"))]
pub use self::reader::{MessageReader, ReadError};
#[cfg(feature = "server")]
pub use self::server::{
    open_request_messages, EnvelopeVerifier, EventStreamBody, STREAMING_EVENTS,
};
#[cfg(feature = "client")]
pub use self::sign::{
    MessageSigner, MessageVerifier, SignError, Verified, CHUNK_SIGNATURE, DATE,
    STREAMING_EVENTS_PAYLOAD,
};
#[cfg(feature = "client")]
pub use self::stream::{BodySigner, Marshal};
pub use self::stream::{EventStream, EventStreamError, Unmarshal, Unmarshalled};
