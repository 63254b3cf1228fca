//! [`SdkError`]: everything that can go wrong with a call, the service's own errors typed.

use std::error::Error as StdError;
use std::fmt;

use super::credentials::CredentialsError;
use super::transport::TransportError;

/// Why a call failed.
///
/// `E` is the operation's error enum (its modeled errors and `Unhandled`); only
/// [`SdkError::Service`] carries one.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built or signed (an endpoint that does not resolve, a missing
    /// URI label, a header value that is not text...). Nothing was sent.
    Construction(ConstructionError),
    /// The credentials provider failed. Nothing was sent.
    Credentials(CredentialsError),
    /// The request was sent but no response came back.
    Transport(TransportError),
    /// The service answered with an error: modeled (a variant of `E`) or `Unhandled`.
    Service(ServiceError<E>),
    /// The service answered with a success that could not be read.
    Response(ResponseError),
}

impl<E> SdkError<E> {
    /// The service's error, if the call failed with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(&e.error),
            _ => None,
        }
    }

    /// The service's error, if the call failed with one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e.error),
            _ => None,
        }
    }

    /// The HTTP response, when there was one.
    pub fn raw_response(&self) -> Option<&http::Response<Vec<u8>>> {
        match self {
            SdkError::Service(e) => Some(&e.raw),
            SdkError::Response(e) => Some(&e.raw),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(e) => fmt::Display::fmt(e, f),
            SdkError::Credentials(e) => fmt::Display::fmt(e, f),
            SdkError::Transport(e) => fmt::Display::fmt(e, f),
            SdkError::Service(e) => {
                write!(f, "service error (HTTP {}): {}", e.raw.status().as_u16(), e.error)
            }
            SdkError::Response(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Construction(e) => Some(e),
            SdkError::Credentials(e) => Some(e),
            SdkError::Transport(e) => Some(e),
            SdkError::Service(e) => Some(&e.error),
            SdkError::Response(e) => Some(e),
        }
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
        write!(f, "cannot make the request: {}", self.message)
    }
}

impl StdError for ConstructionError {}

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

impl StdError for ResponseError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.error)
    }
}
