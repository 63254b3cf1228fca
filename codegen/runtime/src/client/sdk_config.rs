//! The official SDK's shared configuration (feature `aws-config`): a [`Config`] from the
//! `aws_types::SdkConfig` that `aws_config::load_defaults(..)` loads, so the whole default
//! chain of `aws-config` (environment, shared config and credentials files with profiles, SSO,
//! web identity, ECS and EKS container credentials, EC2 instance metadata,
//! `credential_process`) configures this client as it configures the official one.
//!
//! Taken from the `SdkConfig`: the region, the credentials provider (its credentials cached as
//! the official SDK's identity cache does), the endpoint URL (one set in code; else the
//! service-specific `AWS_ENDPOINT_URL_<SERVICE>` or the profile's `services` section; else the
//! global `AWS_ENDPOINT_URL` / `endpoint_url`), FIPS and dual-stack, the retry and timeout
//! configuration, the sleep and time source, and the application name. Not taken: the
//! `SdkConfig`'s HTTP client (this client sends through its own `Transport`) and its identity
//! cache (replaced by [`CachedCredentials`](super::CachedCredentials)).

use aws_types::sdk_config::SdkConfig;
use aws_types::service_config::ServiceConfigKey;

use super::config::{Config, ConfigBuilder};

/// The service-specific endpoint URL (`AWS_ENDPOINT_URL_<SERVICE>`, or `endpoint_url` in the
/// profile's `services` section), as `aws-config` loads it.
fn service_endpoint_url(sdk_config: &SdkConfig) -> Option<String> {
    let key = ServiceConfigKey::builder()
        .service_id(super::SERVICE_ID)
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build()
        .ok()?;
    sdk_config.service_config()?.load_config(key)
}

impl From<&SdkConfig> for ConfigBuilder {
    fn from(sdk_config: &SdkConfig) -> Self {
        let mut builder = ConfigBuilder::new();
        builder.set_credentials_provider(sdk_config.credentials_provider());
        builder.set_region(sdk_config.region().cloned());
        builder.set_use_fips(sdk_config.use_fips());
        builder.set_use_dual_stack(sdk_config.use_dual_stack());
        // An endpoint URL set in code wins; else the service's own, else the global one.
        let endpoint_url = if sdk_config.get_origin("endpoint_url").is_client_config() {
            sdk_config.endpoint_url().map(str::to_string)
        } else {
            service_endpoint_url(sdk_config)
                .or_else(|| sdk_config.endpoint_url().map(str::to_string))
        };
        builder.set_endpoint_url(endpoint_url);
        builder.set_retry_config(sdk_config.retry_config().cloned());
        builder.set_timeout_config(sdk_config.timeout_config().cloned());
        if let Some(sleep) = sdk_config.sleep_impl() {
            builder.set_sleep_impl(Some(sleep));
        }
        if let Some(time_source) = sdk_config.time_source() {
            builder.set_time_source(Some(time_source));
        }
        builder.set_app_name(sdk_config.app_name().map(|name| name.to_string()));
        builder
    }
}

impl From<&SdkConfig> for Config {
    fn from(sdk_config: &SdkConfig) -> Self {
        ConfigBuilder::from(sdk_config).build()
    }
}

impl Config {
    /// The configuration an `SdkConfig` describes (`aws_config::load_defaults(..)`).
    pub fn new(sdk_config: &SdkConfig) -> Config {
        Config::from(sdk_config)
    }
}
