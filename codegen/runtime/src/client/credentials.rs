//! AWS credentials and where they come from: [`Credentials`] themselves (static),
//! [`EnvironmentCredentials`], or any [`ProvideCredentials`] the caller writes.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

/// An access key, its secret and, for temporary credentials, a session token.
///
/// `Debug` does not print the secret or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Credentials from an access key id, its secret access key, and a session token for
    /// temporary credentials.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
        }
    }

    /// The same credentials, expiring at `expiry` (informational: passed to the signer).
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When the credentials expire, if known.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"*** redacted ***")
            .field("session_token", &self.session_token.as_ref().map(|_| "*** redacted ***"))
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// The future a [`ProvideCredentials`] returns.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked before every attempt (so it can refresh them).
pub trait ProvideCredentials: Send + Sync + 'static {
    /// The credentials to sign the next request with.
    fn provide(&self) -> CredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide(&self) -> CredentialsFuture<'_> {
        (**self).provide()
    }
}

/// No credentials could be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
}

impl CredentialsError {
    /// An error with a message saying what is missing or what failed.
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError { message: message.into() }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no credentials: {}", self.message)
    }
}

impl StdError for CredentialsError {}

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

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
        let access_key_id = get("AWS_ACCESS_KEY_ID")
            .ok_or_else(|| CredentialsError::new("AWS_ACCESS_KEY_ID is not set"))?;
        let secret = get("AWS_SECRET_ACCESS_KEY")
            .ok_or_else(|| CredentialsError::new("AWS_SECRET_ACCESS_KEY is not set"))?;
        Ok(Credentials::new(access_key_id, secret, get("AWS_SESSION_TOKEN")))
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
    fn provide(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }
}
