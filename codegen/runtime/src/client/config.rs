//! [`Config`]: region, credentials, endpoint, retries, timeouts, transport, sleep, time source
//! and idempotency tokens of a client, with the official SDK's builder names
//! (`Config::builder().region(..).credentials_provider(..).retry_config(..).build()`).
//!
//! `build()` never fails, as in the official SDK: what is missing (a region, credentials, a
//! transport) fails the call that needs it, with an error saying what to set.
//! [`ConfigBuilder::try_build`] and [`Config::from_env`] check it at once instead.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep};
use aws_smithy_async::time::{SharedTimeSource, TimeSource};

use super::credentials::{
    CachedCredentials, Credentials, EnvironmentCredentials, ProvideCredentials,
    SharedCredentialsProvider, ACCESS_KEY_VARIABLES,
};
use super::retry::RetryConfig;
use super::timeout::TimeoutConfig;
use super::transport::Transport;
use crate::primitives::{IdempotencyTokenProvider, RandomTokens};

type Tokens = dyn IdempotencyTokenProvider + Send + Sync;

pub use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;

/// An AWS region (`us-east-1`): the official SDK's own type (`aws-types`), so a region made
/// for it (`aws_types::region::Region::new(..)`, `aws_config`'s) configures this client as is.
pub use aws_types::region::Region;

/// The configuration of a [`Client`](super::Client). Made with [`Config::builder`],
/// [`Config::from_env`] or (feature `aws-config`) from an `aws_types::SdkConfig`.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<Region>,
    pub(crate) credentials: Option<SharedCredentialsProvider>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) transport: Result<Arc<dyn Transport>, ConfigError>,
    pub(crate) sleep: Option<SharedAsyncSleep>,
    pub(crate) retry: RetryConfig,
    pub(crate) retry_quota: bool,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) tokens: Arc<Tokens>,
    pub(crate) time_source: SharedTimeSource,
    pub(crate) app_name: Option<String>,
    /// Canned answers instead of the network (feature `test-util`).
    #[cfg(feature = "test-util")]
    pub(crate) mocks: Option<Arc<super::mock::Mocks>>,
    /// What the builder had, for [`Config::to_builder`].
    builder: ConfigBuilder,
}

impl Config {
    /// A builder with nothing set (retries: [`RetryConfig::standard`]; no timeouts but the
    /// default transport's connect timeout).
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The configuration the standard environment variables describe (see
    /// [`ConfigBuilder::load_env`]), with the default transport; fails at once, naming what
    /// was looked for, when the region or the credentials are not there.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::builder().load_env().try_build()
    }

    /// A builder holding this configuration.
    pub fn to_builder(&self) -> ConfigBuilder {
        self.builder.clone()
    }

    /// This configuration with what `overrides` sets replaced (a call's `customize()`); the
    /// transport, sleep and credentials (with their cache) are shared unless replaced.
    pub(crate) fn with_overrides(&self, overrides: &ConfigBuilder) -> Config {
        let mut merged = self.builder.clone().merge(overrides);
        if merged.transport.is_none() {
            merged.transport = self.transport.clone().ok();
        }
        if merged.sleep.is_none() {
            merged.sleep = self.sleep.clone();
        }
        let keep_credentials =
            overrides.credentials.is_none() && overrides.credentials_provider.is_none();
        let mut config = merged.build();
        if keep_credentials {
            config.credentials = self.credentials.clone();
        }
        config
    }

