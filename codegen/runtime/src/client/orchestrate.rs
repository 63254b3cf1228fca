//! One call, start to end: apply the call's overrides, resolve the endpoint, build the request
//! once, then per attempt (within the attempt timeout, and all within the operation timeout)
//! wait for the adaptive rate limiter, get credentials, sign, send, read, and decide whether to
//! retry.
//!
//! A request body in memory is part of the request, signed with its hash and sent again by
//! each retry. A `@streaming` blob input read as it arrives ([`Upload`]) is sent as the body
//! of the first attempt only (it cannot be read twice: a failed attempt is not retried), with
//! `Content-Length` when its length is known (required by `@requiresLength`, checked before
//! sending), and signed with the SHA-256 of its file (read once before sending) or, when the
//! operation has `@unsignedPayload` and the endpoint is `https`, `UNSIGNED-PAYLOAD`; a stream
//! that is neither is refused before sending (never read into memory to be hashed).
//!
//! The response comes back from the transport at its head. An operation whose output streams
//! (an event stream, a streaming blob) returns there on a 2xx status, the output's stream
//! reading the body as it arrives; any other response is read whole (within the attempt
//! timeout) and then deserialized.

use std::any::Any;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::UNIX_EPOCH;

use aws_credential_types::provider::ProvideCredentials;
use aws_smithy_async::rt::sleep::AsyncSleep;

use super::config::Config;
use super::customize::Customization;
use super::error::{
    ConstructionError, ResponseError, SdkError, ServiceError, TimeoutError, TimeoutKind,
};
use super::rate_limit::RateLimiter;
use super::retry::{
    backoff, classify_response, jitter, retry_after, RetryKind, RetryMode, TokenBucket,
};
use super::sign::{
    auth_scheme, sign_request_with, stream_sha256, SigningKeys, STREAMING_EVENTS, UNSIGNED_PAYLOAD,
};
use super::timeout::within;
use super::transport::{TransportError, TransportErrorKind, TransportSettings};
use crate::byte_stream::ByteStream;
use crate::primitives::{Document, IdempotencyTokenProvider};
use bytes::Bytes;

/// A client's shared state: its configuration, its retry quota, its rate limiter and its
/// signing keys.
pub(crate) struct Handle {
    pub(crate) config: Config,
    pub(crate) bucket: TokenBucket,
    pub(crate) limiter: RateLimiter,
    pub(crate) signing_keys: SigningKeys,
    /// The endpoint of `config`, resolved by the first call that needs it: it depends on the
    /// configuration alone (a call with overridden configuration resolves its own).
    endpoint: OnceLock<Result<ResolvedEndpoint, String>>,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle").field("config", &self.config).finish_non_exhaustive()
    }
}

impl Handle {
    pub(crate) fn new(config: Config) -> Self {
        let now = seconds(&config);
        Handle {
            config,
            bucket: TokenBucket::new(),
            limiter: RateLimiter::new(now),
            signing_keys: SigningKeys::new(),
            endpoint: OnceLock::new(),
        }
    }
}

/// The config's time as seconds since the Unix epoch (the rate limiter's clock).
fn seconds(config: &Config) -> f64 {
    config.now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
}

/// What the generated code says about an operation's error enum.
pub(crate) trait OperationError {
    /// The error code (modeled shape name, or what the service sent).
    fn error_code(&self) -> Option<&str>;
    /// The retry kind the model's `@retryable` gives the error, if any.
    fn modeled_retry(&self) -> Option<RetryKind>;
    /// The HTTP status a response with this error has (the model's, else 400 or 500 by fault).
    #[cfg_attr(not(feature = "test-util"), allow(dead_code))]
    fn status(&self) -> u16;
}

/// An endpoint ready to use: its URL, headers to add, and the signing overrides of its
/// `authSchemes` property.
pub(crate) struct ResolvedEndpoint {
    pub(crate) url: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) signing_name: Option<String>,
    pub(crate) signing_region: Option<String>,
}

impl ResolvedEndpoint {
    #[allow(dead_code)] // used only when the model has endpoint rules
    pub(crate) fn from_parts(
        url: String,
        headers: &BTreeMap<String, Vec<String>>,
        properties: &BTreeMap<String, Document>,
    ) -> Self {
        let (signing_name, signing_region) = auth_scheme(properties);
        let headers = headers
            .iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k.clone(), v.clone())))
            .collect();
        ResolvedEndpoint { url, headers, signing_name, signing_region }
    }
}

