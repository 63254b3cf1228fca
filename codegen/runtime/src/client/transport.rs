//! The two pieces of I/O the client needs and does not own: sending an HTTP request
//! ([`Transport`]) and waiting between retries ([`Sleep`]).

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// The future a [`Transport`] returns.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send + 'a>>;

/// Sends one HTTP request and returns its whole response.
///
/// The client signs the request before handing it over; a transport only moves bytes. Any
/// HTTP stack (or a test double) can be plugged in; with the `rustls` feature the crate
/// provides `HyperTransport`.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and reads the response (status, headers and the whole body).
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_>;
}

/// Waits for a duration (between retry attempts), on whatever async runtime the caller uses.
pub trait Sleep: Send + Sync + 'static {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
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

    /// Its kind.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
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

/// A [`Sleep`] that does not wait: for configurations with retries disabled.
#[derive(Clone, Copy, Debug, Default)]
#[cfg_attr(feature = "rustls", allow(dead_code))]
pub(crate) struct NoSleep;

impl Sleep for NoSleep {
    fn sleep(&self, _duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(std::future::ready(()))
    }
}