    /// The region.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The credentials provider.
    pub fn credentials_provider(&self) -> Option<SharedCredentialsProvider> {
        self.credentials.clone()
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
    pub fn retry_config(&self) -> Option<&RetryConfig> {
        Some(&self.retry)
    }

    /// Whether retries draw on the client's retry quota.
    pub fn retry_quota(&self) -> bool {
        self.retry_quota
    }

    /// The timeout configuration.
    pub fn timeout_config(&self) -> Option<&TimeoutConfig> {
        Some(&self.timeouts)
    }

    /// The application name sent in the `User-Agent`.
    pub fn app_name(&self) -> Option<&str> {
        self.app_name.as_deref()
    }

    /// The time requests are signed at.
    pub fn now(&self) -> SystemTime {
        self.time_source.now()
    }

    /// The SigV4 signing name of the service.
    pub fn signing_name(&self) -> Option<&'static str> {
        super::SIGNING_NAME
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
            .field("timeouts", &self.timeouts)
            .field("app_name", &self.app_name)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Config`] (`config::Builder` in the official SDK's words).
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    region: Option<Region>,
    credentials: Option<Credentials>,
    credentials_provider: Option<SharedCredentialsProvider>,
    environment_credentials: Option<EnvironmentCredentials>,
    /// The variables `load_env` read and found empty (for the error naming them).
    searched: Vec<&'static str>,
    endpoint_url: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    transport: Option<Arc<dyn Transport>>,
    sleep: Option<SharedAsyncSleep>,
    retry: Option<RetryConfig>,
    retry_quota: Option<bool>,
    timeouts: Option<TimeoutConfig>,
    tokens: Option<Arc<Tokens>>,
    time_source: Option<SharedTimeSource>,
    app_name: Option<String>,
    behavior_version: Option<BehaviorVersion>,
    #[cfg(feature = "test-util")]
    mocks: Option<Arc<super::mock::Mocks>>,
}

impl ConfigBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        ConfigBuilder::default()
    }

    /// The AWS region: picks the endpoint and signs the requests.
    pub fn region(mut self, region: impl Into<Option<Region>>) -> Self {
        self.set_region(region.into());
        self
    }

    /// Sets or clears the region.
    pub fn set_region(&mut self, region: Option<Region>) -> &mut Self {
        self.region = region;
        self
    }

    /// Static credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self.credentials_provider = None;
        self
    }

    /// A credentials provider (any of `aws-config`'s, or your own); its credentials are
    /// kept until shortly before they expire (see
    /// [`CachedCredentials`](super::CachedCredentials)).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.set_credentials_provider(Some(SharedCredentialsProvider::new(provider)));
        self
    }

    /// Sets or clears the credentials provider.
    pub fn set_credentials_provider(
        &mut self,
        provider: Option<SharedCredentialsProvider>,
    ) -> &mut Self {
        self.credentials_provider = provider;
        self.credentials = None;
        self
    }

    /// An endpoint URL to use instead of the resolved one (the `SDK::Endpoint` built-in of
    /// the endpoint rules): a local server, a proxy, a VPC endpoint.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.set_endpoint_url(Some(url.into()));
        self
    }

    /// Sets or clears the endpoint URL.
    pub fn set_endpoint_url(&mut self, url: Option<String>) -> &mut Self {
        self.endpoint_url = url;
        self
    }

    /// Use FIPS endpoints.
    pub fn use_fips(mut self, use_fips: impl Into<bool>) -> Self {
        self.use_fips = Some(use_fips.into());
        self
    }

    /// Sets or clears the FIPS choice.
    pub fn set_use_fips(&mut self, use_fips: Option<bool>) -> &mut Self {
        self.use_fips = use_fips;
        self
    }

    /// Use dual-stack (IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: impl Into<bool>) -> Self {
        self.use_dual_stack = Some(use_dual_stack.into());
        self
    }

    /// Sets or clears the dual-stack choice.
    pub fn set_use_dual_stack(&mut self, use_dual_stack: Option<bool>) -> &mut Self {
        self.use_dual_stack = use_dual_stack;
        self
    }

    /// The HTTP transport (default with the `rustls` feature: `HyperTransport`).
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// How to wait between retries and for timeouts (default with the `rustls` feature:
    /// `TokioSleep`).
    pub fn sleep_impl(mut self, sleep: impl AsyncSleep + 'static) -> Self {
        self.set_sleep_impl(Some(SharedAsyncSleep::new(sleep)));
        self
    }

    /// Sets or clears the sleep.
    pub fn set_sleep_impl(&mut self, sleep: Option<SharedAsyncSleep>) -> &mut Self {
        self.sleep = sleep;
        self
    }

    /// The retry configuration (default: [`RetryConfig::standard`]; [`RetryConfig::adaptive`]
    /// adds client-side rate limiting).
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.set_retry_config(Some(retry));
        self
    }

    /// Sets or clears the retry configuration.
    pub fn set_retry_config(&mut self, retry: Option<RetryConfig>) -> &mut Self {
        self.retry = retry;
        self
    }

    /// Whether retries draw on the client's retry quota (default: on, as in AWS's standard
    /// mode).
    pub fn retry_quota(mut self, enabled: bool) -> Self {
        self.retry_quota = Some(enabled);
        self
    }

    /// The timeouts: connect, read (the wait for the first byte of a response), per attempt
    /// and for the whole operation (default: none, but the default transport's connect
    /// timeout of 3.1 s).
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.set_timeout_config(Some(timeouts));
        self
    }

    /// Sets or clears the timeout configuration.
    pub fn set_timeout_config(&mut self, timeouts: Option<TimeoutConfig>) -> &mut Self {
        self.timeouts = timeouts;
        self
    }

    /// Where idempotency tokens come from (default: random UUIDs, [`RandomTokens`]).
    pub fn idempotency_token_provider(
        mut self,
        tokens: impl IdempotencyTokenProvider + Send + Sync + 'static,
    ) -> Self {
        self.tokens = Some(Arc::new(tokens));
        self
    }

    /// The time source requests are signed with and credentials are timed by (default: the
    /// system clock).
    pub fn time_source(mut self, time_source: impl TimeSource + 'static) -> Self {
        self.set_time_source(Some(SharedTimeSource::new(time_source)));
        self
    }

    /// Sets or clears the time source.
    pub fn set_time_source(&mut self, time_source: Option<SharedTimeSource>) -> &mut Self {
        self.time_source = time_source;
        self
    }

    /// An application name, sent in the `User-Agent` (`app/<name>`).
    pub fn app_name(mut self, app_name: impl Into<String>) -> Self {
        self.set_app_name(Some(app_name.into()));
        self
    }

    /// Sets or clears the application name.
    pub fn set_app_name(&mut self, app_name: Option<String>) -> &mut Self {
        self.app_name = app_name;
        self
    }

    /// The official SDK's behavior version, accepted so that code written for it compiles:
    /// this client has a single behavior, that of the latest version.
    pub fn behavior_version(mut self, behavior_version: BehaviorVersion) -> Self {
        self.behavior_version = Some(behavior_version);
        self
    }

    /// The official SDK's `behavior_version(BehaviorVersion::latest())`.
    pub fn behavior_version_latest(self) -> Self {
        self.behavior_version(BehaviorVersion::latest())
    }

    #[cfg(feature = "test-util")]
    pub(crate) fn mocks(mut self, mocks: Arc<super::mock::Mocks>) -> Self {
        self.mocks = Some(mocks);
        self
    }

    /// Reads the standard environment variables; see [`ConfigBuilder::load_env_with`].
    pub fn load_env(self) -> Self {
        self.load_env_with(|name| std::env::var(name).ok())
    }

    /// Reads the standard variables through `lookup`: the region from `AWS_REGION` (else
    /// `AWS_DEFAULT_REGION`); the endpoint from the service's `AWS_ENDPOINT_URL_<SERVICE>`
    /// (else `AWS_ENDPOINT_URL`); `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`,
    /// `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE` (`standard` or `adaptive`); and, unless
    /// credentials are already set and when `AWS_ACCESS_KEY_ID` is, credentials from
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (read again at each
    /// request). Variables that are unset or empty change nothing. For profiles, SSO, web
    /// identity, container and instance credentials, use the `aws-config` feature.
    pub fn load_env_with(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + Clone + 'static,
    ) -> Self {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        match get("AWS_REGION").or_else(|| get("AWS_DEFAULT_REGION")) {
            Some(region) => self.region = Some(Region::new(region)),
            None => self.searched.extend(["AWS_REGION", "AWS_DEFAULT_REGION"]),
        }
        let service_variable = format!("AWS_ENDPOINT_URL_{}", super::SERVICE_ENV_NAME);
        if let Some(url) = get(&service_variable).or_else(|| get("AWS_ENDPOINT_URL")) {
            self.endpoint_url = Some(url);
        }
        if let Some(flag) = get("AWS_USE_FIPS_ENDPOINT") {
            self.use_fips = Some(flag.eq_ignore_ascii_case("true"));
        }
        if let Some(flag) = get("AWS_USE_DUALSTACK_ENDPOINT") {
            self.use_dual_stack = Some(flag.eq_ignore_ascii_case("true"));
        }
        let mut retry = self.retry.clone();
        if let Some(mode) = get("AWS_RETRY_MODE") {
            if mode.eq_ignore_ascii_case("adaptive") {
                retry = Some(RetryConfig::adaptive());
            } else if mode.eq_ignore_ascii_case("standard") {
                retry = Some(RetryConfig::standard());
            }
        }
        if let Some(attempts) = get("AWS_MAX_ATTEMPTS").and_then(|n| n.parse::<u32>().ok()) {
            retry = Some(
                retry.unwrap_or_else(RetryConfig::standard).with_max_attempts(attempts.max(1)),
            );
        }
        self.retry = retry;
        if self.credentials.is_none() && self.credentials_provider.is_none() {
            if ACCESS_KEY_VARIABLES.iter().all(|name| get(name).is_some()) {
                self.environment_credentials = Some(EnvironmentCredentials::with_lookup(lookup));
            } else {
                self.searched.extend(ACCESS_KEY_VARIABLES);
            }
        }
        self
    }

    /// `self` with what `overrides` sets replaced.
    fn merge(mut self, overrides: &ConfigBuilder) -> Self {
        let o = overrides.clone();
        if o.region.is_some() {
            self.region = o.region;
        }
        if o.credentials.is_some() || o.credentials_provider.is_some() {
            self.credentials = o.credentials;
            self.credentials_provider = o.credentials_provider;
            self.environment_credentials = None;
        }
        macro_rules! replace {
            ($($field:ident),*) => {
                $(if o.$field.is_some() {
                    self.$field = o.$field;
                })*
            };
        }
        replace!(
            endpoint_url,
            use_fips,
            use_dual_stack,
            transport,
            sleep,
            retry,
            retry_quota,
            timeouts,
            tokens,
            time_source,
            app_name
        );
        #[cfg(feature = "test-util")]
        replace!(mocks);
        self
    }

    /// The configuration. It never fails: what is missing fails the calls that need it,
    /// with an error saying what to set (see [`try_build`](Self::try_build) to know now).
    pub fn build(self) -> Config {
        let time_source = self.time_source.clone().unwrap_or_default();
        let credentials = if let Some(credentials) = &self.credentials {
            Some(SharedCredentialsProvider::new(credentials.clone()))
        } else if let Some(provider) = &self.credentials_provider {
            let clock = time_source.clone();
            Some(SharedCredentialsProvider::new(CachedCredentials::with_clock(
                provider.clone(),
                move || clock.now(),
            )))
        } else {
            self.environment_credentials.clone().map(SharedCredentialsProvider::new)
        };
        let transport = match &self.transport {
            Some(transport) => Ok(transport.clone()),
            None => default_transport(),
        };
        Config {
            region: self.region.clone(),
            credentials,
            endpoint_url: self.endpoint_url.clone(),
            use_fips: self.use_fips.unwrap_or(false),
            use_dual_stack: self.use_dual_stack.unwrap_or(false),
            transport,
            sleep: self.sleep.clone().or_else(default_sleep),
            retry: self.retry.clone().unwrap_or_else(RetryConfig::standard),
            retry_quota: self.retry_quota.unwrap_or(true),
            timeouts: self.timeouts.clone().unwrap_or_else(|| TimeoutConfig::builder().build()),
            tokens: self.tokens.clone().unwrap_or_else(|| Arc::new(RandomTokens::new())),
            time_source,
            app_name: self.app_name.clone(),
            #[cfg(feature = "test-util")]
            mocks: self.mocks.clone(),
            builder: self,
        }
    }

    /// The configuration, or what is missing: a region, credentials (for a service that
    /// signs its requests), a transport (without the `rustls` feature), or a sleep when
    /// retries or timeouts need one.
    pub fn try_build(self) -> Result<Config, ConfigError> {
        let searched = self.searched.clone();
        let config = self.build();
        config.check().map_err(|error| match error {
            ConfigError::MissingRegion { .. } => ConfigError::MissingRegion {
                searched: searched.iter().filter(|v| v.contains("REGION")).copied().collect(),
            },
            ConfigError::MissingCredentials { .. } => ConfigError::MissingCredentials {
                searched: searched.iter().filter(|v| !v.contains("REGION")).copied().collect(),
            },
            other => other,
        })?;
        Ok(config)
    }
}

impl Config {
    /// What this configuration lacks for a call, if anything.
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        if !self.region.as_ref().is_some_and(|r| !r.as_ref().is_empty()) {
            return Err(ConfigError::MissingRegion { searched: Vec::new() });
        }
        if super::SIGNING_NAME.is_some() && self.credentials.is_none() {
            return Err(ConfigError::MissingCredentials { searched: Vec::new() });
        }
        if let Err(e) = &self.transport {
            return Err(e.clone());
        }
        if self.sleep.is_none() && self.needs_sleep() {
            return Err(ConfigError::MissingSleep);
        }
        Ok(())
    }

    /// Whether calls may have to wait: retries or attempt and operation timeouts.
    pub(crate) fn needs_sleep(&self) -> bool {
        self.retry.max_attempts() > 1
            || self.timeouts.operation_timeout().is_some()
            || self.timeouts.operation_attempt_timeout().is_some()
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
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

impl From<Config> for ConfigBuilder {
    fn from(config: Config) -> Self {
        config.builder
    }
}

impl From<&Config> for ConfigBuilder {
    fn from(config: &Config) -> Self {
        config.builder.clone()
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
fn default_sleep() -> Option<SharedAsyncSleep> {
    Some(SharedAsyncSleep::new(super::hyper_transport::TokioSleep::new()))
}

#[cfg(not(feature = "rustls"))]
fn default_sleep() -> Option<SharedAsyncSleep> {
    None
}

/// A configuration that cannot make calls.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region was given (`searched`: the environment variables read and found empty).
    MissingRegion {
        /// The environment variables looked for.
        searched: Vec<&'static str>,
    },
    /// No credentials or credentials provider was given (`searched`: the environment
    /// variables read and found empty).
    MissingCredentials {
        /// The environment variables looked for.
        searched: Vec<&'static str>,
    },
    /// No transport was given, and the `rustls` feature (the default transport) is off.
    MissingTransport,
    /// Retries or timeouts are on but no sleep was given, and the `rustls` feature (the
    /// default sleep) is off.
    MissingSleep,
    /// The default transport could not be set up (for example, no root certificates).
    Transport(String),
}

fn searched(f: &mut fmt::Formatter<'_>, names: &[&str]) -> fmt::Result {
    if !names.is_empty() {
        write!(f, " (looked for {} in the environment)", names.join(", "))?;
    }
    Ok(())
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingRegion { searched: names } => {
                f.write_str("no region")?;
                searched(f, names)?;
                f.write_str(": set AWS_REGION, or `region(..)` in the config")
            }
            ConfigError::MissingCredentials { searched: names } => {
                f.write_str("no credentials")?;
                searched(f, names)?;
                f.write_str(
                    ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or `credentials_provider(..)` \
                     in the config; for profiles, SSO, web identity, container and instance \
                     credentials, enable the `aws-config` feature and build the client from \
                     `aws_config::load_defaults(..)`",
                )
            }
            ConfigError::MissingTransport => f.write_str(
                "no transport: set `transport(..)`, or enable the `rustls` feature for the default one",
            ),
            ConfigError::MissingSleep => f.write_str(
                "retries and timeouts need a sleep: set `sleep_impl(..)`, disable them, or enable the `rustls` feature",
            ),
            ConfigError::Transport(e) => write!(f, "the default transport cannot be set up: {e}"),
        }
    }
}

impl StdError for ConfigError {}
