//! The client's configuration (feature `client`), where the official SDK has it:
//! `config::Builder`, `config::Region`, `config::Credentials`, `config::retry::RetryConfig`,
//! `config::timeout::TimeoutConfig`...

pub use crate::client::{
    AsyncSleep, BehaviorVersion, Config, ConfigBuilder as Builder, ConfigError, Credentials,
    ProvideCredentials, Region, SharedAsyncSleep, SharedCredentialsProvider, SharedTimeSource,
    Sleep, TimeSource,
};

/// Retries: AWS's standard and adaptive modes.
pub mod retry {
    pub use crate::client::{RetryConfig, RetryConfigBuilder, RetryMode};
}

/// Timeouts: connect, read, per attempt and for the whole operation.
pub mod timeout {
    pub use crate::client::{TimeoutConfig, TimeoutConfigBuilder};
}
