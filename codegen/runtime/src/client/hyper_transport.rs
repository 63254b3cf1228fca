//! The default transport (feature `rustls`): hyper 1 through hyper-util's pooled client,
//! TLS by rustls with the `ring` provider and the platform's root certificates; plain
//! `http://` is allowed too (a local server). Sleeping is tokio's. Bodies stream both ways:
//! the request's [`ByteStream`] is sent as it is read (with `Content-Length` when its length
//! is known, else chunked), and the response is returned at its head, its body hyper's own,
//! read as it arrives.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use super::transport::{
    StreamingTransportFuture, Transport, TransportError, TransportFuture, TransportSettings,
};
use crate::byte_stream::ByteStream;

type HttpsConnector = hyper_rustls::HttpsConnector<HttpConnector>;
type HyperClient = Client<HttpsConnector, ByteStream>;

/// How long a new connection may take to open when the request's [`TransportSettings`] set no
/// connect timeout: 3.1 s, the AWS SDKs' default. A connection that times out is a timeout
/// error, retried like other transient errors.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// A [`Transport`] on hyper 1 and rustls (connection pooling, HTTP/1.1, TLS 1.2 and 1.3).
///
/// It honours each request's [`TransportSettings`]: the connect timeout (one connection pool
/// per distinct connect timeout, as few as there are timeouts in use) and the read timeout
/// (the wait for the response's head once the request is sent). It needs a tokio runtime to
/// run on (the futures it returns spawn connection tasks).
#[derive(Clone)]
pub struct HyperTransport {
    provider: Arc<rustls::crypto::CryptoProvider>,
    /// One client (and connection pool) per connect timeout.
    clients: Arc<Mutex<Vec<(Duration, HyperClient)>>>,
    timeout: Option<Duration>,
}

impl std::fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HyperTransport").field("timeout", &self.timeout).finish_non_exhaustive()
    }
}

impl HyperTransport {
    /// A transport trusting the platform's root certificates, with no overall request timeout
    /// (see [`with_timeout`](Self::with_timeout)); fails if no root certificate can be loaded.
    pub fn new() -> Result<Self, TransportError> {
        let transport = HyperTransport {
            provider: Arc::new(rustls::crypto::ring::default_provider()),
            clients: Arc::new(Mutex::new(Vec::new())),
            timeout: None,
        };
        // Loads the root certificates now, so that a machine without any fails here.
        transport.client(DEFAULT_CONNECT_TIMEOUT)?;
        Ok(transport)
    }

    /// The same transport, failing a request that takes longer than `timeout` (from sending
    /// it to the end of the response's body) with a timeout error (retried like other
    /// transient errors, when it comes before the response's head or while the client reads
    /// a whole body; a streaming output's body read past it fails with the timeout).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    fn client(&self, connect_timeout: Duration) -> Result<HyperClient, TransportError> {
        let mut clients = self.clients.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, client)) = clients.iter().find(|(t, _)| *t == connect_timeout) {
            return Ok(client.clone());
        }
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false); // the TLS layer above takes `https://` URIs
        tcp.set_connect_timeout(Some(connect_timeout));
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(self.provider.clone())
            .map_err(TransportError::other)?
            .https_or_http()
            .enable_http1();
        // ALPN `h2, http/1.1` over TLS; plain `http://` stays HTTP/1.1.
        #[cfg(feature = "http2")]
        let connector = connector.enable_http2();
        let connector = connector.wrap_connector(tcp);
        let client = Client::builder(TokioExecutor::new()).build(connector);
        clients.push((connect_timeout, client.clone()));
        Ok(client)
    }
}

/// A hyper-util error as a transport error: a connect that timed out is a timeout, any other
/// failure an I/O error.
fn classify(error: hyper_util::client::legacy::Error) -> TransportError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    let mut timed_out = false;
    while let Some(e) = source {
        if e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            timed_out = true;
        }
        source = e.source();
    }
    if timed_out {
        TransportError::timeout(error)
    } else {
        TransportError::io(error)
    }
}

impl Transport for HyperTransport {
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
        Box::pin(async move {
            let response = self.send_streaming(request.map(ByteStream::new)).await?;
            let (parts, body) = response.into_parts();
            let body = body.collect().await.map_err(TransportError::reading_body)?;
            Ok(http::Response::from_parts(parts, Vec::from(body)))
        })
    }

    fn send_streaming(&self, request: http::Request<ByteStream>) -> StreamingTransportFuture<'_> {
        Box::pin(async move {
            let settings = TransportSettings::of(&request);
            let client =
                self.client(settings.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))?;
            let deadline = self.timeout.map(|t| (tokio::time::Instant::now() + t, t));
            let head = async {
                let head = client.request(request);
                match settings.read_timeout {
                    Some(read_timeout) => match tokio::time::timeout(read_timeout, head).await {
                        Ok(response) => response.map_err(classify),
                        Err(_) => Err(TransportError::timeout(format!(
                            "no response within the read timeout ({read_timeout:?})"
                        ))),
                    },
                    None => head.await.map_err(classify),
                }
            };
            let response = match deadline {
                Some((at, _)) => match tokio::time::timeout_at(at, head).await {
                    Ok(response) => response?,
                    Err(elapsed) => return Err(TransportError::timeout(elapsed)),
                },
                None => head.await?,
            };
            let (parts, body) = response.into_parts();
            let body = match deadline {
                Some((at, timeout)) => ByteStream::from_body(Deadline {
                    body,
                    sleep: Box::pin(tokio::time::sleep_until(at)),
                    timeout,
                }),
                None => ByteStream::from_body(body),
            };
            Ok(http::Response::from_parts(parts, body))
        })
    }
}

/// A response body that fails with a timeout error once the transport's overall timeout
/// has elapsed.
struct Deadline {
    body: hyper::body::Incoming,
    sleep: Pin<Box<tokio::time::Sleep>>,
    timeout: Duration,
}

impl http_body::Body for Deadline {
    type Data = bytes::Bytes;
    type Error = TransportError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<bytes::Bytes>, TransportError>>> {
        if self.sleep.as_mut().poll(cx).is_ready() {
            let message = format!("the response body did not end within {:?}", self.timeout);
            return Poll::Ready(Some(Err(TransportError::timeout(message))));
        }
        Pin::new(&mut self.body).poll_frame(cx).map_err(TransportError::io)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// An [`AsyncSleep`](aws_smithy_async::rt::sleep::AsyncSleep) on tokio's timer.
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

impl aws_smithy_async::rt::sleep::AsyncSleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> aws_smithy_async::rt::sleep::Sleep {
        aws_smithy_async::rt::sleep::Sleep::new(tokio::time::sleep(duration))
    }
}
