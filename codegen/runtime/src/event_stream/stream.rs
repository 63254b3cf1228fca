//! [`EventStream`]: the value of an event-stream member (a `@streaming` union): the events, of
//! type `T` (the union), with the stream's modeled exceptions, of type `E` (its error enum),
//! taken one at a time with [`recv`](EventStream::recv), wherever they come from — events given
//! in memory, the messages of a body (decoded by the generated unmarshaller, as they arrive with
//! the `client` or `server` feature), or (with `client` or `server`) any `Stream` of events.
//!
//! A receiver dispatches each message by its headers ([`Message::kind`]): an event goes to the
//! unmarshaller (an `:event-type` the model does not know becomes the union's catch-all variant
//! and the stream goes on; the `initial-response` and `initial-request` events are skipped), a
//! modeled exception ends the stream with [`EventStreamError::Service`], and
//! `:message-type error` ends it with [`EventStreamError::Unmodeled`]. After an error the stream
//! is over: `recv` returns `Ok(None)`.

use std::collections::VecDeque;
use std::error::Error as StdError;
use std::fmt;

use super::frame::{Decoder, FrameError, Message};
use super::message::{Kind, MessageError};
use crate::error::DeserializeError;

/// What the generated unmarshaller makes of an event or exception message.
#[derive(Debug)]
pub enum Unmarshalled<T, E> {
    /// An event (a member of the union, or its catch-all variant).
    Event(T),
    /// A modeled exception.
    Exception(E),
    /// A message to skip (the `initial-response` or `initial-request` event).
    Skip,
}

/// The generated unmarshaller of a stream: the message and what its headers say it is (an
/// event or an exception; errors are the stream's).
pub type Unmarshal<T, E> = fn(&Message, Kind<'_>) -> Result<Unmarshalled<T, E>, DeserializeError>;

/// Why an [`EventStream`] ended before its end.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventStreamError<E> {
    /// A modeled exception of the stream.
    Service(E),
    /// An error the model does not describe (`:message-type error`).
    Unmodeled {
        /// `:error-code`.
        code: String,
        /// `:error-message`, if sent.
        message: Option<String>,
    },
    /// A message whose headers do not say what it is.
    Message(MessageError),
    /// An event or exception whose payload or headers could not be read.
    Deserialize(DeserializeError),
    /// The bytes are not event-stream messages, or they ended inside one.
    Frame(FrameError),
    /// The body failed (the connection broke, a timeout).
    #[cfg(any(feature = "client", feature = "server"))]
    Body(crate::byte_stream::ByteStreamError),
}

impl<E: fmt::Display> fmt::Display for EventStreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventStreamError::Service(e) => {
                write!(f, "the event stream ended with an exception: {e}")
            }
            EventStreamError::Unmodeled { code, message } => {
                write!(f, "the event stream ended with the error `{code}`")?;
                match message {
                    Some(message) => write!(f, ": {message}"),
                    None => Ok(()),
                }
            }
            EventStreamError::Message(e) => write!(f, "event stream: {e}"),
            EventStreamError::Deserialize(e) => write!(f, "event stream: {e}"),
            EventStreamError::Frame(e) => write!(f, "event stream: {e}"),
            #[cfg(any(feature = "client", feature = "server"))]
            EventStreamError::Body(e) => write!(f, "event stream: {e}"),
        }
    }
}

impl<E: StdError + 'static> StdError for EventStreamError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            EventStreamError::Service(e) => Some(e),
            EventStreamError::Unmodeled { .. } => None,
            EventStreamError::Message(e) => Some(e),
            EventStreamError::Deserialize(e) => Some(e),
            EventStreamError::Frame(e) => Some(e),
            #[cfg(any(feature = "client", feature = "server"))]
            EventStreamError::Body(e) => Some(e),
        }
    }
}

#[cfg(any(feature = "client", feature = "server"))]
type DynEvents<T, E> =
    std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<T, E>> + Send + Sync + 'static>>;

