//! Per-call customization: a fluent builder's `.customize()` returns a
//! [`CustomizableOperation`], which overrides the client's configuration for this call only
//! (`config_override`: retries, timeouts, endpoint, credentials...) and can change the HTTP
//! request before it is signed (`mutate_request`), as the official SDK's does.

use std::future::Future;
use std::sync::Arc;

use super::config::ConfigBuilder;
use super::error::SdkError;

type Mutator = dyn Fn(&mut http::Request<Vec<u8>>) + Send + Sync;

/// What a call changes: configuration overrides and request mutations.
#[derive(Clone, Default)]
pub struct Customization {
    pub(crate) config: Option<ConfigBuilder>,
    pub(crate) mutators: Vec<Arc<Mutator>>,
}

impl std::fmt::Debug for Customization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Customization")
            .field("config", &self.config)
            .field("mutators", &self.mutators.len())
            .finish()
    }
}

/// A fluent builder that can be sent with a [`Customization`] (every operation's fluent
/// builder is one; the trait is how [`CustomizableOperation::send`] sends it).
pub trait CustomizableSend: Sized {
    /// The operation's output.
    type Output;
    /// The operation's error enum.
    type Error;

    /// Sends the call with `customization`.
    #[allow(clippy::result_large_err)]
    fn send_customized(
        self,
        customization: Customization,
    ) -> impl Future<Output = Result<Self::Output, SdkError<Self::Error>>> + Send;
}

/// A call whose configuration or request is changed for this call only.
#[derive(Debug)]
pub struct CustomizableOperation<B> {
    builder: B,
    customization: Customization,
}

impl<B: CustomizableSend> CustomizableOperation<B> {
    pub(crate) fn new(builder: B) -> Self {
        CustomizableOperation { builder, customization: Customization::default() }
    }

    /// Overrides the client's configuration for this call: what `config_override` sets
    /// replaces the client's (`Config::builder().retry_config(..).timeout_config(..)`);
    /// the rest is the client's.
    pub fn config_override(mut self, config_override: impl Into<ConfigBuilder>) -> Self {
        self.customization.config = Some(config_override.into());
        self
    }

    /// Changes the HTTP request of every attempt before it is signed.
    pub fn mutate_request(
        mut self,
        mutate: impl Fn(&mut http::Request<Vec<u8>>) + Send + Sync + 'static,
    ) -> Self {
        self.customization.mutators.push(Arc::new(mutate));
        self
    }

    /// Sends the call.
    #[allow(clippy::result_large_err)]
    pub async fn send(self) -> Result<B::Output, SdkError<B::Error>> {
        self.builder.send_customized(self.customization).await
    }
}
