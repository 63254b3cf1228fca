//! [`SdkError`]: everything that can go wrong with a call, the service's own errors typed; its
//! variants are named as the official SDK's.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use super::credentials::CredentialsError;
use super::transport::TransportError;
use crate::error::{ErrorMetadata, ProvideErrorMetadata, RequestId};

/// Why a call failed.
///
/// `E` is the operation's error enum (its modeled errors and `Unhandled`); only
/// [`SdkError::ServiceError`] carries one. `Display` says which kind of failure it is, and the
/// failure itself is its `source()`: print it with
/// [`DisplayErrorContext`](crate::error::DisplayErrorContext) to see the whole chain, each
/// message once.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built or signed (an endpoint that does not resolve, a missing
    /// URI label, a configuration without region...). Nothing was sent.
    ConstructionFailure(ConstructionError),
    /// No credentials could be had. Nothing was sent.
    CredentialsFailure(CredentialsError),
    /// The call or its last attempt took longer than its timeout.
    TimeoutError(TimeoutError),
    /// The request was sent (or a connection tried) but no response came back.
    DispatchFailure(TransportError),
    /// The service answered with a success that could not be read.
    ResponseError(ResponseError),
    /// The service answered with an error: modeled (a variant of `E`) or `Unhandled`.
    ServiceError(ServiceError<E>),
}

impl<E> SdkError<E> {
    /// The service's error, if the call failed with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::ServiceError(e) => Some(&e.error),
            _ => None,
        }
    }

    /// The failure behind an error that is no error response (`None` for a service error).
    fn failure(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::ConstructionFailure(e) => Some(e),
            SdkError::CredentialsFailure(e) => Some(e),
            SdkError::TimeoutError(e) => Some(e),
            SdkError::DispatchFailure(e) => Some(e),
            SdkError::ResponseError(e) => Some(e),
            SdkError::ServiceError(_) => None,
        }
    }

    /// The service's error, or the failure when it is not one.
    #[allow(dead_code)] // used only by crates with operations
    #[allow(clippy::result_large_err)]
    pub(crate) fn into_service_error_or_self(self) -> Result<E, Self> {
        match self {
            SdkError::ServiceError(e) => Ok(e.error),
            other => Err(other),
        }
    }

    /// The HTTP response, when there was one.
    pub fn raw_response(&self) -> Option<&http::Response<Vec<u8>>> {
        match self {
            SdkError::ServiceError(e) => Some(&e.raw),
            SdkError::ResponseError(e) => Some(&e.raw),
            _ => None,
        }
    }
}

impl<E> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::ConstructionFailure(_) => f.write_str("failed to construct request"),
            SdkError::CredentialsFailure(_) => f.write_str("failed to load credentials"),
            SdkError::TimeoutError(_) => f.write_str("request has timed out"),
            SdkError::DispatchFailure(_) => f.write_str("dispatch failure"),
            SdkError::ResponseError(e) => {
                write!(f, "response error (HTTP {})", e.raw.status().as_u16())
            }
            SdkError::ServiceError(e) => {
                write!(f, "service error (HTTP {})", e.raw.status().as_u16())
            }
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::ConstructionFailure(e) => Some(e),
            SdkError::CredentialsFailure(e) => Some(e),
            SdkError::TimeoutError(e) => Some(e),
            SdkError::DispatchFailure(e) => Some(e),
            SdkError::ResponseError(e) => Some(e),
            SdkError::ServiceError(e) => Some(&e.error),
        }
    }
}

/// An operation's error enum, which stands for a failure that is no error response with its
/// `Unhandled` variant: what [`SdkError::into_service_error`] gives for those (every operation
/// error implements it).
pub trait CreateUnhandledError {
    /// The operation error standing for `unhandled`.
    fn create_unhandled_error(unhandled: crate::error::Unhandled) -> Self;
}

