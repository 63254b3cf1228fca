//! The I/O the client needs and does not own: sending an HTTP request ([`Transport`]), with
//! the [`TransportSettings`] (connect and read timeouts) each request carries for its
//! transport. (Waiting, between retries and for timeouts, is AWS's `AsyncSleep`.)
//!
//! The client calls [`Transport::send_streaming`]: the request's body may stream, and the
//! response comes back as soon as its head is in, its body a [`ByteStream`] read as it
//! arrives. A transport that only moves whole bodies implements [`Transport::send`] alone.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::byte_stream::ByteStream;

/// The future [`Transport::send`] returns.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send + 'a>>;

/// The future [`Transport::send_streaming`] returns.
pub type StreamingTransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<ByteStream>, TransportError>> + Send + 'a>>;

/// Sends one HTTP request and returns its response.
///
/// The client signs the request before handing it over; a transport only moves bytes. Any
/// HTTP stack (or a test double) can be plugged in; with the `rustls` feature the crate
/// provides `HyperTransport`. The request's [`TransportSettings`] (in its extensions) say how
/// long connecting and waiting for the response may take; a transport should honour them.
///
/// The client sends every request through [`send_streaming`](Transport::send_streaming),
/// whose default implementation reads a streamed request body into memory, calls
/// [`send`](Transport::send) and hands back the whole response body: enough for a test double
/// or a transport of small bodies. A transport that streams (`HyperTransport` does) overrides
/// `send_streaming`, so that uploads and downloads of any size cost bounded memory.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and reads the response (status, headers and the whole body).
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_>;

    /// Sends `request`, whose body may stream, and returns the response as soon as its head is
    /// in, its body read as it arrives.
    ///
    /// By default: the request body read into memory, [`send`](Transport::send), and the
    /// response body (whole) as a [`ByteStream`]. A request body that fails to read is an
    /// error of kind [`TransportErrorKind::Other`] (not retried).
    fn send_streaming(&self, request: http::Request<ByteStream>) -> StreamingTransportFuture<'_> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = Vec::from(body.collect().await.map_err(TransportError::other)?);
            let response = self.send(http::Request::from_parts(parts, body)).await?;
            Ok(response.map(ByteStream::new))
        })
    }
}

/// The connect and read timeouts of one request, from the client's `TimeoutConfig` (and the
/// call's overrides), carried in the request's extensions for the transport when either is set;
/// read them with [`TransportSettings::of`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportSettings {
    /// The longest a new connection may take to open (TCP and TLS); `None`: the transport's
    /// default.
    pub connect_timeout: Option<Duration>,
    /// The longest wait, once the request is sent, for the first byte of the response.
    pub read_timeout: Option<Duration>,
}

impl TransportSettings {
    /// The settings `request` carries (the defaults when it carries none).
    pub fn of<B>(request: &http::Request<B>) -> TransportSettings {
        request.extensions().get::<TransportSettings>().copied().unwrap_or_default()
    }
}

/// What kind of failure a [`TransportError`] is; timeouts and I/O errors are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The request or the connection timed out.
    Timeout,
    /// The connection failed or broke (refused, reset, DNS, TLS).
    Io,
    /// Anything else: the request was not sent and sending it again would not help.
    Other,
}

/// A request that did not get a response.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn StdError + Send + Sync>,
}

impl TransportError {
    /// A transport error of `kind`, caused by `source`.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        TransportError { kind, source: source.into() }
    }

    /// A timeout.
    pub fn timeout(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        TransportError::new(TransportErrorKind::Timeout, source)
    }

    /// A connection or I/O failure.
    pub fn io(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        TransportError::new(TransportErrorKind::Io, source)
    }

    /// Any other failure (not retried).
    pub fn other(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        TransportError::new(TransportErrorKind::Other, source)
    }

    /// A response body that failed while the client read it: of the kind of the transport
    /// error behind it if there is one (a transport's timeout stays a timeout), else an I/O
    /// failure (retried).
    pub(crate) fn reading_body(error: crate::byte_stream::ByteStreamError) -> Self {
        let mut source: Option<&(dyn StdError + 'static)> = Some(&error);
        let mut kind = TransportErrorKind::Io;
        while let Some(e) = source {
            if let Some(transport) = e.downcast_ref::<TransportError>() {
                kind = transport.kind;
                break;
            }
            source = e.source();
        }
        TransportError::new(kind, error)
    }

    /// Its kind.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether it is a timeout (connect or read).
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// Whether it is a connection or I/O failure.
    pub fn is_io(&self) -> bool {
        self.kind == TransportErrorKind::Io
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "connection failed",
            TransportErrorKind::Other => "failed",
        };
        write!(f, "the HTTP request {kind}: {}", self.source)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// An [`AsyncSleep`](aws_smithy_async::rt::sleep::AsyncSleep) that does not wait (a mock
/// client's).
#[derive(Clone, Copy, Debug, Default)]
#[cfg_attr(not(feature = "test-util"), allow(dead_code))]
pub(crate) struct NoSleep;

impl aws_smithy_async::rt::sleep::AsyncSleep for NoSleep {
    fn sleep(&self, _duration: Duration) -> aws_smithy_async::rt::sleep::Sleep {
        aws_smithy_async::rt::sleep::Sleep::new(std::future::ready(()))
    }
}