pub(crate) type Serialize<I> = fn(
    &I,
    &str,
    &dyn IdempotencyTokenProvider,
) -> Result<http::Request<Vec<u8>>, crate::error::RequestError>;
/// Reads a whole response; the body is the transport's `Bytes`, read without a copy (a transport
/// that hands over one chunk, as hyper does for most bodies, is read where it lies).
type Deserialize<O, E> = fn(&http::Response<Bytes>) -> Result<O, crate::error::ResponseError<E>>;

/// How an operation reads its response: whole, or (an output that streams) its head read by
/// the whole-response reader over an empty body, then the body handed to the output.
pub(crate) struct Reader<O, E> {
    deserialize: Deserialize<O, E>,
    stream: Option<fn(&mut O, ByteStream)>,
}

impl<O, E> Reader<O, E> {
    /// The response read whole by `deserialize`.
    pub(crate) fn whole(deserialize: Deserialize<O, E>) -> Self {
        Reader { deserialize, stream: None }
    }

    /// A 2xx response read at its head by `deserialize` (over an empty body), its body then
    /// given to the output by `stream`; an error response read whole.
    #[allow(dead_code)] // used only by crates with outputs that stream
    pub(crate) fn streaming(
        deserialize: Deserialize<O, E>,
        stream: fn(&mut O, ByteStream),
    ) -> Self {
        Reader { deserialize, stream: Some(stream) }
    }
}

/// A request body sent as it is read, by the first attempt only (it cannot be read twice).
#[allow(dead_code)] // constructed only by crates with streaming inputs
pub(crate) enum Upload {
    /// A `@streaming` blob input that is not in memory.
    Blob {
        /// The body.
        body: ByteStream,
        /// The member's `@requiresLength`: the length must be known before sending.
        requires_length: bool,
        /// The operation's `@unsignedPayload`: over `https`, the body is not hashed.
        unsigned_payload: bool,
    },
    /// An input event stream, whose body is made once the request is signed.
    Events(EventsBody),
}

/// Makes the body of an input event stream, given what signs its messages (`None`: the
/// request is not signed, nor are its messages).
pub(crate) type EventsBody = Box<dyn FnOnce(Option<EventSigning>) -> ByteStream + Send + Sync>;

/// What signs the messages of an input event stream: the request's signature (the seed of
/// the chain), the credentials and scope it was signed with, and the clock that dates each
/// message.
#[allow(dead_code)] // read only by crates with input event streams
pub(crate) struct EventSigning {
    pub(crate) signature: String,
    pub(crate) credentials: super::credentials::Credentials,
    pub(crate) region: String,
    pub(crate) signing_name: String,
    pub(crate) clock: aws_smithy_async::time::SharedTimeSource,
}

fn construction<E>(message: impl Into<String>) -> SdkError<E> {
    SdkError::ConstructionFailure(ConstructionError::new(message))
}

/// Makes the call for `input` (whose idempotency tokens the caller has already filled), with
/// the call's customization if any.
pub(crate) async fn invoke<I, O, E>(
    handle: &Handle,
    customization: Option<&Customization>,
    input: &I,
    serialize: Serialize<I>,
    reader: Reader<O, E>,
    upload: Option<Upload>,
) -> Result<O, SdkError<E>>
where
    I: Any + Send + Sync,
    O: Any + Send,
    E: OperationError + Any + Send,
{
    let config = match customization.and_then(|c| c.config.as_ref()) {
        Some(overrides) => Cow::Owned(handle.config.with_overrides(overrides)),
        None => Cow::Borrowed(&handle.config),
    };
    let config = &*config;
    let operation_timeout = config.timeouts.operation_timeout();
    let call =
        std::pin::pin!(attempts(handle, config, customization, input, serialize, reader, upload));
    match within(operation_timeout, config.sleep.as_ref(), call).await {
        Ok(result) => result,
        Err(()) => Err(SdkError::TimeoutError(TimeoutError::new(
            TimeoutKind::Operation,
            operation_timeout.unwrap_or_default(),
        ))),
    }
}

