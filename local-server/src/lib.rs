//! A local Amazon Chime SDK Meetings server: an in-memory implementation of the service
//! ([`InMemoryChime`]) behind the generated server stubs' `Router`, served over loopback HTTP/1.1
//! with SigV4 checks, for developing and testing applications without AWS.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let server = chime_local_server::start("127.0.0.1:0".parse().unwrap(), chime_local_server::Verify::AnyKey).await?;
//! println!("point your client at {}", server.endpoint_url());
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod http;
pub mod service;
pub mod sigv4;

use std::net::SocketAddr;
use std::sync::Arc;

use chime_sdk_meetings::server::{OperationName, Router};

pub use service::{InMemoryChime, Settings};
pub use sigv4::Verify;

/// Most characters of a received value that an error message repeats.
pub const ECHO_CHARS: usize = 100;

/// A received value as an error message quotes it: whole up to [`ECHO_CHARS`] characters, else
/// its first ones followed by `…` (a 300 KB header must not come back whole in the 403).
pub(crate) fn echo(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(ECHO_CHARS) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", text.get(..end).unwrap_or(""))),
    }
}

/// The SigV4 signing name requests must be scoped to: the generated crate's, from the model.
pub const SIGNING_NAME: &str = chime_sdk_meetings::SIGV4_SIGNING_NAME;

/// The generated router over the in-memory service, as an [`http::Handler`].
struct RouterHandler(Arc<Router<InMemoryChime>>);

impl http::Handler for RouterHandler {
    fn handle(&self, request: ::http::Request<Vec<u8>>) -> http::ResponseFuture {
        let router = Arc::clone(&self.0);
        Box::pin(async move { router.handle(request).await })
    }

    /// What the model says of the operation the request routes to.
    fn unsigned_payload(&self, parts: &::http::request::Parts) -> bool {
        let mut request = ::http::Request::new(());
        *request.method_mut() = parts.method.clone();
        *request.uri_mut() = parts.uri.clone();
        OperationName::route(&request).is_some_and(OperationName::unsigned_payload)
    }
}

/// The router over `service` as an [`http::Handler`].
pub fn handler(service: InMemoryChime) -> impl http::Handler {
    RouterHandler(Arc::new(Router::new(service)))
}

/// Listener options for the service's signing name and `verify`, with the default
/// [`http::Limits`] and no request log.
pub fn options(verify: Verify) -> http::Options {
    http::Options {
        signing_name: SIGNING_NAME.to_owned(),
        verify,
        log: false,
        limits: http::Limits::default(),
    }
}

/// Starts a server with a new, empty [`InMemoryChime`] on `addr` (loopback only; port 0 picks a
/// free port). Must be called inside a tokio runtime.
pub async fn start(addr: SocketAddr, verify: Verify) -> std::io::Result<http::Server> {
    start_with(addr, verify, InMemoryChime::default()).await
}

/// Like [`start`], with a given service (keep a clone to inspect its state).
pub async fn start_with(
    addr: SocketAddr,
    verify: Verify,
    service: InMemoryChime,
) -> std::io::Result<http::Server> {
    http::bind(addr, options(verify), handler(service)).await
}

/// Runs a server with a new, empty [`InMemoryChime`] until the process is stopped (what
/// `cargo xtask serve` does), on a multi-threaded tokio runtime of its own (one worker per
/// core); `ready` is called with the bound address once it listens.
pub fn serve_blocking(
    addr: SocketAddr,
    options: http::Options,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    serve_blocking_with(addr, options, InMemoryChime::default(), ready)
}

/// Like [`serve_blocking`], with a given service.
pub fn serve_blocking_with(
    addr: SocketAddr,
    options: http::Options,
    service: InMemoryChime,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let server = http::bind(addr, options, handler(service)).await?;
        ready(server.local_addr());
        server.run_forever().await;
        Ok(())
    })
}
