//! Operations as data: what the generated code knows of each operation of the service, as a
//! trait every operation's type (`crate::operation::<op>::<Op>`) implements, so that code over
//! all operations (the `dynamic` module, the server's router) is generic code over small
//! per-operation impls.

use crate::error::{RequestError, ResponseError};
use crate::primitives::IdempotencyTokenProvider;

/// One operation of the service (restJson1, sans-IO): its name, HTTP method and types, its
/// request writer and response reader; with the `server` feature also its request reader, input
/// checks, and output and error writers.
pub trait Operation {
    /// The operation's name in the model.
    const NAME: &'static str;
    /// The HTTP method of its requests (`GET`, `POST`...).
    const METHOD: &'static str;
    /// The operation's input.
    type Input;
    /// The operation's output.
    type Output;
    /// The operation's error: its modeled errors and a catch-all.
    type Error;

    /// Builds the HTTP request for `input` against `endpoint`; absent idempotency tokens are
    /// taken from `tokens`.
    fn serialize_request(
        input: &Self::Input,
        endpoint: &str,
        tokens: &dyn IdempotencyTokenProvider,
    ) -> Result<http::Request<Vec<u8>>, RequestError>;

    /// Reads the HTTP response: the output on a 2xx status, else the error the response names.
    #[allow(clippy::result_large_err)] // errors are returned by value, as they are modeled
    fn deserialize_response<B: AsRef<[u8]>>(
        response: &http::Response<B>,
    ) -> Result<Self::Output, ResponseError<Self::Error>>;

    /// Reads the input from an HTTP request (the server side): URI labels, query parameters,
    /// headers and body, after checking the `Content-Type` and `Accept` headers. Constraints
    /// are not checked here ([`Operation::validate`]).
    #[cfg(feature = "server")]
    fn deserialize_request<B: AsRef<[u8]>>(
        request: &http::Request<B>,
    ) -> Result<Self::Input, crate::primitives::server::RequestRejection>;

    /// Checks the input against the model's constraints (the input's `validate()`).
    #[cfg(feature = "server")]
    fn validate(input: &Self::Input) -> Result<(), crate::error::ValidationErrors>;

    /// Writes the output as the operation's HTTP response (the server side).
    #[cfg(feature = "server")]
    fn serialize_response(output: &Self::Output) -> http::Response<Vec<u8>>;

    /// Writes one of the operation's errors as its HTTP response (the server side): the status
    /// of its `@httpError` (else 400 or 500 by fault), `X-Amzn-ErrorType`, its members; an
    /// unmodeled error is a 500 unless it carries a status.
    #[cfg(feature = "server")]
    fn serialize_error(error: &Self::Error) -> http::Response<Vec<u8>>;
}

/// What [`ModeledErrors::serialize_modeled`] gives: the modeled error's shape name and what the
/// serializer `S` made of its members; `None` for an error the model does not describe.
#[cfg(feature = "serde")]
pub type Modeled<S> = Option<(
    &'static str,
    Result<<S as serde_core::Serializer>::Ok, <S as serde_core::Serializer>::Error>,
)>;

/// The modeled errors of an operation's error enum in the document form (feature `serde`): what
/// tools that speak JSON read and write of them, by the error shape's name.
#[cfg(feature = "serde")]
pub trait ModeledErrors: Sized {
    /// The modeled error's shape name and its members written by `serializer`; `None` for an
    /// error the model does not describe.
    fn serialize_modeled<S: serde_core::Serializer>(&self, serializer: S) -> Modeled<S>;

    /// The modeled error named `shape`, read from its members in the document form; `None`
    /// when the operation has no such error.
    fn deserialize_modeled<'de, D: serde_core::Deserializer<'de>>(
        shape: &str,
        members: D,
    ) -> Option<Result<Self, D::Error>>;
}
