//! The server side of event streams as bodies (feature `server`): [`EventStreamBody`], the
//! response body that writes an output stream's events as the handler's stream yields them,
//! and [`open_request_messages`], the body of an input stream, its signed envelopes
//! ([`STREAMING_EVENTS`]) opened one at a time and checked by the host's [`EnvelopeVerifier`].
//!
//! Neither holds more than one message (and one chunk of the request body) at a time.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame};

use super::frame::{Decoder, FrameError, HeaderValue, Limits, Message};
use super::message::Kind;
use super::stream::{EventStream, EventStreamError};
use crate::byte_stream::ByteStream;
use crate::error::RequestError;

/// The `X-Amz-Content-Sha256` of a request whose input event stream is signed message by
/// message (each message inside a signed envelope).
pub const STREAMING_EVENTS: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// The next event of a stream, and the stream given back.
type Next<T, E> = Pin<
    Box<
        dyn Future<Output = (EventStream<T, E>, Result<Option<T>, EventStreamError<E>>)>
            + Send
            + Sync,
    >,
>;

enum Writing<T, E> {
    /// Waiting for the stream's next event.
    Waiting(Next<T, E>),
    /// The last message was written: nothing more.
    Done,
}

/// The body of a response carrying an output event stream: each event is written as its
/// message as soon as the stream yields it. An event that is a modeled exception (a union
/// member targeting an error structure), or the stream ending with one (`Err` from a
/// [`from_stream`](EventStream::from_stream) source), is written as an `exception` message
/// and ends the body; an event that cannot be written, or a stream failing otherwise, ends it
/// with an `error` message (`InternalFailure`).
pub struct EventStreamBody<T, E> {
    writing: Writing<T, E>,
    marshal: fn(&T) -> Result<Message, RequestError>,
    marshal_exception: fn(&E) -> Message,
}

impl<T, E> fmt::Debug for EventStreamBody<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let done = matches!(self.writing, Writing::Done);
        f.debug_struct("EventStreamBody").field("done", &done).finish_non_exhaustive()
    }
}

fn next<T, E>(mut stream: EventStream<T, E>) -> Next<T, E>
where
    T: Send + Sync + 'static,
    E: Send + Sync + 'static,
{
    Box::pin(async move {
        let event = stream.recv().await;
        (stream, event)
    })
}

impl<T, E> EventStreamBody<T, E>
where
    T: Send + Sync + 'static,
    E: Send + Sync + 'static,
{
    /// The body of `stream`, its events made messages by `marshal` and its exceptions by
    /// `marshal_exception` (the generated writers of the stream).
    pub fn new(
        stream: EventStream<T, E>,
        marshal: fn(&T) -> Result<Message, RequestError>,
        marshal_exception: fn(&E) -> Message,
    ) -> Self {
        EventStreamBody { writing: Writing::Waiting(next(stream)), marshal, marshal_exception }
    }

    /// The body as a [`ByteStream`] (what a streaming router answers with).
    pub fn into_byte_stream(self) -> ByteStream {
        ByteStream::from_body(self)
    }
}

/// The encoded `error` message ending a body that cannot go on.
fn internal_failure(reason: &str) -> Bytes {
    let mut out = Vec::new();
    // An error message of two short headers always fits the limits.
    let _ = Message::error("InternalFailure", reason).encode_into(&mut out, &Limits::default());
    Bytes::from(out)
}

impl<T, E> Body for EventStreamBody<T, E>
where
    T: Send + Sync + 'static,
    E: Send + Sync + 'static,
{
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        let Writing::Waiting(future) = &mut this.writing else { return Poll::Ready(None) };
        let (stream, event) = ready!(future.as_mut().poll(cx));
        let limits = Limits::default();
        let (bytes, more) = match event {
            Ok(None) => {
                this.writing = Writing::Done;
                return Poll::Ready(None);
            }
            Ok(Some(event)) => {
                let mut out = Vec::new();
                match (this.marshal)(&event).map_err(|e| e.to_string()).and_then(|m| {
                    m.encode_into(&mut out, &limits).map(|()| m).map_err(|e| e.to_string())
                }) {
                    // A modeled exception among the events ends the stream.
                    Ok(message) => {
                        let exception = matches!(message.kind(), Ok(Kind::Exception { .. }));
                        (Bytes::from(out), !exception)
                    }
                    Err(reason) => (internal_failure(&reason), false),
                }
            }
            Err(EventStreamError::Service(exception)) => {
                let mut out = Vec::new();
                match (this.marshal_exception)(&exception).encode_into(&mut out, &limits) {
                    Ok(()) => (Bytes::from(out), false),
                    Err(e) => (internal_failure(&e.to_string()), false),
                }
            }
            Err(EventStreamError::Unmodeled { code, message }) => {
                let mut out = Vec::new();
                let error = Message::error(&code, message.as_deref().unwrap_or_default());
                match error.encode_into(&mut out, &limits) {
                    Ok(()) => (Bytes::from(out), false),
                    Err(e) => (internal_failure(&e.to_string()), false),
                }
            }
            Err(EventStreamError::Message(e)) => (internal_failure(&e.to_string()), false),
            Err(EventStreamError::Deserialize(e)) => (internal_failure(&e.to_string()), false),
            Err(EventStreamError::Frame(e)) => (internal_failure(&e.to_string()), false),
            Err(EventStreamError::Body(e)) => (internal_failure(&e.to_string()), false),
        };
        this.writing = if more { Writing::Waiting(next(stream)) } else { Writing::Done };
        Poll::Ready(Some(Ok(Frame::data(bytes))))
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.writing, Writing::Done)
    }
}

