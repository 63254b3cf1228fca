//! Stand-in for a generated crate's `src/client/mod.rs` (feature `client`), which is
//! model-dependent: the same module declarations and re-exports, and the items the runtime's
//! client files reach through `super::` (the signing name, the service's environment name, the
//! user agent, endpoint resolution), and a [`Client`] with a single operation, `echo`, written
//! the way the generated operations are (its input an `orchestrate::Call`: a request writer
//! and a response reader), so that the whole call path compiles and can be tested here.

mod config;
mod credentials;
pub mod customize;
mod error;
#[cfg(feature = "rustls")]
mod hyper_transport;
#[cfg(feature = "test-util")]
pub mod mock;
pub(crate) mod orchestrate;
mod paginate;
pub(crate) mod rate_limit;
mod retry;
#[cfg(feature = "aws-config")]
mod sdk_config;
// `pub(crate)` here only, for the runtime's tests (`src/tests/sign.rs`).
pub(crate) mod sign;
mod timeout;
mod transport;

pub use self::config::{BehaviorVersion, Config, ConfigBuilder, ConfigError, Region};
pub use self::credentials::{
    CachedCredentials, Credentials, CredentialsError, EnvironmentCredentials, ProvideCredentials,
    SharedCredentialsProvider,
};
pub use self::error::{
    ConstructionError, CreateUnhandledError, ResponseError, SdkError, ServiceError, TimeoutError,
    TimeoutKind,
};
#[cfg(feature = "rustls")]
pub use self::hyper_transport::{HyperTransport, TokioSleep, DEFAULT_CONNECT_TIMEOUT};
pub use self::paginate::PaginationStream;
pub use self::retry::{RetryConfig, RetryConfigBuilder, RetryMode};
pub use self::timeout::{TimeoutConfig, TimeoutConfigBuilder};
pub use self::transport::{
    StreamingTransportFuture, Transport, TransportError, TransportErrorKind, TransportFuture,
    TransportSettings,
};
pub use aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep, Sleep};
pub use aws_smithy_async::time::{SharedTimeSource, StaticTimeSource, TimeSource};

use crate::byte_stream::ByteStream;
use crate::primitives::Blob;

/// The SigV4 signing name (a generated crate takes it from the model's `aws.auth#sigv4`).
pub(crate) const SIGNING_NAME: Option<&str> = Some("runtime");

/// The service's part of `AWS_ENDPOINT_URL_<SERVICE>`.
pub(crate) const SERVICE_ENV_NAME: &str = "SMITHY_RUNTIME";

/// The service id (the model's `sdkId`) service-specific settings are keyed by.
#[cfg_attr(not(feature = "aws-config"), allow(dead_code))]
pub(crate) const SERVICE_ID: &str = "Smithy Runtime";

/// The `User-Agent` of every request.
pub(crate) const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The endpoint of a call: the configured endpoint URL (a generated crate runs the model's
/// endpoint rules here).
pub(crate) fn resolve_endpoint(config: &Config) -> Result<orchestrate::ResolvedEndpoint, String> {
    let url = config.endpoint_url.clone().ok_or("no endpoint URL is configured")?;
    Ok(orchestrate::ResolvedEndpoint::from_parts(url, &Default::default(), &Default::default()))
}

/// A client of the stand-in service, whose one operation sends a body and gets it back.
#[derive(Clone)]
pub struct Client {
    handle: std::sync::Arc<orchestrate::Handle>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("config", &self.handle.config).finish()
    }
}

impl Client {
    /// A client with this configuration.
    pub fn new(config: impl Into<Config>) -> Self {
        Client::from_conf(config.into())
    }

    /// A client with this configuration.
    pub fn from_conf(config: Config) -> Self {
        Client { handle: std::sync::Arc::new(orchestrate::Handle::new(config)) }
    }

    /// The client's configuration.
    pub fn config(&self) -> &Config {
        &self.handle.config
    }

