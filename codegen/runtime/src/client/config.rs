//! [`Config`]: region, credentials, endpoint, transport, sleep, retries and idempotency
//! tokens of a client.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use super::credentials::{Credentials, EnvironmentCredentials, ProvideCredentials};
use super::retry::RetryConfig;
use super::transport::{Sleep, Transport};
use crate::primitives::{IdempotencyTokenProvider, RandomTokens};

type Clock = dyn Fn() -> SystemTime + Send + Sync;
type Tokens = dyn IdempotencyTokenProvider + Send + Sync;

/// The configuration of a [`Client`](super::Client). Made with [`Config::builder`] or
/// [`Config::from_env`].
#[derive(Clone)]
pub struct Config {
    pub(crate) region: String,
    pub(crate) credentials: Arc<dyn ProvideCredentials>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) sleep: Arc<dyn Sleep>,
    pub(crate) retry: RetryConfig,
    pub(crate) tokens: Arc<Tokens>,
    pub(crate) clock: Arc<Clock>,
}

impl Config {
    /// A builder with nothing set (retries: [`RetryConfig::standard`]).
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The configuration the standard environment variables describe (see
    /// [`ConfigBuilder::load_env`]), with the default transport.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::builder().load_env().build()
    }

    /// The region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The endpoint URL set instead of the resolved one.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack (IPv6) endpoints are used.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The retry configuration.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// The time requests are signed at (the system clock unless [`ConfigBuilder::clock`] set one).
    pub fn now(&self) -> SystemTime {
        (self.clock)()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Config`].
#[derive(Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    endpoint_url: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    transport: Option<Arc<dyn Transport>>,
    sleep: Option<Arc<dyn Sleep>>,
    retry: Option<RetryConfig>,
    tokens: Option<Arc<Tokens>>,
    clock: Option<Arc<Clock>>,
}

impl ConfigBuilder {
    /// The AWS region (`us-east-1`): picks the endpoint and signs the requests.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Static credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// A credentials provider, asked before every attempt.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// An endpoint URL to use instead of the resolved one (the `SDK::Endpoint` built-in of
    /// the endpoint rules): a local server, a proxy, a VPC endpoint.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Use FIPS endpoints.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = use_fips;
        self
    }

    /// Use dual-stack (IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = use_dual_stack;
        self
    }

    /// The HTTP transport (default with the `rustls` feature: `HyperTransport`).
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// How to wait between retries (default with the `rustls` feature: `TokioSleep`).
    pub fn sleep(mut self, sleep: impl Sleep) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// The retry configuration (default: [`RetryConfig::standard`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Where idempotency tokens come from (default: random UUIDs,
    /// [`RandomTokens`]).
    pub fn idempotency_tokens(
        mut self,
        tokens: impl IdempotencyTokenProvider + Send + Sync + 'static,
    ) -> Self {
        self.tokens = Some(Arc::new(tokens));
        self
    }

    /// The clock requests are signed with (default: the system clock). For tests.
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Reads the standard environment variables; see [`ConfigBuilder::load_env_with`].
    pub fn load_env(self) -> Self {
        self.load_env_with(|name| std::env::var(name).ok())
    }

    /// Reads the standard variables through `lookup`: the region from `AWS_REGION` (else
    /// `AWS_DEFAULT_REGION`); the endpoint from the service's `AWS_ENDPOINT_URL_<SERVICE>`
    /// (else `AWS_ENDPOINT_URL`); `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`,
    /// `AWS_MAX_ATTEMPTS`; and, unless credentials are already set, credentials from
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (read at each request).
    /// Variables that are unset or empty change nothing.
    pub fn load_env_with(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + Clone + 'static,
    ) -> Self {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        if let Some(region) = get("AWS_REGION").or_else(|| get("AWS_DEFAULT_REGION")) {
            self.region = Some(region);
        }
        let service_variable = format!("AWS_ENDPOINT_URL_{}", super::SERVICE_ENV_NAME);
        if let Some(url) = get(&service_variable).or_else(|| get("AWS_ENDPOINT_URL")) {
            self.endpoint_url = Some(url);
        }
        if let Some(flag) = get("AWS_USE_FIPS_ENDPOINT") {
            self.use_fips = flag.eq_ignore_ascii_case("true");
        }
        if let Some(flag) = get("AWS_USE_DUALSTACK_ENDPOINT") {
            self.use_dual_stack = flag.eq_ignore_ascii_case("true");
        }
        if let Some(attempts) = get("AWS_MAX_ATTEMPTS").and_then(|n| n.parse::<u32>().ok()) {
            self.retry = Some(self.retry.unwrap_or_default().max_attempts(attempts));
        }
        if self.credentials.is_none() {
            self.credentials = Some(Arc::new(EnvironmentCredentials::with_lookup(lookup)));
        }
        self
    }

    /// The configuration; fails if the region or the credentials are missing, or (without
    /// the `rustls` feature) no transport was given, or retries are on and no sleep was given.
    pub fn build(self) -> Result<Config, ConfigError> {
        let region = self.region.filter(|r| !r.is_empty()).ok_or(ConfigError::MissingRegion)?;
        let credentials = self.credentials.ok_or(ConfigError::MissingCredentials)?;
        let retry = self.retry.unwrap_or_default();
        let transport = match self.transport {
            Some(transport) => transport,
            None => default_transport()?,
        };
        let sleep = match self.sleep {
            Some(sleep) => sleep,
            None => default_sleep(&retry)?,
        };
        Ok(Config {
            region,
            credentials,
            endpoint_url: self.endpoint_url,
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            transport,
            sleep,
            retry,
            tokens: self.tokens.unwrap_or_else(|| Arc::new(RandomTokens::new())),
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemTime::now)),
        })
    }
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "rustls")]
fn default_transport() -> Result<Arc<dyn Transport>, ConfigError> {
    match super::hyper_transport::HyperTransport::new() {
        Ok(transport) => Ok(Arc::new(transport)),
        Err(e) => Err(ConfigError::Transport(e.to_string())),
    }
}

#[cfg(not(feature = "rustls"))]
fn default_transport() -> Result<Arc<dyn Transport>, ConfigError> {
    Err(ConfigError::MissingTransport)
}

#[cfg(feature = "rustls")]
fn default_sleep(_retry: &RetryConfig) -> Result<Arc<dyn Sleep>, ConfigError> {
    Ok(Arc::new(super::hyper_transport::TokioSleep::new()))
}

#[cfg(not(feature = "rustls"))]
fn default_sleep(retry: &RetryConfig) -> Result<Arc<dyn Sleep>, ConfigError> {
    if retry.get_max_attempts() > 1 {
        Err(ConfigError::MissingSleep)
    } else {
        Ok(Arc::new(super::transport::NoSleep))
    }
}

/// A configuration that cannot be built.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region was given (nor found in `AWS_REGION`).
    MissingRegion,
    /// No credentials or credentials provider was given.
    MissingCredentials,
    /// No transport was given, and the `rustls` feature (the default transport) is off.
    MissingTransport,
    /// Retries are on but no sleep was given, and the `rustls` feature (the default sleep) is off.
    MissingSleep,
    /// The default transport could not be set up (for example, no root certificates).
    Transport(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingRegion => f.write_str("no region: set one with `region(..)` or AWS_REGION"),
            ConfigError::MissingCredentials => f.write_str("no credentials: set `credentials(..)` or `credentials_provider(..)`"),
            ConfigError::MissingTransport => {
                f.write_str("no transport: set `transport(..)`, or enable the `rustls` feature for the default one")
            }
            ConfigError::MissingSleep => {
                f.write_str("retries need a sleep: set `sleep(..)`, disable retries, or enable the `rustls` feature")
            }
            ConfigError::Transport(e) => write!(f, "the default transport cannot be set up: {e}"),
        }
    }
}

impl StdError for ConfigError {}
