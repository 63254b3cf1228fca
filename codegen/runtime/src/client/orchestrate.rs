//! One call, start to end: resolve the endpoint, build the request once, then per attempt
//! get credentials, sign, send, read, and decide whether to retry.

use std::collections::BTreeMap;

use super::config::Config;
use super::error::{ConstructionError, ResponseError, SdkError, ServiceError};
use super::retry::{classify_response, jitter, retry_after, RetryKind, TokenBucket};
use super::sign::{auth_scheme, sign_request, SigningKeys};
use super::transport::TransportErrorKind;
use crate::primitives::{Document, IdempotencyTokenProvider};

/// A client's shared state: its configuration, its retry quota and its signing keys.
pub(crate) struct Handle {
    pub(crate) config: Config,
    pub(crate) bucket: TokenBucket,
    pub(crate) signing_keys: SigningKeys,
}

impl Handle {
    pub(crate) fn new(config: Config) -> Self {
        Handle { config, bucket: TokenBucket::new(), signing_keys: SigningKeys::new() }
    }
}

/// What the generated code says about an operation's error enum.
pub(crate) trait OperationError {
    /// The error code (modeled shape name, or what the service sent).
    fn error_code(&self) -> Option<&str>;
    /// The retry kind the model's `@retryable` gives the error, if any.
    fn modeled_retry(&self) -> Option<RetryKind>;
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

type Serialize<I> = fn(
    &I,
    &str,
    &dyn IdempotencyTokenProvider,
) -> Result<http::Request<Vec<u8>>, crate::error::RequestError>;
type Deserialize<O, E> = fn(&http::Response<Vec<u8>>) -> Result<O, crate::error::ResponseError<E>>;

/// Makes the call for `input` (whose idempotency tokens the caller has already filled).
pub(crate) async fn invoke<I, O, E: OperationError>(
    handle: &Handle,
    input: &I,
    serialize: Serialize<I>,
    deserialize: Deserialize<O, E>,
) -> Result<O, SdkError<E>> {
    let config = &handle.config;
    let endpoint = super::resolve_endpoint(config)
        .map_err(|e| SdkError::Construction(ConstructionError::new(e)))?;
    let mut request = serialize(input, &endpoint.url, &*config.tokens)
        .map_err(|e| SdkError::Construction(ConstructionError::new(e.to_string())))?;
    for (name, value) in &endpoint.headers {
        let name = http::HeaderName::from_bytes(name.as_bytes());
        let value = http::HeaderValue::from_str(value);
        if let (Ok(name), Ok(value)) = (name, value) {
            request.headers_mut().append(name, value);
        }
    }
    request
        .headers_mut()
        .insert(http::header::USER_AGENT, http::HeaderValue::from_static(super::USER_AGENT));
    let signing_name = endpoint.signing_name.as_deref().or(super::SIGNING_NAME);
    let region = endpoint.signing_region.as_deref().unwrap_or(&config.region);
    let max_attempts = config.retry.get_max_attempts();
    let mut taken = 0_u32;
    let mut attempt = 1_u32;
    loop {
        let mut request = request.clone();
        let counter = format!("attempt={attempt}; max={max_attempts}");
        if let Ok(value) = http::HeaderValue::from_str(&counter) {
            request.headers_mut().insert("amz-sdk-request", value);
        }
        if let Some(signing_name) = signing_name {
            let credentials = config.credentials.provide().await.map_err(SdkError::Credentials)?;
            let keys = &handle.signing_keys;
            sign_request(&mut request, &credentials, signing_name, region, config.now(), keys)
                .map_err(|e| SdkError::Construction(ConstructionError::new(e)))?;
        }
        let (error, kind, wait) = match config.transport.send(request).await {
            Err(error) => {
                let kind = match error.kind() {
                    TransportErrorKind::Timeout => Some(RetryKind::Timeout),
                    TransportErrorKind::Io => Some(RetryKind::Transient),
                    _ => None,
                };
                (SdkError::Transport(error), kind, None)
            }
            Ok(response) => match deserialize(&response) {
                Ok(output) => {
                    if config.retry.quota_enabled() {
                        handle.bucket.release(taken);
                    }
                    return Ok(output);
                }
                Err(crate::error::ResponseError::Deserialize(e)) => {
                    return Err(SdkError::Response(ResponseError::new(e, response)));
                }
                Err(crate::error::ResponseError::Service(e)) => {
                    let kind = classify_response(
                        response.status().as_u16(),
                        e.error_code(),
                        e.modeled_retry(),
                    );
                    let wait = retry_after(response.headers(), config.now());
                    (SdkError::Service(ServiceError::new(e, response)), kind, wait)
                }
            },
        };
        let Some(kind) = kind else { return Err(error) };
        if attempt >= max_attempts {
            return Err(error);
        }
        if config.retry.quota_enabled() {
            match handle.bucket.acquire(kind) {
                Some(cost) => taken += cost,
                None => return Err(error),
            }
        }
        let delay = match wait {
            Some(wait) => wait.min(config.retry.get_max_backoff()),
            None => config.retry.backoff(attempt, jitter()),
        };
        config.sleep.sleep(delay).await;
        attempt += 1;
    }
}