impl<E: CreateUnhandledError> SdkError<E> {
    /// The service's error; any other failure (no credentials, a timeout, no connection, an
    /// unreadable response...) as the operation error's `Unhandled`, whose message is the
    /// failure's with its sources, as the official SDK's `into_service_error` does.
    pub fn into_service_error(self) -> E {
        if let SdkError::ServiceError(e) = self {
            return e.error;
        }
        let mut message = self.to_string();
        if let Some(failure) = self.failure() {
            message = format!("{message}: {}", crate::error::DisplayErrorContext(failure));
        }
        let mut unhandled = crate::error::Unhandled::new(None, Some(message));
        if let SdkError::ResponseError(e) = &self {
            unhandled = unhandled.with_status(e.raw.status().as_u16());
        }
        if let Some(request_id) = self.request_id() {
            unhandled = unhandled.with_request_id(request_id);
        }
        E::create_unhandled_error(unhandled)
    }
}

/// The metadata of a failure that is not an error response: nothing.
static NO_METADATA: ErrorMetadata = ErrorMetadata::empty();

impl<E: ProvideErrorMetadata> ProvideErrorMetadata for SdkError<E> {
    fn meta(&self) -> &ErrorMetadata {
        match self {
            SdkError::ServiceError(e) => e.error.meta(),
            _ => &NO_METADATA,
        }
    }

    fn code(&self) -> Option<&str> {
        match self {
            SdkError::ServiceError(e) => e.error.code(),
            _ => None,
        }
    }

    fn message(&self) -> Option<&str> {
        match self {
            SdkError::ServiceError(e) => e.error.message(),
            _ => None,
        }
    }
}

impl<E> RequestId for SdkError<E> {
    fn request_id(&self) -> Option<&str> {
        self.raw_response()?.headers().get("x-amzn-requestid")?.to_str().ok()
    }
}

/// The request could not be built or signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstructionError {
    message: String,
}

impl ConstructionError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ConstructionError { message: message.into() }
    }
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for ConstructionError {}

/// Which timeout a call ran into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// The whole operation's (`operation_timeout`), retries included.
    Operation,
    /// One attempt's (`operation_attempt_timeout`), on the last attempt.
    Attempt,
}

/// A call that took longer than its timeout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeoutError {
    kind: TimeoutKind,
    limit: Duration,
}

impl TimeoutError {
    pub(crate) fn new(kind: TimeoutKind, limit: Duration) -> Self {
        TimeoutError { kind, limit }
    }

    /// Which timeout it was.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The timeout.
    pub fn limit(&self) -> Duration {
        self.limit
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            TimeoutKind::Operation => write!(f, "the operation timeout ({:?}) elapsed", self.limit),
            TimeoutKind::Attempt => {
                write!(f, "the operation attempt timeout ({:?}) elapsed", self.limit)
            }
        }
    }
}

impl StdError for TimeoutError {}

/// An error response of the service: the typed error and the response it was read from.
#[derive(Debug)]
pub struct ServiceError<E> {
    error: E,
    raw: http::Response<Vec<u8>>,
}

impl<E> ServiceError<E> {
    pub(crate) fn new(error: E, raw: http::Response<Vec<u8>>) -> Self {
        ServiceError { error, raw }
    }

    /// The typed error.
    pub fn err(&self) -> &E {
        &self.error
    }

    /// The typed error, by value.
    pub fn into_err(self) -> E {
        self.error
    }

    /// The HTTP response.
    pub fn raw(&self) -> &http::Response<Vec<u8>> {
        &self.raw
    }
}

/// A success response that could not be read.
#[derive(Debug)]
pub struct ResponseError {
    error: crate::error::DeserializeError,
    raw: http::Response<Vec<u8>>,
}

impl ResponseError {
    pub(crate) fn new(error: crate::error::DeserializeError, raw: http::Response<Vec<u8>>) -> Self {
        ResponseError { error, raw }
    }

    /// What could not be read.
    pub fn err(&self) -> &crate::error::DeserializeError {
        &self.error
    }

    /// The HTTP response.
    pub fn raw(&self) -> &http::Response<Vec<u8>> {
        &self.raw
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl StdError for ResponseError {}