enum Source<T, E> {
    /// Events given in memory (those not taken yet).
    Events(VecDeque<T>),
    /// The messages of a body in memory, decoded one at a time.
    Frames { bytes: Vec<u8>, pos: usize, decoder: Decoder, unmarshal: Unmarshal<T, E> },
    /// The messages of a body, decoded as they arrive.
    #[cfg(any(feature = "client", feature = "server"))]
    Body { reader: super::reader::MessageReader, unmarshal: Unmarshal<T, E> },
    /// Events from a stream.
    #[cfg(any(feature = "client", feature = "server"))]
    Stream(DynEvents<T, E>),
    /// The end was reached, or an error.
    Done,
}

/// The events of an event stream (`T`, the `@streaming` union) and its modeled exceptions
/// (`E`): see the [module documentation](crate::event_stream).
///
/// A client gives one (built from events) for an input stream and receives one for an output
/// stream; a server the other way round.
pub struct EventStream<T, E> {
    source: Source<T, E>,
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Events(events) => format!("{} events in memory", events.len()),
            Source::Frames { bytes, pos, .. } => {
                format!("{} bytes of messages in memory", bytes.len() - pos)
            }
            #[cfg(any(feature = "client", feature = "server"))]
            Source::Body { .. } => "messages of a body".to_owned(),
            #[cfg(any(feature = "client", feature = "server"))]
            Source::Stream(_) => "a stream of events".to_owned(),
            Source::Done => "ended".to_owned(),
        };
        f.debug_struct("EventStream").field("source", &source).finish()
    }
}

impl<T, E> From<Vec<T>> for EventStream<T, E> {
    fn from(events: Vec<T>) -> Self {
        EventStream::from_events(events)
    }
}

impl<T, E> EventStream<T, E> {
    /// A stream of these events.
    pub fn from_events(events: impl IntoIterator<Item = T>) -> Self {
        EventStream { source: Source::Events(events.into_iter().collect()) }
    }

    /// The events not yet taken, in order, if the stream holds its events in memory (then it
    /// can be written whole, and written again); `None` for a stream read as it arrives.
    pub fn events_in_memory(&self) -> Option<std::collections::vec_deque::Iter<'_, T>> {
        match &self.source {
            Source::Events(events) => Some(events.iter()),
            _ => None,
        }
    }

    /// A stream with no event.
    pub fn empty() -> Self {
        EventStream::from_events(None)
    }

    /// The events of the messages in `bytes` (a whole event-stream body), read by `unmarshal`
    /// (the generated reader of the stream), one message at a time.
    pub fn from_message_bytes(bytes: Vec<u8>, unmarshal: Unmarshal<T, E>) -> Self {
        EventStream { source: Source::Frames { bytes, pos: 0, decoder: Decoder::new(), unmarshal } }
    }

    /// The next event; `None` at the end of the stream, and after an error.
    pub async fn recv(&mut self) -> Result<Option<T>, EventStreamError<E>> {
        loop {
            let (message, unmarshal) = match &mut self.source {
                Source::Done => return Ok(None),
                Source::Events(events) => return Ok(events.pop_front()),
                Source::Frames { bytes, pos, decoder, unmarshal } => {
                    let mut input = &bytes[*pos..];
                    let decoded = decoder.decode(&mut input);
                    *pos = bytes.len() - input.len();
                    match decoded {
                        Ok(Some(message)) => (message, *unmarshal),
                        Ok(None) => {
                            // Every byte was taken: the body ended, between two messages or not.
                            let end = decoder.finish();
                            self.source = Source::Done;
                            end.map_err(EventStreamError::Frame)?;
                            return Ok(None);
                        }
                        Err(e) => return Err(self.fail(EventStreamError::Frame(e))),
                    }
                }
                #[cfg(any(feature = "client", feature = "server"))]
                Source::Body { reader, unmarshal } => match reader.recv().await {
                    Ok(Some(message)) => (message, *unmarshal),
                    Ok(None) => {
                        self.source = Source::Done;
                        return Ok(None);
                    }
                    Err(super::reader::ReadError::Body(e)) => {
                        return Err(self.fail(EventStreamError::Body(e)))
                    }
                    Err(super::reader::ReadError::Frame(e)) => {
                        return Err(self.fail(EventStreamError::Frame(e)))
                    }
                },
                #[cfg(any(feature = "client", feature = "server"))]
                Source::Stream(stream) => {
                    let next = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await;
                    return match next {
                        Some(Ok(event)) => Ok(Some(event)),
                        Some(Err(e)) => Err(self.fail(EventStreamError::Service(e))),
                        None => {
                            self.source = Source::Done;
                            Ok(None)
                        }
                    };
                }
            };
            match dispatch(&message, unmarshal) {
                Ok(Some(event)) => return Ok(Some(event)),
                Ok(None) => continue,
                Err(e) => return Err(self.fail(e)),
            }
        }
    }

    fn fail(&mut self, error: EventStreamError<E>) -> EventStreamError<E> {
        self.source = Source::Done;
        error
    }
}