/// An operation input the client can send: the operation's request writer and response reader,
/// and what is done to the input once before the first attempt. Every operation's input
/// implements it (generated), so that sending a call is the generic [`call`] and [`send`],
/// not a future of its own per operation: each such future (an `async fn` per operation, and
/// more so one in a trait impl) cost the compiler type checking, borrow checking and the
/// comparison with the trait's signature, for every operation of every crate.
pub(crate) trait Call: Sized + Any + Send + Sync {
    /// The operation's output.
    type Output: Any + Send;
    /// The operation's error enum.
    type Error: OperationError + Any + Send;
    /// The operation's request writer.
    const SERIALIZE: Serialize<Self>;

    /// The operation's response reader.
    fn reader() -> Reader<Self::Output, Self::Error>;

    /// Readies the input for its attempts, once per call: fills its idempotency tokens (from
    /// the client's provider) and takes out a body sent as it is read. Nothing by default.
    fn prepare(&mut self, _handle: &Handle) -> Option<Upload> {
        None
    }
}

/// Makes one logical call of `input`'s operation: the input readied once, then the attempts.
///
/// The future is declared `Send` here, where the compiler proves it once for every [`Call`]
/// (from the trait's bounds), so that the operations' methods can declare it too at no cost:
/// proven through each operation's own future instead, it doubled the trait obligations the
/// compiler evaluates (Connect's crate: 492k against 158k).
#[allow(clippy::manual_async_fn)] // an `async fn` could not declare the `Send`
pub(crate) fn call<'a, I: Call>(
    handle: &'a Handle,
    customization: Option<&'a Customization>,
    mut input: I,
) -> impl std::future::Future<Output = Result<I::Output, SdkError<I::Error>>> + Send + 'a {
    async move {
        let upload = input.prepare(handle);
        invoke(handle, customization, &input, I::SERIALIZE, I::reader(), upload).await
    }
}

/// [`call`] for a fluent builder's `send`: the client's handle and the customization owned by
/// the future, and an input that could not be built the call's error (its future declared
/// `Send` as [`call`]'s is).
#[allow(clippy::manual_async_fn)] // an `async fn` could not declare the `Send`
pub(crate) fn send<I: Call>(
    handle: std::sync::Arc<Handle>,
    customization: Option<Customization>,
    input: Result<I, ConstructionError>,
) -> impl std::future::Future<Output = Result<I::Output, SdkError<I::Error>>> + Send {
    async move {
        let input = input.map_err(SdkError::ConstructionFailure)?;
        call(&handle, customization.as_ref(), input).await
    }
}

