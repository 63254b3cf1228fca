//! AWS credentials and where they come from. The types are those of AWS's own
//! `aws-credential-types` crate (which the official SDK and `aws-config` use): [`Credentials`],
//! the [`ProvideCredentials`] trait and [`SharedCredentialsProvider`], so any provider of the
//! official ecosystem (`aws-config`'s default chain, profiles, SSO, web identity, ECS, IMDS,
//! `credential_process`) plugs in. Here: [`EnvironmentCredentials`] (the standard variables)
//! and [`CachedCredentials`], which keeps a provider's credentials until shortly before they
//! expire, as the official SDK's identity cache does.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

pub use aws_credential_types::provider::error::CredentialsError;
pub use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
pub use aws_credential_types::Credentials;

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

/// The variables [`EnvironmentCredentials`] reads.
pub(crate) const ACCESS_KEY_VARIABLES: [&str; 2] = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];

/// Credentials from the standard environment variables `AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY` and (optional) `AWS_SESSION_TOKEN`, read at every request.
#[derive(Clone)]
pub struct EnvironmentCredentials {
    lookup: Arc<Lookup>,
}

impl EnvironmentCredentials {
    /// Reads the process environment.
    pub fn new() -> Self {
        EnvironmentCredentials::with_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `lookup` instead of the process environment (for tests).
    pub fn with_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        EnvironmentCredentials { lookup: Arc::new(lookup) }
    }

    /// The credentials the variables hold now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let get = |name: &str| {
            (self.lookup)(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
        };
        let [key, secret] = ACCESS_KEY_VARIABLES;
        let access_key_id =
            get(key).ok_or_else(|| CredentialsError::not_loaded(format!("{key} is not set")))?;
        let secret = get(secret)
            .ok_or_else(|| CredentialsError::not_loaded(format!("{secret} is not set")))?;
        Ok(Credentials::new(access_key_id, secret, get("AWS_SESSION_TOKEN"), None, "Environment"))
    }
}

impl Default for EnvironmentCredentials {
    fn default() -> Self {
        EnvironmentCredentials::new()
    }
}

impl fmt::Debug for EnvironmentCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnvironmentCredentials")
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(self.load())
    }
}

/// How long before their expiry cached credentials are refreshed (the official SDK's identity
/// cache's buffer time).
const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(10);

/// How long credentials without an expiry are kept (the official SDK's identity cache's
/// default expiration).
const DEFAULT_CACHE_TIME: Duration = Duration::from_secs(15 * 60);

/// A provider whose credentials are kept until 10 s before they expire (or 15 minutes when
/// they carry no expiry), as the official SDK's identity cache
/// keeps them: the default chain's providers (instance metadata, containers, SSO, STS) are
/// asked once per expiry, not once per request. Concurrent calls that find the cache empty may
/// each ask the provider; the last answer is kept.
pub struct CachedCredentials {
    provider: SharedCredentialsProvider,
    cached: Mutex<Option<(Credentials, SystemTime)>>,
    clock: Arc<dyn Fn() -> SystemTime + Send + Sync>,
}

impl CachedCredentials {
    /// Caches `provider`'s credentials, timed by the system clock.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        CachedCredentials::with_clock(SharedCredentialsProvider::new(provider), SystemTime::now)
    }

    pub(crate) fn with_clock(
        provider: SharedCredentialsProvider,
        clock: impl Fn() -> SystemTime + Send + Sync + 'static,
    ) -> Self {
        CachedCredentials { provider, cached: Mutex::new(None), clock: Arc::new(clock) }
    }

    /// The cached credentials, or the provider's (then cached).
    pub async fn get(&self) -> Result<Credentials, CredentialsError> {
        let now = (self.clock)();
        if let Some((credentials, until)) = &*self.lock() {
            if now < *until {
                return Ok(credentials.clone());
            }
        }
        let credentials = self.provider.provide_credentials().await?;
        let until = match credentials.expiry() {
            Some(expiry) => expiry.checked_sub(REFRESH_BEFORE_EXPIRY).unwrap_or(expiry),
            None => now + DEFAULT_CACHE_TIME,
        };
        *self.lock() = Some((credentials.clone(), until));
        Ok(credentials)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(Credentials, SystemTime)>> {
        self.cached.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl fmt::Debug for CachedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedCredentials")
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for CachedCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.get())
    }
}
