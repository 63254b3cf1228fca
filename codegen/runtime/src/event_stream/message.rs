//! What AWS event streams mean by a message's headers: `:message-type` says whether it is an
//! event (its member in `:event-type`), a modeled exception (`:exception-type`) or an
//! unmodeled error (`:error-code`, `:error-message`); `:content-type` describes the payload.
//! The first message of a stream may be the `initial-request` or `initial-response` event,
//! carrying the operation's non-stream input or output members.
//!
//! [`Message::kind`] reads these headers into a [`Kind`]; the constructors build messages
//! that carry them.

use std::error::Error as StdError;
use std::fmt;

use super::frame::{HeaderValue, Message};

/// The header naming what a message is: `event`, `exception` or `error`.
pub const MESSAGE_TYPE: &str = ":message-type";
/// The header naming an event's member of the event-stream union.
pub const EVENT_TYPE: &str = ":event-type";
/// The header naming a modeled exception's member of the event-stream union.
pub const EXCEPTION_TYPE: &str = ":exception-type";
/// The header with an unmodeled error's code.
pub const ERROR_CODE: &str = ":error-code";
/// The header with an unmodeled error's message.
pub const ERROR_MESSAGE: &str = ":error-message";
/// The header with the media type of the payload.
pub const CONTENT_TYPE: &str = ":content-type";
/// The `:event-type` of the event carrying an input's non-stream members.
pub const INITIAL_REQUEST: &str = "initial-request";
/// The `:event-type` of the event carrying an output's non-stream members.
pub const INITIAL_RESPONSE: &str = "initial-response";

/// What a message is, read from its headers by [`Message::kind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind<'a> {
    /// An event (`:message-type` `event`): a member of the event-stream union, or the
    /// `initial-request`/`initial-response` event.
    Event {
        /// `:event-type`.
        event_type: &'a str,
    },
    /// A modeled exception (`:message-type` `exception`), one of the union's error members.
    Exception {
        /// `:exception-type`.
        exception_type: &'a str,
    },
    /// An error the model does not describe (`:message-type` `error`); it ends the stream.
    Error {
        /// `:error-code`.
        code: &'a str,
        /// `:error-message`, if sent.
        message: Option<&'a str>,
    },
}

impl Kind<'_> {
    /// Whether this is the `initial-request` event.
    pub fn is_initial_request(&self) -> bool {
        matches!(self, Kind::Event { event_type } if *event_type == INITIAL_REQUEST)
    }

    /// Whether this is the `initial-response` event.
    pub fn is_initial_response(&self) -> bool {
        matches!(self, Kind::Event { event_type } if *event_type == INITIAL_RESPONSE)
    }
}

/// Why a message's headers do not say what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessageError {
    /// A header the message needs is missing.
    MissingHeader {
        /// Its name.
        name: &'static str,
    },
    /// A header that must be a string is not.
    NotAString {
        /// Its name.
        name: &'static str,
        /// The type it has.
        found: &'static str,
    },
    /// `:message-type` is none of `event`, `exception`, `error`.
    UnknownMessageType {
        /// Its value.
        value: String,
    },
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MessageError::MissingHeader { name } => {
                write!(f, "event-stream message without a `{name}` header")
            }
            MessageError::NotAString { name, found } => {
                write!(f, "event-stream message whose `{name}` header is a {found}, not a string")
            }
            MessageError::UnknownMessageType { value } => {
                write!(f, "event-stream message of the unknown `:message-type` `{value}`")
            }
        }
    }
}

impl StdError for MessageError {}

impl Message {
    /// The string header `name`, `None` if absent; an error if it is not a string.
    fn string_header(&self, name: &'static str) -> Result<Option<&str>, MessageError> {
        match self.header(name) {
            None => Ok(None),
            Some(HeaderValue::String(value)) => Ok(Some(value)),
            Some(other) => Err(MessageError::NotAString { name, found: other.type_name() }),
        }
    }

    fn required(&self, name: &'static str) -> Result<&str, MessageError> {
        self.string_header(name)?.ok_or(MessageError::MissingHeader { name })
    }

    /// What the message is, by `:message-type` and the header that type needs.
    pub fn kind(&self) -> Result<Kind<'_>, MessageError> {
        match self.required(MESSAGE_TYPE)? {
            "event" => Ok(Kind::Event { event_type: self.required(EVENT_TYPE)? }),
            "exception" => Ok(Kind::Exception { exception_type: self.required(EXCEPTION_TYPE)? }),
            "error" => Ok(Kind::Error {
                code: self.required(ERROR_CODE)?,
                message: self.string_header(ERROR_MESSAGE)?,
            }),
            other => Err(MessageError::UnknownMessageType { value: other.to_owned() }),
        }
    }

    /// `:content-type`, if the message has one.
    pub fn content_type(&self) -> Result<Option<&str>, MessageError> {
        self.string_header(CONTENT_TYPE)
    }

    /// An event of the union member `event_type`; `content_type` is the payload's media
    /// type, `None` for an event without payload. Members bound with `@eventHeader` are
    /// added to it with [`with_header`](Message::with_header).
    pub fn event(event_type: &str, content_type: Option<&str>, payload: Vec<u8>) -> Message {
        let message = Message::new(payload)
            .with_header(MESSAGE_TYPE, "event")
            .with_header(EVENT_TYPE, event_type);
        match content_type {
            Some(content_type) => message.with_header(CONTENT_TYPE, content_type),
            None => message,
        }
    }

    /// The `initial-request` event, with the input's non-stream members as a `content_type`
    /// document.
    pub fn initial_request(content_type: &str, payload: Vec<u8>) -> Message {
        Message::event(INITIAL_REQUEST, Some(content_type), payload)
    }

    /// The `initial-response` event, with the output's non-stream members as a `content_type`
    /// document.
    pub fn initial_response(content_type: &str, payload: Vec<u8>) -> Message {
        Message::event(INITIAL_RESPONSE, Some(content_type), payload)
    }

    /// A modeled exception, the union's error member `exception_type`.
    pub fn exception(exception_type: &str, content_type: &str, payload: Vec<u8>) -> Message {
        Message::new(payload)
            .with_header(MESSAGE_TYPE, "exception")
            .with_header(EXCEPTION_TYPE, exception_type)
            .with_header(CONTENT_TYPE, content_type)
    }

    /// An unmodeled error, with its code and message and no payload.
    pub fn error(code: &str, message: &str) -> Message {
        Message::new(Vec::new())
            .with_header(MESSAGE_TYPE, "error")
            .with_header(ERROR_CODE, code)
            .with_header(ERROR_MESSAGE, message)
    }
}