/// The attempts of a call.
async fn attempts<I, O, E>(
    handle: &Handle,
    config: &Config,
    customization: Option<&Customization>,
    input: &I,
    serialize: Serialize<I>,
    reader: Reader<O, E>,
    upload: Option<Upload>,
) -> Result<O, SdkError<E>>
where
    I: Any + Send + Sync,
    O: Any + Send,
    E: OperationError + Any + Send,
{
    let deserialize = reader.deserialize;
    if config.region.is_none() {
        return Err(construction(
            super::config::ConfigError::MissingRegion { searched: Vec::new() }.to_string(),
        ));
    }
    let transport = config.transport.as_ref().map_err(|e| construction(e.to_string()))?;
    let sleep = config.sleep.as_ref();
    if sleep.is_none() && config.needs_sleep() {
        return Err(construction(super::config::ConfigError::MissingSleep.to_string()));
    }
    let resolved;
    let endpoint = if std::ptr::eq(config, &handle.config) {
        handle.endpoint.get_or_init(|| super::resolve_endpoint(config))
    } else {
        resolved = super::resolve_endpoint(config);
        &resolved
    };
    let endpoint = endpoint.as_ref().map_err(|e| construction(e.as_str()))?;
    let mut request = serialize(input, &endpoint.url, &*config.tokens)
        .map_err(|e| construction(e.to_string()))?;
    for (name, value) in &endpoint.headers {
        let name = http::HeaderName::from_bytes(name.as_bytes());
        let value = http::HeaderValue::from_str(value);
        if let (Ok(name), Ok(value)) = (name, value) {
            request.headers_mut().append(name, value);
        }
    }
    let user_agent = match &config.app_name {
        Some(app) => http::HeaderValue::from_str(&format!("{} app/{app}", super::USER_AGENT)).ok(),
        None => None,
    };
    let user_agent = user_agent.unwrap_or(http::HeaderValue::from_static(super::USER_AGENT));
    request.headers_mut().insert(http::header::USER_AGENT, user_agent);
    for mutate in customization.iter().flat_map(|c| &c.mutators) {
        mutate(&mut request);
    }
    let signing_name = endpoint.signing_name.as_deref().or(super::SIGNING_NAME);
    let streamed = upload.is_some();
    let payload_hash = match &upload {
        Some(Upload::Blob { body, requires_length, unsigned_payload }) => {
            let signed = signing_name.is_some();
            prepare_upload(&mut request, body, *requires_length, *unsigned_payload, signed).await?
        }
        Some(Upload::Events(_)) if signing_name.is_some() => {
            let value = http::HeaderValue::from_static(STREAMING_EVENTS);
            request.headers_mut().insert(X_AMZ_CONTENT_SHA256, value);
            Some(STREAMING_EVENTS.as_bytes().to_vec())
        }
        Some(Upload::Events(_)) | None => None,
    };
    let mut upload = upload;
    let region = match (&endpoint.signing_region, &config.region) {
        (Some(region), _) => region.as_str(),
        (None, Some(region)) => region.as_ref(),
        (None, None) => "",
    };
    let settings = TransportSettings {
        connect_timeout: config.timeouts.connect_timeout(),
        read_timeout: config.timeouts.read_timeout(),
    };
    let adaptive = config.retry.mode() == RetryMode::Adaptive;
    let attempt_timeout = config.timeouts.operation_attempt_timeout();
    let max_attempts = config.retry.max_attempts().max(1);
    let mut taken = 0_u32;
    let mut attempt = 1_u32;
    loop {
        if adaptive {
            let wait = handle.limiter.acquire(seconds(config));
            if let (false, Some(sleep)) = (wait.is_zero(), sleep) {
                sleep.sleep(wait).await;
            }
        }
        // The request is kept for another attempt only when one may follow.
        let mut request = if attempt < max_attempts && !streamed {
            request.clone()
        } else {
            std::mem::replace(&mut request, http::Request::new(Vec::new()))
        };
        if settings != TransportSettings::default() {
            request.extensions_mut().insert(settings);
        }
        if let Some(value) = attempt_header(attempt, max_attempts) {
            request.headers_mut().insert(AMZ_SDK_REQUEST, value);
        }
        let exchange = async {
            let mut event_signing = None;
            if let Some(signing_name) = signing_name {
                let Some(provider) = &config.credentials else {
                    return Exchange::Failed(SdkError::CredentialsFailure(
                        super::credentials::CredentialsError::not_loaded(
                            super::config::ConfigError::MissingCredentials { searched: Vec::new() }
                                .to_string(),
                        ),
                    ));
                };
                let credentials = match provider.provide_credentials().await {
                    Ok(credentials) => credentials,
                    Err(e) => return Exchange::Failed(SdkError::CredentialsFailure(e)),
                };
                let keys = &handle.signing_keys;
                let signature = match sign_request_with(
                    &mut request,
                    &credentials,
                    signing_name,
                    region,
                    config.now(),
                    keys,
                    payload_hash.as_deref(),
                ) {
                    Ok(signature) => signature,
                    Err(e) => return Exchange::Failed(construction(e)),
                };
                if let Some(Upload::Events(_)) = &upload {
                    event_signing = Some(EventSigning {
                        signature: signature.iter().map(|&b| char::from(b)).collect(),
                        credentials,
                        region: region.to_owned(),
                        signing_name: signing_name.to_owned(),
                        clock: config.time_source.clone(),
                    });
                }
            }
            #[cfg(feature = "test-util")]
            if let Some(mocks) = &config.mocks {
                return match mocks.answer::<I, O, E>(input, request) {
                    Ok(super::mock::Answer::Output(output)) => Exchange::Output(output),
                    Ok(super::mock::Answer::Error(error)) => {
                        let raw = http::Response::builder()
                            .status(error.status())
                            .body(Bytes::new())
                            .unwrap_or_default();
                        Exchange::Response(raw, Some(error))
                    }
                    Ok(super::mock::Answer::Http(response)) => {
                        read(response.map(ByteStream::new), reader.stream.is_some()).await
                    }
                    Err(e) => Exchange::Transport(e),
                };
            }
            let request = match upload.take() {
                Some(Upload::Blob { body, .. }) => request.map(|_| body),
                Some(Upload::Events(make)) => {
                    let body = make(event_signing.take());
                    request.map(|_| body)
                }
                None => request.map(ByteStream::new),
            };
            match transport.send_streaming(request).await {
                Ok(response) => read(response, reader.stream.is_some()).await,
                Err(e) => Exchange::Transport(e),
            }
        };
        let exchange = std::pin::pin!(exchange);
        let outcome = match within(attempt_timeout, sleep, exchange).await {
            Ok(outcome) => outcome,
            Err(()) => Exchange::TimedOut,
        };
        let (error, kind, wait) = match outcome {
            Exchange::Failed(error) => return Err(error),
            Exchange::Output(output) => {
                if adaptive {
                    handle.limiter.update(seconds(config), false);
                }
                if config.retry_quota {
                    handle.bucket.release(taken);
                }
                return Ok(output);
            }
            Exchange::TimedOut => {
                let limit = attempt_timeout.unwrap_or_default();
                let error = SdkError::TimeoutError(TimeoutError::new(TimeoutKind::Attempt, limit));
                (error, Some(RetryKind::Timeout), None)
            }
            Exchange::Transport(error) => {
                let kind = match error.kind() {
                    TransportErrorKind::Timeout => Some(RetryKind::Timeout),
                    TransportErrorKind::Io => Some(RetryKind::Transient),
                    _ => None,
                };
                if adaptive {
                    handle.limiter.update(seconds(config), false);
                }
                (SdkError::DispatchFailure(error), kind, None)
            }
            Exchange::Head(response) => {
                let (parts, stream) = response.into_parts();
                let head = http::Response::from_parts(parts, Bytes::new());
                match (deserialize(&head), reader.stream) {
                    (Ok(mut output), Some(attach)) => {
                        attach(&mut output, stream);
                        if adaptive {
                            handle.limiter.update(seconds(config), false);
                        }
                        if config.retry_quota {
                            handle.bucket.release(taken);
                        }
                        return Ok(output);
                    }
                    (Err(crate::error::ResponseError::Deserialize(e)), _) => {
                        return Err(SdkError::ResponseError(ResponseError::new(
                            e,
                            head.map(Vec::from),
                        )));
                    }
                    // A 2xx response's head is no service error, and `Head` comes only with a
                    // reader that streams; neither is reached.
                    _ => {
                        let e = crate::error::DeserializeError::new(
                            "the response's head could not be read as the output's",
                        );
                        return Err(SdkError::ResponseError(ResponseError::new(
                            e,
                            head.map(Vec::from),
                        )));
                    }
                }
            }
            Exchange::Response(response, canned) => {
                let read = match canned {
                    Some(error) => Err(crate::error::ResponseError::Service(error)),
                    None => deserialize(&response),
                };
                match read {
                    Ok(output) => {
                        if adaptive {
                            handle.limiter.update(seconds(config), false);
                        }
                        if config.retry_quota {
                            handle.bucket.release(taken);
                        }
                        return Ok(output);
                    }
                    Err(crate::error::ResponseError::Deserialize(e)) => {
                        let raw = response.map(Vec::from);
                        return Err(SdkError::ResponseError(ResponseError::new(e, raw)));
                    }
                    Err(crate::error::ResponseError::Service(e)) => {
                        let kind = classify_response(
                            response.status().as_u16(),
                            e.error_code(),
                            e.modeled_retry(),
                        );
                        if adaptive {
                            let throttled = kind == Some(RetryKind::Throttling);
                            handle.limiter.update(seconds(config), throttled);
                        }
                        let wait = retry_after(response.headers(), config.now());
                        let raw = response.map(Vec::from);
                        (SdkError::ServiceError(ServiceError::new(e, raw)), kind, wait)
                    }
                }
            }
        };
        let Some(kind) = kind else { return Err(error) };
        // A body read as it arrives was sent (or lost) with the first attempt.
        if attempt >= max_attempts || streamed {
            return Err(error);
        }
        if config.retry_quota {
            match handle.bucket.acquire(kind) {
                Some(cost) => taken += cost,
                None => return Err(error),
            }
        }
        let delay = match wait {
            Some(wait) => wait.min(config.retry.max_backoff()),
            None => backoff(&config.retry, attempt, jitter()),
        };
        if let Some(sleep) = sleep {
            sleep.sleep(delay).await;
        }
        attempt += 1;
    }
}