/// The host's check of each signed envelope of an input event stream, in order (the first
/// chained to the request's own signature): `Err` with the reason refuses the envelope and
/// ends the stream. A host that verifies SigV4 puts one in the request's extensions
/// (`request.extensions_mut().insert(verifier)`) before the router reads the request; with
/// the `client` feature, `MessageVerifier` (seeded with the request's signature) is one.
#[derive(Clone)]
pub struct EnvelopeVerifier(Arc<Mutex<EnvelopeCheck>>);

/// What an [`EnvelopeVerifier`] calls on each envelope.
type EnvelopeCheck = dyn FnMut(&Message) -> Result<(), String> + Send;

impl EnvelopeVerifier {
    /// A verifier calling `check` on each envelope, in order.
    pub fn new(check: impl FnMut(&Message) -> Result<(), String> + Send + 'static) -> Self {
        EnvelopeVerifier(Arc::new(Mutex::new(check)))
    }

    fn check(&self, envelope: &Message) -> Result<(), String> {
        match self.0.lock() {
            Ok(mut check) => check(envelope),
            Err(_) => Err("the envelope verifier failed earlier".into()),
        }
    }
}

impl fmt::Debug for EnvelopeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvelopeVerifier").finish_non_exhaustive()
    }
}

#[cfg(feature = "client")]
impl From<super::sign::MessageVerifier> for EnvelopeVerifier {
    fn from(mut verifier: super::sign::MessageVerifier) -> Self {
        EnvelopeVerifier::new(move |envelope| {
            verifier.verify(envelope).map(|_| ()).map_err(|e| e.to_string())
        })
    }
}

/// The body of a request's input event stream: as it is when the request is not signed
/// message by message; when its `X-Amz-Content-Sha256` is [`STREAMING_EVENTS`], the messages
/// inside its envelopes, each envelope checked by the [`EnvelopeVerifier`] in the request's
/// extensions (if any: a router does not authenticate, its host does) and opened as it
/// arrives. After the final empty envelope the body ends (more bytes are an error); a body
/// ending without it fails.
pub fn open_request_messages(parts: &mut http::request::Parts, body: ByteStream) -> ByteStream {
    let signed = parts
        .headers
        .get("x-amz-content-sha256")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(STREAMING_EVENTS.as_bytes()));
    if !signed {
        return body;
    }
    let verifier = parts.extensions.remove::<EnvelopeVerifier>();
    ByteStream::from_body(Envelopes {
        body,
        decoder: Decoder::new(),
        chunk: Bytes::new(),
        verifier,
        state: EnvelopeState::Open,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EnvelopeState {
    /// Envelopes are still to come.
    Open,
    /// The final empty envelope was read: the body must end.
    Ended,
    /// The end was reached, or an error: nothing more.
    Done,
}

/// Why a signed input stream was refused.
#[derive(Debug)]
struct EnvelopeError(String);

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "signed event stream: {}", self.0)
    }
}

impl std::error::Error for EnvelopeError {}

/// The inner messages of a body of signed envelopes (see [`open_request_messages`]).
struct Envelopes {
    body: ByteStream,
    decoder: Decoder,
    /// What is left of the body's last chunk.
    chunk: Bytes,
    verifier: Option<EnvelopeVerifier>,
    state: EnvelopeState,
}

impl Envelopes {
    fn fail(&mut self, reason: String) -> Poll<Option<Result<Frame<Bytes>, EnvelopeError>>> {
        self.state = EnvelopeState::Done;
        self.chunk = Bytes::new();
        Poll::Ready(Some(Err(EnvelopeError(reason))))
    }

    /// The inner message of `envelope` (encoded), or `None` for the final empty envelope.
    fn open(&self, envelope: &Message) -> Result<Option<Bytes>, String> {
        if let Some(verifier) = &self.verifier {
            verifier.check(envelope)?;
        } else if !matches!(envelope.header(":chunk-signature"), Some(HeaderValue::Bytes(_))) {
            return Err("an envelope without `:chunk-signature`".into());
        }
        if envelope.payload().is_empty() {
            return Ok(None);
        }
        Ok(Some(Bytes::copy_from_slice(envelope.payload())))
    }
}

impl Body for Envelopes {
    type Data = Bytes;
    type Error = EnvelopeError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, EnvelopeError>>> {
        let this = self.get_mut();
        loop {
            if this.state == EnvelopeState::Done {
                return Poll::Ready(None);
            }
            if !this.chunk.is_empty() {
                if this.state == EnvelopeState::Ended {
                    return this.fail("bytes after the final empty message".into());
                }
                let mut input = &this.chunk[..];
                let decoded = this.decoder.decode(&mut input);
                let used = this.chunk.len() - input.len();
                let _ = this.chunk.split_to(used);
                match decoded {
                    Ok(None) => continue,
                    Err(e) => return this.fail(e.to_string()),
                    Ok(Some(envelope)) => match this.open(&envelope) {
                        Ok(Some(inner)) => return Poll::Ready(Some(Ok(Frame::data(inner)))),
                        Ok(None) => {
                            this.state = EnvelopeState::Ended;
                            continue;
                        }
                        Err(reason) => return this.fail(reason),
                    },
                }
            }
            match ready!(Pin::new(&mut this.body).poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        this.chunk = data;
                    }
                }
                Some(Err(e)) => return this.fail(e.to_string()),
                None => {
                    let ended = this.state == EnvelopeState::Ended;
                    let finished: Result<(), FrameError> = this.decoder.finish();
                    this.state = EnvelopeState::Done;
                    return match (finished, ended) {
                        (Err(e), _) => Poll::Ready(Some(Err(EnvelopeError(e.to_string())))),
                        (Ok(()), false) => Poll::Ready(Some(Err(EnvelopeError(
                            "the body ended without the final empty message".into(),
                        )))),
                        (Ok(()), true) => Poll::Ready(None),
                    };
                }
            }
        }
    }
}
