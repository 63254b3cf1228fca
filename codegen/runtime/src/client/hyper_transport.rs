//! The default transport (feature `rustls`): hyper 1 through hyper-util's pooled client,
//! TLS by rustls with the `ring` provider and the platform's root certificates; plain
//! `http://` is allowed too (a local server). Sleeping is tokio's.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use super::transport::{Sleep, Transport, TransportError, TransportFuture};

type HttpsConnector = hyper_rustls::HttpsConnector<HttpConnector>;

/// How long [`HyperTransport::new`] waits for a TCP connection: 3.1 s, the AWS SDKs' default
/// connect timeout. A connection that times out is an I/O error, retried like other transient
/// errors.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// A [`Transport`] on hyper 1 and rustls (connection pooling, HTTP/1.1, TLS 1.2 and 1.3).
///
/// It needs a tokio runtime to run on (the futures it returns spawn connection tasks).
#[derive(Clone, Debug)]
pub struct HyperTransport {
    client: Client<HttpsConnector, Full<bytes::Bytes>>,
    timeout: Option<Duration>,
}

impl HyperTransport {
    /// A transport trusting the platform's root certificates, with a connect timeout of
    /// [`DEFAULT_CONNECT_TIMEOUT`] and no overall request timeout (see
    /// [`with_timeout`](Self::with_timeout)); fails if no root certificate can be loaded.
    pub fn new() -> Result<Self, TransportError> {
        let provider = rustls::crypto::ring::default_provider();
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false); // the TLS layer above takes `https://` URIs
        tcp.set_connect_timeout(Some(DEFAULT_CONNECT_TIMEOUT));
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(provider)
            .map_err(TransportError::other)?
            .https_or_http()
            .enable_http1()
            .wrap_connector(tcp);
        let client = Client::builder(TokioExecutor::new()).build(connector);
        Ok(HyperTransport { client, timeout: None })
    }

    /// The same transport, failing a request that takes longer than `timeout` with a
    /// timeout error (retried like other transient errors).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

impl Transport for HyperTransport {
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
        Box::pin(async move {
            let request = request.map(|body| Full::new(bytes::Bytes::from(body)));
            let exchange = async {
                let response = self.client.request(request).await.map_err(TransportError::io)?;
                let (parts, body) = response.into_parts();
                let body = body.collect().await.map_err(TransportError::io)?.to_bytes();
                Ok(http::Response::from_parts(parts, body.to_vec()))
            };
            match self.timeout {
                Some(timeout) => match tokio::time::timeout(timeout, exchange).await {
                    Ok(result) => result,
                    Err(elapsed) => Err(TransportError::timeout(elapsed)),
                },
                None => exchange.await,
            }
        })
    }
}

/// A [`Sleep`] on tokio's timer.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioSleep {
    _private: (),
}

impl TokioSleep {
    /// Tokio's sleep.
    pub fn new() -> Self {
        TokioSleep::default()
    }
}

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}