/// Readies the request for a body that streams: `Content-Length` when its length is known (an
/// error when unknown and `@requiresLength`), and, when the request is `signed`, the payload
/// hash to sign with.
async fn prepare_upload<E>(
    request: &mut http::Request<Vec<u8>>,
    body: &ByteStream,
    requires_length: bool,
    unsigned_payload: bool,
    signed: bool,
) -> Result<Option<Vec<u8>>, SdkError<E>> {
    match body.content_length() {
        Some(length) => {
            request.headers_mut().insert(http::header::CONTENT_LENGTH, length.into());
        }
        None if requires_length => {
            return Err(construction(
                "the payload's length must be known before sending (`@requiresLength`): give \
                 the stream its length (`ByteStream::with_content_length`), or read a file \
                 with `ByteStream::from_path`",
            ));
        }
        None => {}
    }
    if !signed {
        return Ok(None);
    }
    if unsigned_payload && request.uri().scheme_str() == Some("https") {
        return Ok(Some(UNSIGNED_PAYLOAD.to_vec()));
    }
    let Some(path) = body.unread_file() else {
        return Err(construction(
            "a payload read as it arrives cannot be signed: SigV4 needs its SHA-256 before \
             sending, and this operation does not allow an unsigned payload over https \
             (`@unsignedPayload`); give the payload in memory or as a file \
             (`ByteStream::from_path`)",
        ));
    };
    let hashing = |e: &dyn std::fmt::Display| {
        construction(format!("the payload's file could not be read to be hashed: {e}"))
    };
    let file = ByteStream::from_path(path).await.map_err(|e| hashing(&e))?;
    let hash = stream_sha256(file).await.map_err(|e| hashing(&e))?;
    Ok(Some(hash.to_vec()))
}