    /// `POST /echo` with `body`; the output is the response body. An error response is
    /// [`Unhandled`](crate::error::Unhandled), with the code of its `X-Amzn-ErrorType`.
    pub fn echo(&self, body: Blob) -> Echo {
        Echo { handle: self.handle.clone(), body }
    }

    /// `POST /echo` with `body` sent as it is read, the output (the response body) read as it
    /// arrives: an operation whose input and output stream, as `@streaming` blob payloads do.
    pub fn echo_stream(&self, body: impl Into<ByteStream>) -> EchoStream {
        let body = body.into();
        EchoStream { handle: self.handle.clone(), body, requires_length: false, unsigned: false }
    }
}

/// The events of the stand-in input event stream: text, with an unmodeled exception.
pub type TextEvents = crate::event_stream::EventStream<String, crate::error::Unhandled>;

impl Client {
    /// `POST /events` with `events` as an input event stream (each event a `Text` message,
    /// signed, chained to the request's signature); the output is the response body.
    pub fn echo_events(&self, events: TextEvents) -> EchoEvents {
        EchoEvents { handle: self.handle.clone(), events }
    }
}

/// The stand-in input event stream operation's fluent builder.
#[derive(Debug)]
pub struct EchoEvents {
    handle: std::sync::Arc<orchestrate::Handle>,
    events: TextEvents,
}

impl EchoEvents {
    /// Sends the call: the request at once, then its events as they come.
    pub async fn send(self) -> Result<Blob, SdkError<crate::error::Unhandled>> {
        let events = self.events;
        // What a generated crate's builders do for an operation with an input event stream.
        let upload = orchestrate::Upload::Events(Box::new(move |signing| {
            events.into_request_body(marshal_text, signing.map(event_signer))
        }));
        let reader = orchestrate::Reader::whole(read_echo);
        orchestrate::invoke(&self.handle, None, &(), write_events, reader, Some(upload)).await
    }
}

/// The signer of an input event stream's messages, chained to the request's signature.
fn event_signer(signing: orchestrate::EventSigning) -> crate::event_stream::BodySigner {
    let orchestrate::EventSigning { signature, credentials, region, signing_name, clock } = signing;
    let signer =
        crate::event_stream::MessageSigner::new(credentials, region, signing_name, signature);
    (signer, clock)
}

fn marshal_text(text: &String) -> Result<crate::event_stream::Message, crate::error::RequestError> {
    Ok(crate::event_stream::Message::event("Text", Some("text/plain"), text.as_bytes().to_vec()))
}

fn write_events(
    _input: &(),
    endpoint: &str,
    _tokens: &dyn crate::primitives::IdempotencyTokenProvider,
) -> Result<http::Request<Vec<u8>>, crate::error::RequestError> {
    http::Request::builder()
        .method("POST")
        .uri(format!("{}/events", endpoint.trim_end_matches('/')))
        .header("content-type", "application/vnd.amazon.eventstream")
        .body(Vec::new())
        .map_err(|e| crate::error::RequestError::invalid_value(e.to_string()))
}

/// The stand-in streaming operation's fluent builder.
#[derive(Debug)]
pub struct EchoStream {
    handle: std::sync::Arc<orchestrate::Handle>,
    body: ByteStream,
    requires_length: bool,
    unsigned: bool,
}

impl EchoStream {
    /// As if the payload had `@requiresLength`.
    pub fn requires_length(mut self) -> Self {
        self.requires_length = true;
        self
    }

    /// As if the operation had `@unsignedPayload`.
    pub fn unsigned_payload(mut self) -> Self {
        self.unsigned = true;
        self
    }

    /// Sends the call; returns at the response's head, its body to read.
    pub async fn send(mut self) -> Result<ByteStream, SdkError<crate::error::Unhandled>> {
        let upload =
            ByteStream::take_streaming(&mut self.body).map(|body| orchestrate::Upload::Blob {
                body,
                requires_length: self.requires_length,
                unsigned_payload: self.unsigned,
            });
        let reader = orchestrate::Reader::streaming(read_echo_head, |output, body| *output = body);
        orchestrate::invoke(&self.handle, None, &self.body, write_echo_stream, reader, upload).await
    }
}

