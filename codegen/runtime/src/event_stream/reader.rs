//! [`MessageReader`] (features `client` and `server`): the messages of an event-stream body,
//! decoded as its bytes arrive: what a client's receiver of output events and a server's of
//! input events read from.

use std::error::Error as StdError;
use std::fmt;

use bytes::{Buf, Bytes};

use super::frame::{Decoder, FrameError, Limits, Message};
use crate::byte_stream::{ByteStream, ByteStreamError};

/// Why a [`MessageReader`] stopped.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    /// The body failed (the connection broke, a timeout).
    Body(ByteStreamError),
    /// The bytes are not valid event-stream messages, or the body ended inside one.
    Frame(FrameError),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Body(e) => write!(f, "reading the event stream failed: {e}"),
            ReadError::Frame(e) => write!(f, "reading the event stream failed: {e}"),
        }
    }
}

impl StdError for ReadError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            ReadError::Body(e) => Some(e),
            ReadError::Frame(e) => Some(e),
        }
    }
}

/// Reads the [`Message`]s of an event-stream body one at a time, holding at most one chunk of
/// the body and one message.
#[derive(Debug)]
pub struct MessageReader {
    body: ByteStream,
    decoder: Decoder,
    /// What is left of the last chunk of the body.
    chunk: Bytes,
    /// The body ended, or reading failed: nothing more is read.
    done: bool,
}

impl MessageReader {
    /// A reader of `body` with the default [`Limits`].
    pub fn new(body: ByteStream) -> Self {
        MessageReader::with_limits(body, Limits::default())
    }

    /// A reader of `body` with these limits.
    pub fn with_limits(body: ByteStream, limits: Limits) -> Self {
        MessageReader {
            body,
            decoder: Decoder::with_limits(limits),
            chunk: Bytes::new(),
            done: false,
        }
    }

    /// The next message; `None` once the body has ended between two messages. After an
    /// error, or the end, it returns `None`.
    pub async fn recv(&mut self) -> Result<Option<Message>, ReadError> {
        while !self.done {
            if !self.chunk.is_empty() {
                let mut input = &self.chunk[..];
                let decoded = self.decoder.decode(&mut input);
                let used = self.chunk.len() - input.len();
                self.chunk.advance(used);
                match decoded {
                    Ok(Some(message)) => return Ok(Some(message)),
                    Ok(None) => {}
                    Err(e) => return Err(self.fail(ReadError::Frame(e))),
                }
                continue;
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.chunk = chunk,
                Some(Err(e)) => return Err(self.fail(ReadError::Body(e))),
                None => {
                    self.done = true;
                    self.decoder.finish().map_err(ReadError::Frame)?;
                }
            }
        }
        Ok(None)
    }

    fn fail(&mut self, error: ReadError) -> ReadError {
        self.done = true;
        self.chunk = Bytes::new();
        error
    }
}