/// The response of an attempt: its head only, when the output streams and the status is 2xx;
/// else read whole (a body that fails to arrive is a transport error: an I/O failure or a
/// timeout, retried).
async fn read<O, E>(response: http::Response<ByteStream>, streams: bool) -> Exchange<O, E> {
    if streams && response.status().is_success() {
        return Exchange::Head(response);
    }
    let (parts, body) = response.into_parts();
    match body.collect().await {
        Ok(body) => Exchange::Response(http::Response::from_parts(parts, body), None),
        Err(e) => Exchange::Transport(TransportError::reading_body(e)),
    }
}

/// How one attempt ended.
enum Exchange<O, E> {
    /// Nothing was sent and retrying would not help.
    Failed(SdkError<E>),
    /// A canned output (feature `test-util`).
    #[cfg_attr(not(feature = "test-util"), allow(dead_code))]
    Output(O),
    /// A response read whole (with a canned error to read instead of its body, feature
    /// `test-util`).
    Response(http::Response<Bytes>, Option<E>),
    /// The head of a 2xx response whose output streams, with its body still to arrive.
    Head(http::Response<ByteStream>),
    /// No response.
    Transport(TransportError),
    /// The attempt timeout elapsed.
    TimedOut,
}

/// Header names the call sets, built once: a name given as text is copied into a new
/// allocation at every insert (a standard name is not, these two are not standard).
const AMZ_SDK_REQUEST: http::HeaderName = http::HeaderName::from_static("amz-sdk-request");
const X_AMZ_CONTENT_SHA256: http::HeaderName =
    http::HeaderName::from_static("x-amz-content-sha256");

/// The `amz-sdk-request` values of the attempt counts up to five, as `(attempt, max)` writes
/// them: the usual ones (three attempts by default) are sent as they are, neither formatted
/// nor copied.
const ATTEMPT_HEADERS: [&str; 15] = [
    "attempt=1; max=1",
    "attempt=1; max=2",
    "attempt=2; max=2",
    "attempt=1; max=3",
    "attempt=2; max=3",
    "attempt=3; max=3",
    "attempt=1; max=4",
    "attempt=2; max=4",
    "attempt=3; max=4",
    "attempt=4; max=4",
    "attempt=1; max=5",
    "attempt=2; max=5",
    "attempt=3; max=5",
    "attempt=4; max=5",
    "attempt=5; max=5",
];

/// The `amz-sdk-request` header of attempt `attempt` (from 1) of at most `max`.
pub(crate) fn attempt_header(attempt: u32, max: u32) -> Option<http::HeaderValue> {
    if (1..=max).contains(&attempt) && max <= 5 {
        // The values for `max` follow those of every smaller maximum: 1 + 2 + ... + (max - 1).
        let index = (max * (max - 1) / 2 + attempt - 1) as usize;
        if let Some(value) = ATTEMPT_HEADERS.get(index) {
            return Some(http::HeaderValue::from_static(value));
        }
    }
    http::HeaderValue::from_str(&format!("attempt={attempt}; max={max}")).ok()
}