/// The `echo_stream` request: its body the stream's bytes when in memory (else sent apart).
fn write_echo_stream(
    body: &ByteStream,
    endpoint: &str,
    tokens: &dyn crate::primitives::IdempotencyTokenProvider,
) -> Result<http::Request<Vec<u8>>, crate::error::RequestError> {
    let bytes = body.bytes().unwrap_or_default();
    write_echo(&Blob::new(bytes.to_vec()), endpoint, tokens)
}

/// The head of an `echo_stream` response: an empty stream (the body comes after), or the error.
fn read_echo_head(
    response: &http::Response<bytes::Bytes>,
) -> Result<ByteStream, crate::error::ResponseError<crate::error::Unhandled>> {
    read_echo(response).map(|blob| ByteStream::new(blob.into_inner()))
}

/// The stand-in operation's fluent builder.
#[derive(Debug)]
pub struct Echo {
    handle: std::sync::Arc<orchestrate::Handle>,
    body: Blob,
}

impl Echo {
    /// Sends the call.
    pub fn send(
        self,
    ) -> impl std::future::Future<Output = Result<Blob, SdkError<crate::error::Unhandled>>> + Send
    {
        orchestrate::send(self.handle, None, Ok(self.body))
    }

    /// The call, with its configuration or request changed.
    pub fn customize(self) -> customize::CustomizableOperation<Self> {
        customize::CustomizableOperation::new(self)
    }
}

impl customize::CustomizableSend for Echo {
    type Output = Blob;
    type Error = crate::error::Unhandled;

    fn send_customized(
        self,
        customization: customize::Customization,
    ) -> impl std::future::Future<Output = Result<Blob, SdkError<crate::error::Unhandled>>> + Send
    {
        orchestrate::send(self.handle, Some(customization), Ok(self.body))
    }
}

/// The stand-in operation's input, sent as generated inputs are.
impl orchestrate::Call for Blob {
    type Output = Blob;
    type Error = crate::error::Unhandled;
    const SERIALIZE: orchestrate::Serialize<Self> = write_echo;

    fn reader() -> orchestrate::Reader<Blob, crate::error::Unhandled> {
        orchestrate::Reader::whole(read_echo)
    }
}

#[cfg(feature = "test-util")]
impl mock::MockOperation for Echo {
    type Input = Blob;
    type Output = Blob;
    type Error = crate::error::Unhandled;
}

fn write_echo(
    body: &Blob,
    endpoint: &str,
    _tokens: &dyn crate::primitives::IdempotencyTokenProvider,
) -> Result<http::Request<Vec<u8>>, crate::error::RequestError> {
    http::Request::builder()
        .method("POST")
        .uri(format!("{}/echo", endpoint.trim_end_matches('/')))
        .body(body.as_ref().to_vec())
        .map_err(|e| crate::error::RequestError::invalid_value(e.to_string()))
}

fn read_echo(
    response: &http::Response<bytes::Bytes>,
) -> Result<Blob, crate::error::ResponseError<crate::error::Unhandled>> {
    if response.status().is_success() {
        return Ok(Blob::new(response.body().to_vec()));
    }
    let code = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(|v| crate::primitives::encoding::sanitize_error_code(v).to_string());
    let error = crate::error::Unhandled::new(code, None).with_status(response.status().as_u16());
    Err(crate::error::ResponseError::Service(error))
}

impl orchestrate::OperationError for crate::error::Unhandled {
    fn error_code(&self) -> Option<&str> {
        self.code()
    }

    fn modeled_retry(&self) -> Option<retry::RetryKind> {
        None
    }

    fn status(&self) -> u16 {
        crate::error::Unhandled::status(self).unwrap_or(500)
    }
}