#[cfg(feature = "server")]
impl<T, E> EventStream<T, E> {
    /// The body of a response carrying this stream's events in memory, each made a message by
    /// `marshal` (the generated writer of the stream); a stream read as it arrives, or an
    /// event that cannot be written, is written as an `error` message (`InternalFailure`)
    /// after the events before it. The server's whole-body response writer uses it.
    pub fn encode_in_memory<M>(&self, marshal: M) -> Vec<u8>
    where
        M: Fn(&T) -> Result<Message, crate::error::RequestError>,
    {
        let mut out = Vec::new();
        let limits = super::frame::Limits::default();
        let failure = match self.events_in_memory() {
            None => Some(String::from("the output's events are not in memory")),
            Some(events) => events.map(&marshal).find_map(|message| {
                let written = message
                    .map_err(|e| e.to_string())
                    .and_then(|m| m.encode_into(&mut out, &limits).map_err(|e| e.to_string()));
                written.err()
            }),
        };
        if let Some(reason) = failure {
            let error = Message::error("InternalFailure", &reason);
            // An error message of two short headers always fits the limits.
            let _ = error.encode_into(&mut out, &limits);
        }
        out
    }
}

#[cfg(any(feature = "client", feature = "server"))]
impl<T, E> EventStream<T, E> {
    /// The events of the messages of `body`, read by `unmarshal` (the generated reader of the
    /// stream) as they arrive, holding at most one chunk of the body and one message.
    pub fn from_body(body: crate::byte_stream::ByteStream, unmarshal: Unmarshal<T, E>) -> Self {
        EventStream {
            source: Source::Body { reader: super::reader::MessageReader::new(body), unmarshal },
        }
    }

    /// The events `stream` yields; an `Err` ends the stream with that exception.
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: futures_core::Stream<Item = Result<T, E>> + Send + Sync + 'static,
    {
        EventStream { source: Source::Stream(Box::pin(stream)) }
    }
}

/// What `message` is: an event (`Some`), a message to skip (`None`), or the end of the stream.
fn dispatch<T, E>(
    message: &Message,
    unmarshal: Unmarshal<T, E>,
) -> Result<Option<T>, EventStreamError<E>> {
    let kind = message.kind().map_err(EventStreamError::Message)?;
    if let Kind::Error { code, message } = kind {
        return Err(EventStreamError::Unmodeled {
            code: code.to_owned(),
            message: message.map(str::to_owned),
        });
    }
    if kind.is_initial_response() || kind.is_initial_request() {
        return Ok(None);
    }
    match unmarshal(message, kind).map_err(EventStreamError::Deserialize)? {
        Unmarshalled::Event(event) => Ok(Some(event)),
        Unmarshalled::Exception(e) => Err(EventStreamError::Service(e)),
        Unmarshalled::Skip => Ok(None),
    }
}

/// The generated writer of a stream's events: an event → its message (unsigned).
#[cfg(feature = "client")]
pub type Marshal<T> = fn(&T) -> Result<Message, crate::error::RequestError>;

/// What signs the messages of a request body: the chained signer and the clock dating them.
#[cfg(feature = "client")]
pub type BodySigner = (super::sign::MessageSigner, aws_smithy_async::time::SharedTimeSource);

#[cfg(feature = "client")]
impl<T, E> EventStream<T, E>
where
    T: Send + Sync + 'static,
    E: fmt::Display + Send + Sync + 'static,
{
    /// The body of a request carrying these events as they come (an input event stream):
    /// each event made a message by `marshal` (the generated writer of the stream), signed by
    /// `signer` (each signature chained to the one before, dated by its clock) when the
    /// request is signed, and framed; after the last event, the final empty signed message
    /// (with a signer), then the end of the body (the client's half-close). An exception the
    /// stream ends with, or an event that cannot be written or signed, fails the body (and the
    /// request). One event is held at a time.
    pub fn into_request_body(
        self,
        marshal: Marshal<T>,
        signer: Option<BodySigner>,
    ) -> crate::byte_stream::ByteStream {
        let sending = Sending { events: self, marshal, signer };
        crate::byte_stream::ByteStream::from_stream(RequestBody { next: Some(sending), step: None })
    }
}

#[cfg(feature = "client")]
type BoxError = Box<dyn StdError + Send + Sync>;

/// The state of a request body of events: the events still to send, and the signer.
#[cfg(feature = "client")]
struct Sending<T, E> {
    events: EventStream<T, E>,
    marshal: Marshal<T>,
    signer: Option<BodySigner>,
}

/// One step of a request body: the next chunk (`None`: the end), and the state after it
/// (`None`: nothing more to send).
#[cfg(feature = "client")]
type Step<T, E> = (Option<Result<bytes::Bytes, BoxError>>, Option<Sending<T, E>>);

#[cfg(feature = "client")]
impl<T, E: fmt::Display> Sending<T, E> {
    async fn step(mut self) -> Step<T, E> {
        match self.events.recv().await {
            Ok(Some(event)) => match (self.marshal)(&event).map_err(BoxError::from) {
                Ok(message) => match self.frame(&message) {
                    Ok(bytes) => (Some(Ok(bytes)), Some(self)),
                    Err(e) => (Some(Err(e)), None),
                },
                Err(e) => (Some(Err(e)), None),
            },
            Ok(None) => match &mut self.signer {
                Some((signer, clock)) => {
                    let end = signer.sign_end(clock.now()).map_err(BoxError::from);
                    (Some(end.and_then(|m| Ok(bytes::Bytes::from(m.encode()?)))), None)
                }
                None => (None, None),
            },
            Err(e) => {
                let message = format!("the input event stream failed: {e}");
                (Some(Err(BoxError::from(message))), None)
            }
        }
    }

    /// `message` signed (when there is a signer) and framed.
    fn frame(&mut self, message: &Message) -> Result<bytes::Bytes, BoxError> {
        let bytes = match &mut self.signer {
            Some((signer, clock)) => signer.sign(message, clock.now())?.encode()?,
            None => message.encode()?,
        };
        Ok(bytes::Bytes::from(bytes))
    }
}

/// A request body of events, as a `Stream` of chunks (one message each).
#[cfg(feature = "client")]
struct RequestBody<T, E> {
    next: Option<Sending<T, E>>,
    step: Option<StepFuture<T, E>>,
}

/// A step of a request body in progress.
#[cfg(feature = "client")]
type StepFuture<T, E> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Step<T, E>> + Send + Sync>>;

// Nothing of it is pinned in place: the step in progress is boxed.
#[cfg(feature = "client")]
impl<T, E> Unpin for RequestBody<T, E> {}

#[cfg(feature = "client")]
impl<T, E> futures_core::Stream for RequestBody<T, E>
where
    T: Send + Sync + 'static,
    E: fmt::Display + Send + Sync + 'static,
{
    type Item = Result<bytes::Bytes, BoxError>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.step.is_none() {
            match this.next.take() {
                Some(sending) => this.step = Some(Box::pin(sending.step())),
                None => return std::task::Poll::Ready(None),
            }
        }
        let Some(step) = this.step.as_mut() else { return std::task::Poll::Ready(None) };
        let (chunk, next) = std::task::ready!(step.as_mut().poll(cx));
        this.step = None;
        this.next = next;
        std::task::Poll::Ready(chunk)
    }
}
